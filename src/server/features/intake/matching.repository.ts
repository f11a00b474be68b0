import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import {
  AREA_ENOUGH,
  LEVEL_ORDER,
  POINTS,
  SUICIDE_PREVENTION_THEME,
  WHILE_WAITING_EXCLUDES,
  WHILE_WAITING_MAX,
  type Candidate,
  type Level,
  type MatchAreaBasis,
} from './matching.ts';
import { ofActiveOrganization } from '../../core/db/organizations.ts';
import { GENERIC_PLAN } from '../../core/db/database.ts';

export interface CandidateQuery {
  networkId: string;
  municipality: string | null;
  /**
   * Without a municipality: the municipalities of the fallback area (areaSql, areaSteps), of which an offer must serve one —
   * or have no service area at all; null for the whole network. Not read when `municipality` is given.
   */
  area?: string[] | null;
  age: number | null;
  themes: string[];
  language: string | null;
  preferredModality: string | null;
  needed: Level;
  /** safe under risk (matching.ts 4a): the days the urgency's response target runs; null when 4a does not apply */
  riskTargetDays: number | null;
  /** how many suggestions are shown */
  limit: number;
}

export interface CandidateSet {
  /** every offer that can be among the first `limit` suggestions (ties at the cut included) */
  ranked: Candidate[];
  /** every offer that can be among the suggestions for the wait */
  waiting: Candidate[];
  municipalityName: string | null;
  /** without a municipality: how many offers met the hard limits (the rows returned are only those that can be shown) */
  candidates: number | null;
  /** the names of the organisations of the offers returned */
  organizationNames: Map<string, string>;
}

const n = (value: number) => sql.lit(value);

/** Points for the level when the level at `neededIndex` (1-based along LEVEL_ORDER) is needed, as in rankOffers. */
function levelPoints(neededIndex: RawBuilder<number>): RawBuilder<number> {
  const order = sql.join(LEVEL_ORDER.map((l) => sql.lit(l)));
  return sql<number>`(case array_position(array[${order}]::text[], s.level) - ${neededIndex}
    when 0 then ${n(POINTS.level.exact)} when -1 then ${n(POINTS.level.lighter)} when 1 then ${n(POINTS.level.heavier)} else 0 end)`;
}

/**
 * The group of matching.ts 4a (riskTier) in SQL: 0 an open crisis or suicide-prevention offer in time, 1 another
 * offer in time, 2 an open crisis or suicide-prevention offer late, 3 the rest; 0 for every offer without risk.
 */
function riskTier(targetDays: number | null): RawBuilder<number> {
  const days = sql`${targetDays}::float8`;
  const inTime = sql`(case o.capacity when 'open' then coalesce(o.wait_days, 0) <= ${days}
    when 'assessment' then coalesce(o.wait_days, 0) <= ${days}
    when 'waitlist' then o.wait_days is not null and o.wait_days <= ${days} else false end)`;
  const crisis = sql`(o.capacity = 'open' and (o.level = 'crisis' or o.themes @> array[${SUICIDE_PREVENTION_THEME}]::text[]))`;
  return sql<number>`(case when ${days} is null then 0 else (case when ${inTime} then 0 else 2 end) + (case when ${crisis} then 0 else 1 end) end)`;
}

/**
 * The hard limit of place and theme. With themes: the request's (municipality, theme) pairs against the offers'
 * (kl_offer_reach, migration 036); in an area also those of offers without a service area (the reach of no
 * municipality). Without themes: the municipality, or the area or no area at all (migration 029's partial index in
 * the OR). The whole network: only the themes, if any.
 */
function placeLimit(q: CandidateQuery): RawBuilder<boolean> | null {
  const themes = sql`${q.themes}::text[]`;
  const reaches = (codes: RawBuilder<unknown>) => sql<boolean>`kl_offer_reach(o.municipalities, o.themes) && ${codes}`;
  if (q.municipality) {
    return q.themes.length
      ? reaches(sql`kl_offer_reach(array[${q.municipality}]::text[], ${themes})`)
      : sql<boolean>`o.municipalities @> array[${q.municipality}]::text[]`;
  }
  if (q.area) {
    return q.themes.length
      ? reaches(sql`(kl_offer_reach(${q.area}::text[], ${themes}) || kl_offer_reach('{}', ${themes}))`)
      : sql<boolean>`(o.municipalities && ${q.area}::text[] or o.municipalities = '{}'::text[])`;
  }
  return q.themes.length ? sql<boolean>`o.themes && ${themes}` : null;
}

/**
 * One statement: the candidates within the hard limits (network, active, municipality, age, a shared theme),
 * scored in SQL with the weights of rankOffers (POINTS), and of those only the offers whose (points, wait) is at
 * least that of the `limit`-th best — ties at the cut are all kept, because rankOffers breaks them by name in
 * Dutch collation, which SQL does not reproduce. The same for the while-waiting list (zero-line or group, open or
 * assessment, scored as if zero-line care were needed), cut at 5 + 3 so that leaving out the first three
 * suggestions still leaves its five best. So the cut can never drop an offer the JavaScript ranking would show.
 * Under risk (matching.ts 4a) the group comes before the points, in the cut as in rankOffers.
 *
 * Its text depends only on the number of themes and on the kind of place (a municipality, an area, the network):
 * everything else is a parameter (null where the request says nothing), so each connection prepares a handful of
 * statements, not one per combination of language, form, age, level and risk.
 * Place and theme are one lookup in the index of offers' (municipality, theme) pairs (migration 036). It runs under
 * a generic plan (GENERIC_PLAN): planned once per connection and text, not for every request.
 */
export async function matchCandidates(tx: Tx, q: CandidateQuery): Promise<CandidateSet> {
  const rows = await candidateStatement(q).execute(tx.db);
  const ranked: Candidate[] = [];
  const waiting: Candidate[] = [];
  const organizationNames = new Map<string, string>();
  for (const r of rows.rows) {
    organizationNames.set(r.organization_id, r.organization_name);
    (r.waiting ? waiting : ranked).push(candidateOf(r));
  }
  // without a candidate there is no row to carry the name; it is only used in the reasons of a candidate anyway
  return {
    ranked,
    waiting,
    municipalityName: rows.rows[0]?.municipality_name ?? null,
    candidates: q.municipality ? null : (rows.rows[0]?.candidates ?? 0),
    organizationNames,
  };
}

/** One step of the fallback of matching.ts 6: the municipalities looked in (null: the whole network) and their names. */
export interface AreaStep {
  basis: Exclude<MatchAreaBasis, 'municipality'>;
  codes: string[] | null;
  /** the site municipalities, the zone's name, or the provinces (Brussels by its region) */
  names: string[];
}

/** What areaSql reads: the municipalities around an organisation and their names. */
export interface AreaFacts {
  sites: string[];
  site_names: string[];
  zone: string[];
  zone_name: string | null;
  region: string[];
  region_names: string[];
}

/**
 * The facts of matching.ts 6 for a help request of `organizationId` as one JSON value (AreaFacts), a scalar subquery
 * the caller can put in a statement of its own: the municipalities of the organisation's sites, the network's zone,
 * the provinces of both (municipalities.province_nl; Brussels, which has none, by its region).
 */
export function areaSql(networkId: RawBuilder<string> | string, organizationId: string): RawBuilder<AreaFacts> {
  return sql<AreaFacts>`(/* matching:area */
    with a as (
      select array(select distinct s.nis_code from sites s where s.organization_id = ${organizationId} order by 1) as sites,
             array(select nm.nis_code from network_municipalities nm where nm.network_id = ${networkId} order by 1) as zone
    ),
    p as (
      select distinct coalesce(m.province_nl, m.region_nis) as key,
             coalesce(m.province_nl, case m.region_nis when '4000' then 'Brussels Hoofdstedelijk Gewest' else m.region_nis end) as name
        from municipalities m, a where m.nis_code = any(a.sites || a.zone)
    )
    select json_build_object('sites', a.sites, 'zone', a.zone,
           'site_names', array(select m.name_nl from municipalities m where m.nis_code = any(a.sites)),
           'zone_name', (select n.zone_name from networks n where n.id = ${networkId}),
           'region', array(select m.nis_code from municipalities m where coalesce(m.province_nl, m.region_nis) in (select key from p) order by 1),
           'region_names', array(select name from p))
      from a)`;
}

/**
 * The steps of matching.ts 6 from the facts of areaSql, narrowest first: the organisation's sites, the network's
 * zone, the provinces of both, then the whole network. A step that adds no municipality to the one before it is
 * left out.
 */
export function areaSteps(row: AreaFacts): AreaStep[] {
  const byName = (names: string[]) => [...names].sort((x, y) => x.localeCompare(y, 'nl'));
  const steps: AreaStep[] = [];
  const seen = new Set<string>();
  const add = (basis: AreaStep['basis'], codes: string[], names: string[]) => {
    if (!codes.some((c) => !seen.has(c))) return;
    codes.forEach((c) => seen.add(c));
    // each step holds the ones before it: a wider area never loses an offer near the organisation
    steps.push({ basis, codes: [...seen].sort(), names });
  };
  add('organization', row.sites, byName(row.site_names));
  add('zone', row.zone, row.zone_name ? [row.zone_name] : []);
  add('region', row.region, byName(row.region_names));
  steps.push({ basis: 'network', codes: null, names: [] });
  return steps;
}

/**
 * matchCandidates for a help request without a municipality (matching.ts 6): the first area of `steps` in which at
 * least AREA_ENOUGH offers meet the hard limits, else the whole network (the last step). Each step is one bounded
 * statement (an index scan of the offers serving the area); the next runs only when the one before found too few.
 * The area named is the narrowest that holds the same offers (widening that found nothing more is not named).
 */
export async function matchCandidatesAround(
  tx: Tx,
  q: Omit<CandidateQuery, 'municipality' | 'area'>,
  steps: AreaStep[],
): Promise<CandidateSet & { area: AreaStep }> {
  const counts: number[] = [];
  for (const [i, step] of steps.entries()) {
    const set = await matchCandidates(tx, { ...q, municipality: null, area: step.codes });
    const found = set.candidates ?? 0;
    counts.push(found);
    if (i < steps.length - 1 && found < AREA_ENOUGH) continue;
    // each step holds the one before: when widening found no more, the same offers were all in the narrower area,
    // and that is the area to name
    return { ...set, area: steps[counts.indexOf(found)]! };
  }
  throw new Error('matchCandidatesAround: no step (the whole network is always the last)');
}

/** A row of the candidate statement: an offer, for the ranking or for the wait, with its organisation's name. */
export interface CandidateRow {
  waiting: boolean;
  id: string;
  name: string;
  organization_id: string;
  level: string;
  themes: string[];
  languages: string[];
  modalities: string[];
  capacity: string;
  wait_days: number | null;
  min_age: number | null;
  max_age: number | null;
  municipality_name: string | null;
  organization_name: string;
  /** only without a municipality: how many offers were within the limits */
  candidates?: number;
}

/** An offer as the ranking takes it, from a row with the offers table's column names (a CandidateRow, an offers row). */
export const candidateOf = (
  r: Pick<
    CandidateRow,
    | 'id'
    | 'name'
    | 'organization_id'
    | 'level'
    | 'themes'
    | 'languages'
    | 'modalities'
    | 'capacity'
    | 'wait_days'
    | 'min_age'
    | 'max_age'
  >,
): Candidate => ({
  id: r.id,
  name: r.name,
  organizationId: r.organization_id,
  level: r.level,
  themes: r.themes,
  languages: r.languages,
  modalities: r.modalities,
  capacity: r.capacity,
  waitDays: r.wait_days,
  minAge: r.min_age,
  maxAge: r.max_age,
});

/** The candidate statement of matchCandidates (exported for the tests that read its plan). */
export function candidateStatement(q: CandidateQuery) {
  const k = q.themes.length;
  const shared = k
    ? sql.join(
        q.themes.map((t) => sql`(o.themes @> array[${t}]::text[])::int`),
        sql` + `,
      )
    : sql`0`;
  // 40 × shared / k rounded half up, in integers (themePoints in matching.ts)
  const themePts = k ? sql`((${n(2 * POINTS.themes)} * s.shared + ${n(k)}) / ${n(2 * k)})` : sql`${n(POINTS.noThemes)}`;
  const capacityPts = sql`(case o.capacity when 'open' then ${n(POINTS.capacity.open)} when 'assessment' then ${n(POINTS.capacity.assessment)}
    when 'waitlist' then greatest(0, ${n(POINTS.capacity.waitlist)} - coalesce(o.wait_days, 0) / 7) else ${n(POINTS.capacity.full)} end)`;
  // null (the request names none) matches no offer: array[null] is contained in no array
  const languagePts = sql`(case when o.languages @> array[${q.language}::text] then ${n(POINTS.language)} else 0 end)`;
  const modalityPts = sql`(case when o.modalities @> array[${q.preferredModality}::text] then ${n(POINTS.modality)} else 0 end)`;
  const place = placeLimit(q);
  const limits = [
    sql`o.network_id = ${q.networkId}`,
    sql`o.active`,
    ofActiveOrganization('o'),
    ...(place ? [place] : []),
    sql`(${q.age}::int is null or coalesce(o.min_age, 0) <= ${q.age}::int and coalesce(o.max_age, 120) >= ${q.age}::int)`,
  ];
  const neededIndex = sql<number>`${LEVEL_ORDER.indexOf(q.needed) + 1}::int`; // array_position is 1-based
  return sql<CandidateRow>`${sql.raw(GENERIC_PLAN)} /* matching:candidates */
    with s as (
      select o.id, o.level, coalesce(o.wait_days, 0) as w, ${riskTier(q.riskTargetDays)} as tier,
             (o.level = 'zero-line' or o.modalities @> array['group']::text[]) and o.capacity in ('open', 'assessment') as light,
             ${shared} as shared, ${capacityPts} + ${languagePts} + ${modalityPts} as base
        from offers o
       where ${sql.join(limits, sql` and `)}
    ),
    c as (
      select s.id, s.w, s.tier, s.light, s.base + ${themePts} + ${levelPoints(neededIndex)} as pts, s.base + ${themePts} + ${levelPoints(n(LEVEL_ORDER.indexOf('zero-line') + 1))} as lpts from s
    ),
    cut as (select tier, pts, w from c order by tier, pts desc, w offset ${Math.max(1, q.limit) - 1}::int limit 1),
    lcut as (select lpts, w from c where light order by lpts desc, w offset ${n(WHILE_WAITING_MAX + WHILE_WAITING_EXCLUDES - 1)} limit 1),
    picked as (
      select c.id, false as waiting from c
       where not exists (select 1 from cut where (c.tier, -c.pts, c.w) > (cut.tier, -cut.pts, cut.w))
      union all
      select c.id, true from c
       where c.light and not exists (select 1 from lcut where c.lpts < lcut.lpts or (c.lpts = lcut.lpts and c.w > lcut.w))
    )
    select p.waiting, o.id, o.name, o.organization_id, o.level, o.themes, o.languages, o.modalities, o.capacity, o.wait_days, o.min_age, o.max_age,
           org.name as organization_name,
           ${q.municipality ? sql`(select m.name_nl from municipalities m where m.nis_code = ${q.municipality})` : sql`null::text`} as municipality_name
           ${q.municipality ? sql`` : sql`, (select count(*) from c)::int as candidates`}
      from picked p join offers o on o.id = p.id join organizations org on org.id = o.organization_id`;
}
