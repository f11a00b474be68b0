import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../migrations');

/** Serialises migrators of one database (two servers starting at once). */
const LOCK = 7425001;

/**
 * The sha256 of a migration file as it is recorded in schema_migrations. Line endings are normalised first
 * (\r\n → \n), so a Windows checkout (core.autocrlf) has the same checksum as the file in git.
 */
export function migrationChecksum(text: string): string {
  return crypto.createHash('sha256').update(text.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

/** An applied migration whose file has changed since: the start stops, nothing is migrated. */
export class MigrationChangedError extends Error {
  constructor(readonly files: { name: string; recorded: string; current: string }[]) {
    const names = files.map((f) => f.name);
    const list = names.map((n) => `'${n}'`).join(', ');
    super(
      [
        `Migration ${names.join(', ')} changed after it was applied to this database ` +
          `(${files.map((f) => `${f.name}: applied sha256 ${f.recorded.slice(0, 12)}…, file now ${f.current.slice(0, 12)}…`).join('; ')}). Nothing was migrated.`,
        'A migration that has landed is never edited; a change goes into a new migration file.',
        `What to do: restore ${names.join(', ')} as applied (git log --follow migrations/${names[0]}) and put the change in a new migration file, ` +
          'or deploy the release this database was migrated with.',
        'Only if you have checked that this database already matches the changed file, accept it with ' +
          `"update schema_migrations set checksum = null where name in (${list})": the next start records the file's checksum as it is now.`,
      ].join('\n'),
    );
    this.name = 'MigrationChangedError';
  }
}

/**
 * Applies the hand-written SQL files in order, each in its own transaction, once, and records each file's checksum.
 * An applied file whose content has changed since stops the start (MigrationChangedError). Rows recorded before
 * checksums existed get the checksum of the file as it is now (a one-time backfill, see ARCHITECTURE.md "Migrations").
 * `dir` is for tests; the application always migrates from `migrations/`.
 */
export async function migrate(owner: Kysely<DB>, opts: { dir?: string } = {}): Promise<string[]> {
  const dir = opts.dir ?? migrationsDir;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const texts = new Map(files.map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  const checksums = new Map(files.map((f) => [f, migrationChecksum(texts.get(f)!)]));
  const done = await verifyApplied(owner, checksums);
  const applied: string[] = [];
  for (const file of files) {
    if (done.has(file)) continue;
    const text = texts.get(file)!;
    await owner.connection().execute(async (conn) => {
      // simple-protocol multi-statement script; the lock keeps two starting servers from racing
      await sql.raw(`begin; select pg_advisory_xact_lock(${LOCK});`).execute(conn);
      try {
        const again = await sql<{
          n: number;
        }>`select count(*)::int as n from schema_migrations where name = ${file}`.execute(conn);
        if (again.rows[0]!.n === 0) {
          await sql.raw(text).execute(conn);
          await sql`insert into schema_migrations (name, checksum) values (${file}, ${checksums.get(file)!})`.execute(
            conn,
          );
          applied.push(file);
        }
        await sql.raw('commit').execute(conn);
      } catch (error) {
        await sql.raw('rollback').execute(conn);
        throw new Error(`Migration ${file} failed: ${(error as Error).message}`);
      }
    });
  }
  return applied;
}

/**
 * The migrator's own table (not a product migration): created if missing, the checksum column added if missing,
 * rows without a checksum backfilled, every recorded checksum compared with its file. Answers the applied names.
 */
async function verifyApplied(owner: Kysely<DB>, checksums: Map<string, string>): Promise<Set<string>> {
  return owner.connection().execute(async (conn) => {
    await sql
      .raw(
        `begin; select pg_advisory_xact_lock(${LOCK});` +
          ' create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now());' +
          ' alter table schema_migrations add column if not exists checksum text;',
      )
      .execute(conn);
    try {
      const rows = (
        await sql<{ name: string; checksum: string | null }>`select name, checksum from schema_migrations`.execute(conn)
      ).rows;
      const changed: { name: string; recorded: string; current: string }[] = [];
      for (const row of rows) {
        const current = checksums.get(row.name);
        // a recorded migration without a file here is left alone (nothing to compare it with)
        if (current === undefined) continue;
        if (row.checksum === null) {
          await sql`update schema_migrations set checksum = ${current} where name = ${row.name} and checksum is null`.execute(
            conn,
          );
        } else if (row.checksum !== current) {
          changed.push({ name: row.name, recorded: row.checksum, current });
        }
      }
      if (changed.length) throw new MigrationChangedError(changed);
      await sql.raw('commit').execute(conn);
      return new Set(rows.map((r) => r.name));
    } catch (error) {
      await sql.raw('rollback').execute(conn);
      throw error;
    }
  });
}
