import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Caller, createWorld, login, makeNetwork, makeOrganization, makeUser, PASSWORD, type World } from '../support/world.ts';
import { currentTotp } from '../../src/server/auth/totp.ts';

let world: World;
let networkId: string;
let organizationId: string;

beforeAll(async () => {
  world = await createWorld({ login: { maxFailures: 3, lockMinutes: 15 } });
  networkId = (await makeNetwork(world)).id;
  organizationId = (await makeOrganization(world, networkId)).id;
});
afterAll(() => world?.close());

const newUser = () => makeUser(world, { role: 'intake-worker', networkId, organizationId });

describe('sign-in', () => {
  it('sets an HttpOnly SameSite session cookie and returns a CSRF token', async () => {
    const user = await newUser();
    const res = await world.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email.toUpperCase(), password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ csrfToken: expect.stringMatching(/.{32,}/), twoFactorRequired: false, mustChangePassword: false });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/kl_session=[^;]{30,}/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const stored = await world.owner.selectFrom('sessions').select('token_hash').where('user_id', '=', user.id).execute();
    const raw = /kl_session=([^;]+)/.exec(cookie)![1]!;
    expect(stored.map((s) => s.token_hash)).not.toContain(raw);
  });

  it('marks the cookie Secure behind TLS', async () => {
    const tls = await createWorld({ secureCookies: true });
    try {
      const n = await makeNetwork(tls);
      const o = await makeOrganization(tls, n.id);
      const u = await makeUser(tls, { role: 'caregiver', networkId: n.id, organizationId: o.id });
      const res = await tls.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: PASSWORD } });
      expect(String(res.headers['set-cookie'])).toMatch(/Secure/);
    } finally {
      await tls.close();
    }
  });

  it('refuses a wrong password or unknown e-mail with the same answer, and audits it', async () => {
    const user = await newUser();
    const caller = new Caller(world.app);
    const wrong = await caller.post('/api/auth/login', { email: user.email, password: 'not the password' });
    const unknown = await caller.post('/api/auth/login', { email: 'nobody@test.example', password: 'x' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.body.code).toBe('invalid-credentials');
    expect(wrong.body.title).toBe(unknown.body.title);
    const audit = await world.owner.selectFrom('audit_log').select(['outcome', 'action']).where('entity_id', '=', user.id).execute();
    expect(audit).toContainEqual({ action: 'auth.login', outcome: 'failed' });
  });

  it('locks the account after repeated failures, even for the right password', async () => {
    const user = await newUser();
    const caller = new Caller(world.app);
    for (let i = 0; i < 3; i++) expect((await caller.post('/api/auth/login', { email: user.email, password: 'wrong' })).statusCode).toBe(401);
    const locked = await caller.post('/api/auth/login', { email: user.email, password: PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(locked.body.code).toBe('locked');
    await world.owner.updateTable('users').set({ locked_until: sql`now() - interval '1 second'` }).where('id', '=', user.id).execute();
    expect((await caller.post('/api/auth/login', { email: user.email, password: PASSWORD })).statusCode).toBe(200);
  });

  it('refuses a deactivated user and a user without an active membership', async () => {
    const user = await newUser();
    await world.owner.updateTable('memberships').set({ active: false }).where('user_id', '=', user.id).execute();
    const res = await new Caller(world.app).post('/api/auth/login', { email: user.email, password: PASSWORD });
    expect(res.statusCode).toBe(403);
    expect(res.body.code).toBe('no-membership');
    const inactive = await newUser();
    await world.owner.updateTable('users').set({ active: false }).where('id', '=', inactive.id).execute();
    expect((await new Caller(world.app).post('/api/auth/login', { email: inactive.email, password: PASSWORD })).statusCode).toBe(401);
  });
});

describe('sessions', () => {
  it('ends after 30 minutes idle', async () => {
    const user = await newUser();
    const caller = await login(world, user.email);
    expect((await caller.get('/api/auth/me')).statusCode).toBe(200);
    await world.owner.updateTable('sessions').set({ last_seen_at: sql`now() - interval '31 minutes'` }).where('user_id', '=', user.id).execute();
    expect((await caller.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('stays alive while used, and refreshes its idle clock', async () => {
    const user = await newUser();
    const caller = await login(world, user.email);
    await world.owner.updateTable('sessions').set({ last_seen_at: sql`now() - interval '29 minutes'` }).where('user_id', '=', user.id).execute();
    expect((await caller.get('/api/auth/me')).statusCode).toBe(200);
    const row = await world.owner.selectFrom('sessions').select(sql<boolean>`last_seen_at > now() - interval '1 minute'`.as('fresh')).where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.fresh).toBe(true);
  });

  it('ends after 12 hours whatever the activity', async () => {
    const user = await newUser();
    const caller = await login(world, user.email);
    const row = await world.owner.selectFrom('sessions').select(sql<boolean>`expires_at between now() + interval '11 hours 59 minutes' and now() + interval '12 hours 1 minute'`.as('twelve')).where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.twelve).toBe(true);
    await world.owner.updateTable('sessions').set({ expires_at: sql`now() - interval '1 second'` }).where('user_id', '=', user.id).execute();
    expect((await caller.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('logout ends the session', async () => {
    const user = await newUser();
    const caller = await login(world, user.email);
    const cookie = caller.cookie;
    expect((await caller.post('/api/auth/logout')).statusCode).toBe(204);
    const replay = new Caller(world.app, cookie, caller.csrf);
    expect((await replay.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('requires the CSRF token on changes made with the cookie', async () => {
    const user = await newUser();
    const caller = await login(world, user.email);
    const csrf = caller.csrf;
    caller.csrf = null;
    const res = await caller.post('/api/clients', { givenName: 'Zonder', familyName: 'Token' });
    expect(res.statusCode).toBe(403);
    expect(res.body.code).toBe('csrf');
    caller.csrf = 'x'.repeat(csrf!.length);
    expect((await caller.post('/api/clients', { givenName: 'Fout', familyName: 'Token' })).statusCode).toBe(403);
    const count = await world.owner.selectFrom('clients').select('id').where('family_name', '=', 'Token').execute();
    expect(count).toHaveLength(0);
  });

  it('me returns the user, membership, permissions and the CSRF token', async () => {
    const user = await newUser();
    const caller = await login(world, user.email);
    const me = await caller.get('/api/auth/me');
    expect(me.body).toMatchObject({ csrfToken: caller.csrf, pendingTwoFactor: false, user: { email: user.email }, membership: { role: 'intake-worker', organizationId } });
    expect(me.body.permissions).toContain('client:create');
    expect(me.body.permissions).not.toContain('audit:read');
  });

  it('ends the sessions of an organisation the network switches off', async () => {
    const org = await makeOrganization(world, networkId, 'ocmw');
    const worker = await makeUser(world, { role: 'caregiver', networkId, organizationId: org.id });
    const admin = await makeUser(world, { role: 'network-admin', networkId });
    const caller = await login(world, worker.email);
    const networkAdmin = await login(world, admin.email);
    expect((await networkAdmin.patch(`/api/organizations/${org.id}`, { active: false })).statusCode).toBe(200);
    expect((await caller.get('/api/auth/me')).statusCode).toBe(401);
    expect((await new Caller(world.app).post('/api/auth/login', { email: worker.email, password: PASSWORD })).statusCode).toBe(403);
  });

  it('forbids framing and keeps administrators from widening their own rights', async () => {
    const admin = await makeUser(world, { role: 'network-admin', networkId });
    const caller = await login(world, admin.email);
    const me = await caller.get('/api/auth/me');
    expect(me.headers['x-frame-options']).toBe('DENY');
    expect(String(me.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    const grant = await caller.post(`/api/users/${admin.id}/memberships`, { role: 'caregiver', organizationId });
    expect(grant.statusCode).toBe(403);
    const roles = await world.owner.selectFrom('memberships').select('role').where('user_id', '=', admin.id).execute();
    expect(roles.map((r) => r.role)).toEqual(['network-admin']);
  });

  it('switches between memberships', async () => {
    const user = await newUser();
    const other = await makeOrganization(world, networkId, 'cgg');
    const second = await world.owner.insertInto('memberships').values({ user_id: user.id, network_id: networkId, organization_id: other.id, role: 'org-admin' }).returning('id').executeTakeFirstOrThrow();
    const caller = await login(world, user.email);
    const switched = await caller.post('/api/auth/membership', { membershipId: second.id });
    expect(switched.statusCode).toBe(200);
    expect(switched.body.membership).toMatchObject({ organizationId: other.id, role: 'org-admin' });
    expect((await caller.get('/api/audit')).statusCode).toBe(200);
    const foreign = await newUser();
    const refused = await caller.post('/api/auth/membership', { membershipId: foreign.membershipId });
    expect(refused.statusCode).toBe(400);
  });
});

describe('password change', () => {
  it('needs the current password and at least 12 characters, then ends other sessions', async () => {
    const user = await newUser();
    const first = await login(world, user.email);
    const second = await login(world, user.email);
    expect((await first.post('/api/auth/password', { currentPassword: 'wrong', newPassword: 'a-long-new-password' })).body.errors[0]).toMatchObject({ field: 'currentPassword', code: 'password-wrong' });
    expect((await first.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'short' })).body.errors[0]).toMatchObject({ field: 'newPassword', code: 'password-too-short' });
    expect((await first.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a-long-new-password' })).statusCode).toBe(204);
    expect((await first.get('/api/auth/me')).statusCode).toBe(200);
    expect((await second.get('/api/auth/me')).statusCode).toBe(401);
    expect((await new Caller(world.app).post('/api/auth/login', { email: user.email, password: PASSWORD })).statusCode).toBe(401);
    expect((await new Caller(world.app).post('/api/auth/login', { email: user.email, password: 'a-long-new-password' })).statusCode).toBe(200);
  });
});

describe('two-factor sign-in (TOTP)', () => {
  it('enrols with a confirmed code, then requires the code at sign-in', async () => {
    const user = await newUser();
    const caller = await login(world, user.email);
    const setup = await caller.post('/api/auth/totp/setup');
    expect(setup.statusCode).toBe(200);
    expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Korte%20Lijn/);
    expect(setup.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect((await caller.post('/api/auth/totp/enable', { code: '000000' })).statusCode).toBe(400);
    const enrolStep = Date.now();
    expect((await caller.post('/api/auth/totp/enable', { code: currentTotp(setup.body.secret, enrolStep) })).statusCode).toBe(204);

    const next = new Caller(world.app);
    const step1 = await next.post('/api/auth/login', { email: user.email, password: PASSWORD });
    expect(step1.body.twoFactorRequired).toBe(true);
    next.csrf = step1.body.csrfToken;
    // a pending session opens nothing but the second step
    const blocked = await next.get('/api/clients');
    expect(blocked.statusCode).toBe(401);
    expect(blocked.body.code).toBe('two-factor-pending');
    const pendingMe = (await next.get('/api/auth/me')).body;
    expect(pendingMe).toMatchObject({ pendingTwoFactor: true, permissions: [], memberships: [], membership: null });
    // the code used for enrolment cannot be replayed
    const replay = await next.post('/api/auth/login/totp', { code: currentTotp(setup.body.secret, enrolStep) });
    expect(replay.statusCode).toBe(401);
    const pendingCookie = next.cookie;
    const step2 = await next.post('/api/auth/login/totp', { code: currentTotp(setup.body.secret, Date.now() + 30_000) });
    expect(step2.statusCode).toBe(200);
    next.csrf = step2.body.csrfToken;
    expect(next.cookie).not.toBe(pendingCookie);
    expect((await next.get('/api/clients')).statusCode).toBe(200);
    // the pending cookie no longer works
    expect((await new Caller(world.app, pendingCookie).get('/api/auth/me')).statusCode).toBe(401);
  });

  it('disabling needs the password', async () => {
    const user = await newUser();
    const caller = await login(world, user.email);
    const setup = await caller.post('/api/auth/totp/setup');
    await caller.post('/api/auth/totp/enable', { code: currentTotp(setup.body.secret) });
    expect((await caller.post('/api/auth/totp/disable', { password: 'wrong' })).statusCode).toBe(400);
    expect((await caller.post('/api/auth/totp/disable', { password: PASSWORD })).statusCode).toBe(204);
    const again = await new Caller(world.app).post('/api/auth/login', { email: user.email, password: PASSWORD });
    expect(again.body.twoFactorRequired).toBe(false);
  });
});
