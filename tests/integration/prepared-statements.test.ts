// Named prepared statements on the application pool (issue 14): PostgreSQL plans a hot statement once per
// connection. The pool has ONE connection here, so every statement below meets the plans the earlier ones left.
// What must hold: RLS still decides per run (a cached generic plan never carries one organisation's rows to
// another), a statement that fails to prepare or to bind leaves the connection usable, and a migration that changes
// a table under a cached plan costs at most one failed statement, after which the connection prepares afresh.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { isStaleStatementError } from '../../src/server/core/db/prepared.ts';
import { isDatabaseUnavailable } from '../../src/server/core/db/unavailable.ts';
import { createWorld, login, makeTenants, serverUrl, type Caller, type World } from '../support/world.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;

beforeAll(async () => {
  world = await createWorld({}, { poolSize: 1 });
  t = await makeTenants(world);
});
afterAll(async () => world?.close());

async function newClient(caller: Caller, familyName: string) {
  const res = await caller.post('/api/clients', { givenName: 'Lien', familyName, birthDate: '1990-04-01' });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}

/** The statements the application pool's one connection holds (on PostgreSQL). */
async function preparedOnAppConnection() {
  const { rows } = await sql<{ name: string; statement: string; runs: number }>`
    select name, statement, (generic_plans + custom_plans)::int as runs from pg_prepared_statements`.execute(
    world.db.app,
  );
  return rows;
}

describe('named prepared statements keep row-level security exact', () => {
  it('after one organisation read a client file many times on the connection, another still sees only its own', async () => {
    const callerA = await login(world, t.users.intakeA.email);
    const callerB = await login(world, t.users.intakeB.email);
    const familyA = `Claeys-${crypto.randomBytes(3).toString('hex')}`;
    const familyB = `Wouters-${crypto.randomBytes(3).toString('hex')}`;
    const idA = await newClient(callerA, familyA);
    const idB = await newClient(callerB, familyB);
    // more than five runs: PostgreSQL may then switch the statement to a generic plan
    for (let i = 0; i < 8; i++) expect((await callerA.get(`/api/clients/${idA}`)).body.familyName).toBe(familyA);
    const foreign = await callerB.get(`/api/clients/${idA}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.raw).not.toContain(familyA);
    const own = await callerB.get(`/api/clients/${idB}`);
    expect(own.statusCode).toBe(200);
    expect(own.body.familyName).toBe(familyB);
    expect((await callerA.get(`/api/clients/${idB}`)).statusCode).toBe(404);
    expect((await callerA.get(`/api/clients/${idA}`)).body.familyName).toBe(familyA);
  });

  it.skipIf(!serverUrl)('the client read runs as one named statement, prepared once on its connection', async () => {
    const caller = await login(world, t.users.caregiverA.email);
    const id = await newClient(
      await login(world, t.users.intakeA.email),
      `Peeters-${crypto.randomBytes(3).toString('hex')}`,
    );
    const before = (await preparedOnAppConnection()).find((s) => s.statement.startsWith('select "clients".*'));
    for (let i = 0; i < 7; i++) expect((await caller.get(`/api/clients/${id}`)).statusCode).toBe(200);
    const reads = (await preparedOnAppConnection()).filter((s) => s.statement.startsWith('select "clients".*'));
    expect(reads).toHaveLength(1);
    expect(reads[0]!.name).toMatch(/^kl_/);
    expect(reads[0]!.runs - (before?.runs ?? 0)).toBe(7);
  });
});

describe('a statement that fails leaves the connection usable', () => {
  it('one that fails to prepare fails the same way again, and the next statement runs', async () => {
    const broken = () => sql`select ${1}::int as one from no_such_table`.execute(world.db.app);
    await expect(broken()).rejects.toMatchObject({ code: '42P01' });
    // not 26000 ("prepared statement does not exist"): the failed name was never taken as prepared
    await expect(broken()).rejects.toMatchObject({ code: '42P01' });
    const { rows } = await sql<{ one: number }>`select ${1}::int as one`.execute(world.db.app);
    expect(rows).toEqual([{ one: 1 }]);
  });

  it('one whose value is refused when it is bound runs once the value is right', async () => {
    const byId = (id: string) =>
      world.db.app.selectFrom('networks').select(['id', 'name']).where('id', '=', id).execute();
    await expect(byId('not-a-uuid')).rejects.toMatchObject({ code: '22P02' });
    expect(await byId(t.network.id)).toEqual([expect.objectContaining({ id: t.network.id })]);
    await expect(byId('still-not-a-uuid')).rejects.toMatchObject({ code: '22P02' });
    expect(await byId(t.network.id)).toHaveLength(1);
  });
});

describe.skipIf(!serverUrl)('a migration that changes a table under cached plans', () => {
  afterAll(async () => {
    await sql`alter table networks drop column if exists kl_probe`.execute(world.owner);
    await sql`drop index if exists networks_kl_probe_idx`.execute(world.owner);
  });

  it('a statement naming its columns is re-planned by PostgreSQL itself and keeps working', async () => {
    const byName = () => world.db.app.selectFrom('networks').select(['id']).where('name', '=', 'nope').execute();
    for (let i = 0; i < 7; i++) expect(await byName()).toEqual([]);
    await sql`create index networks_kl_probe_idx on networks (name)`.execute(world.owner);
    await sql`alter table networks add column kl_probe text`.execute(world.owner);
    expect(await byName()).toEqual([]);
  });

  it('a `select *` whose rows changed shape fails once (answered as 503, retry), then the connection prepares afresh', async () => {
    await sql`alter table networks drop column if exists kl_probe`.execute(world.owner);
    const all = () => world.db.app.selectFrom('networks').selectAll().where('id', '=', t.network.id).execute();
    for (let i = 0; i < 7; i++) expect(await all()).toHaveLength(1);
    expect((await preparedOnAppConnection()).length).toBeGreaterThan(0);
    await sql`alter table networks add column kl_probe text default 'x'`.execute(world.owner);
    const error = await all().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isStaleStatementError(error)).toBe(true);
    expect(isDatabaseUnavailable(error)).toBe(true);
    // the failed statement's connection went back to the pool, which reset its names (DEALLOCATE ALL)
    expect(await preparedOnAppConnection()).toEqual([]);
    const rows = await all();
    expect(rows[0]).toMatchObject({ id: t.network.id, kl_probe: 'x' });
  });
});
