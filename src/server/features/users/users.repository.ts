import { forgetCachedSession } from '../../core/auth/sessions.ts';
import { sql } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import type { Role } from '../../core/auth/permissions.ts';
import { accountKey, clearAccount } from '../../core/auth/sign-in-throttle.ts';

/** Network-wide roles see the whole network; everyone else their own organisation. */
export const seesNetwork = (tx: Tx) => tx.actor.organizationId === null;

export function visibleMemberships(tx: Tx) {
  const query = tx.db
    .selectFrom('memberships as m')
    .leftJoin('organizations as o', 'o.id', 'm.organization_id')
    .where('m.network_id', '=', tx.actor.networkId);
  return seesNetwork(tx) ? query : query.where('m.organization_id', '=', tx.actor.organizationId);
}

export async function membershipRows(tx: Tx, onlyUserId?: string) {
  return visibleMemberships(tx)
    .select([
      'm.id',
      'm.user_id',
      'm.role',
      'm.organization_id',
      'o.name as organization_name',
      'm.team_id',
      'm.active',
    ])
    .$if(onlyUserId !== undefined, (q) => q.where('m.user_id', '=', onlyUserId!))
    .orderBy('m.created_at')
    .execute();
}

export async function userRows(tx: Tx, ids: string[]) {
  return tx.db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'active', 'totp_enabled'])
    .where('id', 'in', ids)
    .orderBy('display_name')
    .execute();
}

/** An active role of the person outside what the actor administers (another organisation or network). */
export async function activeMembershipOutside(tx: Tx, userId: string) {
  return tx.db
    .selectFrom('memberships')
    .select('id')
    .where('user_id', '=', userId)
    .where('active', '=', true)
    .where((eb) =>
      seesNetwork(tx)
        ? eb('network_id', '<>', tx.actor.networkId)
        : eb.or([eb('organization_id', 'is', null), eb('organization_id', '<>', tx.actor.organizationId!)]),
    )
    .executeTakeFirst();
}

export async function organizationOfNetwork(tx: Tx, organizationId: string) {
  return tx.db
    .selectFrom('organizations')
    .select('id')
    .where('id', '=', organizationId)
    .where('network_id', '=', tx.actor.networkId)
    .executeTakeFirst();
}

export async function teamOfOrganization(tx: Tx, teamId: string, organizationId: string) {
  return tx.db
    .selectFrom('teams')
    .select('id')
    .where('id', '=', teamId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
}

/** The person's membership with this role in this organisation (or network), active or not. */
export async function sameMembership(tx: Tx, userId: string, role: Role, organizationId: string | null) {
  return tx.db
    .selectFrom('memberships')
    .select(['id', 'active'])
    .where('user_id', '=', userId)
    .where('role', '=', role)
    .where(sql<string>`coalesce(organization_id, network_id)`, '=', organizationId ?? tx.actor.networkId)
    .executeTakeFirst();
}

export async function reactivateMembership(tx: Tx, id: string, teamId: string | null) {
  return tx.db
    .updateTable('memberships')
    .set({ active: true, team_id: teamId })
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function insertMembership(
  tx: Tx,
  userId: string,
  role: Role,
  grant: { organizationId: string | null; teamId: string | null },
) {
  return tx.db
    .insertInto('memberships')
    .values({
      user_id: userId,
      network_id: tx.actor.networkId,
      organization_id: grant.organizationId,
      team_id: grant.teamId,
      role,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function userWithEmail(tx: Tx, email: string) {
  return tx.db
    .selectFrom('users')
    .select('id')
    .where(sql`lower(email)`, '=', email)
    .executeTakeFirst();
}

/**
 * The new user, or undefined when the address is taken: also by a request that inserted it a moment ago and has
 * not committed yet (the unique index makes this insert wait for it, then do nothing).
 */
export async function insertUser(
  tx: Tx,
  values: { email: string; displayName: string; passwordHash: string; language: string },
) {
  return tx.db
    .insertInto('users')
    .values({
      email: values.email,
      display_name: values.displayName,
      password_hash: values.passwordHash,
      must_change_password: true,
      language: values.language,
    })
    .onConflict((conflict) => conflict.expression(sql`lower(email)`).doNothing())
    .returning('id')
    .executeTakeFirst();
}

export async function updateUser(tx: Tx, id: string, change: { displayName?: string; active?: boolean }) {
  await tx.db
    .updateTable('users')
    .set({
      ...(change.displayName ? { display_name: change.displayName } : {}),
      ...(change.active !== undefined ? { active: change.active } : {}),
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

export async function setTemporaryPassword(tx: Tx, id: string, passwordHash: string, resetTwoFactor: boolean) {
  const user = await tx.db
    .updateTable('users')
    .set({
      password_hash: passwordHash,
      must_change_password: true,
      updated_at: sql`now()`,
      ...(resetTwoFactor ? { totp_enabled: false, totp_secret: null, totp_last_step: null } : {}),
    })
    .where('id', '=', id)
    .returning('email')
    .executeTakeFirstOrThrow();
  // the administrator's reset also lifts every sign-in wait on the account (the second factor's too)
  await clearAccount(tx.db, accountKey(user.email), { secondFactor: true });
}

export async function endSessionsOfUser(tx: Tx, userId: string) {
  await tx.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  forgetCachedSession();
}

export async function deactivateMembership(tx: Tx, id: string) {
  await tx.db.updateTable('memberships').set({ active: false }).where('id', '=', id).execute();
  await tx.db.deleteFrom('sessions').where('membership_id', '=', id).execute();
  forgetCachedSession();
}
