/**
 * One rule for text: a string PostgreSQL cannot store (NUL, a lone surrogate) is refused with 400 and the
 * field named, on every route and anywhere in the request, and nothing changes. Database refusals a client can
 * still cause (a clash between two requests at once, a value out of the column's range) are 409 or 400, never 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import {
  Caller,
  createWorld,
  login,
  makeTenants,
  makeUser,
  PASSWORD,
  serverUrl,
  type Res,
  type World,
} from '../support/world.ts';
import { handleError } from '../../src/server/core/http/errors.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let intakeA: Caller;
let adminA: Caller;
let coordinatorA: Caller;
let networkAdmin: Caller;
let clientA: string;
let helpRequestA: string;
let referralA: string;

const NUL = '\u0000';
const TEXT_INVALID_NL =
  'Deze tekst bevat een teken dat niet bewaard kan worden (een nulteken of een onvolledig teken).';
const OFFER = {
  description: 'Rouwbegeleiding',
  themes: ['depression'],
  municipalities: ['24062'],
  modalities: ['face-to-face'],
  capacity: 'open',
  level: 'basic',
};

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  intakeA = await login(world, t.users.intakeA.email);
  adminA = await login(world, t.users.adminA.email);
  networkAdmin = await login(world, t.users.networkAdmin.email);
  coordinatorA = await login(
    world,
    (await makeUser(world, { role: 'coordinator', networkId: t.network.id, organizationId: t.orgA.id })).email,
  );
  const coordinatorB = await login(
    world,
    (await makeUser(world, { role: 'coordinator', networkId: t.network.id, organizationId: t.orgB.id })).email,
  );
  const offerB = (await coordinatorB.post('/api/offers', { name: 'Aanbod B', ...OFFER })).body.id as string;
  clientA = (await intakeA.post('/api/clients', { givenName: 'Tine', familyName: 'Tekst' })).body.id;
  helpRequestA = (
    await intakeA.post('/api/help-requests', {
      clientId: clientA,
      story: 'Somber',
      themes: ['depression'],
      urgency: 'routine',
    })
  ).body.id;
  const consent = await intakeA.post('/api/consents', {
    clientId: clientA,
    purpose: 'referral',
    recipientOrganizationId: t.orgB.id,
    categories: ['contact'],
    method: 'verbal',
  });
  referralA = (
    await intakeA.post('/api/referrals', {
      helpRequestId: helpRequestA,
      offerId: offerB,
      priority: 'routine',
      consentId: consent.body.id,
    })
  ).body.id;
  expect(referralA).toBeTypeOf('string');
});
afterAll(() => world?.close());

type Table = string;
const count = async (table: Table) =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(world.owner)).rows[0]!.n);

function expectTextRefused(res: Res, fields: string[]) {
  expect(res.statusCode, res.raw).toBe(400);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.body.code).toBe('validation');
  const refused = (res.body.errors as { field: string; code: string; message: string }[]).filter(
    (e) => e.code === 'text-invalid',
  );
  expect(refused.map((e) => e.field).sort()).toEqual([...fields].sort());
  for (const e of refused) expect(e.message).toBe(TEXT_INVALID_NL);
}

describe('a NUL character is refused with 400 and the field named, and nothing is stored', () => {
  const cases: [string, () => Promise<Res>, string[], Table[]][] = [
    [
      'a client',
      () => intakeA.post('/api/clients', { givenName: `An${NUL}`, familyName: 'Peeters' }),
      ['givenName'],
      ['clients', 'audit_log'],
    ],
    [
      'a client change',
      () => intakeA.patch(`/api/clients/${clientA}`, { familyName: `Tekst${NUL}` }),
      ['familyName'],
      ['audit_log'],
    ],
    [
      'the duplicate check',
      () => intakeA.post('/api/clients/duplicate-check', { givenName: 'Tine', familyName: `Te${NUL}kst` }),
      ['familyName'],
      ['audit_log'],
    ],
    [
      'a sign-in (address and password)',
      () => new Caller(world.app).post('/api/auth/login', { email: `${t.users.intakeA.email}${NUL}`, password: NUL }),
      ['email', 'password'],
      ['sessions', 'audit_log'],
    ],
    [
      'an organisation',
      () => networkAdmin.post('/api/organizations', { name: `CAW ${NUL}Oost`, kind: 'caw' }),
      ['name'],
      ['organizations', 'audit_log'],
    ],
    [
      'a site',
      () =>
        adminA.post(`/api/organizations/${t.orgA.id}/sites`, {
          name: 'Hoofdzetel',
          street: `Kerkstraat 1${NUL}`,
          postalCode: '3000',
          municipality: '24062',
        }),
      ['street'],
      ['sites', 'audit_log'],
    ],
    [
      'a team',
      () => adminA.post(`/api/organizations/${t.orgA.id}/teams`, { name: `Team${NUL}` }),
      ['name'],
      ['teams', 'audit_log'],
    ],
    [
      'a user',
      () => adminA.post('/api/users', { email: 'nieuw@test.example', displayName: `Nieuw${NUL}`, role: 'caregiver' }),
      ['displayName'],
      ['users', 'memberships', 'audit_log'],
    ],
    [
      'an API token',
      () => adminA.post('/api/api-tokens', { name: `Partner${NUL}`, permissions: ['client:read'] }),
      ['name'],
      ['api_tokens', 'audit_log'],
    ],
    [
      'an offer',
      () => coordinatorA.post('/api/offers', { ...OFFER, name: `Rouw${NUL}groep` }),
      ['name'],
      ['offers', 'audit_log'],
    ],
    [
      'a help request (and a theme in its list)',
      () =>
        intakeA.post('/api/help-requests', {
          clientId: clientA,
          story: `Zit vast${NUL}`,
          themes: ['depression', `grief${NUL}`],
          urgency: 'routine',
        }),
      ['story', 'themes.1'],
      ['help_requests', 'audit_log'],
    ],
    [
      'a safety signal',
      () =>
        intakeA.post(`/api/help-requests/${helpRequestA}/safety-signals`, {
          kind: 'unsafe-home',
          level: 'high',
          note: `Thuis${NUL}`,
        }),
      ['note'],
      ['safety_signals', 'audit_log'],
    ],
    [
      'bridging support',
      () => intakeA.post(`/api/referrals/${referralA}/bridging`, { note: `Tijdelijk${NUL}` }),
      ['note'],
      ['bridging_support', 'referral_events', 'audit_log'],
    ],
    [
      'a screening answer key (an open object)',
      () =>
        intakeA.post(`/api/help-requests/${helpRequestA}/screenings`, {
          instrument: 'phq9',
          answers: { q1: 1, [`q2${NUL}`]: 1 },
        }),
      ['answers.q2\ufffd'],
      ['screenings', 'audit_log'],
    ],
    [
      'an HSDS import (a body without a schema), deep in a record',
      () =>
        networkAdmin.post('/api/hsds/imports', {
          organizations: [{ id: '3f1b7a8e-4a57-4a57-9f55-1f8a0d6c5e11', name: 'Ok', description: `Ko${NUL}` }],
        }),
      ['organizations.0.description'],
      ['organizations', 'hsds_records', 'audit_log'],
    ],
    [
      'a CSV datapackage',
      () =>
        networkAdmin.post('/api/hsds/imports', {
          format: 'datapackage',
          files: { 'organizations.csv': `id,name\n3f1b7a8e-4a57-4a57-9f55-1f8a0d6c5e12,Naam${NUL}\n` },
        }),
      ['files.organizations.csv'],
      ['organizations', 'hsds_records', 'audit_log'],
    ],
  ];

  it.each(cases)('%s', async (_label, send, fields, tables) => {
    const before = await Promise.all(tables.map(count));
    expectTextRefused(await send(), fields);
    expect(await Promise.all(tables.map(count))).toEqual(before);
  });

  it('in a query parameter and in a path parameter', async () => {
    expectTextRefused(await intakeA.get('/api/clients?q=Ti%00ne'), ['q']);
    expectTextRefused(await intakeA.get('/api/offers?theme=depression&theme=gr%00ief'), ['theme.1']);
    expectTextRefused(await networkAdmin.get('/api/hsds/organizations?search=%00'), ['search']);
    expectTextRefused(await intakeA.get('/api/instruments/phq%00/fhir'), ['instrument']);
  });

  it('deep in nested input, without exhausting the stack', async () => {
    const depth = 50_000;
    const res = await networkAdmin.request(
      'POST',
      '/api/hsds/imports',
      `{"organizations":${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}}`,
      { 'content-type': 'application/json' },
    );
    expect(res.statusCode, res.raw.slice(0, 300)).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: `organizations${'.0'.repeat(depth)}`, code: 'text-invalid' }),
    ]);
  });

  it('does not count as a failed sign-in: the account is not locked and the right password still works', async () => {
    const user = await makeUser(world, { role: 'caregiver', networkId: t.network.id, organizationId: t.orgA.id });
    for (let i = 0; i < world.config.login.maxFailures + 2; i++) {
      const res = await new Caller(world.app).post('/api/auth/login', { email: user.email, password: `x${NUL}` });
      expect(res.statusCode).toBe(400);
    }
    await expect(login(world, user.email, PASSWORD)).resolves.toBeInstanceOf(Caller);
  });

  it('is reported together with the schema errors, in English too', async () => {
    const english = new Caller(world.app, intakeA.cookie, intakeA.csrf, null, 'en');
    const res = await english.post('/api/clients', { givenName: `A${NUL}`, familyName: 'B', shoeSize: 1 });
    expect(res.statusCode).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'shoeSize', code: 'unknown-field', message: 'This field is unknown.' },
        {
          field: 'givenName',
          code: 'text-invalid',
          message: 'This text contains a character that cannot be stored (a NUL character or an incomplete character).',
        },
      ]),
    );
  });
});

describe('lone surrogates are refused; whole characters outside the BMP are kept', () => {
  it.each([
    ['a high surrogate', '\ud800'],
    ['a low surrogate', 'x\udc00y'],
    ['a pair in the wrong order', '\ude00\ud83d'],
  ])('%s', async (_label, bad) => {
    const before = await count('clients');
    expectTextRefused(await intakeA.post('/api/clients', { givenName: 'Ann', familyName: bad }), ['familyName']);
    expect(await count('clients')).toBe(before);
  });

  it('an emoji, a combining accent and a right-to-left name are stored exactly', async () => {
    const familyName = 'Zoë 😀 \u0627\u0644\u0639\u0644\u064a e\u0301';
    const res = await intakeA.post('/api/clients', { givenName: 'Ann', familyName });
    expect(res.statusCode, res.raw).toBe(201);
    const row = await world.owner
      .selectFrom('clients')
      .select('family_name')
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(row.family_name).toBe(familyName);
  });
});

/**
 * Holds a lock on `table` that lets reads through and makes every insert wait, until the returned release is
 * called: requests that passed their "does it exist?" check all insert at the same moment.
 */
async function holdInserts(table: Table) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const done = world.owner.connection().execute(async (conn) => {
    await sql.raw(`begin; lock table ${table} in share row exclusive mode`).execute(conn);
    locked();
    await released;
    await sql.raw('commit').execute(conn);
  });
  await isLocked;
  const waiting = async () =>
    Number(
      (
        await sql<{ n: string }>`select count(*) as n from pg_locks l join pg_class c on c.oid = l.relation
          where c.relname = ${table} and not l.granted
            and l.database = (select oid from pg_database where datname = current_database())`.execute(world.owner)
      ).rows[0]!.n,
    );
  return {
    /** waits until `n` inserts wait for the lock (or 15 s), then lets them all go */
    async releaseWhenWaiting(n: number) {
      for (let tries = 0; tries < 300 && (await waiting()) < n; tries++) await new Promise((r) => setTimeout(r, 50));
      const blocked = await waiting();
      release();
      await done;
      return blocked;
    },
  };
}

describe('a user created twice at the same moment', () => {
  it('gives one 201 and 409 email-in-use for the rest, never a 500, and one account', async () => {
    const email = 'tegelijk@test.example';
    // on PostgreSQL the inserts are lined up behind a lock so that they truly race (the application pool has 5
    // connections in tests: 5 inserts at once); PGlite is one session, where they cannot
    const gate = serverUrl ? await holdInserts('users') : null;
    const sent = Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        adminA.post('/api/users', {
          email: i % 2 ? email : email.toUpperCase(),
          displayName: `Tegelijk ${i}`,
          role: 'caregiver',
        }),
      ),
    );
    if (gate) expect(await gate.releaseWhenWaiting(5)).toBe(5);
    const answers = await sent;
    const statuses = answers.map((res) => res.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const res of answers.filter((r) => r.statusCode === 409)) {
      expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'email', code: 'email-in-use' })]);
    }
    const rows = await world.owner
      .selectFrom('users')
      .select('id')
      .where(sql<string>`lower(email)`, '=', email)
      .execute();
    expect(rows).toHaveLength(1);
    const memberships = await world.owner
      .selectFrom('memberships')
      .select('id')
      .where('user_id', '=', rows[0]!.id)
      .execute();
    expect(memberships).toHaveLength(1);
  });
});

describe('database refusals a client can cause', () => {
  /**
   * Real statements on the real database (PostgreSQL or PGlite) that fail with each SQLSTATE, through the
   * application's error handler: the answer is the problem, without the database's words.
   */
  const statements: [string, string, number, string][] = [
    [
      '23505 unique',
      `insert into networks (id, name, zone_name) select id, 'x', 'x' from networks limit 1`,
      409,
      'conflict',
    ],
    [
      '23503 foreign key',
      `insert into organizations (network_id, name, kind) values (gen_random_uuid(), 'x', 'caw')`,
      409,
      'conflict',
    ],
    ['23502 not null', `insert into networks (name, zone_name) values (null, 'x')`, 400, 'validation'],
    [
      '23514 check',
      `create temporary table kl_check_probe (n int check (n > 0)); insert into kl_check_probe values (-1)`,
      400,
      'validation',
    ],
    [
      '22001 too long',
      `create temporary table kl_len_probe (s varchar(2)); insert into kl_len_probe values ('Peeters')`,
      400,
      'validation',
    ],
    ['22003 out of range', `select 2147483648::int`, 400, 'validation'],
    ['22008 datetime out of range', `select '294277-01-01'::timestamptz`, 400, 'validation'],
    ['22007 bad datetime', `select '2024-13-45'::date`, 400, 'validation'],
    ['22P02 bad number', `select 'veertien'::int`, 400, 'validation'],
    ['22021 bad byte', `select convert_from('\\x00ff'::bytea, 'UTF8')`, 400, 'validation'],
    ['22P05 NUL escape in jsonb', `select '{"a":"\\u0000"}'::jsonb ->> 'a'`, 400, 'validation'],
    ['2201X bad offset', `select 1 offset -1`, 400, 'validation'],
    ['42P01 our own mistake', `select * from no_such_table`, 500, 'internal'],
  ];

  let probe: FastifyInstance;
  beforeAll(async () => {
    probe = Fastify({ logger: false });
    probe.decorateRequest('lang', 'nl');
    probe.setErrorHandler((error, req, reply) => handleError(error as never, req, reply));
    probe.get<{ Querystring: { n: string } }>('/probe', async (req) => {
      const statement = statements[Number(req.query.n)]![1];
      await world.owner.connection().execute(async (conn) => {
        await sql.raw('begin').execute(conn);
        try {
          for (const part of statement.split('; ')) await sql.raw(part).execute(conn);
        } finally {
          await sql.raw('rollback').execute(conn);
        }
      });
      return { ok: true };
    });
    await probe.ready();
  });
  afterAll(() => probe?.close());

  it.each(statements.map(([label, , status, code], n) => ({ label, status, code, n })))(
    '$label → $status $code',
    async ({ status, code, n }) => {
      const res = await probe.inject({ url: `/probe?n=${n}` });
      expect(res.statusCode, res.body).toBe(status);
      expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code, status });
      expect(res.body).not.toMatch(
        /violates|duplicate key|invalid input|out of range|too long|Key \(|networks|no_such_table|\bat .+:\d+/i,
      );
    },
  );
});
