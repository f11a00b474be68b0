import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import { DefaultQueryExecutor, type CompiledQuery } from 'kysely';
import { Caller, createWorld, login, makeTenants, makeUser, type World } from '../support/world.ts';
import { FHIR_SCHEMA } from '../support/standards.ts';
import { referralFlow } from '../support/referral-flow.ts';
import { DEFERRED_COMMIT, isPipelined } from '../../src/server/core/db/database.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let caregiverA: Caller;
let intakeA: Caller;
let teamLeadA: Caller;
let adminA: Caller;
let intakeB: Caller;
let coordinatorB: Caller;
let intakeX: Caller;
let networkCoordinator: Caller;

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  caregiverA = await login(world, t.users.caregiverA.email);
  intakeA = await login(world, t.users.intakeA.email);
  teamLeadA = await login(world, t.users.teamLeadA.email);
  adminA = await login(world, t.users.adminA.email);
  intakeB = await login(world, t.users.intakeB.email);
  intakeX = await login(world, t.users.intakeX.email);
  networkCoordinator = await login(world, t.users.networkCoordinator.email);
  const coordB = await makeUser(world, { role: 'coordinator', networkId: t.network.id, organizationId: t.orgB.id });
  coordinatorB = await login(world, coordB.email);
});
afterAll(async () => {
  await world?.close();
});

async function client(caller = caregiverA, familyName = 'Traject') {
  const res = await caller.post('/api/clients', { givenName: 'Lien', familyName, birthDate: '1990-03-03' });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}
async function trajectory(caller = caregiverA, body: Record<string, unknown> = {}) {
  const clientId = (body.clientId as string | undefined) ?? (await client(caller));
  const res = await caller.post('/api/trajectories', { clientId, module: 'psychosocial-support', ...body });
  expect(res.statusCode, res.raw).toBe(201);
  return { id: res.body.id as string, clientId };
}
const countRows = async (table: 'trajectories' | 'trajectory_contacts' | 'trajectory_events') =>
  Number(
    (
      await world.owner
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('trajectory lifecycle', () => {
  it('starts planned in onthaal, becomes active with the first contact, moves into support, pauses, resumes and finishes with outcome, reason and date', async () => {
    const { id } = await trajectory(caregiverA, { startDate: '2026-11-01' });
    const detail = await caregiverA.get(`/api/trajectories/${id}`);
    expect(detail.statusCode, detail.raw).toBe(200);
    expect(detail.body).toMatchObject({ status: 'planned', phase: 'intake', responsibleUserId: t.users.caregiverA.id });

    // a no-show does not start it; a contact that took place does
    const noShow = await caregiverA.post(`/api/trajectories/${id}/contacts`, {
      at: '2026-11-02T09:00:00Z',
      minutes: 0,
      kind: 'on-site',
      noShow: true,
    });
    expect(noShow.statusCode, noShow.raw).toBe(201);
    expect((await caregiverA.get(`/api/trajectories/${id}`)).body.status).toBe('planned');
    const contact = await caregiverA.post(`/api/trajectories/${id}/contacts`, {
      at: '2026-11-03T09:00:00Z',
      minutes: 50,
      kind: 'home-visit',
      note: 'Eerste gesprek thuis',
    });
    expect(contact.statusCode, contact.raw).toBe(201);
    expect((await caregiverA.get(`/api/trajectories/${id}`)).body.status).toBe('active');

    const step = (body: Record<string, unknown>) => caregiverA.post(`/api/trajectories/${id}/transitions`, body);
    expect((await step({ action: 'start-support' })).body).toMatchObject({ status: 'active', phase: 'support' });
    expect((await step({ action: 'start-support' })).statusCode).toBe(409);
    expect((await step({ action: 'resume' })).statusCode).toBe(409);
    expect((await step({ action: 'pause', note: 'Opname ziekenhuis' })).body.status).toBe('on-hold');
    expect((await step({ action: 'pause' })).statusCode).toBe(409);
    expect((await step({ action: 'resume' })).body.status).toBe('active');

    // a finish without outcome and reason: 400 field by field, nothing changes
    const bare = await step({ action: 'finish' });
    expect(bare.statusCode).toBe(400);
    expect(bare.headers['content-type']).toContain('application/problem+json');
    expect(bare.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['outcome', 'reason']);
    expect(bare.body.errors[0].message).toMatch(/verplicht|ontbreekt|vereist/i);
    const other = await step({ action: 'finish', outcome: 'partly', reason: 'other' });
    expect(other.statusCode).toBe(400);
    expect(other.body.errors).toEqual([expect.objectContaining({ field: 'reasonText', code: 'reason-text-required' })]);
    expect(
      (await step({ action: 'finish', outcome: 'fully', reason: 'completed', endDate: '2000-01-01' })).statusCode,
    ).toBe(400);
    expect((await caregiverA.get(`/api/trajectories/${id}`)).body.status).toBe('active');

    const finished = await step({ action: 'finish', outcome: 'fully', reason: 'completed', endDate: '2026-11-20' });
    expect(finished.statusCode, finished.raw).toBe(200);
    expect(finished.body).toMatchObject({
      status: 'finished',
      outcome: 'fully',
      closeReason: 'completed',
      endDate: '2026-11-20',
    });
    expect(finished.body.history.map((h: { action: string; toStatus: string }) => `${h.action}:${h.toStatus}`)).toEqual(
      [
        'create:planned',
        'first-contact:active',
        'start-support:active',
        'pause:on-hold',
        'resume:active',
        'finish:finished',
      ],
    );
    expect(finished.body.history[3]).toMatchObject({ reason: 'Opname ziekenhuis', actorDisplayName: 'Test caregiver' });
    // closed: no more steps, no more contacts
    expect((await step({ action: 'cancel' })).statusCode).toBe(409);
    const late = await caregiverA.post(`/api/trajectories/${id}/contacts`, {
      at: '2026-11-21T09:00:00Z',
      minutes: 10,
      kind: 'phone',
    });
    expect(late.statusCode).toBe(409);
  });

  it('cancels a planned trajectory; bad input is refused field by field and stores nothing', async () => {
    const { id } = await trajectory();
    expect(
      (await caregiverA.post(`/api/trajectories/${id}/transitions`, { action: 'cancel', reason: 'unreachable' })).body,
    ).toMatchObject({
      status: 'cancelled',
      closeReason: 'unreachable',
    });
    const before = await countRows('trajectories');
    const bad = await caregiverA.post('/api/trajectories', { clientId: 'not-a-uuid', module: 'astrology' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['clientId', 'module']);
    const foreignClient = await client(intakeB);
    const strangers = await caregiverA.post('/api/trajectories', {
      clientId: foreignClient,
      module: 'youth',
      responsibleUserId: t.users.intakeB.id,
    });
    expect(strangers.statusCode).toBe(400);
    expect(strangers.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort()).toEqual([
      'clientId:client-unknown',
      'responsibleUserId:responsible-unknown',
    ]);
    expect(await countRows('trajectories')).toBe(before);

    const contactsBefore = await countRows('trajectory_contacts');
    const { id: running } = await trajectory();
    const badContact = await caregiverA.post(`/api/trajectories/${running}/contacts`, {
      at: 'gisteren',
      minutes: -5,
      kind: 'fax',
    });
    expect(badContact.statusCode).toBe(400);
    expect(badContact.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['at', 'kind', 'minutes']);
    expect(await countRows('trajectory_contacts')).toBe(contactsBefore);
  });

  it('gives the responsibility to a colleague of the organisation, and lists "mine" with the last contact and the 30-day flag', async () => {
    const clientId = await client();
    const { id: forTeamLead } = await trajectory(caregiverA, {
      clientId,
      responsibleUserId: t.users.teamLeadA.id,
      startDate: '2026-01-05',
    });
    const mineOfTeamLead = await teamLeadA.get('/api/trajectories?box=mine');
    expect(mineOfTeamLead.body.items.map((i: { id: string }) => i.id)).toContain(forTeamLead);
    expect(
      (await caregiverA.get('/api/trajectories?box=mine')).body.items.map((i: { id: string }) => i.id),
    ).not.toContain(forTeamLead);
    const item = mineOfTeamLead.body.items.find((i: { id: string }) => i.id === forTeamLead);
    expect(item).toMatchObject({ status: 'planned', lastContactAt: null, noRecentContact: false });

    // active with an old contact only: flagged; a recent contact clears the flag
    await teamLeadA.post(`/api/trajectories/${forTeamLead}/contacts`, {
      at: '2026-01-06T10:00:00Z',
      minutes: 30,
      kind: 'phone',
    });
    let flagged = (await teamLeadA.get('/api/trajectories?box=mine')).body.items.find(
      (i: { id: string }) => i.id === forTeamLead,
    );
    expect(flagged).toMatchObject({
      status: 'active',
      lastContactAt: '2026-01-06T10:00:00.000Z',
      noRecentContact: true,
    });
    await teamLeadA.post(`/api/trajectories/${forTeamLead}/contacts`, {
      at: new Date().toISOString(),
      minutes: 30,
      kind: 'video',
    });
    flagged = (await teamLeadA.get('/api/trajectories?box=mine')).body.items.find(
      (i: { id: string }) => i.id === forTeamLead,
    );
    expect(flagged.noRecentContact).toBe(false);

    // the organisation box shows it to a colleague; the status filter works
    const org = await caregiverA.get('/api/trajectories?box=organization&status=active');
    expect(org.body.items.map((i: { id: string }) => i.id)).toContain(forTeamLead);
    expect(org.body.items.every((i: { status: string }) => i.status === 'active')).toBe(true);
    expect(
      (await caregiverA.get('/api/trajectories?box=organization&status=finished')).body.items.map(
        (i: { id: string }) => i.id,
      ),
    ).not.toContain(forTeamLead);
  });
});

describe('starting from an accepted referral', () => {
  it('only the receiver, once accepted, for the client it registered; one trajectory per referral', async () => {
    const offerRes = await coordinatorB.post('/api/offers', {
      name: 'Begeleiding B',
      description: 'x',
      themes: ['depression'],
      municipalities: ['24062'],
      modalities: ['face-to-face'],
      capacity: 'open',
      level: 'basic',
    });
    expect(offerRes.statusCode, offerRes.raw).toBe(201);
    const offerB = offerRes.body.id as string;
    const senderClient = await client(intakeA, 'Verwezen');
    const flow = await referralFlow({
      sender: intakeA,
      receiver: intakeB,
      clientId: senderClient,
      offerId: offerB,
      recipientOrganizationId: t.orgB.id,
      story: 'Rouw',
    });
    const { referralId } = flow;
    const receiverClient = flow.receiverClientId!;

    // the sender cannot start one from it, nor can the receiver for another client
    const bySender = await intakeA.post('/api/trajectories', { clientId: senderClient, module: 'other', referralId });
    expect(bySender.statusCode).toBe(400);
    expect(bySender.body.errors[0]).toMatchObject({ field: 'referralId', code: 'referral-not-accepted' });
    const otherClient = await client(intakeB, 'Ander');
    expect(
      (await intakeB.post('/api/trajectories', { clientId: otherClient, module: 'other', referralId })).statusCode,
    ).toBe(400);

    const started = await intakeB.post('/api/trajectories', {
      clientId: receiverClient,
      module: 'victim-support-bereavement',
      offerId: offerB,
      referralId,
    });
    expect(started.statusCode, started.raw).toBe(201);
    const detail = await intakeB.get(`/api/trajectories/${started.body.id}`);
    expect(detail.body).toMatchObject({
      referralId,
      offerId: offerB,
      offerName: 'Begeleiding B',
      clientId: receiverClient,
    });
    expect((await intakeB.get(`/api/trajectories?box=organization&referralId=${referralId}`)).body.items).toHaveLength(
      1,
    );
    const twice = await intakeB.post('/api/trajectories', { clientId: receiverClient, module: 'other', referralId });
    expect(twice.statusCode).toBe(409);
    // the sender does not see the receiver's trajectory
    expect((await intakeA.get(`/api/trajectories/${started.body.id}`)).statusCode).toBe(404);
  });
});

describe('isolation and roles', () => {
  it('another organisation (of this network or another) gets 404 on read, contacts, transitions, versions and FHIR; notes never reach it', async () => {
    const { id } = await trajectory();
    const contact = await caregiverA.post(`/api/trajectories/${id}/contacts`, {
      at: '2026-11-03T09:00:00Z',
      minutes: 45,
      kind: 'on-site',
      note: 'Geheime notitie A',
    });
    const contactId = contact.body.id as string;
    const eventsBefore = await countRows('trajectory_events');
    for (const stranger of [intakeB, intakeX]) {
      expect((await stranger.get(`/api/trajectories/${id}`)).statusCode).toBe(404);
      expect((await stranger.get(`/api/trajectories/${id}/fhir`)).statusCode).toBe(404);
      expect(
        (
          await stranger.post(`/api/trajectories/${id}/contacts`, {
            at: '2026-11-04T09:00:00Z',
            minutes: 5,
            kind: 'phone',
          })
        ).statusCode,
      ).toBe(404);
      expect((await stranger.post(`/api/trajectories/${id}/transitions`, { action: 'cancel' })).statusCode).toBe(404);
      expect(
        (await stranger.patch(`/api/trajectories/${id}/contacts/${contactId}`, { version: 1, note: 'overschreven' }))
          .statusCode,
      ).toBe(404);
      expect((await stranger.get(`/api/trajectories/${id}/contacts/${contactId}/versions`)).statusCode).toBe(404);
      const lists = [
        await stranger.get('/api/trajectories?box=organization'),
        await stranger.get('/api/trajectories?box=mine'),
      ];
      for (const list of lists) expect(list.raw).not.toContain(id);
    }
    expect(await countRows('trajectory_events')).toBe(eventsBefore);
    const row = await world.owner
      .selectFrom('trajectory_contacts')
      .select(['note', 'version'])
      .where('id', '=', contactId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ note: 'Geheime notitie A', version: 1 });
  });

  it('row-level security hides the rows from another organisation even without the code filters', async () => {
    const { id } = await trajectory();
    await caregiverA.post(`/api/trajectories/${id}/contacts`, {
      at: '2026-11-03T09:00:00Z',
      minutes: 45,
      kind: 'on-site',
      note: 'RLS',
    });
    const { inTenant } = await import('../../src/server/core/db/tenant.ts');
    const seen = await inTenant(
      world.db.app,
      {
        kind: 'user',
        userId: t.users.intakeB.id,
        tokenId: null,
        membershipId: null,
        organizationId: t.orgB.id,
        networkId: t.network.id,
        role: 'intake-worker',
        permissions: new Set(),
        session: null,
      },
      { ip: '127.0.0.1', userAgent: null, requestId: 'rls' },
      async (tx) => ({
        trajectories: await tx.db.selectFrom('trajectories').select('id').where('id', '=', id).execute(),
        contacts: await tx.db
          .selectFrom('trajectory_contacts')
          .select('note')
          .where('trajectory_id', '=', id)
          .execute(),
      }),
    );
    expect(seen).toEqual({ trajectories: [], contacts: [] });
  });

  it('roles: the admin and network roles have no access (403); intake workers, caregivers, coordinators and team leads do', async () => {
    const { id } = await trajectory();
    for (const caller of [adminA, networkCoordinator]) {
      expect((await caller.get('/api/trajectories')).statusCode).toBe(403);
      expect((await caller.get(`/api/trajectories/${id}`)).statusCode).toBe(403);
      expect(
        (
          await caller.post(`/api/trajectories/${id}/contacts`, {
            at: '2026-11-04T09:00:00Z',
            minutes: 5,
            kind: 'phone',
          })
        ).statusCode,
      ).toBe(403);
      expect((await caller.post(`/api/trajectories/${id}/transitions`, { action: 'cancel' })).statusCode).toBe(403);
    }
    for (const caller of [intakeA, caregiverA, teamLeadA])
      expect((await caller.get(`/api/trajectories/${id}`)).statusCode).toBe(200);
    expect((await coordinatorB.get('/api/trajectories?box=organization')).statusCode).toBe(200);
  });
});

describe('contact edits keep the earlier version', () => {
  it('an edit stores the version it replaced (who, when); a stale version is refused with 409 and changes nothing', async () => {
    const { id } = await trajectory();
    const created = await caregiverA.post(`/api/trajectories/${id}/contacts`, {
      at: '2026-11-03T09:00:00Z',
      minutes: 45,
      kind: 'on-site',
      supportPersons: 'Zus',
      note: 'Eerste versie',
    });
    const contactId = created.body.id as string;
    const edit = await teamLeadA.patch(`/api/trajectories/${id}/contacts/${contactId}`, {
      version: 1,
      note: 'Tweede versie',
      minutes: 60,
    });
    expect(edit.statusCode, edit.raw).toBe(200);
    expect(edit.body).toEqual({ id: contactId, version: 2 });
    const stale = await caregiverA.patch(`/api/trajectories/${id}/contacts/${contactId}`, {
      version: 1,
      note: 'Verloren?',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body.errors[0]).toMatchObject({ field: 'version', code: 'contact-changed' });
    const badEdit = await caregiverA.patch(`/api/trajectories/${id}/contacts/${contactId}`, {
      version: 2,
      kind: 'telepathy',
    });
    expect(badEdit.statusCode).toBe(400);

    const detail = await caregiverA.get(`/api/trajectories/${id}`);
    expect(detail.body.contacts[0]).toMatchObject({
      note: 'Tweede versie',
      minutes: 60,
      supportPersons: 'Zus',
      version: 2,
      createdByDisplayName: 'Test caregiver',
      updatedByDisplayName: 'Test team-lead',
    });
    const versions = await caregiverA.get(`/api/trajectories/${id}/contacts/${contactId}/versions`);
    expect(versions.statusCode, versions.raw).toBe(200);
    expect(versions.body.items).toHaveLength(1);
    expect(versions.body.items[0]).toMatchObject({
      version: 1,
      note: 'Eerste versie',
      minutes: 45,
      writtenByDisplayName: 'Test caregiver',
      replacedByDisplayName: 'Test team-lead',
    });
  });
});

describe('FHIR and audit', () => {
  it('GET /fhir gives an EpisodeOfCare with its Encounters, valid against the FHIR R4 schema, without the notes', async () => {
    const { id, clientId } = await trajectory();
    await caregiverA.post(`/api/trajectories/${id}/contacts`, {
      at: '2026-11-03T09:00:00Z',
      minutes: 45,
      kind: 'home-visit',
      note: 'Niet naar buiten',
    });
    await caregiverA.post(`/api/trajectories/${id}/contacts`, {
      at: '2026-11-10T09:00:00Z',
      minutes: 0,
      kind: 'video',
      noShow: true,
    });
    await caregiverA.post(`/api/trajectories/${id}/transitions`, { action: 'start-support' });
    const res = await caregiverA.get(`/api/trajectories/${id}/fhir`);
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.raw).not.toContain('Niet naar buiten');
    const { id: _legacy, ...schema } = JSON.parse(fs.readFileSync(FHIR_SCHEMA, 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addMetaSchema(
      JSON.parse(fs.readFileSync(path.resolve('node_modules/ajv/dist/refs/json-schema-draft-06.json'), 'utf8')),
    );
    ajv.addSchema({ ...schema, $id: 'fhir' });
    const validate = ajv.compile({ $ref: 'fhir#/definitions/Bundle' });
    expect(validate(res.body), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const [episode, ...encounters] = res.body.entry.map((e: { resource: Record<string, any> }) => e.resource);
    expect(episode).toMatchObject({
      resourceType: 'EpisodeOfCare',
      id,
      status: 'active',
      patient: { reference: `Patient/${clientId}` },
      careManager: { reference: `Practitioner/${t.users.caregiverA.id}` },
    });
    // the FHIR EpisodeOfCare status codes (http://hl7.org/fhir/R4/valueset-episode-of-care-status.html)
    const episodeStatus = ['planned', 'waitlist', 'active', 'onhold', 'finished', 'cancelled', 'entered-in-error'];
    for (const h of episode.statusHistory) expect(episodeStatus).toContain(h.status);
    expect(
      encounters.map((e: { status: string; class: { code: string } }) => `${e.status}/${e.class.code}`).sort(),
    ).toEqual(['cancelled/VR', 'finished/HH']);
    expect(encounters[0].episodeOfCare).toEqual([{ reference: `EpisodeOfCare/${id}` }]);
  }, 60_000);

  it("every read and change is audited with the client, and shows in the person's access history", async () => {
    const { id, clientId } = await trajectory();
    await caregiverA.get(`/api/trajectories/${id}`);
    await caregiverA.post(`/api/trajectories/${id}/contacts`, {
      at: '2026-11-03T09:00:00Z',
      minutes: 45,
      kind: 'phone',
    });
    await caregiverA.post(`/api/trajectories/${id}/transitions`, { action: 'cancel' });
    await intakeB.get(`/api/trajectories/${id}`); // refused: audited as not found
    const rows = await world.owner
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'details', 'entity_id'])
      .where('entity_id', '=', id)
      .execute();
    const actions = rows.filter((r) => r.outcome === 'success').map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'trajectory.create',
        'trajectory.read',
        'trajectory.contact.create',
        'trajectory.transition',
      ]),
    );
    for (const r of rows.filter((r) => r.outcome === 'success'))
      expect((r.details as { clientId: string }).clientId).toBe(clientId);
    const log = await teamLeadA.get(`/api/clients/${clientId}/access-log`);
    expect(log.statusCode, log.raw).toBe(200);
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['trajectory.read', 'trajectory.create']),
    );
  });
});

/** Every statement the app sends through Kysely while `work` runs (the app's pool, the audit batcher's, the owner's). */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const proto = DefaultQueryExecutor.prototype as unknown as {
    executeQuery: (query: CompiledQuery, ...rest: unknown[]) => Promise<unknown>;
  };
  const original = proto.executeQuery;
  const texts: string[] = [];
  proto.executeQuery = function (this: unknown, query: CompiledQuery, ...rest: unknown[]) {
    texts.push(query.sql.replace(/\s+/g, ' ').trim());
    return original.call(this, query, ...rest);
  };
  try {
    await work();
  } finally {
    // the override is an own property of the subclass's prototype: removing it restores the inherited method
    delete (proto as { executeQuery?: unknown }).executeQuery;
  }
  return texts;
}

describe('a trajectory with its contact log in one statement', () => {
  it('GET /api/trajectories/{id} reads in one SELECT between the tenant script and COMMIT, with the same answer and audit', async () => {
    const { id, clientId } = await trajectory(caregiverA, { startDate: '2026-10-01' });
    const log = (body: Record<string, unknown>) => caregiverA.post(`/api/trajectories/${id}/contacts`, body);
    expect((await log({ at: '2026-10-02T09:00:00Z', minutes: 0, kind: 'phone', noShow: true })).statusCode).toBe(201);
    expect((await log({ at: '2026-10-05T09:00:00Z', minutes: 50, kind: 'home-visit', note: 'Thuis' })).statusCode).toBe(
      201,
    );
    expect((await log({ at: '2026-10-03T10:00:00Z', minutes: 20, kind: 'video' })).statusCode).toBe(201);
    await caregiverA.post(`/api/trajectories/${id}/transitions`, { action: 'start-support' });
    await caregiverA.get(`/api/trajectories/${id}`); // the session is in the cache from here on

    let res!: Awaited<ReturnType<Caller['get']>>;
    const texts = await statementsOf(async () => {
      res = await caregiverA.get(`/api/trajectories/${id}`);
    });
    expect(res.statusCode, res.raw).toBe(200);
    // the read's audit row goes to the shared batcher (on PostgreSQL sent while the COMMIT is under way)
    const isAudit = (s: string) => s.startsWith('insert into audit_log');
    expect(texts.filter(isAudit)).toHaveLength(1);
    const request = texts.filter((s) => !isAudit(s));
    expect(request, request.join('\n')).toHaveLength(3);
    expect(request[0]).toMatch(/^begin read only; select .*from public\.sessions .*kl_session_ended/);
    expect(request[1]).toMatch(/^select .*trajectory_events.*trajectory_contacts/);
    // on PostgreSQL the read-only COMMIT is written with the connection's next statement (core/db/database.ts)
    expect(request[2]).toBe(isPipelined(world.db.app) ? DEFERRED_COMMIT : 'commit');

    // the same answer as before the change: newest contact first, the no-show in the log but not the last contact
    expect(res.body).toMatchObject({
      id,
      clientId,
      clientDisplayName: 'Lien Traject',
      status: 'active',
      phase: 'support',
      responsibleDisplayName: 'Test caregiver',
      lastContactAt: '2026-10-05T09:00:00.000Z',
      offerId: null,
      offerName: null,
    });
    expect(res.body.contacts.map((c: { at: string; noShow: boolean }) => `${c.at}:${c.noShow}`)).toEqual([
      '2026-10-05T09:00:00.000Z:false',
      '2026-10-03T10:00:00.000Z:false',
      '2026-10-02T09:00:00.000Z:true',
    ]);
    expect(res.body.contacts[0]).toMatchObject({
      note: 'Thuis',
      version: 1,
      createdByDisplayName: 'Test caregiver',
      updatedByDisplayName: 'Test caregiver',
    });
    expect(res.body.history.map((h: { action: string }) => h.action)).toEqual([
      'create',
      'first-contact',
      'start-support',
    ]);
    expect(res.body.history[2]).toMatchObject({ fromStatus: 'active', toStatus: 'active', phase: 'support' });
    const audited = await world.owner
      .selectFrom('audit_log')
      .select(['details'])
      .where('entity_id', '=', id)
      .where('action', '=', 'trajectory.read')
      .execute();
    expect(audited).toHaveLength(2);
    expect(audited.every((r) => (r.details as { clientId: string }).clientId === clientId)).toBe(true);

    // the refusals are unchanged: another organisation and an unknown id get 404, audited as refused
    expect((await intakeB.get(`/api/trajectories/${id}`)).statusCode).toBe(404);
    expect((await caregiverA.get('/api/trajectories/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

// The access matrix of tests/integration/endpoints.test.ts leaves the trajectory routes to this suite (as it does
// the HSDS routes to theirs): here every one of them, from the OpenAPI document, without a session and without
// the permission; the 404s, bad input and happy paths are the tests above.
describe('every trajectory route', () => {
  const routes = async () => {
    const spec = (await world.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, object> }>();
    return Object.entries(spec.paths)
      .filter(([p]) => p.startsWith('/api/trajectories'))
      .flatMap(([p, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path: p })));
  };
  const fill = (p: string) => p.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');

  it('are eight, and each answers 401 without a session, audited nowhere', async () => {
    const list = await routes();
    expect(list).toHaveLength(8);
    const anonymous = new Caller(world.app);
    for (const { method, path: p } of list) {
      const res = await anonymous.request(method, fill(p), method === 'GET' ? undefined : {});
      expect(res.statusCode, `${method} ${p}`).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('each answers 403 to a role without the permission (org admin, analyst), audited as denied', async () => {
    const analyst = await login(world, t.users.analyst.email);
    for (const { method, path: p } of await routes()) {
      for (const caller of [adminA, analyst]) {
        const res = await caller.request(method, fill(p), method === 'GET' ? undefined : {});
        expect(res.statusCode, `${method} ${p}`).toBe(403);
        const rid = res.body.requestId as string;
        const rows = await world.owner
          .selectFrom('audit_log')
          .select('outcome')
          .where('request_id', '=', rid)
          .execute();
        expect(rows.map((r) => r.outcome)).toContain('denied');
      }
    }
  });
});
