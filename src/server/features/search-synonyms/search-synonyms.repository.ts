import { sql, type Kysely } from 'kysely';
import type { DB } from '../../core/db/schema.ts';

/** The built-in groups and the network's own (row policy: network_id null or the current network). */
export function listGroups(db: Kysely<DB>) {
  return db
    .selectFrom('search_synonyms')
    .select(['id', 'network_id', 'terms', 'created_at'])
    .orderBy(sql`network_id is not null`) // the built-in list first
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findGroup(db: Kysely<DB>, id: string) {
  return db.selectFrom('search_synonyms').select(['id', 'network_id', 'terms']).where('id', '=', id).executeTakeFirst();
}

export function insertGroup(db: Kysely<DB>, networkId: string, terms: string[], userId: string | null) {
  return db
    .insertInto('search_synonyms')
    .values({ network_id: networkId, terms, created_by: userId })
    .returning(['id', 'network_id', 'terms', 'created_at'])
    .executeTakeFirstOrThrow();
}

export function deleteGroup(db: Kysely<DB>, id: string, networkId: string) {
  return db.deleteFrom('search_synonyms').where('id', '=', id).where('network_id', '=', networkId).executeTakeFirst();
}
