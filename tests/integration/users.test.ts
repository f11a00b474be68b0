/**
 * User administration: invitations with a temporary password, the forced password change, what an
 * organisation admin and a network admin may grant, deactivation, password resets and memberships.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caller, createWorld, login, makeTenants, makeUser, PASSWORD, type Res, type World } from '../support/world.ts';
import { currentTotp } from '../../src/server/core/auth/totp.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let adminA: Caller;
let adminB: Caller;
let networkAdmin: Caller;

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  adminA = await login(world, t.users.adminA.email);
  adminB = await login(world, t.users.adminB.email);
  networkAdmin = await login(world, t.users.networkAdmin.email);
});
afterAll(() => world?.close());

const NEW_PASSWORD = 'een eigen, lang wachtwoord';
const TEMPORARY = /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/;
const email = (label: string) => `${label}-${crypto.randomBytes(4).toString('hex')}@test.example`;

const signIn = (address: string, password: string) =>
  new Caller(world.app).post('/api/auth/login', { email: address, password });
const userRow = (id: string) =>
  world.owner.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const usersWithEmail = (address: string) =>
  world.owner.selectFrom('users').select('id').where('email', '=', address.toLowerCase()).execute();
const membershipsOf = (userId: string) =>
  world.owner
    .selectFrom('memberships')
    .select(['id', 'role', 'organization_id', 'network_id', 'active'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();

function expectFieldError(res: Res, status: number, field: string, code: string) {
  expect(res.statusCode, res.raw).toBe(status);
  expect(res.body.errors).toEqual([expect.objectContaining({ field, code, message: expect.stringMatching(/\S/) })]);
}

/** Signs in with a temporary password and replaces it, as a new user does. */
async function activate(address: string, temporaryPassword: string): Promise<Caller> {
  const caller = await login(world, address, temporaryPassword);
  const changed = await caller.post('/api/auth/password', {
    currentPassword: temporaryPassword,
    newPassword: NEW_PASSWORD,
  });
  expect(changed.statusCode, changed.raw).toBe(204);
  return caller;
}

describe('an organisation admin invites a user', () => {
  it('creates the user in the own organisation; the user must change the temporary password before anything else', async () => {
    const address = email('Nieuw.Persoon');
    const created = await adminA.post('/api/users', {
      email: address,
      displayName: 'Nieuwe Persoon',
      role: 'intake-worker',
    });
    expect(created.statusCode, created.raw).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), temporaryPassword: expect.stringMatching(TEMPORARY) });
    const { id, temporaryPassword } = created.body;
    expect(await userRow(id)).toMatchObject({
      email: address.toLowerCase(),
      display_name: 'Nieuwe Persoon',
      must_change_password: true,
      active: true,
    });
    expect(await membershipsOf(id)).toEqual([
      expect.objectContaining({ role: 'intake-worker', organization_id: t.orgA.id, active: true }),
    ]);

    const first = await signIn(address, temporaryPassword);
    expect(first.statusCode).toBe(200);
    expect(first.body.mustChangePassword).toBe(true);
    const user = await login(world, address, temporaryPassword);
    for (const [method, url] of [
      ['GET', '/api/clients'],
      ['POST', '/api/clients'],
      ['GET', '/api/organizations'],
      ['GET', '/api/municipalities'],
    ] as const) {
      const refused = await user.request(
        method,
        url,
        method === 'POST' ? { givenName: 'Te', familyName: 'Vroeg' } : undefined,
      );
      expect(refused.statusCode, `${method} ${url}`).toBe(403);
      expect(refused.body.code).toBe('password-change-required');
    }
    const me = await user.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.body.user).toMatchObject({ id, mustChangePassword: true });

    const changed = await user.post('/api/auth/password', {
      currentPassword: temporaryPassword,
      newPassword: NEW_PASSWORD,
    });
    expect(changed.statusCode, changed.raw).toBe(204);
    expect((await user.get('/api/clients')).statusCode).toBe(200);
    const client = await user.post('/api/clients', { givenName: 'Eerste', familyName: 'Client' });
    expect(client.statusCode).toBe(201);
    expect(client.body.organizationId).toBe(t.orgA.id);
    expect((await signIn(address, temporaryPassword)).statusCode).toBe(401);
    expect((await signIn(address, NEW_PASSWORD)).body.mustChangePassword).toBe(false);

    const audit = await world.owner
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id', 'organization_id'])
      .where('entity_id', '=', id)
      .where('action', '=', 'user.create')
      .execute();
    expect(audit).toEqual([{ action: 'user.create', actor_user_id: t.users.adminA.id, organization_id: t.orgA.id }]);
  });

  it('cannot grant a network role', async () => {
    for (const role of ['network-admin', 'analyst', 'network-coordinator']) {
      const address = email('netwerkrol');
      const res = await adminA.post('/api/users', { email: address, displayName: 'Geen Netwerkrol', role });
      expectFieldError(res, 400, 'role', 'role-not-allowed');
      expect(await usersWithEmail(address)).toEqual([]);
    }
    const res = await adminA.post(`/api/users/${t.users.caregiverA.id}/memberships`, { role: 'network-admin' });
    expectFieldError(res, 400, 'role', 'role-not-allowed');
    expect(await membershipsOf(t.users.caregiverA.id)).toHaveLength(1);
  });

  it('cannot create a user in another organisation, of the network or outside it', async () => {
    for (const organizationId of [t.orgB.id, t.orgX.id, crypto.randomUUID()]) {
      const address = email('elders');
      const res = await adminA.post('/api/users', {
        email: address,
        displayName: 'Elders Werkend',
        role: 'caregiver',
        organizationId,
      });
      expectFieldError(res, 400, 'organizationId', 'organization-unknown');
      expect(await usersWithEmail(address)).toEqual([]);
    }
  });

  it('cannot see, change or reset users of another organisation (404)', async () => {
    const list = await adminA.get('/api/users');
    const ids = list.body.items.map((u: { id: string }) => u.id);
    expect(ids).toContain(t.users.intakeA.id);
    expect(ids).not.toContain(t.users.intakeB.id);
    expect(ids).not.toContain(t.users.adminB.id);
    expect((await adminA.get(`/api/users/${t.users.intakeB.id}`)).statusCode).toBe(404);
    expect((await adminA.patch(`/api/users/${t.users.intakeB.id}`, { displayName: 'Gekaapt' })).statusCode).toBe(404);
    expect((await adminA.post(`/api/users/${t.users.intakeB.id}/reset-password`)).statusCode).toBe(404);
    expect(await userRow(t.users.intakeB.id)).toMatchObject({
      display_name: 'Test intake-worker',
      must_change_password: false,
    });
  });

  it('refuses a second account with the same e-mail address, in any letter case (409)', async () => {
    const address = email('dubbel');
    expect(
      (await adminA.post('/api/users', { email: address, displayName: 'Eerste', role: 'caregiver' })).statusCode,
    ).toBe(201);
    expectFieldError(
      await adminA.post('/api/users', { email: address.toUpperCase(), displayName: 'Tweede', role: 'caregiver' }),
      409,
      'email',
      'email-in-use',
    );
    // also from another organisation
    expectFieldError(
      await adminB.post('/api/users', { email: address, displayName: 'Derde', role: 'caregiver' }),
      409,
      'email',
      'email-in-use',
    );
    expect(await usersWithEmail(address)).toHaveLength(1);
  });
});

describe('a network admin', () => {
  it('creates an organisation user in any organisation of the network', async () => {
    const address = email('cgg');
    const res = await networkAdmin.post('/api/users', {
      email: address,
      displayName: 'Collega CGG',
      role: 'caregiver',
      organizationId: t.orgB.id,
    });
    expect(res.statusCode, res.raw).toBe(201);
    expect(await membershipsOf(res.body.id)).toEqual([
      expect.objectContaining({ role: 'caregiver', organization_id: t.orgB.id, network_id: t.network.id }),
    ]);
    const user = await activate(address, res.body.temporaryPassword);
    expect((await user.get('/api/auth/me')).body.membership).toMatchObject({
      organizationId: t.orgB.id,
      role: 'caregiver',
    });
    // the admin of B sees the new colleague, the admin of A does not
    expect((await adminB.get(`/api/users/${res.body.id}`)).statusCode).toBe(200);
    expect((await adminA.get(`/api/users/${res.body.id}`)).statusCode).toBe(404);
  });

  it('creates a network-role user without an organisation', async () => {
    const address = email('analist');
    const res = await networkAdmin.post('/api/users', {
      email: address,
      displayName: 'Netwerk Analist',
      role: 'analyst',
    });
    expect(res.statusCode, res.raw).toBe(201);
    expect(await membershipsOf(res.body.id)).toEqual([
      expect.objectContaining({ role: 'analyst', organization_id: null, network_id: t.network.id }),
    ]);
    const analyst = await activate(address, res.body.temporaryPassword);
    const orgs = await analyst.get('/api/organizations');
    expect(orgs.statusCode).toBe(200);
    expect(orgs.body.items.map((o: { id: string }) => o.id).sort()).toEqual([t.orgA.id, t.orgB.id].sort());
    expect((await analyst.get('/api/clients')).statusCode).toBe(403);
  });

  it('must name an organisation for an organisation role, none for a network role, and one of the own network', async () => {
    expectFieldError(
      await networkAdmin.post('/api/users', { email: email('zonder'), displayName: 'Zonder Org', role: 'caregiver' }),
      400,
      'organizationId',
      'organization-required',
    );
    expectFieldError(
      await networkAdmin.post('/api/users', {
        email: email('met'),
        displayName: 'Met Org',
        role: 'analyst',
        organizationId: t.orgA.id,
      }),
      400,
      'organizationId',
      'organization-not-allowed',
    );
    expectFieldError(
      await networkAdmin.post('/api/users', {
        email: email('ander'),
        displayName: 'Ander Netwerk',
        role: 'caregiver',
        organizationId: t.orgX.id,
      }),
      400,
      'organizationId',
      'organization-unknown',
    );
  });

  it('gets 404 for users of another network', async () => {
    const ids = (await networkAdmin.get('/api/users')).body.items.map((u: { id: string }) => u.id);
    expect(ids).toEqual(expect.arrayContaining([t.users.intakeA.id, t.users.intakeB.id, t.users.analyst.id]));
    expect(ids).not.toContain(t.users.intakeX.id);
    expect(ids).not.toContain(t.users.networkAdminX.id);
    expect((await networkAdmin.get(`/api/users/${t.users.intakeX.id}`)).statusCode).toBe(404);
    expect((await networkAdmin.post(`/api/users/${t.users.networkAdminX.id}/reset-password`)).statusCode).toBe(404);
    expect(
      (
        await networkAdmin.post(`/api/users/${t.users.intakeX.id}/memberships`, {
          role: 'caregiver',
          organizationId: t.orgA.id,
        })
      ).statusCode,
    ).toBe(404);
    expect((await networkAdmin.post(`/api/memberships/${t.users.intakeX.membershipId}/deactivate`)).statusCode).toBe(
      404,
    );
    expect((await signIn(t.users.networkAdminX.email, PASSWORD)).statusCode).toBe(200);
    expect(await membershipsOf(t.users.intakeX.id)).toEqual([expect.objectContaining({ active: true })]);
  });
});

describe('deactivation', () => {
  it("ends the user's sessions at once and blocks signing in, until reactivated", async () => {
    const user = await makeUser(world, { role: 'caregiver', networkId: t.network.id, organizationId: t.orgA.id });
    const session = await login(world, user.email);
    expect((await session.get('/api/clients')).statusCode).toBe(200);
    const res = await adminA.patch(`/api/users/${user.id}`, { active: false });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, active: false });
    const next = await session.get('/api/clients');
    expect(next.statusCode).toBe(401);
    expect(next.body.code).toBe('unauthenticated');
    const again = await signIn(user.email, PASSWORD);
    expect(again.statusCode).toBe(401);
    expect(again.body.code).toBe('invalid-credentials');
    const audit = await world.owner
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', user.id)
      .where('action', 'like', 'user.%')
      .execute();
    expect(audit.map((a) => a.action)).toContain('user.deactivate');

    expect((await adminA.patch(`/api/users/${user.id}`, { active: true })).body.active).toBe(true);
    expect((await signIn(user.email, PASSWORD)).statusCode).toBe(200);
  });

  it('an admin cannot deactivate themself', async () => {
    expectFieldError(
      await adminA.patch(`/api/users/${t.users.adminA.id}`, { active: false }),
      400,
      'active',
      'role-not-allowed',
    );
    expect((await userRow(t.users.adminA.id)).active).toBe(true);
    expect((await adminA.get('/api/users')).statusCode).toBe(200);
  });
});

describe('password reset by an admin', () => {
  it('gives a temporary password, ends sessions, and the old password stops working', async () => {
    const user = await makeUser(world, { role: 'caregiver', networkId: t.network.id, organizationId: t.orgA.id });
    const session = await login(world, user.email);
    const res = await adminA.post(`/api/users/${user.id}/reset-password`);
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toEqual({ temporaryPassword: expect.stringMatching(TEMPORARY), twoFactorReset: false });
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    expect((await signIn(user.email, PASSWORD)).statusCode).toBe(401);
    const fresh = await signIn(user.email, res.body.temporaryPassword);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body.mustChangePassword).toBe(true);
    const caller = await activate(user.email, res.body.temporaryPassword);
    expect((await caller.get('/api/clients')).statusCode).toBe(200);
  });

  it('unlocks an account that was locked by failed sign-ins', async () => {
    const user = await makeUser(world, { role: 'caregiver', networkId: t.network.id, organizationId: t.orgA.id });
    for (let i = 0; i < world.config.login.maxFailures; i++) await signIn(user.email, 'wrong password');
    expect((await signIn(user.email, PASSWORD)).statusCode).toBe(429);
    const res = await adminA.post(`/api/users/${user.id}/reset-password`);
    expect((await signIn(user.email, res.body.temporaryPassword)).statusCode).toBe(200);
  });
});

describe('password reset with two-factor reset (a lost authenticator)', () => {
  /** A user of A with TOTP enrolled through the API. */
  async function enrolledUser() {
    const user = await makeUser(world, { role: 'caregiver', networkId: t.network.id, organizationId: t.orgA.id });
    const caller = await login(world, user.email);
    const setup = await caller.post('/api/auth/totp/setup');
    expect((await caller.post('/api/auth/totp/enable', { code: currentTotp(setup.body.secret) })).statusCode).toBe(204);
    expect((await adminA.get(`/api/users/${user.id}`)).body.totpEnabled).toBe(true);
    return { user, session: caller };
  }

  it('without the option the second factor stays: the temporary password still needs the code', async () => {
    const { user } = await enrolledUser();
    const res = await adminA.post(`/api/users/${user.id}/reset-password`, {});
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.twoFactorReset).toBe(false);
    expect(await userRow(user.id)).toMatchObject({ totp_enabled: true, totp_secret: expect.any(String) });
    expect((await signIn(user.email, res.body.temporaryPassword)).body).toMatchObject({
      twoFactorRequired: true,
      mustChangePassword: true,
    });
  });

  it('with resetTwoFactor the enrolment is removed, sessions end, the user signs in with the password alone and is audited', async () => {
    const { user, session } = await enrolledUser();
    const res = await adminA.post(`/api/users/${user.id}/reset-password`, { resetTwoFactor: true });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toEqual({ temporaryPassword: expect.stringMatching(TEMPORARY), twoFactorReset: true });
    expect(await userRow(user.id)).toMatchObject({
      totp_enabled: false,
      totp_secret: null,
      totp_last_step: null,
      must_change_password: true,
    });
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    expect((await adminA.get(`/api/users/${user.id}`)).body.totpEnabled).toBe(false);
    const fresh = await signIn(user.email, res.body.temporaryPassword);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).toMatchObject({ twoFactorRequired: false, mustChangePassword: true });
    const caller = await activate(user.email, res.body.temporaryPassword);
    // and can enrol again
    expect((await caller.post('/api/auth/totp/setup')).statusCode).toBe(200);

    const audit = await world.owner
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id', 'organization_id', 'details'])
      .where('entity_id', '=', user.id)
      .where('action', 'in', ['user.password.reset', 'user.totp.reset'])
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      {
        action: 'user.password.reset',
        actor_user_id: t.users.adminA.id,
        organization_id: t.orgA.id,
        details: { twoFactorReset: true },
      },
      { action: 'user.totp.reset', actor_user_id: t.users.adminA.id, organization_id: t.orgA.id, details: null },
    ]);
    const shown = await adminA.get(`/api/audit?action=user.totp.reset&entityId=${user.id}`);
    expect(shown.body.items).toHaveLength(1);
  });

  it('still works without a body, for callers of the API as it was', async () => {
    const { user } = await enrolledUser();
    const res = await world.app.inject({
      method: 'POST',
      url: `/api/users/${user.id}/reset-password`,
      headers: { cookie: `kl_session=${adminA.cookie}`, 'x-csrf-token': adminA.csrf! },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().twoFactorReset).toBe(false);
    expect((await userRow(user.id)).totp_enabled).toBe(true);
  });

  it('refuses a value that is not a boolean, an unknown field, and changes nothing', async () => {
    const { user } = await enrolledUser();
    const before = await userRow(user.id);
    const res = await adminA.post(`/api/users/${user.id}/reset-password`, { resetTwoFactor: 'yes', notify: true });
    expect(res.statusCode).toBe(400);
    expect(res.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort()).toEqual([
      'notify:unknown-field',
      'resetTwoFactor:type',
    ]);
    expect(await userRow(user.id)).toMatchObject({ password_hash: before.password_hash, totp_enabled: true });
  });

  it("an admin cannot remove their own second factor this way, nor another organisation's user's", async () => {
    const own = await adminA.post(`/api/users/${t.users.adminA.id}/reset-password`, { resetTwoFactor: true });
    expect(own.statusCode).toBe(403);
    expect((await adminA.get('/api/auth/me')).statusCode).toBe(200);
    const other = await makeUser(world, { role: 'caregiver', networkId: t.network.id, organizationId: t.orgB.id });
    await world.owner
      .updateTable('users')
      .set({ totp_enabled: true, totp_secret: 'JBSWY3DPEHPK3PXP' })
      .where('id', '=', other.id)
      .execute();
    expect((await adminA.post(`/api/users/${other.id}/reset-password`, { resetTwoFactor: true })).statusCode).toBe(404);
    expect((await userRow(other.id)).totp_enabled).toBe(true);
  });
});

describe('memberships', () => {
  it('adds a second role, refuses it twice, and ends it (ending the sessions that use it)', async () => {
    const user = await makeUser(world, { role: 'intake-worker', networkId: t.network.id, organizationId: t.orgA.id });
    const added = await adminA.post(`/api/users/${user.id}/memberships`, { role: 'team-lead' });
    expect(added.statusCode, added.raw).toBe(201);
    const shown = await adminA.get(`/api/users/${user.id}`);
    expect(
      shown.body.memberships.map((m: { role: string; active: boolean }) => `${m.role}:${m.active}`).sort(),
    ).toEqual(['intake-worker:true', 'team-lead:true']);
    expectFieldError(
      await adminA.post(`/api/users/${user.id}/memberships`, { role: 'team-lead' }),
      409,
      'role',
      'membership-exists',
    );

    // the user takes up the new role: team leads may read the user list
    const session = await login(world, user.email);
    expect((await session.get('/api/users')).statusCode).toBe(403);
    expect((await session.post('/api/auth/membership', { membershipId: added.body.id })).body.membership.role).toBe(
      'team-lead',
    );
    expect((await session.get('/api/users')).statusCode).toBe(200);

    const ended = await adminA.post(`/api/memberships/${added.body.id}/deactivate`);
    expect(ended.statusCode, ended.raw).toBe(204);
    expect((await session.get('/api/users')).statusCode).toBe(401);
    expect((await adminA.get(`/api/users/${user.id}`)).body.memberships).toContainEqual(
      expect.objectContaining({ id: added.body.id, active: false }),
    );
    const back = await login(world, user.email);
    expect((await back.get('/api/auth/me')).body.membership).toMatchObject({
      id: user.membershipId,
      role: 'intake-worker',
    });
    expect((await back.get('/api/users')).statusCode).toBe(403);

    // granting it again revives the same membership
    const revived = await adminA.post(`/api/users/${user.id}/memberships`, { role: 'team-lead' });
    expect(revived.statusCode).toBe(201);
    expect(revived.body.id).toBe(added.body.id);
  });

  it('a user whose last active role ended cannot sign in', async () => {
    const user = await makeUser(world, { role: 'caregiver', networkId: t.network.id, organizationId: t.orgA.id });
    expect((await adminA.post(`/api/memberships/${user.membershipId}/deactivate`)).statusCode).toBe(204);
    const res = await signIn(user.email, PASSWORD);
    expect(res.statusCode).toBe(403);
    expect(res.body.code).toBe('no-membership');
  });

  it('places a role in a team of the organisation, never in a team of another one', async () => {
    const user = await makeUser(world, { role: 'caregiver', networkId: t.network.id, organizationId: t.orgA.id });
    const team = await adminB.post(`/api/organizations/${t.orgB.id}/teams`, { name: 'Team B' });
    expect(team.statusCode).toBe(201);
    expectFieldError(
      await adminA.post(`/api/users/${user.id}/memberships`, { role: 'coordinator', teamId: team.body.id }),
      400,
      'teamId',
      'team-unknown',
    );
    const own = await adminA.post(`/api/organizations/${t.orgA.id}/teams`, { name: 'Team A' });
    const res = await adminA.post(`/api/users/${user.id}/memberships`, { role: 'coordinator', teamId: own.body.id });
    expect(res.statusCode, res.raw).toBe(201);
    expect((await adminA.get(`/api/users/${user.id}`)).body.memberships).toContainEqual(
      expect.objectContaining({ role: 'coordinator', teamId: own.body.id }),
    );
  });
});

describe('a user who also works for another organisation', () => {
  let shared: Awaited<ReturnType<typeof makeUser>>;
  beforeAll(async () => {
    // works for B, and also holds a role in A
    shared = await makeUser(world, { role: 'intake-worker', networkId: t.network.id, organizationId: t.orgB.id });
    await world.owner
      .insertInto('memberships')
      .values({ user_id: shared.id, network_id: t.network.id, organization_id: t.orgA.id, role: 'caregiver' })
      .execute();
  });

  it("is shown to the admin of A with A's role only", async () => {
    const res = await adminA.get(`/api/users/${shared.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body.memberships).toEqual([expect.objectContaining({ role: 'caregiver', organizationId: t.orgA.id })]);
  });

  it("cannot have the password reset by the admin of A (that would hand A the account's access to B)", async () => {
    const res = await adminA.post(`/api/users/${shared.id}/reset-password`);
    expect([403, 404], res.raw).toContain(res.statusCode);
    expect((await signIn(shared.email, PASSWORD)).statusCode).toBe(200);
  });

  it('cannot be deactivated as a whole by the admin of A (that would lock the user out of B)', async () => {
    const res = await adminA.patch(`/api/users/${shared.id}`, { active: false });
    expect([403, 404], res.raw).toContain(res.statusCode);
    expect((await userRow(shared.id)).active).toBe(true);
  });
});
