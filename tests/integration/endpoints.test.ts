/**
 * The access matrix of every non-public /api route: no session → 401, a role (or API token) without the
 * permission → 403 and audited, another tenant's record → 404 and audited (a party to a referral acting for
 * the other side → 403 and audited), bad input → 400 with field errors, and the happy path. A coverage block
 * checks the tables against the OpenAPI document, so a new route without a row here fails the suite.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Caller,
  createWorld,
  login,
  makeOrganization,
  makeTenants,
  makeUser,
  PASSWORD,
  type Res,
  type World,
} from '../support/world.ts';
import {
  ROLE_PERMISSIONS,
  TOKEN_PERMISSIONS,
  type Permission,
  type Role,
} from '../../src/server/core/auth/permissions.ts';
import { currentTotp } from '../../src/server/core/auth/totp.ts';
import { INSTRUMENTS } from '../../src/server/features/instruments/catalogue.ts';
import type { Access } from '../../src/server/app.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
type Tenants = Awaited<ReturnType<typeof makeTenants>>;
type UserKey = keyof Tenants['users'];
/** Callers beyond makeTenants: an intake worker of a third organisation of the same network (party to no referral). */
type ExtraKey = 'intakeC';
type Who = UserKey | ExtraKey;

let world: World;
let t: Tenants;
const c = {} as Record<Who, Caller>;
const extra = {} as Record<ExtraKey, { id: string; email: string; membershipId: string }>;
const userIdOf = (who: Who) => (who in extra ? extra[who as ExtraKey] : t.users[who as UserKey]).id;
/** An API token of organisation A that may only search clients. */
let limited: { id: string; token: string; caller: Caller };
/** A client of organisation A. */
let clientA: string;
/** An offer of organisation A (public), and one of another network. */
let offerA: string;
let offerX: string;
/** A site of organisation B (not A's to link to an offer). */
let siteB: string;
/** Intake: a help request of A for clientA (anxiety) with a PHQ-9 screening whose item 9 raised a (moderate) safety signal. */
let helpA: string;
let screeningA: string;
let signalA: string;
/** A help request of A without a client (cannot be referred). */
let helpAnonymousA: string;
/** A client of B, and a help request of B with a safety signal raised by hand. */
let clientB: string;
let helpB: string;
let signalB: string;
/** Referrals: an offer of B; clientA's consent to share with B; a referral A → B under it (received by B, so A got a notification). */
let offerB: string;
let consentA: string;
let referralAB: string;
/** A second referral A → B that B has accepted (the receiver may now register the person). */
let referralAccepted: string;
/** The notification A got when B received referralAB; the one B got when it was sent. */
let notificationA: string;
let notificationB: string;
/** An exception consent of B (acute danger) awaiting B's team lead. */
let consentExceptionB: string;

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
  'GET /api/instruments': { access: 'instrument:read' },
  'GET /api/instruments/:instrument/fhir': { access: 'instrument:read' },
  'GET /api/help-requests': { access: 'help-request:read' },
  'POST /api/help-requests': { access: 'help-request:write', action: 'help-request.create' },
  'GET /api/help-requests/:id': { access: 'help-request:read', action: 'help-request.read' },
  'PATCH /api/help-requests/:id': { access: 'help-request:write', action: 'help-request.update' },
  'POST /api/help-requests/:id/close': { access: 'help-request:write', action: 'help-request.close' },
  'POST /api/help-requests/:id/screenings': { access: 'help-request:write', action: 'screening.create' },
  'GET /api/screenings/:id/fhir': { access: 'help-request:read', action: 'screening.read' },
  'GET /api/clients/:id/screenings': { access: 'help-request:read', action: 'client.screenings.read' },
  'POST /api/help-requests/:id/safety-signals': { access: 'help-request:write', action: 'safety-signal.raise' },
  'POST /api/safety-signals/:id/action': { access: 'help-request:write', action: 'safety-signal.action' },
  'POST /api/safety-signals/:id/acknowledge': { access: 'safety:acknowledge', action: 'safety-signal.acknowledge' },
  'GET /api/safety-signals': { access: 'safety:acknowledge' },
  'GET /api/help-requests/:id/matches': { access: 'help-request:read', action: 'help-request.matches' },
  'POST /api/help-requests/:id/choice': { access: 'help-request:write', action: 'help-request.choice' },
  'POST /api/consents': { access: 'consent:write', action: 'consent.create' },
  'POST /api/consents/:id/withdraw': { access: 'consent:write', action: 'consent.withdraw' },
  'GET /api/clients/:id/consents': { access: 'consent:write', action: 'consent.list' },
  'GET /api/consents/exceptions': { access: 'consent:review', action: 'consent.exceptions.list' },
  'POST /api/consents/:id/review': { access: 'consent:review', action: 'consent.exception.review' },
  'POST /api/referrals': { access: 'referral:write', action: 'referral.create' },
  'GET /api/referrals': { access: 'referral:read' },
  'GET /api/referrals/counts': { access: 'referral:read' },
  'GET /api/referrals/overdue': { access: 'referral:overview' },
  'GET /api/referrals/:id': { access: 'referral:read', action: 'referral.read' },
  'POST /api/referrals/:id/transitions': { access: 'referral:write', action: 'referral.transition' },
  'POST /api/referrals/:id/bridging': { access: 'referral:write', action: 'referral.bridging' },
  'GET /api/referrals/:id/bridging-suggestions': { access: 'referral:write', action: 'referral.bridging-suggestions' },
  'POST /api/referrals/:id/register-client': { access: 'referral:write', action: 'referral.register-client' },
  'GET /api/referrals/:id/fhir': { access: 'referral:read', action: 'referral.fhir' },
  'GET /api/notifications': { access: 'referral:read' },
  'POST /api/notifications/:id/read': { access: 'referral:read', action: 'notification.read' },
  'GET /api/network/settings': { access: 'network-settings:read' },
  'PUT /api/network/settings': { access: 'network-settings:manage', action: 'network.settings.update' },
};
const PUBLIC = [
  'GET /api/health',
  'GET /api/ready',
  'GET /api/meta',
  'POST /api/auth/login',
  'POST /api/auth/password-reset/request',
  'POST /api/auth/password-reset',
  'GET /api/themes',
  'GET /api/categories',
  'GET /api/public/offers',
  'GET /api/public/offers/:id',
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
  'instrument:read': 'adminA',
  'help-request:read': 'adminA',
  'help-request:write': 'networkCoordinator',
  'safety:acknowledge': 'intakeA',
  'consent:write': 'adminA',
  'consent:review': 'caregiverA',
  'referral:read': 'adminA',
  'referral:write': 'networkCoordinator',
  'referral:overview': 'teamLeadA',
  'network-settings:read': 'analyst',
  'network-settings:manage': 'networkCoordinator',
};
const ROLE_OF: Record<UserKey, Role> = {
  intakeA: 'intake-worker',
  caregiverA: 'caregiver',
  teamLeadA: 'team-lead',
  adminA: 'org-admin',
  intakeB: 'intake-worker',
  adminB: 'org-admin',
  intakeX: 'intake-worker',
  networkAdmin: 'network-admin',
  networkCoordinator: 'network-coordinator',
  analyst: 'analyst',
  networkAdminX: 'network-admin',
};

// ---------------------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------------------
let seq = 0;
const newRequestId = () => `ep-${process.pid}-${++seq}-${crypto.randomBytes(3).toString('hex')}`;
const randomId = () => crypto.randomUUID();
const split = (route: string) => {
  const [method, path] = route.split(' ') as [Method, string];
  return { method, path };
};
/** Puts the id in the path; an instrument is named, not numbered (any known one will do). */
const fill = (path: string, id: string) => path.replace(':id', id).replace(':instrument', 'phq9');

/** Sends with a fresh request id, so the audit rows of exactly this request can be found. */
async function send(caller: Caller, method: Method, url: string, body?: unknown): Promise<Res & { requestId: string }> {
  const requestId = newRequestId();
  const res = await caller.request(method, url, method === 'GET' ? undefined : (body ?? {}), {
    'x-request-id': requestId,
  });
  return { ...res, requestId };
}
/** The caller's own audit rows of a request. */
const auditOf = (requestId: string) =>
  world.owner
    .selectFrom('audit_log')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('foreign_network_id', 'is', null)
    .orderBy('id')
    .execute();
/** The rows a request left in the trails of the owners of a record it was refused (owner-attempts.test.ts). */
const ownerRowsOf = (requestId: string) =>
  world.owner
    .selectFrom('audit_log')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('foreign_network_id', 'is not', null)
    .execute();
/** Routes whose `:id` is a person's record: another organisation's refusal there is told to its owner. */
const PERSON_RECORD = /^\/api\/(clients|help-requests|screenings|safety-signals|consents|referrals)\/:id/;

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
  if (path.startsWith('/api/help-requests/')) return helpA;
  if (path.startsWith('/api/screenings/')) return screeningA;
  if (path.startsWith('/api/safety-signals/')) return signalA;
  if (path.startsWith('/api/consents/')) return consentA;
  if (path.startsWith('/api/referrals/')) return referralAB;
  if (path.startsWith('/api/notifications/')) return notificationA;
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

const dbUser = (id: string) =>
  world.owner.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const dbOffer = (id: string) =>
  world.owner.selectFrom('offers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
/** The least an offer needs (POST /api/offers); themes, municipality and modality exist. */
const offerBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Matrixaanbod',
  description: 'Aanbod van de toegangsmatrix.',
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
/** The id of a 201 answer. */
function createdId(res: Res): string {
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}
/** PHQ-9 answers with the given total, item 9 (thoughts of death) as given. */
function phq9(total: number, item9 = 0): Record<string, number> {
  const answers: Record<string, number> = { q9: item9 };
  let left = total - item9;
  for (let i = 1; i <= 8; i++) {
    const v = Math.min(3, left);
    answers[`q${i}`] = v;
    left -= v;
  }
  return answers;
}
/** A new help request of A for clientA (anxiety). */
const newHelpRequest = async (body: Record<string, unknown> = {}) =>
  createdId(
    await c.intakeA.post('/api/help-requests', {
      clientId: clientA,
      story: 'Piekert veel en slaapt slecht.',
      themes: ['anxiety'],
      urgency: 'routine',
      ...body,
    }),
  );
/** A new referral of A to B's offer under clientA's consent (for a new help request unless one is given). */
const newReferral = async (helpRequestId?: string, priority = 'routine') =>
  createdId(
    await c.intakeA.post('/api/referrals', {
      helpRequestId: helpRequestId ?? (await newHelpRequest()),
      offerId: offerB,
      priority,
      message: 'Graag contact',
      consentId: consentA,
    }),
  );
const dbHelpRequest = (id: string) =>
  world.owner.selectFrom('help_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const dbReferral = (id: string) =>
  world.owner.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const dbConsent = (id: string) =>
  world.owner.selectFrom('consents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
/** An organisation's name as it is now (another happy path renames B). */
const orgName = async (id: string) =>
  (await world.owner.selectFrom('organizations').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;
const dbSignal = (id: string) =>
  world.owner.selectFrom('safety_signals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
/** How many rows of a table belong to a help request or referral. */
const countWhere = async (
  table: 'screenings' | 'safety_signals' | 'bridging_support' | 'referral_events',
  column: 'help_request_id' | 'referral_id',
  id: string,
) =>
  Number(
    (
      await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${id}`.execute(
        world.owner,
      )
    ).rows[0]!.n,
  );

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  for (const key of Object.keys(t.users) as UserKey[]) c[key] = await login(world, t.users[key].email);
  const created = await c.intakeA.post('/api/clients', {
    givenName: 'Mieke',
    familyName: 'Matrixtest',
    birthDate: '1970-03-03',
  });
  clientA = created.body.id;
  const token = await c.adminA.post('/api/api-tokens', { name: 'Partner zoeken', permissions: ['client:search'] });
  limited = { id: token.body.id, token: token.body.token, caller: new Caller(world.app, null, null, token.body.token) };
  const offer = await c.adminA.post('/api/offers', offerBody());
  expect(offer.statusCode, offer.raw).toBe(201);
  offerA = offer.body.id;
  // nobody in the other network manages offers in makeTenants: the owner writes its offer
  offerX = (
    await world.owner
      .insertInto('offers')
      .values({
        organization_id: t.orgX.id,
        network_id: t.otherNetwork.id,
        name: 'Aanbod elders',
        level: 'basic',
        themes: ['anxiety'],
        capacity: 'open',
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  siteB = (
    await world.owner
      .insertInto('sites')
      .values({
        organization_id: t.orgB.id,
        name: 'Zetel B',
        street: 'Naamsestraat 1',
        postal_code: '3000',
        nis_code: '24062',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;

  // a third organisation of the network, party to no referral
  const orgC = await makeOrganization(world, t.network.id, 'ocmw');
  extra.intakeC = await makeUser(world, { role: 'intake-worker', networkId: t.network.id, organizationId: orgC.id });
  c.intakeC = await login(world, extra.intakeC.email);

  // intake: a screening whose PHQ-9 item 9 raises a signal
  helpA = await newHelpRequest();
  const screening = await c.intakeA.post(`/api/help-requests/${helpA}/screenings`, {
    instrument: 'phq9',
    answers: phq9(3, 1),
  });
  screeningA = createdId(screening);
  expect(screening.body.safetySignal).toMatchObject({ kind: 'suicide-risk', level: 'high' });
  signalA = (
    await world.owner
      .selectFrom('safety_signals')
      .select('id')
      .where('screening_id', '=', screeningA)
      .executeTakeFirstOrThrow()
  ).id;
  helpAnonymousA = createdId(
    await c.intakeA.post('/api/help-requests', { story: 'Anonieme beller.', themes: ['anxiety'], urgency: 'routine' }),
  );
  helpB = createdId(
    await c.intakeB.post('/api/help-requests', {
      story: 'Hulpvraag van B.',
      themes: ['depression'],
      urgency: 'routine',
    }),
  );
  signalB = createdId(
    await c.intakeB.post(`/api/help-requests/${helpB}/safety-signals`, { kind: 'unsafe-home', level: 'attention' }),
  );

  // referrals: an org admin of B publishes the offer; A refers to it with clientA's consent; B receives (A is notified)
  offerB = createdId(await c.adminB.post('/api/offers', offerBody({ name: 'Begeleiding B', themes: ['depression'] })));
  consentA = createdId(
    await c.intakeA.post('/api/consents', {
      clientId: clientA,
      purpose: 'referral',
      recipientOrganizationId: t.orgB.id,
      categories: ['contact', 'help-request-summary'],
      method: 'verbal',
    }),
  );
  referralAB = await newReferral(helpA);
  expect((await c.intakeB.post(`/api/referrals/${referralAB}/transitions`, { action: 'receive' })).statusCode).toBe(
    200,
  );
  referralAccepted = await newReferral();
  expect(
    (await c.intakeB.post(`/api/referrals/${referralAccepted}/transitions`, { action: 'accept' })).statusCode,
  ).toBe(200);
  const notification = async (organizationId: string, kind: string) =>
    (
      await world.owner
        .selectFrom('notifications')
        .select('id')
        .where('referral_id', '=', referralAB)
        .where('organization_id', '=', organizationId)
        .where('kind', '=', kind)
        .executeTakeFirstOrThrow()
    ).id;
  notificationA = await notification(t.orgA.id, 'referral-receive');
  notificationB = await notification(t.orgB.id, 'referral-new');
  clientB = createdId(await c.intakeB.post('/api/clients', { givenName: 'Bo', familyName: 'Uitzondering' }));
  consentExceptionB = createdId(
    await c.intakeB.post('/api/consents', {
      clientId: clientB,
      purpose: 'referral',
      recipientOrganizationId: t.orgA.id,
      categories: ['contact'],
      method: 'exception',
      exceptionReason: 'Acuut gevaar, niet aanspreekbaar',
    }),
  );
});
afterAll(() => world?.close());

// ---------------------------------------------------------------------------------------------------------
describe('the route list', () => {
  it('is every operation of the OpenAPI document, minus the public ones', async () => {
    const spec = (await world.app.inject({ url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const documented = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    // these features' routes are covered by their own suites (401, 403, 404 from another organisation, bad input,
    // happy paths), not by this matrix: hsds.test.ts, trajectories.test.ts, groups.test.ts, care-plans.test.ts,
    // search-synonyms.test.ts, outreach.test.ts,
    // my-work.test.ts, reports.test.ts
    const OWN_SUITES = [
      '/api/hsds',
      '/api/trajectories',
      '/api/group',
      '/api/facilit',
      '/api/care-plans',
      '/api/client-links',
      '/api/network/search-synonyms',
      '/api/outreach',
      '/api/my-work',
      '/api/caseload',
      '/api/reports',
    ];
    const OWN_SUITE_PATHS = ['/api/clients/:id/care-plan', '/api/clients/:id/links'];
    const ownSuite = (r: string) =>
      OWN_SUITES.some((p) => split(r).path.startsWith(p)) || OWN_SUITE_PATHS.includes(split(r).path);
    expect(documented.filter((r) => !PUBLIC.includes(r) && !ownSuite(r)).sort()).toEqual([...ROUTE_KEYS].sort());
  });

  it('names, for every permission a route needs, a caller that really lacks it', () => {
    const needed = new Set(
      Object.values(ROUTES)
        .map((r) => r.access)
        .filter((a) => a !== 'account' && a !== 'pending' && a !== 'public'),
    );
    expect([...needed].filter((p) => !LACKING[p])).toEqual([]);
    for (const [permission, who] of Object.entries(LACKING) as [Permission, UserKey | 'token'][]) {
      if (who === 'token') {
        // no role lacks it, so only a token can be refused
        expect(
          Object.values(ROLE_PERMISSIONS).every((p) => p.includes(permission)),
          permission,
        ).toBe(true);
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
    for (const url of [
      '/api/health',
      '/api/ready',
      '/api/meta',
      '/api/openapi.json',
      '/api/themes',
      '/api/categories',
      '/api/public/offers',
      `/api/public/offers/${offerA}`,
    ]) {
      expect((await anonymous.get(url)).statusCode, url).toBe(200);
    }
    const badLogin = await anonymous.post('/api/auth/login', { email: 'nobody@test.example', password: 'wrong' });
    expectProblem(badLogin, 401, 'invalid-credentials');
    expect(
      (await anonymous.post('/api/auth/password-reset/request', { email: 'nobody@test.example' })).statusCode,
    ).toBe(202);
    const badLink = await anonymous.post('/api/auth/password-reset', {
      token: 'x',
      newPassword: 'lang genoeg wachtwoord',
    });
    expectProblem(badLink, 400, 'validation');
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
  who: Who;
  id: () => string;
  body?: () => unknown;
  /** Checks that nothing changed. */
  unchanged?: () => Promise<void>;
}
const NOT_FOUND: Record<string, NotFoundCase> = {
  'intake worker B reads a client of A': { route: 'GET /api/clients/:id', who: 'intakeB', id: () => clientA },
  'intake worker B changes a client of A': {
    route: 'PATCH /api/clients/:id',
    who: 'intakeB',
    id: () => clientA,
    body: () => ({ phone: '+32 9 123 45 67' }),
    unchanged: async () =>
      expect(
        (await world.owner.selectFrom('clients').select('phone').where('id', '=', clientA).executeTakeFirstOrThrow())
          .phone,
      ).toBeNull(),
  },
  'admin B reads the access log of a client of A': {
    route: 'GET /api/clients/:id/access-log',
    who: 'adminB',
    id: () => clientA,
  },
  'a worker reads an organisation of another network': {
    route: 'GET /api/organizations/:id',
    who: 'intakeA',
    id: () => t.orgX.id,
  },
  'admin A changes an organisation of another network': {
    route: 'PATCH /api/organizations/:id',
    who: 'adminA',
    id: () => t.orgX.id,
    body: () => ({ name: 'Overgenomen' }),
    unchanged: async () =>
      expect(
        (
          await world.owner
            .selectFrom('organizations')
            .select('name')
            .where('id', '=', t.orgX.id)
            .executeTakeFirstOrThrow()
        ).name,
      ).toBe(t.orgX.name),
  },
  'a network admin changes an organisation of another network': {
    route: 'PATCH /api/organizations/:id',
    who: 'networkAdmin',
    id: () => t.orgX.id,
    body: () => ({ kind: 'other' }),
  },
  'a network admin adds a site to another network': {
    route: 'POST /api/organizations/:id/sites',
    who: 'networkAdmin',
    id: () => t.orgX.id,
    body: () => ({ name: 'Indringer', street: 'Bondgenotenlaan 1', postalCode: '3000', municipality: '24062' }),
    unchanged: async () =>
      expect(
        await world.owner.selectFrom('sites').select('id').where('organization_id', '=', t.orgX.id).execute(),
      ).toEqual([]),
  },
  'a network admin adds a team to another network': {
    route: 'POST /api/organizations/:id/teams',
    who: 'networkAdmin',
    id: () => t.orgX.id,
    body: () => ({ name: 'Indringers' }),
    unchanged: async () =>
      expect(
        await world.owner.selectFrom('teams').select('id').where('organization_id', '=', t.orgX.id).execute(),
      ).toEqual([]),
  },
  'admin A reads a user of B': { route: 'GET /api/users/:id', who: 'adminA', id: () => t.users.intakeB.id },
  'a network admin reads a user of another network': {
    route: 'GET /api/users/:id',
    who: 'networkAdmin',
    id: () => t.users.intakeX.id,
  },
  'a network admin deactivates a user of another network': {
    route: 'PATCH /api/users/:id',
    who: 'networkAdmin',
    id: () => t.users.intakeX.id,
    body: () => ({ active: false }),
    unchanged: async () => expect((await dbUser(t.users.intakeX.id)).active).toBe(true),
  },
  'a network admin resets the password of a user of another network': {
    route: 'POST /api/users/:id/reset-password',
    who: 'networkAdmin',
    id: () => t.users.intakeX.id,
    unchanged: async () => expect((await dbUser(t.users.intakeX.id)).must_change_password).toBe(false),
  },
  'a network admin gives a user of another network a role': {
    route: 'POST /api/users/:id/memberships',
    who: 'networkAdmin',
    id: () => t.users.intakeX.id,
    body: () => ({ role: 'caregiver', organizationId: t.orgA.id }),
    unchanged: async () =>
      expect(
        await world.owner.selectFrom('memberships').select('id').where('user_id', '=', t.users.intakeX.id).execute(),
      ).toHaveLength(1),
  },
  'admin A gives a user of B a role': {
    route: 'POST /api/users/:id/memberships',
    who: 'adminA',
    id: () => t.users.intakeB.id,
    body: () => ({ role: 'caregiver' }),
  },
  'a network admin ends a role in another network': {
    route: 'POST /api/memberships/:id/deactivate',
    who: 'networkAdmin',
    id: () => t.users.intakeX.membershipId,
    unchanged: async () =>
      expect(
        (
          await world.owner
            .selectFrom('memberships')
            .select('active')
            .where('id', '=', t.users.intakeX.membershipId)
            .executeTakeFirstOrThrow()
        ).active,
      ).toBe(true),
  },
  'admin A ends a role in B': {
    route: 'POST /api/memberships/:id/deactivate',
    who: 'adminA',
    id: () => t.users.intakeB.membershipId,
  },
  'a worker reads an offer of another network': { route: 'GET /api/offers/:id', who: 'intakeA', id: () => offerX },
  'admin A changes an offer of another network': {
    route: 'PATCH /api/offers/:id',
    who: 'adminA',
    id: () => offerX,
    body: () => ({ name: 'Overgenomen' }),
    unchanged: async () => expect((await dbOffer(offerX)).name).toBe('Aanbod elders'),
  },
  'admin A updates the capacity of an offer of another network': {
    route: 'POST /api/offers/:id/capacity',
    who: 'adminA',
    id: () => offerX,
    body: () => ({ capacity: 'full', waitDays: 99 }),
    unchanged: async () => expect(await dbOffer(offerX)).toMatchObject({ capacity: 'open', wait_days: null }),
  },
  'admin B revokes a token of A': {
    route: 'POST /api/api-tokens/:id/revoke',
    who: 'adminB',
    id: () => limited.id,
    unchanged: async () =>
      expect(
        (
          await world.owner
            .selectFrom('api_tokens')
            .select('revoked_at')
            .where('id', '=', limited.id)
            .executeTakeFirstOrThrow()
        ).revoked_at,
      ).toBeNull(),
  },
  // intake: a help request, its screenings and signals belong to the organisation that registered it
  'intake worker B reads a help request of A': { route: 'GET /api/help-requests/:id', who: 'intakeB', id: () => helpA },
  'a worker of another network reads a help request of A': {
    route: 'GET /api/help-requests/:id',
    who: 'intakeX',
    id: () => helpA,
  },
  'intake worker B changes a help request of A': {
    route: 'PATCH /api/help-requests/:id',
    who: 'intakeB',
    id: () => helpA,
    body: () => ({ clarification: 'Overgenomen', indicationLevel: 'crisis' }),
    unchanged: async () =>
      expect(await dbHelpRequest(helpA)).toMatchObject({ clarification: null, indication_level: null }),
  },
  'intake worker B closes a help request of A': {
    route: 'POST /api/help-requests/:id/close',
    who: 'intakeB',
    id: () => helpA,
    body: () => ({ reason: 'Niet de onze' }),
    unchanged: async () => expect(await dbHelpRequest(helpA)).toMatchObject({ status: 'referred', close_reason: null }),
  },
  'intake worker B screens on a help request of A': {
    route: 'POST /api/help-requests/:id/screenings',
    who: 'intakeB',
    id: () => helpA,
    body: () => ({ instrument: 'phq9', answers: phq9(5) }),
    unchanged: async () => expect(await countWhere('screenings', 'help_request_id', helpA)).toBe(1),
  },
  'intake worker B reads a screening of A as FHIR': {
    route: 'GET /api/screenings/:id/fhir',
    who: 'intakeB',
    id: () => screeningA,
  },
  'intake worker B reads the screening history of a client of A': {
    route: 'GET /api/clients/:id/screenings',
    who: 'intakeB',
    id: () => clientA,
  },
  'intake worker B raises a safety signal on a help request of A': {
    route: 'POST /api/help-requests/:id/safety-signals',
    who: 'intakeB',
    id: () => helpA,
    body: () => ({ kind: 'other', level: 'attention' }),
    unchanged: async () => expect(await countWhere('safety_signals', 'help_request_id', helpA)).toBe(1),
  },
  'intake worker B records the safety action of a signal of A': {
    route: 'POST /api/safety-signals/:id/action',
    who: 'intakeB',
    id: () => signalA,
    body: () => ({ actionTaken: 'Niets gedaan' }),
    unchanged: async () => expect((await dbSignal(signalA)).action_taken).toBeNull(),
  },
  'team lead A acknowledges a signal of B': {
    route: 'POST /api/safety-signals/:id/acknowledge',
    who: 'teamLeadA',
    id: () => signalB,
    unchanged: async () => expect((await dbSignal(signalB)).acknowledged_at).toBeNull(),
  },
  'intake worker B asks matches for a help request of A': {
    route: 'GET /api/help-requests/:id/matches',
    who: 'intakeB',
    id: () => helpA,
  },
  'intake worker B records a choice on a help request of A': {
    route: 'POST /api/help-requests/:id/choice',
    who: 'intakeB',
    id: () => helpA,
    body: () => ({ offerId: offerB, reason: 'Bij ons' }),
    unchanged: async () => expect((await dbHelpRequest(helpA)).chosen_offer_id).toBeNull(),
  },
  // consents: only the organisation that recorded one may see or change it (the recipient too gets 404)
  'intake worker B withdraws a consent of A': {
    route: 'POST /api/consents/:id/withdraw',
    who: 'intakeB',
    id: () => consentA,
    body: () => ({ note: 'Ingetrokken door B' }),
    unchanged: async () => expect((await dbConsent(consentA)).withdrawn_at).toBeNull(),
  },
  'intake worker B lists the consents of a client of A': {
    route: 'GET /api/clients/:id/consents',
    who: 'intakeB',
    id: () => clientA,
  },
  'team lead A reviews an exception of B': {
    route: 'POST /api/consents/:id/review',
    who: 'teamLeadA',
    id: () => consentExceptionB,
    unchanged: async () => expect((await dbConsent(consentExceptionB)).reviewed_at).toBeNull(),
  },
  // referrals: visible to sender and receiver only; a third organisation or another network gets 404
  'a third organisation reads a referral A → B': {
    route: 'GET /api/referrals/:id',
    who: 'intakeC',
    id: () => referralAB,
  },
  'a worker of another network reads a referral A → B': {
    route: 'GET /api/referrals/:id',
    who: 'intakeX',
    id: () => referralAB,
  },
  'a third organisation accepts a referral A → B': {
    route: 'POST /api/referrals/:id/transitions',
    who: 'intakeC',
    id: () => referralAB,
    body: () => ({ action: 'accept' }),
    unchanged: async () => expect(await dbReferral(referralAB)).toMatchObject({ status: 'received', version: 2 }),
  },
  'a worker of another network cancels a referral A → B': {
    route: 'POST /api/referrals/:id/transitions',
    who: 'intakeX',
    id: () => referralAB,
    body: () => ({ action: 'cancel', reason: 'Overgenomen' }),
    unchanged: async () => expect((await dbReferral(referralAB)).status).toBe('received'),
  },
  'a third organisation records bridging support on a referral A → B': {
    route: 'POST /api/referrals/:id/bridging',
    who: 'intakeC',
    id: () => referralAB,
    body: () => ({ note: 'Iets geregeld' }),
    unchanged: async () => expect(await countWhere('bridging_support', 'referral_id', referralAB)).toBe(0),
  },
  'a third organisation asks bridging suggestions for a referral A → B': {
    route: 'GET /api/referrals/:id/bridging-suggestions',
    who: 'intakeC',
    id: () => referralAB,
  },
  'a third organisation registers the person of an accepted referral A → B': {
    route: 'POST /api/referrals/:id/register-client',
    who: 'intakeC',
    id: () => referralAccepted,
    body: () => ({}),
    unchanged: async () => expect((await dbReferral(referralAccepted)).receiver_client_id).toBeNull(),
  },
  'a worker of another network reads a referral A → B as FHIR': {
    route: 'GET /api/referrals/:id/fhir',
    who: 'intakeX',
    id: () => referralAB,
  },
  'intake worker A marks a notification of B read': {
    route: 'POST /api/notifications/:id/read',
    who: 'intakeA',
    id: () => notificationB,
    unchanged: async () =>
      expect(
        (
          await world.owner
            .selectFrom('notifications')
            .select('read_at')
            .where('id', '=', notificationB)
            .executeTakeFirstOrThrow()
        ).read_at,
      ).toBeNull(),
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
    expect(rows[0]).toMatchObject({
      outcome: 'not-found',
      action: ROUTES[k.route]!.action,
      entity_id: id,
      actor_user_id: userIdOf(k.who),
    });
    // the owner of a person's record sees the attempt: who (the caller's organisation, or its network), what
    const owners = await ownerRowsOf(res.requestId);
    if (PERSON_RECORD.test(path)) {
      expect(owners.length).toBeGreaterThanOrEqual(1);
      for (const owner of owners)
        expect(owner).toMatchObject({
          foreign_organization_id: rows[0]!.organization_id,
          action: ROUTES[k.route]!.action,
          outcome: 'not-found',
          entity_id: id,
          actor_user_id: null,
        });
      expect(owners.map((o) => o.organization_id)).not.toContain(rows[0]!.organization_id);
    } else expect(owners).toEqual([]);
    // indistinguishable from an id that exists nowhere, which leaves no row for anyone else
    const nowhere = await send(c[k.who], method, fill(path, randomId()), k.body?.());
    expect(nowhere.statusCode).toBe(404);
    expect(await ownerRowsOf(nowhere.requestId)).toEqual([]);
    const { requestId: _a, instance: _b, ...foreign } = res.body;
    const { requestId: _c, instance: _d, ...missing } = nowhere.body;
    expect(foreign).toEqual(missing);
    await k.unchanged?.();
  });
});

// ---------------------------------------------------------------------------------------------------------
// A referral has two sides, each with its own actions: a party acting for the other side is refused with 403
// (it may see the referral, so a 404 would be a lie), audited as denied, and nothing changes.
// ---------------------------------------------------------------------------------------------------------
const WRONG_SIDE: Record<string, NotFoundCase> = {
  "the receiver cancels (the sender's action)": {
    route: 'POST /api/referrals/:id/transitions',
    who: 'intakeB',
    id: () => referralAB,
    body: () => ({ action: 'cancel', reason: 'Niet meer nodig' }),
    unchanged: async () => expect(await dbReferral(referralAB)).toMatchObject({ status: 'received', version: 2 }),
  },
  "the sender accepts (the receiver's action)": {
    route: 'POST /api/referrals/:id/transitions',
    who: 'intakeA',
    id: () => referralAB,
    body: () => ({ action: 'accept' }),
    unchanged: async () => expect(await dbReferral(referralAB)).toMatchObject({ status: 'received', version: 2 }),
  },
  "the sender declines (the receiver's action)": {
    route: 'POST /api/referrals/:id/transitions',
    who: 'intakeA',
    id: () => referralAB,
    body: () => ({ action: 'decline', reason: 'no-capacity' }),
    unchanged: async () => expect(await countWhere('referral_events', 'referral_id', referralAB)).toBe(2),
  },
  'the receiver records bridging support (the sender arranges it)': {
    route: 'POST /api/referrals/:id/bridging',
    who: 'intakeB',
    id: () => referralAB,
    body: () => ({ note: 'Iets geregeld' }),
    unchanged: async () => expect(await countWhere('bridging_support', 'referral_id', referralAB)).toBe(0),
  },
  'the receiver asks bridging suggestions (the sender arranges bridging)': {
    route: 'GET /api/referrals/:id/bridging-suggestions',
    who: 'intakeB',
    id: () => referralAB,
  },
  "the sender registers the person in the receiver's register": {
    route: 'POST /api/referrals/:id/register-client',
    who: 'intakeA',
    id: () => referralAccepted,
    body: () => ({}),
    unchanged: async () => expect((await dbReferral(referralAccepted)).receiver_client_id).toBeNull(),
  },
};

describe('(c2) a party to a referral acting for the other side: 403 forbidden, audited as denied', () => {
  it.each(Object.keys(WRONG_SIDE))('%s', async (label) => {
    const k = WRONG_SIDE[label]!;
    const { method, path } = split(k.route);
    const id = k.id();
    const res = await send(c[k.who], method, fill(path, id), k.body?.());
    expectProblem(res, 403, 'forbidden');
    const rows = await auditOf(res.requestId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      outcome: 'denied',
      action: ROUTES[k.route]!.action,
      entity_id: id,
      actor_user_id: userIdOf(k.who),
    });
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
const badId = (route: string, who: UserKey): BadInputCase => ({
  route,
  who,
  url: () => fill(split(route).path, 'not-a-uuid'),
  body: () => ({}),
  expect: [['id', 'format']],
});

const BAD_INPUT: Record<string, BadInputCase> = {
  'login/totp: a code that is not six digits, an unknown field': {
    route: 'POST /api/auth/login/totp',
    who: 'pending',
    body: () => ({ code: '12ab', remember: true }),
    expect: [
      ['code', 'pattern'],
      ['remember', 'unknown-field'],
    ],
  },
  'membership: not a uuid, an unknown field': {
    route: 'POST /api/auth/membership',
    who: 'intakeA',
    body: () => ({ membershipId: 'nope', organizationId: t.orgB.id }),
    expect: [
      ['membershipId', 'format'],
      ['organizationId', 'unknown-field'],
    ],
  },
  'membership: a membership of someone else': {
    route: 'POST /api/auth/membership',
    who: 'intakeA',
    body: () => ({ membershipId: t.users.intakeB.membershipId }),
    expect: [['membershipId', 'organization-unknown']],
  },
  'password: missing new password, an unknown field': {
    route: 'POST /api/auth/password',
    who: 'intakeA',
    body: () => ({ currentPassword: PASSWORD, confirm: 'x' }),
    expect: [
      ['newPassword', 'required'],
      ['confirm', 'unknown-field'],
    ],
  },
  'password: wrong current password': {
    route: 'POST /api/auth/password',
    who: 'intakeA',
    body: () => ({ currentPassword: 'not my password', newPassword: 'a sufficiently long one' }),
    expect: [['currentPassword', 'password-wrong']],
  },
  'password: too short': {
    route: 'POST /api/auth/password',
    who: 'intakeA',
    body: () => ({ currentPassword: PASSWORD, newPassword: 'short' }),
    expect: [['newPassword', 'password-too-short']],
  },
  'password: the same as before': {
    route: 'POST /api/auth/password',
    who: 'intakeA',
    body: () => ({ currentPassword: PASSWORD, newPassword: PASSWORD }),
    expect: [['newPassword', 'password-same']],
  },
  'totp/enable: a short code, an unknown field': {
    route: 'POST /api/auth/totp/enable',
    who: 'intakeA',
    body: () => ({ code: '12', secret: 'x' }),
    expect: [
      ['code', 'pattern'],
      ['secret', 'unknown-field'],
    ],
  },
  'totp/enable: without a started enrolment': {
    route: 'POST /api/auth/totp/enable',
    who: 'intakeA',
    body: () => ({ code: '123456' }),
    expect: [['code', 'invalid-code']],
  },
  'totp/disable: no password, an unknown field': {
    route: 'POST /api/auth/totp/disable',
    who: 'intakeA',
    body: () => ({ code: '123456' }),
    expect: [
      ['password', 'required'],
      ['code', 'unknown-field'],
    ],
  },
  'totp/disable: a wrong password': {
    route: 'POST /api/auth/totp/disable',
    who: 'intakeA',
    body: () => ({ password: 'not my password' }),
    expect: [['password', 'password-wrong']],
  },
  'clients search: page size 0, a page far beyond any data, an unknown parameter': {
    route: 'GET /api/clients',
    who: 'intakeA',
    url: () => '/api/clients?pageSize=0&page=100000000000000000000&bogus=1',
    expect: [
      ['pageSize', 'minimum'],
      ['page', 'maximum'],
      ['bogus', 'unknown-field'],
    ],
  },
  'client create: a bad e-mail, an unknown field': {
    route: 'POST /api/clients',
    who: 'intakeA',
    body: () => ({ givenName: 'Ann', familyName: 'Peeters', email: 'nope', shoeSize: 42 }),
    expect: [
      ['email', 'format'],
      ['shoeSize', 'unknown-field'],
    ],
  },
  'duplicate check: birth year 1800, an unknown field': {
    route: 'POST /api/clients/duplicate-check',
    who: 'intakeA',
    body: () => ({ birthYear: 1800, municipality: '24062' }),
    expect: [
      ['birthYear', 'minimum'],
      ['municipality', 'unknown-field'],
    ],
  },
  'client read: not a uuid': badId('GET /api/clients/:id', 'intakeA'),
  'client change: a phone too long, an unknown field': {
    route: 'PATCH /api/clients/:id',
    who: 'intakeA',
    url: () => `/api/clients/${clientA}`,
    body: () => ({ phone: '0470 12 34 56 0470 12 34 56 0470', nickname: 'x' }),
    expect: [
      ['phone', 'maxLength'],
      ['nickname', 'unknown-field'],
    ],
  },
  'client change: a phone that is no number': {
    route: 'PATCH /api/clients/:id',
    who: 'intakeA',
    url: () => `/api/clients/${clientA}`,
    body: () => ({ phone: 'call me' }),
    expect: [['phone', 'phone-invalid']],
  },
  'client change: not a uuid': badId('PATCH /api/clients/:id', 'intakeA'),
  'access log: not a uuid': badId('GET /api/clients/:id/access-log', 'teamLeadA'),
  'organisation create: short name, unknown kind, an unknown field': {
    route: 'POST /api/organizations',
    who: 'networkAdmin',
    body: () => ({ name: 'X', kind: 'bakery', city: 'Leuven' }),
    expect: [
      ['name', 'minLength'],
      ['kind', null],
      ['city', 'unknown-field'],
    ],
  },
  'organisation read: not a uuid': badId('GET /api/organizations/:id', 'intakeA'),
  'organisation change: unknown kind, an unknown field': {
    route: 'PATCH /api/organizations/:id',
    who: 'adminA',
    url: () => `/api/organizations/${t.orgA.id}`,
    body: () => ({ kind: 'bakery', color: 'red' }),
    expect: [
      ['kind', null],
      ['color', 'unknown-field'],
    ],
  },
  'site: bad postal code and NIS code, an unknown field': {
    route: 'POST /api/organizations/:id/sites',
    who: 'adminA',
    url: () => `/api/organizations/${t.orgA.id}/sites`,
    body: () => ({
      name: 'Hoofdzetel',
      street: 'Bondgenotenlaan 1',
      postalCode: '30000',
      municipality: '2406',
      phone: 'x',
    }),
    expect: [
      ['postalCode', 'pattern'],
      ['municipality', 'pattern'],
      ['phone', 'unknown-field'],
    ],
  },
  'site: a NIS code that does not exist': {
    route: 'POST /api/organizations/:id/sites',
    who: 'adminA',
    url: () => `/api/organizations/${t.orgA.id}/sites`,
    body: () => ({ name: 'Hoofdzetel', street: 'Bondgenotenlaan 1', postalCode: '3000', municipality: '99999' }),
    expect: [['municipality', 'municipality-unknown']],
  },
  'team: no name, an unknown field': {
    route: 'POST /api/organizations/:id/teams',
    who: 'adminA',
    url: () => `/api/organizations/${t.orgA.id}/teams`,
    body: () => ({ lead: 'x' }),
    expect: [
      ['name', 'required'],
      ['lead', 'unknown-field'],
    ],
  },
  'user read: not a uuid': badId('GET /api/users/:id', 'adminA'),
  'user create: bad e-mail, short name, unknown role, an unknown field': {
    route: 'POST /api/users',
    who: 'adminA',
    body: () => ({ email: 'nope', displayName: 'X', role: 'king', nickname: 'k' }),
    expect: [
      ['email', 'format'],
      ['displayName', 'minLength'],
      ['role', null],
      ['nickname', 'unknown-field'],
    ],
  },
  'user create: a role the admin may not grant': {
    route: 'POST /api/users',
    who: 'adminA',
    body: () => ({ email: `grant-${randomId()}@test.example`, displayName: 'Nieuwe Analist', role: 'analyst' }),
    expect: [['role', 'role-not-allowed']],
  },
  'user change: active is not a boolean, an unknown field': {
    route: 'PATCH /api/users/:id',
    who: 'adminA',
    url: () => `/api/users/${t.users.intakeA.id}`,
    body: () => ({ active: 'maybe', email: 'x@y.be' }),
    expect: [
      ['active', 'type'],
      ['email', 'unknown-field'],
    ],
  },
  'user change: not a uuid': badId('PATCH /api/users/:id', 'adminA'),
  'password reset: not a uuid': badId('POST /api/users/:id/reset-password', 'adminA'),
  'password reset: not a boolean, an unknown field': {
    route: 'POST /api/users/:id/reset-password',
    who: 'adminA',
    url: () => `/api/users/${t.users.intakeA.id}/reset-password`,
    body: () => ({ resetTwoFactor: 'yes', notify: true }),
    expect: [
      ['resetTwoFactor', 'type'],
      ['notify', 'unknown-field'],
    ],
  },
  'membership add: organisation not a uuid, an unknown field': {
    route: 'POST /api/users/:id/memberships',
    who: 'adminA',
    url: () => `/api/users/${t.users.intakeA.id}/memberships`,
    body: () => ({ role: 'caregiver', organizationId: 'x', since: '2020' }),
    expect: [
      ['organizationId', 'format'],
      ['since', 'unknown-field'],
    ],
  },
  'membership add: not a uuid': badId('POST /api/users/:id/memberships', 'adminA'),
  'membership end: not a uuid': badId('POST /api/memberships/:id/deactivate', 'adminA'),
  'token create: short name, no permissions, an unknown field': {
    route: 'POST /api/api-tokens',
    who: 'adminA',
    body: () => ({ name: 'x', permissions: [], expires: 'never' }),
    expect: [
      ['name', 'minLength'],
      ['permissions', 'minItems'],
      ['expires', 'unknown-field'],
    ],
  },
  'token create: a permission a token cannot have': {
    route: 'POST /api/api-tokens',
    who: 'adminA',
    body: () => ({ name: 'Partner', permissions: ['client:read', 'user:manage'] }),
    expect: [['permissions.1', 'permission-not-allowed']],
  },
  'token revoke: not a uuid': badId('POST /api/api-tokens/:id/revoke', 'adminA'),
  'audit: limit above 200, an unknown parameter': {
    route: 'GET /api/audit',
    who: 'adminA',
    url: () => '/api/audit?limit=500&foo=1',
    expect: [
      ['limit', 'maximum'],
      ['foo', 'unknown-field'],
    ],
  },
  'audit: from after to': {
    route: 'GET /api/audit',
    who: 'adminA',
    url: () =>
      `/api/audit?from=${encodeURIComponent('2025-02-01T00:00:00Z')}&to=${encodeURIComponent('2025-01-01T00:00:00Z')}`,
    expect: [['from', 'range-invalid']],
  },
  'municipalities: an unknown parameter': {
    route: 'GET /api/municipalities',
    who: 'intakeA',
    url: () => '/api/municipalities?zip=3000',
    expect: [['zip', 'unknown-field']],
  },
  'offer search: page size 0, an unknown level, an unknown parameter': {
    route: 'GET /api/offers',
    who: 'intakeA',
    url: () => '/api/offers?pageSize=0&level=tertiary&bogus=1',
    expect: [
      ['pageSize', 'minimum'],
      ['level.0', null],
      ['bogus', 'unknown-field'],
    ],
  },
  'stale overview: a page beyond the limit, page size above 500, an unknown parameter': {
    route: 'GET /api/offers/stale',
    who: 'networkCoordinator',
    url: () => '/api/offers/stale?page=100001&pageSize=501&bogus=1',
    expect: [
      ['page', 'maximum'],
      ['pageSize', 'maximum'],
      ['bogus', 'unknown-field'],
    ],
  },
  'offer search: age above 120, a NIS code of four digits': {
    route: 'GET /api/offers',
    who: 'intakeA',
    url: () => '/api/offers?age=121&municipality=2406',
    expect: [
      ['age', 'maximum'],
      ['municipality', 'pattern'],
    ],
  },
  'offer read: not a uuid': badId('GET /api/offers/:id', 'intakeA'),
  'offer create: a blank name, an unknown level, an unknown field': {
    route: 'POST /api/offers',
    who: 'adminA',
    body: () => offerBody({ name: '   ', level: 'tertiary', colour: 'red' }),
    expect: [
      ['name', 'pattern'],
      ['level', null],
      ['colour', 'unknown-field'],
    ],
  },
  'offer create: no themes, no capacity': {
    route: 'POST /api/offers',
    who: 'adminA',
    body: () => {
      const { themes: _t, capacity: _c, ...rest } = offerBody();
      return rest;
    },
    expect: [
      ['themes', 'required'],
      ['capacity', 'required'],
    ],
  },
  'offer create: an unknown theme, ages upside down, a NIS code that does not exist': {
    route: 'POST /api/offers',
    who: 'adminA',
    body: () =>
      offerBody({ themes: ['anxiety', 'no-such-theme'], minAge: 40, maxAge: 20, municipalities: ['24062', '99999'] }),
    expect: [
      ['themes.1', 'theme-unknown'],
      ['minAge', 'age-range'],
      ['municipalities.1', 'municipality-unknown'],
    ],
  },
  'offer create: an unknown category, a site of another organisation': {
    route: 'POST /api/offers',
    who: 'adminA',
    body: () => offerBody({ category: 'no-such-category', siteIds: [siteB] }),
    expect: [
      ['category', 'category-unknown'],
      ['siteIds.0', 'site-unknown'],
    ],
  },
  'offer change: a bad e-mail, an unknown field': {
    route: 'PATCH /api/offers/:id',
    who: 'adminA',
    url: () => `/api/offers/${offerA}`,
    body: () => ({ contactEmail: 'nope', rating: 5 }),
    expect: [
      ['contactEmail', 'format'],
      ['rating', 'unknown-field'],
    ],
  },
  'offer change: a minimum age above the stored maximum': {
    route: 'PATCH /api/offers/:id',
    who: 'adminA',
    url: () => `/api/offers/${offerA}`,
    body: () => ({ minAge: 70 }),
    expect: [['minAge', 'age-range']],
  },
  'offer change: not a uuid': badId('PATCH /api/offers/:id', 'adminA'),
  'capacity: an unknown capacity, negative waiting days, an unknown field': {
    route: 'POST /api/offers/:id/capacity',
    who: 'adminA',
    url: () => `/api/offers/${offerA}/capacity`,
    body: () => ({ capacity: 'closed', waitDays: -1, note: 'x' }),
    expect: [
      ['capacity', null],
      ['waitDays', null],
      ['note', 'unknown-field'],
    ],
  },
  'capacity: not a uuid': badId('POST /api/offers/:id/capacity', 'adminA'),
  'instrument as FHIR: a name longer than 40 characters': {
    route: 'GET /api/instruments/:instrument/fhir',
    who: 'intakeA',
    url: () => `/api/instruments/${'x'.repeat(41)}/fhir`,
    expect: [['instrument', 'maxLength']],
  },
  'help requests: an unknown status, an unknown parameter': {
    route: 'GET /api/help-requests',
    who: 'intakeA',
    url: () => '/api/help-requests?status=pending&bogus=1',
    expect: [
      ['status', null],
      ['bogus', 'unknown-field'],
    ],
  },
  'help requests: a client id that is not a uuid': {
    route: 'GET /api/help-requests',
    who: 'intakeA',
    url: () => '/api/help-requests?clientId=nope',
    expect: [['clientId', 'format']],
  },
  'help request create: a blank story, an unknown urgency, an unknown field': {
    route: 'POST /api/help-requests',
    who: 'intakeA',
    body: () => ({ story: '   ', themes: ['anxiety'], urgency: 'whenever', mood: 'sad' }),
    expect: [
      ['story', 'pattern'],
      ['urgency', null],
      ['mood', 'unknown-field'],
    ],
  },
  'help request create: no themes, no urgency': {
    route: 'POST /api/help-requests',
    who: 'intakeA',
    body: () => ({ story: 'Kort verhaal' }),
    expect: [
      ['themes', 'required'],
      ['urgency', 'required'],
    ],
  },
  'help request create: a client of B, an unknown theme, a NIS code that does not exist': {
    route: 'POST /api/help-requests',
    who: 'intakeA',
    body: () => ({
      clientId: clientB,
      story: 'Verhaal',
      themes: ['anxiety', 'no-such-theme'],
      urgency: 'routine',
      municipality: '99999',
    }),
    expect: [
      ['clientId', 'client-unknown'],
      ['themes.1', 'theme-unknown'],
      ['municipality', 'municipality-unknown'],
    ],
  },
  'help request read: not a uuid': badId('GET /api/help-requests/:id', 'intakeA'),
  'help request change: an unknown urgency, an unknown field': {
    route: 'PATCH /api/help-requests/:id',
    who: 'intakeA',
    url: () => `/api/help-requests/${helpA}`,
    body: () => ({ urgency: 'later', status: 'closed' }),
    expect: [
      ['urgency', null],
      ['status', 'unknown-field'],
    ],
  },
  'help request change: an unknown level, an age above 120': {
    route: 'PATCH /api/help-requests/:id',
    who: 'intakeA',
    url: () => `/api/help-requests/${helpA}`,
    body: () => ({ indicationLevel: 'tertiary', age: 130 }),
    expect: [
      ['indicationLevel', null],
      ['age', null],
    ],
  },
  'help request change: an unknown theme, a NIS code that does not exist': {
    route: 'PATCH /api/help-requests/:id',
    who: 'intakeA',
    url: () => `/api/help-requests/${helpA}`,
    body: () => ({ themes: ['no-such-theme'], municipality: '99999' }),
    expect: [
      ['themes.0', 'theme-unknown'],
      ['municipality', 'municipality-unknown'],
    ],
  },
  'help request change: not a uuid': badId('PATCH /api/help-requests/:id', 'intakeA'),
  'help request close: a reason too short, an unknown field': {
    route: 'POST /api/help-requests/:id/close',
    who: 'intakeA',
    url: () => `/api/help-requests/${helpA}/close`,
    body: () => ({ reason: 'x', force: true }),
    expect: [
      ['reason', 'minLength'],
      ['force', 'unknown-field'],
    ],
  },
  'help request close: not a uuid': badId('POST /api/help-requests/:id/close', 'intakeA'),
  'screening: an unknown field': {
    route: 'POST /api/help-requests/:id/screenings',
    who: 'intakeA',
    url: () => `/api/help-requests/${helpA}/screenings`,
    body: () => ({ instrument: 'phq9', answers: phq9(5), date: '2025-01-01' }),
    expect: [['date', 'unknown-field']],
  },
  'screening: an unknown instrument': {
    route: 'POST /api/help-requests/:id/screenings',
    who: 'intakeA',
    url: () => `/api/help-requests/${helpA}/screenings`,
    body: () => ({ instrument: 'bdi', answers: {} }),
    expect: [['instrument', 'instrument-unknown']],
  },
  'screening: an answer out of range, an unknown item': {
    route: 'POST /api/help-requests/:id/screenings',
    who: 'intakeA',
    url: () => `/api/help-requests/${helpA}/screenings`,
    body: () => ({ instrument: 'phq9', answers: { q1: 4, q10: 1 } }),
    expect: [
      ['answers.q1', null],
      ['answers.q10', null],
    ],
  },
  'screening: not a uuid': badId('POST /api/help-requests/:id/screenings', 'intakeA'),
  'screening as FHIR: not a uuid': badId('GET /api/screenings/:id/fhir', 'intakeA'),
  'screening history: not a uuid': badId('GET /api/clients/:id/screenings', 'intakeA'),
  'safety signal: an unknown kind and level, an unknown field': {
    route: 'POST /api/help-requests/:id/safety-signals',
    who: 'intakeA',
    url: () => `/api/help-requests/${helpA}/safety-signals`,
    body: () => ({ kind: 'fire', level: 'low', source: 'screening' }),
    expect: [
      ['kind', null],
      ['level', null],
      ['source', 'unknown-field'],
    ],
  },
  'safety signal: not a uuid': badId('POST /api/help-requests/:id/safety-signals', 'intakeA'),
  'safety action: a blank action, an unknown field': {
    route: 'POST /api/safety-signals/:id/action',
    who: 'intakeA',
    url: () => `/api/safety-signals/${signalA}/action`,
    body: () => ({ actionTaken: ' ', by: 'x' }),
    expect: [
      ['actionTaken', null],
      ['by', 'unknown-field'],
    ],
  },
  'safety action: not a uuid': badId('POST /api/safety-signals/:id/action', 'intakeA'),
  'acknowledge: not a uuid': badId('POST /api/safety-signals/:id/acknowledge', 'teamLeadA'),
  'matches: not a uuid': badId('GET /api/help-requests/:id/matches', 'intakeA'),
  'choice: an offer id that is not a uuid, an unknown field': {
    route: 'POST /api/help-requests/:id/choice',
    who: 'intakeA',
    url: () => `/api/help-requests/${helpA}/choice`,
    body: () => ({ offerId: 'nope', note: 'x' }),
    expect: [
      ['offerId', 'format'],
      ['note', 'unknown-field'],
    ],
  },
  'choice: an offer of another network': {
    route: 'POST /api/help-requests/:id/choice',
    who: 'intakeA',
    url: () => `/api/help-requests/${helpA}/choice`,
    body: () => ({ offerId: offerX, reason: 'Elders' }),
    expect: [['offerId', 'offer-unknown']],
  },
  'choice: not the top suggestion, without a reason': {
    route: 'POST /api/help-requests/:id/choice',
    who: 'intakeA',
    url: () => `/api/help-requests/${helpA}/choice`,
    body: () => ({ offerId: offerB }),
    expect: [['reason', 'choice-reason-required']],
  },
  'choice: not a uuid': badId('POST /api/help-requests/:id/choice', 'intakeA'),
  'consent: a client id that is not a uuid, an unknown purpose, no categories, an unknown field': {
    route: 'POST /api/consents',
    who: 'intakeA',
    body: () => ({
      clientId: 'nope',
      purpose: 'marketing',
      recipientOrganizationId: t.orgB.id,
      categories: [],
      method: 'verbal',
      scope: 'all',
    }),
    expect: [
      ['clientId', 'format'],
      ['purpose', null],
      ['categories', 'minItems'],
      ['scope', 'unknown-field'],
    ],
  },
  'consent: a client of B, an organisation of another network, an exception without a reason, a date past': {
    route: 'POST /api/consents',
    who: 'intakeA',
    body: () => ({
      clientId: clientB,
      purpose: 'referral',
      recipientOrganizationId: t.orgX.id,
      categories: ['contact'],
      method: 'exception',
      validUntil: '2020-01-01',
    }),
    expect: [
      ['clientId', 'client-unknown'],
      ['recipientOrganizationId', 'organization-unknown'],
      ['exceptionReason', 'exception-reason-required'],
      ['validUntil', 'date-past'],
    ],
  },
  'consent: an offer not of the recipient, an exception reason without an exception': {
    route: 'POST /api/consents',
    who: 'intakeA',
    body: () => ({
      clientId: clientA,
      purpose: 'referral',
      recipientOrganizationId: t.orgB.id,
      recipientOfferId: offerA,
      categories: ['contact'],
      method: 'verbal',
      exceptionReason: 'Geen',
    }),
    expect: [
      ['recipientOfferId', 'offer-unknown'],
      ['exceptionReason', 'exception-reason-unexpected'],
    ],
  },
  'consent withdraw: an unknown field': {
    route: 'POST /api/consents/:id/withdraw',
    who: 'intakeA',
    url: () => `/api/consents/${consentA}/withdraw`,
    body: () => ({ note: 'Op vraag van de cliënt', reason: 'x' }),
    expect: [['reason', 'unknown-field']],
  },
  'consent withdraw: not a uuid': badId('POST /api/consents/:id/withdraw', 'intakeA'),
  'consents of a client: not a uuid': badId('GET /api/clients/:id/consents', 'intakeA'),
  'exception review: not a uuid': badId('POST /api/consents/:id/review', 'teamLeadA'),
  'referral: a help request id that is not a uuid, an unknown priority, an unknown field': {
    route: 'POST /api/referrals',
    who: 'intakeA',
    body: () => ({ helpRequestId: 'nope', offerId: offerB, priority: 'whenever', consentId: consentA, urgent: true }),
    expect: [
      ['helpRequestId', 'format'],
      ['priority', null],
      ['urgent', 'unknown-field'],
    ],
  },
  'referral: a help request of B': {
    route: 'POST /api/referrals',
    who: 'intakeA',
    body: () => ({ helpRequestId: helpB, offerId: offerB, priority: 'routine', consentId: consentA }),
    expect: [['helpRequestId', 'help-request-unknown']],
  },
  'referral: a help request without a client': {
    route: 'POST /api/referrals',
    who: 'intakeA',
    body: () => ({ helpRequestId: helpAnonymousA, offerId: offerB, priority: 'routine', consentId: consentA }),
    expect: [['helpRequestId', 'help-request-without-client']],
  },
  'referral: an offer of another network': {
    route: 'POST /api/referrals',
    who: 'intakeA',
    body: () => ({ helpRequestId: helpA, offerId: offerX, priority: 'routine', consentId: consentA }),
    expect: [['offerId', 'offer-unknown']],
  },
  'referral: a consent of B': {
    route: 'POST /api/referrals',
    who: 'intakeA',
    body: () => ({ helpRequestId: helpA, offerId: offerB, priority: 'routine', consentId: consentExceptionB }),
    expect: [['consentId', 'consent-unknown']],
  },
  'referrals: an unknown box, an unknown parameter': {
    route: 'GET /api/referrals',
    who: 'intakeA',
    url: () => '/api/referrals?box=sideways&bogus=1',
    expect: [
      ['box', null],
      ['bogus', 'unknown-field'],
    ],
  },
  'referrals: no box, limit 0': {
    route: 'GET /api/referrals',
    who: 'intakeA',
    url: () => '/api/referrals?limit=0',
    expect: [
      ['box', 'required'],
      ['limit', 'minimum'],
    ],
  },
  'referral read: not a uuid': badId('GET /api/referrals/:id', 'intakeA'),
  'transition: an unknown action, an unknown field': {
    route: 'POST /api/referrals/:id/transitions',
    who: 'intakeB',
    url: () => `/api/referrals/${referralAB}/transitions`,
    body: () => ({ action: 'teleport', when: 'now' }),
    expect: [
      ['action', null],
      ['when', 'unknown-field'],
    ],
  },
  'transition: version 0, a time that is no time': {
    route: 'POST /api/referrals/:id/transitions',
    who: 'intakeB',
    url: () => `/api/referrals/${referralAB}/transitions`,
    body: () => ({ action: 'schedule', version: 0, scheduledAt: 'tomorrow' }),
    expect: [
      ['version', 'minimum'],
      ['scheduledAt', null],
    ],
  },
  'transition: declining without a reason': {
    route: 'POST /api/referrals/:id/transitions',
    who: 'intakeB',
    url: () => `/api/referrals/${referralAB}/transitions`,
    body: () => ({ action: 'decline' }),
    expect: [['reason', 'decline-reason-required']],
  },
  'transition: declining for "other" without a note': {
    route: 'POST /api/referrals/:id/transitions',
    who: 'intakeB',
    url: () => `/api/referrals/${referralAB}/transitions`,
    body: () => ({ action: 'decline', reason: 'other' }),
    expect: [['note', 'note-required']],
  },
  'transition: waitlisting without an expected date': {
    route: 'POST /api/referrals/:id/transitions',
    who: 'intakeB',
    url: () => `/api/referrals/${referralAB}/transitions`,
    body: () => ({ action: 'waitlist' }),
    expect: [['expectedDate', 'required']],
  },
  'transition: cancelling without a reason': {
    route: 'POST /api/referrals/:id/transitions',
    who: 'intakeA',
    url: () => `/api/referrals/${referralAB}/transitions`,
    body: () => ({ action: 'cancel', reason: ' ' }),
    expect: [['reason', 'required']],
  },
  'transition: not a uuid': badId('POST /api/referrals/:id/transitions', 'intakeB'),
  'bridging: a note too short, an unknown field': {
    route: 'POST /api/referrals/:id/bridging',
    who: 'intakeA',
    url: () => `/api/referrals/${referralAB}/bridging`,
    body: () => ({ note: 'x', offer: 'y' }),
    expect: [
      ['note', 'minLength'],
      ['offer', 'unknown-field'],
    ],
  },
  'bridging: an offer of another network': {
    route: 'POST /api/referrals/:id/bridging',
    who: 'intakeA',
    url: () => `/api/referrals/${referralAB}/bridging`,
    body: () => ({ offerId: offerX, note: 'Groep elders' }),
    expect: [['offerId', 'offer-unknown']],
  },
  'bridging: not a uuid': badId('POST /api/referrals/:id/bridging', 'intakeA'),
  'bridging suggestions: not a uuid': badId('GET /api/referrals/:id/bridging-suggestions', 'intakeA'),
  'register client: a client id that is not a uuid, an unknown field': {
    route: 'POST /api/referrals/:id/register-client',
    who: 'intakeB',
    url: () => `/api/referrals/${referralAccepted}/register-client`,
    body: () => ({ existingClientId: 'nope', merge: true }),
    expect: [
      ['existingClientId', null],
      ['merge', 'unknown-field'],
    ],
  },
  'register client: a client of the sender': {
    route: 'POST /api/referrals/:id/register-client',
    who: 'intakeB',
    url: () => `/api/referrals/${referralAccepted}/register-client`,
    body: () => ({ existingClientId: clientA }),
    expect: [['existingClientId', 'client-unknown']],
  },
  'register client: not a uuid': badId('POST /api/referrals/:id/register-client', 'intakeB'),
  'referral as FHIR: not a uuid': badId('GET /api/referrals/:id/fhir', 'intakeA'),
  'notifications: unread is not a boolean, an unknown parameter': {
    route: 'GET /api/notifications',
    who: 'intakeA',
    url: () => '/api/notifications?unread=maybe&bogus=1',
    expect: [
      ['unread', null],
      ['bogus', 'unknown-field'],
    ],
  },
  'notification read: not a uuid': badId('POST /api/notifications/:id/read', 'intakeA'),
  'network settings: hours as text, a missing group, an unknown field': {
    route: 'PUT /api/network/settings',
    who: 'networkAdmin',
    body: () => ({
      referralTargets: { acuteHours: '4', urgentWorkingDays: 2, routineWorkingDays: 5, firstContactWorkingDays: 10 },
      colour: 'red',
    }),
    expect: [
      ['referralTargets.acuteHours', 'type'],
      ['matchingThresholds', 'required'],
      ['colour', 'unknown-field'],
    ],
  },
  'network settings: working days and a PHQ-9 threshold out of range': {
    route: 'PUT /api/network/settings',
    who: 'networkAdmin',
    body: () => ({
      referralTargets: { acuteHours: 4, urgentWorkingDays: 2, routineWorkingDays: 0, firstContactWorkingDays: 61 },
      matchingThresholds: { phq9Specialised: 28, k10Specialised: 30, gad7Specialised: 15 },
    }),
    expect: [
      ['referralTargets.routineWorkingDays', 'out-of-range'],
      ['referralTargets.firstContactWorkingDays', 'out-of-range'],
      ['matchingThresholds.phq9Specialised', 'out-of-range'],
    ],
  },
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
      expect(
        errors.some((e) => e.field === field && (code === null || e.code === code)),
        `${field}:${code} in ${res.raw}`,
      ).toBe(true);
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
    [
      'POST',
      '/api/clients/duplicate-check',
      'birthDate',
      { givenName: 'Jaar', familyName: 'Nul', birthDate: '0000-01-01' },
    ],
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
      csrfToken: c.intakeA.csrf,
      pendingTwoFactor: false,
      user: { id: t.users.intakeA.id, email: t.users.intakeA.email, mustChangePassword: false },
      membership: {
        id: t.users.intakeA.membershipId,
        role: 'intake-worker',
        organizationId: t.orgA.id,
        networkId: t.network.id,
      },
    });
    expect([...res.body.permissions].sort()).toEqual([...ROLE_PERMISSIONS['intake-worker']].sort());
  },
  'POST /api/auth/membership': async () => {
    const user = await freshUser('intake-worker', t.orgA.id);
    const second = await world.owner
      .insertInto('memberships')
      .values({ user_id: user.id, network_id: t.network.id, organization_id: t.orgB.id, role: 'caregiver' })
      .returning('id')
      .executeTakeFirstOrThrow();
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
    const res = await user.caller.post('/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'een nieuw en lang wachtwoord',
    });
    expect(res.statusCode, res.raw).toBe(204);
    expect((await user.caller.get('/api/auth/me')).statusCode).toBe(200);
    expectProblem(await otherSession.get('/api/auth/me'), 401, 'unauthenticated');
    expectProblem(
      await new Caller(world.app).post('/api/auth/login', { email: user.email, password: PASSWORD }),
      401,
      'invalid-credentials',
    );
    expect(
      (
        await new Caller(world.app).post('/api/auth/login', {
          email: user.email,
          password: 'een nieuw en lang wachtwoord',
        })
      ).statusCode,
    ).toBe(200);
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
    expect(
      (await new Caller(world.app).post('/api/auth/login', { email: user.email, password: PASSWORD })).body
        .twoFactorRequired,
    ).toBe(true);
  },
  'POST /api/auth/totp/disable': async () => {
    const user = await freshUser();
    await enrolTotp(user.caller);
    const res = await user.caller.post('/api/auth/totp/disable', { password: PASSWORD });
    expect(res.statusCode, res.raw).toBe(204);
    expect(await dbUser(user.id)).toMatchObject({ totp_enabled: false, totp_secret: null });
    expect(
      (await new Caller(world.app).post('/api/auth/login', { email: user.email, password: PASSWORD })).body
        .twoFactorRequired,
    ).toBe(false);
  },
  'GET /api/clients': async () => {
    const res = await c.intakeA.get('/api/clients?q=matrixtest');
    expect(res.statusCode).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([clientA]);
  },
  'POST /api/clients': async () => {
    const res = await c.caregiverA.post('/api/clients', {
      givenName: 'Koen',
      familyName: 'Nieuwkomer',
      municipality: '24062',
    });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      organizationId: t.orgA.id,
      displayName: 'Koen Nieuwkomer',
      municipality: '24062',
      possibleDuplicates: [],
    });
  },
  'POST /api/clients/duplicate-check': async () => {
    const res = await c.intakeA.post('/api/clients/duplicate-check', {
      givenName: 'Mieke',
      familyName: 'Matrixtest',
      birthDate: '1970-03-03',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body.items).toEqual([
      { id: clientA, displayName: 'Mieke Matrixtest', birthDate: '1970-03-03', birthYear: null },
    ]);
  },
  'GET /api/clients/:id': async () => {
    const res = await c.intakeA.get(`/api/clients/${clientA}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      id: clientA,
      organizationId: t.orgA.id,
      displayName: 'Mieke Matrixtest',
      birthDate: '1970-03-03',
    });
  },
  'PATCH /api/clients/:id': async () => {
    const created = await c.intakeA.post('/api/clients', { givenName: 'Wim', familyName: 'Wijziger' });
    const res = await c.intakeA.patch(`/api/clients/${created.body.id}`, { phone: '+32 16 12 34 56' });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ id: created.body.id, givenName: 'Wim', phone: '+3216123456' });
  },
  'GET /api/clients/:id/access-log': async () => {
    const res = await c.teamLeadA.get(`/api/clients/${clientA}/access-log`);
    expect(res.statusCode).toBe(200);
    expect(res.body.items.map((i: { action: string }) => i.action)).toContain('client.create');
  },
  'GET /api/organizations': async () => {
    const res = await c.intakeA.get('/api/organizations');
    expect(res.statusCode).toBe(200);
    const inNetwork = await world.owner
      .selectFrom('organizations')
      .select('id')
      .where('network_id', '=', t.network.id)
      .execute();
    expect(res.body.items.map((o: { id: string }) => o.id).sort()).toEqual(inNetwork.map((o) => o.id).sort());
    expect(res.body.items).toContainEqual({ id: t.orgA.id, name: t.orgA.name, kind: 'caw', active: true });
  },
  'GET /api/organizations/:id': async () => {
    const res = await c.intakeA.get(`/api/organizations/${t.orgB.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      id: t.orgB.id,
      kind: 'cgg',
      active: true,
      sites: expect.any(Array),
      teams: expect.any(Array),
    });
  },
  'POST /api/organizations': async () => {
    const res = await c.networkAdmin.post('/api/organizations', {
      name: 'Huisartsenkring Matrix',
      kind: 'primary-care',
    });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Huisartsenkring Matrix',
      kind: 'primary-care',
      active: true,
      sites: [],
      teams: [],
    });
    const row = await world.owner
      .selectFrom('organizations')
      .select('network_id')
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(row.network_id).toBe(t.network.id);
  },
  'PATCH /api/organizations/:id': async () => {
    const res = await c.adminB.patch(`/api/organizations/${t.orgB.id}`, { name: 'CGG Matrix' });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ id: t.orgB.id, name: 'CGG Matrix', kind: 'cgg' });
  },
  'POST /api/organizations/:id/sites': async () => {
    const res = await c.adminA.post(`/api/organizations/${t.orgA.id}/sites`, {
      name: 'Onthaal Leuven',
      street: 'Bondgenotenlaan 1',
      postalCode: '3000',
      municipality: '24062',
    });
    expect(res.statusCode, res.raw).toBe(201);
    const detail = await c.adminA.get(`/api/organizations/${t.orgA.id}`);
    expect(detail.body.sites).toContainEqual({
      id: res.body.id,
      name: 'Onthaal Leuven',
      street: 'Bondgenotenlaan 1',
      postalCode: '3000',
      municipality: '24062',
    });
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
    expect(res.body).toMatchObject({
      id: t.users.intakeA.id,
      email: t.users.intakeA.email,
      active: true,
      memberships: [
        { id: t.users.intakeA.membershipId, role: 'intake-worker', organizationId: t.orgA.id, active: true },
      ],
    });
  },
  'POST /api/users': async () => {
    const email = `nieuw-${randomId()}@test.example`;
    const res = await c.adminA.post('/api/users', { email, displayName: 'Nieuwe Collega', role: 'caregiver' });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      temporaryPassword: expect.stringMatching(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/),
    });
    expect(await dbUser(res.body.id)).toMatchObject({ email, must_change_password: true, active: true });
    const memberships = await world.owner
      .selectFrom('memberships')
      .select(['organization_id', 'role'])
      .where('user_id', '=', res.body.id)
      .execute();
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
    const signIn = await new Caller(world.app).post('/api/auth/login', {
      email: user.email,
      password: res.body.temporaryPassword,
    });
    expect(signIn.statusCode).toBe(200);
    expect(signIn.body.mustChangePassword).toBe(true);
  },
  'POST /api/users/:id/memberships': async () => {
    const user = await freshUser();
    const res = await c.networkAdmin.post(`/api/users/${user.id}/memberships`, {
      role: 'caregiver',
      organizationId: t.orgB.id,
    });
    expect(res.statusCode, res.raw).toBe(201);
    const row = await world.owner
      .selectFrom('memberships')
      .selectAll()
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ user_id: user.id, organization_id: t.orgB.id, role: 'caregiver', active: true });
  },
  'POST /api/memberships/:id/deactivate': async () => {
    const user = await freshUser();
    const res = await c.adminA.post(`/api/memberships/${user.membershipId}/deactivate`);
    expect(res.statusCode, res.raw).toBe(204);
    const row = await world.owner
      .selectFrom('memberships')
      .select('active')
      .where('id', '=', user.membershipId)
      .executeTakeFirstOrThrow();
    expect(row.active).toBe(false);
    expectProblem(await user.caller.get('/api/auth/me'), 401, 'unauthenticated');
  },
  'GET /api/api-tokens': async () => {
    const res = await c.adminA.get('/api/api-tokens');
    expect(res.statusCode).toBe(200);
    expect(res.body.items).toContainEqual(
      expect.objectContaining({
        id: limited.id,
        name: 'Partner zoeken',
        prefix: limited.token.slice(0, 9),
        permissions: ['client:search'],
      }),
    );
    expect(res.body.allowedPermissions).toEqual([...TOKEN_PERMISSIONS]);
    expect((await c.adminB.get('/api/api-tokens')).body.items.map((i: { id: string }) => i.id)).not.toContain(
      limited.id,
    );
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
    const row = await world.owner
      .selectFrom('api_tokens')
      .select('revoked_at')
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
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
    expect(res.body.items).toEqual([
      { nisCode: '24062', name: 'Leuven', nameFr: 'Louvain', province: 'Provincie Vlaams-Brabant' },
    ]);
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
    expect(res.body.items).toEqual([
      expect.objectContaining({
        id: offerA,
        organizationId: t.orgA.id,
        name: 'Matrixaanbod',
        level: 'basic',
        themes: ['anxiety'],
        capacity: 'open',
        waitDays: 5,
        mayEdit: false,
      }),
    ]);
    // the other network's offer is not in this network's catalogue
    const elsewhere = (await c.intakeA.get('/api/offers?q=elders')).body;
    expect(elsewhere).toMatchObject({ items: [], total: 0 });
    // nor are its words a "Bedoelde je …?" suggestion here
    expect(elsewhere.suggestions.join(' ')).not.toMatch(/elders/);
    expect((await c.intakeX.get('/api/offers?q=elders')).body.items.map((i: { id: string }) => i.id)).toEqual([offerX]);
  },
  'GET /api/offers/stale': async () => {
    const created = await c.adminA.post('/api/offers', offerBody({ name: 'Verouderd aanbod' }));
    await world.owner
      .updateTable('offers')
      .set({ capacity_updated_at: new Date(Date.now() - 20 * 86_400_000) })
      .where('id', 'in', [created.body.id, offerX])
      .execute();
    const res = await c.networkCoordinator.get('/api/offers/stale');
    expect(res.statusCode).toBe(200);
    const ids = res.body.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(created.body.id);
    expect(ids).not.toContain(offerA);
    expect(ids).not.toContain(offerX); // stale too, but of another network
    expect(res.body.items.find((i: { id: string }) => i.id === created.body.id)).toMatchObject({
      stale: true,
      organizationId: t.orgA.id,
    });
  },
  'GET /api/offers/:id': async () => {
    const res = await c.intakeB.get(`/api/offers/${offerA}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      id: offerA,
      organizationId: t.orgA.id,
      organizationName: t.orgA.name,
      name: 'Matrixaanbod',
      minAge: 18,
      maxAge: 65,
      municipalities: ['24062'],
      isPublic: true,
      active: true,
      mayEdit: false,
    });
    expect((await c.adminA.get(`/api/offers/${offerA}`)).body.mayEdit).toBe(true);
  },
  'POST /api/offers': async () => {
    const res = await c.adminA.post(
      '/api/offers',
      offerBody({ name: 'Nieuw aanbod', themes: ['grief-loss'], internalNote: 'Alleen intern' }),
    );
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      organizationId: t.orgA.id,
      name: 'Nieuw aanbod',
      themes: ['grief-loss'],
      internalNote: 'Alleen intern',
      mayEdit: true,
      stale: false,
    });
    expect(await dbOffer(res.body.id)).toMatchObject({
      organization_id: t.orgA.id,
      network_id: t.network.id,
      name: 'Nieuw aanbod',
    });
  },
  'PATCH /api/offers/:id': async () => {
    const created = await c.adminA.post('/api/offers', offerBody({ name: 'Te wijzigen aanbod' }));
    const res = await c.adminA.patch(`/api/offers/${created.body.id}`, {
      name: 'Gewijzigd aanbod',
      modalities: ['phone', 'video'],
    });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({
      id: created.body.id,
      name: 'Gewijzigd aanbod',
      modalities: ['phone', 'video'],
      themes: ['anxiety'],
      capacity: 'open',
    });
    expect(await dbOffer(created.body.id)).toMatchObject({ name: 'Gewijzigd aanbod', modalities: ['phone', 'video'] });
  },
  'POST /api/offers/:id/capacity': async () => {
    const created = await c.adminA.post('/api/offers', offerBody({ name: 'Vol aanbod' }));
    const res = await c.adminA.post(`/api/offers/${created.body.id}/capacity`, { capacity: 'waitlist', waitDays: 42 });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ id: created.body.id, capacity: 'waitlist', waitDays: 42, stale: false });
    expect(await dbOffer(created.body.id)).toMatchObject({ capacity: 'waitlist', wait_days: 42 });
  },
  'GET /api/instruments': async () => {
    const res = await c.analyst.get('/api/instruments');
    expect(res.statusCode).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(INSTRUMENTS.map((d) => d.id));
    expect(res.body.items.find((i: { id: string }) => i.id === 'phq9')).toMatchObject({
      version: expect.any(String),
      items: expect.any(Array),
    });
  },
  'GET /api/instruments/:instrument/fhir': async () => {
    const res = await c.intakeA.get('/api/instruments/phq9/fhir');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ resourceType: 'Questionnaire', id: 'phq9', url: expect.stringContaining('phq9') });
    expect(res.body.item).toHaveLength(INSTRUMENTS.find((d) => d.id === 'phq9')!.items.length);
    // an instrument that does not exist
    expectProblem(await c.intakeA.get('/api/instruments/bdi/fhir'), 404, 'not-found');
  },
  'GET /api/help-requests': async () => {
    const res = await send(c.intakeA, 'GET', `/api/help-requests?clientId=${clientA}`);
    expect(res.statusCode).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toContain(helpA);
    expect(
      res.body.items.every(
        (i: { clientId: string; organizationId: string }) => i.clientId === clientA && i.organizationId === t.orgA.id,
      ),
    ).toBe(true);
    expect(await auditOf(res.requestId)).toEqual([
      expect.objectContaining({ action: 'help-request.list', outcome: 'success' }),
    ]);
    // B's list holds B's help requests only
    const ofB = (await c.intakeB.get('/api/help-requests')).body.items.map((i: { id: string }) => i.id);
    expect(ofB).toContain(helpB);
    expect(ofB).not.toContain(helpA);
  },
  'POST /api/help-requests': async () => {
    const res = await c.caregiverA.post('/api/help-requests', {
      clientId: clientA,
      story: 'Voelt zich opgejaagd.',
      themes: ['anxiety', 'stress-burnout'],
      urgency: 'urgent',
      channel: 'gp',
      municipality: '24062',
    });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      organizationId: t.orgA.id,
      clientId: clientA,
      channel: 'gp',
      urgency: 'urgent',
      municipality: '24062',
      status: 'open',
      themes: ['anxiety', 'stress-burnout'],
    });
    // the age comes from the client's birth date (1970-03-03)
    expect(res.body.age).toBeGreaterThanOrEqual(54);
    expect(await dbHelpRequest(res.body.id)).toMatchObject({
      organization_id: t.orgA.id,
      network_id: t.network.id,
      created_by: t.users.caregiverA.id,
    });
  },
  'GET /api/help-requests/:id': async () => {
    const res = await send(c.intakeA, 'GET', `/api/help-requests/${helpA}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      id: helpA,
      clientId: clientA,
      organizationId: t.orgA.id,
      themes: ['anxiety'],
      status: 'referred',
      closable: false,
      // item 9 above 0: a high risk, so the crisis lines are shown
      riskLevel: 'high',
      crisisActions: expect.objectContaining({ phoneNumbers: expect.any(Array) }),
    });
    expect(res.body.screenings).toEqual([expect.objectContaining({ id: screeningA, instrument: 'phq9', score: 3 })]);
    expect(res.body.safetySignals).toEqual([
      expect.objectContaining({ id: signalA, kind: 'suicide-risk', level: 'high', source: 'screening' }),
    ]);
    expect(await auditOf(res.requestId)).toEqual([
      expect.objectContaining({ action: 'help-request.read', outcome: 'success', entity_id: helpA }),
    ]);
  },
  'PATCH /api/help-requests/:id': async () => {
    const id = await newHelpRequest();
    const res = await c.intakeA.patch(`/api/help-requests/${id}`, {
      clarification: 'Werkt in ploegen',
      indicationLevel: 'basic',
      indicationReasons: 'Lichte klachten',
    });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({
      id,
      clarification: 'Werkt in ploegen',
      indicationLevel: 'basic',
      status: 'indicated',
      story: 'Piekert veel en slaapt slecht.',
    });
    expect(await dbHelpRequest(id)).toMatchObject({
      indication_level: 'basic',
      indication_reasons: 'Lichte klachten',
      status: 'indicated',
    });
  },
  'POST /api/help-requests/:id/close': async () => {
    const id = await newHelpRequest();
    const res = await c.intakeA.post(`/api/help-requests/${id}/close`, { reason: 'Geen hulp meer nodig' });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'closed', closeReason: 'Geen hulp meer nodig' });
    // closed is closed
    expectProblem(await c.intakeA.post(`/api/help-requests/${id}/close`, { reason: 'Nog eens' }), 409, 'conflict');
  },
  'POST /api/help-requests/:id/screenings': async () => {
    const id = await newHelpRequest();
    const res = await c.intakeA.post(`/api/help-requests/${id}/screenings`, {
      instrument: 'gad7',
      answers: { q1: 2, q2: 2, q3: 2, q4: 2, q5: 1, q6: 1, q7: 1 },
    });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toMatchObject({
      helpRequestId: id,
      instrument: 'gad7',
      score: 11,
      band: 'moderate',
      safetySignal: null,
      crisisActions: null,
    });
    expect(
      await world.owner.selectFrom('screenings').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow(),
    ).toMatchObject({ organization_id: t.orgA.id, client_id: clientA, instrument_id: 'gad7', score: 11 });
  },
  'GET /api/screenings/:id/fhir': async () => {
    const res = await c.intakeA.get(`/api/screenings/${screeningA}/fhir`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      resourceType: 'QuestionnaireResponse',
      id: screeningA,
      status: 'completed',
      questionnaire: expect.stringMatching(/\/Questionnaire\/phq9\|/),
    });
    expect(res.body.item.map((i: { linkId: string }) => i.linkId)).toContain('q9');
  },
  'GET /api/clients/:id/screenings': async () => {
    const res = await c.intakeA.get(`/api/clients/${clientA}/screenings`);
    expect(res.statusCode).toBe(200);
    expect(res.body.items).toContainEqual(
      expect.objectContaining({ id: screeningA, helpRequestId: helpA, instrument: 'phq9', score: 3 }),
    );
    expect(res.body.items.map((i: { administeredAt: string }) => i.administeredAt)).toEqual(
      res.body.items.map((i: { administeredAt: string }) => i.administeredAt).sort(),
    );
  },
  'POST /api/help-requests/:id/safety-signals': async () => {
    const id = await newHelpRequest();
    const res = await c.intakeA.post(`/api/help-requests/${id}/safety-signals`, {
      kind: 'family-violence',
      level: 'high',
      note: 'Partnergeweld vermeld',
    });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toMatchObject({
      helpRequestId: id,
      source: 'manual',
      kind: 'family-violence',
      level: 'high',
      actionTaken: null,
      acknowledgedAt: null,
    });
    // a high risk without a recorded action blocks closing
    const close = await c.intakeA.post(`/api/help-requests/${id}/close`, { reason: 'Afgesloten' });
    expectProblem(close, 409, 'conflict');
    expect(close.body.errors).toEqual([
      expect.objectContaining({ field: 'safetySignals', code: 'safety-action-required' }),
    ]);
  },
  'POST /api/safety-signals/:id/action': async () => {
    const id = await newHelpRequest();
    const signal = createdId(
      await c.intakeA.post(`/api/help-requests/${id}/safety-signals`, { kind: 'suicide-high-risk', level: 'high' }),
    );
    const res = await c.caregiverA.post(`/api/safety-signals/${signal}/action`, {
      actionTaken: 'Crisisteam gebeld, veiligheidsplan opgesteld',
    });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({
      id: signal,
      actionTaken: 'Crisisteam gebeld, veiligheidsplan opgesteld',
      actionRecordedAt: expect.any(String),
    });
    expect(await dbSignal(signal)).toMatchObject({ action_recorded_by: t.users.caregiverA.id });
    expect(
      (await c.intakeA.post(`/api/help-requests/${id}/close`, { reason: 'Doorgegeven aan het crisisteam' })).statusCode,
    ).toBe(200);
  },
  'POST /api/safety-signals/:id/acknowledge': async () => {
    const id = await newHelpRequest();
    const signal = createdId(
      await c.intakeA.post(`/api/help-requests/${id}/safety-signals`, { kind: 'unsafe-home', level: 'attention' }),
    );
    const res = await c.teamLeadA.post(`/api/safety-signals/${signal}/acknowledge`);
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ id: signal, acknowledgedAt: expect.any(String) });
    expect(await dbSignal(signal)).toMatchObject({ acknowledged_by: t.users.teamLeadA.id });
    expect((await c.teamLeadA.get('/api/safety-signals')).body.items.map((i: { id: string }) => i.id)).not.toContain(
      signal,
    );
    expectProblem(await c.teamLeadA.post(`/api/safety-signals/${signal}/acknowledge`), 409, 'conflict');
  },
  'GET /api/safety-signals': async () => {
    const res = await c.teamLeadA.get('/api/safety-signals');
    expect(res.statusCode).toBe(200);
    const ids = res.body.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(signalA);
    expect(ids).not.toContain(signalB); // B's
    expect(res.body.items.find((i: { id: string }) => i.id === signalA)).toMatchObject({
      helpRequestId: helpA,
      kind: 'suicide-risk',
      acknowledgedAt: null,
    });
  },
  'GET /api/help-requests/:id/matches': async () => {
    const open = createdId(
      await c.adminA.post('/api/offers', offerBody({ name: 'Praatgroep eenzaamheid', themes: ['loneliness'] })),
    );
    const waiting = createdId(
      await c.adminB.post(
        '/api/offers',
        offerBody({ name: 'Begeleiding eenzaamheid', themes: ['loneliness'], capacity: 'waitlist', waitDays: 28 }),
      ),
    );
    const id = await newHelpRequest({ themes: ['loneliness'], municipality: '24062' });
    const res = await c.intakeA.get(`/api/help-requests/${id}/matches`);
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.neededLevel).toMatchObject({ level: 'basic', basis: 'default' });
    const ids = res.body.items.map((i: { offerId: string }) => i.offerId);
    expect(ids.slice(0, 2)).toEqual([open, waiting]); // open before a waiting list
    expect(ids).not.toContain(offerA); // no shared theme
    expect(ids).not.toContain(offerX); // another network
    expect(res.body.items[0]).toMatchObject({
      capacity: 'open',
      reasons: expect.arrayContaining(['Capaciteit: open']),
    });
  },
  'POST /api/help-requests/:id/choice': async () => {
    const id = await newHelpRequest();
    const top = (await c.intakeA.get(`/api/help-requests/${id}/matches`)).body.items[0].offerId as string;
    const chosen = await c.intakeA.post(`/api/help-requests/${id}/choice`, { offerId: top });
    expect(chosen.statusCode, chosen.raw).toBe(200);
    expect(chosen.body).toMatchObject({ id, chosenOfferId: top, topSuggestionOfferId: top, choiceReason: null });
    const other = await c.intakeA.post(`/api/help-requests/${id}/choice`, { offerId: offerB, reason: 'Wil naar B' });
    expect(other.statusCode, other.raw).toBe(200);
    expect(other.body).toMatchObject({ chosenOfferId: offerB, topSuggestionOfferId: top, choiceReason: 'Wil naar B' });
  },
  'POST /api/consents': async () => {
    const res = await c.intakeA.post('/api/consents', {
      clientId: clientA,
      purpose: 'referral',
      recipientOrganizationId: t.orgB.id,
      recipientOfferId: offerB,
      categories: ['contact', 'screening-results'],
      method: 'written',
      validUntil: '2099-12-31',
    });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toMatchObject({
      clientId: clientA,
      recipientOrganizationId: t.orgB.id,
      recipientOfferId: offerB,
      categories: ['contact', 'screening-results'],
      method: 'written',
      validUntil: '2099-12-31',
      active: true,
      needsReview: false,
      withdrawnAt: null,
    });
    expect(await dbConsent(res.body.id)).toMatchObject({ organization_id: t.orgA.id, recorded_by: t.users.intakeA.id });
  },
  'POST /api/consents/:id/withdraw': async () => {
    const id = createdId(
      await c.intakeA.post('/api/consents', {
        clientId: clientA,
        purpose: 'referral',
        recipientOrganizationId: t.orgB.id,
        categories: ['contact'],
        method: 'verbal',
      }),
    );
    const res = await c.intakeA.post(`/api/consents/${id}/withdraw`, { note: 'Cliënt wil niet meer' });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ id, active: false, withdrawnAt: expect.any(String) });
    expect(await dbConsent(id)).toMatchObject({
      withdrawn_by: t.users.intakeA.id,
      withdrawal_note: 'Cliënt wil niet meer',
    });
    expectProblem(await c.intakeA.post(`/api/consents/${id}/withdraw`, {}), 409, 'conflict');
  },
  'GET /api/clients/:id/consents': async () => {
    const res = await send(c.intakeA, 'GET', `/api/clients/${clientA}/consents`);
    expect(res.statusCode).toBe(200);
    expect(res.body.items).toContainEqual(
      expect.objectContaining({ id: consentA, clientId: clientA, recipientOrganizationId: t.orgB.id, active: true }),
    );
    expect(res.body.items.every((i: { clientId: string }) => i.clientId === clientA)).toBe(true);
    expect(await auditOf(res.requestId)).toEqual([
      expect.objectContaining({ action: 'consent.list', outcome: 'success', entity_id: clientA }),
    ]);
  },
  'GET /api/consents/exceptions': async () => {
    const id = createdId(
      await c.intakeA.post('/api/consents', {
        clientId: clientA,
        purpose: 'referral',
        recipientOrganizationId: t.orgB.id,
        categories: ['contact'],
        method: 'exception',
        exceptionReason: 'Acuut suïcidaal',
      }),
    );
    const res = await send(c.teamLeadA, 'GET', '/api/consents/exceptions');
    expect(res.statusCode).toBe(200);
    const ids = res.body.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(id);
    expect(ids).not.toContain(consentA); // not an exception
    expect(ids).not.toContain(consentExceptionB); // B's
    expect(res.body.items.find((i: { id: string }) => i.id === id)).toMatchObject({
      method: 'exception',
      exceptionReason: 'Acuut suïcidaal',
      needsReview: true,
    });
    expect(await auditOf(res.requestId)).toEqual([
      expect.objectContaining({ action: 'consent.exceptions.list', outcome: 'success' }),
    ]);
  },
  'POST /api/consents/:id/review': async () => {
    const id = createdId(
      await c.intakeA.post('/api/consents', {
        clientId: clientA,
        purpose: 'referral',
        recipientOrganizationId: t.orgB.id,
        categories: ['contact'],
        method: 'exception',
        exceptionReason: 'Niet aanspreekbaar',
      }),
    );
    const res = await c.teamLeadA.post(`/api/consents/${id}/review`);
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ id, reviewedAt: expect.any(String), needsReview: false });
    expect(await dbConsent(id)).toMatchObject({ reviewed_by: t.users.teamLeadA.id });
    expectProblem(await c.teamLeadA.post(`/api/consents/${id}/review`), 409, 'conflict');
  },
  'POST /api/referrals': async () => {
    const help = await newHelpRequest();
    const res = await c.intakeA.post('/api/referrals', {
      helpRequestId: help,
      offerId: offerB,
      priority: 'urgent',
      message: 'Graag snel',
      consentId: consentA,
    });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toMatchObject({
      status: 'requested',
      priority: 'urgent',
      version: 1,
      senderOrganizationId: t.orgA.id,
      receiverOrganizationId: t.orgB.id,
      offerId: offerB,
      helpRequestId: help,
      clientId: clientA,
      consentId: consentA,
      consentActive: true,
      allowedActions: ['cancel'],
    });
    expect(res.body.snapshot).toMatchObject({
      categories: ['contact', 'help-request-summary'],
      contact: { displayName: 'Mieke Matrixtest' },
      helpRequest: { themes: ['anxiety'] },
    });
    expect((await dbHelpRequest(help)).status).toBe('referred');
    expect(
      await world.owner.selectFrom('notifications').select('kind').where('referral_id', '=', res.body.id).execute(),
    ).toEqual([{ kind: 'referral-new' }]);
  },
  'GET /api/referrals': async () => {
    const incoming = await c.intakeB.get('/api/referrals?box=incoming');
    expect(incoming.statusCode).toBe(200);
    expect(incoming.body.items).toContainEqual(
      expect.objectContaining({
        id: referralAB,
        status: 'received',
        offerName: 'Begeleiding B',
        senderOrganizationName: await orgName(t.orgA.id),
        receiverOrganizationName: await orgName(t.orgB.id),
      }),
    );
    expect((await c.intakeA.get('/api/referrals?box=outgoing')).body.items.map((i: { id: string }) => i.id)).toContain(
      referralAB,
    );
    expect(
      (await c.intakeA.get('/api/referrals?box=incoming')).body.items.map((i: { id: string }) => i.id),
    ).not.toContain(referralAB);
    expect((await c.intakeC.get('/api/referrals?box=incoming')).body.items).toEqual([]);
  },
  'GET /api/referrals/counts': async () => {
    const before = {
      a: (await c.intakeA.get('/api/referrals/counts')).body,
      b: (await c.intakeB.get('/api/referrals/counts')).body,
    };
    await newReferral();
    const a = await c.intakeA.get('/api/referrals/counts');
    const b = await c.intakeB.get('/api/referrals/counts');
    expect(a.statusCode).toBe(200);
    expect(a.body).toEqual({ ...before.a, outgoingOpen: before.a.outgoingOpen + 1 });
    expect(b.body).toEqual({
      ...before.b,
      incomingOpen: before.b.incomingOpen + 1,
      unreadNotifications: before.b.unreadNotifications + 1,
    });
    expect((await c.intakeC.get('/api/referrals/counts')).body).toEqual({
      incomingOpen: 0,
      incomingOverdue: 0,
      outgoingOpen: 0,
      outgoingOverdue: 0,
      unreadNotifications: 0,
    });
  },
  'GET /api/referrals/overdue': async () => {
    const id = await newReferral();
    await world.owner
      .updateTable('referrals')
      .set({ answer_due_at: new Date(Date.now() - 3600_000) })
      .where('id', '=', id)
      .execute();
    try {
      const res = await c.networkCoordinator.get('/api/referrals/overdue');
      expect(res.statusCode).toBe(200);
      expect(res.body.items).toContainEqual(
        expect.objectContaining({
          id,
          status: 'requested',
          senderOrganizationName: await orgName(t.orgA.id),
          receiverOrganizationName: await orgName(t.orgB.id),
        }),
      );
      expect(JSON.stringify(res.body)).not.toMatch(/Mieke|Matrixtest|Piekert/); // organisations and times, no persons
      // another network's overview does not show it
      expect(
        (await c.networkAdminX.get('/api/referrals/overdue')).body.items.map((i: { id: string }) => i.id),
      ).not.toContain(id);
    } finally {
      await world.owner
        .updateTable('referrals')
        .set({ answer_due_at: new Date(Date.now() + 86_400_000) })
        .where('id', '=', id)
        .execute();
    }
  },
  'GET /api/referrals/:id': async () => {
    const mine = await send(c.intakeA, 'GET', `/api/referrals/${referralAB}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toMatchObject({
      id: referralAB,
      status: 'received',
      clientId: clientA,
      helpRequestId: helpA,
      allowedActions: ['cancel'],
    });
    expect(mine.body.timeline.map((e: { action: string }) => e.action)).toEqual(['create', 'receive']);
    expect(await auditOf(mine.requestId)).toEqual([
      expect.objectContaining({ action: 'referral.read', outcome: 'success', entity_id: referralAB }),
    ]);
    // the receiver sees the consented snapshot, not the sender's references
    const theirs = await c.intakeB.get(`/api/referrals/${referralAB}`);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).toMatchObject({
      clientId: null,
      helpRequestId: null,
      snapshot: { contact: { displayName: 'Mieke Matrixtest' } },
    });
    expect([...theirs.body.allowedActions].sort()).toEqual(['accept', 'decline', 'waitlist']);
  },
  'POST /api/referrals/:id/transitions': async () => {
    const id = await newReferral();
    const res = await c.intakeB.post(`/api/referrals/${id}/transitions`, {
      action: 'accept',
      note: 'Welkom',
      version: 1,
    });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'accepted', version: 2, firstContactDueAt: expect.any(String) });
    expect(res.body.timeline.at(-1)).toMatchObject({
      action: 'accept',
      fromStatus: 'requested',
      toStatus: 'accepted',
      note: 'Welkom',
    });
    // the version A saw is stale now
    expectProblem(
      await c.intakeA.post(`/api/referrals/${id}/transitions`, {
        action: 'cancel',
        reason: 'Elders geholpen',
        version: 1,
      }),
      409,
      'conflict',
    );
    const cancelled = await c.intakeA.post(`/api/referrals/${id}/transitions`, {
      action: 'cancel',
      reason: 'Elders geholpen',
      version: 2,
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', version: 3, allowedActions: [] });
  },
  'POST /api/referrals/:id/bridging': async () => {
    const id = await newReferral();
    expect(
      (await c.intakeB.post(`/api/referrals/${id}/transitions`, { action: 'waitlist', expectedDate: '2099-01-15' }))
        .body,
    ).toMatchObject({ status: 'waitlisted', bridgingRequested: true });
    const res = await c.intakeA.post(`/api/referrals/${id}/bridging`, {
      offerId: offerA,
      note: 'Matrixaanbod tot de start',
    });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({
      id,
      status: 'waitlisted',
      bridgingRequested: false,
      bridgingSupport: [
        expect.objectContaining({ offerId: offerA, offerName: 'Matrixaanbod', note: 'Matrixaanbod tot de start' }),
      ],
    });
  },
  'GET /api/referrals/:id/bridging-suggestions': async () => {
    const group = createdId(
      await c.adminB.post(
        '/api/offers',
        offerBody({ name: 'Lotgenotengroep angst', level: 'zero-line', modalities: ['group'], themes: ['anxiety'] }),
      ),
    );
    const res = await c.intakeA.get(`/api/referrals/${referralAB}/bridging-suggestions`);
    expect(res.statusCode).toBe(200);
    const ids = res.body.items.map((i: { offerId: string }) => i.offerId);
    expect(ids[0]).toBe(group); // zero-line first
    expect(ids).not.toContain(offerB); // the offer referred to
    expect(ids).not.toContain(offerX); // another network
  },
  'POST /api/referrals/:id/register-client': async () => {
    const id = await newReferral();
    expectProblem(await c.intakeB.post(`/api/referrals/${id}/register-client`, {}), 409, 'conflict'); // not accepted yet
    expect((await c.intakeB.post(`/api/referrals/${id}/transitions`, { action: 'accept' })).statusCode).toBe(200);
    const res = await c.intakeB.post(`/api/referrals/${id}/register-client`, {});
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.receiverClientId).toEqual(expect.any(String));
    expect(res.body.receiverClientId).not.toBe(clientA);
    const own = await c.intakeB.get(`/api/clients/${res.body.receiverClientId}`);
    expect(own.body).toMatchObject({
      organizationId: t.orgB.id,
      givenName: 'Mieke',
      familyName: 'Matrixtest',
      birthDate: '1970-03-03',
    });
    expect((await dbReferral(id)).receiver_client_id).toBe(res.body.receiverClientId);
  },
  'GET /api/referrals/:id/fhir': async () => {
    for (const caller of [c.intakeA, c.intakeB]) {
      const res = await send(caller, 'GET', `/api/referrals/${referralAB}/fhir`);
      expect(res.statusCode, res.raw).toBe(200);
      expect(await auditOf(res.requestId)).toEqual([
        expect.objectContaining({ outcome: 'success', entity_id: referralAB }),
      ]);
      expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
      const [sr, task, consent] = res.body.entry.map((e: { resource: Record<string, unknown> }) => e.resource);
      expect(sr).toMatchObject({ resourceType: 'ServiceRequest', id: referralAB, status: 'active' });
      expect(task).toMatchObject({ resourceType: 'Task', status: 'received' });
      expect(consent).toMatchObject({ resourceType: 'Consent', id: consentA, status: 'active' });
    }
  },
  'GET /api/notifications': async () => {
    const res = await c.intakeB.get('/api/notifications?unread=true');
    expect(res.statusCode).toBe(200);
    expect(res.body.items).toContainEqual({
      id: notificationB,
      kind: 'referral-new',
      subjectType: 'referral',
      subjectId: referralAB,
      referralId: referralAB,
      // the PHQ-9 item 9 of helpA, shared with the help request summary
      riskLevel: 'high',
      createdAt: expect.any(String),
      read: false,
    });
    expect(res.body.items.map((i: { id: string }) => i.id)).not.toContain(notificationA); // A's
    expect((await c.intakeA.get('/api/notifications')).body.items.map((i: { id: string }) => i.id)).toContain(
      notificationA,
    );
  },
  'POST /api/notifications/:id/read': async () => {
    const id = await newReferral();
    expect((await c.intakeB.post(`/api/referrals/${id}/transitions`, { action: 'receive' })).statusCode).toBe(200);
    const notification = (
      await world.owner
        .selectFrom('notifications')
        .select('id')
        .where('referral_id', '=', id)
        .where('organization_id', '=', t.orgA.id)
        .executeTakeFirstOrThrow()
    ).id;
    const res = await c.intakeA.post(`/api/notifications/${notification}/read`);
    expect(res.statusCode, res.raw).toBe(204);
    expect(
      (
        await world.owner
          .selectFrom('notifications')
          .select('read_at')
          .where('id', '=', notification)
          .executeTakeFirstOrThrow()
      ).read_at,
    ).toBeInstanceOf(Date);
    expect(
      (await c.intakeA.get('/api/notifications?unread=true')).body.items.map((i: { id: string }) => i.id),
    ).not.toContain(notification);
  },
  'GET /api/network/settings': async () => {
    for (const caller of [c.networkAdmin, c.networkCoordinator]) {
      const res = await caller.get('/api/network/settings');
      expect(res.statusCode, res.raw).toBe(200);
      expect(res.body).toMatchObject({
        referralTargets: { acuteHours: 4, urgentWorkingDays: 2, routineWorkingDays: 5, firstContactWorkingDays: 10 },
        matchingThresholds: { phq9Specialised: 20, k10Specialised: 30, gad7Specialised: 15 },
        limits: { acuteHours: { min: 1, max: 72 }, phq9Specialised: { min: 1, max: 27 } },
      });
    }
  },
  'PUT /api/network/settings': async () => {
    const defaults = (await c.networkAdmin.get('/api/network/settings')).body as {
      referralTargets: Record<string, number>;
      matchingThresholds: Record<string, number>;
    };
    const body = {
      referralTargets: { ...defaults.referralTargets, routineWorkingDays: 3 },
      matchingThresholds: { ...defaults.matchingThresholds, phq9Specialised: 18 },
    };
    const res = await send(c.networkAdmin, 'PUT', '/api/network/settings', body);
    try {
      expect(res.statusCode, res.raw).toBe(200);
      expect(res.body).toMatchObject(body);
      expect(await auditOf(res.requestId)).toEqual([
        expect.objectContaining({ action: 'network.settings.update', outcome: 'success', entity_id: t.network.id }),
      ]);
      // another network keeps its own
      expect((await c.networkAdminX.get('/api/network/settings')).body.referralTargets.routineWorkingDays).toBe(5);
    } finally {
      const back = await c.networkAdmin.request('PUT', '/api/network/settings', {
        referralTargets: defaults.referralTargets,
        matchingThresholds: defaults.matchingThresholds,
      });
      expect(back.statusCode, back.raw).toBe(200);
    }
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
    const spec = (await world.app.inject({ url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { in: string }[] }>>;
    }>();
    const cases = Object.values(BAD_INPUT);
    for (const route of ROUTE_KEYS) {
      const { method, path } = split(route);
      const op = spec.paths[path.replace(/:(\w+)/g, '{$1}')]![method.toLowerCase()]!;
      const takesInput = Boolean(op.requestBody) || Boolean(op.parameters?.length);
      const takesFields = Boolean(op.requestBody) || Boolean(op.parameters?.some((p) => p.in === 'query'));
      const mine = cases.filter((k) => k.route === route);
      if (takesInput) expect(mine.length, `${route} has no bad-input case`).toBeGreaterThan(0);
      if (takesFields)
        expect(
          mine.some((k) => k.expect.some(([, code]) => code === 'unknown-field')),
          `${route} has no unknown-field case`,
        ).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('CSRF: a cookie session must send its token on every change', () => {
  const countClientsOfA = async () =>
    Number(
      (
        await world.owner
          .selectFrom('clients')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('organization_id', '=', t.orgA.id)
          .executeTakeFirstOrThrow()
      ).n,
    );

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
    const row = await world.owner
      .selectFrom('clients')
      .select('family_name')
      .where('id', '=', clientA)
      .executeTakeFirstOrThrow();
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
    const res = await c.adminA.post('/api/api-tokens', {
      name: 'Partner registratie',
      permissions: ['client:search', 'client:read', 'client:create'],
    });
    expect(res.statusCode, res.raw).toBe(201);
    token = { id: res.body.id, value: res.body.token, caller: new Caller(world.app, null, null, res.body.token) };
  });
  const listed = async () =>
    (
      (await c.adminA.get('/api/api-tokens')).body.items as {
        id: string;
        lastUsedAt: string | null;
        revokedAt: string | null;
      }[]
    ).find((i) => i.id === token.id)!;

  it('is unused at first, may do what its permissions allow (no CSRF header needed), in its own organisation', async () => {
    expect((await listed()).lastUsedAt).toBeNull();
    const search = await token.caller.get('/api/clients?q=matrixtest');
    expect(search.statusCode).toBe(200);
    expect(search.body.items.map((i: { id: string }) => i.id)).toEqual([clientA]);
    const created = await send(token.caller, 'POST', '/api/clients', {
      identityKind: 'pseudonym',
      pseudonym: 'Partnerclient',
    });
    expect(created.statusCode, created.raw).toBe(201);
    expect(created.body.organizationId).toBe(t.orgA.id);
    expect(await auditOf(created.requestId)).toEqual([
      expect.objectContaining({
        action: 'client.create',
        actor_token_id: token.id,
        actor_user_id: null,
        role: 'api-token',
        outcome: 'success',
      }),
    ]);
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
    expect(await auditOf(patch.requestId)).toEqual([
      expect.objectContaining({ outcome: 'denied', action: 'client.update', actor_token_id: token.id }),
    ]);
    for (const url of ['/api/organizations', '/api/users', '/api/api-tokens', '/api/audit'])
      expectProblem(await token.caller.get(url), 403, 'forbidden');
    expectProblem(
      await token.caller.post('/api/auth/password', { currentPassword: 'x', newPassword: 'y' }),
      403,
      'forbidden',
    );
    expectProblem(await token.caller.post('/api/auth/totp/setup'), 403, 'forbidden');
    expectProblem(await token.caller.get('/api/auth/me'), 403, 'forbidden');
  });

  it("cannot reach another organisation's client", async () => {
    const other = await c.intakeB.post('/api/clients', { givenName: 'Bert', familyName: 'Anderorg' });
    expectProblem(await token.caller.get(`/api/clients/${other.body.id}`), 404, 'not-found');
  });

  it('gets 401 once revoked', async () => {
    expect((await c.adminA.post(`/api/api-tokens/${token.id}/revoke`)).statusCode).toBe(204);
    expectProblem(await token.caller.get('/api/clients'), 401, 'unauthenticated');
    expect((await listed()).revokedAt).not.toBeNull();
  });
});
