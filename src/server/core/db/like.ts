/** Makes %, _ and \ in user input match themselves in a LIKE pattern. */
export const escapeLike = (text: string) => text.replace(/[%_\\]/g, '\\$&');
