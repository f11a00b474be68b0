/**
 * The trajectories part of `npm run bench` (issue 11): 300,000 trajectories with 5,000,000 contacts and the care
 * plans of their people with 1,000,000 actions (bulk
 * `insert … select generate_series` as owner, secondary indexes built after the load) over 150,000 clients of
 * 50 organisations with 10 caregivers each, then as a caregiver of the first organisation:
 *   (a) My work:                          GET /api/my-work
 *   (b) a trajectory with its contact log: GET /api/trajectories/{id} (random trajectories of the organisation)
 * each one request at a time (p50/p95 at one connection) and at 20 connections (req/s, p95), next to the bare
 * SQL time of the same statements: EXPLAIN ANALYZE (median of 15) of every SELECT the request sends, captured from
 * the wire, as kortelijn_app in the tenant context. Aim: both within 3× the bare SQL time at one connection.
 * The people's care plans (1,000,000 actions, seedCarePlans below) are in the database too: My work reads the
 * actions due this week and the evaluations due from them.
 */
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import { buildApp, type App } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/core/config.ts';
import { hashPassword } from '../../src/server/core/auth/passwords.ts';
import { BENCH_PASSWORD, freshDatabase, seed } from './database.ts';
import { randomLoad, percentile } from './random-load.ts';
import { label, statementTimes, summarise, traceQueries, type TracedQuery } from './probe.ts';
import { fmt, r3 } from './cpu.ts';
import { getJson, loginSession } from './http.ts';
import type { PartScope } from './catalogue.ts';
import type { DB } from '../../src/server/core/db/schema.ts';

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
  actions: number;
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
  const plans = await seedCarePlans(owner, { networkId: base.networkId, actions: opts.actions });
  const t3b = performance.now();
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
  await sql`vacuum (analyze) trajectories, trajectory_contacts, trajectory_events, client_links, consents, care_plans, care_team_members, care_plan_goals, care_plan_actions`.execute(
    owner,
  );
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
    await sql<{ t: string; k: string; a: string }>`
      select pg_size_pretty(pg_total_relation_size('trajectories')) as t,
             pg_size_pretty(pg_total_relation_size('trajectory_contacts')) as k,
             pg_size_pretty(pg_total_relation_size('care_plan_actions')) as a`.execute(owner)
  ).rows[0]!;
  const planCounts = (
    await sql<{
      plans: string;
      active: string;
      members: string;
      goals: string;
      actions: string;
      open: string;
      links: string;
      consents: string;
    }>`
      select (select count(*) from care_plans) as plans, (select count(*) from care_plans where status = 'active') as active,
             (select count(*) from care_team_members) as members, (select count(*) from care_plan_goals) as goals,
             (select count(*) from care_plan_actions) as actions,
             (select count(*) from care_plan_actions where status = 'open') as open,
             (select count(*) from client_links) as links,
             (select count(*) from consents where purpose = 'care-plan') as consents`.execute(owner)
  ).rows[0]!;
  log(
    `seeded ${Number(counts.trajectories).toLocaleString('en')} trajectories (${Number(counts.running).toLocaleString('en')} running, ${sizes.t}) in ${fmt((t2 - t1) / 1000, 1)} s, ` +
      `${Number(counts.contacts).toLocaleString('en')} contacts (${sizes.k}) in ${fmt((t3 - t2) / 1000, 1)} s, ` +
      `${Number(planCounts.plans).toLocaleString('en')} care plans (${Number(planCounts.active).toLocaleString('en')} active; ${Number(planCounts.members).toLocaleString('en')} team members, ` +
      `${Number(planCounts.goals).toLocaleString('en')} goals, ${Number(planCounts.actions).toLocaleString('en')} actions of which ${Number(planCounts.open).toLocaleString('en')} open, ${sizes.a}; ` +
      `${Number(planCounts.links).toLocaleString('en')} linked records with ${Number(planCounts.consents).toLocaleString('en')} care-plan consents) in ${fmt((t3b - t3) / 1000, 1)} s, ` +
      `indexes + VACUUM (ANALYZE) ${fmt((t4 - t3b) / 1000, 1)} s; ` +
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
  let myWorkCounts: Record<string, number> | null = null;
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
      if (res.body.counts) myWorkCounts = res.body.counts;
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
    if (name === 'My work' && myWorkCounts)
      log(
        `  the caregiver's My work: ${myWorkCounts.running} running trajectories (${myWorkCounts.noRecentContact} without a contact for 30 days), ` +
          `${myWorkCounts.actionsDue} plan actions due this week (${myWorkCounts.actionsOverdue} overdue), ${myWorkCounts.evaluationsDue} evaluations due (${myWorkCounts.evaluationsOverdue} overdue)`,
      );
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
    carePlans: Object.fromEntries(Object.entries(planCounts).map(([k, v]) => [k, Number(v)])),
    carePlanSeed: plans,
    myWorkCounts,
    seedSeconds: r3((t4 - t0) / 1000),
    scenarios,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The care plans of the people of the trajectories part (issue 11): 1,000,000 care-plan actions in all. Deterministic
 * (every choice is arithmetic on row numbers; only the uuids are random), bulk `insert … select` as owner on one
 * connection, the actions' secondary indexes dropped during the load and built afterwards; as a superuser with
 * session_replication_role = replica (no foreign-key or history triggers: care_plan_changes stays empty for the seed).
 *  - linked persons: in every even organisation one client in five is linked (client_links, 'manual') to the client of
 *    the same rank in the next organisation — one person, two records — and the plan hangs on the first record only,
 *    with a care-plan consent for the second organisation, whose caregiver joins the care team;
 *  - a plan for two clients in three (one per person), one in seven closed, evaluation every 3 months with the next
 *    one spread from 20 days overdue to 100 days ahead; the coordinator a caregiver of the organisation;
 *  - care team: the coordinator, a second caregiver for every other plan (of the other organisation for a linked
 *    person), the person, a support person (steunfiguur) for one plan in three; three goals in the person's words;
 *  - actions spread round-robin over the plans (about ten each) and their goals: owner a caregiver of the team (45 %),
 *    the person (25 %), the organisation (10 %) or the support person (20 %, the person when the plan has none);
 *    the first seven of a plan done or dropped (due in the past), the later ones open, due from 14 days overdue to
 *    56 days ahead.
 */
async function seedCarePlans(owner: Kysely<DB>, opts: { networkId: string; actions: number }) {
  return owner.connection().execute(async (conn) => {
    const superuser =
      (await sql<{ su: boolean }>`select rolsuper as su from pg_roles where rolname = current_user`.execute(conn))
        .rows[0]?.su === true;
    if (superuser) await sql`set session_replication_role = replica`.execute(conn);
    try {
      await sql`drop index care_plan_actions_plan_idx, care_plan_actions_user_due_idx, care_plan_actions_org_due_idx`.execute(
        conn,
      );
      await sql`
        create temp table bench_cg as
        select o.oi, m.organization_id, array_agg(m.user_id order by m.user_id) as ids
        from memberships m
        join (select id, (row_number() over (order by id) - 1)::int as oi from organizations
              where network_id = ${opts.networkId}) o on o.id = m.organization_id
        where m.role = 'caregiver' group by o.oi, m.organization_id`.execute(conn);
      await sql`
        create temp table bench_people as
        select c.id, c.organization_id, c.network_id, g.oi,
               (row_number() over (partition by c.organization_id order by c.id))::int as k
        from clients c join bench_cg g on g.organization_id = c.organization_id`.execute(conn);
      const orgCount = Number((await sql<{ n: string }>`select count(*) as n from bench_cg`.execute(conn)).rows[0]!.n);
      await sql`
        insert into client_links (network_id, client_id, organization_id, other_client_id, other_organization_id, kind, note)
        select a.network_id, a.id, a.organization_id, b.id, b.organization_id, 'manual', 'Dezelfde persoon (bench)'
        from bench_people a join bench_people b on b.oi = a.oi + 1 and b.k = a.k
        where a.oi % 2 = 0 and a.k % 5 = 0`.execute(conn);
      // one plan per person: the first record of a linked pair carries it, the second none
      await sql`
        create temp table bench_plans as
        select gen_random_uuid() as id, p.id as client_id, p.organization_id, p.network_id, p.k,
               (row_number() over (order by p.organization_id, p.k) - 1)::int as pn,
               g.ids[1 + p.k % 10] as coordinator_user,
               case when linked.other_org is not null then og.ids[1 + (p.k + 3) % 10]
                    when p.k % 2 = 0 then g.ids[1 + (p.k + 3) % 10] end as second_user,
               coalesce(linked.other_org, p.organization_id) as second_org,
               linked.other_org,
               gen_random_uuid() as coordinator_member, gen_random_uuid() as support_member,
               array[gen_random_uuid(), gen_random_uuid(), gen_random_uuid()] as goal_ids
        from bench_people p
        join bench_cg g on g.organization_id = p.organization_id
        left join lateral (select b.organization_id as other_org from bench_people b
                           where p.oi % 2 = 0 and p.k % 5 = 0 and b.oi = p.oi + 1 and b.k = p.k) linked on true
        left join bench_cg og on og.organization_id = linked.other_org
        where p.k % 3 <> 0 and not (p.oi % 2 = 1 and p.k % 5 = 0 and p.oi > 0)`.execute(conn);
      await sql`
        insert into care_plans (id, network_id, organization_id, client_id, status, care_level, person_wishes, agreed_on,
                                agreement_method, evaluation_interval_months, next_evaluation_on, closed_on,
                                created_by, updated_by)
        select id, network_id, organization_id, client_id,
               case when pn % 7 = 0 then 'closed' else 'active' end,
               (array['basic', 'basic', 'specialised', 'zero-line', 'basic', 'crisis'])[1 + pn % 6],
               'Ik wil terug rust vinden en mijn dagen zelf invullen.',
               current_date - (30 + pn % 300), (array['spoken', 'signed-paper', 'in-person'])[1 + pn % 3], 3,
               current_date + ((pn * 37) % 121 - 20),
               case when pn % 7 = 0 then current_date - (pn % 60) end,
               coordinator_user, coordinator_user
        from bench_plans`.execute(conn);
      await sql`
        insert into care_team_members (id, care_plan_id, kind, organization_id, user_id, name, relation, contact, role, created_by)
        select coordinator_member, id, 'caregiver', organization_id, coordinator_user, null, null, null, 'Regisseur', coordinator_user
          from bench_plans
        union all
        select gen_random_uuid(), id, 'caregiver', second_org, second_user, null, null, null, 'Begeleider', coordinator_user
          from bench_plans where second_user is not null
        union all
        select gen_random_uuid(), id, 'person', null, null, null, null, null, null, coordinator_user from bench_plans
        union all
        select support_member, id, 'support-person', null, null, 'Steunfiguur ' || pn, 'zus', '0470 12 34 56',
               'Gaat mee naar afspraken', coordinator_user
          from bench_plans where pn % 3 = 0`.execute(conn);
      await sql`update care_plans p set coordinator_member_id = b.coordinator_member from bench_plans b where b.id = p.id`.execute(
        conn,
      );
      await sql`
        insert into consents (organization_id, network_id, client_id, purpose, recipient_organization_id, categories,
                              method, recorded_by)
        select organization_id, network_id, client_id, 'care-plan', other_org, array['care-plan'], 'verbal', coordinator_user
        from bench_plans where other_org is not null`.execute(conn);
      await sql`
        insert into care_plan_goals (id, care_plan_id, person_words, professional_wording, life_domain, target_date,
                                     status, created_by, updated_by)
        select b.goal_ids[g + 1], b.id,
               (array['Ik wil weer goed slapen.', 'Ik wil mijn rekeningen op tijd betalen.', 'Ik wil mijn kinderen vaker zien.'])[g + 1],
               (array['Slaapproblemen verminderen', 'Schuldenlast onder controle', 'Omgangsregeling herstellen'])[g + 1],
               (array['mental-health', 'finances', 'family'])[g + 1],
               current_date + (60 + (b.pn + g) % 120),
               case when (b.pn + g) % 11 = 0 then 'achieved' else 'active' end,
               b.coordinator_user, b.coordinator_user
        from bench_plans b, generate_series(0, 2) g`.execute(conn);
      const planCount = Number(
        (await sql<{ n: string }>`select count(*) as n from bench_plans`.execute(conn)).rows[0]!.n,
      );
      await sql`create index on bench_plans (pn)`.execute(conn);
      await sql`analyze bench_plans`.execute(conn);
      await sql`
        insert into care_plan_actions (care_plan_id, goal_id, description, owner_kind, owner_organization_id,
                                       owner_user_id, owner_member_id, due_date, status, created_by, updated_by)
        select b.id, b.goal_ids[1 + (x.j % 3)],
               (array['Afspraak maken bij de huisarts', 'Budgetoverzicht opmaken met de steunfiguur',
                      'Contact opnemen met de school', 'Dagstructuur uitschrijven', 'Aanvraag OCMW indienen'])[1 + x.i % 5],
               x.kind,
               case when x.kind = 'organization' then b.organization_id end,
               case when x.kind = 'user' then case when x.s < 6 or b.second_user is null then b.coordinator_user else b.second_user end end,
               case when x.kind = 'support-person' then b.support_member end,
               case when x.j < 8 then current_date - (1 + x.i % 200)::int else current_date + ((x.i * 13) % 71 - 14)::int end,
               case when x.j >= 8 then 'open' when x.i % 9 = 0 then 'dropped' else 'done' end,
               b.coordinator_user, b.coordinator_user
        from (select i, (i / ${planCount})::int as j, (i % ${planCount})::int as pn, ((i * 7 + i / ${planCount}) % 20)::int as s,
                     case when (i * 7 + i / ${planCount}) % 20 < 9 then 'user'
                          when (i * 7 + i / ${planCount}) % 20 < 14 then 'client'
                          when (i * 7 + i / ${planCount}) % 20 < 16 then 'organization'
                          when (i % ${planCount}) % 3 = 0 then 'support-person'
                          else 'client' end as kind
              from generate_series(0, ${opts.actions - 1}::bigint) i) x
        join bench_plans b on b.pn = x.pn`.execute(conn);
      await sql`create index care_plan_actions_plan_idx on care_plan_actions(care_plan_id, created_at)`.execute(conn);
      await sql`create index care_plan_actions_user_due_idx on care_plan_actions(owner_user_id, due_date) where status = 'open'`.execute(
        conn,
      );
      await sql`create index care_plan_actions_org_due_idx on care_plan_actions(owner_organization_id, due_date) where status = 'open'`.execute(
        conn,
      );
      await sql`drop table bench_plans, bench_people, bench_cg`.execute(conn);
      return { organizations: orgCount, plans: planCount };
    } finally {
      if (superuser) await sql`set session_replication_role = origin`.execute(conn).catch(() => undefined);
    }
  });
}
