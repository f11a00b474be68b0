import { loadConfig } from '../core/config.ts';
import { createDatabase } from '../core/db/database.ts';
import { migrate } from '../core/db/migrate.ts';
import { ensureReferenceData } from '../reference-data.ts';
import { seedDemo, DEMO_PASSWORD } from '../demo/seed.ts';
import { seedDemoCases } from '../demo/seed-cases.ts';

const config = loadConfig();
const db = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await migrate(db.owner);
await ensureReferenceData(db.owner);
const { seeded } = await seedDemo(db.owner);
console.log(
  seeded
    ? `Demo network seeded. Every demo user has the password "${DEMO_PASSWORD}" (see README).`
    : 'A network exists already; nothing seeded.',
);
// the demo's people: only into the demo network, and only the cases it does not hold yet
const cases = await seedDemoCases(db);
if (cases.seeded) console.log(`Demo cases added: ${cases.seeded} (clients, help requests, referrals; see README).`);
await db.close();
