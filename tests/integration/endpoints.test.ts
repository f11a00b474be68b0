/**
 * The access matrix of every non-public /api route: no session → 401, a role (or API token) without the
 * permission → 403 and audited, another tenant's record → 404 and audited, bad input → 400 with field
 * errors, and the happy path. A coverage block checks the tables against the OpenAPI document, so a new
 * route without a row here fails the suite.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caller, createWorld, login, makeTenants, makeUser, PASSWORD, type Res, type World } from '../support/world.ts';
import { ROLE_PERMISSIONS, TOKEN_PERMISSIONS, type Permission, type Role } from '../../src/server/auth/permissions.ts';
import { currentTotp } from '../../src/server/auth/totp.ts';
import type { Access } from '../../src/server/app.ts';

type Method = 'GET' | 'POST' | 'PATCH';
type Tenants = Awaited<ReturnType<typeof makeTenants>>;
type UserKey = keyof Tenants['users'];

let world: World;
let t: Tenants;
const c = {} as Record<UserKey, Caller>;
/** An API token of organisation A that may only search clients. */
let limited: { id: string; token: string; caller: Caller };
/** A client of organisation A. */
let clientA: string;
/** An offer of organisation A (public), and one of another network. */
let offerA: string;
let offerX: string;
/** A site of organisation B (not A's to link to an offer). */
let siteB: string;

// ---------------------------------------------------------------------------------------------------------
// The routes, read from src/server/features/*/*.routes.ts: access as declared, and the audit action a refusal
// is written under (the route's auditAction, else "METHOD /path").
// ---------------------------------------------------------------------------------------------------------
const ROUTES: Record<string, { access: Access; action?: string }> = {
  'POST /api/auth/login/totp': { access: 'pending' },
  'POST /api/auth/logout': { access: 'pending' },
  'GET /api/auth/me': { access: 'pending' },
  'POST /api/auth/membership': { access: 'account' },
  'POST /api/auth/password': { access: 'account' },
  'POST /api/auth/totp/setup': { access: 'account' },
  'POST /api/auth/totp/enable': { access: 'account' },
  'POST /api/auth/totp/disable': { access: 'account' },
  'GET /api/clients': { access: 'client:search', action: 'client.search' },
  'POST /api/clients': { access: 'client:create', action: 'client.create' },
  'POST /api/clients/duplicate-check': { access: 'client:create', action: 'client.duplicate-check' },
  'GET /api/clients/:id': { access: 'client:read', action: 'client.read' },
  'PATCH /api/clients/:id': { access: 'client:update', action: 'client.update' },
  'GET /api/clients/:id/access-log': { access: 'client:access-log', action: 'client.access-log.read' },
  'GET /api/organizations': { access: 'organization:read' },
  'GET /api/organizations/:id': { access: 'organization:read', action: 'organization.read' },
  'POST /api/organizations': { access: 'organization:create', action: 'organization.create' },
  'PATCH /api/organizations/:id': { access: 'organization:update', action: 'organization.update' },
  'POST /api/organizations/:id/sites': { access: 'organization:update', action: 'site.create' },
  'POST /api/organizations/:id/teams': { access: 'organization:update', action: 'team.create' },
  'GET /api/users': { access: 'user:read' },
  'GET /api/users/:id': { access: 'user:read', action: 'user.read' },
  'POST /api/users': { access: 'user:manage', action: 'user.create' },
  'PATCH /api/users/:id': { access: 'user:manage', action: 'user.update' },
  'POST /api/users/:id/reset-password': { access: 'user:manage', action: 'user.password.reset' },
  'POST /api/users/:id/memberships': { access: 'user:manage', action: 'membership.create' },
  'POST /api/memberships/:id/deactivate': { access: 'user:manage', action: 'membership.deactivate' },
  'GET /api/api-tokens': { access: 'token:manage' },
  'POST /api/api-tokens': { access: 'token:manage', action: 'api-token.create' },
  'POST /api/api-tokens/:id/revoke': { access: 'token:manage', action: 'api-token.revoke' },
  'GET /api/audit': { access: 'audit:read' },
  'GET /api/municipalities': { access: 'reference:read' },
  'GET /api/networks/current': { access: 'organization:read' },
  'GET /api/offers': { access: 'offer:read' },
  'GET /api/offers/stale': { access: 'offer:stale-overview' },
  'GET /api/offers/:id': { access: 'offer:read', action: 'offer.read' },
  'POST /api/offers': { access: 'offer:manage', action: 'offer.create' },
  'PATCH /api/offers/:id': { access: 'offer:manage', action: 'offer.update' },
  'POST /api/offers/:id/capacity': { access: 'offer:manage', action: 'offer.capacity' },
};
const PUBLIC = [
  'GET /api/health', 'GET /api/ready', 'GET /api/meta', 'POST /api/auth/login',
  'GET /api/themes', 'GET /api/categories', 'GET /api/public/offers', 'GET /api/public/offers/:id',
];
const ROUTE_KEYS = Object.keys(ROUTES);

/** Who lacks each permission a route above needs: a role where one exists, else the limited API token. */
const LACKING: Partial<Record<Permission, UserKey | 'token'>> = {
  'client:search': 'analyst',
  'client:read': 'networkAdmin',
  'client:create': 'adminA',
  'client:update': 'adminA',
  'client:access-log': 'intakeA',
  'organization:read': 'token', // every role has it
  'organization:create': 'adminA',
  'organization:update': 'networkCoordinator',
  'user:read': 'intakeA',
  'user:manage': 'teamLeadA',
  'token:manage': 'networkAdmin',
  'audit:read': 'teamLeadA',
  'reference:read': 'token', // every role has it
  'offer:read': 'token', // every role has it
  'offer:manage': 'intakeA',
  'offer:stale-overview': 'adminA',
};
const ROLE_OF: Record<UserKey, Role> = {
  intakeA: 'intake-worker', caregiverA: 'caregiver', teamLeadA: 'team-lead', adminA: 'org-admin', intakeB: 'intake-worker',
  adminB: 'org-admin', intakeX: 'intake-worker', networkAdmin: 'network-admin', networkCoordinator: 'network-coordinator',
  analyst: 'analyst', networkAdminX: 'network-admin',
};

// ---------------------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------------------
let seq = 0;
const newRequestId = () => `ep-${process.pid}-${++seq}-${crypto.randomBytes(3).toString('hex')}`;
const randomId = () => crypto.randomUUID();
const split = (route: string) => { const [method, path] = route.split(' ') as [Method, string]; return { method, path }; };
const fill = (path: string, id: string) => path.replace(':id', id);

/** Sends with a fresh request id, so the audit rows of exactly this request can be found. */
async function send(caller: Caller, method: Method, url: string, body?: unknown): Promise<Res & { requestId: string }> {
  const requestId = newRequestId();
  const res = await caller.request(method, url, method === 'GET' ? undefined : (body ?? {}), { 'x-request-id': requestId });
  return { ...res, requestId };
}
const auditOf = (requestId: string) =>
  world.owner.selectFrom('audit_log').selectAll().where('request_id', '=', requestId).orderBy('id').execute();

function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.raw).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: `https://kortelijn.be/problems/${code}` });
}

/** An id of the route's kind that the actor's own organisation holds (so a 403 is about the permission only). */
function ownIdFor(path: string): string {
  if (path.startsWith('/api/clients/')) return clientA;
  if (path.startsWith('/api/organizations/')) return t.orgA.id;
  if (path.startsWith('/api/users/')) return t.users.intakeA.id;
  if (path.startsWith('/api/memberships/')) return t.users.intakeA.membershipId;
  if (path.startsWith('/api/api-tokens/')) return limited.id;
  if (path.startsWith('/api/offers/')) return offerA;
  throw new Error(`no id for ${path}`);
}

async function freshUser(role: Role = 'intake-worker', organizationId: string | null = t.orgA.id) {
  const user = await makeUser(world, { role, networkId: t.network.id, organizationId });
  return { ...user, caller: await login(world, user.email) };
}

async function enrolTotp(caller: Caller): Promise<string> {
  const setup = await caller.post('/api/auth/totp/setup');
  expect(setup.statusCode, setup.raw).toBe(200);
  const enable = await caller.post('/api/auth/totp/enable', { code: currentTotp(setup.body.secret) });
  expect(enable.statusCode, enable.raw).toBe(204);
  return setup.body.secret;
}

/** A six-digit code that is valid in none of the steps around now. */
function wrongTotp(secret: string): string {
  const valid = new Set([-1, 0, 1, 2].map((step) => currentTotp(secret, Date.now() + step * 30_000)));
  let n = 0;
  while (valid.has(String(n).padStart(6, '0'))) n++;
  return String(n).padStart(6, '0');
}

const dbUser = (id: string) => world.owner.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const dbOffer = (id: string) => world.owner.selectFrom('offers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
/** The least an offer needs (POST /api/offers); themes, municipality and modality exist. */
const offerBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Matrixaanbod', description: 'Aanbod van de toegangsmatrix.', level: 'basic', themes: ['anxiety'], minAge: 18, maxAge: 65,
  municipalities: ['24062'], modalities: ['face-to-face'], capacity: 'open', waitDays: 5, ...overrides,
});

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  for (const key of Object.keys(t.users) as UserKey[]) c[key] = await login(world, t.users[key].email);
  const created = await c.intakeA.post('/api/clients', { givenName: 'Mieke', familyName: 'Matrixtest', birthDate: '1970-03-03' });
  clientA = created.body.id;
  const token = await c.adminA.post('/api/api-tokens', { name: 'Partner zoeken', permissions: ['client:search'] });
  limited = { id: token.body.id, token: token.body.token, caller: new Caller(world.app, null, null, token.body.token) };
  const offer = await c.adminA.post('/api/offers', offerBody());
  expect(offer.statusCode, offer.raw).toBe(201);
  offerA = offer.body.id;
  // nobody in the other network manages offers in makeTenants: the owner writes its offer
  offerX = (await world.owner.insertInto('offers').values({
    organization_id: t.orgX.id, network_id: t.otherNetwork.id, name: 'Aanbod elders', level: 'basic', themes: ['anxiety'], capacity: 'open',
  } as never).returning('id').executeTakeFirstOrThrow()).id;
  siteB = (await world.owner.insertInto('sites').values({ organization_id: t.orgB.id, name: 'Zetel B', street: 'Naamsestraat 1', postal_code: '3000', nis_code: '24062' })
    .returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(() => world?.close());

// ---------------------------------------------------------------------------------------------------------
describe('the route list', () => {
  it('is every operation of the OpenAPI document, minus the public ones', async () => {
    const spec = (await world.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    expect(documented.filter((r) => !PUBLIC.includes(r)).sort()).toEqual([...ROUTE_KEYS].sort());
  });

  it('names, for every permission a route needs, a caller that really lacks it', () => {
    const needed = new Set(Object.values(ROUTES).map((r) => r.access).filter((a) => a !== 'account' && a !== 'pending' && a !== 'public'));
    expect([...needed].filter((p) => !LACKING[p as Permission])).toEqual([]);
    for (const [permission, who] of Object.entries(LACKING) as [Permission, UserKey | 'token'][]) {
      if (who === 'token') {
        // no role lacks it, so only a token can be refused
        expect(Object.values(ROLE_PERMISSIONS).every((p) => p.includes(permission)), permission).toBe(true);
        expect(permission).not.toBe('client:search');
      } else {
        expect(ROLE_PERMISSIONS[ROLE_OF[who]], `${who} / ${permission}`).not.toContain(permission);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('(a) without a session: 401 unauthenticated', () => {
  it.each(ROUTE_KEYS)('%s', async (route) => {
    const { method, path } = split(route);
    const url = fill(path, randomId());
    const anonymous = new Caller(world.app);
    const forgedCookie = new Caller(world.app, crypto.randomBytes(32).toString('base64url'), 'x');
    const unknownToken = new Caller(world.app, null, null, `kl_${crypto.randomBytes(32).toString('base64url')}`);
    for (const caller of [anonymous, forgedCookie, unknownToken]) {
      const res = await send(caller, method, url);
      expectProblem(res, 401, 'unauthenticated');
      expect(await auditOf(res.requestId)).toEqual([]);
    }
  });

  it('the public routes answer without one', async () => {
    const anonymous = new Caller(world.app);
    for (const url of ['/api/health', '/api/ready', '/api/meta', '/api/openapi.json', '/api/themes', '/api/categories', '/api/public/offers', `/api/public/offers/${offerA}`]) {
      expect((await anonymous.get(url)).statusCode, url).toBe(200);
    }
    const badLogin = await anonymous.post('/api/auth/login', { email: 'nobody@test.example', password: 'wrong' });
    expectProblem(badLogin, 401, 'invalid-credentials');
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('(b) without the permission: 403 forbidden, audited as denied', () => {
  it.each(ROUTE_KEYS)('%s', async (route) => {
    const { method, path } = split(route);
    const { access, action } = ROUTES[route]!;
    // account and pending routes belong to people: an API token is refused there
    const who = access === 'account' || access === 'pending' ? 'token' : LACKING[access as Permission]!;
    const caller = who === 'token' ? limited.caller : c[who];
    const id = path.includes(':id') ? ownIdFor(path) : null;
    const body = route === 'POST /api/auth/login/totp' ? { code: '123456' } : {};
    const res = await send(caller, method, fill(path, id ?? ''), body);
    expectProblem(res, 403, 'forbidden');
    const rows = await auditOf(res.requestId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      outcome: 'denied',
      action: action ?? route,
      entity_id: id,
      ...(who === 'token'
        ? { actor_token_id: limited.id, actor_user_id: null, role: 'api-token', organization_id: t.orgA.id }
        : { actor_user_id: t.users[who].id, role: ROLE_OF[who] }),
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
interface NotFoundCase {
  route: string;
  who: UserKey;
  id: () => string;
  body?: () => unknown;
  /** Checks that nothing changed. */
  unchanged?: () => Promise<void>;
}
const NOT_FOUND: Record<string, NotFoundCase> = {
  'intake worker B reads a client of A': { route: 'GET /api/clients/:id', who: 'intakeB', id: () => clientA },
  'intake worker B changes a client of A': {
    route: 'PATCH /api/clients/:id', who: 'intakeB', id: () => clientA, body: () => ({ phone: '+32 9 123 45 67' }),
    unchanged: async () => expect((await world.owner.selectFrom('clients').select('phone').where('id', '=', clientA).executeTakeFirstOrThrow()).phone).toBeNull(),
  },
  'admin B reads the access log of a client of A': { route: 'GET /api/clients/:id/access-log', who: 'adminB', id: () => clientA },
  'a worker reads an organisation of another network': { route: 'GET /api/organizations/:id', who: 'intakeA', id: () => t.orgX.id },
  'admin A changes an organisation of another network': {
    route: 'PATCH /api/organizations/:id', who: 'adminA', id: () => t.orgX.id, body: () => ({ name: 'Overgenomen' }),
    unchanged: async () => expect((await world.owner.selectFrom('organizations').select('name').where('id', '=', t.orgX.id).executeTakeFirstOrThrow()).name).toBe(t.orgX.name),
  },
  'a network admin changes an organisation of another network': { route: 'PATCH /api/organizations/:id', who: 'networkAdmin', id: () => t.orgX.id, body: () => ({ kind: 'other' }) },
  'a network admin adds a site to another network': {
    route: 'POST /api/organizations/:id/sites', who: 'networkAdmin', id: () => t.orgX.id,
    body: () => ({ name: 'Indringer', street: 'Bondgenotenlaan 1', postalCode: '3000', municipality: '24062' }),
    unchanged: async () => expect(await world.owner.selectFrom('sites').select('id').where('organization_id', '=', t.orgX.id).execute()).toEqual([]),
  },
  'a network admin adds a team to another network': {
    route: 'POST /api/organizations/:id/teams', who: 'networkAdmin', id: () => t.orgX.id, body: () => ({ name: 'Indringers' }),
    unchanged: async () => expect(await world.owner.selectFrom('teams').select('id').where('organization_id', '=', t.orgX.id).execute()).toEqual([]),
  },
  'admin A reads a user of B': { route: 'GET /api/users/:id', who: 'adminA', id: () => t.users.intakeB.id },
  'a network admin reads a user of another network': { route: 'GET /api/users/:id', who: 'networkAdmin', id: () => t.users.intakeX.id },
  'a network admin deactivates a user of another network': {
    route: 'PATCH /api/users/:id', who: 'networkAdmin', id: () => t.users.intakeX.id, body: () => ({ active: false }),
    unchanged: async () => expect((await dbUser(t.users.intakeX.id)).active).toBe(true),
  },
  'a network admin resets the password of a user of another network': {
    route: 'POST /api/users/:id/reset-password', who: 'networkAdmin', id: () => t.users.intakeX.id,
    unchanged: async () => expect((await dbUser(t.users.intakeX.id)).must_change_password).toBe(false),
  },
  'a network admin gives a user of another network a role': {
    route: 'POST /api/users/:id/memberships', who: 'networkAdmin', id: () => t.users.intakeX.id, body: () => ({ role: 'caregiver', organizationId: t.orgA.id }),
    unchanged: async () => expect(await world.owner.selectFrom('memberships').select('id').where('user_id', '=', t.users.intakeX.id).execute()).toHaveLength(1),
  },
  'admin A gives a user of B a role': { route: 'POST /api/users/:id/memberships', who: 'adminA', id: () => t.users.intakeB.id, body: () => ({ role: 'caregiver' }) },
  'a network admin ends a role in another network': {
    route: 'POST /api/memberships/:id/deactivate', who: 'networkAdmin', id: () => t.users.intakeX.membershipId,
    unchanged: async () => expect((await world.owner.selectFrom('memberships').select('active').where('id', '=', t.users.intakeX.membershipId).executeTakeFirstOrThrow()).active).toBe(true),
  },
  'admin A ends a role in B': { route: 'POST /api/memberships/:id/deactivate', who: 'adminA', id: () => t.users.intakeB.membershipId },
  'a worker reads an offer of another network': { route: 'GET /api/offers/:id', who: 'intakeA', id: () => offerX },
  'admin A changes an offer of another network': {
    route: 'PATCH /api/offers/:id', who: 'adminA', id: () => offerX, body: () => ({ name: 'Overgenomen' }),
    unchanged: async () => expect((await dbOffer(offerX)).name).toBe('Aanbod elders'),
  },
  'admin A updates the capacity of an offer of another network': {
    route: 'POST /api/offers/:id/capacity', who: 'adminA', id: () => offerX, body: () => ({ capacity: 'full', waitDays: 99 }),
    unchanged: async () => expect(await dbOffer(offerX)).toMatchObject({ capacity: 'open', wait_days: null }),
  },
  'admin B revokes a token of A': {
    route: 'POST /api/api-tokens/:id/revoke', who: 'adminB', id: () => limited.id,
    unchanged: async () => expect((await world.owner.selectFrom('api_tokens').select('revoked_at').where('id', '=', limited.id).executeTakeFirstOrThrow()).revoked_at).toBeNull(),
  },
};

describe('(c) a record of another organisation or network: 404 (never 403), audited as not-found', () => {
  it.each(Object.keys(NOT_FOUND))('%s', async (label) => {
    const k = NOT_FOUND[label]!;
    const { method, path } = split(k.route);
    const id = k.id();
    const res = await send(c[k.who], method, fill(path, id), k.body?.());
    expectProblem(res, 404, 'not-found');
    const rows = await auditOf(res.requestId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'not-found', action: ROUTES[k.route]!.action, entity_id: id, actor_user_id: t.users[k.who].id });
    // indistinguishable from an id that exists nowhere
    const nowhere = await send(c[k.who], method, fill(path, randomId()), k.body?.());
    expect(nowhere.statusCode).toBe(404);
    const { requestId: _a, instance: _b, ...foreign } = res.body;
    const { requestId: _c, instance: _d, ...missing } = nowhere.body;
    expect(foreign).toEqual(missing);
    await k.unchanged?.();
  });
});

// ---------------------------------------------------------------------------------------------------------
interface BadInputCase {
  route: string;
  who: UserKey | 'pending';
  url?: () => string;
  body?: () => unknown;
  /** [field, code]; a code of null accepts any code for that field. */
  expect: [string, string | null][];
}
let pendingCaller: Caller;
const badId = (route: string, who: UserKey): BadInputCase => ({ route, who, url: () => fill(split(route).path, 'not-a-uuid'), body: () => ({}), expect: [['id', 'format']] });

const BAD_INPUT: Record<string, BadInputCase> = {
  'login/totp: a code that is not six digits, an unknown field': { route: 'POST /api/auth/login/totp', who: 'pending', body: () => ({ code: '12ab', remember: true }), expect: [['code', 'pattern'], ['remember', 'unknown-field']] },
  'membership: not a uuid, an unknown field': { route: 'POST /api/auth/membership', who: 'intakeA', body: () => ({ membershipId: 'nope', organizationId: t.orgB.id }), expect: [['membershipId', 'format'], ['organizationId', 'unknown-field']] },
  'membership: a membership of someone else': { route: 'POST /api/auth/membership', who: 'intakeA', body: () => ({ membershipId: t.users.intakeB.membershipId }), expect: [['membershipId', 'organization-unknown']] },
  'password: missing new password, an unknown field': { route: 'POST /api/auth/password', who: 'intakeA', body: () => ({ currentPassword: PASSWORD, confirm: 'x' }), expect: [['newPassword', 'required'], ['confirm', 'unknown-field']] },
  'password: wrong current password': { route: 'POST /api/auth/password', who: 'intakeA', body: () => ({ currentPassword: 'not my password', newPassword: 'a sufficiently long one' }), expect: [['currentPassword', 'password-wrong']] },
  'password: too short': { route: 'POST /api/auth/password', who: 'intakeA', body: () => ({ currentPassword: PASSWORD, newPassword: 'short' }), expect: [['newPassword', 'password-too-short']] },
  'password: the same as before': { route: 'POST /api/auth/password', who: 'intakeA', body: () => ({ currentPassword: PASSWORD, newPassword: PASSWORD }), expect: [['newPassword', 'password-same']] },
  'totp/enable: a short code, an unknown field': { route: 'POST /api/auth/totp/enable', who: 'intakeA', body: () => ({ code: '12', secret: 'x' }), expect: [['code', 'pattern'], ['secret', 'unknown-field']] },
  'totp/enable: without a started enrolment': { route: 'POST /api/auth/totp/enable', who: 'intakeA', body: () => ({ code: '123456' }), expect: [['code', 'invalid-code']] },
  'totp/disable: no password, an unknown field': { route: 'POST /api/auth/totp/disable', who: 'intakeA', body: () => ({ code: '123456' }), expect: [['password', 'required'], ['code', 'unknown-field']] },
  'totp/disable: a wrong password': { route: 'POST /api/auth/totp/disable', who: 'intakeA', body: () => ({ password: 'not my password' }), expect: [['password', 'password-wrong']] },
  'clients search: page size 0, an unknown parameter': { route: 'GET /api/clients', who: 'intakeA', url: () => '/api/clients?pageSize=0&bogus=1', expect: [['pageSize', 'minimum'], ['bogus', 'unknown-field']] },
  'client create: a bad e-mail, an unknown field': { route: 'POST /api/clients', who: 'intakeA', body: () => ({ givenName: 'Ann', familyName: 'Peeters', email: 'nope', shoeSize: 42 }), expect: [['email', 'format'], ['shoeSize', 'unknown-field']] },
  'duplicate check: birth year 1800, an unknown field': { route: 'POST /api/clients/duplicate-check', who: 'intakeA', body: () => ({ birthYear: 1800, municipality: '24062' }), expect: [['birthYear', 'minimum'], ['municipality', 'unknown-field']] },
  'client read: not a uuid': badId('GET /api/clients/:id', 'intakeA'),
  'client change: a bad phone, an unknown field': { route: 'PATCH /api/clients/:id', who: 'intakeA', url: () => `/api/clients/${clientA}`, body: () => ({ phone: 'call me', nickname: 'x' }), expect: [['phone', 'pattern'], ['nickname', 'unknown-field']] },
  'client change: not a uuid': badId('PATCH /api/clients/:id', 'intakeA'),
  'access log: not a uuid': badId('GET /api/clients/:id/access-log', 'teamLeadA'),
  'organisation create: short name, unknown kind, an unknown field': { route: 'POST /api/organizations', who: 'networkAdmin', body: () => ({ name: 'X', kind: 'bakery', city: 'Leuven' }), expect: [['name', 'minLength'], ['kind', null], ['city', 'unknown-field']] },
  'organisation read: not a uuid': badId('GET /api/organizations/:id', 'intakeA'),
  'organisation change: unknown kind, an unknown field': { route: 'PATCH /api/organizations/:id', who: 'adminA', url: () => `/api/organizations/${t.orgA.id}`, body: () => ({ kind: 'bakery', color: 'red' }), expect: [['kind', null], ['color', 'unknown-field']] },
  'site: bad postal code and NIS code, an unknown field': { route: 'POST /api/organizations/:id/sites', who: 'adminA', url: () => `/api/organizations/${t.orgA.id}/sites`, body: () => ({ name: 'Hoofdzetel', street: 'Bondgenotenlaan 1', postalCode: '30000', municipality: '2406', phone: 'x' }), expect: [['postalCode', 'pattern'], ['municipality', 'pattern'], ['phone', 'unknown-field']] },
  'site: a NIS code that does not exist': { route: 'POST /api/organizations/:id/sites', who: 'adminA', url: () => `/api/organizations/${t.orgA.id}/sites`, body: () => ({ name: 'Hoofdzetel', street: 'Bondgenotenlaan 1', postalCode: '3000', municipality: '99999' }), expect: [['municipality', 'municipality-unknown']] },
  'team: no name, an unknown field': { route: 'POST /api/organizations/:id/teams', who: 'adminA', url: () => `/api/organizations/${t.orgA.id}/teams`, body: () => ({ lead: 'x' }), expect: [['name', 'required'], ['lead', 'unknown-field']] },
  'user read: not a uuid': badId('GET /api/users/:id', 'adminA'),
  'user create: bad e-mail, short name, unknown role, an unknown field': { route: 'POST /api/users', who: 'adminA', body: () => ({ email: 'nope', displayName: 'X', role: 'king', nickname: 'k' }), expect: [['email', 'format'], ['displayName', 'minLength'], ['role', null], ['nickname', 'unknown-field']] },
  'user create: a role the admin may not grant': { route: 'POST /api/users', who: 'adminA', body: () => ({ email: `grant-${randomId()}@test.example`, displayName: 'Nieuwe Analist', role: 'analyst' }), expect: [['role', 'role-not-allowed']] },
  'user change: active is not a boolean, an unknown field': { route: 'PATCH /api/users/:id', who: 'adminA', url: () => `/api/users/${t.users.intakeA.id}`, body: () => ({ active: 'maybe', email: 'x@y.be' }), expect: [['active', 'type'], ['email', 'unknown-field']] },
  'user change: not a uuid': badId('PATCH /api/users/:id', 'adminA'),
  'password reset: not a uuid': badId('POST /api/users/:id/reset-password', 'adminA'),
  'membership add: organisation not a uuid, an unknown field': { route: 'POST /api/users/:id/memberships', who: 'adminA', url: () => `/api/users/${t.users.intakeA.id}/memberships`, body: () => ({ role: 'caregiver', organizationId: 'x', since: '2020' }), expect: [['organizationId', 'format'], ['since', 'unknown-field']] },
  'membership add: not a uuid': badId('POST /api/users/:id/memberships', 'adminA'),
  'membership end: not a uuid': badId('POST /api/memberships/:id/deactivate', 'adminA'),
  'token create: short name, no permissions, an unknown field': { route: 'POST /api/api-tokens', who: 'adminA', body: () => ({ name: 'x', permissions: [], expires: 'never' }), expect: [['name', 'minLength'], ['permissions', 'minItems'], ['expires', 'unknown-field']] },
  'token create: a permission a token cannot have': { route: 'POST /api/api-tokens', who: 'adminA', body: () => ({ name: 'Partner', permissions: ['client:read', 'user:manage'] }), expect: [['permissions.1', 'permission-not-allowed']] },
  'token revoke: not a uuid': badId('POST /api/api-tokens/:id/revoke', 'adminA'),
  'audit: limit above 200, an unknown parameter': { route: 'GET /api/audit', who: 'adminA', url: () => '/api/audit?limit=500&foo=1', expect: [['limit', 'maximum'], ['foo', 'unknown-field']] },
  'audit: from after to': { route: 'GET /api/audit', who: 'adminA', url: () => `/api/audit?from=${encodeURIComponent('2025-02-01T00:00:00Z')}&to=${encodeURIComponent('2025-01-01T00:00:00Z')}`, expect: [['from', 'range-invalid']] },
  'municipalities: an unknown parameter': { route: 'GET /api/municipalities', who: 'intakeA', url: () => '/api/municipalities?zip=3000', expect: [['zip', 'unknown-field']] },
  'offer search: page size 0, an unknown level, an unknown parameter': { route: 'GET /api/offers', who: 'intakeA', url: () => '/api/offers?pageSize=0&level=tertiary&bogus=1', expect: [['pageSize', 'minimum'], ['level.0', null], ['bogus', 'unknown-field']] },
  'offer search: age above 120, a NIS code of four digits': { route: 'GET /api/offers', who: 'intakeA', url: () => '/api/offers?age=121&municipality=2406', expect: [['age', 'maximum'], ['municipality', 'pattern']] },
  'offer read: not a uuid': badId('GET /api/offers/:id', 'intakeA'),
  'offer create: a blank name, an unknown level, an unknown field': { route: 'POST /api/offers', who: 'adminA', body: () => offerBody({ name: '   ', level: 'tertiary', colour: 'red' }), expect: [['name', 'pattern'], ['level', null], ['colour', 'unknown-field']] },
  'offer create: no themes, no capacity': { route: 'POST /api/offers', who: 'adminA', body: () => { const { themes: _t, capacity: _c, ...rest } = offerBody(); return rest; }, expect: [['themes', 'required'], ['capacity', 'required']] },
  'offer create: an unknown theme, ages upside down, a NIS code that does not exist': {
    route: 'POST /api/offers', who: 'adminA', body: () => offerBody({ themes: ['anxiety', 'no-such-theme'], minAge: 40, maxAge: 20, municipalities: ['24062', '99999'] }),
    expect: [['themes.1', 'theme-unknown'], ['minAge', 'age-range'], ['municipalities.1', 'municipality-unknown']],
  },
  'offer create: an unknown category, a site of another organisation': { route: 'POST /api/offers', who: 'adminA', body: () => offerBody({ category: 'no-such-category', siteIds: [siteB] }), expect: [['category', 'category-unknown'], ['siteIds.0', 'site-unknown']] },
  'offer change: a bad e-mail, an unknown field': { route: 'PATCH /api/offers/:id', who: 'adminA', url: () => `/api/offers/${offerA}`, body: () => ({ contactEmail: 'nope', rating: 5 }), expect: [['contactEmail', 'format'], ['rating', 'unknown-field']] },
  'offer change: a minimum age above the stored maximum': { route: 'PATCH /api/offers/:id', who: 'adminA', url: () => `/api/offers/${offerA}`, body: () => ({ minAge: 70 }), expect: [['minAge', 'age-range']] },
  'offer change: not a uuid': badId('PATCH /api/offers/:id', 'adminA'),
  'capacity: an unknown capacity, negative waiting days, an unknown field': { route: 'POST /api/offers/:id/capacity', who: 'adminA', url: () => `/api/offers/${offerA}/capacity`, body: () => ({ capacity: 'closed', waitDays: -1, note: 'x' }), expect: [['capacity', null], ['waitDays', null], ['note', 'unknown-field']] },
  'capacity: not a uuid': badId('POST /api/offers/:id/capacity', 'adminA'),
};

describe('(d) bad input: 400 with field errors, nothing done', () => {
  beforeAll(async () => {
    const user = await freshUser();
    await enrolTotp(user.caller);
    pendingCaller = await login(world, user.email);
  });

  it.each(Object.keys(BAD_INPUT))('%s', async (label) => {
    const k = BAD_INPUT[label]!;
    const { method, path } = split(k.route);
    const caller = k.who === 'pending' ? pendingCaller : c[k.who];
    const res = await send(caller, method, k.url?.() ?? path, k.body?.());
    expectProblem(res, 400, 'validation');
    const errors = res.body.errors as { field: string; code: string; message: string }[];
    for (const e of errors) expect(e.message, JSON.stringify(e)).toMatch(/\S/);
    for (const [field, code] of k.expect) {
      expect(errors.some((e) => e.field === field && (code === null || e.code === code)), `${field}:${code} in ${res.raw}`).toBe(true);
    }
    // every error names one of the expected fields (nothing unrelated is reported)
    expect(new Set(errors.map((e) => e.field))).toEqual(new Set(k.expect.map(([field]) => field)));
    expect((await auditOf(res.requestId)).filter((r) => r.outcome === 'success')).toEqual([]);
  });

  it('compares an audit time range as instants, not as text (time-zone offsets)', async () => {
    // 12:00+02:00 is 10:00Z, before 11:00Z: a valid range
    const from = encodeURIComponent('2025-01-01T12:00:00+02:00');
    const to = encodeURIComponent('2025-01-01T11:00:00Z');
    const res = await c.adminA.get(`/api/audit?from=${from}&to=${to}`);
    expect(res.statusCode, res.raw).toBe(200);
  });

  it('refuses an audit time JavaScript cannot represent (a leap second) as bad input, not with a server error', async () => {
    const res = await send(c.adminA, 'GET', `/api/audit?from=${encodeURIComponent('2016-12-31T23:59:60Z')}`);
    expect(res.statusCode, res.raw).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['from']);
  });

  // PostgreSQL has no year 0: such a date must be refused before it reaches the database
  it.each([
    ['POST', '/api/clients', 'birthDate', { givenName: 'Jaar', familyName: 'Nul', birthDate: '0000-01-01' }],
    ['POST', '/api/clients/duplicate-check', 'birthDate', { givenName: 'Jaar', familyName: 'Nul', birthDate: '0000-01-01' }],
    ['GET', '/api/clients?birthDate=0000-01-01', 'birthDate', undefined],
    ['GET', `/api/clients?q=${encodeURIComponent('01/01/0000')}`, 'q', undefined],
  ] as const)('refuses a birth date in year 0000: %s %s → 400 on %s', async (method, url, field, body) => {
    const res = await send(c.intakeA, method, url, body);
    expect(res.statusCode, res.raw).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

// ---------------------------------------------------------------------------------------------------------
const HAPPY: Record<string, () => Promise<void>> = {
  'POST /api/auth/login/totp': async () => {
    const user = await freshUser();
    const secret = await enrolTotp(user.caller);
    const pending = new Caller(world.app);
    const first = await pending.post('/api/auth/login', { email: user.email, password: PASSWORD });
    expect(first.body).toMatchObject({ twoFactorRequired: true });
    pending.csrf = first.body.csrfToken;
    expectProblem(await pending.get('/api/clients'), 401, 'two-factor-pending');
    expect((await pending.get('/api/auth/me')).body).toMatchObject({ pendingTwoFactor: true, permissions: [] });
    expectProblem(await pending.post('/api/auth/login/totp', { code: wrongTotp(secret) }), 401, 'invalid-code');
    // the enrolment used the current step; a code is accepted once, so take the next step's code
    const res = await pending.post('/api/auth/login/totp', { code: currentTotp(secret, Date.now() + 30_000) });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toEqual({ csrfToken: expect.any(String), mustChangePassword: false });
    pending.csrf = res.body.csrfToken;
    expect((await pending.get('/api/clients')).statusCode).toBe(200);
    // a full session has nothing left to confirm
    expectProblem(await pending.post('/api/auth/login/totp', { code: currentTotp(secret) }), 409, 'conflict');
  },
  'POST /api/auth/logout': async () => {
    const caller = await login(world, t.users.caregiverA.email);
    const cookie = caller.cookie;
    const res = await caller.post('/api/auth/logout');
    expect(res.statusCode).toBe(204);
    expect(caller.cookie).toBeNull();
    expectProblem(await new Caller(world.app, cookie).get('/api/auth/me'), 401, 'unauthenticated');
  },
  'GET /api/auth/me': async () => {
    const res = await c.intakeA.get('/api/auth/me');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      csrfToken: c.intakeA.csrf, pendingTwoFactor: false,
      user: { id: t.users.intakeA.id, email: t.users.intakeA.email, mustChangePassword: false },
      membership: { id: t.users.intakeA.membershipId, role: 'intake-worker', organizationId: t.orgA.id, networkId: t.network.id },
    });
    expect([...res.body.permissions].sort()).toEqual([...ROLE_PERMISSIONS['intake-worker']].sort());
  },
  'POST /api/auth/membership': async () => {
    const user = await freshUser('intake-worker', t.orgA.id);
    const second = await world.owner.insertInto('memberships').values({ user_id: user.id, network_id: t.network.id, organization_id: t.orgB.id, role: 'caregiver' }).returning('id').executeTakeFirstOrThrow();
    expect((await user.caller.get(`/api/clients/${clientA}`)).statusCode).toBe(200);
    const res = await user.caller.post('/api/auth/membership', { membershipId: second.id });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.membership).toMatchObject({ id: second.id, role: 'caregiver', organizationId: t.orgB.id });
    expect(res.body.memberships).toHaveLength(2);
    // now working for B: A's client is out of sight
    expect((await user.caller.get(`/api/clients/${clientA}`)).statusCode).toBe(404);
  },
  'POST /api/auth/password': async () => {
    const user = await freshUser();
    const otherSession = await login(world, user.email);
    const res = await user.caller.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'een nieuw en lang wachtwoord' });
    expect(res.statusCode, res.raw).toBe(204);
    expect((await user.caller.get('/api/auth/me')).statusCode).toBe(200);
    expectProblem(await otherSession.get('/api/auth/me'), 401, 'unauthenticated');
    expectProblem(await new Caller(world.app).post('/api/auth/login', { email: user.email, password: PASSWORD }), 401, 'invalid-credentials');
    expect((await new Caller(world.app).post('/api/auth/login', { email: user.email, password: 'een nieuw en lang wachtwoord' })).statusCode).toBe(200);
  },
  'POST /api/auth/totp/setup': async () => {
    const user = await freshUser();
    const res = await user.caller.post('/api/auth/totp/setup');
    expect(res.statusCode).toBe(200);
    expect(res.body.secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(res.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(res.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(await dbUser(user.id)).toMatchObject({ totp_secret: res.body.secret, totp_enabled: false });
  },
  'POST /api/auth/totp/enable': async () => {
    const user = await freshUser();
    await enrolTotp(user.caller);
    expect((await user.caller.get('/api/auth/me')).body.user.totpEnabled).toBe(true);
    expect((await new Caller(world.app).post('/api/auth/login', { email: user.email, password: PASSWORD })).body.twoFactorRequired).toBe(true);
  },
  'POST /api/auth/totp/disable': async () => {
    const user = await freshUser();
    await enrolTotp(user.caller);
    const res = await user.caller.post('/api/auth/totp/disable', { password: PASSWORD });
    expect(res.statusCode, res.raw).toBe(204);
    expect(await dbUser(user.id)).toMatchObject({ totp_enabled: false, totp_secret: null });
    expect((await new Caller(world.app).post('/api/auth/login', { email: user.email, password: PASSWORD })).body.twoFactorRequired).toBe(false);
  },
  'GET /api/clients': async () => {
    const res = await c.intakeA.get('/api/clients?q=matrixtest');
    expect(res.statusCode).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([clientA]);
  },
  'POST /api/clients': async () => {
    const res = await c.caregiverA.post('/api/clients', { givenName: 'Koen', familyName: 'Nieuwkomer', municipality: '24062' });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(String), organizationId: t.orgA.id, displayName: 'Koen Nieuwkomer', municipality: '24062', possibleDuplicates: [] });
  },
  'POST /api/clients/duplicate-check': async () => {
    const res = await c.intakeA.post('/api/clients/duplicate-check', { givenName: 'Mieke', familyName: 'Matrixtest', birthDate: '1970-03-03' });
    expect(res.statusCode).toBe(200);
    expect(res.body.items).toEqual([{ id: clientA, displayName: 'Mieke Matrixtest', birthDate: '1970-03-03', birthYear: null }]);
  },
  'GET /api/clients/:id': async () => {
    const res = await c.intakeA.get(`/api/clients/${clientA}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ id: clientA, organizationId: t.orgA.id, displayName: 'Mieke Matrixtest', birthDate: '1970-03-03' });
  },
  'PATCH /api/clients/:id': async () => {
    const created = await c.intakeA.post('/api/clients', { givenName: 'Wim', familyName: 'Wijziger' });
    const res = await c.intakeA.patch(`/api/clients/${created.body.id}`, { phone: '+32 16 12 34 56' });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ id: created.body.id, givenName: 'Wim', phone: '+32 16 12 34 56' });
  },
  'GET /api/clients/:id/access-log': async () => {
    const res = await c.teamLeadA.get(`/api/clients/${clientA}/access-log`);
    expect(res.statusCode).toBe(200);
    expect(res.body.items.map((i: { action: string }) => i.action)).toContain('client.create');
  },
  'GET /api/organizations': async () => {
    const res = await c.intakeA.get('/api/organizations');
    expect(res.statusCode).toBe(200);
    const inNetwork = await world.owner.selectFrom('organizations').select('id').where('network_id', '=', t.network.id).execute();
    expect(res.body.items.map((o: { id: string }) => o.id).sort()).toEqual(inNetwork.map((o) => o.id).sort());
    expect(res.body.items).toContainEqual({ id: t.orgA.id, name: t.orgA.name, kind: 'caw', active: true });
  },
  'GET /api/organizations/:id': async () => {
    const res = await c.intakeA.get(`/api/organizations/${t.orgB.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ id: t.orgB.id, kind: 'cgg', active: true, sites: expect.any(Array), teams: expect.any(Array) });
  },
  'POST /api/organizations': async () => {
    const res = await c.networkAdmin.post('/api/organizations', { name: 'Huisartsenkring Matrix', kind: 'primary-care' });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toMatchObject({ name: 'Huisartsenkring Matrix', kind: 'primary-care', active: true, sites: [], teams: [] });
    const row = await world.owner.selectFrom('organizations').select('network_id').where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(row.network_id).toBe(t.network.id);
  },
  'PATCH /api/organizations/:id': async () => {
    const res = await c.adminB.patch(`/api/organizations/${t.orgB.id}`, { name: 'CGG Matrix' });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ id: t.orgB.id, name: 'CGG Matrix', kind: 'cgg' });
  },
  'POST /api/organizations/:id/sites': async () => {
    const res = await c.adminA.post(`/api/organizations/${t.orgA.id}/sites`, { name: 'Onthaal Leuven', street: 'Bondgenotenlaan 1', postalCode: '3000', municipality: '24062' });
    expect(res.statusCode, res.raw).toBe(201);
    const detail = await c.adminA.get(`/api/organizations/${t.orgA.id}`);
    expect(detail.body.sites).toContainEqual({ id: res.body.id, name: 'Onthaal Leuven', street: 'Bondgenotenlaan 1', postalCode: '3000', municipality: '24062' });
  },
  'POST /api/organizations/:id/teams': async () => {
    const res = await c.adminA.post(`/api/organizations/${t.orgA.id}/teams`, { name: 'Team Onthaal' });
    expect(res.statusCode, res.raw).toBe(201);
    const detail = await c.adminA.get(`/api/organizations/${t.orgA.id}`);
    expect(detail.body.teams).toContainEqual({ id: res.body.id, name: 'Team Onthaal' });
  },
  'GET /api/users': async () => {
    const res = await c.adminA.get('/api/users');
    expect(res.statusCode).toBe(200);
    const ids = res.body.items.map((u: { id: string }) => u.id);
    expect(ids).toEqual(expect.arrayContaining([t.users.intakeA.id, t.users.adminA.id, t.users.teamLeadA.id]));
    expect(ids).not.toContain(t.users.intakeB.id);
    expect(ids).not.toContain(t.users.networkAdmin.id);
  },
  'GET /api/users/:id': async () => {
    const res = await c.adminA.get(`/api/users/${t.users.intakeA.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ id: t.users.intakeA.id, email: t.users.intakeA.email, active: true, memberships: [{ id: t.users.intakeA.membershipId, role: 'intake-worker', organizationId: t.orgA.id, active: true }] });
  },
  'POST /api/users': async () => {
    const email = `nieuw-${randomId()}@test.example`;
    const res = await c.adminA.post('/api/users', { email, displayName: 'Nieuwe Collega', role: 'caregiver' });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), temporaryPassword: expect.stringMatching(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/) });
    expect(await dbUser(res.body.id)).toMatchObject({ email, must_change_password: true, active: true });
    const memberships = await world.owner.selectFrom('memberships').select(['organization_id', 'role']).where('user_id', '=', res.body.id).execute();
    expect(memberships).toEqual([{ organization_id: t.orgA.id, role: 'caregiver' }]);
  },
  'PATCH /api/users/:id': async () => {
    const user = await freshUser();
    const res = await c.adminA.patch(`/api/users/${user.id}`, { displayName: 'Hernoemde Collega' });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, displayName: 'Hernoemde Collega', active: true });
  },
  'POST /api/users/:id/reset-password': async () => {
    const user = await freshUser();
    const res = await c.adminA.post(`/api/users/${user.id}/reset-password`);
    expect(res.statusCode, res.raw).toBe(200);
    const signIn = await new Caller(world.app).post('/api/auth/login', { email: user.email, password: res.body.temporaryPassword });
    expect(signIn.statusCode).toBe(200);
    expect(signIn.body.mustChangePassword).toBe(true);
  },
  'POST /api/users/:id/memberships': async () => {
    const user = await freshUser();
    const res = await c.networkAdmin.post(`/api/users/${user.id}/memberships`, { role: 'caregiver', organizationId: t.orgB.id });
    expect(res.statusCode, res.raw).toBe(201);
    const row = await world.owner.selectFrom('memberships').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ user_id: user.id, organization_id: t.orgB.id, role: 'caregiver', active: true });
  },
  'POST /api/memberships/:id/deactivate': async () => {
    const user = await freshUser();
    const res = await c.adminA.post(`/api/memberships/${user.membershipId}/deactivate`);
    expect(res.statusCode, res.raw).toBe(204);
    const row = await world.owner.selectFrom('memberships').select('active').where('id', '=', user.membershipId).executeTakeFirstOrThrow();
    expect(row.active).toBe(false);
    expectProblem(await user.caller.get('/api/auth/me'), 401, 'unauthenticated');
  },
  'GET /api/api-tokens': async () => {
    const res = await c.adminA.get('/api/api-tokens');
    expect(res.statusCode).toBe(200);
    expect(res.body.items).toContainEqual(expect.objectContaining({ id: limited.id, name: 'Partner zoeken', prefix: limited.token.slice(0, 9), permissions: ['client:search'] }));
    expect(res.body.allowedPermissions).toEqual([...TOKEN_PERMISSIONS]);
    expect((await c.adminB.get('/api/api-tokens')).body.items.map((i: { id: string }) => i.id)).not.toContain(limited.id);
  },
  'POST /api/api-tokens': async () => {
    const res = await c.adminA.post('/api/api-tokens', { name: 'Partner lezen', permissions: ['client:read'] });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), token: expect.stringMatching(/^kl_[A-Za-z0-9_-]{40,}$/) });
  },
  'POST /api/api-tokens/:id/revoke': async () => {
    const created = await c.adminA.post('/api/api-tokens', { name: 'Kortstondig', permissions: ['client:search'] });
    const res = await c.adminA.post(`/api/api-tokens/${created.body.id}/revoke`);
    expect(res.statusCode, res.raw).toBe(204);
    const row = await world.owner.selectFrom('api_tokens').select('revoked_at').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeInstanceOf(Date);
  },
  'GET /api/audit': async () => {
    const res = await c.adminA.get('/api/audit?action=client.create&limit=1');
    expect(res.statusCode).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ action: 'client.create', outcome: 'success' });
    expect(res.body.nextBefore).toBe(res.body.items[0].id);
    const next = await c.adminA.get(`/api/audit?action=client.create&limit=1&before=${res.body.nextBefore}`);
    expect(Number(next.body.items[0].id)).toBeLessThan(Number(res.body.items[0].id));
  },
  'GET /api/municipalities': async () => {
    const res = await c.intakeA.get('/api/municipalities?q=leu');
    expect(res.statusCode).toBe(200);
    expect(res.body.items).toEqual([{ nisCode: '24062', name: 'Leuven', province: 'Provincie Vlaams-Brabant' }]);
  },
  'GET /api/networks/current': async () => {
    const res = await c.intakeA.get('/api/networks/current');
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({ id: t.network.id, name: expect.any(String), zoneName: 'Testzone', municipalities: [] });
    expect((await c.intakeX.get('/api/networks/current')).body.id).toBe(t.otherNetwork.id);
  },
  'GET /api/offers': async () => {
    const res = await c.intakeB.get('/api/offers?q=matrixaanbod');
    expect(res.statusCode).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.items).toEqual([expect.objectContaining({ id: offerA, organizationId: t.orgA.id, name: 'Matrixaanbod', level: 'basic', themes: ['anxiety'], capacity: 'open', waitDays: 5, mayEdit: false })]);
    // the other network's offer is not in this network's catalogue
    expect((await c.intakeA.get('/api/offers?q=elders')).body).toEqual({ items: [], total: 0 });
    expect((await c.intakeX.get('/api/offers?q=elders')).body.items.map((i: { id: string }) => i.id)).toEqual([offerX]);
  },
  'GET /api/offers/stale': async () => {
    const created = await c.adminA.post('/api/offers', offerBody({ name: 'Verouderd aanbod' }));
    await world.owner.updateTable('offers').set({ capacity_updated_at: new Date(Date.now() - 20 * 86_400_000) }).where('id', 'in', [created.body.id, offerX]).execute();
    const res = await c.networkCoordinator.get('/api/offers/stale');
    expect(res.statusCode).toBe(200);
    const ids = res.body.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(created.body.id);
    expect(ids).not.toContain(offerA);
    expect(ids).not.toContain(offerX); // stale too, but of another network
    expect(res.body.items.find((i: { id: string }) => i.id === created.body.id)).toMatchObject({ stale: true, organizationId: t.orgA.id });
  },
  'GET /api/offers/:id': async () => {
    const res = await c.intakeB.get(`/api/offers/${offerA}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ id: offerA, organizationId: t.orgA.id, organizationName: t.orgA.name, name: 'Matrixaanbod', minAge: 18, maxAge: 65, municipalities: ['24062'], isPublic: true, active: true, mayEdit: false });
    expect((await c.adminA.get(`/api/offers/${offerA}`)).body.mayEdit).toBe(true);
  },
  'POST /api/offers': async () => {
    const res = await c.adminA.post('/api/offers', offerBody({ name: 'Nieuw aanbod', themes: ['grief-loss'], internalNote: 'Alleen intern' }));
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(String), organizationId: t.orgA.id, name: 'Nieuw aanbod', themes: ['grief-loss'], internalNote: 'Alleen intern', mayEdit: true, stale: false });
    expect(await dbOffer(res.body.id)).toMatchObject({ organization_id: t.orgA.id, network_id: t.network.id, name: 'Nieuw aanbod' });
  },
  'PATCH /api/offers/:id': async () => {
    const created = await c.adminA.post('/api/offers', offerBody({ name: 'Te wijzigen aanbod' }));
    const res = await c.adminA.patch(`/api/offers/${created.body.id}`, { name: 'Gewijzigd aanbod', modalities: ['phone', 'video'] });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ id: created.body.id, name: 'Gewijzigd aanbod', modalities: ['phone', 'video'], themes: ['anxiety'], capacity: 'open' });
    expect(await dbOffer(created.body.id)).toMatchObject({ name: 'Gewijzigd aanbod', modalities: ['phone', 'video'] });
  },
  'POST /api/offers/:id/capacity': async () => {
    const created = await c.adminA.post('/api/offers', offerBody({ name: 'Vol aanbod' }));
    const res = await c.adminA.post(`/api/offers/${created.body.id}/capacity`, { capacity: 'waitlist', waitDays: 42 });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ id: created.body.id, capacity: 'waitlist', waitDays: 42, stale: false });
    expect(await dbOffer(created.body.id)).toMatchObject({ capacity: 'waitlist', wait_days: 42 });
  },
};

describe('(e) the happy path', () => {
  it.each(ROUTE_KEYS)('%s', async (route) => {
    const run = HAPPY[route];
    expect(run, `no happy path for ${route}`).toBeDefined();
    await run!();
  });
});

describe('the tables cover every route', () => {
  it('every route with an :id has a not-found case', () => {
    const covered = new Set(Object.values(NOT_FOUND).map((k) => k.route));
    expect(ROUTE_KEYS.filter((r) => r.includes(':id') && !covered.has(r))).toEqual([]);
  });

  it('every route that takes input has a bad-input case, and one with an unknown field where it takes a body or query', async () => {
    const spec = (await world.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { in: string }[] }>> };
    const cases = Object.values(BAD_INPUT);
    for (const route of ROUTE_KEYS) {
      const { method, path } = split(route);
      const op = spec.paths[path.replace(':id', '{id}')]![method.toLowerCase()]!;
      const takesInput = Boolean(op.requestBody) || Boolean(op.parameters?.length);
      const takesFields = Boolean(op.requestBody) || Boolean(op.parameters?.some((p) => p.in === 'query'));
      const mine = cases.filter((k) => k.route === route);
      if (takesInput) expect(mine.length, `${route} has no bad-input case`).toBeGreaterThan(0);
      if (takesFields) expect(mine.some((k) => k.expect.some(([, code]) => code === 'unknown-field')), `${route} has no unknown-field case`).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('CSRF: a cookie session must send its token on every change', () => {
  const countClientsOfA = async () => Number((await world.owner.selectFrom('clients').select((eb) => eb.fn.countAll<string>().as('n')).where('organization_id', '=', t.orgA.id).executeTakeFirstOrThrow()).n);

  it('refuses a POST without the header or with a wrong one, and creates nothing', async () => {
    const before = await countClientsOfA();
    const withoutHeader = new Caller(world.app, c.intakeA.cookie, null);
    expectProblem(await withoutHeader.post('/api/clients', { givenName: 'Csrf', familyName: 'Zonder' }), 403, 'csrf');
    const wrong = new Caller(world.app, c.intakeA.cookie, 'not-the-token');
    expectProblem(await wrong.post('/api/clients', { givenName: 'Csrf', familyName: 'Fout' }), 403, 'csrf');
    // another session's token is wrong too
    const borrowed = new Caller(world.app, c.intakeA.cookie, c.intakeB.csrf);
    expectProblem(await borrowed.post('/api/clients', { givenName: 'Csrf', familyName: 'Geleend' }), 403, 'csrf');
    expect(await countClientsOfA()).toBe(before);
    // the same session with its own token may
    expect((await c.intakeA.post('/api/clients', { givenName: 'Csrf', familyName: 'Juist' })).statusCode).toBe(201);
    expect(await countClientsOfA()).toBe(before + 1);
  });

  it('refuses a PATCH with a wrong token and leaves the record unchanged', async () => {
    const wrong = new Caller(world.app, c.intakeA.cookie, 'not-the-token');
    expectProblem(await wrong.patch(`/api/clients/${clientA}`, { familyName: 'Gekaapt' }), 403, 'csrf');
    const row = await world.owner.selectFrom('clients').select('family_name').where('id', '=', clientA).executeTakeFirstOrThrow();
    expect(row.family_name).toBe('Matrixtest');
  });

  it('guards sign-out as well, and lets reads pass without the header', async () => {
    const withoutHeader = new Caller(world.app, c.intakeA.cookie, null);
    expect((await withoutHeader.get(`/api/clients/${clientA}`)).statusCode).toBe(200);
    expectProblem(await withoutHeader.post('/api/auth/logout'), 403, 'csrf');
    expect((await c.intakeA.get('/api/auth/me')).statusCode).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('API tokens', () => {
  let token: { id: string; value: string; caller: Caller };

  beforeAll(async () => {
    const res = await c.adminA.post('/api/api-tokens', { name: 'Partner registratie', permissions: ['client:search', 'client:read', 'client:create'] });
    expect(res.statusCode, res.raw).toBe(201);
    token = { id: res.body.id, value: res.body.token, caller: new Caller(world.app, null, null, res.body.token) };
  });
  const listed = async () => ((await c.adminA.get('/api/api-tokens')).body.items as { id: string; lastUsedAt: string | null; revokedAt: string | null }[]).find((i) => i.id === token.id)!;

  it('is unused at first, may do what its permissions allow (no CSRF header needed), in its own organisation', async () => {
    expect((await listed()).lastUsedAt).toBeNull();
    const search = await token.caller.get('/api/clients?q=matrixtest');
    expect(search.statusCode).toBe(200);
    expect(search.body.items.map((i: { id: string }) => i.id)).toEqual([clientA]);
    const created = await send(token.caller, 'POST', '/api/clients', { identityKind: 'pseudonym', pseudonym: 'Partnerclient' });
    expect(created.statusCode, created.raw).toBe(201);
    expect(created.body.organizationId).toBe(t.orgA.id);
    expect(await auditOf(created.requestId)).toEqual([expect.objectContaining({ action: 'client.create', actor_token_id: token.id, actor_user_id: null, role: 'api-token', outcome: 'success' })]);
    expect((await token.caller.get(`/api/clients/${created.body.id}`)).statusCode).toBe(200);
  });

  it('sets lastUsedAt after use', async () => {
    const used = await listed();
    expect(used.lastUsedAt).not.toBeNull();
    expect(Math.abs(Date.parse(used.lastUsedAt!) - Date.now())).toBeLessThan(5 * 60_000);
  });

  it('gets 403 for a permission it lacks, also on account and session routes', async () => {
    const patch = await send(token.caller, 'PATCH', `/api/clients/${clientA}`, { phone: '+32 16 00 00 00' });
    expectProblem(patch, 403, 'forbidden');
    expect(await auditOf(patch.requestId)).toEqual([expect.objectContaining({ outcome: 'denied', action: 'client.update', actor_token_id: token.id })]);
    for (const url of ['/api/organizations', '/api/users', '/api/api-tokens', '/api/audit']) expectProblem(await token.caller.get(url), 403, 'forbidden');
    expectProblem(await token.caller.post('/api/auth/password', { currentPassword: 'x', newPassword: 'y' }), 403, 'forbidden');
    expectProblem(await token.caller.post('/api/auth/totp/setup'), 403, 'forbidden');
    expectProblem(await token.caller.get('/api/auth/me'), 403, 'forbidden');
  });

  it('cannot reach another organisation\'s client', async () => {
    const other = await c.intakeB.post('/api/clients', { givenName: 'Bert', familyName: 'Anderorg' });
    expectProblem(await token.caller.get(`/api/clients/${other.body.id}`), 404, 'not-found');
  });

  it('gets 401 once revoked', async () => {
    expect((await c.adminA.post(`/api/api-tokens/${token.id}/revoke`)).statusCode).toBe(204);
    expectProblem(await token.caller.get('/api/clients'), 401, 'unauthenticated');
    expect((await listed()).revokedAt).not.toBeNull();
  });
});
