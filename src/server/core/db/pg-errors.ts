/**
 * Database errors a client can cause, as the problem they are: a value the database refuses is bad input
 * (400), a clash with what is stored is a conflict (409). Used by the error handler after the checks for a
 * lost connection (unavailable.ts); what is left stays a masked 500. The SQLSTATE decides, never the message:
 * messages are localised by the server and quote values (personal data), so they are neither shown nor logged.
 */
export type ClientCausedProblem = 'validation' | 'conflict';

/** Integrity constraint violations (class 23), by SQLSTATE. */
const INTEGRITY: Record<string, ClientCausedProblem> = {
  '23000': 'conflict', // integrity_constraint_violation
  '23001': 'conflict', // restrict_violation: still referenced
  '23502': 'validation', // not_null_violation: a required value missing
  '23503': 'conflict', // foreign_key_violation: refers to a row that is gone, or is still referred to
  '23505': 'conflict', // unique_violation: exists already (two requests at once, past the service's check)
  '23514': 'validation', // check_violation: a value outside the column's rule
  '23P01': 'conflict', // exclusion_violation: overlaps a stored row
};

/**
 * Class 22 (data exception) is a value the database cannot take: too long (22001), out of range (22003, 22008),
 * not a valid number, date or uuid (22P02, 22007), a byte or escape it cannot store (22021, 22P05), a LIMIT or
 * OFFSET out of bounds (2201W, 2201X), a bad LIKE escape or regular expression (22025, 2201B). 54000
 * (program_limit_exceeded) is a value too large for an index entry or a text search document.
 */
const VALUE_REFUSED = new Set(['54000']);

function sqlstateOf(error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  // pg and PGlite raise the server's ErrorResponse with its severity; a Node.js error has none
  if (typeof code !== 'string' || typeof severity !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  return code;
}

/** The problem a database error means for the client, or null when it is the server's fault (a masked 500). */
export function clientCausedProblem(error: unknown): { problem: ClientCausedProblem; sqlstate: string } | null {
  const sqlstate = sqlstateOf(error);
  if (!sqlstate) return null;
  const integrity = INTEGRITY[sqlstate];
  if (integrity) return { problem: integrity, sqlstate };
  if (sqlstate.startsWith('22') || VALUE_REFUSED.has(sqlstate)) return { problem: 'validation', sqlstate };
  return null;
}

/**
 * The session check at the start of a request's transaction (core/db/tenant.ts, migration 035) found the session
 * gone or changed: SQLSTATE 28000. The request answers 401, as if it had come without a session.
 */
export function isSessionEnded(error: unknown): boolean {
  return sqlstateOf(error) === '28000';
}
