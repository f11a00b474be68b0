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
  forgetCachedSession(tokenHash);
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/**
 * A short-lived cache of live sessions, so a request need not look its session up in a round trip of its own.
 * Only requests whose work runs in a tenant transaction use it (`sessionActor(..., { cached: true })`): that
 * transaction's first statement checks the session again in the database (SESSION_CONTEXT, migration 035), so a
 * revocation anywhere takes effect at once and a stale entry can only lead to a 401, never to a read. Entries live
 * SESSION_CACHE_MS, well under the minute after which a lookup refreshes the session's idle clock.
 */
const SESSION_CACHE_MS = 10_000;
const SESSION_CACHE_MAX = 10_000;
const sessionCache = new Map<string, { actor: Actor; until: number }>();

/** Drops one session from the cache, or all of them (after anything that ends or changes sessions). */
export function forgetCachedSession(tokenHash?: string | null) {
  if (tokenHash) sessionCache.delete(tokenHash);
  else if (tokenHash === undefined) sessionCache.clear();
}

/**
 * Finds a live session (idle and absolute limits), refreshing its idle clock at most once a minute. With
 * `cached`, a session found in the last SESSION_CACHE_MS is taken from the cache (see there for why that is safe).
 */
export async function sessionActor(
  db: Kysely<DB>,
  config: AppConfig,
  token: string,
  options: { cached?: boolean } = {},
): Promise<Actor | null> {
  const tokenHash = sha256(token);
  if (options.cached) {
    const hit = sessionCache.get(tokenHash);
    if (hit && hit.until > Date.now()) return hit.actor;
  }
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
  const actor: Actor = {
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
  // a session in passing (second factor owed, password to change) is looked up every time: it is about to change
  if (row.pending_two_factor || row.must_change_password) return actor;
  if (sessionCache.size >= SESSION_CACHE_MAX) sessionCache.clear();
  sessionCache.set(tokenHash, { actor, until: Date.now() + SESSION_CACHE_MS });
  return actor;
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
