import type { Permission, Role } from './permissions.ts';

/** Who is asking: a signed-in user in one membership, or a partner system with an API token. */
export interface Actor {
  kind: 'user' | 'token';
  userId: string | null;
  tokenId: string | null;
  membershipId: string | null;
  organizationId: string | null;
  networkId: string;
  role: Role | null;
  permissions: ReadonlySet<Permission>;
  session: { tokenHash: string; csrfToken: string; pendingTwoFactor: boolean; mustChangePassword: boolean } | null;
}

/** What the audit trail records of a request besides the actor. */
export interface RequestInfo {
  ip: string;
  userAgent: string | null;
  requestId: string;
}
