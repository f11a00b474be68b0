/**
 * The network's synonym groups for the catalogue search (/api/network/search-synonyms): only the network admin
 * lists, adds and removes them; another network's group is not found; bad words are refused field by field with
 * nothing stored; every change is audited; and a search uses a group at once, in its own network only.
 * These routes are named as an exception in endpoints.test.ts: the 401/403 matrix is here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caller, createWorld, login, makeTenants, makeUser, type World } from '../support/world.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
const c = {} as Record<keyof Awaited<ReturnType<typeof makeTenants>>['users'], Caller>;
let coordinatorA: Caller;
let coordinatorX: Caller;

const BASE = '/api/network/search-synonyms';
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

async function offer(caller: Caller, name: string) {
  const res = await caller.post('/api/offers', {
    name,
    description: 'Wekelijkse koffieochtend in het buurthuis.',
    level: 'basic',
    themes: ['anxiety'],
    modalities: ['face-to-face'],
    municipalities: ['24062'],
    capacity: 'open',
  });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}
const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((o) => o.name);

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  for (const [key, user] of Object.entries(t.users)) c[key as keyof typeof c] = await login(world, user.email);
  const coordA = await makeUser(world, { role: 'coordinator', networkId: t.network.id, organizationId: t.orgA.id });
  const coordX = await makeUser(world, {
    role: 'coordinator',
    networkId: t.otherNetwork.id,
    organizationId: t.orgX.id,
  });
  coordinatorA = await login(world, coordA.email);
  coordinatorX = await login(world, coordX.email);
  await offer(coordinatorA, 'Babbelbox');
  await offer(coordinatorX, 'Babbelbox');
});
afterAll(() => world?.close());

describe('who may', () => {
  it('401 without a session, on every route', async () => {
    const anonymous = new Caller(world.app);
    for (const [method, url] of [
      ['GET', BASE],
      ['POST', BASE],
      ['DELETE', `${BASE}/${NO_SUCH_ID}`],
    ] as const) {
      const res = await anonymous.request(method, url, method === 'POST' ? { terms: ['a1', 'b1'] } : undefined);
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('403 for every role but the network admin, and nothing stored', async () => {
    const before = await world.owner.selectFrom('search_synonyms').select('id').execute();
    for (const role of ['intakeA', 'caregiverA', 'teamLeadA', 'adminA', 'networkCoordinator', 'analyst'] as const) {
      expect((await c[role].get(BASE)).statusCode, role).toBe(403);
      expect((await c[role].post(BASE, { terms: ['kletskoek', 'babbelbox'] })).statusCode, role).toBe(403);
      expect((await c[role].request('DELETE', `${BASE}/${NO_SUCH_ID}`)).statusCode, role).toBe(403);
    }
    expect(await world.owner.selectFrom('search_synonyms').select('id').execute()).toHaveLength(before.length);
  });
});

describe('the network admin', () => {
  it('lists the built-in Dutch list first, read-only', async () => {
    const res = await c.networkAdmin.get(BASE);
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(10);
    expect(res.body.items.every((g: { builtIn: boolean }) => g.builtIn)).toBe(true);
    expect(res.body.items).toContainEqual(
      expect.objectContaining({ terms: expect.arrayContaining(['zelfmoord', 'suicide']), builtIn: true }),
    );
  });

  it('refuses bad words field by field (400 problem+json) and stores nothing', async () => {
    const count = async () => (await world.owner.selectFrom('search_synonyms').select('id').execute()).length;
    const before = await count();
    const one = await c.networkAdmin.post(BASE, { terms: ['kletskoek'] });
    expect(one.statusCode).toBe(400);
    expect(one.headers['content-type']).toContain('application/problem+json');
    expect(one.body.errors.map((e: { field: string }) => e.field)).toEqual(['terms']);

    const bad = await c.networkAdmin.post(BASE, { terms: ['babbel box', '!!', 'Kletskoek', 'kletskoek'] });
    expect(bad.statusCode, bad.raw).toBe(400);
    expect(bad.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toEqual([
      'terms.0:synonym-term-invalid',
      'terms.1:synonym-term-invalid',
      'terms.3:synonym-term-duplicate',
    ]);
    expect(bad.body.errors[0].message).toMatch(/één woord/);

    const extra = await c.networkAdmin.post(BASE, { terms: ['a1', 'b1'], networkId: t.otherNetwork.id });
    expect(extra.statusCode).toBe(400);
    expect(await count()).toBe(before);
  });

  it('adds a group (folded), which a search of the network uses at once; another network is not touched', async () => {
    expect(names(await coordinatorA.get('/api/offers?q=kletskoek'))).not.toContain('Babbelbox');
    const res = await c.networkAdmin.post(BASE, { terms: ['Kletskoek', 'bábbelbox'] });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toMatchObject({ terms: ['kletskoek', 'babbelbox'], builtIn: false });

    expect(names(await coordinatorA.get('/api/offers?q=kletskoek'))).toContain('Babbelbox');
    expect(names(await c.intakeB.get('/api/offers?q=KLETSKOEK'))).toContain('Babbelbox');
    // the other network has a Babbelbox too, but not the group
    expect(names(await coordinatorX.get('/api/offers?q=kletskoek'))).not.toContain('Babbelbox');
    // nor does the public catalogue, which reads only the built-in list
    expect(names(await new Caller(world.app).get('/api/public/offers?q=kletskoek'))).not.toContain('Babbelbox');

    const own = (await c.networkAdmin.get(BASE)).body.items.filter((g: { builtIn: boolean }) => !g.builtIn);
    expect(own).toEqual([expect.objectContaining({ id: res.body.id, terms: ['kletskoek', 'babbelbox'] })]);
    expect((await c.networkAdminX.get(BASE)).body.items.filter((g: { builtIn: boolean }) => !g.builtIn)).toEqual([]);

    const audit = await world.owner
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'details'])
      .where('entity_id', '=', res.body.id)
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({ action: 'search.synonyms.create', outcome: 'success', details: expect.anything() }),
    ]);
  });

  it("another network's admin cannot remove the group (404), nobody removes a built-in one (403)", async () => {
    const own = (await c.networkAdmin.get(BASE)).body.items.find((g: { builtIn: boolean }) => !g.builtIn);
    const builtIn = (await c.networkAdmin.get(BASE)).body.items.find((g: { builtIn: boolean }) => g.builtIn);
    expect((await c.networkAdminX.request('DELETE', `${BASE}/${own.id}`)).statusCode).toBe(404);
    expect((await c.networkAdmin.request('DELETE', `${BASE}/${NO_SUCH_ID}`)).statusCode).toBe(404);
    expect((await c.networkAdmin.request('DELETE', `${BASE}/not-a-uuid`)).statusCode).toBe(400);
    expect((await c.networkAdmin.request('DELETE', `${BASE}/${builtIn.id}`)).statusCode).toBe(403);
    const still = await world.owner
      .selectFrom('search_synonyms')
      .select('id')
      .where('id', 'in', [own.id, builtIn.id])
      .execute();
    expect(still).toHaveLength(2);
  });

  it('removes the group: audited, and the search stops using it', async () => {
    const own = (await c.networkAdmin.get(BASE)).body.items.find((g: { builtIn: boolean }) => !g.builtIn);
    const res = await c.networkAdmin.request('DELETE', `${BASE}/${own.id}`);
    expect(res.statusCode, res.raw).toBe(204);
    expect(names(await coordinatorA.get('/api/offers?q=kletskoek'))).not.toContain('Babbelbox');
    const audit = await world.owner
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', own.id)
      .where('outcome', '=', 'success')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['search.synonyms.create', 'search.synonyms.delete']);
  });
});
