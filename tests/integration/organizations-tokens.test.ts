/**
 * The network: organisations, sites and teams, the municipality list and the current network; and the
 * API tokens an organisation admin hands to partner systems.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caller, createWorld, login, makeTenants, makeUser, PASSWORD, type World } from '../support/world.ts';
import { TOKEN_PERMISSIONS } from '../../src/server/core/auth/permissions.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let intakeA: Caller;
let adminA: Caller;
let adminB: Caller;
let networkAdmin: Caller;
let networkAdminX: Caller;

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  intakeA = await login(world, t.users.intakeA.email);
  adminA = await login(world, t.users.adminA.email);
  adminB = await login(world, t.users.adminB.email);
  networkAdmin = await login(world, t.users.networkAdmin.email);
  networkAdminX = await login(world, t.users.networkAdminX.email);
});
afterAll(() => world?.close());

const orgRow = (id: string) =>
  world.owner.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const count = async (table: 'organizations' | 'sites' | 'teams' | 'api_tokens') =>
  Number(
    (
      await world.owner
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const auditOf = (entityId: string) =>
  world.owner
    .selectFrom('audit_log')
    .select(['action', 'outcome', 'actor_user_id'])
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();

describe('organisations', () => {
  it('GET /api/organizations lists the organisations of the own network only, with id, name and kind', async () => {
    const res = await intakeA.get('/api/organizations');
    expect(res.statusCode).toBe(200);
    expect(res.body.items).toEqual(
      [t.orgA, t.orgB]
        .map((o) => ({ id: o.id, name: o.name, kind: o.id === t.orgA.id ? 'caw' : 'cgg', active: true }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
    const other = await networkAdminX.get('/api/organizations');
    expect(other.body.items.map((o: { id: string }) => o.id)).toEqual([t.orgX.id]);
  });

  it('a network admin adds an organisation to the network', async () => {
    const res = await networkAdmin.post('/api/organizations', { name: '  OCMW Teststad  ', kind: 'ocmw' });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name: 'OCMW Teststad',
      kind: 'ocmw',
      active: true,
      sites: [],
      teams: [],
    });
    expect(await orgRow(res.body.id)).toMatchObject({ network_id: t.network.id, name: 'OCMW Teststad' });
    expect((await intakeA.get('/api/organizations')).body.items.map((o: { id: string }) => o.id)).toContain(
      res.body.id,
    );
    expect((await networkAdminX.get('/api/organizations')).body.items.map((o: { id: string }) => o.id)).not.toContain(
      res.body.id,
    );
    expect(await auditOf(res.body.id)).toEqual([
      { action: 'organization.create', outcome: 'success', actor_user_id: t.users.networkAdmin.id },
    ]);
  });

  it('refuses an unknown kind or a missing name (400), and adds nothing', async () => {
    const before = await count('organizations');
    const badKind = await networkAdmin.post('/api/organizations', { name: 'Bakkerij', kind: 'bakery' });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['kind']));
    expect(badKind.body.errors.every((e: { field: string }) => e.field === 'kind')).toBe(true);
    const noName = await networkAdmin.post('/api/organizations', { kind: 'caw' });
    expect(noName.body.errors).toEqual([expect.objectContaining({ field: 'name', code: 'required' })]);
    expect(await count('organizations')).toBe(before);
  });

  it('refuses a name of blanks only (400), and adds nothing', async () => {
    const before = await count('organizations');
    const res = await networkAdmin.post('/api/organizations', { name: '     ', kind: 'caw' });
    expect(res.statusCode, res.raw).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['name']);
    expect(await count('organizations')).toBe(before);
  });

  it('an organisation admin changes the own organisation', async () => {
    const res = await adminA.patch(`/api/organizations/${t.orgA.id}`, { name: 'CAW Testregio', kind: 'caw' });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ id: t.orgA.id, name: 'CAW Testregio', kind: 'caw', active: true });
    expect((await orgRow(t.orgA.id)).name).toBe('CAW Testregio');
  });

  it('an organisation admin gets 403 on another organisation of the network, audited as denied', async () => {
    const res = await adminA.patch(`/api/organizations/${t.orgB.id}`, { name: 'Overgenomen' });
    expect(res.statusCode).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect((await orgRow(t.orgB.id)).name).toBe(t.orgB.name);
    expect(await auditOf(t.orgB.id)).toContainEqual({
      action: 'organization.update',
      outcome: 'denied',
      actor_user_id: t.users.adminA.id,
    });
  });

  it('an organisation admin gets 404 for an organisation of another network, audited as not-found', async () => {
    const res = await adminA.patch(`/api/organizations/${t.orgX.id}`, { name: 'Overgenomen' });
    expect(res.statusCode).toBe(404);
    expect(res.body.code).toBe('not-found');
    expect((await adminA.get(`/api/organizations/${t.orgX.id}`)).statusCode).toBe(404);
    expect((await orgRow(t.orgX.id)).name).toBe(t.orgX.name);
    expect(await auditOf(t.orgX.id)).toContainEqual({
      action: 'organization.update',
      outcome: 'not-found',
      actor_user_id: t.users.adminA.id,
    });
  });

  it('an organisation admin cannot switch an organisation on or off, not even the own', async () => {
    for (const active of [false, true]) {
      const res = await adminA.patch(`/api/organizations/${t.orgA.id}`, { active });
      expect(res.statusCode).toBe(403);
    }
    expect((await orgRow(t.orgA.id)).active).toBe(true);
  });

  it('a network admin switches an organisation off: its people and tokens are out, until it is switched on again', async () => {
    const org = await networkAdmin.post('/api/organizations', { name: 'Tijdelijke Dienst', kind: 'other' });
    const admin = await makeUser(world, { role: 'org-admin', networkId: t.network.id, organizationId: org.body.id });
    const session = await login(world, admin.email);
    const token = await session.post('/api/api-tokens', { name: 'Partner', permissions: ['organization:read'] });
    const partner = new Caller(world.app, null, null, token.body.token);
    expect((await partner.get('/api/organizations')).statusCode).toBe(200);

    const off = await networkAdmin.patch(`/api/organizations/${org.body.id}`, { active: false });
    expect(off.statusCode, off.raw).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await session.get('/api/users')).statusCode).toBe(401);
    expect((await partner.get('/api/organizations')).statusCode).toBe(401);
    const signIn = await new Caller(world.app).post('/api/auth/login', { email: admin.email, password: PASSWORD });
    expect(signIn.statusCode).toBe(403);
    expect(signIn.body.code).toBe('no-membership');
    expect((await intakeA.get('/api/organizations')).body.items).toContainEqual(
      expect.objectContaining({ id: org.body.id, active: false }),
    );

    expect((await networkAdmin.patch(`/api/organizations/${org.body.id}`, { active: true })).body.active).toBe(true);
    expect((await partner.get('/api/organizations')).statusCode).toBe(200);
    expect((await login(world, admin.email).then((c) => c.get('/api/users'))).statusCode).toBe(200);
  });
});

describe('sites and teams', () => {
  const site = { name: 'Onthaal Leuven', street: 'Bondgenotenlaan 10', postalCode: '3000', municipality: '24062' };

  it('refuses a site in a municipality (NIS code) that does not exist, and adds nothing', async () => {
    const before = await count('sites');
    const res = await adminA.post(`/api/organizations/${t.orgA.id}/sites`, { ...site, municipality: '99999' });
    expect(res.statusCode).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'municipality', code: 'municipality-unknown' })]);
    expect(await count('sites')).toBe(before);
  });

  it('adds a site to the own organisation', async () => {
    const res = await adminA.post(`/api/organizations/${t.orgA.id}/sites`, site);
    expect(res.statusCode, res.raw).toBe(201);
    const detail = await intakeA.get(`/api/organizations/${t.orgA.id}`);
    expect(detail.body.sites).toEqual([{ id: res.body.id, ...site }]);
  });

  it('an organisation admin adds no site or team to another organisation (403)', async () => {
    const sites = await count('sites');
    const teams = await count('teams');
    expect((await adminA.post(`/api/organizations/${t.orgB.id}/sites`, site)).statusCode).toBe(403);
    expect((await adminA.post(`/api/organizations/${t.orgB.id}/teams`, { name: 'Indringers' })).statusCode).toBe(403);
    expect(await count('sites')).toBe(sites);
    expect(await count('teams')).toBe(teams);
  });

  it('adds teams, listed by name; a network admin may add one to any organisation of the network', async () => {
    const second = await adminA.post(`/api/organizations/${t.orgA.id}/teams`, { name: 'Zorgteam Oost' });
    const first = await adminA.post(`/api/organizations/${t.orgA.id}/teams`, { name: '  Aanmeldteam  ' });
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    const detail = await adminA.get(`/api/organizations/${t.orgA.id}`);
    expect(detail.body.teams).toEqual([
      { id: first.body.id, name: 'Aanmeldteam' },
      { id: second.body.id, name: 'Zorgteam Oost' },
    ]);
    const byNetwork = await networkAdmin.post(`/api/organizations/${t.orgB.id}/teams`, { name: 'Netwerkteam' });
    expect(byNetwork.statusCode).toBe(201);
    expect((await adminB.get(`/api/organizations/${t.orgB.id}`)).body.teams).toEqual([
      { id: byNetwork.body.id, name: 'Netwerkteam' },
    ]);
  });
});

describe('reference data', () => {
  it('GET /api/municipalities returns the 304 municipalities of Flanders and Brussels', async () => {
    const res = await intakeA.get('/api/municipalities');
    expect(res.statusCode).toBe(200);
    const items = res.body.items as { nisCode: string; name: string; province: string | null }[];
    expect(items).toHaveLength(304);
    expect(new Set(items.map((m) => m.nisCode)).size).toBe(304);
    expect(items.every((m) => /^\d{5}$/.test(m.nisCode) && m.name.length > 1)).toBe(true);
    expect(items.filter((m) => m.province === null)).toHaveLength(19); // the Brussels municipalities
    expect(items).toContainEqual({
      nisCode: '11002',
      name: 'Antwerpen',
      nameFr: 'Anvers',
      province: 'Provincie Antwerpen',
    });
    // the French name too, for the picker's search (Bruxelles, Malines, Courtrai)
    expect(items).toContainEqual({ nisCode: '21004', name: 'Brussel', nameFr: 'Bruxelles', province: null });
    expect(items.find((m) => m.nisCode === '12025')).toMatchObject({ name: 'Mechelen', nameFr: 'Malines' });
    // ordered by name (compared on the first letter, which every collation orders alike)
    const initials = items.map((m) => m.name[0]!);
    expect(initials).toEqual([...initials].sort());
    expect(initials[0]).toBe('A');
  });

  it('filters by the start of the name, ignoring case', async () => {
    const leu = await intakeA.get('/api/municipalities?q=leu');
    expect(leu.body.items).toEqual([
      { nisCode: '24062', name: 'Leuven', nameFr: 'Louvain', province: 'Provincie Vlaams-Brabant' },
    ]);
    expect((await intakeA.get('/api/municipalities?q=LEUV')).body.items.map((m: { name: string }) => m.name)).toEqual([
      'Leuven',
    ]);
    expect((await intakeA.get('/api/municipalities?q=euven')).body.items).toEqual([]);
    expect((await intakeA.get('/api/municipalities?q=zzz')).body.items).toEqual([]);
  });

  it('GET /api/networks/current describes the own network and its municipalities', async () => {
    await world.owner
      .insertInto('network_municipalities')
      .values([
        { network_id: t.network.id, nis_code: '24062' },
        { network_id: t.network.id, nis_code: '24001' },
      ])
      .execute();
    const network = await world.owner
      .selectFrom('networks')
      .select('name')
      .where('id', '=', t.network.id)
      .executeTakeFirstOrThrow();
    const res = await intakeA.get('/api/networks/current');
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({
      id: t.network.id,
      name: network.name,
      zoneName: 'Testzone',
      municipalities: ['24001', '24062'],
    });
    const other = await networkAdminX.get('/api/networks/current');
    expect(other.body).toMatchObject({ id: t.otherNetwork.id, municipalities: [] });
  });
});

describe('API tokens', () => {
  let created: { id: string; token: string };

  it('an organisation admin creates a token; the secret is answered once and stored only as a hash', async () => {
    const before = await count('api_tokens');
    const res = await adminA.post('/api/api-tokens', {
      name: '  Partner EPD  ',
      permissions: ['client:search', 'client:read', 'organization:read'],
    });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), token: expect.stringMatching(/^kl_[A-Za-z0-9_-]{40,}$/) });
    created = res.body;
    expect(await count('api_tokens')).toBe(before + 1);
    const row = await world.owner
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      organization_id: t.orgA.id,
      name: 'Partner EPD',
      created_by: t.users.adminA.id,
      revoked_at: null,
      last_used_at: null,
    });
    expect(JSON.stringify(row)).not.toContain(created.token.slice(3));
  });

  it('lists tokens with a prefix but never the secret', async () => {
    const res = await adminA.get('/api/api-tokens');
    expect(res.statusCode).toBe(200);
    const item = res.body.items.find((i: { id: string }) => i.id === created.id);
    expect(Object.keys(item).sort()).toEqual([
      'createdAt',
      'id',
      'lastUsedAt',
      'name',
      'permissions',
      'prefix',
      'revokedAt',
    ]);
    expect(item).toMatchObject({
      name: 'Partner EPD',
      permissions: ['client:search', 'client:read', 'organization:read'],
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(created.token.startsWith(item.prefix)).toBe(true);
    expect(item.prefix.length).toBeGreaterThanOrEqual(4);
    expect(item.prefix.length).toBeLessThanOrEqual(12);
    expect(res.raw).not.toContain(created.token);
    expect(res.raw).not.toContain(created.token.slice(item.prefix.length, item.prefix.length + 16));
    expect(res.body.allowedPermissions).toEqual([...TOKEN_PERMISSIONS]);
    // there is no way to read it back
    expect((await adminA.get(`/api/api-tokens/${created.id}`)).statusCode).toBe(404);
  });

  it("lists the own organisation's tokens only", async () => {
    const other = await adminB.get('/api/api-tokens');
    expect(other.statusCode).toBe(200);
    expect(other.body.items.map((i: { id: string }) => i.id)).not.toContain(created.id);
  });

  it('works as a bearer token within its permissions, and records its last use', async () => {
    const partner = new Caller(world.app, null, null, created.token);
    const orgs = await partner.get('/api/organizations');
    expect(orgs.statusCode).toBe(200);
    expect(orgs.body.items.map((o: { id: string }) => o.id)).toContain(t.orgA.id);
    expect((await partner.get('/api/networks/current')).body.id).toBe(t.network.id);
    expect((await partner.get('/api/municipalities')).statusCode).toBe(403); // reference:read was not given
    const item = (await adminA.get('/api/api-tokens')).body.items.find((i: { id: string }) => i.id === created.id);
    expect(item.lastUsedAt).not.toBeNull();
  });

  it('refuses a permission outside the allowed list (400) and creates nothing', async () => {
    const before = await count('api_tokens');
    for (const permission of ['user:manage', 'token:manage', 'audit:read', 'client:access-log', 'made:up']) {
      const res = await adminA.post('/api/api-tokens', { name: 'Te Veel', permissions: ['client:read', permission] });
      expect(res.statusCode, permission).toBe(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'permissions.1', code: 'permission-not-allowed' }),
      ]);
    }
    const twice = await adminA.post('/api/api-tokens', { name: 'Dubbel', permissions: ['client:read', 'client:read'] });
    expect(twice.statusCode).toBe(400);
    expect(twice.body.errors.map((e: { field: string }) => e.field)).toEqual(['permissions']);
    expect(await count('api_tokens')).toBe(before);
  });

  it('revokes a token at once; revoking again keeps the first revocation time', async () => {
    const partner = new Caller(world.app, null, null, created.token);
    expect((await partner.get('/api/organizations')).statusCode).toBe(200);
    expect((await adminA.post(`/api/api-tokens/${created.id}/revoke`)).statusCode).toBe(204);
    const revoked = await partner.get('/api/organizations');
    expect(revoked.statusCode).toBe(401);
    expect(revoked.body.code).toBe('unauthenticated');
    const first = (await adminA.get('/api/api-tokens')).body.items.find(
      (i: { id: string }) => i.id === created.id,
    ).revokedAt;
    expect(first).toEqual(expect.any(String));
    expect((await adminA.post(`/api/api-tokens/${created.id}/revoke`)).statusCode).toBe(204);
    const second = (await adminA.get('/api/api-tokens')).body.items.find(
      (i: { id: string }) => i.id === created.id,
    ).revokedAt;
    expect(second).toBe(first);
    expect((await partner.get('/api/organizations')).statusCode).toBe(401);
  });
});
