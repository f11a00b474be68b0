import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Strict } from '../../core/http/schemas.ts';

const S = Type.String();

/** One of my running trajectories, with how long it has been quiet. */
export const WorkTrajectory = Type.Object({
  id: S,
  clientId: S,
  clientDisplayName: S,
  module: S,
  phase: S,
  status: S,
  startDate: S,
  lastContactAt: Nullable(S),
  /** whole days since the last contact that took place (since the start when there is none) */
  daysSinceContact: Type.Integer(),
  /** active (or on hold) and no contact for 30 days, counted from the start when there is none */
  noRecentContact: Type.Boolean(),
});

/** A care-plan action of mine (or of my organisation on a plan I am a caregiver in), due this week or overdue. */
export const WorkAction = Type.Object({
  id: S,
  carePlanId: S,
  description: S,
  goalDescription: Nullable(S),
  dueDate: S,
  overdue: Type.Boolean(),
  /** owned by my organisation (I am a caregiver of the plan's team), not by me by name */
  forOrganization: Type.Boolean(),
  /** my organisation's record of the person (null when it has none: a plan shown by consent) */
  clientId: Nullable(S),
  clientDisplayName: Nullable(S),
});

/** A care plan whose evaluation is due this week or overdue, that I coordinate or am a caregiver in. */
export const WorkEvaluation = Type.Object({
  carePlanId: S,
  nextEvaluationOn: S,
  overdue: Type.Boolean(),
  coordinator: Type.Boolean(),
  careLevel: Nullable(S),
  clientId: Nullable(S),
  clientDisplayName: Nullable(S),
});

export const MyWork = Type.Object({
  /** my running trajectories (planned, active, on hold): the quiet ones first, longest silence first */
  trajectories: Type.Array(WorkTrajectory),
  /** my open care-plan actions due by the end of this week (Sunday, Brussels time), overdue ones first */
  actionsDue: Type.Array(WorkAction),
  /** evaluations due by the end of this week, overdue ones first */
  evaluationsDue: Type.Array(WorkEvaluation),
  /** the last day counted as "this week" (YYYY-MM-DD) */
  weekEnds: S,
  counts: Type.Object({
    running: Type.Integer(),
    active: Type.Integer(),
    onHold: Type.Integer(),
    planned: Type.Integer(),
    noRecentContact: Type.Integer(),
    actionsDue: Type.Integer(),
    actionsOverdue: Type.Integer(),
    evaluationsDue: Type.Integer(),
    evaluationsOverdue: Type.Integer(),
  }),
});

/** My work takes no query; an unknown parameter is refused (400), as everywhere. */
export const MyWorkQuery = Strict({});

export const CaseloadQuery = Strict({
  teamId: Type.Optional(
    Type.String({ format: 'uuid', description: 'only the members of this team of the organisation' }),
  ),
});
export type CaseloadQuery = Static<typeof CaseloadQuery>;

/** One caregiver's running trajectories by status. */
export const CaseloadRow = Type.Object({
  userId: S,
  displayName: S,
  /** the roles of the user's active memberships of the organisation; empty: no longer a member */
  roles: Type.Array(S),
  teamId: Nullable(S),
  teamName: Nullable(S),
  planned: Type.Integer(),
  active: Type.Integer(),
  onHold: Type.Integer(),
  noRecentContact: Type.Integer(),
});

export const Caseload = Type.Object({
  teamId: Nullable(S),
  teams: Type.Array(Type.Object({ id: S, name: S })),
  items: Type.Array(CaseloadRow),
  totals: Type.Object({
    planned: Type.Integer(),
    active: Type.Integer(),
    onHold: Type.Integer(),
    noRecentContact: Type.Integer(),
  }),
});
