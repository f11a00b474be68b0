import { Type, type Static } from '@sinclair/typebox';
import { Enum, Nullable, Strict } from '../../core/http/schemas.ts';

/** The CAW modules (with their yearly norms per FTE, see issue 11) plus `other` for organisations outside them. */
export const MODULES = [
  'victim-support-bereavement',
  'psychosocial-support',
  'relationship-family',
  'family-violence',
  'youth',
  'other',
] as const;
export const PHASES = ['intake', 'support'] as const;
export const TRAJECTORY_STATUSES = ['planned', 'active', 'on-hold', 'finished', 'cancelled'] as const;
export const TRANSITION_ACTIONS = ['start-support', 'pause', 'resume', 'finish', 'cancel'] as const;
export const OUTCOMES = ['fully', 'partly', 'not'] as const;
export const CLOSE_REASONS = [
  'completed',
  'referred-on',
  'stopped-by-person',
  'unreachable',
  'moved',
  'deceased',
  'other',
] as const;
export const CONTACT_KINDS = [
  'on-site',
  'home-visit',
  'phone',
  'video',
  'chat',
  'group-session',
  'partner-consultation',
  'case-conference',
  'administration',
] as const;
export const BOXES = ['mine', 'organization'] as const;

const Date_ = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const TrajectoryCreate = Strict({
  clientId: Type.String({ format: 'uuid' }),
  module: Enum(MODULES),
  offerId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  teamId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  referralId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  helpRequestId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  responsibleUserId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  startDate: Type.Optional(Date_),
});
export type TrajectoryCreate = Static<typeof TrajectoryCreate>;

export const TrajectoryList = Strict({
  box: Type.Optional(Enum(BOXES, { description: 'mine (default) or organization' })),
  status: Type.Optional(Enum(TRAJECTORY_STATUSES)),
  clientId: Type.Optional(Type.String({ format: 'uuid' })),
  referralId: Type.Optional(Type.String({ format: 'uuid' })),
});
export type TrajectoryList = Static<typeof TrajectoryList>;

export const TransitionBody = Strict({
  action: Enum(TRANSITION_ACTIONS),
  outcome: Type.Optional(Enum(OUTCOMES)),
  reason: Type.Optional(Enum(CLOSE_REASONS)),
  reasonText: Type.Optional(text(1000)),
  endDate: Type.Optional(Date_),
  note: Type.Optional(text(1000)),
});
export type TransitionBody = Static<typeof TransitionBody>;

const contactFields = {
  at: Type.String({ format: 'date-time' }),
  minutes: Type.Integer({ minimum: 0, maximum: 1440 }),
  kind: Enum(CONTACT_KINDS),
  withClient: Type.Optional(Type.Boolean()),
  supportPersons: Type.Optional(Nullable(text(500))),
  otherOrganizations: Type.Optional(Nullable(text(500))),
  noShow: Type.Optional(Type.Boolean()),
  note: Type.Optional(Nullable(text(10000))),
};
export const ContactCreate = Strict(contactFields);
export type ContactCreate = Static<typeof ContactCreate>;
export const ContactUpdate = Strict({
  ...contactFields,
  at: Type.Optional(contactFields.at),
  minutes: Type.Optional(contactFields.minutes),
  kind: Type.Optional(contactFields.kind),
  /** the version the editor started from: a newer one means someone else changed it meanwhile (409) */
  version: Type.Integer({ minimum: 1 }),
});
export type ContactUpdate = Static<typeof ContactUpdate>;

export const ContactParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  contactId: Type.String({ format: 'uuid' }),
});

const S = Type.String();
export const TrajectorySummary = Type.Object({
  id: S,
  clientId: S,
  clientDisplayName: S,
  module: S,
  phase: S,
  status: S,
  startDate: S,
  endDate: Nullable(S),
  responsibleUserId: S,
  responsibleDisplayName: S,
  lastContactAt: Nullable(S),
  /** active (or on hold) and no contact for 30 days, counted from the start when there is none */
  noRecentContact: Type.Boolean(),
});

export const StatusEvent = Type.Object({
  at: S,
  action: S,
  fromStatus: Nullable(S),
  toStatus: S,
  phase: Nullable(S),
  reason: Nullable(S),
  actorDisplayName: Nullable(S),
});

export const Contact = Type.Object({
  id: S,
  at: S,
  minutes: Type.Integer(),
  kind: S,
  withClient: Type.Boolean(),
  supportPersons: Nullable(S),
  otherOrganizations: Nullable(S),
  noShow: Type.Boolean(),
  note: Nullable(S),
  version: Type.Integer(),
  createdByDisplayName: Nullable(S),
  updatedAt: S,
  updatedByDisplayName: Nullable(S),
});

export const ContactVersion = Type.Object({
  version: Type.Integer(),
  at: S,
  minutes: Type.Integer(),
  kind: S,
  withClient: Type.Boolean(),
  supportPersons: Nullable(S),
  otherOrganizations: Nullable(S),
  noShow: Type.Boolean(),
  note: Nullable(S),
  writtenAt: S,
  writtenByDisplayName: Nullable(S),
  replacedAt: S,
  replacedByDisplayName: Nullable(S),
});

export const TrajectoryDetail = Type.Intersect([
  TrajectorySummary,
  Type.Object({
    offerId: Nullable(S),
    offerName: Nullable(S),
    teamId: Nullable(S),
    referralId: Nullable(S),
    helpRequestId: Nullable(S),
    outcome: Nullable(S),
    closeReason: Nullable(S),
    closeReasonText: Nullable(S),
    createdAt: S,
    history: Type.Array(StatusEvent),
    contacts: Type.Array(Contact),
  }),
]);
export const Created = Type.Object({ id: S });
export const ContactUpdated = Type.Object({ id: S, version: Type.Integer() });

const FhirResource = Type.Object({ resourceType: S, id: S }, { additionalProperties: true });
export const FhirTrajectoryBundle = Type.Object(
  {
    resourceType: Type.Literal('Bundle'),
    id: S,
    type: Type.Literal('collection'),
    timestamp: S,
    entry: Type.Array(Type.Object({ fullUrl: S, resource: FhirResource })),
  },
  { description: 'FHIR R4 Bundle: the EpisodeOfCare and its Encounters (without the professional notes)' },
);
