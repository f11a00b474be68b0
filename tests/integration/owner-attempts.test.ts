import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import {
  createWorld,
  login,
  makeOrganization,
  makeTenants,
  makeUser,
  type Caller,
  type Res,
  type World,
} from '../support/world.ts';
import { inTenant } from '../../src/server/core/db/tenant.ts';
import { ROLE_PERMISSIONS } from '../../src/server/core/auth/permissions.ts';
import type { Actor } from '../../src/server/core/auth/actor.ts';

// Owners see attempts (issue 9, part 5): a CAW's records, an OCMW that tries them, a CGG that receives a referral.
let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let ocmw: { id: string; name: string };
let ocmwUser: { id: string; email: string };
let cawIntake: Caller; // org A (the CAW): owns the person's records
let cawAdmin: Caller;
let cgg: Caller; // org B (the CGG): receives the referral
let cggAdmin: Caller;
let stranger: Caller; // an intake worker of the OCMW
let analyst: Caller; // a network role without access to persons
let record: { clientId: string; helpRequestId: string; consentId: string; referralId: string };

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  ocmw = await makeOrganization(world, t.network.id, 'ocmw', `OCMW Teststad ${crypto.randomUUID().slice(0, 6)}`);
  ocmwUser = await makeUser(world, { role: 'intake-worker', networkId: t.network.id, organizationId: ocmw.id });
  cawIntake = await login(world, t.users.intakeA.email);
  cawAdmin = await login(world, t.users.adminA.email);
  cgg = await login(world, t.users.intakeB.email);
  cggAdmin = await login(world, t.users.adminB.email);
  stranger = await login(world, ocmwUser.email);
  analyst = await login(world, t.users.analyst.email);

  const coordinatorB = await makeUser(world, {
    role: 'coordinator',
    networkId: t.network.id,
    organizationId: t.orgB.id,
  });
  const offer = await (
    await login(world, coordinatorB.email)
  ).post('/api/offers', {
    name: 'Begeleiding CGG',
    description: 'x',
    themes: ['depression'],
    municipalities: ['24062'],
    modalities: ['face-to-face'],
    capacity: 'open',
    level: 'basic',
  });
  expect(offer.statusCode, offer.raw).toBe(201);
  const client = await cawIntake.post('/api/clients', { givenName: 'Ilse', familyName: 'Eigenaar' });
  const help = await cawIntake.post('/api/help-requests', {
    clientId: client.body.id,
    story: 'Zoekt steun',
    themes: ['depression'],
    urgency: 'routine',
  });
  const consent = await cawIntake.post('/api/consents', {
    clientId: client.body.id,
    purpose: 'referral',
    recipientOrganizationId: t.orgB.id,
    categories: ['contact'],
    method: 'verbal',
  });
  const referral = await cawIntake.post('/api/referrals', {
    helpRequestId: help.body.id,
    offerId: offer.body.id,
    priority: 'routine',
    consentId: consent.body.id,
  });
  expect([client.statusCode, help.statusCode, consent.statusCode, referral.statusCode], referral.raw).toEqual([
    201, 201, 201, 201,
  ]);
  record = {
    clientId: client.body.id,
    helpRequestId: help.body.id,
    consentId: consent.body.id,
    referralId: referral.body.id,
  };
});
afterAll(() => world?.close());

/** Rows written for owners, as the database holds them (the owner handle sees through RLS). */
const ownerRows = (filter: { entityId?: string; organizationId?: string } = {}) =>
  world.owner
    .selectFrom('audit_log')
    .selectAll()
    .where('foreign_network_id', 'is not', null)
    .$if(filter.entityId !== undefined, (q) => q.where('entity_id', '=', filter.entityId!))
    .$if(filter.organizationId !== undefined, (q) => q.where('organization_id', '=', filter.organizationId!))
    .orderBy('id')
    .execute();

const countOwnerRows = async () =>
  Number(
    (
      await world.owner
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('foreign_network_id', 'is not', null)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A problem answer without what differs between any two requests (its id, the path it names). */
function sameness(res: Res) {
  const { requestId, instance, ...rest } = res.body as Record<string, unknown>;
  return {
    status: res.statusCode,
    type: res.headers['content-type'],
    length: res.headers['content-length'],
    cache: res.headers['cache-control'],
    body: rest,
    requestId: typeof requestId,
    instance: typeof instance,
  };
}

const auditOf = async (caller: Caller, query = '') => {
  const res = await caller.get(`/api/audit?limit=200${query}`);
  expect(res.statusCode, res.raw).toBe(200);
  return res.body.items as {
    id: string;
    role: string | null;
    action: string;
    entityType: string | null;
    entityId: string | null;
    outcome: string;
    actorDisplayName: string | null;
    ip: string | null;
    attemptBy: string | null;
  }[];
};

const accessHistory = async (clientId: string, caller = cawAdmin) => {
  const res = await caller.get(`/api/clients/${clientId}/access-log`);
  expect(res.statusCode, res.raw).toBe(200);
  return res.body.items as {
    role: string | null;
    organizationName: string | null;
    action: string;
    refusedAttempt: boolean;
    userDisplayName: string | null;
  }[];
};

describe('a refused read of another organisation’s client', () => {
  it('answers exactly the 404 of a record that does not exist', async () => {
    const existing = await stranger.get(`/api/clients/${record.clientId}`);
    const missing = await stranger.get(`/api/clients/${crypto.randomUUID()}`);
    expect(existing.statusCode).toBe(404);
    expect(sameness(existing)).toEqual(sameness(missing));
    expect(existing.body.instance).toBe(`/api/clients/${record.clientId}`);
    // also for a change and for the access history of the file
    for (const [method, path] of [
      ['PATCH', ''],
      ['GET', '/access-log'],
    ] as const) {
      const body = method === 'PATCH' ? { phone: '+32 470 00 00 00' } : undefined;
      const a = await stranger.request(method, `/api/clients/${record.clientId}${path}`, body);
      const b = await stranger.request(method, `/api/clients/${crypto.randomUUID()}${path}`, body);
      expect(sameness(a), `${method} ${path}`).toEqual(sameness(b));
    }
  });

  it("shows up in the owner's audit view as a refused attempt: which organisation, which role, when", async () => {
    const before = Date.now();
    const res = await stranger.get(`/api/clients/${record.clientId}`);
    expect(res.statusCode).toBe(404);
    const items = await auditOf(cawAdmin, `&entityId=${record.clientId}&action=client.read&outcome=not-found`);
    const attempt = items[0]!;
    expect(attempt).toMatchObject({
      attemptBy: ocmw.name,
      role: 'intake-worker',
      action: 'client.read',
      entityType: 'client',
      entityId: record.clientId,
      outcome: 'not-found',
      // who exactly tried stays in the OCMW's own trail; the owner learns the organisation and the role
      actorDisplayName: null,
      ip: null,
    });
    expect(Date.parse((attempt as unknown as { at: string }).at)).toBeGreaterThan(before - 5_000);
    const [row] = await ownerRows({ entityId: record.clientId });
    expect(row).toMatchObject({
      organization_id: t.orgA.id,
      network_id: t.network.id,
      foreign_organization_id: ocmw.id,
      foreign_network_id: t.network.id,
      actor_user_id: null,
    });
    // the owner's row and the caller's row of the same request share its id, for whoever must trace it
    const callers = await world.owner
      .selectFrom('audit_log')
      .select(['organization_id', 'actor_user_id', 'outcome'])
      .where('request_id', '=', row!.request_id)
      .where('foreign_network_id', 'is', null)
      .execute();
    expect(callers).toHaveLength(1);
  });

  it("shows up in the person's access history, next to what the owner itself did", async () => {
    const history = await accessHistory(record.clientId);
    const refused = history.filter((e) => e.refusedAttempt);
    expect(refused.length).toBeGreaterThanOrEqual(3); // read, change and access history above
    expect(refused[0]).toMatchObject({ organizationName: ocmw.name, role: 'intake-worker', userDisplayName: null });
    expect(new Set(refused.map((e) => e.action))).toEqual(
      new Set(['client.read', 'client.update', 'client.access-log.read']),
    );
    // the owner's own work is there too, not marked
    expect(history.find((e) => e.action === 'client.create')).toMatchObject({
      refusedAttempt: false,
      organizationName: t.orgA.name,
    });
  });

  it('the caller keeps its own refusal row and cannot see the owner’s', async () => {
    const ocmwAdmin = await login(
      world,
      (await makeUser(world, { role: 'org-admin', networkId: t.network.id, organizationId: ocmw.id })).email,
    );
    expect((await stranger.get(`/api/clients/${record.clientId}`)).statusCode).toBe(404);
    const mine = await auditOf(ocmwAdmin, `&entityId=${record.clientId}`);
    expect(mine.length).toBeGreaterThanOrEqual(1);
    // refused as not found, or by permission (an intake worker may not read an access history at all)
    expect(mine.filter((e) => e.attemptBy !== null || !['not-found', 'denied'].includes(e.outcome))).toEqual([]);
    expect(mine.find((e) => e.action === 'client.read')).toMatchObject({ role: 'intake-worker', entityType: 'client' });
    // below the application: the OCMW's transaction sees no row of the CAW, marked or not
    const seen = await inTenant(world.db.app, actorOf(ocmw.id, ocmwUser.id), info, (tx) =>
      tx.db
        .selectFrom('audit_log')
        .select(['organization_id'])
        .where((eb) => eb.or([eb('foreign_network_id', 'is not', null), eb('organization_id', '=', t.orgA.id)]))
        .execute(),
    );
    expect(seen).toEqual([]);
  });

  it('a random id creates no row for any owner, and the caller’s trail looks the same either way', async () => {
    const rowsBefore = await countOwnerRows();
    const random = crypto.randomUUID();
    for (const path of [
      `/api/clients/${random}`,
      `/api/help-requests/${random}`,
      `/api/referrals/${random}`,
      `/api/screenings/${random}/fhir`,
    ]) {
      expect((await stranger.get(path)).statusCode).toBe(404);
    }
    expect(await countOwnerRows()).toBe(rowsBefore);
    expect(
      await world.owner.selectFrom('audit_log').select('organization_id').where('entity_id', '=', random).execute(),
    ).toEqual([
      { organization_id: ocmw.id },
      { organization_id: ocmw.id },
      { organization_id: ocmw.id },
      { organization_id: ocmw.id },
    ]);

    // The caller's own rows get ids from the same sequence: an owner's row must not show as a gap that a random id
    // would not leave. Alternate existing and random ids and compare the steps between the caller's rows.
    const ids: string[] = [];
    for (const id of [random, record.clientId, crypto.randomUUID(), record.clientId, crypto.randomUUID()]) {
      const res = await stranger.get(`/api/clients/${id}`);
      ids.push(res.headers['x-request-id'] as string);
    }
    const rows = await world.owner
      .selectFrom('audit_log')
      .select(['id', 'request_id'])
      .where('request_id', 'in', ids)
      .where('organization_id', '=', ocmw.id)
      .orderBy('id')
      .execute();
    const steps = rows.slice(1).map((r, i) => Number(r.id) - Number(rows[i]!.id));
    expect(new Set(steps).size, `steps between the caller's rows: ${steps.join(', ')}`).toBe(1);
  });
});

describe('other records of a person', () => {
  it('a help request: same 404, the owner sees it, and so does the person’s access history', async () => {
    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { clarification: 'x' }],
      ['POST', '/close', { reason: 'no-need' }],
      ['GET', '/matches', undefined],
    ] as const) {
      const a = await stranger.request(method, `/api/help-requests/${record.helpRequestId}${path}`, body);
      const b = await stranger.request(method, `/api/help-requests/${crypto.randomUUID()}${path}`, body);
      expect(a.statusCode, `${method} ${path} ${a.raw}`).toBe(b.statusCode);
      expect(sameness(a)).toEqual(sameness(b));
    }
    const rows = await ownerRows({ entityId: record.helpRequestId });
    expect(rows.map((r) => r.action).sort()).toEqual([
      'help-request.close',
      'help-request.matches',
      'help-request.read',
      'help-request.update',
    ]);
    expect(rows.every((r) => r.organization_id === t.orgA.id && r.entity_type === 'help-request')).toBe(true);
    expect(rows[0]!.details).toEqual({ clientId: record.clientId });
    const history = await accessHistory(record.clientId);
    expect(history.find((e) => e.refusedAttempt && e.action === 'help-request.read')).toMatchObject({
      organizationName: ocmw.name,
      role: 'intake-worker',
    });
  });

  it('a referral: both parties see the third organisation’s attempt, the caller the same 404', async () => {
    const a = await stranger.get(`/api/referrals/${record.referralId}`);
    const b = await stranger.get(`/api/referrals/${crypto.randomUUID()}`);
    expect(a.statusCode).toBe(404);
    expect(sameness(a)).toEqual(sameness(b));
    const rows = await ownerRows({ entityId: record.referralId });
    expect(rows.map((r) => r.organization_id).sort()).toEqual([t.orgA.id, t.orgB.id].sort());
    // the sender's row points at its client (access history); the receiver has not registered the person yet
    expect(rows.find((r) => r.organization_id === t.orgA.id)!.details).toEqual({ clientId: record.clientId });
    expect(rows.find((r) => r.organization_id === t.orgB.id)!.details).toBeNull();
    const cggView = await auditOf(cggAdmin, `&entityId=${record.referralId}`);
    expect(cggView.find((e) => e.attemptBy !== null)).toMatchObject({
      attemptBy: ocmw.name,
      role: 'intake-worker',
      action: 'referral.read',
      entityType: 'referral',
    });
    // a party refused a step (the sender may not register the receiver's client) is not a foreign attempt
    const before = await countOwnerRows();
    const own = await cawIntake.post(`/api/referrals/${record.referralId}/register-client`, {});
    expect(own.statusCode).toBe(403);
    expect(await countOwnerRows()).toBe(before);
    expect((await cgg.get(`/api/referrals/${record.referralId}`)).statusCode).toBe(200);
    expect(await countOwnerRows()).toBe(before);
  });

  it('a consent: withdrawing another organisation’s consent is the same 404 and is told to the owner', async () => {
    const a = await stranger.post(`/api/consents/${record.consentId}/withdraw`, {});
    const b = await stranger.post(`/api/consents/${crypto.randomUUID()}/withdraw`, {});
    expect(a.statusCode).toBe(404);
    expect(sameness(a)).toEqual(sameness(b));
    expect(await ownerRows({ entityId: record.consentId })).toMatchObject([
      { organization_id: t.orgA.id, action: 'consent.withdraw', outcome: 'not-found', entity_type: 'consent' },
    ]);
  });

  it('an id in a body (requireAccess and friends): the same 400, and the owner sees it', async () => {
    const tryConsent = (clientId: string) =>
      stranger.post('/api/consents', {
        clientId,
        purpose: 'referral',
        recipientOrganizationId: t.orgB.id,
        categories: ['contact'],
        method: 'verbal',
      });
    const a = await tryConsent(record.clientId);
    const b = await tryConsent(crypto.randomUUID());
    expect(a.statusCode).toBe(400);
    expect(a.body.errors).toEqual(b.body.errors);
    expect(sameness(a)).toEqual(sameness(b));
    const rows = (await ownerRows({ entityId: record.clientId })).filter((r) => r.action === 'consent.create');
    expect(rows).toMatchObject([{ organization_id: t.orgA.id, outcome: 'invalid', foreign_organization_id: ocmw.id }]);

    const tryReferral = (helpRequestId: string, consentId: string) =>
      stranger.post('/api/referrals', { helpRequestId, offerId: crypto.randomUUID(), priority: 'routine', consentId });
    const c = await tryReferral(record.helpRequestId, record.consentId);
    const d = await tryReferral(crypto.randomUUID(), crypto.randomUUID());
    expect(c.statusCode).toBe(400);
    expect(sameness(c)).toEqual(sameness(d));
    expect(
      (await ownerRows({ entityId: record.helpRequestId })).filter((r) => r.action === 'referral.create'),
    ).toMatchObject([{ organization_id: t.orgA.id, outcome: 'invalid', role: 'intake-worker' }]);
  });

  it('a network role refused by permission (403) is told to the owner as the network', async () => {
    const a = await analyst.get(`/api/clients/${record.clientId}`);
    const b = await analyst.get(`/api/clients/${crypto.randomUUID()}`);
    expect(a.statusCode).toBe(403);
    expect(sameness(a)).toEqual(sameness(b));
    const network = await world.owner
      .selectFrom('networks')
      .select('name')
      .where('id', '=', t.network.id)
      .executeTakeFirstOrThrow();
    const history = await accessHistory(record.clientId);
    expect(history.find((e) => e.refusedAttempt && e.role === 'analyst')).toMatchObject({
      organizationName: network.name,
      action: 'client.read',
    });
  });

  it("the organisation's own refusals stay in its own trail, unmarked", async () => {
    const before = await countOwnerRows();
    // an intake worker may not read the access history of its own organisation's client
    expect((await cawIntake.get(`/api/clients/${record.clientId}/access-log`)).statusCode).toBe(403);
    expect(await countOwnerRows()).toBe(before);
  });
});

const info = { ip: '127.0.0.1', userAgent: 'test', requestId: 'owner-attempts-test' };
function actorOf(organizationId: string | null, userId: string | null, role: Actor['role'] = 'intake-worker'): Actor {
  return {
    kind: userId ? 'user' : 'token',
    userId,
    tokenId: null,
    membershipId: null,
    organizationId,
    networkId: t.network.id,
    role,
    permissions: new Set(role ? ROLE_PERMISSIONS[role] : []),
    session: null,
  };
}

describe('kl_record_foreign_attempt cannot be misused', () => {
  const call = (args: {
    kind?: string | null;
    id?: string | null;
    action?: string | null;
    outcome?: string | null;
    requestId?: string | null;
  }) => {
    const a = {
      kind: 'client',
      id: record.clientId,
      action: 'client.read',
      outcome: 'not-found',
      requestId: 'misuse-test-1',
      ...args,
    };
    return sql`select kl_record_foreign_attempt(${a.kind}::text, ${a.id}::uuid, ${a.action}::text, ${a.outcome}::text, ${a.requestId}::text) as result`;
  };
  const asOcmw = <T>(work: (db: Parameters<Parameters<typeof inTenant>[3]>[0]['db']) => Promise<T>) =>
    inTenant(world.db.app, actorOf(ocmw.id, ocmwUser.id), info, (tx) => work(tx.db));

  it('refuses bad arguments as the application role, and writes nothing', async () => {
    const before = await countOwnerRows();
    const bad: [Parameters<typeof call>[0], RegExp][] = [
      [{ kind: 'users' }, /unknown record kind/],
      [{ kind: 'audit_log' }, /unknown record kind/],
      [{ kind: null }, /unknown record kind/],
      [{ id: null }, /no record id/],
      [{ action: "client.read'; drop table clients; --" }, /malformed action/],
      [{ action: 'Geweigerde poging door iemand anders' }, /malformed action/],
      [{ action: `a.${'x'.repeat(90)}` }, /malformed action/],
      [{ action: null }, /malformed action/],
      [{ outcome: 'success' }, /not a refusal/],
      [{ outcome: null }, /not a refusal/],
      [{ requestId: 'x' }, /malformed request id/],
      [{ requestId: 'a b c d e f g h' }, /malformed request id/],
    ];
    for (const [args, message] of bad) {
      await expect(
        asOcmw((db) => call(args).execute(db)),
        JSON.stringify(args),
      ).rejects.toThrow(message);
    }
    expect(await countOwnerRows()).toBe(before);
  });

  it('needs a tenant context: the caller it names is the one of the transaction, never an argument', async () => {
    // the application role outside a tenant transaction
    await expect(call({}).execute(world.db.app)).rejects.toThrow(/no tenant context/);
    const before = await countOwnerRows();
    // the owner itself calling it writes nothing: an organisation does not attempt its own records
    await inTenant(world.db.app, actorOf(t.orgA.id, t.users.intakeA.id), info, (tx) => call({}).execute(tx.db));
    expect(await countOwnerRows()).toBe(before);
    // a call that does write says nothing back: the same empty answer as for a record that does not exist
    const existing = await asOcmw((db) => call({}).execute(db));
    const missing = await asOcmw((db) => call({ id: crypto.randomUUID() }).execute(db));
    expect(existing.rows).toEqual(missing.rows);
    expect(existing.rows).toHaveLength(1);
    const rows = await ownerRows({ entityId: record.clientId });
    expect(rows.at(-1)).toMatchObject({ organization_id: t.orgA.id, foreign_organization_id: ocmw.id });
    expect(await countOwnerRows()).toBe(before + 1);
  });

  it('only the application role may call it, and it runs as a role without BYPASSRLS', async () => {
    const rows = (
      await sql<{ role: string; may: boolean }>`
        select r as role, has_function_privilege(r, 'kl_record_foreign_attempt(text, uuid, text, text, text)', 'execute') as may
        from unnest(array['kortelijn_app', 'kortelijn_definer', 'public']) r`.execute(world.owner)
    ).rows;
    expect(rows).toEqual([
      { role: 'kortelijn_app', may: true },
      { role: 'kortelijn_definer', may: false },
      { role: 'public', may: false },
    ]);
    const definer = (
      await sql<{ owner: string; bypass: boolean; login: boolean; config: string[] }>`
        select r.rolname as owner, r.rolbypassrls as bypass, r.rolcanlogin as login, p.proconfig as config
        from pg_proc p join pg_roles r on r.oid = p.proowner where p.proname = 'kl_record_foreign_attempt'`.execute(
        world.owner,
      )
    ).rows[0]!;
    expect(definer).toMatchObject({ owner: 'kortelijn_attempts', bypass: false, login: false });
    expect(definer.config).toEqual(['search_path=pg_catalog, public, pg_temp']);
    // the function's role reads who owns a record, nothing of the person
    const columns = (
      await sql<{ column: string }>`
        select column_name as column from information_schema.column_privileges
        where grantee = 'kortelijn_attempts' and table_name = 'clients' and privilege_type = 'SELECT'
        order by 1`.execute(world.owner)
    ).rows.map((r) => r.column);
    expect(columns).toEqual(['id', 'organization_id']);
  });

  it('a temporary table of the caller cannot stand in for the records it looks up', async () => {
    const before = await countOwnerRows();
    const fake = crypto.randomUUID();
    await asOcmw(async (db) => {
      await sql`create temporary table clients (id uuid, organization_id uuid) on commit drop`.execute(db);
      await sql`insert into clients values (${fake}::uuid, ${t.orgB.id}::uuid)`.execute(db);
      await call({ id: fake }).execute(db);
    });
    expect(await countOwnerRows()).toBe(before);
  });

  it('the application role cannot mark a row as another organisation’s attempt itself', async () => {
    await expect(
      asOcmw((db) =>
        sql`insert into audit_log (organization_id, action, outcome, foreign_organization_id, foreign_network_id)
            values (${t.orgA.id}::uuid, 'client.read', 'not-found', ${t.orgB.id}::uuid, ${t.network.id}::uuid)`.execute(
          db,
        ),
      ),
    ).rejects.toThrow(/permission denied/);
  });
});
