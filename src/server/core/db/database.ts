import { useAuditConnections } from '../audit/audit-batcher.ts';
import fs from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { DB } from './schema.ts';
import { isStaleStatementError, PreparedStatements } from './prepared.ts';
import { LeadingStatementsQuery, NO_ROWS, type LeadingStatement, type WrappedQuery } from './leading-statements.ts';

export const APP_ROLE = 'kortelijn_app';

/**
 * Handles whose connections pipeline a tenant transaction's opening: inTenant does not wait for its answer, and the
 * client writes it in front of the work's first statement, under one Sync (GuardedClient, leading-statements.ts).
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

/**
 * How long a connection back in the pool keeps a finished read's COMMIT for the next borrower before writing it on
 * its own. Under load the next borrower comes within it, and the COMMIT costs no write and no wake-up of the server
 * of its own (written alone, it was a third of the writes to PostgreSQL of a client read). Meanwhile the read-only
 * transaction, its work done, holds only its snapshot and share locks, for milliseconds.
 */
const LONE_COMMIT_DELAY_MS = 5;

/**
 * The opening of a tenant transaction on the application pool (core/db/tenant.ts openingStatement): BEGIN and a
 * statement with parameters that sets the role, checks the session and sets the context.
 */
const OPENING = /^(begin(?: read only)?); (select .+)$/s;
const READ_BEGIN = 'begin read only';

/**
 * First statements of reads that went on to a second statement (openRead): such a read starts with BEGIN READ ONLY,
 * so it sends its context once, as before. A read's first statement is, in practice, the route's; bounded all the same.
 */
const READS_OF_SEVERAL = new Set<string>();
const READS_OF_SEVERAL_MAX = 1_000;

function rememberReadOfSeveral(text: string) {
  if (READS_OF_SEVERAL.size >= READS_OF_SEVERAL_MAX) READS_OF_SEVERAL.clear();
  READS_OF_SEVERAL.add(text);
}

/**
 * A statement whose text starts with this comment runs under a generic plan, planned once per connection: the pool
 * client writes `plan_cache_mode = force_generic_plan` for the transaction in front of it, under the same Sync, and
 * puts the default back in front of the next statement of that transaction. For a statement whose custom plan is no
 * better than its generic one and costs more to make than to run (matching's candidate statement: planning 1.2 ms,
 * execution 1.2 ms), where PostgreSQL's own choice keeps planning anew because the generic plan's estimate is higher.
 * Anywhere else (PGlite, a statement run unnamed) it is only a comment.
 */
export const GENERIC_PLAN = '/* generic plan */';
const FORCE_GENERIC_PLAN = "select pg_catalog.set_config('plan_cache_mode', 'force_generic_plan', true)";
const DEFAULT_PLAN_MODE = 'set local plan_cache_mode to default';

/** How core/db/tenant.ts rolls a tenant transaction back: on the application pool, only if one is open. */
export const TENANT_ROLLBACK = 'rollback /* tenant */';

type PreparingClient = InstanceType<ReturnType<typeof guardedClient>>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's query has a dozen overloads
type QueryArgs = any[];

/**
 * A pg client that never crashes the process: an 'error' event (the server ended the connection, a restart,
 * a failover) is handled whether the client is idle in the pool or checked out by a request — pg-pool
 * listens only while it is idle, and an unhandled 'error' event ends Node. A client whose query got no answer
 * in time is destroyed, so that the pool drops it instead of lending a connection that still waits.
 *
 * With `prepare`, a query with parameters (all of Kysely's) runs as a named prepared statement
 * (core/db/prepared.ts): parsed once per connection, planned once when PostgreSQL settles on a generic plan.
 * It also holds a tenant transaction's opening (and a read's deferred COMMIT) until the next statement, and writes
 * them in front of it, under its Sync (core/db/leading-statements.ts): one write and one answer for all of them.
 */
function guardedClient(onError: (error: Error) => void, options: { prepare: boolean }) {
  return class GuardedClient extends pg.Client {
    readonly statements = options.prepare ? new PreparedStatements() : null;
    /** A read-only transaction ended (DEFERRED_COMMIT) whose COMMIT is not written yet. */
    private pendingCommit = false;
    /** Statements of an opening waiting for the statement they are written in front of. */
    private held: LeadingStatement[] = [];
    /** Writes a pending COMMIT on its own if the connection stays idle (one timer per client, re-armed). */
    private loneCommit: NodeJS.Timeout | undefined;
    /** The current transaction runs with plan_cache_mode = force_generic_plan (GENERIC_PLAN). */
    private genericPlans = false;
    /**
     * The read-only tenant transaction of the current borrower, while it has no BEGIN (see openRead): `held`, its
     * context statement waits in `held`; `ran`, the context went out under a Sync of its own or with a first
     * statement, and that implicit transaction has ended; `explicit`, BEGIN READ ONLY went out and the transaction
     * stays open until its (deferred) COMMIT.
     */
    private read: {
      context: string;
      values: LeadingStatement['values'];
      state: 'held' | 'ran' | 'explicit';
      /** The SQL of its first statement, once sent without BEGIN. */
      first?: string;
    } | null = null;

    constructor(config?: pg.ClientConfig) {
      super(config);
      this.on('error', onError);
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's query has a dozen overloads
    override query(...args: QueryArgs): any {
      const statements = this.statements;
      if (!statements) return this.watch(super.query(...(args as [string])), false);
      const read = this.read;
      const ending = args[0] === DEFERRED_COMMIT ? 'COMMIT' : args[0] === TENANT_ROLLBACK ? 'ROLLBACK' : null;
      // (a local setting ends with its transaction)
      if (ending) this.genericPlans = false;
      if (ending && read && read.state !== 'explicit') {
        // a read without BEGIN: its implicit transaction ended at its Sync, there is nothing to end (and an opening
        // still held, which inTenant's await of the opening rules out, never waits for the next borrower)
        this.sendHeld();
        return Promise.resolve({ command: ending, rowCount: null, rows: [] });
      }
      if (ending === 'COMMIT') {
        // a read-only transaction's work is done: its COMMIT leaves with whatever this client sends next
        this.pendingCommit = true;
        return Promise.resolve({ command: ending, rowCount: null, rows: [] });
      }
      if (ending === 'ROLLBACK') args = ['rollback', []];
      const plain = args.length === 2 && typeof args[0] === 'string' && Array.isArray(args[1]);
      const opening = plain ? OPENING.exec(args[0] as string) : null;
      if (opening) return this.holdOpening(opening, args[1] as LeadingStatement['values']);
      // behind what this client sent of its own accord, in order; pg never has to queue one query behind another
      const own = this.own;
      if (own) return own.then(() => this.query(...(args as [string])) as unknown);
      const marked = plain && (args[0] as string).startsWith(GENERIC_PLAN);
      let named = false;
      if (plain) {
        const name = statements.nameFor(args[0] as string, (args[1] as unknown[]).length);
        if (name) {
          args = [{ name, text: args[0] as string, values: args[1] as unknown[] }];
          named = true;
        }
      }
      let built: (WrappedQuery & { requiresPreparation(): boolean }) | undefined;
      const query = () => (built ??= new pg.Query(...(args as [string])) as unknown as NonNullable<typeof built>);
      // A simple-protocol query (no parameters; perhaps several statements) answers with its own ReadyForQuery and
      // would run even after a leading statement failed, outside the batch's Sync; a callback query is pg's own.
      // Leading statements then go first, on their own (a failed opening leaves the transaction aborted, so what
      // follows fails too).
      const shareable = () => !query().callback && query().requiresPreparation();
      if (read && read.state !== 'explicit') this.openRead(read, shareable(), query().text);
      // behind the transaction's opening, in front of the statement, under its Sync; the default back in front of the
      // next statement of the transaction block (outside one, the setting ended with the statement's Sync)
      // (only a prepared statement has a plan to keep; a simple-protocol one is planned anew whatever the setting)
      if (this.genericPlans && this.getTransactionStatus() === 'I') this.genericPlans = false;
      const generic = marked && named && shareable();
      if (generic !== this.genericPlans && (generic || shareable())) {
        this.held.push(this.leadingStatement(generic ? FORCE_GENERIC_PLAN : DEFAULT_PLAN_MODE, []));
        this.genericPlans = generic;
      }
      const leading = this.takeLeading();
      if (!leading.length) return this.watch(super.query(...(args as [string])), named);
      if (!shareable()) {
        this.sendLeading(leading);
        return this.query(...(args as [string])) as unknown;
      }
      const wrapped = query();
      const result = new Promise((resolve, reject) => {
        wrapped.callback = (error, answer) => (error ? reject(error) : resolve(answer));
      });
      void super.query(new LeadingStatementsQuery(leading, wrapped) as unknown as pg.QueryConfig);
      return this.watch(result, true);
    }

    /** A query's failure that says something about the connection: its names are stale, or it hangs. */
    private watch(result: unknown, named: boolean) {
      if (result instanceof Promise) {
        result.catch((error: Error) => {
          if (named && isStaleStatementError(error)) this.statements?.markStale();
          if (error?.message === QUERY_READ_TIMEOUT) {
            onError(error);
            this.destroyConnection();
          }
        });
      }
      return result;
    }

    /**
     * A tenant transaction's opening is not written yet: it leads the work's first statement. If none follows in
     * this turn of the event loop, it is written on its own (setImmediate), so nothing waits longer.
     * Its promise settles with the session check's answer; if the check (or BEGIN) fails, the statement behind it
     * fails with the same error without having run.
     */
    private holdOpening(opening: RegExpExecArray, values: LeadingStatement['values']): Promise<unknown> {
      const [, begin, context] = opening as unknown as [string, string, string];
      // a read starts without BEGIN (openRead); a change opens its transaction at once
      this.read = begin === READ_BEGIN ? { context, values, state: 'held' } : null;
      return new Promise((resolve, reject) => {
        if (!this.read) this.held.push(this.leadingStatement(begin, []));
        this.held.push(
          // (a stale name in the error is noted by watch, on the promise of the batch that carried it)
          this.leadingStatement(context, values, (error) => (error ? reject(error) : resolve(NO_ROWS))),
        );
        setImmediate(() => this.sendHeld());
      });
    }

    /**
     * A read-only tenant transaction has no BEGIN while it can do without: its context statement and its first
     * statement share one Sync, and statements up to a Sync are one implicit transaction in PostgreSQL — the context
     * (and the role, and READ ONLY, set by the statement itself) holds for the statement and ends with it. Most reads
     * are one statement, so they save BEGIN and COMMIT. A statement that cannot share the context's Sync, or a
     * second one, opens an explicit READ ONLY transaction with the context again (the session check runs again)
     * for itself and everything after it; a read's statements see separate snapshots under READ COMMITTED anyway.
     * A read whose first statement went on to a second before starts with BEGIN READ ONLY (READS_OF_SEVERAL).
     */
    private openRead(read: NonNullable<typeof this.read>, shareable: boolean, text: string | undefined) {
      if (read.state === 'explicit') return;
      if (read.state === 'held' && shareable && !(text && READS_OF_SEVERAL.has(text))) {
        read.state = 'ran';
        read.first = text;
        return;
      }
      const begin = this.leadingStatement(READ_BEGIN, []);
      if (read.state === 'held') this.held.unshift(begin);
      else {
        this.held.push(begin, this.leadingStatement(read.context, read.values));
        // the next read that starts with the same statement takes BEGIN at once, and its context once
        if (read.first) rememberReadOfSeveral(read.first);
      }
      read.state = 'explicit';
    }

    private leadingStatement(
      text: string,
      values: LeadingStatement['values'],
      done?: LeadingStatement['done'],
    ): LeadingStatement {
      return { name: this.statements?.nameForLeading(text), text, values, ...(done ? { done } : {}) };
    }

    /** The deferred COMMIT (first: nothing ever runs in the transaction of the read before) and a held opening. */
    private takeLeading(): LeadingStatement[] {
      const leading = this.held;
      this.held = [];
      if (this.pendingCommit) {
        this.pendingCommit = false;
        // a read-only COMMIT writes nothing and its read was answered; if it fails, the connection is in doubt and
        // is destroyed (the pool drops it; what was written behind it fails)
        leading.unshift(this.leadingStatement('commit', [], (error) => error && this.destroyConnection()));
      }
      return leading;
    }

    /** Leading statements written on their own, with a Sync of their own; each hears its outcome (done). */
    private sendLeading(leading: LeadingStatement[]) {
      if (!leading.length) return;
      this.sendOwn(
        new Promise((resolve, reject) => {
          const batch = new LeadingStatementsQuery(leading, null);
          batch.callback = (error) => (error ? reject(error) : resolve(null));
          void super.query(batch as unknown as pg.QueryConfig);
        }),
      );
    }

    /** A statement this client sent of its own accord (a lone COMMIT, DEALLOCATE ALL), not yet answered. */
    private own: Promise<void> | null = null;

    /** Whatever is asked of the client until `sent` is answered waits for it (see query). */
    private sendOwn(sent: Promise<unknown>) {
      this.watch(sent, true);
      const answered = sent.then(
        () => undefined,
        () => undefined,
      );
      this.own = answered;
      void answered.then(() => {
        if (this.own === answered) this.own = null;
      });
    }

    private whenIdle(action: () => void) {
      if (this.own) void this.own.then(() => this.whenIdle(action));
      else action();
    }

    private destroyConnection() {
      (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    }

    /**
     * What is held (a pending COMMIT, an opening) written on its own, once the client is idle: nothing followed it
     * in time (the connection went back to the pool, or the work sent nothing in this turn of the event loop).
     */
    private sendHeld() {
      // a read's context sent on its own runs in an implicit transaction of its own
      if (this.read?.state === 'held') this.read.state = 'ran';
      this.whenIdle(() => this.sendLeading(this.takeLeading()));
    }

    /**
     * Called when the pool takes the client back. A pending COMMIT goes with the next borrower's first statement,
     * or, if none comes within LONE_COMMIT_DELAY_MS, on its own: an idle connection holds no transaction.
     * If its names must be reset and it is idle outside a transaction, `DEALLOCATE ALL` is queued now — before
     * whatever the next borrower sends — and pg forgets its names with it.
     */
    released() {
      this.read = null;
      this.genericPlans = false;
      if (this.statements?.needsReset && (this.pendingCommit || this.getTransactionStatus() === 'I')) {
        this.sendHeld();
        this.resetStatements();
      } else if (this.pendingCommit) {
        this.loneCommit ??= setTimeout(() => this.sendHeld(), LONE_COMMIT_DELAY_MS).unref();
        this.loneCommit.refresh();
      }
    }

    private resetStatements() {
      const statements = this.statements;
      if (!statements) return;
      this.whenIdle(() => {
        const connection = (this as unknown as { connection: { parsedStatements: Record<string, string> } }).connection;
        connection.parsedStatements = {};
        statements.resetDone();
        const reset = (super.query as (text: string) => Promise<unknown>)('deallocate all');
        reset.catch((error: unknown) => {
          // the connection is broken (the pool drops it) or the reset failed: never reuse names on it blindly
          statements.markStale();
          onError(error as Error);
        });
        this.sendOwn(reset);
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
