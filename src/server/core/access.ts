import type { Tx } from './db/tenant.ts';
import { notFound } from './http/errors.ts';

/**
 * Access checks beyond the route permission, set-based in the manner of Immich's `requireAccess`: "which of these
 * ids may this actor touch", one query for many ids. A record of another organisation is simply not found
 * (404, never 403), so its existence is not revealed. RLS applies the same rule underneath.
 */

/** The actor's organisation; a query that needs one and has none fails closed. */
export function ownOrganization(tx: Tx): string {
  const organizationId = tx.actor.organizationId;
  if (!organizationId) throw new Error('this query needs an organisation context');
  return organizationId;
}

/** Records that belong to one organisation, by the name an access check uses. */
const OWNED_TABLES = {
  client: 'clients',
  'help-request': 'help_requests',
  consent: 'consents',
  trajectory: 'trajectories',
} as const;
export type OwnedResource = keyof typeof OWNED_TABLES;

/** Which of `ids` are records of the actor's organisation (one query). */
export async function accessibleIds(tx: Tx, resource: OwnedResource, ids: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Set();
  const rows = await tx.db
    .selectFrom(OWNED_TABLES[resource])
    .select('id')
    .where('id', 'in', unique)
    .where('organization_id', '=', ownOrganization(tx))
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Whether one record is the actor's organisation's. */
export async function hasAccess(tx: Tx, resource: OwnedResource, id: string): Promise<boolean> {
  return (await accessibleIds(tx, resource, [id])).has(id);
}

/** Every id must be the actor's organisation's, else 404 for the whole request. */
export async function requireAccess(tx: Tx, resource: OwnedResource, ids: string | readonly string[]): Promise<void> {
  const wanted = typeof ids === 'string' ? [ids] : ids;
  const allowed = await accessibleIds(tx, resource, wanted);
  if (wanted.some((id) => !allowed.has(id))) throw notFound();
}
