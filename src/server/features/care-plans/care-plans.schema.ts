import { Type, type Static } from '@sinclair/typebox';
import { Enum, Nullable, Strict, Uuid } from '../../core/http/schemas.ts';
import { LIFE_DOMAINS } from '../intake/index.ts';
import { LEVELS } from '../offers/index.ts';

export const PLAN_STATUSES = ['active', 'closed'] as const;
export const GOAL_STATUSES = ['proposed', 'active', 'achieved', 'not-achieved', 'cancelled'] as const;
export const ACTION_STATUSES = ['open', 'done', 'dropped'] as const;
export const OWNER_KINDS = ['organization', 'user', 'client', 'support-person'] as const;
export const MEMBER_KINDS = ['organization', 'caregiver', 'person', 'support-person'] as const;
export const AGREEMENT_METHODS = ['spoken', 'signed-paper', 'in-person'] as const;
export const DECISIONS = ['continue', 'step-up', 'step-down', 'close'] as const;
export const LINK_KINDS = ['referral', 'manual'] as const;
export { LEVELS as CARE_LEVELS };

const Date_ = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Version = Type.Integer({ minimum: 1, description: 'the version the change starts from (409 when stale)' });

export const Created = Type.Object({ id: Uuid });

// ------------------------------------------------------------------------------------------------ input
export const PlanCreate = Strict({
  clientId: Uuid,
  careLevel: Type.Optional(Enum(LEVELS)),
  personWishes: Type.Optional(text(5000)),
  evaluationIntervalMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 })),
});
export type PlanCreate = Static<typeof PlanCreate>;

export const PlanUpdate = Strict({
  version: Version,
  personWishes: Type.Optional(Nullable(text(5000))),
  agreedOn: Type.Optional(Nullable(Date_)),
  agreementMethod: Type.Optional(Nullable(Enum(AGREEMENT_METHODS))),
  evaluationIntervalMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 })),
  nextEvaluationOn: Type.Optional(Nullable(Date_)),
  careLevel: Type.Optional(Nullable(Enum(LEVELS))),
});
export type PlanUpdate = Static<typeof PlanUpdate>;

export const PlanQuery = Strict({
  asOf: Type.Optional(Date_),
});
export type PlanQuery = Static<typeof PlanQuery>;

export const PlanListQuery = Strict({
  clientId: Uuid,
});
export type PlanListQuery = Static<typeof PlanListQuery>;

export const GoalCreate = Strict({
  description: Type.String({ minLength: 1, maxLength: 2000, description: "the person's own words, as said" }),
  professionalWording: Type.Optional(Nullable(text(2000))),
  lifeDomain: Type.Optional(Nullable(Enum(LIFE_DOMAINS))),
  targetDate: Type.Optional(Nullable(Date_)),
  status: Type.Optional(Enum(['proposed', 'active'] as const)),
});
export type GoalCreate = Static<typeof GoalCreate>;

export const GoalUpdate = Strict({
  version: Version,
  description: Type.Optional(text(2000)),
  professionalWording: Type.Optional(Nullable(text(2000))),
  lifeDomain: Type.Optional(Nullable(Enum(LIFE_DOMAINS))),
  targetDate: Type.Optional(Nullable(Date_)),
  status: Type.Optional(Enum(GOAL_STATUSES)),
});
export type GoalUpdate = Static<typeof GoalUpdate>;

export const OwnerInput = Strict({ kind: Enum(OWNER_KINDS), id: Type.Optional(Uuid) });

export const ActionCreate = Strict({
  description: text(2000),
  goalId: Type.Optional(Nullable(Uuid)),
  owner: OwnerInput,
  dueDate: Type.Optional(Nullable(Date_)),
});
export type ActionCreate = Static<typeof ActionCreate>;

export const ActionUpdate = Strict({
  version: Version,
  description: Type.Optional(text(2000)),
  goalId: Type.Optional(Nullable(Uuid)),
  owner: Type.Optional(OwnerInput),
  dueDate: Type.Optional(Nullable(Date_)),
  status: Type.Optional(Enum(ACTION_STATUSES)),
});
export type ActionUpdate = Static<typeof ActionUpdate>;

export const MemberCreate = Strict({
  kind: Enum(['organization', 'caregiver', 'support-person'] as const),
  organizationId: Type.Optional(Uuid),
  userId: Type.Optional(Uuid),
  name: Type.Optional(text(200)),
  relation: Type.Optional(Nullable(text(200))),
  contact: Type.Optional(Nullable(text(500))),
  role: Type.Optional(Nullable(text(1000))),
});
export type MemberCreate = Static<typeof MemberCreate>;

export const MemberUpdate = Strict({
  version: Version,
  name: Type.Optional(text(200)),
  relation: Type.Optional(Nullable(text(200))),
  contact: Type.Optional(Nullable(text(500))),
  role: Type.Optional(Nullable(text(1000))),
  active: Type.Optional(Type.Boolean()),
});
export type MemberUpdate = Static<typeof MemberUpdate>;

export const CoordinatorHandover = Strict({
  memberId: Uuid,
  reason: Type.Optional(text(1000)),
});
export type CoordinatorHandover = Static<typeof CoordinatorHandover>;

export const EvaluationCreate = Strict({
  decision: Enum(DECISIONS),
  note: text(5000),
  goals: Type.Array(
    Strict({
      goalId: Uuid,
      progress: Type.Integer({ minimum: 0, maximum: 10 }),
      note: Type.Optional(Nullable(text(2000))),
    }),
    { maxItems: 100 },
  ),
  personSays: Type.Optional(Nullable(text(5000))),
  evaluatedOn: Type.Optional(Date_),
  reason: Type.Optional(text(2000)),
  caseConference: Type.Optional(Type.Boolean()),
  /** with decision `continue`: stepping down was weighed and not (yet) decided; the flow monitor's "stuck" reads it */
  stepDownConsidered: Type.Optional(Type.Boolean()),
  presentMemberIds: Type.Optional(Type.Array(Uuid, { maxItems: 50, uniqueItems: true })),
  nextEvaluationOn: Type.Optional(Date_),
});
export type EvaluationCreate = Static<typeof EvaluationCreate>;

export const LinkCreate = Strict({
  clientId: Uuid,
  otherClientId: Uuid,
  note: Type.Optional(text(1000)),
});
export type LinkCreate = Static<typeof LinkCreate>;

export const Unlink = Strict({ reason: text(1000) });
export type Unlink = Static<typeof Unlink>;

export const GoalParams = Strict({ id: Uuid, goalId: Uuid });
export const ActionParams = Strict({ id: Uuid, actionId: Uuid });
export const MemberParams = Strict({ id: Uuid, memberId: Uuid });

// ------------------------------------------------------------------------------------------------ output
export const Goal = Type.Object({
  id: Uuid,
  description: Type.String({ description: "the person's own words" }),
  professionalWording: Nullable(Type.String()),
  lifeDomain: Nullable(Type.String()),
  targetDate: Nullable(Type.String()),
  status: Enum(GOAL_STATUSES),
  version: Type.Integer(),
  lastProgress: Nullable(Type.Integer({ description: 'progress 0–10 at the latest evaluation' })),
  updatedAt: Type.String(),
  updatedByDisplayName: Nullable(Type.String()),
});

export const Owner = Type.Object({
  kind: Enum(OWNER_KINDS),
  id: Nullable(Uuid),
  name: Nullable(Type.String({ description: 'organisation, caregiver or support person; null for the person' })),
});

export const Action = Type.Object({
  id: Uuid,
  goalId: Nullable(Uuid),
  description: Type.String(),
  owner: Owner,
  dueDate: Nullable(Type.String()),
  status: Enum(ACTION_STATUSES),
  overdue: Type.Boolean({ description: 'open and past its due date (Brussels)' }),
  version: Type.Integer(),
  updatedAt: Type.String(),
});

export const Member = Type.Object({
  id: Uuid,
  kind: Enum(MEMBER_KINDS),
  organizationId: Nullable(Uuid),
  organizationName: Nullable(Type.String()),
  userId: Nullable(Uuid),
  displayName: Nullable(Type.String({ description: 'caregiver, organisation or support person' })),
  relation: Nullable(Type.String()),
  contact: Nullable(Type.String()),
  role: Nullable(Type.String()),
  active: Type.Boolean(),
  coordinator: Type.Boolean(),
  version: Type.Integer(),
});

export const Revision = Type.Object({
  id: Uuid,
  evaluationId: Nullable(Uuid),
  kind: Enum(['step-up', 'step-down', 'close'] as const),
  revisedOn: Type.String(),
  fromLevel: Nullable(Type.String()),
  toLevel: Nullable(Type.String()),
  reason: Type.String(),
  screenings: Type.Array(
    Type.Object({
      instrumentId: Type.String(),
      score: Nullable(Type.Number()),
      band: Nullable(Type.String()),
      administeredAt: Type.String(),
    }),
  ),
});

export const Evaluation = Type.Object({
  id: Uuid,
  evaluatedOn: Type.String(),
  decision: Enum(DECISIONS),
  note: Type.String(),
  personSays: Nullable(Type.String()),
  caseConference: Type.Boolean(),
  stepDownConsidered: Type.Boolean(),
  presentMemberIds: Type.Array(Uuid),
  organizationName: Nullable(Type.String()),
  createdByDisplayName: Nullable(Type.String()),
  goals: Type.Array(Type.Object({ goalId: Uuid, progress: Type.Integer(), note: Nullable(Type.String()) })),
});

export const PlanListItem = Type.Object({
  id: Uuid,
  status: Enum(PLAN_STATUSES),
  createdAt: Type.String({ format: 'date-time' }),
  closedOn: Nullable(Date_),
});

export const PlanDetail = Type.Object({
  id: Uuid,
  clientId: Uuid,
  organizationId: Uuid,
  organizationName: Type.String(),
  ownPlan: Type.Boolean({ description: "made by the reader's organisation (else shared by consent)" }),
  myClientIds: Type.Array(Uuid, { description: "the reader's own records of the person" }),
  status: Enum(PLAN_STATUSES),
  careLevel: Nullable(Type.String()),
  personWishes: Nullable(Type.String()),
  agreedOn: Nullable(Type.String()),
  agreementMethod: Nullable(Type.String()),
  evaluationIntervalMonths: Type.Integer(),
  nextEvaluationOn: Nullable(Type.String()),
  evaluationDue: Type.Boolean({ description: 'the next evaluation date is today or past' }),
  coordinatorMemberId: Nullable(Uuid),
  coordinatorHandoverReason: Nullable(
    Type.String({ description: 'why the coordinator role was last handed over (null before any handover)' }),
  ),
  closedOn: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  asOf: Nullable(Type.String({ description: 'the date the plan is shown as of; null for now' })),
  goals: Type.Array(Goal),
  actions: Type.Array(Action),
  team: Type.Array(Member),
  evaluations: Type.Array(Evaluation),
  revisions: Type.Array(Revision),
});

export const EvaluationCreated = Type.Object({
  id: Uuid,
  decision: Enum(DECISIONS),
  planStatus: Enum(PLAN_STATUSES),
  nextEvaluationOn: Nullable(Type.String()),
  revision: Nullable(Revision),
  step: Nullable(
    Type.Object(
      {
        direction: Enum(['up', 'down'] as const),
        fromLevel: Nullable(Type.String()),
        toLevel: Type.String({ description: 'the new level of care: open matching and the referral form with it' }),
        clientId: Nullable(Uuid),
        helpRequestId: Nullable(Uuid),
      },
      { description: 'set for step-up and step-down: where the UI goes next' },
    ),
  ),
});

export const HistoryEntry = Type.Object({
  at: Type.String(),
  entity: Type.String(),
  entityId: Uuid,
  operation: Type.String(),
  fields: Type.Array(Type.String()),
  actorDisplayName: Nullable(Type.String()),
  organizationName: Nullable(Type.String()),
});

export const Link = Type.Object({
  id: Uuid,
  clientId: Uuid,
  otherClientId: Uuid,
  otherOrganizationId: Uuid,
  otherOrganizationName: Type.String(),
  kind: Enum(LINK_KINDS),
  referralId: Nullable(Uuid),
  note: Nullable(Type.String()),
  createdAt: Type.String(),
  createdByDisplayName: Nullable(Type.String()),
  unlinkedAt: Nullable(Type.String()),
  unlinkReason: Nullable(Type.String()),
});

export const LinkCandidate = Type.Object({
  clientId: Uuid,
  organizationId: Uuid,
  organizationName: Type.String(),
  displayName: Nullable(Type.String({ description: 'only for a record of your own organisation' })),
  hint: Enum(['same-insz', 'referral'] as const),
  referralId: Nullable(Uuid),
});

export const LinkList = Type.Object({ items: Type.Array(Link), candidates: Type.Array(LinkCandidate) });

const FhirResource = Type.Object({ resourceType: Type.String(), id: Type.String() }, { additionalProperties: true });
export const FhirCarePlanBundle = Type.Object(
  {
    resourceType: Type.Literal('Bundle'),
    id: Type.String(),
    type: Type.Literal('collection'),
    timestamp: Type.String(),
    entry: Type.Array(Type.Object({ fullUrl: Type.String(), resource: FhirResource })),
  },
  { description: 'FHIR R4 Bundle: the CarePlan, its Goals and the CareTeam' },
);
