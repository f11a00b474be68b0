import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caller, createWorld, login, makeTenants, makeUser, type World } from '../support/world.ts';
import { inTenant } from '../../src/server/core/db/tenant.ts';
import { ROLE_PERMISSIONS } from '../../src/server/core/auth/permissions.ts';
import { groupWorkFigures } from '../../src/server/features/groups/index.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let caregiverA: Caller;
let coordinatorA: Caller;
let teamLeadA: Caller;
let intakeA: Caller;
let adminA: Caller;
let analyst: Caller;
let caregiverB: Caller;
let coordinatorX: Caller;

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  caregiverA = await login(world, t.users.caregiverA.email);
  teamLeadA = await login(world, t.users.teamLeadA.email);
  intakeA = await login(world, t.users.intakeA.email);
  adminA = await login(world, t.users.adminA.email);
  analyst = await login(world, t.users.analyst.email);
  const coordA = await makeUser(world, { role: 'coordinator', networkId: t.network.id, organizationId: t.orgA.id });
  coordinatorA = await login(world, coordA.email);
  const careB = await makeUser(world, { role: 'caregiver', networkId: t.network.id, organizationId: t.orgB.id });
  caregiverB = await login(world, careB.email);
  const coordX = await makeUser(world, {
    role: 'coordinator',
    networkId: t.otherNetwork.id,
    organizationId: t.orgX.id,
  });
  coordinatorX = await login(world, coordX.email);
  // a fresh PGlite runs every migration in WebAssembly: slow on a shared, busy machine
}, 180_000);
afterAll(async () => {
  await world?.close();
});

const DAY = 86_400_000;
/** The fields a 400 names (a nullable field's schema may report one field twice: the value and the null branch). */
const fieldsOf = (res: { body: { errors: { field: string }[] } }) =>
  [...new Set(res.body.errors.map((e) => e.field))].sort();
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();

let clientCounter = 0;
async function client(caller = caregiverA) {
  const res = await caller.post('/api/clients', {
    givenName: 'Deelnemer',
    familyName: `Groep${++clientCounter}`,
    birthDate: '1980-05-05',
  });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}
async function group(caller = caregiverA, body: Record<string, unknown> = {}) {
  const res = await caller.post('/api/groups', { title: 'Omgaan met verlies', audience: 'open', ...body });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}
async function session(groupId: string, startsAt: string, caller = caregiverA, minutes = 90) {
  const res = await caller.post(`/api/groups/${groupId}/sessions`, { startsAt, minutes });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}
async function register(groupId: string, clientId: string, caller = caregiverA) {
  const res = await caller.post(`/api/groups/${groupId}/registrations`, { clientId, consent: true });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.status as string;
}
async function facilityCase(caller = caregiverA, facility: Record<string, unknown> = {}) {
  const f = await caller.post('/api/facilities', { name: 'WZC De Linde', kind: 'care-home', ...facility });
  expect(f.statusCode, f.raw).toBe(201);
  const c = await caller.post('/api/facility-cases', {
    facilityId: f.body.id,
    origin: 'monitoring-signal',
    reason: 'Besmettingen stijgen, personeel uitgeput',
    openedOn: '2026-07-01',
  });
  expect(c.statusCode, c.raw).toBe(201);
  return { facilityId: f.body.id as string, caseId: c.body.id as string };
}
async function contact(caseId: string, kind: string, date: string, caller = caregiverA) {
  const res = await caller.post(`/api/facility-cases/${caseId}/contacts`, { kind, date, note: 'Advies gegeven' });
  expect(res.statusCode, res.raw).toBe(201);
}
const count = async (table: 'groups' | 'group_sessions' | 'facilities' | 'facility_cases' | 'facility_contacts') =>
  Number(
    (
      await world.owner
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('roles', () => {
  it('caregivers, coordinators and team leads of the organisation plan groups and open facility cases', async () => {
    for (const caller of [caregiverA, coordinatorA, teamLeadA]) {
      const id = await group(caller);
      expect((await caller.get(`/api/groups/${id}`)).statusCode).toBe(200);
      await facilityCase(caller);
    }
  });

  it('the analyst, the org admin and the intake worker are refused (403) and nothing is stored', async () => {
    const before = [await count('groups'), await count('facilities')];
    for (const caller of [analyst, adminA, intakeA]) {
      expect((await caller.post('/api/groups', { title: 'X', audience: 'open' })).statusCode).toBe(403);
      expect((await caller.get('/api/groups')).statusCode).toBe(403);
      expect((await caller.post('/api/facilities', { name: 'X', kind: 'care-home' })).statusCode).toBe(403);
      expect((await caller.get('/api/facility-cases')).statusCode).toBe(403);
    }
    expect([await count('groups'), await count('facilities')]).toEqual(before);
  });
});

describe('another organisation', () => {
  it('sees nothing of a group: 404 on every door, from the same network and from another', async () => {
    const id = await group(caregiverA, { capacity: 5 });
    const s = await session(id, inDays(-1));
    const clientB = await client(caregiverB);
    for (const other of [caregiverB, coordinatorX]) {
      expect((await other.get(`/api/groups/${id}`)).statusCode).toBe(404);
      expect((await other.post(`/api/groups/${id}/sessions`, { startsAt: inDays(1), minutes: 60 })).statusCode).toBe(
        404,
      );
      expect((await other.request('PUT', `/api/group-sessions/${s}/attendance`, { headcount: 9 })).statusCode).toBe(
        404,
      );
      expect((await other.post(`/api/group-sessions/${s}/cancel`, {})).statusCode).toBe(404);
      expect(
        (await other.post(`/api/groups/${id}/registrations`, { clientId: clientB, consent: true })).statusCode,
      ).toBe(404);
      expect((await other.get('/api/groups')).body.items.map((g: { id: string }) => g.id)).not.toContain(id);
    }
    expect((await coordinatorX.request('PUT', `/api/groups/${id}/publication`, { published: true })).statusCode).toBe(
      404,
    );
    // nothing changed underneath
    const row = await world.owner
      .selectFrom('group_sessions')
      .selectAll()
      .where('id', '=', s)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'planned', headcount: null });
  });

  it('sees nothing of a facility case: 404, and its register and case list stay empty of it', async () => {
    const { facilityId, caseId } = await facilityCase();
    for (const other of [caregiverB, coordinatorX]) {
      expect((await other.get(`/api/facility-cases/${caseId}`)).statusCode).toBe(404);
      expect(
        (await other.post(`/api/facility-cases/${caseId}/contacts`, { kind: 'phone-advice', date: '2026-07-02' }))
          .statusCode,
      ).toBe(404);
      expect((await other.post(`/api/facility-cases/${caseId}/close`, { summary: 'Klaar' })).statusCode).toBe(404);
      // opening a case on another organisation's facility: the facility is unknown
      const open = await other.post('/api/facility-cases', { facilityId, origin: 'question', reason: 'Vraag' });
      expect(open.statusCode).toBe(400);
      expect(open.body.errors).toEqual([expect.objectContaining({ field: 'facilityId', code: 'facility-unknown' })]);
      expect((await other.get('/api/facilities')).body.items.map((f: { id: string }) => f.id)).not.toContain(
        facilityId,
      );
      expect((await other.get('/api/facility-cases')).body.items.map((c: { id: string }) => c.id)).not.toContain(
        caseId,
      );
    }
  });
});

describe('registrations and the waiting list', () => {
  it('fills the places, then puts people on the waiting list; a withdrawal gives the first waiting person the place', async () => {
    const id = await group(caregiverA, { capacity: 2, audience: 'peer' });
    const [a, b, c, d] = [await client(), await client(), await client(), await client()];
    expect(await register(id, a)).toBe('registered');
    expect(await register(id, b)).toBe('registered');
    expect(await register(id, c)).toBe('waiting');
    expect(await register(id, d)).toBe('waiting');
    let detail = (await caregiverA.get(`/api/groups/${id}`)).body;
    expect(detail).toMatchObject({ registered: 2, waiting: 2, capacity: 2 });

    // twice: 409; without consent, or a client of another organisation: 400 and nothing stored
    const twice = await caregiverA.post(`/api/groups/${id}/registrations`, { clientId: a, consent: true });
    expect(twice.statusCode).toBe(409);
    const noConsent = await caregiverA.post(`/api/groups/${id}/registrations`, {
      clientId: await client(),
      consent: false,
    });
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.body.errors).toEqual([expect.objectContaining({ field: 'consent', code: 'consent-required' })]);
    const foreign = await caregiverA.post(`/api/groups/${id}/registrations`, {
      clientId: await client(caregiverB),
      consent: true,
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.body.errors).toEqual([expect.objectContaining({ field: 'clientId', code: 'client-unknown' })]);

    // waiting never counts as attending
    const s = await session(id, inDays(-1));
    const withWaiting = await caregiverA.request('PUT', `/api/group-sessions/${s}/attendance`, {
      participants: [a, c],
    });
    expect(withWaiting.statusCode).toBe(400);
    expect(withWaiting.body.errors).toEqual([
      expect.objectContaining({ field: 'participants.1', code: 'participant-waiting' }),
    ]);

    // a registered person withdraws: the first on the waiting list (c) takes the place, d still waits
    const out = await caregiverA.request('DELETE', `/api/groups/${id}/registrations/${b}`);
    expect(out.statusCode, out.raw).toBe(200);
    expect(out.body.promotedClientId).toBe(c);
    detail = (await caregiverA.get(`/api/groups/${id}`)).body;
    expect(
      Object.fromEntries(detail.registrations.map((r: { clientId: string; status: string }) => [r.clientId, r.status])),
    ).toEqual({ [a]: 'registered', [c]: 'registered', [d]: 'waiting' });
    // a waiting person leaving frees nothing
    expect(
      (await caregiverA.request('DELETE', `/api/groups/${id}/registrations/${d}`)).body.promotedClientId,
    ).toBeNull();
    expect((await caregiverA.request('DELETE', `/api/groups/${id}/registrations/${d}`)).statusCode).toBe(404);
    expect(
      (await caregiverA.request('PUT', `/api/group-sessions/${s}/attendance`, { participants: [a, c] })).body.count,
    ).toBe(2);
  });

  it('more places move the waiting list up; fewer send nobody away; the audience cannot change', async () => {
    const id = await group(caregiverA, { capacity: 1 });
    const [a, b, c] = [await client(), await client(), await client()];
    for (const p of [a, b, c]) await register(id, p);
    const statuses = async () =>
      Object.fromEntries(
        (await caregiverA.get(`/api/groups/${id}`)).body.registrations.map(
          (r: { clientId: string; status: string }) => [r.clientId, r.status],
        ),
      );
    expect(await statuses()).toEqual({ [a]: 'registered', [b]: 'waiting', [c]: 'waiting' });
    const more = await caregiverA.patch(`/api/groups/${id}`, { capacity: 2, title: 'Praatgroep (2 plaatsen)' });
    expect(more.statusCode, more.raw).toBe(200);
    expect(more.body).toMatchObject({ capacity: 2, registered: 2, waiting: 1, title: 'Praatgroep (2 plaatsen)' });
    expect(await statuses()).toEqual({ [a]: 'registered', [b]: 'registered', [c]: 'waiting' });
    expect((await caregiverA.patch(`/api/groups/${id}`, { capacity: 1 })).body).toMatchObject({ registered: 2 });
    expect((await caregiverA.patch(`/api/groups/${id}`, { capacity: null })).body).toMatchObject({
      registered: 3,
      waiting: 0,
    });
    const audience = await caregiverA.patch(`/api/groups/${id}`, { audience: 'school' });
    expect(audience.statusCode).toBe(400);
    expect(fieldsOf(audience)).toEqual(['audience']);
    expect((await caregiverA.patch(`/api/groups/${id}`, {})).statusCode).toBe(400);
    expect((await caregiverA.patch(`/api/groups/${id}`, { theme: 'no-such-theme' })).body.errors).toEqual([
      expect.objectContaining({ field: 'theme', code: 'theme-unknown' }),
    ]);
    expect((await caregiverB.patch(`/api/groups/${id}`, { capacity: 50 })).statusCode).toBe(404);
    expect((await coordinatorX.patch(`/api/groups/${id}`, { capacity: 50 })).statusCode).toBe(404);
  });

  it('two registrations at once for the last place: one gets it, the other waits', async () => {
    const id = await group(caregiverA, { capacity: 1 });
    const [a, b] = [await client(), await client()];
    const answers = await Promise.all(
      [a, b].map((clientId) => caregiverA.post(`/api/groups/${id}/registrations`, { clientId, consent: true })),
    );
    expect(answers.map((r) => r.statusCode)).toEqual([201, 201]);
    expect(answers.map((r) => r.body.status).sort()).toEqual(['registered', 'waiting']);
  });
});

describe('attendance', () => {
  it('counts the larger of the headcount and the named participants who attended', async () => {
    const id = await group(caregiverA, { audience: 'school' });
    const named = [await client(), await client(), await client()];
    for (const c of named) await register(id, c);
    const s = await session(id, inDays(-2));
    const put = (body: Record<string, unknown>) =>
      caregiverA.request('PUT', `/api/group-sessions/${s}/attendance`, body);

    let res = await put({ headcount: 5, participants: named });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ headcount: 5, count: 5, attendanceRecorded: true });
    expect(res.body.participants.sort()).toEqual([...named].sort());
    // the sign-up sheet holds more names than the headcount: the names count
    res = await put({ headcount: 2 });
    expect(res.body).toMatchObject({ headcount: 2, count: 3 });
    // the sheet is replaced as a whole
    res = await put({ participants: [named[0]] });
    expect(res.body).toMatchObject({ headcount: 2, count: 2, participants: [named[0]] });
    res = await put({ headcount: null, participants: [] });
    expect(res.body).toMatchObject({ headcount: null, count: 0 });
    res = await put({ headcount: 14, ageBand: '12-17' });
    expect(res.body).toMatchObject({ headcount: 14, ageBand: '12-17', count: 14 });
  });

  it('refuses an empty sheet, a person not registered, a negative headcount (400) and a session of a later day (409)', async () => {
    const id = await group();
    const s = await session(id, inDays(-1));
    const empty = await caregiverA.request('PUT', `/api/group-sessions/${s}/attendance`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.headers['content-type']).toContain('application/problem+json');
    expect(empty.body.errors).toEqual([expect.objectContaining({ field: 'headcount', code: 'attendance-required' })]);
    expect(empty.body.errors[0].message).toMatch(/aantal aanwezigen/);
    const stranger = await caregiverA.request('PUT', `/api/group-sessions/${s}/attendance`, {
      participants: [await client()],
      headcount: -1,
      ageBand: 'baby',
    });
    expect(stranger.statusCode).toBe(400);
    expect(fieldsOf(stranger)).toEqual(['ageBand', 'headcount']);
    const notRegistered = await caregiverA.request('PUT', `/api/group-sessions/${s}/attendance`, {
      participants: [await client()],
    });
    expect(notRegistered.body.errors).toEqual([
      expect.objectContaining({ field: 'participants.0', code: 'participant-not-registered' }),
    ]);
    const row = await world.owner
      .selectFrom('group_sessions')
      .selectAll()
      .where('id', '=', s)
      .executeTakeFirstOrThrow();
    expect(row.attendance_recorded_at).toBeNull();

    const later = await session(id, inDays(3));
    const future = await caregiverA.request('PUT', `/api/group-sessions/${later}/attendance`, { headcount: 4 });
    expect(future.statusCode).toBe(409);
    expect(future.body.errors).toEqual([expect.objectContaining({ code: 'session-in-future' })]);
  });
});

describe('cancelled sessions', () => {
  it('are not counted, take no attendance, and a session that took place cannot be cancelled', async () => {
    const id = await group();
    const s1 = await session(id, '2026-10-05T17:00:00Z');
    const s2 = await session(id, '2026-10-12T17:00:00Z');
    const cancelled = await caregiverA.post(`/api/group-sessions/${s1}/cancel`, { reason: 'Begeleider ziek' });
    expect(cancelled.statusCode, cancelled.raw).toBe(200);
    const shown = cancelled.body.sessions.find((s: { id: string }) => s.id === s1);
    expect(shown).toMatchObject({ status: 'cancelled', cancelReason: 'Begeleider ziek', count: 0 });
    expect((await caregiverA.post(`/api/group-sessions/${s1}/cancel`, {})).statusCode).toBe(409);
    const late = await caregiverA.request('PUT', `/api/group-sessions/${s1}/attendance`, { headcount: 8 });
    expect(late.statusCode).toBe(409);
    expect(late.body.errors).toEqual([expect.objectContaining({ code: 'session-cancelled' })]);

    expect((await caregiverA.request('PUT', `/api/group-sessions/${s2}/attendance`, { headcount: 6 })).statusCode).toBe(
      200,
    );
    const held = await caregiverA.post(`/api/group-sessions/${s2}/cancel`, {});
    expect(held.statusCode).toBe(409);
    expect(held.body.errors).toEqual([expect.objectContaining({ code: 'attendance-recorded' })]);

    const summary = (await caregiverA.get('/api/groups')).body.items.find((g: { id: string }) => g.id === id);
    expect(summary.sessionsHeld).toBe(1);
  });
});

describe('publishing in the catalogue', () => {
  it('puts an open group in the public catalogue as an offer with modality group and its next session dates', async () => {
    const id = await group(coordinatorA, {
      title: 'Praatgroep rouw voor jongvolwassenen',
      audience: 'open',
      theme: 'grief-loss',
      module: 'victim-support-bereavement',
      location: 'Ontmoetingscentrum, zaal 2',
      municipalityNis: '24062',
      capacity: 1,
    });
    await session(id, '2037-01-12T18:00:00Z', coordinatorA);
    // a caregiver plans but does not publish
    expect((await caregiverA.request('PUT', `/api/groups/${id}/publication`, { published: true })).statusCode).toBe(
      403,
    );

    const res = await coordinatorA.request('PUT', `/api/groups/${id}/publication`, { published: true });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.published).toBe(true);
    const offerId = res.body.offerId as string;
    const offer = await new Caller(world.app).get(`/api/public/offers/${offerId}`);
    expect(offer.statusCode, offer.raw).toBe(200);
    expect(offer.body).toMatchObject({
      name: 'Praatgroep rouw voor jongvolwassenen',
      modalities: ['group'],
      themes: ['grief-loss'],
      municipalities: ['24062'],
      capacity: 'open',
      organizationId: t.orgA.id,
    });
    expect(offer.body.openingHours).toContain('12/01/2037 19:00');
    const search = await new Caller(world.app).get('/api/public/offers?modality=group&theme=grief-loss');
    expect(search.body.items.map((o: { id: string }) => o.id)).toContain(offerId);

    // the offer follows the group: a new session, the last place taken
    await session(id, '2037-01-19T18:00:00Z', coordinatorA);
    await register(id, await client(coordinatorA), coordinatorA);
    const after = (await new Caller(world.app).get(`/api/public/offers/${offerId}`)).body;
    expect(after.openingHours).toContain('19/01/2037 19:00');
    expect(after.capacity).toBe('waitlist');

    // withdrawn: gone from the public catalogue; published again: the same offer
    expect(
      (await coordinatorA.request('PUT', `/api/groups/${id}/publication`, { published: false })).body.published,
    ).toBe(false);
    expect((await new Caller(world.app).get(`/api/public/offers/${offerId}`)).statusCode).toBe(404);
    const again = await coordinatorA.request('PUT', `/api/groups/${id}/publication`, { published: true });
    expect(again.body).toMatchObject({ published: true, offerId });
  });

  it('keeps a school, facility or collective group out of the catalogue (409)', async () => {
    const before = Number(
      (
        await world.owner
          .selectFrom('offers')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    for (const audience of ['school', 'facility', 'collective']) {
      const id = await group(coordinatorA, { audience });
      const res = await coordinatorA.request('PUT', `/api/groups/${id}/publication`, { published: true });
      expect(res.statusCode).toBe(409);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'audience', code: 'audience-not-public' })]);
    }
    const after = Number(
      (
        await world.owner
          .selectFrom('offers')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(after).toBe(before);
  });
});

describe('bad input', () => {
  it('a group: 400 field by field, in Dutch, nothing stored', async () => {
    const before = await count('groups');
    const schema = await caregiverA.post('/api/groups', { title: '  ', audience: 'everyone', capacity: 0 });
    expect(schema.statusCode).toBe(400);
    expect(schema.headers['content-type']).toContain('application/problem+json');
    expect(fieldsOf(schema)).toEqual(['audience', 'capacity', 'title']);
    const rules = await caregiverA.post('/api/groups', {
      title: 'Groep',
      audience: 'open',
      theme: 'no-such-theme',
      municipalityNis: '99999',
      facilitatorIds: [t.users.caregiverA.id, t.users.intakeB.id],
    });
    expect(rules.statusCode).toBe(400);
    expect(rules.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort()).toEqual([
      'facilitatorIds.1:responsible-unknown',
      'municipalityNis:municipality-unknown',
      'theme:theme-unknown',
    ]);
    expect(rules.body.errors.find((e: { field: string }) => e.field === 'theme').message).toBe(
      'Dit thema bestaat niet.',
    );
    expect(await count('groups')).toBe(before);
  });

  it('a session, a facility, a case, a contact and a closing: 400 field by field, nothing stored', async () => {
    const id = await group();
    const s = await caregiverA.post(`/api/groups/${id}/sessions`, { startsAt: 'morgen', minutes: 0 });
    expect(s.statusCode).toBe(400);
    expect(fieldsOf(s)).toEqual(['minutes', 'startsAt']);

    const f = await caregiverA.post('/api/facilities', {
      name: 'WZC',
      kind: 'hotel',
      contactPhone: 'bel maar',
      extra: 1,
    });
    expect(f.statusCode).toBe(400);
    expect(fieldsOf(f)).toEqual(['extra', 'kind']);
    const f2 = await caregiverA.post('/api/facilities', {
      name: 'WZC',
      kind: 'care-home',
      contactPhone: 'bel maar',
      linkedOrganizationId: t.orgX.id,
      municipalityNis: '00000',
    });
    expect(f2.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort()).toEqual([
      'contactPhone:phone-invalid',
      'linkedOrganizationId:organization-unknown',
      'municipalityNis:municipality-unknown',
    ]);
    const before = [await count('facilities'), await count('facility_cases'), await count('facility_contacts')];

    const { caseId } = await facilityCase();
    const c = await caregiverA.post('/api/facility-cases', { origin: 'rumour', reason: '' });
    expect(fieldsOf(c)).toEqual(['facilityId', 'origin', 'reason']);
    const k = await caregiverA.post(`/api/facility-cases/${caseId}/contacts`, {
      kind: 'on-site-visit',
      date: '2026-06-30',
      userId: t.users.intakeB.id,
    });
    expect(k.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort()).toEqual([
      'date:date-before-opening',
      'userId:responsible-unknown',
    ]);
    const future = await caregiverA.post(`/api/facility-cases/${caseId}/contacts`, {
      kind: 'follow-up',
      date: '2099-01-01',
    });
    expect(future.body.errors).toEqual([expect.objectContaining({ field: 'date', code: 'date-future' })]);
    const close = await caregiverA.post(`/api/facility-cases/${caseId}/close`, { summary: '' });
    expect(fieldsOf(close)).toEqual(['summary']);
    expect([await count('facilities'), await count('facility_cases'), await count('facility_contacts')]).toEqual([
      before[0]! + 1,
      before[1]! + 1,
      before[2],
    ]);
    const figures = await caregiverA.get('/api/group-work/figures?from=2026-09-30&to=2026-07-01');
    expect(figures.body.errors).toEqual([expect.objectContaining({ field: 'to', code: 'end-before-start' })]);
  });
});

describe('facility cases', () => {
  it('log contacts with date, who and note, and close with a summary; a closed case takes no contacts', async () => {
    const { caseId, facilityId } = await facilityCase(caregiverA, { linkedOrganizationId: t.orgB.id });
    await contact(caseId, 'phone-advice', '2026-07-02');
    const other = await caregiverA.post(`/api/facility-cases/${caseId}/contacts`, {
      kind: 'on-site-visit',
      date: '2026-07-06',
      userId: t.users.teamLeadA.id,
      note: 'Ter plaatse met de directie',
    });
    expect(other.statusCode, other.raw).toBe(201);
    const detail = (await caregiverA.get(`/api/facility-cases/${caseId}`)).body;
    expect(detail).toMatchObject({ status: 'open', contacts: 2, lastContactDate: '2026-07-06', facilityId });
    expect(
      detail.contactLog.map((k: { kind: string; userDisplayName: string }) => `${k.kind}:${k.userDisplayName}`),
    ).toEqual(['phone-advice:Test caregiver', 'on-site-visit:Test team-lead']);
    const closed = await caregiverA.post(`/api/facility-cases/${caseId}/close`, {
      summary: 'Uitbraak onder controle, opvolging afgerond',
      closedOn: '2026-07-20',
    });
    expect(closed.statusCode, closed.raw).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedOn: '2026-07-20' });
    expect((await caregiverA.post(`/api/facility-cases/${caseId}/close`, { summary: 'Nog eens' })).statusCode).toBe(
      409,
    );
    expect(
      (await caregiverA.post(`/api/facility-cases/${caseId}/contacts`, { kind: 'follow-up', date: '2026-07-21' }))
        .statusCode,
    ).toBe(409);
    const register = (await caregiverA.get('/api/facilities')).body.items.find(
      (f: { id: string }) => f.id === facilityId,
    );
    expect(register).toMatchObject({ linkedOrganizationId: t.orgB.id, openCases: 0, lastContactDate: '2026-07-06' });
    expect(
      (await caregiverA.get('/api/facility-cases?status=closed')).body.items.map((c: { id: string }) => c.id),
    ).toContain(caseId);
  });
});

describe('the figures for the funder', () => {
  it('equal a hand count over a seeded quarter (Q3 2026), and another organisation counts none of them', async () => {
    // a fresh organisation of its own, so the other tests' data does not mix in
    const org = await world.owner
      .insertInto('organizations')
      .values({ network_id: t.network.id, name: 'CAW Figures', kind: 'caw' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const u = await makeUser(world, { role: 'coordinator', networkId: t.network.id, organizationId: org.id });
    const me = await login(world, u.email);

    const g1 = await group(me, { audience: 'school' });
    const g2 = await group(me, { audience: 'peer', capacity: 10 });
    const people = [await client(me), await client(me), await client(me), await client(me)];
    for (const p of people) await register(g2, p, me);
    const attend = async (s: string, body: Record<string, unknown>) =>
      expect((await me.request('PUT', `/api/group-sessions/${s}/attendance`, body)).statusCode).toBe(200);

    // in the quarter
    await attend(await session(g1, '2026-07-03T08:00:00Z', me), { headcount: 24 }); // 24
    await attend(await session(g1, '2026-09-30T21:30:00Z', me), { headcount: 19 }); // 23:30 in Brussels: 19
    await attend(await session(g2, '2026-08-10T17:00:00Z', me), { headcount: 3, participants: people }); // 4
    await attend(await session(g2, '2026-08-17T17:00:00Z', me), { headcount: 6, participants: people.slice(0, 2) }); // 6
    await attend(await session(g2, '2026-08-24T17:00:00Z', me), { participants: people.slice(0, 3) }); // 3
    await session(g2, '2026-08-31T17:00:00Z', me); // no attendance recorded: not held
    const cancelled = await session(g2, '2026-09-07T17:00:00Z', me);
    await me.post(`/api/group-sessions/${cancelled}/cancel`, {}); // cancelled: not counted
    // 30/06 22:30 UTC is 01/07 00:30 in Brussels: in the quarter (30)
    await attend(await session(g1, '2026-06-30T22:30:00Z', me), { headcount: 30 });
    // outside the quarter: 01/10 00:30 in Brussels, and June
    await attend(await session(g1, '2026-09-30T22:30:00Z', me), { headcount: 17 });
    await attend(await session(g1, '2026-06-15T08:00:00Z', me), { headcount: 50 });

    // facilities: A phone + specialised + visit; B phone twice + specialised; C visit; D follow-up only; E outside
    const [a, b, c, d, e] = [
      await facilityCase(me),
      await facilityCase(me, { name: 'Thuislozenopvang Het Anker', kind: 'homeless-service' }),
      await facilityCase(me, { name: 'VAPH De Brug', kind: 'disability-facility' }),
      await facilityCase(me, { name: 'WZC Ter Beuken' }),
      await facilityCase(me, { name: 'WZC Buiten' }),
    ];
    await contact(a.caseId, 'phone-advice', '2026-07-02', me);
    await contact(a.caseId, 'specialised-advice', '2026-07-03', me);
    await contact(a.caseId, 'on-site-visit', '2026-07-10', me);
    await contact(a.caseId, 'on-site-visit', '2026-08-10', me);
    await contact(b.caseId, 'phone-advice', '2026-07-02', me);
    await contact(b.caseId, 'phone-advice', '2026-07-09', me);
    await contact(b.caseId, 'specialised-advice', '2026-09-30', me);
    await contact(c.caseId, 'on-site-visit', '2026-08-01', me);
    await contact(d.caseId, 'follow-up', '2026-09-01', me);
    await contact(e.caseId, 'specialised-advice', '2026-10-01', me);
    await contact(e.caseId, 'on-site-visit', '2026-10-02', me);

    const hand = {
      groupSessions: 6, // 24, 19, 4, 6, 3 and the one of 30/06 22:30 UTC (01/07 in Brussels): 30
      groupParticipants: 24 + 19 + 4 + 6 + 3 + 30,
      facilitiesContacted: 4, // A, B, C, D
      facilitiesAdvised: 2, // A, B
      facilitiesVisited: 2, // A, C
    };
    const res = await me.get('/api/group-work/figures?from=2026-07-01&to=2026-09-30');
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toEqual(hand);

    // the exported function gives the same, for the organisation it is asked about
    const actor = {
      kind: 'user' as const,
      userId: u.id,
      tokenId: null,
      membershipId: u.membershipId,
      organizationId: org.id,
      networkId: t.network.id,
      role: 'coordinator' as const,
      permissions: new Set(ROLE_PERMISSIONS.coordinator),
      session: null,
    };
    const info = { ip: '127.0.0.1', userAgent: 'test', requestId: 'groups-figures' };
    expect(
      await inTenant(world.db.app, actor, info, (tx) => groupWorkFigures(tx, org.id, '2026-07-01', '2026-09-30')),
    ).toEqual(hand);
    // and the organisation's October: the session of 01/10 00:30 and facility E
    expect((await me.get('/api/group-work/figures?from=2026-10-01&to=2026-12-31')).body).toEqual({
      groupSessions: 1,
      groupParticipants: 17,
      facilitiesContacted: 1,
      facilitiesAdvised: 1,
      facilitiesVisited: 1,
    });
    // another organisation of the network counts none of it
    expect((await caregiverB.get('/api/group-work/figures?from=2026-07-01&to=2026-09-30')).body).toEqual({
      groupSessions: 0,
      groupParticipants: 0,
      facilitiesContacted: 0,
      facilitiesAdvised: 0,
      facilitiesVisited: 0,
    });
  });
});

// The access matrix of tests/integration/endpoints.test.ts leaves these routes to this suite (as it does the
// trajectory and HSDS routes): every one of them, from the OpenAPI document, without a session and without the
// permission; the 404s, bad input and happy paths are the tests above.
describe('every group and facility route', () => {
  const OWN = ['/api/groups', '/api/group-sessions', '/api/group-work', '/api/facilities', '/api/facility-cases'];
  const routes = async () => {
    const spec = (await world.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, object> }>();
    return Object.entries(spec.paths)
      .filter(([p]) => OWN.some((prefix) => p === prefix || p.startsWith(`${prefix}/`)))
      .flatMap(([p, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path: p })));
  };
  const fill = (p: string) => p.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');

  it('are eighteen, and each answers 401 without a session', async () => {
    const list = await routes();
    expect(list).toHaveLength(18);
    const anonymous = new Caller(world.app);
    for (const { method, path: p } of list) {
      const res = await anonymous.request(method, fill(p), method === 'GET' || method === 'DELETE' ? undefined : {});
      expect(res.statusCode, `${method} ${p}`).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('each answers 403 to a role without the permission (org admin, analyst, intake worker), audited as denied', async () => {
    for (const { method, path: p } of await routes()) {
      for (const caller of [adminA, analyst, intakeA]) {
        const res = await caller.request(method, fill(p), method === 'GET' || method === 'DELETE' ? undefined : {});
        expect(res.statusCode, `${method} ${p}`).toBe(403);
        const rows = await world.owner
          .selectFrom('audit_log')
          .select('outcome')
          .where('request_id', '=', res.body.requestId as string)
          .execute();
        expect(rows.map((r) => r.outcome)).toContain('denied');
      }
    }
  });
});
