// The reporting pool on a real streaming replica: a throwaway primary and a standby made with `pg_basebackup -R`,
// each on its own port (tests/support/processes.ts), so the shared server is never touched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDatabase, type Database } from '../../src/server/core/db/database.ts';
import { migrate } from '../../src/server/core/db/migrate.ts';
import { ensureReferenceData } from '../../src/server/reference-data.ts';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/core/config.ts';
import { canRunOwnCluster, sleep, startCluster, startReplica, type Cluster } from '../support/processes.ts';
import { login, makeTenants, serverUrl, type Caller, type World } from '../support/world.ts';

describe.skipIf(!serverUrl || !canRunOwnCluster)('reports on a streaming read replica', () => {
  let primary: Cluster;
  let replica: Cluster;
  let db: Database;
  let world: World;
  let t: Awaited<ReturnType<typeof makeTenants>>;
  let adminA: Caller;
  let clientId: string;

  beforeAll(async () => {
    primary = await startCluster();
    replica = await startReplica(primary);
    db = await createDatabase({ databaseUrl: primary.url, reportingUrl: replica.url, poolSize: 4 });
    await migrate(db.owner);
    await ensureReferenceData(db.owner);
    const config = loadConfig({});
    const app = await buildApp({ db, config, logger: false });
    await app.ready();
    world = { app, db, owner: db.owner, config, close: async () => void (await app.close()) };
    t = await makeTenants(world);
    adminA = await login(world, t.users.adminA.email);
    const caregiver = await login(world, t.users.caregiverA.email);
    const res = await caregiver.post('/api/clients', {
      givenName: 'Rik',
      familyName: 'Replica',
      birthDate: '1980-01-01',
    });
    clientId = res.body.id as string;
  }, 120_000);
  afterAll(async () => {
    await world?.close();
    await db?.close();
    replica?.destroy();
    primary?.destroy();
  });

  async function trajectories(): Promise<number> {
    const res = await adminA.get('/api/reports/output?quarter=2026-Q2');
    expect(res.statusCode, res.raw).toBe(200);
    return (res.body.modules as { trajectories: number }[]).reduce((s, m) => s + m.trajectories, 0);
  }

  it('reads through the replica: primary writes appear once replayed', async () => {
    // the reporting pool really is the standby
    const recovery = await sql<{ r: boolean }>`select pg_is_in_recovery() as r`.execute(db.reporting);
    expect(recovery.rows[0]!.r).toBe(true);
    const onPrimary = await sql<{ r: boolean }>`select pg_is_in_recovery() as r`.execute(db.app);
    expect(onPrimary.rows[0]!.r).toBe(false);

    const before = await trajectories();
    await db.owner
      .insertInto('trajectories')
      .values({
        organization_id: t.orgA.id,
        network_id: t.network.id,
        client_id: clientId,
        module: 'youth',
        responsible_user_id: t.users.caregiverA.id,
        start_date: '2026-04-15',
        status: 'active',
      })
      .execute();
    const lsn = (await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(db.owner)).rows[0]!.lsn;
    // wait for the standby to replay up to the write
    for (let i = 0; i < 100; i++) {
      const caught = await sql<{ ok: boolean }>`select pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn as ok`.execute(
        db.reporting,
      );
      if (caught.rows[0]!.ok) break;
      await sleep(100);
    }
    expect(await trajectories()).toBe(before + 1);
  });

  it('a report never writes: the reporting pool runs read-only transactions', async () => {
    const ro = await sql<{ v: string }>`select current_setting('default_transaction_read_only') as v`.execute(
      db.reporting,
    );
    expect(ro.rows[0]!.v).toBe('on');
    await expect(
      db.reporting.transaction().execute(async (trx) => {
        await sql`select set_config('app.org_id', ${t.orgA.id}, true)`.execute(trx);
        await sql`insert into report_staffing (organization_id, network_id, quarter, module, fte)
                  values (${t.orgA.id}, ${t.network.id}, '2026-Q2', 'youth', 1)`.execute(trx);
      }),
    ).rejects.toThrow(/read-only/);
    // reading reports left nothing behind on the primary either (staffing untouched, no audit for aggregates)
    const audits = await db.owner
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', 'like', 'report.%')
      .executeTakeFirstOrThrow();
    expect(Number(audits.n)).toBe(0);
    // writes through the application still go to the primary
    const put = await adminA.request('PUT', '/api/reports/staffing', { quarter: '2026-Q2', module: 'youth', fte: 1 });
    expect(put.statusCode, put.raw).toBe(200);
  });
});
