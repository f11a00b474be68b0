import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import Ajv from 'ajv';
import { createWorld, login, makeTenants, makeUser, type Caller, type World } from '../support/world.ts';
import { candidateOf } from '../../src/server/features/intake/matching.repository.ts';
import { FHIR_SCHEMA } from '../support/standards.ts';
import { INSTRUMENTS, instrumentById } from '../../src/server/features/instruments/catalogue.ts';
import { toQuestionnaire, toQuestionnaireResponse } from '../../src/server/features/instruments/fhir.ts';
import type { Answers } from '../../src/server/features/instruments/scoring.ts';
import {
  rankOffers,
  whileWaiting,
  type Candidate,
  type Level,
  type MatchRequest,
} from '../../src/server/features/intake/matching.ts';
import { URGENCIES } from '../../src/server/features/intake/intake.schema.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let intakeA: Caller;
let intakeB: Caller;
let teamLeadA: Caller;
let coordinatorA: Caller;
const offers: Record<string, string> = {};

async function offer(body: Record<string, unknown>) {
  const res = await coordinatorA.post('/api/offers', {
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
  world = await createWorld();
  t = await makeTenants(world);
  intakeA = await login(world, t.users.intakeA.email);
  intakeB = await login(world, t.users.intakeB.email);
  teamLeadA = await login(world, t.users.teamLeadA.email);
  const coordinator = await makeUser(world, {
    role: 'coordinator',
    networkId: t.network.id,
    organizationId: t.orgA.id,
  });
  coordinatorA = await login(world, coordinator.email);
  offers.basicOpen = await offer({ name: 'Basiszorg depressie open', themes: ['depression', 'anxiety'] });
  offers.basicWait = await offer({ name: 'Basiszorg depressie wachtlijst', capacity: 'waitlist', waitDays: 28 });
  offers.specialised = await offer({
    name: 'Gespecialiseerde GGZ',
    level: 'specialised',
    capacity: 'waitlist',
    waitDays: 60,
  });
  offers.crisis = await offer({
    name: 'Mobiel crisisteam',
    level: 'crisis',
    themes: ['suicidal-thoughts', 'depression'],
    modalities: ['home-visit'],
  });
  offers.group = await offer({ name: 'Lotgenotengroep', level: 'zero-line', modalities: ['group'] });
  offers.youth = await offer({ name: 'Jongerenaanbod', minAge: 12, maxAge: 25 });
  offers.elsewhere = await offer({ name: 'Ander gebied', municipalities: ['11002'] });
});
afterAll(() => world?.close());

async function newRequest(caller = intakeA, body: Record<string, unknown> = {}) {
  const res = await caller.post('/api/help-requests', {
    story: 'Ik slaap slecht en zie het niet meer zitten.',
    themes: ['depression'],
    urgency: 'routine',
    municipality: '24062',
    age: 40,
    ...body,
  });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}

const phq = (total: number, item9 = 0) => {
  const answers: Record<string, number> = { q9: item9 };
  let left = total - item9;
  for (let i = 1; i <= 8; i++) {
    const v = Math.min(3, left);
    answers[`q${i}`] = v;
    left -= v;
  }
  return answers;
};

describe('help requests', () => {
  it('registers a help request for a client of the organisation, taking age, municipality and language from the file', async () => {
    const client = await intakeA.post('/api/clients', {
      givenName: 'Noor',
      familyName: 'Hulpvraag',
      birthDate: '1990-01-01',
      municipality: '24038',
      preferredLanguage: 'fr',
    });
    const res = await intakeA.post('/api/help-requests', {
      clientId: client.body.id,
      story: 'Relatieproblemen',
      themes: ['relationship-family'],
      urgency: 'urgent',
      channel: 'gp',
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({
      clientId: client.body.id,
      municipality: '24038',
      language: 'fr',
      status: 'open',
      channel: 'gp',
      urgency: 'urgent',
    });
    expect(res.body.age).toBeGreaterThanOrEqual(35);
  });

  it("refuses another organisation's client, unknown themes and municipalities, and stores nothing", async () => {
    const clientB = await intakeB.post('/api/clients', { givenName: 'Ander', familyName: 'Huis' });
    const before = await world.owner.selectFrom('help_requests').select('id').execute();
    const res = await intakeA.post('/api/help-requests', {
      clientId: clientB.body.id,
      story: 'x',
      themes: ['nope'],
      urgency: 'routine',
      municipality: '99999',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'clientId',
      'municipality',
      'themes.0',
    ]);
    expect(await world.owner.selectFrom('help_requests').select('id').execute()).toHaveLength(before.length);
  });

  it('is visible only inside its organisation (404 elsewhere) and every read is audited', async () => {
    const id = await newRequest();
    expect((await intakeB.get(`/api/help-requests/${id}`)).statusCode).toBe(404);
    expect(
      (await intakeB.post(`/api/help-requests/${id}/screenings`, { instrument: 'phq9', answers: phq(3) })).statusCode,
    ).toBe(404);
    expect((await intakeA.get(`/api/help-requests/${id}`)).statusCode).toBe(200);
    const audit = await world.owner
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'organization_id', 'foreign_organization_id as by'])
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    // B's refusals are in B's trail, and A (the owner) sees them as B's attempts (owner-attempts.test.ts)
    expect(audit).toEqual([
      { action: 'help-request.create', outcome: 'success', organization_id: t.orgA.id, by: null },
      { action: 'help-request.read', outcome: 'not-found', organization_id: t.orgA.id, by: t.orgB.id },
      { action: 'help-request.read', outcome: 'not-found', organization_id: t.orgB.id, by: null },
      { action: 'screening.create', outcome: 'not-found', organization_id: t.orgA.id, by: t.orgB.id },
      { action: 'screening.create', outcome: 'not-found', organization_id: t.orgB.id, by: null },
      { action: 'help-request.read', outcome: 'success', organization_id: t.orgA.id, by: null },
    ]);
  });

  it('links a request registered without a file to a client of the organisation, once', async () => {
    const id = await newRequest();
    const client = await intakeA.post('/api/clients', { identityKind: 'anonymous' });
    const clientB = await intakeB.post('/api/clients', { identityKind: 'anonymous' });
    expect(
      (await intakeA.patch(`/api/help-requests/${id}`, { clientId: clientB.body.id })).body.errors[0],
    ).toMatchObject({ field: 'clientId', code: 'client-unknown' });
    expect((await intakeA.patch(`/api/help-requests/${id}`, { clientId: client.body.id })).body.clientId).toBe(
      client.body.id,
    );
    const other = await intakeA.post('/api/clients', { identityKind: 'anonymous' });
    expect((await intakeA.patch(`/api/help-requests/${id}`, { clientId: other.body.id })).body.errors[0].code).toBe(
      'client-already-linked',
    );
  });

  it('the list carries only what it shows; the rest is read (and audited) on the help request itself', async () => {
    const id = await newRequest(intakeA, { context: 'Woont alleen', clarification: 'Werkt in ploegen' });
    const line = (await intakeA.get('/api/help-requests')).body.items.find((i: { id: string }) => i.id === id);
    expect(Object.keys(line).sort()).toEqual([
      'clientId',
      'clientName',
      'id',
      'organizationId',
      'receivedAt',
      'riskLevel',
      'status',
      'story',
      'urgency',
    ]);
    expect((await intakeA.get(`/api/help-requests/${id}`)).body).toMatchObject({
      context: 'Woont alleen',
      clarification: 'Werkt in ploegen',
      age: 40,
      municipality: '24062',
    });
  });

  it('an analyst (aggregates only) cannot open help requests', async () => {
    const analyst = await login(world, t.users.analyst.email);
    expect((await analyst.get('/api/help-requests')).statusCode).toBe(403);
  });
});

describe('screenings', () => {
  it('scores with the instrument version and keeps the answers', async () => {
    const id = await newRequest();
    const res = await intakeA.post(`/api/help-requests/${id}/screenings`, {
      instrument: 'gad7',
      answers: { q1: 2, q2: 2, q3: 2, q4: 2, q5: 1, q6: 1, q7: 1 },
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({
      score: 11,
      band: 'moderate',
      bandLabel: 'Matig',
      instrumentVersion: '2006.2',
      flags: [expect.objectContaining({ code: 'referral-suggested' })],
    });
    const row = await world.owner
      .selectFrom('screenings')
      .selectAll()
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      instrument_id: 'gad7',
      instrument_version: '2006.2',
      score: 11,
      answers: { q1: 2, q7: 1 },
    });
    // kept, not echoed: the answers leave the server only in the screening's FHIR QuestionnaireResponse
    expect(res.body).not.toHaveProperty('answers');
    expect((await intakeA.get(`/api/help-requests/${id}`)).body.screenings[0]).not.toHaveProperty('answers');
  });

  it('returns subscales for the De Jong Gierveld scale', async () => {
    const id = await newRequest();
    const res = await intakeA.post(`/api/help-requests/${id}/screenings`, {
      instrument: 'djg6',
      answers: { e1: 'ja', e2: 'ja', e3: 'nee', s1: 'nee', s2: 'min-of-meer', s3: 'ja' },
    });
    expect(res.body).toMatchObject({
      score: 4,
      band: 'moderate',
      subscales: [
        { id: 'emotional', score: 2, band: 'lonely' },
        { id: 'social', score: 2, band: 'lonely' },
      ],
    });
  });

  it.each([
    ['an unknown instrument', { instrument: 'bdi', answers: {} }, 'instrument', 'instrument-unknown'],
    ['an unknown item', { instrument: 'phq9', answers: { q9: 0, q10: 1 } }, 'answers.q10', 'item-unknown'],
    ['an answer out of range', { instrument: 'phq9', answers: { q9: 0, q1: 4 } }, 'answers.q1', 'answer-invalid'],
    ['an answer of the wrong kind', { instrument: 'k10', answers: { q1: 3 } }, 'answers.q1', 'answer-invalid'],
    [
      'an answer to a skipped question',
      { instrument: 'cssrs', answers: { q1: 'nee', q2: 'nee', q3: 'ja', q6: 'nee' } },
      'answers.q3',
      'item-not-enabled',
    ],
    [
      'a De Jong Gierveld answer that is not ja / min of meer / nee',
      { instrument: 'djg6', answers: { e1: 'ja', e2: 'soms', e3: 'nee', s1: 'ja', s2: 'ja', s3: 'ja' } },
      'answers.e2',
      'answer-invalid',
    ],
    [
      'a De Jong Gierveld answer given as a score',
      { instrument: 'djg6', answers: { e1: 1, e2: 'ja', e3: 'nee', s1: 'ja', s2: 'ja', s3: 'ja' } },
      'answers.e1',
      'answer-invalid',
    ],
    [
      'a C-SSRS answer that is not ja / nee',
      { instrument: 'cssrs', answers: { q1: 'misschien', q2: 'nee', q6: 'nee' } },
      'answers.q1',
      'answer-invalid',
    ],
    [
      'a C-SSRS answer given as a number',
      { instrument: 'cssrs', answers: { q1: 'nee', q2: 'nee', q6: 1 } },
      'answers.q6',
      'answer-invalid',
    ],
    [
      'a PHQ-9 without item 9 (never imputed)',
      { instrument: 'phq9', answers: { q1: 1, q2: 1, q3: 1, q4: 1, q5: 1, q6: 1, q7: 1, q8: 1 } },
      'answers.q9',
      'answer-required',
    ],
  ])('refuses %s with 400 and stores nothing', async (_label, body, field, code) => {
    const id = await newRequest();
    const res = await intakeA.post(`/api/help-requests/${id}/screenings`, body);
    expect(res.statusCode).toBe(400);
    expect(res.body.errors.map((e: { field: string; code: string }) => [e.field, e.code])).toEqual([[field, code]]);
    expect(await world.owner.selectFrom('screenings').select('id').where('help_request_id', '=', id).execute()).toEqual(
      [],
    );
    expect(
      await world.owner.selectFrom('safety_signals').select('id').where('help_request_id', '=', id).execute(),
    ).toEqual([]);
  });

  it('says in Dutch and English why item 9 is required', async () => {
    const id = await newRequest();
    const answers = { q1: 0, q2: 0, q3: 0, q4: 0, q5: 0, q6: 0, q7: 0, q8: 0 };
    expect(
      (await intakeA.post(`/api/help-requests/${id}/screenings`, { instrument: 'phq9', answers })).body.errors[0]
        .message,
    ).toBe('Deze vraag moet beantwoord worden; ze wordt nooit geschat.');
    intakeA.lang = 'en';
    try {
      expect(
        (await intakeA.post(`/api/help-requests/${id}/screenings`, { instrument: 'phq9', answers })).body.errors[0]
          .message,
      ).toBe('This question must be answered; it is never estimated.');
    } finally {
      intakeA.lang = 'nl';
    }
  });

  it("shows a returning person's history over time", async () => {
    const client = await intakeA.post('/api/clients', { givenName: 'Terug', familyName: 'Kerend' });
    const first = await newRequest(intakeA, { clientId: client.body.id });
    const second = await newRequest(intakeA, { clientId: client.body.id });
    await intakeA.post(`/api/help-requests/${first}/screenings`, { instrument: 'phq9', answers: phq(18) });
    await intakeA.post(`/api/help-requests/${second}/screenings`, { instrument: 'phq9', answers: phq(9) });
    const history = await intakeA.get(`/api/clients/${client.body.id}/screenings`);
    expect(history.body.items.map((s: { score: number; helpRequestId: string }) => [s.score, s.helpRequestId])).toEqual(
      [
        [18, first],
        [9, second],
      ],
    );
    expect((await intakeB.get(`/api/clients/${client.body.id}/screenings`)).statusCode).toBe(404);
  });
});

describe('safety', () => {
  it('PHQ-9 item 9 above 0 is a high risk even with a minimal total: the screening, its flag, the signal and the help request all say "high"', async () => {
    const id = await newRequest();
    const res = await intakeA.post(`/api/help-requests/${id}/screenings`, { instrument: 'phq9', answers: phq(1, 1) });
    expect(res.body).toMatchObject({
      score: 1,
      band: 'minimal',
      riskLevel: 'high',
      flags: [{ code: 'suicide-risk', level: 'high', riskLevel: 'high' }],
      safetySignal: { kind: 'suicide-risk', level: 'high' },
    });
    // a high risk shows the crisis lines and needs a safety action before closing
    expect(res.body.crisisActions.phoneNumbers.map((p: { number: string }) => p.number)).toEqual(['1813', '112']);
    const detail = await intakeA.get(`/api/help-requests/${id}`);
    expect(detail.body).toMatchObject({ riskLevel: 'high', closable: false });
    expect(detail.body.screenings.map((s: { riskLevel: string }) => s.riskLevel)).toEqual(['high']);
    expect(detail.body.safetySignals.map((s: { level: string }) => s.level)).toEqual(['high']);
    const dashboard = (await teamLeadA.get('/api/safety-signals')).body.items.find(
      (s: { helpRequestId: string }) => s.helpRequestId === id,
    );
    expect(dashboard).toMatchObject({ kind: 'suicide-risk', level: 'high' });
    const signal = detail.body.safetySignals[0].id as string;
    await intakeA.post(`/api/safety-signals/${signal}/action`, { actionTaken: 'Samen met de persoon 1813 gebeld' });
    expect((await intakeA.get(`/api/help-requests/${id}`)).body).toMatchObject({ riskLevel: 'high', closable: true });
  });

  it("a high C-SSRS risk shows the crisis actions, blocks closing until the action is recorded, and stays on the team lead's dashboard until acknowledged", async () => {
    const id = await newRequest();
    const res = await intakeA.post(`/api/help-requests/${id}/screenings`, {
      instrument: 'cssrs',
      answers: { q1: 'ja', q2: 'ja', q3: 'ja', q4: 'ja', q5: 'nee', q6: 'nee' },
    });
    expect(res.body.band).toBe('high-risk');
    expect(res.body).toMatchObject({ riskLevel: 'acute', safetySignal: { kind: 'suicide-high-risk', level: 'acute' } });
    expect(res.body.crisisActions.phoneNumbers.map((p: { number: string }) => p.number)).toEqual(['1813', '112']);
    expect(res.body.crisisActions.offers.map((o: { id: string }) => o.id)).toEqual([offers.crisis]);
    const closeEarly = await intakeA.post(`/api/help-requests/${id}/close`, { reason: 'Geen verdere hulp gewenst' });
    expect(closeEarly.statusCode).toBe(409);
    expect(closeEarly.body.errors[0].code).toBe('safety-action-required');
    const dashboard = await teamLeadA.get('/api/safety-signals');
    const signal = dashboard.body.items.find((s: { helpRequestId: string }) => s.helpRequestId === id);
    expect(signal).toMatchObject({ kind: 'suicide-high-risk', level: 'acute', actionTaken: null });
    expect((await intakeA.post(`/api/safety-signals/${signal.id}/acknowledge`)).statusCode).toBe(403);
    expect(
      (
        await intakeA.post(`/api/safety-signals/${signal.id}/action`, {
          actionTaken: 'Mobiel crisisteam gebeld, veiligheidsplan opgesteld',
        })
      ).statusCode,
    ).toBe(200);
    const closed = await intakeA.post(`/api/help-requests/${id}/close`, { reason: 'Doorgegeven aan crisisteam' });
    expect(closed.statusCode).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(
      (await teamLeadA.get('/api/safety-signals')).body.items.some((s: { id: string }) => s.id === signal.id),
    ).toBe(true);
    expect((await teamLeadA.post(`/api/safety-signals/${signal.id}/acknowledge`)).statusCode).toBe(200);
    expect(
      (await teamLeadA.get('/api/safety-signals')).body.items.some((s: { id: string }) => s.id === signal.id),
    ).toBe(false);
    expect((await teamLeadA.post(`/api/safety-signals/${signal.id}/acknowledge`)).statusCode).toBe(409);
  });

  it('a worker raises a signal by hand (family violence)', async () => {
    const id = await newRequest();
    const res = await intakeA.post(`/api/help-requests/${id}/safety-signals`, {
      kind: 'family-violence',
      level: 'high',
      note: 'Partnergeweld vermeld',
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'family-violence',
      level: 'high',
      source: 'manual',
      note: 'Partnergeweld vermeld',
    });
    expect((await intakeA.get(`/api/help-requests/${id}`)).body.safetySignals[0].note).toBe('Partnergeweld vermeld');
    // the team lead's dashboard shows several persons at once: without the note (read on the help request)
    const listed = (await teamLeadA.get('/api/safety-signals')).body.items.find(
      (s: { id: string }) => s.id === res.body.id,
    );
    expect(listed).toMatchObject({ kind: 'family-violence', level: 'high', helpRequestId: id });
    expect(listed).not.toHaveProperty('note');
    expect((await intakeA.post(`/api/help-requests/${id}/close`, { reason: 'Afgesloten' })).statusCode).toBe(409);
    expect(
      (await intakeB.post(`/api/help-requests/${id}/safety-signals`, { kind: 'other', level: 'attention' })).statusCode,
    ).toBe(404);
  });
});

describe('stepped-care matching', () => {
  it('suggests basic care by default, open before waiting lists, within the service area and age, with reasons', async () => {
    const id = await newRequest(intakeA, { themes: ['depression', 'anxiety'] });
    const res = await intakeA.get(`/api/help-requests/${id}/matches`);
    expect(res.statusCode).toBe(200);
    expect(res.body.neededLevel).toMatchObject({ level: 'basic', basis: 'default' });
    const ids = res.body.items.map((i: { offerId: string }) => i.offerId);
    expect(ids[0]).toBe(offers.basicOpen);
    expect(ids.indexOf(offers.basicOpen)).toBeLessThan(ids.indexOf(offers.basicWait));
    expect(ids).not.toContain(offers.elsewhere);
    expect(ids).not.toContain(offers.youth);
    expect(res.body.items[0].reasons).toEqual(
      expect.arrayContaining(["Sluit aan bij 2 van de 2 thema's", 'Zorgniveau past (basic)', 'Capaciteit: open']),
    );
    const specialised = res.body.items.find((i: { offerId: string }) => i.offerId === offers.specialised);
    expect(specialised.misfits).toEqual(
      expect.arrayContaining(['Gespecialiseerder dan nodig (specialised)', 'Wachtlijst (ongeveer 60 dagen)']),
    );
    // deterministic: the same request gives the same list
    expect((await intakeA.get(`/api/help-requests/${id}/matches`)).body.items).toEqual(res.body.items);
    expect(res.body.items[0].organizationName).toBe(t.orgA.name);
    // reading the help request to match it is a read of the file: audited
    const audited = await world.owner
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id)
      .where('action', '=', 'help-request.matches')
      .execute();
    expect(audited).toHaveLength(2);
  });

  it("steps up to specialised care at PHQ-9 ≥ 20 and to crisis at a high C-SSRS risk; the threshold is the network's", async () => {
    const id = await newRequest();
    await intakeA.post(`/api/help-requests/${id}/screenings`, { instrument: 'phq9', answers: phq(20) });
    const res = await intakeA.get(`/api/help-requests/${id}/matches`);
    expect(res.body.neededLevel).toMatchObject({ level: 'specialised', because: ['phq9-severe'] });
    expect(res.body.items[0].offerId).toBe(offers.specialised);
    expect(res.body.whileWaiting.map((w: { offerId: string }) => w.offerId)).toContain(offers.group);

    await world.owner
      .updateTable('networks')
      .set({ intake_settings: JSON.stringify({ phq9Specialised: 22 }) })
      .where('id', '=', t.network.id)
      .execute();
    expect((await intakeA.get(`/api/help-requests/${id}/matches`)).body.neededLevel.level).toBe('basic');
    await world.owner
      .updateTable('networks')
      .set({ intake_settings: JSON.stringify({ phq9Specialised: 20 }) })
      .where('id', '=', t.network.id)
      .execute();

    await intakeA.post(`/api/help-requests/${id}/screenings`, {
      instrument: 'cssrs',
      answers: { q1: 'ja', q2: 'ja', q3: 'nee', q4: 'nee', q5: 'ja', q6: 'nee' },
    });
    const crisis = await intakeA.get(`/api/help-requests/${id}/matches`);
    expect(crisis.body.neededLevel.level).toBe('crisis');
    expect(crisis.body.items[0].offerId).toBe(offers.crisis);
  });

  it("the worker's indication overrides the scores; a choice other than the top suggestion needs a reason", async () => {
    const id = await newRequest();
    await intakeA.patch(`/api/help-requests/${id}`, {
      indicationLevel: 'specialised',
      indicationReasons: 'Eerdere behandeling hielp niet',
    });
    const res = await intakeA.get(`/api/help-requests/${id}/matches`);
    expect(res.body.neededLevel).toMatchObject({ level: 'specialised', basis: 'indication' });
    const top = res.body.items[0].offerId;
    const without = await intakeA.post(`/api/help-requests/${id}/choice`, { offerId: offers.basicWait });
    expect(without.statusCode).toBe(400);
    expect(without.body.errors[0]).toMatchObject({ field: 'reason', code: 'choice-reason-required' });
    const withReason = await intakeA.post(`/api/help-requests/${id}/choice`, {
      offerId: offers.basicWait,
      reason: 'Persoon wil dicht bij huis',
    });
    expect(withReason.body).toMatchObject({
      chosenOfferId: offers.basicWait,
      topSuggestionOfferId: top,
      choiceReason: 'Persoon wil dicht bij huis',
      status: 'indicated',
    });
    const topChoice = await intakeA.post(`/api/help-requests/${id}/choice`, { offerId: top });
    expect(topChoice.body).toMatchObject({ chosenOfferId: top, choiceReason: null });
  });
});

describe('FHIR', () => {
  // the official schema names itself with draft-04 style "id"; Ajv wants "$id"
  const { id: _legacyId, ...schema } = JSON.parse(fs.readFileSync(FHIR_SCHEMA, 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(
    JSON.parse(fs.readFileSync(path.resolve('node_modules/ajv/dist/refs/json-schema-draft-06.json'), 'utf8')),
  );
  ajv.addSchema({ ...schema, $id: 'fhir' });
  const byType: Record<string, ReturnType<typeof ajv.compile>> = {};
  const validateFhir = Object.assign(
    (resource: { resourceType: string }) => {
      byType[resource.resourceType] ??= ajv.compile({ $ref: `fhir#/definitions/${resource.resourceType}` });
      const ok = byType[resource.resourceType]!(resource) as boolean;
      validateFhir.errors = byType[resource.resourceType]!.errors;
      return ok;
    },
    { errors: null as unknown[] | null | undefined },
  );

  // the first call compiles the whole FHIR R4 schema (tens of seconds on a loaded machine): a longer bound here
  it.each(INSTRUMENTS.map((d) => d.id))('the %s Questionnaire is valid FHIR R4', { timeout: 120_000 }, async (id) => {
    const res = await intakeA.get(`/api/instruments/${id}/fhir`);
    expect(res.statusCode).toBe(200);
    expect(res.body.resourceType).toBe('Questionnaire');
    expect(validateFhir(res.body), JSON.stringify(validateFhir.errors?.slice(0, 3))).toBe(true);
    expect(res.body.item.length).toBe(INSTRUMENTS.find((d) => d.id === id)!.items.length);
    // the response schema drops nothing and reorders nothing: the mapper's output, byte for byte
    expect(res.raw).toBe(JSON.stringify(toQuestionnaire(instrumentById.get(id)!)));
  });

  it('the instrument list carries every field of the definitions', async () => {
    expect((await intakeA.get('/api/instruments')).body.items).toEqual(JSON.parse(JSON.stringify(INSTRUMENTS)));
  });

  it('a QuestionnaireResponse is valid FHIR R4, points at the exact questionnaire version and carries the score', async () => {
    const id = await newRequest();
    const s = await intakeA.post(`/api/help-requests/${id}/screenings`, {
      instrument: 'cssrs',
      answers: { q1: 'ja', q2: 'nee', q6: 'nee' },
    });
    const res = await intakeA.get(`/api/screenings/${s.body.id}/fhir`);
    expect(res.body).toMatchObject({
      resourceType: 'QuestionnaireResponse',
      questionnaire: 'https://kortelijn.be/fhir/Questionnaire/cssrs|screener-2016.1',
      status: 'completed',
    });
    expect(res.body.item.map((i: { linkId: string }) => i.linkId)).toEqual(['q1', 'q2', 'q6']);
    expect(validateFhir(res.body), JSON.stringify(validateFhir.errors?.slice(0, 3))).toBe(true);
    const broken = { ...res.body, status: 'finished' };
    expect(validateFhir(broken)).toBe(false);
    expect((await intakeB.get(`/api/screenings/${s.body.id}/fhir`)).statusCode).toBe(404);
  });

  it('a QuestionnaireResponse with items missing is in-progress (not completed), still valid, and says the score was imputed', async () => {
    const id = await newRequest();
    const s = await intakeA.post(`/api/help-requests/${id}/screenings`, {
      instrument: 'phq9',
      answers: { q2: 2, q3: 2, q4: 2, q5: 2, q6: 2, q7: 2, q8: 2, q9: 0 },
    });
    expect(s.body).toMatchObject({ score: 16, imputed: true, missing: ['q1'] });
    const res = await intakeA.get(`/api/screenings/${s.body.id}/fhir`);
    expect(res.body).toMatchObject({
      status: 'in-progress',
      questionnaire: 'https://kortelijn.be/fhir/Questionnaire/phq9|1999.2',
    });
    expect(res.body.extension).toEqual(
      expect.arrayContaining([
        { url: 'https://kortelijn.be/fhir/StructureDefinition/total-score', valueInteger: 16 },
        { url: 'https://kortelijn.be/fhir/StructureDefinition/score-imputed', valueBoolean: true },
      ]),
    );
    expect(validateFhir(res.body), JSON.stringify(validateFhir.errors?.slice(0, 3))).toBe(true);
    // the response schema drops nothing and reorders nothing: the mapper's output, byte for byte
    const row = await world.owner
      .selectFrom('screenings')
      .selectAll()
      .where('id', '=', s.body.id)
      .executeTakeFirstOrThrow();
    expect(res.raw).toBe(
      JSON.stringify(
        toQuestionnaireResponse(instrumentById.get('phq9')!, {
          id: row.id,
          answers: row.answers as Answers,
          score: row.score,
          band: row.band,
          missing: row.missing,
          imputed: row.imputed,
          administeredAt: row.administered_at,
          helpRequestId: row.help_request_id,
        }),
      ),
    );
    // too many missing: no score at all, still in-progress and valid
    const none = await intakeA.post(`/api/help-requests/${id}/screenings`, {
      instrument: 'k10',
      answers: { q1: 'soms' },
    });
    const noScore = await intakeA.get(`/api/screenings/${none.body.id}/fhir`);
    expect(noScore.body.status).toBe('in-progress');
    expect(noScore.body.extension).toBeUndefined();
    expect(validateFhir(noScore.body), JSON.stringify(validateFhir.errors?.slice(0, 3))).toBe(true);
  });

  it('an unknown instrument is 404', async () => {
    expect((await intakeA.get('/api/instruments/bdi/fhir')).statusCode).toBe(404);
  });
});

describe('the contract', () => {
  it("every intake response names its fields in the OpenAPI document (no open object), with the server's enumerations", async () => {
    const spec = (await world.app.inject({ url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { tags?: string[]; responses: Record<string, unknown> }>>;
    }>();
    const open: string[] = [];
    const walk = (schema: unknown, where: string) => {
      if (!schema || typeof schema !== 'object') return;
      const s = schema as Record<string, unknown>;
      if (s.additionalProperties === true || (s.type === 'object' && !s.properties)) open.push(where);
      for (const value of Object.values(s)) walk(value, where);
    };
    let routes = 0;
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!operation.tags?.includes('intake')) continue;
        routes++;
        for (const [status, response] of Object.entries(operation.responses))
          if (status.startsWith('2')) walk(response, `${method} ${path} ${status}`);
      }
    }
    expect(routes).toBe(16);
    expect([...new Set(open)]).toEqual([]);
    const detail = (
      spec.paths['/api/help-requests/{id}']!.get!.responses['200'] as {
        content: Record<string, { schema: { properties: Record<string, { type: string; enum: string[] }> } }>;
      }
    ).content['application/json']!.schema;
    expect(detail.properties.urgency).toMatchObject({ type: 'string', enum: [...URGENCIES] });
  });
});

describe('the indication', () => {
  const dbRequest = (id: string) =>
    world.owner
      .selectFrom('help_requests')
      .select(['indication_level', 'indication_reasons', 'status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('needs reasons when it differs from the level the scores suggest (400, field "reasons"), and not when it agrees', async () => {
    const id = await newRequest();
    // no screening: the scores suggest basic care
    expect((await intakeA.get(`/api/help-requests/${id}`)).body.suggestedLevel).toEqual({
      level: 'basic',
      basis: 'default',
      because: [],
    });
    const without = await intakeA.patch(`/api/help-requests/${id}`, { indicationLevel: 'specialised' });
    expect(without.statusCode).toBe(400);
    expect(without.body.errors).toEqual([
      {
        field: 'reasons',
        code: 'indication-reasons-required',
        message: 'Geef een motivering: deze indicatie wijkt af van het zorgniveau dat de scores aangeven.',
      },
    ]);
    expect(await dbRequest(id)).toEqual({ indication_level: null, indication_reasons: null, status: 'open' });
    expect(
      (await intakeA.patch(`/api/help-requests/${id}`, { indicationLevel: 'zero-line', indicationReasons: '   ' }))
        .statusCode,
    ).toBe(400);
    expect((await intakeA.patch(`/api/help-requests/${id}`, { indicationLevel: 'basic' })).statusCode).toBe(200);
    const withReasons = await intakeA.patch(`/api/help-requests/${id}`, {
      indicationLevel: 'specialised',
      indicationReasons: ' Eerdere behandeling hielp niet ',
    });
    expect(withReasons.statusCode, withReasons.raw).toBe(200);
    expect(await dbRequest(id)).toEqual({
      indication_level: 'specialised',
      indication_reasons: 'Eerdere behandeling hielp niet',
      status: 'indicated',
    });
    // the reasons cannot be taken away while the indication still differs
    expect((await intakeA.patch(`/api/help-requests/${id}`, { indicationReasons: null })).body.errors[0]).toMatchObject(
      { field: 'reasons' },
    );
    // a change that does not touch the indication is not held up
    expect((await intakeA.patch(`/api/help-requests/${id}`, { clarification: 'Werkt in ploegen' })).statusCode).toBe(
      200,
    );
  });

  it('follows the scores: after a PHQ-9 of 20 specialised care is what they suggest, so indicating it needs no reasons', async () => {
    const id = await newRequest();
    await intakeA.post(`/api/help-requests/${id}/screenings`, { instrument: 'phq9', answers: phq(20) });
    expect((await intakeA.get(`/api/help-requests/${id}`)).body.suggestedLevel).toEqual({
      level: 'specialised',
      basis: 'screening',
      because: ['phq9-severe'],
    });
    expect((await intakeA.patch(`/api/help-requests/${id}`, { indicationLevel: 'specialised' })).statusCode).toBe(200);
    const lighter = await intakeA.patch(`/api/help-requests/${id}`, { indicationLevel: 'basic' });
    expect(lighter.statusCode).toBe(400);
    expect(lighter.body.errors[0]).toMatchObject({ field: 'reasons', code: 'indication-reasons-required' });
    expect((await dbRequest(id)).indication_level).toBe('specialised');
  });
});

describe('lifecycle guards', () => {
  it('clearing the indication takes the request back from indicated to open', async () => {
    const id = await newRequest();
    expect((await intakeA.patch(`/api/help-requests/${id}`, { indicationLevel: 'basic' })).body.status).toBe(
      'indicated',
    );
    const cleared = await intakeA.patch(`/api/help-requests/${id}`, { indicationLevel: null });
    expect(cleared.body).toMatchObject({ indicationLevel: null, status: 'open' });
    expect((await intakeA.get(`/api/help-requests/${id}`)).body.status).toBe('open');
    // a referred request stays referred
    await world.owner
      .updateTable('help_requests')
      .set({ status: 'referred', indication_level: 'basic' })
      .where('id', '=', id)
      .execute();
    expect((await intakeA.patch(`/api/help-requests/${id}`, { indicationLevel: null })).body.status).toBe('referred');
  });

  it('a referred help request cannot be closed while its referral is open (409); once declined it can', async () => {
    const coordinatorB = await login(
      world,
      (await makeUser(world, { role: 'coordinator', networkId: t.network.id, organizationId: t.orgB.id })).email,
    );
    const offerB = await coordinatorB.post('/api/offers', {
      name: 'Aanbod B',
      description: 'x',
      themes: ['loneliness'],
      municipalities: ['24062'],
      modalities: ['face-to-face'],
      capacity: 'open',
      level: 'basic',
    });
    const client = await intakeA.post('/api/clients', {
      givenName: 'Rik',
      familyName: 'Doorverwezen',
      birthDate: '1970-03-03',
    });
    const id = await newRequest(intakeA, { clientId: client.body.id });
    const consent = await intakeA.post('/api/consents', {
      clientId: client.body.id,
      purpose: 'referral',
      recipientOrganizationId: t.orgB.id,
      categories: ['contact'],
      method: 'verbal',
    });
    const referral = await intakeA.post('/api/referrals', {
      helpRequestId: id,
      offerId: offerB.body.id,
      priority: 'routine',
      consentId: consent.body.id,
      message: 'x',
    });
    expect(referral.statusCode, referral.raw).toBe(201);
    expect((await intakeA.get(`/api/help-requests/${id}`)).body.status).toBe('referred');
    const res = await intakeA.post(`/api/help-requests/${id}/close`, { reason: 'Toch niet nodig' });
    expect(res.statusCode).toBe(409);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'status', code: 'help-request-referred' })]);
    expect(
      await world.owner
        .selectFrom('help_requests')
        .select(['status', 'close_reason'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'referred', close_reason: null });
    expect((await intakeA.get(`/api/help-requests/${id}`)).body).toMatchObject({ closable: false, openReferral: true });
    // the receiver declines: nothing is open any more, so the request can be closed (with a reason)
    expect(
      (
        await intakeB.post(`/api/referrals/${referral.body.id}/transitions`, {
          action: 'decline',
          reason: 'no-capacity',
        })
      ).statusCode,
    ).toBe(200);
    expect((await intakeA.get(`/api/help-requests/${id}`)).body).toMatchObject({ closable: true, openReferral: false });
    const closed = await intakeA.post(`/api/help-requests/${id}/close`, { reason: 'Persoon vond elders hulp' });
    expect(closed.statusCode, closed.raw).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closeReason: 'Persoon vond elders hulp' });
    // a closed help request takes no new referral
    const before = (await world.owner.selectFrom('referrals').select('id').execute()).length;
    const late = await intakeA.post('/api/referrals', {
      helpRequestId: id,
      offerId: offerB.body.id,
      priority: 'routine',
      consentId: consent.body.id,
      message: 'x',
    });
    expect(late.statusCode).toBe(409);
    expect(late.body.errors[0]).toMatchObject({ field: 'helpRequestId', code: 'help-request-closed' });
    expect((await world.owner.selectFrom('referrals').select('id').execute()).length).toBe(before);
    await world.owner.updateTable('offers').set({ active: false }).where('id', '=', offerB.body.id).execute();
  });

  it('no choice is recorded on a closed help request (409)', async () => {
    const id = await newRequest();
    expect((await intakeA.post(`/api/help-requests/${id}/close`, { reason: 'Geen hulp meer nodig' })).statusCode).toBe(
      200,
    );
    const res = await intakeA.post(`/api/help-requests/${id}/choice`, { offerId: offers.basicOpen });
    expect(res.statusCode).toBe(409);
    expect(res.body.errors[0]).toMatchObject({ field: 'status', code: 'help-request-closed' });
    expect(
      (
        await world.owner
          .selectFrom('help_requests')
          .select('chosen_offer_id')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).chosen_offer_id,
    ).toBeNull();
  });

  it('the team lead acknowledges a high or acute risk only after its safety action is recorded (409 before); attention at once', async () => {
    const id = await newRequest();
    const high = (await intakeA.post(`/api/help-requests/${id}/safety-signals`, { kind: 'unsafe-home', level: 'high' }))
      .body.id as string;
    const acute = (await intakeA.post(`/api/help-requests/${id}/safety-signals`, { kind: 'other', level: 'acute' }))
      .body.id as string;
    const moderate = (
      await intakeA.post(`/api/help-requests/${id}/safety-signals`, { kind: 'other', level: 'attention' })
    ).body.id as string;
    expect((await teamLeadA.post(`/api/safety-signals/${acute}/acknowledge`)).statusCode).toBe(409);
    const early = await teamLeadA.post(`/api/safety-signals/${high}/acknowledge`);
    expect(early.statusCode).toBe(409);
    expect(early.body.errors).toEqual([
      expect.objectContaining({ field: 'actionTaken', code: 'safety-action-required' }),
    ]);
    expect(
      (
        await world.owner
          .selectFrom('safety_signals')
          .select('acknowledged_at')
          .where('id', '=', high)
          .executeTakeFirstOrThrow()
      ).acknowledged_at,
    ).toBeNull();
    expect((await teamLeadA.get('/api/safety-signals')).body.items.map((s: { id: string }) => s.id)).toContain(high);
    expect((await teamLeadA.post(`/api/safety-signals/${moderate}/acknowledge`)).statusCode).toBe(200);
    await intakeA.post(`/api/safety-signals/${high}/action`, { actionTaken: 'Veilige opvang geregeld' });
    expect((await teamLeadA.post(`/api/safety-signals/${high}/acknowledge`)).statusCode).toBe(200);
  });
});

describe("every read reaches the person's access history", () => {
  const historyOf = async (clientId: string) =>
    (await teamLeadA.get(`/api/clients/${clientId}/access-log`)).body.items.map(
      (i: { action: string }) => i.action,
    ) as string[];

  it("the help request list, the FHIR export of a screening and the team lead's safety dashboard", async () => {
    const first = (await intakeA.post('/api/clients', { givenName: 'Eerste', familyName: 'Lijst' })).body.id as string;
    const second = (await intakeA.post('/api/clients', { givenName: 'Tweede', familyName: 'Lijst' })).body.id as string;
    const firstRequest = await newRequest(intakeA, { clientId: first });
    const secondRequest = await newRequest(intakeA, { clientId: second });
    const screening = (
      await intakeA.post(`/api/help-requests/${firstRequest}/screenings`, { instrument: 'phq9', answers: phq(4) })
    ).body.id as string;
    await intakeA.post(`/api/help-requests/${secondRequest}/safety-signals`, {
      kind: 'family-violence',
      level: 'attention',
    });
    expect(await historyOf(first)).not.toContain('help-request.list');

    // the whole list (both persons on it): one entry per person, with the help requests shown of each
    expect((await intakeA.get('/api/help-requests')).statusCode).toBe(200);
    const listed = await world.owner
      .selectFrom('audit_log')
      .select(sql<string>`details->>'helpRequestIds'`.as('ids'))
      .where('action', '=', 'help-request.list')
      .where(sql<boolean>`details->>'clientId' = ${second}`)
      .execute();
    expect(listed).toHaveLength(1);
    expect(listed[0]!.ids.split(',')).toEqual([secondRequest]);
    expect(await historyOf(first)).toContain('help-request.list');
    expect(await historyOf(second)).toContain('help-request.list');

    expect((await intakeA.get(`/api/screenings/${screening}/fhir`)).statusCode).toBe(200);
    expect(await historyOf(first)).toContain('screening.read');
    expect(await historyOf(second)).not.toContain('screening.read');

    expect((await teamLeadA.get('/api/safety-signals')).statusCode).toBe(200);
    expect(await historyOf(second)).toContain('safety-signal.list');
    expect(await historyOf(first)).not.toContain('safety-signal.list');
  });
});

describe('the choice is judged against the top suggestion that was shown', () => {
  it('capacity changed between showing and choosing: the shown top needs no reason, another offer does', async () => {
    const shownTop = await offer({
      name: 'Praatgroep eenzaamheid',
      themes: ['loneliness'],
      capacity: 'open',
      waitDays: 0,
    });
    const second = await offer({ name: 'Buddywerking', themes: ['loneliness'], capacity: 'waitlist', waitDays: 7 });
    const id = await newRequest(intakeA, { themes: ['loneliness'] });
    const shown = await intakeA.get(`/api/help-requests/${id}/matches`);
    expect(shown.body.items.map((i: { offerId: string }) => i.offerId)).toEqual([shownTop, second]);
    // meanwhile the shown top fills up: now the other one ranks first
    await world.owner
      .updateTable('offers')
      .set({ capacity: 'full', wait_days: null })
      .where('id', '=', shownTop)
      .execute();
    expect((await intakeA.get(`/api/help-requests/${id}/matches`)).body.items[0].offerId).toBe(second);

    // the worker picks what was shown first: no reason needed
    const chosen = await intakeA.post(`/api/help-requests/${id}/choice`, {
      offerId: shownTop,
      topSuggestionOfferId: shownTop,
    });
    expect(chosen.statusCode, chosen.raw).toBe(200);
    expect(chosen.body).toMatchObject({ chosenOfferId: shownTop, topSuggestionOfferId: shownTop, choiceReason: null });
    const audit = await world.owner
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'help-request.choice')
      .where('entity_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({
      offerId: shownTop,
      topSuggestion: shownTop,
      currentTopSuggestion: second,
      differs: false,
    });

    // the other offer, against the shown top: a reason is needed, although it is the top of now
    const other = await intakeA.post(`/api/help-requests/${id}/choice`, {
      offerId: second,
      topSuggestionOfferId: shownTop,
    });
    expect(other.statusCode).toBe(400);
    expect(other.body.errors[0]).toMatchObject({ field: 'reason', code: 'choice-reason-required' });
    // without the shown top (an older client) the top of now is the measure
    expect((await intakeA.post(`/api/help-requests/${id}/choice`, { offerId: shownTop })).body.errors[0]).toMatchObject(
      { field: 'reason' },
    );
    expect((await intakeA.post(`/api/help-requests/${id}/choice`, { offerId: second })).statusCode).toBe(200);
    // a shown top that is no offer of the network is refused
    const bogus = await intakeA.post(`/api/help-requests/${id}/choice`, {
      offerId: second,
      topSuggestionOfferId: '00000000-0000-4000-8000-000000000000',
    });
    expect(bogus.statusCode).toBe(400);
    expect(bogus.body.errors[0]).toMatchObject({ field: 'topSuggestionOfferId', code: 'offer-unknown' });
    // claiming that some other offer of the network was shown first does not skip the reason: it was never shown
    const never = await offer({ name: 'Nooit getoond', themes: ['financial-problems'], capacity: 'open', waitDays: 0 });
    const claimed = await intakeA.post(`/api/help-requests/${id}/choice`, {
      offerId: never,
      topSuggestionOfferId: never,
    });
    expect(claimed.statusCode).toBe(400);
    expect(claimed.body.errors[0]).toMatchObject({ field: 'topSuggestionOfferId', code: 'suggestion-not-shown' });
    expect(
      (
        await world.owner
          .selectFrom('help_requests')
          .select('chosen_offer_id')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).chosen_offer_id,
    ).toBe(second);
    await world.owner
      .updateTable('offers')
      .set({ active: false })
      .where('id', 'in', [shownTop, second, never])
      .execute();
  });
});

describe('matching with more than 300 candidates', () => {
  const DIEST = '24020'; // no other offer of this file serves it
  const BEST = 'ffffffff-ffff-4fff-bfff-ffffffffff01';
  const WAIT_HELP = 'ffffffff-ffff-4fff-bfff-ffffffffff02';
  const inserted: string[] = [];

  beforeAll(async () => {
    const base = {
      organization_id: t.orgA.id,
      network_id: t.network.id,
      description: 'Bulk',
      municipalities: [DIEST],
      active: true,
    };
    const rows: Record<string, unknown>[] = [];
    // 320 fillers at the level needed on both themes, but full: 40 + 30 = 70 points. The old candidate query ranked
    // them first (right level, most shared themes, then id) and cut at 300, so it never saw the two offers below.
    for (let i = 1; i <= 320; i++) {
      rows.push({
        ...base,
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        name: `${['Aanbod', 'aanbod', 'Één'][i % 3]} ${String((i * 7919) % 320).padStart(3, '0')}`,
        level: 'specialised',
        themes: ['depression', 'anxiety'],
        languages: ['nl'],
        modalities: ['face-to-face'],
        capacity: 'full',
        wait_days: null,
      });
    }
    // the best: 40 + 30 + 10 (waiting list of 2 weeks) + 10 (French) + 5 (chat) = 95, last in id order
    rows.push({
      ...base,
      id: BEST,
      name: 'Zuster de beste',
      level: 'specialised',
      themes: ['depression', 'anxiety'],
      languages: ['nl', 'fr'],
      modalities: ['chat'],
      capacity: 'waitlist',
      wait_days: 14,
      min_age: 18,
      max_age: 65,
    });
    // help for the wait: zero-line group, open, in French
    rows.push({
      ...base,
      id: WAIT_HELP,
      name: 'Lotgenotengroep Diest',
      level: 'zero-line',
      themes: ['depression', 'anxiety'],
      languages: ['fr'],
      modalities: ['group'],
      capacity: 'open',
      wait_days: 0,
    });
    // variety (never in French, so never above 90): every level, capacity, wait, age range, and some on other themes only
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    for (let i = 0; i < 40; i++) {
      const capacity = pick(['open', 'waitlist', 'full', 'assessment'] as const);
      const minAge = random() < 0.3 ? pick([12, 18, 41]) : null;
      rows.push({
        ...base,
        name: `Variatie ${i}`,
        level: pick(['zero-line', 'basic', 'specialised', 'crisis'] as const),
        themes: pick([['depression'], ['anxiety'], ['depression', 'grief'], ['grief'], ['debt']]),
        languages: pick([['nl'], ['nl', 'en'], ['en']]),
        modalities: pick([['face-to-face'], ['chat'], ['group'], ['chat', 'group']]),
        capacity,
        wait_days:
          capacity === 'full' ? null : capacity === 'open' ? Math.floor(random() * 5) : Math.floor(random() * 90),
        min_age: minAge,
        max_age: minAge !== null && random() < 0.5 ? minAge + 20 : null,
      });
    }
    for (let i = 0; i < rows.length; i += 100)
      inserted.push(
        ...(
          await world.owner
            .insertInto('offers')
            .values(rows.slice(i, i + 100) as never)
            .returning('id')
            .execute()
        ).map((r) => r.id),
      );
  });
  afterAll(async () => {
    if (inserted.length)
      await world.owner.updateTable('offers').set({ active: false }).where('id', 'in', inserted).execute();
  });

  /** The oracle: rankOffers over every offer within the hard limits, straight from the table (no cut). */
  async function oracle(request: MatchRequest, needed: Level) {
    const all = await world.owner
      .selectFrom('offers')
      .selectAll()
      .where('network_id', '=', t.network.id)
      .where('active', '=', true)
      .where(sql<boolean>`municipalities @> array[${DIEST}]::text[]`)
      .execute();
    const candidates: Candidate[] = all
      .filter((o) => request.age === null || ((o.min_age ?? 0) <= request.age && (o.max_age ?? 120) >= request.age))
      .map(candidateOf);
    const ranked = rankOffers(request, needed, candidates, 'nl');
    const top = ranked.slice(0, 10);
    return {
      candidates: ranked.length,
      top,
      waiting:
        top[0]?.capacity === 'open'
          ? []
          : whileWaiting(request, candidates, 'nl', new Set(top.slice(0, 3).map((s) => s.offerId))),
    };
  }
  const strip = (items: { offerId: string; score: number; reasons: string[]; misfits: string[] }[]) =>
    items.map(({ offerId, score, reasons, misfits }) => ({ offerId, score, reasons, misfits }));

  it('finds the best-scoring offer, equals the ranking over all candidates (ties at the cut by name), and has help for the wait', async () => {
    const id = await newRequest(intakeA, {
      themes: ['depression', 'anxiety'],
      municipality: DIEST,
      age: 40,
      language: 'fr',
      preferredModality: 'chat',
    });
    await intakeA.patch(`/api/help-requests/${id}`, {
      indicationLevel: 'specialised',
      indicationReasons: 'Eerdere begeleiding volstond niet',
    });
    const res = await intakeA.get(`/api/help-requests/${id}/matches`);
    expect(res.statusCode, res.raw).toBe(200);
    const expected = await oracle(
      {
        themes: ['depression', 'anxiety'],
        language: 'fr',
        preferredModality: 'chat',
        municipality: { code: DIEST, name: 'Diest' },
        age: 40,
      },
      'specialised',
    );
    expect(expected.candidates).toBeGreaterThan(300);
    expect(res.body.items[0]).toMatchObject({
      offerId: BEST,
      score: 95,
      reasons: expect.arrayContaining(['Werkt in Diest', 'Leeftijd past (40 jaar; 18–65 jaar)']),
    });
    expect(strip(res.body.items)).toEqual(strip(expected.top));
    // the top ten end in fillers that tie on points and wait: the cut kept them all, JavaScript ordered them by name
    expect(res.body.items.filter((i: { score: number }) => i.score === 70).length).toBeGreaterThan(0);
    expect(res.body.whileWaiting.map((w: { offerId: string }) => w.offerId)[0]).toBe(WAIT_HELP);
    expect(strip(res.body.whileWaiting)).toEqual(strip(expected.waiting));
  });

  it.each([
    ['basic care, one theme, no language or form', { themes: ['anxiety'], age: 30 }, 'basic'],
    ['no themes named (every offer of the area is a candidate)', { themes: [], age: null }, 'basic'],
  ] as const)('equals the ranking over all candidates: %s', async (_label, body, needed) => {
    const id = await newRequest(intakeA, { ...body, municipality: DIEST });
    const res = await intakeA.get(`/api/help-requests/${id}/matches`);
    expect(res.body.neededLevel.level).toBe(needed);
    const expected = await oracle(
      {
        themes: [...body.themes],
        language: null,
        preferredModality: null,
        municipality: { code: DIEST, name: 'Diest' },
        age: body.age,
      },
      needed,
    );
    expect(expected.candidates).toBeGreaterThan(300);
    expect(strip(res.body.items)).toEqual(strip(expected.top));
    expect(strip(res.body.whileWaiting)).toEqual(strip(expected.waiting));
  });
});
