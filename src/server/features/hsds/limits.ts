/** Most services of one minimal page: "aim to return all services within one page" (HSDS OpenAPI, minimal). */
export const MINIMAL_PER_PAGE = 10_000;
/** Most items of any other page. */
export const MAX_PER_PAGE = 500;
/** An import lists the first RECORD_LIST_CAP created and changed records of each kind by id and name. */
export const RECORD_LIST_CAP = 200;
