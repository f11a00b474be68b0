import { loadConfig } from './core/config.ts';
import { createDatabase } from './core/db/database.ts';
import { migrate } from './core/db/migrate.ts';
import { ensureReferenceData } from './reference-data.ts';
import { seedDemo } from './demo/seed.ts';
import { seedDemoCases } from './demo/seed-cases.ts';
import { buildApp } from './app.ts';

const config = loadConfig();
const db = await createDatabase({
  databaseUrl: config.databaseUrl,
  reportingUrl: config.reportingDatabaseUrl,
  dataDir: config.dataDir,
  poolSize: config.database.poolSize,
  timeouts: {
    connectMs: config.database.connectTimeoutMs,
    statementMs: config.database.statementTimeoutMs,
    queryMs: config.database.queryTimeoutMs,
  },
});
await migrate(db.owner);
await ensureReferenceData(db.owner);
// zero-setup first run: the embedded database gets the demo network; a real server only when asked (npm run seed:demo)
if (db.kind === 'pglite') {
  await seedDemo(db.owner);
  // the people of the demo: added once (also to a demo database seeded before they existed)
  await seedDemoCases(db);
}

const app = await buildApp({ db, config });
// npm scripts run on the Node LTS that `npm install` brings (the `node` package); started another way, say so
if (Number(process.versions.node.split('.')[0]) < 22) {
  app.log.warn(
    { node: process.versions.node, execPath: process.execPath },
    `runtime.node-outdated: Node ${process.versions.node} is not a maintained LTS; start with "npm start" (runs the bundled Node 24) or install Node 22 or newer`,
  );
}

// A truly fatal error leaves the process in an unknown state: log it and exit non-zero so that the supervisor
// (systemd, a container runtime) starts a clean one. Database connection loss is not fatal: it is handled
// where it happens and answered with 503.
const fatal = (kind: string) => (error: unknown) => {
  const err = error instanceof Error ? { type: error.name, code: (error as { code?: unknown }).code } : {};
  app.log.fatal({ err, frames: error instanceof Error ? error.stack?.split('\n').slice(1, 6) : [] }, kind);
  process.exit(70); // EX_SOFTWARE
};
process.on('uncaughtException', fatal('process.uncaught-exception'));
process.on('unhandledRejection', fatal('process.unhandled-rejection'));

// SIGTERM / SIGINT: stop accepting, let requests in flight finish within the grace period, close the pool, exit 0.
// Past the grace period the remaining connections are cut and the exit code is 1, so the supervisor's log shows it.
let closing = false;
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  app.log.info({ signal, graceMs: config.shutdownGraceMs }, 'server.stopping');
  let forced = false;
  const grace = setTimeout(() => {
    forced = true;
    app.log.warn('server.stopping.grace-exceeded');
    app.server.closeAllConnections();
    // statements of the cut requests may still hold pool connections: do not wait for them to end
    setTimeout(() => process.exit(1), 2_000).unref();
  }, config.shutdownGraceMs);
  grace.unref();
  // a keep-alive connection whose last request finished meanwhile is idle now: close it, so close() can end
  const idleSweep = setInterval(() => app.server.closeIdleConnections(), 100);
  idleSweep.unref();
  try {
    await app.close();
    await db.close();
  } catch (error) {
    app.log.error({ err: { type: (error as Error).name } }, 'server.stopping.failed');
    forced = true;
  }
  clearTimeout(grace);
  clearInterval(idleSweep);
  app.log.info({ forced }, 'server.stopped');
  process.exit(forced ? 1 : 0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ port: config.port, host: config.host });
app.log.info({ port: config.port, database: db.kind }, 'server.started');
