/**
 * `npm run bench`: four parts, each on its own fresh database (dropped at the end of the part, and on failure):
 *  - clients:   the app against a bare node:http + pg "floor" (client read-by-id and name search), below;
 *  - catalogue: a synthetic catalogue of 20,000 offers of 1,000 organisations searched with text and three
 *               filters at 20 connections (logged in, public, with facets), next to EXPLAIN ANALYZE of the
 *               same statements and a bare node:http + pg floor replaying them (ratio, aim ≥ 0.4); aim p95 ≤ 20 ms
 *               (bench/lib/catalogue.ts).
 *  - matching:  the same catalogue seed and a few hundred help requests of one organisation (created through the API,
 *               some with PHQ-9/K10 screenings or an indication), GET /api/help-requests/{id}/matches at 20 connections
 *               next to EXPLAIN ANALYZE of the candidate query; aim p95 ≤ 50 ms (bench/lib/matching.ts).
 *  - referrals: 1,000,000 referrals between 200 organisations (bulk insert as owner), the busy receiving organisation's
 *               inbox (GET /api/referrals?box=incoming) and the accept transition on distinct referrals, 50 connections each,
 *               next to EXPLAIN ANALYZE of the inbox query and a bare node:http + pg floor of both (ratio, aim ≥ 0.4);
 *               aim p95 ≤ 30 ms for both (bench/lib/referrals.ts).
 *  - trajectories: 300,000 trajectories, 5,000,000 contacts and 1,000,000 care-plan actions; "My work" and a trajectory with its contact log, one
 *               connection (p50/p95) and 20 (req/s), next to EXPLAIN ANALYZE of the same statements; aim ≤ 3× the
 *               bare SQL time at one connection (bench/lib/trajectories.ts).
 *  - reports: one and then five years of history at Flanders scale (5,000,000 referrals); the quarterly output of
 *               one organisation and the flow monitor of one zone; aim ≤ 1 s each, 5y/1y ≤ 1.5 (bench/reports.ts).
 * All run by default in that order; BENCH_ONLY=clients|catalogue|matching|referrals|trajectories|reports runs one (or a
 * comma-separated few), and so does `npm run bench -- trajectories`.
 *
 * Clients part. What one app request does (GET /api/clients/:id and GET /api/clients?q=), in order:
 *  1. Fastify routing, onRequest hook: security headers, language negotiation, cookie parsing.
 *  2. The actor: sha256 of the cookie token, then the session cache (src/server/core/auth/sessions.ts, 10 s); only on
 *     a miss a primary-key query on `sessions` (and at most once a minute an update of last_seen_at).
 *  3. Permission check in memory (role → permissions), params/querystring validated by ajv.
 *  4. Tenant transaction (src/server/core/db/tenant.ts) on the app pool (named prepared statements):
 *     a. one statement with parameters that sets the role and READ ONLY, checks the session in the database and sets
 *        app.org_id/network_id/user_id/role (SESSION_CONTEXT) — not waited for: the pool client writes it in front of
 *        b. the query itself as a named prepared statement (planned once per connection), as role kortelijn_app under
 *        row-level security: read = the client with its origins and risk levels as sub-selects; search =
 *        `search_name like (select '%' || kl_fold($) || '%')` per token, count(*) over (), order, limit 25.
 *        a + b leave in one write under one Sync (src/server/core/db/leading-statements.ts): one round trip, and
 *        one implicit transaction: c. no BEGIN and no COMMIT (a read of more statements opens BEGIN READ ONLY at its
 *        second, and its COMMIT is deferred to the connection's next write: core/db/database.ts openRead).
 *     d. the audit row (client.read / client.search) handed to the audit batcher: one prepared INSERT … unnest on its
 *        own connection takes the rows of every read queued meanwhile; the answer waits until it has committed.
 *  5. Row → DTO mapping, response serialised against the TypeBox schema.
 * So: 1 round trip on the request's connection plus its share of one audit INSERT and its WAL flush, against the
 * floor's 1 round trip and no write. The floor (bench/lib/floor.ts) runs the app's own read statement (captured from
 * the wire: the client with its origins and risk levels as sub-selects; the bare `select *` the floor ran before is
 * measured beside it for comparison) and the same SQL shape as the app's search, but connects as the
 * owner role (a superuser here), so RLS does not apply to it — and its planner may pick a plan the
 * app cannot (under RLS the non-leakproof LIKE cannot be an index condition, so the trigram index
 * is not used for the app's search).
 *
 * Besides the app/floor table the run prints, per scenario, CPU per request of the server thread
 * and of the PostgreSQL backends (bench/lib/cpu.ts; steadier than req/s on a shared machine), the
 * statements each app request sends (counted client-side: pg_stat_statements needs
 * shared_preload_libraries), EXPLAIN timings, and a decomposition: a bare server replaying the app's
 * exact statements with and without the audit insert (bench/lib/replay.ts; run it with BENCH_DECOMPOSE=1 after updating it to the current statement sequence).
 *
 * Environment: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
 * BENCH_ONLY (clients|catalogue|matching|referrals|trajectories|reports; all when unset), BENCH_SECONDS (default 10), BENCH_WARMUP_SECONDS (2),
 * BENCH_CONNECTIONS (50, clients part), BENCH_CLIENTS (100000), BENCH_DECOMPOSE (0),
 * BENCH_CATALOGUE_CONNECTIONS (20), BENCH_CATALOGUE_COMBINATIONS (150),
 * BENCH_MATCHING_CONNECTIONS (20), BENCH_MATCHING_HELP_REQUESTS (300),
 * BENCH_REFERRALS_CONNECTIONS (50), BENCH_REFERRALS (1000000), BENCH_REFERRAL_ACCEPTS (2000, measured accepts; the warm-up takes 200 more),
 * BENCH_TRAJECTORIES_CONNECTIONS (20), BENCH_TRAJECTORIES (300000), BENCH_TRAJECTORY_CONTACTS (5000000),
 * BENCH_CARE_PLAN_ACTIONS (1000000).
 * Writes bench/results/latest.json (the clients report at the top level, the other parts under `catalogue`,
 * `matching` and `referrals`). Exit code 1 on any non-2xx, error or timeout (and on a 409 of the accept run).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { buildApp, type App } from '../src/server/app.ts';
import { loadConfig } from '../src/server/core/config.ts';
import {
  APP_POOL_SIZE,
  BENCH_PASSWORD,
  freshDatabase,
  pickSearchTerms,
  sampleClientIds,
  seed,
  serverUrl,
  type BenchDatabase,
} from './lib/database.ts';
import { startFloor, type Floor } from './lib/floor.ts';
import { load, type LoadResult } from './lib/load.ts';
import {
  explainBoth,
  label,
  statementTimes,
  summarise,
  traceQueries,
  type RoundTripSummary,
  type TracedQuery,
} from './lib/probe.ts';
import { startReplay } from './lib/replay.ts';
import { cpuPerRequest, cpuSnapshot, cpuTimes } from './lib/cpu.ts';
import { getJson, login } from './lib/http.ts';
import { runCatalogue, type PartScope } from './lib/catalogue.ts';
import { runMatching } from './lib/matching.ts';
import { runReferrals } from './lib/referrals.ts';
import { runTrajectories } from './lib/trajectories.ts';
import type { Database } from '../src/server/core/db/database.ts';

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};
const SECONDS = int('BENCH_SECONDS', 10);
const WARMUP_SECONDS = int('BENCH_WARMUP_SECONDS', 2);
const CONNECTIONS = int('BENCH_CONNECTIONS', 50);
const CLIENTS = int('BENCH_CLIENTS', 100_000);
// off by default: the replay mirrors one exact statement sequence of the app and must be updated with it
const DECOMPOSE = process.env.BENCH_DECOMPOSE === '1';
const ORGANIZATIONS = 50;
const AIM = 0.5;
const CATALOGUE_CONNECTIONS = int('BENCH_CATALOGUE_CONNECTIONS', 20);
const CATALOGUE_COMBINATIONS = int('BENCH_CATALOGUE_COMBINATIONS', 150);
const MATCHING_CONNECTIONS = int('BENCH_MATCHING_CONNECTIONS', 20);
const MATCHING_HELP_REQUESTS = int('BENCH_MATCHING_HELP_REQUESTS', 300);
const REFERRALS_CONNECTIONS = int('BENCH_REFERRALS_CONNECTIONS', 50);
const REFERRALS = int('BENCH_REFERRALS', 1_000_000);
const REFERRAL_ACCEPTS = int('BENCH_REFERRAL_ACCEPTS', 2000);
const TRAJECTORIES_CONNECTIONS = int('BENCH_TRAJECTORIES_CONNECTIONS', 20);
const TRAJECTORIES = int('BENCH_TRAJECTORIES', 300_000);
const TRAJECTORY_CONTACTS = int('BENCH_TRAJECTORY_CONTACTS', 5_000_000);
const CARE_PLAN_ACTIONS = int('BENCH_CARE_PLAN_ACTIONS', 1_000_000);
// reports last: bench/reports.ts seeds one and five years of history at Flanders scale in a database of its own
const ALL_PARTS = ['clients', 'catalogue', 'matching', 'referrals', 'trajectories', 'reports'];
// BENCH_ONLY, or the parts named after `npm run bench --` (e.g. `npm run bench -- trajectories`)
const ONLY = (process.env.BENCH_ONLY ?? process.argv.slice(2).join(',')).trim();
// one part, or several separated by commas (run in the usual order)
const ONLY_PARTS = ONLY
  ? ONLY.split(',')
      .map((p) => p.trim())
      .filter(Boolean)
  : [];
if (ONLY_PARTS.some((p) => !ALL_PARTS.includes(p))) {
  process.stderr.write(
    `BENCH_ONLY must be one of ${ALL_PARTS.map((p) => `"${p}"`).join(', ')}, or several separated by commas (got "${ONLY}")\n`,
  );
  process.exit(2);
}
const PARTS = ONLY_PARTS.length ? ALL_PARTS.filter((p) => ONLY_PARTS.includes(p)) : ALL_PARTS;

const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const log = (line = '') => process.stdout.write(`${line}\n`);
const redact = (url: string) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};

// ---- peak RSS: sampled, per scenario and overall -------------------------------------------
let rssPeak = 0;
let scenarioRssPeak = 0;
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  rssPeak = Math.max(rssPeak, rss);
  scenarioRssPeak = Math.max(scenarioRssPeak, rss);
}, 100);
sampler.unref();
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

// ---- cleanup, also on failure and on Ctrl-C -----------------------------------------------------
const cleanups: (() => Promise<void>)[] = [];
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const fn of cleanups.reverse()) await fn().catch((e: Error) => log(`cleanup: ${e.message}`));
}
/** The cleanups of one part: run (in reverse) when the part ends; on failure or a signal the global cleanup runs what is left. */
function partScope(): PartScope & { close(): Promise<void> } {
  const mine: (() => Promise<void>)[] = [];
  return {
    add(fn) {
      mine.push(fn);
      cleanups.push(fn);
    },
    async close() {
      for (const fn of mine.reverse()) {
        const i = cleanups.indexOf(fn);
        if (i < 0) continue;
        cleanups.splice(i, 1);
        await fn().catch((e: Error) => log(`cleanup: ${e.message}`));
      }
    },
  };
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`\n${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

type Target = 'app' | 'floor' | 'floor-bare' | 'replay' | 'replay-no-audit';
interface Scenario {
  name: string;
  target: Target;
  query: 'read-by-id' | 'search';
  result: LoadResult;
  peakRssMiB: number;
  /** share of the wall time the main thread (the servers; the load generator has its own thread) was busy */
  serverEventLoopUtilization: number;
  /** all cores of the machine together, 100% = one core fully busy (node, load generator and PostgreSQL) */
  machineCpuPercent: number;
  /** CPU per request: the server's main thread, and the PostgreSQL backends of the bench database (null when not readable) */
  nodeCpuMicrosPerRequest: number;
  postgresCpuMicrosPerRequest: number | null;
}

let cpuTarget: { db: Database; name: string } | undefined;

async function scenario(
  name: string,
  target: Target,
  query: 'read-by-id' | 'search',
  url: string,
  paths: string[],
  headers: Record<string, string>,
): Promise<Scenario> {
  const check = (phase: string, r: LoadResult) => {
    if (r.non2xx !== 0 || r.errors !== 0 || r.timeouts !== 0 || r.total2xx === 0) {
      throw new Error(
        `${name} (${phase}): non-2xx=${r.non2xx} errors=${r.errors} timeouts=${r.timeouts} 2xx=${r.total2xx} status=${JSON.stringify(r.statusCodes)}`,
      );
    }
  };
  process.stdout.write(`  ${name.padEnd(26)} warm-up ${WARMUP_SECONDS}s … `);
  check('warm-up', await load({ url, paths, headers, connections: CONNECTIONS, seconds: WARMUP_SECONDS }));
  process.stdout.write(`measuring ${SECONDS}s … `);
  scenarioRssPeak = process.memoryUsage.rss();
  const snap0 = await cpuSnapshot(cpuTarget!.db, cpuTarget!.name);
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = cpuTimes();
  const result = await load({ url, paths, headers, connections: CONNECTIONS, seconds: SECONDS });
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const cpu1 = cpuTimes();
  const perRequest = cpuPerRequest(
    snap0,
    await cpuSnapshot(cpuTarget!.db, cpuTarget!.name),
    result.total2xx + result.non2xx,
  );
  const machineCpuPercent = Math.round(((cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total)) * os.cpus().length * 100);
  check('run', result);
  log(`${result.requestsPerSecond.toFixed(0)} req/s`);
  return {
    name,
    target,
    query,
    result,
    peakRssMiB: mib(scenarioRssPeak),
    serverEventLoopUtilization: Math.round(elu * 100) / 100,
    machineCpuPercent,
    nodeCpuMicrosPerRequest: Math.round(perRequest.nodeMicros),
    postgresCpuMicrosPerRequest: perRequest.postgresMicros === null ? null : Math.round(perRequest.postgresMicros),
  };
}

async function clientsPart(scope: PartScope) {
  const started = performance.now();
  const loadBefore = os.loadavg();

  // 1. fresh database
  const bench: BenchDatabase = await freshDatabase();
  scope.add(async () => {
    await bench.drop();
    log(`dropped database ${bench.name}`);
  });
  const { db } = bench;
  cpuTarget = { db, name: bench.name };
  const pgInfo = await sql<{
    version: string;
    sync: string;
    wal_sync: string;
    shared_buffers: string;
    preload: string;
    max_conn: string;
  }>`
    select version() as version, current_setting('synchronous_commit') as sync, current_setting('wal_sync_method') as wal_sync,
           current_setting('shared_buffers') as shared_buffers, current_setting('shared_preload_libraries') as preload,
           current_setting('max_connections') as max_conn`.execute(db.owner);
  const env = pgInfo.rows[0]!;
  log(
    `database ${bench.name} (migrated, reference data loaded) — ${env.version.split(' on ')[0]}, synchronous_commit=${env.sync}, wal_sync_method=${env.wal_sync}, shared_buffers=${env.shared_buffers}`,
  );

  // 2. seed
  log(`seeding 1 network, ${ORGANIZATIONS} organisations, ${CLIENTS} clients …`);
  const seeded = await seed(db, { orgCount: ORGANIZATIONS, clientCount: CLIENTS });
  log(
    `seeded ${seeded.clients} clients (${seeded.clientsInOrg} in the organisation under test) and 1 ${seeded.user.role} in ${seeded.seconds.toFixed(1)} s`,
  );
  const ids = await sampleClientIds(db, seeded.organizationId, 300);
  const terms = await pickSearchTerms(db, seeded.organizationId, { min: 5, max: 50, want: 8 });
  if (ids.length < 100 || terms.length < 3)
    throw new Error(`not enough sample data: ${ids.length} ids, ${terms.length} search terms`);
  log(
    `read-by-id cycles through ${ids.length} client ids; search terms (hits in the org): ${terms.map((t) => `"${t.q}" ${t.hits}`).join(', ')}`,
  );

  // 3. the real app
  const config = { ...loadConfig({}), databaseUrl: bench.url, host: '127.0.0.1', port: 0 };
  const app: App = await buildApp({ db, config, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  scope.add(async () => {
    await app.close();
  });
  const appUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const cookie = await login(appUrl, seeded.user.email, BENCH_PASSWORD);
  const appHeaders = { cookie };
  log(`app listening on ${appUrl} (pool ${APP_POOL_SIZE}), logged in as ${seeded.user.email}`);

  // 4. the floor, running the app's own read statement (captured from the wire for one id), as the route floors do
  const probeId = ids[0]!;
  const capture = traceQueries();
  try {
    await getJson(`${appUrl}/api/clients/${probeId}`, appHeaders);
  } finally {
    capture.stop();
  }
  const appRead = capture.entries.find((e) => /"origins"/.test(e.text) && (e.values ?? []).includes(probeId));
  if (!appRead) throw new Error("the app's read statement was not captured");
  const floor: Floor = await startFloor({
    databaseUrl: bench.url,
    poolSize: APP_POOL_SIZE,
    organizationId: seeded.organizationId,
    readStatement: { text: appRead.text, values: appRead.values ?? [], probeId },
  });
  scope.add(() => floor.close());
  log(
    `floor listening on ${floor.url} (bare node:http + pg.Pool ${APP_POOL_SIZE}, connected as the OWNER role: no RLS, no session, no transaction, no audit)`,
  );

  // sanity: both answer the same thing
  const a = await getJson(`${appUrl}/api/clients/${probeId}`, appHeaders);
  const f = await getJson(`${floor.url}/clients/${probeId}`);
  const fb = await getJson(`${floor.url}/clients-bare/${probeId}`);
  if (
    a.status !== 200 ||
    f.status !== 200 ||
    a.body?.id !== probeId ||
    f.body?.id !== probeId ||
    fb.body?.id !== probeId
  )
    throw new Error(`read-by-id check failed: app ${a.status}, floor ${f.status}, bare ${fb.status}`);
  if (!Array.isArray(f.body?.origins) || !Array.isArray(f.body?.risk_levels))
    throw new Error("read-by-id check failed: the floor did not run the app's read statement");
  for (const t of terms) {
    const as = await getJson(`${appUrl}/api/clients?q=${encodeURIComponent(t.q)}`, appHeaders);
    const fs_ = await getJson(`${floor.url}/clients?q=${encodeURIComponent(t.q)}`);
    if (as.status !== 200 || fs_.status !== 200 || as.body.total !== t.hits || fs_.body.total !== t.hits) {
      throw new Error(
        `search check failed for "${t.q}": expected ${t.hits}, app ${as.status}/${as.body?.total}, floor ${fs_.status}/${fs_.body?.total}`,
      );
    }
  }
  log('checked: app and floor return the same client and the same search totals');

  // 5. load
  const readPathsApp = ids.map((id) => `/api/clients/${id}`);
  const readPathsFloor = ids.map((id) => `/clients/${id}`);
  const searchPathsApp = terms.map((t) => `/api/clients?q=${encodeURIComponent(t.q)}`);
  const searchPathsFloor = terms.map((t) => `/clients?q=${encodeURIComponent(t.q)}`);
  log(
    `\nload: autocannon, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per scenario (load generator in a worker thread)`,
  );
  const auditBefore = Number(
    (await sql<{ n: string }>`select count(*) as n from audit_log`.execute(db.owner)).rows[0]!.n,
  );
  const scenarios: Scenario[] = [];
  scenarios.push(await scenario('floor read-by-id', 'floor', 'read-by-id', floor.url, readPathsFloor, {}));
  scenarios.push(await scenario('app   read-by-id', 'app', 'read-by-id', appUrl, readPathsApp, appHeaders));
  scenarios.push(
    await scenario(
      'floor bare select by id',
      'floor-bare',
      'read-by-id',
      floor.url,
      ids.map((id) => `/clients-bare/${id}`),
      {},
    ),
  );
  scenarios.push(await scenario('floor search', 'floor', 'search', floor.url, searchPathsFloor, {}));
  scenarios.push(await scenario('app   search', 'app', 'search', appUrl, searchPathsApp, appHeaders));
  const auditAfter = Number(
    (await sql<{ n: string }>`select count(*) as n from audit_log`.execute(db.owner)).rows[0]!.n,
  );

  // 6. where the app's time goes: statements per request (client-side count), sequential latency, plans
  const pgss = /pg_stat_statements/.test(env.preload);
  // in-flight requests of the last load run finish on the server after autocannon stops: let them drain
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const statementsByPath = new Map<string, TracedQuery[]>();
  const probe = async (paths: string[], n: number): Promise<{ summary: RoundTripSummary; entries: TracedQuery[] }> => {
    const trace = traceQueries();
    const t0 = performance.now();
    try {
      for (let i = 0; i < n; i++) {
        const p = paths[i % paths.length]!;
        const before = trace.entries.length;
        const r = await fetch(`${appUrl}${p}`, { headers: appHeaders });
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`probe: ${r.status}`);
        if (!statementsByPath.has(p)) statementsByPath.set(p, trace.entries.slice(before));
      }
    } finally {
      trace.stop();
    }
    return { summary: summarise(trace.entries, n, (performance.now() - t0) / n), entries: trace.entries };
  };
  const readProbe = await probe(readPathsApp, readPathsApp.length);
  const searchProbe = await probe(searchPathsApp, 200);
  const floorSeq = async (paths: string[], n: number) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await (await fetch(`${floor.url}${paths[i % paths.length]}`)).arrayBuffer();
    return (performance.now() - t0) / n;
  };
  const floorSeqRead = await floorSeq(readPathsFloor, 200);
  const floorSeqSearch = await floorSeq(searchPathsFloor, 200);
  const ctx = { organizationId: seeded.organizationId, networkId: seeded.networkId, userId: seeded.user.id };
  // the plan shown is the one of the search term with the most hits (the last one: terms are sorted by hits)
  const searchStmt = (statementsByPath.get(searchPathsApp.at(-1)!) ?? searchProbe.entries).find((e) =>
    /count\(\*\) over/.test(e.text),
  );
  const readStmt = readProbe.entries.find((e) => /^select \* from "clients"/.test(e.text));
  const plans = {
    search: searchStmt
      ? { sql: searchStmt.text, ...(await explainBoth(db, ctx, searchStmt.text, searchStmt.values ?? [])) }
      : null,
    readById: readStmt
      ? { sql: readStmt.text, ...(await explainBoth(db, ctx, readStmt.text, readStmt.values ?? [])) }
      : null,
  };

  // server-side planning vs execution of each statement of one read-by-id and one search request
  const serverTimes: { query: string; statement: string; planningMs: number; executionMs: number }[] = [];
  for (const [query, p] of [
    ['read-by-id', readPathsApp[0]!],
    ['search', searchPathsApp.at(-1)!],
  ] as const) {
    for (const st of statementsByPath.get(p) ?? []) {
      // the opening (with or without BEGIN: it names kl_session_ended), the COMMIT, the session touch, the audit row
      if (/^(begin( read only)?;|commit$|update "sessions"|insert into audit_log)|kl_session_ended/.test(st.text))
        continue;
      serverTimes.push({
        query,
        statement: label(st.text),
        ...(await statementTimes(db, ctx, st.text, st.values ?? [])),
      });
    }
  }

  // 7. decomposition (informational): the app's exact statements replayed by a bare server, with and without audit
  const decomposition: Scenario[] = [];
  if (DECOMPOSE) {
    log(
      `\ndecomposition: the app's captured statements replayed by a bare node:http + pg server (role kortelijn_app, RLS on)`,
    );
    for (const audit of [true, false]) {
      const replay = await startReplay({ databaseUrl: bench.url, poolSize: APP_POOL_SIZE, statementsByPath, audit });
      try {
        const target: Target = audit ? 'replay' : 'replay-no-audit';
        const label = audit ? 'replay' : 'replay -audit';
        decomposition.push(await scenario(`${label} read-by-id`, target, 'read-by-id', replay.url, readPathsApp, {}));
        decomposition.push(await scenario(`${label} search`, target, 'search', replay.url, searchPathsApp, {}));
      } finally {
        await replay.close();
      }
    }
  }

  // ---- report ----
  const by = (target: string, query: string) => scenarios.find((s) => s.target === target && s.query === query)!.result;
  const ratio = (query: 'read-by-id' | 'search') =>
    by('app', query).requestsPerSecond / by('floor', query).requestsPerSecond;
  const ratios = { readById: ratio('read-by-id'), search: ratio('search') };
  const maxRssMiB = mib(process.resourceUsage().maxRSS * 1024);

  log(`\nResults (${CONNECTIONS} connections, ${SECONDS} s each; latency in ms)`);
  const header = `${'scenario'.padEnd(26)}${'req/s'.padStart(10)}${'p50'.padStart(8)}${'p90'.padStart(8)}${'p99'.padStart(8)}${'2xx'.padStart(10)}${'non-2xx'.padStart(9)}${'RSS MiB'.padStart(9)}${'srv ELU'.padStart(9)}${'CPU %'.padStart(7)}${'node µs/req'.padStart(13)}${'pg µs/req'.padStart(11)}`;
  log(header);
  log('-'.repeat(header.length));
  const row = (s: Scenario) => {
    const r = s.result;
    log(
      `${s.name.padEnd(26)}${r.requestsPerSecond.toFixed(1).padStart(10)}${String(r.p50).padStart(8)}${String(r.p90).padStart(8)}${String(r.p99).padStart(8)}${String(r.total2xx).padStart(10)}${String(r.non2xx).padStart(9)}${String(s.peakRssMiB).padStart(9)}${s.serverEventLoopUtilization.toFixed(2).padStart(9)}${String(s.machineCpuPercent).padStart(7)}${String(s.nodeCpuMicrosPerRequest).padStart(13)}${String(s.postgresCpuMicrosPerRequest ?? 'n/a').padStart(11)}`,
    );
  };
  for (const s of scenarios) row(s);
  log(
    'RSS = peak RSS of this process during the run; srv ELU = event-loop utilisation of the server thread; CPU % = whole machine (100 = one core);',
  );
  log(
    'node µs/req = CPU of the server thread per request; pg µs/req = CPU of the PostgreSQL backends of the bench database per request.',
  );
  log('');
  for (const [q, key] of [
    ['read-by-id', 'readById'],
    ['search', 'search'],
  ] as const) {
    const v = ratios[key];
    log(
      `ratio app/floor throughput, ${q.padEnd(10)}: ${v.toFixed(2)}  (aim ≥ ${AIM}: ${v >= AIM ? 'met' : 'NOT met'})`,
    );
  }
  log(
    `  for comparison, read-by-id against the bare \`select * from clients\` (no origins, no risk levels): ${(
      by('app', 'read-by-id').requestsPerSecond / by('floor-bare', 'read-by-id').requestsPerSecond
    ).toFixed(2)}`,
  );
  if (decomposition.length) {
    log(`\nDecomposition (not part of the ratio): bare node:http + pg replaying the app's own statements`);
    log(
      '  replay       = session select, begin+set_config, query under RLS, audit insert, commit (5 round trips, no framework)',
    );
    log('  replay -audit = the same without the audit insert (4 round trips, the commit flushes no WAL)');
    log(header);
    log('-'.repeat(header.length));
    for (const s of decomposition) row(s);
    log('');
  }
  log(
    `floor = bare node:http + pg.Pool as the OWNER role (no RLS, no session, no transaction, no audit); app = sessions + RLS + audit on`,
  );
  log(`audit rows written during the app runs (incl. warm-ups): ${auditAfter - auditBefore}`);
  log(
    `peak RSS of this process: ${maxRssMiB} MiB (getrusage maxrss, includes seeding and the load-generator thread); sampled peak ${mib(rssPeak)} MiB`,
  );

  log(
    `\nWhere an app request's time goes (sequential probe, 1 connection, statements counted client-side${pgss ? '' : '; pg_stat_statements is not in shared_preload_libraries on this server'}):`,
  );
  for (const [name, p, floorMs] of [
    ['read-by-id', readProbe.summary, floorSeqRead],
    ['search', searchProbe.summary, floorSeqSearch],
  ] as const) {
    log(
      `  ${name}: ${p.statementsPerRequest.toFixed(2)} statements per request (the opening and the next statement share one write and one Sync); mean request ${p.meanRequestMs.toFixed(2)} ms vs floor ${floorMs.toFixed(2)} ms`,
    );
    for (const s of p.statements)
      log(
        `    ${s.perRequest.toFixed(2).padStart(5)} × ${s.statement.padEnd(58)} ${s.meanMs.toFixed(3).padStart(8)} ms`,
      );
  }
  log('  server-side time per statement (EXPLAIN ANALYZE as the app role, median of 15; begin/commit not included):');
  for (const t of serverTimes)
    log(
      `    ${t.query.padEnd(11)} ${t.statement.padEnd(58)} planning ${t.planningMs.toFixed(3)} ms, execution ${t.executionMs.toFixed(3)} ms`,
    );
  if (plans.search) {
    const exec = (lines: string[]) =>
      lines.find((l) => l.startsWith('Execution Time'))?.replace('Execution Time: ', '') ?? '?';
    const top = (lines: string[]) =>
      lines
        .filter((l) => /Scan|Sort|Limit|WindowAgg|Filter|Index Cond|Recheck/.test(l))
        .slice(0, 14)
        .map((l) => `      ${l.trim()}`)
        .join('\n');
    log(
      `  plan of the search statement under RLS (app role): execution ${exec(plans.search.appUnderRls)}\n${top(plans.search.appUnderRls)}`,
    );
    log(
      `  plan of the same statement as owner (no RLS):      execution ${exec(plans.search.ownerNoRls)}\n${top(plans.search.ownerNoRls)}`,
    );
  }

  const report = {
    at: new Date().toISOString(),
    environment: {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      totalMemMiB: mib(os.totalmem()),
      postgres: env.version,
      synchronousCommit: env.sync,
      walSyncMethod: env.wal_sync,
      sharedBuffers: env.shared_buffers,
      pgStatStatements: pgss,
      server: redact(serverUrl),
      database: bench.name,
      loadAverageBefore: loadBefore,
      loadAverageAfter: os.loadavg(),
    },
    settings: {
      connections: CONNECTIONS,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      poolSize: APP_POOL_SIZE,
      loadGenerator: 'autocannon, 1 worker thread, same process',
    },
    seed: { ...seeded, user: { role: seeded.user.role } },
    workload: {
      readIds: ids.length,
      searchTerms: terms.map((t) => t.hits),
      searchTermsNote: 'hits per term in the organisation under test (terms themselves omitted)',
    },
    floor: {
      role: 'owner (superuser): row-level security does not apply',
      transaction: false,
      session: false,
      audit: false,
    },
    scenarios: scenarios.map((s) => ({
      name: s.name.replace(/\s+/g, ' '),
      target: s.target,
      query: s.query,
      ...s.result,
      peakRssMiB: s.peakRssMiB,
      serverEventLoopUtilization: s.serverEventLoopUtilization,
      machineCpuPercent: s.machineCpuPercent,
      nodeCpuMicrosPerRequest: s.nodeCpuMicrosPerRequest,
      postgresCpuMicrosPerRequest: s.postgresCpuMicrosPerRequest,
    })),
    decomposition: decomposition.map((s) => ({
      name: s.name.replace(/\s+/g, ' '),
      target: s.target,
      query: s.query,
      ...s.result,
      peakRssMiB: s.peakRssMiB,
      serverEventLoopUtilization: s.serverEventLoopUtilization,
      machineCpuPercent: s.machineCpuPercent,
      nodeCpuMicrosPerRequest: s.nodeCpuMicrosPerRequest,
      postgresCpuMicrosPerRequest: s.postgresCpuMicrosPerRequest,
    })),
    ratios: { ...ratios, aim: AIM, met: ratios.readById >= AIM && ratios.search >= AIM },
    auditRowsWritten: auditAfter - auditBefore,
    peakRssMiB: maxRssMiB,
    roundTrips: {
      readById: readProbe.summary,
      search: searchProbe.summary,
      floorSequentialMs: { readById: floorSeqRead, search: floorSeqSearch },
    },
    serverTimes,
    plans,
    totalSeconds: 0,
  };
  report.totalSeconds = (performance.now() - started) / 1000;
  return report;
}

async function main() {
  const started = performance.now();
  log(`Korte Lijn bench — ${new Date().toISOString()} — parts: ${PARTS.join(', ')}${ONLY ? ' (BENCH_ONLY)' : ''}`);
  const loadBefore = os.loadavg();
  log(
    `server ${redact(serverUrl)}, node ${process.version}, ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
  );
  if (loadBefore[0]! > os.cpus().length * 0.5)
    log(
      '  note: the machine is already busy (load average above half the cores): figures will be noisy; app and floor share the same conditions',
    );

  let clients: Awaited<ReturnType<typeof clientsPart>> | undefined;
  let catalogue: Awaited<ReturnType<typeof runCatalogue>> | undefined;
  let matching: Awaited<ReturnType<typeof runMatching>> | undefined;
  let referrals: Awaited<ReturnType<typeof runReferrals>> | undefined;
  if (PARTS.includes('clients')) {
    log(`\n=== clients: app against a bare node:http + pg floor ===`);
    const scope = partScope();
    try {
      clients = await clientsPart(scope);
    } finally {
      await scope.close();
    }
  }
  if (PARTS.includes('catalogue')) {
    log(
      `\n=== catalogue: search with text and three filters, ${CATALOGUE_CONNECTIONS} connections, aim p95 ≤ 20 ms ===`,
    );
    const scope = partScope();
    try {
      catalogue = await runCatalogue({
        log,
        scope,
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        connections: CATALOGUE_CONNECTIONS,
        combinations: CATALOGUE_COMBINATIONS,
      });
    } finally {
      await scope.close();
    }
  }
  if (PARTS.includes('matching')) {
    log(
      `\n=== matching: a help request against the 20,000-offer catalogue, ${MATCHING_CONNECTIONS} connections, aim p95 ≤ 50 ms ===`,
    );
    const scope = partScope();
    try {
      matching = await runMatching({
        log,
        scope,
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        connections: MATCHING_CONNECTIONS,
        helpRequests: MATCHING_HELP_REQUESTS,
      });
    } finally {
      await scope.close();
    }
    log(`matching part: ${matching.seconds.toFixed(0)} s`);
  }
  if (PARTS.includes('referrals')) {
    log(
      `\n=== referrals: ${REFERRALS.toLocaleString('en')} referrals, inbox and accept at ${REFERRALS_CONNECTIONS} connections, aim p95 ≤ 30 ms ===`,
    );
    const scope = partScope();
    try {
      referrals = await runReferrals({
        log,
        scope,
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        connections: REFERRALS_CONNECTIONS,
        referrals: REFERRALS,
        organizations: 200,
        accepts: REFERRAL_ACCEPTS,
        acceptWarmup: 200,
      });
    } finally {
      await scope.close();
    }
    log(`referrals part: ${referrals.seconds.toFixed(0)} s`);
  }

  let trajectories: Awaited<ReturnType<typeof runTrajectories>> | undefined;
  if (PARTS.includes('trajectories')) {
    log(
      `\n=== trajectories: ${TRAJECTORIES.toLocaleString('en')} trajectories, ${TRAJECTORY_CONTACTS.toLocaleString('en')} contacts, ${CARE_PLAN_ACTIONS.toLocaleString('en')} care-plan actions; My work and a trajectory with its contact log, one connection and ${TRAJECTORIES_CONNECTIONS}, aim ≤ 3× the bare SQL time ===`,
    );
    const scope = partScope();
    try {
      trajectories = await runTrajectories({
        log,
        scope,
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        connections: TRAJECTORIES_CONNECTIONS,
        trajectories: TRAJECTORIES,
        contacts: TRAJECTORY_CONTACTS,
        actions: CARE_PLAN_ACTIONS,
        sequential: 300,
      });
    } finally {
      await scope.close();
    }
    log(`trajectories part: ${trajectories.seconds.toFixed(0)} s`);
  }
  if (PARTS.includes('reports')) {
    log(
      '\n=== reports: the quarterly output of one organisation and the flow monitor of one zone, after one and five years of history at Flanders scale; aim ≤ 1 s each, 5y/1y ≤ 1.5 ===',
    );
    const reportsStarted = performance.now();
    await import('./reports.ts');
    log(`reports part: ${((performance.now() - reportsStarted) / 1000).toFixed(0)} s`);
  }

  const totalSeconds = (performance.now() - started) / 1000;
  const report = {
    ...(clients ?? {
      at: new Date().toISOString(),
      environment: {
        node: process.version,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? null,
        totalMemMiB: mib(os.totalmem()),
        server: redact(serverUrl),
        loadAverageBefore: loadBefore,
        loadAverageAfter: os.loadavg(),
      },
    }),
    parts: PARTS,
    ...(clients ? { clientsSeconds: clients.totalSeconds } : {}),
    ...(catalogue ? { catalogue } : {}),
    ...(matching ? { matching } : {}),
    ...(referrals ? { referrals } : {}),
    ...(trajectories ? { trajectories } : {}),
    totalSeconds,
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(
    `\nwrote ${path.relative(process.cwd(), path.join(resultsDir, 'latest.json'))} — total ${totalSeconds.toFixed(0)} s`,
  );
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  exitCode = 1;
  log(`\nBENCH FAILED: ${(error as Error).stack ?? String(error)}`);
} finally {
  await cleanup();
}
process.exit(exitCode);
