/**
 * The catalogue part of `npm run bench`: a synthetic catalogue of 20,000 offers of 1,000 organisations
 * in one network, searched with text and three filters (q, theme, municipality, level) at 20
 * concurrent connections, the combination varying per request:
 *   - logged in:  GET /api/offers?q=&theme=&municipality=&level=      (session, tenant transaction; the repository filters by network)
 *   - public:     GET /api/public/offers?…                            (no session, no transaction; the repository filters public, active)
 * (offers have no row policy for reading, `offers_read … using (true)`: the data layer filters, so the GIN indexes stay usable)
 *   - facets:     GET /api/offers?…&facets=true                       (the search plus the five facet counts in one statement, same transaction)
 * next to the floor: EXPLAIN (ANALYZE, BUFFERS) of the exact statements the app sent for the same
 * combinations (captured from the app itself on a sequential pass), run as kortelijn_app in the same
 * tenant context, median and p95 over the combinations. Aim: p95 ≤ 20 ms for the search.
 */
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { buildApp, type App } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/core/config.ts';
import { APP_POOL_SIZE, BENCH_PASSWORD, freshDatabase } from './database.ts';
import { sampleCombinations, seedCatalogue, type Combination } from './catalogue-seed.ts';
import { percentile, randomLoad, type RandomLoadResult } from './random-load.ts';
import { traceQueries, type TracedQuery } from './probe.ts';
import {
  explainJson,
  explainText,
  summarisePlans,
  type ExplainContext,
  type Explained,
  type PlanSummary,
} from './plan.ts';
import { cpuPerRequest, cpuSnapshot, cpuTimes, fmt, r3 } from './cpu.ts';
import { login } from './http.ts';
import { replayStatements, startRouteFloor, type Floor } from './floor.ts';

export const CATALOGUE_AIM_P95_MS = 20;
/** Issue 14: the logged-in search at least 0.4 of its bare floor's throughput. */
export const CATALOGUE_FLOOR_AIM = 0.4;
const ORGANIZATIONS = 1000;
const OFFERS = 20_000;

export interface PartScope {
  add(fn: () => Promise<void>): void;
}

/** A search with facets=true sends the search and one statement with all five facet counts. */
const FACETS_STATEMENTS = 2;
/**
 * When the strict search finds nothing, the app adds the fuzzy fallback and the "Bedoelde je …?" words (two
 * statements on offers). Such a combination is left out of the load, as one without hits is: the measured set stays
 * the one the strict search answers, comparable across versions.
 */
const FALLBACK_STATEMENTS = 2;
type Endpoint = 'logged-in' | 'public' | 'facets';
interface CatalogueScenario {
  name: string;
  endpoint: Endpoint;
  path: string;
  result: RandomLoadResult;
  nodeCpuMicrosPerRequest: number;
  postgresCpuMicrosPerRequest: number | null;
  machineCpuPercent: number;
}

const qs = (c: Combination) =>
  `q=${encodeURIComponent(c.q)}&theme=${encodeURIComponent(c.theme)}&municipality=${c.municipality}&level=${c.level}`;
const PATHS: Record<Endpoint, (c: Combination) => string> = {
  'logged-in': (c) => `/api/offers?${qs(c)}`,
  public: (c) => `/api/public/offers?${qs(c)}`,
  facets: (c) => `/api/offers?${qs(c)}&facets=true`,
};
const NAMES: Record<Endpoint, string> = {
  'logged-in': 'search, logged in',
  public: 'search, public',
  facets: 'search + facets, logged in',
};

const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? NaN, median: percentile(s, 50), p95: percentile(s, 95), max: s.at(-1) ?? NaN };
};

export async function runCatalogue(opts: {
  log: (line?: string) => void;
  scope: PartScope;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  combinations: number;
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
    await sql<{ version: string; shared_buffers: string; work_mem: string; jit: string; workers: string }>`
    select version() as version, current_setting('shared_buffers') as shared_buffers, current_setting('work_mem') as work_mem,
           current_setting('jit') as jit, current_setting('max_parallel_workers_per_gather') as workers`.execute(
      db.owner,
    )
  ).rows[0]!;
  log(
    `database ${bench.name} (migrated, reference data loaded) — ${pg.version.split(' on ')[0]}, shared_buffers=${pg.shared_buffers}, work_mem=${pg.work_mem}, jit=${pg.jit}, max_parallel_workers_per_gather=${pg.workers}`,
  );

  // 2. seed
  log(
    `seeding 1 network, ${ORGANIZATIONS} organisations, ${OFFERS} offers (insert … select generate_series as owner; the trigger fills search_vector) …`,
  );
  const seeded = await seedCatalogue(db, { orgCount: ORGANIZATIONS, offerCount: OFFERS });
  log(
    `seeded ${seeded.offers} offers (${seeded.activeOffers} active, ${seeded.publicActiveOffers} public and active) of ${seeded.organizations} organisations in ${fmt(seeded.seconds, 1)} s: ` +
      `offers insert incl. trigger ${fmt(seeded.offerInsertSeconds, 1)} s (${Math.round(seeded.offers / seeded.offerInsertSeconds)} rows/s), VACUUM (ANALYZE) ${fmt(seeded.analyzeSeconds, 1)} s (flushes the GIN pending lists, as autovacuum would)`,
  );
  log(
    `  ${seeded.meanThemesPerOffer} themes and ${seeded.meanMunicipalitiesPerOffer} municipalities (of ${seeded.flemishMunicipalities} Flemish) per offer on average; ` +
      `table ${seeded.tableMiB} MiB, indexes ${Object.entries(seeded.indexesMiB)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} MiB`,
  );

  // 3. the app
  const config = { ...loadConfig({}), databaseUrl: bench.url, host: '127.0.0.1', port: 0 };
  const app: App = await buildApp({ db, config, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  scope.add(async () => {
    await app.close();
  });
  const appUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const cookie = await login(appUrl, seeded.user.email, BENCH_PASSWORD);
  const headers = { cookie };
  log(`app listening on ${appUrl} (pool ${APP_POOL_SIZE}), logged in as ${seeded.user.email} (${seeded.user.role})`);

  // 4. combinations; one sequential pass over all of them checks the answers and captures the app's statements
  const candidates = await sampleCombinations(db, Math.ceil(opts.combinations * 1.2));
  const combos: { c: Combination; hits: Record<Endpoint, number>; statements: Record<Endpoint, TracedQuery[]> }[] = [];
  let dropped = 0;
  const trace = traceQueries();
  try {
    for (const c of candidates) {
      if (combos.length >= opts.combinations) break;
      const hits = {} as Record<Endpoint, number>;
      const statements = {} as Record<Endpoint, TracedQuery[]>;
      for (const endpoint of ['logged-in', 'public', 'facets'] as const) {
        const before = trace.entries.length;
        const res = await fetch(`${appUrl}${PATHS[endpoint](c)}`, { headers: endpoint === 'public' ? {} : headers });
        const body = (await res.json()) as { total?: number; facets?: unknown };
        if (res.status !== 200)
          throw new Error(`${endpoint} ${PATHS[endpoint](c)}: ${res.status} ${JSON.stringify(body)}`);
        if (endpoint === 'facets' && !body.facets) throw new Error('facets=true returned no facets');
        hits[endpoint] = body.total ?? 0;
        statements[endpoint] = trace.entries.slice(before).filter((e) => /from "offers"/.test(e.text));
      }
      if (hits['logged-in'] !== hits.facets)
        throw new Error(`facets changed the total for ${qs(c)}: ${hits['logged-in']} vs ${hits.facets}`);
      if (
        statements['logged-in'].length === 1 + FALLBACK_STATEMENTS ||
        statements.public.length === 1 + FALLBACK_STATEMENTS
      ) {
        dropped += 1;
        continue;
      }
      if (
        statements['logged-in'].length !== 1 ||
        statements.public.length !== 1 ||
        statements.facets.length !== FACETS_STATEMENTS
      ) {
        throw new Error(
          `unexpected statements for ${qs(c)}: ${statements['logged-in'].length}/${statements.public.length}/${statements.facets.length} (expected 1/1/${FACETS_STATEMENTS})`,
        );
      }
      if (hits['logged-in'] < 1 || hits.public < 1) {
        dropped += 1;
        continue;
      }
      combos.push({ c, hits, statements });
    }
  } finally {
    trace.stop();
  }
  if (combos.length < Math.min(50, opts.combinations))
    throw new Error(`only ${combos.length} combinations with hits (${dropped} without)`);
  const hitStats = {
    loggedIn: stat(combos.map((x) => x.hits['logged-in'])),
    public: stat(combos.map((x) => x.hits.public)),
  };
  const distinct = (f: (c: Combination) => string) => new Set(combos.map((x) => f(x.c))).size;
  log(
    `${combos.length} combinations (${dropped} candidates without hits left out): ${distinct((c) => c.q)} words, ${distinct((c) => c.theme)} themes, ` +
      `${distinct((c) => c.municipality)} municipalities, ${distinct((c) => c.level)} levels; hits logged in min/median/max ${hitStats.loggedIn.min}/${hitStats.loggedIn.median}/${hitStats.loggedIn.max}, ` +
      `public ${hitStats.public.min}/${hitStats.public.median}/${hitStats.public.max}`,
  );
  log(`  e.g. ${PATHS['logged-in'](combos[0]!.c)}`);
  log(
    'checked: every combination answers 200 on the three endpoints, facets included, and the statements of each are captured',
  );

  // 5. load
  log(
    `\nload: autocannon in a worker thread, ${opts.connections} connections, ${opts.warmupSeconds} s warm-up + ${opts.seconds} s per scenario, a random combination per request`,
  );
  const runScenario = async (
    name: string,
    endpoint: Endpoint,
    floorTarget?: { url: string; paths: string[] },
  ): Promise<CatalogueScenario> => {
    const url = floorTarget?.url ?? appUrl;
    const paths = floorTarget?.paths ?? combos.map((x) => PATHS[endpoint](x.c));
    const h = endpoint === 'public' || floorTarget ? {} : headers;
    const check = (phase: string, r: RandomLoadResult) => {
      // a short warm-up of a slow scenario may complete nothing (in-flight requests are cut off at the end): only the run must have answers
      if (r.non2xx !== 0 || r.errors !== 0 || r.timeouts !== 0 || (phase === 'run' && r.total2xx === 0)) {
        throw new Error(
          `${name} (${phase}): non-2xx=${r.non2xx} errors=${r.errors} timeouts=${r.timeouts} 2xx=${r.total2xx} status=${JSON.stringify(r.statusCodes)}`,
        );
      }
    };
    process.stdout.write(`  ${name.padEnd(28)} warm-up ${opts.warmupSeconds}s … `);
    check(
      'warm-up',
      await randomLoad({
        url,
        paths,
        headers: h,
        connections: opts.connections,
        seconds: opts.warmupSeconds,
        seed: 7,
      }),
    );
    process.stdout.write(`measuring ${opts.seconds}s … `);
    const snap0 = await cpuSnapshot(db, bench.name);
    const cpu0 = cpuTimes();
    const result = await randomLoad({
      url,
      paths,
      headers: h,
      connections: opts.connections,
      seconds: opts.seconds,
      seed: 11,
    });
    const cpu1 = cpuTimes();
    const perRequest = cpuPerRequest(snap0, await cpuSnapshot(db, bench.name), result.total2xx + result.non2xx);
    check('run', result);
    log(`${result.requestsPerSecond.toFixed(0)} req/s, p95 ${fmt(result.p95)} ms`);
    // in-flight requests finish after autocannon stops: let them drain before the next measurement
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return {
      name,
      endpoint,
      path: floorTarget
        ? '/offers/{combination} (floor)'
        : endpoint === 'public'
          ? '/api/public/offers'
          : endpoint === 'facets'
            ? '/api/offers?…&facets=true'
            : '/api/offers',
      result,
      nodeCpuMicrosPerRequest: Math.round(perRequest.nodeMicros),
      postgresCpuMicrosPerRequest: perRequest.postgresMicros === null ? null : Math.round(perRequest.postgresMicros),
      machineCpuPercent: Math.round(((cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total)) * os.cpus().length * 100),
    };
  };
  // the floor (issue 14, part 5): bare node:http + pg as the owner replaying the logged-in search statement the app
  // sent for the combination (same SQL and values; no session, no context, no RLS, no audit), answering its rows
  const routeFloor: Floor = await startRouteFloor({
    databaseUrl: bench.url,
    poolSize: APP_POOL_SIZE,
    async handle(client, _method, url) {
      const i = Number(/^\/offers\/(\d+)$/.exec(url.pathname)?.[1] ?? NaN);
      const combo = combos[i];
      if (!combo) return { status: 404, body: { error: 'not-found' } };
      const [result] = await replayStatements(
        client,
        combo.statements['logged-in'].map((e) => ({ text: e.text, values: e.values ?? [] })),
      );
      const rows = result!.rows as { total_count?: string | number }[];
      return {
        status: 200,
        body: { items: rows, total: rows.length ? Number(rows[0]!.total_count ?? rows.length) : 0 },
      };
    },
  });
  scope.add(() => routeFloor.close());
  const floorPaths = combos.map((_, i) => `/offers/${i}`);
  const scenarios: CatalogueScenario[] = [];
  for (const endpoint of ['logged-in', 'public', 'facets'] as const) {
    scenarios.push(await runScenario(NAMES[endpoint], endpoint));
    if (endpoint === 'logged-in')
      scenarios.push(
        await runScenario('floor: search statement', 'logged-in', { url: routeFloor.url, paths: floorPaths }),
      );
  }
  const isFloor = (x: CatalogueScenario) => x.path.endsWith('(floor)');
  const floorScenario = scenarios.find(isFloor)!;
  const floorRatio = r3(scenarios[0]!.result.requestsPerSecond / floorScenario.result.requestsPerSecond);

  // 6. the floor: EXPLAIN (ANALYZE, BUFFERS) of the captured statements, as the app runs them
  log(
    `\nfloor: EXPLAIN (ANALYZE, BUFFERS) of the app's captured statements for the ${combos.length} combinations, as kortelijn_app in the request's context, one connection, sequential …`,
  );
  const tenant: ExplainContext = {
    kind: 'tenant',
    organizationId: seeded.organizationId,
    networkId: seeded.networkId,
    userId: seeded.user.id,
    role: seeded.user.role,
  };
  const asStatement = (t: TracedQuery) => ({ text: t.text, values: t.values ?? [] });
  const floorStarted = performance.now();
  const loggedIn = await explainJson(
    db,
    tenant,
    combos.map((x) => asStatement(x.statements['logged-in'][0]!)),
  );
  const publicPlans = await explainJson(
    db,
    { kind: 'public' },
    combos.map((x) => asStatement(x.statements.public[0]!)),
  );
  const facetsFlat = await explainJson(
    db,
    tenant,
    combos.flatMap((x) => x.statements.facets.map(asStatement)),
  );
  const ownerPlans = await explainJson(
    db,
    { kind: 'owner' },
    combos.map((x) => asStatement(x.statements['logged-in'][0]!)),
  );
  const floorSeconds = (performance.now() - floorStarted) / 1000;
  const facetsPerRequest: Explained[][] = combos.map((_, i) =>
    facetsFlat.slice(i * FACETS_STATEMENTS, (i + 1) * FACETS_STATEMENTS),
  );
  const facetsExec = stat(facetsPerRequest.map((xs) => xs.reduce((s, e) => s + e.executionMs, 0)));
  const facetsPlanning = stat(facetsPerRequest.map((xs) => xs.reduce((s, e) => s + e.planningMs, 0)));
  const floor = {
    loggedIn: summarisePlans(loggedIn),
    public: summarisePlans(publicPlans),
    facets: {
      perRequest: {
        executionMs: { median: r3(facetsExec.median), p95: r3(facetsExec.p95), max: r3(facetsExec.max) },
        planningMs: { median: r3(facetsPlanning.median), p95: r3(facetsPlanning.p95) },
      },
      facetStatements: summarisePlans(facetsPerRequest.flatMap((xs) => xs.slice(1))),
    },
    ownerNoRls: summarisePlans(ownerPlans),
    seconds: floorSeconds,
  };
  // the plans shown: the logged-in statement of the combination at the median execution time, as the app (RLS) and as owner
  const order = loggedIn.map((e, i) => [e.executionMs, i] as const).sort((a, b) => a[0] - b[0]);
  const medianIndex = order[Math.floor(order.length / 2)]![1];
  const medianStmt = asStatement(combos[medianIndex]!.statements['logged-in'][0]!);
  const publicOrder = publicPlans.map((e, i) => [e.executionMs, i] as const).sort((a, b) => a[0] - b[0]);
  const publicMedianStmt = asStatement(
    combos[publicOrder[Math.floor(publicOrder.length / 2)]![1]]!.statements.public[0]!,
  );
  const plans = {
    combination: combos[medianIndex]!.c,
    sql: medianStmt.text,
    loggedInUnderRls: await explainText(db, tenant, medianStmt.text, medianStmt.values),
    ownerNoRls: await explainText(db, { kind: 'owner' }, medianStmt.text, medianStmt.values),
    publicUnderRls: await explainText(db, { kind: 'public' }, publicMedianStmt.text, publicMedianStmt.values),
    facetSql: combos[medianIndex]!.statements.facets[1]!.text,
    facetUnderRls: await explainText(
      db,
      tenant,
      combos[medianIndex]!.statements.facets[1]!.text,
      combos[medianIndex]!.statements.facets[1]!.values ?? [],
    ),
  };

  // 7. what-if, only when the aim is missed: the same statements under RLS once the functions behind @@, && and @> are
  //    LEAKPROOF (so the planner may use the GIN indexes before the policy). Done in this throwaway database only
  //    (pg_proc is per database), undone right after; it needs a superuser and is skipped otherwise.
  const anyMissed = scenarios.some((x) => !isFloor(x) && x.result.p95 > CATALOGUE_AIM_P95_MS);
  const superuser =
    (await sql<{ su: boolean }>`select rolsuper as su from pg_roles where rolname = current_user`.execute(db.owner))
      .rows[0]?.su === true;
  let whatIf: {
    change: string;
    loggedIn: PlanSummary;
    public: PlanSummary;
    facetsPerRequestMs: { median: number; p95: number };
    plan: string[];
    load: CatalogueScenario;
  } | null = null;
  if (anyMissed && superuser) {
    const fns = [
      'ts_match_vq(tsvector, tsquery)',
      'arrayoverlap(anyarray, anyarray)',
      'arraycontains(anyarray, anyarray)',
    ];
    const change = fns.map((f) => `alter function pg_catalog.${f} leakproof`).join('; ');
    log(`\nwhat-if (throwaway database only, undone afterwards): ${change}`);
    await sql.raw(change).execute(db.owner);
    try {
      const wl = await explainJson(
        db,
        tenant,
        combos.map((x) => asStatement(x.statements['logged-in'][0]!)),
      );
      const wp = await explainJson(
        db,
        { kind: 'public' },
        combos.map((x) => asStatement(x.statements.public[0]!)),
      );
      const wf = await explainJson(
        db,
        tenant,
        combos.flatMap((x) => x.statements.facets.map(asStatement)),
      );
      const wfPer = stat(
        combos.map((_, i) =>
          wf.slice(i * FACETS_STATEMENTS, (i + 1) * FACETS_STATEMENTS).reduce((sum, e) => sum + e.executionMs, 0),
        ),
      );
      const plan = await explainText(db, tenant, medianStmt.text, medianStmt.values);
      // and the app itself under the same load, against this database (the server code is unchanged)
      const load = await runScenario('what-if: search, logged in', 'logged-in');
      whatIf = {
        change,
        loggedIn: summarisePlans(wl),
        public: summarisePlans(wp),
        facetsPerRequestMs: { median: r3(wfPer.median), p95: r3(wfPer.p95) },
        plan,
        load,
      };
    } finally {
      await sql.raw(fns.map((f) => `alter function pg_catalog.${f} not leakproof`).join('; ')).execute(db.owner);
    }
  } else if (anyMissed) {
    log('\nwhat-if skipped: the bench connects without superuser rights');
  }

  // ---- report ----
  const byEndpoint = (e: Endpoint) => scenarios.find((s) => s.endpoint === e)!;
  log(
    `\nload average before/after the catalogue part: ${loadBefore.map((l) => l.toFixed(2)).join(' ')} / ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (${os.cpus().length} CPUs; other processes share the machine)`,
  );
  log(
    `\nCatalogue results (${opts.connections} connections, ${opts.seconds} s each after ${opts.warmupSeconds} s warm-up; latency in ms, exact percentiles over every response)`,
  );
  const header = `${'scenario'.padEnd(30)}${'req/s'.padStart(9)}${'p50'.padStart(9)}${'p95'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}${'2xx'.padStart(9)}${'non-2xx'.padStart(9)}${'CPU %'.padStart(7)}${'node µs/req'.padStart(13)}${'pg µs/req'.padStart(11)}`;
  log(header);
  log('-'.repeat(header.length));
  for (const s of scenarios) {
    const r = s.result;
    log(
      `${s.name.padEnd(30)}${r.requestsPerSecond.toFixed(1).padStart(9)}${fmt(r.p50).padStart(9)}${fmt(r.p95).padStart(9)}${fmt(r.p99).padStart(9)}${fmt(r.max).padStart(9)}` +
        `${String(r.total2xx).padStart(9)}${String(r.non2xx).padStart(9)}${String(s.machineCpuPercent).padStart(7)}${String(s.nodeCpuMicrosPerRequest).padStart(13)}${String(s.postgresCpuMicrosPerRequest ?? 'n/a').padStart(11)}`,
    );
  }
  log(
    'CPU % = whole machine (100 = one core); node µs/req = server thread CPU per request; pg µs/req = PostgreSQL backends of the bench database per request.',
  );
  log(
    `ratio app/floor throughput, search logged in: ${fmt(floorRatio, 2)}  (aim ≥ ${CATALOGUE_FLOOR_AIM}: ${floorRatio >= CATALOGUE_FLOOR_AIM ? 'met' : 'NOT met'})`,
  );
  log(
    "  floor = bare node:http + pg as the OWNER replaying the app's logged-in search statement of the combination (no session, context, RLS, audit)",
  );

  log(
    `\nFloor: the same SQL, EXPLAIN (ANALYZE, BUFFERS) over the ${combos.length} combinations (ms; rows read = offers rows scanned incl. those removed by filter/recheck)`,
  );
  const fh = `${'statement(s)'.padEnd(44)}${'exec p50'.padStart(10)}${'exec p95'.padStart(10)}${'plan p50'.padStart(10)}${'rows read p50'.padStart(15)}${'rows out p50'.padStart(14)}${'buffers p50'.padStart(13)}`;
  log(fh);
  log('-'.repeat(fh.length));
  const frow = (label: string, p: PlanSummary) =>
    log(
      `${label.padEnd(44)}${fmt(p.executionMs.median, 3).padStart(10)}${fmt(p.executionMs.p95, 3).padStart(10)}${fmt(p.planningMs.median, 3).padStart(10)}` +
        `${String(p.offersRowsRead.median).padStart(15)}${String(p.rowsReturned.median).padStart(14)}${String(p.sharedBuffers.median).padStart(13)}`,
    );
  frow('search, logged in (app role, tenant, RLS)', floor.loggedIn);
  frow('search, public (app role, no tenant, RLS)', floor.public);
  log(
    `${'search + 5 facets, per request (2 stmts)'.padEnd(44)}${fmt(floor.facets.perRequest.executionMs.median, 3).padStart(10)}${fmt(floor.facets.perRequest.executionMs.p95, 3).padStart(10)}${fmt(floor.facets.perRequest.planningMs.median, 3).padStart(10)}`,
  );
  frow('  the facet count statement', floor.facets.facetStatements);
  frow('search, logged in, as owner (no RLS) *', floor.ownerNoRls);
  log('* for comparison only: the owner is a superuser, row-level security does not apply to it');

  log(
    `\nApp p95 next to the floor p95 (execution): logged in ${fmt(byEndpoint('logged-in').result.p95)} vs ${fmt(floor.loggedIn.executionMs.p95, 3)} ms; ` +
      `public ${fmt(byEndpoint('public').result.p95)} vs ${fmt(floor.public.executionMs.p95, 3)} ms; facets ${fmt(byEndpoint('facets').result.p95)} vs ${fmt(floor.facets.perRequest.executionMs.p95, 3)} ms`,
  );
  const aim = {
    p95Ms: CATALOGUE_AIM_P95_MS,
    loggedIn: {
      p95: byEndpoint('logged-in').result.p95,
      met: byEndpoint('logged-in').result.p95 <= CATALOGUE_AIM_P95_MS,
    },
    public: { p95: byEndpoint('public').result.p95, met: byEndpoint('public').result.p95 <= CATALOGUE_AIM_P95_MS },
    facets: { p95: byEndpoint('facets').result.p95, met: byEndpoint('facets').result.p95 <= CATALOGUE_AIM_P95_MS },
  };
  log(`aim p95 ≤ ${CATALOGUE_AIM_P95_MS} ms at ${opts.connections} connections:`);
  log(`  search, logged in:          p95 ${fmt(aim.loggedIn.p95)} ms — ${aim.loggedIn.met ? 'met' : 'NOT met'}`);
  log(`  search, public:             p95 ${fmt(aim.public.p95)} ms — ${aim.public.met ? 'met' : 'NOT met'}`);
  log(
    `  search + facets, logged in: p95 ${fmt(aim.facets.p95)} ms — ${aim.facets.met ? 'met' : 'NOT met'} (separate line: the search and the facet counts, two statements per request)`,
  );

  log('\nPlans (over all combinations):');
  for (const [label, p] of [
    ['search, logged in (RLS)', floor.loggedIn],
    ['search, public (RLS)', floor.public],
    ['facet counts (RLS)', floor.facets.facetStatements],
    ['search as owner (no RLS)', floor.ownerNoRls],
  ] as const) {
    log(
      `  ${label}: access to offers ${p.offersAccess.map((a) => `${a.access} (${a.plans}/${p.statements})`).join(', ')}`,
    );
    log(
      `    time by node: ${p.timeByNode
        .slice(0, 4)
        .map((n) => `${n.node} ${Math.round(n.share * 100)}% (${fmt(n.meanMs, 3)} ms)`)
        .join('; ')}`,
    );
    if (p.offersFilters[0]) log(`    filter on offers: ${p.offersFilters[0].slice(0, 400)}`);
  }
  const indent = (lines: string[]) => lines.map((l) => `      ${l}`).join('\n');
  log(
    `  plan of the median logged-in search (${qs(plans.combination)}) as the app (RLS):\n${indent(plans.loggedInUnderRls)}`,
  );
  log(`  the same statement as owner (no RLS):\n${indent(plans.ownerNoRls)}`);
  log(`  the median public search as the app (RLS, no tenant):\n${indent(plans.publicUnderRls)}`);
  log(`  the facet counts of that combination as the app (RLS):\n${indent(plans.facetUnderRls)}`);

  if (whatIf) {
    log(
      `\nWhat-if, same statements under RLS with ${whatIf.change.includes('ts_match_vq') ? '@@, && and @> leakproof' : whatIf.change} (EXPLAIN ANALYZE, ms):`,
    );
    log(fh);
    log('-'.repeat(fh.length));
    frow('search, logged in (app role, tenant, RLS)', whatIf.loggedIn);
    frow('search, public (app role, no tenant, RLS)', whatIf.public);
    log(
      `${'search + 5 facets, per request (2 stmts)'.padEnd(44)}${fmt(whatIf.facetsPerRequestMs.median, 3).padStart(10)}${fmt(whatIf.facetsPerRequestMs.p95, 3).padStart(10)}`,
    );
    log(
      `  access to offers, logged in: ${whatIf.loggedIn.offersAccess.map((a) => `${a.access} (${a.plans}/${whatIf.loggedIn.statements})`).join(', ')}`,
    );
    log(
      `  access to offers, public: ${whatIf.public.offersAccess.map((a) => `${a.access} (${a.plans}/${whatIf.public.statements})`).join(', ')}`,
    );
    log(`  plan of the median logged-in search:\n${indent(whatIf.plan)}`);
    const w = whatIf.load;
    const wr = w.result;
    log(
      `  the app under the same load with this change (logged-in search, ${opts.connections} connections, ${opts.seconds} s): ${wr.requestsPerSecond.toFixed(1)} req/s, ` +
        `p50 ${fmt(wr.p50)}, p95 ${fmt(wr.p95)}, p99 ${fmt(wr.p99)} ms, non-2xx ${wr.non2xx}; node ${w.nodeCpuMicrosPerRequest} µs/req, pg ${w.postgresCpuMicrosPerRequest ?? 'n/a'} µs/req ` +
        `— aim p95 ≤ ${CATALOGUE_AIM_P95_MS} ms ${wr.p95 <= CATALOGUE_AIM_P95_MS ? 'met' : 'NOT met'}`,
    );
  }

  const diagnosis = diagnose({ aim, floor, scenarios, whatIf, connections: opts.connections });
  if (diagnosis.length) {
    log('\nWhat dominates, and what would help (no server code changed):');
    for (const d of diagnosis) log(`  - ${d}`);
  }

  return {
    at: new Date().toISOString(),
    database: bench.name,
    loadAverageBefore: loadBefore,
    loadAverageAfter: os.loadavg(),
    postgres: {
      version: pg.version,
      sharedBuffers: pg.shared_buffers,
      workMem: pg.work_mem,
      jit: pg.jit,
      maxParallelWorkersPerGather: pg.workers,
    },
    settings: {
      connections: opts.connections,
      seconds: opts.seconds,
      warmupSeconds: opts.warmupSeconds,
      poolSize: APP_POOL_SIZE,
      loadGenerator:
        'autocannon in a worker thread, random combination per request (setupRequest), exact percentiles from every response time',
    },
    seed: { ...seeded, user: { role: seeded.user.role } },
    workload: {
      combinations: combos.length,
      candidatesWithoutHits: dropped,
      hits: hitStats,
      distinct: {
        words: distinct((c) => c.q),
        themes: distinct((c) => c.theme),
        municipalities: distinct((c) => c.municipality),
        levels: distinct((c) => c.level),
      },
      examples: combos.slice(0, 5).map((x) => PATHS['logged-in'](x.c)),
    },
    scenarios: scenarios.map((s) => ({
      name: s.name,
      endpoint: s.endpoint,
      path: s.path,
      ...s.result,
      machineCpuPercent: s.machineCpuPercent,
      nodeCpuMicrosPerRequest: s.nodeCpuMicrosPerRequest,
      postgresCpuMicrosPerRequest: s.postgresCpuMicrosPerRequest,
    })),
    floor,
    floorRatio: { searchLoggedIn: floorRatio, aim: CATALOGUE_FLOOR_AIM },
    aim,
    plans,
    whatIf,
    diagnosis,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Findings drawn from the measurements and the plans, and what would help; only when the aim is missed. */
function diagnose(x: {
  aim: { p95Ms: number; loggedIn: { met: boolean }; public: { met: boolean }; facets: { met: boolean } };
  floor: {
    loggedIn: PlanSummary;
    public: PlanSummary;
    ownerNoRls: PlanSummary;
    facets: { perRequest: { executionMs: { median: number } }; facetStatements: PlanSummary };
  };
  scenarios: CatalogueScenario[];
  whatIf: {
    loggedIn: PlanSummary;
    public: PlanSummary;
    facetsPerRequestMs: { median: number; p95: number };
    load: CatalogueScenario;
  } | null;
  connections: number;
}): string[] {
  const out: string[] = [];
  const { floor, whatIf } = x;
  if (x.aim.loggedIn.met && x.aim.public.met && x.aim.facets.met) return out;
  const top = (p: PlanSummary) => p.timeByNode[0];
  const via = (p: PlanSummary) => p.offersAccess.map((a) => a.access).join(' + ');
  const gin = (p: PlanSummary) =>
    p.offersAccess.some((a) => /offers_(search|themes|municipalities)_idx/.test(a.access));
  const li = x.scenarios.find((s) => s.endpoint === 'logged-in')!;
  const cores = os.cpus().length;

  // 1. the load: a closed loop of 20 connections, so the latency is the queue in front of the CPU
  const cpuPerRequestMs = (li.nodeCpuMicrosPerRequest + (li.postgresCpuMicrosPerRequest ?? 0)) / 1000;
  const neededRps = x.connections / (x.aim.p95Ms / 1000);
  out.push(
    `the latency at ${x.connections} connections is mostly queueing: ${x.connections} connections / ${li.result.requestsPerSecond.toFixed(0)} req/s = ${fmt((x.connections / li.result.requestsPerSecond) * 1000, 0)} ms ` +
      `mean (measured ${fmt(li.result.mean, 0)} ms). A request of the logged-in search costs ${fmt(cpuPerRequestMs, 1)} ms of CPU (node ${fmt(li.nodeCpuMicrosPerRequest / 1000, 1)} + PostgreSQL ` +
      `${fmt((li.postgresCpuMicrosPerRequest ?? NaN) / 1000, 1)}) on ${cores} core(s); a p95 of ${x.aim.p95Ms} ms with ${x.connections} requests always in flight needs well over ${neededRps.toFixed(0)} req/s, ` +
      `i.e. under ${fmt((cores * 1000) / neededRps, 1)} ms of CPU per request on this machine (less while it is shared).`,
  );
  // 2. the plan
  out.push(
    `what dominates: the offers scan. Logged-in search, floor ${fmt(floor.loggedIn.executionMs.median, 3)} ms median / ${fmt(floor.loggedIn.executionMs.p95, 3)} ms p95 (execution): ` +
      `${via(floor.loggedIn)} reading ${floor.loggedIn.offersRowsRead.median} offers rows (${floor.loggedIn.sharedBuffers.median} buffers) to return ${floor.loggedIn.rowsReturned.median}; ` +
      `${top(floor.loggedIn)?.node} is ${Math.round((top(floor.loggedIn)?.share ?? 0) * 100)}% of the time. Public search: ${fmt(floor.public.executionMs.median, 3)} / ${fmt(floor.public.executionMs.p95, 3)} ms, ` +
      `${via(floor.public)}, ${floor.public.offersRowsRead.median} rows read.`,
  );
  if (!gin(floor.loggedIn)) {
    out.push(
      'why: under row-level security only LEAKPROOF conditions may be evaluated before the policy offers_read (and so become index conditions). The operators of the ' +
        'search, @@ (ts_match_vq), && (arrayoverlap) and @> (arraycontains), are not leakproof; the leakproof ones (network_id = …, level = …, active, is_public) have no ' +
        'selective index (offers_network_idx covers the whole network). So the GIN indexes offers_search_idx, offers_themes_idx and offers_municipalities_idx are never used ' +
        'by the app, and every offer is read and tested row by row, the tsvector match included.',
    );
  }
  out.push(
    `the same statement as the owner (no RLS): ${fmt(floor.ownerNoRls.executionMs.median, 3)} ms median / ${fmt(floor.ownerNoRls.executionMs.p95, 3)} ms p95 via ${via(floor.ownerNoRls)}, ` +
      `${floor.ownerNoRls.offersRowsRead.median} rows read: ` +
      (gin(floor.loggedIn)
        ? 'the app role reaches the same indexes (no read policy on offers).'
        : 'the indexes are adequate, RLS keeps them out of reach.'),
  );
  if (whatIf) {
    out.push(
      `measured what-if (throwaway database): with those three functions LEAKPROOF the app-role plans become logged in ${fmt(whatIf.loggedIn.executionMs.median, 3)} / ${fmt(whatIf.loggedIn.executionMs.p95, 3)} ms ` +
        `(${via(whatIf.loggedIn)}), public ${fmt(whatIf.public.executionMs.median, 3)} / ${fmt(whatIf.public.executionMs.p95, 3)} ms (${via(whatIf.public)}), search + facets ` +
        `${fmt(whatIf.facetsPerRequestMs.median, 3)} / ${fmt(whatIf.facetsPerRequestMs.p95, 3)} ms per request (median / p95).`,
    );
    const w = whatIf.load;
    const wCpu = (w.nodeCpuMicrosPerRequest + (w.postgresCpuMicrosPerRequest ?? 0)) / 1000;
    out.push(
      `the app under the same load with that change: ${w.result.requestsPerSecond.toFixed(0)} req/s (was ${li.result.requestsPerSecond.toFixed(0)}), p95 ${fmt(w.result.p95)} ms ` +
        `(was ${fmt(li.result.p95)}), ${fmt(wCpu, 1)} ms of CPU per request (node ${fmt(w.nodeCpuMicrosPerRequest / 1000, 1)} + PostgreSQL ${fmt((w.postgresCpuMicrosPerRequest ?? NaN) / 1000, 1)}, was ${fmt(cpuPerRequestMs, 1)}): ` +
        (w.result.p95 <= x.aim.p95Ms
          ? `the aim is met.`
          : `the aim is still missed on this machine; what remains is CPU per request against ${cores} shared core(s), not the plan.`),
    );
  }
  out.push(
    `facets: one more statement in the same transaction, counting all five facets over one pass of the rows that pass the other filters: ` +
      `${fmt(floor.facets.perRequest.executionMs.median, 3)} ms of SQL per request median, ${fmt(floor.facets.perRequest.executionMs.median / Math.max(0.001, floor.loggedIn.executionMs.median), 1)}× the search alone.`,
  );
  // 3. what would help
  if (!gin(floor.loggedIn))
    out.push(
      'would help (1, the main one): let the search conditions reach the GIN indexes under RLS. Either (a) a superuser migration ' +
        '`alter function pg_catalog.ts_match_vq(tsvector, tsquery) leakproof` (and arrayoverlap, arraycontains) — the what-if above. It is a security judgement ' +
        '(upstream does not declare them leakproof; for tsvector and text[] they raise no data-dependent errors in practice), it changes built-ins for the whole ' +
        'database, and pg_dump does not carry it: it must be re-applied after a restore or pg_upgrade; ' +
        'or (b) keep the built-ins and select the candidate ids outside RLS: a SECURITY DEFINER SQL function owned by a BYPASSRLS role, e.g. ' +
        'kl_offer_candidates(tsquery, themes text[], municipality text, levels text[], …) returning setof uuid, that applies the policy itself ' +
        '(network_id = kl_current_network() or (is_public and active)) plus the filters, so its plan ANDs offers_themes_idx / offers_municipalities_idx / offers_search_idx; ' +
        'the repository then selects `offers where id = any(kl_offer_candidates(…))` (uuid equality is leakproof: the primary key is used and RLS still checks every row returned).',
    );
  out.push(
    'would help (2, facets): the five counts already share one statement (five passes over one materialised set); a cache of the counts per ' +
      'filter combination for a few seconds would spare the repeat of a page change.',
  );
  if (whatIf)
    out.push(
      'with (1) the GIN indexes carry the search, and their pending lists matter: offers_updated_idx makes every capacity update a non-HOT update, ' +
        'so each one adds entries to the three GIN pending lists (fastupdate), which every search then reads linearly until (auto)vacuum flushes them; ' +
        'the seed flushes them with VACUUM (ANALYZE). Consider fastupdate = off on these small indexes, or a low gin_pending_list_limit.',
    );
  const ginUsed = floor.ownerNoRls.offersAccess
    .filter((a) => /offers_(search|themes|municipalities)_idx/.test(a.access))
    .map((a) => a.access.replace('Bitmap Index Scan using ', ''));
  if (gin(floor.ownerNoRls))
    out.push(
      `no new index is needed for the search: as the owner plan shows, ${ginUsed.join(', ')} (BitmapAnd) already narrow ${OFFERS} offers ` +
        `to ~${floor.ownerNoRls.offersRowsRead.median} rows read${gin(floor.loggedIn) ? ', and the app uses them too' : '; the missing piece is that RLS forbids using them'}. A btree on (network_id, level) would not help: level is not selective.`,
    );
  return out;
}
