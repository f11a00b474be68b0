import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { DB, OfferRow } from '../../db/schema.ts';

export const STALE_DAYS = 14;

export interface OfferFilter {
  tsquery: string | null;
  themes?: string[] | undefined;
  categories?: string[] | undefined;
  age?: number | undefined;
  municipality?: string | undefined;
  zone?: string | undefined;
  levels?: string[] | undefined;
  modalities?: string[] | undefined;
  languages?: string[] | undefined;
  selfReferral?: boolean | undefined;
  capacities?: string[] | undefined;
  maxWaitDays?: number | undefined;
  organizationId?: string | undefined;
  /** the logged-in network (internal search), or null for the public listing */
  networkId: string | null;
}

type OfferQuery = SelectQueryBuilder<DB, 'offers', object>;

/** The WHERE of a catalogue search; `except` leaves one filter out (for that facet's counts). */
function applyFilter(query: OfferQuery, f: OfferFilter, except?: 'theme' | 'level' | 'modality' | 'capacity' | 'language'): OfferQuery {
  let q = query.where('offers.active', '=', true);
  q = f.networkId ? q.where('offers.network_id', '=', f.networkId) : q.where('offers.is_public', '=', true);
  if (f.tsquery) q = q.where(sql<boolean>`offers.search_vector @@ to_tsquery('dutch', ${f.tsquery})`);
  if (f.themes?.length && except !== 'theme') q = q.where(sql<boolean>`offers.themes && ${f.themes}::text[]`);
  if (f.categories?.length) q = q.where('offers.category_id', 'in', f.categories);
  if (f.age !== undefined) q = q.where(sql<boolean>`coalesce(offers.min_age, 0) <= ${f.age} and coalesce(offers.max_age, 120) >= ${f.age}`);
  if (f.municipality) q = q.where(sql<boolean>`offers.municipalities @> array[${f.municipality}]::text[]`);
  if (f.zone) q = q.where(sql<boolean>`offers.municipalities && array(select nis_code from network_municipalities where network_id = ${f.zone})`);
  if (f.levels?.length && except !== 'level') q = q.where('offers.level', 'in', f.levels);
  if (f.modalities?.length && except !== 'modality') q = q.where(sql<boolean>`offers.modalities && ${f.modalities}::text[]`);
  if (f.languages?.length && except !== 'language') q = q.where(sql<boolean>`offers.languages && ${f.languages}::text[]`);
  if (f.selfReferral !== undefined) q = q.where('offers.self_referral', '=', f.selfReferral);
  if (f.capacities?.length && except !== 'capacity') q = q.where('offers.capacity', 'in', f.capacities);
  if (f.maxWaitDays !== undefined) q = q.where(sql<boolean>`coalesce(offers.wait_days, 0) <= ${f.maxWaitDays}`).where('offers.capacity', '<>', 'full');
  if (f.organizationId) q = q.where('offers.organization_id', '=', f.organizationId);
  return q;
}

export type OfferWithOrg = OfferRow & { organization_name: string };

export async function searchOffers(db: Kysely<DB>, f: OfferFilter, sort: 'relevance' | 'wait', limit: number, offset: number) {
  let query = applyFilter(db.selectFrom('offers') as OfferQuery, f)
    .innerJoin('organizations as o', 'o.id', 'offers.organization_id')
    .selectAll('offers')
    .select(['o.name as organization_name', sql<number>`count(*) over ()`.as('total_count')]);
  if (sort === 'wait') {
    query = query.orderBy(sql`case offers.capacity when 'open' then 0 when 'assessment' then 1 when 'waitlist' then 2 else 3 end`).orderBy(sql`coalesce(offers.wait_days, 0)`);
  } else if (f.tsquery) {
    query = query.orderBy(sql`ts_rank_cd(offers.search_vector, to_tsquery('dutch', ${f.tsquery}))`, 'desc');
  }
  const rows = await query.orderBy('offers.name').orderBy('offers.id').limit(limit).offset(offset).execute();
  let total = rows.length ? Number((rows[0] as { total_count: number }).total_count) : 0;
  // a page past the end has no row to carry the total: count separately (rare)
  if (!rows.length && offset > 0) {
    total = Number((await applyFilter(db.selectFrom('offers') as OfferQuery, f).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  }
  return { rows: rows as unknown as OfferWithOrg[], total };
}

/** Counts per value of each facet, each computed without its own filter (so other values stay visible). */
export async function facetCounts(db: Kysely<DB>, f: OfferFilter) {
  const arrayFacet = (column: 'themes' | 'modalities' | 'languages', facet: 'theme' | 'modality' | 'language') =>
    applyFilter(db.selectFrom('offers') as OfferQuery, f, facet)
      .select([sql<string>`unnest(offers.${sql.ref(column)})`.as('value'), sql<number>`count(*)::int`.as('count')])
      .groupBy('value');
  const scalarFacet = (column: 'level' | 'capacity') =>
    applyFilter(db.selectFrom('offers') as OfferQuery, f, column)
      .select([sql<string>`offers.${sql.ref(column)}`.as('value'), sql<number>`count(*)::int`.as('count')])
      .groupBy('value');
  const [theme, level, modality, capacity, language] = await Promise.all([
    arrayFacet('themes', 'theme').execute(), scalarFacet('level').execute(), arrayFacet('modalities', 'modality').execute(),
    scalarFacet('capacity').execute(), arrayFacet('languages', 'language').execute(),
  ]);
  const sorted = (rows: { value: string; count: number }[]) => rows.map((r) => ({ value: r.value, count: Number(r.count) })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return { theme: sorted(theme), level: sorted(level), modality: sorted(modality), capacity: sorted(capacity), language: sorted(language) };
}

export async function findOffer(db: Kysely<DB>, id: string, networkId: string | null): Promise<OfferWithOrg | undefined> {
  let query = db.selectFrom('offers').innerJoin('organizations as o', 'o.id', 'offers.organization_id').selectAll('offers').select('o.name as organization_name').where('offers.id', '=', id);
  query = networkId ? query.where('offers.network_id', '=', networkId) : query.where('offers.is_public', '=', true).where('offers.active', '=', true);
  return query.executeTakeFirst() as Promise<OfferWithOrg | undefined>;
}

export async function staleOffers(db: Kysely<DB>, networkId: string) {
  return db.selectFrom('offers').innerJoin('organizations as o', 'o.id', 'offers.organization_id')
    .selectAll('offers').select('o.name as organization_name')
    .where('offers.network_id', '=', networkId).where('offers.active', '=', true)
    .where(sql<boolean>`offers.capacity_updated_at < now() - make_interval(days => ${STALE_DAYS})`)
    .orderBy('offers.capacity_updated_at').limit(500).execute() as Promise<OfferWithOrg[]>;
}

export async function unknownTerms(db: Kysely<DB>, taxonomy: 'theme' | 'category', ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const found = await db.selectFrom('taxonomy_terms').select('id').where('taxonomy', '=', taxonomy).where('id', 'in', ids).execute();
  const known = new Set(found.map((r) => r.id));
  return new Set(ids.filter((id) => !known.has(id)));
}

export async function unknownMunicipalities(db: Kysely<DB>, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const found = await db.selectFrom('municipalities').select('nis_code').where('nis_code', 'in', codes).execute();
  const known = new Set(found.map((r) => r.nis_code));
  return new Set(codes.filter((c) => !known.has(c)));
}
