import pg from 'pg';
import { CompiledQuery, sql } from 'kysely';
import type { Database } from '../../src/server/core/db/database.ts';

export interface TracedQuery {
  text: string;
  values: unknown[] | undefined;
  ms: number;
}

/**
 * Counts the statements every pg.Client in this process sends (one call = one round trip) and how
 * long each took, by wrapping pg.Client.prototype.query for the duration of a probe. Used only on
 * a sequential probe after the load runs, never during them.
 */
export function traceQueries(): { entries: TracedQuery[]; stop(): void } {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const entries: TracedQuery[] = [];
  proto.query = function traced(this: unknown, ...args: unknown[]) {
    const [config, second] = args;
    // the application pool sends its statements as query configs ({ name, text, values }: core/db/prepared.ts)
    const asConfig =
      typeof config === 'string' ? undefined : (config as { text?: string; values?: unknown } | undefined);
    const text = typeof config === 'string' ? config : String(asConfig?.text ?? '?');
    const values = asConfig ? asConfig.values : second;
    const started = performance.now();
    const result = original.apply(this, args);
    // statements the client writes in front of a query under its Sync (core/db/leading-statements.ts): the COMMIT of
    // the read before, and a transaction's opening (counted as one script, as inTenant hands it over)
    const leading = (config as { leading?: { text: string }[] } | undefined)?.leading?.map((l) => l.text) ?? [];
    const done = () => {
      const ms = performance.now() - started;
      if (leading[0] === 'commit') entries.push({ text: leading.shift()!, values: undefined, ms });
      if (leading.length) entries.push({ text: leading.join('; '), values: undefined, ms });
      // (a batch of leading statements alone has no query of its own)
      if (typeof config === 'string' || asConfig?.text !== undefined)
        entries.push({ text, values: Array.isArray(values) ? values : undefined, ms });
    };
    if (result && typeof (result as Promise<unknown>).then === 'function')
      (result as Promise<unknown>).then(done, done);
    else if (typeof (config as { submit?: unknown })?.submit === 'function') {
      // a query object: pg answers it through its callback, not a promise
      const query = config as { callback?: (...answer: unknown[]) => void };
      const callback = query.callback;
      query.callback = (...answer: unknown[]) => {
        done();
        callback?.(...answer);
      };
    }
    return result;
  };
  return {
    entries,
    stop: () => {
      proto.query = original;
    },
  };
}

/** A short, stable label for a statement. */
export function label(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (/^begin; select set_config/.test(t)) return 'begin; set_config(app.org_id, app.network_id, app.user_id)';
  if (/^(begin( read only)?; )?select .*kl_session_ended/.test(t)) {
    // a one-statement read has no BEGIN: its context and statement are one implicit transaction (core/db/database.ts)
    const begin = /^begin( read only)?;/.exec(t)?.[0];
    const readOnly = t.includes("'transaction_read_only'") ? ' + read only' : '';
    return `${begin ? `${begin} ` : ''}session check + role${readOnly} + context`;
  }
  if (/^select .* from "sessions"/.test(t)) return 'select session ⋈ users ⋈ memberships ⟕ organizations';
  if (/^update "sessions"/.test(t)) return 'update sessions set last_seen_at';
  if (/^insert into "audit_log"/.test(t)) return 'insert into audit_log';
  if (/^select \* from "clients" where .*"id" =/.test(t)) return 'select client by id (RLS)';
  if (/^select \*, count\(\*\) over \(\)/.test(t)) return 'select clients search + count(*) over () (RLS)';
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

export interface RoundTripSummary {
  requests: number;
  statementsPerRequest: number;
  meanRequestMs: number;
  statements: { statement: string; count: number; perRequest: number; meanMs: number }[];
}

export function summarise(entries: TracedQuery[], requests: number, meanRequestMs: number): RoundTripSummary {
  const byLabel = new Map<string, { count: number; ms: number }>();
  for (const e of entries) {
    const key = label(e.text);
    const s = byLabel.get(key) ?? { count: 0, ms: 0 };
    s.count += 1;
    s.ms += e.ms;
    byLabel.set(key, s);
  }
  return {
    requests,
    statementsPerRequest: entries.length / requests,
    meanRequestMs,
    statements: [...byLabel.entries()].map(([statement, s]) => ({
      statement,
      count: s.count,
      perRequest: s.count / requests,
      meanMs: s.ms / s.count,
    })),
  };
}

/**
 * EXPLAIN ANALYZE of one captured app statement, twice: as the app role inside a tenant context
 * (row-level security on, as in a request) and as the owner (no RLS, as the floor).
 */
export async function explainBoth(
  db: Database,
  ctx: { organizationId: string; networkId: string; userId: string },
  text: string,
  values: unknown[],
) {
  const run = async (asApp: boolean): Promise<string[]> =>
    db.owner.connection().execute(async (conn) => {
      await sql.raw('begin').execute(conn);
      try {
        if (asApp) {
          await sql.raw(`set local role kortelijn_app`).execute(conn);
          await sql`select set_config('app.org_id', ${ctx.organizationId}, true), set_config('app.network_id', ${ctx.networkId}, true), set_config('app.user_id', ${ctx.userId}, true)`.execute(
            conn,
          );
        }
        // run twice, keep the second (warm) plan
        const query = CompiledQuery.raw(`explain (analyze, costs off, timing on) ${text}`, values);
        await conn.executeQuery(query);
        const res = await conn.executeQuery<{ 'QUERY PLAN': string }>(query);
        return res.rows.map((r) => r['QUERY PLAN']);
      } finally {
        await sql.raw('rollback').execute(conn);
      }
    });
  return { appUnderRls: await run(true), ownerNoRls: await run(false) };
}

/**
 * Server-side planning and execution time of one captured statement, as the app role in the tenant
 * context (median of `runs` EXPLAIN ANALYZE, each in a transaction that is rolled back).
 */
export async function statementTimes(
  db: Database,
  ctx: { organizationId: string; networkId: string; userId: string },
  text: string,
  values: unknown[],
  runs = 15,
) {
  const planning: number[] = [];
  const execution: number[] = [];
  await db.owner.connection().execute(async (conn) => {
    for (let i = 0; i < runs; i++) {
      await sql.raw('begin').execute(conn);
      try {
        await sql.raw(`set local role kortelijn_app`).execute(conn);
        await sql`select set_config('app.org_id', ${ctx.organizationId}, true), set_config('app.network_id', ${ctx.networkId}, true), set_config('app.user_id', ${ctx.userId}, true)`.execute(
          conn,
        );
        const res = await conn.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`explain (analyze, summary) ${text}`, values),
        );
        for (const { 'QUERY PLAN': line } of res.rows) {
          const p = /^Planning Time: ([\d.]+) ms/.exec(line);
          const e = /^Execution Time: ([\d.]+) ms/.exec(line);
          if (p) planning.push(Number(p[1]));
          if (e) execution.push(Number(e[1]));
        }
      } finally {
        await sql.raw('rollback').execute(conn);
      }
    }
  });
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)] ?? NaN;
  };
  return { planningMs: median(planning), executionMs: median(execution) };
}
