import { Type, type Static, type TOptional, type TSchema } from '@sinclair/typebox';
import { Enum, Nullable, Strict, Uuid } from '../../core/http/schemas.ts';
import { MODULES } from '../trajectories/index.ts';

export const SIGNAL_KINDS = ['bereaved', 'isolated', 'caregiver-strain', 'other'] as const;
export const AGREEMENT_METHODS = ['spoken', 'written'] as const;
export const SIGNAL_STATUSES = ['new', 'in-progress', 'closed'] as const;
/** What the sender sees of its signal: never the content of the conversations. */
export const SENDER_STATES = ['received', 'contact-made', 'closed'] as const;
export const CHANNELS = ['phone', 'sms', 'email', 'letter', 'home-visit'] as const;
export const ATTEMPT_OUTCOMES = ['reached', 'no-answer', 'voicemail', 'wrong-number', 'refused'] as const;
/** Outcomes in which the person was reached (a proactive contact); the others are failed attempts. */
export const REACHED_OUTCOMES: readonly string[] = ['reached', 'refused'];
export const CLOSE_OUTCOMES = ['support-accepted', 'declined', 'information-given', 'unreachable'] as const;
export const BOXES = ['incoming', 'outgoing'] as const;
export const MOMENTS = ['morning', 'afternoon', 'evening', 'any'] as const;

const Date_ = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const DateTime = Type.String({ format: 'date-time' });

export const SignalCreate = Strict({
  kind: Enum(SIGNAL_KINDS),
  collective: Type.Optional(
    Type.Boolean({ description: 'a collective grief moment (a class, a ward) without a person: no contact fields' }),
  ),
  contactName: Type.Optional(Nullable(text(200))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 30, description: 'as typed; stored as +32… (E.164)' }))),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
  preferredLanguage: Type.Optional(Nullable(Type.String({ pattern: '^[a-z]{2}$' }))),
  preferredMoment: Type.Optional(Nullable(Enum(MOMENTS))),
  municipalityNis: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{5}$', description: 'NIS code' }))),
  relation: Type.Optional(Nullable(text(100))),
  dateOfDeath: Type.Optional(Nullable(Date_)),
  note: Type.Optional(Nullable(text(1000))),
  agreementMethod: Enum(AGREEMENT_METHODS),
  agreementDate: Type.Optional(Date_),
});
export type SignalCreate = Static<typeof SignalCreate>;

export const SignalList = Strict({
  box: Type.Optional(Enum(BOXES, { description: 'incoming (the queue, default for receivers) or outgoing' })),
  status: Type.Optional(Enum(SIGNAL_STATUSES)),
});
export type SignalList = Static<typeof SignalList>;

export const AttemptCreate = Strict({
  channel: Enum(CHANNELS),
  outcome: Enum(ATTEMPT_OUTCOMES),
  at: Type.Optional(DateTime),
  note: Type.Optional(Nullable(text(1000))),
});
export type AttemptCreate = Static<typeof AttemptCreate>;

export const CloseBody = Strict({
  outcome: Enum(CLOSE_OUTCOMES),
  note: Type.Optional(Nullable(text(1000))),
  module: Type.Optional(
    Enum(MODULES, { description: 'support-accepted: the trajectory module (default bereavement)' }),
  ),
  givenName: Type.Optional(Nullable(text(100))),
  familyName: Type.Optional(Nullable(text(100))),
  responsibleUserId: Type.Optional(
    Nullable(
      Type.String({ format: 'uuid', description: "support-accepted: the trajectory's caregiver (default: me)" }),
    ),
  ),
});
export type CloseBody = Static<typeof CloseBody>;

export const Created = Type.Object({ id: Uuid });

/** What both parties see: the sender sees nothing more (never the content of the conversations). */
const common = {
  id: Uuid,
  kind: Enum(SIGNAL_KINDS),
  collective: Type.Boolean(),
  state: Enum(SENDER_STATES),
  createdAt: DateTime,
  /** the name as passed on, until the retention erases it */
  contactName: Nullable(Type.String()),
  receiverOrganizationName: Type.String(),
};

export const Attempt = Type.Object({
  id: Uuid,
  at: DateTime,
  channel: Enum(CHANNELS),
  outcome: Enum(ATTEMPT_OUTCOMES),
  note: Nullable(Type.String()),
  partOfDay: Enum(['morning', 'afternoon', 'evening'] as const),
});

/** The receiver's queue row (left out for the sender). */
const queueFields = {
  status: Enum(SIGNAL_STATUSES),
  municipalityNis: Nullable(Type.String()),
  senderOrganizationName: Type.String(),
  dueAt: DateTime,
  overdue: Type.Boolean(),
  attempts: Type.Integer(),
  reached: Type.Boolean(),
  outcome: Nullable(Enum(CLOSE_OUTCOMES)),
  unreachableProposed: Type.Boolean(),
  erased: Type.Boolean(),
};
const optional = <T extends Record<string, TSchema>>(props: T) =>
  Object.fromEntries(Object.entries(props).map(([k, v]) => [k, Type.Optional(v)])) as {
    [K in keyof T]: TOptional<T[K]>;
  };

export const ListItem = Type.Object({ ...common, ...optional(queueFields) });

const detailFields = {
  ...queueFields,
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  preferredLanguage: Nullable(Type.String()),
  preferredMoment: Nullable(Enum(MOMENTS)),
  municipalityName: Nullable(Type.String()),
  relation: Nullable(Type.String()),
  dateOfDeath: Nullable(Type.String()),
  note: Nullable(Type.String()),
  agreementMethod: Enum(AGREEMENT_METHODS),
  agreementDate: Type.String(),
  closeNote: Nullable(Type.String()),
  closedAt: Nullable(DateTime),
  clientId: Nullable(Uuid),
  trajectoryId: Nullable(Uuid),
  attemptList: Type.Array(Attempt),
  unreachable: Type.Object({
    proposed: Type.Boolean(),
    failedAttempts: Type.Integer(),
    partsOfDay: Type.Integer(),
    needed: Type.Integer(),
    /** the letter or message telling the person they can still come later (nothing of the conversations) */
    letter: Type.String(),
  }),
};

/** GET /api/outreach/signals/{id}: the receiver gets every field, the sender only the common ones (`view`). */
export const SignalView = Type.Object({
  view: Enum(['receiver', 'sender'] as const),
  ...common,
  ...optional(detailFields),
});

export const SignalListAnswer = Type.Object({ box: Enum(BOXES), items: Type.Array(ListItem) });

export const StatsQuery = Strict({
  quarter: Type.String({ pattern: '^[0-9]{4}-Q[1-4]$', description: 'YYYY-Qn' }),
});
export const Stats = Type.Object({
  quarter: Type.String(),
  from: Type.String(),
  to: Type.String(),
  proactiveContacts: Type.Integer({ description: 'signals received in which the person was reached' }),
  supportStarted: Type.Integer({ description: 'signals closed with support accepted' }),
  groupSessions: Type.Integer({ description: 'group sessions held (not cancelled, attendance recorded)' }),
  groupParticipants: Type.Integer({ description: 'participations: per session the larger of headcount and named' }),
  facilitiesContacted: Type.Integer({ description: 'facilities with any contact in the period' }),
  facilitiesAdvised: Type.Integer({ description: 'facilities given specialised advice' }),
  facilitiesVisited: Type.Integer({ description: 'facilities visited on site' }),
});

// ---- network settings: routing and targets ----
export const OUTREACH_SETTING_KEYS = ['responseWorkingDays', 'failedAttempts', 'retentionMonths'] as const;
export const OUTREACH_LIMITS = {
  responseWorkingDays: { min: 1, max: 20 },
  failedAttempts: { min: 1, max: 10 },
  retentionMonths: { min: 1, max: 60 },
} as const;

const Route = Type.Object({
  kind: Enum(SIGNAL_KINDS),
  municipalityNis: Nullable(Type.String({ pattern: '^[0-9]{5}$', description: 'NIS code; null: the fallback' })),
  organizationId: Uuid,
});
const OutreachValues = {
  responseWorkingDays: Type.Integer({ description: 'first attempt within this many working days (1–20)' }),
  failedAttempts: Type.Integer({ description: 'failed attempts before the unreachable proposal (1–10)' }),
  retentionMonths: Type.Integer({ description: "months after closing before a signal's personal data is erased" }),
};
export const OutreachSettingsUpdate = Strict({
  ...OutreachValues,
  routes: Type.Array(Strict(Route.properties), { maxItems: 2000 }),
});
export type OutreachSettingsUpdate = Static<typeof OutreachSettingsUpdate>;
export const OutreachSettings = Type.Object({
  ...OutreachValues,
  routes: Type.Array(
    Type.Object({
      ...Route.properties,
      municipalityName: Nullable(Type.String()),
      organizationName: Type.String(),
    }),
  ),
  /** the organisations a signal may be routed to (not funeral directors or care facilities) */
  receivers: Type.Array(Type.Object({ id: Uuid, name: Type.String(), kind: Type.String() })),
  defaults: Type.Object(OutreachValues),
});
