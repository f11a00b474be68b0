import { sql, type Kysely } from 'kysely';
import type { FieldError } from '../../core/http/errors.ts';
import { KIND_LABELS, sameJson } from './export.mapper.ts';
import { hsdsDb, type HsdsDB } from './hsds.db.ts';
import { scalarText, str, unique, type ImportContext } from './import.context.ts';
import type { OfferValues } from './import.offer.ts';
import type { ImportPlan } from './import.plan.ts';
import { ImportInvalid, TOP_ENTITIES, type HsdsRecord, type Json, type TopEntity } from './package.ts';

/**
 * Writes what the plan says, kind by kind (organisations, locations, services, services at locations, taxonomies,
 * terms), in slices of multi-row statements with progress after each, and keeps every original record
 * (hsds_records). Each record's outcome is counted: created, changed or unchanged. A dry run writes as well: its
 * caller rolls the transaction back.
 */

/** Rows per multi-row statement (well below PostgreSQL's 65,535 parameters). */
export const SLICE = 200;

type Outcome = 'created' | 'changed' | 'unchanged';
/** Counts a record's outcome; a record created or changed gives its id and name. */
export type CountOutcome = (entity: TopEntity, outcome: Outcome, id?: string, name?: string | null) => void;
interface ApplyOptions {
  importId: string | null;
  onProgress?: ((done: number, total: number) => void) | undefined;
  count: CountOutcome;
}
/** By kind, the ids whose rows (or records of services at locations) this import wrote. */
export type Written = Map<TopEntity, Set<string>>;

export async function applyImport(ctx: ImportContext, plan: ImportPlan, opts: ApplyOptions): Promise<Written> {
  const w = new Writer(ctx, plan, opts);
  await writeOrganizations(w);
  await writeLocations(w);
  await writeServices(w);
  await addSitesToOtherOffers(w);
  await writeServicesAtLocations(w);
  await writeTaxonomies(w);
  return w.written;
}

type Link = { organization_id: string | null; service_id: string | null; location_id: string | null };
interface Keep {
  rec: HsdsRecord;
  data: Json;
  link: Link;
}

/** What the steps share: slices and progress, the records to keep, and what was written. */
class Writer {
  readonly written: Written = new Map(TOP_ENTITIES.map((e) => [e, new Set<string>()]));
  readonly count: CountOutcome;
  private readonly hdb: Kysely<HsdsDB>;
  private done = 0;
  private readonly total: number;

  constructor(
    readonly ctx: ImportContext,
    readonly plan: ImportPlan,
    private readonly opts: ApplyOptions,
  ) {
    this.count = opts.count;
    this.hdb = hsdsDb(ctx.db);
    this.total = TOP_ENTITIES.reduce((n, e) => n + ctx.P[e].size, 0);
  }

  /** Writes in slices (multi-row statements), reporting progress after each. */
  async inSlices<T>(items: T[], work: (slice: T[]) => Promise<void>) {
    for (let i = 0; i < items.length; i += SLICE) {
      const slice = items.slice(i, i + SLICE);
      await work(slice);
      this.done += slice.length;
      this.opts.onProgress?.(this.done, this.total);
    }
  }

  /** The record to keep for an entity, or null when the stored one is the same already. */
  recordToKeep(rec: HsdsRecord, links: Partial<Link>): Keep | null {
    const old = this.ctx.existing.records.get(`${rec.entity}|${rec.id}`);
    const data = mergedData(old?.data, rec.data);
    const link: Link = {
      organization_id: links.organization_id ?? null,
      service_id: links.service_id ?? null,
      location_id: links.location_id ?? null,
    };
    if (
      old &&
      sameJson(old.data, data) &&
      old.organization_id === link.organization_id &&
      old.service_id === link.service_id &&
      old.location_id === link.location_id
    )
      return null;
    return { rec, data, link };
  }

  async saveRecords(keep: Keep[]) {
    if (!keep.length) return;
    const network = this.ctx.network;
    await this.hdb
      .insertInto('hsds_records')
      .values(
        keep.map(({ rec, data, link }) => ({
          network_id: network,
          entity_type: rec.entity,
          id: rec.id,
          data: sql`cast(${JSON.stringify(data)} as jsonb)` as never,
          generated: null,
          ...link,
          import_id: this.opts.importId,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['network_id', 'entity_type', 'id']).doUpdateSet({
          data: (eb) => eb.ref('excluded.data'),
          organization_id: (eb) => eb.ref('excluded.organization_id'),
          service_id: (eb) => eb.ref('excluded.service_id'),
          location_id: (eb) => eb.ref('excluded.location_id'),
          import_id: (eb) => eb.ref('excluded.import_id'),
          imported_at: sql`now()`,
        }),
      )
      .execute();
    for (const k of keep) this.written.get(k.rec.entity)!.add(k.rec.id);
  }

  /** A row whose record alone changed is modified all the same. */
  async touch(table: 'organizations' | 'offers', ids: string[]) {
    if (ids.length)
      await this.ctx.db
        .updateTable(table)
        .set({ updated_at: sql`now()` })
        .where(sql<boolean>`id = any(${ids}::uuid[])`)
        .execute();
  }
}

/** The new record data: this import's fields, plus lists an earlier import had that this one does not carry. */
function mergedData(old: Json | undefined, data: Json): Json {
  if (!old) return data;
  const kept = Object.fromEntries(Object.entries(old).filter(([k, v]) => Array.isArray(v) && !(k in data)));
  return { ...kept, ...data };
}

/** Values compare as sets for arrays and as instants for times. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.map(String).sort().join('\u0000') === b.map(String).sort().join('\u0000');
  }
  if (a instanceof Date || b instanceof Date)
    return a != null && b != null && new Date(a as Date).getTime() === new Date(b as Date).getTime();
  // an empty text is no text
  const none = (v: unknown) => (v === undefined || v === '' ? null : v);
  return none(a) === none(b);
}

const nameOf = (rec: HsdsRecord | undefined) => str(rec?.data.name)?.trim() || null;

/** Organisation kinds recognisable in a name (Flemish practice). */
const KIND_PATTERNS: [RegExp, string][] = [
  [/\bCAW\b|algemeen welzijnswerk/i, 'caw'],
  [/\bCGG\b|geestelijke gezondheidszorg/i, 'cgg'],
  [/\bOCMW\b|sociaal huis/i, 'ocmw'],
  [/tele-onthaal|zelfmoordlijn|\bawel\b|druglijn|hulplijn|helpline/i, 'helpline'],
  [/woonzorgcentrum|\bWZC\b|ziekenhuis|hospital/i, 'care-facility'],
  [/begrafenis|uitvaart|funeral/i, 'funeral-director'],
  [/huisarts|eerstelijnspsycholo|wijkgezondheidscentrum/i, 'primary-care'],
  [/lotgenoten|buddy|vrijwilligers/i, 'zero-line'],
];

/** An imported organisation's kind: the label our own export gives it, else its name, else 'other'. */
export function organizationKind(data: Json): string {
  const description = str(data.description)?.trim();
  const byLabel = Object.entries(KIND_LABELS).find(([, labels]) => labels.includes(description ?? ''));
  if (byLabel) return byLabel[0];
  const name = str(data.name) ?? '';
  return KIND_PATTERNS.find(([pattern]) => pattern.test(name))?.[1] ?? 'other';
}

/** Organisations: a new one with its kind, an existing one's name. */
async function writeOrganizations(w: Writer) {
  const { db, network, P, mine } = w.ctx;
  const { orgs } = w.ctx.existing;
  await w.inSlices([...P.organization.values()], async (slice) => {
    const inserts: { id: string; network_id: string; name: string; kind: string }[] = [];
    const keep: Keep[] = [];
    const touched: string[] = [];
    for (const rec of slice) {
      const existing = mine(orgs.get(rec.id));
      const name = str(rec.data.name)!.trim();
      let rowChanged = false;
      if (!existing) inserts.push({ id: rec.id, network_id: network, name, kind: organizationKind(rec.data) });
      else if (existing.name !== name) {
        await db
          .updateTable('organizations')
          .set({ name, updated_at: sql`now()` })
          .where('id', '=', rec.id)
          .execute();
        rowChanged = true;
        w.written.get('organization')!.add(rec.id);
      }
      const record = w.recordToKeep(rec, {});
      if (record) keep.push(record);
      if (existing && record && !rowChanged) touched.push(rec.id);
      w.count('organization', !existing ? 'created' : rowChanged || record ? 'changed' : 'unchanged', rec.id, name);
    }
    if (inserts.length) await db.insertInto('organizations').values(inserts).execute();
    await w.saveRecords(keep);
    await w.touch('organizations', touched);
  });
}

/** Locations: the planned site, inserted or updated; a location without one is kept as a record only. */
async function writeLocations(w: Writer) {
  const { db, P, mine, orgKnown } = w.ctx;
  const { sites, records } = w.ctx.existing;
  await w.inSlices([...P.location.values()], async (slice) => {
    const inserts: Record<string, unknown>[] = [];
    const keep: Keep[] = [];
    for (const rec of slice) {
      const plan = w.plan.sites.get(rec.id);
      const existing = mine(sites.get(rec.id));
      let rowChanged = false;
      if (plan) {
        const values = {
          organization_id: plan.organizationId!,
          name: plan.name,
          street: plan.street,
          postal_code: plan.postal_code,
          nis_code: plan.nis_code,
        };
        if (!existing) {
          inserts.push({ id: rec.id, ...values });
          rowChanged = true;
        } else if ((Object.keys(values) as (keyof typeof values)[]).some((k) => existing[k] !== values[k])) {
          await db.updateTable('sites').set(values).where('id', '=', rec.id).execute();
          rowChanged = true;
        }
      }
      if (rowChanged) w.written.get('location')!.add(rec.id);
      const record = w.recordToKeep(rec, {
        organization_id:
          plan?.organizationId ?? (orgKnown(rec.links.organization_id) ? rec.links.organization_id : null),
      });
      if (record) keep.push(record);
      const isNew = !existing && !records.has(`location|${rec.id}`);
      w.count(
        'location',
        isNew ? 'created' : rowChanged || record ? 'changed' : 'unchanged',
        rec.id,
        plan?.name ?? nameOf(rec),
      );
    }
    if (inserts.length)
      await db
        .insertInto('sites')
        .values(inserts as never)
        .execute();
    await w.saveRecords(keep);
  });
}

/** Services: the planned offer, inserted or updated where it differs. An id of another network's offer stops the import. */
async function writeServices(w: Writer) {
  const { db, network, P, at, mine } = w.ctx;
  const { offers } = w.ctx.existing;
  const taken: FieldError[] = [];
  await w.inSlices([...P.service.values()], async (slice) => {
    const inserts: Record<string, unknown>[] = [];
    const keep: Keep[] = [];
    const touched: string[] = [];
    for (const rec of slice) {
      const plan = w.plan.offers.get(rec.id)!;
      const existing = mine(offers.get(rec.id));
      const values: OfferValues = { ...plan.values, organization_id: plan.organizationId };
      let rowChanged = false;
      if (!existing) {
        inserts.push({
          level: 'basic',
          capacity: 'open',
          ...values,
          id: rec.id,
          network_id: network,
          ...(plan.capacityAt ? { capacity_updated_at: plan.capacityAt } : {}),
        });
        rowChanged = true;
      } else {
        const set: OfferValues = {};
        for (const [column, value] of Object.entries(values)) {
          if (!sameValue(existing[column as keyof typeof existing], value)) set[column] = value;
        }
        const capacityMoved = 'capacity' in set || 'wait_days' in set;
        if (plan.capacityAt && !sameValue(existing.capacity_updated_at, plan.capacityAt))
          set.capacity_updated_at = plan.capacityAt;
        else if (capacityMoved) set.capacity_updated_at = sql`now()`;
        if (Object.keys(set).length) {
          await db
            .updateTable('offers')
            .set({ ...set, updated_at: sql`now()` } as never)
            .where('id', '=', rec.id)
            .execute();
          rowChanged = true;
        }
      }
      if (rowChanged) w.written.get('service')!.add(rec.id);
      const record = w.recordToKeep(rec, { organization_id: plan.organizationId, service_id: rec.id });
      if (record) keep.push(record);
      if (existing && record && !rowChanged) touched.push(rec.id);
      w.count(
        'service',
        !existing ? 'created' : rowChanged || record ? 'changed' : 'unchanged',
        rec.id,
        scalarText(plan.values.name),
      );
    }
    if (inserts.length) {
      // an id that row-level security does not show us is an offer of another network: nothing is inserted for it
      const inserted = new Set(
        (
          await db
            .insertInto('offers')
            .values(inserts as never)
            .onConflict((oc) => oc.column('id').doNothing())
            .returning('id')
            .execute()
        ).map((r) => r.id),
      );
      for (const row of inserts)
        if (!inserted.has(row.id as string))
          taken.push({ field: at(P.service.get(row.id as string)!, 'id'), code: 'id-taken' });
    }
    await w.saveRecords(keep);
    await w.touch('offers', touched);
  });
  if (taken.length) throw new ImportInvalid(taken);
}

/** Services outside the package gain the sites of their new services at locations. */
async function addSitesToOtherOffers(w: Writer) {
  const { db, mine } = w.ctx;
  for (const [serviceId, sites] of w.plan.sitesOfService) {
    if (w.plan.offers.has(serviceId)) continue;
    const existing = mine(w.ctx.existing.offers.get(serviceId))!;
    const next = unique([...existing.site_ids, ...sites]);
    if (next.length !== existing.site_ids.length) {
      await db
        .updateTable('offers')
        .set({ site_ids: next, updated_at: sql`now()` })
        .where('id', '=', serviceId)
        .execute();
    }
  }
}

/** Services at locations: kept as records; one is changed too when it adds a site to its offer. */
async function writeServicesAtLocations(w: Writer) {
  const { P, mine } = w.ctx;
  const { offers, records } = w.ctx.existing;
  await w.inSlices([...P.service_at_location.values()], async (slice) => {
    const keep: Keep[] = [];
    for (const rec of slice) {
      const { service_id: serviceId, location_id: locationId } = rec.links;
      const before = records.get(`service_at_location|${rec.id}`);
      const record = w.recordToKeep(rec, { service_id: serviceId ?? null, location_id: locationId ?? null });
      if (record) keep.push(record);
      const newPair =
        w.plan.sitesOfService.get(serviceId!)?.includes(locationId!) &&
        !mine(offers.get(serviceId!))?.site_ids.includes(locationId!);
      w.count(
        'service_at_location',
        !before ? 'created' : record || newPair ? 'changed' : 'unchanged',
        rec.id,
        placeName(w, serviceId, locationId),
      );
    }
    await w.saveRecords(keep);
  });
}

/** "service — location", as far as the names are known */
function placeName(w: Writer, serviceId: string | undefined, locationId: string | undefined) {
  const { P, existing } = w.ctx;
  const service = (serviceId && (nameOf(P.service.get(serviceId)) ?? existing.offers.get(serviceId)?.name)) || null;
  const location =
    (locationId &&
      (w.plan.sites.get(locationId)?.name ??
        nameOf(P.location.get(locationId)) ??
        existing.sites.get(locationId)?.name ??
        str(existing.records.get(`location|${locationId}`)?.data.name))) ||
    null;
  return [service, location].filter(Boolean).join(' — ') || null;
}

/** Taxonomies and terms: kept as records, except our own (counted unchanged). */
async function writeTaxonomies(w: Writer) {
  const { P } = w.ctx;
  for (const entity of ['taxonomy', 'taxonomy_term'] as const) {
    const skip = entity === 'taxonomy' ? w.plan.skipTaxonomies : w.plan.skipTerms;
    await w.inSlices([...P[entity].values()], async (slice) => {
      const keep: Keep[] = [];
      for (const rec of slice) {
        if (skip.has(rec.id)) {
          w.count(entity, 'unchanged');
          continue;
        }
        const before = w.ctx.existing.records.get(`${entity}|${rec.id}`);
        const record = w.recordToKeep(rec, {});
        if (record) keep.push(record);
        w.count(entity, !before ? 'created' : record ? 'changed' : 'unchanged', rec.id, nameOf(rec));
      }
      await w.saveRecords(keep);
    });
  }
}
