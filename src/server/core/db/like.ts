import { sql, type RawBuilder } from 'kysely';

/** Makes %, _ and \ in user input match themselves in a LIKE pattern. */
export const escapeLike = (text: string) => text.replace(/[%_\\]/g, '\\$&');

/**
 * A folded (kl_fold: lower case, no accents) LIKE pattern for `text` as typed: anywhere in the value, or at its start.
 * A sub-select, so it is folded once per run (an InitPlan), not once per row: a prepared statement's generic plan
 * has no constant to fold it into, and kl_fold (unaccent) per row was most of a search's time (8.4 → 2.2 ms).
 */
export const foldedPattern = (text: string, at: 'anywhere' | 'start' = 'anywhere'): RawBuilder<string> =>
  at === 'start'
    ? sql<string>`(select kl_fold(${escapeLike(text)}) || '%')`
    : sql<string>`(select '%' || kl_fold(${escapeLike(text)}) || '%')`;
