/**
 * Matching without a municipality (matching.ts 6, issue 14 part 4): near the organisation that registered the help
 * request (its sites), then the network's zone, the province, the whole network — widened while fewer than ten
 * offers qualify — with offers without a service area kept at every step. With a municipality nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, login, makeTenants, type Caller, type World } from '../support/world.ts';
import { candidateOf } from '../../src/server/features/intake/matching.repository.ts';
import {
  AREA_ENOUGH,
  rankOffers,
  type Candidate,
  type MatchRequest,
} from '../../src/server/features/intake/matching.ts';

const HERENT = '24038';
const LEUVEN = '24062';
const KORTENBERG = '24055';
const HALLE = '23027';
const VILVOORDE = '23088';
const DIEST = '24020';
const ANTWERPEN = '11002';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let intakeA: Caller;
let intakeB: Caller;
let intakeX: Caller;
const ids: Record<string, string> = {};

interface OfferSpec {
  name: string;
  themes: string[];
  municipalities: string[];
  capacity?: 'open' | 'waitlist' | 'full' | 'assessment';
  waitDays?: number | null;
  level?: 'zero-line' | 'basic' | 'specialised' | 'crisis';
  network?: 'main' | 'other';
  organization?: string;
}

async function offers(specs: OfferSpec[]) {
  for (const o of specs) {
    const network = o.network === 'other' ? t.otherNetwork.id : t.network.id;
    const row = await world.owner
      .insertInto('offers')
      .values({
        organization_id: o.organization ?? (o.network === 'other' ? t.orgX.id : t.orgB.id),
        network_id: network,
        name: o.name,
        description: 'Testaanbod',
        level: o.level ?? 'basic',
        themes: o.themes,
        languages: ['nl'],
        modalities: ['face-to-face'],
        municipalities: o.municipalities,
        capacity: o.capacity ?? 'open',
        wait_days: o.waitDays === undefined ? 0 : o.waitDays,
        active: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[o.name] = row.id;
  }
}

/** `n` offers named `prefix 1…n` on `themes`, serving one of `municipalities` each in turn, capacities varied. */
const many = (prefix: string, n: number, themes: string[], municipalities: string[]): OfferSpec[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `${prefix} ${i + 1}`,
    themes,
    municipalities: [municipalities[i % municipalities.length]!],
    capacity: (['waitlist', 'open', 'full', 'assessment'] as const)[i % 4],
    waitDays: i % 4 === 2 ? null : (i * 9) % 60,
  }));

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  intakeA = await login(world, t.users.intakeA.email);
  intakeB = await login(world, t.users.intakeB.email);
  intakeX = await login(world, t.users.intakeX.email);
  // organisation A has its site in Herent; the network's zone is Herent, Leuven and Kortenberg; B and the other
  // network's organisation have no site, and the other network has no zone
  await world.owner
    .insertInto('sites')
    .values({
      organization_id: t.orgA.id,
      name: 'Onthaal Herent',
      street: 'Wijgmaalsesteenweg 1',
      postal_code: '3020',
      nis_code: HERENT,
    })
    .execute();
  await world.owner
    .insertInto('network_municipalities')
    .values([HERENT, LEUVEN, KORTENBERG].map((nis_code) => ({ network_id: t.network.id, nis_code })))
    .execute();
  await offers([
    // depression: ten near organisation A, one without a service area, better ones in the zone and far away
    ...many('Herent depressie', AREA_ENOUGH, ['depression'], [HERENT]),
    { name: 'Zonder werkgebied', themes: ['depression'], municipalities: [] },
    { name: 'Leuven depressie open', themes: ['depression'], municipalities: [LEUVEN] },
    { name: 'Antwerpen depressie open', themes: ['depression'], municipalities: [ANTWERPEN] },
    // anxiety: three near A, eight more in the zone, the best far away
    ...many('Herent angst', 3, ['anxiety'], [HERENT]),
    ...many('Zone angst', 8, ['anxiety'], [LEUVEN, KORTENBERG]),
    { name: 'Antwerpen angst open', themes: ['anxiety'], municipalities: [ANTWERPEN], level: 'basic' },
    // loneliness: two near, nine elsewhere in the province of Vlaams-Brabant, one far away
    ...many('Herent eenzaamheid', 2, ['loneliness'], [HERENT]),
    ...many('Provincie eenzaamheid', 9, ['loneliness'], [HALLE, VILVOORDE, DIEST]),
    { name: 'Antwerpen eenzaamheid', themes: ['loneliness'], municipalities: [ANTWERPEN] },
    // trauma: two near, none anywhere else
    ...many('Herent trauma', 2, ['trauma'], [HERENT]),
    // grief: only far away
    { name: 'Rouwgroep Antwerpen', themes: ['grief-loss'], municipalities: [ANTWERPEN], level: 'zero-line' },
    // the other network: no zone, no site
    { name: 'Ander netwerk Antwerpen', themes: ['depression'], municipalities: [ANTWERPEN], network: 'other' },
    { name: 'Ander netwerk Gent', themes: ['depression'], municipalities: ['44021'], network: 'other' },
  ]);
});
afterAll(() => world?.close());

async function matchesOf(caller: Caller, body: Record<string, unknown>) {
  const created = await caller.post('/api/help-requests', {
    story: 'Belt anoniem, woonplaats niet gekend.',
    urgency: 'routine',
    ...body,
  });
  expect(created.statusCode, created.raw).toBe(201);
  const res = await caller.get(`/api/help-requests/${created.body.id}/matches`);
  expect(res.statusCode, res.raw).toBe(200);
  return res.body as {
    area: { basis: string; names: string[] };
    items: { offerId: string; name: string; score: number; reasons: string[]; misfits: string[] }[];
    whileWaiting: unknown[];
  };
}

/** The oracle: rankOffers over every active offer of the network on a theme that serves `area` or has no area. */
async function oracle(networkId: string, themes: string[], area: string[] | null) {
  const all = await world.owner
    .selectFrom('offers')
    .selectAll()
    .where('network_id', '=', networkId)
    .where('active', '=', true)
    .execute();
  const candidates: Candidate[] = all
    .filter((o) => area === null || o.municipalities.length === 0 || o.municipalities.some((m) => area.includes(m)))
    .map(candidateOf);
  const request: MatchRequest = { themes, language: null, preferredModality: null, municipality: null, age: null };
  return rankOffers(request, 'basic', candidates, 'nl').slice(0, 10);
}
const strip = (items: { offerId: string; score: number; reasons: string[]; misfits: string[] }[]) =>
  items.map(({ offerId, score, reasons, misfits }) => ({ offerId, score, reasons, misfits }));
const names = (items: { name: string }[]) => items.map((i) => i.name);

describe('matching without a municipality', () => {
  it('looks near the organisation that registered the request (its sites), keeps offers without a service area, and ranks them as always', async () => {
    const res = await matchesOf(intakeA, { themes: ['depression'] });
    expect(res.area).toEqual({ basis: 'organization', names: ['Herent'] });
    // the open offers in Leuven and Antwerp score as high as the one without an area, but are not near
    expect(names(res.items)).not.toContain('Leuven depressie open');
    expect(names(res.items)).not.toContain('Antwerpen depressie open');
    expect(res.items[0]!.name).toBe('Zonder werkgebied');
    expect(strip(res.items)).toEqual(strip(await oracle(t.network.id, ['depression'], [HERENT])));
    // every suggestion is near (or has no area)
    expect(res.items.every((i) => i.name.startsWith('Herent') || i.name === 'Zonder werkgebied')).toBe(true);
  });

  it('widens to the zone when fewer than ten offers qualify near the organisation; the far-away best is not taken', async () => {
    const res = await matchesOf(intakeA, { themes: ['anxiety'] });
    expect(res.area).toEqual({ basis: 'zone', names: ['Testzone'] });
    expect(names(res.items)).not.toContain('Antwerpen angst open');
    expect(names(res.items).some((n) => n.startsWith('Zone angst'))).toBe(true);
    expect(names(res.items).some((n) => n.startsWith('Herent angst'))).toBe(true);
    expect(strip(res.items)).toEqual(strip(await oracle(t.network.id, ['anxiety'], [HERENT, KORTENBERG, LEUVEN])));
  });

  it('an organisation without a site starts from the zone', async () => {
    const res = await matchesOf(intakeB, { themes: ['anxiety'] });
    expect(res.area).toEqual({ basis: 'zone', names: ['Testzone'] });
    expect(res.items).toHaveLength(10);
  });

  it('widens to the province when the zone holds too few, and names it', async () => {
    const res = await matchesOf(intakeA, { themes: ['loneliness'] });
    expect(res.area).toEqual({ basis: 'region', names: ['Provincie Vlaams-Brabant'] });
    expect(names(res.items)).not.toContain('Antwerpen eenzaamheid');
    const province = (
      await world.owner
        .selectFrom('municipalities')
        .select('nis_code')
        .where('province_nl', '=', 'Provincie Vlaams-Brabant')
        .execute()
    ).map((m) => m.nis_code);
    expect(strip(res.items)).toEqual(strip(await oracle(t.network.id, ['loneliness'], province)));
  });

  it('a far-away offer is not lost when nothing nearer exists: the whole network, said so', async () => {
    const res = await matchesOf(intakeA, { themes: ['grief-loss'] });
    expect(res.area).toEqual({ basis: 'network', names: [] });
    expect(names(res.items)).toEqual(['Rouwgroep Antwerpen']);
  });

  it('when widening finds nothing more, the offers near the organisation are all there is, and that area is named', async () => {
    const res = await matchesOf(intakeA, { themes: ['trauma'] });
    expect(res.area).toEqual({ basis: 'organization', names: ['Herent'] });
    expect(names(res.items).sort()).toEqual(['Herent trauma 1', 'Herent trauma 2']);
  });

  it('without a site or a zone, the whole network as before (every offer on the themes)', async () => {
    const res = await matchesOf(intakeX, { themes: ['depression'] });
    expect(res.area).toEqual({ basis: 'network', names: [] });
    expect(names(res.items).sort()).toEqual(['Ander netwerk Antwerpen', 'Ander netwerk Gent']);
    expect(strip(res.items)).toEqual(strip(await oracle(t.otherNetwork.id, ['depression'], null)));
  });

  it('with a municipality nothing changes: only offers serving it, no offer without an area, and the area says the municipality', async () => {
    const res = await matchesOf(intakeA, { themes: ['depression'], municipality: HERENT });
    expect(res.area).toEqual({ basis: 'municipality', names: ['Herent'] });
    expect(names(res.items)).not.toContain('Zonder werkgebied');
    expect(res.items.every((i) => i.name.startsWith('Herent') && i.reasons.includes('Werkt in Herent'))).toBe(true);
  });

  it("another organisation's help request is not found (404), and an analyst may not match (403)", async () => {
    const created = await intakeA.post('/api/help-requests', {
      story: 'Anoniem.',
      urgency: 'routine',
      themes: ['depression'],
    });
    expect(created.statusCode).toBe(201);
    expect((await intakeB.get(`/api/help-requests/${created.body.id}/matches`)).statusCode).toBe(404);
    const analyst = await login(world, t.users.analyst.email);
    expect((await analyst.get(`/api/help-requests/${created.body.id}/matches`)).statusCode).toBe(403);
  });
});
