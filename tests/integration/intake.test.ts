import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import { createWorld, login, makeTenants, makeUser, type Caller, type World } from '../support/world.ts';
import { INSTRUMENTS } from '../../src/server/features/instruments/catalogue.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let intakeA: Caller;
let intakeB: Caller;
let teamLeadA: Caller;
let coordinatorA: Caller;
const offers: Record<string, string> = {};

async function offer(body: Record<string, unknown>) {
  const res = await coordinatorA.post('/api/offers', {
    description: 'Testaanbod', themes: ['depression'], municipalities: ['24062'], modalities: ['face-to-face'], capacity: 'open', waitDays: 0, level: 'basic', ...body,
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
  const coordinator = await makeUser(world, { role: 'coordinator', networkId: t.network.id, organizationId: t.orgA.id });
  coordinatorA = await login(world, coordinator.email);
  offers.basicOpen = await offer({ name: 'Basiszorg depressie open', themes: ['depression', 'anxiety'] });
  offers.basicWait = await offer({ name: 'Basiszorg depressie wachtlijst', capacity: 'waitlist', waitDays: 28 });
  offers.specialised = await offer({ name: 'Gespecialiseerde GGZ', level: 'specialised', capacity: 'waitlist', waitDays: 60 });
  offers.crisis = await offer({ name: 'Mobiel crisisteam', level: 'crisis', themes: ['suicidal-thoughts', 'depression'], modalities: ['home-visit'] });
  offers.group = await offer({ name: 'Lotgenotengroep', level: 'zero-line', modalities: ['group'] });
  offers.youth = await offer({ name: 'Jongerenaanbod', minAge: 12, maxAge: 25 });
  offers.elsewhere = await offer({ name: 'Ander gebied', municipalities: ['11002'] });
});
afterAll(() => world?.close());

async function newRequest(caller = intakeA, body: Record<string, unknown> = {}) {
  const res = await caller.post('/api/help-requests', { story: 'Ik slaap slecht en zie het niet meer zitten.', themes: ['depression'], urgency: 'routine', municipality: '24062', age: 40, ...body });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}

const phq = (total: number, item9 = 0) => {
  const answers: Record<string, number> = { q9: item9 };
  let left = total - item9;
  for (let i = 1; i <= 8; i++) { const v = Math.min(3, left); answers[`q${i}`] = v; left -= v; }
  return answers;
};

describe('help requests', () => {
  it('registers a help request for a client of the organisation, taking age, municipality and language from the file', async () => {
    const client = await intakeA.post('/api/clients', { givenName: 'Noor', familyName: 'Hulpvraag', birthDate: '1990-01-01', municipality: '24038', preferredLanguage: 'fr' });
    const res = await intakeA.post('/api/help-requests', { clientId: client.body.id, story: 'Relatieproblemen', themes: ['relationship-family'], urgency: 'urgent', channel: 'gp' });
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({ clientId: client.body.id, municipality: '24038', language: 'fr', status: 'open', channel: 'gp', urgency: 'urgent' });
    expect(res.body.age).toBeGreaterThanOrEqual(35);
  });

  it('refuses another organisation\'s client, unknown themes and municipalities, and stores nothing', async () => {
    const clientB = await intakeB.post('/api/clients', { givenName: 'Ander', familyName: 'Huis' });
    const before = await world.owner.selectFrom('help_requests').select('id').execute();
    const res = await intakeA.post('/api/help-requests', { clientId: clientB.body.id, story: 'x', themes: ['nope'], urgency: 'routine', municipality: '99999' });
    expect(res.statusCode).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['clientId', 'municipality', 'themes.0']);
    expect(await world.owner.selectFrom('help_requests').select('id').execute()).toHaveLength(before.length);
  });

  it('is visible only inside its organisation (404 elsewhere) and every read is audited', async () => {
    const id = await newRequest();
    expect((await intakeB.get(`/api/help-requests/${id}`)).statusCode).toBe(404);
    expect((await intakeB.post(`/api/help-requests/${id}/screenings`, { instrument: 'phq9', answers: phq(3) })).statusCode).toBe(404);
    expect((await intakeA.get(`/api/help-requests/${id}`)).statusCode).toBe(200);
    const audit = await world.owner.selectFrom('audit_log').select(['action', 'outcome', 'organization_id']).where('entity_id', '=', id).orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'help-request.create', outcome: 'success', organization_id: t.orgA.id },
      { action: 'help-request.read', outcome: 'not-found', organization_id: t.orgB.id },
      { action: 'screening.create', outcome: 'not-found', organization_id: t.orgB.id },
      { action: 'help-request.read', outcome: 'success', organization_id: t.orgA.id },
    ]);
  });

  it('links a request registered without a file to a client of the organisation, once', async () => {
    const id = await newRequest();
    const client = await intakeA.post('/api/clients', { identityKind: 'anonymous' });
    const clientB = await intakeB.post('/api/clients', { identityKind: 'anonymous' });
    expect((await intakeA.patch(`/api/help-requests/${id}`, { clientId: clientB.body.id })).body.errors[0]).toMatchObject({ field: 'clientId', code: 'client-unknown' });
    expect((await intakeA.patch(`/api/help-requests/${id}`, { clientId: client.body.id })).body.clientId).toBe(client.body.id);
    const other = await intakeA.post('/api/clients', { identityKind: 'anonymous' });
    expect((await intakeA.patch(`/api/help-requests/${id}`, { clientId: other.body.id })).body.errors[0].code).toBe('client-already-linked');
  });

  it('an analyst (aggregates only) cannot open help requests', async () => {
    const analyst = await login(world, t.users.analyst.email);
    expect((await analyst.get('/api/help-requests')).statusCode).toBe(403);
  });
});

describe('screenings', () => {
  it('scores with the instrument version and keeps the answers', async () => {
    const id = await newRequest();
    const res = await intakeA.post(`/api/help-requests/${id}/screenings`, { instrument: 'gad7', answers: { q1: 2, q2: 2, q3: 2, q4: 2, q5: 1, q6: 1, q7: 1 } });
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({ score: 11, band: 'moderate', bandLabel: 'Matig', instrumentVersion: '2006.1', flags: [expect.objectContaining({ code: 'referral-suggested' })] });
    const row = await world.owner.selectFrom('screenings').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ instrument_id: 'gad7', instrument_version: '2006.1', score: 11, answers: { q1: 2, q7: 1 } });
  });

  it('returns subscales for the De Jong Gierveld scale', async () => {
    const id = await newRequest();
    const res = await intakeA.post(`/api/help-requests/${id}/screenings`, { instrument: 'djg6', answers: { e1: 'ja', e2: 'ja', e3: 'nee', s1: 'nee', s2: 'min-of-meer', s3: 'ja' } });
    expect(res.body).toMatchObject({ score: 4, band: 'moderate', subscales: [{ id: 'emotional', score: 2, band: 'lonely' }, { id: 'social', score: 2, band: 'lonely' }] });
  });

  it.each([
    ['an unknown instrument', { instrument: 'bdi', answers: {} }, 'instrument'],
    ['an unknown item', { instrument: 'phq9', answers: { q10: 1 } }, 'answers.q10'],
    ['an answer out of range', { instrument: 'phq9', answers: { q1: 4 } }, 'answers.q1'],
    ['an answer of the wrong kind', { instrument: 'k10', answers: { q1: 3 } }, 'answers.q1'],
    ['an answer to a skipped question', { instrument: 'cssrs', answers: { q1: 'nee', q2: 'nee', q3: 'ja', q6: 'nee' } }, 'answers.q3'],
  ])('refuses %s with 400 and stores nothing', async (_label, body, field) => {
    const id = await newRequest();
    const res = await intakeA.post(`/api/help-requests/${id}/screenings`, body);
    expect(res.statusCode).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    expect(await world.owner.selectFrom('screenings').select('id').where('help_request_id', '=', id).execute()).toEqual([]);
  });

  it('shows a returning person\'s history over time', async () => {
    const client = await intakeA.post('/api/clients', { givenName: 'Terug', familyName: 'Kerend' });
    const first = await newRequest(intakeA, { clientId: client.body.id });
    const second = await newRequest(intakeA, { clientId: client.body.id });
    await intakeA.post(`/api/help-requests/${first}/screenings`, { instrument: 'phq9', answers: phq(18) });
    await intakeA.post(`/api/help-requests/${second}/screenings`, { instrument: 'phq9', answers: phq(9) });
    const history = await intakeA.get(`/api/clients/${client.body.id}/screenings`);
    expect(history.body.items.map((s: { score: number; helpRequestId: string }) => [s.score, s.helpRequestId])).toEqual([[18, first], [9, second]]);
    expect((await intakeB.get(`/api/clients/${client.body.id}/screenings`)).statusCode).toBe(404);
  });
});

describe('safety', () => {
  it('PHQ-9 item 9 above 0 raises a signal even with a minimal total', async () => {
    const id = await newRequest();
    const res = await intakeA.post(`/api/help-requests/${id}/screenings`, { instrument: 'phq9', answers: phq(1, 1) });
    expect(res.body).toMatchObject({ score: 1, band: 'minimal', safetySignal: { kind: 'suicide-risk', level: 'moderate' }, crisisActions: null });
    const detail = await intakeA.get(`/api/help-requests/${id}`);
    expect(detail.body.safetySignals).toHaveLength(1);
    expect(detail.body.closable).toBe(true);
  });

  it('a high C-SSRS risk shows the crisis actions, blocks closing until the action is recorded, and stays on the team lead\'s dashboard until acknowledged', async () => {
    const id = await newRequest();
    const res = await intakeA.post(`/api/help-requests/${id}/screenings`, { instrument: 'cssrs', answers: { q1: 'ja', q2: 'ja', q3: 'ja', q4: 'ja', q5: 'nee', q6: 'nee' } });
    expect(res.body.band).toBe('high-risk');
    expect(res.body.crisisActions.phoneNumbers.map((p: { number: string }) => p.number)).toEqual(['1813', '112']);
    expect(res.body.crisisActions.offers.map((o: { id: string }) => o.id)).toEqual([offers.crisis]);
    const closeEarly = await intakeA.post(`/api/help-requests/${id}/close`, { reason: 'Geen verdere hulp gewenst' });
    expect(closeEarly.statusCode).toBe(409);
    expect(closeEarly.body.errors[0].code).toBe('safety-action-required');
    const dashboard = await teamLeadA.get('/api/safety-signals');
    const signal = dashboard.body.items.find((s: { helpRequestId: string }) => s.helpRequestId === id);
    expect(signal).toMatchObject({ kind: 'suicide-high-risk', level: 'high', actionTaken: null });
    expect((await intakeA.post(`/api/safety-signals/${signal.id}/acknowledge`)).statusCode).toBe(403);
    expect((await intakeA.post(`/api/safety-signals/${signal.id}/action`, { actionTaken: 'Mobiel crisisteam gebeld, veiligheidsplan opgesteld' })).statusCode).toBe(200);
    const closed = await intakeA.post(`/api/help-requests/${id}/close`, { reason: 'Doorgegeven aan crisisteam' });
    expect(closed.statusCode).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect((await teamLeadA.get('/api/safety-signals')).body.items.some((s: { id: string }) => s.id === signal.id)).toBe(true);
    expect((await teamLeadA.post(`/api/safety-signals/${signal.id}/acknowledge`)).statusCode).toBe(200);
    expect((await teamLeadA.get('/api/safety-signals')).body.items.some((s: { id: string }) => s.id === signal.id)).toBe(false);
    expect((await teamLeadA.post(`/api/safety-signals/${signal.id}/acknowledge`)).statusCode).toBe(409);
  });

  it('a worker raises a signal by hand (family violence)', async () => {
    const id = await newRequest();
    const res = await intakeA.post(`/api/help-requests/${id}/safety-signals`, { kind: 'family-violence', level: 'high', note: 'Partnergeweld vermeld' });
    expect(res.statusCode).toBe(201);
    expect((await intakeA.post(`/api/help-requests/${id}/close`, { reason: 'Afgesloten' })).statusCode).toBe(409);
    expect((await intakeB.post(`/api/help-requests/${id}/safety-signals`, { kind: 'other', level: 'moderate' })).statusCode).toBe(404);
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
    expect(res.body.items[0].reasons).toEqual(expect.arrayContaining(['Sluit aan bij 2 van de 2 thema\'s', 'Zorgniveau past (basic)', 'Capaciteit: open']));
    const specialised = res.body.items.find((i: { offerId: string }) => i.offerId === offers.specialised);
    expect(specialised.misfits).toEqual(expect.arrayContaining(['Gespecialiseerder dan nodig (specialised)', 'Wachtlijst (ongeveer 60 dagen)']));
    // deterministic: the same request gives the same list
    expect((await intakeA.get(`/api/help-requests/${id}/matches`)).body.items).toEqual(res.body.items);
    expect(res.body.items[0].organizationName).toBe(t.orgA.name);
    // reading the help request to match it is a read of the file: audited
    const audited = await world.owner.selectFrom('audit_log').select('action').where('entity_id', '=', id).where('action', '=', 'help-request.matches').execute();
    expect(audited).toHaveLength(2);
  });

  it('steps up to specialised care at PHQ-9 ≥ 20 and to crisis at a high C-SSRS risk; the threshold is the network\'s', async () => {
    const id = await newRequest();
    await intakeA.post(`/api/help-requests/${id}/screenings`, { instrument: 'phq9', answers: phq(20) });
    const res = await intakeA.get(`/api/help-requests/${id}/matches`);
    expect(res.body.neededLevel).toMatchObject({ level: 'specialised', because: ['phq9-severe'] });
    expect(res.body.items[0].offerId).toBe(offers.specialised);
    expect(res.body.whileWaiting.map((w: { offerId: string }) => w.offerId)).toContain(offers.group);

    await world.owner.updateTable('networks').set({ intake_settings: JSON.stringify({ phq9Specialised: 22 }) }).where('id', '=', t.network.id).execute();
    expect((await intakeA.get(`/api/help-requests/${id}/matches`)).body.neededLevel.level).toBe('basic');
    await world.owner.updateTable('networks').set({ intake_settings: JSON.stringify({ phq9Specialised: 20 }) }).where('id', '=', t.network.id).execute();

    await intakeA.post(`/api/help-requests/${id}/screenings`, { instrument: 'cssrs', answers: { q1: 'ja', q2: 'ja', q3: 'nee', q4: 'nee', q5: 'ja', q6: 'nee' } });
    const crisis = await intakeA.get(`/api/help-requests/${id}/matches`);
    expect(crisis.body.neededLevel.level).toBe('crisis');
    expect(crisis.body.items[0].offerId).toBe(offers.crisis);
  });

  it('the worker\'s indication overrides the scores; a choice other than the top suggestion needs a reason', async () => {
    const id = await newRequest();
    await intakeA.patch(`/api/help-requests/${id}`, { indicationLevel: 'specialised', indicationReasons: 'Eerdere behandeling hielp niet' });
    const res = await intakeA.get(`/api/help-requests/${id}/matches`);
    expect(res.body.neededLevel).toMatchObject({ level: 'specialised', basis: 'indication' });
    const top = res.body.items[0].offerId;
    const without = await intakeA.post(`/api/help-requests/${id}/choice`, { offerId: offers.basicWait });
    expect(without.statusCode).toBe(400);
    expect(without.body.errors[0]).toMatchObject({ field: 'reason', code: 'choice-reason-required' });
    const withReason = await intakeA.post(`/api/help-requests/${id}/choice`, { offerId: offers.basicWait, reason: 'Persoon wil dicht bij huis' });
    expect(withReason.body).toMatchObject({ chosenOfferId: offers.basicWait, topSuggestionOfferId: top, choiceReason: 'Persoon wil dicht bij huis', status: 'indicated' });
    const topChoice = await intakeA.post(`/api/help-requests/${id}/choice`, { offerId: top });
    expect(topChoice.body).toMatchObject({ chosenOfferId: top, choiceReason: null });
  });
});

describe('FHIR', () => {
  // the official schema names itself with draft-04 style "id"; Ajv wants "$id"
  const { id: _legacyId, ...schema } = JSON.parse(fs.readFileSync(path.resolve('../shared/standards/fhir-r4/fhir.schema.json'), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(JSON.parse(fs.readFileSync(path.resolve('node_modules/ajv/dist/refs/json-schema-draft-06.json'), 'utf8')));
  ajv.addSchema({ ...schema, $id: 'fhir' });
  const byType: Record<string, ReturnType<typeof ajv.compile>> = {};
  const validateFhir = Object.assign((resource: { resourceType: string }) => {
    byType[resource.resourceType] ??= ajv.compile({ $ref: `fhir#/definitions/${resource.resourceType}` });
    const ok = byType[resource.resourceType]!(resource) as boolean;
    validateFhir.errors = byType[resource.resourceType]!.errors;
    return ok;
  }, { errors: null as unknown[] | null | undefined });

  it.each(INSTRUMENTS.map((d) => d.id))('the %s Questionnaire is valid FHIR R4', async (id) => {
    const res = await intakeA.get(`/api/instruments/${id}/fhir`);
    expect(res.statusCode).toBe(200);
    expect(res.body.resourceType).toBe('Questionnaire');
    expect(validateFhir(res.body), JSON.stringify(validateFhir.errors?.slice(0, 3))).toBe(true);
    expect(res.body.item.length).toBe(INSTRUMENTS.find((d) => d.id === id)!.items.length);
  });

  it('a QuestionnaireResponse is valid FHIR R4, points at the exact questionnaire version and carries the score', async () => {
    const id = await newRequest();
    const s = await intakeA.post(`/api/help-requests/${id}/screenings`, { instrument: 'cssrs', answers: { q1: 'ja', q2: 'nee', q6: 'nee' } });
    const res = await intakeA.get(`/api/screenings/${s.body.id}/fhir`);
    expect(res.body).toMatchObject({ resourceType: 'QuestionnaireResponse', questionnaire: 'https://kortelijn.be/fhir/Questionnaire/cssrs|screener-2016.1', status: 'completed' });
    expect(res.body.item.map((i: { linkId: string }) => i.linkId)).toEqual(['q1', 'q2', 'q6']);
    expect(validateFhir(res.body), JSON.stringify(validateFhir.errors?.slice(0, 3))).toBe(true);
    const broken = { ...res.body, status: 'finished' };
    expect(validateFhir(broken)).toBe(false);
    expect((await intakeB.get(`/api/screenings/${s.body.id}/fhir`)).statusCode).toBe(404);
  });

  it('an unknown instrument is 404', async () => {
    expect((await intakeA.get('/api/instruments/bdi/fhir')).statusCode).toBe(404);
  });
});
