import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { createWorld, login, makeNetwork, makeOrganization, makeUser, PASSWORD, type World } from '../support/world.ts';
import { loadConfig } from '../../src/server/core/config.ts';
import { accountKey, sourceKey } from '../../src/server/core/auth/sign-in-throttle.ts';
import { currentTotp } from '../../src/server/core/auth/totp.ts';

// Small limits so that every rule is reached in a few requests: 3 failures in a row per (account, address), then
// 60 s doubling up to 15 min; an account takes 20 failures an hour (10 at once), an address 16 (8 at once).
const LIMITS = {
  ...loadConfig({}).login,
  maxFailures: 3,
  lockSeconds: 60,
  lockMinutes: 15,
  accountFailuresPerHour: 20,
  sourceFailuresPerHour: 16,
  totpMaxFailures: 3,
};

// every password verification the server makes, recorded while the real Argon2 check runs
const verifications: { hash: string; ok: boolean }[] = [];
vi.mock('../../src/server/core/auth/passwords.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/server/core/auth/passwords.ts')>();
  return {
    ...real,
    verifyPassword: async (hash: string, password: string) => {
      const ok = await real.verifyPassword(hash, password);
      verifications.push({ hash, ok });
      return ok;
    },
  };
});

let world: World;
let networkId: string;
let organizationId: string;

beforeAll(async () => {
  world = await createWorld({ login: LIMITS });
  networkId = (await makeNetwork(world)).id;
  organizationId = (await makeOrganization(world, networkId)).id;
});
afterAll(() => world?.close());

const newWorker = () => makeUser(world, { role: 'caregiver', networkId, organizationId });
let addresses = 0;
/** A source address no other test uses (documentation ranges, RFC 5737). */
const freshAddress = () => `198.51.100.${++addresses}`;
let unknowns = 0;
const unknownEmail = () => `niemand-${process.pid}-${++unknowns}@test.example`;

const signIn = (ip: string, email: string, password: string) =>
  world.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { email, password } });

/** What a caller can observe of an answer, but for the request id. */
function observed(res: LightMyRequestResponse) {
  const { requestId, ...body } = res.json<Record<string, unknown>>();
  expect(requestId).toEqual(expect.any(String));
  return {
    status: res.statusCode,
    body,
    retryAfter: res.headers['retry-after'] === undefined ? null : Number(res.headers['retry-after']),
    cookie: res.headers['set-cookie'] !== undefined,
  };
}

describe('no enumeration', () => {
  it('an unknown address and a known one get the same answers, 401 then 429, under repeated failures', async () => {
    const worker = await newWorker();
    const known: ReturnType<typeof observed>[] = [];
    const unknown: ReturnType<typeof observed>[] = [];
    const ip = freshAddress();
    const email = unknownEmail();
    for (let i = 0; i < 6; i++) {
      known.push(observed(await signIn(ip, worker.email, 'wrong password')));
      unknown.push(observed(await signIn(ip, email, 'wrong password')));
    }
    expect(known.map((k) => k.status)).toEqual([401, 401, 401, 429, 429, 429]);
    // Retry-After counts down in whole seconds, and the unknown address's lock starts one password check later: the
    // two answers may lie a second or two apart on a loaded machine (the lock itself is 60 s)
    const withoutWait = (o: ReturnType<typeof observed>) => ({
      ...o,
      retryAfter: o.retryAfter === null ? null : 'set',
    });
    expect(unknown.map(withoutWait)).toEqual(known.map(withoutWait));
    unknown.forEach((u, i) => {
      if (u.retryAfter !== null) expect(Math.abs(u.retryAfter - known[i]!.retryAfter!)).toBeLessThanOrEqual(2);
    });
    expect(known[3]!.body).toMatchObject({ code: 'locked', status: 429, instance: '/api/auth/login' });
    expect(known[3]!.retryAfter).toBeGreaterThan(55);
    expect(known[3]!.retryAfter).toBeLessThanOrEqual(60);
    // an inactive account with its right password answers like a wrong password, and counts like one
    const inactive = await newWorker();
    await world.owner.updateTable('users').set({ active: false }).where('id', '=', inactive.id).execute();
    const other = freshAddress();
    const stranger = unknownEmail();
    for (let i = 0; i < 4; i++)
      expect(observed(await signIn(other, inactive.email, PASSWORD))).toEqual(
        observed(await signIn(other, stranger, PASSWORD)),
      );
  });

  it('checks a password hash of the same cost for an unknown address as for a known one (so both take as long)', async () => {
    // the time of a failed sign-in is the Argon2 verification: an unknown address must pay for one of the same
    // parameters, or it answers in a fraction of the time and tells a stranger which addresses have accounts.
    // Asserted on what is verified rather than on a stopwatch, which a busy CI machine made flaky.
    const worker = await newWorker();
    const storedHash = (
      await world.owner
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', worker.id)
        .executeTakeFirstOrThrow()
    ).password_hash;
    const costOf = (h: string) => h.split('$').slice(1, 4).join('$'); // argon2id$v=19$m=…,t=…,p=…
    const verifiedFor = async (email: string) => {
      verifications.length = 0;
      const res = await signIn(freshAddress(), email, 'wrong password');
      expect(res.statusCode).toBe(401);
      return [...verifications];
    };
    const known = await verifiedFor(worker.email);
    expect(known).toEqual([{ hash: storedHash, ok: false }]);
    const unknown = await verifiedFor(unknownEmail());
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.ok).toBe(false);
    expect(unknown[0]!.hash).not.toBe(storedHash);
    expect(costOf(unknown[0]!.hash)).toBe(costOf(storedHash));
    expect(costOf(storedHash)).toMatch(/^argon2id\$v=19\$m=\d+,t=\d+,p=\d+$/);
    // an inactive account verifies its own hash too, and answers the same
    const inactive = await newWorker();
    await world.owner.updateTable('users').set({ active: false }).where('id', '=', inactive.id).execute();
    const inactiveChecks = await verifiedFor(inactive.email);
    expect(inactiveChecks).toHaveLength(1);
    expect(costOf(inactiveChecks[0]!.hash)).toBe(costOf(storedHash));
  });
});

describe('a stranger cannot lock a worker out', () => {
  it("a stranger's failures from another address do not stop the worker signing in with the right password", async () => {
    const worker = await newWorker();
    const strangerAt = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await signIn(strangerAt, worker.email, `guess ${i}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    // the stranger's address waits, even with the right password
    expect((await signIn(strangerAt, worker.email, PASSWORD)).statusCode).toBe(429);
    // the worker at their own address: a typo, then the right password
    const workerAt = freshAddress();
    expect((await signIn(workerAt, worker.email, 'typo')).statusCode).toBe(401);
    const ok = await signIn(workerAt, worker.email, PASSWORD);
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('a distributed attack fills the account ceiling: new addresses wait, the address the worker signed in from does not', async () => {
    const worker = await newWorker();
    const home = freshAddress();
    expect((await signIn(home, worker.email, PASSWORD)).statusCode).toBe(200);
    const target = unknownEmail();
    // ten addresses, one failure each: the account's bucket (10 at once) is full
    for (let i = 0; i < 10; i++) {
      const at = freshAddress();
      expect((await signIn(at, worker.email, 'guess')).statusCode).toBe(401);
      expect((await signIn(at, target, 'guess')).statusCode).toBe(401);
    }
    const newcomer = freshAddress();
    const refused = observed(await signIn(newcomer, worker.email, PASSWORD));
    expect(refused.status).toBe(429);
    // the same for an address without an account
    expect({ ...observed(await signIn(newcomer, target, PASSWORD)), retryAfter: 'set' }).toEqual({
      ...refused,
      retryAfter: 'set',
    });
    // the worker at home is judged by their own address alone
    expect((await signIn(home, worker.email, PASSWORD)).statusCode).toBe(200);
  });

  it('an account takes at most accountFailuresPerHour failures in any hour (a leaky bucket)', async () => {
    const email = unknownEmail();
    for (let i = 0; i < 10; i++) expect((await signIn(freshAddress(), email, 'guess')).statusCode).toBe(401);
    expect((await signIn(freshAddress(), email, 'guess')).statusCode).toBe(429);
    // 36 minutes later 6 of the 10 have leaked out (10 an hour): 6 more, not 7
    await world.owner
      .updateTable('sign_in_throttle')
      .set({ updated_at: sql`now() - interval '36 minutes'` })
      .where('scope', '=', 'account')
      .where('account_hash', '=', accountKey(email))
      .execute();
    for (let i = 0; i < 6; i++) expect((await signIn(freshAddress(), email, 'guess')).statusCode).toBe(401);
    const full = await signIn(freshAddress(), email, 'guess');
    expect(full.statusCode).toBe(429);
    // one more leaks out in 6 minutes
    expect(Number(full.headers['retry-after'])).toBeGreaterThan(300);
    expect(Number(full.headers['retry-after'])).toBeLessThanOrEqual(360);
  });
});

describe('guessing stays slow', () => {
  it('from one address the wait doubles with every further failure, up to the longest wait', async () => {
    const worker = await newWorker();
    const at = freshAddress();
    // signed in from here before, so only this pair's streak counts (not the ceilings of the account and address)
    expect((await signIn(at, worker.email, PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await signIn(at, worker.email, 'guess')).statusCode).toBe(401);
    const waits: number[] = [];
    const endWait = () =>
      world.owner
        .updateTable('sign_in_throttle')
        .set({ locked_until: sql`now() - interval '1 second'` })
        .where('scope', '=', 'pair')
        .where('account_hash', '=', accountKey(worker.email))
        .where('source_hash', '=', sourceKey(at))
        .execute();
    for (let i = 0; i < 6; i++) {
      const refused = await signIn(at, worker.email, 'guess');
      expect(refused.statusCode).toBe(429);
      waits.push(Math.round(Number(refused.headers['retry-after']) / 60));
      await endWait();
      expect((await signIn(at, worker.email, 'guess')).statusCode).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8, 15, 15]);
    // the right password ends the streak: the next failure starts over
    await endWait();
    expect((await signIn(at, worker.email, PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await signIn(at, worker.email, 'guess')).statusCode).toBe(401);
    expect((await signIn(at, worker.email, 'guess')).statusCode).toBe(429);
  });

  it('one address spraying many accounts is stopped across accounts; another address is not', async () => {
    const sprayer = freshAddress();
    const colleague = await newWorker();
    // a worker who signed in from this address before keeps signing in from it
    expect((await signIn(sprayer, colleague.email, PASSWORD)).statusCode).toBe(200);
    // eight accounts, one failure each: the address's bucket (8 at once) is full
    for (let i = 0; i < 8; i++) expect((await signIn(sprayer, unknownEmail(), 'Welkom2026!')).statusCode).toBe(401);
    expect((await signIn(sprayer, unknownEmail(), 'Welkom2026!')).statusCode).toBe(429);
    const newcomer = await newWorker();
    expect((await signIn(sprayer, newcomer.email, PASSWORD)).statusCode).toBe(429);
    expect((await signIn(sprayer, colleague.email, PASSWORD)).statusCode).toBe(200);
    expect((await signIn(freshAddress(), newcomer.email, PASSWORD)).statusCode).toBe(200);
  });

  it('guesses sent at once are counted before the password is checked: no more than the streak gets through', async () => {
    const worker = await newWorker();
    const at = freshAddress();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => signIn(at, worker.email, `parallel guess ${i}`)),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it('an IPv6 source is its /64: rotating through it does not reset the count', async () => {
    const worker = await newWorker();
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) statuses.push((await signIn(`2001:db8:7:9::${i}`, worker.email, 'guess')).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect((await signIn('2001:db8:7:a::1', worker.email, PASSWORD)).statusCode).toBe(200);
  });

  it('the second factor keeps its own count per account, from every address; the right code ends it', async () => {
    const worker = await newWorker();
    const caller = await login(world, worker.email);
    const setup = await caller.post('/api/auth/totp/setup');
    expect((await caller.post('/api/auth/totp/enable', { code: currentTotp(setup.body.secret) })).statusCode).toBe(204);
    const secret = setup.body.secret as string;
    const valid = new Set([-60_000, -30_000, 0, 30_000, 60_000].map((d) => currentTotp(secret, Date.now() + d)));
    const wrong = ['000000', '111111', '222222', '333333'].find((c) => !valid.has(c))!;
    /** The password step from an address; returns the pending session's cookie and CSRF token. */
    const pending = async (ip: string) => {
      const res = await signIn(ip, worker.email, PASSWORD);
      expect(res.statusCode).toBe(200);
      return { cookie: res.cookies.find((c) => c.name === 'kl_session')!.value, csrf: res.json().csrfToken as string };
    };
    const code = (ip: string, s: { cookie: string; csrf: string }, value: string) =>
      world.app.inject({
        method: 'POST',
        url: '/api/auth/login/totp',
        remoteAddress: ip,
        headers: { cookie: `kl_session=${s.cookie}`, 'x-csrf-token': s.csrf },
        payload: { code: value },
      });
    const [a, b] = [freshAddress(), freshAddress()];
    const fromA = await pending(a);
    expect((await code(a, fromA, wrong)).statusCode).toBe(401);
    expect((await code(a, fromA, wrong)).statusCode).toBe(401);
    const fromB = await pending(b);
    expect((await code(b, fromB, wrong)).statusCode).toBe(401);
    const held = await code(b, fromB, currentTotp(secret, Date.now() + 30_000));
    expect(held.statusCode).toBe(429);
    expect(held.json().code).toBe('locked');
    // wrong codes are not password failures: the password step still opens from a new address
    await world.owner
      .updateTable('sign_in_throttle')
      .set({ locked_until: sql`now() - interval '1 second'` })
      .where('scope', '=', 'totp')
      .where('account_hash', '=', accountKey(worker.email))
      .execute();
    const fromC = await pending(freshAddress());
    expect((await code(b, fromC, currentTotp(secret, Date.now() + 30_000))).statusCode).toBe(200);
  });
});

describe('what is stored', () => {
  it('counters hold digests only: no e-mail address and no source address in clear', async () => {
    const worker = await newWorker();
    const at = freshAddress();
    await signIn(at, worker.email, 'guess');
    const rows = await world.owner.selectFrom('sign_in_throttle').selectAll().execute();
    const text = JSON.stringify(rows);
    expect(text).not.toContain(worker.email);
    expect(text).not.toContain(at);
    expect(rows.find((r) => r.scope === 'pair' && r.account_hash === accountKey(worker.email))).toMatchObject({
      source_hash: sourceKey(at),
      failures: 1,
    });
  });

  it('the counters survive a restart: a second app on the same database sees the wait', async () => {
    const worker = await newWorker();
    const at = freshAddress();
    for (let i = 0; i < 3; i++) expect((await signIn(at, worker.email, 'guess')).statusCode).toBe(401);
    const { buildApp } = await import('../../src/server/app.ts');
    const second = await buildApp({ db: world.db, config: world.config, logger: false });
    try {
      const res = await second.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: at,
        payload: { email: worker.email, password: PASSWORD },
      });
      expect(res.statusCode).toBe(429);
    } finally {
      await second.close();
    }
  });
});
