import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/server/core/db/database.ts';
import { migrate } from '../../src/server/core/db/migrate.ts';
import { ensureReferenceData } from '../../src/server/reference-data.ts';
import { seedDemo, DEMO_PASSWORD } from '../../src/server/demo/seed.ts';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/core/config.ts';
import { Caller, login, makeTenants, makeUser, serverUrl, type World } from '../support/world.ts';

/**
 * `npm run backup` / `npm run restore` end to end, through the command-line entry points: a seeded database is
 * backed up and restored into an empty one (a new database on the server, a new data folder on PGlite), and every
 * table of schema public is compared row by row, with row-level security, policies and the app role's grants.
 */

const MIGRATIONS = path.resolve('migrations');
const onServer = Boolean(serverUrl);
const EXT = onServer ? 'dump' : 'tar.gz';
let tmp: string;
const createdDatabases: string[] = [];
const createdRoles: string[] = [];

/** A new empty target: a database on the server, or a folder path (not yet created) for PGlite. */
async function newTarget(label: string): Promise<string> {
  if (!onServer) return path.join(tmp, `data-${label}`);
  const name = `kl_test_bk_${crypto.randomBytes(4).toString('hex')}_${label}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  createdDatabases.push(name);
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

const open = (target: string) =>
  onServer ? createDatabase({ databaseUrl: target, poolSize: 3 }) : createDatabase({ dataDir: target });

/** The environment that points the commands at a target, as an operator sets it. */
const envFor = (target: string): NodeJS.ProcessEnv => ({
  ...process.env,
  DATABASE_URL: onServer ? target : '',
  DATA_DIR: onServer ? path.join(tmp, 'unused-data') : target,
  BACKUP_DIR: path.join(tmp, 'backups'),
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(command: 'backup' | 'restore', args: string[], target: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `src/server/cli/${command}.ts`, ...args], {
      env: { ...envFor(target), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

interface Snapshot {
  tables: Record<string, string[]>;
  structure: Record<string, unknown[]>;
}

/** Every table of schema public, row by row (ordered by primary key, then by the whole row), and the security set-up. */
async function snapshot(target: string): Promise<Snapshot> {
  const db = await open(target);
  try {
    return await db.owner.connection().execute(async (conn) => {
      // a row that row-level security would hide makes the read fail instead of vanishing from the comparison
      await sql`set row_security = off`.execute(conn);
      const names = (
        await sql<{ table_name: string }>`
          select table_name from information_schema.tables
           where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(conn)
      ).rows.map((r) => r.table_name);
      const tables: Record<string, string[]> = {};
      for (const table of names) {
        const key = (
          await sql<{ column_name: string }>`
            select k.column_name from information_schema.table_constraints c
              join information_schema.key_column_usage k
                on k.constraint_name = c.constraint_name and k.table_schema = c.table_schema and k.table_name = c.table_name
             where c.table_schema = 'public' and c.table_name = ${table} and c.constraint_type = 'PRIMARY KEY'
             order by k.ordinal_position`.execute(conn)
        ).rows.map((r) => sql.ref(`t.${r.column_name}`));
        const order = sql.join([...key, sql`t::text`]);
        tables[table] = (
          await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t order by ${order}`.execute(conn)
        ).rows.map((r) => r.row);
      }
      const query = async (q: ReturnType<typeof sql>) => (await q.execute(conn)).rows;
      const structure = {
        rowSecurity: await query(sql`
          select relname, relrowsecurity, relforcerowsecurity from pg_class
           where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') order by relname`),
        policies: await query(sql`
          select tablename, policyname, permissive, roles::text, cmd, qual, with_check from pg_policies
           where schemaname = 'public' order by tablename, policyname`),
        tableGrants: await query(sql`
          select table_name, privilege_type from information_schema.role_table_grants
           where grantee = 'kortelijn_app' and table_schema = 'public' order by table_name, privilege_type`),
        routineGrants: await query(sql`
          select routine_name, privilege_type from information_schema.role_routine_grants
           where grantee = 'kortelijn_app' and routine_schema = 'public' order by routine_name, privilege_type`),
        schemaUsage: await query(sql`select has_schema_privilege('kortelijn_app', 'public', 'usage') as usage`),
        triggers: await query(sql`
          select event_object_table, trigger_name, action_timing, event_manipulation from information_schema.triggers
           where trigger_schema = 'public' order by event_object_table, trigger_name, event_manipulation`),
        indexes: await query(
          sql`select indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname`,
        ),
        functions: await query(sql`
          select p.proname, pg_get_function_identity_arguments(p.oid) as args, p.prosecdef from pg_proc p
           where p.pronamespace = 'public'::regnamespace order by 1, 2`),
        sequences: await query(sql`
          select sequencename, last_value from pg_sequences where schemaname = 'public' order by sequencename`),
      };
      return { tables, structure };
    });
  } finally {
    await db.close();
  }
}

let source: string;
let sourceSnapshot: Snapshot;
let backupFile: string;
let restored: string;
let clientId: string;
let orgAId: string;
let intakeEmail: string;

/** The demo network plus a small world made through the API: clients, help requests, screenings, a consent, a referral accepted. */
async function seedSource(target: string) {
  const db = await open(target);
  const config = { ...loadConfig({}) };
  const app = await buildApp({ db, config, logger: false });
  await app.ready();
  const world: World = { app, db, owner: db.owner, config, close: async () => undefined };
  try {
    await migrate(db.owner);
    await ensureReferenceData(db.owner);
    expect((await seedDemo(db.owner)).seeded).toBe(true);
    const t = await makeTenants(world);
    orgAId = t.orgA.id;
    intakeEmail = t.users.intakeA.email;
    const sender = await login(world, t.users.intakeA.email);
    const receiver = await login(world, t.users.intakeB.email);
    const coordB = await makeUser(world, { role: 'coordinator', networkId: t.network.id, organizationId: t.orgB.id });
    const offer = await (
      await login(world, coordB.email)
    ).post('/api/offers', {
      name: 'Begeleiding B',
      description: 'Ondersteuning bij somberheid',
      themes: ['depression'],
      municipalities: ['24062'],
      modalities: ['face-to-face'],
      capacity: 'open',
      level: 'basic',
    });
    expect(offer.statusCode, offer.raw).toBe(201);
    const people = [
      { givenName: 'Sara', familyName: 'Verwijzing', birthDate: '1985-02-02', phone: '+32 470 11 22 33' },
      { givenName: 'Éloïse', familyName: "D'Hondt", birthDate: '1999-12-31' },
      { givenName: 'Jan', familyName: 'Peeters', birthDate: '1950-06-15' },
    ];
    for (const [i, person] of people.entries()) {
      const client = await sender.post('/api/clients', person);
      expect(client.statusCode, client.raw).toBe(201);
      clientId ??= client.body.id;
      const help = await sender.post('/api/help-requests', {
        clientId: client.body.id,
        story: `Hulpvraag ${i + 1}: zit vast in somberheid`,
        themes: ['depression'],
        urgency: 'urgent',
      });
      expect(help.statusCode, help.raw).toBe(201);
      const screening = await sender.post(`/api/help-requests/${help.body.id}/screenings`, {
        instrument: 'phq9',
        answers: { q1: 2, q2: 2, q3: 1, q4: 1, q5: 1, q6: 1, q7: 1, q8: 0, q9: 0 },
      });
      expect(screening.statusCode, screening.raw).toBe(201);
      if (i > 0) continue;
      const consent = await sender.post('/api/consents', {
        clientId: client.body.id,
        purpose: 'referral',
        recipientOrganizationId: t.orgB.id,
        categories: ['contact', 'help-request-summary'],
        method: 'verbal',
      });
      expect(consent.statusCode, consent.raw).toBe(201);
      const referral = await sender.post('/api/referrals', {
        helpRequestId: help.body.id,
        offerId: offer.body.id,
        priority: 'routine',
        message: 'Graag snel contact',
        consentId: consent.body.id,
      });
      expect(referral.statusCode, referral.raw).toBe(201);
      const accepted = await receiver.post(`/api/referrals/${referral.body.id}/transitions`, { action: 'accept' });
      expect(accepted.statusCode, accepted.raw).toBe(200);
    }
    expect((await sender.get(`/api/clients/${clientId}`)).statusCode).toBe(200);
  } finally {
    await app.close();
    await db.close();
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-backup-'));
  source = await newTarget('src');
  await seedSource(source);
  sourceSnapshot = await snapshot(source);
}, 120_000);

afterAll(async () => {
  if (onServer && createdDatabases.length) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    for (const name of createdDatabases) await admin.query(`drop database if exists ${name} with (force)`);
    for (const role of createdRoles) await admin.query(`drop role if exists ${role}`);
    await admin.end();
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('npm run backup, npm run restore', { timeout: onServer ? 120_000 : 300_000 }, () => {
  it('backs up a seeded database and restores it into an empty one: every table equal row by row', async () => {
    // the comparison is not vacuous: the seed reached the tables that matter
    for (const table of [
      'clients',
      'help_requests',
      'screenings',
      'consents',
      'referrals',
      'referral_events',
      'notifications',
      'audit_log',
      'sessions',
      'offers',
      'organizations',
      'users',
      'memberships',
      'municipalities',
      'schema_migrations',
    ])
      expect(sourceSnapshot.tables[table]?.length ?? 0, table).toBeGreaterThan(0);
    backupFile = path.join(tmp, 'out', `seeded.${EXT}`);
    const backup = await cli('backup', ['--output', backupFile], source);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(`Backup written: ${backupFile}`);
    expect(fs.statSync(backupFile).mode & 0o077).toBe(0); // personal data: owner only
    expect(fs.existsSync(`${backupFile}.partial`)).toBe(false);

    restored = await newTarget('dst');
    const restore = await cli('restore', [backupFile], restored);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain('Migrations: up to date.');

    const copy = await snapshot(restored);
    expect(Object.keys(copy.tables)).toEqual(Object.keys(sourceSnapshot.tables));
    for (const [table, rows] of Object.entries(sourceSnapshot.tables)) expect(copy.tables[table], table).toEqual(rows);
    for (const [part, rows] of Object.entries(sourceSnapshot.structure))
      expect(copy.structure[part], part).toEqual(rows);
    expect(sourceSnapshot.structure.rowSecurity!.length).toBeGreaterThan(20);
    expect(sourceSnapshot.structure.tableGrants!.length).toBeGreaterThan(20);
  });

  it('the restored database serves the app as before: sign-in, a client read under RLS, another organisation gets 404', async () => {
    const db = await open(restored);
    const config = { ...loadConfig({}) };
    const app = await buildApp({ db, config, logger: false });
    await app.ready();
    const world: World = { app, db, owner: db.owner, config, close: async () => undefined };
    try {
      // the app role still sees no client without a tenant context
      expect(await db.app.selectFrom('clients').select('id').execute()).toEqual([]);
      const own = await (await login(world, intakeEmail)).get(`/api/clients/${clientId}`);
      expect(own.statusCode).toBe(200);
      expect(own.body).toMatchObject({ id: clientId, givenName: 'Sara', familyName: 'Verwijzing' });
      const other = await login(world, 'onthaal@cgg.demo.example', DEMO_PASSWORD);
      expect((await other.get(`/api/clients/${clientId}`)).statusCode).toBe(404);
      const wrong = await new Caller(app).post('/api/auth/login', {
        email: intakeEmail,
        password: 'wrong password 123',
      });
      expect(wrong.statusCode).toBe(401);
      const org = await db.owner.selectFrom('organizations').select('id').where('id', '=', orgAId).execute();
      expect(org).toHaveLength(1);
    } finally {
      await app.close();
      await db.close();
    }
  });

  it('refuses to restore into a database that is not empty, says why, and changes nothing', async () => {
    const db = await open(restored);
    await db.owner.deleteFrom('sessions').execute();
    await db.close();
    const before = await snapshot(restored);
    const refused = await cli('restore', [backupFile], restored);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/not empty/);
    expect(refused.stderr).toContain('--force');
    expect((await snapshot(restored)).tables).toEqual(before.tables);
  });

  it('with --force replaces the content and keeps what it replaced', async () => {
    const forced = await cli('restore', [backupFile, '--force'], restored);
    expect(forced.code, forced.stderr).toBe(0);
    const previous = /kept in (.+)\.\n/.exec(forced.stdout)?.[1];
    expect(previous, forced.stdout).toBeTruthy();
    expect(fs.existsSync(previous!)).toBe(true);
    // the sessions deleted above are back: the database is the backup again
    expect((await snapshot(restored)).tables).toEqual(sourceSnapshot.tables);
    if (onServer) expect(previous!.startsWith(path.join(tmp, 'backups', 'korte-lijn-before-restore-'))).toBe(true);
    else expect(previous!.startsWith(`${restored}.before-restore-`)).toBe(true);
  });

  it('a damaged backup restores nothing: the target stays empty and says so', async () => {
    const damaged = path.join(tmp, 'out', `damaged.${EXT}`);
    const whole = fs.readFileSync(backupFile);
    fs.writeFileSync(damaged, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const target = await newTarget('damaged');
    const restore = await cli('restore', [damaged], target);
    expect(restore.code).toBe(1);
    if (onServer) {
      expect(restore.stderr).toContain('nothing was restored');
      const db = await open(target);
      try {
        const left = await sql<{ n: number }>`
          select count(*)::int as n from pg_class where relnamespace = 'public'::regnamespace`.execute(db.owner);
        expect(left.rows[0]!.n).toBe(0);
      } finally {
        await db.close();
      }
    } else {
      expect(restore.stderr).toContain('was not changed');
      expect(fs.existsSync(target)).toBe(false);
      expect(fs.readdirSync(tmp).filter((f) => f.startsWith('data-damaged'))).toEqual([]);
    }
  });

  it('an older backup comes up to date: the restore applies the migrations it lacks', async () => {
    const files = fs
      .readdirSync(MIGRATIONS)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    const early = files.slice(0, 3);
    const oldMigrations = path.join(tmp, 'old-migrations');
    fs.mkdirSync(oldMigrations);
    for (const f of early) fs.copyFileSync(path.join(MIGRATIONS, f), path.join(oldMigrations, f));
    const old = await newTarget('old');
    const db: Database = await open(old);
    await migrate(db.owner, { dir: oldMigrations });
    await db.close();
    const file = path.join(tmp, 'out', `old.${EXT}`);
    expect((await cli('backup', ['--output', file], old)).code).toBe(0);
    const target = await newTarget('oldcopy');
    const restore = await cli('restore', [file], target);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain(`Migrations applied since the backup: ${files.slice(3).join(', ')}.`);
    const copy = await open(target);
    try {
      const applied = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(copy.owner);
      expect(applied.rows.map((r) => r.name)).toEqual(files);
    } finally {
      await copy.close();
    }
    // the same tables as a database migrated from scratch
    expect(Object.keys((await snapshot(target)).tables)).toEqual(Object.keys(sourceSnapshot.tables));
  });

  it('refuses a backup of the other kind of database, and a file that is no backup', async () => {
    const other = path.join(tmp, 'other-kind');
    fs.writeFileSync(other, onServer ? Buffer.from([0x1f, 0x8b, 8, 0, 0]) : Buffer.from('PGDMP\u0001\u000e'));
    const target = await newTarget('never');
    const wrongKind = await cli('restore', [other], target);
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.stderr).toMatch(onServer ? /embedded database \(PGlite\)/ : /PostgreSQL server \(pg_dump\)/);
    const junk = path.join(tmp, 'junk.txt');
    fs.writeFileSync(junk, 'hello');
    const notBackup = await cli('restore', [junk], target);
    expect(notBackup.code).toBe(2);
    expect(notBackup.stderr).toContain('is not a Korte Lijn backup');
    const missing = await cli('restore', [], target);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Usage: npm run restore');
    if (!onServer) expect(fs.existsSync(target)).toBe(false);
  });

  it.runIf(onServer)(
    'server, as in production: the owner is no superuser; a BYPASSRLS role backs up, the owner restores, RLS and grants intact',
    async () => {
      const suffix = crypto.randomBytes(4).toString('hex');
      const password = crypto.randomBytes(12).toString('hex');
      const owner = `kl_test_bk_owner_${suffix}`;
      const reader = `kl_test_bk_reader_${suffix}`;
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      try {
        // CREATEROLE: migration 001 grants the app role to its runner
        await admin.query(`create role ${owner} login createrole password '${password}'`);
        createdRoles.push(owner);
        await admin.query(`create role ${reader} login bypassrls password '${password}'`);
        createdRoles.push(reader);
        await admin.query(`grant pg_read_all_data to ${reader}`);
        for (const db of ['osrc', 'odst']) {
          const name = `kl_test_bk_${suffix}_${db}`;
          await admin.query(`create database ${name} owner ${owner}`);
          createdDatabases.push(name);
        }
      } finally {
        await admin.end();
      }
      const as = (user: string, db: string) => {
        const url = new URL(serverUrl!);
        url.username = user;
        url.password = password;
        url.pathname = `/kl_test_bk_${suffix}_${db}`;
        return url.toString();
      };
      const ownerDb = await createDatabase({ databaseUrl: as(owner, 'osrc'), poolSize: 2 });
      try {
        await migrate(ownerDb.owner);
        await ensureReferenceData(ownerDb.owner);
        expect((await seedDemo(ownerDb.owner)).seeded).toBe(true);
      } finally {
        await ownerDb.close();
      }
      const file = path.join(tmp, 'out', 'owner.dump');
      const refused = await cli('backup', ['--output', file], as(owner, 'osrc'));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('BYPASSRLS');
      expect(fs.existsSync(file)).toBe(false);
      const backup = await cli('backup', ['--output', file], as(reader, 'osrc'));
      expect(backup.code, backup.stderr).toBe(0);
      // the password travels in PGPASSWORD, never on a command line or in a message
      expect(backup.stdout + backup.stderr).not.toContain(password);
      const restore = await cli('restore', [file], as(owner, 'odst'));
      expect(restore.code, restore.stderr).toBe(0);
      const superUrl = (db: string) => {
        const url = new URL(serverUrl!);
        url.pathname = `/kl_test_bk_${suffix}_${db}`;
        return url.toString();
      };
      const [before, after] = [await snapshot(superUrl('osrc')), await snapshot(superUrl('odst'))];
      expect(before.tables.clients!.length).toBeGreaterThan(0);
      expect(after.tables).toEqual(before.tables);
      expect(after.structure).toEqual(before.structure);
      const check = new pg.Client({ connectionString: superUrl('odst') });
      await check.connect();
      try {
        const owners = await check.query<{ owner: string }>(
          `select distinct pg_get_userbyid(relowner) as owner from pg_class where relnamespace = 'public'::regnamespace`,
        );
        expect(owners.rows).toEqual([{ owner }]);
      } finally {
        await check.end();
      }
    },
  );

  it.runIf(!onServer)('PGlite: refuses to back up a data folder that is open, unless --force', async () => {
    const pid = path.join(source, 'postmaster.pid');
    fs.writeFileSync(pid, '-42\n');
    try {
      const file = path.join(tmp, 'out', 'open.tar.gz');
      const refused = await cli('backup', ['--output', file], source);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('stop Korte Lijn first');
      expect(fs.existsSync(file)).toBe(false);
      const forced = await cli('backup', ['--output', file, '--force'], source);
      expect(forced.code, forced.stderr).toBe(0);
      expect(fs.existsSync(file)).toBe(true);
    } finally {
      fs.rmSync(pid, { force: true });
    }
  });
});
