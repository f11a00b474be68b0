/**
 * The matching part of `npm run bench`: the catalogue seed (20,000 offers of 1,000 organisations, bench/lib/catalogue-seed.ts),
 * a site for the intake organisation (Leuven: a help request without a municipality is matched near it, matching.ts 6),
 * a few hundred help requests of one organisation created through the API (varied themes, municipality, age, language,
 * preferred form; some with a PHQ-9 and/or K10 screening and some with the worker's indication, so the level needed
 * varies), then at 20 concurrent connections:
 *   - matches: GET /api/help-requests/{id}/matches  (the request with its screenings, the network settings and, without a
 *              municipality, the fallback area's facts in one statement; one candidate
 *              statement — every offer within the hard limits scored in SQL with the ranking's points, returning only the
 *              offers that can make the top 10 or the five for the wait, ties at the cut included — then the exact
 *              ranking in JavaScript, the names of the organisations shown, and an audit row written with the COMMIT)
 *   - read:    GET /api/help-requests/{id}          (for comparison: the same session + tenant transaction, three small
 *              selects and an audit row written with the COMMIT)
 * next to EXPLAIN (ANALYZE, BUFFERS) of the candidate statement the app sent for every help request (as kortelijn_app in the
 * tenant context) and the time of the ranking itself (rankOffers + whileWaiting on the rows it returned, in this process).
 * Aim: p95 ≤ 50 ms for matches.
 */
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CompiledQuery, sql } from 'kysely';
import { buildApp, type App } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/core/config.ts';
import { rankOffers, whileWaiting, type Level } from '../../src/server/features/intake/matching.ts';
import { MODALITIES } from '../../src/server/features/offers/offers.schema.ts';
import { candidateOf, type CandidateRow } from '../../src/server/features/intake/matching.repository.ts';
import { APP_POOL_SIZE, BENCH_PASSWORD, freshDatabase } from './database.ts';
import { seedCatalogue } from './catalogue-seed.ts';
import { percentile, randomLoad, type RandomLoadResult } from './random-load.ts';
import { traceQueries, type TracedQuery } from './probe.ts';
import {
  explainJson,
  explainText,
  summarisePlans,
  type ExplainContext,
  type PlanNode,
  type PlanSummary,
} from './plan.ts';
import { cpuPerRequest, cpuSnapshot, cpuTimes, fmt, r3 } from './cpu.ts';
import { loginSession, sendJson } from './http.ts';
import type { PartScope } from './catalogue.ts';

export const MATCHING_AIM_P95_MS = 50;
const ORGANIZATIONS = 1000;
const OFFERS = 20_000;

/** The candidates of a plan: rows the scans of offers return within the hard limits (the primary-key lookups of the few rows returned left out). */
function offersRowsOf(plan: PlanNode): number {
  let rows = 0;
  const walk = (n: PlanNode) => {
    if (n['Relation Name'] === 'offers' && /Scan/.test(n['Node Type']) && n['Index Name'] !== 'offers_pkey')
      rows += n['Actual Rows'] * n['Actual Loops'];
    n.Plans?.forEach(walk);
  };
  walk(plan);
  return rows;
}

const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? NaN, median: percentile(s, 50), p95: percentile(s, 95), max: s.at(-1) ?? NaN };
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// mulberry32: the help requests are the same on every run
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STORIES = [
  'Voelt zich al maanden somber en komt moeilijk uit bed.',
  'Sinds het overlijden van haar partner is ze erg eenzaam.',
  'Veel spanningen thuis, de kinderen lijden eronder.',
  'Piekert veel over schulden en slaapt slecht.',
  'Na een burn-out lukt het werk niet meer.',
  'Jongere die zich terugtrekt en niet meer naar school gaat.',
  'Vraagt hulp bij rouw na een zelfdoding in de familie.',
  'Relatieproblemen en veel ruzie, wil praten met iemand.',
  'Angstklachten, durft de deur niet meer uit.',
];
const LANGUAGES: [string | null, number][] = [
  ['nl', 0.7],
  ['en', 0.08],
  ['fr', 0.08],
  ['ar', 0.05],
  ['tr', 0.04],
  ['pl', 0.03],
  [null, 0.02],
];
const K10_VALUES = ['nooit', 'af-en-toe', 'soms', 'meestal', 'altijd'];

interface Created {
  id: string;
  themes: string[];
  municipality: string | null;
  age: number | null;
  language: string | null;
  preferredModality: string | null;
  screenings: string[];
  indication: Level | null;
}
interface MatchingScenario {
  name: string;
  path: string;
  result: RandomLoadResult;
  nodeCpuMicrosPerRequest: number;
  postgresCpuMicrosPerRequest: number | null;
  machineCpuPercent: number;
  auditRowsWritten: number;
  auditActions: Record<string, number>;
}

export async function runMatching(opts: {
  log: (line?: string) => void;
  scope: PartScope;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  helpRequests: number;
}) {
  const { log, scope } = opts;
  const started = performance.now();
  const loadBefore = os.loadavg();

  // 1. fresh database and the catalogue seed
  const bench = await freshDatabase();
  scope.add(async () => {
    await bench.drop();
    log(`dropped database ${bench.name}`);
  });
  const { db } = bench;
  const pg = (
    await sql<{ version: string; shared_buffers: string; work_mem: string; sync: string }>`
    select version() as version, current_setting('shared_buffers') as shared_buffers, current_setting('work_mem') as work_mem, current_setting('synchronous_commit') as sync`.execute(
      db.owner,
    )
  ).rows[0]!;
  log(
    `database ${bench.name} (migrated, reference data loaded) — ${pg.version.split(' on ')[0]}, shared_buffers=${pg.shared_buffers}, work_mem=${pg.work_mem}, synchronous_commit=${pg.sync}`,
  );
  log(
    `seeding the catalogue: 1 network, ${ORGANIZATIONS} organisations, ${OFFERS} offers (the catalogue part's seed) …`,
  );
  const seeded = await seedCatalogue(db, { orgCount: ORGANIZATIONS, offerCount: OFFERS });
  log(
    `seeded ${seeded.offers} offers (${seeded.activeOffers} active) of ${seeded.organizations} organisations in ${fmt(seeded.seconds, 1)} s; ${seeded.meanThemesPerOffer} themes and ${seeded.meanMunicipalitiesPerOffer} municipalities per offer on average`,
  );

  // the intake organisation has a site, as every real one does: a help request without a municipality is matched near
  // it (matching.ts 6), widening to the zone, the province and the network while fewer than ten offers qualify
  await sql`insert into sites (organization_id, name, street, postal_code, nis_code)
            values (${seeded.organizationId}, 'Onthaal Leuven', 'Bondgenotenlaan 1', '3000', '24062')`.execute(
    db.owner,
  );
  log(`the intake organisation has one site, in Leuven (24062): requests without a municipality are matched near it`);

  // 2. the app
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
  log(`app listening on ${appUrl} (pool ${APP_POOL_SIZE}), logged in as ${seeded.user.email} (${seeded.user.role})`);

  // 3. help requests through the API
  const createStarted = performance.now();
  const themes = (
    await sql<{ id: string }>`select id from taxonomy_terms where taxonomy = 'theme' order by sort_order`.execute(
      db.owner,
    )
  ).rows.map((r) => r.id);
  const munis = (
    await sql<{
      nis_code: string;
    }>`select nis_code from municipalities where region_nis = '2000' order by nis_code`.execute(db.owner)
  ).rows.map((r) => r.nis_code);
  const random = prng(20261122);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const weighted = <T>(xs: [T, number][]) => {
    let r = random();
    for (const [v, w] of xs) {
      if ((r -= w) < 0) return v;
    }
    return xs.at(-1)![0];
  };
  const created: Created[] = [];
  let apiCalls = 0;
  const must = (what: string, res: { status: number; body: any }, expected: number) => {
    apiCalls += 1;
    if (res.status !== expected) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  for (let i = 0; i < opts.helpRequests; i++) {
    const nThemes = 1 + Math.floor(Math.pow(random(), 1.6) * 3);
    const hrThemes = [
      ...new Set(Array.from({ length: nThemes }, () => themes[Math.floor(Math.pow(random(), 1.3) * themes.length)]!)),
    ];
    const body: Record<string, unknown> = {
      story: pick(STORIES),
      themes: hrThemes,
      urgency: weighted([
        ['routine', 0.75],
        ['urgent', 0.2],
        ['acute', 0.05],
      ]),
      channel: pick(['self', 'gp', 'helpline', 'school', 'other']),
      municipality: random() < 0.9 ? pick(munis) : null,
      age: random() < 0.85 ? 12 + Math.floor(random() * 74) : null,
      language: weighted(LANGUAGES),
    };
    if (random() < 0.35) body.preferredModality = pick(MODALITIES);
    const hr = must(
      'create help request',
      await sendJson(`${appUrl}/api/help-requests`, 'POST', postHeaders, body),
      201,
    );
    const c: Created = {
      id: hr.id,
      themes: hrThemes,
      municipality: body.municipality as string | null,
      age: body.age as number | null,
      language: body.language as string | null,
      preferredModality: (body.preferredModality as string | undefined) ?? null,
      screenings: [],
      indication: null,
    };
    const r = random();
    // a severity profile per screening: the mean item score is around `base` (PHQ-9 items 0–3, total ≥ 20 → specialised;
    // K10 items 1–5, total ≥ 30 → specialised)
    const around = (base: number, min: number, max: number) =>
      Math.max(min, Math.min(max, Math.round(base + (random() - 0.5) * 1.6)));
    if (r < 0.35) {
      // PHQ-9: severe / moderate / mild; item 9 above 0 now and then (suicide-risk flag → specialised, and a safety signal)
      const base = weighted([
        [2.5, 0.3],
        [1.4, 0.4],
        [0.5, 0.3],
      ]);
      const answers: Record<string, number> = {};
      for (let q = 1; q <= 8; q++) answers[`q${q}`] = around(base, 0, 3);
      answers.q9 = random() < 0.1 ? 1 + Math.floor(random() * 2) : 0;
      must(
        'PHQ-9',
        await sendJson(`${appUrl}/api/help-requests/${c.id}/screenings`, 'POST', postHeaders, {
          instrument: 'phq9',
          answers,
        }),
        201,
      );
      c.screenings.push('phq9');
    }
    if (r >= 0.3 && r < 0.55) {
      const base = weighted([
        [3.6, 0.3],
        [2.4, 0.4],
        [1.3, 0.3],
      ]);
      const answers: Record<string, string> = {};
      for (let q = 1; q <= 10; q++) answers[`q${q}`] = K10_VALUES[around(base, 1, 5) - 1]!;
      must(
        'K10',
        await sendJson(`${appUrl}/api/help-requests/${c.id}/screenings`, 'POST', postHeaders, {
          instrument: 'k10',
          answers,
        }),
        201,
      );
      c.screenings.push('k10');
    }
    if (random() < 0.1) {
      c.indication = pick(['zero-line', 'basic', 'specialised', 'crisis'] as const);
      must(
        'indication',
        await sendJson(`${appUrl}/api/help-requests/${c.id}`, 'PATCH', postHeaders, {
          indicationLevel: c.indication,
          indicationReasons: 'Indicatie na gesprek.',
        }),
        200,
      );
    }
    created.push(c);
  }
  const createSeconds = (performance.now() - createStarted) / 1000;
  await sql`analyze help_requests`.execute(db.owner);
  await sql`analyze screenings`.execute(db.owner);
  log(
    `created ${created.length} help requests through the API in ${fmt(createSeconds, 1)} s (${apiCalls} calls): ${created.filter((c) => c.screenings.includes('phq9')).length} with a PHQ-9, ` +
      `${created.filter((c) => c.screenings.includes('k10')).length} with a K10, ${created.filter((c) => c.indication).length} with the worker's indication; ` +
      `${created.filter((c) => c.municipality).length} with a municipality, ${created.filter((c) => c.age !== null).length} with an age, ${created.filter((c) => c.preferredModality).length} with a preferred form`,
  );

  // 4. a sequential pass: every help request's matches answer 200; the statements of each are captured
  const trace = traceQueries();
  const perRequest: {
    c: Created;
    area: string;
    needed: Level;
    basis: string;
    items: number;
    waiting: number;
    candidateStmt: TracedQuery;
    statements: number;
    statementsText: string[];
    ms: number;
  }[] = [];
  try {
    for (const c of created) {
      const before = trace.entries.length;
      const t0 = performance.now();
      const res = await fetch(`${appUrl}/api/help-requests/${c.id}/matches`, { headers: getHeaders });
      const body = (await res.json()) as {
        neededLevel: { level: Level; basis: string };
        area?: { basis: string };
        items: unknown[];
        whileWaiting: unknown[];
      };
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`matches ${c.id}: ${res.status} ${JSON.stringify(body)}`);
      const mine = trace.entries.slice(before);
      const candidateStmt = mine.find((e) => e.text.includes('/* matching:candidates */'));
      if (!candidateStmt) throw new Error('matches: candidate statement not captured');
      perRequest.push({
        c,
        area: body.area?.basis ?? '(not said)',
        needed: body.neededLevel.level,
        basis: body.neededLevel.basis,
        items: body.items.length,
        waiting: body.whileWaiting.length,
        candidateStmt,
        statements: mine.length,
        statementsText: mine.map((e) => e.text),
        ms,
      });
    }
  } finally {
    trace.stop();
  }
  // 4b. the same help requests one at a time again, untraced, on the connections the first pass warmed: the latency a
  // worker sees in steady state. The first pass also pays each pooled connection's first plans and the tracer; its
  // figures are printed next to these.
  const warmMs: number[] = [];
  for (const c of created) {
    const t0 = performance.now();
    const res = await fetch(`${appUrl}/api/help-requests/${c.id}/matches`, { headers: getHeaders });
    const body: unknown = await res.json();
    warmMs.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`matches ${c.id} (second pass): ${res.status} ${JSON.stringify(body)}`);
  }
  const count = <K extends string>(xs: K[]) =>
    xs.reduce((m, k) => ({ ...m, [k]: (m[k] ?? 0) + 1 }), {} as Record<string, number>);
  const neededLevels = count(perRequest.map((p) => p.needed));
  const bases = count(perRequest.map((p) => p.basis));
  const itemsStat = stat(perRequest.map((p) => p.items));
  const coldStat = stat(perRequest.map((p) => p.ms));
  const seqStat = stat(warmMs);
  const withoutMunicipality = perRequest.filter((p) => p.c.municipality === null);
  const seqWithout = stat(perRequest.flatMap((p, i) => (p.c.municipality === null ? [warmMs[i]!] : [])));
  const areas = count(withoutMunicipality.map((p) => p.area));
  const candidateStatements = stat(
    withoutMunicipality.map((p) => p.statementsText.filter((t) => t.includes('/* matching:candidates */')).length),
  );
  log(
    `checked: all ${perRequest.length} answer 200 — level needed ${Object.entries(neededLevels)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} (basis ${Object.entries(bases)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); ` +
      `suggestions min/median/max ${itemsStat.min}/${itemsStat.median}/${itemsStat.max}, ${perRequest.filter((p) => p.waiting > 0).length} with offers for the wait; ` +
      `${perRequest[0]!.statements} statements per request; one at a time: median ${fmt(seqStat.median)} ms, p95 ${fmt(seqStat.p95)} ms ` +
      `(second pass; the first, traced, on cold connections: median ${fmt(coldStat.median)} ms, p95 ${fmt(coldStat.p95)} ms, max ${fmt(coldStat.max)} ms)`,
  );
  log(
    `  without a municipality (${withoutMunicipality.length}): one at a time median ${fmt(seqWithout.median)} ms, p95 ${fmt(seqWithout.p95)} ms; ` +
      `area used ${Object.entries(areas)
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ', ',
        )}; candidate statements per request median ${candidateStatements.median}, max ${candidateStatements.max}`,
  );

  // 5. load
  const auditByAction = async (): Promise<Record<string, number>> =>
    Object.fromEntries(
      (
        await sql<{ action: string; n: string }>`select action, count(*) as n from audit_log group by action`.execute(
          db.owner,
        )
      ).rows.map((r) => [r.action, Number(r.n)]),
    );
  const runScenario = async (name: string, path: (c: Created) => string): Promise<MatchingScenario> => {
    const paths = created.map(path);
    const check = (phase: string, r: RandomLoadResult) => {
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
        url: appUrl,
        paths,
        headers: getHeaders,
        connections: opts.connections,
        seconds: opts.warmupSeconds,
        seed: 3,
      }),
    );
    await sleep(500);
    process.stdout.write(`measuring ${opts.seconds}s … `);
    const audit0 = await auditByAction();
    const snap0 = await cpuSnapshot(db, bench.name);
    const cpu0 = cpuTimes();
    const result = await randomLoad({
      url: appUrl,
      paths,
      headers: getHeaders,
      connections: opts.connections,
      seconds: opts.seconds,
      seed: 5,
    });
    const cpu1 = cpuTimes();
    const per = cpuPerRequest(snap0, await cpuSnapshot(db, bench.name), result.total2xx + result.non2xx);
    check('run', result);
    log(`${result.requestsPerSecond.toFixed(0)} req/s, p95 ${fmt(result.p95)} ms`);
    await sleep(1000);
    const audit1 = await auditByAction();
    const auditActions: Record<string, number> = Object.fromEntries(
      Object.entries(audit1)
        .map(([k, v]) => [k, v - (audit0[k] ?? 0)] as const)
        .filter(([, v]) => v > 0),
    );
    return {
      name,
      path: path({ id: '{id}' } as Created),
      result,
      nodeCpuMicrosPerRequest: Math.round(per.nodeMicros),
      postgresCpuMicrosPerRequest: per.postgresMicros === null ? null : Math.round(per.postgresMicros),
      machineCpuPercent: Math.round(((cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total)) * os.cpus().length * 100),
      auditRowsWritten: Object.values(auditActions).reduce((sum, n) => sum + n, 0),
      auditActions,
    };
  };
  log(
    `\nload: autocannon in a worker thread, ${opts.connections} connections, ${opts.warmupSeconds} s warm-up + ${opts.seconds} s per scenario, a random help request per request`,
  );
  const scenarios = [
    await runScenario('matches', (c) => `/api/help-requests/${c.id}/matches`),
    await runScenario('read (audited), comparison', (c) => `/api/help-requests/${c.id}`),
  ];

  // 6. floor: EXPLAIN (ANALYZE, BUFFERS) of every captured candidate statement, and the ranking in JavaScript on the same candidates
  log(
    `\nfloor: EXPLAIN (ANALYZE, BUFFERS) of the ${perRequest.length} captured candidate statements as kortelijn_app in the tenant context; the ranking (rankOffers + whileWaiting) timed on their rows …`,
  );
  const tenant: ExplainContext = {
    kind: 'tenant',
    organizationId: seeded.organizationId,
    networkId: seeded.networkId,
    userId: seeded.user.id,
    role: seeded.user.role,
  };
  const stmts = perRequest.map((p) => ({ text: p.candidateStmt.text, values: p.candidateStmt.values ?? [] }));
  const explained = await explainJson(db, tenant, stmts);
  const floor = summarisePlans(explained);
  const candidatesStat = stat(explained.map((e) => e.plan['Actual Rows'])); // rows returned
  // the candidate rows themselves, fetched as the app does (role, tenant; on the application pool: a named prepared
  // statement under its generic plan, core/db/database.ts GENERIC_PLAN), and the ranking timed on them
  const rankMs: number[] = [];
  const fetchMs: number[] = [];
  await db.app.connection().execute(async (conn) => {
    await sql.raw('begin').execute(conn);
    try {
      await sql.raw('set local role kortelijn_app').execute(conn);
      await sql`select set_config('app.org_id', ${seeded.organizationId}, true), set_config('app.network_id', ${seeded.networkId}, true),
                       set_config('app.user_id', ${seeded.user.id}, true), set_config('app.role', ${seeded.user.role}, true)`.execute(
        conn,
      );
      for (const p of perRequest) {
        const f0 = performance.now();
        const rows = (
          await conn.executeQuery<CandidateRow>(CompiledQuery.raw(p.candidateStmt.text, p.candidateStmt.values ?? []))
        ).rows;
        fetchMs.push(performance.now() - f0);
        const ranked0 = rows.filter((r) => !r.waiting).map(candidateOf);
        const light = rows.filter((r) => r.waiting).map(candidateOf);
        const request = {
          themes: p.c.themes,
          language: p.c.language,
          preferredModality: p.c.preferredModality,
          municipality: p.c.municipality
            ? { code: p.c.municipality, name: rows[0]?.municipality_name ?? p.c.municipality }
            : null,
          age: p.c.age,
        };
        const t0 = performance.now();
        for (let k = 0; k < 3; k++) {
          const ranked = rankOffers(request, p.needed, ranked0, 'nl').slice(0, 10);
          if (ranked[0] && ranked[0].capacity !== 'open')
            whileWaiting(request, light, 'nl', new Set(ranked.slice(0, 3).map((s) => s.offerId)));
        }
        rankMs.push((performance.now() - t0) / 3);
      }
    } finally {
      await sql.raw('rollback').execute(conn);
    }
  });
  const ranking = stat(rankMs);
  const fetching = stat(fetchMs);
  const execMean = explained.reduce((sum, e) => sum + e.executionMs, 0) / Math.max(1, explained.length);
  // help requests without a municipality are matched near the intake organisation's site (matching.ts 6): the same kind
  // of bounded candidate set as with a municipality (before that change, every active offer on their themes was scored)
  const split = (withMunicipality: boolean) => {
    const idx = perRequest
      .map((p, i) => [p, i] as const)
      .filter(([p]) => (p.c.municipality !== null) === withMunicipality)
      .map(([, i]) => i);
    const e = stat(idx.map((i) => explained[i]!.executionMs));
    const c = stat(idx.map((i) => offersRowsOf(explained[i]!.plan)));
    return {
      helpRequests: idx.length,
      executionMs: { median: r3(e.median), p95: r3(e.p95) },
      candidates: { median: c.median, p95: c.p95 },
    };
  };
  const byMunicipality = { with: split(true), without: split(false) };
  const order = explained.map((e, i) => [e.executionMs, i] as const).sort((a, b) => a[0] - b[0]);
  const medianIndex = order[Math.floor(order.length / 2)]![1];
  const slowIndex = order[Math.min(order.length - 1, Math.ceil(order.length * 0.95) - 1)]![1];
  const medianText = await explainText(db, tenant, stmts[medianIndex]!.text, stmts[medianIndex]!.values);
  const slowText = await explainText(db, tenant, stmts[slowIndex]!.text, stmts[slowIndex]!.values);
  const describe = (c: Created, needed: string) =>
    `themes ${c.themes.join('+')}, municipality ${c.municipality ?? '—'}, age ${c.age ?? '—'}, needed ${needed}`;

  // ---- report ----
  log(
    `\nload average before/after the matching part: ${loadBefore.map((l) => l.toFixed(2)).join(' ')} / ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (${os.cpus().length} CPUs; other processes share the machine)`,
  );
  log(
    `\nMatching results (${opts.connections} connections, ${opts.seconds} s each after ${opts.warmupSeconds} s warm-up; latency in ms, exact percentiles over every response)`,
  );
  const header = `${'scenario'.padEnd(30)}${'req/s'.padStart(9)}${'p50'.padStart(9)}${'p95'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}${'2xx'.padStart(8)}${'non-2xx'.padStart(9)}${'audit rows'.padStart(12)}${'CPU %'.padStart(7)}${'node µs/req'.padStart(13)}${'pg µs/req'.padStart(11)}`;
  log(header);
  log('-'.repeat(header.length));
  for (const s of scenarios) {
    const r = s.result;
    log(
      `${s.name.padEnd(30)}${r.requestsPerSecond.toFixed(1).padStart(9)}${fmt(r.p50).padStart(9)}${fmt(r.p95).padStart(9)}${fmt(r.p99).padStart(9)}${fmt(r.max).padStart(9)}` +
        `${String(r.total2xx).padStart(8)}${String(r.non2xx).padStart(9)}${String(s.auditRowsWritten).padStart(12)}${String(s.machineCpuPercent).padStart(7)}${String(s.nodeCpuMicrosPerRequest).padStart(13)}${String(s.postgresCpuMicrosPerRequest ?? 'n/a').padStart(11)}`,
    );
  }
  log(
    'audit rows = rows added to audit_log during the measured run (by action: ' +
      scenarios.map((s) => `${s.name.split(' ')[0]} ${JSON.stringify(s.auditActions)}`).join('; ') +
      ')',
  );
  log(
    'CPU % = whole machine (100 = one core); node µs/req = server thread CPU per request; pg µs/req = PostgreSQL backends of the bench database per request.',
  );
  const m = scenarios[0]!;
  if (m.auditRowsWritten === 0)
    log(
      'note: no audit row was written during the matches run, although computeMatches audits every successful read (help-request.matches): check the audit.',
    );

  log(
    `\nFloor: the candidate statement, EXPLAIN (ANALYZE, BUFFERS) over the ${explained.length} help requests (app role, tenant context; custom plans with each request's values, where the app keeps one generic plan per connection: its time is the fetch line below; ms)`,
  );
  log(
    `  execution p50 ${fmt(floor.executionMs.median, 3)} / p95 ${fmt(floor.executionMs.p95, 3)} / max ${fmt(floor.executionMs.max, 3)}; planning p50 ${fmt(floor.planningMs.median, 3)} / p95 ${fmt(floor.planningMs.p95, 3)}`,
  );
  log(
    `  offers rows read p50 ${floor.offersRowsRead.median} / p95 ${floor.offersRowsRead.p95}; rows returned (top 10 + the wait, ties at the cut included) min/median/p95/max ${candidatesStat.min}/${candidatesStat.median}/${candidatesStat.p95}/${candidatesStat.max}; buffers p50 ${floor.sharedBuffers.median}`,
  );
  log(
    `  access to offers: ${floor.offersAccess.map((a) => `${a.access} (${a.plans}/${floor.statements})`).join(', ')}`,
  );
  log(
    `  time by node: ${floor.timeByNode
      .slice(0, 5)
      .map((n) => `${n.node} ${Math.round(n.share * 100)}% (${fmt(n.meanMs, 3)} ms)`)
      .join('; ')}`,
  );
  log(
    `  execution mean ${fmt(execMean, 3)} ms; with a municipality (${byMunicipality.with.helpRequests}): p50 ${fmt(byMunicipality.with.executionMs.median, 3)} / p95 ${fmt(byMunicipality.with.executionMs.p95, 3)} ms, ` +
      `candidates p50 ${byMunicipality.with.candidates.median} / p95 ${byMunicipality.with.candidates.p95}; without (${byMunicipality.without.helpRequests}): p50 ${fmt(byMunicipality.without.executionMs.median, 3)} / p95 ${fmt(byMunicipality.without.executionMs.p95, 3)} ms, ` +
      `candidates p50 ${byMunicipality.without.candidates.median} / p95 ${byMunicipality.without.candidates.p95}`,
  );
  log(
    `  the candidate rows fetched by node-postgres as the app sends them (named, generic plan; statement + transfer + decoding, this process, unloaded): p50 ${fmt(fetching.median, 3)} / p95 ${fmt(fetching.p95, 3)} ms`,
  );
  log(
    `  ranking in JavaScript on the rows returned (rankOffers + whileWaiting, this process, unloaded): p50 ${fmt(ranking.median, 3)} / p95 ${fmt(ranking.p95, 3)} / max ${fmt(ranking.max, 3)} ms`,
  );
  log(`  the statement: ${stmts[medianIndex]!.text.replace(/\s+/g, ' ')}`);
  log(
    `  plan at the median (${describe(perRequest[medianIndex]!.c, perRequest[medianIndex]!.needed)}):\n${medianText.map((l) => `      ${l}`).join('\n')}`,
  );
  log(
    `  plan at the p95 (${describe(perRequest[slowIndex]!.c, perRequest[slowIndex]!.needed)}):\n${slowText.map((l) => `      ${l}`).join('\n')}`,
  );

  const aim = { p95Ms: MATCHING_AIM_P95_MS, matches: { p95: m.result.p95, met: m.result.p95 <= MATCHING_AIM_P95_MS } };
  log(
    `\naim p95 ≤ ${MATCHING_AIM_P95_MS} ms at ${opts.connections} connections: matches p95 ${fmt(aim.matches.p95)} ms — ${aim.matches.met ? 'met' : 'NOT met'}`,
  );
  const diagnosis = diagnose({
    aim,
    connections: opts.connections,
    m,
    read: scenarios[1]!,
    floor,
    execMean,
    byMunicipality,
    ranking,
    fetching,
    candidates: candidatesStat,
    seq: seqStat,
  });
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
      synchronousCommit: pg.sync,
    },
    settings: {
      connections: opts.connections,
      seconds: opts.seconds,
      warmupSeconds: opts.warmupSeconds,
      poolSize: APP_POOL_SIZE,
      loadGenerator:
        'autocannon in a worker thread, random help request per request (setupRequest), exact percentiles from every response time',
    },
    seed: { ...seeded, user: { role: seeded.user.role } },
    helpRequests: {
      count: created.length,
      createSeconds,
      apiCalls,
      withPhq9: created.filter((c) => c.screenings.includes('phq9')).length,
      withK10: created.filter((c) => c.screenings.includes('k10')).length,
      withIndication: created.filter((c) => c.indication).length,
      neededLevels,
      bases,
      suggestions: itemsStat,
      sequentialMs: { median: r3(seqStat.median), p95: r3(seqStat.p95) },
      sequentialFirstPassMs: { median: r3(coldStat.median), p95: r3(coldStat.p95), max: r3(coldStat.max) },
      withoutMunicipality: {
        count: withoutMunicipality.length,
        sequentialMs: { median: r3(seqWithout.median), p95: r3(seqWithout.p95) },
        areas,
        candidateStatements,
      },
      statementsPerRequest: perRequest[0]!.statements,
    },
    scenarios: scenarios.map((s) => ({
      name: s.name,
      path: s.path,
      ...s.result,
      machineCpuPercent: s.machineCpuPercent,
      nodeCpuMicrosPerRequest: s.nodeCpuMicrosPerRequest,
      postgresCpuMicrosPerRequest: s.postgresCpuMicrosPerRequest,
      auditRowsWritten: s.auditRowsWritten,
      auditActions: s.auditActions,
    })),
    floor: {
      ...floor,
      executionMeanMs: r3(execMean),
      byMunicipality,
      candidates: candidatesStat,
      fetchMs: { median: r3(fetching.median), p95: r3(fetching.p95) },
      rankingMs: { median: r3(ranking.median), p95: r3(ranking.p95), max: r3(ranking.max) },
    },
    plans: { sql: stmts[medianIndex]!.text, median: medianText, p95: slowText },
    aim,
    diagnosis,
    seconds: (performance.now() - started) / 1000,
  };
}

type Split = {
  helpRequests: number;
  executionMs: { median: number; p95: number };
  candidates: { median: number; p95: number };
};

function diagnose(x: {
  aim: { p95Ms: number; matches: { met: boolean } };
  connections: number;
  m: MatchingScenario;
  read: MatchingScenario;
  floor: PlanSummary;
  execMean: number;
  byMunicipality: { with: Split; without: Split };
  ranking: { median: number; p95: number };
  fetching: { median: number; p95: number };
  candidates: { median: number; p95: number };
  seq: { median: number; p95: number };
}): string[] {
  const out: string[] = [];
  if (x.aim.matches.met) return out;
  const cores = os.cpus().length;
  const needed = x.connections / (x.aim.p95Ms / 1000);
  const cpuMs = (s: MatchingScenario) => (s.nodeCpuMicrosPerRequest + (s.postgresCpuMicrosPerRequest ?? 0)) / 1000;
  const w = x.byMunicipality.with;
  const wo = x.byMunicipality.without;
  out.push(
    `a closed loop of ${x.connections} connections: mean latency = ${x.connections} / throughput (Little's law); measured ${x.m.result.requestsPerSecond.toFixed(0)} req/s → ` +
      `${fmt((x.connections / x.m.result.requestsPerSecond) * 1000, 0)} ms expected mean (measured ${fmt(x.m.result.mean, 0)}). A p95 of ${x.aim.p95Ms} ms needs well over ${needed.toFixed(0)} req/s, ` +
      `i.e. under ${fmt((cores * 1000) / needed, 1)} ms of CPU per request on ${cores} core(s), less while the machine is shared; a matches request costs ${fmt(cpuMs(x.m), 1)} ms ` +
      `(node ${fmt(x.m.nodeCpuMicrosPerRequest / 1000, 1)} + PostgreSQL ${fmt((x.m.postgresCpuMicrosPerRequest ?? NaN) / 1000, 1)}). One at a time it answers in ${fmt(x.seq.median, 1)} ms median, ${fmt(x.seq.p95, 1)} ms p95: ` +
      `the latency under load is mostly queueing for the CPU.`,
  );
  out.push(
    `what dominates is PostgreSQL, and there the candidate statement: ${fmt(x.floor.executionMs.median, 2)} ms median but ${fmt(x.execMean, 2)} ms mean and ${fmt(x.floor.executionMs.p95, 2)} ms p95 ` +
      `(the audited read of the same help requests, with its audit insert and WAL flush, costs PostgreSQL ${fmt((x.read.postgresCpuMicrosPerRequest ?? NaN) / 1000, 1)} ms per request in all). ` +
      `Each candidate is scored with a few @> tests and CASEs, then two bounded top-N sorts (the cut of the top 10 and of the wait): with a municipality ${w.candidates.median} candidates median, ` +
      `${fmt(w.executionMs.median, 2)} ms; the ${wo.helpRequests} help requests without one are matched near the intake organisation (matching.ts 6): ${wo.candidates.median} candidates median, ` +
      `${fmt(wo.executionMs.median, 2)} ms. Only the rows that can be shown are returned (${x.candidates.median} median).`,
  );
  out.push(
    `node: the ranking itself is cheap (${fmt(x.ranking.median, 2)} ms median, ${fmt(x.ranking.p95, 2)} ms p95 unloaded); fetching the rows returned costs ${fmt(x.fetching.median, 2)} ms median / ${fmt(x.fetching.p95, 2)} ms p95 ` +
      `client-side (statement, transfer, decoding). Node's ${fmt(x.m.nodeCpuMicrosPerRequest / 1000, 1)} ms per request against ${fmt(x.read.nodeCpuMicrosPerRequest / 1000, 1)} ms for the read is mostly the framework and the extra statements; ` +
      `the read does ${x.read.result.requestsPerSecond.toFixed(0)} req/s at p95 ${fmt(x.read.result.p95)} ms on the same machine.`,
  );
  out.push(
    `audit: both write one audit row per call (matches ${x.m.auditRowsWritten}, read ${x.read.auditRowsWritten} during the run), each with its WAL flush at COMMIT.`,
  );
  out.push(
    "would help: fewer round trips per request — now the opening with the help request (its screenings, the network's thresholds and, without a municipality, the area), " +
      'the candidate statement (prepared, under its generic plan) and the shared audit insert with its WAL flush; the first two are apart because the level needed and the area are reckoned in JavaScript between them.',
  );
  return out;
}
