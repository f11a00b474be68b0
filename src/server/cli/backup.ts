import { parseArgs } from 'node:util';
import path from 'node:path';
import { loadConfig } from '../core/config.ts';
import { backupPglite, backupPostgres, defaultBackupFile, describeUrl, EXIT } from '../core/db/backup.ts';
import { exitWith, formatBytes, shortPath } from './backup-output.ts';

const USAGE = `Usage: npm run backup [-- --output <file>] [--force]

Backs up the whole database: the PostgreSQL server in DATABASE_URL (pg_dump custom format, .dump),
else the embedded database in DATA_DIR (a PGlite tarball, .tar.gz; stop Korte Lijn first).
  --output <file>  where to write (default $BACKUP_DIR, else backups/, korte-lijn-<UTC time>.<dump|tar.gz>)
  --force          PGlite only: back up a data folder that looks open (left over from a crash)
Exit codes: 0 done, 1 failed, 2 wrong use, 3 refused.`;

await exitWith(async () => {
  const { values } = parseArgs({
    options: {
      output: { type: 'string', short: 'o' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const config = loadConfig();
  const kind = config.databaseUrl ? 'postgres' : 'pglite';
  const file = values.output ? path.resolve(values.output) : defaultBackupFile(kind, config.backupDir);
  const source = config.databaseUrl
    ? `the ${describeUrl(config.databaseUrl)}`
    : `the embedded database in ${config.dataDir}`;
  console.log(`Backing up ${source} …`);
  const result = config.databaseUrl
    ? await backupPostgres(config.databaseUrl, file)
    : await backupPglite({ dataDir: config.dataDir, file, force: values.force });
  console.log(
    `Backup written: ${result.file} (${formatBytes(result.bytes)}, ${result.tables} tables).\n` +
      `Restore it with: npm run restore -- ${shortPath(result.file)}\n` +
      'It holds personal data: keep it encrypted and readable only by the operators who may restore it.',
  );
  return EXIT.ok;
}, USAGE);
