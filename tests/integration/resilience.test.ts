// Resilience against a real PostgreSQL: backends terminated under load, a restart of PostgreSQL itself (in a
// throwaway cluster this test starts; the shared server is never restarted), a connection that hangs, a statement
// that waits too long, and a graceful stop on SIGTERM. The server runs as its own process, as in production, so
// "the process lives" is asserted on a real process.
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDatabase, type Database } from '../../src/server/core/db/database.ts';
import { migrate } from '../../src/server/core/db/migrate.ts';
import { ensureReferenceData } from '../../src/server/reference-data.ts';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/core/config.ts';
import {
  canRunOwnCluster,
  HttpSession,
  sleep,
  startCluster,
  startHangingProxy,
  startServer,
  type Cluster,
  type ServerProcess,
} from '../support/processes.ts';
import {
  Caller,
  createWorld,
  login,
  makeNetwork,
  makeOrganization,
  makeUser,
  PASSWORD,
  serverUrl,
  type World,
} from '../support/world.ts';

const WRITERS = 60;

/** A database on `url`'s server, migrated, with one organisation and an intake worker who can create clients. */
async function prepareDatabase(adminUrl: string) {
  const name = `kl_res_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await createDatabase({ databaseUrl: url.toString(), poolSize: 2 });
  await migrate(db.owner);
  await ensureReferenceData(db.owner);
  const world = { owner: db.owner } as World;
  const network = await makeNetwork(world);
  const org = await makeOrganization(world, network.id, 'caw');
  const user = await makeUser(world, { role: 'intake-worker', networkId: network.id, organizationId: org.id });
  return { name, url: url.toString(), db, email: user.email };
}

async function dropDatabase(adminUrl: string, name: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

interface WriteResult {
  status: number;
  id?: string;
  at: number;
  retryAfter: string | null;
  problem: boolean;
}

/** `WRITERS` concurrent loops creating clients until `stop()`; every answer is kept. */
function startWriters(session: HttpSession) {
  const results: WriteResult[] = [];
  let running = true;
  let n = 0;
  const loop = async () => {
    while (running) {
      const at = Date.now();
      try {
        const res = await session.request('POST', '/api/clients', {
          givenName: `Test${++n}`,
          familyName: `Belasting${crypto.randomBytes(3).toString('hex')}`,
        });
        results.push({
          status: res.status,
          id: res.status === 201 ? String(res.body?.id) : undefined,
          at,
          retryAfter: res.headers.get('retry-after'),
          problem: (res.headers.get('content-type') ?? '').startsWith('application/problem+json'),
        });
      } catch {
        results.push({ status: 0, at, retryAfter: null, problem: false });
      }
    }
  };
  const loops = Array.from({ length: WRITERS }, loop);
  return {
    results,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function terminateBackends(adminUrl: string, database: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const { rows } = await admin.query<{ n: string }>(
    'select count(pg_terminate_backend(pid)) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
    [database],
  );
  await admin.end();
  return Number(rows[0]!.n);
}

/** Every acknowledged (201) client is in the database. */
async function expectNoAcknowledgedWriteLost(db: Database, results: WriteResult[]) {
  const ids = results.filter((r) => r.status === 201).map((r) => r.id!);
  expect(ids.length).toBeGreaterThan(WRITERS);
  const found = await db.owner.selectFrom('clients').select('id').where('id', 'in', ids).execute();
  expect(found.length).toBe(ids.length);
}

function expectOnly201Or503(results: WriteResult[]) {
  const other = results.filter((r) => r.status !== 201 && r.status !== 503);
  expect(other.map((r) => r.status)).toEqual([]);
  for (const r of results.filter((x) => x.status === 503)) {
    expect(r.problem).toBe(true);
    expect(Number(r.retryAfter)).toBeGreaterThan(0);
  }
}

/** Until a backend of the holder's database waits for a lock (the request is in flight), at most 10 s. */
async function waitForLockWaiter(holder: pg.Client) {
  const waiting = async () => {
    // (inside the holder's transaction the activity view is a snapshot until cleared)
    await holder.query('select pg_stat_clear_snapshot()');
    return (
      await holder.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      )
    ).rows[0]!.n;
  };
  for (const deadline = Date.now() + 10_000; (await waiting()) === 0 && Date.now() < deadline;) await sleep(50);
}

/** Milliseconds from `since` to the first acknowledged write that started after it. */
const recoveryMs = (results: WriteResult[], since: number) => {
  const first = results.filter((r) => r.status === 201 && r.at >= since).sort((a, b) => a.at - b.at)[0];
  return first ? first.at - since : Infinity;
};

describe.skipIf(!serverUrl)('a lost database connection on a PostgreSQL server', () => {
  let prepared: Awaited<ReturnType<typeof prepareDatabase>>;
  let server: ServerProcess;

  beforeAll(async () => {
    prepared = await prepareDatabase(serverUrl!);
    server = await startServer({ DATABASE_URL: prepared.url, DB_POOL_SIZE: '20' });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await prepared?.db.close();
    if (prepared) await dropDatabase(serverUrl!, prepared.name);
  });

  it(`backends terminated under ${WRITERS} concurrent writers: the process lives, requests in flight get 503, no acknowledged write is lost, service returns within 5 s`, async () => {
    const session = await new HttpSession(server.url).login(prepared.email, PASSWORD);
    const writers = startWriters(session);
    await sleep(1500);
    const terminatedAt = Date.now();
    expect(await terminateBackends(serverUrl!, prepared.name)).toBeGreaterThan(0);
    await sleep(1000);
    const secondAt = Date.now();
    await terminateBackends(serverUrl!, prepared.name);
    // the writers go on until a write that started after the second cut is acknowledged (or the 5 s bound passes):
    // a fixed pause would cut the window short on a loaded machine
    await sleep(1000);
    while (recoveryMs(writers.results, secondAt) === Infinity && Date.now() - secondAt < 6000) await sleep(100);
    await writers.stop();

    expect(server.child.exitCode).toBeNull();
    expectOnly201Or503(writers.results);
    expect(writers.results.filter((r) => r.status === 503).length).toBeGreaterThan(0);
    expect(recoveryMs(writers.results, terminatedAt)).toBeLessThan(5000);
    expect(recoveryMs(writers.results, secondAt)).toBeLessThan(5000);
    await expectNoAcknowledgedWriteLost(prepared.db, writers.results);

    const ready = await fetch(`${server.url}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'postgres' });
    // the log says what happened, without the statement or personal data
    expect(server.output()).toContain('database.connection-error');
    expect(server.output()).not.toContain('Belasting');
  }, 60_000);

  it('SIGTERM lets a request in flight finish, stops accepting, closes the pool and exits 0', async () => {
    const session = await new HttpSession(server.url).login(prepared.email, PASSWORD);
    const created = await session.request('POST', '/api/clients', { givenName: 'Sanne', familyName: 'Stopper' });
    expect(created.status).toBe(201);
    // hold the clients table so that the read below is still in flight when the signal arrives
    const holder = new pg.Client({ connectionString: prepared.url });
    await holder.connect();
    await holder.query('begin; lock table clients in access exclusive mode');
    const read = session.request('GET', `/api/clients/${String(created.body!.id)}`);
    await waitForLockWaiter(holder);
    server.child.kill('SIGTERM');
    // no longer accepting: a new connection is refused (or told the server is closing), once the signal is handled
    const health = () =>
      fetch(`${server.url}/api/health`).then(
        (r) => r.status,
        () => 'refused' as const,
      );
    let late = await health();
    for (const deadline = Date.now() + 5000; late === 200 && Date.now() < deadline; late = await health())
      await sleep(100);
    expect([503, 'refused']).toContain(late);
    await holder.query('rollback');
    await holder.end();
    const answer = await read;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ givenName: 'Sanne' });
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('server.stopped');
  }, 60_000);
});

describe.skipIf(!serverUrl)('SIGTERM with a request that does not finish in time', () => {
  it('cuts it after the grace period and exits 1, so the supervisor log shows the stop was not clean', async () => {
    const prepared = await prepareDatabase(serverUrl!);
    const server = await startServer({ DATABASE_URL: prepared.url, SHUTDOWN_GRACE_MS: '500' });
    const holder = new pg.Client({ connectionString: prepared.url });
    try {
      const session = await new HttpSession(server.url).login(prepared.email, PASSWORD);
      await holder.connect();
      await holder.query('begin; lock table clients in access exclusive mode');
      const read = session.request('GET', '/api/clients?q=ab').then(
        (r) => r.status,
        () => 'cut',
      );
      await waitForLockWaiter(holder);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(1);
      expect(await read).toBe('cut');
      expect(server.output()).toContain('server.stopping.grace-exceeded');
    } finally {
      await holder.query('rollback').catch(() => undefined);
      await holder.end().catch(() => undefined);
      await server.stop();
      await prepared.db.close();
      await dropDatabase(serverUrl!, prepared.name);
    }
  }, 60_000);
});

describe.skipIf(!serverUrl || !canRunOwnCluster)('a restart of PostgreSQL itself (throwaway cluster)', () => {
  let cluster: Cluster;
  let prepared: Awaited<ReturnType<typeof prepareDatabase>>;
  let server: ServerProcess;

  beforeAll(async () => {
    cluster = await startCluster();
    prepared = await prepareDatabase(cluster.url);
    server = await startServer({ DATABASE_URL: prepared.url, DB_CONNECT_TIMEOUT_MS: '1000' });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await prepared?.db.close().catch(() => undefined);
    cluster?.destroy();
  });

  it('answers 503 with Retry-After while PostgreSQL is down, /api/ready says so, and serves again within 5 s of it being back', async () => {
    const session = await new HttpSession(server.url).login(prepared.email, PASSWORD);
    const writers = startWriters(session);
    await sleep(1500);
    cluster.stop();
    await sleep(300);
    const down = await fetch(`${server.url}/api/ready`);
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    await sleep(1000);
    cluster.start();
    const backAt = Date.now();
    await sleep(5000);
    await writers.stop();

    expect(server.child.exitCode).toBeNull();
    expectOnly201Or503(writers.results);
    expect(writers.results.filter((r) => r.status === 503).length).toBeGreaterThan(0);
    expect(recoveryMs(writers.results, backAt)).toBeLessThan(5000);
    await expectNoAcknowledgedWriteLost(prepared.db, writers.results);
    expect((await fetch(`${server.url}/api/ready`)).status).toBe(200);
  }, 90_000);
});

describe.skipIf(!serverUrl)('a connection that hangs or a statement that waits', () => {
  let world: World;
  let proxy: Awaited<ReturnType<typeof startHangingProxy>>;
  let hungApp: Awaited<ReturnType<typeof buildApp>>;
  let hungDb: Database;
  let caller: Caller;
  let email: string;

  beforeAll(async () => {
    world = await createWorld();
    const network = await makeNetwork(world);
    const org = await makeOrganization(world, network.id, 'caw');
    email = (await makeUser(world, { role: 'intake-worker', networkId: network.id, organizationId: org.id })).email;
    caller = await login(world, email);
    // a second app on the same database, reached through a proxy that can hang, with short bounds
    const target = new URL(serverUrl!);
    proxy = await startHangingProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const dbName = (await sql<{ name: string }>`select current_database() as name`.execute(world.owner)).rows[0]!.name;
    hungDb = await createDatabase({
      databaseUrl: `postgres://postgres@127.0.0.1:${proxy.port}/${dbName}`,
      poolSize: 4,
      timeouts: { connectMs: 1000, statementMs: 1000, queryMs: 1500 },
    });
    hungApp = await buildApp({ db: hungDb, config: loadConfig({}), logger: false });
    await hungApp.ready();
  }, 60_000);
  afterAll(async () => {
    await hungApp?.close();
    await hungDb?.close();
    await proxy?.close();
    await world?.close();
  });

  it('a request on a connection that hangs answers 503 within the bounds, and the service comes back when it answers again', async () => {
    const hungCaller = await loginOn(hungApp, email);
    expect((await hungCaller.get('/api/clients?q=ab')).statusCode).toBe(200);
    proxy.hang();
    const started = Date.now();
    const res = await hungCaller.get('/api/clients?q=ab');
    const took = Date.now() - started;
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(took).toBeLessThan(4000);
    // a new connection cannot be opened either: the connect bound answers
    const ready = await hungApp.inject({ method: 'GET', url: '/api/ready' });
    expect(ready.statusCode).toBe(503);
    proxy.release();
    const deadline = Date.now() + 5000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await hungCaller.get('/api/clients?q=ab')).statusCode;
      if (status !== 200) await sleep(200);
    }
    expect(status).toBe(200);
  }, 30_000);

  it('a statement that waits longer than the statement bound is cancelled: 503, and nothing of it is kept', async () => {
    const hungCaller = await loginOn(hungApp, email);
    const holder = new pg.Client({
      connectionString: `postgres://postgres@127.0.0.1:${new URL(serverUrl!).port || 5432}/${(await sql<{ name: string }>`select current_database() as name`.execute(world.owner)).rows[0]!.name}`,
    });
    await holder.connect();
    try {
      await holder.query('begin; lock table clients in access exclusive mode');
      const started = Date.now();
      const res = await hungCaller.post('/api/clients', { givenName: 'Wacht', familyName: 'Langeslot' });
      expect(res.statusCode).toBe(503);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    const kept = await world.owner.selectFrom('clients').select('id').where('family_name', '=', 'Langeslot').execute();
    expect(kept).toEqual([]);
    expect((await caller.get('/api/clients?q=ab')).statusCode).toBe(200);
  }, 30_000);
});

async function loginOn(app: Awaited<ReturnType<typeof buildApp>>, email: string) {
  return login({ app } as World, email);
}

describe('the embedded database failing', () => {
  it('answers 503 (not a crash, not a hang) once the database is gone, and /api/ready says so', async () => {
    const world = await createWorld();
    const network = await makeNetwork(world);
    const org = await makeOrganization(world, network.id, 'caw');
    const { email } = await makeUser(world, { role: 'intake-worker', networkId: network.id, organizationId: org.id });
    const caller = await login(world, email);
    expect((await world.app.inject({ method: 'GET', url: '/api/ready' })).json()).toMatchObject({ status: 'ready' });
    await world.db.close();
    const res = await caller.get('/api/clients?q=ab');
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect((await world.app.inject({ method: 'GET', url: '/api/ready' })).statusCode).toBe(503);
    await world.close(); // on PostgreSQL this also drops the test's database
  });
});

describe('start-up', () => {
  it('a database that cannot be reached at start is logged and exits non-zero, so that a supervisor retries', async () => {
    const { freePort } = await import('../support/processes.ts');
    const port = await freePort();
    await expect(
      startServer({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/none`, DB_CONNECT_TIMEOUT_MS: '500' }),
    ).rejects.toThrow(/exited with [1-9]/);
  }, 30_000);
});
