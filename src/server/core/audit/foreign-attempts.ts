import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/**
 * Owners see attempts: when a request of one organisation is refused a person's record of another, the owner gets
 * a row in its own audit trail (organisation and role of the caller, when), written by the SECURITY DEFINER function
 * kl_record_foreign_attempt (migration 011, replaced by 022), which looks the owner up where the caller cannot and tells it nothing.
 * The caller's answer stays the 404 of a record that does not exist.
 */

/** The records whose owners are told (the kinds the function knows; trajectory since migration 022). */
export const RECORD_KINDS = [
  'client',
  'help-request',
  'consent',
  'screening',
  'safety-signal',
  'referral',
  'trajectory',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** One record a request asked for by id. */
export interface RecordRef {
  kind: RecordKind;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An action code as the function accepts it (`client.read`); routes without an audit action are left out. */
const ACTION = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
/** Bounds the work of one refusal (a request names a handful of records). */
const MAX_RECORDS = 20;

/** Records a unit of work was refused, carried from its rolled-back transaction to the refusal audit. */
const refusedRecords = new WeakMap<object, RecordRef[]>();

/** Remembers with an error which records its unit of work was refused (inTenant does this on rollback). */
export function attachRefusedRecords(error: unknown, refs: readonly RecordRef[]): void {
  if (!refs.length || typeof error !== 'object' || error === null) return;
  refusedRecords.set(error, [...(refusedRecords.get(error) ?? []), ...refs]);
}

/** The records an error's unit of work was refused. */
export function refusedRecordsOf(error: unknown): RecordRef[] {
  return typeof error === 'object' && error !== null ? (refusedRecords.get(error) ?? []) : [];
}

/**
 * Tells the owners of these records, if they exist and are not the caller's, of the refused attempt: one statement
 * in the caller's refusal transaction (its tenant context says who tried). Only valid ids, once each.
 */
export async function recordForeignAttempts(
  db: Kysely<DB>,
  refs: readonly RecordRef[],
  attempt: { action: string; outcome: 'denied' | 'not-found' | 'invalid'; requestId: string },
): Promise<void> {
  if (!ACTION.test(attempt.action) || attempt.action.length > 80) return;
  const seen = new Set<string>();
  const valid = refs.filter((ref) => {
    const key = `${ref.kind}:${ref.id.toLowerCase()}`;
    if (!UUID.test(ref.id) || !(RECORD_KINDS as readonly string[]).includes(ref.kind) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (!valid.length) return;
  const requestId = REQUEST_ID.test(attempt.requestId) ? attempt.requestId : null;
  const records = sql.join(valid.slice(0, MAX_RECORDS).map((ref) => sql`(${ref.kind}::text, ${ref.id}::uuid)`));
  await sql`select kl_record_foreign_attempt(r.kind, r.id, ${attempt.action}, ${attempt.outcome}, ${requestId})
            from (values ${records}) as r(kind, id)`.execute(db);
}
