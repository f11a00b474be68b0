import { createHash } from 'node:crypto';

/**
 * Named prepared statements for the application pool (issue 14). PostgreSQL parses, analyses and plans an unnamed
 * statement anew each time; a statement prepared under a name on a connection is parsed once there and, after five
 * runs, may keep a generic plan. For the client read that is most of PostgreSQL's CPU (planning 0.5 ms, execution
 * 0.07 ms). Row-level security stays exact: the plan cache re-plans when the role differs, and the policies'
 * kl_current_org() is evaluated at execution time, never folded into a cached plan.
 */

/** Names one connection keeps at most; past it, new statements run unnamed until the names are reset. */
export const MAX_PREPARED_PER_CONNECTION = 200;

/** SQL texts whose name was already computed (one hash per distinct text, not per run). */
const NAME_CACHE_MAX = 5_000;
const names = new Map<string, string>();

/** One name per distinct SQL text: equal texts share a plan, a changed text never meets an old plan. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= NAME_CACHE_MAX) names.clear();
    name = `kl_${createHash('sha1').update(text).digest('base64url').slice(0, 22)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * SQLSTATEs after which a connection's names no longer match what the server holds: a table changed under a cached
 * plan that returns its rows (`select *` after a migration added a column: 0A000 "cached plan must not change result
 * type"), or the server lost or already has a name (26000, 42P05, e.g. after a DISCARD ALL elsewhere).
 */
const STALE_STATEMENT_CODES = new Set(['0A000', '26000', '42P05']);

export function isStaleStatementError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STALE_STATEMENT_CODES.has(code);
}

/**
 * The statements one connection has prepared. Bounded: when the bound is reached (or a statement went stale), the
 * connection runs new statements unnamed until it is idle outside a transaction, and then `DEALLOCATE ALL` starts
 * afresh (`needsReset`/`resetDone`), so a long-lived connection never collects an unbounded number of plans.
 */
export class PreparedStatements {
  private readonly prepared = new Set<string>();
  private resetPending = false;

  constructor(private readonly max = MAX_PREPARED_PER_CONNECTION) {}

  /** The name to run `text` under, or undefined to run it unnamed. Only statements with parameters are named. */
  nameFor(text: string, parameterCount: number): string | undefined {
    return parameterCount === 0 ? undefined : this.claim(text);
  }

  /** The name of a statement written ahead of a query (core/db/leading-statements.ts): named with or without parameters. */
  nameForLeading(text: string): string | undefined {
    return this.claim(text);
  }

  private claim(text: string): string | undefined {
    if (this.resetPending) return undefined;
    const name = statementName(text);
    if (this.prepared.has(name)) return name;
    if (this.prepared.size >= this.max) {
      this.resetPending = true;
      return undefined;
    }
    this.prepared.add(name);
    return name;
  }

  /** A named statement failed in a way that says the server's statements differ from ours. */
  markStale() {
    this.resetPending = true;
  }

  get needsReset(): boolean {
    return this.resetPending;
  }

  /** `DEALLOCATE ALL` ran: the server holds no names, nor do we. */
  resetDone() {
    this.prepared.clear();
    this.resetPending = false;
  }
}
