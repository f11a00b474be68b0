import { sql } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import type { FieldError } from '../../core/http/errors.ts';
import type { Lang } from '../../core/http/messages.ts';
import { newRenderer } from './export.service.ts';
import * as exportRepo from './export.repository.ts';
import { compact, KIND_LABELS, SNAPSHOT_LANG, sameJson, type Municipality } from './export.mapper.ts';
import { hsdsDb, type RecordRow } from './hsds.db.ts';
import { NIS_URN_PREFIX } from './ids.ts';
import { fieldRef, ImportInvalid, isObject, PLURAL, TOP_ENTITIES, type HsdsRecord, type Json, type Package, type Plural, type TopEntity } from './package.ts';
import { KL_TAXONOMIES, loadVocabulary, taxonomyByRef, type KlTerm, type TaxonomyKey } from './taxonomies.ts';

/**
 * Imports an HSDS package into the actor's network, in the caller's transaction: checks our rules on top of the
 * schema (names, NIS codes, references, ids of other networks), then creates or updates organisations, sites and
 * offers, and keeps every original record (hsds_records). Ids are kept, so importing the same data again changes
 * nothing. What a record does not carry stays as it is: a missing list (phones, service areas, attributes…) keeps
 * what we have; a missing single field (email, url, ages…) means none.
 */

export type Counts = Record<Plural, number>;
/** Records of one kind: the first RECORD_LIST_CAP by id and name, and how many more. */
export interface RecordList { items: { id: string; name: string | null }[]; more: number }
export type RecordLists = Record<Plural, RecordList>;
export const RECORD_LIST_CAP = 200;
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

/** Rows per multi-row statement (well below PostgreSQL's 65,535 parameters). */
const SLICE = 200;
const zero = (): Counts => ({ organizations: 0, services: 0, locations: 0, service_at_locations: 0, taxonomies: 0, taxonomy_terms: 0 });
const noLists = (): RecordLists => Object.fromEntries(Object.keys(zero()).map((k) => [k, { items: [], more: 0 }])) as unknown as RecordLists;
const fold = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const unique = <T>(list: T[]) => [...new Set(list)];

/** ISO 639-2/3 codes of languages common in Flanders, as the ISO 639-1 codes an offer stores. */
const LANGUAGE_ALIASES: Record<string, string> = {
  nld: 'nl', dut: 'nl', fra: 'fr', fre: 'fr', eng: 'en', deu: 'de', ger: 'de', ara: 'ar', tur: 'tr', pol: 'pl', spa: 'es',
  ita: 'it', rus: 'ru', ukr: 'uk', ron: 'ro', rum: 'ro', por: 'pt', bul: 'bg', fas: 'fa', per: 'fa', som: 'so', tir: 'ti', pus: 'ps', urd: 'ur',
};

/** Organisation kinds recognisable in a name (Flemish practice). */
const KIND_PATTERNS: [RegExp, string][] = [
  [/\bCAW\b|algemeen welzijnswerk/i, 'caw'], [/\bCGG\b|geestelijke gezondheidszorg/i, 'cgg'], [/\bOCMW\b|sociaal huis/i, 'ocmw'],
  [/tele-onthaal|zelfmoordlijn|\bawel\b|druglijn|hulplijn|helpline/i, 'helpline'], [/woonzorgcentrum|\bWZC\b|ziekenhuis|hospital/i, 'care-facility'],
  [/begrafenis|uitvaart|funeral/i, 'funeral-director'], [/huisarts|eerstelijnspsycholo|wijkgezondheidscentrum/i, 'primary-care'],
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

interface OfferValues { [column: string]: unknown }
interface SitePlan { organizationId: string | null; name: string; street: string; postal_code: string; nis_code: string }

class Problems {
  readonly errors: FieldError[] = [];
  readonly warnings: FieldError[] = [];
  private readonly seen = new Set<string>();
  error(field: string, code: string, message?: string) { this.add(this.errors, field, code, message); }
  warn(field: string, code: string, message?: string) { this.add(this.warnings, field, code, message); }
  /** The same problem met twice (a term nested in an attribute is also a term of its own) is reported once. */
  private add(list: FieldError[], field: string, code: string, message?: string) {
    const key = `${list === this.errors ? 'e' : 'w'}|${field}|${code}`;
    if (this.seen.has(key) || list.length >= 500) return;
    this.seen.add(key);
    list.push({ field, code, ...(message ? { message } : {}) });
  }
}

/** Values compare as sets for arrays and as instants for times. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.map(String).sort().join('\u0000') === b.map(String).sort().join('\u0000');
  if (a instanceof Date || b instanceof Date) return a != null && b != null && new Date(a as Date).getTime() === new Date(b as Date).getTime();
  // an empty text is no text
  const none = (v: unknown) => (v === undefined || v === '' ? null : v);
  return none(a) === none(b);
}

/** The new record data: this import's fields, plus lists an earlier import had that this one does not carry. */
function mergedData(old: Json | undefined, data: Json): Json {
  if (!old) return data;
  const kept = Object.fromEntries(Object.entries(old).filter(([k, v]) => Array.isArray(v) && !(k in data)));
  return { ...kept, ...data };
}

export async function runImport(tx: Tx, pkg: Package, opts: ImportOptions): Promise<ImportResult> {
  const db = tx.db;
  const hdb = hsdsDb(db);
  const network = tx.actor.networkId;
  const P = pkg.records;
  const problems = new Problems();
  for (const e of pkg.errors) problems.error(e.field, e.code, e.message);
  for (const w of pkg.warnings) problems.warn(w.field, w.code, w.message);
  const vocab = await loadVocabulary(db);
  const municipalities = await exportRepo.municipalities(db);
  const byName = new Map<string, Municipality>();
  for (const m of municipalities.values()) { byName.set(fold(m.name_nl), m); byName.set(fold(m.name_fr), m); }
  const at = (rec: HsdsRecord, field: string, nested?: { obj?: unknown; path: string }) => fieldRef(pkg, rec, nested, field);

  // --- what exists already ---
  const orgIds = unique([...P.organization.keys(), ...[...P.service.values(), ...P.location.values()].map((r) => r.links.organization_id).filter((x): x is string => Boolean(x))]);
  const existingOrgs = new Map((await db.selectFrom('organizations').select(['id', 'network_id', 'name', 'kind'])
    .where(sql<boolean>`id = any(${orgIds}::uuid[])`).execute()).map((o) => [o.id, o]));
  const serviceIds = unique([...P.service.keys(), ...[...P.service_at_location.values()].map((r) => r.links.service_id).filter((x): x is string => Boolean(x))]);
  const existingOffers = new Map((await db.selectFrom('offers').selectAll().where(sql<boolean>`id = any(${serviceIds}::uuid[])`).execute()).map((o) => [o.id, o]));
  const locationIds = unique([...P.location.keys(), ...[...P.service_at_location.values()].map((r) => r.links.location_id).filter((x): x is string => Boolean(x))]);
  const existingSites = new Map((await db.selectFrom('sites as s').innerJoin('organizations as o', 'o.id', 's.organization_id')
    .select(['s.id', 's.organization_id', 's.name', 's.street', 's.postal_code', 's.nis_code', 'o.network_id'])
    .where(sql<boolean>`s.id = any(${locationIds}::uuid[])`).execute()).map((s) => [s.id, s]));
  const existingRecords = new Map<string, RecordRow>();
  for (const entity of TOP_ENTITIES) {
    const ids = entity === 'location' ? locationIds : [...P[entity].keys()];
    if (!ids.length) continue;
    const rows = await hdb.selectFrom('hsds_records').selectAll().where('network_id', '=', network).where('entity_type', '=', entity)
      .where(sql<boolean>`id = any(${ids}::uuid[])`).execute();
    for (const row of rows) existingRecords.set(`${entity}|${row.id}`, row);
  }
  const mine = <T extends { network_id: string }>(row: T | undefined) => (row && row.network_id === network ? row : undefined);
  const orgKnown = (id: string | undefined) => Boolean(id && (P.organization.has(id) || mine(existingOrgs.get(id))));

  // --- our rules ---
  for (const rec of P.organization.values()) {
    if (!str(rec.data.name)?.trim()) problems.error(at(rec, 'name'), 'name-blank');
    const existing = existingOrgs.get(rec.id);
    if (existing && existing.network_id !== network) problems.error(at(rec, 'id'), 'id-taken');
  }

  // terms of our taxonomies under another id (a hand-made file): they stand for ours
  const termAlias = new Map<string, KlTerm>();
  const ourTerm = (term: Json | undefined, where: () => string): KlTerm | undefined | null => {
    if (!term) return undefined;
    const direct = vocab.term(str(term.id));
    if (direct) return direct;
    const taxonomy = taxonomyByRef(str(term.taxonomy_id)) ?? taxonomyByRef(isObject(term.taxonomy_detail) ? str(term.taxonomy_detail.id) : undefined) ?? taxonomyByRef(str(term.taxonomy));
    if (!taxonomy) return undefined;
    const found = vocab.byTaxonomyCode(taxonomy.key, str(term.code) ?? '');
    if (!found) { problems.error(where(), 'term-unknown'); return null; }
    return found;
  };
  const skipTerms = new Set<string>();
  for (const rec of P.taxonomy_term.values()) {
    const term = ourTerm(rec.data, () => at(rec, 'code'));
    if (term === undefined) continue;
    skipTerms.add(rec.id);
    if (term) termAlias.set(rec.id, term);
  }
  const skipTaxonomies = new Set([...P.taxonomy.keys()].filter((id) => KL_TAXONOMIES.some((t) => t.id === id)));

  // locations: a Belgian address makes a site of the organisation
  const sitePlans = new Map<string, SitePlan>();
  for (const rec of P.location.values()) {
    const existing = existingSites.get(rec.id);
    if (existing && existing.network_id !== network) problems.error(at(rec, 'id'), 'id-taken');
    const addresses = Array.isArray(rec.data.addresses) ? rec.data.addresses.filter(isObject) : [];
    const index = addresses.findIndex((a) => str(a.country)?.trim().toUpperCase() === 'BE' && a.address_type === 'physical');
    const i = index >= 0 ? index : addresses.findIndex((a) => str(a.country)?.trim().toUpperCase() === 'BE' && a.address_type !== 'virtual');
    if (i < 0) continue;
    const address = addresses[i]!;
    const nested = { obj: address, path: `addresses.${i}` };
    const postal = (str(address.postal_code) ?? '').trim();
    if (!/^[0-9]{4}$/.test(postal)) problems.error(at(rec, 'postal_code', nested), 'postal-code-format');
    const municipality = byName.get(fold(str(address.city) ?? ''));
    if (!municipality) problems.error(at(rec, 'city', nested), 'municipality-unknown');
    const street = (str(address.address_1) ?? '').trim();
    if (!street) problems.error(at(rec, 'address_1', nested), 'required');
    const linked = rec.links.organization_id;
    if (linked && !orgKnown(linked)) problems.warn(at(rec, 'organization_id'), 'reference-unknown');
    if (municipality && street) {
      sitePlans.set(rec.id, { organizationId: orgKnown(linked) ? linked! : null, name: str(rec.data.name)?.trim() || street, street, postal_code: postal, nis_code: municipality.nis_code });
    }
  }

  // services at locations: both ends must be known
  for (const rec of P.service_at_location.values()) {
    const serviceId = rec.links.service_id;
    const locationId = rec.links.location_id;
    if (!serviceId) problems.error(at(rec, 'service_id'), 'required');
    else if (!P.service.has(serviceId) && !mine(existingOffers.get(serviceId))) problems.error(at(rec, 'service_id'), 'reference-unknown');
    if (!locationId) problems.error(at(rec, 'location_id'), 'required');
    else if (!P.location.has(locationId) && !mine(existingSites.get(locationId)) && !existingRecords.has(`location|${locationId}`)) {
      problems.error(at(rec, 'location_id'), 'reference-unknown');
    }
  }

  // services: an offer of a known organisation, with our fields derived from the HSDS ones
  const offerPlans = new Map<string, { organizationId: string; values: OfferValues; capacityAt: string | null }>();
  for (const rec of P.service.values()) {
    const existing = existingOffers.get(rec.id);
    if (existing && existing.network_id !== network) problems.error(at(rec, 'id'), 'id-taken');
    const organizationId = rec.links.organization_id;
    if (!organizationId) problems.error(at(rec, 'organization_id'), 'required');
    else if (!orgKnown(organizationId)) problems.error(at(rec, 'organization_id'), 'organization-unknown');
    const plan = offerValues(rec);
    if (organizationId) offerPlans.set(rec.id, { organizationId, ...plan });
  }

  function offerValues(rec: HsdsRecord): { values: OfferValues; capacityAt: string | null } {
    const d = rec.data;
    const v: OfferValues = {};
    const name = str(d.name)?.trim() ?? '';
    if (!name) problems.error(at(rec, 'name'), 'name-blank');
    v.name = name;
    v.description = str(d.description) ?? '';
    v.active = d.status === 'active';
    v.contact_email = str(d.email) ?? null;
    v.contact_url = str(d.url) ?? null;
    v.cost_note = str(d.fees_description) ?? null;
    for (const [field, column] of [['minimum_age', 'min_age'], ['maximum_age', 'max_age']] as const) {
      const age = d[field];
      if (age !== undefined && (typeof age !== 'number' || !Number.isInteger(age) || age < 0 || age > 120)) problems.error(at(rec, field), 'age-invalid');
      v[column] = typeof age === 'number' ? age : null;
    }
    if (typeof v.min_age === 'number' && typeof v.max_age === 'number' && v.min_age > v.max_age) problems.error(at(rec, 'minimum_age'), 'age-range');
    if (Array.isArray(d.languages)) {
      v.languages = unique(d.languages.filter(isObject).map((l) => {
        const code = str(l.code)?.trim().toLowerCase() ?? '';
        return /^[a-z]{2}$/.test(code) ? code : LANGUAGE_ALIASES[code];
      }).filter((c): c is string => Boolean(c)));
    }
    if (Array.isArray(d.service_areas)) {
      const codes: string[] = [];
      d.service_areas.forEach((area, i) => {
        if (!isObject(area)) return;
        const uri = str(area.uri)?.trim() ?? '';
        if (!uri.toLowerCase().startsWith(NIS_URN_PREFIX)) return;
        const code = uri.slice(NIS_URN_PREFIX.length);
        const nested = { obj: area, path: `service_areas.${i}` };
        if (!/^[0-9]{5}$/.test(code)) problems.error(at(rec, 'uri', nested), 'nis-format');
        else if (!municipalities.has(code)) problems.error(at(rec, 'uri', nested), 'municipality-unknown');
        else codes.push(code);
      });
      v.municipalities = unique(codes).sort();
    }
    if (Array.isArray(d.phones)) v.contact_phone = d.phones.filter(isObject).map((p) => str(p.number)?.trim()).find(Boolean) ?? null;
    if (Array.isArray(d.schedules)) v.opening_hours = d.schedules.filter(isObject).map((s) => str(s.description)?.trim()).find(Boolean) ?? null;
    if (Array.isArray(d.cost_options) && d.cost_options.length) {
      const amounts = d.cost_options.filter(isObject).map((c) => c.amount).filter((a): a is number => typeof a === 'number');
      if (amounts.some((a) => a > 0)) v.cost = 'fee';
      else if (amounts.length === d.cost_options.length) v.cost = 'free';
    }
    let capacityAt: string | null = null;
    if (Array.isArray(d.attributes)) {
      const found = new Map<TaxonomyKey, string[]>();
      const foreignThemes: string[] = [];
      d.attributes.forEach((attribute, i) => {
        if (!isObject(attribute)) return;
        const nested = { obj: attribute, path: `attributes.${i}` };
        const id = str(attribute.taxonomy_term_id)?.toLowerCase();
        const term = vocab.term(id) ?? (id ? termAlias.get(id) : undefined)
          ?? ourTerm(isObject(attribute.taxonomy_term) ? attribute.taxonomy_term : undefined, () => at(rec, 'taxonomy_term.code', nested));
        if (!term) {
          // a term of another taxonomy whose code is one of our theme ids stands for that theme
          const foreign = isObject(attribute.taxonomy_term) ? attribute.taxonomy_term : id ? P.taxonomy_term.get(id)?.data : undefined;
          const theme = vocab.of('theme', str(foreign?.code)?.trim().toLowerCase() ?? '');
          if (term === undefined && theme) foreignThemes.push(theme.value);
          return;
        }
        if (!found.has(term.key)) found.set(term.key, []);
        found.get(term.key)!.push(term.value);
        if (term.key === 'capacity') {
          const value = str(attribute.value)?.trim() ?? '';
          if (value !== '' && (!/^[0-9]{1,4}$/.test(value) || Number(value) > 3650)) problems.error(at(rec, 'value', nested), 'wait-days-invalid');
          v.wait_days = value === '' ? null : Number(value);
          const meta = Array.isArray(attribute.metadata) ? attribute.metadata.filter(isObject).find((m) => m.field_name === 'capacity') : undefined;
          const when = str(meta?.last_action_date);
          if (when && !Number.isNaN(Date.parse(when)) && /T/.test(when)) capacityAt = new Date(when).toISOString();
        }
      });
      // a record that speaks our vocabulary says all of it; another one leaves our classification alone
      if (found.size) {
        const single = (key: TaxonomyKey, column: string, required: boolean) => {
          const values = unique(found.get(key) ?? []);
          if (values.length > 1) problems.error(at(rec, 'attributes'), 'attribute-multiple', key);
          if (values[0] !== undefined) v[column] = values[0];
          else if (!required) v[column] = null;
        };
        v.themes = unique(found.get('theme') ?? []);
        v.modalities = unique(found.get('modality') ?? []);
        v.target_groups = unique(found.get('target-group') ?? []);
        single('category', 'category_id', false);
        single('level', 'level', true);
        single('capacity', 'capacity', true);
        single('cost', 'cost', true);
        if (!found.has('capacity')) delete v.wait_days;
      } else if (foreignThemes.length) {
        v.themes = unique(foreignThemes);
      }
    }
    return { values: v, capacityAt };
  }

  // a site without an organisation of its own belongs to the organisation offering a service there
  for (const rec of P.service_at_location.values()) {
    const plan = rec.links.location_id ? sitePlans.get(rec.links.location_id) : undefined;
    if (!plan || plan.organizationId) continue;
    const serviceId = rec.links.service_id!;
    plan.organizationId = offerPlans.get(serviceId)?.organizationId ?? mine(existingOffers.get(serviceId))?.organization_id ?? null;
  }
  for (const [id, plan] of sitePlans) {
    if (plan.organizationId) continue;
    problems.warn(at(P.location.get(id)!, 'organization_id'), 'location-without-organization');
    sitePlans.delete(id);
  }
  // the sites a service is offered at: the organisation's sites among its services at locations
  const siteOrg = (locationId: string) => sitePlans.get(locationId)?.organizationId ?? mine(existingSites.get(locationId))?.organization_id;
  const sitesOfService = new Map<string, string[]>();
  for (const rec of P.service_at_location.values()) {
    const { service_id: serviceId, location_id: locationId } = rec.links;
    if (!serviceId || !locationId) continue;
    const organizationId = offerPlans.get(serviceId)?.organizationId ?? mine(existingOffers.get(serviceId))?.organization_id;
    if (!sitesOfService.has(serviceId)) sitesOfService.set(serviceId, []);
    if (organizationId && siteOrg(locationId) === organizationId) sitesOfService.get(serviceId)!.push(locationId);
  }
  for (const [serviceId, sites] of sitesOfService) {
    const plan = offerPlans.get(serviceId);
    if (plan) plan.values.site_ids = unique(sites);
  }

  if (problems.errors.length) throw new ImportInvalid(problems.errors);

  // --- writes ---
  const created = zero();
  const changed = zero();
  const unchanged = zero();
  const lists = { created: noLists(), changed: noLists() };
  const total = TOP_ENTITIES.reduce((n, e) => n + P[e].size, 0);
  let done = 0;
  const count = (entity: TopEntity, outcome: 'created' | 'changed' | 'unchanged', id?: string, name?: string | null) => {
    ({ created, changed, unchanged })[outcome][PLURAL[entity]] += 1;
    if (outcome === 'unchanged' || id === undefined) return;
    const list = lists[outcome][PLURAL[entity]];
    if (list.items.length < RECORD_LIST_CAP) list.items.push({ id, name: name?.trim() || null });
    else list.more += 1;
  };
  const nameOf = (rec: HsdsRecord | undefined) => str(rec?.data.name)?.trim() || null;
  /** "service — location", as far as the names are known */
  const placeName = (serviceId: string | undefined, locationId: string | undefined) => {
    const service = (serviceId && (nameOf(P.service.get(serviceId)) ?? existingOffers.get(serviceId)?.name)) || null;
    const location = (locationId && (sitePlans.get(locationId)?.name ?? nameOf(P.location.get(locationId)) ?? existingSites.get(locationId)?.name
      ?? str(existingRecords.get(`location|${locationId}`)?.data.name))) || null;
    return [service, location].filter(Boolean).join(' — ') || null;
  };
  const written = new Map<TopEntity, Set<string>>(TOP_ENTITIES.map((e) => [e, new Set<string>()]));

  type Link = { organization_id: string | null; service_id: string | null; location_id: string | null };
  /** The record to keep for an entity, or null when the stored one is the same already. */
  const recordToKeep = (rec: HsdsRecord, links: Partial<Link>) => {
    const old = existingRecords.get(`${rec.entity}|${rec.id}`);
    const data = mergedData(old?.data, rec.data);
    const link: Link = { organization_id: links.organization_id ?? null, service_id: links.service_id ?? null, location_id: links.location_id ?? null };
    if (old && sameJson(old.data, data) && old.organization_id === link.organization_id && old.service_id === link.service_id && old.location_id === link.location_id) return null;
    return { rec, data, link };
  };
  type Keep = NonNullable<ReturnType<typeof recordToKeep>>;
  const saveRecords = async (keep: Keep[]) => {
    if (!keep.length) return;
    await hdb.insertInto('hsds_records').values(keep.map(({ rec, data, link }) => ({
      network_id: network, entity_type: rec.entity, id: rec.id, data: sql`cast(${JSON.stringify(data)} as jsonb)` as never, generated: null, ...link, import_id: opts.importId,
    }))).onConflict((oc) => oc.columns(['network_id', 'entity_type', 'id']).doUpdateSet({
      data: (eb) => eb.ref('excluded.data'), organization_id: (eb) => eb.ref('excluded.organization_id'), service_id: (eb) => eb.ref('excluded.service_id'),
      location_id: (eb) => eb.ref('excluded.location_id'), import_id: (eb) => eb.ref('excluded.import_id'), imported_at: sql`now()`,
    })).execute();
    for (const k of keep) written.get(k.rec.entity)!.add(k.rec.id);
  };
  /** Writes in slices (multi-row statements), reporting progress after each. */
  const inSlices = async <T>(items: T[], work: (slice: T[]) => Promise<void>) => {
    for (let i = 0; i < items.length; i += SLICE) {
      const slice = items.slice(i, i + SLICE);
      await work(slice);
      done += slice.length;
      opts.onProgress?.(done, total);
    }
  };
  const touch = async (table: 'organizations' | 'offers', ids: string[]) => {
    if (ids.length) await db.updateTable(table).set({ updated_at: sql`now()` }).where(sql<boolean>`id = any(${ids}::uuid[])`).execute();
  };

  await inSlices([...P.organization.values()], async (slice) => {
    const inserts: { id: string; network_id: string; name: string; kind: string }[] = [];
    const keep: Keep[] = [];
    const touched: string[] = [];
    for (const rec of slice) {
      const existing = mine(existingOrgs.get(rec.id));
      const name = str(rec.data.name)!.trim();
      let rowChanged = false;
      if (!existing) inserts.push({ id: rec.id, network_id: network, name, kind: organizationKind(rec.data) });
      else if (existing.name !== name) {
        await db.updateTable('organizations').set({ name, updated_at: sql`now()` }).where('id', '=', rec.id).execute();
        rowChanged = true;
        written.get('organization')!.add(rec.id);
      }
      const record = recordToKeep(rec, {});
      if (record) keep.push(record);
      if (existing && record && !rowChanged) touched.push(rec.id);
      count('organization', !existing ? 'created' : rowChanged || record ? 'changed' : 'unchanged', rec.id, name);
    }
    if (inserts.length) await db.insertInto('organizations').values(inserts).execute();
    await saveRecords(keep);
    await touch('organizations', touched);
  });

  await inSlices([...P.location.values()], async (slice) => {
    const inserts: Record<string, unknown>[] = [];
    const keep: Keep[] = [];
    for (const rec of slice) {
      const plan = sitePlans.get(rec.id);
      const existing = mine(existingSites.get(rec.id));
      let rowChanged = false;
      if (plan) {
        const values = { organization_id: plan.organizationId!, name: plan.name, street: plan.street, postal_code: plan.postal_code, nis_code: plan.nis_code };
        if (!existing) {
          inserts.push({ id: rec.id, ...values });
          rowChanged = true;
        } else if ((Object.keys(values) as (keyof typeof values)[]).some((k) => existing[k] !== values[k])) {
          await db.updateTable('sites').set(values).where('id', '=', rec.id).execute();
          rowChanged = true;
        }
      }
      if (rowChanged) written.get('location')!.add(rec.id);
      const record = recordToKeep(rec, { organization_id: plan?.organizationId ?? (orgKnown(rec.links.organization_id) ? rec.links.organization_id : null) });
      if (record) keep.push(record);
      const isNew = !existing && !existingRecords.has(`location|${rec.id}`);
      count('location', isNew ? 'created' : rowChanged || record ? 'changed' : 'unchanged', rec.id, plan?.name ?? nameOf(rec));
    }
    if (inserts.length) await db.insertInto('sites').values(inserts as never).execute();
    await saveRecords(keep);
  });

  const taken: FieldError[] = [];
  await inSlices([...P.service.values()], async (slice) => {
    const inserts: Record<string, unknown>[] = [];
    const keep: Keep[] = [];
    const touched: string[] = [];
    for (const rec of slice) {
      const plan = offerPlans.get(rec.id)!;
      const existing = mine(existingOffers.get(rec.id));
      const values: OfferValues = { ...plan.values, organization_id: plan.organizationId };
      let rowChanged = false;
      if (!existing) {
        inserts.push({ level: 'basic', capacity: 'open', ...values, id: rec.id, network_id: network, ...(plan.capacityAt ? { capacity_updated_at: plan.capacityAt } : {}) });
        rowChanged = true;
      } else {
        const set: OfferValues = {};
        for (const [column, value] of Object.entries(values)) {
          if (!sameValue(existing[column as keyof typeof existing], value)) set[column] = value;
        }
        const capacityMoved = 'capacity' in set || 'wait_days' in set;
        if (plan.capacityAt && !sameValue(existing.capacity_updated_at, plan.capacityAt)) set.capacity_updated_at = plan.capacityAt;
        else if (capacityMoved) set.capacity_updated_at = sql`now()`;
        if (Object.keys(set).length) {
          await db.updateTable('offers').set({ ...set, updated_at: sql`now()` } as never).where('id', '=', rec.id).execute();
          rowChanged = true;
        }
      }
      if (rowChanged) written.get('service')!.add(rec.id);
      const record = recordToKeep(rec, { organization_id: plan.organizationId, service_id: rec.id });
      if (record) keep.push(record);
      if (existing && record && !rowChanged) touched.push(rec.id);
      count('service', !existing ? 'created' : rowChanged || record ? 'changed' : 'unchanged', rec.id, str(plan.values.name) ?? '');
    }
    if (inserts.length) {
      // an id that row-level security does not show us is an offer of another network: nothing is inserted for it
      const inserted = new Set((await db.insertInto('offers').values(inserts as never).onConflict((oc) => oc.column('id').doNothing()).returning('id').execute()).map((r) => r.id));
      for (const row of inserts) if (!inserted.has(row.id as string)) taken.push({ field: at(P.service.get(row.id as string)!, 'id'), code: 'id-taken' });
    }
    await saveRecords(keep);
    await touch('offers', touched);
  });
  if (taken.length) throw new ImportInvalid(taken);

  // services outside the package gain the sites of their new services at locations
  for (const [serviceId, sites] of sitesOfService) {
    if (offerPlans.has(serviceId)) continue;
    const existing = mine(existingOffers.get(serviceId))!;
    const next = unique([...existing.site_ids, ...sites]);
    if (next.length !== existing.site_ids.length) {
      await db.updateTable('offers').set({ site_ids: next, updated_at: sql`now()` }).where('id', '=', serviceId).execute();
    }
  }

  await inSlices([...P.service_at_location.values()], async (slice) => {
    const keep: Keep[] = [];
    for (const rec of slice) {
      const { service_id: serviceId, location_id: locationId } = rec.links;
      const before = existingRecords.get(`service_at_location|${rec.id}`);
      const record = recordToKeep(rec, { service_id: serviceId ?? null, location_id: locationId ?? null });
      if (record) keep.push(record);
      const newPair = sitesOfService.get(serviceId!)?.includes(locationId!) && !mine(existingOffers.get(serviceId!))?.site_ids.includes(locationId!);
      count('service_at_location', !before ? 'created' : record || newPair ? 'changed' : 'unchanged', rec.id, placeName(serviceId, locationId));
    }
    await saveRecords(keep);
  });

  for (const entity of ['taxonomy', 'taxonomy_term'] as const) {
    await inSlices([...P[entity].values()], async (slice) => {
      const keep: Keep[] = [];
      for (const rec of slice) {
        if ((entity === 'taxonomy' ? skipTaxonomies : skipTerms).has(rec.id)) { count(entity, 'unchanged'); continue; }
        const before = existingRecords.get(`${entity}|${rec.id}`);
        const record = recordToKeep(rec, {});
        if (record) keep.push(record);
        count(entity, !before ? 'created' : record ? 'changed' : 'unchanged', rec.id, nameOf(rec));
      }
      await saveRecords(keep);
    });
  }

  if (!opts.dryRun) await takeSnapshots(tx, written);
  return { dryRun: opts.dryRun, format: pkg.format, created, changed, unchanged, warnings: problems.warnings, records: lists };
}

/** Our rendering of what this import wrote, kept with the records (see export.mapper.ts mergeRecord). */
async function takeSnapshots(tx: Tx, written: Map<TopEntity, Set<string>>) {
  const db = tx.db;
  const network = tx.actor.networkId;
  const r = await newRenderer(db, SNAPSHOT_LANG);
  const snapshots: [TopEntity, string, Json | null][] = [];
  for (const offer of await exportRepo.offersById(db, [...written.get('service')!], false)) snapshots.push(['service', offer.id, r.serviceGen(offer)]);
  for (const org of await exportRepo.organizationsById(db, [...written.get('organization')!], false)) snapshots.push(['organization', org.id, r.orgGen(org)]);
  const sites = new Map((await exportRepo.sitesById(db, [...written.get('location')!])).map((s) => [s.id, s]));
  for (const id of written.get('location')!) snapshots.push(['location', id, sites.has(id) ? r.locationGen(sites.get(id)!) : null]);
  const sals = await hsdsDb(db).selectFrom('hsds_records').select(['id', 'service_id', 'location_id']).where('network_id', '=', network)
    .where('entity_type', '=', 'service_at_location').where(sql<boolean>`id = any(${[...written.get('service_at_location')!]}::uuid[])`).execute();
  const salSites = new Set((await exportRepo.sitesById(db, sals.map((s) => s.location_id!).filter(Boolean))).map((s) => s.id));
  for (const sal of sals) {
    snapshots.push(['service_at_location', sal.id, sal.location_id && salSites.has(sal.location_id) ? compact({ id: sal.id, service_id: sal.service_id, location_id: sal.location_id }) : null]);
  }
  // by entity and id, so that each statement reaches its rows through the primary key
  for (const entity of TOP_ENTITIES) {
    const mine = snapshots.filter(([e]) => e === entity);
    for (let i = 0; i < mine.length; i += SLICE) {
      const slice = mine.slice(i, i + SLICE);
      const values = slice.map(([, id, generated]) => sql`(${id}::uuid, ${generated ? JSON.stringify(generated) : null}::jsonb)`);
      await sql`update hsds_records r set generated = v.generated from (values ${sql.join(values)}) as v(id, generated)
        where r.network_id = ${network}::uuid and r.entity_type = ${entity} and r.id = any(${slice.map(([, id]) => id)}::uuid[]) and r.id = v.id`.execute(db);
    }
  }
}
