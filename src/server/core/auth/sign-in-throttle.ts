import net from 'node:net';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { AppConfig } from '../config.ts';
import { sha256 } from './passwords.ts';

/*
 * Anti-automation for sign-in and password recovery (OWASP ASVS 4.0 2.2.1; ARCHITECTURE.md "Sign-in throttling and
 * password recovery"). Every counter is keyed by SHA-256 digests of the normalised e-mail address and of the source
 * address, whether an account exists or not, so an unknown address is throttled exactly like a known one.
 *
 * - pair (account, source): failures in a row; after `maxFailures` a wait of `lockSeconds`, doubling with every
 *   further failure up to `lockMinutes`. Only this address waits: a stranger elsewhere cannot lock the worker out.
 * - account: at most `accountFailuresPerHour` failures in any hour, from all addresses together.
 * - source: at most `sourceFailuresPerHour` failures in any hour from one address, over all accounts.
 * An address that completed a sign-in to the account within `trustedSourceDays` is judged by its pair alone, so a
 * distributed attack that fills the account's ceiling does not stop the worker at their usual address.
 *
 * An attempt is counted before the password is checked (and given back when it was right), so parallel guesses
 * cannot all pass the check before the first one is counted.
 */

type LoginLimits = AppConfig['login'];
type Scope = 'pair' | 'account' | 'source' | 'totp' | 'reset-source' | 'reset-account';

export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** The digests a sign-in attempt is counted under. */
export interface ThrottleKeys {
  account: string;
  source: string;
}

/**
 * Marks the transaction as the sign-in's own: only such a transaction sees the rows of sign_in_throttle and
 * password_reset_tokens (row-level security, migration 010). The setting ends with the transaction.
 */
export async function claimSignIn(trx: Kysely<DB>): Promise<void> {
  await sql`select set_config('app.sign_in', 'on', true)`.execute(trx);
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();
export const accountKey = (email: string) => sha256(`kl-account\n${normalizeEmail(email)}`);
export const sourceKey = (ip: string) => sha256(`kl-source\n${sourcePrefix(ip)}`);
export const keysOf = (email: string, ip: string): ThrottleKeys => ({
  account: accountKey(email),
  source: sourceKey(ip),
});

/**
 * The part of an address that names one source: an IPv4 address as it is (also when mapped into IPv6); an IPv6
 * address by its /64 network, since one subscriber commonly gets a whole /64 and could otherwise rotate through it.
 */
export function sourcePrefix(ip: string): string {
  const address = ip.split('%')[0]!;
  if (!net.isIPv6(address)) return address;
  const groups = ipv6Groups(address);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string) => (s ? s.split(':') : []);
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16));
}

// ---------- counters ----------

interface Key {
  scope: Scope;
  account: string;
  source: string;
}
/** A leaky bucket that lets `perHour` through in any hour: half of it at once, the other half dripping in. */
interface Bucket {
  kind: 'bucket';
  key: Key;
  perHour: number;
}
/** Failures in a row: after `max`, a wait of `firstSeconds` that doubles per further failure up to `longestSeconds`. */
interface Streak {
  kind: 'streak';
  key: Key;
  max: number;
  firstSeconds: number;
  longestSeconds: number;
}
type Counter = Bucket | Streak;

/** A streak is forgotten after a day without attempts (unless it is waiting). */
const STREAK_MEMORY_SECONDS = 24 * 3600;

interface Row {
  scope: Scope;
  account_hash: string;
  source_hash: string;
  failures: number;
  level: number;
  idle_seconds: number;
  locked_seconds: number;
  success_seconds_ago: number | null;
}
interface State {
  counter: Counter;
  row: Row;
  /** seconds until this counter lets an attempt through; 0: now */
  blockedFor: number;
  /** the state after one more attempt */
  next: { failures: number; level: number; lockSeconds: number };
}

const capacity = (b: Bucket) => b.perHour / 2;
const perSecond = (b: Bucket) => b.perHour / 2 / 3600;
const sameKey = (k: Key, r: Pick<Row, 'scope' | 'account_hash' | 'source_hash'>) =>
  k.scope === r.scope && k.account === r.account_hash && k.source === r.source_hash;
const keyOrder = (a: Key, b: Key) =>
  a.scope.localeCompare(b.scope) || a.account.localeCompare(b.account) || a.source.localeCompare(b.source);
const keyTuple = (k: Key) => sql`(${k.scope}, ${k.account}, ${k.source})`;

function stateOf(counter: Counter, row: Row): State {
  if (counter.kind === 'bucket') {
    const level = Math.max(0, row.level - row.idle_seconds * perSecond(counter));
    const excess = level + 1 - capacity(counter);
    return {
      counter,
      row,
      blockedFor: excess > 1e-9 ? Math.ceil(excess / perSecond(counter)) : 0,
      next: { failures: 0, level: level + 1, lockSeconds: 0 },
    };
  }
  const locked = row.locked_seconds > 0;
  const before = !locked && row.idle_seconds > STREAK_MEMORY_SECONDS ? 0 : row.failures;
  const after = before + 1;
  const lockSeconds =
    after >= counter.max ? Math.min(counter.longestSeconds, counter.firstSeconds * 2 ** (after - counter.max)) : 0;
  return {
    counter,
    row,
    blockedFor: locked ? Math.ceil(row.locked_seconds) : 0,
    next: { failures: after, level: 0, lockSeconds },
  };
}

/**
 * Makes sure the counters' rows exist and locks them (in one order, so two attempts never wait on each other
 * crosswise) for the rest of the transaction; returns their state in the order given.
 */
async function load(trx: Kysely<DB>, counters: Counter[]): Promise<State[]> {
  const keys = counters.map((c) => c.key).sort(keyOrder);
  await trx
    .insertInto('sign_in_throttle')
    .values(keys.map((k) => ({ scope: k.scope, account_hash: k.account, source_hash: k.source })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  const rows = (
    await sql<Row>`
      select scope, account_hash, source_hash, failures, level,
        extract(epoch from now() - updated_at)::float8 as idle_seconds,
        coalesce(extract(epoch from locked_until - now()), 0)::float8 as locked_seconds,
        extract(epoch from now() - last_success_at)::float8 as success_seconds_ago
      from sign_in_throttle
      where (scope, account_hash, source_hash) in (${sql.join(keys.map(keyTuple))})
      order by scope, account_hash, source_hash
      for update`.execute(trx)
  ).rows;
  return counters.map((counter) => {
    const row = rows.find((r) => sameKey(counter.key, r));
    if (!row) throw new Error(`sign_in_throttle row missing for ${counter.key.scope}`);
    return stateOf(counter, { ...row, level: Number(row.level), failures: Number(row.failures) });
  });
}

/**
 * Locks the rows a statement is about to change in the one order `load` uses, so that it never waits crosswise
 * with an attempt being counted (a deadlock PostgreSQL would end by failing one of them).
 */
async function lockInOrder(trx: Kysely<DB>, where: RawBuilder<unknown>): Promise<void> {
  await sql`select 1 from sign_in_throttle where ${where} order by scope, account_hash, source_hash for update`.execute(
    trx,
  );
}

/** Counts one attempt on each counter (in the transaction that loaded and locked them). */
async function count(trx: Kysely<DB>, states: State[]): Promise<void> {
  const values = states.map(
    (s) =>
      sql`(${s.counter.key.scope}, ${s.counter.key.account}, ${s.counter.key.source}, ${s.next.failures}::int, ${s.next.level}::float8, ${s.next.lockSeconds}::float8)`,
  );
  await sql`
    update sign_in_throttle t set
      failures = v.failures, level = v.level, updated_at = now(),
      locked_until = case when v.lock_seconds > 0 then now() + make_interval(secs => v.lock_seconds) end
    from (values ${sql.join(values)}) as v(scope, account_hash, source_hash, failures, level, lock_seconds)
    where t.scope = v.scope and t.account_hash = v.account_hash and t.source_hash = v.source_hash`.execute(trx);
}

const refused = (states: State[]): Verdict => ({
  allowed: false,
  retryAfterSeconds: Math.max(1, ...states.map((s) => s.blockedFor)),
});

function passwordCounters(limits: LoginLimits, keys: ThrottleKeys): [Streak, Bucket, Bucket] {
  return [
    {
      kind: 'streak',
      key: { scope: 'pair', account: keys.account, source: keys.source },
      max: limits.maxFailures,
      firstSeconds: limits.lockSeconds,
      longestSeconds: limits.lockMinutes * 60,
    },
    {
      kind: 'bucket',
      key: { scope: 'account', account: keys.account, source: '' },
      perHour: limits.accountFailuresPerHour,
    },
    {
      kind: 'bucket',
      key: { scope: 'source', account: '', source: keys.source },
      perHour: limits.sourceFailuresPerHour,
    },
  ];
}

let lastSweep = 0;
const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * Forgets what no longer matters, at most every ten minutes per process: counters untouched for a day (unless
 * they wait or remember a recent sign-in) and reset tokens that expired a day ago.
 */
async function sweep(trx: Kysely<DB>, limits: LoginLimits): Promise<void> {
  if (Date.now() - lastSweep < SWEEP_EVERY_MS) return;
  lastSweep = Date.now();
  await sql`
    delete from sign_in_throttle
    where updated_at < now() - interval '1 day'
      and (locked_until is null or locked_until < now())
      and (last_success_at is null or last_success_at < now() - make_interval(days => ${limits.trustedSourceDays}))`.execute(
    trx,
  );
  await sql`delete from password_reset_tokens where expires_at < now() - interval '1 day'`.execute(trx);
}

/**
 * Counts a password attempt before the password is checked, or refuses it: the pair waits, or (for an address
 * that has not signed in to this account lately) the account's or the address's ceiling is reached.
 */
export async function reservePasswordAttempt(db: Kysely<DB>, limits: LoginLimits, keys: ThrottleKeys) {
  return db.transaction().execute(async (trx): Promise<Verdict> => {
    await claimSignIn(trx);
    await sweep(trx, limits);
    const states = await load(trx, passwordCounters(limits, keys));
    const [pair] = states;
    const successAgo = pair!.row.success_seconds_ago;
    const trusted = successAgo !== null && successAgo < limits.trustedSourceDays * 86400;
    const blocking = (trusted ? [pair!] : states).filter((s) => s.blockedFor > 0);
    if (blocking.length) return refused(blocking);
    await count(trx, states);
    return { allowed: true };
  });
}

/**
 * The password was right: the pair's streak ends and the two ceilings get the attempt back. In the caller's
 * transaction (claimed here).
 */
export async function passwordAttemptSucceeded(trx: Kysely<DB>, limits: LoginLimits, keys: ThrottleKeys) {
  await claimSignIn(trx);
  const [pair, account, source] = passwordCounters(limits, keys);
  await lockInOrder(
    trx,
    sql`(scope, account_hash, source_hash) in (${sql.join([pair, account, source].map((c) => keyTuple(c.key)))})`,
  );
  await sql`
    update sign_in_throttle set
      failures = 0, locked_until = null,
      level = greatest(0, level - extract(epoch from now() - updated_at) * (case scope when 'account' then ${perSecond(account)}::float8 else ${perSecond(source)}::float8 end) - 1),
      updated_at = now()
    where (scope, account_hash, source_hash) in (${sql.join([pair, account, source].map((c) => keyTuple(c.key)))})`.execute(
    trx,
  );
}

/** A complete sign-in (after the second factor, when there is one): this address is trusted for the account. */
export async function signInCompleted(trx: Kysely<DB>, keys: ThrottleKeys) {
  await claimSignIn(trx);
  await trx
    .insertInto('sign_in_throttle')
    .values({ scope: 'pair', account_hash: keys.account, source_hash: keys.source, last_success_at: sql`now()` })
    .onConflict((oc) =>
      oc
        .columns(['scope', 'account_hash', 'source_hash'])
        .doUpdateSet({ last_success_at: sql`now()`, failures: 0, locked_until: null, updated_at: sql`now()` }),
    )
    .execute();
}

function totpCounter(limits: LoginLimits, account: string): Streak {
  return {
    kind: 'streak',
    key: { scope: 'totp', account, source: '' },
    max: limits.totpMaxFailures,
    firstSeconds: limits.lockSeconds,
    longestSeconds: limits.lockMinutes * 60,
  };
}

/**
 * Counts a second-factor attempt before the code is checked, or refuses it while the account waits. The streak is
 * the account's, from every address: whoever reaches this step knows the password.
 */
export async function reserveTotpAttempt(db: Kysely<DB>, limits: LoginLimits, account: string) {
  return db.transaction().execute(async (trx): Promise<Verdict> => {
    await claimSignIn(trx);
    const states = await load(trx, [totpCounter(limits, account)]);
    const blocking = states.filter((s) => s.blockedFor > 0);
    if (blocking.length) return refused(blocking);
    await count(trx, states);
    return { allowed: true };
  });
}

/** The code was right: the second factor's streak ends. In the caller's transaction. */
export async function totpAttemptSucceeded(trx: Kysely<DB>, account: string) {
  await claimSignIn(trx);
  await trx
    .updateTable('sign_in_throttle')
    .set({ failures: 0, locked_until: null, updated_at: sql`now()` })
    .where('scope', '=', 'totp')
    .where('account_hash', '=', account)
    .where('source_hash', '=', '')
    .execute();
}

/**
 * Counts one password-reset call from an address (request or submit), or refuses it. Its own transaction.
 */
export async function reserveResetCall(db: Kysely<DB>, perHour: number, source: string) {
  return db.transaction().execute(async (trx) => {
    await claimSignIn(trx);
    return reserveBucket(trx, { scope: 'reset-source', account: '', source }, perHour);
  });
}

/** Counts one reset e-mail to an account, or refuses it. In the caller's transaction. */
export async function reserveResetMail(trx: Kysely<DB>, perHour: number, account: string) {
  await claimSignIn(trx);
  return reserveBucket(trx, { scope: 'reset-account', account, source: '' }, perHour);
}

async function reserveBucket(trx: Kysely<DB>, key: Key, perHour: number): Promise<Verdict> {
  const states = await load(trx, [{ kind: 'bucket', key, perHour }]);
  const blocking = states.filter((s) => s.blockedFor > 0);
  if (blocking.length) return refused(blocking);
  await count(trx, states);
  return { allowed: true };
}

/**
 * Lifts every wait on an account and forgets its trusted addresses (a new password); with `secondFactor` the
 * second factor's streak too (an administrator's reset, not the e-mailed link). In the caller's transaction.
 */
export async function clearAccount(trx: Kysely<DB>, account: string, opts: { secondFactor: boolean }) {
  await claimSignIn(trx);
  await lockInOrder(trx, sql`account_hash = ${account}`);
  await trx
    .deleteFrom('sign_in_throttle')
    .where('account_hash', '=', account)
    .where('scope', 'in', opts.secondFactor ? ['pair', 'account', 'totp'] : ['pair', 'account'])
    .execute();
}
