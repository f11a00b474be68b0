import type { Kysely } from 'kysely';
import type { DB } from '../../core/db/schema.ts';
import type { Lang } from '../../core/http/messages.ts';
import { searchWords, synonymGroups, wordsTsquery } from '../offers/index.ts';
import { Renderer, type Municipality, type OfferRowOrg, type Shape } from './export.mapper.ts';
import { derivedId } from './ids.ts';
import * as repo from './export.repository.ts';
import type {
  HsdsOrganization,
  HsdsOrganizationPage,
  HsdsService,
  HsdsServiceAtLocation,
  HsdsServiceAtLocationPage,
  HsdsServicePage,
  HsdsTaxonomy,
  HsdsTaxonomyPage,
  HsdsTaxonomyTerm,
  HsdsTaxonomyTermPage,
} from './hsds.schema.ts';
import { KL_TAXONOMIES, loadVocabulary, type KlTerm, type KlVocabulary } from './taxonomies.ts';

/** The HSDS 3.0 export: pages in the shape of the HSDS OpenAPI, objects rendered by export.mapper.ts. */

export const HSDS_VERSION = '3.0';

export interface PageQuery {
  page: number;
  per_page: number;
}
export interface ServiceQuery extends PageQuery {
  search?: string | undefined;
  modified_after?: string | undefined;
  organization_id?: string | undefined;
  taxonomy_term_id?: string | undefined;
  taxonomy_id?: string | undefined;
  full?: boolean | undefined;
  minimal?: boolean | undefined;
}
export interface ServiceAtLocationQuery extends ServiceQuery {
  postcode?: string | undefined;
  proximity?: string | undefined;
}

export function page<T>(contents: T[], total: number, q: PageQuery) {
  const totalPages = Math.ceil(total / q.per_page);
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: q.page,
    size: contents.length,
    first_page: q.page === 1,
    last_page: q.page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** Reference data (municipalities, our vocabulary) changes with a migration or a yearly reload: kept a few minutes. */
const REFERENCE_TTL_MS = 5 * 60_000;
const referenceCache = new WeakMap<object, { at: number; data: Promise<[KlVocabulary, Map<string, Municipality>]> }>();

export async function newRenderer(db: Kysely<DB>, lang: Lang): Promise<Renderer> {
  let cached = referenceCache.get(db);
  if (!cached || Date.now() - cached.at > REFERENCE_TTL_MS) {
    const data = (async () =>
      [await loadVocabulary(db), await repo.municipalities(db)] as [KlVocabulary, Map<string, Municipality>])();
    cached = { at: Date.now(), data };
    referenceCache.set(db, cached);
    data.catch(() => referenceCache.delete(db));
  }
  const [vocab, municipalities] = await cached.data;
  return new Renderer(vocab, lang, municipalities);
}

async function addRecords(db: Kysely<DB>, r: Renderer, entity: string, ids: string[]) {
  const unique = [...new Set(ids)].filter((id) => !r.records.has(`${entity}|${id}`));
  for (const row of await repo.recordsById(db, entity, unique)) {
    if (!r.records.has(`${entity}|${row.id}`)) r.records.set(`${entity}|${row.id}`, row);
  }
}

async function addSites(db: Kysely<DB>, r: Renderer, ids: string[]) {
  const missing = [...new Set(ids)].filter((id) => !r.sites.has(id));
  for (const site of await repo.sitesById(db, missing)) r.sites.set(site.id, site);
}

/** The locations organisations show: their exportable sites, then their imported locations. */
async function loadOrganizationLocations(db: Kysely<DB>, r: Renderer, organizationIds: string[]) {
  const todo = [...new Set(organizationIds)].filter((id) => !r.locationsOf.has(id));
  if (!todo.length) return;
  const sites = await repo.exportableSitesOf(db, todo);
  const records = await repo.locationRecordsOf(db, todo);
  for (const id of todo) r.locationsOf.set(id, []);
  for (const site of sites) {
    r.sites.set(site.id, site);
    r.locationsOf.get(site.organization_id)!.push(site.id);
  }
  for (const rec of records) {
    if (!r.records.has(`location|${rec.id}`)) r.records.set(`location|${rec.id}`, rec);
    const list = r.locationsOf.get(rec.organization_id!)!;
    if (!list.includes(rec.id)) list.push(rec.id);
  }
  await addRecords(
    db,
    r,
    'location',
    sites.map((s) => s.id),
  );
}

/** Everything a page of services needs, in a few set-based queries. */
export async function loadForServices(db: Kysely<DB>, r: Renderer, offers: OfferRowOrg[], shape: Shape) {
  const organizationIds = [...new Set(offers.map((o) => o.organization_id))];
  for (const [id, at] of await repo.modifiedAt(
    db,
    offers.map((o) => o.id).filter((id) => !r.modifiedAt.has(id)),
  ))
    r.modifiedAt.set(id, at);
  for (const org of await repo.organizationsById(
    db,
    organizationIds.filter((id) => !r.orgs.has(id)),
    false,
  ))
    r.orgs.set(org.id, org);
  await addRecords(
    db,
    r,
    'service',
    offers.map((o) => o.id),
  );
  await addRecords(db, r, 'organization', organizationIds);
  if (shape === 'list') return;
  await loadOrganizationLocations(db, r, organizationIds);
  await loadPlaces(db, r, offers);
}

/** Where each service is offered (sites, then imported locations that are not sites of its organisation). */
async function loadPlaces(db: Kysely<DB>, r: Renderer, offers: OfferRowOrg[]) {
  const places = await repo.servicePlaces(
    db,
    offers.map((o) => o.id),
  );
  const recordLocations = places.records.map((rec) => rec.location_id).filter((id): id is string => Boolean(id));
  await addSites(db, r, [...places.sites.map((p) => p.location_id), ...recordLocations]);
  const byId = new Map(offers.map((o) => [o.id, o]));
  for (const o of offers) r.locationsOfService.set(o.id, []);
  for (const p of places.sites) r.locationsOfService.get(p.service_id)?.push(p.location_id);
  for (const rec of places.records) {
    if (!rec.service_id || !rec.location_id) continue;
    const key = `${rec.service_id}|${rec.location_id}`;
    if (!r.salRecords.has(key)) r.salRecords.set(key, rec);
    const offer = byId.get(rec.service_id);
    const site = r.sites.get(rec.location_id);
    // a site of the organisation is shown only while the offer lists it
    if (!offer || (site && site.organization_id === offer.organization_id)) continue;
    const list = r.locationsOfService.get(rec.service_id)!;
    if (!list.includes(rec.location_id)) list.push(rec.location_id);
  }
  await addRecords(db, r, 'location', [...places.sites.map((p) => p.location_id), ...recordLocations]);
}

/** The catalogue's search (its built-in synonyms included: the feed is public) applies to HSDS's `search`. */
async function serviceFilter(db: Kysely<DB>, q: ServiceQuery, ids?: string[]): Promise<repo.ServiceFilter> {
  const words = searchWords(q.search);
  return {
    tsquery: words.length ? wordsTsquery(words, await synonymGroups(db, null)) : null,
    modifiedAfter: q.modified_after,
    organizationId: q.organization_id,
    taxonomyTermId: q.taxonomy_term_id,
    taxonomyId: q.taxonomy_id,
    ...(ids ? { ids } : {}),
  };
}

/**
 * minimal=true: "just service 'id' and 'modified_date'", all in one page if it can. HSDS has no field
 * modified_date; a service's time of change is last_modified. The response is declared as service_list items,
 * which require id, name and status, so those stay: { id, name, status, last_modified }.
 */
async function minimalServices(db: Kysely<DB>, r: Renderer, q: ServiceQuery): Promise<HsdsServicePage> {
  const offset = (q.page - 1) * q.per_page;
  let { rows, total } = await repo.listServicesMinimal(db, await serviceFilter(db, q), r.vocab, q.per_page, offset);
  if (!rows.length && offset > 0)
    total = (await repo.listServicesMinimal(db, await serviceFilter(db, q), r.vocab, 1, 0)).total;
  return page(
    rows.map((s) => ({
      id: s.id,
      name: s.name,
      status: s.active ? ('active' as const) : ('inactive' as const),
      last_modified: s.modified_at.toISOString(),
    })),
    total,
    q,
  );
}

export async function services(db: Kysely<DB>, q: ServiceQuery, lang: Lang): Promise<HsdsServicePage> {
  const r = await newRenderer(db, lang);
  if (q.minimal) return minimalServices(db, r, q);
  const offset = (q.page - 1) * q.per_page;
  let { rows, total } = await repo.listServices(db, await serviceFilter(db, q), r.vocab, q.per_page, offset);
  if (!rows.length && offset > 0)
    total = (await repo.listServices(db, await serviceFilter(db, q), r.vocab, 1, 0)).total;
  const shape: Shape = q.full ? 'full' : 'list';
  await loadForServices(db, r, rows, shape);
  return page(
    rows.map((o) => r.service(o, shape) as HsdsService),
    total,
    q,
  );
}

export async function service(db: Kysely<DB>, id: string, lang: Lang): Promise<HsdsService | undefined> {
  const r = await newRenderer(db, lang);
  const [offer] = await repo.offersById(db, [id], true);
  if (!offer) return undefined;
  await loadForServices(db, r, [offer], 'full');
  return r.service(offer, 'full') as HsdsService;
}

async function loadForOrganizations(
  db: Kysely<DB>,
  r: Renderer,
  organizationIds: string[],
  shape: Shape,
  fullServices: boolean,
) {
  await addRecords(db, r, 'organization', organizationIds);
  if (shape === 'list') return;
  await loadOrganizationLocations(db, r, organizationIds);
  const offers = await repo.publicServicesOf(db, organizationIds);
  for (const o of offers) {
    if (!r.servicesOf.has(o.organization_id)) r.servicesOf.set(o.organization_id, []);
    r.servicesOf.get(o.organization_id)!.push(o);
  }
  await loadForServices(db, r, offers, fullServices ? 'full' : 'list');
}

export async function organizations(
  db: Kysely<DB>,
  q: PageQuery & { search?: string | undefined; full?: boolean | undefined; full_service?: boolean | undefined },
  lang: Lang,
): Promise<HsdsOrganizationPage> {
  const r = await newRenderer(db, lang);
  const offset = (q.page - 1) * q.per_page;
  let { rows, total } = await repo.listOrganizations(db, q.search, q.per_page, offset);
  if (!rows.length && offset > 0) total = (await repo.listOrganizations(db, q.search, 1, 0)).total;
  for (const org of rows) r.orgs.set(org.id, org);
  const shape: Shape = q.full ? 'full' : 'list';
  await loadForOrganizations(
    db,
    r,
    rows.map((o) => o.id),
    shape,
    Boolean(q.full_service),
  );
  return page(
    rows.map((org) => organizationOut(r, org.id, shape, Boolean(q.full_service))),
    total,
    q,
  );
}

function organizationOut(r: Renderer, id: string, shape: Shape, fullServices: boolean): HsdsOrganization {
  const org = r.orgs.get(id)!;
  const out = r.organization(org, shape);
  if (shape === 'full' && fullServices) out.services = (r.servicesOf.get(id) ?? []).map((s) => r.service(s, 'full'));
  return out as HsdsOrganization;
}

export async function organization(
  db: Kysely<DB>,
  id: string,
  fullServices: boolean,
  lang: Lang,
): Promise<HsdsOrganization | undefined> {
  const r = await newRenderer(db, lang);
  const [org] = await repo.organizationsById(db, [id], true);
  if (!org) return undefined;
  r.orgs.set(org.id, org);
  await loadForOrganizations(db, r, [org.id], 'full', fullServices);
  return organizationOut(r, org.id, 'full', fullServices);
}

/** A postcode as compared: upper case, without spaces. */
const normalPostcode = (code: string) => code.toUpperCase().replace(/\s+/g, '');

/**
 * Services at locations. postcode: see repo.ServiceFilter.postcode. proximity ("within meters from the centroid
 * of the provided postcode") is accepted and not applied: Korte Lijn knows no coordinates of postcodes or sites.
 */
export async function serviceAtLocations(
  db: Kysely<DB>,
  q: ServiceAtLocationQuery,
  lang: Lang,
): Promise<HsdsServiceAtLocationPage> {
  const r = await newRenderer(db, lang);
  const offset = (q.page - 1) * q.per_page;
  const filter = await serviceFilter(db, q);
  if (q.postcode !== undefined) {
    const code = normalPostcode(q.postcode);
    filter.postcode = { code, municipalities: await repo.municipalitiesOfPostcode(db, code) };
  }
  let { rows, total } = await repo.listServiceAtLocations(db, filter, r.vocab, q.per_page, offset);
  if (!rows.length && offset > 0) total = (await repo.listServiceAtLocations(db, filter, r.vocab, 1, 0)).total;
  return page(await renderPlaces(db, r, rows, q.full ? 'full' : 'list'), total, q);
}

async function renderPlaces(
  db: Kysely<DB>,
  r: Renderer,
  rows: { service_id: string; location_id: string }[],
  shape: Shape,
): Promise<HsdsServiceAtLocation[]> {
  const offers = await repo.offersById(db, [...new Set(rows.map((p) => p.service_id))], true);
  await loadForServices(db, r, offers, 'list');
  await loadPlaces(db, r, offers);
  const byId = new Map(offers.map((o) => [o.id, o]));
  return rows.flatMap((p) => {
    const offer = byId.get(p.service_id);
    return offer ? [r.serviceAtLocation(offer, p.location_id, shape) as HsdsServiceAtLocation] : [];
  });
}

// --- one service at location by id ---

/**
 * The id of a service at location is the imported record's, or derived from its service and site
 * (ids.ts derivedId), which SQL cannot compute. So an index of the derived ids of public offer × site pairs is
 * kept per database: an id not in it first looks at the offers (and organisations) changed lately, through the
 * updated_at indexes; an index older than REBUILD_MS is rebuilt instead. Whatever the index says is checked
 * against the listing itself, so a pair that is no longer public is 404.
 */
const REBUILD_MS = 5_000;
/** How far back "changed lately" looks before the index was built: a transaction commits after its now(). */
const RECENT_MARGIN_MS = 10 * 60_000;
type Pair = { service_id: string; location_id: string };
interface PairIndex {
  at: number;
  pairs: Map<string, Pair>;
}
const pairIndexes = new WeakMap<object, PairIndex>();
const rebuilding = new WeakMap<object, Promise<PairIndex>>();

const pairId = (p: Pair) => derivedId('service-at-location', p.service_id, p.location_id);

async function buildPairIndex(db: Kysely<DB>): Promise<PairIndex> {
  const at = Date.now();
  const pairs = new Map<string, Pair>();
  for (const p of await repo.publicSitePairs(db)) pairs.set(pairId(p), p);
  return { at, pairs };
}

async function derivedPair(db: Kysely<DB>, id: string): Promise<Pair | undefined> {
  const index = pairIndexes.get(db);
  const found = index?.pairs.get(id);
  if (found) return found;
  if (index && Date.now() - index.at < REBUILD_MS) {
    for (const p of await repo.publicSitePairs(db, new Date(index.at - RECENT_MARGIN_MS)))
      index.pairs.set(pairId(p), p);
    return index.pairs.get(id);
  }
  let building = rebuilding.get(db);
  if (!building) {
    // one rebuild at a time per database; whoever asks meanwhile waits for it
    building = buildPairIndex(db)
      .then((built) => {
        pairIndexes.set(db, built);
        return built;
      })
      .finally(() => rebuilding.delete(db));
    rebuilding.set(db, building);
  }
  return (await building).pairs.get(id);
}

/** GET /service_at_locations/{id}: the service at location fully nested (its location in full, its service's one-to-one fields). */
export async function serviceAtLocation(
  db: Kysely<DB>,
  id: string,
  lang: Lang,
): Promise<HsdsServiceAtLocation | undefined> {
  const r = await newRenderer(db, lang);
  const pair = (await repo.salRecordPair(db, id)) ?? (await derivedPair(db, id));
  if (!pair) return undefined;
  const { rows } = await repo.listServiceAtLocations(
    db,
    { tsquery: null, serviceId: pair.service_id },
    r.vocab,
    1,
    0,
    pair.location_id,
  );
  const [out] = await renderPlaces(db, r, rows, 'full');
  // a pair shown under another id (a site's service at location that was also imported keeps the imported id)
  return out && out.id === id ? out : undefined;
}

// --- taxonomies ---

function matches(search: string | undefined, ...texts: string[]) {
  if (!search?.trim()) return true;
  const needle = fold(search.trim());
  return texts.some((t) => fold(t).includes(needle));
}

/** Our entries first, then the imported ones, as one paged list. */
async function concatenated<T>(
  ours: T[],
  q: PageQuery,
  records: (limit: number, offset: number) => Promise<{ rows: T[]; total: number }>,
) {
  const offset = (q.page - 1) * q.per_page;
  const mine = ours.slice(offset, offset + q.per_page);
  const recordOffset = Math.max(0, offset - ours.length);
  const room = q.per_page - mine.length;
  let { rows, total } = await records(Math.max(room, 1), recordOffset);
  if (!rows.length && recordOffset > 0) total = (await records(1, 0)).total;
  return page([...mine, ...(room > 0 ? rows : [])], ours.length + total, q);
}

export async function taxonomies(
  db: Kysely<DB>,
  q: PageQuery & { search?: string | undefined },
  lang: Lang,
): Promise<HsdsTaxonomyPage> {
  const r = await newRenderer(db, lang);
  const ours = KL_TAXONOMIES.map((t) => r.taxonomy(t) as HsdsTaxonomy).filter((t) =>
    matches(q.search, String(t.name), String(t.description)),
  );
  return concatenated(ours, q, async (limit, offset) => {
    const { rows, total } = await repo.taxonomyRecords(db, 'taxonomy', { search: q.search }, limit, offset);
    return { rows: rows.map((row) => row.data as HsdsTaxonomy), total };
  });
}

export async function taxonomy(db: Kysely<DB>, id: string, lang: Lang): Promise<HsdsTaxonomy | undefined> {
  const ours = KL_TAXONOMIES.find((t) => t.id === id);
  if (ours) return (await newRenderer(db, lang)).taxonomy(ours) as HsdsTaxonomy;
  return (await repo.taxonomyRecordById(db, 'taxonomy', id))?.data as HsdsTaxonomy | undefined;
}

export interface TermQuery extends PageQuery {
  search?: string | undefined;
  taxonomy_id?: string | undefined;
  parent_id?: string | undefined;
  top_only?: boolean | undefined;
}

export async function taxonomyTerms(db: Kysely<DB>, q: TermQuery, lang: Lang): Promise<HsdsTaxonomyTermPage> {
  const r = await newRenderer(db, lang);
  const taxonomyKey = q.taxonomy_id ? (KL_TAXONOMIES.find((t) => t.id === q.taxonomy_id)?.key ?? null) : undefined;
  const parent = q.parent_id ? r.vocab.term(q.parent_id) : undefined;
  const ours = r.vocab.terms
    .filter(
      (t: KlTerm) =>
        (taxonomyKey === undefined || t.key === taxonomyKey) &&
        (!q.parent_id || (parent !== undefined && t.key === parent.key && t.parentValue === parent.value)) &&
        (!q.top_only || !t.parentValue) &&
        matches(q.search, t.labelNl, t.labelEn, t.code),
    )
    .map((t) => r.term(t) as HsdsTaxonomyTerm);
  const foreignTaxonomy = taxonomyKey === undefined || taxonomyKey === null;
  return concatenated(ours, q, async (limit, offset) => {
    if (!foreignTaxonomy || (q.parent_id && parent)) return { rows: [], total: 0 };
    const { rows, total } = await repo.taxonomyRecords(
      db,
      'taxonomy_term',
      { search: q.search, taxonomyId: q.taxonomy_id, parentId: q.parent_id, topOnly: q.top_only },
      limit,
      offset,
    );
    return { rows: rows.map((row) => row.data as HsdsTaxonomyTerm), total };
  });
}

export async function taxonomyTerm(db: Kysely<DB>, id: string, lang: Lang): Promise<HsdsTaxonomyTerm | undefined> {
  const r = await newRenderer(db, lang);
  const ours = r.vocab.term(id);
  if (ours) return r.term(ours) as HsdsTaxonomyTerm;
  return (await repo.taxonomyRecordById(db, 'taxonomy_term', id))?.data as HsdsTaxonomyTerm | undefined;
}
