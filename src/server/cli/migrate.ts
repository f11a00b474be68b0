import { loadConfig } from '../core/config.ts';
import { createDatabase } from '../core/db/database.ts';
import { migrate } from '../core/db/migrate.ts';
import { ensureReferenceData } from '../reference-data.ts';

const config = loadConfig();
const db = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const applied = await migrate(db.owner);
const municipalities = await ensureReferenceData(db.owner);
console.log(
  applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.',
  municipalities ? `Loaded ${municipalities} municipalities.` : '',
);
await db.close();
