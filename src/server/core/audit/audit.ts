import pg from 'pg';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Actor, RequestInfo } from '../auth/actor.ts';

export const AUDIT_OUTCOMES = ['success', 'denied', 'not-found', 'invalid', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEntry {
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  outcome?: AuditOutcome;
  /** Identifiers and counts only: never names, free text or search terms. */
  details?: Record<string, string | number | boolean | null>;
}

function auditValues(
  actor: Actor | null,
  info: RequestInfo,
  entry: AuditEntry,
  who?: { userId?: string | null; organizationId?: string | null; networkId?: string | null },
) {
  return {
    actor_user_id: actor?.userId ?? who?.userId ?? null,
    actor_token_id: actor?.tokenId ?? null,
    organization_id: actor ? actor.organizationId : (who?.organizationId ?? null),
    network_id: actor ? actor.networkId : (who?.networkId ?? null),
    role: actor?.role ?? (actor?.kind === 'token' ? 'api-token' : null),
    action: entry.action,
    entity_type: entry.entityType ?? null,
    entity_id: entry.entityId ?? null,
    outcome: entry.outcome ?? 'success',
    ip: info.ip,
    user_agent: info.userAgent?.slice(0, 400) ?? null,
    request_id: info.requestId,
    details: entry.details ? JSON.stringify(entry.details) : null,
  };
}

const AUDIT_COLUMNS = [
  'actor_user_id',
  'actor_token_id',
  'organization_id',
  'network_id',
  'role',
  'action',
  'entity_type',
  'entity_id',
  'outcome',
  'ip',
  'user_agent',
  'request_id',
  'details',
] as const;

/**
 * The audit rows of a unit of work as one INSERT with escaped literals, so it can travel in the same
 * simple-protocol message as the COMMIT (one round trip instead of two). Values are escaped by pg's escapeLiteral.
 */
export function auditInsertScript(actor: Actor, info: RequestInfo, entries: AuditEntry[]): string {
  const tuples = auditRows(actor, info, entries).map(
    (row) => `(${row.map((v) => (v === null ? 'null' : pg.escapeLiteral(v))).join(', ')})`,
  );
  return `insert into audit_log (${AUDIT_COLUMNS.join(', ')}) values ${tuples.join(', ')}`;
}

/** One audit row as its values in AUDIT_COLUMNS order (null, or the text PostgreSQL casts to the column's type). */
export type AuditRow = (string | null)[];

/** The audit rows of a unit of work, for the batcher (AUDIT_BATCH_INSERT) or, escaped, auditInsertScript. */
export function auditRows(actor: Actor, info: RequestInfo, entries: AuditEntry[]): AuditRow[] {
  return entries.map((entry) => {
    const values = auditValues(actor, info, entry);
    return AUDIT_COLUMNS.map((c) => values[c]);
  });
}

const AUDIT_COLUMN_TYPES: Record<(typeof AUDIT_COLUMNS)[number], string> = {
  actor_user_id: 'uuid',
  actor_token_id: 'uuid',
  organization_id: 'uuid',
  network_id: 'uuid',
  role: 'text',
  action: 'text',
  entity_type: 'text',
  entity_id: 'text',
  outcome: 'text',
  ip: 'text',
  user_agent: 'text',
  request_id: 'text',
  details: 'jsonb',
};

/**
 * Any number of audit rows as one statement with one array parameter per column: the same text for every batch, so
 * the pool prepares it once per connection (a literal INSERT is parsed and planned for every batch). One unnest per
 * column in the select list (the arrays have one length, so they run in step): no function scan materialising the
 * rows first, a third less time than `select * from unnest(…)` for a batch of 20 rows (measured on PostgreSQL 15).
 */
export const AUDIT_BATCH_INSERT = `insert into audit_log (${AUDIT_COLUMNS.join(', ')}) select ${AUDIT_COLUMNS.map(
  (c, i) => `unnest($${i + 1}::${AUDIT_COLUMN_TYPES[c]}[])`,
).join(', ')}`;

/** The parameters of AUDIT_BATCH_INSERT: the rows' values column by column. */
export function auditBatchParameters(rows: readonly AuditRow[]): (string | null)[][] {
  return AUDIT_COLUMNS.map((_, column) => rows.map((row) => row[column] ?? null));
}

export async function writeAudit(
  db: Kysely<DB>,
  actor: Actor | null,
  info: RequestInfo,
  entry: AuditEntry,
  who?: { userId?: string | null; organizationId?: string | null; networkId?: string | null },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values(auditValues(actor, info, entry, who))
    .execute();
}
