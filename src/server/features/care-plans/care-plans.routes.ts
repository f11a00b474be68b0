import { Type } from '@sinclair/typebox';
import { tenant, type App } from '../../core/http/context.ts';
import { IdParams } from '../../core/http/schemas.ts';
import {
  Action,
  ActionCreate,
  ActionParams,
  ActionUpdate,
  CoordinatorHandover,
  Created,
  EvaluationCreate,
  EvaluationCreated,
  FhirCarePlanBundle,
  Goal,
  GoalCreate,
  GoalParams,
  GoalUpdate,
  HistoryEntry,
  Link,
  LinkCreate,
  LinkList,
  MemberCreate,
  MemberParams,
  MemberUpdate,
  PlanCreate,
  PlanDetail,
  PlanListItem,
  PlanListQuery,
  PlanQuery,
  PlanUpdate,
  Unlink,
} from './care-plans.schema.ts';
import * as plans from './care-plans.service.ts';
import { CARE_PLAN_AUDIT as A } from './care-plans.audit.ts';

const TAGS = ['care-plans'];
/**
 * A read of a plan by an organisation that a consent shares it with also writes a row into the maker's audit trail
 * (migration 025, so it shows in the maker's access history of the person): a write transaction.
 */
const PARTNER_READ = { write: true } as const;

export async function carePlanRoutes(app: App) {
  app.post(
    '/api/care-plans',
    {
      config: { access: 'care-plan:write', auditAction: A.create },
      schema: {
        tags: TAGS,
        summary: 'Make the care plan of the person behind one of my records (409 when the person has one)',
        body: PlanCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) => reply.code(201).send(await tenant(app, req, (tx) => plans.createPlan(tx, req.body))),
  );

  app.get(
    '/api/care-plans',
    {
      config: { access: 'care-plan:read', auditAction: A.list },
      schema: {
        tags: TAGS,
        summary: 'The plans of the person behind my record that I may see, open and closed, newest first',
        querystring: PlanListQuery,
        response: { 200: Type.Object({ items: Type.Array(PlanListItem) }) },
      },
    },
    (req) => tenant(app, req, (tx) => plans.listPlans(tx, req.query)),
  );

  app.get(
    '/api/care-plans/:id',
    {
      config: { access: 'care-plan:read', auditAction: A.read },
      schema: {
        tags: TAGS,
        summary: 'The plan with goals, actions, team, evaluations and revisions; ?asOf=YYYY-MM-DD as it was then',
        params: IdParams,
        querystring: PlanQuery,
        response: { 200: PlanDetail },
      },
    },
    (req) => tenant(app, req, (tx) => plans.readPlan(tx, req.params.id, req.query.asOf), PARTNER_READ),
  );

  app.patch(
    '/api/care-plans/:id',
    {
      config: { access: 'care-plan:write', auditAction: A.update },
      schema: {
        tags: TAGS,
        summary: "Samen beslissen and the schedule: the person's wishes, agreement (when, how), evaluation interval",
        params: IdParams,
        body: PlanUpdate,
        response: { 200: PlanDetail },
      },
    },
    (req) => tenant(app, req, (tx) => plans.updatePlan(tx, req.params.id, req.body)),
  );

  app.get(
    '/api/clients/:id/care-plan',
    {
      config: { access: 'care-plan:read', auditAction: A.read },
      schema: {
        tags: TAGS,
        summary: 'The plan of the person behind my record, through the links (404 when none or not allowed)',
        params: IdParams,
        response: { 200: PlanDetail },
      },
    },
    (req) => tenant(app, req, (tx) => plans.clientPlan(tx, req.params.id), PARTNER_READ),
  );

  app.get(
    '/api/care-plans/:id/history',
    {
      config: { access: 'care-plan:read', auditAction: A.history },
      schema: {
        tags: TAGS,
        summary: 'Every change of the plan: who, when, what (newest first)',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(HistoryEntry) }) },
      },
    },
    (req) => tenant(app, req, (tx) => plans.planHistory(tx, req.params.id), PARTNER_READ),
  );

  app.post(
    '/api/care-plans/:id/coordinator',
    {
      config: { access: 'care-plan:write', auditAction: A.handover },
      schema: {
        tags: TAGS,
        summary: 'Hand the coordinator role (regisseur) to another caregiver or organisation of the team',
        params: IdParams,
        body: CoordinatorHandover,
        response: { 200: PlanDetail },
      },
    },
    (req) => tenant(app, req, (tx) => plans.handOver(tx, req.params.id, req.body)),
  );

  app.post(
    '/api/care-plans/:id/goals',
    {
      config: { access: 'care-plan:write', auditAction: A.goalCreate },
      schema: {
        tags: TAGS,
        summary: "Add a goal in the person's own words (the professional wording beside them)",
        params: IdParams,
        body: GoalCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => plans.addGoal(tx, req.params.id, req.body))),
  );

  app.patch(
    '/api/care-plans/:id/goals/:goalId',
    {
      config: { access: 'care-plan:write', auditAction: A.goalUpdate },
      schema: {
        tags: TAGS,
        summary: 'Change a goal from the version read (409 version-conflict with the current goal when stale)',
        params: GoalParams,
        body: GoalUpdate,
        response: { 200: Goal },
      },
    },
    (req) => tenant(app, req, (tx) => plans.updateGoal(tx, req.params.id, req.params.goalId, req.body)),
  );

  app.post(
    '/api/care-plans/:id/actions',
    {
      config: { access: 'care-plan:write', auditAction: A.actionCreate },
      schema: {
        tags: TAGS,
        summary: 'Add an action with one owner: an organisation, a caregiver, the person or a support person',
        params: IdParams,
        body: ActionCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => plans.addAction(tx, req.params.id, req.body))),
  );

  app.patch(
    '/api/care-plans/:id/actions/:actionId',
    {
      config: { access: 'care-plan:write', auditAction: A.actionUpdate },
      schema: {
        tags: TAGS,
        summary: 'Change an action (done, dropped, owner, due date) from the version read (409 when stale)',
        params: ActionParams,
        body: ActionUpdate,
        response: { 200: Action },
      },
    },
    (req) => tenant(app, req, (tx) => plans.updateAction(tx, req.params.id, req.params.actionId, req.body)),
  );

  app.post(
    '/api/care-plans/:id/team',
    {
      config: { access: 'care-plan:write', auditAction: A.memberCreate },
      schema: {
        tags: TAGS,
        summary: 'Add an organisation, a caregiver or a support person (name, relation, contact, role) to the team',
        params: IdParams,
        body: MemberCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => plans.addMember(tx, req.params.id, req.body))),
  );

  app.patch(
    '/api/care-plans/:id/team/:memberId',
    {
      config: { access: 'care-plan:write', auditAction: A.memberUpdate },
      schema: {
        tags: TAGS,
        summary: 'Change a team member, or take them off the team (active: false)',
        params: MemberParams,
        body: MemberUpdate,
        response: { 200: PlanDetail },
      },
    },
    (req) => tenant(app, req, (tx) => plans.updateMember(tx, req.params.id, req.params.memberId, req.body)),
  );

  app.get(
    '/api/clients/:id/links',
    {
      config: { access: 'care-plan:read', auditAction: A.linksRead, record: 'client' },
      schema: {
        tags: TAGS,
        summary: 'The links of my record to other records of the person, and candidates (same INSZ, referral partner)',
        params: IdParams,
        response: { 200: LinkList },
      },
    },
    (req) => tenant(app, req, (tx) => plans.listLinks(tx, req.params.id)),
  );

  app.post(
    '/api/client-links',
    {
      config: { access: 'care-plan:write', auditAction: A.link },
      schema: {
        tags: TAGS,
        summary: 'Link two records of one person by hand (recorded, audited; never a merge)',
        body: LinkCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) => reply.code(201).send(await tenant(app, req, (tx) => plans.createLink(tx, req.body))),
  );

  app.post(
    '/api/client-links/:id/unlink',
    {
      config: { access: 'care-plan:write', auditAction: A.unlink },
      schema: {
        tags: TAGS,
        summary: 'Undo a link (who, when and why are kept)',
        params: IdParams,
        body: Unlink,
        response: { 200: Link },
      },
    },
    (req) => tenant(app, req, (tx) => plans.unlink(tx, req.params.id, req.body)),
  );

  app.post(
    '/api/care-plans/:id/evaluations',
    {
      config: { access: 'care-plan:write', auditAction: A.evaluationCreate },
      schema: {
        tags: TAGS,
        summary:
          'Evaluate: progress per goal (0–10), what the person says, continue / step up / step down / close; a step names the new level of care',
        params: IdParams,
        body: EvaluationCreate,
        response: { 201: EvaluationCreated },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => plans.addEvaluation(tx, req.params.id, req.body))),
  );

  app.get(
    '/api/care-plans/:id/fhir',
    {
      config: { access: 'care-plan:read', auditAction: A.fhir },
      schema: {
        tags: ['care-plans', 'fhir'],
        summary: 'The plan as a FHIR R4 Bundle: CarePlan, Goals and CareTeam',
        params: IdParams,
        response: { 200: FhirCarePlanBundle },
      },
    },
    (req) => tenant(app, req, (tx) => plans.planFhir(tx, req.params.id), PARTNER_READ),
  );
}
