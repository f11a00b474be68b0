import { parseArgs } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../core/config.ts';
import { BackupError, describeUrl, EXIT, restorePglite, restorePostgres } from '../core/db/backup.ts';
import type { Database } from '../core/db/database.ts';
import { migrate } from '../core/db/migrate.ts';
import { ensureReferenceData } from '../reference-data.ts';
import { exitWith } from './backup-output.ts';

const USAGE = `Usage: npm run restore -- <backup file> [--force]

Restores a backup made by npm run backup into the PostgreSQL database in DATABASE_URL (which must exist and be
empty), else into DATA_DIR (which must be empty or absent), then applies the migrations the backup lacks.
  --force  replace a database that is not empty: on a server its current content is first saved to
           $BACKUP_DIR (else backups/)/korte-lijn-before-restore-<time>.dump; PGlite's current folder is kept as <DATA_DIR>.before-restore-<time>
Exit codes: 0 done, 1 failed, 2 wrong use, 3 refused.`;

await exitWith(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new BackupError('Name one backup file.', EXIT.usage, { showUsage: true });
  const file = path.resolve(positionals[0]!);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw new BackupError(`${file} does not exist or is not a file.`, EXIT.usage);
  const config = loadConfig();
  let applied: string[] = [];
  // an older backup comes up to date, as at every start
  const afterLoad = async (db: Database) => {
    applied = await migrate(db.owner);
    await ensureReferenceData(db.owner);
  };
  console.log(
    `Restoring ${file} into ${config.databaseUrl ? `the ${describeUrl(config.databaseUrl)}` : `the embedded database in ${config.dataDir}`} …`,
  );
  const result = config.databaseUrl
    ? await restorePostgres({
        url: config.databaseUrl,
        file,
        force: values.force,
        backupDir: config.backupDir,
        afterLoad,
      })
    : await restorePglite({ dataDir: config.dataDir, file, force: values.force, afterLoad });
  if (result.previous) console.log(`The content it replaced is kept in ${result.previous}.`);
  console.log(
    `Restored ${result.tables} tables into ${result.target}. ` +
      (applied.length ? `Migrations applied since the backup: ${applied.join(', ')}.` : 'Migrations: up to date.'),
  );
  return EXIT.ok;
}, USAGE);
