import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brusselsDate } from '../../src/server/features/referrals/index.ts';
import { Caller, createWorld, login, makeTenants, makeUser, type World } from '../support/world.ts';

// My work (a caregiver's start page) and a team lead's caseload (issue 11, part 5).
let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let caregiverA: Caller;
let caregiver2A: Caller;
let teamLeadA: Caller;
let intakeA: Caller;
let adminA: Caller;
let teamLeadB: Caller;
let caregiver2: { id: string; email: string };
let teamLeadBUser: { id: string; email: string };
let team: { id: string };
let quietContactAt: string;
const ids = {} as Record<
  'recent' | 'quiet40' | 'never' | 'paused' | 'planned' | 'finished' | 'colleague' | 'assigned' | 'otherOrg',
  string
>;

// days are calendar days in Brussels, as the server counts them (due dates, and the days since the last contact or the
// start); late in the evening the UTC date is yesterday's there, so every fixture uses the Brussels date
/** The Brussels calendar day `offset` days from today's: counted in days, so a summer-time change in between does not shift it. */
const day = (offset: number) =>
  new Date(Date.parse(`${brusselsDate()}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
/** A contact at 10:00 UTC (11:00 or 12:00 in Brussels) of that Brussels day: its hour must not change the count. */
const contactAt = (daysAgo: number) => `${day(-daysAgo)}T10:00:00Z`;

async function trajectory(caller: Caller, familyName: string, body: Record<string, unknown> = {}) {
  const client = await caller.post('/api/clients', { givenName: 'Lien', familyName });
  expect(client.statusCode, client.raw).toBe(201);
  const res = await caller.post('/api/trajectories', { clientId: client.body.id, module: 'youth', ...body });
  expect(res.statusCode, res.raw).toBe(201);
  return res.body.id as string;
}
async function contact(caller: Caller, id: string, at: string, noShow = false) {
  const res = await caller.post(`/api/trajectories/${id}/contacts`, { at, minutes: 30, kind: 'phone', noShow });
  expect(res.statusCode, res.raw).toBe(201);
}

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  caregiver2 = await makeUser(world, { role: 'caregiver', networkId: t.network.id, organizationId: t.orgA.id });
  teamLeadBUser = await makeUser(world, { role: 'team-lead', networkId: t.network.id, organizationId: t.orgB.id });
  caregiverA = await login(world, t.users.caregiverA.email);
  caregiver2A = await login(world, caregiver2.email);
  teamLeadA = await login(world, t.users.teamLeadA.email);
  intakeA = await login(world, t.users.intakeA.email);
  adminA = await login(world, t.users.adminA.email);
  teamLeadB = await login(world, teamLeadBUser.email);
  // one team in A: the first caregiver and the team lead; the second caregiver is in none
  team = await world.owner
    .insertInto('teams')
    .values({ organization_id: t.orgA.id, name: 'Team Jongeren' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await world.owner
    .updateTable('memberships')
    .set({ team_id: team.id })
    .where('user_id', 'in', [t.users.caregiverA.id, t.users.teamLeadA.id])
    .execute();

  // caregiver A: active with a recent contact, active and quiet (contact 40 days ago), quiet without any contact
  // (started 60 days ago), paused and quiet, planned long ago (not flagged: it waits for its first contact),
  // finished (not running)
  ids.recent = await trajectory(caregiverA, 'Recent', { startDate: day(-90) });
  await contact(caregiverA, ids.recent, contactAt(3));
  ids.quiet40 = await trajectory(caregiverA, 'Stil', { startDate: day(-90) });
  quietContactAt = contactAt(40);
  await contact(caregiverA, ids.quiet40, quietContactAt);
  // a no-show later does not count as contact
  await contact(caregiverA, ids.quiet40, contactAt(2), true);
  ids.never = await trajectory(caregiverA, 'Nooit', { startDate: day(-60) });
  await world.owner.updateTable('trajectories').set({ status: 'active' }).where('id', '=', ids.never).execute();
  ids.paused = await trajectory(caregiverA, 'Pauze', { startDate: day(-120) });
  await contact(caregiverA, ids.paused, contactAt(100));
  expect((await caregiverA.post(`/api/trajectories/${ids.paused}/transitions`, { action: 'pause' })).statusCode).toBe(
    200,
  );
  ids.planned = await trajectory(caregiverA, 'Gepland', { startDate: day(-50) });
  ids.finished = await trajectory(caregiverA, 'Klaar', { startDate: day(-200) });
  await contact(caregiverA, ids.finished, contactAt(150));
  const finish = await caregiverA.post(`/api/trajectories/${ids.finished}/transitions`, {
    action: 'finish',
    outcome: 'fully',
    reason: 'completed',
  });
  expect(finish.statusCode, finish.raw).toBe(200);
  // the second caregiver: one active; the team lead starts one for caregiver A (responsible is A)
  ids.colleague = await trajectory(caregiver2A, 'Collega');
  await contact(caregiver2A, ids.colleague, contactAt(1));
  ids.assigned = await trajectory(teamLeadA, 'Toegewezen', { responsibleUserId: t.users.caregiverA.id });
  // organisation B: a trajectory of its own team lead
  ids.otherOrg = await trajectory(teamLeadB, 'AnderHuis');
});
afterAll(() => world?.close());

// a care plan of caregiver A (its coordinator) with actions for A and a colleague, its evaluation a day overdue
const plan = {
  id: '',
  clientId: '',
  actions: { overdue: '', today: '', later: '', done: '', colleague: '' },
  mineDue: 2,
  mineEvaluations: 1,
};
beforeAll(async () => {
  const client = await caregiverA.post('/api/clients', { givenName: 'Lien', familyName: 'Plan' });
  const created = await caregiverA.post('/api/care-plans', { clientId: client.body.id });
  expect(created.statusCode, created.raw).toBe(201);
  plan.id = created.body.id;
  plan.clientId = client.body.id;
  const goal = await caregiverA.post(`/api/care-plans/${plan.id}/goals`, { description: 'Ik wil terug gaan werken' });
  expect(goal.statusCode, goal.raw).toBe(201);
  const action = async (key: keyof typeof plan.actions, userId: string, due: string) => {
    const res = await caregiverA.post(`/api/care-plans/${plan.id}/actions`, {
      description: `Actie ${key}`,
      goalId: goal.body.id,
      owner: { kind: 'user', id: userId },
    });
    expect(res.statusCode, res.raw).toBe(201);
    plan.actions[key] = res.body.id;
    // the due date as the story needs it (the API may refuse a date in the past)
    await world.owner.updateTable('care_plan_actions').set({ due_date: due }).where('id', '=', res.body.id).execute();
  };
  await action('overdue', t.users.caregiverA.id, day(-2));
  await action('today', t.users.caregiverA.id, day(0));
  await action('later', t.users.caregiverA.id, day(20));
  await action('done', t.users.caregiverA.id, day(-1));
  await action('colleague', caregiver2.id, day(0));
  await world.owner
    .updateTable('care_plan_actions')
    .set({ status: 'done' })
    .where('id', '=', plan.actions.done)
    .execute();
  await world.owner
    .updateTable('care_plans')
    .set({ next_evaluation_on: day(-1) })
    .where('id', '=', plan.id)
    .execute();
});

describe('my work', () => {
  it('lists my running trajectories, the quiet ones first (longest silence first), with counts', async () => {
    const res = await caregiverA.get('/api/my-work');
    expect(res.statusCode, res.raw).toBe(200);
    const items = res.body.trajectories as {
      id: string;
      status: string;
      noRecentContact: boolean;
      daysSinceContact: number;
      clientDisplayName: string;
      lastContactAt: string | null;
    }[];
    // the quiet ones: paused (100 days), never (60 days), 40 days; then the rest
    expect(items.slice(0, 3).map((i) => i.id)).toEqual([ids.paused, ids.never, ids.quiet40]);
    expect(items.slice(0, 3).every((i) => i.noRecentContact)).toBe(true);
    expect(new Set(items.slice(3).map((i) => i.id))).toEqual(new Set([ids.recent, ids.planned, ids.assigned]));
    expect(items.slice(3).some((i) => i.noRecentContact)).toBe(false);
    const byId = Object.fromEntries(items.map((i) => [i.id, i]));
    expect(byId[ids.quiet40]).toMatchObject({ daysSinceContact: 40, clientDisplayName: 'Lien Stil' });
    // the no-show two days ago is not a contact
    expect(byId[ids.quiet40]!.lastContactAt).toBe(quietContactAt.replace('Z', '.000Z'));
    expect(byId[ids.never]).toMatchObject({ daysSinceContact: 60, lastContactAt: null });
    // planned 50 days ago and never seen: waiting for its first contact, not flagged
    expect(byId[ids.planned]).toMatchObject({ status: 'planned', noRecentContact: false, daysSinceContact: 50 });
    expect(res.body.counts).toMatchObject({ running: 6, active: 3, onHold: 1, planned: 2, noRecentContact: 3 });
    // neither the finished one nor a colleague's nor another organisation's
    const listed = items.map((i) => i.id);
    for (const id of [ids.finished, ids.colleague, ids.otherOrg]) expect(listed).not.toContain(id);
  });

  it("a colleague sees only their own; another organisation's team lead only its own", async () => {
    const mine = await caregiver2A.get('/api/my-work');
    expect(mine.body.trajectories.map((i: { id: string }) => i.id)).toEqual([ids.colleague]);
    const b = await teamLeadB.get('/api/my-work');
    expect(b.body.trajectories.map((i: { id: string }) => i.id)).toEqual([ids.otherOrg]);
    // the team lead of A holds none itself (it started one for caregiver A)
    const lead = await teamLeadA.get('/api/my-work');
    expect(lead.body).toMatchObject({
      trajectories: [],
      actionsDue: [],
      evaluationsDue: [],
      counts: { running: 0, active: 0, onHold: 0, planned: 0, noRecentContact: 0, actionsDue: 0, evaluationsDue: 0 },
    });
  });

  it('is audited with the count, no names', async () => {
    const res = await caregiverA.get('/api/my-work');
    const rows = await world.owner
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'details', 'organization_id'])
      .where('request_id', '=', res.headers['x-request-id'] as string)
      .execute();
    expect(rows).toEqual([
      {
        action: 'work.my-work.read',
        outcome: 'success',
        details: { count: 6, actions: plan.mineDue, evaluations: plan.mineEvaluations },
        organization_id: t.orgA.id,
      },
    ]);
  });

  it('refuses a query it does not know (400) and roles without it (403): intake worker, org admin, network roles', async () => {
    const bad = await caregiverA.get('/api/my-work?box=all');
    expect(bad.statusCode).toBe(400);
    for (const caller of [intakeA, adminA, await login(world, t.users.analyst.email)])
      expect((await caller.get('/api/my-work')).statusCode).toBe(403);
  });
});

describe('my work: care-plan actions and evaluations', () => {
  it('my open actions due this week and the overdue ones, oldest first; not later ones, not done ones, not a colleague’s', async () => {
    const res = await caregiverA.get('/api/my-work');
    expect(res.statusCode, res.raw).toBe(200);
    const { endOfWeek } = await import('../../src/server/features/work/work.service.ts');
    expect(res.body.weekEnds).toBe(endOfWeek(day(0)));
    const actions = res.body.actionsDue as {
      id: string;
      overdue: boolean;
      clientDisplayName: string;
      dueDate: string;
    }[];
    expect(actions.map((a) => a.id)).toEqual([plan.actions.overdue, plan.actions.today]);
    expect(actions[0]).toMatchObject({
      overdue: true,
      dueDate: day(-2),
      clientDisplayName: 'Lien Plan',
      carePlanId: plan.id,
    });
    expect(actions[0]).toMatchObject({ goalDescription: 'Ik wil terug gaan werken' });
    expect(actions[1]).toMatchObject({ overdue: false, dueDate: day(0) });
    expect(res.body.counts).toMatchObject({ actionsDue: 2, actionsOverdue: 1 });
    // the colleague's action is on the colleague's list
    const colleague = await caregiver2A.get('/api/my-work');
    expect(colleague.body.actionsDue.map((a: { id: string }) => a.id)).toEqual([plan.actions.colleague]);
  });

  it('evaluations due or overdue of the plans I coordinate; a colleague not in the team does not see them', async () => {
    const res = await caregiverA.get('/api/my-work');
    expect(res.body.evaluationsDue).toEqual([
      {
        carePlanId: plan.id,
        nextEvaluationOn: day(-1),
        overdue: true,
        coordinator: true,
        careLevel: null,
        clientId: plan.clientId,
        clientDisplayName: 'Lien Plan',
      },
    ]);
    expect(res.body.counts).toMatchObject({ evaluationsDue: 1, evaluationsOverdue: 1 });
    expect((await caregiver2A.get('/api/my-work')).body.evaluationsDue).toEqual([]);
    // another organisation without consent sees nothing of the plan, even as an action's owner would
    expect((await teamLeadB.get('/api/my-work')).body).toMatchObject({ actionsDue: [], evaluationsDue: [] });
  });

  it("not the person's actions, not those without a due date (moved from /api/care-plans/work)", async () => {
    const goal = await caregiverA.post(`/api/care-plans/${plan.id}/goals`, { description: 'Ik wil beter slapen' });
    const add = async (description: string, owner: Record<string, unknown>, dueDate: string | null) => {
      const res = await caregiverA.post(`/api/care-plans/${plan.id}/actions`, {
        description,
        goalId: goal.body.id,
        owner,
        dueDate,
      });
      expect(res.statusCode, res.raw).toBe(201);
      return res.body.id as string;
    };
    const forPerson = await add('Voor de persoon', { kind: 'client' }, day(1));
    const undated = await add('Zonder datum', { kind: 'user', id: t.users.caregiverA.id }, null);
    const listed = (await caregiverA.get('/api/my-work')).body.actionsDue.map((a: { id: string }) => a.id);
    expect(listed).toEqual([plan.actions.overdue, plan.actions.today]);
    expect(listed).not.toContain(forPerson);
    expect(listed).not.toContain(undated);
    // the duplicate route is gone (the web and the checks use /api/my-work): "work" is now read as a plan id
    const gone = await caregiverA.get('/api/care-plans/work');
    expect(gone.statusCode).toBe(400);
    expect(gone.body.errors[0]).toMatchObject({ field: 'id' });
  });

  it('an active caregiver of the care team sees the evaluation too (not as its coordinator); once inactive, not', async () => {
    const member = await world.owner
      .insertInto('care_team_members')
      .values({ care_plan_id: plan.id, kind: 'caregiver', organization_id: t.orgA.id, user_id: caregiver2.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await caregiver2A.get('/api/my-work');
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.evaluationsDue).toEqual([
      expect.objectContaining({
        carePlanId: plan.id,
        coordinator: false,
        overdue: true,
        clientDisplayName: 'Lien Plan',
      }),
    ]);
    await world.owner.updateTable('care_team_members').set({ active: false }).where('id', '=', member.id).execute();
    expect((await caregiver2A.get('/api/my-work')).body.evaluationsDue).toEqual([]);
  });
});

describe("my work: my organisation's actions", () => {
  it("actions my organisation owns, due this week or overdue, on plans where I am an active caregiver of the team; not a colleague's outside the team, not another organisation's", async () => {
    const client = await caregiverA.post('/api/clients', { givenName: 'Org', familyName: 'Actie' });
    expect(client.statusCode, client.raw).toBe(201);
    const made = await caregiverA.post('/api/care-plans', { clientId: client.body.id });
    expect(made.statusCode, made.raw).toBe(201);
    const planId = made.body.id as string;
    const add = async (description: string, organizationId: string, dueDate: string) => {
      const res = await caregiverA.post(`/api/care-plans/${planId}/actions`, {
        description,
        owner: { kind: 'organization', id: organizationId },
        dueDate,
      });
      expect(res.statusCode, res.raw).toBe(201);
      return res.body.id as string;
    };
    const overdue = await add('Aanvraag budgetbeheer indienen', t.orgA.id, day(-3));
    const later = await add('Huisbezoek plannen', t.orgA.id, day(30));
    const otherOrg = await add('Afspraak bij de partner', t.orgB.id, day(-1));
    const ids = (res: { body: { actionsDue: { id: string }[] } }) => res.body.actionsDue.map((a) => a.id);

    // the plan's maker is a caregiver of the team: the organisation's action due is on its list, marked as such
    const mine = await caregiverA.get('/api/my-work');
    expect(mine.statusCode, mine.raw).toBe(200);
    const listed = mine.body.actionsDue.find((a: { id: string }) => a.id === overdue);
    expect(listed).toMatchObject({
      forOrganization: true,
      overdue: true,
      dueDate: day(-3),
      carePlanId: planId,
      clientDisplayName: 'Org Actie',
    });
    expect(ids(mine)).not.toContain(later);
    expect(ids(mine)).not.toContain(otherOrg);
    // my own actions stay marked as mine
    expect(mine.body.actionsDue.find((a: { id: string }) => a.id === plan.actions.overdue)).toMatchObject({
      forOrganization: false,
    });
    // colleagues of the organisation who are not on the team do not get it
    expect(ids(await caregiver2A.get('/api/my-work'))).not.toContain(overdue);
    expect(ids(await teamLeadA.get('/api/my-work'))).not.toContain(overdue);
    // another organisation sees nothing of a plan it may not see, not even the action it owns
    expect(ids(await teamLeadB.get('/api/my-work'))).toEqual([]);

    // a colleague joins the team as caregiver: from then on it is theirs too; once inactive, not
    const member = await world.owner
      .insertInto('care_team_members')
      .values({ care_plan_id: planId, kind: 'caregiver', organization_id: t.orgA.id, user_id: caregiver2.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(ids(await caregiver2A.get('/api/my-work'))).toContain(overdue);
    await world.owner.updateTable('care_team_members').set({ active: false }).where('id', '=', member.id).execute();
    expect(ids(await caregiver2A.get('/api/my-work'))).not.toContain(overdue);

    // done: off the list
    const action = await world.owner
      .selectFrom('care_plan_actions')
      .select('version')
      .where('id', '=', overdue)
      .executeTakeFirstOrThrow();
    const done = await caregiverA.patch(`/api/care-plans/${planId}/actions/${overdue}`, {
      version: action.version,
      status: 'done',
    });
    expect(done.statusCode, done.raw).toBe(200);
    expect(ids(await caregiverA.get('/api/my-work'))).not.toContain(overdue);
  });
});

describe('caseload', () => {
  type Row = {
    userId: string;
    displayName: string;
    roles: string[];
    teamId: string | null;
    planned: number;
    active: number;
    onHold: number;
    noRecentContact: number;
  };
  it('a team lead sees per caregiver of the organisation the running trajectories by status', async () => {
    const res = await teamLeadA.get('/api/caseload');
    expect(res.statusCode, res.raw).toBe(200);
    const rows = res.body.items as Row[];
    const of = (id: string) => rows.find((r) => r.userId === id);
    expect(of(t.users.caregiverA.id)).toMatchObject({
      roles: ['caregiver'],
      teamId: team.id,
      planned: 2,
      active: 3,
      onHold: 1,
      noRecentContact: 3,
    });
    expect(of(caregiver2.id)).toMatchObject({ teamId: null, planned: 0, active: 1, onHold: 0, noRecentContact: 0 });
    // members without trajectories are listed with zeros (an intake worker, the team lead itself)
    expect(of(t.users.intakeA.id)).toMatchObject({ roles: ['intake-worker'], active: 0, planned: 0 });
    expect(of(t.users.teamLeadA.id)).toMatchObject({ roles: ['team-lead'], active: 0 });
    // the heaviest caseload first; no admin (holds no trajectories), nobody of organisation B
    expect(rows[0]!.userId).toBe(t.users.caregiverA.id);
    expect(of(t.users.adminA.id)).toBeUndefined();
    expect(of(teamLeadBUser.id)).toBeUndefined();
    expect(res.body.totals).toEqual({ planned: 2, active: 4, onHold: 1, noRecentContact: 3 });
    expect(res.body.teams).toEqual([{ id: team.id, name: 'Team Jongeren' }]);
  });

  it('one team: only its members', async () => {
    const res = await teamLeadA.get(`/api/caseload?teamId=${team.id}`);
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.teamId).toBe(team.id);
    expect((res.body.items as Row[]).map((r) => r.userId).sort()).toEqual(
      [t.users.caregiverA.id, t.users.teamLeadA.id].sort(),
    );
  });

  it('a former member who still holds trajectories stays in sight, with no roles', async () => {
    await world.owner.updateTable('memberships').set({ active: false }).where('user_id', '=', caregiver2.id).execute();
    try {
      const rows = (await teamLeadA.get('/api/caseload')).body.items as Row[];
      expect(rows.find((r) => r.userId === caregiver2.id)).toMatchObject({ roles: [], active: 1 });
    } finally {
      await world.owner.updateTable('memberships').set({ active: true }).where('user_id', '=', caregiver2.id).execute();
    }
  });

  it("another organisation's team lead sees its own people only, nothing of A", async () => {
    const res = await teamLeadB.get('/api/caseload');
    expect(res.statusCode, res.raw).toBe(200);
    const rows = res.body.items as Row[];
    expect(rows.map((r) => r.userId)).not.toContain(t.users.caregiverA.id);
    expect(rows.find((r) => r.userId === teamLeadBUser.id)).toMatchObject({ planned: 1 });
    expect(res.body.teams).toEqual([]);
    // A's team is not B's: a field error, as for any team it does not know
    const foreign = await teamLeadB.get(`/api/caseload?teamId=${team.id}`);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(foreign.body.errors).toMatchObject([{ field: 'teamId', code: 'team-unknown' }]);
  });

  it('bad input is a 400 field by field', async () => {
    const res = await teamLeadA.get('/api/caseload?teamId=nope');
    expect(res.statusCode).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['teamId']);
    expect((await teamLeadA.get(`/api/caseload?teamId=${crypto.randomUUID()}`)).statusCode).toBe(400);
  });

  it('is audited with the scope and the number of rows', async () => {
    const res = await teamLeadA.get(`/api/caseload?teamId=${team.id}`);
    const rows = await world.owner
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('request_id', '=', res.headers['x-request-id'] as string)
      .execute();
    expect(rows).toEqual([{ action: 'work.caseload.read', details: { teamId: team.id, count: 2 } }]);
  });

  it('caregivers, coordinators, intake workers, admins and network roles may not (403)', async () => {
    const coordinator = await makeUser(world, {
      role: 'coordinator',
      networkId: t.network.id,
      organizationId: t.orgA.id,
    });
    for (const caller of [
      caregiverA,
      intakeA,
      adminA,
      await login(world, coordinator.email),
      await login(world, t.users.networkCoordinator.email),
    ]) {
      const res = await caller.get('/api/caseload');
      expect(res.statusCode).toBe(403);
    }
  });
});

// The endpoints matrix leaves these routes to this suite: each, from the OpenAPI document, without a session.
describe('every work route', () => {
  it('are two, and each answers 401 without a session and 403 to the analyst', async () => {
    const spec = (await world.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, object> }>();
    const paths = Object.keys(spec.paths).filter((p) => p === '/api/my-work' || p === '/api/caseload');
    expect(paths.sort()).toEqual(['/api/caseload', '/api/my-work']);
    const analyst = await login(world, t.users.analyst.email);
    for (const p of paths) {
      const res = await new Caller(world.app).get(p);
      expect(res.statusCode, p).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((await analyst.get(p)).statusCode, p).toBe(403);
    }
  });
});
