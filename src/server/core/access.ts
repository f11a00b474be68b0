import type { Tx } from './db/tenant.ts';
import { notFound } from './http/errors.ts';
import { RECORD_KINDS, type RecordKind } from './audit/foreign-attempts.ts';

/**
 * Access checks beyond the route permission, set-based in the manner of Immich's `requireAccess`: "which of these
 * ids may this actor touch", one query for many ids. A record of another organisation is simply not found
 * (404, never 403), so its existence is not revealed. RLS applies the same rule underneath. An id that is refused
 * is remembered on the unit of work: if the request ends in a refusal, the record's owner (if it exists) sees the
 * attempt in its audit trail (core/audit/foreign-attempts.ts); the caller learns nothing more.
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
  group: 'groups',
  'group-session': 'group_sessions',
  facility: 'facilities',
  'facility-case': 'facility_cases',
} as const;

const isRecordKind = (kind: string): kind is RecordKind => (RECORD_KINDS as readonly string[]).includes(kind);
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
  const found = new Set(rows.map((r) => r.id));
  for (const id of unique) if (!found.has(id) && isRecordKind(resource)) refuseRecord(tx, resource, id);
  return found;
}

/**
 * Notes that this unit of work was refused a record it asked for by id (not its organisation's, or none at all),
 * for a lookup that does not go through `accessibleIds`. Says nothing to the caller.
 */
export function refuseRecord(tx: Tx, kind: RecordKind, id: string): void {
  tx.refusedRecords.push({ kind, id });
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
