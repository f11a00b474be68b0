import { loadConfig } from './core/config.ts';
import { createDatabase } from './core/db/database.ts';
import { migrate } from './core/db/migrate.ts';
import { ensureReferenceData } from './reference-data.ts';
import { seedDemo } from './demo/seed.ts';
import { seedDemoCases } from './demo/seed-cases.ts';
import { buildApp } from './app.ts';

const config = loadConfig();
const db = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
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
let closing = false;
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'server.stopping');
  await app.close();
  await db.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ port: config.port, host: config.host });
app.log.info({ port: config.port, database: db.kind }, 'server.started');
