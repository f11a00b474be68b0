import { Type, type Static, type TOptional } from '@sinclair/typebox';
import { Enum, Nullable, Strict } from '../../core/http/schemas.ts';
import { MODULES } from '../trajectories/index.ts';
import { DECLINE_REASONS } from '../referrals/index.ts';

export { MODULES };
export type Module = (typeof MODULES)[number];
/** Yearly trajectories per FTE (seed 000); `other` has no norm. A network may override them (networks.output_norms). */
export const DEFAULT_NORMS: Record<Exclude<Module, 'other'>, number> = {
  'victim-support-bereavement': 45,
  'psychosocial-support': 70,
  'relationship-family': 70,
  'family-violence': 45,
  youth: 60,
};
export const FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type Format = (typeof FORMATS)[number];
export const OUTCOME_KEYS = ['fully', 'partly', 'not'] as const;

export const Quarter = Type.String({ pattern: '^[0-9]{4}-Q[1-4]$', description: 'YYYY-Qn' });
const Month = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });

/** A count as published: the number, or "<5" for 1–4 persons (or a hidden 0), or "x" for a complementary hidden cell. */
export const Cell = Type.Union([Type.Integer(), Type.Literal('<5'), Type.Literal('x')]);
const Days = Nullable(Type.Union([Type.Number(), Type.Literal('<5')]));

export const StaffingPut = Strict({
  quarter: Quarter,
  module: Enum(MODULES),
  fte: Type.Number({ minimum: 0, maximum: 10000, multipleOf: 0.01, description: 'FTE (VTE), two decimals' }),
});
export type StaffingPut = Static<typeof StaffingPut>;
export const StaffingCopy = Strict({ quarter: Quarter });
/** One module's staffing of a quarter, to remove (the module has no staff any more). */
export const StaffingParams = Strict({ quarter: Quarter, module: Enum(MODULES) });
export type StaffingParams = Static<typeof StaffingParams>;
export const StaffingQuery = Strict({
  quarter: Quarter,
  organizationId: Type.Optional(Type.String({ format: 'uuid', description: 'Network roles: which organisation' })),
});
export const Staffing = Type.Object({
  quarter: Type.String(),
  modules: Type.Array(Type.Object({ module: Type.String(), fte: Type.Number(), norm: Nullable(Type.Number()) })),
});

/** The modules with a norm, in the order of MODULES (`other` has none). */
export const NORM_MODULES = MODULES.filter((m): m is Exclude<Module, 'other'> => m !== 'other');
export type NormModule = (typeof NORM_MODULES)[number];
/** The sane range of a yearly norm per FTE (trajectories per FTE per year, whole numbers). */
export const NORM_LIMITS = { min: 1, max: 500 } as const;

const NormValues = Strict(
  Object.fromEntries(
    NORM_MODULES.map((m) => [
      m,
      Type.Number({ description: `Yearly trajectories per FTE, ${NORM_LIMITS.min}–${NORM_LIMITS.max}, whole number` }),
    ]),
  ) as Record<NormModule, ReturnType<typeof Type.Number>>,
);
export const OutputNormsUpdate = Strict(
  { norms: NormValues },
  { description: 'Every module’s yearly norm per FTE; the range is checked field by field (see limits in the GET)' },
);
export type OutputNormsUpdate = Static<typeof OutputNormsUpdate>;
export const OutputNorms = Type.Object({
  norms: NormValues,
  /** seed 000: 45/70/70/45/60 */
  defaults: NormValues,
  limits: Type.Object({ min: Type.Integer(), max: Type.Integer() }),
});

export const OutputQuery = Strict({
  quarter: Quarter,
  format: Type.Optional(Enum(FORMATS)),
  organizationId: Type.Optional(
    Type.String({ format: 'uuid', description: 'Network roles: which organisation (required for them)' }),
  ),
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'A submitted version instead of the live figures' })),
});
export type OutputQuery = Static<typeof OutputQuery>;

export const ModuleOutput = Type.Object({
  module: Type.String(),
  fte: Type.Number(),
  /** yearly norm per FTE (null for `other`) */
  normPerFte: Nullable(Type.Number()),
  /** the norm for the quarter: FTE × norm ÷ 4 */
  norm: Nullable(Type.Number()),
  trajectories: Cell,
  newTrajectories: Cell,
  finishedTrajectories: Cell,
  finishedByOutcome: Type.Object({ fully: Cell, partly: Cell, not: Cell }),
  /** trajectories ÷ norm, two decimals; null without a norm or when the count is suppressed */
  ratio: Nullable(Type.Number()),
});
export type ModuleOutput = Static<typeof ModuleOutput>;

const Version = Type.Object({
  version: Type.Integer(),
  submittedAt: Type.String(),
  submittedBy: Type.String(),
  /** what changed against the version before: field path → [before, after] */
  changes: Type.Array(Type.Object({ field: Type.String(), before: Type.Unknown(), after: Type.Unknown() })),
});

export const Output = Type.Object({
  organizationId: Type.String(),
  organizationName: Type.String(),
  quarter: Type.String(),
  period: Type.Object({ from: Type.String(), to: Type.String() }),
  /** true when small cells are suppressed (network roles); the organisation sees its own exact counts */
  suppressed: Type.Boolean(),
  modules: Type.Array(ModuleOutput),
  proactiveContacts: Cell,
  supportStarted: Cell,
  groupSessions: Cell,
  groupParticipants: Cell,
  facilitiesContacted: Cell,
  facilitiesAdvised: Cell,
  facilitiesVisited: Cell,
  /** the figures shown are this submitted version (null: live figures) */
  version: Nullable(Type.Integer()),
  versions: Type.Array(Version),
  /** the live figures differ from the last submitted version */
  changedSinceSubmission: Type.Boolean(),
});
export type Output = Static<typeof Output>;

export const SubmitBody = Strict({ quarter: Quarter });
export const Submitted = Type.Object({
  quarter: Type.String(),
  version: Type.Integer(),
  submittedAt: Type.String(),
  changes: Type.Array(Type.Object({ field: Type.String(), before: Type.Unknown(), after: Type.Unknown() })),
});

/** How the flow is cut: per month (default), per quarter (the trend), per organisation, per level of care. */
export const FLOW_BY = ['month', 'quarter', 'organization', 'level'] as const;
export type FlowBy = (typeof FLOW_BY)[number];
/** Levels of care (stepped care) as offers, indications and care plans name them; `unknown` when none is known. */
export const FLOW_LEVELS = ['zero-line', 'basic', 'specialised', 'crisis', 'unknown'] as const;

export const FlowQuery = Strict({
  from: Month,
  to: Month,
  zone: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "The network's zone name" })),
  by: Type.Optional(
    Enum(FLOW_BY, {
      description:
        'month (default): `months`; quarter: `quarters` (the trend; the period widened to whole quarters); ' +
        'organization or level: `groups` over the period. Each answer is one breakdown, suppressed against the ' +
        "period's `totals`, which are the same whatever the breakdown",
    }),
  ),
});
export type FlowQuery = Static<typeof FlowQuery>;

/**
 * A count of a breakdown row: like `Cell`, or null when withheld (not published: the last resort when a cell could be
 * solved from the period's totals whatever else is hidden, e.g. every row 4 under a shown total of 8).
 */
const FlowCell = Nullable(Cell);

/** The cells of one row of the flow (a month, a quarter, an organisation or a level). */
const FlowCells = {
  /** help requests + outreach signals (a person) + referrals received */
  inflow: FlowCell,
  helpRequests: FlowCell,
  signals: FlowCell,
  /** trajectories finished */
  outflow: FlowCell,
  referrals: FlowCell,
  referralsBetweenOrganizations: FlowCell,
  declined: FlowCell,
  accepted: FlowCell,
  medianDaysToAcceptance: Days,
  p90DaysToAcceptance: Days,
  firstContacts: FlowCell,
  medianDaysToFirstContact: Days,
  p90DaysToFirstContact: Days,
  /** days from waitlisting to leaving the waiting list, for the referrals that left it in the row */
  medianDaysOnWaitingList: Days,
  p90DaysOnWaitingList: Days,
  /** care-plan evaluations that decided to step up or down */
  stepsUp: FlowCell,
  stepsDown: FlowCell,
};
export const FlowMonth = Type.Object({ month: Type.String(), ...FlowCells });
export const FlowQuarter = Type.Object({ quarter: Type.String(), ...FlowCells });
export const FlowGroup = Type.Object({
  /** the organisation's id, or the level of care */
  key: Type.String(),
  /** the organisation's name, or the level */
  name: Type.String(),
  ...FlowCells,
});
export const Flow = Type.Object({
  zone: Type.String(),
  from: Type.String(),
  to: Type.String(),
  by: Enum(FLOW_BY),
  months: Type.Array(FlowMonth),
  quarters: Type.Array(FlowQuarter),
  groups: Type.Array(FlowGroup),
  /**
   * The whole period, published before and independently of the breakdown (the same in every answer over the same
   * period); the waiting times of the whole period are not given (null)
   */
  totals: Type.Object(FlowCells),
  /** per decline reason of the referrals lifecycle (a reason with no declined referral is left out) */
  declinedByReason: Type.Object(
    Object.fromEntries(DECLINE_REASONS.map((reason) => [reason, Type.Optional(Cell)])) as Record<
      (typeof DECLINE_REASONS)[number],
      TOptional<typeof Cell>
    >,
  ),
  outflowByOutcome: Type.Object({ fully: Cell, partly: Cell, not: Cell }),
  /** referrals overdue now (answer, first contact, or a waiting list past its expected date) */
  overdue: Cell,
  /**
   * people in a specialised organisation's trajectory for more than 12 months whose care plan had no evaluation in
   * the last 12 months that decided or considered stepping down
   */
  stuck: Cell,
});
export type Flow = Static<typeof Flow>;
