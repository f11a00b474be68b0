import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { sql } from 'kysely';
import { APP_ROLE, createDatabase, type Database } from './database.ts';

/**
 * Backup and restore of the whole database, for `npm run backup` / `npm run restore` (src/server/cli).
 *
 * - PostgreSQL server (DATABASE_URL): `pg_dump --format=custom` (one consistent snapshot; schema, data, row-level
 *   security, policies and the grants to the app role) and, to restore, `pg_restore` into `psql --single-transaction`:
 *   the whole restore commits or nothing does. Objects are restored with `--no-owner`: the user in DATABASE_URL
 *   that restores becomes their owner, as it is of a database it migrated itself. Row-level security is forced,
 *   also for the owner, so the backup needs a superuser or a BYPASSRLS role (it refuses otherwise, see README).
 * - Embedded PGlite (DATA_DIR): PGlite's own `dumpDataDir()` tarball of the data folder, and `loadDataDir` into a
 *   new folder next to DATA_DIR that replaces it only once it has opened and migrated.
 *
 * The caller passes `afterLoad` (migrations and reference data), so an older backup comes up to date.
 */

/** A failure with a message for the operator and the exit code the command ends with. */
export class BackupError extends Error {
  /** the mistake is in the command line: the command prints its usage after the message */
  readonly showUsage: boolean;
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    opts: { showUsage?: boolean } = {},
  ) {
    super(message);
    this.showUsage = opts.showUsage ?? false;
    this.name = 'BackupError';
  }
}

/** 0 done · 1 failed · 2 wrong use (arguments, a backup of the other kind) · 3 refused to overwrite or to touch a database in use */
export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type BackupKind = 'postgres' | 'pglite';
export const BACKUP_EXTENSION: Record<BackupKind, string> = { postgres: 'dump', pglite: 'tar.gz' };

export interface BackupResult {
  file: string;
  bytes: number;
  tables: number;
}

export interface RestoreResult {
  target: string;
  tables: number;
  /** where the replaced content went: the safety dump (server) or the old data folder (PGlite) */
  previous: string | null;
}

/** `2026-11-23T10-15-00Z`: UTC, without colons, so a file name with it is valid on every file system. */
export function backupTimestamp(now = new Date()): string {
  return now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

export function defaultBackupFile(kind: BackupKind, dir: string, label = ''): string {
  return path.resolve(dir, `korte-lijn-${label}${backupTimestamp()}.${BACKUP_EXTENSION[kind]}`);
}

/** The database of a URL with its password left out, for messages. */
export function describeUrl(url: string): string {
  const u = new URL(url);
  return `database "${decodeURIComponent(u.pathname.slice(1)) || u.username}" on ${u.hostname}:${u.port || 5432}`;
}

/** Which kind of backup a file holds, from its first bytes: the custom-format magic or the gzip magic. */
export function detectBackupKind(file: string): BackupKind | null {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(5);
    const n = fs.readSync(fd, head, 0, 5, 0);
    if (n === 5 && head.toString('latin1') === 'PGDMP') return 'postgres';
    if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

// ---- PostgreSQL server -----------------------------------------------------------------------------------------

const execFileAsync = promisify(execFile);

/**
 * The full path of a PostgreSQL client tool: PG_BINDIR when set, else `pg_config --bindir` (Debian puts only
 * version-choosing wrappers on PATH), else the bare name from PATH.
 */
async function pgTool(name: 'pg_dump' | 'pg_restore' | 'psql'): Promise<string> {
  const fromEnv = process.env.PG_BINDIR;
  if (fromEnv) return path.join(fromEnv, name);
  try {
    const { stdout } = await execFileAsync('pg_config', ['--bindir']);
    const candidate = path.join(stdout.trim(), name);
    if (fs.existsSync(candidate)) return candidate;
  } catch {
    // no pg_config: rely on PATH
  }
  return name;
}

/** The URL without its password, and the password in PGPASSWORD: a password on a command line shows in `ps`. */
function toolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

interface ToolRun {
  code: number;
  stderr: string;
}

function toolMissing(tool: string): BackupError {
  return new BackupError(
    `${path.basename(tool)} was not found. Install the PostgreSQL client tools of the server's major version or newer ` +
      '(e.g. apt-get install postgresql-client-15), put them on PATH, or set PG_BINDIR to their folder.',
    EXIT.failed,
  );
}

function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? toolMissing(tool) : error));
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

/** The last lines of a tool's error output (a failed restore can print thousands). */
const tail = (text: string, lines = 15) => text.trim().split('\n').slice(-lines).join('\n');

function versionHint(stderr: string): string {
  return /version mismatch|unsupported version/i.test(stderr)
    ? '\nThe client tools are older than the server: install the newer ones or set PG_BINDIR to their folder.'
    : '';
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    const e = error as { code?: string; message: string };
    if (e.code === '3D000')
      throw new BackupError(
        `The ${describeUrl(url)} does not exist. Create it first (createdb, or CREATE DATABASE) and run the command again.`,
        EXIT.failed,
      );
    throw new BackupError(`Cannot connect to the ${describeUrl(url)}: ${e.message}`, EXIT.failed);
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Tables, views and sequences in schema public: a database without any is empty enough to restore into. */
async function relationsInPublic(client: pg.Client): Promise<{ relations: number; tables: number }> {
  const result = await client.query<{ relations: number; tables: number }>(
    `select count(*)::int as relations, (count(*) filter (where c.relkind in ('r', 'p')))::int as tables
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')`,
  );
  return result.rows[0]!;
}

/** Writes to `<file>.partial` and renames at the end, so a file with the final name is always a complete backup. */
function prepareOutput(file: string): string {
  if (fs.existsSync(file))
    throw new BackupError(`${file} exists already; choose another name with --output.`, EXIT.refused);
  // a backup holds personal data: only the owner may read the folder and the file
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  return partial;
}

/**
 * Tables whose rows row-level security would hide from the connected user: pg_dump turns row security off and
 * fails on them rather than write a backup that silently lacks rows. The migrations FORCE it on every table with
 * personal data, so even their owner needs BYPASSRLS (or to be a superuser) to back them up.
 */
async function tablesHiddenByRowSecurity(client: pg.Client): Promise<{ user: string; tables: string[] }> {
  const result = await client.query<{ user: string; tables: string[] | null }>(
    `select current_user as user, array_agg(c.relname::text order by c.relname) filter (where c.oid is not null) as tables
       from pg_roles r
       left join pg_class c
         on c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and c.relrowsecurity
        and (c.relforcerowsecurity or not pg_has_role(current_user, c.relowner, 'usage'))
      where r.rolname = current_user and not (r.rolsuper or r.rolbypassrls)
      group by current_user`,
  );
  const row = result.rows[0];
  return { user: row?.user ?? '', tables: row?.tables ?? [] };
}

export async function backupPostgres(url: string, file: string): Promise<BackupResult> {
  const tables = await withClient(url, async (client) => {
    const hidden = await tablesHiddenByRowSecurity(client);
    if (hidden.tables.length)
      throw new BackupError(
        `The user "${hidden.user}" in DATABASE_URL cannot read every row: row-level security is forced on ` +
          `${hidden.tables.length} tables (${hidden.tables.slice(0, 3).join(', ')}, …), also for their owner, ` +
          'and a backup must not silently lack rows. No backup was written.\n' +
          'Back up as a role that bypasses row-level security, made once by a superuser:\n' +
          "  CREATE ROLE kortelijn_backup LOGIN BYPASSRLS PASSWORD '…';\n" +
          '  GRANT pg_read_all_data TO kortelijn_backup;\n' +
          'then: DATABASE_URL=postgres://kortelijn_backup:…@host:port/database npm run backup',
        EXIT.failed,
      );
    return (await relationsInPublic(client)).tables;
  });
  const partial = prepareOutput(file);
  const { dbname, env } = toolConnection(url);
  const pgDump = await pgTool('pg_dump');
  // --lock-wait-timeout: a dump waiting behind a migration's exclusive lock gives up instead of hanging
  const dump = await runTool(
    pgDump,
    ['--format=custom', '--no-password', '--lock-wait-timeout=60000', `--file=${partial}`, `--dbname=${dbname}`],
    env,
  );
  if (dump.code !== 0) {
    fs.rmSync(partial, { force: true });
    throw new BackupError(
      `pg_dump failed (exit ${dump.code}); no backup was written.\n${tail(dump.stderr)}${versionHint(dump.stderr)}`,
      EXIT.failed,
    );
  }
  // the archive must be readable by pg_restore before it counts as a backup
  const check = await runTool(await pgTool('pg_restore'), ['--list', partial], env);
  if (check.code !== 0) {
    fs.rmSync(partial, { force: true });
    throw new BackupError(
      `The written backup could not be read back by pg_restore:\n${tail(check.stderr)}`,
      EXIT.failed,
    );
  }
  fs.chmodSync(partial, 0o600);
  fs.renameSync(partial, file);
  return { file, bytes: fs.statSync(file).size, tables };
}

/**
 * Before the dump's own statements, in the same transaction: the app role, once per server (as in
 * migrations/001_foundation.sql), so the dump's grants to it apply; with `replace`, an empty schema public.
 */
function restorePreamble(replace: boolean): string {
  const role = `
do $$ begin
  if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
    create role ${APP_ROLE} nologin nosuperuser nobypassrls;
  end if;
  -- a member already needs no grant (and granting again would need the role's admin option)
  if not (select rolsuper from pg_roles where rolname = current_user)
     and not pg_has_role(current_user, '${APP_ROLE}', 'member') then
    execute format('grant ${APP_ROLE} to %I', current_user);
  end if;
end $$;
`;
  // the public schema as a new database has it (PostgreSQL 15: usage for everyone, nothing more)
  const empty = 'drop schema public cascade;\ncreate schema public;\ngrant usage on schema public to public;\n';
  return role + (replace ? empty : '');
}

/** `pg_restore --no-owner -f -` piped into `psql --single-transaction`: the restore commits whole or not at all. */
async function pipeRestore(url: string, file: string, replace: boolean): Promise<void> {
  const { dbname, env } = toolConnection(url);
  const psqlPath = await pgTool('psql');
  const pgRestorePath = await pgTool('pg_restore');
  const psql = spawn(
    psqlPath,
    ['--no-psqlrc', '--quiet', '--no-password', '--single-transaction', '--set=ON_ERROR_STOP=1', '--file=-', dbname],
    { env, stdio: ['pipe', 'ignore', 'pipe'] },
  );
  const restore = spawn(pgRestorePath, ['--no-owner', '--file=-', file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let psqlErr = '';
  let restoreErr = '';
  psql.stderr.on('data', (chunk: Buffer) => (psqlErr += chunk.toString()));
  restore.stderr.on('data', (chunk: Buffer) => (restoreErr += chunk.toString()));
  // psql may stop reading early (an error with ON_ERROR_STOP); its exit code tells what happened
  psql.stdin.on('error', () => undefined);
  const spawned = (child: ReturnType<typeof spawn>, tool: string) =>
    new Promise<number>((resolve, reject) => {
      child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? toolMissing(tool) : error));
      child.on('close', (code) => resolve(code ?? 1));
    });
  const psqlDone = spawned(psql, psqlPath);
  const restoreDone = spawned(restore, pgRestorePath);
  psql.stdin.write(restorePreamble(replace));
  restore.stdout.pipe(psql.stdin, { end: false });
  let restoreCode: number;
  try {
    restoreCode = await restoreDone;
  } catch (error) {
    psql.kill('SIGTERM');
    await psqlDone.catch(() => undefined);
    throw error;
  }
  if (restoreCode !== 0) {
    // end of input would COMMIT what arrived so far: stop psql instead, and the server rolls the transaction back
    psql.kill('SIGTERM');
    await psqlDone.catch(() => undefined);
    throw new BackupError(
      `pg_restore could not read the backup (exit ${restoreCode}); nothing was restored.\n${tail(restoreErr)}${versionHint(restoreErr)}`,
      EXIT.failed,
    );
  }
  psql.stdin.end();
  const psqlCode = await psqlDone;
  if (psqlCode !== 0) {
    const missingRole = /role "([^"]+)" does not exist/.exec(psqlErr);
    throw new BackupError(
      `The restore failed and was rolled back; the database is as it was.\n${tail(psqlErr)}` +
        (missingRole
          ? `\nThe backup grants rights to role "${missingRole[1]}", which this server lacks: create it first (CREATE ROLE ${missingRole[1]} NOLOGIN).`
          : ''),
      EXIT.failed,
    );
  }
}

export async function restorePostgres(opts: {
  url: string;
  file: string;
  force: boolean;
  /** where the safety dump of a database that --force replaces goes */
  backupDir: string;
  afterLoad: (db: Database) => Promise<void>;
}): Promise<RestoreResult> {
  const { url, file } = opts;
  const kind = detectBackupKind(file);
  if (kind === 'pglite')
    throw new BackupError(
      `${file} is a backup of the embedded database (PGlite), but DATABASE_URL is set, so the target is a PostgreSQL server. ` +
        'Restore it without DATABASE_URL (into DATA_DIR). Moving data between PGlite and a server is not supported by these commands.',
      EXIT.usage,
    );
  if (kind !== 'postgres')
    throw new BackupError(`${file} is not a Korte Lijn backup (no pg_dump custom-format header).`, EXIT.usage);
  const present = await withClient(url, relationsInPublic);
  let previous: string | null = null;
  if (present.relations > 0) {
    if (!opts.force)
      throw new BackupError(
        `The ${describeUrl(url)} is not empty (${present.tables} tables in schema public); nothing was restored. ` +
          'Restore into a new, empty database (createdb, then point DATABASE_URL at it), ' +
          'or run again with --force to replace everything in it (its current content is saved to a backup first).',
        EXIT.refused,
      );
    try {
      previous = (await backupPostgres(url, defaultBackupFile('postgres', opts.backupDir, 'before-restore-'))).file;
    } catch (error) {
      throw new BackupError(
        'Before it is replaced, the current content is saved, and that failed; nothing was changed.\n' +
          `${(error as Error).message}\n` +
          'Or restore into a new, empty database instead (createdb, then point DATABASE_URL at it).',
        EXIT.failed,
      );
    }
  }
  await pipeRestore(url, file, present.relations > 0);
  const db = await createDatabase({ databaseUrl: url, poolSize: 2 });
  try {
    await opts.afterLoad(db);
  } finally {
    await db.close();
  }
  const tables = await withClient(url, async (client) => (await relationsInPublic(client)).tables);
  return { target: describeUrl(url), tables, previous };
}

// ---- embedded PGlite --------------------------------------------------------------------------------------------

const hasDatabase = (dir: string) => fs.existsSync(path.join(dir, 'PG_VERSION'));
// PGlite writes postmaster.pid while a process has the folder open and removes it on a clean close
const inUse = (dir: string) => fs.existsSync(path.join(dir, 'postmaster.pid'));

function inUseError(dir: string, what: string): BackupError {
  return new BackupError(
    `The embedded database in ${dir} is open (${path.join(dir, 'postmaster.pid')} exists): stop Korte Lijn first; ` +
      'PGlite allows one process per folder and a second one would damage it. ' +
      `If Korte Lijn is not running (it stopped without a clean shutdown), run again with --force to ${what}.`,
    EXIT.refused,
  );
}

async function countTables(db: Database): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
  `.execute(db.owner);
  return result.rows[0]!.n;
}

export async function backupPglite(opts: { dataDir: string; file: string; force: boolean }): Promise<BackupResult> {
  const { dataDir, file } = opts;
  if (!hasDatabase(dataDir))
    throw new BackupError(`There is no embedded database in ${dataDir} (DATA_DIR): nothing to back up.`, EXIT.failed);
  if (inUse(dataDir) && !opts.force) throw inUseError(dataDir, 'back it up anyway');
  const partial = prepareOutput(file);
  const db = await createDatabase({ dataDir });
  try {
    const tables = await countTables(db);
    const tarball = await db.dumpDataDir!();
    fs.writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()), { mode: 0o600 });
    fs.renameSync(partial, file);
    return { file, bytes: fs.statSync(file).size, tables };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    await db.close();
  }
}

/**
 * Loads the tarball into a new folder next to DATA_DIR, migrates it there, and only then puts it in DATA_DIR's place;
 * the folder it replaces (with --force) is kept as `<DATA_DIR>.before-restore-<time>`.
 */
export async function restorePglite(opts: {
  dataDir: string;
  file: string;
  force: boolean;
  afterLoad: (db: Database) => Promise<void>;
}): Promise<RestoreResult> {
  const { dataDir, file } = opts;
  const kind = detectBackupKind(file);
  if (kind === 'postgres')
    throw new BackupError(
      `${file} is a backup of a PostgreSQL server (pg_dump). Set DATABASE_URL to the new, empty database to restore it there. ` +
        'Moving data between a server and PGlite is not supported by these commands.',
      EXIT.usage,
    );
  if (kind !== 'pglite')
    throw new BackupError(`${file} is not a Korte Lijn backup (not a gzipped tarball).`, EXIT.usage);
  const occupied = fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0;
  if (occupied && !opts.force && inUse(dataDir)) throw inUseError(dataDir, 'replace it anyway');
  if (occupied && !opts.force)
    throw new BackupError(
      `${dataDir} (DATA_DIR) is not empty${hasDatabase(dataDir) ? ': it holds a database' : ''}; nothing was restored. ` +
        'Restore into an empty folder (DATA_DIR=./data-restored npm run restore -- <file>), or run again with --force: ' +
        `the current folder is then kept as ${dataDir}.before-restore-<time>, not deleted.`,
      EXIT.refused,
    );
  const stamp = backupTimestamp();
  const staging = `${dataDir}.restoring-${stamp}`;
  fs.rmSync(staging, { recursive: true, force: true });
  let tables: number;
  try {
    const db = await createDatabase({ dataDir: staging, loadDataDir: new Blob([fs.readFileSync(file)]) });
    try {
      await opts.afterLoad(db);
      tables = await countTables(db);
    } finally {
      await db.close();
    }
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError(
      `The backup could not be loaded; ${dataDir} was not changed.\n${(error as Error).message}`,
      EXIT.failed,
    );
  }
  let previous: string | null = null;
  if (occupied) {
    previous = `${dataDir}.before-restore-${stamp}`;
    fs.renameSync(dataDir, previous);
  } else if (fs.existsSync(dataDir)) {
    fs.rmdirSync(dataDir);
  }
  fs.renameSync(staging, dataDir);
  return { target: dataDir, tables, previous };
}
