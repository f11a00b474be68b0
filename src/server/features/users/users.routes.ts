import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { tenant, type App } from '../../core/http/context.ts';
import type { Tx } from '../../core/db/tenant.ts';
import { AppError, forbidden, invalid, notFound } from '../../core/http/errors.ts';
import { IdParams, NoContent, Strict, Uuid } from '../../core/http/schemas.ts';
import { grantableRoles, isNetworkRole, ROLES, type Role } from '../../core/auth/permissions.ts';
import { hashPassword, temporaryPassword } from '../../core/auth/passwords.ts';

const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
const S = Type.String();
const MembershipDto = Type.Object({ id: S, role: S, organizationId: Type.Union([S, Type.Null()]), organizationName: Type.Union([S, Type.Null()]), teamId: Type.Union([S, Type.Null()]), active: Type.Boolean() });
const UserDto = Type.Object({ id: S, email: S, displayName: S, active: Type.Boolean(), totpEnabled: Type.Boolean(), memberships: Type.Array(MembershipDto) });
const MembershipInput = { role: RoleSchema, organizationId: Type.Optional(Uuid), teamId: Type.Optional(Uuid) };

/** Network-wide roles see the whole network; everyone else their own organisation. */
const seesNetwork = (tx: Tx) => tx.actor.organizationId === null;

function visibleMemberships(tx: Tx) {
  const query = tx.db.selectFrom('memberships as m').leftJoin('organizations as o', 'o.id', 'm.organization_id').where('m.network_id', '=', tx.actor.networkId);
  return seesNetwork(tx) ? query : query.where('m.organization_id', '=', tx.actor.organizationId);
}

async function listUsers(tx: Tx, onlyUserId?: string) {
  const memberships = await visibleMemberships(tx)
    .select(['m.id', 'm.user_id', 'm.role', 'm.organization_id', 'o.name as organization_name', 'm.team_id', 'm.active'])
    .$if(onlyUserId !== undefined, (q) => q.where('m.user_id', '=', onlyUserId!))
    .orderBy('m.created_at')
    .execute();
  const ids = [...new Set(memberships.map((m) => m.user_id))];
  if (!ids.length) return [];
  const users = await tx.db.selectFrom('users').select(['id', 'email', 'display_name', 'active', 'totp_enabled']).where('id', 'in', ids).orderBy('display_name').execute();
  return users.map((u) => ({
    id: u.id, email: u.email, displayName: u.display_name, active: u.active, totpEnabled: u.totp_enabled,
    memberships: memberships.filter((m) => m.user_id === u.id).map((m) => ({ id: m.id, role: m.role, organizationId: m.organization_id, organizationName: m.organization_name, teamId: m.team_id, active: m.active })),
  }));
}

async function visibleUser(tx: Tx, id: string) {
  const [user] = await listUsers(tx, id);
  if (!user) throw notFound();
  return user;
}

/**
 * Changing an account (password reset, deactivation) touches every organisation the person works for:
 * an organisation admin may only do it when all the person's active roles are in their own organisation.
 */
async function manageableUser(tx: Tx, id: string) {
  const user = await visibleUser(tx, id);
  const outside = await tx.db.selectFrom('memberships').select('id').where('user_id', '=', id).where('active', '=', true)
    .where((eb) => seesNetwork(tx)
      ? eb('network_id', '<>', tx.actor.networkId)
      : eb.or([eb('organization_id', 'is', null), eb('organization_id', '<>', tx.actor.organizationId!)]))
    .executeTakeFirst();
  if (outside) throw forbidden();
  return user;
}

/** Checks role, organisation and team of a membership the actor wants to grant. */
async function checkGrant(tx: Tx, input: { role: Role; organizationId?: string | undefined; teamId?: string | undefined }) {
  if (!grantableRoles(tx.actor.role as Role).includes(input.role)) throw invalid({ field: 'role', code: 'role-not-allowed' });
  if (isNetworkRole(input.role)) {
    if (input.organizationId) throw invalid({ field: 'organizationId', code: 'organization-not-allowed' });
    return { organizationId: null, teamId: null };
  }
  const organizationId = input.organizationId ?? tx.actor.organizationId;
  if (!organizationId) throw invalid({ field: 'organizationId', code: 'organization-required' });
  if (!seesNetwork(tx) && organizationId !== tx.actor.organizationId) throw invalid({ field: 'organizationId', code: 'organization-unknown' });
  const org = await tx.db.selectFrom('organizations').select('id').where('id', '=', organizationId).where('network_id', '=', tx.actor.networkId).executeTakeFirst();
  if (!org) throw invalid({ field: 'organizationId', code: 'organization-unknown' });
  if (input.teamId) {
    const team = await tx.db.selectFrom('teams').select('id').where('id', '=', input.teamId).where('organization_id', '=', organizationId).executeTakeFirst();
    if (!team) throw invalid({ field: 'teamId', code: 'team-unknown' });
  }
  return { organizationId, teamId: input.teamId ?? null };
}

async function addMembership(tx: Tx, userId: string, role: Role, grant: { organizationId: string | null; teamId: string | null }) {
  const existing = await tx.db.selectFrom('memberships').select(['id', 'active']).where('user_id', '=', userId).where('role', '=', role)
    .where(sql<string>`coalesce(organization_id, network_id)`, '=', grant.organizationId ?? tx.actor.networkId).executeTakeFirst();
  if (existing?.active) throw new AppError('conflict', [{ field: 'role', code: 'membership-exists' }]);
  const row = existing
    ? await tx.db.updateTable('memberships').set({ active: true, team_id: grant.teamId }).where('id', '=', existing.id).returning('id').executeTakeFirstOrThrow()
    : await tx.db.insertInto('memberships').values({ user_id: userId, network_id: tx.actor.networkId, organization_id: grant.organizationId, team_id: grant.teamId, role }).returning('id').executeTakeFirstOrThrow();
  await tx.audit({ action: 'membership.create', entityType: 'membership', entityId: row.id, details: { userId, role } });
  return row;
}

export async function userRoutes(app: App) {
  app.get('/api/users', {
    config: { access: 'user:read' },
    schema: { tags: ['users'], summary: 'Users of my organisation (network roles: of the network)', response: { 200: Type.Object({ items: Type.Array(UserDto) }) } },
  }, (req) => tenant(app, req, async (tx) => ({ items: await listUsers(tx) })));

  app.get('/api/users/:id', {
    config: { access: 'user:read', auditAction: 'user.read' },
    schema: { tags: ['users'], summary: 'One user', params: IdParams, response: { 200: UserDto } },
  }, (req) => tenant(app, req, (tx) => visibleUser(tx, req.params.id)));

  app.post('/api/users', {
    config: { access: 'user:manage', auditAction: 'user.create' },
    schema: {
      tags: ['users'], summary: 'Create (invite) a user with a first role; answers a one-time temporary password',
      body: Strict({ email: Type.String({ format: 'email', maxLength: 254 }), displayName: Type.String({ minLength: 2, maxLength: 120, pattern: '\\S' }), language: Type.Optional(Type.Union([Type.Literal('nl'), Type.Literal('en')])), ...MembershipInput }),
      response: { 201: Type.Object({ id: S, temporaryPassword: S }) },
    },
  }, async (req, reply) => {
    const password = temporaryPassword();
    const passwordHash = await hashPassword(password);
    const created = await tenant(app, req, async (tx) => {
      const grant = await checkGrant(tx, req.body);
      const email = req.body.email.trim().toLowerCase();
      const taken = await tx.db.selectFrom('users').select('id').where(sql`lower(email)`, '=', email).executeTakeFirst();
      if (taken) throw new AppError('conflict', [{ field: 'email', code: 'email-in-use' }]);
      const user = await tx.db.insertInto('users').values({ email, display_name: req.body.displayName.trim(), password_hash: passwordHash, must_change_password: true, language: req.body.language ?? 'nl' }).returning('id').executeTakeFirstOrThrow();
      await tx.audit({ action: 'user.create', entityType: 'user', entityId: user.id });
      await addMembership(tx, user.id, req.body.role, grant);
      return user;
    });
    return reply.code(201).send({ id: created.id, temporaryPassword: password });
  });

  app.patch('/api/users/:id', {
    config: { access: 'user:manage', auditAction: 'user.update' },
    schema: { tags: ['users'], summary: 'Rename, deactivate or reactivate a user', params: IdParams, body: Strict({ displayName: Type.Optional(Type.String({ minLength: 2, maxLength: 120 })), active: Type.Optional(Type.Boolean()) }), response: { 200: UserDto } },
  }, (req) => tenant(app, req, async (tx) => {
    await manageableUser(tx, req.params.id);
    if (req.params.id === tx.actor.userId && req.body.active === false) throw invalid({ field: 'active', code: 'role-not-allowed' });
    await tx.db.updateTable('users').set({ ...(req.body.displayName ? { display_name: req.body.displayName.trim() } : {}), ...(req.body.active !== undefined ? { active: req.body.active } : {}), updated_at: sql`now()` }).where('id', '=', req.params.id).execute();
    if (req.body.active === false) await tx.db.deleteFrom('sessions').where('user_id', '=', req.params.id).execute();
    await tx.audit({ action: req.body.active === false ? 'user.deactivate' : 'user.update', entityType: 'user', entityId: req.params.id, details: { fields: Object.keys(req.body).join(',') } });
    return visibleUser(tx, req.params.id);
  }));

  app.post('/api/users/:id/reset-password', {
    config: { access: 'user:manage', auditAction: 'user.password.reset' },
    schema: {
      tags: ['users'], summary: 'Admin-initiated password reset: a one-time password the user must change; optionally also turns two-factor sign-in off (a lost authenticator)',
      description: 'The body may be left out (the same as `{}`). `resetTwoFactor` is refused (403) for the own account.',
      params: IdParams,
      body: Strict({ resetTwoFactor: Type.Optional(Type.Boolean({ description: 'also remove the TOTP enrolment; the user can enrol again after signing in' })) }),
      response: { 200: Type.Object({ temporaryPassword: S, twoFactorReset: Type.Boolean() }) },
    },
    // the body is optional: a POST without one (as before this option existed) means {}
    preValidation: async (req) => { req.body ??= {}; },
  }, async (req) => {
    const resetTwoFactor = req.body.resetTwoFactor === true;
    const password = temporaryPassword();
    const passwordHash = await hashPassword(password);
    await tenant(app, req, async (tx) => {
      await manageableUser(tx, req.params.id);
      // with a hijacked admin session, removing one's own second factor would complete a takeover
      if (resetTwoFactor && req.params.id === tx.actor.userId) throw forbidden();
      await tx.db.updateTable('users').set({
        password_hash: passwordHash, must_change_password: true, failed_logins: 0, locked_until: null, updated_at: sql`now()`,
        ...(resetTwoFactor ? { totp_enabled: false, totp_secret: null, totp_last_step: null } : {}),
      }).where('id', '=', req.params.id).execute();
      await tx.db.deleteFrom('sessions').where('user_id', '=', req.params.id).execute();
      await tx.audit({ action: 'user.password.reset', entityType: 'user', entityId: req.params.id, details: { twoFactorReset: resetTwoFactor } });
      if (resetTwoFactor) await tx.audit({ action: 'user.totp.reset', entityType: 'user', entityId: req.params.id });
    });
    return { temporaryPassword: password, twoFactorReset: resetTwoFactor };
  });

  app.post('/api/users/:id/memberships', {
    config: { access: 'user:manage', auditAction: 'membership.create' },
    schema: { tags: ['users'], summary: 'Give a user another role', params: IdParams, body: Strict(MembershipInput), response: { 201: Type.Object({ id: S }) } },
  }, async (req, reply) => reply.code(201).send(await tenant(app, req, async (tx) => {
    // an organisation admin may add their organisation's role to a user of another organisation only by e-mail invite
    await visibleUser(tx, req.params.id);
    // administrators do not widen their own rights (an admin role is not a caregiver's)
    if (req.params.id === tx.actor.userId) throw forbidden();
    const grant = await checkGrant(tx, req.body);
    return addMembership(tx, req.params.id, req.body.role, grant);
  })));

  app.post('/api/memberships/:id/deactivate', {
    config: { access: 'user:manage', auditAction: 'membership.deactivate' },
    schema: { tags: ['users'], summary: 'End a role of a user', params: IdParams, response: { 204: NoContent } },
  }, async (req, reply) => {
    await tenant(app, req, async (tx) => {
      const membership = await visibleMemberships(tx).select(['m.id', 'm.user_id']).where('m.id', '=', req.params.id).executeTakeFirst();
      if (!membership) throw notFound();
      // an administrator cannot end their own role (the network or organisation could be left without one)
      if (req.params.id === tx.actor.membershipId) throw invalid({ field: 'id', code: 'own-membership' });
      await tx.db.updateTable('memberships').set({ active: false }).where('id', '=', req.params.id).execute();
      await tx.db.deleteFrom('sessions').where('membership_id', '=', req.params.id).execute();
      await tx.audit({ action: 'membership.deactivate', entityType: 'membership', entityId: req.params.id, details: { userId: membership.user_id } });
    });
    return reply.code(204).send(null);
  });
}
