import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import { sql } from 'kysely';
import { Caller, createWorld, login, makeOrganization, makeTenants, makeUser, type World } from '../support/world.ts';
import { startMailCatcher, type CapturedMail } from '../support/mail.ts';
import { FHIR_SCHEMA } from '../support/standards.ts';
import { OPEN_STATUSES, type Action, type Status } from '../../src/server/features/referrals/lifecycle.ts';
import { addWorkingDays, brusselsDate } from '../../src/server/features/referrals/working-days.ts';
import { inTenant } from '../../src/server/core/db/tenant.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let senderA: Caller; // intake worker of org A (sender)
let receiverB: Caller; // intake worker of org B (receiver)
let coordinatorB: Caller;
let teamLeadA: Caller;
let offerB: string;
let offerBGroup: string;
let offerX: string;
let smtp: Awaited<ReturnType<typeof startMailCatcher>>;
let mails: CapturedMail[];

beforeAll(async () => {
  smtp = await startMailCatcher();
  mails = smtp.mails;
  world = await createWorld({ smtpUrl: smtp.url, publicUrl: 'https://kortelijn.test' });
  t = await makeTenants(world);
  senderA = await login(world, t.users.intakeA.email);
  receiverB = await login(world, t.users.intakeB.email);
  teamLeadA = await login(world, t.users.teamLeadA.email);
  const coordB = await makeUser(world, { role: 'coordinator', networkId: t.network.id, organizationId: t.orgB.id });
  coordinatorB = await login(world, coordB.email);
  const offer = async (caller: Caller, body: Record<string, unknown>) => {
    const res = await caller.post('/api/offers', {
      description: 'x',
      themes: ['depression'],
      municipalities: ['24062'],
      modalities: ['face-to-face'],
      capacity: 'open',
      level: 'basic',
      ...body,
    });
    expect(res.statusCode, res.raw).toBe(201);
    return res.body.id as string;
  };
  offerB = await offer(coordinatorB, { name: 'Begeleiding B' });
  offerBGroup = await offer(coordinatorB, { name: 'Lotgenotengroep B', level: 'zero-line', modalities: ['group'] });
  const coordX = await makeUser(world, {
    role: 'coordinator',
    networkId: t.otherNetwork.id,
    organizationId: t.orgX.id,
  });
  offerX = await offer(await login(world, coordX.email), { name: 'Aanbod ander netwerk' });
});
afterAll(async () => {
  await world?.close();
  await smtp?.close();
});

async function person(caller = senderA) {
  const client = await caller.post('/api/clients', {
    givenName: 'Sara',
    familyName: 'Verwijzing',
    birthDate: '1985-02-02',
    phone: '+32 470 11 22 33',
  });
  const help = await caller.post('/api/help-requests', {
    clientId: client.body.id,
    story: 'Zit vast in somberheid',
    themes: ['depression'],
    urgency: 'urgent',
  });
  await caller.post(`/api/help-requests/${help.body.id}/screenings`, {
    instrument: 'phq9',
    answers: { q1: 2, q2: 2, q3: 1, q4: 1, q5: 1, q6: 1, q7: 1, q8: 0, q9: 0 },
  });
  return { clientId: client.body.id as string, helpRequestId: help.body.id as string };
}

async function consent(clientId: string, body: Record<string, unknown> = {}) {
  const res = await senderA.post('/api/consents', {
    clientId,
    purpose: 'referral',
    recipientOrganizationId: t.orgB.id,
    categories: ['contact', 'help-request-summary'],
    method: 'verbal',
    ...body,
  });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}

/** A Brussels calendar date `days` away from today's. */
const dayFromToday = (days: number) =>
  new Date(Date.parse(`${brusselsDate()}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const eventsOf = async (referralId: string) =>
  world.owner.selectFrom('referral_events').selectAll().where('referral_id', '=', referralId).orderBy('id').execute();
const clientsOfB = async () =>
  (await world.owner.selectFrom('clients').select('id').where('organization_id', '=', t.orgB.id).execute()).length;

async function referral(priority = 'routine', categories?: string[], consentBody: Record<string, unknown> = {}) {
  const p = await person();
  const consentId = await consent(p.clientId, { ...(categories ? { categories } : {}), ...consentBody });
  const res = await senderA.post('/api/referrals', {
    helpRequestId: p.helpRequestId,
    offerId: offerB,
    priority,
    message: 'Graag snel contact',
    consentId,
  });
  expect(res.statusCode, res.raw).toBe(201);
  return { id: res.body.id as string, consentId, ...p };
}

describe('consent', () => {
  it('is needed: no consent, a consent for another organisation, or a withdrawn one refuses the referral and stores nothing', async () => {
    const p = await person();
    const before = (await world.owner.selectFrom('referrals').select('id').execute()).length;
    const unknown = await senderA.post('/api/referrals', {
      helpRequestId: p.helpRequestId,
      offerId: offerB,
      priority: 'routine',
      consentId: crypto.randomUUID(),
    });
    expect(unknown.statusCode).toBe(400);
    const other = await makeOrganization(world, t.network.id, 'ocmw');
    const wrongRecipient = await consent(p.clientId, { recipientOrganizationId: other.id });
    const res = await senderA.post('/api/referrals', {
      helpRequestId: p.helpRequestId,
      offerId: offerB,
      priority: 'routine',
      consentId: wrongRecipient,
    });
    expect(res.statusCode).toBe(409);
    expect(res.body.errors[0].code).toBe('consent-does-not-cover');
    const withdrawn = await consent(p.clientId);
    expect((await senderA.post(`/api/consents/${withdrawn}/withdraw`, {})).statusCode).toBe(200);
    const afterWithdrawal = await senderA.post('/api/referrals', {
      helpRequestId: p.helpRequestId,
      offerId: offerB,
      priority: 'routine',
      consentId: withdrawn,
    });
    expect(afterWithdrawal.statusCode).toBe(409);
    expect(afterWithdrawal.body.errors[0].code).toBe('consent-inactive');
    expect((await world.owner.selectFrom('referrals').select('id').execute()).length).toBe(before);
  });

  it('cannot name an organisation of another network', async () => {
    const p = await person();
    const res = await senderA.post('/api/consents', {
      clientId: p.clientId,
      purpose: 'referral',
      recipientOrganizationId: t.orgX.id,
      categories: ['contact'],
      method: 'verbal',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'recipientOrganizationId', code: 'organization-unknown' });
    const offer = await senderA.post('/api/referrals', {
      helpRequestId: p.helpRequestId,
      offerId: offerX,
      priority: 'routine',
      consentId: await consent(p.clientId),
    });
    expect(offer.statusCode).toBe(400);
    expect(offer.body.errors[0].field).toBe('offerId');
  });

  it('cannot go to an offer of a deactivated organisation, which also leaves the match suggestions', async () => {
    const org = await makeOrganization(world, t.network.id, 'cgg');
    const coordinator = await login(
      world,
      (await makeUser(world, { role: 'coordinator', networkId: t.network.id, organizationId: org.id })).email,
    );
    const made = await coordinator.post('/api/offers', {
      name: 'Sluitend aanbod',
      description: 'x',
      themes: ['depression'],
      municipalities: ['24062'],
      modalities: ['face-to-face'],
      capacity: 'open',
      level: 'basic',
    });
    expect(made.statusCode, made.raw).toBe(201);
    const p = await person();
    const consentId = await consent(p.clientId, { recipientOrganizationId: org.id });
    expect(
      (await senderA.get(`/api/help-requests/${p.helpRequestId}/matches`)).body.items.map(
        (i: { offerId: string }) => i.offerId,
      ),
    ).toContain(made.body.id);
    const admin = await login(world, t.users.networkAdmin.email);
    expect((await admin.patch(`/api/organizations/${org.id}`, { active: false })).statusCode).toBe(200);
    const before = (await world.owner.selectFrom('referrals').select('id').execute()).length;
    const res = await senderA.post('/api/referrals', {
      helpRequestId: p.helpRequestId,
      offerId: made.body.id,
      priority: 'routine',
      consentId,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'offerId', code: 'offer-unknown' });
    expect((await world.owner.selectFrom('referrals').select('id').execute()).length).toBe(before);
    expect(
      (await senderA.get(`/api/help-requests/${p.helpRequestId}/matches`)).body.items.map(
        (i: { offerId: string }) => i.offerId,
      ),
    ).not.toContain(made.body.id);
    // nor be recorded as the bridging support of another referral
    const other = await referral();
    const bridging = await senderA.post(`/api/referrals/${other.id}/bridging`, {
      offerId: made.body.id,
      note: 'Tijdelijk daar',
    });
    expect(bridging.statusCode).toBe(400);
    expect(bridging.body.errors[0]).toMatchObject({ field: 'offerId', code: 'offer-unknown' });
    expect(
      await world.owner.selectFrom('bridging_support').select('id').where('referral_id', '=', other.id).execute(),
    ).toEqual([]);
  });

  it("an exception (acute danger, consent impossible) needs a reason and waits for the team lead's review", async () => {
    const p = await person();
    const noReason = await senderA.post('/api/consents', {
      clientId: p.clientId,
      purpose: 'referral',
      recipientOrganizationId: t.orgB.id,
      categories: ['contact'],
      method: 'exception',
    });
    expect(noReason.statusCode).toBe(400);
    const id = await consent(p.clientId, {
      method: 'exception',
      exceptionReason: 'Acuut suïcidaal, niet aanspreekbaar',
    });
    const listed = await world.owner
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'consent.exceptions.list')
      .execute();
    const list = await teamLeadA.get('/api/consents/exceptions');
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(id);
    // reading the list (clients, reasons) is audited, with ids only
    const read = await world.owner
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'consent.exceptions.list')
      .orderBy('id')
      .execute();
    expect(read).toHaveLength(listed.length + 1);
    expect(read.at(-1)).toMatchObject({
      actor_user_id: t.users.teamLeadA.id,
      organization_id: t.orgA.id,
      outcome: 'success',
    });
    const details = read.at(-1)!.details as Record<string, string | number>;
    expect(String(details.consentIds).split(',')).toContain(id);
    expect(String(details.clientIds).split(',')).toContain(p.clientId);
    expect(details.results).toBe(list.body.items.length);
    expect(JSON.stringify(details)).not.toMatch(/Acuut|Sara|Verwijzing/);
    expect((await senderA.get('/api/consents/exceptions')).statusCode).toBe(403);
    expect((await teamLeadA.post(`/api/consents/${id}/review`)).statusCode).toBe(200);
    expect((await teamLeadA.get('/api/consents/exceptions')).body.items.map((c: { id: string }) => c.id)).not.toContain(
      id,
    );
    const audit = await world.owner
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['consent.exception', 'consent.exception.review']);
  });

  it('says who recorded, reviewed and withdrew it (staff names), for which purpose, offer and period', async () => {
    const p = await person();
    const id = await consent(p.clientId, {
      method: 'exception',
      exceptionReason: 'Acuut gevaar',
      recipientOfferId: offerB,
      validUntil: '2027-06-30',
    });
    const fresh = (await senderA.get(`/api/clients/${p.clientId}/consents`)).body.items.find(
      (c: { id: string }) => c.id === id,
    );
    expect(fresh).toMatchObject({
      purpose: 'referral',
      recipientOfferId: offerB,
      recipientOfferName: 'Begeleiding B',
      validUntil: '2027-06-30',
      recordedBy: { kind: 'user', id: t.users.intakeA.id, name: 'Test intake-worker' },
      reviewedBy: null,
      withdrawnBy: null,
    });
    const reviewed = await teamLeadA.post(`/api/consents/${id}/review`);
    expect(reviewed.body.reviewedBy).toEqual({ kind: 'user', id: t.users.teamLeadA.id, name: 'Test team-lead' });
    const withdrawn = await senderA.post(`/api/consents/${id}/withdraw`, {});
    expect(withdrawn.body).toMatchObject({
      withdrawnBy: { kind: 'user', id: t.users.intakeA.id, name: 'Test intake-worker' },
      reviewedBy: { id: t.users.teamLeadA.id },
      active: false,
    });
  });
});

describe('what travels', () => {
  it("the receiver sees exactly the consented snapshot, never the sender's file", async () => {
    const r = await referral('routine', ['contact']);
    const seen = await receiverB.get(`/api/referrals/${r.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.body.snapshot.contact).toMatchObject({ displayName: 'Sara Verwijzing', phone: '+32470112233' });
    // the name as displayed; its parts stay in the stored snapshot (registering the person reads them)
    expect(seen.body.snapshot.contact).not.toHaveProperty('givenName');
    expect(seen.body.snapshot.contact).not.toHaveProperty('familyName');
    expect(seen.body.snapshot.contact).not.toHaveProperty('pseudonym');
    expect(seen.body.snapshot.helpRequest).toBeUndefined();
    expect(seen.body.snapshot.screenings).toBeUndefined();
    expect(seen.body).toMatchObject({ clientId: null, helpRequestId: null });
    expect((await receiverB.get(`/api/clients/${r.clientId}`)).statusCode).toBe(404);
    expect((await receiverB.get(`/api/help-requests/${r.helpRequestId}`)).statusCode).toBe(404);
    const full = await referral('routine', ['contact', 'help-request-summary', 'screening-results']);
    const fullView = await receiverB.get(`/api/referrals/${full.id}`);
    expect(fullView.body.snapshot.helpRequest).toMatchObject({ themes: ['depression'], urgency: 'urgent' });
    expect(fullView.body.snapshot.screenings).toEqual([
      expect.objectContaining({ instrument: 'phq9', score: 9, band: 'mild' }),
    ]);
  });

  it('after accepting, the receiver registers the person in its own register from the snapshot', async () => {
    const r = await referral();
    expect((await receiverB.post(`/api/referrals/${r.id}/register-client`, {})).statusCode).toBe(409);
    await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'accept' });
    const res = await receiverB.post(`/api/referrals/${r.id}/register-client`, {});
    expect(res.statusCode).toBe(200);
    const own = await receiverB.get(`/api/clients/${res.body.receiverClientId}`);
    expect(own.body).toMatchObject({
      organizationId: t.orgB.id,
      givenName: 'Sara',
      familyName: 'Verwijzing',
      birthDate: '1985-02-02',
    });
    expect(res.body.receiverClientId).not.toBe(r.clientId);
    // once: a second registration (new or linking) is refused and makes no second client
    const count = await clientsOfB();
    const again = await receiverB.post(`/api/referrals/${r.id}/register-client`, {});
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(again.body.errors[0]).toMatchObject({
      field: 'id',
      code: 'client-already-registered',
      message: 'De persoon van deze doorverwijzing staat al in uw cliëntenregister.',
    });
    const english = new Caller(world.app, receiverB.cookie, receiverB.csrf, null, 'en');
    const againEn = await english.post(`/api/referrals/${r.id}/register-client`, {
      existingClientId: res.body.receiverClientId,
    });
    expect(againEn.statusCode).toBe(409);
    expect(againEn.body.errors[0].message).toBe('The person of this referral is already in your client register.');
    expect(await clientsOfB()).toBe(count);
    const row = await world.owner
      .selectFrom('referrals')
      .select('receiver_client_id')
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(row.receiver_client_id).toBe(res.body.receiverClientId);
  });

  it('the receiver can link a file it already has instead (its own register only)', async () => {
    const r = await referral();
    await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'accept' });
    const mine = await receiverB.post('/api/clients', {
      givenName: 'Sara',
      familyName: 'Verwijzing',
      birthDate: '1985-02-02',
    });
    expect(mine.statusCode, mine.raw).toBe(201);
    const count = await clientsOfB();
    // the sender's record is not the receiver's to link
    const foreign = await receiverB.post(`/api/referrals/${r.id}/register-client`, { existingClientId: r.clientId });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.body.errors[0]).toMatchObject({ field: 'existingClientId', code: 'client-unknown' });
    const linked = await receiverB.post(`/api/referrals/${r.id}/register-client`, { existingClientId: mine.body.id });
    expect(linked.statusCode, linked.raw).toBe(200);
    expect(linked.body.receiverClientId).toBe(mine.body.id);
    expect(await clientsOfB()).toBe(count);
    expect(
      (
        await world.owner
          .selectFrom('referrals')
          .select('receiver_client_id')
          .where('id', '=', r.id)
          .executeTakeFirstOrThrow()
      ).receiver_client_id,
    ).toBe(mine.body.id);
    const audit = await world.owner
      .selectFrom('audit_log')
      .select(['outcome', 'details'])
      .where('entity_id', '=', r.id)
      .where('action', '=', 'referral.register-client')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { outcome: 'invalid', details: null },
      { outcome: 'success', details: { clientId: mine.body.id } },
    ]);
    // the sender never sees the receiver's record
    expect((await senderA.get(`/api/referrals/${r.id}`)).body.receiverClientId).toBeNull();
  });

  it('registering from the snapshot goes through the client register: its duplicate warning and its audit entry', async () => {
    const r = await referral();
    await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'accept' });
    const twin = await receiverB.post('/api/clients', {
      givenName: 'Sara',
      familyName: 'Verwijzing',
      birthDate: '1985-02-02',
    });
    expect(twin.statusCode, twin.raw).toBe(201);
    const res = await receiverB.post(`/api/referrals/${r.id}/register-client`, {});
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.receiverClientId).not.toBe(twin.body.id);
    expect(res.body.possibleDuplicates).toContainEqual(
      expect.objectContaining({ id: twin.body.id, displayName: 'Sara Verwijzing' }),
    );
    const created = await world.owner
      .selectFrom('audit_log')
      .select(['details'])
      .where('entity_id', '=', res.body.receiverClientId)
      .where('action', '=', 'client.create')
      .executeTakeFirstOrThrow();
    expect(created.details).toEqual({ fromReferral: r.id, possibleDuplicates: res.body.possibleDuplicates.length });
    // a second referral of someone without any twin warns of nothing
    const other = await referral();
    await receiverB.post(`/api/referrals/${other.id}/transitions`, { action: 'accept' });
    await world.owner
      .updateTable('referrals')
      .set({ snapshot: sql`jsonb_set(snapshot, '{contact,familyName}', '"Uniekenaam"')` })
      .where('id', '=', other.id)
      .execute();
    const alone = await receiverB.post(`/api/referrals/${other.id}/register-client`, {});
    expect(alone.statusCode, alone.raw).toBe(200);
    expect(
      alone.body.possibleDuplicates.filter((d: { displayName: string }) => d.displayName.includes('Uniekenaam')),
    ).toEqual([]);
  });

  it('a snapshot the client register refuses (an unknown municipality) registers nobody and says which field', async () => {
    const r = await referral();
    await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'accept' });
    await world.owner
      .updateTable('referrals')
      .set({ snapshot: sql`jsonb_set(snapshot, '{contact,municipality}', '"99999"')` })
      .where('id', '=', r.id)
      .execute();
    const count = await clientsOfB();
    const res = await receiverB.post(`/api/referrals/${r.id}/register-client`, {});
    expect(res.statusCode, res.raw).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'municipality', code: 'municipality-unknown' });
    expect(await clientsOfB()).toBe(count);
    expect(
      (
        await world.owner
          .selectFrom('referrals')
          .select('receiver_client_id')
          .where('id', '=', r.id)
          .executeTakeFirstOrThrow()
      ).receiver_client_id,
    ).toBeNull();
  });

  it('withdrawal in the middle of a referral hides the snapshot at once and blocks acceptance; declining stays possible', async () => {
    const r = await referral();
    await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'receive' });
    await senderA.post(`/api/consents/${r.consentId}/withdraw`, { note: 'Cliënt wil niet meer' });
    const view = await receiverB.get(`/api/referrals/${r.id}`);
    expect(view.body).toMatchObject({ snapshot: null, consentActive: false, message: null });
    expect(view.body.timeline.every((e: { note: string | null }) => e.note === null)).toBe(true);
    expect((await senderA.get(`/api/referrals/${r.id}`)).body.message).toBe('Graag snel contact');
    expect(view.body.allowedActions).not.toContain('accept');
    expect(view.body.timeline.map((e: { action: string }) => e.action)).toContain('consent-withdrawn');
    const accept = await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'accept' });
    expect(accept.statusCode).toBe(409);
    expect(accept.body.errors[0].code).toBe('consent-inactive');
    expect(
      (await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'decline', reason: 'client-declined' }))
        .statusCode,
    ).toBe(200);
  });

  it('a consent whose end date passes in the middle of a referral stops sharing like a withdrawal', async () => {
    const r = await referral('routine', undefined, { validUntil: '2027-06-30' });
    await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'receive' });
    const consentOf = async () =>
      (await senderA.get(`/api/clients/${r.clientId}/consents`)).body.items.find(
        (c: { id: string }) => c.id === r.consentId,
      );
    // the last valid day is today in Brussels: still shared, on both sides (SQL) and in the consent list (TS)
    await world.owner
      .updateTable('consents')
      .set({ valid_until: brusselsDate() })
      .where('id', '=', r.consentId)
      .execute();
    const lastDay = await receiverB.get(`/api/referrals/${r.id}`);
    expect(lastDay.body).toMatchObject({ consentActive: true, message: 'Graag snel contact' });
    expect(lastDay.body.snapshot.contact.displayName).toBe('Sara Verwijzing');
    expect(lastDay.body.allowedActions).toContain('accept');
    expect((await consentOf()).active).toBe(true);
    // then the day passes
    await world.owner
      .updateTable('consents')
      .set({ valid_until: dayFromToday(-1) })
      .where('id', '=', r.consentId)
      .execute();
    const view = await receiverB.get(`/api/referrals/${r.id}`);
    expect(view.body).toMatchObject({ snapshot: null, consentActive: false, message: null });
    expect(view.body.timeline.every((e: { note: string | null }) => e.note === null)).toBe(true);
    expect(view.body.allowedActions).not.toContain('accept');
    expect((await consentOf()).active).toBe(false);
    expect((await senderA.get(`/api/referrals/${r.id}`)).body).toMatchObject({
      consentActive: false,
      message: 'Graag snel contact',
    });
    const accept = await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'accept' });
    expect(accept.statusCode).toBe(409);
    expect(accept.body.errors[0]).toMatchObject({ field: 'consentId', code: 'consent-inactive' });
    expect((await receiverB.get(`/api/referrals/${r.id}/fhir`)).body.entry[2].resource.status).toBe('inactive');
    // a new referral under it is refused too
    const again = await senderA.post('/api/referrals', {
      helpRequestId: r.helpRequestId,
      offerId: offerB,
      priority: 'routine',
      consentId: r.consentId,
    });
    expect(again.statusCode).toBe(409);
    expect(again.body.errors[0].code).toBe('consent-inactive');
    expect(
      (await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'decline', reason: 'client-declined' }))
        .statusCode,
    ).toBe(200);
  });

  it('"today" is the Brussels date in SQL (kl_brussels_date) and in TS (brusselsDate) alike, whatever the session time zone', async () => {
    // [instant, the date in Brussels]: winter (UTC+1) and summer (UTC+2), either side of local midnight
    const cases: [string, string][] = [
      ['2026-12-01T22:59:59Z', '2026-12-01'],
      ['2026-12-01T23:00:00Z', '2026-12-02'],
      ['2026-06-30T21:59:59Z', '2026-06-30'],
      ['2026-06-30T22:00:00Z', '2026-07-01'],
      ['2026-03-29T00:30:00Z', '2026-03-29'],
      ['2026-10-24T22:30:00Z', '2026-10-25'],
    ];
    for (const timeZone of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
      await world.owner.transaction().execute(async (trx) => {
        await sql.raw(`set local timezone = '${timeZone}'`).execute(trx);
        for (const [instant, date] of cases) {
          const row = await sql<{ d: string }>`select kl_brussels_date(${instant}::timestamptz)::text as d`.execute(
            trx,
          );
          expect(row.rows[0]!.d, `${instant} in a ${timeZone} session`).toBe(date);
          expect(brusselsDate(new Date(instant)), instant).toBe(date);
        }
        const now = await sql<{ d: string }>`select kl_brussels_date()::text as d`.execute(trx);
        expect(now.rows[0]!.d).toBe(brusselsDate());
      });
    }
    // and the receiver's consent check (SQL) counts in that date, not in the server's current_date
    const body = (
      await sql<{
        def: string;
      }>`select pg_get_functiondef('kl_referral_consent_active(uuid)'::regprocedure) as def`.execute(world.owner)
    ).rows[0]!.def;
    expect(body).toContain('valid_until >= kl_brussels_date()');
    expect(body).not.toMatch(/current_date|localtimestamp/i);
  });
});

describe('lifecycle', () => {
  const STATUSES: Status[] = [
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
  const ACTIONS: Action[] = [
    'receive',
    'accept',
    'decline',
    'waitlist',
    'schedule',
    'first-contact',
    'missed',
    'complete',
    'cancel',
  ];
  // Written out by hand from the issue (not computed from lifecycle.ts): who may take each step, and from which
  // status each allowed step leads where. Every other (status, action, side) is refused.
  const SIDE: Record<Action, 'sender' | 'receiver'> = {
    receive: 'receiver',
    accept: 'receiver',
    decline: 'receiver',
    waitlist: 'receiver',
    schedule: 'receiver',
    'first-contact': 'receiver',
    missed: 'receiver',
    complete: 'receiver',
    cancel: 'sender',
  };
  const ALLOWED: Record<Status, Partial<Record<Action, Status>>> = {
    requested: {
      receive: 'received',
      accept: 'accepted',
      decline: 'declined',
      waitlist: 'waitlisted',
      cancel: 'cancelled',
    },
    received: { accept: 'accepted', decline: 'declined', waitlist: 'waitlisted', cancel: 'cancelled' },
    accepted: { schedule: 'scheduled', cancel: 'cancelled' },
    declined: {},
    waitlisted: { accept: 'accepted', decline: 'declined', cancel: 'cancelled' },
    scheduled: { schedule: 'scheduled', 'first-contact': 'first-contact', missed: 'missed', cancel: 'cancelled' },
    'first-contact': { complete: 'completed' },
    missed: { schedule: 'scheduled', complete: 'completed', cancel: 'cancelled' },
    completed: {},
    cancelled: {},
  };
  const bodyFor = (action: Action, status: Status) => ({
    action,
    ...(action === 'decline' ? { reason: 'no-capacity' } : {}),
    ...(action === 'cancel' ? { reason: 'Persoon vond elders hulp' } : {}),
    ...(action === 'waitlist' ? { expectedDate: '2027-01-15' } : {}),
    ...(action === 'schedule' ? { scheduledAt: '2026-12-01T09:00:00Z' } : {}),
    ...(action === 'complete' && status === 'missed' ? { reason: 'client-unreachable' } : {}),
  });

  it('allows exactly the transitions of the lifecycle, to the right side only', async () => {
    expect(Object.values(ALLOWED).reduce((n, to) => n + Object.keys(to).length, 0)).toBe(22);
    const r = await referral();
    const outcomes: string[] = [];
    for (const status of STATUSES) {
      // the steps each side is offered now
      await world.owner.updateTable('referrals').set({ status, version: 1 }).where('id', '=', r.id).execute();
      for (const [side, caller] of [
        ['sender', senderA],
        ['receiver', receiverB],
      ] as const) {
        const offered = (await caller.get(`/api/referrals/${r.id}`)).body.allowedActions;
        const expected = ACTIONS.filter((a) => SIDE[a] === side && ALLOWED[status][a]);
        if (JSON.stringify(offered) !== JSON.stringify(expected))
          outcomes.push(`${status} offered to ${side}: ${offered} (expected ${expected})`);
      }
      for (const action of ACTIONS) {
        for (const side of ['sender', 'receiver'] as const) {
          await world.owner.updateTable('referrals').set({ status, version: 1 }).where('id', '=', r.id).execute();
          const caller = side === 'sender' ? senderA : receiverB;
          const res = await caller.post(`/api/referrals/${r.id}/transitions`, bodyFor(action, status));
          const to = ALLOWED[status][action];
          const expected = SIDE[action] !== side ? 403 : to ? 200 : 409;
          if (res.statusCode !== expected)
            outcomes.push(`${status} ${action} by ${side}: ${res.statusCode} (expected ${expected})`);
          if (expected === 200) {
            const now = await world.owner
              .selectFrom('referrals')
              .select(['status', 'version'])
              .where('id', '=', r.id)
              .executeTakeFirstOrThrow();
            if (now.status !== to || now.version !== 2)
              outcomes.push(`${status} ${action}: became ${now.status} v${now.version} (expected ${to} v2)`);
          }
          if (expected === 409 && res.body.errors?.[0]?.code !== 'transition-not-allowed')
            outcomes.push(`${status} ${action}: code ${res.body.errors?.[0]?.code}`);
        }
      }
    }
    expect(outcomes).toEqual([]);
  });

  it('closing after a missed first contact needs a reason (unreachable, declined, or other with a note)', async () => {
    const r = await referral();
    for (const body of [
      { action: 'accept' },
      { action: 'schedule', scheduledAt: '2026-12-20T09:00:00Z' },
      { action: 'missed' },
    ]) {
      expect((await receiverB.post(`/api/referrals/${r.id}/transitions`, body)).statusCode).toBe(200);
    }
    const bare = await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'complete' });
    expect(bare.statusCode).toBe(400);
    expect(bare.body.errors[0]).toMatchObject({ field: 'reason', code: 'close-reason-required' });
    expect(bare.body.errors[0].message).toMatch(/eerste contact vond niet plaats/);
    expect(
      (await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'complete', reason: 'no-capacity' })).body
        .errors[0].code,
    ).toBe('close-reason-required');
    expect(
      (await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'complete', reason: 'other' })).body
        .errors[0],
    ).toMatchObject({ field: 'note', code: 'note-required' });
    expect(
      (await world.owner.selectFrom('referrals').select('status').where('id', '=', r.id).executeTakeFirstOrThrow())
        .status,
    ).toBe('missed');
    const done = await receiverB.post(`/api/referrals/${r.id}/transitions`, {
      action: 'complete',
      reason: 'client-unreachable',
      note: 'Drie keer gebeld, geen antwoord',
    });
    expect(done.statusCode, done.raw).toBe(200);
    expect(done.body).toMatchObject({
      status: 'completed',
      statusReason: 'client-unreachable',
      firstContactAt: null,
      allowedActions: [],
    });
    expect(done.body.timeline.at(-1)).toMatchObject({
      action: 'complete',
      fromStatus: 'missed',
      toStatus: 'completed',
      reason: 'client-unreachable',
      note: 'Drie keer gebeld, geen antwoord',
    });
    // the sender hears of it
    const notes = await senderA.get('/api/notifications?unread=true');
    expect(
      notes.body.items.some(
        (n: { referralId: string; kind: string }) => n.referralId === r.id && n.kind === 'referral-complete',
      ),
    ).toBe(true);
  });
  it('walks the happy path and both sides see the whole timeline', async () => {
    const r = await referral('urgent');
    for (const body of [
      { action: 'receive' },
      { action: 'accept', note: 'Welkom' },
      { action: 'schedule', scheduledAt: '2026-12-01T09:00:00Z' },
      { action: 'missed' },
      { action: 'schedule', scheduledAt: '2026-12-03T09:00:00Z' },
      { action: 'first-contact' },
      { action: 'complete' },
    ]) {
      const res = await receiverB.post(`/api/referrals/${r.id}/transitions`, body);
      expect(res.statusCode, `${body.action}: ${res.raw}`).toBe(200);
    }
    const mine = await senderA.get(`/api/referrals/${r.id}`);
    const theirs = await receiverB.get(`/api/referrals/${r.id}`);
    const steps = ['create', 'receive', 'accept', 'schedule', 'missed', 'schedule', 'first-contact', 'complete'];
    expect(mine.body.timeline.map((e: { action: string }) => e.action)).toEqual(steps);
    expect(theirs.body.timeline).toEqual(mine.body.timeline);
    expect(mine.body.timeline[2]).toMatchObject({
      fromStatus: 'received',
      toStatus: 'accepted',
      note: 'Welkom',
      organizationName: expect.any(String),
    });
    expect(mine.body.status).toBe('completed');
  });

  it('a transition answers exactly what reading the referral then shows, tells the other party once and is audited once', async () => {
    // the answer is built by the statement that makes the change (timeline, bridging, names, consent): compare it
    // with a fresh read after each step, on a path with bridging support and a consent withdrawn halfway
    const r = await referral();
    const step = async (
      caller: Caller,
      body: { action: string } & Record<string, unknown>,
      other: { id: string; caller: Caller },
    ) => {
      const notesBefore = await world.owner
        .selectFrom('notifications')
        .select('kind')
        .where('referral_id', '=', r.id)
        .where('organization_id', '=', other.id)
        .execute();
      const res = await caller.post(`/api/referrals/${r.id}/transitions`, body);
      expect(res.statusCode, `${body.action}: ${res.raw}`).toBe(200);
      expect(res.body).toEqual((await caller.get(`/api/referrals/${r.id}`)).body);
      const notesAfter = await world.owner
        .selectFrom('notifications')
        .select('kind')
        .where('referral_id', '=', r.id)
        .where('organization_id', '=', other.id)
        .execute();
      expect(notesAfter.map((n) => n.kind).sort()).toEqual(
        [...notesBefore.map((n) => n.kind), `referral-${body.action}`].sort(),
      );
      const audited = await world.owner
        .selectFrom('audit_log')
        .select(['outcome', 'details'])
        .where('action', '=', `referral.${body.action}`)
        .where('entity_id', '=', r.id)
        .execute();
      expect(audited).toHaveLength(1);
      expect(audited[0]!.outcome).toBe('success');
      return res.body;
    };
    const sender = { id: t.orgA.id, caller: senderA };
    const receiver = { id: t.orgB.id, caller: receiverB };
    mails.length = 0;
    const waitlisted = await step(
      receiverB,
      { action: 'waitlist', expectedDate: '2027-02-01', note: 'Even geduld' },
      sender,
    );
    expect(waitlisted).toMatchObject({ status: 'waitlisted', bridgingRequested: true, consentActive: true });
    await world.app.mailer!.flush();
    expect(mails.filter((m) => m.to.includes(t.users.intakeA.email) && m.body.includes(r.id))).toHaveLength(1);
    expect(
      (await senderA.post(`/api/referrals/${r.id}/bridging`, { offerId: offerBGroup, note: 'Groep' })).statusCode,
    ).toBe(200);
    const accepted = await step(receiverB, { action: 'accept', note: 'Welkom' }, sender);
    expect(accepted).toMatchObject({
      status: 'accepted',
      bridgingSupport: [expect.objectContaining({ offerId: offerBGroup })],
    });
    expect(accepted.timeline.map((e: { action: string }) => e.action)).toEqual([
      'create',
      'waitlist',
      'bridging',
      'accept',
    ]);
    expect(accepted.timeline.at(-1)).toMatchObject({ fromStatus: 'waitlisted', toStatus: 'accepted', note: 'Welkom' });
    await step(receiverB, { action: 'schedule', scheduledAt: '2026-12-01T09:00:00Z' }, sender);
    await senderA.post(`/api/consents/${r.consentId}/withdraw`, { note: 'Cliënt wil niet meer' });
    // without an active consent the receiver's answer hides the free text, as its read does
    const missed = await step(receiverB, { action: 'missed', note: 'Niet gekomen' }, sender);
    expect(missed).toMatchObject({ consentActive: false, message: null, snapshot: null });
    expect(missed.timeline.every((e: { note: string | null }) => e.note === null)).toBe(true);
    const cancelled = await step(senderA, { action: 'cancel', reason: 'Persoon vond elders hulp' }, receiver);
    expect(cancelled).toMatchObject({ status: 'cancelled', message: 'Graag snel contact', allowedActions: [] });
  });

  it('declining needs one of the reasons ("other" with a text); waitlisting an expected date; cancelling a reason', async () => {
    const r = await referral();
    expect(
      (await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'decline' })).body.errors[0].field,
    ).toBe('reason');
    expect(
      (await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'decline', reason: 'too-busy' }))
        .statusCode,
    ).toBe(400);
    expect(
      (await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'decline', reason: 'other' })).body
        .errors[0].field,
    ).toBe('note');
    expect(
      (await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'waitlist' })).body.errors[0].field,
    ).toBe('expectedDate');
    expect((await senderA.post(`/api/referrals/${r.id}/transitions`, { action: 'cancel' })).body.errors[0].field).toBe(
      'reason',
    );
    const row = await world.owner
      .selectFrom('referrals')
      .select('status')
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('requested');
  });

  it('of two people acting at the same moment only one wins; the other gets 409', async () => {
    const r = await referral();
    const other = await login(
      world,
      (await makeUser(world, { role: 'caregiver', networkId: t.network.id, organizationId: t.orgB.id })).email,
    );
    const results = await Promise.all([
      receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'accept' }),
      other.post(`/api/referrals/${r.id}/transitions`, { action: 'decline', reason: 'no-capacity' }),
    ]);
    expect(results.map((x) => x.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((x) => x.statusCode === 409)!.body.errors[0]).toMatchObject({
      field: 'action',
      code: 'transition-not-allowed',
    });
    const events = await world.owner
      .selectFrom('referral_events')
      .select('action')
      .where('referral_id', '=', r.id)
      .execute();
    expect(events).toHaveLength(2);
    // a stale version is refused as well
    const stale = await receiverB.post(`/api/referrals/${r.id}/transitions`, {
      action: 'schedule',
      scheduledAt: '2026-12-01T09:00:00Z',
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body.errors[0]).toMatchObject({ field: 'version', code: 'stale-version' });
  });

  it('of two identical actions at the same moment (accept + accept) one wins; the other gets 409 and writes nothing', async () => {
    const r = await referral();
    await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'receive' });
    const other = await login(
      world,
      (await makeUser(world, { role: 'caregiver', networkId: t.network.id, organizationId: t.orgB.id })).email,
    );
    const before = await world.owner
      .selectFrom('referrals')
      .select(['version', 'accepted_at'])
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    const eventsBefore = await eventsOf(r.id);
    const notesBefore = await world.owner
      .selectFrom('notifications')
      .select('id')
      .where('referral_id', '=', r.id)
      .execute();
    const results = await Promise.all([
      receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'accept', note: 'eerste' }),
      other.post(`/api/referrals/${r.id}/transitions`, { action: 'accept', note: 'tweede' }),
    ]);
    expect(results.map((x) => x.statusCode).sort()).toEqual([200, 409]);
    const loser = results.find((x) => x.statusCode === 409)!;
    expect(loser.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(loser.body).toMatchObject({ code: 'conflict', status: 409 });
    // the loser waited for the winner's row lock and then found the referral accepted already
    expect(loser.body.errors[0]).toMatchObject({ field: 'action', code: 'transition-not-allowed' });
    const eventsAfter = await eventsOf(r.id);
    expect(eventsAfter).toHaveLength(eventsBefore.length + 1);
    const winner = results.find((x) => x.statusCode === 200)!;
    expect(eventsAfter.at(-1)).toMatchObject({
      action: 'accept',
      from_status: 'received',
      to_status: 'accepted',
      note: winner === results[0] ? 'eerste' : 'tweede',
    });
    const after = await world.owner
      .selectFrom('referrals')
      .select(['status', 'version'])
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'accepted', version: before.version + 1 });
    expect(before.accepted_at).toBeNull();
    const notesAfter = await world.owner
      .selectFrom('notifications')
      .select('id')
      .where('referral_id', '=', r.id)
      .execute();
    expect(notesAfter).toHaveLength(notesBefore.length + 1);
  });

  it('is invisible to other organisations and networks (404), and refused to roles without the permission (403)', async () => {
    const r = await referral();
    const third = await login(
      world,
      (
        await makeUser(world, {
          role: 'intake-worker',
          networkId: t.network.id,
          organizationId: (await makeOrganization(world, t.network.id)).id,
        })
      ).email,
    );
    const x = await login(world, t.users.intakeX.email);
    for (const caller of [third, x]) {
      expect((await caller.get(`/api/referrals/${r.id}`)).statusCode).toBe(404);
      expect((await caller.post(`/api/referrals/${r.id}/transitions`, { action: 'accept' })).statusCode).toBe(404);
    }
    expect((await (await login(world, t.users.analyst.email)).get('/api/referrals?box=incoming')).statusCode).toBe(403);
    expect((await (await login(world, t.users.adminA.email)).get(`/api/referrals/${r.id}`)).statusCode).toBe(403);
    const audit = await world.owner
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'organization_id', 'foreign_network_id'])
      .where('entity_id', '=', r.id)
      .where('outcome', '<>', 'success')
      .execute();
    const own = audit.filter((a) => a.foreign_network_id === null);
    expect(own.filter((a) => a.outcome === 'not-found')).toHaveLength(4);
    // both parties see each of the four attempts; the sender's admin refused by permission is no stranger
    const told = audit.filter((a) => a.foreign_network_id !== null);
    expect(told.map((a) => a.organization_id).sort()).toEqual(
      [...Array<string>(4).fill(t.orgA.id), ...Array<string>(4).fill(t.orgB.id)].sort(),
    );
  });
});

describe('inboxes and response times', () => {
  it('sets the answer target by priority (acute 4 hours, urgent 2 and routine 5 working days) and first contact 10 working days after acceptance', async () => {
    // the targets are computed from the clock during the request: bounded by the clock before and after it
    const acuteFrom = Date.now();
    const acute = await referral('acute');
    const acuteTo = Date.now();
    const routineFrom = new Date();
    const routine = await referral('routine');
    const routineTo = new Date();
    const rows = await world.owner
      .selectFrom('referrals')
      .select(['id', 'created_at', 'answer_due_at'])
      .where('id', 'in', [acute.id, routine.id])
      .execute();
    const a = rows.find((x) => x.id === acute.id)!;
    expect(a.answer_due_at.getTime()).toBeGreaterThanOrEqual(acuteFrom + 4 * 3600_000 - 1000);
    expect(a.answer_due_at.getTime()).toBeLessThanOrEqual(acuteTo + 4 * 3600_000 + 1000);
    const r = rows.find((x) => x.id === routine.id)!;
    // the working-day arithmetic itself (weekends, holidays, summer time) is unit-tested in working-days.test.ts
    expect(r.answer_due_at.getTime()).toBeGreaterThanOrEqual(addWorkingDays(routineFrom, 5).getTime() - 1000);
    expect(r.answer_due_at.getTime()).toBeLessThanOrEqual(addWorkingDays(routineTo, 5).getTime() + 1000);
    const before = new Date();
    const accepted = await receiverB.post(`/api/referrals/${routine.id}/transitions`, { action: 'accept' });
    expect(Math.abs(Date.parse(accepted.body.firstContactDueAt) - addWorkingDays(before, 10).getTime())).toBeLessThan(
      5000,
    );
  });

  it('puts acute and overdue referrals on top of the incoming inbox and flags overdue ones on both sides', async () => {
    const routine = await referral('routine');
    const late = await referral('urgent');
    const acute = await referral('acute');
    await world.owner
      .updateTable('referrals')
      .set({ answer_due_at: sql`now() - interval '1 hour'` })
      .where('id', '=', late.id)
      .execute();
    const inbox = await receiverB.get('/api/referrals?box=incoming');
    const ids = inbox.body.items.map((i: { id: string }) => i.id);
    expect(ids.indexOf(acute.id)).toBeLessThan(ids.indexOf(late.id));
    expect(ids.indexOf(late.id)).toBeLessThan(ids.indexOf(routine.id));
    const overdue = await receiverB.get('/api/referrals?box=incoming&overdue=true');
    expect(overdue.body.items.map((i: { id: string }) => i.id)).toEqual([late.id]);
    const outgoing = await senderA.get('/api/referrals?box=outgoing&overdue=true');
    expect(outgoing.body.items.map((i: { id: string }) => i.id)).toEqual([late.id]);
    const counts = await receiverB.get('/api/referrals/counts');
    expect(counts.body.incomingOverdue).toBe(1);
    const network = await login(world, t.users.networkCoordinator.email);
    const overview = await network.get('/api/referrals/overdue');
    expect(overview.body.items.map((i: { id: string }) => i.id)).toEqual([late.id]);
    expect(JSON.stringify(overview.body)).not.toContain('Verwijzing');
    expect((await network.get(`/api/referrals/${late.id}`)).statusCode).toBe(403);
    // not even the database shows a network role the referral rows (snapshots) or their events
    const actor = {
      kind: 'user' as const,
      userId: t.users.networkCoordinator.id,
      tokenId: null,
      membershipId: null,
      organizationId: null,
      networkId: t.network.id,
      role: 'network-coordinator' as const,
      permissions: new Set<never>(),
      session: null,
    };
    const seen = await inTenant(
      world.db.app,
      actor,
      { ip: '127.0.0.1', userAgent: null, requestId: 'rls-check' },
      async (tx) => ({
        referrals: (await tx.db.selectFrom('referrals').select('id').execute()).length,
        events: (await tx.db.selectFrom('referral_events').select('id').execute()).length,
      }),
    );
    expect(seen).toEqual({ referrals: 0, events: 0 });
    await receiverB.post(`/api/referrals/${late.id}/transitions`, { action: 'accept' });
    await world.owner
      .updateTable('referrals')
      .set({ answer_due_at: sql`now() + interval '1 day'` })
      .where('id', '=', late.id)
      .execute();
  });

  it('asks for bridging support when waitlisted and records what was arranged', async () => {
    const r = await referral();
    const w = await receiverB.post(`/api/referrals/${r.id}/transitions`, {
      action: 'waitlist',
      expectedDate: '2027-02-01',
    });
    expect(w.body).toMatchObject({ status: 'waitlisted', expectedDate: '2027-02-01' });
    const view = await senderA.get(`/api/referrals/${r.id}`);
    expect(view.body.bridgingRequested).toBe(true);
    const suggestions = await senderA.get(`/api/referrals/${r.id}/bridging-suggestions`);
    expect(suggestions.body.items.map((s: { offerId: string }) => s.offerId)).toContain(offerBGroup);
    expect((await receiverB.post(`/api/referrals/${r.id}/bridging`, { note: 'Iets geregeld' })).statusCode).toBe(403);
    // the suggestions respect the person's age: a youth-only group is not offered to a 40-year-old
    const youth = await coordinatorB.post('/api/offers', {
      name: 'Jongerengroep',
      description: 'x',
      themes: ['depression'],
      municipalities: ['24062'],
      modalities: ['group'],
      capacity: 'open',
      level: 'zero-line',
      minAge: 12,
      maxAge: 25,
    });
    await world.owner.updateTable('help_requests').set({ age: 40 }).where('id', '=', r.helpRequestId).execute();
    const again = await senderA.get(`/api/referrals/${r.id}/bridging-suggestions`);
    expect(again.body.items.map((s: { offerId: string }) => s.offerId)).not.toContain(youth.body.id);
    expect(again.body.items.map((s: { offerId: string }) => s.offerId)).toContain(offerBGroup);
    // the help request's referrals can be found from the sender's side only
    const mine = await senderA.get(`/api/referrals?box=outgoing&helpRequestId=${r.helpRequestId}`);
    expect(mine.body.items.map((i: { id: string; helpRequestId: string }) => [i.id, i.helpRequestId])).toEqual([
      [r.id, r.helpRequestId],
    ]);
    const theirs = await receiverB.get(`/api/referrals?box=incoming&helpRequestId=${r.helpRequestId}`);
    expect(theirs.body.items).toEqual([]);
    const arranged = await senderA.post(`/api/referrals/${r.id}/bridging`, {
      offerId: offerBGroup,
      note: 'Lotgenotengroep tot de start',
    });
    expect(arranged.body).toMatchObject({
      bridgingRequested: false,
      bridgingSupport: [expect.objectContaining({ offerId: offerBGroup })],
    });
  });

  it('a waiting list needs an expected date from today on; past it, the referral is overdue; the bridging prompt ends with the wait', async () => {
    const r = await referral();
    const past = await receiverB.post(`/api/referrals/${r.id}/transitions`, {
      action: 'waitlist',
      expectedDate: dayFromToday(-1),
    });
    expect(past.statusCode).toBe(400);
    expect(past.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(past.body.errors).toEqual([
      { field: 'expectedDate', code: 'date-past', message: 'Deze datum ligt in het verleden.' },
    ]);
    const english = new Caller(world.app, receiverB.cookie, receiverB.csrf, null, 'en');
    expect(
      (await english.post(`/api/referrals/${r.id}/transitions`, { action: 'waitlist', expectedDate: dayFromToday(-1) }))
        .body.errors[0].message,
    ).toBe('This date lies in the past.');
    expect(
      (await world.owner.selectFrom('referrals').select('status').where('id', '=', r.id).executeTakeFirstOrThrow())
        .status,
    ).toBe('requested');
    const today = await receiverB.post(`/api/referrals/${r.id}/transitions`, {
      action: 'waitlist',
      expectedDate: brusselsDate(),
    });
    expect(today.statusCode, today.raw).toBe(200);
    expect(today.body.overdue).toEqual({ answer: false, firstContact: false, waitlist: false, any: false });
    const ids = async (caller: Caller, query: string) =>
      (await caller.get(`/api/referrals?${query}`)).body.items.map((i: { id: string }) => i.id);
    expect(await ids(receiverB, 'box=incoming&overdue=true')).not.toContain(r.id);
    const countsBefore = (await receiverB.get('/api/referrals/counts')).body;
    const outgoingBefore = (await senderA.get('/api/referrals/counts')).body;
    // the expected date passes and the person still waits
    await world.owner
      .updateTable('referrals')
      .set({ expected_date: dayFromToday(-1) })
      .where('id', '=', r.id)
      .execute();
    expect(await ids(receiverB, 'box=incoming&overdue=true')).toContain(r.id);
    expect(await ids(receiverB, 'box=incoming&overdue=false')).not.toContain(r.id);
    expect(await ids(senderA, 'box=outgoing&overdue=true')).toContain(r.id);
    expect(
      (await receiverB.get('/api/referrals?box=incoming&status=waitlisted')).body.items.find(
        (i: { id: string }) => i.id === r.id,
      ).overdue,
    ).toBe(true);
    expect((await receiverB.get('/api/referrals/counts')).body.incomingOverdue).toBe(countsBefore.incomingOverdue + 1);
    expect((await senderA.get('/api/referrals/counts')).body.outgoingOverdue).toBe(outgoingBefore.outgoingOverdue + 1);
    const late = await senderA.get(`/api/referrals/${r.id}`);
    expect(late.body).toMatchObject({
      overdue: { answer: false, firstContact: false, waitlist: true, any: true },
      bridgingRequested: true,
    });
    const network = await login(world, t.users.networkCoordinator.email);
    expect(
      (await network.get('/api/referrals/overdue')).body.items.find((i: { id: string }) => i.id === r.id),
    ).toMatchObject({ status: 'waitlisted', expectedDate: dayFromToday(-1) });
    // the wait ends: no more prompt for bridging (none was arranged), no longer overdue
    expect((await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'accept' })).statusCode).toBe(200);
    const after = await senderA.get(`/api/referrals/${r.id}`);
    expect(after.body).toMatchObject({ status: 'accepted', bridgingRequested: false, overdue: { any: false } });
    expect(await ids(receiverB, 'box=incoming&overdue=true')).not.toContain(r.id);
    expect((await network.get('/api/referrals/overdue')).body.items.map((i: { id: string }) => i.id)).not.toContain(
      r.id,
    );
  });

  it('a referral whose first contact took place stays open, in the inbox and the counts, until the receiver completes it', async () => {
    const r = await referral();
    for (const body of [
      { action: 'accept' },
      { action: 'schedule', scheduledAt: '2026-12-20T09:00:00Z' },
      { action: 'first-contact' },
    ]) {
      expect((await receiverB.post(`/api/referrals/${r.id}/transitions`, body)).statusCode).toBe(200);
    }
    const inbox = await receiverB.get('/api/referrals?box=incoming&limit=200');
    expect(inbox.body.items.find((i: { id: string }) => i.id === r.id)).toMatchObject({
      status: 'first-contact',
      overdue: false,
    });
    expect(
      (await senderA.get('/api/referrals?box=outgoing&limit=200')).body.items.map((i: { id: string }) => i.id),
    ).toContain(r.id);
    const open = {
      incoming: (await receiverB.get('/api/referrals/counts')).body.incomingOpen,
      outgoing: (await senderA.get('/api/referrals/counts')).body.outgoingOpen,
    };
    expect((await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'complete' })).statusCode).toBe(200);
    expect((await receiverB.get('/api/referrals/counts')).body.incomingOpen).toBe(open.incoming - 1);
    expect((await senderA.get('/api/referrals/counts')).body.outgoingOpen).toBe(open.outgoing - 1);
    expect(
      (await receiverB.get('/api/referrals?box=incoming&limit=200')).body.items.map((i: { id: string }) => i.id),
    ).not.toContain(r.id);
  });

  it('the open inboxes read their first page in order from the partial indexes, whose predicate covers every open status', async () => {
    const open = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');
    expect(OPEN_STATUSES).toContain('first-contact');
    for (const [column, index] of [
      ['receiver_organization_id', 'referrals_incoming_open_idx'],
      ['sender_organization_id', 'referrals_outgoing_open_idx'],
    ] as const) {
      await world.owner.transaction().execute(async (trx) => {
        // the test tables are small: without these the planner would rather read the whole table
        await sql`set local enable_seqscan = off`.execute(trx);
        await sql`set local enable_bitmapscan = off`.execute(trx);
        const plan = await sql
          .raw(
            `explain (format json) select r.id from referrals r where r.${column} = '${t.orgB.id}' and r.status in (${open})
          order by r.risk_rank, r.priority_rank, r.answer_due_at, r.id limit 50`,
          )
          .execute(trx);
        const text = JSON.stringify(plan.rows);
        expect(text, text).toContain(`"Index Name":"${index}"`);
        expect(text).not.toContain('"Node Type":"Sort"');
      });
    }
  });

  it('notifies the receiving organisation in the app and by e-mail, with a link and no personal data', async () => {
    mails.length = 0;
    const r = await referral('acute');
    const notes = await receiverB.get('/api/notifications?unread=true');
    expect(
      notes.body.items.some(
        (n: { referralId: string; kind: string }) => n.referralId === r.id && n.kind === 'referral-new',
      ),
    ).toBe(true);
    await world.app.mailer!.flush();
    const toB = mails.filter((m) => m.to.includes(t.users.intakeB.email) && m.body.includes(r.id));
    expect(toB).toHaveLength(1);
    expect(toB[0]!.subject).toContain('ACUUT');
    expect(toB[0]!.body).toContain(`https://kortelijn.test/referrals/${r.id}`);
    // the link holds a random id whose digits could spell anything: look at the rest of the text
    expect(toB[0]!.body.replace(`https://kortelijn.test/referrals/${r.id}`, '')).not.toMatch(
      /Sara|Verwijzing|somberheid|470|1985/,
    );
    const sent = await world.owner
      .selectFrom('email_outbox')
      .select(['sent_at'])
      .where('to_address', '=', t.users.intakeB.email)
      .execute();
    expect(sent.every((s) => s.sent_at !== null)).toBe(true);
  });
});

describe('the helpline short line', () => {
  it('a helpline makes an acute referral for a pseudonymous caller with verbal consent; it stands on top at the CGG; the helpline sees what became of it', async () => {
    const helpline = await makeOrganization(world, t.network.id, 'helpline');
    const worker = await login(
      world,
      (await makeUser(world, { role: 'intake-worker', networkId: t.network.id, organizationId: helpline.id })).email,
    );
    const caller = await worker.post('/api/clients', {
      identityKind: 'pseudonym',
      pseudonym: 'Beller 14u',
      phone: '+32 470 99 88 77',
    });
    const help = await worker.post('/api/help-requests', {
      clientId: caller.body.id,
      story: 'Beller met concrete plannen',
      themes: ['suicidal-thoughts'],
      urgency: 'acute',
      channel: 'helpline',
    });
    const c = await worker.post('/api/consents', {
      clientId: caller.body.id,
      purpose: 'referral',
      recipientOrganizationId: t.orgB.id,
      categories: ['contact', 'help-request-summary'],
      method: 'verbal',
    });
    await referral('routine');
    const res = await worker.post('/api/referrals', {
      helpRequestId: help.body.id,
      offerId: offerB,
      priority: 'acute',
      consentId: c.body.id,
      message: 'Terugbellen op het nummer',
    });
    expect(res.statusCode).toBe(201);
    const inbox = await receiverB.get('/api/referrals?box=incoming');
    const position = inbox.body.items.findIndex((i: { id: string }) => i.id === res.body.id);
    expect(position).toBeGreaterThanOrEqual(0);
    // only other acute referrals may stand above it
    expect(inbox.body.items.slice(0, position).every((i: { priority: string }) => i.priority === 'acute')).toBe(true);
    expect(inbox.body.items.slice(position + 1).some((i: { priority: string }) => i.priority !== 'acute')).toBe(true);
    const seen = await receiverB.get(`/api/referrals/${res.body.id}`);
    expect(seen.body.snapshot.contact).toMatchObject({
      identityKind: 'pseudonym',
      displayName: 'Beller 14u',
      phone: '+32470998877',
    });
    await receiverB.post(`/api/referrals/${res.body.id}/transitions`, { action: 'accept' });
    const outgoing = await worker.get('/api/referrals?box=outgoing');
    expect(outgoing.body.items.find((i: { id: string }) => i.id === res.body.id).status).toBe('accepted');
  });

  it('a partner system does the same with an API token', async () => {
    const adminA = await login(world, t.users.adminA.email);
    const token = await adminA.post('/api/api-tokens', {
      name: 'Hulplijnsysteem',
      permissions: ['client:create', 'help-request:write', 'consent:write', 'referral:write', 'referral:read'],
    });
    expect(token.statusCode, token.raw).toBe(201);
    const partner = new (senderA.constructor as typeof Caller)(world.app, null, null, token.body.token);
    const caller = await partner.post('/api/clients', { identityKind: 'anonymous', phone: '+32 470 00 00 01' });
    const help = await partner.post('/api/help-requests', {
      clientId: caller.body.id,
      story: 'Acute vraag',
      themes: ['suicidal-thoughts'],
      urgency: 'acute',
      channel: 'helpline',
    });
    const c = await partner.post('/api/consents', {
      clientId: caller.body.id,
      purpose: 'referral',
      recipientOrganizationId: t.orgB.id,
      categories: ['contact'],
      method: 'verbal',
    });
    const res = await partner.post('/api/referrals', {
      helpRequestId: help.body.id,
      offerId: offerB,
      priority: 'acute',
      consentId: c.body.id,
    });
    expect(res.statusCode, res.raw).toBe(201);
    expect((await partner.get(`/api/referrals/${res.body.id}`)).body.status).toBe('requested');
    const event = await world.owner
      .selectFrom('referral_events')
      .selectAll()
      .where('referral_id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_user_id: null, actor_token_id: token.body.id, action: 'create' });
    expect(c.body.recordedBy).toEqual({ kind: 'token', id: token.body.id, name: 'Hulplijnsysteem' });
    // the bridging support it records while the caller waits names the token too
    expect(
      (
        await receiverB.post(`/api/referrals/${res.body.id}/transitions`, {
          action: 'waitlist',
          expectedDate: '2027-03-01',
        })
      ).statusCode,
    ).toBe(200);
    const bridging = await partner.post(`/api/referrals/${res.body.id}/bridging`, { note: 'Wekelijks terugbellen' });
    expect(bridging.statusCode, bridging.raw).toBe(200);
    const events = await eventsOf(res.body.id);
    expect(events.at(-1)).toMatchObject({
      action: 'bridging',
      actor_user_id: null,
      actor_token_id: token.body.id,
      actor_organization_id: t.orgA.id,
    });
    expect((await receiverB.post(`/api/referrals/${res.body.id}/transitions`, { action: 'accept' })).statusCode).toBe(
      200,
    );
  });
});

describe('FHIR', () => {
  const { id: _legacy, ...schema } = JSON.parse(fs.readFileSync(FHIR_SCHEMA, 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(
    JSON.parse(fs.readFileSync(path.resolve('node_modules/ajv/dist/refs/json-schema-draft-06.json'), 'utf8')),
  );
  ajv.addSchema({ ...schema, $id: 'fhir' });
  const validateBundle = ajv.compile({ $ref: 'fhir#/definitions/Bundle' });

  it('a referral is a valid Bundle of ServiceRequest, Task and Consent, for both sides, with the mapped statuses', async () => {
    const r = await referral();
    await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'waitlist', expectedDate: '2027-02-01' });
    for (const caller of [senderA, receiverB]) {
      const res = await caller.get(`/api/referrals/${r.id}/fhir`);
      expect(res.statusCode).toBe(200);
      expect(validateBundle(res.body), JSON.stringify(validateBundle.errors?.slice(0, 3))).toBe(true);
      const [sr, task, consent] = res.body.entry.map((e: { resource: Record<string, unknown> }) => e.resource);
      expect(sr).toMatchObject({ resourceType: 'ServiceRequest', status: 'on-hold', intent: 'order' });
      expect(task).toMatchObject({
        resourceType: 'Task',
        status: 'on-hold',
        businessStatus: { coding: [{ code: '3.0' }] },
      });
      expect(consent).toMatchObject({ resourceType: 'Consent', status: 'active' });
    }
    await senderA.post(`/api/consents/${r.consentId}/withdraw`, {});
    const after = await receiverB.get(`/api/referrals/${r.id}/fhir`);
    expect(after.body.entry[2].resource.status).toBe('inactive');
    expect(validateBundle(after.body)).toBe(true);
    expect(JSON.stringify(after.body)).not.toMatch(/\[\]|\{\}|:null|:""/);
  });

  it('completed after a first contact is ServiceRequest completed; closed after a missed one, revoked with Task failed', async () => {
    const reached = await referral();
    const missed = await referral();
    for (const body of [{ action: 'accept' }, { action: 'schedule', scheduledAt: '2026-12-20T09:00:00Z' }]) {
      await receiverB.post(`/api/referrals/${reached.id}/transitions`, body);
      await receiverB.post(`/api/referrals/${missed.id}/transitions`, body);
    }
    await receiverB.post(`/api/referrals/${reached.id}/transitions`, { action: 'first-contact' });
    expect((await receiverB.post(`/api/referrals/${reached.id}/transitions`, { action: 'complete' })).statusCode).toBe(
      200,
    );
    await receiverB.post(`/api/referrals/${missed.id}/transitions`, { action: 'missed' });
    expect(
      (
        await receiverB.post(`/api/referrals/${missed.id}/transitions`, {
          action: 'complete',
          reason: 'client-declined',
        })
      ).statusCode,
    ).toBe(200);
    for (const caller of [senderA, receiverB]) {
      const ok = (await caller.get(`/api/referrals/${reached.id}/fhir`)).body;
      const failed = (await caller.get(`/api/referrals/${missed.id}/fhir`)).body;
      for (const bundle of [ok, failed]) {
        expect(validateBundle(bundle), JSON.stringify(validateBundle.errors?.slice(0, 3))).toBe(true);
        expect(JSON.stringify(bundle)).not.toMatch(/\[\]|\{\}|:null|:""/);
      }
      expect(ok.entry[0].resource.status).toBe('completed');
      expect(ok.entry[1].resource).toMatchObject({
        status: 'completed',
        businessStatus: { coding: [{ code: '7.0' }] },
      });
      expect(failed.entry[0].resource.status).toBe('revoked');
      expect(failed.entry[1].resource).toMatchObject({
        status: 'failed',
        statusReason: { text: 'client-declined' },
        businessStatus: { coding: [{ code: '5.1.2' }], text: 'completed' },
      });
    }
  });
});

describe('nothing lost from sight', () => {
  it('the help request lists its referrals with status, and a second open referral to the same organisation needs a confirmation', async () => {
    const r = await referral('urgent');
    const detail = await senderA.get(`/api/help-requests/${r.helpRequestId}`);
    expect(detail.body.referrals).toEqual([
      expect.objectContaining({
        id: r.id,
        status: 'requested',
        open: true,
        receiverOrganizationId: t.orgB.id,
        receiverOrganizationName: t.orgB.name,
        offerName: 'Begeleiding B',
      }),
    ]);
    const before = await world.owner
      .selectFrom('referrals')
      .select('id')
      .where('help_request_id', '=', r.helpRequestId)
      .execute();
    const second = {
      helpRequestId: r.helpRequestId,
      offerId: offerBGroup,
      priority: 'routine',
      consentId: r.consentId,
    };
    const refused = await senderA.post('/api/referrals', second);
    expect(refused.statusCode).toBe(409);
    expect(refused.body.errors[0]).toMatchObject({ field: 'offerId', code: 'referral-already-open' });
    expect(refused.body.errors[0].message).toMatch(/al een open doorverwijzing/);
    const after = await world.owner
      .selectFrom('referrals')
      .select('id')
      .where('help_request_id', '=', r.helpRequestId)
      .execute();
    expect(after.length).toBe(before.length);
    // confirmed: sent
    const confirmed = await senderA.post('/api/referrals', { ...second, confirmSecond: true });
    expect(confirmed.statusCode, confirmed.raw).toBe(201);
    expect((await senderA.get(`/api/help-requests/${r.helpRequestId}`)).body.referrals).toHaveLength(2);
    // once the first is answered (declined), a new one to the same organisation needs no confirmation
    await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'decline', reason: 'no-capacity' });
    await receiverB.post(`/api/referrals/${confirmed.body.id}/transitions`, {
      action: 'decline',
      reason: 'no-capacity',
    });
    const third = await senderA.post('/api/referrals', second);
    expect(third.statusCode, third.raw).toBe(201);
    // the receiver never sees the sender's help request
    expect((await receiverB.get(`/api/help-requests/${r.helpRequestId}`)).statusCode).toBe(404);
  });

  it('a client registered from a referral links back to it, with the help request as shared, until consent is withdrawn', async () => {
    const r = await referral();
    await receiverB.post(`/api/referrals/${r.id}/transitions`, { action: 'accept' });
    const registered = await receiverB.post(`/api/referrals/${r.id}/register-client`, {});
    const own = await receiverB.get(`/api/clients/${registered.body.receiverClientId}`);
    expect(own.body.origins).toEqual([
      expect.objectContaining({
        referralId: r.id,
        senderOrganizationName: t.orgA.name,
        status: 'accepted',
        sharedHelpRequest: { story: 'Zit vast in somberheid', themes: ['depression'] },
      }),
    ]);
    // the sender's own file has no origin: it was not referred to itself
    expect((await senderA.get(`/api/clients/${r.clientId}`)).body.origins).toEqual([]);
    await senderA.post(`/api/consents/${r.consentId}/withdraw`, {});
    const withdrawn = await receiverB.get(`/api/clients/${registered.body.receiverClientId}`);
    expect(withdrawn.body.origins[0]).toMatchObject({ referralId: r.id, sharedHelpRequest: null });
  });

  it("the intake list names the person (or the pseudonym) and the client list without a query shows my organisation's recent clients first", async () => {
    const named = await person();
    const pseudonym = await senderA.post('/api/clients', { identityKind: 'pseudonym', pseudonym: 'Vogel Blauw' });
    expect(pseudonym.statusCode, pseudonym.raw).toBe(201);
    const help = await senderA.post('/api/help-requests', {
      clientId: pseudonym.body.id,
      story: 'Wil anoniem blijven',
      themes: ['loneliness'],
      urgency: 'routine',
    });
    const withoutFile = await senderA.post('/api/help-requests', {
      story: 'Belt kort',
      themes: ['loneliness'],
      urgency: 'routine',
    });
    const items = (await senderA.get('/api/help-requests')).body.items as { id: string; clientName: string | null }[];
    const nameOf = (id: string) => items.find((i) => i.id === id)?.clientName;
    expect(nameOf(named.helpRequestId)).toBe('Sara Verwijzing');
    expect(nameOf(help.body.id)).toBe('Vogel Blauw');
    expect(nameOf(withoutFile.body.id)).toBeNull();
    const recent = await senderA.get('/api/clients');
    expect(recent.body.items[0].id).toBe(pseudonym.body.id);
    expect(recent.body.items.every((c: { organizationId: string }) => c.organizationId === t.orgA.id)).toBe(true);
    expect(
      (await receiverB.get('/api/clients')).body.items.some((c: { id: string }) => c.id === pseudonym.body.id),
    ).toBe(false);
  });
});
