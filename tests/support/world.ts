import crypto from 'node:crypto';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { createDatabase, type Database } from '../../src/server/core/db/database.ts';
import { migrate } from '../../src/server/core/db/migrate.ts';
import { ensureReferenceData } from '../../src/server/reference-data.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { loadConfig, type AppConfig } from '../../src/server/core/config.ts';
import { hashPassword } from '../../src/server/core/auth/passwords.ts';
import type { DB } from '../../src/server/core/db/schema.ts';
import { ROLE_PERMISSIONS, type Role } from '../../src/server/core/auth/permissions.ts';
import type { Actor } from '../../src/server/core/auth/actor.ts';

export const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;

/** A fresh database per test file: a new PostgreSQL database on the server, or an in-memory PGlite. */
export async function freshDatabase(poolSize = 5): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (!serverUrl) {
    const db = await createDatabase({});
    await migrate(db.owner);
    await ensureReferenceData(db.owner);
    // (a test may have closed it already: the database "going away")
    return { db, drop: () => db.close().catch(() => undefined) };
  }
  const name = `kl_test_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await createDatabase({ databaseUrl: url.toString(), poolSize });
  await migrate(db.owner);
  await ensureReferenceData(db.owner);
  return {
    db,
    drop: async () => {
      // a test may have closed the handles already (the database "going away"): the database is dropped all the same
      await db.close().catch(() => undefined);
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export const PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

export interface World {
  app: App;
  db: Database;
  owner: Kysely<DB>;
  config: AppConfig;
  close(): Promise<void>;
}

export async function createWorld(
  overrides: Partial<AppConfig> = {},
  options: { poolSize?: number } = {},
): Promise<World> {
  const { db, drop } = await freshDatabase(options.poolSize);
  const config = { ...loadConfig({}), ...overrides };
  const app = await buildApp({ db, config, logger: false });
  await app.ready();
  return {
    app,
    db,
    owner: db.owner,
    config,
    close: async () => {
      await app.close();
      await drop();
    },
  };
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

export async function makeNetwork(world: World, name = unique('network')) {
  return world.owner
    .insertInto('networks')
    .values({ name, zone_name: 'Testzone' })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function makeOrganization(world: World, networkId: string, kind = 'caw', name = unique('org')) {
  return world.owner
    .insertInto('organizations')
    .values({ network_id: networkId, name, kind })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
}

/**
 * A referral written straight into the tables as the owner (for counting tests), with the consent it needs: from
 * `from` to `to`'s offer for the sender's client; `fields` are columns of the referral (status, dates, …).
 */
export async function insertReferral(
  world: World,
  r: { networkId: string; from: string; to: string; offerId: string; clientId: string },
  fields: Record<string, unknown> = {},
): Promise<string> {
  const consent = await world.owner
    .insertInto('consents')
    .values({
      organization_id: r.from,
      network_id: r.networkId,
      client_id: r.clientId,
      purpose: 'referral',
      recipient_organization_id: r.to,
      categories: sql`array['contact']::text[]`,
      method: 'verbal',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const row = await world.owner
    .insertInto('referrals')
    .values({
      network_id: r.networkId,
      sender_organization_id: r.from,
      receiver_organization_id: r.to,
      offer_id: r.offerId,
      client_id: r.clientId,
      consent_id: consent.id,
      priority: 'routine',
      snapshot: '{}',
      status: 'requested',
      answer_due_at: '2099-01-01T00:00:00Z',
      ...fields,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function makeUser(
  world: World,
  opts: { role: Role; networkId: string; organizationId?: string | null; email?: string; mustChangePassword?: boolean },
) {
  passwordHash ??= hashPassword(PASSWORD);
  const email = opts.email ?? `${unique(opts.role)}@test.example`;
  const user = await world.owner
    .insertInto('users')
    .values({
      email,
      display_name: `Test ${opts.role}`,
      password_hash: await passwordHash,
      must_change_password: opts.mustChangePassword ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const membership = await world.owner
    .insertInto('memberships')
    .values({
      user_id: user.id,
      network_id: opts.networkId,
      organization_id: opts.organizationId ?? null,
      role: opts.role,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: user.id, email, membershipId: membership.id };
}

export interface Res {
  statusCode: number;
  headers: Record<string, unknown>;
  body: any;
  raw: string;
}

/** A signed-in browser-like caller: keeps the session cookie and sends the CSRF token on changes. */
export class Caller {
  constructor(
    readonly app: App,
    public cookie: string | null = null,
    public csrf: string | null = null,
    public bearer: string | null = null,
    public lang = 'nl',
  ) {}

  async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
    const h: Record<string, string> = { 'accept-language': this.lang, ...headers };
    if (this.cookie) h.cookie = `kl_session=${this.cookie}`;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    const res = await this.app.inject({
      method: method as 'GET',
      url,
      headers: h,
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    const setCookie = res.cookies.find((c) => c.name === 'kl_session');
    if (setCookie) this.cookie = setCookie.value || null;
    let parsed: unknown = undefined;
    try {
      parsed = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      parsed = undefined;
    }
    return { statusCode: res.statusCode, headers: res.headers, body: parsed, raw: res.body };
  }
  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, undefined, headers);
  }
  post(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', url, body ?? {}, headers);
  }
  patch(url: string, body: unknown) {
    return this.request('PATCH', url, body);
  }
}

export async function login(world: World, email: string, password = PASSWORD): Promise<Caller> {
  const caller = new Caller(world.app);
  const res = await caller.post('/api/auth/login', { email, password });
  if (res.statusCode !== 200) throw new Error(`login failed for ${email}: ${res.statusCode} ${res.raw}`);
  caller.csrf = res.body.csrfToken;
  return caller;
}

/** A small network: two organisations of one network, one of another network, users in every role. */
export async function makeTenants(world: World) {
  const network = await makeNetwork(world);
  const otherNetwork = await makeNetwork(world);
  const orgA = await makeOrganization(world, network.id, 'caw');
  const orgB = await makeOrganization(world, network.id, 'cgg');
  const orgX = await makeOrganization(world, otherNetwork.id, 'caw');
  const user = (role: Role, organizationId: string | null, networkId = network.id) =>
    makeUser(world, { role, networkId, organizationId });
  const users = {
    intakeA: await user('intake-worker', orgA.id),
    caregiverA: await user('caregiver', orgA.id),
    teamLeadA: await user('team-lead', orgA.id),
    adminA: await user('org-admin', orgA.id),
    intakeB: await user('intake-worker', orgB.id),
    adminB: await user('org-admin', orgB.id),
    intakeX: await user('intake-worker', orgX.id, otherNetwork.id),
    networkAdmin: await user('network-admin', null),
    networkCoordinator: await user('network-coordinator', null),
    analyst: await user('analyst', null),
    networkAdminX: await user('network-admin', null, otherNetwork.id),
  };
  return { network, otherNetwork, orgA, orgB, orgX, users };
}

/** A user's actor as the server builds it for a request (no session), for tests that call inTenant themselves. */
export const userActor = (
  userId: string | null,
  organizationId: string | null,
  networkId: string,
  role: Role,
): Actor => ({
  kind: 'user',
  userId,
  tokenId: null,
  membershipId: null,
  organizationId,
  networkId,
  role,
  permissions: new Set(ROLE_PERMISSIONS[role]),
  session: null,
});
