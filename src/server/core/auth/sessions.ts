import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { AppConfig } from '../config.ts';
import type { Actor } from './actor.ts';
import { ROLE_PERMISSIONS, type Permission, type Role } from './permissions.ts';
import { randomToken, sha256 } from './passwords.ts';

export const SESSION_COOKIE = 'kl_session';

export interface SessionMembership {
  id: string;
  organization_id: string | null;
  network_id: string;
  role: string;
}

export async function createSession(
  db: Kysely<DB>,
  config: AppConfig,
  user: { id: string; must_change_password: boolean },
  membership: SessionMembership,
  pendingTwoFactor: boolean,
) {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(Date.now() + config.session.absoluteHours * 3600_000);
  await db
    .insertInto('sessions')
    .values({
      token_hash: sha256(token),
      user_id: user.id,
      membership_id: membership.id,
      organization_id: membership.organization_id,
      network_id: membership.network_id,
      role: membership.role,
      must_change_password: user.must_change_password,
      csrf_token: csrfToken,
      pending_two_factor: pendingTwoFactor,
      expires_at: expiresAt,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function destroySession(db: Kysely<DB>, tokenHash: string) {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Finds a live session (idle and absolute limits), refreshing its idle clock at most once a minute. */
export async function sessionActor(db: Kysely<DB>, config: AppConfig, token: string): Promise<Actor | null> {
  const tokenHash = sha256(token);
  // one primary-key lookup: deactivating a user, an organisation or a membership deletes its sessions
  const row = await db
    .selectFrom('sessions')
    .select([
      'user_id',
      'membership_id',
      'organization_id',
      'network_id',
      'role',
      'csrf_token',
      'pending_two_factor',
      'must_change_password',
      sql<boolean>`last_seen_at < now() - interval '1 minute'`.as('stale'),
    ])
    .where('token_hash', '=', tokenHash)
    .where(sql<boolean>`expires_at > now()`)
    .where(sql<boolean>`last_seen_at > now() - make_interval(mins => ${config.session.idleMinutes})`)
    .executeTakeFirst();
  if (!row) return null;
  if (row.stale)
    await db
      .updateTable('sessions')
      .set({ last_seen_at: sql`now()` })
      .where('token_hash', '=', tokenHash)
      .execute();
  const role = row.role as Role;
  return {
    kind: 'user',
    userId: row.user_id,
    tokenId: null,
    membershipId: row.membership_id,
    organizationId: row.organization_id,
    networkId: row.network_id,
    role,
    permissions: new Set<Permission>(ROLE_PERMISSIONS[role]),
    session: {
      tokenHash,
      csrfToken: row.csrf_token,
      pendingTwoFactor: row.pending_two_factor,
      mustChangePassword: row.must_change_password,
    },
  };
}

export const API_TOKEN_PREFIX = 'kl_';

/** A partner system's bearer token: bound to one organisation and a set of permissions. */
export async function tokenActor(db: Kysely<DB>, token: string): Promise<Actor | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('organizations as o', 'o.id', 't.organization_id')
    .select([
      't.id',
      't.organization_id',
      't.permissions',
      'o.network_id',
      sql<boolean>`t.last_used_at is null or t.last_used_at < now() - interval '1 minute'`.as('stale'),
    ])
    .where('t.token_hash', '=', sha256(token))
    .where('t.revoked_at', 'is', null)
    .where('o.active', '=', true)
    .executeTakeFirst();
  if (!row) return null;
  if (row.stale)
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: sql`now()` })
      .where('id', '=', row.id)
      .execute();
  return {
    kind: 'token',
    userId: null,
    tokenId: row.id,
    membershipId: null,
    organizationId: row.organization_id,
    networkId: row.network_id,
    role: null,
    permissions: new Set(row.permissions as Permission[]),
    session: null,
  };
}
