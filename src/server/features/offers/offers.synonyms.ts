import { sql, type Kysely } from 'kysely';
import type { DB } from '../../core/db/schema.ts';

/**
 * Synonym expansion of a catalogue search, kept off the database's hot path: the groups (the built-in Dutch list
 * and the network's own, table search_synonyms) are read once per network and process and kept for TTL_MS; a
 * change through this process forgets them at once (search-synonyms feature), another process sees it within
 * TTL_MS. The tsquery then reaches PostgreSQL as a plain parameter of to_tsquery, which the planner folds to a
 * constant: it estimates the match from the index statistics as before (an init plan computing it would not).
 */
const TTL_MS = 30_000;
const cache = new Map<string, { at: number; groups: string[][] }>();
const keyOf = (networkId: string | null) => networkId ?? 'public';

/** The synonym groups that apply: the built-in list, and the network's own when signed in. */
export async function synonymGroups(db: Kysely<DB>, networkId: string | null): Promise<string[][]> {
  const key = keyOf(networkId);
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.groups;
  const rows = await db
    .selectFrom('search_synonyms')
    .select('terms')
    .where(networkId ? sql<boolean>`network_id is null or network_id = ${networkId}` : sql<boolean>`network_id is null`)
    .execute();
  const groups = rows.map((r) => r.terms);
  cache.set(key, { at: Date.now(), groups });
  return groups;
}

/** After a change of the network's groups: the next search reads them again. */
export function forgetSynonyms(networkId: string): void {
  cache.delete(keyOf(networkId));
}

/** A term of a group stands for a query word that is it, or starts with it (zelfmoordgedachten → zelfmoord). */
const standsFor = (term: string, word: string) => term === word || (term.length >= 5 && word.startsWith(term));

/** One folded query word and its synonyms as prefix alternatives: '(rouw:* | verlies:* | rouwverwerking:*)'. */
export function wordTsquery(word: string, groups: readonly string[][]): string {
  const alternatives = new Set([word]);
  for (const group of groups)
    if (group.some((term) => standsFor(term, word))) for (const term of group) alternatives.add(term);
  return `(${[...alternatives].map((w) => `${w}:*`).join(' | ')})`;
}

/** Every word (or a synonym of it) required: the strict catalogue search. */
export function wordsTsquery(words: readonly string[], groups: readonly string[][]): string {
  return words.map((w) => wordTsquery(w, groups)).join(' & ');
}
