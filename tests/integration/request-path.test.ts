// The lean request path (issue "Request path"): a request's actor may come from the session cache, but its
// transaction checks the session again in its first round trip, so a revocation anywhere ends access at once;
// a read's audit rows are group-committed and commit before its answer leaves, also when the process is killed.
import crypto from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDatabase } from '../../src/server/core/db/database.ts';
import { migrate } from '../../src/server/core/db/migrate.ts';
import { ensureReferenceData } from '../../src/server/reference-data.ts';
import { sha256 } from '../../src/server/core/auth/passwords.ts';
import { DEFERRED_COMMIT, GENERIC_PLAN, isPipelined } from '../../src/server/core/db/database.ts';
import { inTenant, PLAIN_READ_CONTEXT, SESSION_READ_CONTEXT, type Tx } from '../../src/server/core/db/tenant.ts';
import { statementName } from '../../src/server/core/db/prepared.ts';
import type { Actor } from '../../src/server/core/auth/actor.ts';
import { HttpSession, sleep, startServer, type ServerProcess } from '../support/processes.ts';
import {
  Caller,
  createWorld,
  login,
  makeNetwork,
  makeOrganization,
  makeTenants,
  makeUser,
  PASSWORD,
  serverUrl,
  userActor,
  type World,
} from '../support/world.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
});
afterAll(async () => world?.close());

async function newClient(caller: Caller) {
  const res = await caller.post('/api/clients', {
    givenName: 'Lien',
    familyName: `Verbeke-${crypto.randomBytes(3).toString('hex')}`,
    birthDate: '1990-04-01',
  });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}

const sessionHashOf = (caller: Caller) => sha256(caller.cookie!);

describe('the session is checked again in the transaction of every data request', () => {
  it('a session deleted behind the server’s back (another process, an administrator) answers 401 at once, though the actor is cached', async () => {
    const caller = await login(world, t.users.intakeA.email);
    const id = await newClient(caller);
    // warm the cache: this read took its actor from a fresh lookup
    expect((await caller.get(`/api/clients/${id}`)).statusCode).toBe(200);
    await world.owner.deleteFrom('sessions').where('token_hash', '=', sessionHashOf(caller)).execute();
    const res = await caller.get(`/api/clients/${id}`);
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.raw).not.toContain('Verbeke');
  });

  it('a change whose session was deleted behind the server’s back answers 401 and writes nothing, though its insert was sent right behind the session check', async () => {
    const caller = await login(world, t.users.intakeA.email);
    await newClient(caller); // the actor is cached now
    await world.owner.deleteFrom('sessions').where('token_hash', '=', sessionHashOf(caller)).execute();
    const familyName = `Revoked-${crypto.randomBytes(3).toString('hex')}`;
    const res = await caller.post('/api/clients', { givenName: 'Lien', familyName, birthDate: '1990-04-01' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const written = await world.owner
      .selectFrom('clients')
      .select('id')
      .where('family_name', '=', familyName)
      .execute();
    expect(written).toEqual([]);
  });

  it('a session whose role or organisation changed behind the server’s back is refused, never served with the old role', async () => {
    const caller = await login(world, t.users.teamLeadA.email);
    const id = await newClient(await login(world, t.users.intakeA.email));
    expect((await caller.get(`/api/clients/${id}`)).statusCode).toBe(200);
    await world.owner
      .updateTable('sessions')
      .set({ role: 'analyst' })
      .where('token_hash', '=', sessionHashOf(caller))
      .execute();
    expect((await caller.get(`/api/clients/${id}`)).statusCode).toBe(401);
    // the next request looks the session up afresh and is what the session now says: an analyst reads no file
    expect((await caller.get(`/api/clients/${id}`)).statusCode).toBe(403);
  });

  it('an idle session past its limit answers 401 though it is cached', async () => {
    const caller = await login(world, t.users.intakeA.email);
    const id = await newClient(caller);
    expect((await caller.get(`/api/clients/${id}`)).statusCode).toBe(200);
    await world.owner
      .updateTable('sessions')
      .set({ last_seen_at: sql`now() - interval '1 day'` })
      .where('token_hash', '=', sessionHashOf(caller))
      .execute();
    expect((await caller.get(`/api/clients/${id}`)).statusCode).toBe(401);
  });

  it('signing out ends the session for the next request', async () => {
    const caller = await login(world, t.users.intakeA.email);
    const id = await newClient(caller);
    expect((await caller.get(`/api/clients/${id}`)).statusCode).toBe(200);
    expect((await caller.post('/api/auth/logout', {})).statusCode).toBeLessThan(300);
    expect((await caller.get(`/api/clients/${id}`)).statusCode).toBe(401);
  });
});

describe('reads are audited through the group commit', () => {
  it('the audit row of a read is in the database when its answer arrives, also for 40 reads at once', async () => {
    const caller = await login(world, t.users.intakeA.email);
    const id = await newClient(caller);
    const requestIds = Array.from({ length: 40 }, (_, i) => `rp-${crypto.randomBytes(6).toString('hex')}-${i}`);
    const answers = await Promise.all(
      requestIds.map((rid) => caller.get(`/api/clients/${id}`, { 'x-request-id': rid })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(requestIds.map(() => 200));
    const rows = await world.owner
      .selectFrom('audit_log')
      .select(['request_id', 'entity_id', 'organization_id'])
      .where('request_id', 'in', requestIds)
      .execute();
    expect(rows.map((r) => r.request_id).sort()).toEqual([...requestIds].sort());
    expect(new Set(rows.map((r) => r.entity_id))).toEqual(new Set([id]));
    expect(new Set(rows.map((r) => r.organization_id))).toEqual(new Set([t.orgA.id]));
  });

  it('a batched audit row keeps every value: who, what, outcome, request and the details as JSON', async () => {
    const caller = await login(world, t.users.intakeA.email);
    const id = await newClient(caller);
    const reads = Array.from({ length: 6 }, (_, i) => `rp-cols-${crypto.randomBytes(6).toString('hex')}-${i}`);
    const search = `rp-search-${crypto.randomBytes(6).toString('hex')}`;
    const answers = await Promise.all([
      ...reads.map((rid) =>
        caller.get(`/api/clients/${id}`, { 'x-request-id': rid, 'user-agent': "Agent 'quoted' \\ {1}" }),
      ),
      caller.get('/api/clients?q=Verbeke', { 'x-request-id': search }),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([...reads.map(() => 200), 200]);
    const rows = await world.owner
      .selectFrom('audit_log')
      .select(['request_id', 'actor_user_id', 'actor_token_id', 'organization_id', 'network_id', 'role', 'action'])
      .select(['entity_type', 'entity_id', 'outcome', 'ip', 'user_agent', 'details'])
      .where('request_id', 'in', [...reads, search])
      .orderBy('request_id')
      .execute();
    const read = rows.find((r) => r.request_id === reads[0])!;
    expect(read).toEqual({
      request_id: reads[0],
      actor_user_id: t.users.intakeA.id,
      actor_token_id: null,
      organization_id: t.orgA.id,
      network_id: t.network.id,
      role: 'intake-worker',
      action: 'client.read',
      entity_type: 'client',
      entity_id: id,
      outcome: 'success',
      ip: expect.any(String) as unknown,
      user_agent: "Agent 'quoted' \\ {1}",
      details: null,
    });
    expect(rows.filter((r) => r.action === 'client.read')).toHaveLength(reads.length);
    const searched = rows.find((r) => r.request_id === search)!;
    expect(searched.action).toBe('client.search');
    expect(searched.details).toMatchObject({ results: expect.any(Number) as unknown });
    expect(typeof searched.details).toBe('object');
  });

  it('a read changes nothing: its transaction is read-only, and a change still commits with its audit row', async () => {
    const caller = await login(world, t.users.intakeA.email);
    const rid = `rp-write-${crypto.randomBytes(6).toString('hex')}`;
    const res = await caller.post(
      '/api/clients',
      { givenName: 'Jef', familyName: 'Schrijft', birthDate: '1980-01-01' },
      { 'x-request-id': rid },
    );
    expect(res.statusCode).toBe(201);
    const audit = await world.owner.selectFrom('audit_log').select('entity_id').where('request_id', '=', rid).execute();
    expect(audit.map((a) => a.entity_id)).toContain(res.body.id);
  });
});

const actorOfA = () => userActor(t.users.intakeA.id, t.orgA.id, t.network.id, 'intake-worker');
const info = { ip: '127.0.0.1', userAgent: 'test', requestId: 'rp-direct' };

/** One frontend message of the PostgreSQL protocol: its type, and for a Bind the prepared statement it binds. */
interface WireMessage {
  type: string;
  statement?: string;
}

/** The messages of one buffer if it is a run of whole frontend messages (PostgreSQL's wire), else null (HTTP). */
function frontendMessages(buffer: Buffer): WireMessage[] | null {
  const messages: WireMessage[] = [];
  let at = 0;
  while (at < buffer.length) {
    if (at + 5 > buffer.length) return null;
    const type = String.fromCharCode(buffer[at]!);
    const length = buffer.readInt32BE(at + 1);
    if (!'PBEDSQCH'.includes(type) || length < 4 || at + 1 + length > buffer.length) return null;
    const message: WireMessage = { type };
    if (type === 'B') {
      // Bind: portal name, then statement name, each NUL-terminated
      const portalEnd = buffer.indexOf(0, at + 5);
      message.statement = buffer.toString('utf8', portalEnd + 1, buffer.indexOf(0, portalEnd + 1));
    }
    messages.push(message);
    at += 1 + length;
  }
  return messages;
}

/**
 * What this process writes to PostgreSQL while `work` runs, one entry per write to a socket (a corked batch is one
 * write), in order: read at the socket, below pg and below our client, so it shows what really leaves.
 */
async function writesToPostgres(
  work: () => Promise<unknown>,
  /** Keep recording after `work` until this holds of what was written (at most 5 s: a loaded machine's timers slip). */
  until?: (writes: { socket: net.Socket; messages: WireMessage[] }[]) => boolean,
) {
  const proto = net.Socket.prototype as unknown as {
    _write: (this: net.Socket, chunk: Buffer, encoding: string, callback: () => void) => void;
    _writev: (this: net.Socket, chunks: { chunk: Buffer }[], callback: () => void) => void;
  };
  const { _write: write, _writev: writev } = proto;
  const writes: { socket: net.Socket; messages: WireMessage[] }[] = [];
  const record = (socket: net.Socket, buffers: Buffer[]) => {
    const messages = frontendMessages(Buffer.concat(buffers));
    if (messages) writes.push({ socket, messages });
  };
  proto._write = function (chunk, encoding, callback) {
    if (Buffer.isBuffer(chunk)) record(this, [chunk]);
    return write.call(this, chunk, encoding, callback);
  };
  proto._writev = function (chunks, callback) {
    record(
      this,
      chunks.map((c) => (Buffer.isBuffer(c.chunk) ? c.chunk : Buffer.from(String(c.chunk)))),
    );
    return writev.call(this, chunks, callback);
  };
  try {
    await work();
    const deadline = Date.now() + 5000;
    while (until && !until(writes) && Date.now() < deadline) await sleep(5);
  } finally {
    proto._write = write;
    proto._writev = writev;
  }
  return writes;
}

const wire = (messages: WireMessage[]) => messages.map((m) => (m.statement ? `${m.type}:${m.statement}` : m.type));

describe.skipIf(!serverUrl)(
  'a read on PostgreSQL: one round trip for the context and the statement, the COMMIT with the next',
  () => {
    it("a read's context (role, READ ONLY, session check) and its one statement leave in one write under one Sync: no BEGIN, no COMMIT", async () => {
      expect(isPipelined(world.db.app)).toBe(true);
      const caller = await login(world, t.users.intakeA.email);
      const id = await newClient(caller);
      // the actor is cached, and the connections have prepared the statements
      for (let i = 0; i < 3; i++) expect((await caller.get(`/api/clients/${id}`)).statusCode).toBe(200);
      const context = `B:${statementName(SESSION_READ_CONTEXT)}`;
      const writes = await writesToPostgres(async () => {
        expect((await caller.get(`/api/clients/${id}`)).statusCode).toBe(200);
        await sleep(30); // (a COMMIT left behind would be written on its own after a few milliseconds)
      });
      const opening = writes.find((w) => wire(w.messages).includes(context));
      expect(opening, JSON.stringify(writes.map((w) => wire(w.messages)))).toBeDefined();
      // the role, READ ONLY, the session check and the context in one prepared statement with parameters; then the
      // read: Bind, Describe, Execute — and one Sync for both: PostgreSQL runs them as one implicit transaction
      expect(wire(opening!.messages)).toEqual([context, 'E', expect.stringMatching(/^B:kl_/), 'D', 'E', 'S']);
      // nothing else on that connection: the transaction ended with its Sync (the audit row goes to the batcher's own
      // connections)
      expect(writes.filter((w) => w.socket === opening!.socket)).toHaveLength(1);
      const control = [`B:${statementName('begin read only')}`, `B:${statementName('commit')}`];
      expect(writes.flatMap((w) => wire(w.messages)).filter((m) => control.includes(m))).toEqual([]);
    });

    it("a one-statement read ends with its Sync: the connection's next statement runs outside it, sees no context and nothing", async () => {
      const seen = await inTenant(
        world.db.app,
        actorOfA(),
        info,
        async (tx) => (await sql<{ n: number }>`select count(*)::int as n from clients`.execute(tx.db)).rows[0]!.n,
        { readOnly: true },
      );
      expect(seen).toBeGreaterThan(0);
      const writes = await writesToPostgres(async () => {
        const after = await sql<{ n: number; org: string | null; role: string; ro: string; tx: string }>`
        select count(*)::int as n, current_setting(${'app.org_id'}, true) as org, current_user as role,
               current_setting(${'transaction_read_only'}) as ro, current_setting(${'transaction_isolation'}) as tx
          from clients`.execute(world.db.app);
        expect(after.rows[0]!.n).toBe(0);
        expect(after.rows[0]!.org ?? '').toBe('');
        expect(after.rows[0]!.ro).toBe('off');
      });
      // the pool lent the connection of the read (the last one back): nothing was left to send before the statement
      expect(writes.map((w) => wire(w.messages)[0])).toEqual(['P']);
    });

    it('a read of several statements: the second opens BEGIN READ ONLY with the context again; the next such read takes BEGIN at once; the COMMIT goes in front of the next statement', async () => {
      const begin = `B:${statementName('begin read only')}`;
      const context = `B:${statementName(PLAIN_READ_CONTEXT)}`;
      const readOfTwo = () =>
        inTenant(
          world.db.app,
          actorOfA(),
          info,
          async (tx) => {
            const first = await sql<{ n: number }>`
              select count(*)::int as n from clients where ${1} = 1 /* a read of two statements */`.execute(tx.db);
            const second = await sql<{ org: string; ro: string; who: string; n: number }>`
              select current_setting(${'app.org_id'}) as org, current_setting(${'transaction_read_only'}) as ro,
                     current_user as who, (select count(*)::int from clients) as n`.execute(tx.db);
            return { first: first.rows[0]!.n, ...second.rows[0]! };
          },
          { readOnly: true },
        );
      const runs: { inside: Awaited<ReturnType<typeof readOfTwo>>; messages: string[] }[] = [];
      for (let i = 0; i < 2; i++) {
        let inside!: Awaited<ReturnType<typeof readOfTwo>>;
        const writes = await writesToPostgres(async () => (inside = await readOfTwo()));
        runs.push({ inside, messages: writes.flatMap((w) => wire(w.messages)) });
      }
      for (const { inside } of runs) {
        expect(inside).toMatchObject({ org: t.orgA.id, ro: 'on', who: 'kortelijn_app' });
        expect(inside.first).toBe(inside.n);
        expect(inside.first).toBeGreaterThan(0);
      }
      const count = (messages: string[], what: string) => messages.filter((m) => m === what).length;
      // the first: context and first statement without BEGIN, then BEGIN READ ONLY and the context again for the second
      expect([count(runs[0]!.messages, begin), count(runs[0]!.messages, context)]).toEqual([1, 2]);
      expect(runs[0]!.messages.indexOf(context)).toBeLessThan(runs[0]!.messages.indexOf(begin));
      // the next read that starts with the same statement: BEGIN READ ONLY at once, the context once
      expect([count(runs[1]!.messages, begin), count(runs[1]!.messages, context)]).toEqual([1, 1]);
      expect(runs[1]!.messages.indexOf(begin)).toBeLessThan(runs[1]!.messages.indexOf(context));
      const writes = await writesToPostgres(async () => {
        const after = await sql<{ n: number; org: string | null }>`
        select count(*)::int as n, current_setting(${'app.org_id'}, true) as org from clients`.execute(world.db.app);
        expect(after.rows[0]!.n).toBe(0);
        expect(after.rows[0]!.org ?? '').toBe('');
      });
      // the pool lent the connection of the read (the last one back): the COMMIT went first, in the same write
      expect(writes).toHaveLength(1);
      const [commit, ...rest] = wire(writes[0]!.messages);
      expect(commit).toBe(`B:${statementName('commit')}`);
      expect(rest).toEqual(['E', 'P', expect.stringMatching(/^B:kl_/), 'D', 'E', 'S']);
    });

    it('a read changes nothing, also without BEGIN: a write as its one statement, behind a first statement, or without parameters fails', async () => {
      const before = (await sql<{ n: number }>`select count(*)::int as n from clients`.execute(world.owner)).rows[0]!.n;
      const insert = (tx: Tx, name: string) =>
        sql`insert into clients (organization_id, given_name, family_name) values (${t.orgA.id}, ${name}, ${'Leest'})`.execute(
          tx.db,
        );
      const attempts: ((tx: Tx) => Promise<unknown>)[] = [
        (tx) => insert(tx, 'Eén'),
        async (tx) => {
          await sql`select ${1}::int as one`.execute(tx.db);
          return insert(tx, 'Twee');
        },
        (tx) => sql`delete from clients`.execute(tx.db),
      ];
      for (const attempt of attempts) {
        const outcome = await inTenant(world.db.app, actorOfA(), info, attempt, { readOnly: true }).then(
          () => 'written',
          (error: { code?: string }) => error.code,
        );
        expect(outcome).toBe('25006'); // read_only_sql_transaction
      }
      const after = (await sql<{ n: number }>`select count(*)::int as n from clients`.execute(world.owner)).rows[0]!.n;
      expect(after).toBe(before);
      // and the connections serve a read as before
      const read = await inTenant(
        world.db.app,
        actorOfA(),
        info,
        async (tx) =>
          (await sql<{ n: number }>`select count(*)::int as n from clients where ${1} = 1`.execute(tx.db)).rows[0]!.n,
        { readOnly: true },
      );
      expect(read).toBeGreaterThan(0);
    });

    it('a read whose first statement has no parameters runs under its context; the next simple statement finds the COMMIT gone first, on its own', async () => {
      const org = await inTenant(
        world.db.app,
        actorOfA(),
        info,
        async (tx) =>
          (
            await sql<{
              org: string;
              n: number;
            }>`select current_setting('app.org_id') as org, count(*)::int as n from clients`.execute(tx.db)
          ).rows[0]!,
        { readOnly: true },
      );
      expect(org.org).toBe(t.orgA.id);
      expect(org.n).toBeGreaterThan(0);
      const writes = await writesToPostgres(async () => {
        const after = await sql<{ n: number; org: string | null }>`
        select count(*)::int as n, current_setting('app.org_id', true) as org from clients`.execute(world.db.app);
        expect(after.rows[0]!.n).toBe(0);
        expect(after.rows[0]!.org ?? '').toBe('');
      });
      // a simple-protocol query has a Sync of its own, so it cannot share the COMMIT's: two writes, in order
      expect(writes.map((w) => wire(w.messages))).toEqual([[`B:${statementName('commit')}`, 'E', 'S'], ['Q']]);
    });

    it('a session check that fails stops the statement behind it in the same batch: 401, and the connection serves the next request', async () => {
      const caller = await login(world, t.users.intakeA.email);
      const id = await newClient(caller);
      expect((await caller.get(`/api/clients/${id}`)).statusCode).toBe(200);
      await world.owner.deleteFrom('sessions').where('token_hash', '=', sessionHashOf(caller)).execute();
      const writes = await writesToPostgres(async () => {
        expect((await caller.get(`/api/clients/${id}`)).statusCode).toBe(401);
      });
      // the request got its 401 from the check, and the connection is usable: the next request on it is answered
      const context = `B:${statementName(SESSION_READ_CONTEXT)}`;
      expect(writes.map((w) => wire(w.messages))).toContainEqual([
        context,
        'E',
        expect.stringMatching(/^B:kl_/),
        'D',
        'E',
        'S',
      ]);
      const other = await login(world, t.users.intakeA.email);
      for (let i = 0; i < 25; i++) expect((await other.get(`/api/clients/${id}`)).statusCode).toBe(200);
    });

    it("a session ended between a read's first and second statement: the second is refused (28000), it does not run", async () => {
      const caller = await login(world, t.users.intakeA.email);
      const session = await world.owner
        .selectFrom('sessions')
        .selectAll()
        .where('token_hash', '=', sessionHashOf(caller))
        .executeTakeFirstOrThrow();
      const actor: Actor = {
        ...actorOfA(),
        userId: session.user_id,
        organizationId: session.organization_id,
        networkId: session.network_id,
        role: session.role as Actor['role'],
        session: { tokenHash: session.token_hash, csrfToken: 'x', pendingTwoFactor: false, mustChangePassword: false },
      };
      let second: unknown = 'not run';
      const outcome = await inTenant(
        world.db.app,
        actor,
        info,
        async (tx) => {
          const first = await sql<{ org: string }>`
            select current_setting(${'app.org_id'}) as org /* the first read of a session that ends */`.execute(tx.db);
          expect(first.rows[0]!.org).toBe(session.organization_id);
          await world.owner.deleteFrom('sessions').where('token_hash', '=', session.token_hash).execute();
          second = (await sql<{ n: number }>`select count(*)::int as n from clients where ${1} = 1`.execute(tx.db))
            .rows;
          return 'read';
        },
        { readOnly: true, session: { tokenHash: session.token_hash, idleMinutes: 30 } },
      ).then(
        (value) => value,
        (error: { code?: string }) => error.code,
      );
      expect(outcome).toBe('28000');
      expect(second).toBe('not run');
    });

    it('a read that takes BEGIN at once (learned) with an ended session: refused (28000) before its first statement runs, and the connection is clean', async () => {
      const ended = { tokenHash: 'e'.repeat(64), csrfToken: 'x', pendingTwoFactor: false, mustChangePassword: false };
      const readOfTwo = (actor: Actor, session?: { tokenHash: string; idleMinutes: number }) => {
        const ran: string[] = [];
        const outcome = inTenant(
          world.db.app,
          actor,
          info,
          async (tx) => {
            await sql`select ${1}::int as one /* a learned read of two statements */`.execute(tx.db);
            ran.push('first');
            await sql`select ${2}::int as two`.execute(tx.db);
            ran.push('second');
            return 'read';
          },
          { readOnly: true, ...(session ? { session } : {}) },
        ).then(
          (value) => value,
          (error: { code?: string }) => error.code,
        );
        return outcome.then((value) => ({ value, ran }));
      };
      // learned: the first run went on to a second statement
      expect(await readOfTwo(actorOfA())).toEqual({ value: 'read', ran: ['first', 'second'] });
      const begin = `B:${statementName('begin read only')}`;
      let refused!: Awaited<ReturnType<typeof readOfTwo>>;
      const writes = await writesToPostgres(async () => {
        refused = await readOfTwo({ ...actorOfA(), session: ended }, { tokenHash: ended.tokenHash, idleMinutes: 30 });
      });
      expect(refused).toEqual({ value: '28000', ran: [] });
      // it did start with BEGIN READ ONLY in front of its context and first statement
      const first = writes.map((w) => wire(w.messages)).find((m) => m.includes(begin));
      expect(first?.slice(first.indexOf(begin))).toEqual([
        begin,
        'E',
        `B:${statementName(SESSION_READ_CONTEXT)}`,
        'E',
        expect.stringMatching(/^B:kl_/),
        'D',
        'E',
        'S',
      ]);
      const after = await sql<{ org: string | null }>`select current_setting('app.org_id', true) as org`.execute(
        world.db.app,
      );
      expect(after.rows[0]!.org ?? '').toBe('');
    });

    it('a failed session check stops the work also when its first statement has no parameters (sent on its own)', async () => {
      const ended = { tokenHash: 'f'.repeat(64), csrfToken: 'x', pendingTwoFactor: false, mustChangePassword: false };
      let seen: number | undefined;
      const refused = await inTenant(
        world.db.app,
        { ...actorOfA(), session: ended },
        info,
        async (tx) => {
          seen = (await sql<{ n: number }>`select count(*)::int as n from clients`.execute(tx.db)).rows[0]!.n;
          return seen;
        },
        { readOnly: true, session: { tokenHash: ended.tokenHash, idleMinutes: 30 } },
      ).then(
        () => null,
        (error: { code?: string }) => error,
      );
      expect(refused?.code).toBe('28000');
      expect(seen).toBeUndefined();
      // and the pool's connections are clean afterwards
      const after = await sql<{ org: string | null }>`select current_setting('app.org_id', true) as org`.execute(
        world.db.app,
      );
      expect(after.rows[0]!.org ?? '').toBe('');
    });

    it('every transaction sets the application role again: a connection whose session role was changed still reads under RLS', async () => {
      const name = (await sql<{ d: string }>`select current_database() as d`.execute(world.owner)).rows[0]!.d;
      const url = new URL(serverUrl!);
      url.pathname = `/${name}`;
      // one connection, so the transaction runs on the one whose role was changed
      const db = await createDatabase({ databaseUrl: url.toString(), poolSize: 1 });
      try {
        // the pool's login role may become anyone it is a member of (here a superuser, which bypasses RLS)
        await sql`set role postgres`.execute(db.app);
        const inside = await inTenant(
          db.app,
          actorOfA(),
          info,
          async (tx) =>
            (
              await sql<{ who: string; foreign: number }>`
              select current_user as who, count(*) filter (where organization_id <> ${t.orgA.id})::int as foreign
                from clients`.execute(tx.db)
            ).rows[0]!,
          { readOnly: true },
        );
        expect(inside).toEqual({ who: 'kortelijn_app', foreign: 0 });
      } finally {
        await db.close();
      }
    });

    it('reads and changes with pauses on two connections: each sees its own context, and pg warns of nothing', async () => {
      const name = (await sql<{ d: string }>`select current_database() as d`.execute(world.owner)).rows[0]!.d;
      const url = new URL(serverUrl!);
      url.pathname = `/${name}`;
      const db = await createDatabase({ databaseUrl: url.toString(), poolSize: 2 });
      const warnings: string[] = [];
      const onWarning = (warning: Error) => void warnings.push(`${warning.name}: ${warning.message}`);
      process.on('warning', onWarning);
      try {
        const own = (
          await sql<{ n: number }>`select count(*)::int as n from clients where organization_id = ${t.orgA.id}`.execute(
            world.owner,
          )
        ).rows[0]!.n;
        const results = await Promise.all(
          Array.from({ length: 120 }, async (_, i) => {
            // pauses around the 5 ms a finished read's COMMIT waits for the next borrower
            await sleep(i % 7);
            return inTenant(
              db.app,
              actorOfA(),
              info,
              async (tx) => {
                // every third without parameters: the opening then goes first, on its own
                const first =
                  i % 3 === 0
                    ? await sql<{ n: number }>`select count(*)::int as n from clients`.execute(tx.db)
                    : await sql<{ n: number }>`select count(*)::int as n from clients where ${i} >= 0`.execute(tx.db);
                const org = await sql<{ org: string }>`select current_setting(${'app.org_id'}) as org`.execute(tx.db);
                return { n: first.rows[0]!.n, org: org.rows[0]!.org };
              },
              { readOnly: i % 5 !== 0 },
            );
          }),
        );
        expect(new Set(results.map((r) => `${r.n} ${r.org}`))).toEqual(new Set([`${own} ${t.orgA.id}`]));
        await sleep(20);
        expect(warnings).toEqual([]);
      } finally {
        process.off('warning', onWarning);
        await db.close();
      }
    });

    it('a connection left idle after a read holds no open transaction', async () => {
      const caller = await login(world, t.users.intakeA.email);
      const id = await newClient(caller);
      await Promise.all(Array.from({ length: 8 }, () => caller.get(`/api/clients/${id}`)));
      // each COMMIT is written once its connection has been idle a few milliseconds (bounded wait: timers slip on a
      // loaded machine); a connection that kept its transaction open would stay in the count
      const openTransactions = async () =>
        (
          await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity
           where datname = current_database() and state like 'idle in transaction%'`.execute(world.owner)
        ).rows[0]!.n;
      let open = await openTransactions();
      for (const deadline = Date.now() + 5000; open > 0 && Date.now() < deadline; open = await openTransactions())
        await sleep(20);
      expect(open).toBe(0);
    });

    it('a statement marked GENERIC_PLAN runs under a generic plan, the setting in front of it under its Sync; the next statement of the transaction has the default again', async () => {
      const force = `B:${statementName("select pg_catalog.set_config('plan_cache_mode', 'force_generic_plan', true)")}`;
      const reset = `B:${statementName('set local plan_cache_mode to default')}`;
      const plans = async (tx: Tx) =>
        (
          await sql<{ mode: string; generic: number; custom: number }>`
          select current_setting(${'plan_cache_mode'}) as mode, generic_plans::int as generic, custom_plans::int as custom
            from pg_prepared_statements where statement like ${'%/* marked */%'}`.execute(tx.db)
        ).rows[0]!;
      const marked = sql<{
        mode: string;
        n: number;
      }>`${sql.raw(GENERIC_PLAN)} select current_setting(${'plan_cache_mode'}) as mode, count(*)::int as n from organizations where ${1} = 1 /* marked */`;
      const runs: { inside: { first: string; after: string; generic: number; custom: number }; messages: string[] }[] =
        [];
      // a read of two statements (its first without BEGIN, then learned: with BEGIN at once) and a change
      for (const readOnly of [true, true, false]) {
        let inside!: (typeof runs)[number]['inside'];
        const writes = await writesToPostgres(async () => {
          inside = await inTenant(
            world.db.app,
            actorOfA(),
            info,
            async (tx) => {
              const first = (await marked.execute(tx.db)).rows[0]!;
              expect(first.n).toBeGreaterThan(0);
              const after = await plans(tx);
              return { first: first.mode, after: after.mode, generic: after.generic, custom: after.custom };
            },
            { readOnly },
          );
        });
        runs.push({ inside, messages: writes.flatMap((w) => wire(w.messages)) });
      }
      for (const { inside, messages } of runs) {
        expect(inside.first).toBe('force_generic_plan');
        expect(inside.after).toBe('auto');
        expect(inside.custom).toBe(0);
        expect(inside.generic).toBeGreaterThan(0);
        // the setting right in front of the marked statement, in the same batch
        const at = messages.indexOf(force);
        expect(at, JSON.stringify(messages)).toBeGreaterThanOrEqual(0);
        // (the first time the statement is parsed there too)
        expect(
          messages
            .slice(at + 1)
            .filter((m) => m !== 'P')
            .slice(0, 2),
        ).toEqual(['E', `B:${statementName(marked.compile(world.db.app).sql)}`]);
      }
      // the first read's statement ran without BEGIN: its setting ended with its Sync, nothing to put back; inside a
      // transaction block (the learned read, the change) the default goes in front of the next statement
      expect(runs.map((r) => r.messages.filter((m) => m === reset).length)).toEqual([0, 1, 1]);
      // a statement on the connection afterwards: the server's default
      const mode = await sql<{
        mode: string;
      }>`select current_setting(${'plan_cache_mode'}) as mode where ${1} = 1`.execute(world.db.app);
      expect(mode.rows[0]!.mode).toBe('auto');

      // a change with two marked statements in a row, then one without parameters, then its COMMIT: the setting once,
      // and nothing put back in front of what a setting cannot touch (a simple-protocol statement has no cached plan)
      let modes: string[] = [];
      const writes = await writesToPostgres(async () => {
        modes = await inTenant(world.db.app, actorOfA(), info, async (tx) => [
          (await marked.execute(tx.db)).rows[0]!.mode,
          (await marked.execute(tx.db)).rows[0]!.mode,
          (await sql.raw<{ mode: string }>(`select current_setting('plan_cache_mode') as mode`).execute(tx.db)).rows[0]!
            .mode,
        ]);
      });
      expect(modes).toEqual(['force_generic_plan', 'force_generic_plan', 'force_generic_plan']);
      const sent = writes.flatMap((w) => wire(w.messages));
      expect([sent.filter((m) => m === force).length, sent.filter((m) => m === reset).length]).toEqual([1, 0]);
    });

    it('the deferred COMMIT is a plain COMMIT on a connection that does not defer', async () => {
      const setting = await world.owner.connection().execute(async (conn) => {
        await sql`begin`.execute(conn);
        await sql`select set_config('app.probe', 'in the transaction', true)`.execute(conn);
        await sql.raw(DEFERRED_COMMIT).execute(conn);
        return (await sql<{ v: string | null }>`select current_setting('app.probe', true) as v`.execute(conn)).rows[0]!
          .v;
      });
      expect(setting ?? '').toBe('');
    });
  },
);

// kill -9 under load: every read whose answer arrived has its audit row (the row commits before the answer leaves)
describe.skipIf(!serverUrl)('a killed server loses no audit row of an answer it sent', () => {
  let server: ServerProcess | undefined;
  let dbName = '';
  let dbUrl = '';
  let email = '';

  beforeAll(async () => {
    dbName = `kl_rp_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(serverUrl!);
    url.pathname = `/${dbName}`;
    dbUrl = url.toString();
    const db = await createDatabase({ databaseUrl: dbUrl, poolSize: 2 });
    await migrate(db.owner);
    await ensureReferenceData(db.owner);
    const w = { owner: db.owner } as World;
    const network = await makeNetwork(w);
    const org = await makeOrganization(w, network.id, 'caw');
    const user = await makeUser(w, { role: 'intake-worker', networkId: network.id, organizationId: org.id });
    await db.close();
    server = await startServer({ DATABASE_URL: dbUrl, DB_POOL_SIZE: '10' });
    email = user.email;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  });

  it('30 concurrent readers, SIGKILL mid-flight: every 200 answer’s request id is in the audit log', async () => {
    const session = await new HttpSession(server!.url).login(email, PASSWORD);
    const created = await session.request('POST', '/api/clients', {
      givenName: 'Mira',
      familyName: 'Dekeyser',
      birthDate: '1975-09-09',
    });
    expect(created.status).toBe(201);
    const id = created.body!.id as string;
    const answered: string[] = [];
    const statuses: number[] = [];
    let running = true;
    let n = 0;
    const reader = async () => {
      while (running) {
        const rid = `kill9-${++n}-${crypto.randomBytes(4).toString('hex')}`;
        try {
          const res = await session.request('GET', `/api/clients/${id}`, undefined, { 'x-request-id': rid });
          if (res.status === 200) answered.push(rid);
          else statuses.push(res.status);
        } catch {
          return; // the server is gone
        }
      }
    };
    const readers = Array.from({ length: 30 }, reader);
    // kill while the readers are in full flow: after at least 60 answers (a loaded machine may take a while)
    const deadline = Date.now() + 20_000;
    while (answered.length < 60 && Date.now() < deadline) await sleep(50);
    server!.child.kill('SIGKILL');
    running = false;
    await Promise.all(readers);
    await server!.exited;
    expect(statuses.filter((s) => s !== 503)).toEqual([]);
    expect(answered.length).toBeGreaterThanOrEqual(60);
    const check = new pg.Client({ connectionString: dbUrl });
    await check.connect();
    const { rows } = await check.query<{ request_id: string }>(
      'select request_id from audit_log where request_id = any($1)',
      [answered],
    );
    await check.end();
    const logged = new Set(rows.map((r) => r.request_id));
    expect(answered.filter((rid) => !logged.has(rid))).toEqual([]);
  }, 60_000);
});
