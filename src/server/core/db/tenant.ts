import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';
import { APP_ROLE } from './database.ts';
import type { Actor, RequestInfo } from '../auth/actor.ts';
import { auditInsertScript, type AuditEntry } from '../audit/audit.ts';
import { attachRefusedRecords, type RecordRef } from '../audit/foreign-attempts.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function contextValue(value: string | null): string {
  if (value === null) return '';
  if (!UUID.test(value)) throw new Error('tenant context must be a uuid');
  return value;
}

function roleValue(role: string | null): string {
  if (role === null) return '';
  if (!/^[a-z-]{2,40}$/.test(role)) throw new Error('tenant context role is malformed');
  return role;
}

/** One unit of work for one actor: a transaction whose organisation and user row-level security sees. */
export interface Tx {
  db: Kysely<DB>;
  actor: Actor;
  /** Records an audit row; it is inserted in this transaction, just before COMMIT (or not at all on rollback). */
  audit(entry: AuditEntry): Promise<void>;
  /**
   * Records of other organisations (or none) this unit of work asked for and was refused (core/access.ts adds them).
   * If the work then fails with a refusal, the refusal audit tells their owners (core/audit/foreign-attempts.ts).
   */
  refusedRecords: RecordRef[];
}

/**
 * Runs `work` in a transaction that carries the actor's organisation, network and user for RLS.
 * The values are uuids checked above, so the one-round-trip simple-protocol script is safe.
 */
export async function inTenant<T>(
  db: Kysely<DB>,
  actor: Actor,
  info: RequestInfo,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const script =
    // SET LOCAL ROLE again per transaction: fails closed even if a pooled connection lost its session role
    `begin; set local role ${APP_ROLE}; select set_config('app.org_id', '${contextValue(actor.organizationId)}', true),` +
    ` set_config('app.network_id', '${contextValue(actor.networkId)}', true),` +
    ` set_config('app.user_id', '${contextValue(actor.userId)}', true),` +
    ` set_config('app.role', '${roleValue(actor.role)}', true)`;
  return db.connection().execute(async (conn) => {
    const refusedRecords: RecordRef[] = [];
    try {
      await sql.raw(script).execute(conn);
      const entries: AuditEntry[] = [];
      const tx: Tx = { db: conn, actor, audit: async (entry) => void entries.push(entry), refusedRecords };
      const result = await work(tx);
      // the audit rows travel with the COMMIT; if the insert fails, the commit is skipped and we roll back
      await sql.raw(entries.length ? `${auditInsertScript(actor, info, entries)}; commit` : 'commit').execute(conn);
      return result;
    } catch (error) {
      await sql
        .raw('rollback')
        .execute(conn)
        .catch(() => undefined);
      attachRefusedRecords(error, refusedRecords);
      throw error;
    }
  });
}
