import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';
import { APP_ROLE, DEFERRED_COMMIT, isPipelined, TENANT_ROLLBACK } from './database.ts';
import type { Actor, RequestInfo } from '../auth/actor.ts';
import { auditInsertScript, auditRows, type AuditEntry } from '../audit/audit.ts';
import { auditBatcher } from '../audit/audit-batcher.ts';
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

export interface TenantOptions {
  /**
   * A read: the transaction is READ ONLY (a write in it fails loudly) and its audit rows are not inserted with its
   * COMMIT but handed to the audit batcher, which inserts the rows of concurrent reads in one statement; the result
   * is returned only once that insert has committed, so no answer leaves without its audit row.
   */
  readOnly?: boolean;
  /**
   * The session the actor came from (a request). The transaction's first round trip checks in the database that it
   * is still live and still says what the actor says (SESSION_CONTEXT, migration 035) before the context is set,
   * so a session revoked anywhere ends at once even when the request's actor came from the session cache.
   */
  session?: { tokenHash: string; idleMinutes: number };
}

const TOKEN_HASH = /^[0-9a-f]{64}$/;

/**
 * The request context, checked against the session (migration 035): if the session is still live (not deleted,
 * expired or idle past $2 minutes) and still says the user, organisation, network, role and state the request was
 * authorised with, the context is set; otherwise kl_session_ended() raises 28000 and nothing is set. CASE evaluates
 * its branches lazily and set_config is volatile, so neither branch runs before the check has answered.
 * The role is set again per transaction (SET LOCAL ROLE, as set_config): fails closed even if a pooled connection
 * lost its session role.
 */
const SESSION_CONTEXT =
  `select pg_catalog.set_config('role', '${APP_ROLE}', true), case when exists (` +
  `select from public.sessions s where s.token_hash = $1 and s.expires_at > pg_catalog.now()` +
  ` and s.last_seen_at > pg_catalog.now() - pg_catalog.make_interval(mins => $2::integer)` +
  ` and s.user_id::text = $3 and coalesce(s.organization_id::text, '') = $4 and s.network_id::text = $5` +
  ` and s.role = $6 and s.pending_two_factor = $7::boolean and s.must_change_password = $8::boolean)` +
  ` then pg_catalog.concat(pg_catalog.set_config('app.org_id', $4, true), pg_catalog.set_config('app.network_id', $5, true),` +
  ` pg_catalog.set_config('app.user_id', $3, true), pg_catalog.set_config('app.role', $6, true))` +
  ` else public.kl_session_ended() end`;

/**
 * A read's context statement also makes its transaction READ ONLY: on the application pool a read has no BEGIN READ
 * ONLY while it is one statement (core/db/database.ts openRead), and a write behind the context must still fail.
 */
const readOnly = (context: string) =>
  context.replace(/^select /, `select pg_catalog.set_config('transaction_read_only', 'on', true), `);

/** The context of work that did not come with a session (jobs, the system): set as it is. */
const PLAIN_CONTEXT =
  `select pg_catalog.set_config('role', '${APP_ROLE}', true), pg_catalog.set_config('app.org_id', $1, true),` +
  ` pg_catalog.set_config('app.network_id', $2, true), pg_catalog.set_config('app.user_id', $3, true),` +
  ` pg_catalog.set_config('app.role', $4, true)`;

export const SESSION_READ_CONTEXT = readOnly(SESSION_CONTEXT);
export const PLAIN_READ_CONTEXT = readOnly(PLAIN_CONTEXT);

/**
 * The statements that open the transaction and set the RLS context, in one round trip. With `parameters` (the
 * application pool on PostgreSQL) the context statement takes its values as parameters: the client prepares it once
 * and writes both in front of the work's first statement (core/db/database.ts). Without, one simple-protocol script
 * with the values inline (PGlite, the reporting pool); they are uuids, hashes and numbers checked here, so that is
 * safe.
 */
function openingStatement(actor: Actor, options: TenantOptions, parameters: boolean): CompiledQuery {
  const begin = `${options.readOnly ? 'begin read only' : 'begin'}; `;
  const session = options.session;
  let values: (string | number | boolean)[];
  let context: string;
  if (session && actor.session) {
    if (!TOKEN_HASH.test(session.tokenHash) || !Number.isInteger(session.idleMinutes))
      throw new Error('tenant session is malformed');
    values = [
      session.tokenHash,
      session.idleMinutes,
      contextValue(actor.userId),
      contextValue(actor.organizationId),
      contextValue(actor.networkId),
      roleValue(actor.role),
      actor.session.pendingTwoFactor,
      actor.session.mustChangePassword,
    ];
    context = options.readOnly ? SESSION_READ_CONTEXT : SESSION_CONTEXT;
  } else {
    values = [
      contextValue(actor.organizationId),
      contextValue(actor.networkId),
      contextValue(actor.userId),
      roleValue(actor.role),
    ];
    context = options.readOnly ? PLAIN_READ_CONTEXT : PLAIN_CONTEXT;
  }
  if (parameters) return CompiledQuery.raw(begin + context, values);
  const inline = (value: string | number | boolean) => (typeof value === 'string' ? `'${value}'` : String(value));
  return CompiledQuery.raw(begin + context.replace(/\$(\d+)/g, (_, i: string) => inline(values[Number(i) - 1]!)));
}

/** Runs `work` in a transaction that carries the actor's organisation, network and user for RLS. */
export async function inTenant<T>(
  db: Kysely<DB>,
  actor: Actor,
  info: RequestInfo,
  work: (tx: Tx) => Promise<T>,
  options: TenantOptions = {},
): Promise<T> {
  const pipelined = isPipelined(db);
  const openingQuery = openingStatement(actor, options, pipelined);
  const entries: AuditEntry[] = [];
  const batcher = auditBatcher(db);
  const { result, audited } = await db.connection().execute(async (conn) => {
    const refusedRecords: RecordRef[] = [];
    // On a pipelined connection the opening is not awaited: the client writes it in front of the work's first
    // statement, under one Sync, saving a round trip. That stays fail-closed: if the session check raises, PostgreSQL
    // skips everything behind it and the statement fails with the check's error, without having run; the opening's
    // own error is what the request reports, and nothing is returned or committed before it is known to have succeeded.
    // Sent on the connection itself, not through `conn`: Kysely runs the statements of one connection one after
    // another, so the work's first statement would wait for the opening's answer instead of following it.
    const executor = conn.getExecutor();
    const connection = pipelined ? await executor.provideConnection(async (c) => c) : null;
    const opening = connection
      ? executor.withConnectionProvider({ provideConnection: (use) => use(connection) }).executeQuery(openingQuery)
      : conn.executeQuery(openingQuery);
    const openingError = opening.then(
      () => null,
      (error: unknown) => ({ error }),
    );
    try {
      if (!pipelined) await opening;
      const tx: Tx = { db: conn, actor, audit: async (entry) => void entries.push(entry), refusedRecords };
      const result = await work(tx);
      await opening;
      if (options.readOnly && batcher.ownConnections) {
        // a read-only transaction wrote nothing: its COMMIT leaves with the connection's next statement, and a read of
        // one statement has none at all (core/db/database.ts openRead); its audit rows go to the batcher's own
        // connection once this one is free
        // (without own connections — PGlite, one session — the insert must wait until this one is released)
        await sql.raw(DEFERRED_COMMIT).execute(conn);
        return { result, audited: false };
      }
      // a write's audit rows travel with its COMMIT; if the insert fails, the commit is skipped and we roll back
      const withCommit = entries.length && !options.readOnly ? `${auditInsertScript(actor, info, entries)}; ` : '';
      await sql.raw(`${withCommit}commit`).execute(conn);
      return { result, audited: !options.readOnly };
    } catch (caught) {
      // a failed session check explains every failure behind it (401, not the 25P02 of the statement that followed)
      const error = (await openingError)?.error ?? caught;
      await sql
        .raw(TENANT_ROLLBACK)
        .execute(conn)
        .catch(() => undefined);
      attachRefusedRecords(error, refusedRecords);
      throw error;
    }
  });
  // a read's audit rows: committed (with those of concurrent reads) before the answer may leave
  if (!audited && entries.length) await batcher.write(auditRows(actor, info, entries));
  return result;
}
