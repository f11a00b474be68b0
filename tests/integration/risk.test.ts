import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Caller, createWorld, login, makeTenants, makeUser, type World } from '../support/world.ts';
import { startMailCatcher, type CapturedMail } from '../support/mail.ts';

// The one risk vocabulary (core/risk.ts) where people decide: the screening, the safety section, the help request
// and its list, the client file, the referral (detail, inbox, notification, FHIR, the network's overdue overview)
// — and matching that is safe under risk. One world for the file; every test makes its own people.

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let senderA: Caller; // intake worker of the CAW (A)
let receiverB: Caller; // intake worker of the CGG (B)
let teamLeadA: Caller;
let network: Caller; // the network coordinator
let coordinatorB: Caller;
let offerB: string;
let smtp: Awaited<ReturnType<typeof startMailCatcher>>;
let mails: CapturedMail[];

async function offer(body: Record<string, unknown>) {
  const res = await coordinatorB.post('/api/offers', {
    description: 'Testaanbod',
    themes: ['depression'],
    municipalities: ['24062'],
    modalities: ['face-to-face'],
    capacity: 'open',
    waitDays: 0,
    level: 'basic',
    ...body,
  });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}

beforeAll(async () => {
  smtp = await startMailCatcher();
  mails = smtp.mails;
  world = await createWorld({ smtpUrl: smtp.url, publicUrl: 'https://kortelijn.test' });
  t = await makeTenants(world);
  senderA = await login(world, t.users.intakeA.email);
  receiverB = await login(world, t.users.intakeB.email);
  teamLeadA = await login(world, t.users.teamLeadA.email);
  network = await login(world, t.users.networkCoordinator.email);
  const coordB = await makeUser(world, { role: 'coordinator', networkId: t.network.id, organizationId: t.orgB.id });
  coordinatorB = await login(world, coordB.email);
  offerB = await offer({ name: 'Begeleiding CGG' });
});
afterAll(async () => {
  await world?.close();
  await smtp?.close();
});

const phq9 = (item9: number, others = 1) =>
  Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`q${i + 1}`, i === 8 ? item9 : others]));

/** A client of A with a help request; `risk` sets it: a PHQ-9 with item 9 (high), a signal by hand, a K10 warning. */
async function person(
  risk: 'none' | 'attention' | 'high' | 'acute' = 'high',
  request: Record<string, unknown> = {},
  caller = senderA,
) {
  const client = await caller.post('/api/clients', {
    givenName: 'Lotte',
    familyName: 'Risico',
    birthDate: '1990-03-03',
  });
  expect(client.statusCode, client.raw).toBe(201);
  const help = await caller.post('/api/help-requests', {
    clientId: client.body.id,
    story: 'Ziet het niet meer zitten',
    themes: ['depression'],
    urgency: 'routine',
    municipality: '24062',
    ...request,
  });
  expect(help.statusCode, help.raw).toBe(201);
  const id = help.body.id as string;
  if (risk === 'high')
    await caller.post(`/api/help-requests/${id}/screenings`, { instrument: 'phq9', answers: phq9(2) });
  if (risk === 'attention')
    await caller.post(`/api/help-requests/${id}/screenings`, {
      instrument: 'k10',
      answers: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`q${i + 1}`, 'meestal'])),
    });
  if (risk === 'acute')
    await caller.post(`/api/help-requests/${id}/safety-signals`, { kind: 'unsafe-home', level: 'acute' });
  return { clientId: client.body.id as string, helpRequestId: id };
}

async function refer(
  p: { clientId: string; helpRequestId: string },
  categories: string[] = ['contact', 'help-request-summary'],
  priority = 'routine',
) {
  const consent = await senderA.post('/api/consents', {
    clientId: p.clientId,
    purpose: 'referral',
    recipientOrganizationId: t.orgB.id,
    categories,
    method: 'verbal',
  });
  expect(consent.statusCode, consent.raw).toBe(201);
  const res = await senderA.post('/api/referrals', {
    helpRequestId: p.helpRequestId,
    offerId: offerB,
    priority,
    consentId: consent.body.id,
  });
  expect(res.statusCode, res.raw).toBe(201);
  return { id: res.body.id as string, consentId: consent.body.id as string, body: res.body };
}

type Row = { id: string; riskLevel?: string | null };
const itemOf = (items: Row[], id: string) => items.find((i) => i.id === id);
const order = (items: { id: string }[], ids: string[]) => items.map((i) => i.id).filter((id) => ids.includes(id));

describe('one level for one signal', () => {
  it('PHQ-9 item 9: the screening, its flag, the safety section, the help request, its list line, the team lead and the client file all say "high"', async () => {
    const p = await person('none');
    const screening = await senderA.post(`/api/help-requests/${p.helpRequestId}/screenings`, {
      instrument: 'phq9',
      answers: phq9(1, 0),
    });
    expect(screening.body).toMatchObject({
      riskLevel: 'high',
      flags: [{ code: 'suicide-risk', riskLevel: 'high' }],
      safetySignal: { level: 'high' },
    });
    const detail = (await senderA.get(`/api/help-requests/${p.helpRequestId}`)).body;
    expect(detail.riskLevel).toBe('high');
    expect(detail.screenings[0].riskLevel).toBe('high');
    expect(detail.safetySignals[0].level).toBe('high');
    const line = itemOf((await senderA.get('/api/help-requests')).body.items, p.helpRequestId);
    expect(line).toMatchObject({ riskLevel: 'high' });
    const board = (await teamLeadA.get('/api/safety-signals')).body.items.find(
      (s: { helpRequestId: string }) => s.helpRequestId === p.helpRequestId,
    );
    expect(board.level).toBe('high');
    expect((await senderA.get(`/api/clients/${p.clientId}`)).body.riskLevel).toBe('high');
    // the history of the person's screenings says the same
    expect((await senderA.get(`/api/clients/${p.clientId}/screenings`)).body.items[0].riskLevel).toBe('high');
  });

  it('a signal raised by hand raises the help request (never lowers it); the client file shows the highest of the open requests', async () => {
    const p = await person('attention');
    expect((await senderA.get(`/api/help-requests/${p.helpRequestId}`)).body.riskLevel).toBe('attention');
    expect((await senderA.get(`/api/clients/${p.clientId}`)).body.riskLevel).toBe('attention');
    await senderA.post(`/api/help-requests/${p.helpRequestId}/safety-signals`, { kind: 'other', level: 'acute' });
    expect((await senderA.get(`/api/help-requests/${p.helpRequestId}`)).body.riskLevel).toBe('acute');
    // a later PHQ-9 without item 9 does not take back a risk a worker has seen
    await senderA.post(`/api/help-requests/${p.helpRequestId}/screenings`, { instrument: 'phq9', answers: phq9(0) });
    expect((await senderA.get(`/api/help-requests/${p.helpRequestId}`)).body.riskLevel).toBe('acute');
    expect((await senderA.get(`/api/clients/${p.clientId}`)).body.riskLevel).toBe('acute');
    // once the help request is closed (after the safety action), the file no longer shows it
    const signal = (await senderA.get(`/api/help-requests/${p.helpRequestId}`)).body.safetySignals.find(
      (s: { level: string }) => s.level === 'acute',
    );
    await senderA.post(`/api/safety-signals/${signal.id}/action`, { actionTaken: 'Crisisteam verwittigd' });
    expect(
      (await senderA.post(`/api/help-requests/${p.helpRequestId}/close`, { reason: 'Opgevolgd' })).statusCode,
    ).toBe(200);
    expect((await senderA.get(`/api/clients/${p.clientId}`)).body.riskLevel).toBe('none');
  });

  it('screenings and signals added at the same moment: the level is reckoned over all of them', async () => {
    for (let round = 0; round < 4; round++) {
      const p = await person('none');
      const k10 = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`q${i + 1}`, 'meestal']));
      const results = await Promise.all([
        senderA.post(`/api/help-requests/${p.helpRequestId}/screenings`, { instrument: 'k10', answers: k10 }),
        senderA.post(`/api/help-requests/${p.helpRequestId}/screenings`, { instrument: 'phq9', answers: phq9(1) }),
        senderA.post(`/api/help-requests/${p.helpRequestId}/safety-signals`, { kind: 'other', level: 'attention' }),
      ]);
      expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201]);
      expect((await senderA.get(`/api/help-requests/${p.helpRequestId}`)).body.riskLevel, `round ${round}`).toBe(
        'high',
      );
    }
  });

  it('refuses the old words for a signal (400) and stores nothing', async () => {
    const p = await person('none');
    const res = await senderA.post(`/api/help-requests/${p.helpRequestId}/safety-signals`, {
      kind: 'other',
      level: 'moderate',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'level' });
    expect((await senderA.get(`/api/help-requests/${p.helpRequestId}`)).body.safetySignals).toEqual([]);
  });
});

describe('acute and high risk first', () => {
  it('the intake list: acute, then high (not closed), then the newest first', async () => {
    const calm = await person('none');
    const closedHigh = await person('none');
    await senderA.post(`/api/help-requests/${closedHigh.helpRequestId}/safety-signals`, {
      kind: 'other',
      level: 'high',
    });
    const s = (await senderA.get(`/api/help-requests/${closedHigh.helpRequestId}`)).body.safetySignals[0];
    await senderA.post(`/api/safety-signals/${s.id}/action`, { actionTaken: 'Veiligheidsplan opgesteld' });
    await senderA.post(`/api/help-requests/${closedHigh.helpRequestId}/close`, { reason: 'Opgevolgd' });
    const acute = await person('acute');
    const high = await person('high');
    const attention = await person('attention');
    const ids = [calm, closedHigh, acute, high, attention].map((x) => x.helpRequestId);
    const list = (await senderA.get('/api/help-requests')).body.items;
    expect(order(list, ids)).toEqual([
      acute.helpRequestId,
      high.helpRequestId,
      attention.helpRequestId,
      closedHigh.helpRequestId,
      calm.helpRequestId,
    ]);
  });

  it("the team lead's dashboard: acute, then high, then attention", async () => {
    const p = await person('none');
    for (const level of ['attention', 'high', 'acute'])
      await senderA.post(`/api/help-requests/${p.helpRequestId}/safety-signals`, { kind: 'other', level });
    const mine = (await teamLeadA.get('/api/safety-signals')).body.items.filter(
      (s: { helpRequestId: string }) => s.helpRequestId === p.helpRequestId,
    );
    expect(mine.map((s: { level: string }) => s.level)).toEqual(['acute', 'high', 'attention']);
    const all = (await teamLeadA.get('/api/safety-signals')).body.items.map((s: { level: string }) => s.level);
    expect(all.indexOf('attention')).toBeGreaterThan(all.lastIndexOf('high'));
  });

  it('the inbox (both boxes): acute risk, then high risk, then by priority', async () => {
    const routine = await refer(await person('none'), undefined, 'routine');
    const acutePriority = await refer(await person('none'), undefined, 'acute');
    const highRisk = await refer(await person('high'), undefined, 'routine');
    const acuteRisk = await refer(await person('acute'), undefined, 'urgent');
    const ids = [routine, acutePriority, highRisk, acuteRisk].map((r) => r.id);
    const expected = [acuteRisk.id, highRisk.id, acutePriority.id, routine.id];
    const incoming = (await receiverB.get('/api/referrals?box=incoming&limit=200')).body.items;
    expect(order(incoming, ids)).toEqual(expected);
    expect(ids.map((id) => itemOf(incoming, id)!.riskLevel)).toEqual(['none', 'none', 'high', 'acute']);
    const outgoing = (await senderA.get('/api/referrals?box=outgoing&limit=200')).body.items;
    expect(order(outgoing, ids)).toEqual(expected);
  });

  it("the network's overdue overview: acute and high risk first, the level as the receiver sees it, never who", async () => {
    const late = [
      await refer(await person('none'), undefined, 'acute'),
      await refer(await person('high'), undefined, 'routine'),
      await refer(await person('high'), ['contact'], 'urgent'), // not shared
      await refer(await person('acute'), undefined, 'routine'),
    ];
    await world.owner
      .updateTable('referrals')
      .set({ answer_due_at: sql`now() - interval '1 hour'` })
      .where(
        'id',
        'in',
        late.map((r) => r.id),
      )
      .execute();
    const items = (await network.get('/api/referrals/overdue')).body.items;
    const ids = late.map((r) => r.id);
    expect(order(items, ids)).toEqual([late[3]!.id, late[1]!.id, late[0]!.id, late[2]!.id]);
    expect(ids.map((id) => itemOf(items, id)!.riskLevel)).toEqual(['none', 'high', null, 'acute']);
    expect(JSON.stringify(items)).not.toContain('Lotte');
    // once the consent is withdrawn the overview no longer shows the level either
    await senderA.post(`/api/consents/${late[1]!.consentId}/withdraw`, {});
    expect(itemOf((await network.get('/api/referrals/overdue')).body.items, late[1]!.id)!.riskLevel).toBeNull();
    await world.owner
      .updateTable('referrals')
      .set({ answer_due_at: sql`now() + interval '1 day'` })
      .where('id', 'in', ids)
      .execute();
  });
});

describe('the referral carries the level shown when it was sent, as far as the consent shares it', () => {
  it('shared with the help request summary: the detail, the snapshot, the inbox row, the notification and FHIR show it to the receiver; the e-mail does not', async () => {
    mails.length = 0;
    const p = await person('high');
    const r = await refer(p);
    expect(r.body).toMatchObject({ riskLevel: 'high', snapshot: { riskLevel: 'high' } });

    const detail = (await receiverB.get(`/api/referrals/${r.id}`)).body;
    expect(detail).toMatchObject({ riskLevel: 'high', snapshot: { riskLevel: 'high' } });
    expect(itemOf((await receiverB.get('/api/referrals?box=incoming&limit=200')).body.items, r.id)).toMatchObject({
      riskLevel: 'high',
    });
    const notice = (await receiverB.get('/api/notifications')).body.items.find(
      (n: { referralId: string; kind: string }) => n.referralId === r.id && n.kind === 'referral-new',
    );
    expect(notice).toMatchObject({ riskLevel: 'high' });
    const fhir = (await receiverB.get(`/api/referrals/${r.id}/fhir`)).body;
    const assessment = fhir.entry.find(
      (e: { resource: { resourceType: string } }) => e.resource.resourceType === 'RiskAssessment',
    );
    expect(assessment.resource.prediction[0].qualitativeRisk.coding[0]).toMatchObject({
      system: 'https://kortelijn.be/fhir/CodeSystem/risk-level',
      code: 'high',
    });

    // the e-mail leaves the network's systems: it names no risk (the priority it always had, and a link)
    await world.app.mailer!.flush();
    const toB = mails.filter((m) => m.to.includes(t.users.intakeB.email) && m.body.includes(r.id));
    expect(toB).toHaveLength(1);
    expect(`${toB[0]!.subject} ${toB[0]!.body}`).not.toMatch(/hoog|risico|suïcid|suicid|high|risk|acuut/i);

    // a snapshot: a signal raised after sending does not change what the referral says
    await senderA.post(`/api/help-requests/${p.helpRequestId}/safety-signals`, { kind: 'other', level: 'acute' });
    expect((await receiverB.get(`/api/referrals/${r.id}`)).body.riskLevel).toBe('high');
    expect((await senderA.get(`/api/help-requests/${p.helpRequestId}`)).body.riskLevel).toBe('acute');
  });

  it('shared with the screening results alone as well; not with the contact details alone', async () => {
    const screenings = await refer(await person('high'), ['screening-results']);
    expect((await receiverB.get(`/api/referrals/${screenings.id}`)).body.riskLevel).toBe('high');
    const contact = await refer(await person('high'), ['contact']);
    const detail = (await receiverB.get(`/api/referrals/${contact.id}`)).body;
    expect(detail.riskLevel).toBeNull();
    expect(detail.snapshot).not.toHaveProperty('riskLevel');
    expect(
      itemOf((await receiverB.get('/api/referrals?box=incoming&limit=200')).body.items, contact.id)!.riskLevel,
    ).toBeNull();
    const stored = await world.owner
      .selectFrom('referrals')
      .select('risk_level')
      .where('id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(stored.risk_level).toBeNull();
    const fhir = (await receiverB.get(`/api/referrals/${contact.id}/fhir`)).body;
    expect(JSON.stringify(fhir)).not.toContain('RiskAssessment');
  });

  it('after the consent is withdrawn the receiver sees the level nowhere: detail, inbox row, notification, FHIR', async () => {
    const r = await refer(await person('high'));
    expect((await senderA.post(`/api/consents/${r.consentId}/withdraw`, {})).statusCode).toBe(200);
    expect((await receiverB.get(`/api/referrals/${r.id}`)).body).toMatchObject({ riskLevel: null, snapshot: null });
    expect(
      itemOf((await receiverB.get('/api/referrals?box=incoming&limit=200')).body.items, r.id)!.riskLevel,
    ).toBeNull();
    const notices = (await receiverB.get('/api/notifications')).body.items.filter(
      (n: { referralId: string }) => n.referralId === r.id,
    );
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.every((n: { riskLevel: string | null }) => n.riskLevel === null)).toBe(true);
    expect(JSON.stringify((await receiverB.get(`/api/referrals/${r.id}/fhir`)).body)).not.toContain('RiskAssessment');
    // the withdrawal cleared it from the row: the inbox no longer sorts by it either
    const stored = await world.owner
      .selectFrom('referrals')
      .select(['risk_level', 'risk_rank'])
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ risk_level: null, risk_rank: 2 });
  });

  it('a consent that reaches its end date stops showing the level too', async () => {
    const p = await person('high');
    const consent = await senderA.post('/api/consents', {
      clientId: p.clientId,
      purpose: 'referral',
      recipientOrganizationId: t.orgB.id,
      categories: ['help-request-summary'],
      method: 'verbal',
      validUntil: '2099-12-31',
    });
    const r = await senderA.post('/api/referrals', {
      helpRequestId: p.helpRequestId,
      offerId: offerB,
      priority: 'routine',
      consentId: consent.body.id,
    });
    expect(r.body.riskLevel).toBe('high');
    const stored = await world.owner
      .selectFrom('referrals')
      .select('risk_shared_until')
      .where('id', '=', r.body.id)
      .executeTakeFirstOrThrow();
    expect(stored.risk_shared_until).toBe('2099-12-31');
    // the end date passes (moved into the past on both rows, as the day would)
    await world.owner
      .updateTable('consents')
      .set({ valid_until: '2020-01-01' })
      .where('id', '=', consent.body.id)
      .execute();
    await world.owner
      .updateTable('referrals')
      .set({ risk_shared_until: '2020-01-01' })
      .where('id', '=', r.body.id)
      .execute();
    expect((await receiverB.get(`/api/referrals/${r.body.id}`)).body.riskLevel).toBeNull();
    expect(
      itemOf((await receiverB.get('/api/referrals?box=incoming&limit=200')).body.items, r.body.id)!.riskLevel,
    ).toBeNull();
    expect(
      (await receiverB.get('/api/notifications')).body.items
        .filter((n: { referralId: string }) => n.referralId === r.body.id)
        .map((n: { riskLevel: string | null }) => n.riskLevel),
    ).toEqual([null]);
  });

  it("the receiver's client file, registered from the referral, shows the shared level", async () => {
    const r = await refer(await person('high'));
    expect((await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'accept' })).statusCode).toBe(200);
    const registered = await receiverB.post(`/api/referrals/${r.id}/register-client`, {});
    expect(registered.statusCode, registered.raw).toBe(200);
    expect((await receiverB.get(`/api/clients/${registered.body.receiverClientId}`)).body.riskLevel).toBe('high');
  });
});

describe('matching that is safe under risk, through the candidate statement', () => {
  it('after a PHQ-9 with item 9 the open suicide-prevention offer comes first, even behind a dozen offers with more points', async () => {
    const tag = `risk-${Date.now()}`;
    const prevention = await offer({
      name: `Zelfmoordpreventie ${tag}`,
      level: 'crisis',
      themes: ['suicidal-thoughts', 'depression'],
      capacity: 'open',
      waitDays: 2,
    });
    const specialised90 = await offer({
      name: `Gespecialiseerde behandeling ${tag}`,
      level: 'specialised',
      themes: ['depression', 'suicidal-thoughts'],
      capacity: 'waitlist',
      waitDays: 90,
    });
    // more points than the prevention offer (exact level), but late: they fill the first ten by points
    for (let i = 0; i < 12; i++)
      await offer({
        name: `Specialistisch ${i} ${tag}`,
        level: 'specialised',
        themes: ['depression', 'suicidal-thoughts'],
        capacity: 'assessment',
        waitDays: 30,
        languages: ['nl'],
      });
    const inTime = await offer({ name: `Onthaal open ${tag}`, themes: ['depression'], capacity: 'open', waitDays: 1 });

    const p = await person('high', { themes: ['depression', 'suicidal-thoughts'], age: 30 });
    const matches = (await senderA.get(`/api/help-requests/${p.helpRequestId}/matches`)).body;
    expect(matches.neededLevel.level).toBe('specialised');
    const ids = matches.items.map((s: { offerId: string }) => s.offerId);
    expect(ids[0]).toBe(prevention);
    expect(ids.indexOf(inTime)).toBeGreaterThan(0);
    expect(matches.items[0].reasons).toContain('Snel bereikbaar bij crisis of suïciderisico');
    expect(matches.items[0].misfits).not.toContain('Gespecialiseerder dan nodig (crisis)');
    // every offer after the in-time ones is late and says so
    const late = matches.items.slice(ids.indexOf(inTime) + 1);
    expect(late.length).toBeGreaterThan(0);
    for (const s of late)
      expect(s.misfits.some((m: string) => m.includes('langer dan de termijn voor gewone hulp'))).toBe(true);
    // the 90-day offer has the fewest points of the late ones here, so it is not among the first ten at all
    expect(ids).not.toContain(specialised90);

    // without the risk (the same scores without item 9), the points decide as before: a late specialised offer first
    const calm = await person('none', { themes: ['depression', 'suicidal-thoughts'], age: 30 });
    await senderA.post(`/api/help-requests/${calm.helpRequestId}/screenings`, {
      instrument: 'phq9',
      answers: phq9(0, 3),
    });
    const plain = (await senderA.get(`/api/help-requests/${calm.helpRequestId}/matches`)).body;
    expect(plain.neededLevel.level).toBe('specialised');
    expect(plain.items[0].name).toMatch(/^Specialistisch/);
    expect(plain.items.map((s: { offerId: string }) => s.offerId)).not.toContain(prevention);
    await world.owner.updateTable('offers').set({ active: false }).where('name', 'like', `%${tag}`).execute();
  });
});
