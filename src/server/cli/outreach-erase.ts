import { loadConfig } from '../core/config.ts';
import { createDatabase } from '../core/db/database.ts';
import { eraseExpiredSignals } from '../features/outreach/index.ts';

// Erases the personal data of outreach signals closed longer ago than their network's retention (default 12 months),
// keeping the counts. Run it daily (cron, a systemd timer, a Kubernetes CronJob): see ARCHITECTURE.md, "Outreach".
// The embedded database belongs to one process: stop the app before running this against DATA_DIR.
const config = loadConfig();
const db = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  const erased = await eraseExpiredSignals(db);
  console.log(`outreach retention: erased the personal data of ${erased} closed signal(s).`);
} finally {
  await db.close();
}
