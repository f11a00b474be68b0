import { sql, type Kysely } from 'kysely';
import type { DB } from '../../core/db/schema.ts';
import type { Tx } from '../../core/db/tenant.ts';
import type { FieldError } from '../../core/http/errors.ts';
import * as exportRepo from './export.repository.ts';
import type { Municipality } from './export.mapper.ts';
import { hsdsDb, type RecordRow } from './hsds.db.ts';
import { fieldRef, TOP_ENTITIES, type HsdsRecord, type Package } from './package.ts';
import { loadVocabulary, type KlVocabulary } from './taxonomies.ts';

/**
 * What every step of an import reads: the package, the actor's network, our vocabulary and municipalities, the
 * rows and records the package's ids already have, and the problems found so far.
 */

export const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
/** A scalar as text (a number or boolean as written), anything else as '' — never "[object Object]". */
export const scalarText = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
export const unique = <T>(list: T[]) => [...new Set(list)];
const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
const present = (x: string | undefined): x is string => Boolean(x);

class Problems {
  readonly errors: FieldError[] = [];
  readonly warnings: FieldError[] = [];
  private readonly seen = new Set<string>();
  error(field: string, code: string, message?: string) {
    this.add(this.errors, field, code, message);
  }
  warn(field: string, code: string, message?: string) {
    this.add(this.warnings, field, code, message);
  }
  /** The same problem met twice (a term nested in an attribute is also a term of its own) is reported once. */
  private add(list: FieldError[], field: string, code: string, message?: string) {
    const key = `${list === this.errors ? 'e' : 'w'}|${field}|${code}`;
    if (this.seen.has(key) || list.length >= 500) return;
    this.seen.add(key);
    list.push({ field, code, ...(message ? { message } : {}) });
  }
}

type Existing = Awaited<ReturnType<typeof existingRows>>;

export interface ImportContext {
  db: Kysely<DB>;
  network: string;
  pkg: Package;
  /** the package's records by kind */
  P: Package['records'];
  problems: Problems;
  vocab: KlVocabulary;
  /** by NIS code */
  municipalities: Map<string, Municipality>;
  /** the municipality of a Dutch or French name, in any case, with or without accents */
  municipalityNamed: (name: string) => Municipality | undefined;
  existing: Existing;
  /** the reference of a record's field, or of a field of an object nested in it */
  at: (rec: HsdsRecord, field: string, nested?: { obj?: unknown; path: string }) => string;
  /** the row if it belongs to the actor's network */
  mine: <T extends { network_id: string }>(row: T | undefined) => T | undefined;
  /** an organisation of the package or of the actor's network */
  orgKnown: (id: string | undefined) => boolean;
}

/** Starts an import: the package's own problems (schema, format), then what it needs to know of the database. */
export async function importContext(tx: Tx, pkg: Package): Promise<ImportContext> {
  const db = tx.db;
  const network = tx.actor.networkId;
  const P = pkg.records;
  const problems = new Problems();
  for (const e of pkg.errors) problems.error(e.field, e.code, e.message);
  for (const w of pkg.warnings) problems.warn(w.field, w.code, w.message);
  const vocab = await loadVocabulary(db);
  const municipalities = await exportRepo.municipalities(db);
  const byName = new Map<string, Municipality>();
  for (const m of municipalities.values()) {
    byName.set(fold(m.name_nl), m);
    byName.set(fold(m.name_fr), m);
  }
  const existing = await existingRows(db, network, P);
  const mine = <T extends { network_id: string }>(row: T | undefined) =>
    row && row.network_id === network ? row : undefined;
  return {
    db,
    network,
    pkg,
    P,
    problems,
    vocab,
    municipalities,
    existing,
    mine,
    municipalityNamed: (name) => byName.get(fold(name)),
    at: (rec, field, nested) => fieldRef(pkg, rec, nested, field),
    orgKnown: (id) => Boolean(id && (P.organization.has(id) || mine(existing.orgs.get(id)))),
  };
}

/**
 * What exists already, of any network (an id of another network is taken): the organisations, offers and sites
 * with the package's ids or the ids its records link to, and the network's original records of those ids.
 */
async function existingRows(db: Kysely<DB>, network: string, P: Package['records']) {
  const orgIds = unique([
    ...P.organization.keys(),
    ...[...P.service.values(), ...P.location.values()].map((r) => r.links.organization_id).filter(present),
  ]);
  const orgs = new Map(
    (
      await db
        .selectFrom('organizations')
        .select(['id', 'network_id', 'name', 'kind'])
        .where(sql<boolean>`id = any(${orgIds}::uuid[])`)
        .execute()
    ).map((o) => [o.id, o]),
  );
  const serviceIds = unique([
    ...P.service.keys(),
    ...[...P.service_at_location.values()].map((r) => r.links.service_id).filter(present),
  ]);
  const offers = new Map(
    (
      await db
        .selectFrom('offers')
        .selectAll()
        .where(sql<boolean>`id = any(${serviceIds}::uuid[])`)
        .execute()
    ).map((o) => [o.id, o]),
  );
  const locationIds = unique([
    ...P.location.keys(),
    ...[...P.service_at_location.values()].map((r) => r.links.location_id).filter(present),
  ]);
  const sites = new Map(
    (
      await db
        .selectFrom('sites as s')
        .innerJoin('organizations as o', 'o.id', 's.organization_id')
        .select(['s.id', 's.organization_id', 's.name', 's.street', 's.postal_code', 's.nis_code', 'o.network_id'])
        .where(sql<boolean>`s.id = any(${locationIds}::uuid[])`)
        .execute()
    ).map((s) => [s.id, s]),
  );
  /** by `${entity}|${id}` */
  const records = new Map<string, RecordRow>();
  const hdb = hsdsDb(db);
  for (const entity of TOP_ENTITIES) {
    const ids = entity === 'location' ? locationIds : [...P[entity].keys()];
    if (!ids.length) continue;
    const rows = await hdb
      .selectFrom('hsds_records')
      .selectAll()
      .where('network_id', '=', network)
      .where('entity_type', '=', entity)
      .where(sql<boolean>`id = any(${ids}::uuid[])`)
      .execute();
    for (const row of rows) records.set(`${entity}|${row.id}`, row);
  }
  return { orgs, offers, sites, records };
}
