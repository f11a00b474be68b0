import { useAuditConnections } from '../audit/audit-batcher.ts';
import fs from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { DB } from './schema.ts';
import { isStaleStatementError, PreparedStatements } from './prepared.ts';

export const APP_ROLE = 'kortelijn_app';

/**
 * Handles whose connections pipeline (pg's `pipeline`: a statement is written without waiting for the answer to the
 * one before it). inTenant then writes a transaction's opening script and its first statement back to back.
 */
const pipelinedHandles = new WeakSet<Kysely<DB>>();

export function isPipelined(db: Kysely<DB>): boolean {
  return pipelinedHandles.has(db);
}

/**
 * Two handles on one database: `app` runs every statement as the role that row-level security binds;
 * `owner` is for migrations, seeding and maintenance only.
 */
export interface Database {
  kind: 'postgres' | 'pglite';
  app: Kysely<DB>;
  owner: Kysely<DB>;
  /**
   * Reports read here: a pool of its own on `REPORTING_DATABASE_URL` (a read replica) or, without it, `app`.
   * Same role and RLS as `app`; reports run read-only transactions on it (features/reports).
   */
  reporting: Kysely<DB>;
  /** Whether `reporting` is a pool of its own. */
  reportingSeparate: boolean;
  /** What the pool sees now, for readiness and operators. */
  poolState(): { total: number; idle: number; waiting: number } | null;
  /** Called for every connection-level error (lost, refused, timed out); never for a query's own error. */
  onConnectionError(listener: (error: Error) => void): void;
  close(): Promise<void>;
  /** PGlite only: the data folder as a gzipped tarball (a consistent copy, taken while no statement runs). */
  dumpDataDir?(): Promise<Blob>;
}

/** Bounds so that no request waits forever on a database that hangs or is gone. */
export interface DatabaseTimeouts {
  /** Opening a connection (TCP + TLS + startup); a checkout waiting for a free connection too. */
  connectMs: number;
  /** Server side: a statement that runs longer is cancelled (and its transaction rolled back). */
  statementMs: number;
  /** Client side: no answer at all in this time means the connection hangs; it is destroyed. */
  queryMs: number;
  /** A transaction left idle (a bug, or a client that vanished) is ended by the server. */
  idleInTransactionMs: number;
}

export const DEFAULT_TIMEOUTS: DatabaseTimeouts = {
  connectMs: 5_000,
  statementMs: 20_000,
  queryMs: 25_000,
  idleInTransactionMs: 60_000,
};

// Dates stay 'YYYY-MM-DD' strings (no time-zone shifts); int8 and numeric stay strings (no precision loss).
const keepText = (value: string) => value;
pg.types.setTypeParser(1082, keepText);

export async function createDatabase(opts: {
  databaseUrl?: string | undefined;
  dataDir?: string;
  poolSize?: number;
  timeouts?: Partial<DatabaseTimeouts>;
  /** PGlite only: start from this tarball (made by dumpDataDir) instead of an empty database; dataDir must be empty. */
  loadDataDir?: Blob;
  /** A PostgreSQL (replica) for reports; without it reports read through the application pool. */
  reportingUrl?: string | undefined;
}): Promise<Database> {
  if (opts.databaseUrl) {
    const timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
    return createPostgres(opts.databaseUrl, opts.poolSize ?? 20, timeouts, opts.reportingUrl);
  }
  return createPglite(opts.dataDir, opts.loadDataDir);
}

const QUERY_READ_TIMEOUT = 'Query read timeout';

/**
 * How core/db/tenant.ts ends a read-only transaction on the application pool: the client writes the COMMIT in front
 * of the next statement it sends (one write and one round trip less per read), or on its own when it goes idle.
 * Sent anywhere else it is a plain COMMIT.
 */
export const DEFERRED_COMMIT = 'commit /* deferred */';

/** The opening script of a tenant transaction (core/db/tenant.ts beginScript). */
const OPENING_SCRIPT = /^begin(?: read only)?; set local role /;

type PreparingClient = InstanceType<ReturnType<typeof guardedClient>>;

/**
 * A pg client that never crashes the process: an 'error' event (the server ended the connection, a restart,
 * a failover) is handled whether the client is idle in the pool or checked out by a request — pg-pool
 * listens only while it is idle, and an unhandled 'error' event ends Node. A client whose query got no answer
 * in time is destroyed, so that the pool drops it instead of lending a connection that still waits.
 *
 * With `prepare`, a query with parameters (all of Kysely's) runs as a named prepared statement
 * (core/db/prepared.ts): parsed once per connection, planned once when PostgreSQL settles on a generic plan.
 */
function guardedClient(onError: (error: Error) => void, options: { prepare: boolean }) {
  return class GuardedClient extends pg.Client {
    readonly statements = options.prepare ? new PreparedStatements() : null;
    /** The socket is corked: a tenant transaction's opening script waits to be written with the statement behind it. */
    private holding = false;
    /** A read-only transaction ended (DEFERRED_COMMIT) whose COMMIT is not written yet. */
    private pendingCommit = false;

    constructor(config?: pg.ClientConfig) {
      super(config);
      this.on('error', onError);
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's query has a dozen overloads
    override query(...args: any[]): any {
      const statements = this.statements;
      let named = false;
      if (statements && args.length === 2 && typeof args[0] === 'string' && Array.isArray(args[1])) {
        const name = statements.nameFor(args[0], args[1].length);
        if (name) {
          args = [{ name, text: args[0], values: args[1] }];
          named = true;
        }
      }
      if (options.prepare && args[0] === DEFERRED_COMMIT) {
        // a read-only transaction's work is done: its COMMIT leaves with whatever this client sends next
        this.pendingCommit = true;
        return Promise.resolve({ command: 'COMMIT', rowCount: null, rows: [] });
      }
      const opening = options.prepare && typeof args[0] === 'string' && OPENING_SCRIPT.test(args[0]);
      if (opening && this.pendingCommit) {
        // the COMMIT of the read before as the first statement of the opening script: one message, not two
        this.pendingCommit = false;
        args = [`commit; ${args[0] as string}`, ...(args.slice(1) as unknown[])];
      }
      if (opening || this.pendingCommit) this.holdWrites();
      // before anything else this client sends, so that nothing ever runs in the transaction of the one before
      this.sendPendingCommit();
      // eslint-disable-next-line @typescript-eslint/no-unsafe-argument
      const result = (super.query as (...a: unknown[]) => unknown)(...args);
      if (!opening) this.releaseWrites();
      if (result instanceof Promise) {
        result.catch((error: Error) => {
          if (named && isStaleStatementError(error)) statements?.markStale();
          if (error?.message === QUERY_READ_TIMEOUT) {
            onError(error);
            (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
          }
        });
      }
      return result;
    }

    /**
     * A pipelined tenant transaction writes its opening script and, without waiting, its first statement: corked,
     * both leave in one write (one syscall here, one wake-up of the server), not two. The statement's own query call
     * uncorks; if none follows in this turn of the event loop, setImmediate does, so nothing waits longer.
     */
    private holdWrites() {
      const stream = (this as unknown as { connection?: { stream?: { cork?(): void } } }).connection?.stream;
      if (this.holding || !stream?.cork) return;
      stream.cork();
      this.holding = true;
      setImmediate(() => this.releaseWrites());
    }

    private releaseWrites() {
      if (!this.holding) return;
      this.holding = false;
      (this as unknown as { connection: { stream: { uncork(): void } } }).connection.stream.uncork();
    }

    /**
     * The COMMIT of a read-only transaction whose work is done (DEFERRED_COMMIT), written in front of the next
     * statement. A read-only COMMIT writes nothing and its answer was already sent, so it need not be waited for;
     * if it fails, the connection is in doubt and is destroyed (the pool drops it; what follows on it fails).
     */
    private sendPendingCommit() {
      if (!this.pendingCommit) return;
      this.pendingCommit = false;
      (super.query as (text: string) => Promise<unknown>)('commit').catch(() => {
        (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      });
    }

    /**
     * Called when the pool takes the client back. A pending COMMIT goes with the next borrower's first statement,
     * or, if none comes in this turn of the event loop, on its own: an idle connection holds no transaction.
     * If its names must be reset and it is idle outside a transaction, `DEALLOCATE ALL` is queued now — before
     * whatever the next borrower sends — and pg forgets its names with it.
     */
    released() {
      if (this.statements?.needsReset && (this.pendingCommit || this.getTransactionStatus() === 'I')) {
        this.sendPendingCommit();
        this.resetStatements();
      } else if (this.pendingCommit) setImmediate(() => this.sendPendingCommit());
    }

    private resetStatements() {
      if (!this.statements) return;
      const connection = (this as unknown as { connection: { parsedStatements: Record<string, string> } }).connection;
      connection.parsedStatements = {};
      this.statements.resetDone();
      (super.query as (text: string) => Promise<unknown>)('deallocate all').catch((error: unknown) => {
        // the connection is broken (the pool drops it) or the reset failed: never reuse names on it blindly
        this.statements?.markStale();
        onError(error as Error);
      });
    }
  };
}

function createPostgres(
  url: string,
  poolSize: number,
  timeouts: DatabaseTimeouts,
  reportingUrl: string | undefined,
): Database {
  const listeners: ((error: Error) => void)[] = [];
  const onError = (error: Error) => {
    for (const listener of listeners) listener(error);
  };
  const Client = guardedClient(onError, { prepare: false });
  const common = {
    connectionString: url,
    Client,
    connectionTimeoutMillis: timeouts.connectMs,
    // dead peers (a failover, a cut cable) are noticed by TCP, not only when a query times out
    keepAlive: true,
  };
  // The owner runs migrations, seeding and maintenance: no statement bound, but it never waits forever to connect.
  const ownerPool = new pg.Pool({ ...common, max: 4 });
  const appPool = new pg.Pool({
    ...common,
    // the application's statements are few and hot: each is prepared once per connection
    Client: guardedClient(onError, { prepare: true }),
    // written back to back when the caller does not wait (inTenant's opening script and first statement); a caller
    // that awaits each statement, as Kysely does, sees no difference
    pipeline: true,
    max: poolSize,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.queryMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    // Every connection of the application pool is the restricted role from its startup packet on:
    // there is no moment, and no failed SET, in which it runs as the owner.
    options: `-c role=${APP_ROLE}`,
  });
  // heavy report reading gets its own (small) pool, so it never takes the connections intake work needs
  const reportingPool = reportingUrl
    ? new pg.Pool({
        ...common,
        connectionString: reportingUrl,
        max: Math.max(2, Math.ceil(poolSize / 4)),
        statement_timeout: timeouts.statementMs,
        query_timeout: timeouts.queryMs,
        idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
        options: `-c role=${APP_ROLE} -c default_transaction_read_only=on`,
      })
    : null;
  // the audit rows of reads are group-committed on connections of their own (core/audit/audit-batcher.ts): in the
  // application pool the batcher would queue behind the very requests that wait for it
  const auditPool = new pg.Pool({
    ...common,
    // its one statement (core/audit/audit.ts AUDIT_BATCH_INSERT) is prepared once per connection
    Client: guardedClient(onError, { prepare: true }),
    max: 2,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.queryMs,
    options: `-c role=${APP_ROLE}`,
  });
  for (const pool of [ownerPool, appPool, reportingPool, auditPool]) pool?.on('error', onError);
  for (const pool of [appPool, auditPool])
    pool.on('release', (error: Error | undefined, client: pg.PoolClient) => {
      if (!error) (client as unknown as PreparingClient).released();
    });
  const app = new Kysely<DB>({ dialect: new PostgresDialect({ pool: appPool }) });
  pipelinedHandles.add(app);
  const owner = new Kysely<DB>({ dialect: new PostgresDialect({ pool: ownerPool }) });
  const reporting = reportingPool ? new Kysely<DB>({ dialect: new PostgresDialect({ pool: reportingPool }) }) : app;
  const audit = new Kysely<DB>({ dialect: new PostgresDialect({ pool: auditPool }) });
  useAuditConnections(app, audit);
  return {
    kind: 'postgres',
    app,
    owner,
    reporting,
    reportingSeparate: reportingPool !== null,
    poolState: () => ({ total: appPool.totalCount, idle: appPool.idleCount, waiting: appPool.waitingCount }),
    onConnectionError: (listener) => void listeners.push(listener),
    async close() {
      await app.destroy();
      await owner.destroy();
      if (reporting !== app) await reporting.destroy();
      await audit.destroy();
    },
  };
}

interface QueryResultLike {
  command: string;
  rowCount: number;
  rows: unknown[];
}

/** PGlite is one session: a FIFO lock hands it to one logical connection at a time. */
class PgliteLock {
  private tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

/** Looks like a pg.Pool to Kysely's PostgresDialect. */
class PglitePool {
  constructor(
    private readonly db: PGlite,
    private readonly lock: PgliteLock,
    private readonly role: string | null,
  ) {}

  async connect() {
    const release = await this.lock.acquire();
    const db = this.db;
    try {
      if (this.role) await db.exec(`set role ${this.role}`);
    } catch (error) {
      // a failing statement must never keep the one session locked: the next request would wait forever
      release();
      throw error;
    }
    const role = this.role;
    return {
      async query(text: string, params: readonly unknown[] = []): Promise<QueryResultLike> {
        if (params.length === 0 && text.includes(';')) {
          const results = await db.exec(text);
          const last = results[results.length - 1];
          return { command: 'SELECT', rowCount: last?.affectedRows ?? last?.rows.length ?? 0, rows: last?.rows ?? [] };
        }
        const result = await db.query(text, params as unknown[]);
        const command = text.trimStart().split(/\s/, 1)[0]!.toUpperCase();
        return { command, rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
      },
      release() {
        // an unfinished transaction must not leak into the next holder of the session
        const cleanup = db.exec('rollback').catch(() => undefined);
        cleanup
          .then(() => (role ? db.exec('reset role') : undefined))
          .catch(() => undefined)
          .finally(release);
      },
    };
  }

  async end() {}
}

async function createPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<Database> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    extensions: { pg_trgm, unaccent },
    parsers: { 1082: keepText, 20: keepText, 1700: keepText },
  });
  const lock = new PgliteLock();
  const app = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new PglitePool(db, lock, APP_ROLE) as never }) });
  const owner = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new PglitePool(db, lock, null) as never }) });
  return {
    kind: 'pglite',
    app,
    owner,
    reporting: app,
    reportingSeparate: false,
    poolState: () => null,
    onConnectionError: () => undefined,
    async close() {
      const release = await lock.acquire();
      await db.close();
      release();
    },
    async dumpDataDir() {
      const release = await lock.acquire();
      try {
        // a checkpoint first: the copy then needs little WAL replay when it is opened
        await db.exec('checkpoint');
        return await db.dumpDataDir('gzip');
      } finally {
        release();
      }
    },
  };
}

/** Whether the database answers a trivial query within `timeoutMs`. */
export async function isReachable(db: Kysely<DB>, timeoutMs = 5_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = sql`select 1`.execute(db).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
