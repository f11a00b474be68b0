import fs from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { DB } from './schema.ts';

export const APP_ROLE = 'kortelijn_app';

/**
 * Two handles on one database: `app` runs every statement as the role that row-level security binds;
 * `owner` is for migrations, seeding and maintenance only.
 */
export interface Database {
  kind: 'postgres' | 'pglite';
  app: Kysely<DB>;
  owner: Kysely<DB>;
  close(): Promise<void>;
  /** PGlite only: the data folder as a gzipped tarball (a consistent copy, taken while no statement runs). */
  dumpDataDir?(): Promise<Blob>;
}

// Dates stay 'YYYY-MM-DD' strings (no time-zone shifts); int8 and numeric stay strings (no precision loss).
const keepText = (value: string) => value;
pg.types.setTypeParser(1082, keepText);

export async function createDatabase(opts: {
  databaseUrl?: string | undefined;
  dataDir?: string;
  poolSize?: number;
  /** PGlite only: start from this tarball (made by dumpDataDir) instead of an empty database; dataDir must be empty. */
  loadDataDir?: Blob;
}): Promise<Database> {
  if (opts.databaseUrl) return createPostgres(opts.databaseUrl, opts.poolSize ?? 20);
  return createPglite(opts.dataDir, opts.loadDataDir);
}

function createPostgres(url: string, poolSize: number): Database {
  const ownerPool = new pg.Pool({ connectionString: url, max: 4 });
  const appPool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection that the server closes (restart, failover) must not crash the process;
  // the pool drops it and the next checkout opens a new one.
  for (const pool of [ownerPool, appPool]) pool.on('error', () => undefined);
  // Every connection of the application pool drops to the restricted role before its first query.
  appPool.on('connect', (client) => {
    client.query(`set role ${APP_ROLE}`).catch(() => client.release(new Error('could not set role')));
  });
  const app = new Kysely<DB>({ dialect: new PostgresDialect({ pool: appPool }) });
  const owner = new Kysely<DB>({ dialect: new PostgresDialect({ pool: ownerPool }) });
  return {
    kind: 'postgres',
    app,
    owner,
    async close() {
      await app.destroy();
      await owner.destroy();
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
    if (this.role) await db.exec(`set role ${this.role}`);
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

export async function isReachable(db: Kysely<DB>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
