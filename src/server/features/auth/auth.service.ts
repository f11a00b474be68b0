import { sql, type Kysely } from 'kysely';
import QRCode from 'qrcode';
import type { DB } from '../../core/db/schema.ts';
import type { AppConfig } from '../../core/config.ts';
import type { Actor, RequestInfo } from '../../core/auth/actor.ts';
import { AppError, invalid } from '../../core/http/errors.ts';
import { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../../core/auth/passwords.ts';
import { createSession, destroySession, type SessionMembership } from '../../core/auth/sessions.ts';
import { matchTotp, newTotpSecret, totpUri } from '../../core/auth/totp.ts';
import { writeAudit } from '../../core/audit/audit.ts';
import { grantableRoles, ROLE_PERMISSIONS, type Role } from '../../core/auth/permissions.ts';
import { AUTH_AUDIT } from './auth.audit.ts';
import type { OrganizationKind } from '../organizations/index.ts';

interface Deps {
  db: Kysely<DB>;
  config: AppConfig;
  info: RequestInfo;
}

async function firstActiveMembership(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('memberships as m')
    .leftJoin('organizations as o', 'o.id', 'm.organization_id')
    .select(['m.id', 'm.organization_id', 'm.network_id', 'm.role'])
    .where('m.user_id', '=', userId)
    .where('m.active', '=', true)
    .where((eb) => eb.or([eb('o.id', 'is', null), eb('o.active', '=', true)]))
    .orderBy('m.created_at')
    .orderBy('m.id')
    .executeTakeFirst();
}

/** Counts a failed attempt; the account locks for a while after too many in a row. */
async function registerFailure(db: Kysely<DB>, config: AppConfig, userId: string) {
  await sql`
    update users set
      locked_until = case when failed_logins + 1 >= ${config.login.maxFailures} then now() + make_interval(mins => ${config.login.lockMinutes}) else locked_until end,
      failed_logins = case when failed_logins + 1 >= ${config.login.maxFailures} then 0 else failed_logins + 1 end
    where id = ${userId}`.execute(db);
}

/**
 * Where a sign-in event of this user belongs in the audit trail: the first active membership (network roles:
 * the network), else the most recent membership's network, so the admins who can act on the account see it.
 */
async function auditScope(db: Kysely<DB>, userId: string, membership: SessionMembership | undefined) {
  if (membership) return { userId, organizationId: membership.organization_id, networkId: membership.network_id };
  const last = await db
    .selectFrom('memberships')
    .select('network_id')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return { userId, organizationId: null, networkId: last?.network_id ?? null };
}

export async function login({ db, config, info }: Deps, email: string, password: string) {
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst();
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), password);
    await writeAudit(db, null, info, {
      action: AUTH_AUDIT.authLogin,
      outcome: 'failed',
      details: { reason: 'unknown-user' },
    });
    throw new AppError('invalid-credentials');
  }
  const membership = await firstActiveMembership(db, user.id);
  const who = await auditScope(db, user.id, membership);
  if (user.locked_until && user.locked_until.getTime() > Date.now()) {
    await writeAudit(
      db,
      null,
      info,
      {
        action: AUTH_AUDIT.authLogin,
        entityType: 'user',
        entityId: user.id,
        outcome: 'denied',
        details: { reason: 'locked' },
      },
      who,
    );
    throw new AppError('locked');
  }
  const passwordOk = await verifyPassword(user.password_hash, password);
  if (!passwordOk || !user.active) {
    await db.transaction().execute(async (trx) => {
      if (!passwordOk) await registerFailure(trx, config, user.id);
      await writeAudit(
        trx,
        null,
        info,
        {
          action: AUTH_AUDIT.authLogin,
          entityType: 'user',
          entityId: user.id,
          outcome: 'failed',
          details: { reason: passwordOk ? 'inactive' : 'password' },
        },
        who,
      );
    });
    throw new AppError('invalid-credentials');
  }
  if (!membership) {
    await writeAudit(
      db,
      null,
      info,
      {
        action: AUTH_AUDIT.authLogin,
        entityType: 'user',
        entityId: user.id,
        outcome: 'denied',
        details: { reason: 'no-membership' },
      },
      who,
    );
    throw new AppError('no-membership');
  }
  return db.transaction().execute(async (trx) => {
    // with two factors the count of failures goes on until the second step succeeds: otherwise the right
    // password would reset it and the codes could be guessed without end
    if (!user.totp_enabled)
      await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    const session = await createSession(trx, config, user, membership, user.totp_enabled);
    await writeAudit(
      trx,
      null,
      info,
      { action: user.totp_enabled ? 'auth.login.password' : 'auth.login', entityType: 'user', entityId: user.id },
      who,
    );
    return { session, twoFactorRequired: user.totp_enabled, mustChangePassword: user.must_change_password };
  });
}

/** Second step: a valid, unused TOTP code turns the pending session into a new full one. */
export async function completeTwoFactor({ db, config, info }: Deps, actor: Actor, code: string) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'totp_secret', 'locked_until', 'must_change_password'])
    .where('id', '=', actor.userId!)
    .executeTakeFirstOrThrow();
  if (user.locked_until && user.locked_until.getTime() > Date.now()) throw new AppError('locked');
  const step = user.totp_secret ? matchTotp(user.totp_secret, code) : null;
  const result =
    step === null
      ? null
      : await db.transaction().execute(async (trx) => {
          // claiming the time step is one conditional update: of two sign-ins with the same code only one gets the row
          const claimed = await trx
            .updateTable('users')
            .set({ totp_last_step: step, failed_logins: 0, locked_until: null })
            .where('id', '=', user.id)
            .where((eb) =>
              eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', sql<string>`${step}::bigint`)]),
            )
            // a lock set meanwhile by guesses sent in parallel holds for a right code too
            .where(sql<boolean>`(locked_until is null or locked_until <= now())`)
            .returning('id')
            .executeTakeFirst();
          if (!claimed) return null;
          await destroySession(trx, actor.session!.tokenHash);
          const membership = {
            id: actor.membershipId!,
            organization_id: actor.organizationId,
            network_id: actor.networkId,
            role: actor.role!,
          };
          const session = await createSession(trx, config, user, membership, false);
          await writeAudit(trx, actor, info, {
            action: AUTH_AUDIT.authLogin,
            entityType: 'user',
            entityId: user.id,
            details: { twoFactor: true },
          });
          return { session, mustChangePassword: user.must_change_password };
        });
  if (result) return result;
  const lock = await db
    .selectFrom('users')
    .select(sql<boolean>`coalesce(locked_until > now(), false)`.as('locked'))
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
  if (lock.locked) throw new AppError('locked');
  // a wrong code, or one whose time step was already used (replay)
  await db.transaction().execute(async (trx) => {
    await registerFailure(trx, config, user.id);
    await writeAudit(trx, actor, info, {
      action: AUTH_AUDIT.authLoginTotp,
      entityType: 'user',
      entityId: user.id,
      outcome: 'failed',
    });
  });
  throw new AppError('invalid-code');
}

export async function logout({ db, info }: Deps, actor: Actor) {
  await db.transaction().execute(async (trx) => {
    await destroySession(trx, actor.session!.tokenHash);
    await writeAudit(trx, actor, info, { action: AUTH_AUDIT.authLogout, entityType: 'user', entityId: actor.userId });
  });
}

export async function describeSession(db: Kysely<DB>, actor: Actor) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'language', 'totp_enabled', 'must_change_password'])
    .where('id', '=', actor.userId!)
    .executeTakeFirstOrThrow();
  const memberships = await db
    .selectFrom('memberships as m')
    .innerJoin('networks as n', 'n.id', 'm.network_id')
    .leftJoin('organizations as o', 'o.id', 'm.organization_id')
    .select([
      'm.id',
      'm.role',
      'm.organization_id',
      'o.name as organization_name',
      'o.kind as organization_kind',
      'm.network_id',
      'n.name as network_name',
    ])
    .where('m.user_id', '=', actor.userId!)
    .where('m.active', '=', true)
    .orderBy('m.created_at')
    .execute();
  const shape = (m: (typeof memberships)[number]) => ({
    id: m.id,
    role: m.role as Role,
    organizationId: m.organization_id,
    organizationName: m.organization_name,
    organizationKind: m.organization_kind as OrganizationKind | null,
    networkId: m.network_id,
    networkName: m.network_name,
  });
  const current = memberships.find((m) => m.id === actor.membershipId);
  // a session that still owes its second factor learns nothing about where the person works
  const pending = actor.session!.pendingTwoFactor;
  return {
    csrfToken: actor.session!.csrfToken,
    pendingTwoFactor: actor.session!.pendingTwoFactor,
    user: {
      id: user.id,
      email: user.email,
      displayName: user.display_name,
      language: user.language,
      totpEnabled: user.totp_enabled,
      mustChangePassword: user.must_change_password,
    },
    membership: current && !pending ? shape(current) : null,
    memberships: pending ? [] : memberships.map(shape),
    permissions: pending ? [] : [...ROLE_PERMISSIONS[actor.role as Role]],
    // the roles this membership may hand out: the web app asks rather than copying the rule
    grantableRoles: pending || !actor.role ? [] : [...grantableRoles(actor.role)],
  };
}

export async function switchMembership({ db, info }: Deps, actor: Actor, membershipId: string) {
  const target = await firstMatchingMembership(db, actor.userId!, membershipId);
  if (!target) throw invalid({ field: 'membershipId', code: 'organization-unknown' });
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('sessions')
      .set({
        membership_id: target.id,
        organization_id: target.organization_id,
        network_id: target.network_id,
        role: target.role,
      })
      .where('token_hash', '=', actor.session!.tokenHash)
      .execute();
    await writeAudit(
      trx,
      null,
      info,
      { action: AUTH_AUDIT.authMembershipSwitch, entityType: 'membership', entityId: membershipId },
      { userId: actor.userId, organizationId: target.organization_id, networkId: target.network_id },
    );
  });
  return target;
}

async function firstMatchingMembership(db: Kysely<DB>, userId: string, membershipId: string) {
  return db
    .selectFrom('memberships as m')
    .leftJoin('organizations as o', 'o.id', 'm.organization_id')
    .select(['m.id', 'm.role', 'm.organization_id', 'm.network_id'])
    .where('m.id', '=', membershipId)
    .where('m.user_id', '=', userId)
    .where('m.active', '=', true)
    .where((eb) => eb.or([eb('o.id', 'is', null), eb('o.active', '=', true)]))
    .executeTakeFirst();
}

export async function changePassword({ db, info }: Deps, actor: Actor, currentPassword: string, newPassword: string) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash'])
    .where('id', '=', actor.userId!)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, currentPassword)))
    throw invalid({ field: 'currentPassword', code: 'password-wrong' });
  if (newPassword.length < MIN_PASSWORD_LENGTH) throw invalid({ field: 'newPassword', code: 'password-too-short' });
  if (newPassword === currentPassword) throw invalid({ field: 'newPassword', code: 'password-same' });
  const passwordHash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, must_change_password: false, updated_at: sql`now()` })
      .where('id', '=', user.id)
      .execute();
    // other sessions end: whoever knew the old password is out
    await trx
      .deleteFrom('sessions')
      .where('user_id', '=', user.id)
      .where('token_hash', '<>', actor.session!.tokenHash)
      .execute();
    await trx
      .updateTable('sessions')
      .set({ must_change_password: false })
      .where('token_hash', '=', actor.session!.tokenHash)
      .execute();
    await writeAudit(trx, actor, info, {
      action: AUTH_AUDIT.authPasswordChange,
      entityType: 'user',
      entityId: user.id,
    });
  });
}

export async function startTotpEnrolment({ db, info }: Deps, actor: Actor) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'totp_enabled'])
    .where('id', '=', actor.userId!)
    .executeTakeFirstOrThrow();
  if (user.totp_enabled) throw new AppError('conflict');
  const secret = newTotpSecret();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_secret: secret }).where('id', '=', user.id).execute();
    await writeAudit(trx, actor, info, { action: AUTH_AUDIT.authTotpSetup, entityType: 'user', entityId: user.id });
  });
  const otpauthUrl = totpUri(secret, user.email);
  return { secret, otpauthUrl, qrDataUrl: await QRCode.toDataURL(otpauthUrl) };
}

export async function enableTotp({ db, info }: Deps, actor: Actor, code: string) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'totp_secret', 'totp_enabled'])
    .where('id', '=', actor.userId!)
    .executeTakeFirstOrThrow();
  if (user.totp_enabled) throw new AppError('conflict');
  const step = user.totp_secret ? matchTotp(user.totp_secret, code) : null;
  if (step === null) throw invalid({ field: 'code', code: 'invalid-code' });
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ totp_enabled: true, totp_last_step: step })
      .where('id', '=', user.id)
      .execute();
    await writeAudit(trx, actor, info, { action: AUTH_AUDIT.authTotpEnable, entityType: 'user', entityId: user.id });
  });
}

export async function disableTotp({ db, info }: Deps, actor: Actor, password: string) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash'])
    .where('id', '=', actor.userId!)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, password)))
    throw invalid({ field: 'password', code: 'password-wrong' });
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ totp_enabled: false, totp_secret: null, totp_last_step: null })
      .where('id', '=', user.id)
      .execute();
    await writeAudit(trx, actor, info, { action: AUTH_AUDIT.authTotpDisable, entityType: 'user', entityId: user.id });
  });
}
