/**
 * The catalogue (aanbod): creating, reading and changing offers; the Dutch full-text search with its filters,
 * facets, paging and sorting; the public listing; validation; who may do what; the quick capacity update and
 * staleness; and row-level security underneath it all.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Caller,
  createWorld,
  login,
  makeNetwork,
  makeOrganization,
  makeTenants,
  makeUser,
  type Res,
  type World,
  userActor,
} from '../support/world.ts';
import { inTenant } from '../../src/server/core/db/tenant.ts';
import type { Role } from '../../src/server/core/auth/permissions.ts';

type Tenants = Awaited<ReturnType<typeof makeTenants>>;
type Member = Awaited<ReturnType<typeof makeUser>> & { caller: Caller };

let world: World;
let t: Tenants;
/** Signed-in callers of makeTenants' users, and coordinators (offer:manage) of A, B and the other network's X. */
const c = {} as Record<keyof Tenants['users'], Caller>;
let coordA: Member;
let coordB: Member;
let coordX: Member;
/** A site of organisation A and one of B. */
let siteA: string;
let siteB: string;
/** Zones (networks) whose municipalities make up a service area: Leuven + Herent, and Gent. */
let zoneLeuven: string;
let zoneGent: string;

const DAY = 86_400_000;

async function member(role: Role, networkId: string, organizationId: string | null): Promise<Member> {
  const user = await makeUser(world, { role, networkId, organizationId });
  return { ...user, caller: await login(world, user.email) };
}

async function makeZone(municipalities: string[]): Promise<string> {
  const zone = await makeNetwork(world);
  await world.owner
    .insertInto('network_municipalities')
    .values(municipalities.map((nis_code) => ({ network_id: zone.id, nis_code })))
    .execute();
  return zone.id;
}

/** The least an offer needs (the minimal POST body). */
const offerBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Basisaanbod',
  description: 'Een aanbod zonder bijzonderheden.',
  level: 'basic',
  themes: ['anxiety'],
  minAge: 18,
  maxAge: 65,
  municipalities: ['24062'],
  modalities: ['face-to-face'],
  capacity: 'open',
  waitDays: 5,
  ...overrides,
});

/** Creates an offer; a null in `overrides` leaves the field out (the column's default, NULL where it has none). */
async function createOffer(caller: Caller, overrides: Record<string, unknown> = {}) {
  const body: Record<string, unknown> = offerBody(overrides);
  for (const [key, value] of Object.entries(overrides)) if (value === null) delete body[key];
  const res = await caller.post('/api/offers', body);
  expect(res.statusCode, res.raw).toBe(201);
  return res.body as Record<string, any> & { id: string };
}

let seq = 0;
/** Sends with a fresh request id, so the audit rows of exactly this request can be found. */
async function send(
  caller: Caller,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  body?: unknown,
): Promise<Res & { requestId: string }> {
  const requestId = `of-${process.pid}-${++seq}-${crypto.randomBytes(3).toString('hex')}`;
  const res = await caller.request(method, url, method === 'GET' ? undefined : (body ?? {}), {
    'x-request-id': requestId,
  });
  return { ...res, requestId };
}
const auditOf = (requestId: string) =>
  world.owner.selectFrom('audit_log').selectAll().where('request_id', '=', requestId).orderBy('id').execute();

function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.raw).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
}

const dbOffer = (id: string) =>
  world.owner.selectFrom('offers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const countOffers = async () =>
  Number(
    (
      await world.owner
        .selectFrom('offers')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const ids = (res: Res) => (res.body.items as { id: string }[]).map((i) => i.id);
const names = (res: Res) => (res.body.items as { name: string }[]).map((i) => i.name);
const sorted = (values: string[]) => [...values].sort();

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  for (const key of Object.keys(t.users) as (keyof Tenants['users'])[]) c[key] = await login(world, t.users[key].email);
  coordA = await member('coordinator', t.network.id, t.orgA.id);
  coordB = await member('coordinator', t.network.id, t.orgB.id);
  coordX = await member('coordinator', t.otherNetwork.id, t.orgX.id);
  const site = (organization_id: string, name: string) =>
    world.owner
      .insertInto('sites')
      .values({ organization_id, name, street: 'Bondgenotenlaan 1', postal_code: '3000', nis_code: '24062' })
      .returning('id')
      .executeTakeFirstOrThrow();
  siteA = (await site(t.orgA.id, 'Zetel A')).id;
  siteB = (await site(t.orgB.id, 'Zetel B')).id;
  zoneLeuven = await makeZone(['24062', '24038']);
  zoneGent = await makeZone(['44021']);
});
afterAll(() => world?.close());

// ---------------------------------------------------------------------------------------------------------
describe('creating, reading and changing an offer', () => {
  it('creates an offer with every field (201) for the own organisation and network, and reads it back', async () => {
    const full = {
      name: 'Rouwbegeleiding voor nabestaanden',
      description: 'Een gesprek na het overlijden van een naaste.',
      category: 'victim-support-grief',
      level: 'basic',
      themes: ['grief-loss', 'loneliness'],
      targetGroups: ['bereaved', 'adults'],
      minAge: 16,
      maxAge: 99,
      modalities: ['face-to-face', 'phone'],
      languages: ['nl', 'fr'],
      municipalities: ['24009'],
      zones: [zoneLeuven],
      siteIds: [siteA],
      openingHours: 'ma-vr 9-17u',
      cost: 'contribution',
      costNote: '5 euro per gesprek',
      selfReferral: false,
      referralRequired: true,
      whoMayRefer: 'huisarts of CAW',
      consentRequired: false,
      contactPhone: '016 12 34 56',
      contactEmail: 'rouw@caw.example',
      contactUrl: 'https://caw.example/rouw',
      capacity: 'waitlist',
      waitDays: 21,
      isPublic: true,
      active: true,
      internalNote: 'Aanmelden via de coördinator',
    };
    const res = await coordA.caller.post('/api/offers', full);
    expect(res.statusCode, res.raw).toBe(201);
    const { zones: _zones, ...echoed } = full;
    expect(res.body).toEqual({
      ...echoed,
      // the phone as Belgian numbers are stored (+32…), whatever way it was typed
      contactPhone: '+3216123456',
      id: expect.any(String),
      organizationId: t.orgA.id,
      organizationName: t.orgA.name,
      // the zone is stored as its municipalities, merged with the ones given
      municipalities: ['24009', '24038', '24062'],
      // the sites, as addresses (public: organisation addresses, no personal data)
      sites: [{ id: siteA, name: 'Zetel A', street: 'Bondgenotenlaan 1', postalCode: '3000', municipality: '24062' }],
      capacityUpdatedAt: expect.any(String),
      stale: false,
      updatedAt: expect.any(String),
      createdAt: expect.any(String),
      mayEdit: true,
    });
    expect(Math.abs(Date.parse(res.body.capacityUpdatedAt) - Date.now())).toBeLessThan(60_000);

    const read = await coordA.caller.get(`/api/offers/${res.body.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.body).toEqual(res.body);
    expect(await dbOffer(res.body.id)).toMatchObject({
      organization_id: t.orgA.id,
      network_id: t.network.id,
      site_ids: [siteA],
      category_id: 'victim-support-grief',
    });

    // the search document is kept by a trigger: findable at once
    const found = await c.intakeA.get('/api/offers?q=nabestaanden');
    expect(ids(found)).toContain(res.body.id);
  });

  it("is part of the network's shared catalogue: another organisation and an analyst read it with internal fields, but may not edit", async () => {
    const offer = await createOffer(coordA.caller, { name: 'Gedeeld aanbod', internalNote: 'Intern: bel eerst' });
    for (const caller of [c.intakeB, coordB.caller, c.analyst, c.networkCoordinator]) {
      const res = await caller.get(`/api/offers/${offer.id}`);
      expect(res.statusCode, res.raw).toBe(200);
      expect(res.body).toMatchObject({
        id: offer.id,
        organizationId: t.orgA.id,
        internalNote: 'Intern: bel eerst',
        mayEdit: false,
      });
    }
    // mayEdit follows the permission too: a colleague without offer:manage may not edit
    expect((await c.intakeA.get(`/api/offers/${offer.id}`)).body.mayEdit).toBe(false);
    expect((await c.adminA.get(`/api/offers/${offer.id}`)).body.mayEdit).toBe(true);
    const listed = await c.analyst.get('/api/offers?q=gedeeld');
    expect(listed.statusCode).toBe(200);
    expect(ids(listed)).toEqual([offer.id]);
  });

  it('accepts the minimal body of the issue and fills in the defaults', async () => {
    const offer = await createOffer(coordA.caller, { name: 'Minimaal aanbod' });
    expect(offer).toMatchObject({
      category: null,
      targetGroups: [],
      languages: ['nl'],
      siteIds: [],
      cost: 'free',
      selfReferral: true,
      referralRequired: false,
      consentRequired: true,
      isPublic: true,
      active: true,
      internalNote: null,
      contactUrl: null,
      openingHours: null,
    });
  });

  it('a PATCH changes only what it names, trims the name, and the search follows the new name at once', async () => {
    const offer = await createOffer(coordA.caller, {
      name: 'Praatgroep Kompas',
      description: 'Samen praten over zorgen.',
      themes: ['anxiety', 'depression'],
    });
    await world.owner
      .updateTable('offers')
      .set({ capacity_updated_at: new Date(Date.now() - 3 * DAY), updated_at: new Date(Date.now() - 3 * DAY) })
      .where('id', '=', offer.id)
      .execute();
    const before = await dbOffer(offer.id);
    const res = await coordA.caller.patch(`/api/offers/${offer.id}`, { name: '  Praatgroep Windroos  ', minAge: 21 });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Praatgroep Windroos',
      minAge: 21,
      maxAge: 65,
      description: 'Samen praten over zorgen.',
      themes: ['anxiety', 'depression'],
      capacity: 'open',
      waitDays: 5,
    });
    const after = await dbOffer(offer.id);
    // the capacity was not touched, so its confirmation time stays; the offer itself was updated
    expect(after.capacity_updated_at.getTime()).toBe(before.capacity_updated_at.getTime());
    expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
    expect(ids(await c.intakeB.get('/api/offers?q=windroos'))).toEqual([offer.id]);
    expect(ids(await c.intakeB.get('/api/offers?q=kompas'))).toEqual([]);
  });

  it('a null clears an optional field: no age limit, no waiting time, no opening hours (not 0 or "")', async () => {
    const res = await coordA.caller.post(
      '/api/offers',
      offerBody({
        name: 'Zonder grenzen',
        minAge: null,
        maxAge: null,
        waitDays: null,
        openingHours: null,
        contactEmail: null,
      }),
    );
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toMatchObject({
      minAge: null,
      maxAge: null,
      waitDays: null,
      openingHours: null,
      contactEmail: null,
    });
    expect(await dbOffer(res.body.id)).toMatchObject({
      min_age: null,
      max_age: null,
      wait_days: null,
      opening_hours: null,
    });
    // so it is found for any age
    expect(ids(await c.intakeA.get('/api/offers?q=grenzen&age=40'))).toEqual([res.body.id]);

    const limited = await createOffer(coordA.caller, { name: 'Met grenzen', minAge: 18, maxAge: 65, waitDays: 10 });
    const cleared = await coordA.caller.patch(`/api/offers/${limited.id}`, { maxAge: null });
    expect(cleared.statusCode, cleared.raw).toBe(200);
    expect(cleared.body).toMatchObject({ minAge: 18, maxAge: null });
    const capacity = await coordA.caller.post(`/api/offers/${limited.id}/capacity`, {
      capacity: 'waitlist',
      waitDays: null,
    });
    expect(capacity.statusCode, capacity.raw).toBe(200);
    expect(capacity.body.waitDays).toBeNull();
    expect(await dbOffer(limited.id)).toMatchObject({ min_age: 18, max_age: null, wait_days: null });
  });

  it('lists the themes and categories without sign-in, labelled after Accept-Language', async () => {
    const anonymous = new Caller(world.app);
    const themes = await anonymous.get('/api/themes');
    expect(themes.statusCode).toBe(200);
    expect(themes.body.items[0]).toEqual({ id: 'loneliness', label: 'Eenzaamheid' });
    expect(themes.body.items).toContainEqual({ id: 'suicidal-thoughts', label: 'Suïcidale gedachten' });
    expect(themes.body.items.map((i: { id: string }) => i.id)).not.toContain('intake'); // a category, not a theme
    expect((await new Caller(world.app, null, null, null, 'en').get('/api/themes')).body.items).toContainEqual({
      id: 'suicidal-thoughts',
      label: 'Suicidal thoughts',
    });
    const categories = await anonymous.get('/api/categories');
    expect(categories.statusCode).toBe(200);
    expect(categories.body.items[0]).toEqual({ id: 'intake', label: 'Onthaal' });
    expect(categories.body.items.map((i: { id: string }) => i.id)).not.toContain('anxiety');
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('Dutch full-text search', () => {
  /** A network of its own, so that every result set can be compared exactly. */
  let searcher: Member;
  const S: Record<string, string> = {};

  beforeAll(async () => {
    const network = await makeNetwork(world);
    const org = await makeOrganization(world, network.id);
    searcher = await member('coordinator', network.id, org.id);
    const offers: Record<string, Record<string, unknown>> = {
      rouw: {
        name: 'Rouwbegeleiding voor nabestaanden',
        description: 'Een gesprek na het overlijden van een naaste.',
        themes: ['grief-loss'],
      },
      luisterlijn: {
        name: 'Luisterlijn',
        description: 'Anoniem praten met een vrijwilliger, dag en nacht.',
        themes: ['suicidal-thoughts'],
      },
      preventie: { name: 'Preventieteam', description: 'Ondersteuning na een poging tot suïcide.', themes: ['trauma'] },
      budget: {
        name: 'Budgetbegeleiding',
        description: 'Samen een budgetplan opmaken.',
        themes: ['financial-problems'],
      },
      babbelbox: {
        name: 'Babbelbox',
        description: 'Wekelijkse koffieochtend in het buurthuis.',
        themes: ['loneliness'],
      },
      // ranking: the word in the name must beat the word in the description, whatever the alphabet says
      zorgpad: { name: 'Zorgpad mindfulness', description: 'Acht weken in groep.', themes: ['stress-burnout'] },
      adem: {
        name: 'Ademhalingsgroep',
        description: 'Oefeningen uit de mindfulness voor elke dag.',
        themes: ['stress-burnout'],
      },
    };
    for (const [key, fields] of Object.entries(offers)) S[key] = (await createOffer(searcher.caller, fields)).id;
  });

  const search = async (q: string) => {
    const res = await searcher.caller.get(`/api/offers?q=${encodeURIComponent(q)}`);
    expect(res.statusCode, res.raw).toBe(200);
    return res;
  };
  const keysOf = (res: Res) => sorted(ids(res).map((id) => Object.keys(S).find((k) => S[k] === id) ?? id));

  it.each([
    ['rouw', ['rouw'], 'the start of a compound word'],
    ['nabestaande', ['rouw'], 'the singular finds the plural'],
    ['NABESTAANDEN', ['rouw'], 'case does not matter'],
    ['gesprekken', ['rouw'], 'the plural finds the singular (stemming, not just a prefix)'],
    // and the synonym group of zelfmoord (migration 017) adds the description's "suïcide"
    ['suicidale', ['luisterlijn', 'preventie'], 'a theme label, accent folded in the document (Suïcidale gedachten)'],
    ['suïcidale', ['luisterlijn', 'preventie'], 'a theme label, accent in the query'],
    ['preventieteam', ['preventie'], 'a whole name'],
    ['poging suïcide', ['preventie'], 'words of the description, all of them required'],
    ['financiele', ['budget'], 'a theme label only, accent folded in the document (Financiële problemen)'],
    ['FINANCIËLE', ['budget'], 'a theme label only, accent in the query'],
    ['eenzaamheid', ['babbelbox'], 'a theme label only (Eenzaamheid)'],
    ['loneliness', ['babbelbox'], 'the English theme label'],
    ['rouw nabestaande', ['rouw'], 'two words of one offer'],
    // no offer has both: the fallback shows the offers with either, marked approximate (catalogue-recall.test.ts)
    ['rouw babbelbox', ['rouw', 'babbelbox'], 'two words of different offers: each, as close matches'],
    ['tandarts', [], 'a word nowhere'],
  ])('q=%s finds %j: %s', async (q, expected) => {
    const res = await search(q);
    expect(keysOf(res)).toEqual(sorted(expected));
    expect(res.body.total).toBe(expected.length);
  });

  it('marks close matches as approximate and exact ones not', async () => {
    expect((await search('rouw babbelbox')).body.approximate).toBe(true);
    expect((await search('rouw nabestaande')).body.approximate).toBe(false);
  });

  it('folds accents both ways: suicide and SUÏCIDE find the description "suïcide"', async () => {
    for (const q of ['suicide', 'SUÏCIDE']) expect(keysOf(await search(q)), q).toContain('preventie');
  });

  it('ranks a match in the name above a match in the description', async () => {
    expect(names(await search('mindfulness'))).toEqual(['Zorgpad mindfulness', 'Ademhalingsgroep']);
  });

  it('ranks a theme label above the description', async () => {
    // "scheiding" is the label of the theme divorce (weight B) of one, and a word of the other's description (weight C)
    const label = await createOffer(searcher.caller, {
      name: 'Zzz themamatch',
      description: 'Iets anders.',
      themes: ['divorce'],
    });
    const text = await createOffer(searcher.caller, {
      name: 'Aaa tekstmatch',
      description: 'Begeleiding na een scheiding.',
      themes: ['anxiety'],
    });
    expect(ids(await search('scheiding'))).toEqual([label.id, text.id]);
  });

  it('ignores punctuation and does not fail on tsquery syntax', async () => {
    for (const q of ["rouw & | ! ( ) ' :*", 'rouw:*', '"rouw"']) {
      const res = await search(q);
      expect(keysOf(res), q).toEqual(['rouw']);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('filters, paging, sorting and facets', () => {
  /** A network of its own with two organisations; every search is compared exactly. */
  let searcher: Member;
  let orgF2: string;
  const F: Record<string, string> = {};

  beforeAll(async () => {
    const network = await makeNetwork(world);
    const f1 = await makeOrganization(world, network.id, 'caw');
    const f2 = await makeOrganization(world, network.id, 'cgg');
    orgF2 = f2.id;
    searcher = await member('coordinator', network.id, f1.id);
    const other = await member('coordinator', network.id, f2.id);
    //       org    level          themes                          ages       service area        modalities        languages    self  capacity      wait
    const table: [
      string,
      Member,
      string,
      string[],
      [number | null, number | null],
      Record<string, string[]>,
      string[],
      string[],
      boolean,
      string,
      number | null,
    ][] = [
      [
        'a',
        searcher,
        'basic',
        ['anxiety', 'depression'],
        [18, 65],
        { municipalities: ['24062'] },
        ['face-to-face'],
        ['nl', 'en'],
        true,
        'open',
        3,
      ],
      [
        'b',
        searcher,
        'specialised',
        ['depression'],
        [12, 25],
        { municipalities: ['24038'] },
        ['video', 'phone'],
        ['nl'],
        false,
        'waitlist',
        30,
      ],
      [
        'c',
        other,
        'crisis',
        ['suicidal-thoughts'],
        [null, null],
        { municipalities: ['44021'] },
        ['phone'],
        ['nl', 'fr'],
        true,
        'full',
        0,
      ],
      [
        'd',
        other,
        'zero-line',
        ['loneliness'],
        [65, null],
        { municipalities: ['24062', '24055'] },
        ['group'],
        ['fr'],
        true,
        'assessment',
        10,
      ],
      [
        'e',
        other,
        'basic',
        ['anxiety'],
        [0, 12],
        { municipalities: ['31005'] },
        ['home-visit'],
        ['nl'],
        false,
        'waitlist',
        15,
      ],
      [
        'f',
        searcher,
        'basic',
        ['housing'],
        [null, null],
        { municipalities: [], zones: [zoneGent] },
        ['chat'],
        ['nl'],
        true,
        'open',
        null,
      ],
    ];
    for (const [
      key,
      who,
      level,
      themes,
      [minAge, maxAge],
      area,
      modalities,
      languages,
      selfReferral,
      capacity,
      waitDays,
    ] of table) {
      F[key] = (
        await createOffer(who.caller, {
          name: `Filteraanbod ${key}`,
          level,
          themes,
          minAge,
          maxAge,
          ...area,
          modalities,
          languages,
          selfReferral,
          capacity,
          waitDays,
        })
      ).id;
    }
  });

  const find = async (query: string) => {
    const res = await searcher.caller.get(`/api/offers?${query}`);
    expect(res.statusCode, res.raw).toBe(200);
    return res;
  };
  const keysOf = (res: Res) => ids(res).map((id) => Object.keys(F).find((k) => F[k] === id) ?? id);

  it('sees the six offers of its network, in name order', async () => {
    const res = await find('');
    expect(keysOf(res)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(res.body.total).toBe(6);
    expect(res.body.items[0]).toMatchObject({
      id: F.a,
      name: 'Filteraanbod a',
      level: 'basic',
      themes: ['anxiety', 'depression'],
      capacity: 'open',
      waitDays: 3,
    });
  });

  it('expands a zone given at creation into its municipalities', async () => {
    expect((await dbOffer(F.f!)).municipalities).toEqual(['44021']);
  });

  it.each([
    ['theme=anxiety', ['a', 'e']],
    ['theme=anxiety&theme=loneliness', ['a', 'd', 'e']],
    ['age=15', ['b', 'c', 'f']],
    ['age=12', ['b', 'c', 'e', 'f']],
    ['age=65', ['a', 'c', 'd', 'f']],
    ['age=66', ['c', 'd', 'f']],
    ['municipality=24062', ['a', 'd']],
    ['municipality=44021', ['c', 'f']],
    ['municipality=24009', []],
    ['zone={zoneLeuven}', ['a', 'b', 'd']],
    ['zone={zoneGent}', ['c', 'f']],
    ['level=basic', ['a', 'e', 'f']],
    ['level=basic&level=crisis', ['a', 'c', 'e', 'f']],
    ['modality=phone', ['b', 'c']],
    ['modality=group&modality=chat', ['d', 'f']],
    ['language=fr', ['c', 'd']],
    ['language=en', ['a']],
    ['selfReferral=false', ['b', 'e']],
    ['selfReferral=true', ['a', 'c', 'd', 'f']],
    ['capacity=waitlist', ['b', 'e']],
    ['capacity=open&capacity=assessment', ['a', 'd', 'f']],
    // a full offer is out even with no waiting days
    ['maxWaitDays=10', ['a', 'd', 'f']],
    ['maxWaitDays=15', ['a', 'd', 'e', 'f']],
    ['maxWaitDays=2', ['f']],
    ['organizationId={orgF2}', ['c', 'd', 'e']],
    // combined
    ['theme=anxiety&municipality=24062', ['a']],
    ['level=basic&selfReferral=false', ['e']],
    ['theme=depression&age=20&maxWaitDays=10', ['a']],
    ['zone={zoneLeuven}&language=fr&capacity=assessment', ['d']],
    ['q=filteraanbod&modality=phone&level=crisis', ['c']],
  ] as [string, string[]][])('%s', async (query, expected) => {
    const res = await find(
      query.replace('{zoneLeuven}', zoneLeuven).replace('{zoneGent}', zoneGent).replace('{orgF2}', orgF2),
    );
    expect(sorted(keysOf(res))).toEqual(expected);
    expect(res.body.total).toBe(expected.length);
  });

  it('pages: the same total on every page, pages that do not overlap and together hold every match', async () => {
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const res = await find(`pageSize=2&page=${page}`);
      expect(res.body.total).toBe(6);
      expect(res.body.items).toHaveLength(2);
      seen.push(...keysOf(res));
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const last = await find('pageSize=4&page=2');
    expect(keysOf(last)).toEqual(['e', 'f']);
    expect(last.body.total).toBe(6);
  });

  it('a page past the end is empty but still reports the total', async () => {
    const res = await find('pageSize=2&page=4');
    expect(res.body.items).toEqual([]);
    expect(res.body.total).toBe(6);
  });

  it('sorts by waiting time: open offers first, then by waiting days (an unknown waiting time after the known ones); a full offer last', async () => {
    // f is open without waiting days: after a (open, 3 days), not before it as if it were 0
    expect(keysOf(await find('sort=wait'))).toEqual(['a', 'f', 'd', 'e', 'b', 'c']);
    expect(keysOf(await find('sort=wait&theme=depression'))).toEqual(['a', 'b']);
  });

  it('facets: counts per theme, level, modality, capacity and language, each without its own filter', async () => {
    const res = await find('facets=true&theme=anxiety');
    expect(sorted(keysOf(res))).toEqual(['a', 'e']);
    expect(res.body.facets).toEqual({
      // the theme facet ignores theme=anxiety, so the other themes stay visible
      theme: [
        { value: 'anxiety', count: 2 },
        { value: 'depression', count: 2 },
        { value: 'housing', count: 1 },
        { value: 'loneliness', count: 1 },
        { value: 'suicidal-thoughts', count: 1 },
      ],
      // the others count the anxiety offers only
      level: [{ value: 'basic', count: 2 }],
      modality: [
        { value: 'face-to-face', count: 1 },
        { value: 'home-visit', count: 1 },
      ],
      capacity: [
        { value: 'open', count: 1 },
        { value: 'waitlist', count: 1 },
      ],
      language: [
        { value: 'nl', count: 2 },
        { value: 'en', count: 1 },
      ],
    });
    const two = await find('facets=true&level=zero-line&language=fr');
    expect(keysOf(two)).toEqual(['d']);
    expect(two.body.facets).toEqual({
      level: [
        { value: 'crisis', count: 1 },
        { value: 'zero-line', count: 1 },
      ], // French offers of any level: c, d
      language: [{ value: 'fr', count: 1 }], // zero-line offers of any language: d
      theme: [{ value: 'loneliness', count: 1 }],
      modality: [{ value: 'group', count: 1 }],
      capacity: [{ value: 'assessment', count: 1 }],
    });
    expect((await find('theme=anxiety')).body.facets).toBeUndefined();
  });

  it('facets with all five filters at once agree with plain searches that leave that one filter out', async () => {
    const filters: Record<string, string[]> = {
      theme: ['anxiety', 'depression', 'loneliness'],
      level: ['basic', 'zero-line', 'specialised'],
      modality: ['face-to-face', 'group', 'video'],
      capacity: ['open', 'assessment', 'waitlist'],
      language: ['nl', 'fr'],
    };
    const query = (omit?: string) =>
      Object.entries(filters)
        .filter(([k]) => k !== omit)
        .flatMap(([k, vs]) => vs.map((v) => `${k}=${v}`))
        .join('&');
    const res = await find(`facets=true&${query()}`);
    const field: Record<string, 'themes' | 'level' | 'modalities' | 'capacity' | 'languages'> = {
      theme: 'themes',
      level: 'level',
      modality: 'modalities',
      capacity: 'capacity',
      language: 'languages',
    };
    for (const facet of Object.keys(filters)) {
      const others = (await find(`pageSize=100&${query(facet)}`)).body.items as Record<string, string | string[]>[];
      const expected = new Map<string, number>();
      for (const item of others)
        for (const v of [item[field[facet]!]].flat() as string[]) expected.set(v, (expected.get(v) ?? 0) + 1);
      const counted = Object.fromEntries(
        (res.body.facets[facet] as { value: string; count: number }[]).map((x) => [x.value, x.count]),
      );
      expect(counted, facet).toEqual(Object.fromEntries(expected));
    }
    expect(sorted(keysOf(res))).toEqual(['a', 'b', 'd']);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('the public listing and the network boundary', () => {
  const P: Record<string, string> = {};
  const PUBLIC_KEYS = [
    'id',
    'organizationId',
    'organizationName',
    'name',
    'description',
    'category',
    'level',
    'themes',
    'targetGroups',
    'minAge',
    'maxAge',
    'modalities',
    'languages',
    'municipalities',
    'openingHours',
    'cost',
    'costNote',
    'selfReferral',
    'referralRequired',
    'contactPhone',
    'contactEmail',
    'contactUrl',
    'capacity',
    'waitDays',
    'capacityUpdatedAt',
    'stale',
    'updatedAt',
    'sites',
  ];
  const anonymous = () => new Caller(world.app);

  beforeAll(async () => {
    const internals = { internalNote: 'Geheim', whoMayRefer: 'Enkel de huisarts', siteIds: [siteA] };
    P.open = (await createOffer(coordA.caller, { name: 'Zonnebloem publiek', ...internals })).id;
    P.hidden = (await createOffer(coordA.caller, { name: 'Zonnebloem intern', isPublic: false, ...internals })).id;
    P.inactive = (await createOffer(coordA.caller, { name: 'Zonnebloem gestopt', active: false })).id;
    P.elsewhere = (await createOffer(coordX.caller, { name: 'Zonnebloem elders' })).id;
    P.elsewhereHidden = (await createOffer(coordX.caller, { name: 'Zonnebloem elders intern', isPublic: false })).id;
  });

  it('needs no sign-in and shows the public, active offers of every network, with public fields only', async () => {
    const res = await anonymous().get('/api/public/offers?q=zonnebloem');
    expect(res.statusCode, res.raw).toBe(200);
    expect(sorted(ids(res))).toEqual(sorted([P.open!, P.elsewhere!]));
    expect(res.body.total).toBe(2);
    for (const item of res.body.items) {
      expect(sorted(Object.keys(item))).toEqual(sorted(PUBLIC_KEYS));
      for (const internal of [
        'internalNote',
        'whoMayRefer',
        'siteIds',
        'mayEdit',
        'consentRequired',
        'isPublic',
        'active',
        'createdAt',
      ])
        expect(item).not.toHaveProperty(internal);
    }
    expect(res.raw).not.toContain('Geheim');
    expect(res.raw).not.toContain('Enkel de huisarts');
    // where the offer is given: the site's name and address
    expect(res.body.items.find((i: { id: string }) => i.id === P.open).sites).toEqual([
      { id: siteA, name: 'Zetel A', street: 'Bondgenotenlaan 1', postalCode: '3000', municipality: '24062' },
    ]);
    expect(res.body.items.find((i: { id: string }) => i.id === P.elsewhere).sites).toEqual([]);
  });

  it('shows one public offer by id, and answers 404 for a non-public, inactive or unknown one', async () => {
    const open = await anonymous().get(`/api/public/offers/${P.open}`);
    expect(open.statusCode).toBe(200);
    expect(open.body).toMatchObject({
      id: P.open,
      name: 'Zonnebloem publiek',
      organizationId: t.orgA.id,
      sites: [{ id: siteA, name: 'Zetel A', street: 'Bondgenotenlaan 1' }],
    });
    expect(sorted(Object.keys(open.body))).toEqual(sorted(PUBLIC_KEYS));
    expect((await anonymous().get(`/api/public/offers/${P.elsewhere}`)).statusCode).toBe(200);
    for (const id of [P.hidden!, P.inactive!, P.elsewhereHidden!, crypto.randomUUID()]) {
      expectProblem(await anonymous().get(`/api/public/offers/${id}`), 404, 'not-found');
    }
    expectProblem(await anonymous().get('/api/public/offers/not-a-uuid'), 400, 'validation');
    expectProblem(await anonymous().get('/api/public/offers?bogus=1'), 400, 'validation');
  });

  it('a logged-in search shows the own network only, public or not, with internal fields; inactive offers are left out', async () => {
    const res = await c.intakeB.get('/api/offers?q=zonnebloem');
    expect(sorted(ids(res))).toEqual(sorted([P.open!, P.hidden!]));
    expect(res.body.items.find((i: { id: string }) => i.id === P.open)).toMatchObject({
      internalNote: 'Geheim',
      whoMayRefer: 'Enkel de huisarts',
      siteIds: [siteA],
      mayEdit: false,
    });
    // another network's offer stays out of the logged-in search and detail, even when it is public
    expect(sorted(ids(await c.intakeX.get('/api/offers?q=zonnebloem')))).toEqual(
      sorted([P.elsewhere!, P.elsewhereHidden!]),
    );
    expectProblem(await c.intakeA.get(`/api/offers/${P.elsewhere}`), 404, 'not-found');
    // an inactive offer is still there for its own organisation to reactivate
    expect((await coordA.caller.get(`/api/offers/${P.inactive}`)).body).toMatchObject({
      id: P.inactive,
      active: false,
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('an unknown waiting time', () => {
  /** A network of its own: open, assessment and waiting-list offers with and without waiting days. */
  let searcher: Member;
  const W: Record<string, string> = {};

  beforeAll(async () => {
    const network = await makeNetwork(world);
    const org = await makeOrganization(world, network.id, 'caw');
    searcher = await member('coordinator', network.id, org.id);
    const table: [string, string, number | null][] = [
      ['openKnown', 'open', 5],
      ['openUnknown', 'open', null],
      ['assessmentUnknown', 'assessment', null],
      ['waitlistKnown', 'waitlist', 1],
      ['waitlistUnknown', 'waitlist', null],
      ['full', 'full', null],
    ];
    for (const [key, capacity, waitDays] of table)
      W[key] = (await createOffer(searcher.caller, { name: `Wachttijd ${key}`, capacity, waitDays })).id;
  });
  const keys = async (query: string) => {
    const res = await searcher.caller.get(`/api/offers?${query}`);
    expect(res.statusCode, res.raw).toBe(200);
    return ids(res).map((id) => Object.keys(W).find((k) => W[k] === id));
  };

  it('maxWaitDays lets an unknown waiting time through for an open offer only (a waiting list or an assessment without days is not "0 days")', async () => {
    expect(sorted((await keys('maxWaitDays=2')) as string[])).toEqual(['openUnknown', 'waitlistKnown']);
    expect(sorted((await keys('maxWaitDays=0')) as string[])).toEqual(['openUnknown']);
    expect(sorted((await keys('maxWaitDays=3650')) as string[])).toEqual(['openKnown', 'openUnknown', 'waitlistKnown']);
    // the public listing filters the same way
    const pub = await new Caller(world.app).get(
      `/api/public/offers?q=wachttijd&maxWaitDays=2&organizationId=${(await dbOffer(W.openKnown!)).organization_id}`,
    );
    expect(sorted(ids(pub))).toEqual(sorted([W.openUnknown!, W.waitlistKnown!]));
  });

  it('sort=wait puts an unknown waiting time after the known ones of the same capacity', async () => {
    expect(await keys('sort=wait')).toEqual([
      'openKnown',
      'openUnknown',
      'assessmentUnknown',
      'waitlistKnown',
      'waitlistUnknown',
      'full',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('a deactivated organisation', () => {
  let org: { id: string };
  let coordinator: Member;
  let offer: string;
  let hidden: string;

  beforeAll(async () => {
    org = await makeOrganization(world, t.network.id, 'ocmw');
    coordinator = await member('coordinator', t.network.id, org.id);
    offer = (await createOffer(coordinator.caller, { name: 'Kabouterhuis onthaal', themes: ['housing'] })).id;
    hidden = (
      await createOffer(coordinator.caller, { name: 'Kabouterhuis intern', isPublic: false, themes: ['housing'] })
    ).id;
    await world.owner
      .updateTable('offers')
      .set({ capacity_updated_at: new Date(Date.now() - 30 * DAY) })
      .where('id', 'in', [offer, hidden])
      .execute();
  });
  const setActive = async (active: boolean) => {
    const res = await c.networkAdmin.patch(`/api/organizations/${org.id}`, { active });
    expect(res.statusCode, res.raw).toBe(200);
  };
  const staleAll = async () => ids(await c.networkCoordinator.get('/api/offers/stale'));

  it('its offers leave the search, the public listing, the facets, the details (404) and the stale overview; back when it is reactivated', async () => {
    const before = await c.intakeB.get('/api/offers?q=kabouterhuis&facets=true');
    expect(sorted(ids(before))).toEqual(sorted([offer, hidden]));
    expect(before.body.facets.theme).toEqual([{ value: 'housing', count: 2 }]);
    expect(ids(await new Caller(world.app).get('/api/public/offers?q=kabouterhuis'))).toEqual([offer]);
    expect(await staleAll()).toEqual(expect.arrayContaining([offer, hidden]));

    await setActive(false);
    const after = await c.intakeB.get('/api/offers?q=kabouterhuis&facets=true');
    expect(after.body).toMatchObject({ items: [], total: 0 });
    expect(after.body.facets.theme).toEqual([]);
    const housing = (await c.intakeB.get('/api/offers?theme=housing&facets=true')).body;
    expect(ids({ body: housing } as Res)).not.toContain(offer);
    expect(housing.facets.theme.find((f: { value: string }) => f.value === 'housing')?.count ?? 0).toBe(housing.total);
    const pub = await new Caller(world.app).get('/api/public/offers?q=kabouterhuis');
    expect(pub.body).toMatchObject({ items: [], total: 0 });
    expectProblem(await new Caller(world.app).get(`/api/public/offers/${offer}`), 404, 'not-found');
    for (const id of [offer, hidden]) expectProblem(await c.intakeB.get(`/api/offers/${id}`), 404, 'not-found');
    const stale = await staleAll();
    expect(stale).not.toContain(offer);
    expect(stale).not.toContain(hidden);
    // the rows themselves are untouched
    expect(await dbOffer(offer)).toMatchObject({ active: true, is_public: true });

    await setActive(true);
    expect(sorted(ids(await c.intakeB.get('/api/offers?q=kabouterhuis')))).toEqual(sorted([offer, hidden]));
    expect((await new Caller(world.app).get(`/api/public/offers/${offer}`)).statusCode).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('validation: field errors, nothing stored', () => {
  let existing: string;
  beforeAll(async () => {
    existing = (await createOffer(coordA.caller, { name: 'Ongewijzigd aanbod', minAge: 18, maxAge: 65 })).id;
  });

  const expectFieldErrors = (res: Res, expected: [string, string][]) => {
    expectProblem(res, 400, 'validation');
    const errors = (res.body.errors as { field: string; code: string }[]).map(
      (e) => [e.field, e.code] as [string, string],
    );
    for (const e of expected) expect(errors, JSON.stringify(e)).toContainEqual(e);
    expect(new Set(errors.map(([field]) => field))).toEqual(new Set(expected.map(([field]) => field)));
  };

  const CREATE: [string, () => Record<string, unknown>, [string, string][]][] = [
    ['an unknown theme', () => ({ themes: ['anxiety', 'no-such-theme'] }), [['themes.1', 'theme-unknown']]],
    ['a category given as a theme', () => ({ themes: ['intake'] }), [['themes.0', 'theme-unknown']]],
    ['the age range upside down', () => ({ minAge: 40, maxAge: 20 }), [['minAge', 'age-range']]],
    [
      'a NIS code that does not exist',
      () => ({ municipalities: ['24062', '99999'] }),
      [['municipalities.1', 'municipality-unknown']],
    ],
    ['an unknown category', () => ({ category: 'no-such-category' }), [['category', 'category-unknown']]],
    ['a theme given as the category', () => ({ category: 'anxiety' }), [['category', 'category-unknown']]],
    ['a site of another organisation', () => ({ siteIds: [siteA, siteB] }), [['siteIds.1', 'site-unknown']]],
    ['an unknown zone', () => ({ zones: [crypto.randomUUID()] }), [['zones.0', 'zone-unknown']]],
    ['an unknown field', () => ({ colour: 'red' }), [['colour', 'unknown-field']]],
    ['a blank name', () => ({ name: '   ' }), [['name', 'pattern']]],
    ['a missing name', () => ({ name: undefined }), [['name', 'required']]],
    ['a contact phone that is no number', () => ({ contactPhone: 'bel ons' }), [['contactPhone', 'phone-invalid']]],
    [
      'all checks at once',
      () => ({
        themes: ['nope-theme'],
        minAge: 30,
        maxAge: 10,
        municipalities: ['00000'],
        category: 'nope-category',
        siteIds: [siteB],
      }),
      [
        ['themes.0', 'theme-unknown'],
        ['minAge', 'age-range'],
        ['municipalities.0', 'municipality-unknown'],
        ['category', 'category-unknown'],
        ['siteIds.0', 'site-unknown'],
      ],
    ],
  ];

  it.each(CREATE)('create with %s: 400, no row', async (_label, overrides, expected) => {
    const before = await countOffers();
    const res = await send(coordA.caller, 'POST', '/api/offers', JSON.parse(JSON.stringify(offerBody(overrides()))));
    expectFieldErrors(res, expected);
    expect(await countOffers()).toBe(before);
    expect((await auditOf(res.requestId)).filter((r) => r.outcome === 'success')).toEqual([]);
  });

  const CHANGE: [string, () => Record<string, unknown>, [string, string][]][] = [
    ['an unknown theme', () => ({ themes: ['no-such-theme'] }), [['themes.0', 'theme-unknown']]],
    ['a minimum age above the stored maximum', () => ({ minAge: 70 }), [['minAge', 'age-range']]],
    ['a maximum age below the stored minimum', () => ({ maxAge: 10 }), [['minAge', 'age-range']]],
    [
      'a NIS code that does not exist',
      () => ({ municipalities: ['99999'] }),
      [['municipalities.0', 'municipality-unknown']],
    ],
    ['a site of another organisation', () => ({ siteIds: [siteB] }), [['siteIds.0', 'site-unknown']]],
    ['a blank name', () => ({ name: ' ' }), [['name', 'pattern']]],
    ['an unknown field', () => ({ organizationId: t.orgB.id }), [['organizationId', 'unknown-field']]],
    ['an unknown capacity', () => ({ capacity: 'closed' }), [['capacity', 'enum']]],
    ['a contact phone one digit short', () => ({ contactPhone: '016 12 34 5' }), [['contactPhone', 'phone-invalid']]],
  ];

  it.each([
    ['016/12.34.56', '+3216123456'],
    ['1813', '1813'],
    ['+31 20 123 4567', '+31201234567'],
    ['', null],
  ])('a contact phone typed as %s is stored as %s', async (typed, stored) => {
    const res = await coordA.caller.patch(`/api/offers/${existing}`, { contactPhone: typed });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.contactPhone).toBe(stored);
    expect((await dbOffer(existing)).contact_phone).toBe(stored);
  });

  it.each(CHANGE)('change with %s: 400, the offer unchanged', async (_label, body, expected) => {
    const before = await dbOffer(existing);
    expectFieldErrors(await coordA.caller.patch(`/api/offers/${existing}`, body()), expected);
    expect(await dbOffer(existing)).toEqual(before);
  });

  it('a capacity update with an unknown capacity or too many waiting days: 400, unchanged', async () => {
    const before = await dbOffer(existing);
    expectFieldErrors(
      await coordA.caller.post(`/api/offers/${existing}/capacity`, { capacity: 'closed', waitDays: 4000 }),
      [
        ['capacity', 'enum'],
        ['waitDays', 'maximum'],
      ],
    );
    expect(await dbOffer(existing)).toEqual(before);
  });

  it('search parameters are checked too', async () => {
    expectFieldErrors(await c.intakeA.get('/api/offers?sort=name&bogus=1'), [
      ['sort', 'anyOf'],
      ['bogus', 'unknown-field'],
    ]);
    expectFieldErrors(await c.intakeA.get('/api/offers?maxWaitDays=-1&zone=nope'), [
      ['maxWaitDays', 'minimum'],
      ['zone', 'format'],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('who may do what', () => {
  let offerA: Record<string, any> & { id: string };
  beforeAll(async () => {
    offerA = await createOffer(coordA.caller, { name: 'Aanbod Vlinder', capacity: 'open', waitDays: 2 });
  });

  it('an intake worker (no offer:manage) may not create or change an offer: 403, nothing stored', async () => {
    const before = await countOffers();
    expectProblem(await c.intakeA.post('/api/offers', offerBody({ name: 'Onbevoegd' })), 403, 'forbidden');
    expect(await countOffers()).toBe(before);
    const row = await dbOffer(offerA.id);
    expectProblem(await c.intakeA.patch(`/api/offers/${offerA.id}`, { name: 'Onbevoegd' }), 403, 'forbidden');
    expectProblem(await c.intakeA.post(`/api/offers/${offerA.id}/capacity`, { capacity: 'full' }), 403, 'forbidden');
    expect(await dbOffer(offerA.id)).toEqual(row);
  });

  it('network roles read the catalogue but do not publish offers', async () => {
    for (const caller of [c.analyst, c.networkCoordinator, c.networkAdmin]) {
      expect((await caller.get(`/api/offers/${offerA.id}`)).statusCode).toBe(200);
      expect(ids(await caller.get('/api/offers?q=vlinder'))).toEqual([offerA.id]);
      expectProblem(await caller.post('/api/offers', offerBody()), 403, 'forbidden');
    }
  });

  it("a coordinator of B sees A's offer but may not change it or its capacity: 403, audited as denied, unchanged", async () => {
    const row = await dbOffer(offerA.id);
    const read = await coordB.caller.get(`/api/offers/${offerA.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.body.mayEdit).toBe(false);
    const patch = await send(coordB.caller, 'PATCH', `/api/offers/${offerA.id}`, {
      name: 'Overgenomen door B',
      waitDays: 99,
    });
    expectProblem(patch, 403, 'forbidden');
    expect(await auditOf(patch.requestId)).toEqual([
      expect.objectContaining({
        action: 'offer.update',
        outcome: 'denied',
        entity_id: offerA.id,
        actor_user_id: coordB.id,
        organization_id: t.orgB.id,
      }),
    ]);
    const capacity = await send(coordB.caller, 'POST', `/api/offers/${offerA.id}/capacity`, {
      capacity: 'full',
      waitDays: 99,
    });
    expectProblem(capacity, 403, 'forbidden');
    expect(await auditOf(capacity.requestId)).toEqual([
      expect.objectContaining({
        action: 'offer.capacity',
        outcome: 'denied',
        entity_id: offerA.id,
        actor_user_id: coordB.id,
      }),
    ]);
    expect(await dbOffer(offerA.id)).toEqual(row);
  });

  it("an organisation admin of B may not change A's offer either", async () => {
    expectProblem(await c.adminB.patch(`/api/offers/${offerA.id}`, { name: 'Overgenomen' }), 403, 'forbidden');
    expect((await dbOffer(offerA.id)).name).toBe('Aanbod Vlinder');
  });

  it("another network's coordinator gets 404 on read, change and capacity, audited as not-found", async () => {
    const row = await dbOffer(offerA.id);
    for (const [method, url, body, action] of [
      ['GET', `/api/offers/${offerA.id}`, undefined, 'offer.read'],
      ['PATCH', `/api/offers/${offerA.id}`, { name: 'Overgenomen door X' }, 'offer.update'],
      ['POST', `/api/offers/${offerA.id}/capacity`, { capacity: 'full' }, 'offer.capacity'],
    ] as const) {
      const res = await send(coordX.caller, method, url, body);
      expectProblem(res, 404, 'not-found');
      expect(await auditOf(res.requestId)).toEqual([
        expect.objectContaining({ action, outcome: 'not-found', entity_id: offerA.id, actor_user_id: coordX.id }),
      ]);
    }
    expect(await dbOffer(offerA.id)).toEqual(row);
  });

  it('audits create, update and capacity, with identifiers and no free text', async () => {
    const created = await send(coordA.caller, 'POST', '/api/offers', offerBody({ name: 'Geauditeerd aanbod' }));
    expect(created.statusCode, created.raw).toBe(201);
    const id = created.body.id;
    const who = {
      entity_type: 'offer',
      entity_id: id,
      outcome: 'success',
      actor_user_id: coordA.id,
      organization_id: t.orgA.id,
      network_id: t.network.id,
      role: 'coordinator',
    };
    expect(await auditOf(created.requestId)).toEqual([expect.objectContaining({ action: 'offer.create', ...who })]);
    const updated = await send(coordA.caller, 'PATCH', `/api/offers/${id}`, {
      name: 'Geheime nieuwe naam',
      waitDays: 9,
    });
    expect(updated.statusCode, updated.raw).toBe(200);
    const updateRows = await auditOf(updated.requestId);
    expect(updateRows).toEqual([
      expect.objectContaining({ action: 'offer.update', ...who, details: { fields: 'name,waitDays' } }),
    ]);
    expect(JSON.stringify(updateRows[0]!.details)).not.toContain('Geheime');
    const capacity = await send(coordA.caller, 'POST', `/api/offers/${id}/capacity`, { capacity: 'full' });
    expect(capacity.statusCode, capacity.raw).toBe(200);
    expect(await auditOf(capacity.requestId)).toEqual([
      expect.objectContaining({ action: 'offer.capacity', ...who, details: { capacity: 'full', waitDays: null } }),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('capacity and staleness', () => {
  const ageCapacity = (id: string, days: number) =>
    world.owner
      .updateTable('offers')
      .set({ capacity_updated_at: new Date(Date.now() - days * DAY) })
      .where('id', '=', id)
      .execute();
  const staleIds = async (caller: Caller) => {
    const res = await caller.get('/api/offers/stale');
    expect(res.statusCode, res.raw).toBe(200);
    return ids(res);
  };

  it('the quick update sets capacity, waiting days and the confirmation time', async () => {
    const offer = await createOffer(coordA.caller, { name: 'Snel bijgewerkt', capacity: 'open', waitDays: 0 });
    await ageCapacity(offer.id, 5);
    const res = await coordA.caller.post(`/api/offers/${offer.id}/capacity`, { capacity: 'waitlist', waitDays: 35 });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({
      id: offer.id,
      capacity: 'waitlist',
      waitDays: 35,
      stale: false,
      name: 'Snel bijgewerkt',
    });
    expect(Math.abs(Date.parse(res.body.capacityUpdatedAt) - Date.now())).toBeLessThan(60_000);
    const row = await dbOffer(offer.id);
    expect(row).toMatchObject({ capacity: 'waitlist', wait_days: 35 });
    expect(Math.abs(row.capacity_updated_at.getTime() - Date.now())).toBeLessThan(60_000);
    // the search sees it at once
    expect(
      (await c.intakeB.get(`/api/offers?q=bijgewerkt&capacity=waitlist`)).body.items.map((i: { id: string }) => i.id),
    ).toEqual([offer.id]);
  });

  it('an offer not confirmed for more than 14 days is stale and listed for the network coordinator, until its capacity is updated', async () => {
    const old = await createOffer(coordA.caller, { name: 'Verouderd aanbod' });
    const recent = await createOffer(coordA.caller, { name: 'Recent bevestigd aanbod' });
    const inactive = await createOffer(coordA.caller, { name: 'Verouderd gestopt aanbod', active: false });
    const elsewhere = await createOffer(coordX.caller, { name: 'Verouderd aanbod elders' });
    await ageCapacity(old.id, 15);
    await ageCapacity(recent.id, 13);
    await ageCapacity(inactive.id, 30);
    await ageCapacity(elsewhere.id, 30);

    expect((await c.intakeA.get(`/api/offers/${old.id}`)).body.stale).toBe(true);
    expect((await c.intakeA.get(`/api/offers/${recent.id}`)).body.stale).toBe(false);
    expect((await new Caller(world.app).get(`/api/public/offers/${old.id}`)).body.stale).toBe(true);

    const listed = await c.networkCoordinator.get('/api/offers/stale');
    expect(listed.statusCode).toBe(200);
    expect(listed.body.items.find((i: { id: string }) => i.id === old.id)).toMatchObject({
      stale: true,
      organizationId: t.orgA.id,
      name: 'Verouderd aanbod',
    });
    expect(ids(listed)).not.toContain(recent.id);
    expect(ids(listed)).not.toContain(inactive.id);
    expect(ids(listed)).not.toContain(elsewhere.id);
    expect(listed.body.items.every((i: { stale: boolean }) => i.stale)).toBe(true);
    // the network admin has the overview too; a coordinator of the other network sees only theirs
    expect(await staleIds(c.networkAdmin)).toContain(old.id);
    expect(await staleIds(c.networkAdminX)).toEqual([elsewhere.id]);

    // changing something else does not confirm the capacity
    expect(
      (await coordA.caller.patch(`/api/offers/${old.id}`, { description: 'Nieuwe beschrijving.' })).body.stale,
    ).toBe(true);
    expect(await staleIds(c.networkCoordinator)).toContain(old.id);

    const confirmed = await coordA.caller.post(`/api/offers/${old.id}/capacity`, { capacity: 'open', waitDays: 5 });
    expect(confirmed.statusCode, confirmed.raw).toBe(200);
    expect(confirmed.body.stale).toBe(false);
    expect((await c.intakeA.get(`/api/offers/${old.id}`)).body.stale).toBe(false);
    expect(await staleIds(c.networkCoordinator)).not.toContain(old.id);
  });

  it('the stale overview pages (page, pageSize, total), the oldest first', async () => {
    const network = await makeNetwork(world);
    const org = await makeOrganization(world, network.id, 'cgg');
    const coordinator = await member('coordinator', network.id, org.id);
    const overseer = await member('network-coordinator', network.id, null);
    const made: string[] = [];
    for (const days of [40, 30, 20]) {
      const offer = await createOffer(coordinator.caller, { name: `Oud ${days}` });
      await ageCapacity(offer.id, days);
      made.push(offer.id);
    }
    const page = async (query: string) => {
      const res = await overseer.caller.get(`/api/offers/stale${query}`);
      expect(res.statusCode, res.raw).toBe(200);
      return res.body;
    };
    expect(await page('')).toMatchObject({ total: 3, page: 1, pageSize: 500 });
    expect(ids({ body: await page('') } as Res)).toEqual(made);
    const first = await page('?pageSize=2');
    expect(first).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(ids({ body: first } as Res)).toEqual(made.slice(0, 2));
    const second = await page('?pageSize=2&page=2');
    expect(second).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(ids({ body: second } as Res)).toEqual(made.slice(2));
    // past the end: empty, the total still there
    expect(await page('?pageSize=2&page=3')).toMatchObject({ items: [], total: 3, page: 3 });
    for (const bad of ['?pageSize=0', '?pageSize=501', '?page=0', '?page=x', '?bogus=1']) {
      expectProblem(await overseer.caller.get(`/api/offers/stale${bad}`), 400, 'validation');
    }
  });

  it('a PATCH of the capacity or the waiting days confirms it as well', async () => {
    const offer = await createOffer(coordA.caller, { name: 'Via patch bevestigd' });
    await ageCapacity(offer.id, 20);
    const res = await coordA.caller.patch(`/api/offers/${offer.id}`, { waitDays: 12 });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ waitDays: 12, stale: false });
    expect(await staleIds(c.networkCoordinator)).not.toContain(offer.id);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('row-level security on offers', () => {
  let offerA: string;
  let offerB: string;
  let hiddenA: string;
  let inactiveA: string;
  const actorOf = (organizationId: string, networkId: string, userId: string, role: Role = 'coordinator') =>
    userActor(userId, organizationId, networkId, role);
  const info = { ip: '127.0.0.1', userAgent: 'test', requestId: 'rls-offers' };
  const asB = () => actorOf(t.orgB.id, t.network.id, coordB.id);

  beforeAll(async () => {
    offerA = (await createOffer(coordA.caller, { name: 'RLS aanbod A' })).id;
    offerB = (await createOffer(coordB.caller, { name: 'RLS aanbod B' })).id;
    hiddenA = (await createOffer(coordA.caller, { name: 'RLS intern aanbod A', isPublic: false })).id;
    inactiveA = (await createOffer(coordA.caller, { name: 'RLS gestopt aanbod A', active: false })).id;
  });

  it("the application role of B cannot update A's offer, even with no organisation filter in the SQL", async () => {
    const before = await dbOffer(offerA);
    const result = await inTenant(world.db.app, asB(), info, (tx) =>
      tx.db
        .updateTable('offers')
        .set({ name: 'Gekaapt door B', capacity: 'full' })
        .where('id', '=', offerA)
        .executeTakeFirst(),
    );
    expect(result.numUpdatedRows).toBe(0n);
    expect(await dbOffer(offerA)).toEqual(before);
    // B does see A's offer (the catalogue is shared): it is the write that is refused
    const seen = await inTenant(world.db.app, asB(), info, (tx) =>
      tx.db.selectFrom('offers').select('id').where('id', '=', offerA).execute(),
    );
    expect(seen).toEqual([{ id: offerA }]);
  });

  it("an UPDATE of every offer as B changes B's offers only", async () => {
    const ownCount = (
      await world.owner.selectFrom('offers').select('id').where('organization_id', '=', t.orgB.id).execute()
    ).length;
    const all = await countOffers();
    expect(ownCount).toBeGreaterThan(0);
    expect(all).toBeGreaterThan(ownCount);
    let changed = -1n;
    await expect(
      inTenant(world.db.app, asB(), info, async (tx) => {
        changed = (await tx.db.updateTable('offers').set({ internal_note: 'door B' }).executeTakeFirst())
          .numUpdatedRows;
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(changed).toBe(BigInt(ownCount));
    expect((await dbOffer(offerB)).internal_note).toBeNull();
  });

  it('refuses to insert an offer into another organisation, or to move an offer to another organisation', async () => {
    await expect(
      inTenant(world.db.app, asB(), info, (tx) =>
        tx.db
          .insertInto('offers')
          .values({
            organization_id: t.orgA.id,
            network_id: t.network.id,
            name: 'Ondergeschoven',
            level: 'basic',
          } as never)
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      inTenant(world.db.app, asB(), info, (tx) =>
        tx.db.updateTable('offers').set({ organization_id: t.orgA.id }).where('id', '=', offerB).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    expect((await dbOffer(offerB)).organization_id).toBe(t.orgB.id);
  });

  it('reading is not limited by a policy (the catalogue holds no personal data; the data layer filters), so the search indexes stay usable', async () => {
    // a read policy would hide the GIN indexes from @@, && and @> (not leakproof); see migrations/002_catalogue.sql
    const rows = await sql<{ id: string }>`select id from offers`.execute(world.db.app);
    expect(rows.rows.length).toBe(await countOffers());
    // the public endpoint is what filters: hidden and inactive offers stay out of it
    const listed = await new Caller(world.app).get('/api/public/offers?pageSize=100');
    const ids = listed.body.items.map((o: { id: string }) => o.id);
    expect(ids).toContain(offerA);
    expect(ids).not.toContain(hiddenA);
    expect(ids).not.toContain(inactiveA);
    // nor may it write
    const result = await sql`update offers set name = 'Anoniem gewijzigd' where id = ${offerA}`.execute(world.db.app);
    expect(result.numAffectedRows).toBe(0n);
    expect((await dbOffer(offerA)).name).toBe('RLS aanbod A');
  });
});
