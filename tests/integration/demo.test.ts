/**
 * The demo network as README documents it: every address of the table signs in with the published password
 * and lands in the documented role and organisation. The expectations are copied from README, not from the
 * seed, so a drift between the two fails here. One seed for the file (one argon2 hash, 38 sign-ins).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caller, createWorld, type World } from '../support/world.ts';
import { seedDemo } from '../../src/server/demo/seed.ts';

// README, "Demo users"
const PASSWORD = 'kortelijn-demo';
const ROLE_PREFIXES: Record<string, string> = {
  onthaal: 'intake-worker',
  hulpverlener: 'caregiver',
  coordinator: 'coordinator',
  teamlead: 'team-lead',
  admin: 'org-admin',
};
const ORGANIZATIONS: Record<string, string> = {
  caw: 'CAW Oost-Brabant (demo)',
  cgg: 'CGG De Kade (demo)',
  ocmw: 'Sociaal Huis Herent (demo)',
  helpline: 'Luisterlijn Vlaams-Brabant (demo)',
  wzc: 'WZC Ter Linde (demo)',
  uitvaart: 'Uitvaartzorg Van Dormael (demo)',
  huisarts: 'Huisartsenpraktijk De Vest (demo)',
};
const NETWORK_USERS: Record<string, string> = {
  'admin@demo.example': 'network-admin',
  'netwerk@demo.example': 'network-coordinator',
  'analist@demo.example': 'analyst',
};

const documented = [
  ...Object.entries(ORGANIZATIONS).flatMap(([org, organizationName]) =>
    Object.entries(ROLE_PREFIXES).map(([prefix, role]) => ({
      email: `${prefix}@${org}.demo.example`,
      role,
      organizationName,
    })),
  ),
  ...Object.entries(NETWORK_USERS).map(([email, role]) => ({ email, role, organizationName: null })),
];

let world: World;
beforeAll(async () => {
  world = await createWorld();
  expect(await seedDemo(world.owner)).toEqual({ seeded: true });
});
afterAll(() => world?.close());

describe('demo users (README)', () => {
  it('README lists every seeded account, and only those', async () => {
    const seeded = await world.owner.selectFrom('users').select('email').execute();
    expect(seeded.map((u) => u.email).sort()).toEqual(documented.map((d) => d.email).sort());
    expect(documented).toHaveLength(7 * 5 + 3);
  });

  it.each(documented)('$email signs in as $role', async ({ email, role, organizationName }) => {
    const caller = new Caller(world.app);
    const res = await caller.post('/api/auth/login', { email, password: PASSWORD });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ twoFactorRequired: false, mustChangePassword: false });
    caller.csrf = res.body.csrfToken;
    const me = await caller.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.body.memberships).toHaveLength(1);
    expect(me.body.membership).toMatchObject({
      role,
      organizationName,
      networkName: expect.stringMatching(/\(demo\)$/),
    });
    expect(me.body.membership.organizationId === null).toBe(organizationName === null);
    // the kind of the organisation travels with the membership (the helpline's short line shows by it)
    const kind =
      organizationName === null
        ? null
        : (
            await world.owner
              .selectFrom('organizations')
              .select('kind')
              .where('id', '=', me.body.membership.organizationId)
              .executeTakeFirstOrThrow()
          ).kind;
    expect(me.body.membership.organizationKind).toBe(kind);
    if (email.endsWith('@helpline.demo.example')) expect(kind).toBe('helpline');
  });

  it('a wrong password is refused for a demo account too', async () => {
    expect(
      (
        await new Caller(world.app).post('/api/auth/login', {
          email: 'onthaal@caw.demo.example',
          password: 'kortelijn',
        })
      ).statusCode,
    ).toBe(401);
  });
});
