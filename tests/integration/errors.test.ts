/**
 * How the API fails: RFC 9457 problem details, request ids, language, body limits and content types,
 * no internals in error bodies; and the public documentation and health routes.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import {
  Caller,
  createWorld,
  login,
  makeTenants,
  makeUser,
  serverUrl,
  type Res,
  type World,
} from '../support/world.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let intakeA: Caller;
let adminA: Caller;
let clientA: string;

const BODY_LIMIT = 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PROBLEM_KEYS = ['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type'];
const missingId = crypto.randomUUID();

beforeAll(async () => {
  world = await createWorld({ bodyLimitBytes: BODY_LIMIT });
  t = await makeTenants(world);
  intakeA = await login(world, t.users.intakeA.email);
  adminA = await login(world, t.users.adminA.email);
  clientA = (await intakeA.post('/api/clients', { givenName: 'Fien', familyName: 'Foutmelding' })).body.id;
});
afterAll(() => world?.close());

/** A raw request without the test caller's defaults (no Accept-Language unless given). */
async function raw(
  method: string,
  url: string,
  opts: { headers?: Record<string, string>; payload?: string | Buffer | object } = {},
): Promise<Res> {
  const res = await world.app.inject({
    method: method as 'GET',
    url,
    headers: opts.headers ?? {},
    ...(opts.payload !== undefined ? { payload: opts.payload } : {}),
  });
  let body: unknown;
  try {
    body = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    body = undefined;
  }
  return { statusCode: res.statusCode, headers: res.headers, body, raw: res.body };
}

const countClients = async () =>
  Number(
    (
      await world.owner
        .selectFrom('clients')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

function expectProblemShape(res: Res, status: number, code: string, path: string) {
  expect(res.statusCode, res.raw).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const withErrors = Array.isArray(res.body.errors);
  expect(Object.keys(res.body).sort()).toEqual([...PROBLEM_KEYS, ...(withErrors ? ['errors'] : [])].sort());
  expect(res.body).toMatchObject({ type: `https://kortelijn.be/problems/${code}`, status, code, instance: path });
  expect(res.body.title).toMatch(/\S/);
  expect(res.body.detail).toMatch(/\S/);
  expect(res.body.requestId).toBe(res.headers['x-request-id']);
}

/** Internals that must never reach a client: stack frames, source paths, SQL and database messages. */
const LEAKS =
  /\n\s+at |\bat .+:\d+:\d+|\.(ts|js|mjs):\d+|node_modules|\bselect\b.+\bfrom\b|\binsert into\b|\bupdate\b.+\bset\b|\bwhere\b|permission denied|violates|syntax error|out of range|relation "|column "|kortelijn_app|FST_ERR|Error:/i;

describe('problem details', () => {
  const cases: [string, () => Promise<Res>, number, string, string][] = [
    ['400 validation', () => intakeA.post('/api/clients?x=1', { shoeSize: 1 }), 400, 'validation', '/api/clients'],
    [
      '400 unreadable JSON',
      () => raw('POST', '/api/auth/login', { headers: { 'content-type': 'application/json' }, payload: '{"email": ' }),
      400,
      'bad-request',
      '/api/auth/login',
    ],
    ['401 unauthenticated', () => raw('GET', '/api/clients?q=secret'), 401, 'unauthenticated', '/api/clients'],
    [
      '401 invalid credentials',
      () => raw('POST', '/api/auth/login', { payload: { email: 'nobody@test.example', password: 'nope' } }),
      401,
      'invalid-credentials',
      '/api/auth/login',
    ],
    ['403 forbidden', () => intakeA.get('/api/audit'), 403, 'forbidden', '/api/audit'],
    [
      '403 csrf',
      () => new Caller(world.app, intakeA.cookie, 'wrong').post('/api/clients', { givenName: 'A', familyName: 'B' }),
      403,
      'csrf',
      '/api/clients',
    ],
    ['404 record', () => intakeA.get(`/api/clients/${missingId}`), 404, 'not-found', `/api/clients/${missingId}`],
    ['404 route', () => raw('GET', '/api/does-not-exist'), 404, 'not-found', '/api/does-not-exist'],
    [
      '409 conflict',
      () => adminA.post('/api/users', { email: t.users.intakeA.email, displayName: 'Dubbel', role: 'caregiver' }),
      409,
      'conflict',
      '/api/users',
    ],
    [
      '413 too large',
      () =>
        raw('POST', '/api/auth/login', { payload: { email: 'a@test.example', password: 'x'.repeat(2 * BODY_LIMIT) } }),
      413,
      'payload-too-large',
      '/api/auth/login',
    ],
    [
      '415 media type',
      () => raw('POST', '/api/auth/login', { headers: { 'content-type': 'application/xml' }, payload: '<login/>' }),
      415,
      'unsupported-media-type',
      '/api/auth/login',
    ],
  ];

  it.each(cases)(
    '%s has type, title, status, detail, code, instance and requestId',
    async (_label, run, status, code, path) => {
      const res = await run();
      expectProblemShape(res, status, code, path);
      expect(res.raw).not.toMatch(LEAKS);
      expect(res.raw).not.toContain('secret'); // the query string (personal data in searches) is not echoed
    },
  );

  it('field errors come as errors: [{ field, code, message }] and are summed up in detail', async () => {
    const res = await intakeA.post('/api/clients', { givenName: 'Ann', familyName: 'Peeters', shoeSize: 42 });
    expect(res.body.errors).toEqual([{ field: 'shoeSize', code: 'unknown-field', message: 'Dit veld is onbekend.' }]);
    expect(res.body.detail).toBe('shoeSize: Dit veld is onbekend.');
  });

  it('a 409 names the field that clashes', async () => {
    const res = await adminA.post('/api/users', {
      email: t.users.intakeA.email.toUpperCase(),
      displayName: 'Dubbel',
      role: 'caregiver',
    });
    expect(res.statusCode).toBe(409);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'email', code: 'email-in-use' })]);
  });

  it('a 429 after too many failed sign-ins is a problem too', async () => {
    const user = await makeUser(world, { role: 'caregiver', networkId: t.network.id, organizationId: t.orgA.id });
    for (let i = 0; i < world.config.login.maxFailures; i++) {
      expect(
        (await raw('POST', '/api/auth/login', { payload: { email: user.email, password: 'wrong' } })).statusCode,
      ).toBe(401);
    }
    expectProblemShape(
      await raw('POST', '/api/auth/login', { payload: { email: user.email, password: 'wrong' } }),
      429,
      'locked',
      '/api/auth/login',
    );
  });
});

describe('no internals in error bodies', () => {
  it('masks a database failure as a 500 with a request id, without SQL, messages or stack', async () => {
    // break the database under the running app: the application role loses its read right on one table
    await sql`revoke select on municipalities from kortelijn_app`.execute(world.owner);
    try {
      const requestId = 'masked-failure-0001';
      const res = await intakeA.get('/api/municipalities?q=leu', { 'x-request-id': requestId });
      expectProblemShape(res, 500, 'internal', '/api/municipalities');
      expect(res.body.requestId).toBe(requestId);
      expect(res.raw).not.toMatch(LEAKS);
      expect(res.raw).not.toMatch(/name_nl|nis_code|province/i);
    } finally {
      await sql`grant select on municipalities to kortelijn_app`.execute(world.owner);
    }
    expect((await intakeA.get('/api/municipalities?q=leu')).statusCode).toBe(200);
  });

  it('no error body of a range of bad requests holds a stack, a source path or SQL', async () => {
    const responses = [
      await intakeA.post('/api/clients', {
        givenName: "O'Brien",
        familyName: "'; drop table clients; --",
        birthDate: '2999-13-45',
      }),
      await intakeA.get(`/api/clients?q=${encodeURIComponent("' or 1=1 --")}&pageSize=abc`),
      await intakeA.get('/api/clients/%27%20or%201%3D1'),
      await intakeA.post('/api/clients/duplicate-check', { givenName: 'Oud', birthDate: '0000-01-01' }),
      await adminA.get(`/api/audit?from=${encodeURIComponent('2016-12-31T23:59:60Z')}`),
      await raw('POST', '/api/auth/login', {
        headers: { 'content-type': 'application/json' },
        payload: '{"__proto__": {"admin": true}, "email": "a@b.c", "password": "x"}',
      }),
      await raw('POST', '/api/auth/login', { headers: { 'content-type': 'application/json' }, payload: '[1, 2' }),
    ];
    for (const res of responses) {
      expect(res.statusCode, res.raw).toBeGreaterThanOrEqual(400);
      expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
      expect(res.raw, res.raw).not.toMatch(LEAKS);
      expect(Object.keys(res.body).filter((k) => !PROBLEM_KEYS.includes(k) && k !== 'errors')).toEqual([]);
    }
  });

  it('a path with broken percent-encoding still gets a problem document with a request id, and no framework internals', async () => {
    const res = await raw('GET', '/api/users/%E0%A4%A');
    expect(res.statusCode).toBe(400);
    expect(String(res.headers['x-request-id'])).toMatch(UUID);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'bad-request', status: 400 });
    expect(res.raw).not.toMatch(LEAKS);
  });
});

describe('request ids', () => {
  it('every response carries x-request-id, successes included', async () => {
    const responses: [string, Res][] = [
      ['health', await raw('GET', '/api/health')],
      ['openapi', await raw('GET', '/api/openapi.json')],
      ['me', await intakeA.get('/api/auth/me')],
      ['created', await intakeA.post('/api/clients', { givenName: 'Rik', familyName: 'Request' })],
      ['no content', await (await login(world, t.users.caregiverA.email)).post('/api/auth/logout')],
      ['unauthenticated', await raw('GET', '/api/clients')],
      ['unknown route', await raw('GET', '/api/nope')],
      [
        'too large',
        await raw('POST', '/api/auth/login', { payload: { email: 'x', password: 'y'.repeat(2 * BODY_LIMIT) } }),
      ],
    ];
    expect(responses.map(([label, res]) => `${label} ${res.statusCode}`)).toEqual([
      'health 200',
      'openapi 200',
      'me 200',
      'created 201',
      'no content 204',
      'unauthenticated 401',
      'unknown route 404',
      'too large 413',
    ]);
    for (const [label, res] of responses) expect(String(res.headers['x-request-id']), label).toMatch(UUID);
    // each request its own id
    expect(new Set(responses.map(([, res]) => res.headers['x-request-id'])).size).toBe(responses.length);
  });

  it('echoes a valid given id in the header, the problem body and the audit trail', async () => {
    const given = `client-req.${crypto.randomBytes(6).toString('hex')}`;
    const ok = await raw('GET', '/api/health', { headers: { 'x-request-id': given } });
    expect(ok.headers['x-request-id']).toBe(given);
    const refused = await intakeA.get('/api/audit', { 'x-request-id': given });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['x-request-id']).toBe(given);
    expect(refused.body.requestId).toBe(given);
    const audited = await world.owner
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('request_id', '=', given)
      .execute();
    expect(audited).toEqual([{ action: 'GET /api/audit', outcome: 'denied' }]);
  });

  it.each([
    ['too short', 'abc'],
    ['spaces', 'has spaces in it'],
    ['too long', 'x'.repeat(65)],
    ['a header injection attempt', 'abcdefgh\\r\\nx: y'],
    ['slashes', '../../etc/passwd'],
  ])('replaces a given id with %s by its own', async (_label, given) => {
    const res = await raw('GET', '/api/health', { headers: { 'x-request-id': given } });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['x-request-id'])).toMatch(UUID);
  });
});

describe('language', () => {
  const unauthenticated = {
    nl: 'U bent niet aangemeld of uw sessie is verlopen.',
    en: 'You are not signed in or your session has expired.',
  };

  it('is Dutch without an Accept-Language header', async () => {
    const res = await raw('GET', '/api/clients');
    expect(res.body.title).toBe(unauthenticated.nl);
  });

  it.each([
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['fr-BE, en;q=0.5', 'en'],
    ['nl-BE', 'nl'],
    ['fr-BE', 'nl'],
    ['en;q=0.5, nl;q=0.8', 'nl'],
    ['de, *;q=0.1', 'nl'],
  ] as const)('Accept-Language %s → %s', async (header, lang) => {
    const res = await raw('GET', '/api/clients', { headers: { 'accept-language': header } });
    expect(res.body.title).toBe(unauthenticated[lang]);
    expect(res.body.detail).toBe(unauthenticated[lang]);
  });

  it('translates field messages too', async () => {
    const body = { givenName: 'Ann', familyName: 'Peeters', municipality: '99999', shoeSize: 1 };
    const nl = await intakeA.post('/api/clients', body);
    const english = new Caller(world.app, intakeA.cookie, intakeA.csrf, null, 'en');
    const en = await english.post('/api/clients', body);
    expect(nl.body.title).toBe('De invoer is niet geldig.');
    expect(en.body.title).toBe('The input is not valid.');
    expect(en.body.errors).toEqual([{ field: 'shoeSize', code: 'unknown-field', message: 'This field is unknown.' }]);
    const unknownPlace = await english.post('/api/clients', {
      givenName: 'Ann',
      familyName: 'Peeters',
      municipality: '99999',
    });
    expect(unknownPlace.body.errors).toEqual([
      { field: 'municipality', code: 'municipality-unknown', message: 'This municipality (NIS code) does not exist.' },
    ]);
    const schemaNl = await intakeA.get('/api/clients?pageSize=0');
    const schemaEn = await english.get('/api/clients?pageSize=0');
    expect(schemaNl.body.errors[0].field).toBe('pageSize');
    expect(schemaEn.body.errors[0].message).not.toBe(schemaNl.body.errors[0].message);
  });
});

describe('request bodies', () => {
  it('refuses a body over the limit with 413, on a public and on a signed-in route, and stores nothing', async () => {
    const nearLimit = await raw('POST', '/api/auth/login', {
      payload: { email: 'a@test.example', password: 'x'.repeat(BODY_LIMIT - 100) },
    });
    expect(nearLimit.statusCode).toBe(401); // within the limit: read, then refused for its content
    const before = await countClients();
    const res = await intakeA.post('/api/clients', { givenName: 'Groot', familyName: 'x'.repeat(2 * BODY_LIMIT) });
    expectProblemShape(res, 413, 'payload-too-large', '/api/clients');
    expect(await countClients()).toBe(before);
  });

  it.each([
    ['application/xml', '<client/>'],
    ['application/x-www-form-urlencoded', 'givenName=A&familyName=B'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="givenName"\r\n\r\nA\r\n--x--'],
  ])('refuses %s with 415 and stores nothing', async (type, payload) => {
    const before = await countClients();
    const res = await intakeA.request('POST', '/api/clients', payload, { 'content-type': type });
    expectProblemShape(res, 415, 'unsupported-media-type', '/api/clients');
    expect(await countClients()).toBe(before);
  });

  it('refuses a body without a content type with 415', async () => {
    const res = await raw('POST', '/api/auth/login', {
      payload: Buffer.from('{"email":"a@test.example","password":"x"}'),
    });
    expectProblemShape(res, 415, 'unsupported-media-type', '/api/auth/login');
  });

  it('refuses text/plain with 415 like any other non-JSON type', async () => {
    const before = await countClients();
    const res = await intakeA.request('POST', '/api/clients', '{"givenName":"Tekst","familyName":"Plat"}', {
      'content-type': 'text/plain',
    });
    expect(await countClients()).toBe(before);
    expectProblemShape(res, 415, 'unsupported-media-type', '/api/clients');
  });

  it('accepts JSON with a charset parameter', async () => {
    const res = await intakeA.request(
      'POST',
      '/api/clients',
      JSON.stringify({ givenName: 'Cara', familyName: 'Charset' }),
      { 'content-type': 'application/json; charset=utf-8' },
    );
    expect(res.statusCode, res.raw).toBe(201);
  });

  it('answers malformed JSON with 400 bad-request, and stores nothing', async () => {
    const before = await countClients();
    const res = await intakeA.request('POST', '/api/clients', '{"givenName": "Half", "familyName": ', {
      'content-type': 'application/json',
    });
    expectProblemShape(res, 400, 'bad-request', '/api/clients');
    expect(await countClients()).toBe(before);
  });

  it('refuses a prototype-poisoning body with 400', async () => {
    const res = await raw('POST', '/api/auth/login', {
      headers: { 'content-type': 'application/json' },
      payload: '{"email":"a@test.example","password":"x","__proto__":{"polluted":true}}',
    });
    expectProblemShape(res, 400, 'bad-request', '/api/auth/login');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('unknown routes', () => {
  it.each([
    ['GET', '/api/nope'],
    ['POST', '/api/clients/search'],
    ['DELETE', `/api/clients/${crypto.randomUUID()}`],
    ['PUT', '/api/health'],
  ])('%s %s → 404 problem', async (method, url) => {
    const res = await raw(method, url, method === 'GET' || method === 'DELETE' ? {} : { payload: {} });
    expectProblemShape(res, 404, 'not-found', url);
  });

  it('an unknown method on an existing path changes nothing', async () => {
    const res = await intakeA.request('DELETE', `/api/clients/${clientA}`);
    expect(res.statusCode).toBe(404);
    expect((await intakeA.get(`/api/clients/${clientA}`)).statusCode).toBe(200);
  });
});

describe('documentation and health', () => {
  it('/api/openapi.json is OpenAPI 3.1.0 and describes /api/clients with its strict request schema', async () => {
    const res = await raw('GET', '/api/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    const spec = res.body;
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.info).toMatchObject({ title: 'Korte Lijn API' });
    const create = spec.paths['/api/clients'].post;
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['identityKind', 'givenName', 'familyName', 'birthDate', 'insz', 'municipality']),
    );
    expect(Object.keys(create.responses)).toContain('201');
    expect(
      spec.paths['/api/clients'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`),
    ).toEqual(expect.arrayContaining(['query:q', 'query:page', 'query:pageSize']));
    expect(Object.keys(spec.components.securitySchemes).sort()).toEqual(['bearer', 'session']);
    expect(spec.paths['/api/openapi.json']).toBeUndefined();
  });

  it('every operation documents its success answer: a typed schema, or no content for a 204 (intake aside, typed on its own)', async () => {
    type Schema = {
      type?: string;
      properties?: Record<string, Schema>;
      additionalProperties?: unknown;
      items?: Schema;
      anyOf?: Schema[];
      allOf?: Schema[];
    };
    type Operation = { tags?: string[]; responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> };
    // an object that names no field (an untyped `{}` with additional properties) documents nothing
    const typed = (s: Schema | undefined): boolean =>
      s !== undefined &&
      !(s.type === 'object' && !s.allOf && !Object.keys(s.properties ?? {}).length) &&
      Object.values(s.properties ?? {}).every(typed) &&
      (s.items === undefined || typed(s.items)) &&
      [...(s.anyOf ?? []), ...(s.allOf ?? [])].every(typed);
    const spec = (await raw('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    const untyped: string[] = [];
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        if (op.tags?.includes('intake')) continue;
        const success = Object.entries(op.responses ?? {}).filter(([code]) => code.startsWith('2'));
        const documented =
          success.length > 0 &&
          success.every(([code, r]) =>
            code === '204' ? r.content === undefined : typed(r.content?.['application/json']?.schema),
          );
        if (!documented) untyped.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(untyped).toEqual([]);
    // enumerations come out as such
    const referral = spec.paths['/api/referrals/{id}']!.get!.responses!['200']!.content!['application/json']!.schema!;
    expect(JSON.stringify(referral.properties!.status)).toContain('"waitlisted"');
  });

  it('/api/docs serves an HTML page (after redirects, if any)', async () => {
    let url = '/api/docs';
    let res = await raw('GET', url);
    for (let hops = 0; res.statusCode >= 300 && res.statusCode < 400 && hops < 5; hops++) {
      url = new URL(String(res.headers.location), `http://localhost${url}`).pathname;
      res = await raw('GET', url);
    }
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
    expect(res.raw).toMatch(/<html/i);
    expect(res.raw).toMatch(/swagger/i);
  });

  it('/api/health answers 200 ok without a session', async () => {
    const res = await raw('GET', '/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('/api/ready answers 200 with the kind of database in use and, on a server, the state of the pool', async () => {
    const res = await raw('GET', '/api/ready');
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({
      status: 'ready',
      database: serverUrl ? 'postgres' : 'pglite',
      pool: serverUrl ? { total: expect.any(Number) as number, idle: expect.any(Number) as number, waiting: 0 } : null,
    });
    if (serverUrl) expect(res.body.pool.total).toBeGreaterThan(0);
  });

  it('sets protective headers, and no-store on signed-in answers', async () => {
    const me = await intakeA.get('/api/auth/me');
    expect(me.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      'cache-control': 'no-store',
    });
    const health = await raw('GET', '/api/health');
    expect(health.headers['x-content-type-options']).toBe('nosniff');
  });
});
