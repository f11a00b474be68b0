import type { Kysely } from 'kysely';
import type { DB } from '../../core/db/schema.ts';
import { INSTRUMENTS } from './catalogue.ts';

/**
 * Stores each instrument version once, so a screening always points at the exact definition it was scored with.
 * A changed definition must get a new version string; an existing version is never overwritten.
 */
export async function ensureInstrumentVersions(owner: Kysely<DB>): Promise<void> {
  await owner
    .insertInto('instrument_versions')
    .values(INSTRUMENTS.map((d) => ({ instrument_id: d.id, version: d.version, definition: JSON.stringify(d) })))
    .onConflict((oc) => oc.columns(['instrument_id', 'version']).doNothing())
    .execute();
}
