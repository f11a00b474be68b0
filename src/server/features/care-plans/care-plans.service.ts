import type { Tx } from '../../core/db/tenant.ts';
import type {
  CarePlanActionRow,
  CarePlanGoalRow,
  CarePlanRow,
  CareTeamMemberRow,
  ClientLinkRow,
} from '../../core/db/schema.ts';
import { hasAccess, ownOrganization, requireAccess } from '../../core/access.ts';
import { AppError, invalid, notFound, type FieldError } from '../../core/http/errors.ts';
import { displayName } from '../clients/index.ts';
import { brusselsDate } from '../referrals/index.ts';
import * as repo from './care-plans.repository.ts';
import { CARE_PLAN_AUDIT } from './care-plans.audit.ts';
import { carePlanBundle } from './fhir.ts';
import type {
  ActionCreate,
  ActionUpdate,
  CoordinatorHandover,
  EvaluationCreate,
  GoalCreate,
  GoalUpdate,
  LinkCreate,
  MemberCreate,
  MemberUpdate,
  PlanCreate,
  PlanListQuery,
  PlanUpdate,
  Unlink,
} from './care-plans.schema.ts';

type Row = Record<string, unknown>;
const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());
const conflict = (code: string, current?: unknown) =>
  new AppError(
    'conflict',
    [{ field: code === 'version-conflict' ? 'version' : 'id', code }],
    undefined,
    undefined,
    current,
  );

/** A date plus whole months (the day clamped to the month's end), on YYYY-MM-DD strings. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

// ------------------------------------------------------------------------------------------------ reading
export interface PlanState {
  plan: CarePlanRow;
  goals: CarePlanGoalRow[];
  actions: CarePlanActionRow[];
  members: CareTeamMemberRow[];
  before?: Date;
}

/** The plan with all its parts in one answer (the UI renders the plan page from it). */
async function detailOf(tx: Tx, state: PlanState, asOf: string | null = null) {
  const { plan, goals, actions, members } = state;
  const [evaluations, evaluationGoals, revisions, records] = await Promise.all([
    repo.evaluations(tx, plan.id, state.before),
    repo.evaluationGoals(tx, plan.id),
    repo.revisions(tx, plan.id, state.before),
    repo.personRecords(tx, plan.client_id),
  ]);
  const myClientIds = await repo.ownRecords(tx, records);
  const users = await repo.userNames(tx, [
    ...members.map((m) => m.user_id),
    ...actions.map((a) => a.owner_user_id),
    ...goals.map((g) => g.updated_by),
  ]);
  const orgs = await repo.organizationNames(tx, [
    plan.organization_id,
    ...members.map((m) => m.organization_id),
    ...actions.map((a) => a.owner_organization_id),
  ]);
  const memberById = new Map(members.map((m) => [m.id, m]));
  const today = brusselsDate();
  const shown = new Set(evaluations.map((e) => e.id));
  const progressOf = new Map<string, number>();
  // evaluations come newest first: the first score seen for a goal is its latest
  for (const e of evaluations)
    for (const g of evaluationGoals)
      if (g.evaluation_id === e.id && !progressOf.has(g.goal_id)) progressOf.set(g.goal_id, g.progress);
  const memberName = (m: CareTeamMemberRow) =>
    m.kind === 'caregiver'
      ? (users.get(m.user_id!) ?? null)
      : m.kind === 'organization'
        ? (orgs.get(m.organization_id!) ?? null)
        : m.name;
  return {
    id: plan.id,
    clientId: plan.client_id,
    organizationId: plan.organization_id,
    organizationName: orgs.get(plan.organization_id) ?? '',
    ownPlan: plan.organization_id === tx.actor.organizationId,
    myClientIds,
    status: plan.status as 'active' | 'closed',
    careLevel: plan.care_level,
    personWishes: plan.person_wishes,
    agreedOn: plan.agreed_on,
    agreementMethod: plan.agreement_method,
    evaluationIntervalMonths: plan.evaluation_interval_months,
    nextEvaluationOn: plan.next_evaluation_on,
    evaluationDue: plan.status === 'active' && !!plan.next_evaluation_on && plan.next_evaluation_on <= today,
    coordinatorMemberId: plan.coordinator_member_id,
    coordinatorHandoverReason: plan.coordinator_handover_reason ?? null,
    closedOn: plan.closed_on,
    version: plan.version,
    createdAt: iso(plan.created_at),
    updatedAt: iso(plan.updated_at),
    asOf,
    goals: goals.map((g) => ({ ...goalDto(g, users), lastProgress: progressOf.get(g.id) ?? null })),
    actions: actions.map((a) => actionDto(a, users, orgs, memberById, asOf ?? today)),
    team: members.map((m) => ({
      id: m.id,
      kind: m.kind as 'organization' | 'caregiver' | 'person' | 'support-person',
      organizationId: m.organization_id,
      organizationName: m.organization_id ? (orgs.get(m.organization_id) ?? null) : null,
      userId: m.user_id,
      displayName: memberName(m),
      relation: m.relation,
      contact: m.contact,
      role: m.role,
      active: m.active,
      coordinator: plan.coordinator_member_id === m.id,
      version: m.version,
    })),
    evaluations: evaluations
      .filter((e) => shown.has(e.id))
      .map((e) => ({
        id: e.id,
        evaluatedOn: e.evaluated_on,
        decision: e.decision as 'continue' | 'step-up' | 'step-down' | 'close',
        note: e.note,
        personSays: e.person_says,
        caseConference: e.case_conference,
        stepDownConsidered: e.step_down_considered,
        presentMemberIds: e.present_member_ids,
        organizationName: e.organization_name,
        createdByDisplayName: e.created_by_name,
        goals: evaluationGoals
          .filter((g) => g.evaluation_id === e.id)
          .map((g) => ({ goalId: g.goal_id, progress: g.progress, note: g.note })),
      })),
    revisions: revisions.map(revisionDto),
  };
}
export type PlanDetail = Awaited<ReturnType<typeof detailOf>>;

export function revisionDto(r: {
  id: string;
  evaluation_id: string | null;
  kind: string;
  revised_on: string;
  from_level: string | null;
  to_level: string | null;
  reason: string;
  screenings: unknown;
}) {
  return {
    id: r.id,
    evaluationId: r.evaluation_id,
    kind: r.kind as 'step-up' | 'step-down' | 'close',
    revisedOn: r.revised_on,
    fromLevel: r.from_level,
    toLevel: r.to_level,
    reason: r.reason,
    screenings: (r.screenings ?? []) as {
      instrumentId: string;
      score: number | null;
      band: string | null;
      administeredAt: string;
    }[],
  };
}

function goalDto(g: CarePlanGoalRow, users: Map<string, string>) {
  return {
    id: g.id,
    description: g.person_words,
    professionalWording: g.professional_wording,
    lifeDomain: g.life_domain,
    targetDate: g.target_date,
    status: g.status as 'proposed' | 'active' | 'achieved' | 'not-achieved' | 'cancelled',
    version: g.version,
    lastProgress: null as number | null,
    updatedAt: iso(g.updated_at),
    updatedByDisplayName: g.updated_by ? (users.get(g.updated_by) ?? null) : null,
  };
}

function actionDto(
  a: CarePlanActionRow,
  users: Map<string, string>,
  orgs: Map<string, string>,
  members: Map<string, CareTeamMemberRow>,
  today: string,
) {
  const kind = a.owner_kind as 'organization' | 'user' | 'client' | 'support-person';
  const id = a.owner_organization_id ?? a.owner_user_id ?? a.owner_member_id ?? null;
  const name =
    kind === 'organization'
      ? (orgs.get(id!) ?? null)
      : kind === 'user'
        ? (users.get(id!) ?? null)
        : kind === 'support-person'
          ? (members.get(id!)?.name ?? null)
          : null;
  return {
    id: a.id,
    goalId: a.goal_id,
    description: a.description,
    owner: { kind, id, name },
    dueDate: a.due_date,
    status: a.status as 'open' | 'done' | 'dropped',
    overdue: a.status === 'open' && !!a.due_date && a.due_date < today,
    version: a.version,
    updatedAt: iso(a.updated_at),
  };
}

async function liveState(tx: Tx, plan: CarePlanRow): Promise<PlanState> {
  const [goals, actions, members] = await Promise.all([
    repo.goals(tx, plan.id),
    repo.actions(tx, plan.id),
    repo.members(tx, plan.id),
  ]);
  return { plan, goals, actions, members };
}

/** The plan as its history rows left it at the end of `asOf` (Brussels); null when it did not exist yet. */
async function stateAsOf(tx: Tx, planId: string, asOf: string): Promise<PlanState | null> {
  const before = await repo.endOfDay(tx, asOf);
  const rows = await repo.stateBefore(tx, planId, before);
  const of = <T>(entity: string) =>
    rows
      .filter((r) => r.entity === entity)
      .map((r) => r.row_data as Row as T)
      .sort((a, b) => {
        const x = a as Row;
        const y = b as Row;
        return String(x.created_at).localeCompare(String(y.created_at)) || String(x.id).localeCompare(String(y.id));
      });
  const [plan] = of<CarePlanRow>('plan');
  if (!plan) return null;
  return {
    plan,
    goals: of<CarePlanGoalRow>('goal'),
    actions: of<CarePlanActionRow>('action'),
    members: of<CareTeamMemberRow>('member'),
    before,
  };
}

/**
 * The audit of a read or change of a plan: the caller's own row, with its own record of the person as `clientId`;
 * and when the caller is not the plan's maker (a consent shares the plan with it), a row in the maker's audit trail
 * naming the caller's organisation and role (kl_record_care_plan_access, migration 025), so the read or change shows
 * in the maker's access history of its record too. That row is written in this transaction: the reads that call
 * this run in a write transaction (`tenant(…, { write: true })` in the routes).
 */
async function auditPlan(
  tx: Tx,
  plan: Pick<CarePlanRow, 'id' | 'client_id' | 'organization_id'>,
  action: string,
  clientId: string,
  details: Row = {},
) {
  await tx.audit({
    action,
    entityType: 'care-plan',
    entityId: plan.id,
    details: { clientId, carePlanId: plan.id, ...(details as Record<string, string | number | boolean | null>) },
  });
  if (plan.organization_id !== tx.actor.organizationId) await repo.recordPartnerAccess(tx, plan.id, action);
}

/** The reader's own record of the person, for the audit row (so the read shows in its own access history). */
async function readerRecord(tx: Tx, plan: CarePlanRow): Promise<string> {
  if (plan.organization_id === tx.actor.organizationId) return plan.client_id;
  const own = await repo.ownRecords(tx, await repo.personRecords(tx, plan.client_id));
  return own[0] ?? plan.client_id;
}

async function loadPlan(tx: Tx, id: string): Promise<CarePlanRow> {
  const plan = await repo.findPlan(tx, id);
  if (!plan) throw notFound();
  return plan;
}

/** For a change: the plan must be visible and still active. */
async function openPlan(tx: Tx, id: string): Promise<CarePlanRow> {
  const plan = await loadPlan(tx, id);
  if (plan.status !== 'active') throw conflict('care-plan-closed');
  return plan;
}

export async function readPlan(tx: Tx, id: string, asOf?: string) {
  const plan = await loadPlan(tx, id);
  const state = asOf ? await stateAsOf(tx, id, asOf) : await liveState(tx, plan);
  if (!state) throw notFound();
  const detail = await detailOf(tx, state, asOf ?? null);
  await auditPlan(tx, plan, CARE_PLAN_AUDIT.read, await readerRecord(tx, plan), asOf ? { asOf } : {});
  return detail;
}

/** The plan of the person behind one of my records, found through the links (404 when none or not allowed). */
export async function clientPlan(tx: Tx, clientId: string) {
  await requireAccess(tx, 'client', clientId);
  const [planId] = await repo.personPlanIds(tx, clientId);
  const plan = planId ? await repo.findPlan(tx, planId) : undefined;
  if (!plan) throw notFound();
  const detail = await detailOf(tx, await liveState(tx, plan));
  await auditPlan(tx, plan, CARE_PLAN_AUDIT.read, clientId);
  return detail;
}

/**
 * The person's plans I may see, open and closed (a closed plan stays readable from the client page, and a new plan
 * may follow it): dates and status only, audited against my record of the person.
 */
export async function listPlans(tx: Tx, input: PlanListQuery) {
  await requireAccess(tx, 'client', input.clientId);
  const rows = await repo.personPlans(tx, input.clientId);
  await tx.audit({
    action: CARE_PLAN_AUDIT.list,
    entityType: 'client',
    entityId: input.clientId,
    details: { clientId: input.clientId, count: rows.length },
  });
  return {
    items: rows.map((r) => ({
      id: r.id,
      status: r.status as 'active' | 'closed',
      createdAt: iso(r.created_at),
      closedOn: r.closed_on,
    })),
  };
}

/** The detail after a change: the change's own audit row says what happened. */
async function quietDetail(tx: Tx, id: string) {
  return detailOf(tx, await liveState(tx, await loadPlan(tx, id)));
}

export async function planHistory(tx: Tx, id: string) {
  const plan = await loadPlan(tx, id);
  const rows = await repo.history(tx, id);
  await auditPlan(tx, plan, CARE_PLAN_AUDIT.history, await readerRecord(tx, plan));
  return {
    items: rows.map((r) => ({
      at: iso(r.at),
      entity: r.entity,
      entityId: r.entity_id,
      operation: r.operation,
      fields: r.fields,
      actorDisplayName: r.actor_name,
      organizationName: r.organization_name,
    })),
  };
}

// ------------------------------------------------------------------------------------------------ the plan
export async function createPlan(tx: Tx, input: PlanCreate) {
  const organizationId = ownOrganization(tx);
  if (!(await hasAccess(tx, 'client', input.clientId))) throw invalid({ field: 'clientId', code: 'client-unknown' });
  const records = await repo.personRecords(tx, input.clientId);
  await repo.lockPerson(tx, records);
  if ((await repo.personPlanIds(tx, input.clientId)).length)
    throw new AppError('conflict', [{ field: 'clientId', code: 'care-plan-exists' }]);
  const own = await repo.ownRecords(tx, records);
  const level = input.careLevel ?? (await repo.indicatedLevel(tx, own));
  const months = input.evaluationIntervalMonths ?? 3;
  const plan = await tx.db
    .insertInto('care_plans')
    .values({
      network_id: tx.actor.networkId,
      organization_id: organizationId,
      client_id: input.clientId,
      care_level: level,
      person_wishes: input.personWishes ?? null,
      evaluation_interval_months: months,
      next_evaluation_on: addMonths(brusselsDate(), months),
      created_by: tx.actor.userId,
      updated_by: tx.actor.userId,
    })
    .returning(['id', 'client_id', 'organization_id'])
    .executeTakeFirstOrThrow();
  // the team starts with the person, the organisation and the caregiver who made the plan (its coordinator)
  const member = (values: { kind: string; organization_id?: string | null; user_id?: string | null }) =>
    tx.db
      .insertInto('care_team_members')
      .values({ care_plan_id: plan.id, created_by: tx.actor.userId, updated_by: tx.actor.userId, ...values })
      .returning('id')
      .executeTakeFirstOrThrow();
  await member({ kind: 'person' });
  const org = await member({ kind: 'organization', organization_id: organizationId });
  const caregiver = tx.actor.userId
    ? await member({ kind: 'caregiver', organization_id: organizationId, user_id: tx.actor.userId })
    : org;
  await tx.db
    .updateTable('care_plans')
    .set({ coordinator_member_id: caregiver.id })
    .where('id', '=', plan.id)
    .execute();
  await auditPlan(tx, plan, CARE_PLAN_AUDIT.create, input.clientId, { careLevel: level });
  return { id: plan.id };
}

export async function updatePlan(tx: Tx, id: string, input: PlanUpdate) {
  const plan = await openPlan(tx, id);
  if (input.agreedOn && input.agreedOn > brusselsDate()) throw invalid({ field: 'agreedOn', code: 'date-future' });
  const months = input.evaluationIntervalMonths;
  const changed = await tx.db
    .updateTable('care_plans')
    .set({
      ...(input.personWishes !== undefined ? { person_wishes: input.personWishes } : {}),
      ...(input.agreedOn !== undefined ? { agreed_on: input.agreedOn } : {}),
      ...(input.agreementMethod !== undefined ? { agreement_method: input.agreementMethod } : {}),
      ...(months !== undefined ? { evaluation_interval_months: months } : {}),
      ...(input.nextEvaluationOn !== undefined ? { next_evaluation_on: input.nextEvaluationOn } : {}),
      ...(input.careLevel !== undefined ? { care_level: input.careLevel } : {}),
      version: plan.version + 1,
      updated_by: tx.actor.userId,
      updated_at: new Date(),
    })
    .where('id', '=', plan.id)
    .where('version', '=', input.version)
    .returning('id')
    .executeTakeFirst();
  if (!changed) throw conflict('version-conflict', await quietDetail(tx, plan.id));
  await auditPlan(tx, plan, CARE_PLAN_AUDIT.update, await readerRecord(tx, plan), {
    fields: Object.keys(input)
      .filter((k) => k !== 'version')
      .join(','),
  });
  return quietDetail(tx, plan.id);
}

export async function handOver(tx: Tx, id: string, input: CoordinatorHandover) {
  const plan = await openPlan(tx, id);
  const member = (await repo.members(tx, plan.id)).find((m) => m.id === input.memberId && m.active);
  if (!member) throw invalid({ field: 'memberId', code: 'member-unknown' });
  if (member.kind !== 'caregiver' && member.kind !== 'organization')
    throw invalid({ field: 'memberId', code: 'coordinator-kind' });
  await tx.db
    .updateTable('care_plans')
    .set({
      coordinator_member_id: member.id,
      coordinator_handover_reason: input.reason ?? null,
      version: plan.version + 1,
      updated_by: tx.actor.userId,
      updated_at: new Date(),
    })
    .where('id', '=', plan.id)
    .execute();
  await auditPlan(tx, plan, CARE_PLAN_AUDIT.handover, await readerRecord(tx, plan), {
    from: plan.coordinator_member_id,
    to: member.id,
  });
  return quietDetail(tx, plan.id);
}

// ------------------------------------------------------------------------------------------------ goals
export async function addGoal(tx: Tx, id: string, input: GoalCreate) {
  const plan = await openPlan(tx, id);
  const goal = await tx.db
    .insertInto('care_plan_goals')
    .values({
      care_plan_id: plan.id,
      person_words: input.description,
      professional_wording: input.professionalWording ?? null,
      life_domain: input.lifeDomain ?? null,
      target_date: input.targetDate ?? null,
      status: input.status ?? 'proposed',
      created_by: tx.actor.userId,
      updated_by: tx.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await auditPlan(tx, plan, CARE_PLAN_AUDIT.goalCreate, await readerRecord(tx, plan), { goalId: goal.id });
  return { id: goal.id };
}

/** Goal statuses: proposed → active → achieved | not-achieved | cancelled (a proposal may also be dropped). */
const GOAL_NEXT: Record<string, readonly string[]> = {
  proposed: ['proposed', 'active', 'cancelled'],
  active: ['active', 'achieved', 'not-achieved', 'cancelled'],
  achieved: ['achieved', 'active'],
  'not-achieved': ['not-achieved', 'active'],
  cancelled: ['cancelled', 'proposed'],
};

export async function updateGoal(tx: Tx, id: string, goalId: string, input: GoalUpdate) {
  const plan = await openPlan(tx, id);
  const users = new Map<string, string>();
  const current = (await repo.goals(tx, plan.id)).find((g) => g.id === goalId);
  if (!current) throw notFound();
  if (current.version !== input.version) throw conflict('version-conflict', await goalState(tx, current, users));
  if (input.status && !GOAL_NEXT[current.status]!.includes(input.status))
    throw invalid({ field: 'status', code: 'transition-not-allowed' });
  const changed = await tx.db
    .updateTable('care_plan_goals')
    .set({
      ...(input.description !== undefined ? { person_words: input.description } : {}),
      ...(input.professionalWording !== undefined ? { professional_wording: input.professionalWording } : {}),
      ...(input.lifeDomain !== undefined ? { life_domain: input.lifeDomain } : {}),
      ...(input.targetDate !== undefined ? { target_date: input.targetDate } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      version: input.version + 1,
      updated_by: tx.actor.userId,
      updated_at: new Date(),
    })
    .where('id', '=', goalId)
    .where('care_plan_id', '=', plan.id)
    .where('version', '=', input.version)
    .returningAll()
    .executeTakeFirst();
  // someone else's change got in between our read and our update: refuse with what is there now, never overwrite
  if (!changed) {
    const now = (await repo.goals(tx, plan.id)).find((g) => g.id === goalId)!;
    throw conflict('version-conflict', await goalState(tx, now, users));
  }
  await auditPlan(tx, plan, CARE_PLAN_AUDIT.goalUpdate, await readerRecord(tx, plan), {
    goalId,
    version: changed.version,
  });
  return goalState(tx, changed, users);
}

async function goalState(tx: Tx, g: CarePlanGoalRow, users: Map<string, string>) {
  if (g.updated_by && !users.has(g.updated_by))
    for (const [k, v] of await repo.userNames(tx, [g.updated_by])) users.set(k, v);
  return goalDto(g, users);
}

// ------------------------------------------------------------------------------------------------ actions
async function ownerColumns(
  tx: Tx,
  plan: CarePlanRow,
  owner: ActionCreate['owner'],
  errors: FieldError[],
): Promise<{
  owner_kind: string;
  owner_organization_id: string | null;
  owner_user_id: string | null;
  owner_member_id: string | null;
}> {
  const none = { owner_organization_id: null, owner_user_id: null, owner_member_id: null };
  if (owner.kind === 'client') {
    if (owner.id) errors.push({ field: 'owner.id', code: 'owner-id-unexpected' });
    return { owner_kind: 'client', ...none };
  }
  if (!owner.id) {
    errors.push({ field: 'owner.id', code: 'owner-id-required' });
    return { owner_kind: owner.kind, ...none };
  }
  if (owner.kind === 'organization') {
    if (!(await repo.networkOrganization(tx, owner.id))) errors.push({ field: 'owner.id', code: 'owner-unknown' });
    return { owner_kind: 'organization', ...none, owner_organization_id: owner.id };
  }
  if (owner.kind === 'user') {
    const team = await repo.members(tx, plan.id);
    const onTeam = team.some((m) => m.kind === 'caregiver' && m.user_id === owner.id && m.active);
    const colleague = (await repo.caregiverOrganization(tx, owner.id)) === tx.actor.organizationId;
    if (!onTeam && !colleague) errors.push({ field: 'owner.id', code: 'owner-unknown' });
    return { owner_kind: 'user', ...none, owner_user_id: owner.id };
  }
  const member = (await repo.members(tx, plan.id)).find((m) => m.id === owner.id);
  if (!member || member.kind !== 'support-person' || !member.active)
    errors.push({ field: 'owner.id', code: 'owner-unknown' });
  return { owner_kind: 'support-person', ...none, owner_member_id: owner.id };
}

async function checkGoal(tx: Tx, plan: CarePlanRow, goalId: string | null | undefined, errors: FieldError[]) {
  if (!goalId) return;
  if (!(await repo.goals(tx, plan.id)).some((g) => g.id === goalId))
    errors.push({ field: 'goalId', code: 'goal-unknown' });
}

export async function addAction(tx: Tx, id: string, input: ActionCreate) {
  const plan = await openPlan(tx, id);
  const errors: FieldError[] = [];
  await checkGoal(tx, plan, input.goalId, errors);
  const owner = await ownerColumns(tx, plan, input.owner, errors);
  if (errors.length) throw invalid(...errors);
  const action = await tx.db
    .insertInto('care_plan_actions')
    .values({
      care_plan_id: plan.id,
      goal_id: input.goalId ?? null,
      description: input.description,
      ...owner,
      due_date: input.dueDate ?? null,
      created_by: tx.actor.userId,
      updated_by: tx.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await auditPlan(tx, plan, CARE_PLAN_AUDIT.actionCreate, await readerRecord(tx, plan), {
    actionId: action.id,
    owner: input.owner.kind,
  });
  return { id: action.id };
}

async function actionState(tx: Tx, plan: CarePlanRow, a: CarePlanActionRow) {
  const members = await repo.members(tx, plan.id);
  return actionDto(
    a,
    await repo.userNames(tx, [a.owner_user_id]),
    await repo.organizationNames(tx, [a.owner_organization_id]),
    new Map(members.map((m) => [m.id, m])),
    brusselsDate(),
  );
}

export async function updateAction(tx: Tx, id: string, actionId: string, input: ActionUpdate) {
  const plan = await openPlan(tx, id);
  const current = (await repo.actions(tx, plan.id)).find((a) => a.id === actionId);
  if (!current) throw notFound();
  if (current.version !== input.version) throw conflict('version-conflict', await actionState(tx, plan, current));
  const errors: FieldError[] = [];
  if (input.goalId !== undefined) await checkGoal(tx, plan, input.goalId, errors);
  const owner = input.owner ? await ownerColumns(tx, plan, input.owner, errors) : {};
  if (errors.length) throw invalid(...errors);
  const changed = await tx.db
    .updateTable('care_plan_actions')
    .set({
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.goalId !== undefined ? { goal_id: input.goalId } : {}),
      ...owner,
      ...(input.dueDate !== undefined ? { due_date: input.dueDate } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      version: input.version + 1,
      updated_by: tx.actor.userId,
      updated_at: new Date(),
    })
    .where('id', '=', actionId)
    .where('care_plan_id', '=', plan.id)
    .where('version', '=', input.version)
    .returningAll()
    .executeTakeFirst();
  if (!changed) {
    const now = (await repo.actions(tx, plan.id)).find((a) => a.id === actionId)!;
    throw conflict('version-conflict', await actionState(tx, plan, now));
  }
  await auditPlan(tx, plan, CARE_PLAN_AUDIT.actionUpdate, await readerRecord(tx, plan), {
    actionId,
    version: changed.version,
  });
  return actionState(tx, plan, changed);
}

// ------------------------------------------------------------------------------------------------ team
export async function addMember(tx: Tx, id: string, input: MemberCreate) {
  const plan = await openPlan(tx, id);
  const errors: FieldError[] = [];
  let organizationId: string | null = null;
  if (input.kind === 'organization') {
    if (!input.organizationId) errors.push({ field: 'organizationId', code: 'required' });
    else if (!(await repo.networkOrganization(tx, input.organizationId)))
      errors.push({ field: 'organizationId', code: 'organization-unknown' });
    organizationId = input.organizationId ?? null;
  }
  if (input.kind === 'caregiver') {
    if (!input.userId) errors.push({ field: 'userId', code: 'required' });
    else {
      organizationId = await repo.caregiverOrganization(tx, input.userId);
      if (!organizationId) errors.push({ field: 'userId', code: 'user-unknown' });
    }
  }
  if (input.kind === 'support-person' && !input.name) errors.push({ field: 'name', code: 'required' });
  if (errors.length) throw invalid(...errors);
  const member = await tx.db
    .insertInto('care_team_members')
    .values({
      care_plan_id: plan.id,
      kind: input.kind,
      organization_id: organizationId,
      user_id: input.kind === 'caregiver' ? input.userId! : null,
      name: input.kind === 'support-person' ? input.name! : null,
      relation: input.relation ?? null,
      contact: input.contact ?? null,
      role: input.role ?? null,
      created_by: tx.actor.userId,
      updated_by: tx.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await auditPlan(tx, plan, CARE_PLAN_AUDIT.memberCreate, await readerRecord(tx, plan), {
    memberId: member.id,
    kind: input.kind,
  });
  return { id: member.id };
}

export async function updateMember(tx: Tx, id: string, memberId: string, input: MemberUpdate) {
  const plan = await openPlan(tx, id);
  const current = (await repo.members(tx, plan.id)).find((m) => m.id === memberId);
  if (!current) throw notFound();
  const errors: FieldError[] = [];
  if (input.name !== undefined && current.kind !== 'support-person')
    errors.push({ field: 'name', code: 'unknown-field' });
  if (input.active === false && plan.coordinator_member_id === memberId)
    errors.push({ field: 'active', code: 'coordinator-kind' });
  if (input.active === false && current.kind === 'person') errors.push({ field: 'active', code: 'member-unknown' });
  if (errors.length) throw invalid(...errors);
  const changed = await tx.db
    .updateTable('care_team_members')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.relation !== undefined ? { relation: input.relation } : {}),
      ...(input.contact !== undefined ? { contact: input.contact } : {}),
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      version: input.version + 1,
      updated_by: tx.actor.userId,
      updated_at: new Date(),
    })
    .where('id', '=', memberId)
    .where('care_plan_id', '=', plan.id)
    .where('version', '=', input.version)
    .returning('id')
    .executeTakeFirst();
  if (!changed) {
    const detail = await quietDetail(tx, plan.id);
    throw conflict(
      'version-conflict',
      detail.team.find((m) => m.id === memberId),
    );
  }
  await auditPlan(tx, plan, CARE_PLAN_AUDIT.memberUpdate, await readerRecord(tx, plan), { memberId });
  return quietDetail(tx, plan.id);
}

// ------------------------------------------------------------------------------------------------ links
function linkDto(l: ClientLinkRow, from: string, orgs: Map<string, string>, users: Map<string, string>) {
  const mine = l.client_id === from;
  const otherOrg = mine ? l.other_organization_id : l.organization_id;
  return {
    id: l.id,
    clientId: from,
    otherClientId: mine ? l.other_client_id : l.client_id,
    otherOrganizationId: otherOrg,
    otherOrganizationName: orgs.get(otherOrg) ?? '',
    kind: l.kind as 'referral' | 'manual',
    referralId: l.referral_id,
    note: l.note,
    createdAt: iso(l.created_at),
    createdByDisplayName: l.created_by ? (users.get(l.created_by) ?? null) : null,
    unlinkedAt: l.unlinked_at ? iso(l.unlinked_at) : null,
    unlinkReason: l.unlink_reason,
  };
}

/** The links of one of my records, and candidates to link: my records with the same INSZ, referral partners. */
export async function listLinks(tx: Tx, clientId: string) {
  await requireAccess(tx, 'client', clientId);
  const links = await repo.linksOf(tx, clientId);
  const linked = new Set(
    links.filter((l) => !l.unlinked_at).map((l) => (l.client_id === clientId ? l.other_client_id : l.client_id)),
  );
  const twins = (await repo.sameInsz(tx, clientId)).filter((c) => !linked.has(c.id));
  const partners = (await repo.referralCounterparts(tx, clientId)).filter(
    (p) => !linked.has(p.otherClientId) && p.otherClientId !== clientId,
  );
  const own = ownOrganization(tx);
  const orgs = await repo.organizationNames(tx, [
    own,
    ...links.flatMap((l) => [l.organization_id, l.other_organization_id]),
    ...partners.map((p) => p.otherOrganizationId),
  ]);
  const users = await repo.userNames(
    tx,
    links.map((l) => l.created_by),
  );
  const ownNames = new Map(
    (
      await repo.clientNames(
        tx,
        partners.map((p) => p.otherClientId),
      )
    ).map((c) => [c.id, displayName(c)]),
  );
  await tx.audit({
    action: CARE_PLAN_AUDIT.linksRead,
    entityType: 'client',
    entityId: clientId,
    details: { clientId, count: links.length },
  });
  return {
    items: links.map((l) => linkDto(l, clientId, orgs, users)),
    candidates: [
      ...twins.map((c) => ({
        clientId: c.id,
        organizationId: own,
        organizationName: orgs.get(own) ?? '',
        displayName: displayName(c),
        hint: 'same-insz' as const,
        referralId: null,
      })),
      ...partners.map((p) => ({
        clientId: p.otherClientId,
        organizationId: p.otherOrganizationId,
        organizationName: orgs.get(p.otherOrganizationId) ?? '',
        // a name only for a record of my own organisation: a link never opens the partner's record
        displayName: ownNames.get(p.otherClientId) ?? null,
        hint: 'referral' as const,
        referralId: p.referralId,
      })),
    ],
  };
}

/**
 * Links two records of one person by hand: two records of my organisation, or mine and the partner's record of a
 * referral between us for this person. Never a merge: each record stays its organisation's own.
 */
export async function createLink(tx: Tx, input: LinkCreate) {
  const own = ownOrganization(tx);
  if (!(await hasAccess(tx, 'client', input.clientId))) throw invalid({ field: 'clientId', code: 'client-unknown' });
  if (input.clientId === input.otherClientId) throw invalid({ field: 'otherClientId', code: 'link-self' });
  let otherOrganization: string | null = null;
  let referralId: string | null = null;
  if (await hasAccess(tx, 'client', input.otherClientId)) otherOrganization = own;
  else {
    const partner = (await repo.referralCounterparts(tx, input.clientId)).find(
      (p) => p.otherClientId === input.otherClientId,
    );
    if (partner) {
      otherOrganization = partner.otherOrganizationId;
      referralId = partner.referralId;
    }
  }
  if (!otherOrganization) throw invalid({ field: 'otherClientId', code: 'link-not-allowed' });
  await repo.lockPerson(tx, await repo.personRecords(tx, input.clientId));
  if (await repo.activeLink(tx, input.clientId, input.otherClientId))
    throw new AppError('conflict', [{ field: 'otherClientId', code: 'link-exists' }]);
  const link = await tx.db
    .insertInto('client_links')
    .values({
      network_id: tx.actor.networkId,
      client_id: input.clientId,
      organization_id: own,
      other_client_id: input.otherClientId,
      other_organization_id: otherOrganization,
      kind: 'manual',
      referral_id: null,
      note: input.note ?? null,
      created_by: tx.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // one plan per person: joining two people who each have a plan is refused (the link rolls back with the error)
  if ((await repo.personPlanIds(tx, input.clientId)).length > 1)
    throw new AppError('conflict', [{ field: 'otherClientId', code: 'care-plans-both' }]);
  await tx.audit({
    action: CARE_PLAN_AUDIT.link,
    entityType: 'client',
    entityId: input.clientId,
    details: { clientId: input.clientId, otherClientId: input.otherClientId, linkId: link.id, referralId },
  });
  return { id: link.id };
}

export async function unlink(tx: Tx, id: string, input: Unlink) {
  const link = await repo.findLink(tx, id);
  if (!link) throw notFound();
  if (link.unlinked_at) throw new AppError('conflict', [{ field: 'id', code: 'link-unlinked' }]);
  await tx.db
    .updateTable('client_links')
    .set({ unlinked_at: new Date(), unlinked_by: tx.actor.userId, unlink_reason: input.reason })
    .where('id', '=', link.id)
    .where('unlinked_at', 'is', null)
    .execute();
  const from = link.organization_id === tx.actor.organizationId ? link.client_id : link.other_client_id;
  await tx.audit({
    action: CARE_PLAN_AUDIT.unlink,
    entityType: 'client',
    entityId: from,
    details: { clientId: from, linkId: link.id },
  });
  const updated = (await repo.findLink(tx, id))!;
  const orgs = await repo.organizationNames(tx, [link.organization_id, link.other_organization_id]);
  return linkDto(updated, from, orgs, await repo.userNames(tx, [link.created_by]));
}

// ------------------------------------------------------------------------------------------------ evaluations
/** Stepped care, lowest to highest: stepping up or down moves one place (offers' LEVELS are in this order). */
const LEVEL_ORDER = ['zero-line', 'basic', 'specialised', 'crisis'] as const;

/**
 * An evaluation: progress per goal (0–10), what the person says, and a decision. A step up or down is a dated
 * revision with its reason and my organisation's latest screening scores beside it, and the answer names the new
 * level so the UI can open matching and the referral form with it; `close` closes the plan.
 */
export async function addEvaluation(tx: Tx, id: string, input: EvaluationCreate) {
  const plan = await lockPlan(tx, id);
  const errors: FieldError[] = [];
  const today = brusselsDate();
  const evaluatedOn = input.evaluatedOn ?? today;
  if (evaluatedOn > today) errors.push({ field: 'evaluatedOn', code: 'date-future' });
  const goalIds = new Set((await repo.goals(tx, plan.id)).map((g) => g.id));
  const seen = new Set<string>();
  input.goals.forEach((g, i) => {
    if (!goalIds.has(g.goalId)) errors.push({ field: `goals.${i}.goalId`, code: 'goal-unknown' });
    else if (seen.has(g.goalId)) errors.push({ field: `goals.${i}.goalId`, code: 'progress-goal-duplicate' });
    seen.add(g.goalId);
  });
  const members = new Set((await repo.members(tx, plan.id)).map((m) => m.id));
  const present = input.presentMemberIds ?? [];
  if (input.caseConference && !present.length) errors.push({ field: 'presentMemberIds', code: 'present-required' });
  if (input.stepDownConsidered && input.decision !== 'continue')
    errors.push({ field: 'stepDownConsidered', code: 'only-with-continue' });
  present.forEach((m, i) => {
    if (!members.has(m)) errors.push({ field: `presentMemberIds.${i}`, code: 'member-unknown' });
  });
  const from = plan.care_level;
  let to: string | null = null;
  if (input.decision === 'step-up' || input.decision === 'step-down') {
    const at = LEVEL_ORDER.indexOf((from ?? 'basic') as (typeof LEVEL_ORDER)[number]);
    const next = input.decision === 'step-up' ? at + 1 : at - 1;
    to = LEVEL_ORDER[next] ?? null;
    if (!to)
      errors.push({ field: 'decision', code: input.decision === 'step-up' ? 'no-higher-level' : 'no-lower-level' });
  }
  if (input.nextEvaluationOn && input.nextEvaluationOn < evaluatedOn)
    errors.push({ field: 'nextEvaluationOn', code: 'date-past' });
  if (errors.length) throw invalid(...errors);

  const evaluation = await tx.db
    .insertInto('care_plan_evaluations')
    .values({
      care_plan_id: plan.id,
      organization_id: ownOrganization(tx),
      evaluated_on: evaluatedOn,
      decision: input.decision,
      note: input.note,
      person_says: input.personSays ?? null,
      case_conference: input.caseConference ?? false,
      step_down_considered: input.stepDownConsidered ?? false,
      present_member_ids: present,
      created_by: tx.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (input.goals.length)
    await tx.db
      .insertInto('care_plan_evaluation_goals')
      .values(
        input.goals.map((g) => ({
          evaluation_id: evaluation.id,
          care_plan_id: plan.id,
          goal_id: g.goalId,
          progress: g.progress,
          note: g.note ?? null,
        })),
      )
      .execute();
  const records = await repo.ownRecords(tx, await repo.personRecords(tx, plan.client_id));
  let revision: ReturnType<typeof revisionDto> | null = null;
  if (input.decision !== 'continue') {
    const screenings = (await repo.latestScreenings(tx, records)).map((s) => ({
      instrumentId: s.instrument_id,
      score: s.score === null ? null : Number(s.score),
      band: s.band,
      administeredAt: iso(s.administered_at),
    }));
    const row = await tx.db
      .insertInto('care_plan_revisions')
      .values({
        care_plan_id: plan.id,
        evaluation_id: evaluation.id,
        kind: input.decision,
        revised_on: evaluatedOn,
        from_level: from,
        to_level: input.decision === 'close' ? from : to,
        reason: input.reason ?? input.note,
        screenings: JSON.stringify(screenings),
        created_by: tx.actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    revision = revisionDto(row);
  }
  const closing = input.decision === 'close';
  const next = closing ? null : (input.nextEvaluationOn ?? addMonths(evaluatedOn, plan.evaluation_interval_months));
  await tx.db
    .updateTable('care_plans')
    .set({
      next_evaluation_on: next,
      ...(to ? { care_level: to } : {}),
      ...(closing ? { status: 'closed', closed_on: evaluatedOn } : {}),
      version: plan.version + 1,
      updated_by: tx.actor.userId,
      updated_at: new Date(),
    })
    .where('id', '=', plan.id)
    .execute();
  await auditPlan(tx, plan, CARE_PLAN_AUDIT.evaluationCreate, records[0] ?? plan.client_id, {
    evaluationId: evaluation.id,
    decision: input.decision,
    ...(to ? { toLevel: to } : {}),
  });
  return {
    id: evaluation.id,
    decision: input.decision,
    planStatus: closing ? ('closed' as const) : ('active' as const),
    nextEvaluationOn: next,
    revision,
    step: to
      ? {
          direction: input.decision === 'step-up' ? ('up' as const) : ('down' as const),
          fromLevel: from,
          toLevel: to,
          clientId: records[0] ?? null,
          helpRequestId: await repo.openHelpRequest(tx, records),
        }
      : null,
  };
}

/** Locks the plan for an evaluation (two at once line up: each sees the other's level and version). */
async function lockPlan(tx: Tx, id: string): Promise<CarePlanRow> {
  const plan = await repo.lockPlan(tx, id);
  if (!plan) throw notFound();
  if (plan.status !== 'active') throw conflict('care-plan-closed');
  return plan;
}

export async function planFhir(tx: Tx, id: string) {
  const plan = await loadPlan(tx, id);
  const detail = await detailOf(tx, await liveState(tx, plan));
  await auditPlan(tx, plan, CARE_PLAN_AUDIT.fhir, await readerRecord(tx, plan));
  return carePlanBundle(detail);
}
