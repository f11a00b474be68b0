/**
 * Network settings: the referral response targets and the stepped-care thresholds, read by the network admin
 * and coordinator, changed by the network admin only, validated field by field, audited with old and new values,
 * and followed by the referral due dates and the matching.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caller, createWorld, login, makeTenants, type Res, type World } from '../support/world.ts';
import { addWorkingDays } from '../../src/server/features/referrals/working-days.ts';

type Tenants = Awaited<ReturnType<typeof makeTenants>>;
type UserKey = keyof Tenants['users'];

let world: World;
let t: Tenants;
const c = {} as Record<UserKey, Caller>;

const URL = '/api/network/settings';
const DEFAULTS = {
  referralTargets: { acuteHours: 4, urgentWorkingDays: 2, routineWorkingDays: 5, firstContactWorkingDays: 10 },
  matchingThresholds: { phq9Specialised: 20, k10Specialised: 30, gad7Specialised: 15 },
};
type Settings = typeof DEFAULTS;
const withChanges = (
  targets: Partial<Settings['referralTargets']> = {},
  thresholds: Partial<Settings['matchingThresholds']> = {},
): Settings => ({
  referralTargets: { ...DEFAULTS.referralTargets, ...targets },
  matchingThresholds: { ...DEFAULTS.matchingThresholds, ...thresholds },
});

const put = (caller: Caller, body: unknown, headers: Record<string, string> = {}) =>
  caller.request('PUT', URL, body, headers);
const stored = (networkId = t.network.id) =>
  world.owner
    .selectFrom('networks')
    .select(['referral_targets', 'intake_settings'])
    .where('id', '=', networkId)
    .executeTakeFirstOrThrow();
const resetStored = () =>
  world.owner
    .updateTable('networks')
    .set({
      referral_targets: JSON.stringify(DEFAULTS.referralTargets),
      intake_settings: JSON.stringify(DEFAULTS.matchingThresholds),
    })
    .where('id', '=', t.network.id)
    .execute();
const auditOf = (requestId: string) =>
  world.owner.selectFrom('audit_log').selectAll().where('request_id', '=', requestId).execute();

function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.raw).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
}
/** PHQ-9 answers with the given total; item 9 (thoughts of death) stays 0, so no risk flag is raised. */
function phq9(total: number): Record<string, number> {
  const answers: Record<string, number> = { q9: 0 };
  let left = total;
  for (let i = 1; i <= 8; i++) {
    const v = Math.min(3, left);
    answers[`q${i}`] = v;
    left -= v;
  }
  return answers;
}
function createdId(res: Res): string {
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  for (const key of Object.keys(t.users) as UserKey[]) c[key] = await login(world, t.users[key].email);
});
afterAll(() => world?.close());

describe('who may read and change the network settings', () => {
  it('answers 401 without a session, for reading and changing', async () => {
    const anonymous = new Caller(world.app);
    expectProblem(await anonymous.get(URL), 401, 'unauthenticated');
    expectProblem(await put(anonymous, withChanges({ routineWorkingDays: 3 })), 401, 'unauthenticated');
    expect((await stored()).referral_targets).toEqual(DEFAULTS.referralTargets);
  });

  it.each(['intakeA', 'caregiverA', 'teamLeadA', 'adminA', 'adminB', 'analyst'] as const)(
    'refuses %s with 403 (read and change), audited as denied',
    async (who) => {
      const read = await c[who].get(URL, { 'x-request-id': `ns-read-${who}-${Date.now()}` });
      expectProblem(read, 403, 'forbidden');
      const change = await c[who].request('PUT', URL, withChanges({ routineWorkingDays: 3 }), {
        'x-request-id': `ns-put-${who}-${Date.now()}`,
      });
      expectProblem(change, 403, 'forbidden');
      const rows = await auditOf(change.body.requestId);
      expect(rows).toEqual([
        expect.objectContaining({
          outcome: 'denied',
          action: 'network.settings.update',
          actor_user_id: t.users[who].id,
        }),
      ]);
      expect((await stored()).referral_targets).toEqual(DEFAULTS.referralTargets);
    },
  );

  it('lets the network coordinator read but not change', async () => {
    const read = await c.networkCoordinator.get(URL);
    expect(read.statusCode, read.raw).toBe(200);
    expect(read.body).toMatchObject({ ...DEFAULTS, defaults: DEFAULTS });
    expectProblem(await put(c.networkCoordinator, withChanges({ acuteHours: 8 })), 403, 'forbidden');
    expect((await stored()).referral_targets).toEqual(DEFAULTS.referralTargets);
  });

  it('gives the network admin the settings with their defaults and ranges', async () => {
    const res = await c.networkAdmin.get(URL);
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      ...DEFAULTS,
      defaults: DEFAULTS,
      limits: {
        acuteHours: { min: 1, max: 72, unit: 'hours' },
        urgentWorkingDays: { min: 1, max: 60, unit: 'working-days' },
        routineWorkingDays: { min: 1, max: 60, unit: 'working-days' },
        firstContactWorkingDays: { min: 1, max: 60, unit: 'working-days' },
        phq9Specialised: { min: 1, max: 27, unit: 'score' },
        k10Specialised: { min: 11, max: 50, unit: 'score' },
        gad7Specialised: { min: 1, max: 21, unit: 'score' },
      },
    });
  });
});

describe('bad input: 400 with a message per field, nothing changed', () => {
  const errorsOf = (res: Res) => res.body.errors as { field: string; code: string; message: string }[];

  it('reports every value out of range, in Dutch by default and in English on request', async () => {
    const body = withChanges(
      { acuteHours: 0, urgentWorkingDays: 61, routineWorkingDays: 3 },
      { phq9Specialised: 28, k10Specialised: 10, gad7Specialised: 0 },
    );
    const res = await put(c.networkAdmin, body, { 'x-request-id': `ns-bad-${Date.now()}` });
    expectProblem(res, 400, 'validation');
    const errors = errorsOf(res);
    expect(errors.map((e) => e.field).sort()).toEqual([
      'matchingThresholds.gad7Specialised',
      'matchingThresholds.k10Specialised',
      'matchingThresholds.phq9Specialised',
      'referralTargets.acuteHours',
      'referralTargets.urgentWorkingDays',
    ]);
    expect(errors.every((e) => e.code === 'out-of-range')).toBe(true);
    expect(errors.find((e) => e.field === 'referralTargets.acuteHours')!.message).toBe(
      'Geef een geheel getal van 1 tot en met 72 (uren).',
    );
    expect(errors.find((e) => e.field === 'matchingThresholds.k10Specialised')!.message).toBe(
      'Geef een geheel getal van 11 tot en met 50 (score).',
    );
    expect(await auditOf(res.body.requestId)).toEqual([
      expect.objectContaining({ outcome: 'invalid', action: 'network.settings.update' }),
    ]);

    const english = await put(c.networkAdmin, body, { 'accept-language': 'en' });
    expectProblem(english, 400, 'validation');
    expect(errorsOf(english).find((e) => e.field === 'referralTargets.urgentWorkingDays')!.message).toBe(
      'Enter a whole number from 1 to 60 (working days).',
    );
    expect(errorsOf(english).find((e) => e.field === 'matchingThresholds.phq9Specialised')!.message).toBe(
      'Enter a whole number from 1 to 27 (score).',
    );

    // the valid routine value in the same body was not stored either
    expect(await stored()).toEqual({
      referral_targets: DEFAULTS.referralTargets,
      intake_settings: DEFAULTS.matchingThresholds,
    });
  });

  it('refuses text, fractions, missing and unknown fields (strict schema)', async () => {
    const res = await put(c.networkAdmin, {
      referralTargets: {
        acuteHours: '4',
        urgentWorkingDays: 2.5,
        routineWorkingDays: 5,
        firstContactWorkingDays: 10,
        weekendHours: 1,
      },
      matchingThresholds: { phq9Specialised: 20, k10Specialised: 30 },
      colour: 'red',
    });
    expectProblem(res, 400, 'validation');
    const errors = errorsOf(res);
    for (const e of errors) expect(e.message).toMatch(/\S/);
    const has = (field: string, code?: string) => errors.some((e) => e.field === field && (!code || e.code === code));
    expect(has('referralTargets.acuteHours', 'type')).toBe(true);
    expect(has('referralTargets.urgentWorkingDays', 'type')).toBe(true);
    expect(has('referralTargets.weekendHours', 'unknown-field')).toBe(true);
    expect(has('matchingThresholds.gad7Specialised', 'required')).toBe(true);
    expect(has('colour', 'unknown-field')).toBe(true);
    expectProblem(await put(c.networkAdmin, { referralTargets: DEFAULTS.referralTargets }), 400, 'validation');
    expect(await stored()).toEqual({
      referral_targets: DEFAULTS.referralTargets,
      intake_settings: DEFAULTS.matchingThresholds,
    });
  });
});

describe('changing the settings', () => {
  it('stores the exact keys, answers the new settings, and audits old and new values in the same transaction', async () => {
    const body = withChanges({ acuteHours: 6, firstContactWorkingDays: 15 }, { k10Specialised: 25 });
    const requestId = `ns-happy-${Date.now()}`;
    const res = await put(c.networkAdmin, body, { 'x-request-id': requestId });
    try {
      expect(res.statusCode, res.raw).toBe(200);
      expect(res.body).toMatchObject({ ...body, defaults: DEFAULTS });
      expect(await stored()).toEqual({
        referral_targets: body.referralTargets,
        intake_settings: body.matchingThresholds,
      });
      // the coordinator sees it too; another network keeps its own
      expect((await c.networkCoordinator.get(URL)).body).toMatchObject(body);
      expect((await c.networkAdminX.get(URL)).body).toMatchObject(DEFAULTS);
      expect(await stored(t.otherNetwork.id)).toEqual({
        referral_targets: DEFAULTS.referralTargets,
        intake_settings: DEFAULTS.matchingThresholds,
      });

      const rows = await auditOf(requestId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        action: 'network.settings.update',
        outcome: 'success',
        entity_type: 'network',
        entity_id: t.network.id,
        actor_user_id: t.users.networkAdmin.id,
        role: 'network-admin',
        network_id: t.network.id,
        organization_id: null,
      });
      const details = typeof rows[0]!.details === 'string' ? JSON.parse(rows[0]!.details) : rows[0]!.details;
      expect(details).toEqual({
        'old.acuteHours': 4,
        'new.acuteHours': 6,
        'old.urgentWorkingDays': 2,
        'new.urgentWorkingDays': 2,
        'old.routineWorkingDays': 5,
        'new.routineWorkingDays': 5,
        'old.firstContactWorkingDays': 10,
        'new.firstContactWorkingDays': 15,
        'old.phq9Specialised': 20,
        'new.phq9Specialised': 20,
        'old.k10Specialised': 30,
        'new.k10Specialised': 25,
        'old.gad7Specialised': 15,
        'new.gad7Specialised': 15,
        changed: 'acuteHours,firstContactWorkingDays,k10Specialised',
      });
    } finally {
      await resetStored();
    }
  });

  it('fills what the stored JSON lacks with the defaults, and keeps keys it does not know', async () => {
    await world.owner
      .updateTable('networks')
      .set({ intake_settings: JSON.stringify({ phq9Specialised: 22, laterSetting: 7 }) })
      .where('id', '=', t.network.id)
      .execute();
    try {
      expect((await c.networkAdmin.get(URL)).body.matchingThresholds).toEqual({
        ...DEFAULTS.matchingThresholds,
        phq9Specialised: 22,
      });
      const res = await put(c.networkAdmin, withChanges({}, { gad7Specialised: 12 }));
      expect(res.statusCode, res.raw).toBe(200);
      expect((await stored()).intake_settings).toEqual({
        ...DEFAULTS.matchingThresholds,
        gad7Specialised: 12,
        laterSetting: 7,
      });
    } finally {
      await resetStored();
    }
  });
});

describe('the settings take effect', () => {
  it("a new routine referral is due after the network's routine target in working days", async () => {
    const offerB = createdId(
      await c.adminB.post('/api/offers', {
        name: 'Begeleiding B',
        description: 'Aanbod van B.',
        level: 'basic',
        themes: ['depression'],
        minAge: 18,
        maxAge: 65,
        municipalities: ['24062'],
        modalities: ['face-to-face'],
        capacity: 'open',
        waitDays: 5,
      }),
    );
    const clientA = createdId(
      await c.intakeA.post('/api/clients', { givenName: 'Rita', familyName: 'Termijn', birthDate: '1980-05-05' }),
    );
    const consent = createdId(
      await c.intakeA.post('/api/consents', {
        clientId: clientA,
        purpose: 'referral',
        recipientOrganizationId: t.orgB.id,
        categories: ['contact'],
        method: 'verbal',
      }),
    );
    const refer = async () => {
      const help = createdId(
        await c.intakeA.post('/api/help-requests', {
          clientId: clientA,
          story: 'Voelt zich somber.',
          themes: ['depression'],
          urgency: 'routine',
        }),
      );
      const before = new Date();
      const res = await c.intakeA.post('/api/referrals', {
        helpRequestId: help,
        offerId: offerB,
        priority: 'routine',
        consentId: consent,
      });
      const after = new Date();
      expect(res.statusCode, res.raw).toBe(201);
      return { due: Date.parse(res.body.answerDueAt), before, after };
    };
    const within = (r: { due: number; before: Date; after: Date }, days: number) =>
      r.due >= addWorkingDays(r.before, days).getTime() - 1000 &&
      r.due <= addWorkingDays(r.after, days).getTime() + 1000;

    const byDefault = await refer();
    expect(within(byDefault, 5)).toBe(true);

    expect((await put(c.networkAdmin, withChanges({ routineWorkingDays: 3 }))).statusCode).toBe(200);
    try {
      const shorter = await refer();
      expect(within(shorter, 3)).toBe(true);
      expect(shorter.due).toBeLessThan(byDefault.due);
      // a stored value that is not a whole number counts as the default, for referrals as on the settings page
      await world.owner
        .updateTable('networks')
        .set({ referral_targets: JSON.stringify({ routineWorkingDays: '3' }) })
        .where('id', '=', t.network.id)
        .execute();
      expect((await c.networkAdmin.get(URL)).body.referralTargets.routineWorkingDays).toBe(5);
      expect(within(await refer(), 5)).toBe(true);
    } finally {
      await resetStored();
    }
  });

  it('lowering the PHQ-9 threshold raises the level of care a help request needs', async () => {
    const help = createdId(
      await c.intakeA.post('/api/help-requests', {
        story: 'Slaapt slecht en piekert.',
        themes: ['depression'],
        urgency: 'routine',
      }),
    );
    const screening = await c.intakeA.post(`/api/help-requests/${help}/screenings`, {
      instrument: 'phq9',
      answers: phq9(14),
    });
    expect(screening.statusCode, screening.raw).toBe(201);
    expect(screening.body.score).toBe(14);
    const needed = async () => {
      const res = await c.intakeA.get(`/api/help-requests/${help}/matches`);
      expect(res.statusCode, res.raw).toBe(200);
      return res.body.neededLevel;
    };
    expect(await needed()).toMatchObject({ level: 'basic', basis: 'default' });

    expect((await put(c.networkAdmin, withChanges({}, { phq9Specialised: 14 }))).statusCode).toBe(200);
    try {
      expect(await needed()).toMatchObject({ level: 'specialised', basis: 'screening', because: ['phq9-severe'] });
      // one above the score: basic again
      expect((await put(c.networkAdmin, withChanges({}, { phq9Specialised: 15 }))).statusCode).toBe(200);
      expect(await needed()).toMatchObject({ level: 'basic' });
    } finally {
      await resetStored();
    }
  });
});
