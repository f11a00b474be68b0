/**
 * The demo network as README documents it: every address of the table signs in with the published password
 * and lands in the documented role and organisation, and every role's start page shows what README's "What the
 * demo holds" says it does. The expectations are copied from README, not from the seed, so a drift between the
 * two fails here. One seed for the file (one argon2 hash, one sign-in per account).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Caller, createWorld, type World } from '../support/world.ts';
import { seedDemo } from '../../src/server/demo/seed.ts';
import { seedDemoCases } from '../../src/server/demo/seed-cases.ts';

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
  expect(await seedDemoCases(world.db)).toEqual({ seeded: 19 });
});

/** One signed-in caller per account for the whole file (a sign-in costs an argon2 verification). */
const callers = new Map<string, Caller>();
async function as(email: string): Promise<Caller> {
  let caller = callers.get(email);
  if (!caller) {
    caller = new Caller(world.app);
    const res = await caller.post('/api/auth/login', { email, password: PASSWORD });
    expect(res.statusCode, res.raw).toBe(200);
    caller.csrf = res.body.csrfToken;
    callers.set(email, caller);
  }
  return caller;
}
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
    callers.set(email, caller);
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

// README, "What the demo holds": per organisation the people in its register (its own and those it registered
// from a referral), its help requests, its open referrals in and out (of which overdue), its open safety signals
// and consent exceptions awaiting review
const HOLDS: Record<
  string,
  {
    register: string[];
    helpRequests: number;
    incoming: [open: number, overdue: number];
    outgoing: [open: number, overdue: number];
    safetySignals: number;
    exceptions: number;
  }
> = {
  caw: {
    register: [
      'Marie Peeters',
      'Youssef El Amrani',
      'Ann Verhaegen',
      'Lotte Wouters',
      'Koen Mertens',
      'Jean Dubois',
      // registered when she accepted support after the funeral director's signal (demo/outreach.ts)
      'An Vermeulen',
      // the pseudonymous record that carries the flow history (demo/flow-history.ts)
      'Stroomhistoriek (demo)',
    ],
    helpRequests: 6,
    incoming: [4, 2],
    outgoing: [4, 2],
    safetySignals: 2,
    exceptions: 0,
  },
  cgg: {
    register: ['Tom Janssens', 'Sofie Claes', 'Beller Jonas', 'Pieter Maes', 'Stroomhistoriek (demo)'],
    helpRequests: 2,
    incoming: [5, 1],
    outgoing: [1, 0],
    safetySignals: 1,
    exceptions: 0,
  },
  ocmw: {
    register: ['Jean Dubois', 'Fatma Yilmaz', 'Nadia Benali', 'Ann Verhaegen', 'Stroomhistoriek (demo)'],
    helpRequests: 3,
    incoming: [1, 1],
    outgoing: [2, 1],
    safetySignals: 1,
    exceptions: 0,
  },
  helpline: {
    register: ['Beller Merel', 'Beller Jonas', 'Stroomhistoriek (demo)'],
    helpRequests: 2,
    incoming: [1, 0],
    outgoing: [2, 0],
    safetySignals: 2,
    exceptions: 1,
  },
  wzc: {
    register: ['Georgette Lemmens'],
    helpRequests: 1,
    incoming: [1, 0],
    outgoing: [1, 0],
    safetySignals: 1,
    exceptions: 0,
  },
  uitvaart: {
    register: ['Dirk Segers', 'Hilde Claessens'],
    helpRequests: 2,
    incoming: [1, 0],
    outgoing: [1, 1],
    safetySignals: 1,
    exceptions: 0,
  },
  huisarts: {
    register: ['Pieter Maes', 'Emma Jacobs', 'René Goossens', 'Stroomhistoriek (demo)'],
    helpRequests: 3,
    incoming: [1, 0],
    outgoing: [3, 0],
    safetySignals: 1,
    exceptions: 0,
  },
};
const NETWORK_OVERDUE = 4;
const REFERRALS = 18;
const EVERY_STATUS = [
  'requested',
  'received',
  'accepted',
  'declined',
  'waitlisted',
  'scheduled',
  'first-contact',
  'missed',
  'completed',
  'cancelled',
];
const CLIENT_WORK = ['onthaal', 'hulpverlener', 'coordinator', 'teamlead'];
const everyone = [...new Set(Object.values(HOLDS).flatMap((h) => h.register))];

async function ownOrganizationId(caller: Caller): Promise<string> {
  return (await caller.get('/api/auth/me')).body.membership.organizationId as string;
}

describe('the demo cases (README, "What the demo holds")', () => {
  it('are written through the services: audit trail, timelines and notifications are the real ones', async () => {
    const audited = await world.owner
      .selectFrom('audit_log')
      .select(['action', sql<number>`count(*)::int`.as('n')])
      .where('request_id', '=', 'demo-seed')
      .groupBy('action')
      .execute();
    const count = (action: string) => audited.find((a) => a.action === action)?.n ?? 0;
    expect(count('help-request.create')).toBe(19);
    expect(count('referral.create')).toBe(REFERRALS);
    expect(count('consent.exception')).toBe(1);
    expect(count('screening.create')).toBeGreaterThanOrEqual(12);
    // the cases' referrals; the flow history's (demo/flow-history.ts, closed, no notifications) has its own test
    const referrals = await world.owner
      .selectFrom('referrals')
      .selectAll()
      .where(sql<boolean>`not (snapshot @> '{"history": true}')`)
      .execute();
    expect(referrals).toHaveLength(REFERRALS);
    expect(new Set(referrals.map((r) => r.status))).toEqual(new Set(EVERY_STATUS));
    const now = Date.now();
    for (const r of referrals) {
      const events = await world.owner
        .selectFrom('referral_events')
        .select(['action', 'at', 'to_status'])
        .where('referral_id', '=', r.id)
        .orderBy('id')
        .execute();
      // the story's order: made first, each step later than the one before, all in the past, ending in the status
      expect(events[0]).toMatchObject({ action: 'create', to_status: 'requested' });
      expect(events.at(-1)!.to_status).toBe(r.status);
      events.forEach((e, i) => i > 0 && expect(e.at.getTime()).toBeGreaterThan(events[i - 1]!.at.getTime()));
      expect(events[0]!.at.getTime()).toBe(r.created_at.getTime());
      expect(events.at(-1)!.at.getTime()).toBeLessThan(now);
      const notified = await world.owner
        .selectFrom('notifications')
        .select('kind')
        .where('referral_id', '=', r.id)
        .execute();
      expect(notified.map((n) => n.kind)).toContain('referral-new');
    }
  });

  it('a second run adds nothing', async () => {
    const counts = async () =>
      Promise.all(
        (
          [
            'clients',
            'help_requests',
            'screenings',
            'safety_signals',
            'consents',
            'referrals',
            'notifications',
            'groups',
            'group_sessions',
            'facility_cases',
            'facility_contacts',
          ] as const
        ).map(
          async (table) =>
            (
              await world.owner
                .selectFrom(table)
                .select(sql<number>`count(*)::int`.as('n'))
                .executeTakeFirstOrThrow()
            ).n,
        ),
      );
    const before = await counts();
    expect(await seedDemoCases(world.db)).toEqual({ seeded: 0 });
    expect(await counts()).toEqual(before);
  });

  it.each(Object.entries(HOLDS))(
    '%s: every role of the organisation finds its work on its pages',
    async (org, holds) => {
      for (const prefix of CLIENT_WORK) {
        const caller = await as(`${prefix}@${org}.demo.example`);
        const own = await ownOrganizationId(caller);
        const requests = await caller.get('/api/help-requests');
        expect(requests.statusCode, requests.raw).toBe(200);
        expect(requests.body.items).toHaveLength(holds.helpRequests);
        for (const h of requests.body.items) expect(h.organizationId).toBe(own);
        const name = ORGANIZATIONS[org];
        for (const [box, [open, overdue]] of [
          ['incoming', holds.incoming],
          ['outgoing', holds.outgoing],
        ] as const) {
          const inbox = await caller.get(`/api/referrals?box=${box}`);
          expect(inbox.statusCode, inbox.raw).toBe(200);
          expect(inbox.body.items, `${prefix}@${org} ${box}`).toHaveLength(open);
          expect(inbox.body.items.filter((r: { overdue: boolean }) => r.overdue)).toHaveLength(overdue);
          const side = box === 'incoming' ? 'receiverOrganizationName' : 'senderOrganizationName';
          for (const r of inbox.body.items) expect(r[side]).toBe(name);
        }
        const counts = (await caller.get('/api/referrals/counts')).body;
        expect(counts).toMatchObject({
          incomingOpen: holds.incoming[0],
          incomingOverdue: holds.incoming[1],
          outgoingOpen: holds.outgoing[0],
          outgoingOverdue: holds.outgoing[1],
        });
        // the bell: something new since yesterday, and the history before it
        expect(counts.unreadNotifications).toBeGreaterThan(0);
        const notifications = (await caller.get('/api/notifications')).body.items;
        expect(notifications.length).toBeGreaterThan(counts.unreadNotifications);
        const found = await caller.get('/api/clients?pageSize=100');
        expect(found.body.items.map((c: { displayName: string }) => c.displayName).sort()).toEqual(
          [...holds.register].sort(),
        );
      }
      // the team lead's safety overview: the open signals of the organisation's own help requests
      const lead = await as(`teamlead@${org}.demo.example`);
      const own = new Set(
        (await lead.get('/api/help-requests')).body.items.map((h: { id: string }) => h.id) as string[],
      );
      const signals = await lead.get('/api/safety-signals');
      expect(signals.statusCode, signals.raw).toBe(200);
      expect(signals.body.items).toHaveLength(holds.safetySignals);
      for (const s of signals.body.items) expect(own.has(s.helpRequestId)).toBe(true);
      expect((await lead.get('/api/consents/exceptions')).body.items).toHaveLength(holds.exceptions);
      // the organisation admin lands on the client register
      const admin = await as(`admin@${org}.demo.example`);
      const register = await admin.get('/api/clients?pageSize=100');
      expect(register.body.items.map((c: { displayName: string }) => c.displayName).sort()).toEqual(
        [...holds.register].sort(),
      );
    },
  );

  it("the caregivers' trajectories (README): started from the referrals met, one without contact for 30 days at the CAW", async () => {
    const caw = await as('hulpverlener@caw.demo.example');
    const mine = await caw.get('/api/trajectories?box=mine');
    expect(mine.statusCode, mine.raw).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(1);
    expect(mine.body.items.filter((i: { noRecentContact: boolean }) => i.noRecentContact)).toHaveLength(1);
    const colleague = await as('onthaal@caw.demo.example');
    const org = await colleague.get('/api/trajectories?box=organization');
    expect(org.body.items.map((i: { id: string }) => i.id).sort()).toEqual(
      mine.body.items.map((i: { id: string }) => i.id).sort(),
    );
    expect((await (await as('admin@caw.demo.example')).get('/api/trajectories')).statusCode).toBe(403);
    // another organisation sees none of them
    const cgg = await as('hulpverlener@cgg.demo.example');
    for (const item of mine.body.items as { id: string }[])
      expect((await cgg.get(`/api/trajectories/${item.id}`)).statusCode).toBe(404);
  });

  it("the CAW's group work and support to facilities (README): two groups, one published; three facilities, one visited on site", async () => {
    const caw = await as('hulpverlener@caw.demo.example');
    const groups = await caw.get('/api/groups');
    expect(groups.statusCode, groups.raw).toBe(200);
    expect(
      groups.body.items.map((g: { title: string; published: boolean; sessionsHeld: number }) => [
        g.title,
        g.published,
        g.sessionsHeld,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['Praatgroep rouw', true, 3],
        ['Klasgesprek stress en examens, 5de jaar', false, 2],
      ]),
    );
    const grief = groups.body.items.find((g: { title: string }) => g.title === 'Praatgroep rouw');
    const detail = (await caw.get(`/api/groups/${grief.id}`)).body;
    expect(detail.sessions.map((s: { count: number; attendanceRecorded: boolean }) => s.count)).toEqual([
      6, 7, 3, 0, 0, 0,
    ]);
    const offer = await new Caller(world.app).get(`/api/public/offers/${detail.offerId}`);
    expect(offer.body).toMatchObject({ modalities: ['group'], themes: ['grief-loss'] });
    expect(offer.body.openingHours).toMatch(/^Volgende bijeenkomsten: \d\d\/\d\d\/\d{4} \d\d:\d\d/);
    const facilities = (await caw.get('/api/facilities')).body.items;
    expect(facilities.map((f: { name: string }) => f.name).sort()).toEqual([
      'Dagcentrum De Brug',
      'Nachtopvang De Meander',
      'WZC Ter Linde',
    ]);
    const cases = (await caw.get('/api/facility-cases?status=open')).body.items;
    const outbreak = (
      await caw.get(
        `/api/facility-cases/${cases.find((c: { facilityName: string }) => c.facilityName === 'WZC Ter Linde').id}`,
      )
    ).body;
    expect(outbreak.contactLog.map((k: { kind: string }) => k.kind)).toContain('on-site-visit');
    // another organisation and the analyst see none of it
    const cgg = await as('hulpverlener@cgg.demo.example');
    expect((await cgg.get('/api/groups')).body.items).toEqual([]);
    expect((await cgg.get(`/api/groups/${grief.id}`)).statusCode).toBe(404);
    expect((await (await as('analist@demo.example')).get('/api/groups')).statusCode).toBe(403);
  });

  it('the care plans (README): Jean Dubois at the CAW, shared with the Sociaal Huis; Pieter Maes at the CGG, shared with the GP practice', async () => {
    for (const [maker, partner, person] of [
      ['caw', 'ocmw', 'Jean Dubois'],
      ['cgg', 'huisarts', 'Pieter Maes'],
    ] as const) {
      const caregiver = await as(`hulpverlener@${maker}.demo.example`);
      const found = await caregiver.get(`/api/clients?q=${encodeURIComponent(person)}`);
      const clientId = found.body.items[0].id as string;
      const plan = await caregiver.get(`/api/clients/${clientId}/care-plan`);
      expect(plan.statusCode, plan.raw).toBe(200);
      expect(plan.body.goals).toHaveLength(2);
      expect(plan.body.actions.filter((a: { overdue: boolean }) => a.overdue)).toHaveLength(1);
      // the organisation's own action, due today, is on its caregiver's My work "for the organisation"
      const work = await caregiver.get('/api/my-work');
      expect(
        work.body.actionsDue.filter((a: { forOrganization: boolean; overdue: boolean }) => a.forOrganization),
      ).toMatchObject([{ carePlanId: plan.body.id, overdue: false }]);
      expect(plan.body.team.map((m: { kind: string }) => m.kind)).toContain('support-person');
      expect(plan.body.evaluations).toHaveLength(1);
      // the partner opens the same plan from its own record of the person, linked through the referral
      const other = await as(`onthaal@${partner}.demo.example`);
      const theirs = await other.get(`/api/clients?q=${encodeURIComponent(person)}`);
      const shared = await other.get(`/api/clients/${theirs.body.items[0].id}/care-plan`);
      expect(shared.statusCode, shared.raw).toBe(200);
      expect(shared.body).toMatchObject({ id: plan.body.id, ownPlan: false });
      // an organisation without the consent does not
      expect((await (await as('onthaal@wzc.demo.example')).get(`/api/care-plans/${plan.body.id}`)).statusCode).toBe(
        404,
      );
    }
  });

  it('the network coordinator and the network admin see the overdue referrals between organisations, never who', async () => {
    const names = new Set(Object.values(ORGANIZATIONS));
    for (const email of ['netwerk@demo.example', 'admin@demo.example']) {
      const overdue = await (await as(email)).get('/api/referrals/overdue');
      expect(overdue.statusCode, overdue.raw).toBe(200);
      expect(overdue.body.items).toHaveLength(NETWORK_OVERDUE);
      for (const r of overdue.body.items) {
        expect(names.has(r.senderOrganizationName) && names.has(r.receiverOrganizationName)).toBe(true);
        expect(JSON.stringify(r)).not.toMatch(new RegExp(everyone.join('|')));
      }
    }
    // the analyst sees aggregates only: the catalogue, no referral
    const analyst = await as('analist@demo.example');
    expect((await analyst.get('/api/offers')).body.items.length).toBeGreaterThan(0);
    expect((await analyst.get('/api/referrals/overdue')).statusCode).toBe(403);
  });

  it("no organisation finds another's people, except those referred to it with their consent", async () => {
    for (const [org, holds] of Object.entries(HOLDS)) {
      const caller = await as(`onthaal@${org}.demo.example`);
      for (const person of everyone) {
        const found = await caller.get(`/api/clients?q=${encodeURIComponent(person)}`);
        expect(found.body.items.length > 0, `${person} at ${org}`).toBe(holds.register.includes(person));
      }
    }
    // a receiver reads what the consent covers: the contact details only, for the commemoration (Ann Verhaegen)
    const uitvaart = await as('onthaal@uitvaart.demo.example');
    const [incoming] = (await uitvaart.get('/api/referrals?box=incoming')).body.items;
    const detail = (await uitvaart.get(`/api/referrals/${incoming.id}`)).body;
    expect(detail.snapshot.contact.displayName).toBe('Ann Verhaegen');
    expect(detail.snapshot.helpRequest).toBeUndefined();
    expect(detail.snapshot.screenings).toBeUndefined();
    expect(detail.helpRequestId).toBeNull();
  });
});
