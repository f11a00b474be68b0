import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import { FHIR_SCHEMA } from '../support/standards.ts';
import { makeInsz } from '../../src/server/features/clients/index.ts';
import { brusselsDate } from '../../src/server/features/referrals/index.ts';
import { Caller, createWorld, login, makeTenants, makeUser, type World } from '../support/world.ts';
import { referralFlow } from '../support/referral-flow.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let caregiverA: Caller;
let intakeA: Caller;
let teamLeadA: Caller;
let adminA: Caller;
let intakeB: Caller;
let coordinatorB: Caller;
let intakeX: Caller;
let offerB: string;

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  caregiverA = await login(world, t.users.caregiverA.email);
  intakeA = await login(world, t.users.intakeA.email);
  teamLeadA = await login(world, t.users.teamLeadA.email);
  adminA = await login(world, t.users.adminA.email);
  intakeB = await login(world, t.users.intakeB.email);
  intakeX = await login(world, t.users.intakeX.email);
  const coordB = await makeUser(world, { role: 'coordinator', networkId: t.network.id, organizationId: t.orgB.id });
  coordinatorB = await login(world, coordB.email);
  const offer = await coordinatorB.post('/api/offers', {
    name: 'Specialistische begeleiding B',
    description: 'x',
    themes: ['depression'],
    municipalities: ['24062'],
    modalities: ['face-to-face'],
    capacity: 'open',
    level: 'specialised',
  });
  expect(offer.statusCode, offer.raw).toBe(201);
  offerB = offer.body.id as string;
});
afterAll(async () => {
  await world?.close();
});

async function client(caller = caregiverA, familyName = 'Plan', extra: Record<string, unknown> = {}) {
  const res = await caller.post('/api/clients', { givenName: 'Mira', familyName, birthDate: '1988-04-04', ...extra });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}
async function plan(caller = caregiverA, clientId?: string) {
  const id = clientId ?? (await client(caller));
  const res = await caller.post('/api/care-plans', { clientId: id });
  expect(res.statusCode, res.raw).toBe(201);
  return { id: res.body.id as string, clientId: id };
}
const count = async (table: 'care_plans' | 'care_plan_goals' | 'care_plan_actions' | 'client_links') =>
  Number(
    (
      await world.owner
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The fields of a 400, each once (a nullable enum reports each branch). */
const fieldsOf = (res: { body: { errors: { field: string }[] } }) =>
  [...new Set(res.body.errors.map((e) => e.field))].sort();

/** A referral from A to B for a new client of A, accepted by B, B's record registered from it. */
async function referredPerson() {
  const senderClient = await client(intakeA, 'Verwezen');
  const flow = await referralFlow({
    sender: intakeA,
    receiver: intakeB,
    clientId: senderClient,
    offerId: offerB,
    recipientOrganizationId: t.orgB.id,
  });
  return { senderClient, receiverClient: flow.receiverClientId!, referralId: flow.referralId };
}

async function carePlanConsent(caller: Caller, clientId: string, recipient: string) {
  const res = await caller.post('/api/consents', {
    clientId,
    purpose: 'care-plan',
    recipientOrganizationId: recipient,
    categories: ['care-plan'],
    method: 'written',
  });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}

describe('making the plan', () => {
  it('starts with the person, the organisation and the caregiver as coordinator; one plan per person (409)', async () => {
    const { id, clientId } = await plan();
    const res = await caregiverA.get(`/api/care-plans/${id}`);
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({
      id,
      clientId,
      status: 'active',
      ownPlan: true,
      myClientIds: [clientId],
      evaluationIntervalMonths: 3,
      goals: [],
      actions: [],
      evaluations: [],
      asOf: null,
    });
    expect(res.body.team.map((m: { kind: string }) => m.kind)).toEqual(['person', 'organization', 'caregiver']);
    const coordinator = res.body.team.find((m: { coordinator: boolean }) => m.coordinator);
    expect(coordinator).toMatchObject({ kind: 'caregiver', userId: t.users.caregiverA.id });
    // next evaluation three months ahead
    expect(res.body.nextEvaluationOn > brusselsDate()).toBe(true);
    const before = await count('care_plans');
    const second = await teamLeadA.post('/api/care-plans', { clientId });
    expect(second.statusCode).toBe(409);
    expect(second.body.errors).toEqual([expect.objectContaining({ field: 'clientId', code: 'care-plan-exists' })]);
    expect(await count('care_plans')).toBe(before);
    const byClient = await teamLeadA.get(`/api/clients/${clientId}/care-plan`);
    expect(byClient.statusCode, byClient.raw).toBe(200);
    expect(byClient.body.id).toBe(id);
  });

  it('two plans for one person at the same moment: one is made, the other 409', async () => {
    const clientId = await client();
    const [a, b] = await Promise.all([
      caregiverA.post('/api/care-plans', { clientId }),
      teamLeadA.post('/api/care-plans', { clientId }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
  });

  it('a client without a plan: 404 on /clients/{id}/care-plan; a client of another organisation: 400 / 404', async () => {
    const clientId = await client();
    expect((await caregiverA.get(`/api/clients/${clientId}/care-plan`)).statusCode).toBe(404);
    const foreign = await client(intakeB, 'Ander');
    const res = await caregiverA.post('/api/care-plans', { clientId: foreign });
    expect(res.statusCode).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'clientId', code: 'client-unknown' })]);
    expect((await caregiverA.get(`/api/clients/${foreign}/care-plan`)).statusCode).toBe(404);
  });

  it('samen beslissen: the agreement (when, how) and the wishes in own words; stale version 409', async () => {
    const { id } = await plan();
    const res = await caregiverA.patch(`/api/care-plans/${id}`, {
      version: 1,
      personWishes: 'Ik wil terug gaan werken, maar stap voor stap.',
      agreedOn: '2026-11-20',
      agreementMethod: 'signed-paper',
      evaluationIntervalMonths: 2,
    });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({
      version: 2,
      personWishes: 'Ik wil terug gaan werken, maar stap voor stap.',
      agreedOn: '2026-11-20',
      agreementMethod: 'signed-paper',
      evaluationIntervalMonths: 2,
    });
    const stale = await teamLeadA.patch(`/api/care-plans/${id}`, { version: 1, personWishes: 'Iets anders' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body.errors[0]).toMatchObject({ field: 'version', code: 'version-conflict' });
    expect(stale.body.current).toMatchObject({
      version: 2,
      personWishes: 'Ik wil terug gaan werken, maar stap voor stap.',
    });
    const bad = await caregiverA.patch(`/api/care-plans/${id}`, {
      version: 2,
      agreementMethod: 'telepathy',
      evaluationIntervalMonths: 0,
    });
    expect(bad.statusCode).toBe(400);
    expect(fieldsOf(bad)).toEqual(['agreementMethod', 'evaluationIntervalMonths']);
  });
});

describe('goals, actions and the team', () => {
  it("keeps the person's words and the professional wording; actions for the person, a support person, a caregiver and an organisation; overdue stands out", async () => {
    const { id } = await plan();
    const goal = await caregiverA.post(`/api/care-plans/${id}/goals`, {
      description: 'Ik wil weer durven buitenkomen',
      professionalWording: 'Vermindering van sociale angst en isolement',
      lifeDomain: 'social-contacts',
      targetDate: '2027-03-01',
    });
    expect(goal.statusCode, goal.raw).toBe(201);
    const goalId = goal.body.id as string;
    const support = await caregiverA.post(`/api/care-plans/${id}/team`, {
      kind: 'support-person',
      name: 'Els Peeters',
      relation: 'zus',
      contact: '0470 12 34 56',
      role: 'gaat mee naar de eerste afspraken',
    });
    expect(support.statusCode, support.raw).toBe(201);
    const supportId = support.body.id as string;
    const org = await caregiverA.post(`/api/care-plans/${id}/team`, {
      kind: 'organization',
      organizationId: t.orgB.id,
    });
    expect(org.statusCode, org.raw).toBe(201);
    const actions = [
      { description: 'Elke dag een wandeling', goalId, owner: { kind: 'client' }, dueDate: '2020-01-01' },
      { description: 'Samen naar de bakker', goalId, owner: { kind: 'support-person', id: supportId } },
      { description: 'Gesprek plannen', owner: { kind: 'user', id: t.users.caregiverA.id }, dueDate: '2099-01-01' },
      { description: 'Groepsaanbod voorstellen', owner: { kind: 'organization', id: t.orgB.id } },
    ];
    for (const a of actions) {
      const res = await caregiverA.post(`/api/care-plans/${id}/actions`, a);
      expect(res.statusCode, res.raw).toBe(201);
    }
    const detail = (await caregiverA.get(`/api/care-plans/${id}`)).body;
    expect(detail.goals).toEqual([
      expect.objectContaining({
        id: goalId,
        description: 'Ik wil weer durven buitenkomen',
        professionalWording: 'Vermindering van sociale angst en isolement',
        lifeDomain: 'social-contacts',
        targetDate: '2027-03-01',
        status: 'proposed',
        version: 1,
      }),
    ]);
    expect(
      detail.actions.map((a: { owner: { kind: string; name: string | null }; overdue: boolean }) => [
        a.owner.kind,
        a.owner.name,
        a.overdue,
      ]),
    ).toEqual([
      ['client', null, true],
      ['support-person', 'Els Peeters', false],
      ['user', 'Test caregiver', false],
      ['organization', expect.any(String), false],
    ]);
    expect(detail.team.find((m: { id: string }) => m.id === supportId)).toMatchObject({
      kind: 'support-person',
      displayName: 'Els Peeters',
      relation: 'zus',
      contact: '0470 12 34 56',
      role: 'gaat mee naar de eerste afspraken',
    });
    // a finished action is no longer overdue
    const walk = detail.actions[0];
    const done = await caregiverA.patch(`/api/care-plans/${id}/actions/${walk.id}`, { version: 1, status: 'done' });
    expect(done.statusCode, done.raw).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', overdue: false, version: 2 });
  });

  it('bad input: 400 field by field, nothing stored', async () => {
    const { id } = await plan();
    const goalsBefore = await count('care_plan_goals');
    const badGoal = await caregiverA.post(`/api/care-plans/${id}/goals`, {
      description: '',
      lifeDomain: 'astrology',
      targetDate: '2027-02-31',
    });
    expect(badGoal.statusCode).toBe(400);
    expect(badGoal.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(fieldsOf(badGoal)).toEqual(['description', 'lifeDomain', 'targetDate']);
    expect(await count('care_plan_goals')).toBe(goalsBefore);
    const actionsBefore = await count('care_plan_actions');
    const other = await plan();
    const foreignGoal = await caregiverA.post(`/api/care-plans/${other.id}/goals`, { description: 'Elders' });
    const badActions: [Record<string, unknown>, string[]][] = [
      [{ description: 'x', owner: { kind: 'support-person' } }, ['owner.id']],
      [{ description: 'x', owner: { kind: 'client', id: t.orgA.id } }, ['owner.id']],
      [{ description: 'x', owner: { kind: 'organization', id: t.orgX.id } }, ['owner.id']],
      [{ description: 'x', owner: { kind: 'user', id: t.users.intakeB.id } }, ['owner.id']],
      [{ description: 'x', goalId: foreignGoal.body.id, owner: { kind: 'client' } }, ['goalId']],
      [{ description: 'x', owner: { kind: 'robot' }, dueDate: 'morgen' }, ['dueDate', 'owner.kind']],
      [{ owner: { kind: 'client' } }, ['description']],
    ];
    for (const [body, fields] of badActions) {
      const res = await caregiverA.post(`/api/care-plans/${id}/actions`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(res), JSON.stringify(body)).toEqual(fields);
    }
    expect(await count('care_plan_actions')).toBe(actionsBefore);
    const member = await caregiverA.post(`/api/care-plans/${id}/team`, { kind: 'support-person' });
    expect(member.statusCode).toBe(400);
    expect(member.body.errors).toEqual([expect.objectContaining({ field: 'name', code: 'required' })]);
  });

  it('two people editing the same goal at the same moment: one change is kept, the other gets 409 with the current goal', async () => {
    const { id } = await plan();
    const goalId = (await caregiverA.post(`/api/care-plans/${id}/goals`, { description: 'Beter slapen' })).body.id;
    const [a, b] = await Promise.all([
      caregiverA.patch(`/api/care-plans/${id}/goals/${goalId}`, { version: 1, professionalWording: 'Slaaphygiëne' }),
      teamLeadA.patch(`/api/care-plans/${id}/goals/${goalId}`, { version: 1, status: 'active' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const [won, lost] = a.statusCode === 200 ? [a, b] : [b, a];
    expect(lost.body.errors[0]).toMatchObject({ field: 'version', code: 'version-conflict' });
    // the refused one gets the goal as it is now, so it can be merged by hand
    expect(lost.body.current).toMatchObject({ id: goalId, version: 2 });
    expect(lost.body.current).toEqual(won.body);
    const goal = (await caregiverA.get(`/api/care-plans/${id}`)).body.goals[0];
    expect(goal.version).toBe(2);
    // the loser redoes its change on top of the current version: both changes are now in
    const retry =
      won === a
        ? await teamLeadA.patch(`/api/care-plans/${id}/goals/${goalId}`, { version: 2, status: 'active' })
        : await caregiverA.patch(`/api/care-plans/${id}/goals/${goalId}`, {
            version: 2,
            professionalWording: 'Slaaphygiëne',
          });
    expect(retry.statusCode, retry.raw).toBe(200);
    expect(retry.body).toMatchObject({ status: 'active', professionalWording: 'Slaaphygiëne', version: 3 });
    // a status may not jump back from proposed-only states arbitrarily
    const bad = await caregiverA.patch(`/api/care-plans/${id}/goals/${goalId}`, { version: 3, status: 'proposed' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'status', code: 'transition-not-allowed' });
  });

  it('the coordinator role is handed over and the handover is recorded', async () => {
    const { id } = await plan();
    const member = await caregiverA.post(`/api/care-plans/${id}/team`, {
      kind: 'caregiver',
      userId: t.users.teamLeadA.id,
      role: 'casemanager',
    });
    expect(member.statusCode, member.raw).toBe(201);
    const res = await caregiverA.post(`/api/care-plans/${id}/coordinator`, {
      memberId: member.body.id,
      reason: 'Vertrek met verlof',
    });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.coordinatorMemberId).toBe(member.body.id);
    expect(res.body.coordinatorHandoverReason).toBe('Vertrek met verlof');
    expect((await caregiverA.get(`/api/care-plans/${id}`)).body.coordinatorHandoverReason).toBe('Vertrek met verlof');
    const history = await caregiverA.get(`/api/care-plans/${id}/history`);
    expect(history.statusCode, history.raw).toBe(200);
    expect(history.body.items[0]).toMatchObject({
      entity: 'plan',
      operation: 'update',
      fields: ['coordinator_handover_reason', 'coordinator_member_id'],
      actorDisplayName: 'Test caregiver',
    });
    const person = res.body.team.find((m: { kind: string }) => m.kind === 'person');
    const refused = await caregiverA.post(`/api/care-plans/${id}/coordinator`, { memberId: person.id });
    expect(refused.statusCode).toBe(400);
  });
});

describe('who sees the plan', () => {
  it('roles: org admins and network roles get 403; every organisation role may read and write', async () => {
    const { id, clientId } = await plan();
    const analyst = await login(world, t.users.analyst.email);
    const networkAdmin = await login(world, t.users.networkAdmin.email);
    for (const caller of [adminA, analyst, networkAdmin]) {
      expect((await caller.get(`/api/care-plans/${id}`)).statusCode).toBe(403);
      expect((await caller.get(`/api/clients/${clientId}/care-plan`)).statusCode).toBe(403);
      expect((await caller.post(`/api/care-plans/${id}/goals`, { description: 'x' })).statusCode).toBe(403);
    }
    for (const caller of [intakeA, caregiverA, teamLeadA]) {
      expect((await caller.get(`/api/care-plans/${id}`)).statusCode).toBe(200);
      expect((await caller.post(`/api/care-plans/${id}/goals`, { description: 'Doel' })).statusCode).toBe(201);
    }
  });

  it('another organisation or network: 404 for the plan and its parts, nothing changed', async () => {
    const { id } = await plan();
    const goalId = (await caregiverA.post(`/api/care-plans/${id}/goals`, { description: 'Eigen doel' })).body.id;
    for (const caller of [intakeB, coordinatorB, intakeX]) {
      expect((await caller.get(`/api/care-plans/${id}`)).statusCode).toBe(404);
      expect((await caller.get(`/api/care-plans/${id}/history`)).statusCode).toBe(404);
      expect((await caller.post(`/api/care-plans/${id}/goals`, { description: 'x' })).statusCode).toBe(404);
      expect(
        (await caller.patch(`/api/care-plans/${id}/goals/${goalId}`, { version: 1, status: 'active' })).statusCode,
      ).toBe(404);
    }
    expect((await caregiverA.get(`/api/care-plans/${id}`)).body.goals[0]).toMatchObject({
      status: 'proposed',
      version: 1,
    });
  });

  it('a record registered from a referral is linked to the sender’s; the receiver sees the plan only with a care-plan consent, and 404 at once after withdrawal', async () => {
    const { senderClient, receiverClient, referralId } = await referredPerson();
    const links = await world.owner
      .selectFrom('client_links')
      .selectAll()
      .where('referral_id', '=', referralId)
      .execute();
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({
      client_id: receiverClient,
      other_client_id: senderClient,
      organization_id: t.orgB.id,
      other_organization_id: t.orgA.id,
      kind: 'referral',
    });
    const { id } = await plan(intakeA, senderClient);
    await intakeA.post(`/api/care-plans/${id}/goals`, { description: 'Rust in mijn hoofd' });
    // linked, but no consent for the care plan: the receiver does not see it, and may not make a second one
    expect((await intakeB.get(`/api/clients/${receiverClient}/care-plan`)).statusCode).toBe(404);
    expect((await intakeB.get(`/api/care-plans/${id}`)).statusCode).toBe(404);
    const second = await intakeB.post('/api/care-plans', { clientId: receiverClient });
    expect(second.statusCode).toBe(409);
    expect(second.body.errors[0]).toMatchObject({ code: 'care-plan-exists' });
    // the person agrees that the CGG shares the plan
    const consentId = await carePlanConsent(intakeA, senderClient, t.orgB.id);
    const shared = await intakeB.get(`/api/clients/${receiverClient}/care-plan`);
    expect(shared.statusCode, shared.raw).toBe(200);
    expect(shared.body).toMatchObject({ id, ownPlan: false, myClientIds: [receiverClient], clientId: senderClient });
    expect(shared.body.goals.map((g: { description: string }) => g.description)).toEqual(['Rust in mijn hoofd']);
    // a shared plan is worked on together
    const goal = await intakeB.post(`/api/care-plans/${id}/goals`, { description: 'Medicatie bespreken' });
    expect(goal.statusCode, goal.raw).toBe(201);
    // linking does not open the sender's client record
    expect((await intakeB.get(`/api/clients/${senderClient}`)).statusCode).toBe(404);
    // the read is in the receiver's access history of its own record
    const log = await world.owner
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('organization_id', '=', t.orgB.id)
      .where('entity_id', '=', id)
      .where('action', '=', 'care-plan.read')
      .where('outcome', '=', 'success')
      .execute();
    expect(log.map((r) => (r.details as { clientId: string }).clientId)).toContain(receiverClient);
    // withdrawal hides it at once
    const withdrawn = await intakeA.post(`/api/consents/${consentId}/withdraw`, { note: 'Wil het niet meer' });
    expect(withdrawn.statusCode, withdrawn.raw).toBe(200);
    expect((await intakeB.get(`/api/clients/${receiverClient}/care-plan`)).statusCode).toBe(404);
    expect((await intakeB.get(`/api/care-plans/${id}`)).statusCode).toBe(404);
    expect((await intakeB.post(`/api/care-plans/${id}/goals`, { description: 'x' })).statusCode).toBe(404);
    // the maker still sees both goals
    expect((await intakeA.get(`/api/care-plans/${id}`)).body.goals).toHaveLength(2);
  });

  it("a partner's reads of the shared plan show in the maker's access history of its record (organisation and role, not the user) and in the partner's own", async () => {
    const { senderClient, receiverClient } = await referredPerson();
    const { id } = await plan(intakeA, senderClient);
    const consentId = await carePlanConsent(intakeA, senderClient, t.orgB.id);
    const teamLeadB = await login(
      world,
      (await makeUser(world, { role: 'team-lead', networkId: t.network.id, organizationId: t.orgB.id })).email,
    );
    const orgB = await world.owner
      .selectFrom('organizations')
      .select('name')
      .where('id', '=', t.orgB.id)
      .executeTakeFirstOrThrow();
    // the partner reads the plan four ways, and changes it once
    expect((await intakeB.get(`/api/clients/${receiverClient}/care-plan`)).statusCode).toBe(200);
    expect((await intakeB.get(`/api/care-plans/${id}`)).statusCode).toBe(200);
    expect((await intakeB.get(`/api/care-plans/${id}/history`)).statusCode).toBe(200);
    expect((await intakeB.get(`/api/care-plans/${id}/fhir`)).statusCode).toBe(200);
    expect((await intakeB.post(`/api/care-plans/${id}/goals`, { description: 'Samen koken' })).statusCode).toBe(201);
    type Entry = {
      action: string;
      userDisplayName: string | null;
      organizationName: string | null;
      role: string | null;
      refusedAttempt: boolean;
      sharedAccess: boolean;
    };
    const makerLog = await teamLeadA.get(`/api/clients/${senderClient}/access-log`);
    expect(makerLog.statusCode, makerLog.raw).toBe(200);
    const shared = (makerLog.body.items as Entry[]).filter((e) => e.sharedAccess);
    expect(shared.map((e) => e.action).sort()).toEqual(
      ['care-plan.fhir', 'care-plan.goal.create', 'care-plan.history', 'care-plan.read', 'care-plan.read'].sort(),
    );
    for (const e of shared)
      expect(e).toEqual({
        at: expect.any(String),
        action: e.action,
        userDisplayName: null,
        organizationName: orgB.name,
        role: 'intake-worker',
        refusedAttempt: false,
        sharedAccess: true,
      });
    // the maker's own reads stay its own, named by user
    const own = (makerLog.body.items as Entry[]).filter((e) => !e.sharedAccess && e.action === 'care-plan.create');
    expect(own).toHaveLength(1);
    expect(own[0]!.userDisplayName).not.toBeNull();
    // the same rows in the maker's audit trail: another organisation's access, not a refused attempt
    const audit = await adminA.get(`/api/audit?entityType=care-plan&entityId=${id}&limit=200`);
    expect(audit.statusCode, audit.raw).toBe(200);
    const foreign = (audit.body.items as { sharedAccessBy: string | null; attemptBy: string | null }[]).filter(
      (e) => e.sharedAccessBy !== null,
    );
    expect(foreign).toHaveLength(5);
    expect(foreign.every((e) => e.sharedAccessBy === orgB.name && e.attemptBy === null)).toBe(true);
    // the partner's own access history of its record has its reads, by user; nothing of the maker's
    const partnerLog = await teamLeadB.get(`/api/clients/${receiverClient}/access-log`);
    expect(partnerLog.statusCode, partnerLog.raw).toBe(200);
    const partnerReads = (partnerLog.body.items as Entry[]).filter((e) => e.action.startsWith('care-plan.'));
    expect(partnerReads.length).toBeGreaterThanOrEqual(5);
    expect(partnerReads.every((e) => !e.sharedAccess && e.userDisplayName !== null)).toBe(true);
    expect(partnerReads.some((e) => e.action === 'care-plan.create')).toBe(false);
    // the rows carry no more than the maker's own ids: no user, no record of the partner
    const rows = await world.owner
      .selectFrom('audit_log')
      .select(['actor_user_id', 'details', 'foreign_organization_id', 'ip', 'user_agent'])
      .where('organization_id', '=', t.orgA.id)
      .where('foreign_organization_id', '=', t.orgB.id)
      .where('entity_id', '=', id)
      .execute();
    expect(rows).toHaveLength(5);
    for (const r of rows) {
      expect(r).toMatchObject({ actor_user_id: null, ip: null, user_agent: null });
      expect(r.details).toEqual({ clientId: senderClient, carePlanId: id });
    }
    // after withdrawal the partner gets 404 and the maker's history gains no read
    await intakeA.post(`/api/consents/${consentId}/withdraw`, { note: 'Liever niet meer' });
    expect((await intakeB.get(`/api/care-plans/${id}`)).statusCode).toBe(404);
    const after = await teamLeadA.get(`/api/clients/${senderClient}/access-log`);
    expect((after.body.items as Entry[]).filter((e) => e.sharedAccess)).toHaveLength(5);
  });

  it("the function that writes the maker's row refuses a plan the caller may not see, and an action that is not a care-plan one", async () => {
    const { id } = await plan(intakeA, await client(intakeA, 'Onzichtbaar'));
    const { sql } = await import('kysely');
    const call = (action: string, org: string) =>
      world.owner.transaction().execute(async (trx) => {
        await sql`set local role kortelijn_app`.execute(trx);
        await sql`select set_config('app.org_id', ${org}, true), set_config('app.network_id', ${t.network.id}, true),
                         set_config('app.role', 'intake-worker', true)`.execute(trx);
        await sql`select kl_record_care_plan_access(${id}::uuid, ${action}, null)`.execute(trx);
      });
    await expect(call('care-plan.read', t.orgB.id)).rejects.toThrow(/not shared with the caller/);
    await expect(call('client.read', t.orgB.id)).rejects.toThrow(/not a care-plan action/);
    // the maker's own call writes nothing (its own row says it all)
    await call('care-plan.read', t.orgA.id);
    const written = await world.owner
      .selectFrom('audit_log')
      .select('id')
      .where('entity_id', '=', id)
      .where('foreign_organization_id', 'is not', null)
      .execute();
    expect(written).toEqual([]);
  });

  it('a consent without the care-plan category, or for another organisation, shares nothing', async () => {
    const { senderClient, receiverClient } = await referredPerson();
    const { id } = await plan(intakeA, senderClient);
    await intakeA.post('/api/consents', {
      clientId: senderClient,
      purpose: 'referral',
      recipientOrganizationId: t.orgB.id,
      categories: ['contact', 'screening-results'],
      method: 'verbal',
    });
    expect((await intakeB.get(`/api/care-plans/${id}`)).statusCode).toBe(404);
    expect((await intakeB.get(`/api/clients/${receiverClient}/care-plan`)).statusCode).toBe(404);
  });
});

describe('linking records by hand', () => {
  it('two records of one organisation with the same INSZ: a hint, never a merge; link, find the plan, unlink, all recorded', async () => {
    const valid = makeInsz('1988-04-04', 123);
    const first = await client(caregiverA, 'Dubbel', { insz: valid });
    const second = await client(caregiverA, 'Dubbel', { insz: valid, givenName: 'Mirra' });
    const { id } = await plan(caregiverA, first);
    expect((await caregiverA.get(`/api/clients/${second}/care-plan`)).statusCode).toBe(404);
    const listed = await caregiverA.get(`/api/clients/${second}/links`);
    expect(listed.statusCode, listed.raw).toBe(200);
    expect(listed.body.items).toEqual([]);
    expect(listed.body.candidates).toEqual([
      expect.objectContaining({
        clientId: first,
        hint: 'same-insz',
        organizationId: t.orgA.id,
        displayName: 'Mira Dubbel',
      }),
    ]);
    // nothing was merged: still no plan from the second record, still two records
    expect((await caregiverA.get(`/api/clients/${second}`)).body.givenName).toBe('Mirra');
    const link = await caregiverA.post('/api/client-links', {
      clientId: second,
      otherClientId: first,
      note: 'Zelfde persoon',
    });
    expect(link.statusCode, link.raw).toBe(201);
    expect((await caregiverA.post('/api/client-links', { clientId: first, otherClientId: second })).statusCode).toBe(
      409,
    );
    const found = await caregiverA.get(`/api/clients/${second}/care-plan`);
    expect(found.statusCode, found.raw).toBe(200);
    expect(found.body.id).toBe(id);
    expect(found.body.myClientIds.sort()).toEqual([first, second].sort());
    // a second plan on the linked record is refused
    expect((await caregiverA.post('/api/care-plans', { clientId: second })).statusCode).toBe(409);
    const unlinked = await caregiverA.post(`/api/client-links/${link.body.id}/unlink`, {
      reason: 'Toch niet dezelfde',
    });
    expect(unlinked.statusCode, unlinked.raw).toBe(200);
    expect(unlinked.body).toMatchObject({ unlinkReason: 'Toch niet dezelfde', kind: 'manual' });
    expect(unlinked.body.unlinkedAt).not.toBeNull();
    expect((await caregiverA.get(`/api/clients/${second}/care-plan`)).statusCode).toBe(404);
    expect((await caregiverA.post(`/api/client-links/${link.body.id}/unlink`, { reason: 'x' })).statusCode).toBe(409);
    const audit = await world.owner
      .selectFrom('audit_log')
      .select('action')
      .where('organization_id', '=', t.orgA.id)
      .where('entity_id', '=', second)
      .where('outcome', '=', 'success')
      .execute();
    expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['client.link', 'client.unlink']));
    const history = await caregiverA.get(`/api/clients/${second}/links`);
    expect(history.body.items).toEqual([expect.objectContaining({ id: link.body.id, note: 'Zelfde persoon' })]);
  });

  it('refuses a record of another organisation that no referral connects, and two people who each have a plan', async () => {
    const mine = await client();
    const theirs = await client(intakeB, 'Vreemd');
    const refused = await caregiverA.post('/api/client-links', { clientId: mine, otherClientId: theirs });
    expect(refused.statusCode).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'otherClientId', code: 'link-not-allowed' });
    expect((await caregiverA.post('/api/client-links', { clientId: mine, otherClientId: mine })).statusCode).toBe(400);
    const a = await plan();
    const b = await plan();
    const before = await count('client_links');
    const both = await caregiverA.post('/api/client-links', { clientId: a.clientId, otherClientId: b.clientId });
    expect(both.statusCode).toBe(409);
    expect(both.body.errors[0]).toMatchObject({ code: 'care-plans-both' });
    expect(await count('client_links')).toBe(before);
    // the other organisation cannot unlink or list what is not its own
    const link = await caregiverA.post('/api/client-links', { clientId: mine, otherClientId: a.clientId });
    expect(link.statusCode, link.raw).toBe(201);
    expect((await intakeB.post(`/api/client-links/${link.body.id}/unlink`, { reason: 'x' })).statusCode).toBe(404);
    expect((await intakeB.get(`/api/clients/${mine}/links`)).statusCode).toBe(404);
  });
});

describe('history', () => {
  it('every change keeps who and what; ?asOf= shows the plan as it was on that date', async () => {
    const { id } = await plan();
    const goalId = (await caregiverA.post(`/api/care-plans/${id}/goals`, { description: 'Eerste woorden' })).body.id;
    // move everything so far ten days back, as if it had been written then
    await world.owner
      .updateTable('care_plan_changes')
      .set((eb) => ({ at: eb.fn<Date>('date_subtract', [eb.ref('at'), eb.val('10 days'), eb.val('UTC')]) }))
      .where('care_plan_id', '=', id)
      .execute()
      .catch(async () => {
        // PostgreSQL before 16 has no date_subtract
        await world.owner
          .updateTable('care_plan_changes')
          .set({ at: new Date(Date.now() - 10 * 86_400_000) })
          .where('care_plan_id', '=', id)
          .execute();
      });
    const edited = await teamLeadA.patch(`/api/care-plans/${id}/goals/${goalId}`, {
      version: 1,
      description: 'Nieuwe woorden',
      status: 'active',
    });
    expect(edited.statusCode, edited.raw).toBe(200);
    const day = (n: number) => brusselsDate(new Date(Date.now() - n * 86_400_000));
    const then = await caregiverA.get(`/api/care-plans/${id}?asOf=${day(5)}`);
    expect(then.statusCode, then.raw).toBe(200);
    expect(then.body.asOf).toBe(day(5));
    expect(then.body.goals).toEqual([
      expect.objectContaining({ id: goalId, description: 'Eerste woorden', status: 'proposed', version: 1 }),
    ]);
    const now = await caregiverA.get(`/api/care-plans/${id}`);
    expect(now.body.goals[0]).toMatchObject({ description: 'Nieuwe woorden', status: 'active', version: 2 });
    // before the plan existed: 404
    expect((await caregiverA.get(`/api/care-plans/${id}?asOf=${day(30)}`)).statusCode).toBe(404);
    expect((await caregiverA.get(`/api/care-plans/${id}?asOf=gisteren`)).statusCode).toBe(400);
    const history = (await caregiverA.get(`/api/care-plans/${id}/history`)).body.items;
    expect(history[0]).toMatchObject({
      entity: 'goal',
      entityId: goalId,
      operation: 'update',
      fields: ['person_words', 'status'],
      actorDisplayName: 'Test team-lead',
    });
    expect(history.map((h: { entity: string; operation: string }) => `${h.entity}.${h.operation}`)).toEqual(
      expect.arrayContaining(['plan.insert', 'member.insert', 'goal.insert', 'goal.update']),
    );
  });
});

describe('evaluations', () => {
  it('continue: progress per goal and what the person says; the next evaluation moves on by the interval', async () => {
    const { id } = await plan();
    const goalId = (await caregiverA.post(`/api/care-plans/${id}/goals`, { description: 'Weer slapen' })).body.id;
    const res = await caregiverA.post(`/api/care-plans/${id}/evaluations`, {
      decision: 'continue',
      note: 'Goede vooruitgang',
      personSays: 'Ik slaap al beter, drie nachten per week.',
      evaluatedOn: '2026-11-30',
      goals: [{ goalId, progress: 6, note: 'Slaapdagboek helpt' }],
    });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body).toMatchObject({
      decision: 'continue',
      planStatus: 'active',
      nextEvaluationOn: '2027-02-28',
      revision: null,
      step: null,
    });
    const detail = (await caregiverA.get(`/api/care-plans/${id}`)).body;
    expect(detail.evaluations).toEqual([
      expect.objectContaining({
        id: res.body.id,
        evaluatedOn: '2026-11-30',
        personSays: 'Ik slaap al beter, drie nachten per week.',
        goals: [{ goalId, progress: 6, note: 'Slaapdagboek helpt' }],
      }),
    ]);
    expect(detail.goals[0].lastProgress).toBe(6);
    expect(detail.nextEvaluationOn).toBe('2027-02-28');
  });

  it('step up: a dated revision with reason and the latest screening scores; the answer names the new level for matching and the referral', async () => {
    const clientId = await client(intakeA, 'Opschalen');
    const help = await intakeA.post('/api/help-requests', {
      clientId,
      story: 'Eenzaam',
      themes: ['loneliness'],
      urgency: 'routine',
    });
    expect(help.statusCode, help.raw).toBe(201);
    const screening = await intakeA.post(`/api/help-requests/${help.body.id}/screenings`, {
      instrument: 'k10',
      answers: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`q${i + 1}`, 'meestal'])),
    });
    expect(screening.statusCode, screening.raw).toBe(201);
    const created = await intakeA.post('/api/care-plans', { clientId, careLevel: 'basic' });
    expect(created.statusCode, created.raw).toBe(201);
    const id = created.body.id as string;
    const goalId = (await intakeA.post(`/api/care-plans/${id}/goals`, { description: 'Minder alleen zijn' })).body.id;
    const res = await intakeA.post(`/api/care-plans/${id}/evaluations`, {
      decision: 'step-up',
      note: 'Klachten nemen toe',
      reason: 'K10 hoog, basiszorg volstaat niet meer',
      goals: [{ goalId, progress: 2 }],
    });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body.step).toEqual({
      direction: 'up',
      fromLevel: 'basic',
      toLevel: 'specialised',
      clientId,
      helpRequestId: help.body.id,
    });
    expect(res.body.revision).toMatchObject({
      kind: 'step-up',
      fromLevel: 'basic',
      toLevel: 'specialised',
      reason: 'K10 hoog, basiszorg volstaat niet meer',
    });
    expect(res.body.revision.screenings).toEqual([
      expect.objectContaining({ instrumentId: 'k10', score: screening.body.score }),
    ]);
    const detail = (await intakeA.get(`/api/care-plans/${id}`)).body;
    expect(detail.careLevel).toBe('specialised');
    expect(detail.revisions).toHaveLength(1);
    // and down again
    const down = await intakeA.post(`/api/care-plans/${id}/evaluations`, {
      decision: 'step-down',
      note: 'Stabiel',
      goals: [],
    });
    expect(down.statusCode, down.raw).toBe(201);
    expect(down.body.step).toMatchObject({ direction: 'down', fromLevel: 'specialised', toLevel: 'basic' });
    expect(down.body.revision.reason).toBe('Stabiel');
  });

  it('a case conference records who was present; close ends the plan and later changes are refused', async () => {
    const { id } = await plan();
    const team = (await caregiverA.get(`/api/care-plans/${id}`)).body.team as { id: string; kind: string }[];
    const missing = await caregiverA.post(`/api/care-plans/${id}/evaluations`, {
      decision: 'continue',
      note: 'Knelpuntoverleg',
      caseConference: true,
      goals: [],
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body.errors[0]).toMatchObject({ field: 'presentMemberIds', code: 'present-required' });
    const conference = await caregiverA.post(`/api/care-plans/${id}/evaluations`, {
      decision: 'close',
      note: 'Doelen bereikt',
      caseConference: true,
      presentMemberIds: team.map((m) => m.id),
      goals: [],
    });
    expect(conference.statusCode, conference.raw).toBe(201);
    expect(conference.body).toMatchObject({ planStatus: 'closed', nextEvaluationOn: null, step: null });
    const detail = (await caregiverA.get(`/api/care-plans/${id}`)).body;
    expect(detail).toMatchObject({ status: 'closed', evaluationDue: false });
    expect(detail.evaluations[0]).toMatchObject({ caseConference: true, presentMemberIds: team.map((m) => m.id) });
    const after = await caregiverA.post(`/api/care-plans/${id}/goals`, { description: 'Nog iets' });
    expect(after.statusCode).toBe(409);
    expect(after.body.errors[0]).toMatchObject({ code: 'care-plan-closed' });
    // a closed plan no longer counts: the person may get a new one
    expect((await caregiverA.post('/api/care-plans', { clientId: detail.clientId })).statusCode).toBe(201);
  });

  it('bad input: 400 field by field, nothing stored', async () => {
    const { id } = await plan();
    const other = await plan();
    const foreignGoal = (await caregiverA.post(`/api/care-plans/${other.id}/goals`, { description: 'x' })).body.id;
    const res = await caregiverA.post(`/api/care-plans/${id}/evaluations`, {
      decision: 'maybe',
      note: '',
      goals: [{ goalId: foreignGoal, progress: 11 }],
      evaluatedOn: '2999-01-01',
    });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(['decision', 'goals.0.progress', 'note']);
    const semantic = await caregiverA.post(`/api/care-plans/${id}/evaluations`, {
      decision: 'continue',
      note: 'x',
      goals: [{ goalId: foreignGoal, progress: 5 }],
      evaluatedOn: '2999-01-01',
      presentMemberIds: [foreignGoal],
    });
    expect(semantic.statusCode).toBe(400);
    expect(fieldsOf(semantic)).toEqual(['evaluatedOn', 'goals.0.goalId', 'presentMemberIds.0']);
    const crisis = await caregiverA.post('/api/care-plans', { clientId: await client(), careLevel: 'crisis' });
    const top = await caregiverA.post(`/api/care-plans/${crisis.body.id}/evaluations`, {
      decision: 'step-up',
      note: 'x',
      goals: [],
    });
    expect(top.statusCode).toBe(400);
    expect(top.body.errors[0]).toMatchObject({ field: 'decision', code: 'no-higher-level' });
    const rows = await world.owner
      .selectFrom('care_plan_evaluations')
      .select('id')
      .where('care_plan_id', 'in', [id, crisis.body.id])
      .execute();
    expect(rows).toEqual([]);
  });
});

describe('closed plans stay findable', () => {
  it("GET /api/care-plans?clientId= lists the person's plans I may see, open and closed; a new plan may follow a closed one", async () => {
    const { senderClient, receiverClient } = await referredPerson();
    const { id: first } = await plan(intakeA, senderClient);
    const closed = await intakeA.post(`/api/care-plans/${first}/evaluations`, {
      decision: 'close',
      note: 'Doelen bereikt',
      goals: [],
    });
    expect(closed.statusCode, closed.raw).toBe(201);
    const list = (caller: Caller, clientId: string) => caller.get(`/api/care-plans?clientId=${clientId}`);
    const once = await list(intakeA, senderClient);
    expect(once.statusCode, once.raw).toBe(200);
    expect(once.body.items).toEqual([
      { id: first, status: 'closed', createdAt: expect.any(String), closedOn: expect.any(String) },
    ]);
    // the current plan is gone from /clients/{id}/care-plan, the closed one is still read (read-only) by id
    expect((await intakeA.get(`/api/clients/${senderClient}/care-plan`)).statusCode).toBe(404);
    expect((await intakeA.get(`/api/care-plans/${first}`)).body).toMatchObject({ id: first, status: 'closed' });

    // a new plan after the close; a second running one is still refused
    const { id: second } = await plan(intakeA, senderClient);
    const again = await intakeA.post('/api/care-plans', { clientId: senderClient });
    expect(again.statusCode).toBe(409);
    expect(again.body.errors[0]).toMatchObject({ code: 'care-plan-exists' });
    expect((await list(intakeA, senderClient)).body.items.map((p: { id: string; status: string }) => p.status)).toEqual(
      ['active', 'closed'],
    );
    expect((await list(intakeA, senderClient)).body.items[0].id).toBe(second);

    // the partner: nothing without a care-plan consent, both plans (through its own linked record) with one
    expect((await list(intakeB, receiverClient)).body.items).toEqual([]);
    const consentId = await carePlanConsent(intakeA, senderClient, t.orgB.id);
    expect((await list(intakeB, receiverClient)).body.items.map((p: { id: string }) => p.id)).toEqual([second, first]);
    await intakeA.post(`/api/consents/${consentId}/withdraw`, { note: 'Wil het niet meer' });
    expect((await list(intakeB, receiverClient)).body.items).toEqual([]);

    // a record of another organisation: 404; not a uuid or missing: 400 field by field
    expect((await list(intakeB, senderClient)).statusCode).toBe(404);
    const bad = await intakeA.get('/api/care-plans?clientId=nope');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(fieldsOf(bad)).toEqual(['clientId']);
    expect((await intakeA.get('/api/care-plans')).statusCode).toBe(400);
    // audited against the reader's record of the person
    const audited = await world.owner
      .selectFrom('audit_log')
      .select(['organization_id', 'details'])
      .where('action', '=', 'care-plan.list')
      .where('outcome', '=', 'success')
      .where('entity_id', 'in', [senderClient, receiverClient])
      .execute();
    expect(audited.filter((r) => r.organization_id === t.orgA.id)).toHaveLength(3);
    expect(audited.find((r) => r.organization_id === t.orgB.id)?.details).toMatchObject({
      clientId: receiverClient,
    });
  });
});

describe('FHIR', () => {
  it('GET /fhir gives a CarePlan, its Goals and the CareTeam, valid against the FHIR R4 schema, with value-set codes', async () => {
    const { id, clientId } = await plan();
    const goalId = (
      await caregiverA.post(`/api/care-plans/${id}/goals`, {
        description: 'Ik wil terug naar school',
        professionalWording: 'Schoolherintegratie',
        lifeDomain: 'work-school',
        targetDate: '2027-06-30',
      })
    ).body.id;
    await caregiverA.patch(`/api/care-plans/${id}/goals/${goalId}`, { version: 1, status: 'active' });
    await caregiverA.post(`/api/care-plans/${id}/goals`, { description: 'Vrienden zien' });
    const support = await caregiverA.post(`/api/care-plans/${id}/team`, {
      kind: 'support-person',
      name: 'Jan',
      relation: 'buurman',
    });
    await caregiverA.post(`/api/care-plans/${id}/actions`, {
      description: 'Contact met school',
      goalId,
      owner: { kind: 'organization', id: t.orgA.id },
      dueDate: '2027-01-15',
    });
    await caregiverA.post(`/api/care-plans/${id}/actions`, {
      description: 'Samen fietsen',
      owner: { kind: 'support-person', id: support.body.id },
    });
    const res = await caregiverA.get(`/api/care-plans/${id}/fhir`);
    expect(res.statusCode, res.raw).toBe(200);
    const { id: _legacy, ...schema } = JSON.parse(fs.readFileSync(FHIR_SCHEMA, 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addMetaSchema(
      JSON.parse(fs.readFileSync(path.resolve('node_modules/ajv/dist/refs/json-schema-draft-06.json'), 'utf8')),
    );
    ajv.addSchema({ ...schema, $id: 'fhir' });
    const validate = ajv.compile({ $ref: 'fhir#/definitions/Bundle' });
    expect(validate(res.body), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const resources = res.body.entry.map((e: { resource: Record<string, any> }) => e.resource);
    expect(resources.map((r: { resourceType: string }) => r.resourceType)).toEqual([
      'CarePlan',
      'Goal',
      'Goal',
      'CareTeam',
    ]);
    const [carePlan, goal, proposed, careTeam] = resources;
    // the value sets the schema does not check (hl7.org/fhir/R4/valueset-request-status, -care-plan-intent)
    expect(['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown']).toContain(
      carePlan.status,
    );
    expect(['proposal', 'plan', 'order', 'option']).toContain(carePlan.intent);
    expect(carePlan).toMatchObject({
      status: 'active',
      intent: 'plan',
      subject: { reference: `Patient/${clientId}` },
      careTeam: [{ reference: `CareTeam/${careTeam.id}` }],
    });
    expect(carePlan.activity.map((a: { detail: { status: string } }) => a.detail.status)).toEqual([
      'not-started',
      'not-started',
    ]);
    expect(goal).toMatchObject({
      lifecycleStatus: 'active',
      description: { text: 'Ik wil terug naar school' },
      note: [{ text: 'Schoolherintegratie' }],
      target: [{ dueDate: '2027-06-30' }],
    });
    expect(proposed.lifecycleStatus).toBe('proposed');
    expect(
      careTeam.participant.map(
        (p: { member: { reference?: string; display?: string } }) => p.member.reference ?? p.member.display,
      ),
    ).toEqual([`Patient/${clientId}`, `Organization/${t.orgA.id}`, `Practitioner/${t.users.caregiverA.id}`, 'Jan']);
    expect(careTeam.participant[2].role[0].coding[0].code).toBe('coordinator');
    expect((await intakeB.get(`/api/care-plans/${id}/fhir`)).statusCode).toBe(404);
  }, 60_000);
});

// The access matrix of tests/integration/endpoints.test.ts leaves these routes to this suite (as it does the
// trajectory routes to theirs): every one of them, from the OpenAPI document, without a session and without the
// permission; the 404s, bad input and happy paths are the tests above.
describe('every care-plan route', () => {
  const ours = (p: string) =>
    p.startsWith('/api/care-plans') ||
    p.startsWith('/api/client-links') ||
    p === '/api/clients/{id}/care-plan' ||
    p === '/api/clients/{id}/links';
  const routes = async () => {
    const spec = (await world.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, object> }>();
    return Object.entries(spec.paths)
      .filter(([p]) => ours(p))
      .flatMap(([p, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path: p })));
  };
  const fill = (p: string) => p.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');

  it('each answers 401 without a session', async () => {
    const list = await routes();
    expect(list.length).toBeGreaterThanOrEqual(14);
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
