/**
 * The referrals part of `npm run bench`: 1,000,000 referrals between 200 organisations (bench/lib/referrals-seed.ts),
 * then, as an intake worker of the busiest receiving organisation, at 50 concurrent connections:
 *   (a) inbox:  GET /api/referrals?box=incoming        (open incoming referrals, most urgent first, 50 per page)
 *   (b) accept: POST /api/referrals/{id}/transitions {"action":"accept"}, each request on a DISTINCT referral in
 *               status requested/received of that organisation (each accepted once; 409s counted on their own)
 * next to EXPLAIN (ANALYZE, BUFFERS) of the inbox statement the app sends, as kortelijn_app with the tenant context.
 * Aim: p95 ≤ 30 ms for both.
 */
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { buildApp, type App } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/core/config.ts';
import { APP_POOL_SIZE, BENCH_PASSWORD, freshDatabase } from './database.ts';
import { seedReferrals } from './referrals-seed.ts';
import { randomLoad, percentile, type RandomLoadResult } from './random-load.ts';
import { sequenceLoad, type SequenceLoadResult } from './sequence-load.ts';
import { summarise, traceQueries, type RoundTripSummary, type TracedQuery } from './probe.ts';
import {
  explainJson,
  explainText,
  exclusiveMs,
  nodeLabel,
  type ExplainContext,
  type Explained,
  type PlanNode,
} from './plan.ts';
import { cpuPerRequest, cpuSnapshot, cpuTimes, fmt, r3 } from './cpu.ts';
import { getJson, loginSession, sendJson } from './http.ts';
import { dataStatements, replayStatements, startRouteFloor, type Floor } from './floor.ts';
import type { PartScope } from './catalogue.ts';

export const REFERRALS_AIM_P95_MS = 30;
/** Issue 14: the inbox and the accept at least 0.4 of their bare floors' throughput. */
export const FLOOR_AIM = 0.4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Measured<R> {
  result: R;
  nodeCpuMicrosPerRequest: number;
  postgresCpuMicrosPerRequest: number | null;
  machineCpuPercent: number;
}

/** Plan facts of the inbox statement: rows read from referrals, what the joins and the sort cost. */
interface InboxPlan {
  executionMs: { median: number; p95: number; min: number };
  planningMs: { median: number };
  referralsAccess: string[];
  referralsRowsRead: number;
  rowsReturned: number;
  sort: string | null;
  sharedBuffers: number;
  timeByNode: { node: string; ms: number }[];
}

/** Whether a node reaches a scan of referrals without passing a LIMIT (which would make it a sort of the page). */
function sortsReferrals(n: PlanNode): boolean {
  return (n.Plans ?? []).some(
    (c) =>
      c['Node Type'] !== 'Limit' &&
      ((c['Relation Name'] === 'referrals' && /Scan/.test(c['Node Type'])) || sortsReferrals(c)),
  );
}

function summariseInbox(explained: Explained[]): InboxPlan {
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const exec = sorted(explained.map((e) => e.executionMs));
  const plan = sorted(explained.map((e) => e.planningMs));
  const last = explained.at(-1)!;
  const access = new Set<string>();
  let read = 0;
  let sort: string | null = null;
  const byNode = new Map<string, number>();
  const walk = (n: PlanNode) => {
    const label = nodeLabel(n);
    byNode.set(label, (byNode.get(label) ?? 0) + exclusiveMs(n));
    if (
      (n['Relation Name'] === 'referrals' || /^referrals_/.test(n['Index Name'] ?? '')) &&
      /Scan/.test(n['Node Type'])
    ) {
      access.add(label);
      if (n['Relation Name'] === 'referrals')
        read +=
          (n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0)) *
          n['Actual Loops'];
    }
    const s = n as PlanNode & { 'Sort Method'?: string; 'Sort Space Used'?: number; 'Sort Space Type'?: string };
    // only a sort of the referrals themselves: the outer re-sort of the page (after its LIMIT, ≤ 50 rows) does not count
    if (n['Node Type'] === 'Sort' && s['Sort Method'] && sortsReferrals(n))
      sort = `${s['Sort Method']}, ${s['Sort Space Used']} kB ${s['Sort Space Type']?.toLowerCase() ?? ''}`.trim();
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(last.plan);
  return {
    executionMs: { median: r3(percentile(exec, 50)), p95: r3(percentile(exec, 95)), min: r3(exec[0] ?? NaN) },
    planningMs: { median: r3(percentile(plan, 50)) },
    referralsAccess: [...access],
    referralsRowsRead: read,
    rowsReturned: last.plan['Actual Rows'],
    sort,
    sharedBuffers: (last.plan['Shared Hit Blocks'] ?? 0) + (last.plan['Shared Read Blocks'] ?? 0),
    timeByNode: [...byNode.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([node, ms]) => ({ node, ms: r3(ms) })),
  };
}

export async function runReferrals(opts: {
  log: (line?: string) => void;
  scope: PartScope;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  referrals: number;
  organizations: number;
  accepts: number;
  acceptWarmup: number;
}) {
  const { log, scope } = opts;
  const started = performance.now();
  const loadBefore = os.loadavg();

  // 1. fresh database
  const bench = await freshDatabase();
  scope.add(async () => {
    await bench.drop();
    log(`dropped database ${bench.name}`);
  });
  const { db } = bench;
  const pg = (
    await sql<{
      version: string;
      shared_buffers: string;
      work_mem: string;
      sync: string;
      autovacuum: string;
      max_wal: string;
    }>`
    select version() as version, current_setting('shared_buffers') as shared_buffers, current_setting('work_mem') as work_mem,
           current_setting('synchronous_commit') as sync, current_setting('autovacuum') as autovacuum, current_setting('max_wal_size') as max_wal`.execute(
      db.owner,
    )
  ).rows[0]!;
  log(
    `database ${bench.name} (migrated, reference data loaded) — ${pg.version.split(' on ')[0]}, shared_buffers=${pg.shared_buffers}, work_mem=${pg.work_mem}, synchronous_commit=${pg.sync}, autovacuum=${pg.autovacuum}, max_wal_size=${pg.max_wal}`,
  );

  // 2. seed
  log(
    `seeding 1 network, ${opts.organizations} organisations, ${opts.referrals.toLocaleString('en')} referrals (insert … select generate_series as owner) …`,
  );
  const seeded = await seedReferrals(db, {
    orgCount: opts.organizations,
    referralCount: opts.referrals,
    busyShare: 0.1,
  });
  const sec = seeded.seconds;
  log(
    `seeded in ${fmt(sec.total, 1)} s: base data ${fmt(sec.baseData, 1)} s (${seeded.offers} offers, ${seeded.clients} clients, ${seeded.helpRequests} help requests, ${seeded.consents} consents, ${seeded.organizations} users), ` +
      `referrals with their ${seeded.referralEvents.toLocaleString('en')} 'create' events ${fmt(sec.referrals, 1)} s (${seeded.chunks} statements in parallel, secondary indexes dropped; ${Math.round(seeded.referrals / sec.referrals).toLocaleString('en')} referrals/s), ` +
      `index rebuild ${fmt(sec.indexRebuild, 1)} s, VACUUM (ANALYZE) ${fmt(sec.vacuumAnalyze, 1)} s; foreign-key triggers ${seeded.foreignKeyChecks}`,
  );
  log(
    `  ${seeded.referrals.toLocaleString('en')} referrals, ${(seeded.openShare * 100).toFixed(1)} % open: ${Object.entries(
      seeded.byStatus,
    )
      .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
      .join(', ')}`,
  );
  log(
    `  table ${seeded.sizesMiB.referralsTable} MiB, indexes ${Object.entries(seeded.sizesMiB.referralsIndexes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} MiB; referral_events ${seeded.sizesMiB.referralEvents} MiB`,
  );
  log(
    `  busy receiving organisation "${seeded.busy.name}": ${seeded.busy.incoming.toLocaleString('en')} incoming, ${seeded.busy.openIncoming.toLocaleString('en')} open incoming (${seeded.busy.pendingIncoming.toLocaleString('en')} requested/received: it has a backlog); ` +
      `the median organisation: ${seeded.typical.incoming.toLocaleString('en')} incoming, ${seeded.typical.openIncoming} open`,
  );

  // 3. the app, logged in as the intake worker of the busy organisation
  const config = { ...loadConfig({}), databaseUrl: bench.url, host: '127.0.0.1', port: 0 };
  const app: App = await buildApp({ db, config, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  scope.add(async () => {
    await app.close();
  });
  const appUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const session = await loginSession(appUrl, seeded.user.email, BENCH_PASSWORD);
  const getHeaders = { cookie: session.cookie };
  const postHeaders = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
  log(
    `app listening on ${appUrl} (pool ${APP_POOL_SIZE}), logged in as ${seeded.user.email} (${seeded.user.role} of ${seeded.busy.name}); POSTs carry the x-csrf-token of the login answer`,
  );

  // the pending incoming referrals of the busy organisation: two for the sequential probe, then warm-up, then the measured run
  const pendingRows = await db.owner.connection().execute(async (conn) => {
    await sql`select setseed(0.77)`.execute(conn);
    return (
      await sql<{ id: string; status: string }>`
      select id, status from referrals where receiver_organization_id = ${seeded.busy.organizationId} and status in ('requested', 'received') order by random()`.execute(
        conn,
      )
    ).rows;
  });
  const probeIds = pendingRows.slice(0, 2).map((r) => r.id);
  const warmIds = pendingRows.slice(2, 2 + opts.acceptWarmup + opts.connections).map((r) => r.id);
  const restIds = pendingRows.slice(2 + warmIds.length).map((r) => r.id);
  // the rest is shared by the app's measured run, a sequential run of 100, and the floor's warm-up (100) and run
  // (as many as the app's): each id is accepted once
  const floorWarmAmount = 100;
  const measuredAmount = Math.min(
    opts.accepts,
    Math.floor((restIds.length - 100 - (floorWarmAmount + opts.connections) - 2 * opts.connections) / 2),
  );
  if (measuredAmount < 100)
    throw new Error(
      `only ${pendingRows.length} pending referrals at the busy organisation: not enough distinct ids for the accept runs`,
    );
  const measuredIds = restIds.slice(0, measuredAmount + opts.connections);
  const sequentialIds = restIds.slice(measuredIds.length, measuredIds.length + 100);
  const floorIds = restIds.slice(measuredIds.length + sequentialIds.length);
  const floorWarmIds = floorIds.slice(0, floorWarmAmount + opts.connections);
  const floorMeasuredIds = floorIds.slice(floorWarmIds.length, floorWarmIds.length + measuredAmount + opts.connections);
  const floorAmount = floorMeasuredIds.length - opts.connections;
  log(
    `accept: ${pendingRows.length} referrals requested/received at ${seeded.busy.name}: 2 for the statement probe, ${warmIds.length} for the warm-up (${opts.acceptWarmup} requests), ${measuredIds.length} for the measured run (${measuredAmount} requests; each id is handed out once), ${sequentialIds.length} for a sequential run on one connection, ${floorWarmIds.length} + ${floorMeasuredIds.length} for the floor's warm-up and run`,
  );

  // 4. sequential checks and the statements of one request of each kind
  const inboxPath = '/api/referrals?box=incoming';
  const trace = traceQueries();
  let inboxStatements: TracedQuery[] = [];
  let acceptStatements: TracedQuery[] = [];
  let inboxItems = 0;
  try {
    const before = trace.entries.length;
    const inbox = await getJson(`${appUrl}${inboxPath}`, getHeaders);
    if (inbox.status !== 200) throw new Error(`inbox: ${inbox.status} ${JSON.stringify(inbox.body)}`);
    inboxItems = inbox.body.items.length;
    if (inboxItems !== Math.min(50, seeded.busy.openIncoming))
      throw new Error(`inbox returned ${inboxItems} items, expected ${Math.min(50, seeded.busy.openIncoming)}`);
    if (
      inbox.body.items.some(
        (i: { receiverOrganizationName: string }) => i.receiverOrganizationName !== seeded.busy.name,
      )
    )
      throw new Error('inbox: an item of another receiver');
    inboxStatements = trace.entries.slice(before);
    for (const [n, id] of probeIds.entries()) {
      const b = trace.entries.length;
      const res = await sendJson(`${appUrl}/api/referrals/${id}/transitions`, 'POST', postHeaders, {
        action: 'accept',
      });
      if (res.status !== 200 || res.body?.status !== 'accepted')
        throw new Error(`accept probe: ${res.status} ${JSON.stringify(res.body)}`);
      if (n === 1) acceptStatements = trace.entries.slice(b);
    }
  } finally {
    trace.stop();
  }
  const inboxStmt = inboxStatements.find((e) => /from "referrals" as "r"/.test(e.text));
  if (!inboxStmt) throw new Error('inbox statement not captured');
  // the floor (issue 14, part 5): bare node:http + pg as the owner (no RLS, no session, no context, no audit).
  // GET /inbox replays the inbox's data statements exactly as the app sent them (the page and its two name lookups);
  // POST /referrals/{id}/accept does the state change of an accept in one transaction: the row lock with the network's
  // targets, the compare-and-set UPDATE with its event in one statement (consent still valid), the notification to the
  // sender, COMMIT (a WAL flush) — no read-back, no audit row.
  const inboxData = dataStatements(inboxStatements).map((e) => ({ text: e.text, values: e.values ?? [] }));
  const busyOrg = seeded.busy.organizationId;
  const floor: Floor = await startRouteFloor({
    databaseUrl: bench.url,
    poolSize: APP_POOL_SIZE,
    async handle(client, method, url) {
      if (method === 'GET' && url.pathname === '/inbox') {
        const [page] = await replayStatements(client, inboxData);
        return { status: 200, body: { items: page!.rows } };
      }
      const m = /^\/referrals\/([0-9a-f-]{36})\/accept$/.exec(url.pathname);
      if (method !== 'POST' || !m) return { status: 404, body: { error: 'not-found' } };
      const id = m[1]!;
      await client.query('begin');
      const locked = await client.query<{ status: string; version: number; sender_organization_id: string }>(
        `select r.*, (select n.referral_targets from networks n where n.id = $3) as referral_targets from referrals r
          where r.id = $1 and (r.sender_organization_id = $2 or r.receiver_organization_id = $2) for update of r`,
        [id, busyOrg, seeded.networkId],
      );
      const row = locked.rows[0];
      if (!row || !['requested', 'received', 'waitlisted'].includes(row.status)) {
        await client.query('rollback');
        return { status: row ? 409 : 404, body: { error: row ? 'transition-not-allowed' : 'not-found' } };
      }
      const written = await client.query(
        `with changed as (
           update referrals set status = 'accepted', version = version + 1, updated_at = now(), status_reason = null,
                  answered_at = coalesce(answered_at, now()), accepted_at = now(), first_contact_due_at = now() + interval '7 days'
            where id = $1 and status = $2 and version = $3
              and exists (select 1 from consents c where c.id = consent_id and c.withdrawn_at is null
                          and (c.valid_until is null or c.valid_until >= kl_brussels_date()))
           returning id)
         insert into referral_events (referral_id, actor_user_id, actor_organization_id, action, from_status, to_status)
         select id, $4::uuid, $5::uuid, 'accept', $2, 'accepted' from changed returning referral_id`,
        [id, row.status, row.version, seeded.user.id, busyOrg],
      );
      if (!written.rowCount) {
        await client.query('rollback');
        return { status: 409, body: { error: 'concurrent-change' } };
      }
      await client.query(
        `insert into notifications (organization_id, referral_id, subject_type, subject_id, kind)
         values ($1, $2, 'referral', $2, 'referral-accept')`,
        [row.sender_organization_id, id],
      );
      await client.query('commit');
      return { status: 200, body: { id, status: 'accepted', version: row.version + 1 } };
    },
  });
  scope.add(() => floor.close());
  const floorInbox = await getJson(`${floor.url}/inbox`, {});
  if (floorInbox.status !== 200 || floorInbox.body.items.length !== inboxItems)
    throw new Error(`inbox floor: ${floorInbox.status}, ${floorInbox.body?.items?.length} items (app ${inboxItems})`);
  log(
    `floor listening on ${floor.url} (bare node:http + pg.Pool ${APP_POOL_SIZE} as the OWNER: no RLS, no session, no context, no audit): ` +
      `the inbox replays the app's ${inboxData.length} data statements (same ${inboxItems} items); an accept = lock, UPDATE with its event, notification, COMMIT`,
  );
  const acceptTrip: RoundTripSummary = summarise(
    acceptStatements,
    1,
    acceptStatements.reduce((s, e) => s + e.ms, 0),
  );
  log(
    `checked: the inbox answers 200 with ${inboxItems} items of ${seeded.busy.name}; two probe accepts answer 200 with status "accepted" (${acceptStatements.length} statements on the app's pools per accept, ${inboxStatements.length} per inbox request)`,
  );

  // 5. load
  const measure = async <R extends { total2xx: number; non2xx: number }>(
    run: () => Promise<R>,
  ): Promise<Measured<R>> => {
    const snap0 = await cpuSnapshot(db, bench.name);
    const cpu0 = cpuTimes();
    const result = await run();
    const cpu1 = cpuTimes();
    const perRequest = cpuPerRequest(snap0, await cpuSnapshot(db, bench.name), result.total2xx + result.non2xx);
    return {
      result,
      nodeCpuMicrosPerRequest: Math.round(perRequest.nodeMicros),
      postgresCpuMicrosPerRequest: perRequest.postgresMicros === null ? null : Math.round(perRequest.postgresMicros),
      machineCpuPercent: Math.round(((cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total)) * os.cpus().length * 100),
    };
  };
  const auditCount = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from audit_log`.execute(db.owner)).rows[0]!.n);
  log(`\nload: autocannon in a worker thread, ${opts.connections} connections`);

  process.stdout.write(`  ${'inbox (open incoming)'.padEnd(26)} warm-up ${opts.warmupSeconds}s … `);
  const checkInbox = (phase: string, r: RandomLoadResult) => {
    if (r.non2xx !== 0 || r.errors !== 0 || r.timeouts !== 0 || (phase === 'run' && r.total2xx === 0)) {
      throw new Error(
        `inbox (${phase}): non-2xx=${r.non2xx} errors=${r.errors} timeouts=${r.timeouts} 2xx=${r.total2xx} status=${JSON.stringify(r.statusCodes)}`,
      );
    }
  };
  checkInbox(
    'warm-up',
    await randomLoad({
      url: appUrl,
      paths: [inboxPath],
      headers: getHeaders,
      connections: opts.connections,
      seconds: opts.warmupSeconds,
    }),
  );
  process.stdout.write(`measuring ${opts.seconds}s … `);
  const auditBeforeInbox = await auditCount();
  const inbox = await measure(() =>
    randomLoad({
      url: appUrl,
      paths: [inboxPath],
      headers: getHeaders,
      connections: opts.connections,
      seconds: opts.seconds,
    }),
  );
  checkInbox('run', inbox.result);
  log(`${inbox.result.requestsPerSecond.toFixed(0)} req/s, p95 ${fmt(inbox.result.p95)} ms`);
  await sleep(1000);
  const auditAfterInbox = await auditCount();
  // the same request one at a time: the service time without a queue
  const sequential = async (n: number, one: (i: number) => Promise<void>) => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await one(i);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    return { requests: n, p50: r3(percentile(ms, 50)), p95: r3(percentile(ms, 95)), max: r3(ms.at(-1) ?? NaN) };
  };
  const inboxSequential = await sequential(100, async () => {
    const r = await fetch(`${appUrl}${inboxPath}`, { headers: getHeaders });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`inbox (sequential): ${r.status}`);
  });
  log(
    `  ${'inbox, one connection'.padEnd(26)} ${inboxSequential.requests} requests one at a time: p50 ${fmt(inboxSequential.p50)} ms, p95 ${fmt(inboxSequential.p95)} ms`,
  );
  // the inbox's floor, right after the app under the same conditions
  process.stdout.write(`  ${'floor inbox'.padEnd(26)} warm-up ${opts.warmupSeconds}s … `);
  checkInbox(
    'floor warm-up',
    await randomLoad({ url: floor.url, paths: ['/inbox'], connections: opts.connections, seconds: opts.warmupSeconds }),
  );
  process.stdout.write(`measuring ${opts.seconds}s … `);
  const floorInboxRun = await measure(() =>
    randomLoad({ url: floor.url, paths: ['/inbox'], connections: opts.connections, seconds: opts.seconds }),
  );
  checkInbox('floor run', floorInboxRun.result);
  log(`${floorInboxRun.result.requestsPerSecond.toFixed(0)} req/s, p95 ${fmt(floorInboxRun.result.p95)} ms`);
  await sleep(1000);
  // the floor of the inbox (before the accept run changes the table): EXPLAIN (ANALYZE, BUFFERS) of the captured statement as kortelijn_app in the worker's tenant context
  log(
    `  (inbox floor: EXPLAIN (ANALYZE, BUFFERS) of the app's inbox statement, 15 runs each, before the accept run changes the table)`,
  );
  const tenantOf = (organizationId: string): ExplainContext => ({
    kind: 'tenant',
    organizationId,
    networkId: seeded.networkId,
    userId: seeded.user.id,
    role: seeded.user.role,
  });
  const stmt = { text: inboxStmt.text, values: inboxStmt.values ?? [] };
  const busyPlans = summariseInbox(
    await explainJson(
      db,
      tenantOf(seeded.busy.organizationId),
      Array.from({ length: 15 }, () => stmt),
    ),
  );
  const busyText = await explainText(db, tenantOf(seeded.busy.organizationId), stmt.text, stmt.values);
  const typicalStmt = {
    text: stmt.text,
    values: stmt.values.map((v) => (v === seeded.busy.organizationId ? seeded.typical.organizationId : v)),
  };
  const typicalPlans = summariseInbox(
    await explainJson(
      db,
      tenantOf(seeded.typical.organizationId),
      Array.from({ length: 15 }, () => typicalStmt),
    ),
  );
  const ownerPlans = summariseInbox(
    await explainJson(
      db,
      { kind: 'owner' },
      Array.from({ length: 15 }, () => stmt),
    ),
  );

  process.stdout.write(`  ${'accept (distinct ids)'.padEnd(26)} warm-up ${opts.acceptWarmup} requests … `);
  const warm = await sequenceLoad({
    url: appUrl,
    paths: warmIds.map((id) => `/api/referrals/${id}/transitions`),
    method: 'POST',
    body: { action: 'accept' },
    headers: postHeaders,
    connections: opts.connections,
    amount: opts.acceptWarmup,
  });
  process.stdout.write(`measuring ${measuredAmount} requests … `);
  await sleep(500);
  const auditBeforeAccept = await auditCount();
  const accept = await measure(() =>
    sequenceLoad({
      url: appUrl,
      paths: measuredIds.map((id) => `/api/referrals/${id}/transitions`),
      method: 'POST',
      body: { action: 'accept' },
      headers: postHeaders,
      connections: opts.connections,
      amount: measuredAmount,
    }),
  );
  log(
    `${accept.result.requestsPerSecond.toFixed(0)} req/s, p95 ${fmt(accept.result.p95)} ms, 409: ${accept.result.conflicts409}`,
  );
  await sleep(1000);
  const auditAfterAccept = await auditCount();
  const afterStates = (
    await sql<{ accepted: string; still_pending: string }>`
    select count(*) filter (where status = 'accepted') as accepted, count(*) filter (where status in ('requested', 'received')) as still_pending
    from referrals where id = any(${measuredIds}::uuid[])`.execute(db.owner)
  ).rows[0]!;
  const acceptSequential = await sequential(sequentialIds.length, async (i) => {
    const r = await sendJson(`${appUrl}/api/referrals/${sequentialIds[i]}/transitions`, 'POST', postHeaders, {
      action: 'accept',
    });
    if (r.status !== 200) throw new Error(`accept (sequential): ${r.status} ${JSON.stringify(r.body)}`);
  });
  log(
    `  ${'accept, one connection'.padEnd(26)} ${acceptSequential.requests} requests one at a time: p50 ${fmt(acceptSequential.p50)} ms, p95 ${fmt(acceptSequential.p95)} ms`,
  );
  // the accept's floor, on distinct referrals of its own, with the same warm-up and amount where the backlog allows
  let floorAccept: Measured<SequenceLoadResult> | null = null;
  if (floorAmount >= 100) {
    process.stdout.write(`  ${'floor accept'.padEnd(26)} warm-up … `);
    await sequenceLoad({
      url: floor.url,
      paths: floorWarmIds.map((id) => `/referrals/${id}/accept`),
      method: 'POST',
      body: { action: 'accept' },
      connections: opts.connections,
      amount: floorWarmAmount,
    });
    await sleep(500);
    process.stdout.write(`measuring ${floorAmount} requests … `);
    floorAccept = await measure(() =>
      sequenceLoad({
        url: floor.url,
        paths: floorMeasuredIds.map((id) => `/referrals/${id}/accept`),
        method: 'POST',
        body: { action: 'accept' },
        connections: opts.connections,
        amount: floorAmount,
      }),
    );
    const fr = floorAccept.result;
    if (fr.errors || fr.timeouts || fr.non2xx)
      throw new Error(
        `floor accept: errors=${fr.errors} timeouts=${fr.timeouts} statuses=${JSON.stringify(fr.statuses)}`,
      );
    log(`${fr.requestsPerSecond.toFixed(0)} req/s, p95 ${fmt(fr.p95)} ms`);
  } else {
    log(`  floor accept skipped: only ${floorIds.length} pending referrals left for it`);
  }
  const eventsWritten = Number(
    (await sql<{ n: string }>`select count(*) as n from referral_events where action = 'accept'`.execute(db.owner))
      .rows[0]!.n,
  );
  const failures = [warm, accept.result].flatMap((r, i) =>
    r.errors || r.timeouts || r.non2xx - r.conflicts409 > 0 || r.exhausted > 0
      ? [
          `${i ? 'run' : 'warm-up'}: errors=${r.errors} timeouts=${r.timeouts} statuses=${JSON.stringify(r.statuses)} exhausted=${r.exhausted}`,
        ]
      : [],
  );

  // ---- report ----
  log(
    `\nload average before/after the referrals part: ${loadBefore.map((l) => l.toFixed(2)).join(' ')} / ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (${os.cpus().length} CPUs; other processes share the machine)`,
  );
  log(
    `\nReferrals results (${opts.connections} connections; latency of the 2xx answers in ms, exact percentiles over every response)`,
  );
  const header = `${'scenario'.padEnd(30)}${'req/s'.padStart(9)}${'p50'.padStart(9)}${'p95'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}${'2xx'.padStart(8)}${'409'.padStart(6)}${'other'.padStart(7)}${'secs'.padStart(7)}${'CPU %'.padStart(7)}${'node µs/req'.padStart(13)}${'pg µs/req'.padStart(11)}`;
  log(header);
  log('-'.repeat(header.length));
  const row = (name: string, m: Measured<RandomLoadResult | SequenceLoadResult>, conflicts: number) => {
    const r = m.result;
    log(
      `${name.padEnd(30)}${r.requestsPerSecond.toFixed(1).padStart(9)}${fmt(r.p50).padStart(9)}${fmt(r.p95).padStart(9)}${fmt(r.p99).padStart(9)}${fmt(r.max).padStart(9)}` +
        `${String(r.total2xx).padStart(8)}${String(conflicts).padStart(6)}${String(r.non2xx - conflicts + r.errors + r.timeouts).padStart(7)}${fmt(r.seconds, 1).padStart(7)}${String(m.machineCpuPercent).padStart(7)}${String(m.nodeCpuMicrosPerRequest).padStart(13)}${String(m.postgresCpuMicrosPerRequest ?? 'n/a').padStart(11)}`,
    );
  };
  row('inbox, GET ?box=incoming', inbox, 0);
  row('floor inbox', floorInboxRun, 0);
  row('accept, POST …/transitions', accept, accept.result.conflicts409);
  if (floorAccept) row('floor accept', floorAccept, floorAccept.result.conflicts409);
  log(
    'CPU % = whole machine (100 = one core); node µs/req = server thread CPU per request; pg µs/req = PostgreSQL backends of the bench database per request.',
  );
  const floorRatios = {
    inbox: r3(inbox.result.requestsPerSecond / floorInboxRun.result.requestsPerSecond),
    accept: floorAccept ? r3(accept.result.requestsPerSecond / floorAccept.result.requestsPerSecond) : null,
    aim: FLOOR_AIM,
  };
  log(
    `ratio app/floor throughput, inbox : ${fmt(floorRatios.inbox, 2)}  (aim ≥ ${FLOOR_AIM}: ${floorRatios.inbox >= FLOOR_AIM ? 'met' : 'NOT met'})`,
  );
  if (floorRatios.accept !== null)
    log(
      `ratio app/floor throughput, accept: ${fmt(floorRatios.accept, 2)}  (aim ≥ ${FLOOR_AIM}: ${floorRatios.accept >= FLOOR_AIM ? 'met' : 'NOT met'})`,
    );
  log(
    "  floor = bare node:http + pg as the OWNER (no RLS, no session, no context, no audit): the inbox replays the app's data statements; an accept is lock, UPDATE + event, notification, COMMIT (no read-back)",
  );
  log(
    `one connection, one request at a time (no queue): inbox p50 ${fmt(inboxSequential.p50)} / p95 ${fmt(inboxSequential.p95)} ms (${inboxSequential.requests} requests); ` +
      `accept p50 ${fmt(acceptSequential.p50)} / p95 ${fmt(acceptSequential.p95)} ms (${acceptSequential.requests} distinct referrals)`,
  );
  log(
    `accept warm-up: ${warm.total2xx} × 2xx, ${warm.conflicts409} × 409 in ${fmt(warm.seconds, 1)} s (${fmt(warm.requestsPerSecond, 0)} req/s, p95 ${fmt(warm.p95)} ms)`,
  );
  log(
    `accept run: ${accept.result.total2xx} × 2xx, ${accept.result.conflicts409} × 409 (distinct ids: must be 0), other ${JSON.stringify(Object.fromEntries(Object.entries(accept.result.statuses).filter(([k]) => k !== '200' && k !== '409')))}; ` +
      `in the database afterwards ${afterStates.accepted} of the ${measuredIds.length} ids handed to the run are accepted, ${afterStates.still_pending} still pending (not sent: autocannon builds one request per connection that it never sends); ${eventsWritten} 'accept' events in all`,
  );
  log(
    `audit rows written: inbox run ${auditAfterInbox - auditBeforeInbox} (the inbox is not audited), accept run ${auditAfterAccept - auditBeforeAccept} (one per accept)`,
  );
  log(
    `\nOne accept, sequentially (statements counted client-side on the app's pools, client-side time per statement):`,
  );
  for (const s of acceptTrip.statements)
    log(`  ${s.count.toString().padStart(2)} × ${s.statement.padEnd(82)} ${fmt(s.meanMs, 3).padStart(7)} ms`);

  const planRow = (label: string, p: InboxPlan) =>
    log(
      `  ${label.padEnd(60)} exec p50 ${fmt(p.executionMs.median, 3)} / p95 ${fmt(p.executionMs.p95, 3)} ms, planning ${fmt(p.planningMs.median, 3)} ms; ${p.referralsRowsRead} referrals rows read → ${p.rowsReturned} returned; ${p.sharedBuffers} buffers; sort ${p.sort ?? 'none'}`,
    );
  log(`\nFloor: the inbox statement, EXPLAIN (ANALYZE, BUFFERS), 15 runs each:`);
  planRow(`busy organisation (${seeded.busy.openIncoming} open incoming), app role + RLS`, busyPlans);
  planRow(`median organisation (${seeded.typical.openIncoming} open incoming), app role + RLS`, typicalPlans);
  planRow('busy organisation as owner (no RLS) *', ownerPlans);
  log('  * for comparison only: the owner is a superuser, row-level security does not apply to it');
  log(
    `  time by node (busy organisation): ${busyPlans.timeByNode.map((n) => `${n.node} ${fmt(n.ms, 3)} ms`).join('; ')}`,
  );
  log(`  the statement: ${inboxStmt.text.replace(/\s+/g, ' ')}`);
  log(`  its plan for the busy organisation, as the app (RLS):\n${busyText.map((l) => `      ${l}`).join('\n')}`);

  const aim = {
    p95Ms: REFERRALS_AIM_P95_MS,
    inbox: { p95: inbox.result.p95, met: inbox.result.p95 <= REFERRALS_AIM_P95_MS },
    accept: {
      p95: accept.result.p95,
      met: accept.result.p95 <= REFERRALS_AIM_P95_MS && accept.result.conflicts409 === 0,
    },
  };
  log(`\naim p95 ≤ ${REFERRALS_AIM_P95_MS} ms at ${opts.connections} connections:`);
  log(`  inbox (open incoming): p95 ${fmt(aim.inbox.p95)} ms — ${aim.inbox.met ? 'met' : 'NOT met'}`);
  log(
    `  accept transition:     p95 ${fmt(aim.accept.p95)} ms — ${aim.accept.met ? 'met' : 'NOT met'}${accept.result.conflicts409 ? ` (and ${accept.result.conflicts409} unexpected 409s)` : ''}`,
  );

  const diagnosis = diagnose({
    aim,
    connections: opts.connections,
    inbox,
    accept,
    acceptTrip,
    busyPlans,
    typicalPlans,
    ownerPlans,
    openIncoming: seeded.busy.openIncoming,
    typicalOpen: seeded.typical.openIncoming,
    inboxSequential,
    acceptSequential,
  });
  if (diagnosis.length) {
    log('\nWhat dominates, and what would help (no server code changed):');
    for (const d of diagnosis) log(`  - ${d}`);
  }
  if (failures.length) throw new Error(`referrals accept load: ${failures.join('; ')}`);

  return {
    at: new Date().toISOString(),
    database: bench.name,
    loadAverageBefore: loadBefore,
    loadAverageAfter: os.loadavg(),
    postgres: {
      version: pg.version,
      sharedBuffers: pg.shared_buffers,
      workMem: pg.work_mem,
      synchronousCommit: pg.sync,
      autovacuum: pg.autovacuum,
      maxWalSize: pg.max_wal,
    },
    settings: {
      connections: opts.connections,
      seconds: opts.seconds,
      warmupSeconds: opts.warmupSeconds,
      accepts: measuredAmount,
      acceptWarmup: opts.acceptWarmup,
      poolSize: APP_POOL_SIZE,
      loadGenerator:
        'autocannon in a worker thread; inbox: one path, duration-bound; accept: one distinct id per request, count-bound (amount); exact percentiles from every response time',
    },
    seed: { ...seeded, user: { role: seeded.user.role } },
    inbox: {
      path: inboxPath,
      ...inbox.result,
      oneConnection: inboxSequential,
      nodeCpuMicrosPerRequest: inbox.nodeCpuMicrosPerRequest,
      postgresCpuMicrosPerRequest: inbox.postgresCpuMicrosPerRequest,
      machineCpuPercent: inbox.machineCpuPercent,
      auditRowsWritten: auditAfterInbox - auditBeforeInbox,
      statementsPerRequest: inboxStatements.length,
    },
    accept: {
      path: '/api/referrals/{id}/transitions {"action":"accept"}',
      ...accept.result,
      nodeCpuMicrosPerRequest: accept.nodeCpuMicrosPerRequest,
      postgresCpuMicrosPerRequest: accept.postgresCpuMicrosPerRequest,
      machineCpuPercent: accept.machineCpuPercent,
      oneConnection: acceptSequential,
      warmup: {
        total2xx: warm.total2xx,
        conflicts409: warm.conflicts409,
        requestsPerSecond: warm.requestsPerSecond,
        p95: warm.p95,
        seconds: warm.seconds,
      },
      idsHandedOut: measuredIds.length,
      acceptedAfterwards: Number(afterStates.accepted),
      stillPendingAfterwards: Number(afterStates.still_pending),
      auditRowsWritten: auditAfterAccept - auditBeforeAccept,
      roundTrips: acceptTrip,
    },
    floorLoad: {
      inbox: {
        ...floorInboxRun.result,
        nodeCpuMicrosPerRequest: floorInboxRun.nodeCpuMicrosPerRequest,
        postgresCpuMicrosPerRequest: floorInboxRun.postgresCpuMicrosPerRequest,
        statements: inboxData.length,
      },
      accept: floorAccept
        ? {
            ...floorAccept.result,
            nodeCpuMicrosPerRequest: floorAccept.nodeCpuMicrosPerRequest,
            postgresCpuMicrosPerRequest: floorAccept.postgresCpuMicrosPerRequest,
          }
        : null,
      ratios: floorRatios,
    },
    floor: {
      inboxSql: inboxStmt.text,
      busy: busyPlans,
      typical: typicalPlans,
      ownerNoRls: ownerPlans,
      busyPlanText: busyText,
    },
    aim,
    diagnosis,
    seconds: (performance.now() - started) / 1000,
  };
}

function diagnose(x: {
  aim: { p95Ms: number; inbox: { met: boolean }; accept: { met: boolean } };
  connections: number;
  inbox: Measured<RandomLoadResult>;
  accept: Measured<SequenceLoadResult>;
  acceptTrip: RoundTripSummary;
  busyPlans: InboxPlan;
  typicalPlans: InboxPlan;
  ownerPlans: InboxPlan;
  openIncoming: number;
  typicalOpen: number;
  inboxSequential: { p50: number; p95: number };
  acceptSequential: { p50: number; p95: number };
}): string[] {
  const out: string[] = [];
  if (x.aim.inbox.met && x.aim.accept.met) return out;
  const cores = os.cpus().length;
  const needed = x.connections / (x.aim.p95Ms / 1000);
  const cpuMs = (m: Measured<{ total2xx: number; non2xx: number }>) =>
    (m.nodeCpuMicrosPerRequest + (m.postgresCpuMicrosPerRequest ?? 0)) / 1000;
  out.push(
    `a closed loop of ${x.connections} connections: the mean latency is ${x.connections} / throughput (Little's law), so a p95 of ${x.aim.p95Ms} ms needs well over ` +
      `${needed.toFixed(0)} req/s, i.e. under ${fmt((cores * 1000) / needed, 2)} ms of CPU per request on ${cores} core(s), less while the machine is shared. ` +
      `Measured: inbox ${x.inbox.result.requestsPerSecond.toFixed(0)} req/s → ${fmt((x.connections / x.inbox.result.requestsPerSecond) * 1000, 0)} ms expected mean (measured ${fmt(x.inbox.result.mean, 0)}), ` +
      `${fmt(cpuMs(x.inbox), 1)} ms CPU per request (node ${fmt(x.inbox.nodeCpuMicrosPerRequest / 1000, 1)} + PostgreSQL ${fmt((x.inbox.postgresCpuMicrosPerRequest ?? NaN) / 1000, 1)}); ` +
      `accept ${x.accept.result.requestsPerSecond.toFixed(0)} req/s → ${fmt((x.connections / x.accept.result.requestsPerSecond) * 1000, 0)} ms expected mean (measured ${fmt(x.accept.result.mean, 0)}), ` +
      `${fmt(cpuMs(x.accept), 1)} ms CPU per request (node ${fmt(x.accept.nodeCpuMicrosPerRequest / 1000, 1)} + PostgreSQL ${fmt((x.accept.postgresCpuMicrosPerRequest ?? NaN) / 1000, 1)}). ` +
      `One at a time (no queue) the inbox answers in ${fmt(x.inboxSequential.p50, 1)} ms (p95 ${fmt(x.inboxSequential.p95, 1)}) and an accept in ${fmt(x.acceptSequential.p50, 1)} ms (p95 ${fmt(x.acceptSequential.p95, 1)}): ` +
      `at ${x.connections} connections the latency is the queue in front of the two cores (and of the app pool of ${APP_POOL_SIZE}).`,
  );
  if (!x.aim.inbox.met) {
    const b = x.busyPlans;
    const inOrder = b.sort === null;
    out.push(
      `inbox — what dominates: PostgreSQL, ${fmt((x.inbox.postgresCpuMicrosPerRequest ?? NaN) / 1000, 1)} of ${fmt(cpuMs(x.inbox), 1)} ms per request; the inbox statement itself takes ` +
        `${fmt(b.executionMs.median, 2)} ms median execution at the busy organisation. ` +
        (inOrder
          ? `Its ORDER BY (priority_rank, answer_due_at, id) is read from the partial index referrals_incoming_open_idx (no sort node), so the LIMIT stops early: ` +
            `${b.referralsRowsRead.toLocaleString('en')} referrals rows read via ${b.referralsAccess.join(' + ')} (${b.sharedBuffers.toLocaleString('en')} buffers) to return ${b.rowsReturned} ` +
            `of ${x.openIncoming.toLocaleString('en')} open incoming; the cost does not follow the backlog (the median organisation, ${x.typicalOpen} open, takes ${fmt(x.typicalPlans.executionMs.median, 2)} ms). `
          : `The plan sorts (${b.sort}): under row-level security the policy "sender = org OR receiver = org" becomes a BitmapOr of both open indexes, and as the planner ` +
            `cannot see which organisation kl_current_org() returns it expects a few dozen rows, so it fetches all ${x.openIncoming.toLocaleString('en')} open incoming ` +
            `(${b.referralsRowsRead.toLocaleString('en')} rows via ${b.referralsAccess.join(' + ')}, ${b.sharedBuffers.toLocaleString('en')} buffers) and top-N sorts them to return ${b.rowsReturned}` +
            (x.ownerPlans.sort === null
              ? `; as the owner (no RLS) the same statement reads its ORDER BY (priority_rank, answer_due_at, id) straight from referrals_incoming_open_idx and stops after ${x.ownerPlans.referralsRowsRead} rows. `
              : '. ') +
            `The cost follows the open backlog: the median organisation (${x.typicalOpen} open) takes ${fmt(x.typicalPlans.executionMs.median, 2)} ms. `) +
        `Row-level security adds to it: the policy's "sender = org OR receiver = org" is a per-row filter calling current_setting ` +
        `(${fmt(b.executionMs.median, 2)} ms as the app against ${fmt(x.ownerPlans.executionMs.median, 2)} ms as the owner without RLS).`,
    );
    out.push(
      inOrder
        ? 'inbox — would help: the statement is near its floor, so the rest is per-request work around it: the opening (begin; the session check, role and context in ' +
            'one statement, written with the first statement), the two name lookups (organisations, offers) after the LIMIT and the JSON answer (folding the names ' +
            'into the page statement was measured: slower, 574 against 650 req/s, its joins plan worse than two primary-key lookups); ' +
            'keyset pagination keeps later pages as cheap as the first.'
        : 'inbox — would help: let the first page come from the index in order under RLS too — e.g. a narrow function like kl_network_overdue_referrals that filters by ' +
            'kl_current_org() itself and returns the page (the owner plan above shows the floor), or a policy the planner can match to referrals_incoming_open_idx; ' +
            "then LIMIT 50 stops early instead of sorting the backlog. Keep the statement's status list equal to the index predicate (lifecycle.ts OPEN_STATUSES, migrations/006).",
    );
  }
  if (!x.aim.accept.met) {
    const trips = x.acceptTrip.statements.reduce((s, st) => s + st.count, 0);
    out.push(
      `accept — what dominates: ${trips} statements per request on the pool: begin and the session check with role and context (one write with the next), load and lock the referral (FOR UPDATE) ` +
        `with the network's targets, then one statement with CTEs — the compare-and-set UPDATE … RETURNING (the consent checked in its WHERE; non-HOT: status is in two ` +
        `index keys, so all five indexes get a new entry), the event, the notification, and the answer's names, timeline and bridging support — and the audit insert sent with ` +
        `COMMIT, a synchronous WAL flush. ` +
        `The connection is held for the whole transaction, so at ${x.connections} connections requests also wait for one of the ${APP_POOL_SIZE}. ` +
        `Per request that is ${fmt(cpuMs(x.accept), 1)} ms of CPU, ${fmt(x.accept.nodeCpuMicrosPerRequest / 1000, 1)} of it in node (the queries' protocol work, the response).`,
    );
    out.push(
      'accept — would help: (1) the lock and the change in one statement (the UPDATE decides on the status and version itself; the refusals — 403, stale version, ' +
        'not allowed from this status — read afterwards on the rare path): one round trip fewer; (2) commit_delay/commit_siblings lets concurrent commits ' +
        'share a WAL flush (synchronous_commit stays on: it is a state change). ' +
        `On this ${cores}-core shared machine none of these brings ${x.connections} concurrent accepts under a ${x.aim.p95Ms} ms p95 by itself: that needs about ` +
        `${fmt(cpuMs(x.accept) / ((cores * 1000) / needed), 0)}× less CPU per request, or fewer requests in flight.`,
    );
  }
  return out;
}
