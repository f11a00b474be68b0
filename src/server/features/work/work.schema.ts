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

export const MyWork = Type.Object({
  /** my running trajectories (planned, active, on hold): the quiet ones first, longest silence first */
  trajectories: Type.Array(WorkTrajectory),
  counts: Type.Object({
    running: Type.Integer(),
    active: Type.Integer(),
    onHold: Type.Integer(),
    planned: Type.Integer(),
    noRecentContact: Type.Integer(),
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
