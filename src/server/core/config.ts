import path from 'node:path';

export interface AppConfig {
  port: number;
  host: string;
  /** Real PostgreSQL server; when absent the embedded PGlite is used. */
  databaseUrl: string | undefined;
  /** A PostgreSQL (usually a streaming read replica) that reports read from; without it, the main database. */
  reportingDatabaseUrl: string | undefined;
  dataDir: string;
  /** Where `npm run backup` writes by default (and a restore with --force its safety copy). */
  backupDir: string;
  /** Folder of the built single-page app; served when it exists. */
  webDistDir: string;
  trustProxy: boolean;
  /** Set the Secure flag on the session cookie (behind TLS). */
  secureCookies: boolean;
  logLevel: string;
  bodyLimitBytes: number;
  session: { idleMinutes: number; absoluteHours: number };
  /** Sign-in throttling (core/auth/sign-in-throttle.ts; ARCHITECTURE.md "Sign-in throttling and password recovery"). */
  login: {
    /** Failures in a row of one source address on one account before it waits (the first wait). */
    maxFailures: number;
    /** The first wait; every further failure doubles it. */
    lockSeconds: number;
    /** The longest wait. */
    lockMinutes: number;
    /** Failures on one account in any hour, from every address together (OWASP ASVS 4.0 2.2.1: at most 100). */
    accountFailuresPerHour: number;
    /** Failures from one address in any hour, over every account (a password sprayer). */
    sourceFailuresPerHour: number;
    /** Wrong second-factor codes in a row on one account before it waits (doubling as above). */
    totpMaxFailures: number;
    /** An address that completed a sign-in to an account is not stopped by the two ceilings for this long. */
    trustedSourceDays: number;
  };
  /** "Wachtwoord vergeten": the e-mailed link and its limits. */
  passwordReset: {
    /** How long a link works. */
    tokenMinutes: number;
    /** Reset calls (request and submit) from one address in any hour. */
    sourcePerHour: number;
    /** Reset e-mails to one account in any hour. */
    accountPerHour: number;
  };
  /** SMTP server for notification e-mails (smtp://host:port); none: in-app notifications only. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** The address people open the app at, for links in e-mails. */
  publicUrl: string;
  /** Bounds on the database so that no request waits forever (see core/db/database.ts DatabaseTimeouts). */
  database: { connectTimeoutMs: number; statementTimeoutMs: number; queryTimeoutMs: number; poolSize: number };
  /** How long SIGTERM waits for requests in flight before it closes them. */
  shutdownGraceMs: number;
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`Config: ${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function atLeastFromEnv(name: string, fallback: number, least: number): number {
  const value = intFromEnv(name, fallback);
  if (value < least) throw new Error(`Config: ${name} must be at least ${least}, got ${value}`);
  return value;
}
const positiveIntFromEnv = (name: string, fallback: number) => atLeastFromEnv(name, fallback, 1);
/** A "per hour" limit: its leaky bucket holds half of it at once, so it needs room for at least two. */
const perHourFromEnv = (name: string, fallback: number) => atLeastFromEnv(name, fallback, 2);

/** Reads and checks the environment once at start; a bad value stops the process with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const root = process.cwd();
  const databaseUrl = env.DATABASE_URL || undefined;
  const reportingDatabaseUrl = env.REPORTING_DATABASE_URL || undefined;
  if (reportingDatabaseUrl && !/^postgres(ql)?:\/\//.test(reportingDatabaseUrl)) {
    throw new Error('Config: REPORTING_DATABASE_URL must start with postgres:// or postgresql://');
  }
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('Config: DATABASE_URL must start with postgres:// or postgresql://');
  }
  return {
    port: intFromEnv('PORT', 3000),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    reportingDatabaseUrl,
    dataDir: path.resolve(root, env.DATA_DIR || 'data'),
    backupDir: path.resolve(root, env.BACKUP_DIR || 'backups'),
    webDistDir: path.resolve(root, 'dist/web'),
    trustProxy: env.TRUST_PROXY === 'true',
    secureCookies: env.SECURE_COOKIES ? env.SECURE_COOKIES === 'true' : env.NODE_ENV === 'production',
    logLevel: env.LOG_LEVEL || 'info',
    bodyLimitBytes: intFromEnv('BODY_LIMIT_BYTES', 256 * 1024),
    session: {
      idleMinutes: intFromEnv('SESSION_IDLE_MINUTES', 30),
      absoluteHours: intFromEnv('SESSION_ABSOLUTE_HOURS', 12),
    },
    login: {
      maxFailures: positiveIntFromEnv('LOGIN_MAX_FAILURES', 5),
      lockSeconds: positiveIntFromEnv('LOGIN_LOCK_SECONDS', 60),
      lockMinutes: positiveIntFromEnv('LOGIN_LOCK_MINUTES', 15),
      accountFailuresPerHour: perHourFromEnv('LOGIN_ACCOUNT_FAILURES_PER_HOUR', 100),
      sourceFailuresPerHour: perHourFromEnv('LOGIN_SOURCE_FAILURES_PER_HOUR', 60),
      totpMaxFailures: positiveIntFromEnv('LOGIN_TOTP_MAX_FAILURES', 5),
      trustedSourceDays: intFromEnv('LOGIN_TRUSTED_SOURCE_DAYS', 30),
    },
    passwordReset: {
      tokenMinutes: positiveIntFromEnv('PASSWORD_RESET_MINUTES', 30),
      sourcePerHour: perHourFromEnv('PASSWORD_RESET_SOURCE_PER_HOUR', 20),
      accountPerHour: perHourFromEnv('PASSWORD_RESET_ACCOUNT_PER_HOUR', 6),
    },
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Korte Lijn <noreply@kortelijn.local>',
    database: {
      connectTimeoutMs: intFromEnv('DB_CONNECT_TIMEOUT_MS', 5_000),
      statementTimeoutMs: intFromEnv('DB_STATEMENT_TIMEOUT_MS', 20_000),
      // a little longer than the statement bound: the server cancels first; this catches a connection that hangs
      queryTimeoutMs: intFromEnv('DB_QUERY_TIMEOUT_MS', intFromEnv('DB_STATEMENT_TIMEOUT_MS', 20_000) + 5_000),
      poolSize: intFromEnv('DB_POOL_SIZE', 20),
    },
    shutdownGraceMs: intFromEnv('SHUTDOWN_GRACE_MS', 10_000),
    publicUrl: (env.PUBLIC_URL || `http://localhost:${intFromEnv('PORT', 3000)}`).replace(/\/$/, ''),
  };
}
