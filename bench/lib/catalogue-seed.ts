import { sql } from 'kysely';
import type { Database } from '../../src/server/core/db/database.ts';
import { hashPassword } from '../../src/server/core/auth/passwords.ts';
import { DEMO_OFFERS } from '../../src/server/demo/offers.ts';
import { MODALITIES } from '../../src/server/features/offers/offers.schema.ts';
import { BENCH_PASSWORD } from './database.ts';

/**
 * A synthetic catalogue for the search benchmark: one network, `orgCount` organisations, `offerCount`
 * offers, seeded in bulk (`insert … select generate_series`) through the owner handle. The trigger
 * `offers_search_vector` fills the search document of every row, as it would for the API.
 *
 * Texts are built from Dutch fragments tied to the offer's first theme (so a search for "rouw" finds
 * the grief offers, mostly), mixed with the descriptions of the demo catalogue (src/server/demo/offers.ts)
 * and a few general sentences; each organisation has a home municipality (a Flemish NIS code) and its
 * offers serve that municipality alone, a few neighbours, the arrondissement or the province.
 */

interface ThemeText {
  topics: string[];
  sentences: string[];
  words: string[];
}

/** Per theme: topic phrases for names, description sentences, and the words a searcher would type. */
export const THEME_TEXT: Record<string, ThemeText> = {
  loneliness: {
    topics: ['eenzaamheid', 'sociaal isolement', 'ontmoeting en verbinding'],
    words: ['eenzaamheid', 'eenzaam'],
    sentences: [
      'Voor wie zich eenzaam voelt en nood heeft aan contact en een luisterend oor.',
      'We brengen mensen samen en bouwen aan een sociaal netwerk in de buurt.',
    ],
  },
  'grief-loss': {
    topics: ['rouw', 'verlies', 'rouwverwerking', 'nabestaanden'],
    words: ['rouw', 'verlies'],
    sentences: [
      'Steun na het overlijden van een partner, kind, ouder of vriend, ook na zelfdoding.',
      'Ruimte voor verdriet, herinneringen en de vragen die een verlies oproept.',
    ],
  },
  'relationship-family': {
    topics: ['relatieproblemen', 'relatie en gezin', 'gezinsbegeleiding', 'koppelgesprekken'],
    words: ['relatie', 'gezin'],
    sentences: [
      'Begeleiding voor koppels en gezinnen die vastlopen in hun relatie.',
      'Samen zoeken we naar betere communicatie en manieren om conflicten te hanteren.',
    ],
  },
  'family-violence': {
    topics: ['partnergeweld', 'intrafamiliaal geweld', 'kindermishandeling'],
    words: ['geweld'],
    sentences: [
      'Veiligheidsgerichte begeleiding bij partnergeweld en kindermishandeling.',
      'We werken met slachtoffers, plegers en kinderen aan veiligheid thuis.',
    ],
  },
  victimisation: {
    topics: ['slachtofferhulp', 'slachtofferschap', 'hulp na een misdrijf'],
    words: ['slachtoffer'],
    sentences: [
      'Emotionele steun en praktische hulp na een misdrijf, ongeval of ramp.',
      'Informatie over je rechten en begeleiding tijdens de gerechtelijke procedure.',
    ],
  },
  anxiety: {
    topics: ['angst', 'paniekaanvallen', 'angstklachten'],
    words: ['angst', 'paniek'],
    sentences: [
      'Leren omgaan met angst, paniek en piekeren in het dagelijkse leven.',
      'Met oefeningen en gesprekken werk je stap voor stap aan je angstklachten.',
    ],
  },
  depression: {
    topics: ['depressie', 'somberheid', 'depressieve klachten'],
    words: ['depressie', 'somber'],
    sentences: [
      'Behandeling en begeleiding bij depressie en aanhoudende somberheid.',
      'Aandacht voor slaap, dagstructuur en wat je energie geeft.',
    ],
  },
  'stress-burnout': {
    topics: ['stress', 'burn-out', 'werkdruk'],
    words: ['stress', 'burnout'],
    sentences: [
      'Voor wie vastloopt door stress, werkdruk of een dreigende burn-out.',
      'Je leert signalen herkennen en je grenzen bewaken.',
    ],
  },
  addiction: {
    topics: ['verslaving', 'alcohol en drugs', 'gokverslaving', 'middelengebruik'],
    words: ['verslaving', 'alcohol'],
    sentences: [
      'Begeleiding bij problemen met alcohol, drugs, medicatie of gokken.',
      'Ook naasten van mensen met een verslaving kunnen bij ons terecht.',
    ],
  },
  'suicidal-thoughts': {
    topics: ['zelfmoordpreventie', 'suïcidale gedachten', 'suïcidepreventie'],
    words: ['suïcide', 'zelfmoord'],
    sentences: [
      'Snelle opvang bij zelfmoordgedachten of na een suïcidepoging.',
      'Samen maken we een veiligheidsplan en zoeken we verdere hulp.',
    ],
  },
  trauma: {
    topics: ['trauma', 'traumaverwerking', 'ingrijpende gebeurtenissen'],
    words: ['trauma'],
    sentences: [
      'Behandeling na ingrijpende gebeurtenissen, onder meer met EMDR.',
      'Aandacht voor herbelevingen, schrikreacties en slaapproblemen na een trauma.',
    ],
  },
  parenting: {
    topics: ['opvoeding', 'opvoedingsondersteuning', 'ouderschap'],
    words: ['opvoeding', 'ouders'],
    sentences: [
      'Vragen over opvoeding bespreken met een opvoedingsondersteuner, ook thuis.',
      "Tips en steun voor ouders van baby's tot tieners.",
    ],
  },
  'financial-problems': {
    topics: ['schulden', 'schuldhulp', 'budgetbegeleiding', 'geldzorgen'],
    words: ['schulden', 'budget'],
    sentences: [
      'Overzicht krijgen in je schulden en samen een afbetalingsplan opmaken.',
      'Hulp bij budgetbeheer, facturen en contact met schuldeisers.',
    ],
  },
  housing: {
    topics: ['huisvesting', 'woonbegeleiding', 'dakloosheid'],
    words: ['huisvesting', 'woning'],
    sentences: [
      'Hulp bij het zoeken en behouden van een woning, ook bij dreigende uithuiszetting.',
      'Begeleiding voor mensen zonder vaste verblijfplaats.',
    ],
  },
  divorce: {
    topics: ['scheiding', 'ouderschap na scheiding', 'echtscheiding'],
    words: ['scheiding'],
    sentences: [
      'Ondersteuning bij een scheiding en bij afspraken over de kinderen.',
      'Bemiddeling en gesprekken om samen verder ouder te blijven.',
    ],
  },
  'psychological-complaints': {
    topics: ['psychische klachten', 'slaapproblemen', 'piekeren'],
    words: ['psychische', 'klachten'],
    sentences: [
      'Voor milde tot matige psychische klachten zoals piekeren, slecht slapen of onrust.',
      'Enkele gesprekken om je klachten te verhelderen en te werken aan herstel.',
    ],
  },
  'social-isolation-elderly': {
    topics: ['ouderen', 'isolement bij ouderen', 'ouderenzorg'],
    words: ['ouderen'],
    sentences: [
      'Huisbezoeken en activiteiten voor ouderen die alleen wonen.',
      'We brengen hulp en contact op gang voor kwetsbare ouderen.',
    ],
  },
  'youth-problems': {
    topics: ['jongeren', 'jongerenwerking', 'schoolproblemen'],
    words: ['jongeren'],
    sentences: [
      'Anoniem en gratis met vragen over thuis, school, relaties, geld of wonen.',
      'Jongeren tussen 12 en 25 kunnen langskomen of chatten.',
    ],
  },
};

/** Offer formats (start of the name) with the module category (taxonomy 'category') they belong to. */
const FORMATS: [string, string][] = [
  ['Individuele begeleiding bij', 'psychosocial-support'],
  ['Praatgroep', 'self-help-peer-support'],
  ['Lotgenotengroep', 'self-help-peer-support'],
  ['Groepstraining', 'group-offer'],
  ['Onthaal en advies:', 'intake'],
  ['Online chat over', 'helpline'],
  ['Huisbezoeken:', 'psychosocial-support'],
  ['Kortdurende behandeling van', 'short-psychological-treatment'],
  ['Infosessie over', 'group-offer'],
  ['Buddywerking:', 'buddy'],
  ['Spreekuur', 'intake'],
  ['Consultatie', 'psychosocial-support'],
  ['Telefonische hulplijn:', 'helpline'],
  ['Workshop', 'group-offer'],
  ['Ambulante behandeling van', 'specialised-ambulatory-mental-health'],
  ['Vormingsreeks', 'group-offer'],
  ['Eerste hulp bij', 'intake'],
];
const TARGETS = [
  ' voor jongeren',
  ' voor ouderen',
  ' voor volwassenen',
  ' voor gezinnen',
  ' voor nabestaanden',
  ' voor mantelzorgers',
  ' voor koppels',
  ' voor kinderen en ouders',
  ' voor studenten',
  ' voor nieuwkomers',
  '',
  '',
  '',
  '',
];
const TARGET_GROUPS = [
  'youth',
  'elderly',
  'adults',
  'families',
  'bereaved',
  'everyone',
  'couples',
  'children',
  'youth',
  'everyone',
  'everyone',
  'everyone',
  'everyone',
  'everyone',
];
const GENERAL = [
  'Je kunt zonder verwijzing contact opnemen.',
  'Aanmelden kan telefonisch of via de website.',
  'Een eerste gesprek volgt meestal binnen enkele weken.',
  'De begeleiding is gratis en vertrouwelijk.',
  'Gesprekken vinden plaats op onze locatie, bij je thuis of online.',
  'Voor sommige sessies vragen we een kleine eigen bijdrage.',
  'Je mag iemand meebrengen naar het eerste gesprek.',
  'We werken samen met de huisarts en andere hulpverleners in de regio.',
  'Ook op zaterdagvoormiddag bereikbaar.',
];
const ORG_KINDS = [
  'caw',
  'cgg',
  'ocmw',
  'dmw',
  'helpline',
  'care-facility',
  'funeral-director',
  'primary-care',
  'zero-line',
  'other',
];

export interface CatalogueSeed {
  networkId: string;
  organizationId: string;
  organizations: number;
  offers: number;
  activeOffers: number;
  publicActiveOffers: number;
  meanThemesPerOffer: number;
  meanMunicipalitiesPerOffer: number;
  flemishMunicipalities: number;
  user: { id: string; email: string; role: string };
  /** the bulk insert of the offers alone (trigger included) */
  offerInsertSeconds: number;
  /** VACUUM (ANALYZE) offers + ANALYZE of the other tables */
  analyzeSeconds: number;
  /** everything: network, organisations, offers, user, ANALYZE */
  seconds: number;
  tableMiB: number;
  indexesMiB: Record<string, number>;
}

export async function seedCatalogue(
  db: Database,
  opts: { orgCount: number; offerCount: number; seed?: number },
): Promise<CatalogueSeed> {
  const started = performance.now();
  const owner = db.owner;
  const network = await owner
    .insertInto('networks')
    .values({ name: 'Benchnetwerk Catalogus', zone_name: 'Vlaanderen' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`
    insert into organizations (network_id, name, kind)
    select ${network.id}::uuid, 'Organisatie ' || lpad(i::text, 4, '0'), (${ORG_KINDS}::text[])[1 + (i % ${ORG_KINDS.length})]
    from generate_series(1, ${opts.orgCount}) i`.execute(owner);
  const org = await owner
    .selectFrom('organizations')
    .select('id')
    .where('network_id', '=', network.id)
    .where('name', '=', 'Organisatie 0001')
    .executeTakeFirstOrThrow();

  // per theme: topics, sentences and the demo descriptions of offers with that theme (jsonb, looked up per row)
  const themes: Record<string, { topics: string[]; sentences: string[]; demo: string[] }> = {};
  for (const [id, t] of Object.entries(THEME_TEXT)) {
    const demo = DEMO_OFFERS.filter((o) => o.themes.includes(id)).map((o) => o.description);
    themes[id] = { topics: t.topics, sentences: t.sentences, demo: demo.length ? demo : t.sentences };
  }
  const frag = JSON.stringify({
    themes,
    formats: FORMATS.map((f) => f[0]),
    categories: FORMATS.map((f) => f[1]),
    targets: TARGETS,
    targetGroups: TARGET_GROUPS,
    general: GENERAL,
  });
  const known = await sql<{ id: string }>`select id from taxonomy_terms where taxonomy = 'theme'`.execute(owner);
  const missing = known.rows.map((r) => r.id).filter((id) => !THEME_TEXT[id]);
  if (missing.length) throw new Error(`catalogue seed: no Dutch fragments for themes ${missing.join(', ')}`);

  const insertStarted = performance.now();
  await owner.connection().execute(async (conn) => {
    await sql`select setseed(${opts.seed ?? 0.17})`.execute(conn);
    // jsonb helpers: pick(arr) = a random element of a jsonb array (r in [0,1))
    await sql`
      with f as (select ${frag}::jsonb as j),
           th as (select array_agg(id order by sort_order) as ids from taxonomy_terms where taxonomy = 'theme'),
           orgs as (select array_agg(id order by name) as ids from organizations where network_id = ${network.id}),
           muni as (select array_agg(nis_code order by nis_code) as codes, array_agg(name_nl order by nis_code) as names
                    from municipalities where region_nis = '2000'),
           base as (
             select i,
                    -- some organisations offer much more than others
                    1 + floor(power(random(), 1.4) * array_length(orgs.ids, 1))::int as org_i,
                    -- first theme skewed towards the head of the list (loneliness, grief, relationships are frequent)
                    th.ids[1 + floor(power(random(), 1.3) * array_length(th.ids, 1))::int] as t1,
                    1 + floor(power(random(), 1.8) * 4)::int as n_themes,
                    1 + floor(random() * 3)::int as n_modalities,
                    random() as r_area, random() as r_level, random() as r_cap, random() as r_age, random() as r_lang,
                    random() as r_pub, random() as r_act, random() as r_cost, random() as r_self, random() as r_demo,
                    random() as r_fmt, random() as r_tgt, random() as r_top, random() as r_s1, random() as r_s2, random() as r_gen,
                    random() as r_wait, random() as r_upd, random() as r_cat
             from generate_series(1, ${opts.offerCount}) i, th, orgs
           ),
           placed as (
             select b.*, muni.codes[1 + ((b.org_i * 7919) % array_length(muni.codes, 1))] as home,
                    muni.names[1 + ((b.org_i * 7919) % array_length(muni.codes, 1))] as home_name,
                    1 + ((b.org_i * 7919) % array_length(muni.codes, 1)) as home_i
             from base b, muni
           ),
           shaped as (
             select p.*,
               -- first theme, then 0–3 others
               array[p.t1] || array(select distinct x from (
                   select th.ids[1 + floor(random() * array_length(th.ids, 1))::int] as x
                   from generate_series(1, p.n_themes - 1) k, th where k > 0 and p.i > 0) s where x <> p.t1) as themes,
               case
                 when p.r_area < 0.40 then array[p.home]
                 when p.r_area < 0.70 then (select muni.codes[p.home_i : p.home_i + 1 + floor(p.r_area * 10)::int] from muni)
                 when p.r_area < 0.90 then array(select nis_code from municipalities where region_nis = '2000' and left(nis_code, 2) = left(p.home, 2) order by 1)
                 else array(select nis_code from municipalities where region_nis = '2000' and left(nis_code, 1) = left(p.home, 1) order by 1)
               end as area
             from placed p
           )
      insert into offers (organization_id, network_id, name, description, category_id, level, themes, target_groups, min_age, max_age,
                          modalities, languages, municipalities, cost, self_referral, referral_required, contact_phone, contact_email,
                          capacity, wait_days, capacity_updated_at, is_public, active, created_at, updated_at)
      select orgs.ids[s.org_i], ${network.id}::uuid,
             (t.j->'formats'->>floor(s.r_fmt * jsonb_array_length(t.j->'formats'))::int) || ' ' ||
               (t.tj->'topics'->>floor(s.r_top * jsonb_array_length(t.tj->'topics'))::int) ||
               (t.j->'targets'->>floor(s.r_tgt * jsonb_array_length(t.j->'targets'))::int) || ' – ' || s.home_name,
             (t.tj->'sentences'->>floor(s.r_s1 * jsonb_array_length(t.tj->'sentences'))::int) || ' ' ||
               case when array_length(s.themes, 1) > 1
                    then (t.j->'themes'->(s.themes[2])->'sentences'->>floor(s.r_s2 * 2)::int) || ' ' else '' end ||
               case when s.r_demo < 0.4
                    then (t.tj->'demo'->>floor(s.r_demo / 0.4 * jsonb_array_length(t.tj->'demo'))::int) || ' ' else '' end ||
               (t.j->'general'->>floor(s.r_gen * jsonb_array_length(t.j->'general'))::int),
             -- the category of the format; a crisis offer is mostly a crisis intervention
             case when s.r_level >= 0.92 and s.r_cat < 0.6 then 'crisis-intervention'
                  else t.j->'categories'->>floor(s.r_fmt * jsonb_array_length(t.j->'formats'))::int end,
             case when s.r_level < 0.25 then 'zero-line' when s.r_level < 0.70 then 'basic' when s.r_level < 0.92 then 'specialised' else 'crisis' end,
             s.themes,
             array[t.j->'targetGroups'->>floor(s.r_tgt * jsonb_array_length(t.j->'targetGroups'))::int],
             case when s.r_age < 0.50 then null when s.r_age < 0.70 then 18 when s.r_age < 0.80 then 12 when s.r_age < 0.88 then 0 when s.r_age < 0.95 then 65 else 16 end,
             case when s.r_age < 0.50 then null when s.r_age < 0.70 then null when s.r_age < 0.80 then 25 when s.r_age < 0.88 then 17 else null end,
             array(select distinct m from (select (${[...MODALITIES]}::text[])[1 + floor(random() * ${MODALITIES.length})::int] as m
                                           from generate_series(1, s.n_modalities) k where s.i > 0) mm),
             case when s.r_lang < 0.12 then array['nl', 'en'] when s.r_lang < 0.22 then array['nl', 'fr'] when s.r_lang < 0.26 then array['nl', 'en', 'fr']
                  when s.r_lang < 0.28 then array['nl', 'ar'] when s.r_lang < 0.30 then array['nl', 'tr'] when s.r_lang < 0.31 then array['nl', 'pl'] else array['nl'] end,
             s.area,
             case when s.r_cost < 0.70 then 'free' when s.r_cost < 0.90 then 'contribution' else 'fee' end,
             s.r_self < 0.80, s.r_self >= 0.80,
             '0' || (10 + s.org_i % 80)::text || ' ' || lpad((s.i * 7 % 1000000)::text, 6, '0'),
             'info' || s.org_i || '@aanbod.example',
             case when s.r_cap < 0.45 then 'open' when s.r_cap < 0.80 then 'waitlist' when s.r_cap < 0.88 then 'full' else 'assessment' end,
             case when s.r_cap < 0.45 then floor(s.r_wait * 8)::int when s.r_cap < 0.80 then 7 + floor(s.r_wait * 113)::int
                  when s.r_cap < 0.88 then null else 3 + floor(s.r_wait * 28)::int end,
             now() - make_interval(secs => s.r_upd * 60 * 86400),
             s.r_pub < 0.90, s.r_act < 0.95,
             now() - make_interval(days => (s.i % 900)), now() - make_interval(days => (s.i % 120))
      from shaped s
      cross join orgs cross join f
      cross join lateral (select f.j as j, f.j->'themes'->s.t1 as tj) t`.execute(conn);
  });
  const offerInsertSeconds = (performance.now() - insertStarted) / 1000;
  const analyzeStarted = performance.now();
  // VACUUM (ANALYZE), not just ANALYZE: a manual ANALYZE leaves the GIN pending lists (fastupdate) of the bulk insert in
  // place, and every GIN scan then reads them linearly (a themes + municipality bitmap: ~3.5 ms before, ~0.5 ms after);
  // autovacuum would flush them in production
  await sql`vacuum (analyze) offers`.execute(owner);
  await sql`analyze organizations`.execute(owner);
  await sql`analyze taxonomy_terms`.execute(owner);
  await sql`analyze municipalities`.execute(owner);
  const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;

  const email = 'aanbod.bench@bench.example';
  const user = await owner
    .insertInto('users')
    .values({ email, display_name: 'Bench Catalogus', password_hash: await hashPassword(BENCH_PASSWORD) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await owner
    .insertInto('memberships')
    .values({ user_id: user.id, network_id: network.id, organization_id: org.id, role: 'intake-worker' })
    .execute();

  const stats = await sql<{
    total: string;
    active: string;
    public_active: string;
    themes: string;
    munis: string;
    empty: string;
    flemish: string;
  }>`
    select count(*) as total, count(*) filter (where active) as active, count(*) filter (where active and is_public) as public_active,
           avg(cardinality(themes)) as themes, avg(cardinality(municipalities)) as munis,
           count(*) filter (where search_vector = ''::tsvector) as empty,
           (select count(*) from municipalities where region_nis = '2000') as flemish
    from offers`.execute(owner);
  const s = stats.rows[0]!;
  if (Number(s.empty) > 0)
    throw new Error(`catalogue seed: ${s.empty} offers without a search vector (trigger not applied?)`);
  const sizes = await sql<{ name: string; bytes: string }>`
    select c.relname as name, pg_relation_size(c.oid) as bytes from pg_class c
    where c.relname = 'offers' or c.oid in (select indexrelid from pg_index where indrelid = 'offers'::regclass)`.execute(
    owner,
  );
  const toMiB = (b: string) => Math.round((Number(b) / 1048576) * 10) / 10;
  const indexesMiB: Record<string, number> = {};
  let tableMiB = 0;
  for (const r of sizes.rows) {
    if (r.name === 'offers') tableMiB = toMiB(r.bytes);
    else indexesMiB[r.name] = toMiB(r.bytes);
  }
  return {
    networkId: network.id,
    organizationId: org.id,
    organizations: opts.orgCount,
    offers: Number(s.total),
    activeOffers: Number(s.active),
    publicActiveOffers: Number(s.public_active),
    meanThemesPerOffer: Math.round(Number(s.themes) * 100) / 100,
    meanMunicipalitiesPerOffer: Math.round(Number(s.munis) * 10) / 10,
    flemishMunicipalities: Number(s.flemish),
    user: { id: user.id, email, role: 'intake-worker' },
    offerInsertSeconds,
    analyzeSeconds,
    seconds: (performance.now() - started) / 1000,
    tableMiB,
    indexesMiB,
  };
}

export interface Combination {
  q: string;
  theme: string;
  municipality: string;
  level: string;
}

/**
 * Search combinations a caseworker would make: drawn from `n` random public, active offers (so the
 * combination has at least that hit on both endpoints): a word of the offer's first theme (the way
 * a searcher types it: lower case, no accent folding by the client), one of its themes, one of
 * the municipalities it serves, and its level.
 */
export async function sampleCombinations(db: Database, n: number, seed = 0.5): Promise<Combination[]> {
  const rows = await db.owner.connection().execute(async (conn) => {
    await sql`select setseed(${seed})`.execute(conn);
    return (
      await sql<{ themes: string[]; municipalities: string[]; level: string; r1: number; r2: number; r3: number }>`
      select themes, municipalities, level, random() as r1, random() as r2, random() as r3
      from offers where active and is_public order by random() limit ${n}`.execute(conn)
    ).rows;
  });
  return rows.map((r) => {
    const words = THEME_TEXT[r.themes[0]!]!.words;
    return {
      q: words[Math.floor(r.r1 * words.length)]!,
      theme: r.themes[Math.floor(r.r2 * r.themes.length)]!,
      municipality: r.municipalities[Math.floor(r.r3 * r.municipalities.length)]!,
      level: r.level,
    };
  });
}
