import { sql, type Kysely } from 'kysely';
import type { DB } from '../../core/db/schema.ts';
import { normalizeEmail } from '../../core/auth/sign-in-throttle.ts';

/** An account as sign-in and password recovery see it: the user, its first active membership, its audit scope. */
export interface Account {
  id: string;
  email: string;
  password_hash: string;
  active: boolean;
  totp_enabled: boolean;
  must_change_password: boolean;
  language: string;
  membership_id: string | null;
  organization_id: string | null;
  network_id: string | null;
  role: string | null;
  /** the network of the first active membership, else of the most recent one (where its admins see refusals) */
  audit_network_id: string | null;
}

/**
 * The account behind an e-mail address, in one statement whether it exists or not, so that an unknown address
 * costs the same round trips as a known one. The first active membership (of an active organisation, or a network
 * role) is the one a session starts with.
 */
export async function findAccount(db: Kysely<DB>, email: string): Promise<Account | undefined> {
  const result = await sql<Account>`
    select u.id, u.email, u.password_hash, u.active, u.totp_enabled, u.must_change_password, u.language,
      m.id as membership_id, m.organization_id, m.network_id, m.role,
      coalesce(m.network_id, last.network_id) as audit_network_id
    from users u
    left join lateral (
      select m.id, m.organization_id, m.network_id, m.role
      from memberships m left join organizations o on o.id = m.organization_id
      where m.user_id = u.id and m.active and (o.id is null or o.active)
      order by m.created_at, m.id
      limit 1) m on true
    left join lateral (
      select network_id from memberships where user_id = u.id order by created_at desc, id desc limit 1) last on true
    where lower(u.email) = ${normalizeEmail(email)}`.execute(db);
  return result.rows[0];
}

/**
 * Where a sign-in event of this account belongs in the audit trail: its first active membership (network roles:
 * the network), else the most recent membership's network, so the admins who can act on the account see it.
 */
export function auditScopeOf(account: Account) {
  return {
    userId: account.id,
    organizationId: account.membership_id ? account.organization_id : null,
    networkId: account.audit_network_id,
  };
}

/** The membership a session of this account starts with (the account has one). */
export function sessionMembershipOf(account: Account) {
  return {
    id: account.membership_id!,
    organization_id: account.organization_id,
    network_id: account.network_id!,
    role: account.role!,
  };
}
