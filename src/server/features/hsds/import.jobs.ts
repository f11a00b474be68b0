import { sql } from 'kysely';
import type { FastifyRequest } from 'fastify';
import { actorOf, requestInfo, tenant, type App } from '../../core/http/context.ts';
import { inTenant, type Tx } from '../../core/db/tenant.ts';
import { invalid, type FieldError } from '../../core/http/errors.ts';
import { fieldMessage, type Lang } from '../../core/http/messages.ts';
import { hsdsDb } from './hsds.db.ts';
import { runImport, type ImportResult } from './import.service.ts';
import { countRecords, ImportInvalid, type Package } from './package.ts';
import { HSDS_AUDIT } from './hsds.audit.ts';

/**
 * An import runs in one transaction. A small one answers at once; a large one (or ?async=true) answers 202 with
 * a job whose progress GET /api/hsds/imports/{id} shows: in memory in this process, and on a PostgreSQL server
 * also in the job row (written from another connection, since the import's own transaction is not visible
 * until it commits). PGlite is one session: there the row shows the outcome only.
 */

export const ASYNC_THRESHOLD = 1000;
/** How often a running job's process says it is alive (PostgreSQL server), and after how long without that it is taken for dead. */
const HEARTBEAT_MS = 15_000;
const HEARTBEAT_STALE_MS = 120_000;

/** Ends a dry run: the transaction rolls back, and the result travels in the error. */
class DryRun extends Error {
  constructor(readonly result: ImportResult) {
    super('dry-run');
  }
}

interface Progress {
  total: number;
  done: number;
}
const progress = new Map<string, Progress>();
const running = new Set<Promise<unknown>>();

const withMessages = (errors: FieldError[], lang: Lang) =>
  errors.map((e) => ({ ...e, message: e.message ?? fieldMessage(e.code, lang) ?? e.code }));
const localized = (result: ImportResult, lang: Lang): ImportResult => ({
  ...result,
  warnings: withMessages(result.warnings, lang),
});
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

function auditEntry(importId: string | null, result: ImportResult) {
  return {
    action: HSDS_AUDIT.catalogueImport,
    entityType: 'catalogue_import',
    entityId: importId,
    details: {
      format: result.format,
      created: sum(result.created),
      changed: sum(result.changed),
      unchanged: sum(result.unchanged),
    },
  };
}

/** Imports now, in the request's transaction; a dry run rolls everything back and reports what would happen. */
export async function importNow(app: App, req: FastifyRequest, pkg: Package, dryRun: boolean): Promise<ImportResult> {
  try {
    return await tenant(app, req, async (tx) => {
      const result = await runImport(tx, pkg, { dryRun, lang: req.lang, importId: null });
      if (dryRun) throw new DryRun(result);
      await tx.audit(auditEntry(null, result));
      return localized(result, req.lang);
    });
  } catch (error) {
    if (error instanceof DryRun) return localized(error.result, req.lang);
    if (error instanceof ImportInvalid) throw invalid(...error.errors);
    throw error;
  }
}

export interface JobView {
  id: string;
  status: string;
  dryRun: boolean;
  format: string;
  total: number;
  done: number;
  createdAt: string;
  finishedAt: string | null;
  result?: unknown;
  errors?: unknown;
}

async function finish(
  tx: Tx,
  id: string,
  outcome: { status: 'succeeded' | 'failed'; result?: ImportResult; errors?: FieldError[] },
) {
  await hsdsDb(tx.db)
    .updateTable('catalogue_imports')
    .set({
      status: outcome.status,
      ...(outcome.status === 'succeeded' ? { done: sql`total` as never } : {}),
      result: outcome.result ? JSON.stringify(outcome.result) : null,
      errors: outcome.errors ? JSON.stringify(outcome.errors) : null,
      finished_at: sql`now()` as never,
    })
    .where('id', '=', id)
    .execute();
}

/** Starts the import as a job and returns at once. */
export async function importLater(app: App, req: FastifyRequest, pkg: Package, dryRun: boolean): Promise<JobView> {
  const actor = actorOf(req);
  const info = requestInfo(req);
  const lang = req.lang;
  const total = countRecords(pkg);
  const job = await tenant(app, req, (tx) =>
    hsdsDb(tx.db)
      .insertInto('catalogue_imports')
      .values({
        network_id: actor.networkId,
        created_by: actor.userId,
        format: pkg.format,
        dry_run: dryRun,
        status: 'running',
        total,
      })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  const state: Progress = { total, done: 0 };
  progress.set(job.id, state);
  const db = app.deps.db;
  let lastFlush = 0;
  let flushing: Promise<unknown> = Promise.resolve();
  const flush = (force = false) => {
    // PGlite is one session, which the import holds: progress stays in memory there
    if (db.kind !== 'postgres' || (!force && Date.now() - lastFlush < 250)) return;
    lastFlush = Date.now();
    const done = state.done;
    flushing = flushing
      .then(() =>
        inTenant(db.app, actor, info, (tx) =>
          hsdsDb(tx.db)
            .updateTable('catalogue_imports')
            .set({ done: sql`greatest(done, ${done})` as never, heartbeat_at: sql`now()` as never })
            .where('id', '=', job.id)
            .where('status', '=', 'running')
            .execute(),
        ),
      )
      .catch(() => undefined);
  };
  // alive even while one long statement runs: another server (or this one after a restart) can tell a dead job
  const heartbeat = setInterval(() => flush(true), HEARTBEAT_MS);
  heartbeat.unref();
  const work = inTenant(db.app, actor, info, async (tx) => {
    const result = localized(
      await runImport(tx, pkg, {
        dryRun,
        lang,
        importId: job.id,
        onProgress: (done) => {
          state.done = done;
          flush();
        },
      }),
      lang,
    );
    if (dryRun) throw new DryRun(result);
    await tx.audit(auditEntry(job.id, result));
    await finish(tx, job.id, { status: 'succeeded', result });
  })
    .catch(async (error: Error) => {
      await flushing;
      let outcome: Parameters<typeof finish>[2];
      if (error instanceof DryRun) outcome = { status: 'succeeded', result: error.result };
      else if (error instanceof ImportInvalid) outcome = { status: 'failed', errors: withMessages(error.errors, lang) };
      else {
        app.log.error({ err: { type: error.name, code: (error as { code?: string }).code } }, 'hsds.import.failed');
        outcome = { status: 'failed', errors: withMessages([{ field: '', code: 'internal' }], lang) };
      }
      await inTenant(db.app, actor, info, (tx) => finish(tx, job.id, outcome)).catch((e: Error) =>
        app.log.error({ err: { type: e.name } }, 'hsds.import.finish-failed'),
      );
    })
    .finally(() => {
      clearInterval(heartbeat);
      progress.delete(job.id);
      running.delete(work);
    });
  running.add(work);
  return {
    id: job.id,
    status: 'running',
    dryRun,
    format: pkg.format,
    total,
    done: 0,
    createdAt: job.created_at.toISOString(),
    finishedAt: null,
  };
}

/**
 * A job still 'running' that no process runs any more (the server stopped or restarted mid-import; the import's
 * transaction rolled back with it) is marked failed when it is looked at: on PGlite (one process) when this
 * process does not run it, on a PostgreSQL server (several processes) when its heartbeat is older than
 * HEARTBEAT_STALE_MS as well. Compare-and-set on the status, so a job that finishes meanwhile keeps its outcome.
 */
async function failIfInterrupted(
  tx: Tx,
  row: { id: string; status: string; heartbeat_at: Date },
  dbKind: 'postgres' | 'pglite',
  lang: Lang,
) {
  if (row.status !== 'running' || progress.has(row.id)) return undefined;
  if (dbKind === 'postgres' && Date.now() - row.heartbeat_at.getTime() < HEARTBEAT_STALE_MS) return undefined;
  const errors = [{ field: '', code: 'import-interrupted', message: fieldMessage('import-interrupted', lang)! }];
  let q = hsdsDb(tx.db)
    .updateTable('catalogue_imports')
    .set({ status: 'failed', errors: JSON.stringify(errors), finished_at: sql`now()` as never })
    .where('id', '=', row.id)
    .where('status', '=', 'running');
  if (dbKind === 'postgres')
    q = q.where(sql<boolean>`heartbeat_at < now() - make_interval(secs => ${HEARTBEAT_STALE_MS / 1000})`);
  // the failed row itself, or undefined when the job finished meanwhile
  return q.returningAll().executeTakeFirst();
}

/** The job as its caller sees it (RLS: the network's own jobs); an interrupted one as failed. */
export async function jobView(
  tx: Tx,
  id: string,
  opts: { dbKind: 'postgres' | 'pglite'; lang: Lang },
): Promise<JobView | undefined> {
  const read = () =>
    hsdsDb(tx.db)
      .selectFrom('catalogue_imports')
      .selectAll()
      .where('id', '=', id)
      .where('network_id', '=', tx.actor.networkId)
      .executeTakeFirst();
  let row = await read();
  if (!row) return undefined;
  row = (await failIfInterrupted(tx, row, opts.dbKind, opts.lang)) ?? row;
  const live = row.status === 'running' ? progress.get(row.id) : undefined;
  return {
    id: row.id,
    status: row.status,
    dryRun: row.dry_run,
    format: row.format,
    total: row.total,
    done: Math.max(row.done, live?.done ?? 0),
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
    ...(row.result ? { result: row.result } : {}),
    ...(row.errors ? { errors: row.errors } : {}),
  };
}

/** Lets a closing server finish the imports it runs. */
export async function settleImports(): Promise<void> {
  await Promise.allSettled([...running]);
}
