import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../core/db/schema.ts';
import { foldedPattern } from '../../core/db/like.ts';
import { hsdsDb, type RecordRow } from './hsds.db.ts';
import type { Municipality, OfferRowOrg, OrgRow, SiteRow } from './export.mapper.ts';
import { KL_TAXONOMIES, type KlTerm, type KlVocabulary } from './taxonomies.ts';

/** The SQL of the export. Every query reads through the application role: RLS shows the public catalogue. */

export interface ServiceFilter {
  /** the catalogue search's tsquery: the words with the built-in synonyms (offers' wordsTsquery) */
  tsquery: string | null;
  modifiedAfter?: string | undefined;
  organizationId?: string | undefined;
  taxonomyTermId?: string | undefined;
  taxonomyId?: string | undefined;
  /** the ids of one page (the import's own rendering); otherwise only public, active services */
  ids?: string[];
  /** one service (a service at location by id) */
  serviceId?: string | undefined;
  /**
   * Services at locations covering a postcode (normalised: upper case, no spaces): a service with a service area
   * covers it when one of its municipalities is one where the postcode occurs in a known address; a service without
   * a service area, when the location's address has the postcode.
   */
  postcode?: { code: string; municipalities: string[] } | undefined;
}

/** A postcode as compared: upper case, without spaces. */
/** A postcode as compared, the same rule as the query's (export.service normalPostcode): upper case, no white space. */
const normalisedPostcode = (column: RawBuilder<unknown>) =>
  sql`upper(regexp_replace(${column}, '[[:space:]]', '', 'g'))`;

/**
 * Changed on or after a moment: the offer, its organisation, one of the organisation's sites or imported locations
 * (the nested organisation shows them), or one of its imported services at locations or their locations.
 * Set-based, so that a modified_after filter does not run subqueries per offer. `o` is the offer's organisation.
 */
function modifiedSince(at: string): RawBuilder<boolean> {
  return sql<boolean>`(offers.updated_at >= ${at}::timestamptz or o.updated_at >= ${at}::timestamptz
    or offers.organization_id in (select s.organization_id from sites s where s.updated_at >= ${at}::timestamptz)
    or offers.organization_id in (select l.organization_id from hsds_records l
      where l.entity_type = 'location' and l.organization_id is not null and l.imported_at >= ${at}::timestamptz)
    or offers.id in (select r.service_id from hsds_records r left join hsds_records l on l.entity_type = 'location' and l.id = r.location_id
      where r.entity_type = 'service_at_location' and r.service_id is not null and (r.imported_at >= ${at}::timestamptz or l.imported_at >= ${at}::timestamptz)))`;
}

/** When each service last changed, by the same rule as modifiedSince (HSDS last_modified: the service "or any related information"). */
export async function modifiedAt(db: Kysely<DB>, ids: string[]): Promise<Map<string, Date>> {
  if (!ids.length) return new Map();
  const result = await sql<{ id: string; modified_at: Date }>`
    select offers.id, greatest(offers.updated_at, o.updated_at, s.at, l.at, r.at) as modified_at
      from offers join organizations o on o.id = offers.organization_id
      left join lateral (select max(s.updated_at) as at from sites s where s.organization_id = offers.organization_id) s on true
      left join lateral (select max(l.imported_at) as at from hsds_records l where l.entity_type = 'location' and l.organization_id = offers.organization_id) l on true
      left join lateral (select max(greatest(r.imported_at, l.imported_at)) as at from hsds_records r
        left join hsds_records l on l.entity_type = 'location' and l.id = r.location_id
        where r.entity_type = 'service_at_location' and r.service_id = offers.id) r on true
      where offers.id = any(${ids}::uuid[])`.execute(db);
  return new Map(result.rows.map((row) => [row.id, new Date(row.modified_at)]));
}

function termCondition(term: KlTerm): RawBuilder<boolean> {
  switch (term.key) {
    case 'theme':
      return sql<boolean>`offers.themes @> array[${term.value}]::text[]`;
    case 'category':
      return sql<boolean>`offers.category_id = ${term.value}`;
    case 'level':
      return sql<boolean>`offers.level = ${term.value}`;
    case 'capacity':
      return sql<boolean>`offers.capacity = ${term.value}`;
    case 'modality':
      return sql<boolean>`offers.modalities @> array[${term.value}]::text[]`;
    case 'target-group':
      return sql<boolean>`offers.target_groups @> array[${term.value}]::text[]`;
    case 'cost':
      return sql<boolean>`offers.cost = ${term.value}`;
  }
}

function taxonomyCondition(key: KlTerm['key']): RawBuilder<boolean> {
  switch (key) {
    case 'theme':
      return sql<boolean>`cardinality(offers.themes) > 0`;
    case 'category':
      return sql<boolean>`offers.category_id is not null`;
    case 'modality':
      return sql<boolean>`cardinality(offers.modalities) > 0`;
    case 'target-group':
      return sql<boolean>`cardinality(offers.target_groups) > 0`;
    case 'capacity':
    case 'cost':
    case 'level':
      return sql<boolean>`true`;
  }
}

/** The WHERE of the service and service-at-location listings, on `offers`. */
function serviceWhere(f: ServiceFilter, vocab: KlVocabulary): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [sql`offers.is_public and offers.active and o.active`];
  if (f.tsquery) parts.push(sql`offers.search_vector @@ to_tsquery('dutch', ${f.tsquery})`);
  if (f.modifiedAfter) parts.push(modifiedSince(f.modifiedAfter));
  if (f.organizationId) parts.push(sql`offers.organization_id = ${f.organizationId}::uuid`);
  if (f.serviceId) parts.push(sql`offers.id = ${f.serviceId}::uuid`);
  if (f.taxonomyTermId) {
    const ours = vocab.term(f.taxonomyTermId);
    parts.push(
      ours
        ? termCondition(ours)
        : sql`exists (select 1 from hsds_records r where r.entity_type = 'service' and r.id = offers.id
      and jsonb_path_exists(r.data, '$.attributes[*] ? (@.taxonomy_term_id == $t || @.taxonomy_term.id == $t)', jsonb_build_object('t', ${f.taxonomyTermId}::text)))`,
    );
  }
  if (f.taxonomyId) {
    const ours = KL_TAXONOMIES.find((t) => t.id === f.taxonomyId!.toLowerCase());
    parts.push(
      ours
        ? taxonomyCondition(ours.key)
        : sql`exists (select 1 from hsds_records r where r.entity_type = 'service' and r.id = offers.id
      and (jsonb_path_exists(r.data, '$.attributes[*] ? (@.taxonomy_term.taxonomy_id == $t || @.taxonomy_term.taxonomy_detail.id == $t)', jsonb_build_object('t', ${f.taxonomyId}::text))
        or exists (select 1 from hsds_records t where t.entity_type = 'taxonomy_term' and t.data->>'taxonomy_id' = ${f.taxonomyId}
          and jsonb_path_exists(r.data, '$.attributes[*] ? (@.taxonomy_term_id == $t)', jsonb_build_object('t', t.id::text)))))`,
    );
  }
  return sql<boolean>`${sql.join(parts, sql` and `)}`;
}

/** The minimal listing: id, name, status and the time of the last change of each service, in few bytes. */
export async function listServicesMinimal(
  db: Kysely<DB>,
  f: ServiceFilter,
  vocab: KlVocabulary,
  limit: number,
  offset: number,
) {
  const rows = await db
    .selectFrom('offers')
    .innerJoin('organizations as o', 'o.id', 'offers.organization_id')
    .select(['offers.id', 'offers.name', 'offers.active', sql<string>`count(*) over ()`.as('total_count')])
    .where(serviceWhere(f, vocab))
    .orderBy('offers.name')
    .orderBy('offers.id')
    .limit(limit)
    .offset(offset)
    .execute();
  const modified = await modifiedAt(
    db,
    rows.map((r) => r.id),
  );
  return {
    rows: rows.map((r) => ({ id: r.id, name: r.name, active: r.active, modified_at: modified.get(r.id)! })),
    total: rows.length ? Number(rows[0]!.total_count) : 0,
  };
}

export async function listServices(
  db: Kysely<DB>,
  f: ServiceFilter,
  vocab: KlVocabulary,
  limit: number,
  offset: number,
) {
  const rows = await db
    .selectFrom('offers')
    .innerJoin('organizations as o', 'o.id', 'offers.organization_id')
    .selectAll('offers')
    .select(['o.name as organization_name', sql<string>`count(*) over ()`.as('total_count')])
    .where(serviceWhere(f, vocab))
    .orderBy('offers.name')
    .orderBy('offers.id')
    .limit(limit)
    .offset(offset)
    .execute();
  return {
    rows: rows as unknown as OfferRowOrg[],
    total: rows.length ? Number((rows[0] as { total_count: string }).total_count) : 0,
  };
}

/** Offers by id: public ones for the export; within an import, the network's own too (RLS decides). */
export async function offersById(db: Kysely<DB>, ids: string[], publicOnly: boolean): Promise<OfferRowOrg[]> {
  if (!ids.length) return [];
  let q = db
    .selectFrom('offers')
    .innerJoin('organizations as o', 'o.id', 'offers.organization_id')
    .selectAll('offers')
    .select('o.name as organization_name')
    .where(sql<boolean>`offers.id = any(${ids}::uuid[])`);
  if (publicOnly) q = q.where(sql<boolean>`offers.is_public and offers.active and o.active`);
  return q.execute();
}

export async function publicServicesOf(db: Kysely<DB>, organizationIds: string[]): Promise<OfferRowOrg[]> {
  if (!organizationIds.length) return [];
  return db
    .selectFrom('offers')
    .innerJoin('organizations as o', 'o.id', 'offers.organization_id')
    .selectAll('offers')
    .select('o.name as organization_name')
    .where(
      sql<boolean>`offers.organization_id = any(${organizationIds}::uuid[]) and offers.is_public and offers.active`,
    )
    .orderBy('offers.name')
    .orderBy('offers.id')
    .execute();
}

export async function listOrganizations(db: Kysely<DB>, search: string | undefined, limit: number, offset: number) {
  // the public feed names only organisations that publish something: the network's membership is not public
  let q = db
    .selectFrom('organizations')
    .select([
      'id',
      'network_id',
      'name',
      'kind',
      'active',
      'updated_at',
      sql<string>`count(*) over ()`.as('total_count'),
    ])
    .where('active', '=', true)
    .where(
      sql<boolean>`exists (select 1 from offers where offers.organization_id = organizations.id and offers.is_public and offers.active)`,
    );
  if (search?.trim()) q = q.where(sql<boolean>`kl_fold(name) like ${foldedPattern(search.trim())}`);
  const rows = await q.orderBy('name').orderBy('id').limit(limit).offset(offset).execute();
  return { rows: rows as OrgRow[], total: rows.length ? Number(rows[0]!.total_count) : 0 };
}

export async function organizationsById(db: Kysely<DB>, ids: string[], activeOnly: boolean): Promise<OrgRow[]> {
  if (!ids.length) return [];
  let q = db
    .selectFrom('organizations')
    .select(['id', 'network_id', 'name', 'kind', 'active', 'updated_at'])
    .where(sql<boolean>`id = any(${ids}::uuid[])`);
  if (activeOnly) q = q.where('active', '=', true);
  return q.execute();
}

export async function sitesById(db: Kysely<DB>, ids: string[]): Promise<SiteRow[]> {
  if (!ids.length) return [];
  return db
    .selectFrom('sites')
    .select(['id', 'organization_id', 'name', 'street', 'postal_code', 'nis_code'])
    .where(sql<boolean>`id = any(${ids}::uuid[])`)
    .execute();
}

/** The sites of organisations that the export shows: used by a public offer, or imported from HSDS. */
export async function exportableSitesOf(db: Kysely<DB>, organizationIds: string[]): Promise<SiteRow[]> {
  if (!organizationIds.length) return [];
  return db
    .selectFrom('sites as s')
    .select(['s.id', 's.organization_id', 's.name', 's.street', 's.postal_code', 's.nis_code'])
    .where(
      sql<boolean>`s.organization_id = any(${organizationIds}::uuid[]) and (
      exists (select 1 from offers o where o.organization_id = s.organization_id and o.is_public and o.active and s.id = any(o.site_ids))
      or exists (select 1 from hsds_records r where r.entity_type = 'location' and r.id = s.id))`,
    )
    .orderBy('s.name')
    .orderBy('s.id')
    .execute();
}

export async function recordsById(db: Kysely<DB>, entity: string, ids: string[]): Promise<RecordRow[]> {
  if (!ids.length) return [];
  // an id imported by several networks (a shared taxonomy): the latest import
  return hsdsDb(db)
    .selectFrom('hsds_records')
    .selectAll()
    .where('entity_type', '=', entity)
    .where(sql<boolean>`id = any(${ids}::uuid[])`)
    .orderBy('imported_at', 'desc')
    .execute();
}

export async function locationRecordsOf(db: Kysely<DB>, organizationIds: string[]): Promise<RecordRow[]> {
  if (!organizationIds.length) return [];
  return hsdsDb(db)
    .selectFrom('hsds_records')
    .selectAll()
    .where('entity_type', '=', 'location')
    .where(sql<boolean>`organization_id = any(${organizationIds}::uuid[])`)
    .orderBy('imported_at', 'desc')
    .execute();
}

/**
 * Where services are offered: their sites (in the order of the offer) and the imported services-at-location
 * whose location is not one of the organisation's sites (a site taken off the offer is not shown again).
 */
export async function servicePlaces(db: Kysely<DB>, serviceIds: string[]) {
  if (!serviceIds.length)
    return { sites: [] as { service_id: string; location_id: string }[], records: [] as RecordRow[] };
  const sites = await sql<{ service_id: string; location_id: string }>`
    select o.id as service_id, s.id as location_id from offers o cross join lateral unnest(o.site_ids) with ordinality as u(site_id, n)
      join sites s on s.id = u.site_id where o.id = any(${serviceIds}::uuid[]) order by o.id, u.n`.execute(db);
  const records = await hsdsDb(db)
    .selectFrom('hsds_records as r')
    .innerJoin('offers as o', 'o.id', 'r.service_id')
    .selectAll('r')
    .where('r.entity_type', '=', 'service_at_location')
    .where(sql<boolean>`r.service_id = any(${serviceIds}::uuid[])`)
    .orderBy('r.imported_at')
    .orderBy('r.id')
    .execute();
  return { sites: sites.rows, records };
}

/** The municipalities a postcode occurs in, after the addresses Korte Lijn knows (the sites; imported Belgian locations are sites). */
export async function municipalitiesOfPostcode(db: Kysely<DB>, code: string): Promise<string[]> {
  const rows = await sql<{
    nis_code: string;
  }>`select distinct nis_code from sites where ${normalisedPostcode(sql.ref('postal_code'))} = ${code} order by nis_code`.execute(
    db,
  );
  return rows.rows.map((r) => r.nis_code);
}

/** Whether the service of a place covers the postcode (see ServiceFilter.postcode); `addressHasPostcode` tests the location. */
function coversPostcode(
  p: NonNullable<ServiceFilter['postcode']>,
  addressHasPostcode: RawBuilder<boolean>,
): RawBuilder<boolean> {
  return sql<boolean>`(case when cardinality(offers.municipalities) > 0 then offers.municipalities && ${p.municipalities}::text[] else ${addressHasPostcode} end)`;
}

export async function listServiceAtLocations(
  db: Kysely<DB>,
  f: ServiceFilter,
  vocab: KlVocabulary,
  limit: number,
  offset: number,
  locationId?: string,
) {
  const where = serviceWhere(f, vocab);
  const p = f.postcode;
  const atSite = p
    ? coversPostcode(p, sql<boolean>`${normalisedPostcode(sql.ref('s.postal_code'))} = ${p.code}`)
    : sql<boolean>`true`;
  const atRecord = p
    ? coversPostcode(
        p,
        sql<boolean>`(exists (select 1 from sites s2 where s2.id = r.location_id and ${normalisedPostcode(sql.ref('s2.postal_code'))} = ${p.code})
    or exists (select 1 from hsds_records l cross join lateral jsonb_array_elements(case when jsonb_typeof(l.data->'addresses') = 'array' then l.data->'addresses' else '[]'::jsonb end) as a(address)
      where l.entity_type = 'location' and l.id = r.location_id and ${normalisedPostcode(sql`a.address->>'postal_code'`)} = ${p.code}))`,
      )
    : sql<boolean>`true`;
  const result = await sql<{ service_id: string; location_id: string; total_count: string }>`
    with places as (
      select offers.id as service_id, s.id as location_id, offers.name as service_name
        from offers join organizations o on o.id = offers.organization_id
        cross join lateral unnest(offers.site_ids) as u(site_id) join sites s on s.id = u.site_id
        where ${where} and ${atSite}
      union
      select offers.id, r.location_id, offers.name
        from hsds_records r join offers on offers.id = r.service_id join organizations o on o.id = offers.organization_id
        where r.entity_type = 'service_at_location' and r.location_id is not null and ${where} and ${atRecord}
          and not exists (select 1 from sites s where s.id = r.location_id and s.organization_id = offers.organization_id))
    select service_id, location_id, count(*) over () as total_count from places
      ${locationId ? sql`where location_id = ${locationId}::uuid` : sql``}
      order by service_name, service_id, location_id limit ${limit} offset ${offset}`.execute(db);
  return { rows: result.rows, total: result.rows.length ? Number(result.rows[0]!.total_count) : 0 };
}

/** The service and location of an imported service at location (readable while its service is public). */
export async function salRecordPair(db: Kysely<DB>, id: string) {
  return hsdsDb(db)
    .selectFrom('hsds_records')
    .select(['service_id', 'location_id'])
    .where('entity_type', '=', 'service_at_location')
    .where('id', '=', id)
    .where('service_id', 'is not', null)
    .where('location_id', 'is not', null)
    .orderBy('imported_at', 'desc')
    .executeTakeFirst() as Promise<{ service_id: string; location_id: string } | undefined>;
}

/**
 * Every pair of a public, active offer and one of its sites: the services at locations whose id Korte Lijn derives.
 * `since`: only the offers changed since then, or of an organisation changed since then (through the indexes).
 */
export async function publicSitePairs(db: Kysely<DB>, since?: Date) {
  const pairs = (recent: RawBuilder<boolean>) => sql<{ service_id: string; location_id: string }>`
    select offers.id as service_id, u.site_id as location_id
      from offers join organizations o on o.id = offers.organization_id cross join lateral unnest(offers.site_ids) as u(site_id)
      where offers.is_public and offers.active and o.active and ${recent}`;
  const query = since
    ? sql<{
        service_id: string;
        location_id: string;
      }>`${pairs(sql<boolean>`offers.updated_at >= ${since}`)} union ${pairs(sql<boolean>`o.updated_at >= ${since}`)}`
    : pairs(sql<boolean>`true`);
  return (await query.execute(db)).rows;
}

export async function municipalities(db: Kysely<DB>): Promise<Map<string, Municipality>> {
  const rows = await db
    .selectFrom('municipalities')
    .select(['nis_code', 'name_nl', 'name_fr', 'province_nl', 'region_nis'])
    .execute();
  return new Map(rows.map((r) => [r.nis_code, r]));
}

export async function taxonomyRecords(
  db: Kysely<DB>,
  entity: 'taxonomy' | 'taxonomy_term',
  f: {
    search?: string | undefined;
    taxonomyId?: string | undefined;
    parentId?: string | undefined;
    topOnly?: boolean | undefined;
  },
  limit: number,
  offset: number,
) {
  let q = hsdsDb(db)
    .selectFrom('hsds_records')
    .select(['id', 'data'])
    .distinctOn('id')
    .where('entity_type', '=', entity);
  if (f.search?.trim()) q = q.where(sql<boolean>`kl_fold(data->>'name') like ${foldedPattern(f.search.trim())}`);
  if (f.taxonomyId)
    q = q.where(
      sql<boolean>`(data->>'taxonomy_id' = ${f.taxonomyId} or data->'taxonomy_detail'->>'id' = ${f.taxonomyId})`,
    );
  if (f.parentId) q = q.where(sql<boolean>`data->>'parent_id' = ${f.parentId}`);
  if (f.topOnly) q = q.where(sql<boolean>`coalesce(data->>'parent_id', '') = ''`);
  // distinct on needs its own ordering; the page is ordered by name outside
  const inner = q.orderBy('id').orderBy('imported_at', 'desc');
  const rows = await hsdsDb(db)
    .selectFrom(inner.as('t'))
    .select(['t.id', 't.data', sql<string>`count(*) over ()`.as('total')])
    .orderBy(sql`t.data->>'name'`)
    .orderBy('t.id')
    .limit(limit)
    .offset(offset)
    .execute();
  return { rows: rows.map((r) => ({ id: r.id, data: r.data })), total: rows.length ? Number(rows[0]!.total) : 0 };
}

export async function taxonomyRecordById(db: Kysely<DB>, entity: 'taxonomy' | 'taxonomy_term', id: string) {
  return hsdsDb(db)
    .selectFrom('hsds_records')
    .select(['id', 'data'])
    .where('entity_type', '=', entity)
    .where('id', '=', id)
    .orderBy('imported_at', 'desc')
    .executeTakeFirst();
}
