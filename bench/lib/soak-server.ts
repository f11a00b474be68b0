/**
 * The server under test of `npm run soak` (bench/soak.ts), in a process of its own so that its memory is its own:
 * the same composition as src/server/main.ts (config → database → migrate → reference data → demo network → listen),
 * on 127.0.0.1 and a free port. It talks to the soak over the IPC channel: `ready` with the port; on request its
 * memory (optionally after a full garbage collection; started with --expose-gc) and a few row counts; `stop`.
 */
import { sql } from 'kysely';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/core/config.ts';
import { createDatabase } from '../../src/server/core/db/database.ts';
import { migrate } from '../../src/server/core/db/migrate.ts';
import { seedDemo } from '../../src/server/demo/seed.ts';
import { ensureReferenceData } from '../../src/server/reference-data.ts';

export type SoakCommand = { type: 'memory'; gc: boolean } | { type: 'counts' } | { type: 'stop' };
export type SoakRequest = SoakCommand & { id: number };
export type SoakMessage =
  | { type: 'ready'; port: number; database: 'postgres' | 'pglite'; seeded: boolean }
  | { type: 'refused'; message: string }
  | { type: 'memory'; id: number; rss: number; heapUsed: number; heapTotal: number; external: number }
  | { type: 'counts'; id: number; counts: Record<string, number>; databaseBytes: number | null }
  | { type: 'stopped'; id: number };

const send = (message: SoakMessage) => process.send!(message);
const COUNTED = ['clients', 'help_requests', 'referrals', 'sessions', 'audit_log'] as const;

const config = { ...loadConfig(), host: '127.0.0.1', port: 0, logLevel: process.env.SOAK_LOG_LEVEL || 'warn' };
const db = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await migrate(db.owner);
await ensureReferenceData(db.owner);
// the soak writes thousands of made-up clients: only into a database with no network or the demo network alone
const real = await db.owner.selectFrom('networks').select('id').where('is_demo', '=', false).limit(1).execute();
if (real.length) {
  send({
    type: 'refused',
    message:
      'This database holds a network that is not the demo network: the soak writes thousands of made-up clients and ' +
      'referrals, so it runs only on a throwaway database (empty or with the demo network alone).',
  });
  await db.close();
  process.exit(2);
}
const { seeded } = await seedDemo(db.owner);
const app = await buildApp({ db, config });
await app.listen({ host: config.host, port: 0 });
const address = app.server.address();
send({
  type: 'ready',
  port: typeof address === 'object' && address ? address.port : 0,
  database: db.kind,
  seeded,
});

process.on('message', (request: SoakRequest) => {
  void (async () => {
    if (request.type === 'memory') {
      if (request.gc) (globalThis as { gc?: () => void }).gc?.();
      const m = process.memoryUsage();
      send({
        type: 'memory',
        id: request.id,
        rss: m.rss,
        heapUsed: m.heapUsed,
        heapTotal: m.heapTotal,
        external: m.external,
      });
    } else if (request.type === 'counts') {
      const counts: Record<string, number> = {};
      let databaseBytes: number | null = null;
      try {
        for (const table of COUNTED) {
          const row = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db.owner);
          counts[table] = row.rows[0]!.n;
        }
        const size = await sql<{
          bytes: string;
        }>`select pg_database_size(current_database())::text as bytes`.execute(db.owner);
        databaseBytes = Number(size.rows[0]!.bytes);
      } catch {
        // counts are a nicety of the report (an owner under forced row-level security may not read them)
      }
      send({ type: 'counts', id: request.id, counts, databaseBytes });
    } else {
      await app.close();
      await db.close();
      send({ type: 'stopped', id: request.id });
      process.exit(0);
    }
  })();
});
// the soak went away without stopping us: do not linger
process.on('disconnect', () => process.exit(0));
