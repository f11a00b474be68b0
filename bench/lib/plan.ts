import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Database } from '../../src/server/core/db/database.ts';
import type { DB } from '../../src/server/core/db/schema.ts';
import { percentile } from './random-load.ts';
import { r3 } from './cpu.ts';

/**
 * EXPLAIN (ANALYZE, BUFFERS) of captured app statements, in the context the app runs them in, and
 * a summary of the plans: which scans they use, how many rows they read to return how few, and
 * which plan node takes the time.
 */

/** The context a statement runs in: the app role with a tenant (logged in), the app role without one (public), or the owner (no RLS). */
export type ExplainContext =
  | { kind: 'tenant'; organizationId: string; networkId: string; userId: string; role: string }
  | { kind: 'public' }
  | { kind: 'owner' };

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Total Time': number;
  'Actual Loops': number;
  'Actual Rows': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Filter?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Workers Launched'?: number;
  Plans?: PlanNode[];
}

export interface Explained {
  planningMs: number;
  executionMs: number;
  plan: PlanNode;
}

async function inContext<T>(db: Database, ctx: ExplainContext, work: (conn: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.owner.connection().execute(async (conn) => {
    await sql.raw('begin').execute(conn);
    try {
      if (ctx.kind !== 'owner') {
        await sql.raw('set local role kortelijn_app').execute(conn);
        // the same settings src/server/core/db/tenant.ts makes; empty outside a tenant (the public endpoint)
        const t = ctx.kind === 'tenant' ? ctx : { organizationId: '', networkId: '', userId: '', role: '' };
        await sql`select set_config('app.org_id', ${t.organizationId}, true), set_config('app.network_id', ${t.networkId}, true),
                         set_config('app.user_id', ${t.userId}, true), set_config('app.role', ${t.role}, true)`.execute(
          conn,
        );
      }
      return await work(conn);
    } finally {
      await sql.raw('rollback').execute(conn);
    }
  });
}

/** One EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) per statement, all in one transaction of the given context. */
export async function explainJson(
  db: Database,
  ctx: ExplainContext,
  statements: { text: string; values: unknown[] }[],
): Promise<Explained[]> {
  return inContext(db, ctx, async (conn) => {
    const out: Explained[] = [];
    for (const s of statements) {
      const res = await conn.executeQuery<{
        'QUERY PLAN': [{ Plan: PlanNode; 'Planning Time': number; 'Execution Time': number }];
      }>(CompiledQuery.raw(`explain (analyze, buffers, format json) ${s.text}`, s.values));
      const top = res.rows[0]!['QUERY PLAN'][0];
      out.push({ planningMs: top['Planning Time'], executionMs: top['Execution Time'], plan: top.Plan });
    }
    return out;
  });
}

/** The text plan of one statement (for the report). */
export async function explainText(
  db: Database,
  ctx: ExplainContext,
  text: string,
  values: unknown[],
): Promise<string[]> {
  return inContext(db, ctx, async (conn) => {
    const res = await conn.executeQuery<{ 'QUERY PLAN': string }>(
      CompiledQuery.raw(`explain (analyze, buffers) ${text}`, values),
    );
    return res.rows.map((r) => r['QUERY PLAN']);
  });
}

const walk = (node: PlanNode, visit: (n: PlanNode) => void) => {
  visit(node);
  for (const c of node.Plans ?? []) walk(c, visit);
};

export function nodeLabel(n: PlanNode): string {
  return `${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}`;
}

/** Time spent in the node itself (its children's time taken off), over all loops. */
export function exclusiveMs(n: PlanNode): number {
  const own = n['Actual Total Time'] * n['Actual Loops'];
  const children = (n.Plans ?? []).reduce((s, c) => s + c['Actual Total Time'] * c['Actual Loops'], 0);
  return Math.max(0, own - children);
}

export interface PlanSummary {
  statements: number;
  executionMs: { median: number; p95: number; max: number };
  planningMs: { median: number; p95: number };
  /** the access paths to offers, by how many plans use them */
  offersAccess: { access: string; plans: number }[];
  /** rows of offers read (returned by the scan plus removed by its filter or recheck) per statement */
  offersRowsRead: { median: number; p95: number };
  /** rows the statement returns (the top node) */
  rowsReturned: { median: number; p95: number };
  sharedBuffers: { median: number; p95: number };
  /** plan nodes by their share of the summed execution time (exclusive time) */
  timeByNode: { node: string; share: number; meanMs: number }[];
  /** filter conditions applied on offers (one example of each distinct text, parameters differ) */
  offersFilters: string[];
}

const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: percentile(s, 50), p95: percentile(s, 95), max: s.at(-1) ?? NaN };
};

export function summarisePlans(explained: Explained[]): PlanSummary {
  const access = new Map<string, number>();
  const byNode = new Map<string, number>();
  const rowsRead: number[] = [];
  const buffers: number[] = [];
  const filters = new Set<string>();
  let totalExclusive = 0;
  for (const e of explained) {
    const seen = new Set<string>();
    let read = 0;
    walk(e.plan, (n) => {
      const ms = exclusiveMs(n);
      totalExclusive += ms;
      const label = nodeLabel(n);
      byNode.set(label, (byNode.get(label) ?? 0) + ms);
      const onOffers = n['Relation Name'] === 'offers' || /^offers_/.test(n['Index Name'] ?? '');
      if (onOffers && /Scan/.test(n['Node Type'])) {
        seen.add(label);
        if (n['Relation Name'] === 'offers') {
          read +=
            (n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0)) *
            n['Actual Loops'];
          if (n.Filter) filters.add(n.Filter.replace(/'[^']*'/g, "'…'"));
        }
      }
    });
    for (const label of seen) access.set(label, (access.get(label) ?? 0) + 1);
    rowsRead.push(read);
    buffers.push((e.plan['Shared Hit Blocks'] ?? 0) + (e.plan['Shared Read Blocks'] ?? 0));
  }
  const exec = stat(explained.map((e) => e.executionMs));
  const plan = stat(explained.map((e) => e.planningMs));
  const rows = stat(explained.map((e) => e.plan['Actual Rows']));
  const rr = stat(rowsRead);
  const bb = stat(buffers);
  return {
    statements: explained.length,
    executionMs: { median: r3(exec.median), p95: r3(exec.p95), max: r3(exec.max) },
    planningMs: { median: r3(plan.median), p95: r3(plan.p95) },
    offersAccess: [...access.entries()].sort((a, b) => b[1] - a[1]).map(([a, n]) => ({ access: a, plans: n })),
    offersRowsRead: { median: rr.median, p95: rr.p95 },
    rowsReturned: { median: rows.median, p95: rows.p95 },
    sharedBuffers: { median: bb.median, p95: bb.p95 },
    timeByNode: [...byNode.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([node, ms]) => ({
        node,
        share: Math.round((ms / (totalExclusive || 1)) * 1000) / 1000,
        meanMs: r3(ms / explained.length),
      })),
    offersFilters: [...filters].slice(0, 4),
  };
}
