/**
 * `npm run soak`: a bounded run of a mixed workload against the app, to find what only time shows (memory that
 * grows, throughput that sinks, errors that start after a while). It stops by itself after SOAK_MINUTES (default 10).
 *
 * The server runs as a child process on 127.0.0.1 (bench/lib/soak-server.ts: the composition of src/server/main.ts),
 * so its memory is measured alone. The database: DATABASE_URL (SOAK_DATABASE_URL first) when set — a throwaway
 * database; the server refuses one that holds a network other than the demo network — else a PGlite in a temporary
 * folder, removed at the end. The demo network is seeded when the database has no network.
 *
 * Virtual users (SOAK_USERS, default 12) each sign in as a demo user and loop without pause, each step picked at random:
 *  - senders (intake workers of the CAW and the OCMW): client search and read, the duplicate check, catalogue search
 *    (signed in and public), a new client with a help request and a PHQ-9 screening, matching for a help request,
 *    a consent and a referral to a CGG offer, the outgoing list and notifications, now and then a new sign-in
 *    (logout, login: the argon2 cost included);
 *  - receivers (the CGG's intake worker, one in four users): accept the referrals the senders made (handed over in
 *    this process), the incoming inbox, its counts, notifications.
 * Every SOAK_REPORT_SECONDS (30) a line: requests/s, latency percentiles, non-2xx and errors in that window, and the
 * server's RSS and heap. At the end: totals per route, every non-2xx by route and status, network errors, memory at
 * start and end (both after a full garbage collection) and the peak RSS, rows written, the database size.
 * The server's log (level SOAK_LOG_LEVEL, default warn) goes to bench/results/soak-server.log.
 * Exit code 0 when every response was 2xx and the server stayed up; 1 otherwise; 2 for a refused database.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { SoakCommand, SoakMessage } from './lib/soak-server.ts';
import { percentile } from './lib/random-load.ts';

const number = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`${name} must be a positive number, got "${raw}"\n`);
    process.exit(2);
  }
  return value;
};
const MINUTES = number('SOAK_MINUTES', 10);
const USERS = Math.max(2, Math.floor(number('SOAK_USERS', 12)));
const REPORT_SECONDS = number('SOAK_REPORT_SECONDS', 30);
const REQUEST_TIMEOUT_MS = 10_000;
const DEMO_PASSWORD = 'kortelijn-demo';
const databaseUrl = process.env.SOAK_DATABASE_URL || process.env.DATABASE_URL || '';

const here = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.join(here, 'results');
const log = (line = '') => process.stdout.write(`${line}\n`);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, ' ')}:${String(s % 60).padStart(2, '0')}`;
};

// ---- the server process -----------------------------------------------------------------------------------------

fs.mkdirSync(resultsDir, { recursive: true });
const serverLogPath = path.join(resultsDir, 'soak-server.log');
const serverLog = fs.openSync(serverLogPath, 'w');
const pgliteDir = databaseUrl ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'kl-soak-'));
const server: ChildProcess = fork(path.join(here, 'lib', 'soak-server.ts'), [], {
  execArgv: ['--import', 'tsx', '--expose-gc'],
  env: {
    ...process.env,
    DATABASE_URL: databaseUrl,
    ...(pgliteDir ? { DATA_DIR: pgliteDir } : {}),
    NODE_ENV: 'production',
  },
  stdio: ['ignore', serverLog, serverLog, 'ipc'],
});
let serverExit: { code: number | null; signal: string | null; atMs: number } | null = null;
let started = 0;
server.on('exit', (code, signal) => (serverExit = { code, signal, atMs: started ? performance.now() - started : 0 }));

let nextId = 0;
const pending = new Map<number, (message: SoakMessage) => void>();
server.on('message', (message: SoakMessage) => {
  if ('id' in message) {
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  }
});
function ask<T extends SoakMessage['type']>(request: SoakCommand, type: T): Promise<Extract<SoakMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    if (serverExit || !server.connected) return reject(new Error('the server process is gone'));
    const id = ++nextId;
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`the server did not answer "${request.type}" in time`));
    }, 30_000);
    pending.set(id, (message) => {
      clearTimeout(timer);
      if (message.type === type) resolve(message as Extract<SoakMessage, { type: T }>);
      else reject(new Error(`unexpected answer ${message.type}`));
    });
    server.send({ ...request, id });
  });
}
const memory = (gc: boolean) => ask({ type: 'memory', gc }, 'memory');

async function cleanup() {
  if (!serverExit && server.connected) await ask({ type: 'stop' }, 'stopped').catch(() => undefined);
  if (!serverExit) server.kill('SIGKILL');
  fs.closeSync(serverLog);
  if (pgliteDir) fs.rmSync(pgliteDir, { recursive: true, force: true });
}

const ready = await new Promise<Extract<SoakMessage, { type: 'ready' }>>((resolve, reject) => {
  server.on('message', (message: SoakMessage) => {
    if (message.type === 'ready') resolve(message);
    if (message.type === 'refused') reject(new Error(message.message));
  });
  server.on('exit', (code) =>
    reject(new Error(`the server stopped before it was ready (exit ${code}); see ${serverLogPath}`)),
  );
}).catch(async (error: Error) => {
  process.stderr.write(`${error.message}\n`);
  await cleanup();
  process.exit(2);
});
const base = `http://127.0.0.1:${ready.port}`;

// ---- measuring ------------------------------------------------------------------------------------------------

interface Window {
  latencies: number[];
  non2xx: number;
  errors: number;
}
const newWindow = (): Window => ({ latencies: [], non2xx: 0, errors: 0 });
let window = newWindow();
const allLatencies: number[] = [];
const perRoute = new Map<string, { count: number; latencies: number[] }>();
const failures = new Map<string, number>(); // "POST /api/referrals 409" → count
const networkErrors = new Map<string, number>();
const countOf = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

interface Session {
  cookie: string;
  csrf: string;
}
interface Answer {
  status: number;
  body: any;
}

/** One request; `route` is its template (for the tables). Never throws: a network error answers status 0. */
async function call(
  session: Session | null,
  method: string,
  url: string,
  route: string,
  body?: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = { 'accept-language': 'nl' };
  if (session) headers.cookie = session.cookie;
  if (session && method !== 'GET') headers['x-csrf-token'] = session.csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const t0 = performance.now();
  let status = 0;
  let parsed: any;
  let setCookie: string[] = [];
  try {
    const res = await fetch(`${base}${url}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    status = res.status;
    setCookie = res.headers.getSetCookie();
    const text = await res.text();
    parsed = text ? JSON.parse(text) : undefined;
  } catch (error) {
    if (status === 0) {
      const e = error as { name?: string; cause?: { code?: string } };
      countOf(
        networkErrors,
        `${method} ${route}: ${e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.name ?? 'error')}`,
      );
      window.errors += 1;
      return { status: 0, body: undefined };
    }
  }
  const ms = performance.now() - t0;
  const key = `${method} ${route}`;
  const stats = perRoute.get(key) ?? { count: 0, latencies: [] };
  stats.count += 1;
  stats.latencies.push(ms);
  perRoute.set(key, stats);
  window.latencies.push(ms);
  allLatencies.push(ms);
  if (status < 200 || status > 299) {
    window.non2xx += 1;
    countOf(failures, `${key} ${status}`);
  }
  if (session) {
    const renewed = setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('kl_session='));
    if (renewed) session.cookie = renewed;
  }
  return { status, body: parsed };
}

async function signIn(email: string): Promise<Session | null> {
  const session: Session = { cookie: '', csrf: '' };
  const res = await call(session, 'POST', '/api/auth/login', '/api/auth/login', { email, password: DEMO_PASSWORD });
  if (res.status !== 200 || !res.body?.csrfToken || !session.cookie) return null;
  session.csrf = res.body.csrfToken;
  return session;
}

// ---- the workload ----------------------------------------------------------------------------------------------

const GIVEN = [
  'Jan',
  'Lotte',
  'Emma',
  'Noah',
  'Wout',
  'Sofie',
  'Els',
  'Bram',
  'Zoë',
  'Noé',
  'Chloé',
  'André',
  'Fien',
  'Koen',
];
const FAMILY = [
  'Peeters',
  'Janssens',
  'Maes',
  'Mertens',
  'Claes',
  'De Smet',
  'Dubois',
  "D'Hondt",
  'Van Damme',
  'Wuyts',
];
const SEARCH = ['Pee', 'jans', 'maes', 'mert', 'de smet', 'dubo', "d'hon", 'van d', 'zoe', 'andre', 'chloe'];
const CATALOGUE = ['rouw', 'depressie', 'angst', 'schulden', 'eenzaam', 'relatie', 'jongeren', 'trauma', 'wonen', ''];
const THEMES = ['depression', 'anxiety', 'grief-loss', 'loneliness', 'financial-problems'];
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;
const enc = encodeURIComponent;
const birthDate = () =>
  `${1940 + Math.floor(Math.random() * 65)}-${String(1 + Math.floor(Math.random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(Math.random() * 28)).padStart(2, '0')}`;

/** Referrals the senders made, waiting for a receiver to accept them. */
const toAccept: string[] = [];
let stopAt = 0;
const running = () => performance.now() < stopAt && !serverExit;

/** Weighted choice: [weight, step] pairs. */
function choose(steps: [number, () => Promise<unknown>][]): () => Promise<unknown> {
  const total = steps.reduce((sum, [w]) => sum + w, 0);
  let r = Math.random() * total;
  for (const [w, step] of steps) if ((r -= w) < 0) return step;
  return steps[steps.length - 1]![1];
}

async function sender(email: string) {
  let session = await signIn(email);
  const clients: string[] = [];
  const helpRequests: string[] = [];
  const remember = (list: string[], id: string | undefined) => {
    if (!id) return;
    list.push(id);
    if (list.length > 200) list.shift();
  };
  while (running()) {
    if (!session) {
      session = await signIn(email);
      // a refused sign-in is counted; wait a little rather than hammer the login
      if (!session) await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    const s = session;
    const step = choose([
      [25, () => call(s, 'GET', `/api/clients?q=${enc(pick(SEARCH))}`, '/api/clients?q=')],
      [15, async () => clients.length && call(s, 'GET', `/api/clients/${pick(clients)}`, '/api/clients/:id')],
      [
        5,
        () =>
          call(s, 'POST', '/api/clients/duplicate-check', '/api/clients/duplicate-check', {
            givenName: pick(GIVEN),
            familyName: pick(FAMILY),
            birthDate: birthDate(),
          }),
      ],
      [12, () => call(s, 'GET', `/api/offers?q=${enc(pick(CATALOGUE))}&facets=true`, '/api/offers?q=&facets=true')],
      [5, () => call(null, 'GET', `/api/public/offers?q=${enc(pick(CATALOGUE))}`, '/api/public/offers?q=')],
      [
        12,
        async () => {
          const client = await call(s, 'POST', '/api/clients', '/api/clients', {
            givenName: pick(GIVEN),
            familyName: pick(FAMILY),
            birthDate: birthDate(),
            municipality: '24062',
            phone: '+32 470 00 00 00',
          });
          if (client.status !== 201) return;
          remember(clients, client.body.id);
          const help = await call(s, 'POST', '/api/help-requests', '/api/help-requests', {
            clientId: client.body.id,
            story: 'Voelt zich al weken somber en slaapt slecht',
            themes: [pick(THEMES)],
            urgency: pick(['routine', 'urgent']),
          });
          if (help.status !== 201) return;
          remember(helpRequests, help.body.id);
          await call(s, 'POST', `/api/help-requests/${help.body.id}/screenings`, '/api/help-requests/:id/screenings', {
            instrument: 'phq9',
            answers: { q1: 2, q2: 2, q3: 1, q4: 1, q5: 1, q6: 1, q7: 1, q8: 0, q9: 0 },
          });
        },
      ],
      [
        6,
        async () =>
          helpRequests.length &&
          call(s, 'GET', `/api/help-requests/${pick(helpRequests)}/matches`, '/api/help-requests/:id/matches'),
      ],
      [
        8,
        async () => {
          // a help request is referred once: take it off the list
          const index = helpRequests.length - 1;
          if (index < 0) return;
          const helpRequestId = helpRequests.splice(index, 1)[0]!;
          const help = await call(s, 'GET', `/api/help-requests/${helpRequestId}`, '/api/help-requests/:id');
          if (help.status !== 200 || !help.body.clientId) return;
          const consent = await call(s, 'POST', '/api/consents', '/api/consents', {
            clientId: help.body.clientId,
            purpose: 'referral',
            recipientOrganizationId: cgg.organizationId,
            categories: ['contact', 'help-request-summary'],
            method: 'verbal',
          });
          if (consent.status !== 201) return;
          const referral = await call(s, 'POST', '/api/referrals', '/api/referrals', {
            helpRequestId,
            offerId: cgg.offerId,
            priority: 'routine',
            message: 'Graag contact opnemen',
            consentId: consent.body.id,
          });
          if (referral.status === 201) toAccept.push(referral.body.id);
        },
      ],
      [6, () => call(s, 'GET', '/api/referrals?box=outgoing&open=true', '/api/referrals?box=outgoing')],
      [4, () => call(s, 'GET', '/api/notifications?unread=true', '/api/notifications')],
      [
        1,
        async () => {
          await call(s, 'POST', '/api/auth/logout', '/api/auth/logout', {});
          session = await signIn(email);
        },
      ],
    ]);
    await step();
  }
}

async function receiver(email: string) {
  let session = await signIn(email);
  while (running()) {
    if (!session) {
      session = await signIn(email);
      // a refused sign-in is counted; wait a little rather than hammer the login
      if (!session) await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    const s = session;
    const referralId = toAccept.shift();
    if (referralId && Math.random() < 0.7) {
      await call(s, 'POST', `/api/referrals/${referralId}/transitions`, '/api/referrals/:id/transitions', {
        action: 'accept',
      });
      continue;
    }
    if (referralId) toAccept.unshift(referralId);
    await choose([
      [5, () => call(s, 'GET', '/api/referrals?box=incoming&open=true', '/api/referrals?box=incoming')],
      [3, () => call(s, 'GET', '/api/referrals/counts', '/api/referrals/counts')],
      [2, () => call(s, 'GET', '/api/notifications?unread=true', '/api/notifications')],
      [2, () => call(s, 'GET', `/api/offers?q=${enc(pick(CATALOGUE))}`, '/api/offers?q=')],
    ])();
  }
}

// ---- the run ---------------------------------------------------------------------------------------------------

const setup = await signIn('onthaal@caw.demo.example');
const offers = setup ? await call(setup, 'GET', '/api/offers?q=depressie', '/api/offers?q=') : null;
const cggOffer = (
  offers?.body?.items as { id: string; organizationId: string; organizationName: string }[] | undefined
)?.find((o) => o.organizationName.startsWith('CGG'));
if (!setup || !cggOffer) {
  process.stderr.write('Setup failed: could not sign in as a demo user or find a CGG offer in the demo catalogue.\n');
  await cleanup();
  process.exit(1);
}
const cgg = { offerId: cggOffer.id, organizationId: cggOffer.organizationId };
// the setup's requests are not part of the figures
perRoute.clear();
failures.clear();
allLatencies.length = 0;
window = newWindow();

const startMemory = await memory(true);
const startCounts = await ask({ type: 'counts' }, 'counts');
const receivers = Math.max(1, Math.round(USERS / 4));
const senderEmails = ['onthaal@caw.demo.example', 'onthaal@ocmw.demo.example'];
log(
  `Soak: ${MINUTES} min, ${USERS} virtual users (${USERS - receivers} senders, ${receivers} receivers), ` +
    `${ready.database === 'postgres' ? `PostgreSQL (${new URL(databaseUrl).pathname.slice(1)})` : 'PGlite (temporary folder)'}, server pid ${server.pid} on ${base}` +
    `${ready.seeded ? ', demo network seeded' : ''}.`,
);
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
log(`Machine: ${os.cpus().length} cores, load average ${load()} (1, 5, 15 min): other work on it moves the figures.`);
log(
  `Server memory at start (after GC): RSS ${mib(startMemory.rss)}, heap used ${mib(startMemory.heapUsed)} of ${mib(startMemory.heapTotal)}.`,
);
log();
log(' time   requests    req/s   p50 ms   p95 ms   p99 ms  non-2xx  errors   server RSS   heap used');

started = performance.now();
stopAt = started + MINUTES * 60_000;
let peakRss = startMemory.rss;
const timeline: { atS: number; rps: number; p95: number; rss: number; heapUsed: number }[] = [];
let windowStart = started;
async function report() {
  const now = performance.now();
  const w = window;
  window = newWindow();
  const seconds = (now - windowStart) / 1000;
  windowStart = now;
  const sorted = Float64Array.from(w.latencies).sort();
  const m = await memory(false).catch(() => null);
  if (m) peakRss = Math.max(peakRss, m.rss);
  const rps = w.latencies.length / seconds;
  timeline.push({
    atS: Math.round((now - started) / 1000),
    rps,
    p95: percentile(sorted, 95),
    rss: m?.rss ?? NaN,
    heapUsed: m?.heapUsed ?? NaN,
  });
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-').padStart(8);
  log(
    `${clock(now - started)} ${String(w.latencies.length).padStart(10)} ${rps.toFixed(1).padStart(8)} ${f(percentile(sorted, 50))} ` +
      `${f(percentile(sorted, 95))} ${f(percentile(sorted, 99))} ${String(w.non2xx).padStart(8)} ${String(w.errors).padStart(7)} ` +
      `${(m ? mib(m.rss) : 'gone').padStart(12)} ${(m ? mib(m.heapUsed) : '-').padStart(11)}`,
  );
}
const ticker = setInterval(() => void report(), REPORT_SECONDS * 1000);
let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  stopAt = 0;
});

await Promise.all(
  Array.from({ length: USERS }, (_, i) =>
    i < receivers ? receiver('onthaal@cgg.demo.example') : sender(senderEmails[i % senderEmails.length]!),
  ),
);
clearInterval(ticker);
const elapsed = performance.now() - started;
if (performance.now() - windowStart > 1000) await report();

// ---- the summary -----------------------------------------------------------------------------------------------

const endMemory = serverExit ? null : await memory(true).catch(() => null);
const endCounts = serverExit ? null : await ask({ type: 'counts' }, 'counts').catch(() => null);
const total = allLatencies.length;
const sortedAll = Float64Array.from(allLatencies).sort();
const totalNon2xx = [...failures.values()].reduce((a, b) => a + b, 0);
const totalErrors = [...networkErrors.values()].reduce((a, b) => a + b, 0);
log();
log(
  `Ran ${clock(elapsed).trim()} (mm:ss)${interrupted ? ' — interrupted' : ''}: ${total} requests, ${(total / (elapsed / 1000)).toFixed(1)} req/s on average, ` +
    `latency p50 ${percentile(sortedAll, 50).toFixed(1)} ms, p95 ${percentile(sortedAll, 95).toFixed(1)} ms, p99 ${percentile(sortedAll, 99).toFixed(1)} ms, max ${percentile(sortedAll, 100).toFixed(0)} ms.`,
);
log();
log('Per route:                                          count    p50 ms    p95 ms');
for (const [route, stats] of [...perRoute.entries()].sort((a, b) => b[1].count - a[1].count)) {
  const sorted = Float64Array.from(stats.latencies).sort();
  log(
    `  ${route.padEnd(48)} ${String(stats.count).padStart(7)} ${percentile(sorted, 50).toFixed(1).padStart(9)} ${percentile(sorted, 95).toFixed(1).padStart(9)}`,
  );
}
log();
if (totalNon2xx === 0) log('Non-2xx responses: none.');
else {
  log(`Non-2xx responses: ${totalNon2xx}`);
  for (const [key, n] of [...failures.entries()].sort((a, b) => b[1] - a[1])) log(`  ${key}: ${n}`);
}
if (totalErrors === 0) log('Network errors and timeouts: none.');
else {
  log(`Network errors and timeouts: ${totalErrors}`);
  for (const [key, n] of [...networkErrors.entries()].sort((a, b) => b[1] - a[1])) log(`  ${key}: ${n}`);
}
log();
log(`Server memory at start (after GC): RSS ${mib(startMemory.rss)}, heap used ${mib(startMemory.heapUsed)}.`);
if (endMemory) {
  log(
    `Server memory at end   (after GC): RSS ${mib(endMemory.rss)}, heap used ${mib(endMemory.heapUsed)} ` +
      `(RSS ${endMemory.rss >= startMemory.rss ? '+' : ''}${mib(endMemory.rss - startMemory.rss)}, heap ${endMemory.heapUsed >= startMemory.heapUsed ? '+' : ''}${mib(endMemory.heapUsed - startMemory.heapUsed)}); peak RSS seen ${mib(peakRss)}.`,
  );
} else {
  const exit = serverExit as { code: number | null; signal: string | null; atMs: number } | null;
  log(
    `The server process ended during the run (exit ${exit?.code ?? '-'} ${exit?.signal ?? ''} at ${clock(exit?.atMs ?? 0)}); see ${serverLogPath}.`,
  );
}
if (endCounts) {
  const grown = Object.entries(endCounts.counts)
    .map(([table, n]) => `${table} +${n - (startCounts.counts[table] ?? 0)}`)
    .join(', ');
  log(
    `Rows written: ${grown}. Database size ${mib(startCounts.databaseBytes ?? 0)} → ${mib(endCounts.databaseBytes ?? 0)}.`,
  );
}
const serverErrors = fs
  .readFileSync(serverLogPath, 'utf8')
  .split('\n')
  .filter((line) => /"level":(50|60)/.test(line)).length;
log(`Machine load average at end: ${load()}.`);
log(`Server log: ${serverErrors} error lines (${path.relative(process.cwd(), serverLogPath)}).`);
fs.writeFileSync(
  path.join(resultsDir, 'soak.json'),
  JSON.stringify(
    {
      minutes: MINUTES,
      users: USERS,
      database: ready.database,
      requests: total,
      seconds: elapsed / 1000,
      non2xx: Object.fromEntries(failures),
      networkErrors: Object.fromEntries(networkErrors),
      memory: { start: startMemory, end: endMemory, peakRss },
      timeline,
      serverErrorLines: serverErrors,
      loadAverageAtEnd: os.loadavg(),
    },
    null,
    2,
  ),
);

const failed = totalNon2xx > 0 || totalErrors > 0 || serverExit !== null || serverErrors > 0;
await cleanup();
process.exit(failed ? 1 : 0);
