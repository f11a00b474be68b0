import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createWorld, login, makeTenants, type World } from '../support/world.ts';
import { inTenant } from '../../src/server/core/db/tenant.ts';
import { ROLE_PERMISSIONS } from '../../src/server/core/auth/permissions.ts';
import type { Actor } from '../../src/server/core/auth/actor.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  const a = await login(world, t.users.intakeA.email);
  const b = await login(world, t.users.intakeB.email);
  await a.post('/api/clients', { givenName: 'Alfa', familyName: 'Eerste' });
  await b.post('/api/clients', { givenName: 'Bravo', familyName: 'Tweede' });
});
afterAll(() => world?.close());

const actorFor = (organizationId: string, networkId: string): Actor => ({
  kind: 'user',
  userId: t.users.intakeA.id,
  tokenId: null,
  membershipId: null,
  organizationId,
  networkId,
  role: 'intake-worker',
  permissions: new Set(ROLE_PERMISSIONS['intake-worker']),
  session: null,
});
const info = { ip: '127.0.0.1', userAgent: 'test', requestId: 'test-request' };

describe('row-level security', () => {
  it('the owner sees both clients (the rows exist)', async () => {
    const rows = await world.owner.selectFrom('clients').select('given_name').execute();
    expect(rows.map((r) => r.given_name).sort()).toEqual(['Alfa', 'Bravo']);
  });

  it('a query of the application role without tenant context sees no client rows', async () => {
    const rows = await sql<{ n: number }>`select count(*)::int as n from clients`.execute(world.db.app);
    expect(rows.rows[0]!.n).toBe(0);
    const role = await sql<{
      r: string;
      bypass: boolean;
    }>`select current_user as r, rolbypassrls as bypass from pg_roles where rolname = current_user`.execute(
      world.db.app,
    );
    expect(role.rows[0]).toEqual({ r: 'kortelijn_app', bypass: false });
  });

  it("a transaction with an organisation sees that organisation's rows only, even without a filter", async () => {
    const seen = await inTenant(world.db.app, actorFor(t.orgA.id, t.network.id), info, (tx) =>
      tx.db.selectFrom('clients').select('given_name').execute(),
    );
    expect(seen.map((r) => r.given_name)).toEqual(['Alfa']);
  });

  it('refuses to write a client into another organisation', async () => {
    await expect(
      inTenant(world.db.app, actorFor(t.orgA.id, t.network.id), info, (tx) =>
        tx.db
          .insertInto('clients')
          .values({ organization_id: t.orgB.id, network_id: t.network.id, identity_kind: 'anonymous' })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('the context ends with the transaction', async () => {
    await inTenant(world.db.app, actorFor(t.orgA.id, t.network.id), info, async () => undefined);
    const rows = await sql<{ n: number }>`select count(*)::int as n from clients`.execute(world.db.app);
    expect(rows.rows[0]!.n).toBe(0);
  });
});

describe('audit trail', () => {
  it('refuses UPDATE and DELETE, even for the owner', async () => {
    await expect(sql`update audit_log set outcome = 'success'`.execute(world.owner)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(world.owner)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(world.owner)).rejects.toThrow(/append-only/);
  });

  it('the application role has no UPDATE or DELETE right on it', async () => {
    await expect(
      inTenant(world.db.app, actorFor(t.orgA.id, t.network.id), info, (tx) =>
        sql`delete from audit_log`.execute(tx.db),
      ),
    ).rejects.toThrow(/permission denied|append-only/);
  });

  it('is written in the same transaction as the change: a failed change leaves no success row', async () => {
    const before = await world.owner
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'test.rollback')
      .executeTakeFirstOrThrow();
    await expect(
      inTenant(world.db.app, actorFor(t.orgA.id, t.network.id), info, async (tx) => {
        await tx.audit({ action: 'test.rollback' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const after = await world.owner
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'test.rollback')
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('stores hostile request data literally (quotes, backslashes, SQL) in the audit row', async () => {
    const hostile = "O'Brien \\'; drop table clients; -- \\x00 ünïcode";
    const a = await login(world, t.users.intakeA.email);
    const res = await a.get('/api/clients?q=alfa', { 'user-agent': hostile });
    expect(res.statusCode).toBe(200);
    const row = await world.owner
      .selectFrom('audit_log')
      .select(['user_agent', 'details', 'action'])
      .where('request_id', '=', String(res.headers['x-request-id']))
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ user_agent: hostile, action: 'client.search', details: { results: 1 } });
    expect(await world.owner.selectFrom('clients').select('id').execute()).toHaveLength(2);
  });

  it("an organisation admin sees their organisation's events only", async () => {
    const adminA = await login(world, t.users.adminA.email);
    const res = await adminA.get('/api/audit?limit=200');
    expect(res.statusCode).toBe(200);
    const orgs = await world.owner
      .selectFrom('audit_log')
      .select('organization_id')
      .where(
        'id',
        'in',
        res.body.items.map((i: { id: string }) => i.id),
      )
      .execute();
    expect(new Set(orgs.map((o) => o.organization_id))).toEqual(new Set([t.orgA.id]));
    expect(res.body.items.some((i: { action: string }) => i.action === 'client.create')).toBe(true);
  });
});
