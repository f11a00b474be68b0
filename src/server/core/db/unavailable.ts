/**
 * Errors that say "the database is not there right now", not "this request is wrong": the connection was
 * lost or refused, the server is shutting down or starting, or it did not answer in time. A request that
 * meets one answers 503 with Retry-After; its transaction did not commit, so nothing it did is kept.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a fast shutdown or restart
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, in recovery
  '57P05', // idle_session_timeout
  '57014', // query_canceled: the statement timeout
  '25P03', // idle_in_transaction_session_timeout
  '53300', // too_many_connections
  '40001', // serialization_failure: worth a retry by the client
  '40P01', // deadlock_detected: one side was chosen to fail, a retry succeeds
]);

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'PGlite is closed',
  'driver has already been destroyed',
  // a migration changed a table under a prepared `select *` (core/db/prepared.ts): the connection prepares afresh
  'cached plan must not change result type',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || UNAVAILABLE_NODE_CODES.has(code)) return true;
  }
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((known) => message.includes(known));
}

/** Seconds a client should wait before trying again: long enough for a restart or failover to finish. */
export const RETRY_AFTER_SECONDS = 5;
