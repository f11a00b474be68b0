import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Caller, createWorld, login, makeNetwork, makeOrganization, makeUser, type World } from '../support/world.ts';
import { eraseExpiredSignals } from '../../src/server/features/outreach/index.ts';

let world: World;
let network: { id: string };
let caw: { id: string; name: string };
let cgg: { id: string; name: string };
let funeral: { id: string; name: string };
let careHome: { id: string; name: string };
let cawX: { id: string; name: string };
let coordinator: Caller; // the CAW's nazorgcoördinator
let caregiverCaw: Caller;
let coordinatorCgg: Caller;
let funeralWorker: Caller;
let funeralCoordinator: Caller;
let careHomeWorker: Caller;
let adminCaw: Caller;
let networkAdmin: Caller;
let coordinatorX: Caller;

beforeAll(async () => {
  // an SMTP address makes notifications queue e-mails (nothing listens: the outbox row is what we check)
  world = await createWorld({ smtpUrl: 'smtp://127.0.0.1:9', publicUrl: 'https://kortelijn.test' });
  network = await makeNetwork(world);
  const other = await makeNetwork(world);
  caw = await makeOrganization(world, network.id, 'caw', 'CAW Test');
  cgg = await makeOrganization(world, network.id, 'cgg', 'CGG Test');
  funeral = await makeOrganization(world, network.id, 'funeral-director', 'Uitvaart Test');
  careHome = await makeOrganization(world, network.id, 'care-facility', 'WZC Test');
  cawX = await makeOrganization(world, other.id, 'caw', 'CAW Elders');
  const as = async (
    role: Parameters<typeof makeUser>[1]['role'],
    organizationId: string | null,
    networkId = network.id,
  ) => login(world, (await makeUser(world, { role, networkId, organizationId })).email);
  coordinator = await as('coordinator', caw.id);
  caregiverCaw = await as('caregiver', caw.id);
  coordinatorCgg = await as('coordinator', cgg.id);
  funeralWorker = await as('intake-worker', funeral.id);
  funeralCoordinator = await as('coordinator', funeral.id);
  careHomeWorker = await as('caregiver', careHome.id);
  adminCaw = await as('org-admin', caw.id);
  networkAdmin = await as('network-admin', null);
  coordinatorX = await as('coordinator', cawX.id, other.id);
});
afterAll(async () => {
  await world?.close();
});

const bereaved = (extra: Record<string, unknown> = {}) => ({
  kind: 'bereaved',
  contactName: 'Marleen Peeters',
  phone: '0470 12 34 56',
  preferredLanguage: 'nl',
  preferredMoment: 'afternoon',
  relation: 'echtgenote',
  dateOfDeath: '2026-11-20',
  agreementMethod: 'spoken',
  note: 'Liever na 14 uur bellen',
  ...extra,
});
async function signal(caller = funeralWorker, body: Record<string, unknown> = bereaved()) {
  const res = await caller.post('/api/outreach/signals', body);
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}
const countSignals = async () =>
  Number(
    (
      await world.owner
        .selectFrom('outreach_signals')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
/** Moves a signal's creation back, so attempts can be dated in the past. */
const backdate = (id: string, days: number) =>
  world.owner
    .updateTable('outreach_signals')
    .set({ created_at: sql`now() - make_interval(days => ${days})` })
    .where('id', '=', id)
    .execute();
/** An instant `daysAgo` days back at a UTC hour (Brussels is UTC+1 in winter, +2 in summer). */
const ago = (daysAgo: number, utcHour: number) => {
  const d = new Date(Date.now() - daysAgo * 86_400_000);
  d.setUTCHours(utcHour, 0, 0, 0);
  return d.toISOString();
};

describe('signals and roles', () => {
  it("a funeral director's employee signals a bereaved relative; the CAW gets it, a notice and an e-mail without personal data", async () => {
    const id = await signal();
    const row = await world.owner
      .selectFrom('outreach_signals')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      receiver_organization_id: caw.id,
      sender_organization_id: funeral.id,
      phone: '+32470123456',
      status: 'new',
      agreement_method: 'spoken',
    });
    // due: 2 working days later
    expect(new Date(row.due_at).getTime()).toBeGreaterThan(Date.now() + 86_400_000);

    const notes = await coordinator.get('/api/notifications');
    expect(notes.statusCode, notes.raw).toBe(200);
    expect(notes.body.items).toContainEqual(
      expect.objectContaining({
        kind: 'outreach-new',
        subjectType: 'outreach-signal',
        subjectId: id,
        referralId: null,
      }),
    );
    const mails = await world.owner.selectFrom('email_outbox').select(['subject', 'body']).execute();
    const mail = mails.find((m) => m.body.includes(`/outreach/${id}`));
    expect(mail).toBeDefined();
    expect(`${mail!.subject} ${mail!.body}`).not.toMatch(/Marleen|Peeters|0470|\+32470|echtgenote|14 uur/);
  });

  it('the sender sees its signal with its state only, never the conversations; the queue is refused to it (403)', async () => {
    const id = await signal();
    const mine = await funeralWorker.get('/api/outreach/signals?box=outgoing');
    expect(mine.statusCode, mine.raw).toBe(200);
    const item = mine.body.items.find((s: { id: string }) => s.id === id);
    expect(item).toMatchObject({ state: 'received', receiverOrganizationName: 'CAW Test' });
    expect(item).not.toHaveProperty('phone');
    expect(item).not.toHaveProperty('attempts');

    // default box of a sender-only organisation is its outgoing list
    expect((await funeralWorker.get('/api/outreach/signals')).body.box).toBe('outgoing');
    for (const caller of [funeralWorker, funeralCoordinator, careHomeWorker]) {
      expect((await caller.get('/api/outreach/signals?box=incoming')).statusCode).toBe(403);
    }
    // a funeral director's coordinator holds the queue permission, but its organisation receives nothing
    expect(
      (await funeralCoordinator.post(`/api/outreach/signals/${id}/attempts`, { channel: 'phone', outcome: 'reached' }))
        .statusCode,
    ).toBe(404);

    await coordinator.post(`/api/outreach/signals/${id}/attempts`, {
      channel: 'phone',
      outcome: 'reached',
      note: 'Gesprek over de uitvaart',
    });
    const seen = await funeralWorker.get(`/api/outreach/signals/${id}`);
    expect(seen.statusCode, seen.raw).toBe(200);
    expect(seen.body).toMatchObject({ view: 'sender', state: 'contact-made' });
    expect(seen.raw).not.toContain('Gesprek over de uitvaart');
    expect(seen.body).not.toHaveProperty('attemptList');
    expect(seen.body).not.toHaveProperty('phone');
    const full = await coordinator.get(`/api/outreach/signals/${id}`);
    expect(full.body).toMatchObject({ view: 'receiver', phone: '+32470123456', attempts: 1, reached: true });
  });

  it('a care home signals too; a collective grief moment needs no person', async () => {
    const id = await signal(careHomeWorker, {
      kind: 'bereaved',
      collective: true,
      agreementMethod: 'spoken',
      note: 'Overlijden van een bewoner, de afdeling is aangeslagen',
    });
    const res = await coordinator.get(`/api/outreach/signals/${id}`);
    expect(res.body).toMatchObject({ collective: true, contactName: null });
  });

  it('refusals: 401 without session, 403 without the permission, 404 across networks and for a mere sender', async () => {
    const id = await signal();
    expect((await new Caller(world.app).post('/api/outreach/signals', bereaved())).statusCode).toBe(401);
    expect((await adminCaw.post('/api/outreach/signals', bereaved())).statusCode).toBe(403);
    expect((await networkAdmin.post('/api/outreach/signals', bereaved())).statusCode).toBe(403);
    // a CAW caregiver may signal but has no queue
    expect((await caregiverCaw.get('/api/outreach/signals?box=incoming')).statusCode).toBe(403);
    expect((await caregiverCaw.get(`/api/outreach/signals/${id}`)).statusCode).toBe(403);
    expect(
      (await caregiverCaw.post(`/api/outreach/signals/${id}/attempts`, { channel: 'phone', outcome: 'reached' }))
        .statusCode,
    ).toBe(403);
    // the CAW coordinator of another network sees nothing
    expect((await coordinatorX.get(`/api/outreach/signals/${id}`)).statusCode).toBe(404);
    expect(
      (await coordinatorX.post(`/api/outreach/signals/${id}/attempts`, { channel: 'phone', outcome: 'reached' }))
        .statusCode,
    ).toBe(404);
    expect((await coordinatorX.post(`/api/outreach/signals/${id}/close`, { outcome: 'declined' })).statusCode).toBe(
      404,
    );
    expect((await coordinatorX.get('/api/outreach/signals?box=incoming')).body.items).toEqual([]);
    // another organisation of the same network that did not receive it
    expect((await coordinatorCgg.get(`/api/outreach/signals/${id}`)).statusCode).toBe(404);
  });
});

describe('routing per municipality', () => {
  it('the network admin routes per kind and municipality with a fallback; signals follow; bad settings are 400 field by field', async () => {
    const before = await networkAdmin.get('/api/outreach/settings');
    expect(before.statusCode, before.raw).toBe(200);
    expect(before.body).toMatchObject({ responseWorkingDays: 2, failedAttempts: 3, retentionMonths: 12, routes: [] });
    expect(before.body.receivers.map((r: { id: string }) => r.id).sort()).toEqual([caw.id, cgg.id].sort());

    const bad = await networkAdmin.request('PUT', '/api/outreach/settings', {
      responseWorkingDays: 0,
      failedAttempts: 3,
      retentionMonths: 12,
      routes: [
        { kind: 'bereaved', municipalityNis: '99999', organizationId: caw.id },
        { kind: 'isolated', municipalityNis: null, organizationId: funeral.id },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'responseWorkingDays',
      'routes.0.municipalityNis',
      'routes.1.organizationId',
    ]);
    expect((await networkAdmin.get('/api/outreach/settings')).body.routes).toEqual([]);
    expect(
      (
        await coordinator.request('PUT', '/api/outreach/settings', {
          responseWorkingDays: 2,
          failedAttempts: 3,
          retentionMonths: 12,
          routes: [],
        })
      ).statusCode,
    ).toBe(403);

    const put = await networkAdmin.request('PUT', '/api/outreach/settings', {
      responseWorkingDays: 2,
      failedAttempts: 3,
      retentionMonths: 12,
      routes: [
        { kind: 'bereaved', municipalityNis: '11002', organizationId: cgg.id },
        { kind: 'bereaved', municipalityNis: null, organizationId: caw.id },
        { kind: 'caregiver-strain', municipalityNis: null, organizationId: cgg.id },
      ],
    });
    expect(put.statusCode, put.raw).toBe(200);
    expect(put.body.routes).toHaveLength(3);

    const receiverOf = async (body: Record<string, unknown>) => {
      const id = await signal(funeralWorker, body);
      return (
        await world.owner
          .selectFrom('outreach_signals')
          .select('receiver_organization_id')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).receiver_organization_id;
    };
    expect(await receiverOf(bereaved({ municipalityNis: '11002' }))).toBe(cgg.id); // Antwerpen: its route
    expect(await receiverOf(bereaved({ municipalityNis: '44021' }))).toBe(caw.id); // Gent: the fallback
    expect(await receiverOf(bereaved())).toBe(caw.id); // no municipality: the fallback
    const strain = {
      kind: 'caregiver-strain',
      contactName: 'Jan',
      email: 'jan@example.org',
      agreementMethod: 'written',
    };
    expect(await receiverOf(strain)).toBe(cgg.id);
    // no route for the kind at all: the network's CAW
    const isolated = { kind: 'isolated', contactName: 'Rosa', phone: '03 123 45 67', agreementMethod: 'spoken' };
    expect(await receiverOf(isolated)).toBe(caw.id);

    // put the network back as the other tests expect it (everything to the CAW)
    await networkAdmin.request('PUT', '/api/outreach/settings', {
      responseWorkingDays: 2,
      failedAttempts: 3,
      retentionMonths: 12,
      routes: [],
    });
  });
});

describe('the queue: attempts, the unreachable proposal, closing', () => {
  it('new on top, overdue standing out', async () => {
    const old = await signal();
    await world.owner
      .updateTable('outreach_signals')
      .set({ due_at: sql`now() - interval '1 hour'`, created_at: sql`now() - interval '3 days'` })
      .where('id', '=', old)
      .execute();
    const fresh = await signal();
    const queue = await coordinator.get('/api/outreach/signals?box=incoming&status=new');
    expect(queue.statusCode, queue.raw).toBe(200);
    const ids = queue.body.items.map((s: { id: string }) => s.id);
    expect(ids.indexOf(fresh)).toBeLessThan(ids.indexOf(old));
    expect(queue.body.items.find((s: { id: string }) => s.id === old)).toMatchObject({
      overdue: true,
      state: 'received',
    });
    expect(queue.body.items.find((s: { id: string }) => s.id === fresh)).toMatchObject({ overdue: false });
  });

  it('proposes unreachable after three failed attempts over two parts of the day, with a letter', async () => {
    const id = await signal();
    await backdate(id, 4);
    const attempt = (at: string, outcome = 'no-answer', channel = 'phone') =>
      coordinator.post(`/api/outreach/signals/${id}/attempts`, { channel, outcome, at });
    // three in the morning (Brussels 10:00): three failed, one part of the day — not yet
    for (const d of [3, 2, 1]) expect((await attempt(ago(d, 9))).statusCode).toBe(201);
    let detail = (await coordinator.get(`/api/outreach/signals/${id}`)).body;
    expect(detail.unreachable).toMatchObject({ proposed: false, failedAttempts: 3, partsOfDay: 1, needed: 3 });
    expect(detail.status).toBe('in-progress');
    expect(detail.overdue).toBe(false);
    // a voicemail in the afternoon (Brussels 15:00): proposed
    expect((await attempt(ago(1, 14), 'voicemail')).statusCode).toBe(201);
    detail = (await coordinator.get(`/api/outreach/signals/${id}`)).body;
    expect(detail.unreachable).toMatchObject({ proposed: true, failedAttempts: 4, partsOfDay: 2 });
    expect(detail.unreachable.letter).toContain('Beste Marleen Peeters');
    expect(detail.unreachable.letter).toMatch(/altijd welkom/);
    expect(detail.attemptList.map((a: { partOfDay: string }) => a.partOfDay)).toEqual([
      'morning',
      'morning',
      'morning',
      'afternoon',
    ]);
    expect((await coordinator.get('/api/outreach/signals?box=incoming')).body.items).toContainEqual(
      expect.objectContaining({ id, unreachableProposed: true }),
    );

    const closed = await coordinator.post(`/api/outreach/signals/${id}/close`, { outcome: 'unreachable' });
    expect(closed.statusCode, closed.raw).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'unreachable', state: 'closed' });
    // closed: no more attempts, no second close
    expect((await attempt(ago(0, 0))).statusCode).toBe(409);
    expect((await coordinator.post(`/api/outreach/signals/${id}/close`, { outcome: 'declined' })).statusCode).toBe(409);
    expect((await funeralWorker.get(`/api/outreach/signals/${id}`)).body.state).toBe('closed');
  });

  it('closing with support accepted registers the client and starts a bereavement trajectory linked to the signal', async () => {
    const id = await signal();
    // not reached yet: refused, nothing created
    const early = await coordinator.post(`/api/outreach/signals/${id}/close`, { outcome: 'support-accepted' });
    expect(early.statusCode).toBe(400);
    expect(early.body.errors).toEqual([expect.objectContaining({ field: 'outcome', code: 'not-reached' })]);
    expect(
      await coordinator.post(`/api/outreach/signals/${id}/attempts`, { channel: 'phone', outcome: 'no-answer' }),
    ).toMatchObject({ statusCode: 201 });
    expect(
      await coordinator.post(`/api/outreach/signals/${id}/attempts`, { channel: 'phone', outcome: 'reached' }),
    ).toMatchObject({ statusCode: 201 });

    const closed = await coordinator.post(`/api/outreach/signals/${id}/close`, {
      outcome: 'support-accepted',
      note: 'Eerste gesprek thuis volgende week',
    });
    expect(closed.statusCode, closed.raw).toBe(200);
    expect(closed.body).toMatchObject({ outcome: 'support-accepted', state: 'closed' });
    const { clientId, trajectoryId } = closed.body;
    expect(clientId).toBeTruthy();
    const client = await coordinator.get(`/api/clients/${clientId}`);
    expect(client.statusCode, client.raw).toBe(200);
    expect(client.body).toMatchObject({ givenName: 'Marleen', familyName: 'Peeters', phone: '+32470123456' });
    const trajectory = await coordinator.get(`/api/trajectories/${trajectoryId}`);
    expect(trajectory.statusCode, trajectory.raw).toBe(200);
    expect(trajectory.body).toMatchObject({ clientId, module: 'victim-support-bereavement', status: 'planned' });
    // the sender learns only that it is closed
    const sender = await funeralWorker.get(`/api/outreach/signals/${id}`);
    expect(sender.body).toEqual(expect.objectContaining({ state: 'closed' }));
    expect(sender.body).not.toHaveProperty('clientId');
    expect(sender.body).not.toHaveProperty('outcome');
  });

  it('other closing outcomes register nobody; bad input is 400 field by field and changes nothing', async () => {
    const id = await signal();
    const wrong = await coordinator.post(`/api/outreach/signals/${id}/close`, {
      outcome: 'declined',
      module: 'youth',
      givenName: 'X',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['givenName', 'module']);
    const noAttempt = await coordinator.post(`/api/outreach/signals/${id}/close`, { outcome: 'unreachable' });
    expect(noAttempt.body.errors).toEqual([expect.objectContaining({ field: 'outcome', code: 'no-attempts' })]);
    const attempt = await coordinator.post(`/api/outreach/signals/${id}/attempts`, {
      channel: 'fax',
      outcome: 'maybe',
      at: 'gisteren',
    });
    expect(attempt.statusCode).toBe(400);
    expect(attempt.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['at', 'channel', 'outcome']);
    const future = await coordinator.post(`/api/outreach/signals/${id}/attempts`, {
      channel: 'phone',
      outcome: 'reached',
      at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(future.body.errors).toEqual([expect.objectContaining({ field: 'at', code: 'date-future' })]);
    const info = await coordinator.post(`/api/outreach/signals/${id}/close`, { outcome: 'information-given' });
    expect(info.statusCode, info.raw).toBe(200);
    expect(info.body).toMatchObject({ clientId: null, trajectoryId: null, attempts: 0 });
  });
});

describe('bad signals', () => {
  it('are refused field by field in Dutch, and nothing is stored', async () => {
    const before = await countSignals();
    const empty = await funeralWorker.post('/api/outreach/signals', { kind: 'isolated', agreementMethod: 'spoken' });
    expect(empty.statusCode).toBe(400);
    expect(empty.headers['content-type']).toContain('application/problem+json');
    expect(empty.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['contactName', 'phone']);
    expect(empty.body.errors.find((e: { field: string }) => e.field === 'phone').message).toMatch(/telefoonnummer/);

    const wrong = await funeralWorker.post('/api/outreach/signals', {
      kind: 'isolated',
      contactName: 'Rosa',
      phone: 'bel me',
      relation: 'zoon',
      dateOfDeath: '2026-01-01',
      municipalityNis: '99999',
      agreementMethod: 'spoken',
      agreementDate: '2999-01-01',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort()).toEqual([
      'agreementDate:date-future',
      'dateOfDeath:bereaved-only',
      'municipalityNis:municipality-unknown',
      'phone:phone-invalid',
      'relation:bereaved-only',
    ]);

    const shape = await funeralWorker.post('/api/outreach/signals', {
      kind: 'sad',
      contactName: '',
      email: 'geen-adres',
      agreementMethod: 'nodded',
      extra: 1,
    });
    expect(shape.statusCode).toBe(400);
    // a nullable field reports each branch of its union: one field, several lines
    expect([...new Set(shape.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual([
      'agreementMethod',
      'contactName',
      'email',
      'extra',
      'kind',
    ]);

    const collective = await funeralWorker.post('/api/outreach/signals', {
      kind: 'bereaved',
      collective: true,
      contactName: 'Iemand',
      agreementMethod: 'spoken',
    });
    expect(collective.body.errors).toEqual([
      expect.objectContaining({ field: 'contactName', code: 'collective-no-person' }),
    ]);
    expect(await countSignals()).toBe(before);
  });
});

describe('counts and retention', () => {
  // a seeded quarter (2026-Q2) in a fresh organisation, hand-counted: reached and closed instants around the
  // quarter's Brussels boundaries (summer time, UTC+2)
  it('stats equal a hand count over a seeded quarter, and the retention erasure keeps them', async () => {
    const counted = await makeOrganization(world, network.id, 'caw', 'CAW Telling');
    const coord = await login(
      world,
      (await makeUser(world, { role: 'coordinator', networkId: network.id, organizationId: counted.id })).email,
    );
    const seed = (reachedAt: string | null, outcome: string | null, closedAt: string | null) =>
      world.owner
        .insertInto('outreach_signals')
        .values({
          network_id: network.id,
          sender_organization_id: funeral.id,
          receiver_organization_id: counted.id,
          kind: 'bereaved',
          contact_name: 'Geteld Persoon',
          phone: '+32470000000',
          agreement_method: 'spoken',
          agreement_at: '2026-03-01',
          due_at: '2026-03-03T09:00:00Z',
          created_at: '2026-03-01T09:00:00Z',
          status: closedAt ? 'closed' : reachedAt ? 'in-progress' : 'new',
          reached_at: reachedAt,
          outcome,
          closed_at: closedAt,
        })
        .execute();
    await seed('2026-03-31T21:30:00Z', null, null); // 31/03 23:30 Brussels: Q1
    await seed('2026-03-31T22:30:00Z', null, null); // 01/04 00:30 Brussels: Q2 ✓ contact
    await seed('2026-05-10T10:00:00Z', 'support-accepted', '2026-05-12T10:00:00Z'); // ✓ contact ✓ support
    await seed('2026-06-30T21:30:00Z', 'support-accepted', '2026-06-30T21:45:00Z'); // 30/06 23:30: ✓ contact ✓ support
    await seed('2026-06-30T22:30:00Z', null, null); // 01/07 00:30 Brussels: Q3
    await seed('2026-03-20T10:00:00Z', 'support-accepted', '2026-04-02T10:00:00Z'); // contact Q1, ✓ support Q2
    await seed(null, 'unreachable', '2026-05-01T10:00:00Z'); // never reached
    await seed('2026-04-15T10:00:00Z', 'declined', '2026-04-15T11:00:00Z'); // ✓ contact (refused on the phone)
    // hand count Q2: contacts 4 (01/04, 10/05, 30/06, 15/04), support started 3 (12/05, 30/06, 02/04)

    const q2 = await coord.get('/api/outreach/stats?quarter=2026-Q2');
    expect(q2.statusCode, q2.raw).toBe(200);
    expect(q2.body).toEqual({
      quarter: '2026-Q2',
      from: '2026-04-01',
      to: '2026-06-30',
      proactiveContacts: 4,
      supportStarted: 3,
      // no group work or support to facilities in this organisation
      groupSessions: 0,
      groupParticipants: 0,
      facilitiesContacted: 0,
      facilitiesAdvised: 0,
      facilitiesVisited: 0,
    });
    const q1 = (await coord.get('/api/outreach/stats?quarter=2026-Q1')).body;
    expect(q1).toMatchObject({ proactiveContacts: 2, supportStarted: 0 });
    // another organisation's figures are its own
    expect((await coordinator.get('/api/outreach/stats?quarter=2026-Q2')).body).toMatchObject({
      proactiveContacts: 0,
      supportStarted: 0,
    });
    expect((await coord.get('/api/outreach/stats?quarter=2026-Q5')).statusCode).toBe(400);
    expect((await careHomeWorker.get('/api/outreach/stats?quarter=2026-Q2')).statusCode).toBe(403);

    // retention: with "now" moved to 2027-05-20, signals closed before 2026-05-20 (12 months) lose their person
    const erased = await eraseExpiredSignals(world.db, new Date('2027-05-20T12:00:00Z'));
    expect(erased).toBeGreaterThanOrEqual(4);
    const rows = await world.owner
      .selectFrom('outreach_signals')
      .select(['closed_at', 'contact_name', 'phone', 'erased_at', 'outcome'])
      .where('receiver_organization_id', '=', counted.id)
      .execute();
    for (const r of rows) {
      const expired = r.closed_at !== null && new Date(r.closed_at) < new Date('2026-05-20T12:00:00Z');
      expect(r.contact_name === null, String(r.closed_at)).toBe(expired);
      expect(r.phone === null).toBe(expired);
      expect(r.erased_at !== null).toBe(expired);
    }
    expect(
      rows
        .filter((r) => r.erased_at)
        .map((r) => r.outcome)
        .sort(),
    ).toEqual(['declined', 'support-accepted', 'support-accepted', 'unreachable']);
    // the counts stay
    expect((await coord.get('/api/outreach/stats?quarter=2026-Q2')).body).toMatchObject({
      proactiveContacts: 4,
      supportStarted: 3,
    });
    const audit = await world.owner
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'outreach.retention.erase')
      .where('entity_id', '=', counted.id)
      .execute();
    expect(audit).toHaveLength(1);
    // a second run finds nothing left to erase
    expect(await eraseExpiredSignals(world.db, new Date('2027-05-20T12:00:00Z'))).toBe(0);
  });
});

// The access matrix of tests/integration/endpoints.test.ts leaves the outreach routes to this suite (as it does the
// trajectory routes): every one of them, from the OpenAPI document, without a session and without the permission.
describe('every outreach route', () => {
  const routes = async () => {
    const spec = (await world.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, object> }>();
    return Object.entries(spec.paths)
      .filter(([p]) => p.startsWith('/api/outreach'))
      .flatMap(([p, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path: p })));
  };
  const fill = (p: string) => p.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');

  it('are eight, and each answers 401 without a session', async () => {
    const list = await routes();
    expect(list).toHaveLength(8);
    const anonymous = new Caller(world.app);
    for (const { method, path: p } of list) {
      const res = await anonymous.request(method, fill(p), method === 'GET' ? undefined : {});
      expect(res.statusCode, `${method} ${p}`).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('each answers 403 to an analyst, audited as denied', async () => {
    const analyst = await login(world, (await makeUser(world, { role: 'analyst', networkId: network.id })).email);
    for (const { method, path: p } of await routes()) {
      const res = await analyst.request(method, fill(p), method === 'GET' ? undefined : {});
      expect(res.statusCode, `${method} ${p}`).toBe(403);
      const rows = await world.owner
        .selectFrom('audit_log')
        .select('outcome')
        .where('request_id', '=', res.body.requestId as string)
        .execute();
      expect(rows.map((r) => r.outcome)).toContain('denied');
    }
  });
});

describe('the funder’s figures hold the group work too', () => {
  it('a group session held in the quarter with a headcount of 6 adds one session and six participants to the stats', async () => {
    const before = (await coordinator.get('/api/outreach/stats?quarter=2026-Q3')).body;
    const group = await coordinator.post('/api/groups', { title: 'Praatgroep na verlies', audience: 'open' });
    expect(group.statusCode, group.raw).toBe(201);
    const session = await coordinator.post(`/api/groups/${group.body.id}/sessions`, {
      startsAt: '2026-08-18T16:00:00.000Z',
      minutes: 90,
    });
    expect(session.statusCode, session.raw).toBe(201);
    // a session outside the quarter does not count in it
    const later = await coordinator.post(`/api/groups/${group.body.id}/sessions`, {
      startsAt: '2026-10-06T16:00:00.000Z',
      minutes: 90,
    });
    for (const id of [session.body.id, later.body.id]) {
      const attendance = await coordinator.request('PUT', `/api/group-sessions/${id}/attendance`, { headcount: 6 });
      expect(attendance.statusCode, attendance.raw).toBe(200);
    }
    const after = (await coordinator.get('/api/outreach/stats?quarter=2026-Q3')).body;
    expect(after).toMatchObject({
      groupSessions: before.groupSessions + 1,
      groupParticipants: before.groupParticipants + 6,
      proactiveContacts: before.proactiveContacts,
    });
  });
});
