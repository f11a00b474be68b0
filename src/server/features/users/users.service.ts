import type { Tx } from '../../core/db/tenant.ts';
import { AppError, forbidden, invalid, notFound } from '../../core/http/errors.ts';
import { grantableRoles, isNetworkRole, type Role } from '../../core/auth/permissions.ts';
import { USER_AUDIT } from './users.audit.ts';
import * as repo from './users.repository.ts';
import type { MembershipInput, UserCreate, UserDto, UserUpdate } from './users.schema.ts';

type Grant = { organizationId: string | null; teamId: string | null };

/** The users the actor sees (network roles: the network; others: their organisation), each with their roles. */
export async function listUsers(tx: Tx, onlyUserId?: string): Promise<UserDto[]> {
  const memberships = await repo.membershipRows(tx, onlyUserId);
  const ids = [...new Set(memberships.map((m) => m.user_id))];
  if (!ids.length) return [];
  const users = await repo.userRows(tx, ids);
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    active: u.active,
    totpEnabled: u.totp_enabled,
    memberships: memberships
      .filter((m) => m.user_id === u.id)
      .map((m) => ({
        id: m.id,
        role: m.role as Role,
        organizationId: m.organization_id,
        organizationName: m.organization_name,
        teamId: m.team_id,
        active: m.active,
      })),
  }));
}

export async function visibleUser(tx: Tx, id: string): Promise<UserDto> {
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
  if (await repo.activeMembershipOutside(tx, id)) throw forbidden();
  return user;
}

/** Checks role, organisation and team of a membership the actor wants to grant. */
async function checkGrant(tx: Tx, input: MembershipInput): Promise<Grant> {
  if (!grantableRoles(tx.actor.role as Role).includes(input.role))
    throw invalid({ field: 'role', code: 'role-not-allowed' });
  if (isNetworkRole(input.role)) {
    if (input.organizationId) throw invalid({ field: 'organizationId', code: 'organization-not-allowed' });
    return { organizationId: null, teamId: null };
  }
  const organizationId = input.organizationId ?? tx.actor.organizationId;
  if (!organizationId) throw invalid({ field: 'organizationId', code: 'organization-required' });
  if (!repo.seesNetwork(tx) && organizationId !== tx.actor.organizationId) {
    throw invalid({ field: 'organizationId', code: 'organization-unknown' });
  }
  if (!(await repo.organizationOfNetwork(tx, organizationId))) {
    throw invalid({ field: 'organizationId', code: 'organization-unknown' });
  }
  if (input.teamId && !(await repo.teamOfOrganization(tx, input.teamId, organizationId))) {
    throw invalid({ field: 'teamId', code: 'team-unknown' });
  }
  return { organizationId, teamId: input.teamId ?? null };
}

async function grantMembership(tx: Tx, userId: string, role: Role, grant: Grant) {
  const existing = await repo.sameMembership(tx, userId, role, grant.organizationId);
  if (existing?.active) throw new AppError('conflict', [{ field: 'role', code: 'membership-exists' }]);
  const row = existing
    ? await repo.reactivateMembership(tx, existing.id, grant.teamId)
    : await repo.insertMembership(tx, userId, role, grant);
  await tx.audit({
    action: USER_AUDIT.membershipCreate,
    entityType: 'membership',
    entityId: row.id,
    details: { userId, role },
  });
  return row;
}

/** Creates (invites) a user with a first role; the password hash is made before the transaction (it is slow). */
export async function createUser(tx: Tx, input: UserCreate, passwordHash: string) {
  const grant = await checkGrant(tx, input);
  const email = input.email.trim().toLowerCase();
  const emailInUse = () => new AppError('conflict', [{ field: 'email', code: 'email-in-use' }]);
  if (await repo.userWithEmail(tx, email)) throw emailInUse();
  const user = await repo.insertUser(tx, {
    email,
    displayName: input.displayName.trim(),
    passwordHash,
    language: input.language ?? 'nl',
  });
  // two invitations of one address at once: the check above passed for both, the unique index lets one in
  if (!user) throw emailInUse();
  await tx.audit({ action: USER_AUDIT.userCreate, entityType: 'user', entityId: user.id });
  await grantMembership(tx, user.id, input.role, grant);
  return user;
}

export async function updateUser(tx: Tx, id: string, input: UserUpdate) {
  await manageableUser(tx, id);
  if (id === tx.actor.userId && input.active === false) throw invalid({ field: 'active', code: 'role-not-allowed' });
  await repo.updateUser(tx, id, { displayName: input.displayName?.trim(), active: input.active });
  if (input.active === false) await repo.endSessionsOfUser(tx, id);
  await tx.audit({
    action: input.active === false ? USER_AUDIT.userDeactivate : USER_AUDIT.userUpdate,
    entityType: 'user',
    entityId: id,
    details: { fields: Object.keys(input).join(',') },
  });
  return visibleUser(tx, id);
}

export async function resetPassword(tx: Tx, id: string, passwordHash: string, resetTwoFactor: boolean) {
  await manageableUser(tx, id);
  // with a hijacked admin session, removing one's own second factor would complete a takeover
  if (resetTwoFactor && id === tx.actor.userId) throw forbidden();
  await repo.setTemporaryPassword(tx, id, passwordHash, resetTwoFactor);
  await repo.endSessionsOfUser(tx, id);
  await tx.audit({
    action: USER_AUDIT.userPasswordReset,
    entityType: 'user',
    entityId: id,
    details: { twoFactorReset: resetTwoFactor },
  });
  if (resetTwoFactor) await tx.audit({ action: USER_AUDIT.userTotpReset, entityType: 'user', entityId: id });
}

export async function addMembership(tx: Tx, userId: string, input: MembershipInput) {
  // an organisation admin may add their organisation's role to a user of another organisation only by e-mail invite
  await visibleUser(tx, userId);
  // administrators do not widen their own rights (an admin role is not a caregiver's)
  if (userId === tx.actor.userId) throw forbidden();
  const grant = await checkGrant(tx, input);
  return grantMembership(tx, userId, input.role, grant);
}

export async function deactivateMembership(tx: Tx, membershipId: string) {
  const membership = await repo
    .visibleMemberships(tx)
    .select(['m.id', 'm.user_id'])
    .where('m.id', '=', membershipId)
    .executeTakeFirst();
  if (!membership) throw notFound();
  // an administrator cannot end their own role (the network or organisation could be left without one)
  if (membershipId === tx.actor.membershipId) throw invalid({ field: 'id', code: 'own-membership' });
  await repo.deactivateMembership(tx, membershipId);
  await tx.audit({
    action: USER_AUDIT.membershipDeactivate,
    entityType: 'membership',
    entityId: membershipId,
    details: { userId: membership.user_id },
  });
}
