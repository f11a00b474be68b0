import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, login, makeTenants, userActor, type World } from '../support/world.ts';
import { inTenant } from '../../src/server/core/db/tenant.ts';
import { accessibleIds, requireAccess } from '../../src/server/core/access.ts';
import { ORGANIZATION_ROLES, ROLE_PERMISSIONS, ROLES } from '../../src/server/core/auth/permissions.ts';

// Access rules beyond the route permission, kept in the core: set-based record checks and role rules the web
// app reads instead of copying.
let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
const info = { ip: '127.0.0.1', userAgent: 'test', requestId: 'access-test' };

const actorOf = (userId: string, organizationId: string, networkId: string) =>
  userActor(userId, organizationId, networkId, 'intake-worker');

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
});
afterAll(async () => world?.close());

describe('set-based record checks', () => {
  it("answer in one call which of many clients are the organisation's; the others are simply not found", async () => {
    const callerA = await login(world, t.users.intakeA.email);
    const callerB = await login(world, t.users.intakeB.email);
    const a1 = (await callerA.post('/api/clients', { givenName: 'Een', familyName: 'Toegang' })).body.id as string;
    const a2 = (await callerA.post('/api/clients', { givenName: 'Twee', familyName: 'Toegang' })).body.id as string;
    const b1 = (await callerB.post('/api/clients', { givenName: 'Drie', familyName: 'Toegang' })).body.id as string;
    const unknown = '00000000-0000-4000-8000-000000000001';
    const actorA = actorOf(t.users.intakeA.id, t.orgA.id, t.network.id);
    const seen = await inTenant(world.db.app, actorA, info, (tx) =>
      accessibleIds(tx, 'client', [a1, a2, b1, unknown, a1]),
    );
    expect([...seen].sort()).toEqual([a1, a2].sort());
    await inTenant(world.db.app, actorA, info, (tx) => requireAccess(tx, 'client', [a1, a2]));
    await expect(
      inTenant(world.db.app, actorA, info, (tx) => requireAccess(tx, 'client', [a1, b1])),
    ).rejects.toMatchObject({ code: 'not-found' });
    expect(await inTenant(world.db.app, actorA, info, (tx) => accessibleIds(tx, 'client', []))).toEqual(new Set());
  });

  it('fail closed for an actor without an organisation', async () => {
    const network = { ...actorOf(t.users.intakeA.id, t.orgA.id, t.network.id), organizationId: null };
    await expect(
      inTenant(world.db.app, network, info, (tx) =>
        accessibleIds(tx, 'client', ['00000000-0000-4000-8000-000000000001']),
      ),
    ).rejects.toThrow(/organisation context/);
  });
});

describe('role rules the web app reads', () => {
  it('/api/auth/me names the roles the membership may hand out', async () => {
    const grantable = async (email: string) =>
      (await (await login(world, email)).get('/api/auth/me')).body.grantableRoles as string[];
    expect(await grantable(t.users.adminA.email)).toEqual([...ORGANIZATION_ROLES]);
    expect(await grantable(t.users.intakeA.email)).toEqual([]);
    expect(await grantable(t.users.networkAdmin.email)).toEqual([...ROLES]);
  });

  it('only who manages the network switches an organisation off or changes another organisation', async () => {
    const adminA = await login(world, t.users.adminA.email);
    expect((await adminA.patch(`/api/organizations/${t.orgA.id}`, { active: false })).statusCode).toBe(403);
    expect((await adminA.patch(`/api/organizations/${t.orgB.id}`, { name: 'Niet van mij' })).statusCode).toBe(403);
    const renamed = await adminA.patch(`/api/organizations/${t.orgA.id}`, { name: 'Eigen naam' });
    expect(renamed.statusCode, renamed.raw).toBe(200);
    const networkAdmin = await login(world, t.users.networkAdmin.email);
    expect((await networkAdmin.patch(`/api/organizations/${t.orgB.id}`, { name: 'Andere naam' })).statusCode).toBe(200);
    expect(ROLE_PERMISSIONS['org-admin']).not.toContain('organization:manage-network');
  });
});
