/**
 * Generated input over every route that takes a body, a query or a path parameter (from the OpenAPI document,
 * so a new route is covered without touching this file). Values come from the route's own schema with mutations
 * now and then (characters PostgreSQL cannot store, huge numbers, wrong types, nulls, nested junk), sent by a
 * signed-in user who may call the route, with ids of records that exist. Whatever comes back: no 5xx, every
 * error is application/problem+json, and no answer carries a stack trace, SQL or a PostgreSQL message.
 * Deterministic: a fixed seed per route.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createWorld,
  login,
  makeTenants,
  makeUser,
  PASSWORD,
  serverUrl,
  type Caller,
  type World,
} from '../support/world.ts';
import { encodeQueryValue, queryPairs, valueFor, type JsonSchema } from '../support/fuzz.ts';
import { TOKEN_PERMISSIONS, type Role } from '../../src/server/core/auth/permissions.ts';

/** FUZZ_SEED and FUZZ_RUNS explore further (e.g. FUZZ_RUNS=500); the defaults are what CI runs */
const SEED = Number(process.env.FUZZ_SEED) || 20_260_609;
/** generated requests per route: ~80 routes, so thousands in all; PGlite (one session, WebAssembly) gets fewer */
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS) || (serverUrl ? 40 : 20);
const MUTATION_ODDS = 10;
/** routes that hash or verify a password (argon2, ~100 ms of CPU each) get a quarter of the runs */
const PASSWORD_ROUTES = new Set([
  'POST /api/auth/login',
  'POST /api/auth/password',
  'POST /api/auth/totp/disable',
  'POST /api/users',
  'POST /api/users/{id}/reset-password',
]);

/** What an error body must never hold: stack frames, source paths, SQL, PostgreSQL messages, framework internals. */
const LEAKS =
  /\n\s+at |\bat .+:\d+:\d+|\.(ts|js|mjs):\d+|node_modules|\bselect\b.+\bfrom\b|\binsert into\b|\bupdate\b.+\bset\b|\bwhere\s+\S+\s*(=|<|>|\bin\b|\bis\b)|permission denied|violates|syntax error|invalid input|invalid byte sequence|out of range|relation "|column "|kortelijn_app|FST_ERR|Error:/i;
/** What no answer may hold, successes included (they echo the generated text, so only unmistakable internals). */
const INTERNALS =
  /\n\s+at \S+ \(|node_modules|violates (unique|foreign key|check|not-null)|invalid byte sequence for encoding|invalid input syntax for|unsupported Unicode escape|duplicate key value/i;

/** Routes a generated request must not call: they end the caller's own session. */
const SKIPPED = new Set(['POST /api/auth/logout']);

interface Route {
  method: string;
  path: string;
  body?: JsonSchema;
  /** the route takes a body without a schema (checked by hand, e.g. the HSDS import) */
  freeBody: boolean;
  query: { name: string; schema: JsonSchema; required: boolean }[];
  pathParams: string[];
}

interface Actor {
  role: Role;
  organizationId: string | null;
  caller: Caller;
}

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let routes: Route[];
let resolveRef: (ref: string) => JsonSchema;
const actors: Actor[] = [];
/** ids of records that exist, by the first segment of the path they are used in */
const ids = new Map<string, string[]>();
/** values that exist, by field name */
const known: Record<string, readonly string[]> = {};

async function signIn(role: Role, organizationId: string | null): Promise<Caller> {
  const user = await makeUser(world, { role, networkId: t.network.id, organizationId });
  return login(world, user.email, PASSWORD);
}

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  // the callers, tried in this order: the first one the route does not refuse (403) sends its requests
  for (const [role, organizationId] of [
    ['team-lead', t.orgA.id],
    ['coordinator', t.orgA.id],
    ['org-admin', t.orgA.id],
    ['network-admin', null],
  ] as [Role, string | null][]) {
    actors.push({ role, organizationId, caller: await signIn(role, organizationId) });
  }
  const [worker, coordinator, admin] = actors.map((a) => a.caller) as [Caller, Caller, Caller];

  // records to aim at: a client with a help request, a screening, a safety signal, a consent and a referral,
  // offers, a user with a membership, an API token, a team and a site
  const created = async (res: Promise<{ statusCode: number; body: { id: string }; raw: string }>) => {
    const answer = await res;
    expect(answer.statusCode, answer.raw).toBe(201);
    return answer.body.id;
  };
  const offerBody = {
    description: 'Gegenereerde invoer',
    themes: ['depression'],
    municipalities: ['24062'],
    modalities: ['face-to-face'],
    capacity: 'open',
    level: 'basic',
  };
  const offerA = await created(coordinator.post('/api/offers', { name: 'Aanbod A', ...offerBody }));
  const coordinatorB = await login(
    world,
    (await makeUser(world, { role: 'coordinator', networkId: t.network.id, organizationId: t.orgB.id })).email,
  );
  const offerB = await created(coordinatorB.post('/api/offers', { name: 'Aanbod B', ...offerBody }));
  const client = await created(worker.post('/api/clients', { givenName: 'Vera', familyName: 'Fuzz' }));
  const helpRequest = await created(
    worker.post('/api/help-requests', { clientId: client, story: 'Somber', themes: ['depression'], urgency: 'urgent' }),
  );
  const screening = await created(
    worker.post(`/api/help-requests/${helpRequest}/screenings`, {
      instrument: 'phq9',
      answers: { q1: 2, q2: 2, q3: 1, q4: 1, q5: 1, q6: 1, q7: 1, q8: 0, q9: 0 },
    }),
  );
  const signal = await created(
    worker.post(`/api/help-requests/${helpRequest}/safety-signals`, { kind: 'unsafe-home', level: 'high' }),
  );
  const consent = await created(
    worker.post('/api/consents', {
      clientId: client,
      purpose: 'referral',
      recipientOrganizationId: t.orgB.id,
      categories: ['contact', 'help-request-summary'],
      method: 'verbal',
    }),
  );
  const referral = await created(
    worker.post('/api/referrals', {
      helpRequestId: helpRequest,
      offerId: offerB,
      priority: 'routine',
      consentId: consent,
    }),
  );
  const victim = await makeUser(world, { role: 'caregiver', networkId: t.network.id, organizationId: t.orgA.id });
  const token = (await admin.post('/api/api-tokens', { name: 'Partner', permissions: ['client:read'] })).body.id;
  const notifications = await world.owner.selectFrom('notifications').select('id').execute();
  const organizations = [t.orgA.id, t.orgB.id];
  ids.set('clients', [client]);
  ids.set('help-requests', [helpRequest]);
  ids.set('screenings', [screening]);
  ids.set('safety-signals', [signal]);
  ids.set('consents', [consent]);
  ids.set('referrals', [referral]);
  ids.set('offers', [offerA, offerB]);
  ids.set('public', [offerA, offerB]);
  ids.set('users', [victim.id]);
  ids.set('memberships', [victim.membershipId]);
  ids.set('api-tokens', [token]);
  ids.set('organizations', organizations);
  ids.set(
    'notifications',
    notifications.map((n) => n.id),
  );
  ids.set('instruments', ['phq9', 'gad7', 'k10', 'djg6']);
  ids.set('hsds', [offerA, offerB, ...organizations]);
  ids.set('any', [...new Set([...ids.values()].flat())]);
  const team = await created(admin.post(`/api/organizations/${t.orgA.id}/teams`, { name: 'Team Fuzz' }));
  const site = await created(
    admin.post(`/api/organizations/${t.orgA.id}/sites`, {
      name: 'Vestiging Fuzz',
      street: 'Straat 1',
      postalCode: '3000',
      municipality: '24062',
    }),
  );
  const codes = async (url: string) =>
    ((await worker.get(url)).body as { items: { id: string }[] }).items.map((x) => x.id);
  Object.assign(known, {
    organizationId: organizations,
    recipientOrganizationId: organizations,
    teamId: [team],
    siteIds: [site],
    clientId: [client],
    existingClientId: [client],
    helpRequestId: [helpRequest],
    consentId: [consent],
    offerId: [offerA, offerB],
    recipientOfferId: [offerB],
    topSuggestionOfferId: [offerA, offerB],
    membershipId: [victim.membershipId],
    instrument: ids.get('instruments')!,
    themes: await codes('/api/themes'),
    theme: await codes('/api/themes'),
    category: await codes('/api/categories'),
    zones: [t.network.id],
    zone: [t.network.id],
    municipalities: ['24062', '44021', '11002'],
    municipality: ['24062', '44021', '11002'],
    language: ['nl', 'en', 'fr'],
    languages: ['nl', 'en', 'fr'],
    preferredLanguage: ['nl', 'en'],
    permissions: TOKEN_PERMISSIONS,
  });

  const doc = (await world.app.inject({ url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, OpenApiOperation>>;
    components: { schemas: Record<string, JsonSchema> };
  }>();
  resolveRef = (ref) => doc.components.schemas[ref.replace('#/components/schemas/', '')]!;
  routes = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const params = op.parameters ?? [];
      const route: Route = {
        method: method.toUpperCase(),
        path,
        body: op.requestBody?.content?.['application/json']?.schema,
        freeBody: path === '/api/hsds/imports',
        query: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema, required: Boolean(p.required) })),
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
      };
      const takesInput = route.body || route.freeBody || route.query.length || route.pathParams.length;
      if (takesInput && !SKIPPED.has(`${route.method} ${path}`)) routes.push(route);
    }
  }
}, 120_000);
afterAll(() => world?.close());

interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema: JsonSchema }> };
}

interface Generated {
  url: string;
  body?: unknown;
}

/** Raw query-string pieces no encoder would produce. */
const RAW_QUERY_JUNK = ['%', '%zz', '%00', '%ED%A0%80', '%C0%80', 'a[b]=c', '==', '&&', 'x=%FF%FE'];

function requestsFor(route: Route, index: number): Generated[] {
  const opts = {
    resolve: (ref: string) => resolveRef(ref),
    ids: fc.constantFrom(...ids.get('any')!),
    known,
    mutationOdds: MUTATION_ODDS,
  };
  const kind = route.path.split('/')[2]!;
  const existing = ids.get(kind) ?? ids.get('any')!;
  const pathValue = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...existing) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom('\u0000', '\ud800', '0', '-1', '1e400', 'null', "' or 1=1 --") },
  );
  const pathArb = fc
    .tuple(...route.pathParams.map(() => pathValue))
    .map((values) =>
      route.pathParams.reduce((path, name, i) => path.replace(`{${name}}`, encodeQueryValue(values[i]!)), route.path),
    );
  const queryArb = fc
    .tuple(
      fc.tuple(
        ...route.query.map((q) =>
          q.required ? valueFor(q.schema, opts) : fc.option(valueFor(q.schema, opts), { nil: undefined }),
        ),
      ),
      fc.option(fc.constantFrom(...RAW_QUERY_JUNK), { nil: undefined, freq: 8 }),
    )
    .map(([values, raw]) => {
      const pairs = route.query.flatMap((q, i) => queryPairs(q.name, values[i]));
      if (raw) pairs.push(raw);
      return pairs.length ? `?${pairs.join('&')}` : '';
    });
  const bodyArb: fc.Arbitrary<unknown> = route.body
    ? valueFor(route.body, opts)
    : route.freeBody
      ? hsdsUpload(opts)
      : fc.constant(undefined);
  return fc.sample(
    fc.record({ path: pathArb, query: queryArb, body: bodyArb }).map(({ path, query, body }) => ({
      url: path + query,
      ...(body !== undefined && route.method !== 'GET' ? { body } : {}),
    })),
    {
      seed: SEED + index,
      numRuns: PASSWORD_ROUTES.has(`${route.method} ${route.path}`) ? Math.ceil(RUNS_PER_ROUTE / 4) : RUNS_PER_ROUTE,
    },
  );
}

/** HSDS uploads: records of the official entities with generated fields, a CSV datapackage, or junk. */
function hsdsUpload(opts: Parameters<typeof valueFor>[1]): fc.Arbitrary<unknown> {
  const text: JsonSchema = { type: 'string', maxLength: 60 };
  const record = (fields: Record<string, JsonSchema>, required: string[]) =>
    valueFor({ type: 'object', properties: { id: { type: 'string', format: 'uuid' }, ...fields }, required }, opts);
  const organization = record({ name: text, description: text, email: text, website: text }, ['id', 'name']);
  const service = record(
    {
      name: text,
      description: text,
      status: { enum: ['active', 'inactive'] },
      organization_id: { type: 'string', format: 'uuid' },
    },
    ['id', 'name', 'status'],
  );
  const csv = fc
    .tuple(fc.uuid(), fc.string({ maxLength: 30 }), fc.constantFrom('', '\u0000', '\ud800', '"', '\n', ','))
    .map(([id, name, odd]) => ({
      format: 'datapackage',
      files: { 'organizations.csv': `id,name,description\n${id},${JSON.stringify(name + odd)},x${odd}\n` },
    }));
  return fc.oneof(
    fc.record({
      organizations: fc.array(organization, { maxLength: 2 }),
      services: fc.array(service, { maxLength: 2 }),
    }),
    fc.array(organization, { maxLength: 3 }),
    csv,
    fc.anything({ maxDepth: 3 }),
  );
}

async function send(actor: Actor, method: string, url: string, body?: unknown) {
  const headers: Record<string, string> = { cookie: `kl_session=${actor.caller.cookie}` };
  if (method !== 'GET') headers['x-csrf-token'] = actor.caller.csrf!;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return world.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
}

/** The first caller that may call the route: probed with a body type every route refuses (415 comes after 403). */
async function actorFor(route: Route): Promise<Actor> {
  const url = route.path.replace(/\{[^}]+\}/g, crypto.randomUUID());
  for (const actor of actors) {
    const headers: Record<string, string> = { cookie: `kl_session=${actor.caller.cookie}` };
    if (route.method !== 'GET') {
      headers['x-csrf-token'] = actor.caller.csrf!;
      headers['content-type'] = 'application/xml';
    }
    const probe =
      route.method === 'GET'
        ? await world.app.inject({ method: 'GET', url, headers })
        : await world.app.inject({ method: route.method as 'POST', url, headers, payload: '<probe/>' });
    if (probe.statusCode !== 403) return actor;
  }
  return actors[0]!;
}

/** A generated request may end the caller's session (a password reset, a deactivation): sign in anew. */
const SIGNED_OUT = new Set(['unauthenticated', 'password-change-required', 'two-factor-pending', 'no-membership']);
async function keepSignedIn(actor: Actor, code: unknown) {
  if (typeof code === 'string' && SIGNED_OUT.has(code)) {
    actor.caller = await signIn(actor.role, actor.organizationId);
  }
}

/** What is wrong with an answer, if anything. */
function flawOf(res: { statusCode: number; headers: Record<string, unknown>; body: string }): string | null {
  if (res.statusCode >= 500) return '5xx';
  const error = res.statusCode >= 400;
  if (error && !String(res.headers['content-type']).startsWith('application/problem+json')) return 'not a problem';
  if (error && LEAKS.test(res.body)) return 'leak';
  if (INTERNALS.test(res.body)) return 'internals';
  return null;
}

function problemOf(res: { statusCode: number; body: string }) {
  if (res.statusCode < 400) return null;
  try {
    return JSON.parse(res.body) as { code?: string; errors?: { field: string; code: string }[] };
  } catch {
    return null;
  }
}

/** Counts for the summary line; with FUZZ_VERBOSE, what held each route back and where the time went. */
class Tally {
  sent = 0;
  readonly statuses = new Map<number, number>();
  readonly succeeded = new Set<string>();
  /** routes that answered something other than a refusal of the input or the caller at least once */
  readonly pastValidation = new Set<string>();
  readonly refusals = new Map<string, Map<string, number>>();
  readonly millis = new Map<string, number>();
  readonly failures = new Map<string, { count: number; example: string }>();

  record(route: string, status: number, problem: ReturnType<typeof problemOf>) {
    this.sent++;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (status < 300) this.succeeded.add(route);
    if (![400, 401, 403, 429].includes(status)) this.pastValidation.add(route);
    const refusals = this.refusals.get(route) ?? new Map<string, number>();
    for (const e of problem?.errors ?? (problem ? [{ field: '-', code: problem.code }] : [])) {
      refusals.set(`${e.field}:${e.code}`, (refusals.get(`${e.field}:${e.code}`) ?? 0) + 1);
    }
    this.refusals.set(route, refusals);
  }

  fail(flaw: string, route: string, example: string) {
    const key = `${flaw}: ${route}`;
    const known = this.failures.get(key);
    if (known) known.count++;
    else this.failures.set(key, { count: 1, example });
  }

  summary(routes: number, ms: number) {
    const statuses = [...this.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
    return `fuzz: ${this.sent} requests over ${routes} routes in ${ms} ms; ${this.succeeded.size} routes answered 2xx; ${statuses.join(' ')}`;
  }

  details(routes: string[]) {
    const top = (counts: Map<string, number>) =>
      [...counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([k, n]) => `${k}×${n}`)
        .join(' ');
    const held = routes
      .filter((r) => !this.succeeded.has(r))
      .map((r) => `never 2xx: ${r}: ${top(this.refusals.get(r)!)}`);
    const slow = [...this.millis]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([r, ms]) => `${ms} ms: ${r}`);
    return [...held, ...slow].join('\n');
  }
}

describe('generated input', () => {
  it(
    'no route answers 5xx, an error is always a problem document, no answer leaks internals',
    async () => {
      const tally = new Tally();
      const started = Date.now();
      for (const [index, route] of routes.entries()) {
        const name = `${route.method} ${route.path}`;
        const routeStarted = Date.now();
        const actor = await actorFor(route);
        for (const request of requestsFor(route, index)) {
          const res = await send(actor, route.method, request.url, request.body);
          const problem = problemOf(res);
          tally.record(name, res.statusCode, problem);
          const flaw = flawOf(res);
          if (flaw) {
            const body = JSON.stringify(request.body)?.slice(0, 300);
            tally.fail(
              flaw,
              name,
              `${route.method} ${request.url} ${body} → ${res.statusCode} ${res.body.slice(0, 300)}`,
            );
          }
          await keepSignedIn(actor, problem?.code);
        }
        tally.millis.set(name, Date.now() - routeStarted);
      }
      console.info(tally.summary(routes.length, Date.now() - started));
      if (process.env.FUZZ_VERBOSE) console.info(tally.details(routes.map((r) => `${r.method} ${r.path}`)));

      expect([...tally.failures].map(([key, { count, example }]) => `${key} (${count}×), e.g. ${example}`)).toEqual([]);
      // the generator is useful only if it gets past validation: most routes must have done real work
      expect(routes.length).toBeGreaterThan(60);
      expect(tally.sent).toBeGreaterThanOrEqual((routes.length - PASSWORD_ROUTES.size) * RUNS_PER_ROUTE);
      // most routes address a record by id, which a generated uuid never finds (404 after validation): so most
      // routes must get past validation (PGlite's shorter run reached 102 of 136, PostgreSQL's more), and a good
      // share must do real work (2xx)
      expect(tally.pastValidation.size).toBeGreaterThan(routes.length * 0.7);
      expect(tally.succeeded.size).toBeGreaterThan(routes.length * 0.4);
    },
    // generous for a loaded machine: about 10 ms a request on an idle one
    120_000 + RUNS_PER_ROUTE * 9_000,
  );
});
