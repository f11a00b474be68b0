import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Caller, createWorld, insertReferral, login, makeTenants, type World } from '../support/world.ts';

// The network flow monitor (issue 13 part 3): breakdowns per organisation and level of care, the quarterly trend,
// signals in the inflow, steps up and down, time on a waiting list, and "stuck" against the care plan's evaluations.
// Every figure below is a hand count of the rows seeded here (organisation A is a CAW, B a CGG: specialised).

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let analyst: Caller;
let caregiverA: Caller;
let intakeB: Caller;
let adminA: Caller;
let offerA: string; // basic
let offerB: string; // specialised
let clientA: string;
const anonymous = () => new Caller(world.app);

const DAY = 86_400_000;
const iso = (d: Date) => d.toISOString();
const dateOnly = (d: Date) => d.toISOString().slice(0, 10);
const plusDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY);

async function offer(org: string, level: string) {
  return (
    await world.owner
      .insertInto('offers')
      .values({ organization_id: org, network_id: t.network.id, name: `Aanbod ${level}`, level } as never)
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

async function helpRequest(org: string, at: string, level: string | null) {
  await world.owner
    .insertInto('help_requests')
    .values({
      organization_id: org,
      network_id: t.network.id,
      received_at: at,
      story: 'Vraag',
      urgency: 'routine',
      indication_level: level,
    })
    .execute();
}

async function signal(at: string, collective = false) {
  await world.owner
    .insertInto('outreach_signals')
    .values({
      network_id: t.network.id,
      sender_organization_id: t.orgB.id,
      receiver_organization_id: t.orgA.id,
      kind: 'bereaved',
      collective,
      agreement_method: 'spoken',
      agreement_at: at.slice(0, 10),
      due_at: at,
      created_at: at,
    })
    .execute();
}

/** From A to B's specialised offer, for A's client. */
const AtoB = () => ({ networkId: t.network.id, from: t.orgA.id, to: t.orgB.id, offerId: offerB, clientId: clientA });

/** A referral from A to B's specialised offer; `waitlisted` adds the waiting list events (waitlisted, then left). */
async function referral(
  created: Date,
  opts: {
    accepted?: Date;
    firstContact?: Date;
    declined?: { at: Date; reason: string };
    waitlisted?: Date;
  } = {},
) {
  const id = await insertReferral(world, AtoB(), {
    status: opts.declined ? 'declined' : opts.firstContact ? 'first-contact' : opts.accepted ? 'accepted' : 'requested',
    status_reason: opts.declined?.reason ?? null,
    answered_at: opts.declined ? iso(opts.declined.at) : opts.accepted ? iso(opts.accepted) : null,
    accepted_at: opts.accepted ? iso(opts.accepted) : null,
    first_contact_at: opts.firstContact ? iso(opts.firstContact) : null,
    created_at: iso(created),
  });
  if (opts.waitlisted && opts.accepted) {
    await world.owner
      .insertInto('referral_events')
      .values([
        {
          referral_id: id,
          at: iso(opts.waitlisted),
          action: 'waitlist',
          from_status: 'received',
          to_status: 'waitlisted',
        },
        {
          referral_id: id,
          at: iso(opts.accepted),
          action: 'accept',
          from_status: 'waitlisted',
          to_status: 'accepted',
        },
      ] as never)
      .execute();
  }
}

async function trajectory(
  org: string,
  client: string,
  start: string,
  status: string,
  extra: { end?: string; outcome?: string; offerId?: string } = {},
) {
  await world.owner
    .insertInto('trajectories')
    .values({
      organization_id: org,
      network_id: t.network.id,
      client_id: client,
      module: 'psychosocial-support',
      offer_id: extra.offerId ?? null,
      responsible_user_id: org === t.orgA.id ? t.users.caregiverA.id : t.users.intakeB.id,
      start_date: start,
      status,
      phase: 'support',
      end_date: extra.end ?? null,
      outcome: extra.outcome ?? null,
      close_reason: extra.end ? 'completed' : null,
    })
    .execute();
}

async function carePlan(org: string, client: string) {
  return (
    await world.owner
      .insertInto('care_plans')
      .values({ network_id: t.network.id, organization_id: org, client_id: client, care_level: 'specialised' } as never)
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

async function evaluation(plan: string, org: string, on: string, decision: string, toLevel?: string) {
  const e = await world.owner
    .insertInto('care_plan_evaluations')
    .values({ care_plan_id: plan, organization_id: org, evaluated_on: on, decision, note: 'Evaluatie' } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  if (toLevel)
    await world.owner
      .insertInto('care_plan_revisions')
      .values({
        care_plan_id: plan,
        evaluation_id: e.id,
        kind: decision,
        revised_on: on,
        from_level: 'specialised',
        to_level: toLevel,
        reason: 'Stabiel',
      })
      .execute();
}

async function newClient(caller: Caller, familyName: string) {
  const res = await caller.post('/api/clients', { givenName: 'Fictief', familyName, birthDate: '1980-02-02' });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  analyst = await login(world, t.users.analyst.email);
  caregiverA = await login(world, t.users.caregiverA.email);
  intakeB = await login(world, t.users.intakeB.email);
  adminA = await login(world, t.users.adminA.email);
  offerA = await offer(t.orgA.id, 'basic');
  offerB = await offer(t.orgB.id, 'specialised');
  clientA = await newClient(caregiverA, 'Stroom');

  // The hand count, April–June 2026 (Brussels time; every instant below is mid-day, far from a month's edge):
  // April   help requests: 6 at A (indication basic), 2 at B (specialised); signals to A: 5 (+1 collective, not a
  //         person: not counted); referrals A → B (specialised offer): 12, all between organisations —
  //         R1–R5 accepted after 1, 2, 3, 4, 10 days (first contact 2 days later), R6–R7 declined (no-capacity,
  //         not-eligible), R8–R12 (8–12 April) waitlisted a day after sending and accepted 3–7 May, 24 days
  //         on the list each; trajectories at A on the basic offer finished: 5 fully, 5 not.
  // May     accepted: R8–R12 (25 days after sending); left the waiting list: 5 (24 days each);
  //         steps down: 5 (care plan at A, revisions to basic).
  // June    steps up: 1 (no revision: level unknown).
  // Q4 2025 help requests: 6 at A (no indication).
  for (let i = 0; i < 6; i++) await helpRequest(t.orgA.id, `2026-04-${10 + i}T10:00:00Z`, 'basic');
  for (let i = 0; i < 2; i++) await helpRequest(t.orgB.id, `2026-04-${20 + i}T10:00:00Z`, 'specialised');
  for (let i = 0; i < 6; i++) await helpRequest(t.orgA.id, `2025-11-${10 + i}T10:00:00Z`, null);
  for (let i = 0; i < 5; i++) await signal(`2026-04-${15 + i}T10:00:00Z`);
  await signal('2026-04-22T10:00:00Z', true);
  for (const [i, d] of [1, 2, 3, 4, 10].entries()) {
    const created = new Date(Date.UTC(2026, 3, 1 + i, 10));
    await referral(created, { accepted: plusDays(created, d), firstContact: plusDays(created, d + 2) });
  }
  await referral(new Date(Date.UTC(2026, 3, 6, 10)), {
    declined: { at: new Date(Date.UTC(2026, 3, 8, 10)), reason: 'no-capacity' },
  });
  await referral(new Date(Date.UTC(2026, 3, 7, 10)), {
    declined: { at: new Date(Date.UTC(2026, 3, 8, 11)), reason: 'not-eligible' },
  });
  for (let i = 0; i < 5; i++) {
    const created = new Date(Date.UTC(2026, 3, 8 + i, 10));
    await referral(created, { waitlisted: plusDays(created, 1), accepted: new Date(Date.UTC(2026, 4, 3 + i, 10)) });
  }
  for (let i = 0; i < 10; i++)
    await trajectory(t.orgA.id, clientA, '2026-01-15', 'finished', {
      end: `2026-04-${10 + i}`,
      outcome: i < 5 ? 'fully' : 'not',
      offerId: offerA,
    });
  const planA = await carePlan(t.orgA.id, clientA);
  for (let i = 0; i < 5; i++) await evaluation(planA, t.orgA.id, `2026-05-${10 + i}`, 'step-down', 'basic');
  await evaluation(planA, t.orgA.id, '2026-06-10', 'step-up');
});
afterAll(async () => {
  await world?.close();
});

type Row = Record<string, unknown>;

describe('flow per month', () => {
  it('counts signals in the inflow, steps up and down, waiting times and time on a waiting list', async () => {
    const res = await analyst.get('/api/reports/flow?from=2026-04&to=2026-06&zone=Testzone');
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.by).toBe('month');
    expect(res.body.quarters).toEqual([]);
    expect(res.body.groups).toEqual([]);
    const [april, may, june] = res.body.months as Row[];
    expect(april).toMatchObject({
      month: '2026-04',
      inflow: 25,
      helpRequests: 8,
      signals: 5,
      referrals: 12,
      referralsBetweenOrganizations: 12,
      declined: '<5',
      accepted: 5,
      medianDaysToAcceptance: 3,
      p90DaysToAcceptance: 7.6,
      firstContacts: 5,
      medianDaysToFirstContact: 5,
      p90DaysToFirstContact: 9.6,
      medianDaysOnWaitingList: null,
      outflow: 10,
      stepsUp: 0,
      stepsDown: 0,
    });
    expect(may).toMatchObject({
      month: '2026-05',
      inflow: 0,
      accepted: 5,
      stepsDown: 5,
      declined: 0,
      outflow: 0,
    });
    expect(june).toMatchObject({ month: '2026-06', stepsUp: '<5', stepsDown: 0 });
    expect(res.body.outflowByOutcome).toEqual({ fully: 5, partly: 0, not: 5 });
    expect(res.body.declinedByReason).toEqual({ 'no-capacity': '<5', 'not-eligible': '<5' });
  });

  it('time on the waiting list runs from waitlisting to leaving the list (median and p90)', async () => {
    // R8–R12: created 8–12 April 10:00, waitlisted a day later, accepted 3–7 May 10:00: 24 days each on the list
    // and 25 days from sending to acceptance (a uniform wait: median = p90)
    const res = await analyst.get('/api/reports/flow?from=2026-05&to=2026-05');
    const may = res.body.months[0] as Row;
    expect(may.medianDaysOnWaitingList).toBe(24);
    expect(may.p90DaysOnWaitingList).toBe(24);
    expect(may.medianDaysToAcceptance).toBe(25);
    // fewer than 5 referrals: the waiting time speaks of too few people
    await referral(new Date(Date.UTC(2026, 5, 1, 10)), {
      waitlisted: new Date(Date.UTC(2026, 5, 2, 10)),
      accepted: new Date(Date.UTC(2026, 5, 9, 10)),
    });
    const june = (await analyst.get('/api/reports/flow?from=2026-06&to=2026-06')).body.months[0] as Row;
    expect(june.medianDaysOnWaitingList).toBe('<5');
    expect(june.referrals).toBe('<5');
    await world.owner
      .deleteFrom('referral_events')
      .where('at', '>=', '2026-06-01T00:00:00Z' as never)
      .execute();
    await world.owner
      .deleteFrom('referrals')
      .where('created_at', '=', '2026-06-01T10:00:00Z' as never)
      .execute();
  });
});

describe('flow per organisation and per level of care', () => {
  it('per organisation: the receiving or acting organisation, with complementary suppression in the inflow', async () => {
    const res = await analyst.get('/api/reports/flow?from=2026-04&to=2026-06&by=organization');
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.months).toEqual([]);
    const groups = res.body.groups as Row[];
    const a = groups.find((g) => g.key === t.orgA.id)!;
    const b = groups.find((g) => g.key === t.orgB.id)!;
    expect(a.name).toBe(t.orgA.name);
    // A: inflow 11 = 6 help requests + 5 signals + 0 referrals. The period's help requests (8) are published in
    // `totals`, so B's 2 would be 8 − 6: A's 6 is hidden ("x"), then the 0 referrals ("<5") and the inflow ("x"), or
    // A's row would pin 6 and with it B's 2 (every answer over the period shares the totals).
    expect(a).toMatchObject({
      inflow: 'x',
      helpRequests: 'x',
      signals: 5,
      referrals: '<5',
      declined: 0,
      accepted: 0,
      outflow: 10,
      stepsDown: 5,
      stepsUp: '<5',
    });
    // B: inflow 14 = 2 help requests + 0 signals + 12 referrals. The 2 is "<5"; its 0 signals are given away by the
    // period's 5 signals (all A's), so hiding them would not help: the referrals and the inflow are hidden instead
    // ("x"), and with them A's referrals ("<5", above), so that B's 2 can still be 0–2 against the totals.
    expect(b).toMatchObject({ inflow: 'x', helpRequests: '<5', signals: 0, referrals: 'x', accepted: 10 });
    // days to acceptance: 1, 2, 3, 4, 10 and five times 25: median (10 + 25) / 2, p90 25
    expect(b).toMatchObject({ medianDaysToAcceptance: 17.5, p90DaysToAcceptance: 25, declined: '<5' });
    // no organisation of another network
    expect(groups.every((g) => g.key !== t.orgX.id)).toBe(true);
  });

  it('per level of care: the offer, the indication, the level stepped into; unknown when none', async () => {
    const res = await analyst.get('/api/reports/flow?from=2026-04&to=2026-06&by=level');
    expect(res.statusCode, res.raw).toBe(200);
    const groups = res.body.groups as Row[];
    expect(groups.map((g) => g.key)).toEqual(['zero-line', 'basic', 'specialised', 'crisis', 'unknown']);
    const level = (k: string) => groups.find((g) => g.key === k)!;
    // basic's 6 help requests would give specialised's 2 away against the period's 8 (`totals`): hidden with the 0
    // referrals of its row
    expect(level('basic')).toMatchObject({
      inflow: 6,
      helpRequests: 'x',
      referrals: '<5',
      outflow: 10,
      stepsDown: 5,
    });
    // as B per organisation: its 0 signals are given away by the period's 5 (all unknown's), so its 12 referrals and
    // 14 inflow are hidden beside the 2 help requests
    expect(level('specialised')).toMatchObject({
      inflow: 'x',
      helpRequests: '<5',
      signals: 0,
      referrals: 'x',
      accepted: 10,
      declined: '<5',
      outflow: 0,
    });
    // specialised's hidden inflow would be 25 − 6 − 5 − 0 − 0 against the period's inflow: the empty levels' zeros
    // ("<5", true of 0) and unknown's 5 go too, with zeros of their rows
    expect(level('unknown')).toMatchObject({ inflow: 'x', signals: 5, stepsUp: '<5', stepsDown: 0 });
    expect(level('crisis')).toMatchObject({ inflow: '<5', helpRequests: '<5', referrals: 0, outflow: 0 });
  });
});

describe('trend per quarter', () => {
  it('whole quarters, no months beside them', async () => {
    const res = await analyst.get('/api/reports/flow?from=2025-08&to=2026-05&by=quarter');
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ from: '2025-07', to: '2026-06', by: 'quarter', months: [] });
    const quarters = res.body.quarters as Row[];
    expect(quarters.map((q) => q.quarter)).toEqual(['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2']);
    expect(quarters[1]).toMatchObject({ inflow: 6, helpRequests: 6, referrals: 0, outflow: 0 });
    expect(quarters[2]).toMatchObject({ inflow: 0, referrals: 0 });
    expect(quarters[3]).toMatchObject({
      inflow: 25,
      referrals: 12,
      declined: '<5',
      accepted: 10,
      outflow: 10,
      stepsDown: 5,
      stepsUp: '<5',
    });
    expect(res.body.outflowByOutcome).toEqual({ fully: 5, partly: 0, not: 5 });
  });
});

describe('one publication of the period, whatever the breakdown', () => {
  it('months, the quarter, organisations and levels of April–June carry the same totals, reasons and outcomes', async () => {
    const answers = await Promise.all(
      (['month', 'quarter', 'organization', 'level'] as const).map((by) =>
        analyst.get(`/api/reports/flow?from=2026-04&to=2026-06&by=${by}`),
      ),
    );
    for (const res of answers) expect(res.statusCode, res.raw).toBe(200);
    // the hand count of the quarter: help requests 6 (A) + 2 (B), signals 5 (A), referrals 12 (B), declined 2,
    // accepted 10, finished 10 (5 fully, 5 not), steps down 5, steps up 1; waiting times are given per row only
    expect(answers[0]!.body.totals).toEqual({
      inflow: 25,
      helpRequests: 8,
      signals: 5,
      referrals: 12,
      referralsBetweenOrganizations: 12,
      declined: '<5',
      accepted: 10,
      firstContacts: 5,
      outflow: 10,
      stepsUp: '<5',
      stepsDown: 5,
      medianDaysToAcceptance: null,
      p90DaysToAcceptance: null,
      medianDaysToFirstContact: null,
      p90DaysToFirstContact: null,
      medianDaysOnWaitingList: null,
      p90DaysOnWaitingList: null,
    });
    for (const res of answers.slice(1)) {
      expect(res.body.totals).toEqual(answers[0]!.body.totals);
      expect(res.body.declinedByReason).toEqual(answers[0]!.body.declinedByReason);
      expect(res.body.outflowByOutcome).toEqual(answers[0]!.body.outflowByOutcome);
    }
    expect(answers[0]!.body.declinedByReason).toEqual({ 'no-capacity': '<5', 'not-eligible': '<5' });
    expect(answers[0]!.body.outflowByOutcome).toEqual({ fully: 5, partly: 0, not: 5 });
    // where every row of a count is shown, the rows add up to the published total
    for (const res of answers) {
      const rows = [...res.body.months, ...res.body.quarters, ...res.body.groups] as Row[];
      for (const key of ['inflow', 'referrals', 'accepted', 'outflow', 'stepsDown'])
        if (rows.every((r) => typeof r[key] === 'number'))
          expect(rows.reduce((sum, r) => sum + (r[key] as number), 0)).toBe(res.body.totals[key]);
    }
  });
});

/** Every assignment of the hidden cells that the published cells and labels allow, for one relation. */
function solutions(cells: { value: unknown; sign: 1 | -1 }[], cap = 60): number[][] {
  const domains = cells.map((c) =>
    typeof c.value === 'number'
      ? [c.value]
      : c.value === '<5'
        ? [0, 1, 2, 3, 4]
        : Array.from({ length: cap - 4 }, (_, i) => i + 5),
  );
  const out: number[][] = [];
  const walk = (i: number, acc: number[], sum: number) => {
    if (i === cells.length) {
      if (sum === 0) out.push(acc);
      return;
    }
    for (const v of domains[i]!) walk(i + 1, [...acc, v], sum + cells[i]!.sign * v);
  };
  walk(0, [], 0);
  return out;
}

describe('no suppressed cell is recoverable (solving every relation of each table)', () => {
  for (const by of ['month', 'quarter', 'organization', 'level'] as const)
    it(`by ${by}`, async () => {
      const res = await analyst.get(`/api/reports/flow?from=2026-04&to=2026-06&by=${by}`);
      const rows = [...res.body.months, ...res.body.quarters, ...res.body.groups] as Row[];
      expect(rows.length).toBeGreaterThan(0);
      const relations: { value: unknown; sign: 1 | -1 }[][] = rows.map((r) => [
        { value: r.inflow, sign: 1 },
        { value: r.helpRequests, sign: -1 },
        { value: r.signals, sign: -1 },
        { value: r.referrals, sign: -1 },
      ]);
      relations.push([
        ...rows.map((r) => ({ value: r.declined, sign: 1 as const })),
        ...Object.values(res.body.declinedByReason as Row).map((value) => ({ value, sign: -1 as const })),
      ]);
      relations.push([
        ...rows.map((r) => ({ value: r.outflow, sign: 1 as const })),
        ...Object.values(res.body.outflowByOutcome as Row).map((value) => ({ value, sign: -1 as const })),
      ]);
      for (const relation of relations) {
        const found = solutions(relation);
        expect(found.length).toBeGreaterThan(0);
        relation.forEach((cell, i) => {
          if (typeof cell.value === 'number') return;
          expect(new Set(found.map((s) => s[i])).size, JSON.stringify(relation)).toBeGreaterThan(1);
        });
      }
    });
});

describe('stuck: more than 12 months in specialised care without an evaluation that considered stepping down', () => {
  it('is exact: recent step-down decisions or considerations on any record of the person take a trajectory out', async () => {
    const today = new Date();
    const longAgo = dateOnly(plusDays(today, -400));
    const daysAgo = (n: number) => dateOnly(plusDays(today, -n));
    const before = (await analyst.get('/api/reports/flow?from=2026-04&to=2026-06')).body.stuck;
    expect(before).toBe(0);

    // stuck: S1–S3 no plan at all; S4 a step-down 13 months ago (too old); S5 a recent evaluation that only continued
    for (const name of ['S1', 'S2', 'S3'])
      await trajectory(t.orgB.id, await newClient(intakeB, name), longAgo, 'active');
    const s4 = await newClient(intakeB, 'S4');
    await trajectory(t.orgB.id, s4, longAgo, 'on-hold');
    await evaluation(await carePlan(t.orgB.id, s4), t.orgB.id, daysAgo(395), 'step-down');
    const s5 = await newClient(intakeB, 'S5');
    await trajectory(t.orgB.id, s5, longAgo, 'active');
    await evaluation(await carePlan(t.orgB.id, s5), t.orgB.id, daysAgo(10), 'continue');

    // not stuck: N1 a step-down decided 30 days ago; N2 less than 12 months in care; N3 not specialised (CAW);
    // N4 finished; N5 planned (never ran)
    const n1 = await newClient(intakeB, 'N1');
    await trajectory(t.orgB.id, n1, longAgo, 'active');
    await evaluation(await carePlan(t.orgB.id, n1), t.orgB.id, daysAgo(30), 'step-down');
    await trajectory(t.orgB.id, await newClient(intakeB, 'N2'), daysAgo(300), 'active');
    await trajectory(t.orgA.id, await newClient(caregiverA, 'N3'), longAgo, 'active');
    await trajectory(t.orgB.id, await newClient(intakeB, 'N4'), longAgo, 'finished', {
      end: daysAgo(5),
      outcome: 'partly',
    });
    await trajectory(t.orgB.id, await newClient(intakeB, 'N5'), longAgo, 'planned');
    expect((await analyst.get('/api/reports/flow?from=2026-04&to=2026-06')).body.stuck).toBe(5);

    // N6: B's record is linked to A's record of the person; A's care plan had an evaluation through the API that
    // continued and considered stepping down: not stuck (the count stays 5 with one more long trajectory)
    const n6 = await newClient(intakeB, 'N6');
    await trajectory(t.orgB.id, n6, longAgo, 'active');
    expect((await analyst.get('/api/reports/flow?from=2026-04&to=2026-06')).body.stuck).toBe(6);
    const n6A = await newClient(caregiverA, 'N6');
    await world.owner
      .insertInto('client_links')
      .values({
        network_id: t.network.id,
        client_id: n6A,
        organization_id: t.orgA.id,
        other_client_id: n6,
        other_organization_id: t.orgB.id,
        kind: 'manual',
      })
      .execute();
    const plan = await caregiverA.post('/api/care-plans', { clientId: n6A });
    expect(plan.statusCode, plan.raw).toBe(201);
    const url = `/api/care-plans/${plan.body.id as string}/evaluations`;
    // refused field by field: a step-down considered goes with the decision to continue only
    const wrong = await caregiverA.post(url, {
      decision: 'close',
      note: 'Afsluiten',
      goals: [],
      stepDownConsidered: true,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrong.body.errors.map((e: { field: string }) => e.field)).toContain('stepDownConsidered');
    expect((await analyst.get('/api/reports/flow?from=2026-04&to=2026-06')).body.stuck).toBe(6);
    const ok = await caregiverA.post(url, {
      decision: 'continue',
      note: 'Afschalen besproken, nog niet beslist',
      goals: [],
      stepDownConsidered: true,
    });
    expect(ok.statusCode, ok.raw).toBe(201);
    const detail = await caregiverA.get(`/api/care-plans/${plan.body.id as string}`);
    expect(detail.body.evaluations[0].stepDownConsidered).toBe(true);
    expect((await analyst.get('/api/reports/flow?from=2026-04&to=2026-06')).body.stuck).toBe(5);
    // unlinking the records takes A's evaluation away from B's trajectory
    await world.owner
      .updateTable('client_links')
      .set({ unlinked_at: new Date() } as never)
      .where('client_id', '=', n6A)
      .execute();
    expect((await analyst.get('/api/reports/flow?from=2026-04&to=2026-06')).body.stuck).toBe(6);
  });
});

describe('refusals', () => {
  it('401 without a session, 403 for an organisation role, 404 for another zone, 400 for an unknown cut', async () => {
    expect((await anonymous().get('/api/reports/flow?from=2026-04&to=2026-06&by=level')).statusCode).toBe(401);
    expect((await adminA.get('/api/reports/flow?from=2026-04&to=2026-06&by=organization')).statusCode).toBe(403);
    expect((await caregiverA.get('/api/reports/flow?from=2026-04&to=2026-06&by=quarter')).statusCode).toBe(403);
    expect((await analyst.get('/api/reports/flow?from=2026-04&to=2026-06&by=level&zone=Elders')).statusCode).toBe(404);
    const bad = await analyst.get('/api/reports/flow?from=2026-04&to=2026-06&by=person');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body.errors[0].field).toBe('by');
    // another network's roles see none of this network's flow, in any cut
    const adminX = await login(world, t.users.networkAdminX.email);
    for (const by of ['organization', 'level', 'quarter']) {
      const other = await adminX.get(`/api/reports/flow?from=2026-04&to=2026-06&by=${by}`);
      expect(other.statusCode).toBe(200);
      const rows = [...other.body.quarters, ...other.body.groups] as Row[];
      expect(rows.every((r) => r.inflow === 0 && r.referrals === 0 && r.outflow === 0)).toBe(true);
      expect(other.body.groups.every((g: Row) => g.key !== t.orgA.id && g.key !== t.orgB.id)).toBe(true);
    }
  });

  it('the counting function itself answers nothing to an organisation role', async () => {
    const rows = await world.owner.transaction().execute(async (trx) => {
      await sql`select set_config('app.role', 'org-admin', true), set_config('app.org_id', ${t.orgA.id}, true),
                       set_config('app.network_id', ${t.network.id}, true)`.execute(trx);
      await sql`set local role kortelijn_app`.execute(trx);
      return (await sql`select * from kl_report_flow_facts('2026-04-01', '2026-06-30', 'month')`.execute(trx)).rows;
    });
    expect(rows).toEqual([]);
  });
});

describe('overdue now', () => {
  it('counts the open referrals past their answer, first-contact or waiting-list date, and no other (hand count)', async () => {
    // sent in 2020, outside every period these tests read, so only "overdue" changes
    const past = '2020-03-02T10:00:00Z';
    const open = (status: string, fields: Record<string, unknown>) =>
      insertReferral(world, AtoB(), { status, created_at: past, ...fields });
    const before = (await analyst.get('/api/reports/flow?from=2026-04&to=2026-06')).body.overdue;
    expect(before).toBe(0);
    const yesterday = iso(plusDays(new Date(), -1));
    const tomorrow = iso(plusDays(new Date(), 1));
    const accepted = { answered_at: past, accepted_at: past };
    // overdue: 2 unanswered past their answer date, 2 accepted or scheduled past their first-contact date, 1 missed
    // past it, 2 on a waiting list past the expected date → 7
    await open('requested', { answer_due_at: yesterday });
    await open('received', { answer_due_at: yesterday });
    await open('accepted', { ...accepted, first_contact_due_at: yesterday });
    await open('scheduled', { ...accepted, first_contact_due_at: yesterday });
    await open('missed', { ...accepted, first_contact_due_at: yesterday });
    await open('waitlisted', { expected_date: dateOnly(plusDays(new Date(), -3)) });
    await open('waitlisted', { expected_date: '2026-01-05' });
    // not overdue: still in time, or no longer open
    await open('requested', { answer_due_at: tomorrow });
    await open('accepted', { ...accepted, first_contact_due_at: tomorrow });
    await open('waitlisted', { expected_date: dateOnly(plusDays(new Date(), 30)) });
    await open('declined', { answer_due_at: yesterday, answered_at: past, status_reason: 'no-capacity' });
    await open('completed', { ...accepted, answer_due_at: yesterday, first_contact_due_at: yesterday });
    await open('cancelled', { answer_due_at: yesterday });
    const res = await analyst.get('/api/reports/flow?from=2026-04&to=2026-06');
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.overdue).toBe(7);
    // "now", not the period: another period says the same
    expect((await analyst.get('/api/reports/flow?from=2025-01&to=2025-03')).body.overdue).toBe(7);
    // the counting function itself gives an organisation role no overdue count, nor any other count above zero
    const asOrganization = await world.owner.transaction().execute(async (trx) => {
      await sql`select set_config('app.role', 'org-admin', true), set_config('app.org_id', ${t.orgB.id}, true),
                       set_config('app.network_id', ${t.network.id}, true)`.execute(trx);
      await sql`set local role kortelijn_app`.execute(trx);
      return (
        await sql<{ kind: string; n: string }>`select * from kl_report_flow_totals('2026-04-01', '2026-06-30')`.execute(
          trx,
        )
      ).rows;
    });
    expect(asOrganization.filter((r) => r.kind === 'overdue' || Number(r.n) > 0)).toEqual([]);
  });
});

describe('plans at years of history', () => {
  it('the counting functions never compile their plans with JIT (at five years it cost 120 ms a call; migration 034)', async () => {
    const rows = (
      await sql<{ name: string; config: string[] | null }>`
      select p.proname as name, p.proconfig as config
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and p.proname like 'kl\_report\_%' and p.proname <> 'kl_report_may_read'
       order by 1`.execute(world.owner)
    ).rows;
    expect(rows.map((r) => r.name)).toEqual([
      'kl_report_flow_facts',
      'kl_report_flow_totals',
      'kl_report_other_figures',
      'kl_report_trajectory_counts',
    ]);
    for (const r of rows) expect(r.config ?? [], r.name).toContain('jit=off');
  });
});
