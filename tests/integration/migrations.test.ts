import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase } from '../support/world.ts';
import type { Database } from '../../src/server/core/db/database.ts';
import { migrate, migrationChecksum, MigrationChangedError } from '../../src/server/core/db/migrate.ts';

const MIGRATIONS = path.resolve('migrations');
const files = fs
  .readdirSync(MIGRATIONS)
  .filter((f) => f.endsWith('.sql'))
  .sort();
const fileChecksum = (file: string) => migrationChecksum(fs.readFileSync(path.join(MIGRATIONS, file), 'utf8'));

let db: Database;
let drop: () => Promise<void>;
let tmp: string;

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-migrations-'));
});
afterAll(async () => {
  await drop?.();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const recorded = async () =>
  (
    await sql<{
      name: string;
      checksum: string | null;
    }>`select name, checksum from schema_migrations order by name`.execute(db.owner)
  ).rows;

/** A migrations directory of its own: the real files (optionally changed) plus extra ones. */
function migrationsDir(
  name: string,
  opts: { change?: Record<string, (text: string) => string>; extra?: Record<string, string> } = {},
) {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  for (const file of files) {
    const text = fs.readFileSync(path.join(MIGRATIONS, file), 'utf8');
    fs.writeFileSync(path.join(dir, file), opts.change?.[file]?.(text) ?? text);
  }
  for (const [file, text] of Object.entries(opts.extra ?? {})) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

describe('migration checksums', () => {
  it('a fresh database records the sha256 of every migration file', async () => {
    expect(await recorded()).toEqual(files.map((name) => ({ name, checksum: fileChecksum(name) })));
    for (const row of await recorded()) expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
    // nothing left to apply, and starting again passes the check
    expect(await migrate(db.owner)).toEqual([]);
  });

  it('normalises line endings: a CRLF checkout has the checksum of the file in git', () => {
    const text = fs.readFileSync(path.join(MIGRATIONS, files[0]!), 'utf8');
    expect(migrationChecksum(text.replace(/\n/g, '\r\n'))).toBe(migrationChecksum(text));
    expect(migrationChecksum(`${text}-- one more line\n`)).not.toBe(migrationChecksum(text));
  });

  it('an applied migration whose content changed stops migrate() with a message naming the file', async () => {
    await sql`update schema_migrations set checksum = ${'0'.repeat(64)} where name = '005_referrals.sql'`.execute(
      db.owner,
    );
    try {
      const error = await migrate(db.owner).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MigrationChangedError);
      const message = (error as Error).message;
      expect(message).toContain('005_referrals.sql');
      expect(message).toContain('changed after it was applied');
      expect(message).toContain('never edited');
      expect(message).toContain('new migration file');
      expect(message).toContain("where name in ('005_referrals.sql')");
      // the stored checksum is left as it was: the operator decides
      expect((await recorded()).find((r) => r.name === '005_referrals.sql')!.checksum).toBe('0'.repeat(64));
    } finally {
      await sql`update schema_migrations set checksum = ${fileChecksum('005_referrals.sql')} where name = '005_referrals.sql'`.execute(
        db.owner,
      );
    }
  });

  it('an edited file stops the start before any later migration runs; CRLF line endings alone do not', async () => {
    const probe = { '900_probe.sql': 'create table migration_probe (id int);\n' };
    const edited = migrationsDir('edited', {
      change: { '002_catalogue.sql': (text) => `${text}\nalter table offers add column edited_in_place text;\n` },
      extra: probe,
    });
    await expect(migrate(db.owner, { dir: edited })).rejects.toThrow(/002_catalogue\.sql changed after it was applied/);
    const probeExists = async () =>
      (await sql<{ t: string | null }>`select to_regclass('public.migration_probe')::text as t`.execute(db.owner))
        .rows[0]!.t;
    expect(await probeExists()).toBeNull();
    expect((await recorded()).map((r) => r.name)).toEqual(files);

    const crlf = migrationsDir('crlf', {
      change: Object.fromEntries(files.map((f) => [f, (text: string) => text.replace(/\n/g, '\r\n')])),
      extra: probe,
    });
    expect(await migrate(db.owner, { dir: crlf })).toEqual(['900_probe.sql']);
    expect(await probeExists()).toBe('migration_probe');
    expect((await recorded()).find((r) => r.name === '900_probe.sql')!.checksum).toBe(
      migrationChecksum(probe['900_probe.sql']),
    );
    await sql`drop table migration_probe`.execute(db.owner);
    await sql`delete from schema_migrations where name = '900_probe.sql'`.execute(db.owner);
  });

  it('a recorded migration without a checksum gets the checksum of its file (backfill), once', async () => {
    await sql`update schema_migrations set checksum = null where name in ('001_foundation.sql', '005_referrals.sql')`.execute(
      db.owner,
    );
    expect(await migrate(db.owner)).toEqual([]);
    expect(await recorded()).toEqual(files.map((name) => ({ name, checksum: fileChecksum(name) })));
  });

  it('a database migrated before checksums existed is brought in line: the column is added and every row backfilled', async () => {
    await sql`alter table schema_migrations drop column checksum`.execute(db.owner);
    expect(await migrate(db.owner)).toEqual([]);
    expect(await recorded()).toEqual(files.map((name) => ({ name, checksum: fileChecksum(name) })));
  });
});
