import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../migrations');

/** Applies the hand-written SQL files in order, each in its own transaction, once. */
export async function migrate(owner: Kysely<DB>): Promise<string[]> {
  await sql`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`.execute(owner);
  const done = new Set(
    (await sql<{ name: string }>`select name from schema_migrations`.execute(owner)).rows.map((r) => r.name),
  );
  const files = fs.readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  for (const file of files) {
    if (done.has(file)) continue;
    const text = fs.readFileSync(path.join(migrationsDir, file), 'utf8');
    await owner.connection().execute(async (conn) => {
      // simple-protocol multi-statement script; the lock keeps two starting servers from racing
      await sql.raw(`begin; select pg_advisory_xact_lock(7425001);`).execute(conn);
      try {
        const again = await sql<{ n: number }>`select count(*)::int as n from schema_migrations where name = ${file}`.execute(conn);
        if (again.rows[0]!.n === 0) {
          await sql.raw(text).execute(conn);
          await sql`insert into schema_migrations (name) values (${file})`.execute(conn);
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
