import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { DB, OfferRow } from '../../core/db/schema.ts';
import { ofActiveOrganization } from '../../core/db/organizations.ts';

export const STALE_DAYS = 14;

/**
 * The text of a search (ARCHITECTURE.md, "Search and indexes"). `strict`: every word, or a synonym of it, begins a
 * word of the offer (Dutch stemming, one GIN index). `fuzzy`, the fallback when strict finds nothing: at least one
 * word matches strictly, by trigram word similarity (a typo, a plural) or as a compound of two catalogue words;
 * offers matching more words rank first.
 */
export interface TextQuery {
  mode: 'strict' | 'fuzzy';
  /** folded words, letters and digits only (offers.service.ts searchWords) */
  words: string[];
  /** per word, its prefix tsquery with its synonyms ('(rouw:* | verlies:*)', offers.synonyms.ts) */
  wordQueries: string[];
  /** per word, a tsquery of its two-part splits ('(rouw:* & groep:*) | …'), or null when the word is too short */
  compounds?: (string | null)[];
}

export interface OfferFilter {
  text: TextQuery | null;
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

/**
 * Only offers of an organisation that is still active: a deactivated organisation's offers leave the catalogue,
 * matching, crisis actions, bridging and referrals. `offers` is the alias the query gives the offers table.
 */
const organizationActive = ofActiveOrganization();

type Facet = 'theme' | 'level' | 'modality' | 'capacity' | 'language';
const FACETS: readonly Facet[] = ['theme', 'level', 'modality', 'capacity', 'language'];

/** The condition of one facet's filter, or null when the search does not filter on it. */
function facetCondition(f: OfferFilter, facet: Facet) {
  switch (facet) {
    case 'theme':
      return f.themes?.length ? sql<boolean>`offers.themes && ${f.themes}::text[]` : null;
    case 'level':
      return f.levels?.length ? sql<boolean>`offers.level = any(${f.levels}::text[])` : null;
    case 'modality':
      return f.modalities?.length ? sql<boolean>`offers.modalities && ${f.modalities}::text[]` : null;
    case 'capacity':
      return f.capacities?.length ? sql<boolean>`offers.capacity = any(${f.capacities}::text[])` : null;
    case 'language':
      return f.languages?.length ? sql<boolean>`offers.languages && ${f.languages}::text[]` : null;
  }
}

/** A tsquery text built by offers.synonyms.ts (folded words, `:*`, `|`, `&`, parentheses only). */
const tsquery = (text: string) => sql`to_tsquery('dutch', ${text})`;
const allWords = (t: TextQuery) => t.wordQueries.join(' & ');

/** Does the offer match query word i of a fuzzy search? Strictly, by word similarity, or as a compound. */
function wordMatches(t: TextQuery, i: number) {
  const word = t.words[i]!;
  const compound = t.compounds?.[i];
  return sql<boolean>`(offers.search_vector @@ ${tsquery(t.wordQueries[i]!)} or offers.search_text %> ${word}${
    compound ? sql` or offers.search_vector @@ to_tsquery('dutch', ${compound})` : sql``
  })`;
}

function textCondition(t: TextQuery) {
  if (t.mode === 'strict') return sql<boolean>`offers.search_vector @@ ${tsquery(allWords(t))}`;
  return sql<boolean>`(${sql.join(
    t.words.map((_, i) => wordMatches(t, i)),
    sql` or `,
  )})`;
}

/** The relevance order of a text search: strict by ts_rank_cd; fuzzy by words matched, then closeness. */
function textRank(t: TextQuery) {
  if (t.mode === 'strict') return [sql`ts_rank_cd(offers.search_vector, ${tsquery(allWords(t))}) desc`];
  const matched = sql.join(
    t.words.map((_, i) => sql`${wordMatches(t, i)}::int`),
    sql` + `,
  );
  const closeness = sql.join(
    t.words.map(
      (w) => sql`word_similarity(${w}, offers.search_text) + word_similarity(${w}, kl_search_words(offers.name))`,
    ),
    sql` + `,
  );
  return [sql`${matched} desc`, sql`${closeness} desc`];
}

/** The WHERE of a catalogue search; `except` leaves those facets' filters out (for the facet counts). */
function applyFilter(query: OfferQuery, f: OfferFilter, except: readonly Facet[] = []): OfferQuery {
  let q = query.where('offers.active', '=', true).where(organizationActive);
  q = f.networkId ? q.where('offers.network_id', '=', f.networkId) : q.where('offers.is_public', '=', true);
  if (f.text) q = q.where(textCondition(f.text));
  for (const facet of FACETS) {
    const condition = except.includes(facet) ? null : facetCondition(f, facet);
    if (condition) q = q.where(condition);
  }
  if (f.categories?.length) q = q.where('offers.category_id', 'in', f.categories);
  if (f.age !== undefined)
    q = q.where(sql<boolean>`coalesce(offers.min_age, 0) <= ${f.age} and coalesce(offers.max_age, 120) >= ${f.age}`);
  if (f.municipality) q = q.where(sql<boolean>`offers.municipalities @> array[${f.municipality}]::text[]`);
  if (f.zone)
    q = q.where(
      sql<boolean>`offers.municipalities && array(select nis_code from network_municipalities where network_id = ${f.zone})`,
    );
  if (f.selfReferral !== undefined) q = q.where('offers.self_referral', '=', f.selfReferral);
  // an unknown waiting time is no waiting time only for an open offer; a waiting list or an assessment without days stays out
  if (f.maxWaitDays !== undefined) {
    q = q
      .where(
        sql<boolean>`(offers.wait_days <= ${f.maxWaitDays} or (offers.wait_days is null and offers.capacity = 'open'))`,
      )
      .where('offers.capacity', '<>', 'full');
  }
  if (f.organizationId) q = q.where('offers.organization_id', '=', f.organizationId);
  return q;
}

/** A site an offer is given at: an address of the organisation (no personal data), public. */
export interface OfferSite {
  id: string;
  name: string;
  street: string;
  postal_code: string;
  nis_code: string;
}
export type OfferWithOrg = OfferRow & { organization_name: string; sites: OfferSite[] };
type OfferRowOrg = OfferRow & { organization_name: string };

/** The sites of these offers, in the order each offer lists them (one query for a page; none when no offer has sites). */
async function withSites(db: Kysely<DB>, rows: OfferRowOrg[]): Promise<OfferWithOrg[]> {
  const ids = [...new Set(rows.flatMap((r) => r.site_ids))];
  const found = ids.length
    ? await db
        .selectFrom('sites')
        .select(['id', 'name', 'street', 'postal_code', 'nis_code'])
        .where(sql<boolean>`id = any(${ids}::uuid[])`)
        .execute()
    : [];
  const byId = new Map(found.map((s) => [s.id, s]));
  return rows.map((r) => ({
    ...r,
    sites: r.site_ids.map((id) => byId.get(id)).filter((s): s is OfferSite => Boolean(s)),
  }));
}

export async function searchOffers(
  db: Kysely<DB>,
  f: OfferFilter,
  sort: 'relevance' | 'wait',
  limit: number,
  offset: number,
) {
  let query = applyFilter(db.selectFrom('offers') as OfferQuery, f)
    .innerJoin('organizations as o', 'o.id', 'offers.organization_id')
    .selectAll('offers')
    .select(['o.name as organization_name', sql<number>`count(*) over ()`.as('total_count')]);
  if (sort === 'wait') {
    // within each capacity, a known waiting time before an unknown one
    query = query
      .orderBy(sql`case offers.capacity when 'open' then 0 when 'assessment' then 1 when 'waitlist' then 2 else 3 end`)
      .orderBy(sql`offers.wait_days asc nulls last`);
  } else if (f.text) {
    for (const order of textRank(f.text)) query = query.orderBy(order);
  }
  const rows = await query.orderBy('offers.name').orderBy('offers.id').limit(limit).offset(offset).execute();
  let total = rows.length ? Number((rows[0] as { total_count: number }).total_count) : 0;
  // a page past the end has no row to carry the total: count separately (rare)
  if (!rows.length && offset > 0) {
    total = Number(
      (
        await applyFilter(db.selectFrom('offers') as OfferQuery, f)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  }
  return { rows: await withSites(db, rows), total };
}

/**
 * Counts per value of each facet, each computed without its own filter (so other values stay visible), in one
 * statement: the offers that pass every other filter, once, with a flag per facet filter; each facet counts the
 * rows that pass the other four flags.
 */
export async function facetCounts(db: Kysely<DB>, f: OfferFilter) {
  const flag = (facet: Facet) => facetCondition(f, facet) ?? sql<boolean>`true`;
  const base = applyFilter(db.selectFrom('offers') as OfferQuery, f, FACETS)
    .select(['offers.themes', 'offers.level', 'offers.modalities', 'offers.capacity', 'offers.languages'])
    .select(FACETS.map((facet) => flag(facet).as(`ok_${facet}`)));
  const others = (facet: Facet) =>
    sql.join(
      FACETS.filter((x) => x !== facet).map((x) => sql.ref(`b.ok_${x}`)),
      sql` and `,
    );
  const arrayFacet = (facet: Facet, column: 'themes' | 'modalities' | 'languages') =>
    sql`select ${facet}::text as facet, v as value, count(*)::int as count from b, unnest(b.${sql.ref(column)}) v where ${others(facet)} group by v`;
  const scalarFacet = (facet: Facet, column: 'level' | 'capacity') =>
    sql`select ${facet}::text as facet, b.${sql.ref(column)} as value, count(*)::int as count from b where ${others(facet)} group by b.${sql.ref(column)}`;
  const { rows } = await sql<{ facet: Facet; value: string; count: number }>`with b as (${base})
    ${arrayFacet('theme', 'themes')} union all ${scalarFacet('level', 'level')} union all ${arrayFacet('modality', 'modalities')}
    union all ${scalarFacet('capacity', 'capacity')} union all ${arrayFacet('language', 'languages')}`.execute(db);
  const of = (facet: Facet) =>
    rows
      .filter((r) => r.facet === facet)
      .map((r) => ({ value: r.value, count: Number(r.count) }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return {
    theme: of('theme'),
    level: of('level'),
    modality: of('modality'),
    capacity: of('capacity'),
    language: of('language'),
  };
}

/** One offer: of the network (also an inactive one, for its organisation to reactivate) or public and active; never of a deactivated organisation. */
export async function findOffer(
  db: Kysely<DB>,
  id: string,
  networkId: string | null,
): Promise<OfferWithOrg | undefined> {
  let query = db
    .selectFrom('offers')
    .innerJoin('organizations as o', 'o.id', 'offers.organization_id')
    .selectAll('offers')
    .select('o.name as organization_name')
    .where('offers.id', '=', id)
    .where('o.active', '=', true);
  query = networkId
    ? query.where('offers.network_id', '=', networkId)
    : query.where('offers.is_public', '=', true).where('offers.active', '=', true);
  const row = await query.executeTakeFirst();
  return row ? (await withSites(db, [row]))[0] : undefined;
}

/** Active offers of the network whose capacity was not confirmed for STALE_DAYS, the oldest first, paged. */
export async function staleOffers(db: Kysely<DB>, networkId: string, limit: number, offset: number) {
  const where = (q: OfferQuery) =>
    q
      .where('offers.network_id', '=', networkId)
      .where('offers.active', '=', true)
      .where(organizationActive)
      .where(sql<boolean>`offers.capacity_updated_at < now() - make_interval(days => ${STALE_DAYS})`);
  const rows = await where(db.selectFrom('offers') as OfferQuery)
    .innerJoin('organizations as o', 'o.id', 'offers.organization_id')
    .selectAll('offers')
    .select(['o.name as organization_name', sql<number>`count(*) over ()`.as('total_count')])
    .orderBy('offers.capacity_updated_at')
    .orderBy('offers.id')
    .limit(limit)
    .offset(offset)
    .execute();
  let total = rows.length ? Number((rows[0] as { total_count: number }).total_count) : 0;
  if (!rows.length && offset > 0)
    total = Number(
      (
        await where(db.selectFrom('offers') as OfferQuery)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { rows: await withSites(db, rows), total };
}

export async function unknownTerms(
  db: Kysely<DB>,
  taxonomy: 'theme' | 'category',
  ids: string[],
): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const found = await db
    .selectFrom('taxonomy_terms')
    .select('id')
    .where('taxonomy', '=', taxonomy)
    .where('id', 'in', ids)
    .execute();
  const known = new Set(found.map((r) => r.id));
  return new Set(ids.filter((id) => !known.has(id)));
}

export async function unknownMunicipalities(db: Kysely<DB>, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const found = await db.selectFrom('municipalities').select('nis_code').where('nis_code', 'in', codes).execute();
  const known = new Set(found.map((r) => r.nis_code));
  return new Set(codes.filter((c) => !known.has(c)));
}

/**
 * "Bedoelde je …?": per query word, the closest word of the catalogue this caller can see (trigram similarity,
 * pg_trgm's default threshold 0.3), over the distinct words of the visible offers. Only asked when a search found
 * nothing strictly, so its full read of the visible offers' words stays off the common path.
 */
export async function closestWords(db: Kysely<DB>, words: string[], networkId: string | null) {
  if (!words.length) return new Map<string, string>();
  const visible = applyFilter(db.selectFrom('offers') as OfferQuery, { text: null, networkId }).select(
    sql<string>`regexp_split_to_table(offers.search_text, ' ')`.as('word'),
  );
  const { rows } = await sql<{ query: string; word: string }>`
    with vocabulary as materialized (select distinct v.word from (${visible}) v where length(v.word) >= 3)
    select distinct on (q.query) q.query, vocabulary.word
    from unnest(${words}::text[]) as q(query) join vocabulary on vocabulary.word % q.query
    order by q.query, similarity(vocabulary.word, q.query) desc, vocabulary.word`.execute(db);
  return new Map(rows.map((r) => [r.query, r.word]));
}
