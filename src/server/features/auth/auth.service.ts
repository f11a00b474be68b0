import { sql, type Kysely } from 'kysely';
import QRCode from 'qrcode';
import type { DB } from '../../core/db/schema.ts';
import type { AppConfig } from '../../core/config.ts';
import type { Actor, RequestInfo } from '../../core/auth/actor.ts';
import { AppError, invalid, tooMany } from '../../core/http/errors.ts';
import { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../../core/auth/passwords.ts';
import { createSession, destroySession, forgetCachedSession } from '../../core/auth/sessions.ts';
import {
  accountKey,
  keysOf,
  passwordAttemptSucceeded,
  reservePasswordAttempt,
  reserveTotpAttempt,
  signInCompleted,
  totpAttemptSucceeded,
} from '../../core/auth/sign-in-throttle.ts';
import { matchTotp, newTotpSecret, totpUri } from '../../core/auth/totp.ts';
import { writeAudit } from '../../core/audit/audit.ts';
import { grantableRoles, ROLE_PERMISSIONS, type Role } from '../../core/auth/permissions.ts';
import { AUTH_AUDIT } from './auth.audit.ts';
import { auditScopeOf, findAccount, sessionMembershipOf } from './auth.repository.ts';
import type { OrganizationKind } from '../organizations/index.ts';

export interface Deps {
  db: Kysely<DB>;
  config: AppConfig;
  info: RequestInfo;
}

export async function login({ db, config, info }: Deps, email: string, password: string) {
  const keys = keysOf(email, info.ip);
  // the same statements, in the same order, for a known and an unknown address (status, body and timing alike)
  const account = await findAccount(db, email);
  const refusal = (outcome: 'failed' | 'denied', reason: string) => ({
    action: AUTH_AUDIT.authLogin,
    ...(account ? { entityType: 'user', entityId: account.id } : {}),
    outcome,
    details: { reason: account ? reason : 'unknown-user' },
  });
  const who = account ? auditScopeOf(account) : undefined;
  const verdict = await reservePasswordAttempt(db, config.login, keys);
  if (!verdict.allowed) {
    await writeAudit(db, null, info, refusal('denied', 'throttled'), who);
    throw tooMany('locked', verdict.retryAfterSeconds);
  }
  const passwordOk = await verifyPassword(account?.password_hash ?? (await dummyPasswordHash()), password);
  if (!account || !passwordOk || !account.active) {
    // the attempt stays counted: for an inactive account with the right password too, as for any other refusal
    await writeAudit(db, null, info, refusal('failed', passwordOk ? 'inactive' : 'password'), who);
    throw new AppError('invalid-credentials');
  }
  if (!account.membership_id) {
    await db.transaction().execute(async (trx) => {
      await passwordAttemptSucceeded(trx, config.login, keys);
      await writeAudit(trx, null, info, refusal('denied', 'no-membership'), who);
    });
    throw new AppError('no-membership');
  }
  return db.transaction().execute(async (trx) => {
    await passwordAttemptSucceeded(trx, config.login, keys);
    // with two factors the address is trusted only once the second step succeeds
    if (!account.totp_enabled) await signInCompleted(trx, keys);
    const session = await createSession(trx, config, account, sessionMembershipOf(account), account.totp_enabled);
    await writeAudit(
      trx,
      null,
      info,
      { action: account.totp_enabled ? 'auth.login.password' : 'auth.login', entityType: 'user', entityId: account.id },
      who,
    );
    return { session, twoFactorRequired: account.totp_enabled, mustChangePassword: account.must_change_password };
  });
}

/**
 * Second step: a valid, unused TOTP code turns the pending session into a new full one. Wrong codes count per
 * account from every address (whoever gets here knows the password); a right password does not reset the count.
 */
export async function completeTwoFactor({ db, config, info }: Deps, actor: Actor, code: string) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'totp_secret', 'must_change_password'])
    .where('id', '=', actor.userId!)
    .executeTakeFirstOrThrow();
  const account = accountKey(user.email);
  const verdict = await reserveTotpAttempt(db, config.login, account);
  if (!verdict.allowed) {
    await writeAudit(db, actor, info, {
      action: AUTH_AUDIT.authLoginTotp,
      entityType: 'user',
      entityId: user.id,
      outcome: 'denied',
      details: { reason: 'throttled' },
    });
    throw tooMany('locked', verdict.retryAfterSeconds);
  }
  const step = user.totp_secret ? matchTotp(user.totp_secret, code) : null;
  const result =
    step === null
      ? null
      : await db.transaction().execute(async (trx) => {
          // claiming the time step is one conditional update: of two sign-ins with the same code only one gets the row
          const claimed = await trx
            .updateTable('users')
            .set({ totp_last_step: step })
            .where('id', '=', user.id)
            .where((eb) =>
              eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', sql<string>`${step}::bigint`)]),
            )
            .returning('id')
            .executeTakeFirst();
          if (!claimed) return null;
          await totpAttemptSucceeded(trx, account);
          await signInCompleted(trx, keysOf(user.email, info.ip));
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
  // a wrong code, or one whose time step was already used (replay): it stays counted
  await writeAudit(db, actor, info, {
    action: AUTH_AUDIT.authLoginTotp,
    entityType: 'user',
    entityId: user.id,
    outcome: 'failed',
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
  forgetCachedSession(actor.session!.tokenHash);
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
  forgetCachedSession();
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
