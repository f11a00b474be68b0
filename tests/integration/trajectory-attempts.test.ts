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

// Owners see attempts on trajectories (migration 022): the CAW's trajectory, an OCMW that tries it, the same 404.
let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let ocmw: { id: string; name: string };
let caregiverA: Caller; // org A (the CAW): owns the trajectory
let adminA: Caller;
let stranger: Caller; // a caregiver of the OCMW, same network
let otherNetwork: Caller; // an intake worker of another network
let record: { clientId: string; trajectoryId: string; contactId: string };

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  ocmw = await makeOrganization(world, t.network.id, 'ocmw', `OCMW Trajectstad ${crypto.randomUUID().slice(0, 6)}`);
  const ocmwCaregiver = await makeUser(world, { role: 'caregiver', networkId: t.network.id, organizationId: ocmw.id });
  caregiverA = await login(world, t.users.caregiverA.email);
  adminA = await login(world, t.users.adminA.email);
  stranger = await login(world, ocmwCaregiver.email);
  otherNetwork = await login(world, t.users.intakeX.email);
  const client = await caregiverA.post('/api/clients', { givenName: 'Wout', familyName: 'Eigenaar' });
  const trajectory = await caregiverA.post('/api/trajectories', {
    clientId: client.body.id,
    module: 'psychosocial-support',
  });
  const contact = await caregiverA.post(`/api/trajectories/${trajectory.body.id}/contacts`, {
    at: '2026-11-20T10:00:00Z',
    minutes: 45,
    kind: 'on-site',
    note: 'Eigen notitie van de CAW',
  });
  expect([client.statusCode, trajectory.statusCode, contact.statusCode], contact.raw).toEqual([201, 201, 201]);
  record = { clientId: client.body.id, trajectoryId: trajectory.body.id, contactId: contact.body.id };
});
afterAll(() => world?.close());

const ownerRows = (entityId: string) =>
  world.owner
    .selectFrom('audit_log')
    .selectAll()
    .where('foreign_network_id', 'is not', null)
    .where('entity_id', '=', entityId)
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
    body: rest,
    requestId: typeof requestId,
    instance: typeof instance,
  };
}

/** Every trajectory route that names one by id, with a body where it needs one. */
const routes = (id: string, contactId: string) =>
  [
    ['GET', `/api/trajectories/${id}`, undefined, 'trajectory.read'],
    ['GET', `/api/trajectories/${id}/fhir`, undefined, 'trajectory.fhir'],
    ['POST', `/api/trajectories/${id}/transitions`, { action: 'pause' }, 'trajectory.transition'],
    [
      'POST',
      `/api/trajectories/${id}/contacts`,
      { at: '2026-11-21T10:00:00Z', minutes: 10, kind: 'phone' },
      'trajectory.contact.create',
    ],
    ['PATCH', `/api/trajectories/${id}/contacts/${contactId}`, { version: 1, note: 'x' }, 'trajectory.contact.update'],
    ['GET', `/api/trajectories/${id}/contacts/${contactId}/versions`, undefined, 'trajectory.contact.versions'],
  ] as const;

describe("another organisation's refused attempt on a trajectory", () => {
  it('answers exactly the 404 of a trajectory that does not exist, on every route', async () => {
    const random = crypto.randomUUID();
    const existing = routes(record.trajectoryId, record.contactId);
    const missing = routes(random, record.contactId);
    for (const [i, [method, path, body]] of existing.entries()) {
      const a = await stranger.request(method, path, body);
      const b = await stranger.request(missing[i]![0], missing[i]![1], missing[i]![2]);
      expect(a.statusCode, `${method} ${path} ${a.raw}`).toBe(404);
      expect(sameness(a), `${method} ${path}`).toEqual(sameness(b));
    }
    // nothing changed: still active, one contact, its note untouched
    const own = await caregiverA.get(`/api/trajectories/${record.trajectoryId}`);
    expect(own.body.status).toBe('active');
    expect(own.body.contacts.map((c: { note: string }) => c.note)).toEqual(['Eigen notitie van de CAW']);
  });

  it("is told to the owner: one row per attempt, the OCMW and its role, the client for the person's history", async () => {
    const rows = await ownerRows(record.trajectoryId);
    const { TRAJECTORY_AUDIT } = await import('../../src/server/features/trajectories/index.ts');
    const expected = routes(record.trajectoryId, record.contactId).map((r) => r[3]);
    // the audit codes the routes use are the ones this test names
    expect(expected.every((a) => Object.values(TRAJECTORY_AUDIT).includes(a))).toBe(true);
    expect(rows.map((r) => r.action).sort()).toEqual([...expected].sort());
    for (const row of rows)
      expect(row).toMatchObject({
        organization_id: t.orgA.id,
        entity_type: 'trajectory',
        outcome: 'not-found',
        role: 'caregiver',
        foreign_organization_id: ocmw.id,
        foreign_network_id: t.network.id,
        actor_user_id: null,
        ip: null,
        details: { clientId: record.clientId },
      });
  });

  it("shows in the owner's audit view and in the person's access history", async () => {
    const audit = await adminA.get(`/api/audit?limit=200&entityId=${record.trajectoryId}&outcome=not-found`);
    expect(audit.statusCode, audit.raw).toBe(200);
    expect(audit.body.items[0]).toMatchObject({
      attemptBy: ocmw.name,
      role: 'caregiver',
      entityType: 'trajectory',
      actorDisplayName: null,
    });
    const history = await adminA.get(`/api/clients/${record.clientId}/access-log`);
    expect(history.statusCode, history.raw).toBe(200);
    const refused = (history.body.items as { refusedAttempt: boolean; action: string; organizationName: string }[])
      .filter((e) => e.refusedAttempt)
      .map((e) => [e.action, e.organizationName]);
    expect(refused).toContainEqual(['trajectory.read', ocmw.name]);
  });

  it('another network is refused the same way and its attempt is told too', async () => {
    const before = await countOwnerRows();
    const a = await otherNetwork.get(`/api/trajectories/${record.trajectoryId}`);
    const b = await otherNetwork.get(`/api/trajectories/${crypto.randomUUID()}`);
    expect(a.statusCode).toBe(404);
    expect(sameness(a)).toEqual(sameness(b));
    expect(await countOwnerRows()).toBe(before + 1);
    expect((await ownerRows(record.trajectoryId)).at(-1)).toMatchObject({
      organization_id: t.orgA.id,
      foreign_organization_id: t.orgX.id,
    });
  });

  it('the owner itself, a random id and a refusal by permission of its own organisation write no owner row', async () => {
    const before = await countOwnerRows();
    expect((await caregiverA.get(`/api/trajectories/${record.trajectoryId}`)).statusCode).toBe(200);
    // an org admin of the owner has no trajectory permission: 403, but it is its own record
    expect((await adminA.get(`/api/trajectories/${record.trajectoryId}`)).statusCode).toBe(403);
    expect((await stranger.get(`/api/trajectories/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect(await countOwnerRows()).toBe(before);
  });

  it('the function role reads who owns a trajectory, nothing of its content', async () => {
    const columns = (
      await sql<{ column: string }>`
        select column_name as column from information_schema.column_privileges
        where grantee = 'kortelijn_attempts' and table_name = 'trajectories' and privilege_type = 'SELECT'
        order by 1`.execute(world.owner)
    ).rows.map((r) => r.column);
    expect(columns).toEqual(['client_id', 'id', 'organization_id']);
    const owner = (
      await sql<{ owner: string; config: string[] }>`
        select r.rolname as owner, p.proconfig as config
        from pg_proc p join pg_roles r on r.oid = p.proowner where p.proname = 'kl_record_foreign_attempt'`.execute(
        world.owner,
      )
    ).rows;
    // replaced in place: one function, still owned by its narrow role with its fixed search path
    expect(owner).toEqual([{ owner: 'kortelijn_attempts', config: ['search_path=pg_catalog, public, pg_temp'] }]);
  });
});
