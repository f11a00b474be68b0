import { CompiledQuery, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AUDIT_BATCH_INSERT, auditBatchParameters, type AuditRow } from './audit.ts';

/** The most rows one INSERT takes: a burst larger than this is written in several statements, one after another. */
const MAX_ROWS_PER_INSERT = 500;

interface Pending {
  rows: AuditRow[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the audit rows of reads. A read's rows are queued; one INSERT (its own transaction) writes all
 * rows queued while the previous INSERT was in flight, and each waiting read is told when its rows have committed.
 * Under load the reads of a few milliseconds share one statement and one WAL flush; alone, a read waits for its own
 * INSERT only (no timer, so no added latency). A failed INSERT fails every read in it: no answer leaves without its
 * audit row, and `kill -9` can lose only rows whose answers were not sent yet.
 */
export class AuditBatcher {
  private queue: Pending[] = [];
  private flushing = false;

  /** `ownConnections`: the batcher writes on connections of its own, so it may run while a request holds one. */
  constructor(
    private readonly db: Kysely<DB>,
    readonly ownConnections = false,
  ) {}

  write(rows: AuditRow[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush() {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch: Pending[] = [];
        let rows = 0;
        while (
          this.queue.length > 0 &&
          (batch.length === 0 || rows + this.queue[0]!.rows.length <= MAX_ROWS_PER_INSERT)
        ) {
          const next = this.queue.shift()!;
          batch.push(next);
          rows += next.rows.length;
        }
        try {
          const values = auditBatchParameters(batch.flatMap((p) => p.rows));
          await this.db.executeQuery(CompiledQuery.raw(AUDIT_BATCH_INSERT, values));
          for (const p of batch) p.resolve();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

const batchers = new WeakMap<Kysely<DB>, AuditBatcher>();

/**
 * Gives the batcher of the application pool `app` connections of its own (`audit`, a small pool as the same role),
 * so its INSERT never waits in the queue of the requests that wait for it. Without it (PGlite, one session) the
 * batcher uses `app` itself.
 */
export function useAuditConnections(app: Kysely<DB>, audit: Kysely<DB>) {
  batchers.set(app, new AuditBatcher(audit, true));
}

/** The batcher of one database handle (the app's pool): one queue per pool. */
export function auditBatcher(db: Kysely<DB>): AuditBatcher {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new AuditBatcher(db);
    batchers.set(db, batcher);
  }
  return batcher;
}
