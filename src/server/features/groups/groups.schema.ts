import { Type, type Static } from '@sinclair/typebox';
import { Enum, Nullable, Strict } from '../../core/http/schemas.ts';
import { MODULES } from '../trajectories/index.ts';

export const AUDIENCES = ['school', 'facility', 'collective', 'open', 'peer'] as const;
/** Only these may stand in the public catalogue: the others are closed groups (a class, a care home's residents). */
export const PUBLISHABLE_AUDIENCES: readonly string[] = ['open', 'peer'];
export const SESSION_STATUSES = ['planned', 'cancelled'] as const;
export const AGE_BANDS = ['0-11', '12-17', '18-25', '26-64', '65+', 'mixed'] as const;
export const REGISTRATION_STATUSES = ['registered', 'waiting'] as const;
export const FACILITY_KINDS = ['care-home', 'homeless-service', 'disability-facility', 'other'] as const;
export const CASE_ORIGINS = ['question', 'monitoring-signal'] as const;
export const CASE_STATUSES = ['open', 'closed'] as const;
export const FACILITY_CONTACT_KINDS = ['phone-advice', 'specialised-advice', 'on-site-visit', 'follow-up'] as const;

const S = Type.String();
const Uuid = Type.String({ format: 'uuid' });
const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const Nis = Type.String({ pattern: '^[0-9]{5}$' });
const TermId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,60}$' });

// ---------- groups ----------

export const GroupCreate = Strict({
  title: text(200),
  audience: Enum(AUDIENCES),
  module: Type.Optional(Nullable(Enum(MODULES))),
  theme: Type.Optional(Nullable(TermId)),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  facilitatorIds: Type.Optional(Type.Array(Uuid, { uniqueItems: true, maxItems: 10 })),
  location: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
  municipalityNis: Type.Optional(Nullable(Nis)),
  online: Type.Optional(Type.Boolean()),
  capacity: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 10000 }))),
});
export type GroupCreate = Static<typeof GroupCreate>;

/** The audience stays: a published group must stay open or peer, and a class does not become an open group. */
export const GroupUpdate = Type.Object(
  {
    title: Type.Optional(text(200)),
    module: Type.Optional(Nullable(Enum(MODULES))),
    theme: Type.Optional(Nullable(TermId)),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    facilitatorIds: Type.Optional(Type.Array(Uuid, { uniqueItems: true, maxItems: 10 })),
    location: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    municipalityNis: Type.Optional(Nullable(Nis)),
    online: Type.Optional(Type.Boolean()),
    capacity: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 10000 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type GroupUpdate = Static<typeof GroupUpdate>;

export const SessionCreate = Strict({
  startsAt: Type.String({ format: 'date-time' }),
  minutes: Type.Integer({ minimum: 1, maximum: 1440 }),
});
export type SessionCreate = Static<typeof SessionCreate>;

export const SessionCancel = Strict({ reason: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) });
export type SessionCancel = Static<typeof SessionCancel>;

export const AttendanceBody = Strict(
  {
    headcount: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 10000 }))),
    ageBand: Type.Optional(Nullable(Enum(AGE_BANDS))),
    participants: Type.Optional(Type.Array(Uuid, { uniqueItems: true, maxItems: 500 })),
  },
  {
    description:
      'A headcount, the named participants who attended (registered clients), or both; the session counts the larger',
  },
);
export type AttendanceBody = Static<typeof AttendanceBody>;

export const RegistrationCreate = Strict({
  clientId: Uuid,
  /** named participation needs the person's agreement */
  consent: Type.Boolean(),
});
export type RegistrationCreate = Static<typeof RegistrationCreate>;

export const RegistrationParams = Type.Object({ id: Uuid, clientId: Uuid }, { additionalProperties: false });
export const Publication = Strict({ published: Type.Boolean() });
export type Publication = Static<typeof Publication>;

export const FiguresQuery = Strict({ from: DateOnly, to: DateOnly });
export type FiguresQuery = Static<typeof FiguresQuery>;

export const Session = Type.Object({
  id: S,
  startsAt: S,
  minutes: Type.Integer(),
  status: Enum(SESSION_STATUSES),
  cancelReason: Nullable(S),
  headcount: Nullable(Type.Integer()),
  ageBand: Nullable(S),
  attendanceRecorded: Type.Boolean(),
  participants: Type.Array(S, { description: 'client ids of the named participants who attended' }),
  /** the larger of the headcount and the named participants; 0 for a cancelled session */
  count: Type.Integer(),
});

export const GroupSummary = Type.Object({
  id: S,
  title: S,
  audience: Enum(AUDIENCES),
  module: Nullable(S),
  theme: Nullable(S),
  capacity: Nullable(Type.Integer()),
  registered: Type.Integer(),
  waiting: Type.Integer(),
  nextSessionAt: Nullable(S),
  sessionsHeld: Type.Integer(),
  published: Type.Boolean(),
});

export const Registration = Type.Object({
  clientId: S,
  displayName: S,
  status: Enum(REGISTRATION_STATUSES),
  registeredAt: S,
});

export const GroupDetail = Type.Intersect([
  GroupSummary,
  Type.Object({
    description: Nullable(S),
    facilitators: Type.Array(Type.Object({ id: S, displayName: S })),
    location: Nullable(S),
    municipalityNis: Nullable(S),
    online: Type.Boolean(),
    offerId: Nullable(S),
    createdAt: S,
    sessions: Type.Array(Session),
    registrations: Type.Array(Registration),
  }),
]);

export const Figures = Type.Object({
  groupSessions: Type.Integer(),
  groupParticipants: Type.Integer(),
  facilitiesContacted: Type.Integer(),
  facilitiesAdvised: Type.Integer(),
  facilitiesVisited: Type.Integer(),
});
export type Figures = Static<typeof Figures>;

export const Created = Type.Object({ id: S });
export const RegistrationCreated = Type.Object({ id: S, status: Enum(REGISTRATION_STATUSES) });
export const Withdrawn = Type.Object({ promotedClientId: Nullable(S) });

// ---------- facilities ----------

export const FacilityCreate = Strict({
  name: text(200),
  kind: Enum(FACILITY_KINDS),
  linkedOrganizationId: Type.Optional(Nullable(Uuid)),
  municipalityNis: Type.Optional(Nullable(Nis)),
  contactName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  contactPhone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
});
export type FacilityCreate = Static<typeof FacilityCreate>;

export const CaseCreate = Strict({
  facilityId: Uuid,
  origin: Enum(CASE_ORIGINS),
  reason: text(2000),
  openedOn: Type.Optional(DateOnly),
});
export type CaseCreate = Static<typeof CaseCreate>;

export const CaseList = Strict({
  status: Type.Optional(Enum(CASE_STATUSES)),
  facilityId: Type.Optional(Uuid),
});
export type CaseList = Static<typeof CaseList>;

export const FacilityContactCreate = Strict({
  kind: Enum(FACILITY_CONTACT_KINDS),
  date: DateOnly,
  /** who had the contact; the author when left out */
  userId: Type.Optional(Nullable(Uuid)),
  note: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
});
export type FacilityContactCreate = Static<typeof FacilityContactCreate>;

export const CaseClose = Strict({ summary: text(5000), closedOn: Type.Optional(DateOnly) });
export type CaseClose = Static<typeof CaseClose>;

export const Facility = Type.Object({
  id: S,
  name: S,
  kind: Enum(FACILITY_KINDS),
  linkedOrganizationId: Nullable(S),
  linkedOrganizationName: Nullable(S),
  municipalityNis: Nullable(S),
  contactName: Nullable(S),
  contactPhone: Nullable(S),
  note: Nullable(S),
  openCases: Type.Integer(),
  lastContactDate: Nullable(S),
});

export const CaseSummary = Type.Object({
  id: S,
  facilityId: S,
  facilityName: S,
  origin: Enum(CASE_ORIGINS),
  reason: S,
  openedOn: S,
  status: Enum(CASE_STATUSES),
  closedOn: Nullable(S),
  contacts: Type.Integer(),
  lastContactDate: Nullable(S),
});

export const FacilityContact = Type.Object({
  id: S,
  kind: Enum(FACILITY_CONTACT_KINDS),
  date: S,
  userId: S,
  userDisplayName: S,
  note: Nullable(S),
});

export const CaseDetail = Type.Intersect([
  CaseSummary,
  Type.Object({ summary: Nullable(S), contactLog: Type.Array(FacilityContact) }),
]);
