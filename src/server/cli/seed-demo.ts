import { loadConfig } from '../config.ts';
import { createDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { ensureReferenceData } from '../db/reference.ts';
import { seedDemo, DEMO_PASSWORD } from '../demo/seed.ts';

const config = loadConfig();
const db = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await migrate(db.owner);
await ensureReferenceData(db.owner);
const { seeded } = await seedDemo(db.owner);
console.log(seeded ? `Demo network seeded. Every demo user has the password "${DEMO_PASSWORD}" (see README).` : 'A network exists already; nothing seeded.');
await db.close();
