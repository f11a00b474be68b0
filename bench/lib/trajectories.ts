/**
 * The trajectories part of `npm run bench` (issue 11): 300,000 trajectories with 5,000,000 contacts (bulk
 * `insert … select generate_series` as owner, secondary indexes built after the load) over 150,000 clients of
 * 50 organisations with 10 caregivers each, then as a caregiver of the first organisation:
 *   (a) My work:                          GET /api/my-work
 *   (b) a trajectory with its contact log: GET /api/trajectories/{id} (random trajectories of the organisation)
 * each one request at a time (p50/p95 at one connection) and at 20 connections (req/s, p95), next to the bare
 * SQL time of the same statements: EXPLAIN ANALYZE (median of 15) of every SELECT the request sends, captured from
 * the wire, as kortelijn_app in the tenant context. Aim: both within 3× the bare SQL time at one connection.
 * Care-plan actions (1,000,000) join this part once the care plan has landed (issue 11, parts 3–4).
 */
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { buildApp, type App } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/core/config.ts';
import { hashPassword } from '../../src/server/core/auth/passwords.ts';
import { BENCH_PASSWORD, freshDatabase, seed } from './database.ts';
import { randomLoad, percentile } from './random-load.ts';
import { label, statementTimes, summarise, traceQueries, type TracedQuery } from './probe.ts';
import { fmt, r3 } from './cpu.ts';
import { getJson, loginSession } from './http.ts';
import type { PartScope } from './catalogue.ts';

export const TRAJECTORIES_AIM_RATIO = 3;

interface Scenario {
  name: string;
  path: string;
  statements: { statement: string; executionMs: number; planningMs: number }[];
  bareSqlMs: number;
  /** all statements of one request (session, BEGIN + context, the reads, the audit insert, COMMIT) as the app waited for them */
  wireMsPerRequest: number;
  roundTrips: { statement: string; perRequest: number; meanMs: number }[];
  oneConnection: { requests: number; p50: number; p95: number; max: number };
  ratioP50ToBareSql: number;
  load: { connections: number; requestsPerSecond: number; p50: number; p95: number; non2xx: number };
}

export async function runTrajectories(opts: {
  log: (line?: string) => void;
  scope: PartScope;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  trajectories: number;
  contacts: number;
  sequential: number;
}) {
  const { log, scope } = opts;
  const started = performance.now();
  const bench = await freshDatabase();
  scope.add(async () => {
    await bench.drop();
    log(`dropped database ${bench.name}`);
  });
  const { db } = bench;
  const owner = db.owner;

  // 1. seed: clients (bench/lib/database.ts), caregivers, trajectories, events, contacts
  const t0 = performance.now();
  const base = await seed(db, { orgCount: 50, clientCount: Math.ceil(opts.trajectories / 2) });
  const hash = await hashPassword(BENCH_PASSWORD);
  await sql`
    with u as (
      insert into users (email, display_name, password_hash)
      select 'hulpverlener' || g || '.' || o.name_key || '@bench.example', 'Hulpverlener ' || g || ' ' || o.name, ${hash}
      from (select id, name, replace(lower(name), ' ', '') as name_key from organizations where network_id = ${base.networkId}) o,
           generate_series(1, 10) g
      returning id, email
    )
    insert into memberships (user_id, network_id, organization_id, role)
    select u.id, ${base.networkId}::uuid, o.id, 'caregiver'
    from u join organizations o on u.email like '%.' || replace(lower(o.name), ' ', '') || '@bench.example'`.execute(
    owner,
  );
  const caregiver = await owner
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'hulpverlener1.organisatie01@bench.example')
    .executeTakeFirstOrThrow();
  log(`seeded ${base.clients.toLocaleString('en')} clients of 50 organisations and 500 caregivers`);

  const t1 = performance.now();
  await sql`drop index trajectories_responsible_idx, trajectories_organization_idx, trajectories_client_idx`.execute(
    owner,
  );
  // two trajectories per client; the responsible caregiver one of the ten of its organisation; statuses as a
  // year's worth of work: most finished, some 9 % running (about 50 per caregiver)
  await owner.connection().execute(async (conn) => {
    await sql`select setseed(0.11)`.execute(conn);
    await sql`
      with cg as (
        select organization_id, array_agg(user_id order by user_id) as ids from memberships
        where role = 'caregiver' group by organization_id
      ), c as (
        select id, organization_id, network_id, row_number() over (order by id) as rn from clients
      )
      insert into trajectories (organization_id, network_id, client_id, module, responsible_user_id, start_date,
                                phase, status, end_date, outcome, close_reason, created_at, updated_at)
      select c.organization_id, c.network_id, c.id,
             (array['victim-support-bereavement','psychosocial-support','relationship-family','family-violence','youth','other'])[1 + (c.rn + g) % 6],
             cg.ids[1 + ((c.rn * 2 + g) % 10)],
             current_date - (x.age)::int,
             case when x.r < 0.03 then 'intake' else 'support' end,
             x.status,
             case when x.status in ('finished', 'cancelled') then current_date - (x.age / 3)::int end,
             case when x.status = 'finished' then 'partly' end,
             case when x.status in ('finished', 'cancelled') then 'completed' end,
             now(), now()
      from c join cg using (organization_id), generate_series(1, 2) g,
           -- (the outer columns in the subquery make it run per row, not once)
           lateral (select r, floor(random() * case when r < 0.083 then 120 else 1000 end)::int as age,
                           case when r < 0.06 then 'active' when r < 0.075 then 'on-hold' when r < 0.083 then 'planned'
                                when r < 0.12 then 'cancelled' else 'finished' end as status
                    from (select random() + 0 * c.rn + 0 * g as r) q) x
      where (c.rn - 1) * 2 + g <= ${opts.trajectories}`.execute(conn);
  });
  await sql`
    insert into trajectory_events (trajectory_id, organization_id, at, action, to_status, phase)
    select id, organization_id, created_at, 'create', 'planned', 'intake' from trajectories`.execute(owner);
  const t2 = performance.now();
  await sql`drop index trajectory_contacts_trajectory_idx`.execute(owner);
  // the modulus is a constant, so the join below is a hash join on the row number (not a nested loop)
  const total = Number((await sql<{ n: string }>`select count(*) as n from trajectories`.execute(owner)).rows[0]!.n);
  // contacts spread evenly over the trajectories, every 9 days from the start (never after today; a running one
  // started within 120 days, so some are quiet for 30 days and most are not); one in 23 a no-show; a note like a real one
  await owner.connection().execute(async (conn) => {
    await sql`select setseed(0.22)`.execute(conn);
    await sql`
      with t as (
        select id, organization_id, start_date, responsible_user_id, row_number() over (order by id) - 1 as rn
        from trajectories
      )
      insert into trajectory_contacts (trajectory_id, organization_id, at, minutes, kind, with_client, no_show, note,
                                       created_by, updated_by, created_at, updated_at)
      select t.id, t.organization_id,
             least(now() - interval '1 hour', t.start_date + make_interval(days => (i / ${total})::int * 9, hours => (9 + i % 8)::int)),
             (15 + (i % 6) * 15)::int,
             (array['on-site','home-visit','phone','video','chat','group-session','partner-consultation','case-conference','administration'])[1 + i % 9],
             true, (i % 23) = 0,
             'Gesprek over de afspraken van vorige keer; volgende stap samen bepaald.',
             t.responsible_user_id, t.responsible_user_id, now(), now()
      from generate_series(0, ${opts.contacts - 1}::bigint) i
      join t on t.rn = i % ${total}`.execute(conn);
  });
  const t3 = performance.now();
  await sql`create index trajectories_responsible_idx on trajectories(organization_id, responsible_user_id, status)`.execute(
    owner,
  );
  await sql`create index trajectories_organization_idx on trajectories(organization_id, status, start_date desc)`.execute(
    owner,
  );
  await sql`create index trajectories_client_idx on trajectories(client_id)`.execute(owner);
  await sql`create index trajectory_contacts_trajectory_idx on trajectory_contacts(trajectory_id, at desc)`.execute(
    owner,
  );
  await sql`vacuum (analyze) trajectories, trajectory_contacts, trajectory_events`.execute(owner);
  const t4 = performance.now();
  const counts = (
    await sql<{ trajectories: string; contacts: string; running: string; mine: string }>`
      select (select count(*) from trajectories) as trajectories, (select count(*) from trajectory_contacts) as contacts,
             (select count(*) from trajectories where status in ('planned','active','on-hold')) as running,
             (select count(*) from trajectories where responsible_user_id = ${caregiver.id} and status in ('planned','active','on-hold')) as mine`.execute(
      owner,
    )
  ).rows[0]!;
  const sizes = (
    await sql<{ t: string; k: string }>`
      select pg_size_pretty(pg_total_relation_size('trajectories')) as t,
             pg_size_pretty(pg_total_relation_size('trajectory_contacts')) as k`.execute(owner)
  ).rows[0]!;
  log(
    `seeded ${Number(counts.trajectories).toLocaleString('en')} trajectories (${Number(counts.running).toLocaleString('en')} running, ${sizes.t}) in ${fmt((t2 - t1) / 1000, 1)} s, ` +
      `${Number(counts.contacts).toLocaleString('en')} contacts (${sizes.k}) in ${fmt((t3 - t2) / 1000, 1)} s, indexes + VACUUM (ANALYZE) ${fmt((t4 - t3) / 1000, 1)} s; ` +
      `the bench caregiver holds ${counts.mine} running trajectories (whole seed ${fmt((t4 - t0) / 1000, 1)} s)`,
  );

  // 2. the app, signed in as the caregiver
  const config = { ...loadConfig({}), databaseUrl: bench.url, host: '127.0.0.1', port: 0 };
  const app: App = await buildApp({ db, config, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  scope.add(async () => {
    await app.close();
  });
  const appUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const session = await loginSession(appUrl, 'hulpverlener1.organisatie01@bench.example', BENCH_PASSWORD);
  const headers = { cookie: session.cookie };
  const ctx = { organizationId: base.organizationId, networkId: base.networkId, userId: caregiver.id };
  const detailIds = await owner.connection().execute(async (conn) => {
    await sql`select setseed(0.33)`.execute(conn);
    return (
      await sql<{ id: string }>`
        select id from trajectories where organization_id = ${base.organizationId} order by random() limit 500`.execute(
        conn,
      )
    ).rows.map((r) => r.id);
  });

  const scenarios: Scenario[] = [];
  for (const { name, paths } of [
    { name: 'My work', paths: ['/api/my-work'] },
    { name: 'trajectory with its contact log', paths: detailIds.map((id) => `/api/trajectories/${id}`) },
  ]) {
    // the statements of one request, from the wire (after the previous load's last requests have drained)
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const trace = traceQueries();
    let captured: TracedQuery[] = [];
    try {
      const res = await getJson(`${appUrl}${paths[0]}`, headers);
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
      captured = trace.entries.slice();
    } finally {
      trace.stop();
    }
    const selects = captured.filter((e) => /^\s*select/i.test(e.text) && !/set_config/.test(e.text));
    const statements = [];
    for (const s of selects) {
      const times = await statementTimes(db, ctx, s.text, s.values ?? []);
      statements.push({
        statement: label(s.text),
        executionMs: r3(times.executionMs),
        planningMs: r3(times.planningMs),
      });
    }
    const bareSqlMs = r3(statements.reduce((sum, s) => sum + s.executionMs, 0));
    // one connection: warm up, then one request at a time
    const one = async () => {
      const path = paths[Math.floor(Math.random() * paths.length)]!;
      const r = await fetch(`${appUrl}${path}`, { headers });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${name}: ${r.status}`);
    };
    for (let i = 0; i < 30; i++) await one();
    const ms: number[] = [];
    const wire = traceQueries();
    try {
      for (let i = 0; i < opts.sequential; i++) {
        const s = performance.now();
        await one();
        ms.push(performance.now() - s);
      }
    } finally {
      wire.stop();
    }
    ms.sort((a, b) => a - b);
    // every statement of a request as the app's client waited for it (round trip, commit included)
    const roundTrips = summarise(wire.entries, opts.sequential, ms.reduce((a, b) => a + b, 0) / ms.length);
    const wireMs = r3(roundTrips.statements.reduce((sum, st) => sum + st.meanMs * st.perRequest, 0));
    const oneConnection = {
      requests: ms.length,
      p50: r3(percentile(ms, 50)),
      p95: r3(percentile(ms, 95)),
      max: r3(ms.at(-1) ?? NaN),
    };
    await randomLoad({ url: appUrl, paths, headers, connections: opts.connections, seconds: opts.warmupSeconds });
    const loaded = await randomLoad({
      url: appUrl,
      paths,
      headers,
      connections: opts.connections,
      seconds: opts.seconds,
    });
    if (loaded.non2xx || loaded.errors || loaded.timeouts || !loaded.total2xx)
      throw new Error(`${name}: non-2xx=${loaded.non2xx} errors=${loaded.errors} timeouts=${loaded.timeouts}`);
    const scenario: Scenario = {
      name,
      path: paths.length > 1 ? paths[0]!.replace(/[0-9a-f-]{36}$/, '{id}') : paths[0]!,
      statements,
      bareSqlMs,
      wireMsPerRequest: wireMs,
      roundTrips: roundTrips.statements.map((st) => ({
        statement: st.statement,
        perRequest: r3(st.perRequest),
        meanMs: r3(st.meanMs),
      })),
      oneConnection,
      ratioP50ToBareSql: r3(oneConnection.p50 / bareSqlMs),
      load: {
        connections: opts.connections,
        requestsPerSecond: Math.round(loaded.requestsPerSecond),
        p50: loaded.p50,
        p95: loaded.p95,
        non2xx: loaded.non2xx,
      },
    };
    scenarios.push(scenario);
    log(`\n${name} (${scenario.path}): ${captured.length} statements per request, of which ${selects.length} SELECTs`);
    for (const s of statements)
      log(`  bare SQL ${fmt(s.executionMs, 3)} ms (planning ${fmt(s.planningMs, 3)} ms)  ${s.statement}`);
    log(
      `  one connection: p50 ${fmt(oneConnection.p50)} ms, p95 ${fmt(oneConnection.p95)} ms (${oneConnection.requests} requests); ` +
        `bare SQL ${fmt(bareSqlMs, 3)} ms → p50 is ${fmt(scenario.ratioP50ToBareSql, 1)}× (aim ≤ ${TRAJECTORIES_AIM_RATIO}×)`,
    );
    log(
      `  the request's ${fmt(roundTrips.statementsPerRequest, 1)} statements took ${fmt(wireMs, 3)} ms on the wire per request (${roundTrips.statements
        .map((st) => `${st.statement.slice(0, 40)} ${fmt(st.meanMs, 3)}`)
        .join('; ')})`,
    );
    log(
      `  ${opts.connections} connections: ${scenario.load.requestsPerSecond} req/s, p50 ${fmt(loaded.p50)} ms, p95 ${fmt(loaded.p95)} ms`,
    );
  }
  return {
    trajectories: Number(counts.trajectories),
    contacts: Number(counts.contacts),
    running: Number(counts.running),
    benchCaregiverRunning: Number(counts.mine),
    seedSeconds: r3((t4 - t0) / 1000),
    scenarios,
    seconds: (performance.now() - started) / 1000,
  };
}
