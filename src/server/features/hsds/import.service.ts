import { sql } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import type { FieldError } from '../../core/http/errors.ts';
import type { Lang } from '../../core/http/messages.ts';
import { newRenderer } from './export.service.ts';
import * as exportRepo from './export.repository.ts';
import { compact, SNAPSHOT_LANG } from './export.mapper.ts';
import { hsdsDb } from './hsds.db.ts';
import { applyImport, SLICE, type CountOutcome, type Written } from './import.apply.ts';
import { importContext } from './import.context.ts';
import { planImport } from './import.plan.ts';
import {
  ImportInvalid,
  PLURAL,
  TOP_ENTITIES,
  type Json,
  type Package,
  type Plural,
  type TopEntity,
} from './package.ts';
import { RECORD_LIST_CAP } from './limits.ts';

/**
 * Imports an HSDS package into the actor's network, in the caller's transaction: checks our rules on top of the
 * schema (names, NIS codes, references, ids of other networks), then creates or updates organisations, sites and
 * offers, and keeps every original record (hsds_records). Ids are kept, so importing the same data again changes
 * nothing. What a record does not carry stays as it is: a missing list (phones, service areas, attributes…) keeps
 * what we have; a missing single field (email, url, ages…) means none.
 *
 * The steps: import.context.ts (what exists already), import.plan.ts (our rules and what to write, with
 * import.offer.ts and import.terms.ts), import.apply.ts (the writes, in slices with progress), then the snapshots
 * below. A dry run takes every step but the snapshots; its caller rolls the transaction back (import.jobs.ts).
 */

export type Counts = Record<Plural, number>;
/** Records of one kind: the first RECORD_LIST_CAP by id and name, and how many more. */
export interface RecordList {
  items: { id: string; name: string | null }[];
  more: number;
}
export type RecordLists = Record<Plural, RecordList>;
export interface ImportResult {
  dryRun: boolean;
  format: Package['format'];
  created: Counts;
  changed: Counts;
  unchanged: Counts;
  warnings: FieldError[];
  /** which records are (in a dry run: would be) created and changed */
  records: { created: RecordLists; changed: RecordLists };
}
export interface ImportOptions {
  dryRun: boolean;
  lang: Lang;
  importId: string | null;
  onProgress?: (done: number, total: number) => void;
}

export async function runImport(tx: Tx, pkg: Package, opts: ImportOptions): Promise<ImportResult> {
  const ctx = await importContext(tx, pkg);
  const plan = planImport(ctx);
  if (ctx.problems.errors.length) throw new ImportInvalid(ctx.problems.errors);
  const tally = newTally();
  const written = await applyImport(ctx, plan, {
    importId: opts.importId,
    onProgress: opts.onProgress,
    count: tally.count,
  });
  if (!opts.dryRun) await takeSnapshots(tx, written);
  const { created, changed, unchanged, lists } = tally;
  return {
    dryRun: opts.dryRun,
    format: pkg.format,
    created,
    changed,
    unchanged,
    warnings: ctx.problems.warnings,
    records: lists,
  };
}

const zero = (): Counts => ({
  organizations: 0,
  services: 0,
  locations: 0,
  service_at_locations: 0,
  taxonomies: 0,
  taxonomy_terms: 0,
});
const noLists = (): RecordLists =>
  Object.fromEntries(Object.keys(zero()).map((k) => [k, { items: [], more: 0 }])) as unknown as RecordLists;

/** The outcome of every record by kind, and which ones are created and changed (the first RECORD_LIST_CAP). */
function newTally() {
  const created = zero();
  const changed = zero();
  const unchanged = zero();
  const lists = { created: noLists(), changed: noLists() };
  const count: CountOutcome = (entity, outcome, id, name) => {
    ({ created, changed, unchanged })[outcome][PLURAL[entity]] += 1;
    if (outcome === 'unchanged' || id === undefined) return;
    const list = lists[outcome][PLURAL[entity]];
    if (list.items.length < RECORD_LIST_CAP) list.items.push({ id, name: name?.trim() || null });
    else list.more += 1;
  };
  return { created, changed, unchanged, lists, count };
}

/** Our rendering of what this import wrote, kept with the records (see export.mapper.ts mergeRecord). */
async function takeSnapshots(tx: Tx, written: Written) {
  const db = tx.db;
  const network = tx.actor.networkId;
  const r = await newRenderer(db, SNAPSHOT_LANG);
  const snapshots: [TopEntity, string, Json | null][] = [];
  for (const offer of await exportRepo.offersById(db, [...written.get('service')!], false))
    snapshots.push(['service', offer.id, r.serviceGen(offer)]);
  for (const org of await exportRepo.organizationsById(db, [...written.get('organization')!], false))
    snapshots.push(['organization', org.id, r.orgGen(org)]);
  const sites = new Map((await exportRepo.sitesById(db, [...written.get('location')!])).map((s) => [s.id, s]));
  for (const id of written.get('location')!)
    snapshots.push(['location', id, sites.has(id) ? r.locationGen(sites.get(id)!) : null]);
  const sals = await hsdsDb(db)
    .selectFrom('hsds_records')
    .select(['id', 'service_id', 'location_id'])
    .where('network_id', '=', network)
    .where('entity_type', '=', 'service_at_location')
    .where(sql<boolean>`id = any(${[...written.get('service_at_location')!]}::uuid[])`)
    .execute();
  const salSites = new Set(
    (await exportRepo.sitesById(db, sals.map((s) => s.location_id!).filter(Boolean))).map((s) => s.id),
  );
  for (const sal of sals) {
    const placed = sal.location_id && salSites.has(sal.location_id);
    snapshots.push([
      'service_at_location',
      sal.id,
      placed ? compact({ id: sal.id, service_id: sal.service_id, location_id: sal.location_id }) : null,
    ]);
  }
  // by entity and id, so that each statement reaches its rows through the primary key
  for (const entity of TOP_ENTITIES) {
    const mine = snapshots.filter(([e]) => e === entity);
    for (let i = 0; i < mine.length; i += SLICE) {
      const slice = mine.slice(i, i + SLICE);
      const values = slice.map(
        ([, id, generated]) => sql`(${id}::uuid, ${generated ? JSON.stringify(generated) : null}::jsonb)`,
      );
      await sql`update hsds_records r set generated = v.generated from (values ${sql.join(values)}) as v(id, generated)
        where r.network_id = ${network}::uuid and r.entity_type = ${entity} and r.id = any(${slice.map(([, id]) => id)}::uuid[]) and r.id = v.id`.execute(
        db,
      );
    }
  }
}
