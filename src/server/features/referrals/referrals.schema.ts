import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Enum, Nullable, Strict, Uuid } from '../../core/http/schemas.ts';
import { URGENCIES } from '../../core/vocabulary.ts';
import { RISK_LEVELS } from '../../core/risk.ts';
import { CAPACITIES, LEVELS } from '../offers/index.ts';
import {
  ACTIONS,
  DECLINE_REASONS,
  EVENT_ACTIONS,
  REQUEST_PRIORITIES,
  SERVICE_REQUEST_STATUSES,
  STATUSES,
  TASK_STATUSES,
} from './lifecycle.ts';
import { DuplicateItem, IDENTITY_KINDS } from '../clients/index.ts';

export const CONSENT_CATEGORIES = ['contact', 'help-request-summary', 'screening-results', 'care-plan'] as const;
export const CONSENT_PURPOSES = ['referral', 'care-plan'] as const;
export const CONSENT_METHODS = ['verbal', 'written', 'digital', 'exception'] as const;
/** A referral's priority: the help request's urgency scale. */
const Priority = Enum(URGENCIES);
/**
 * The risk level (core/risk.ts) the sender's screening and safety section showed when the referral was sent, as the
 * consent shares it (the help request summary or the screening results); null when not shared, or no longer seen.
 */
const SharedRisk = Nullable(
  Enum(RISK_LEVELS, { description: 'none, attention, high or acute when sent; null: not shared (or consent ended)' }),
);

export const ConsentCreate = Strict({
  clientId: Type.String({ format: 'uuid' }),
  purpose: Enum(CONSENT_PURPOSES),
  recipientOrganizationId: Type.String({ format: 'uuid' }),
  recipientOfferId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  categories: Type.Array(Enum(CONSENT_CATEGORIES), { minItems: 1, uniqueItems: true }),
  method: Enum(CONSENT_METHODS),
  exceptionReason: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  validUntil: Type.Optional(Nullable(Type.String({ format: 'date' }))),
});
export type ConsentCreate = Static<typeof ConsentCreate>;
export const ConsentWithdraw = Strict({ note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) });

export const ReferralCreate = Strict({
  helpRequestId: Type.String({ format: 'uuid' }),
  offerId: Type.String({ format: 'uuid' }),
  priority: Priority,
  message: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  consentId: Type.String({ format: 'uuid' }),
  /** a second open referral of the same help request to the same organisation is refused (409) unless confirmed */
  confirmSecond: Type.Optional(Type.Boolean({ default: false })),
});
export type ReferralCreate = Static<typeof ReferralCreate>;

export const Transition = Strict({
  action: Enum(ACTIONS),
  reason: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  note: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  expectedDate: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  scheduledAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  /** optimistic concurrency: the version the actor saw (a stale one gets 409) */
  version: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type Transition = Static<typeof Transition>;
export const DeclineReason = Enum(DECLINE_REASONS);

export const ReferralList = Strict({
  box: Enum(['incoming', 'outgoing'] as const),
  status: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10 })),
  priority: Type.Optional(Priority),
  overdue: Type.Optional(Type.Boolean()),
  open: Type.Optional(Type.Boolean()),
  /** outgoing only: the referrals made from one help request */
  helpRequestId: Type.Optional(Type.String({ format: 'uuid' })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});
export type ReferralList = Static<typeof ReferralList>;

export const Bridging = Strict({
  offerId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  note: Type.String({ minLength: 2, maxLength: 2000, pattern: '\\S' }),
});
export const RegisterClient = Strict({ existingClientId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))) });

// ---------- responses: exactly what goes out (the serializer drops any other field) ----------

const S = Type.String();
const DateTime = Type.String({ format: 'date-time' });
const Day = Type.String({ format: 'date' });
const items = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

/** Who recorded, withdrew or reviewed a consent: a staff member (display name) or an API token (its name); never a client. */
export const ConsentActor = Type.Object({ kind: Enum(['user', 'token'] as const), id: Uuid, name: Nullable(S) });
export type ConsentActor = Static<typeof ConsentActor>;

/** A consent, as its own organisation sees it (no other organisation reads consent records). */
export const ConsentDto = Type.Object({
  id: Uuid,
  clientId: Uuid,
  purpose: Enum(CONSENT_PURPOSES),
  recipientOrganizationId: Uuid,
  recipientOfferId: Nullable(Uuid),
  recipientOfferName: Nullable(S),
  categories: Type.Array(Enum(CONSENT_CATEGORIES)),
  method: Enum(CONSENT_METHODS),
  exceptionReason: Nullable(S),
  recordedAt: DateTime,
  recordedBy: Nullable(ConsentActor),
  validUntil: Nullable(Day),
  withdrawnAt: Nullable(DateTime),
  withdrawnBy: Nullable(ConsentActor),
  reviewedAt: Nullable(DateTime),
  reviewedBy: Nullable(ConsentActor),
  active: Type.Boolean({ description: 'not withdrawn and valid until today (Brussels) or later' }),
  needsReview: Type.Boolean({ description: 'an exception the team lead has not reviewed yet' }),
});
export type ConsentDto = Static<typeof ConsentDto>;
export const ConsentList = items(ConsentDto);

/**
 * The data the consent covers, frozen when the referral was made: only the categories consented to are there.
 * The contact carries the name as displayed; its parts (given and family name, pseudonym) stay in the stored
 * snapshot, where registering the person reads them, and do not go out.
 */
export const ReferralSnapshot = Type.Object(
  {
    categories: Type.Optional(Type.Array(Enum(CONSENT_CATEGORIES))),
    /** the risk level when it was sent (core/risk.ts), when the consent shares it */
    riskLevel: Type.Optional(Enum(RISK_LEVELS)),
    contact: Type.Optional(
      Type.Object({
        identityKind: Enum(IDENTITY_KINDS),
        displayName: S,
        birthYear: Nullable(Type.Integer()),
        birthDate: Nullable(Day),
        phone: Nullable(S),
        email: Nullable(S),
        preferredLanguage: Nullable(S),
        municipality: Nullable(Type.String({ description: 'NIS code' })),
      }),
    ),
    helpRequest: Type.Optional(
      Type.Object({
        themes: Type.Array(S),
        urgency: Priority,
        story: S,
        clarification: Nullable(S),
        receivedAt: DateTime,
        indicationLevel: Nullable(Enum(LEVELS)),
      }),
    ),
    screenings: Type.Optional(
      Type.Array(
        Type.Object({
          instrument: S,
          score: Nullable(Type.Number()),
          band: Nullable(S),
          flags: Type.Array(S),
          administeredAt: DateTime,
        }),
      ),
    ),
  },
  { description: 'null for the receiver once the consent is withdrawn or expired' },
);
export type ReferralSnapshot = Static<typeof ReferralSnapshot>;

const Status = Enum(STATUSES);
const OrganizationName = Nullable(S);

export const TimelineEvent = Type.Object({
  at: DateTime,
  action: Enum(EVENT_ACTIONS),
  fromStatus: Nullable(Status),
  toStatus: Nullable(Status),
  reason: Nullable(S),
  note: Nullable(S),
  by: Nullable(Type.String({ description: 'the staff member who acted; null for an API token' })),
  organizationName: OrganizationName,
});
export const BridgingSupportDto = Type.Object({
  id: Uuid,
  offerId: Nullable(Uuid),
  offerName: Nullable(S),
  note: S,
  arrangedAt: DateTime,
});

/** One referral as one of its two parties sees it (GET /api/referrals/:id and the answer of every change). */
export const ReferralDetail = Type.Object({
  id: Uuid,
  status: Status,
  priority: Priority,
  message: Nullable(Type.String({ description: 'null for a receiver whose consent ended' })),
  version: Type.Integer({ minimum: 1 }),
  senderOrganizationId: Uuid,
  receiverOrganizationId: Uuid,
  senderOrganizationName: OrganizationName,
  receiverOrganizationName: OrganizationName,
  offerId: Uuid,
  offerName: Nullable(S),
  snapshot: Nullable(ReferralSnapshot),
  riskLevel: SharedRisk,
  consentId: Uuid,
  consentActive: Type.Boolean(),
  helpRequestId: Nullable(
    Type.String({ format: 'uuid', description: "the sender's own reference; null for the receiver" }),
  ),
  clientId: Nullable(Type.String({ format: 'uuid', description: "the sender's own reference; null for the receiver" })),
  receiverClientId: Nullable(
    Type.String({ format: 'uuid', description: "the receiver's register entry; null for the sender" }),
  ),
  statusReason: Nullable(S),
  expectedDate: Nullable(Day),
  scheduledAt: Nullable(DateTime),
  answerDueAt: DateTime,
  firstContactDueAt: Nullable(DateTime),
  firstContactAt: Nullable(DateTime),
  overdue: Type.Object({
    answer: Type.Boolean(),
    firstContact: Type.Boolean(),
    waitlist: Type.Boolean(),
    any: Type.Boolean(),
  }),
  bridgingRequested: Type.Boolean(),
  createdAt: DateTime,
  updatedAt: DateTime,
  allowedActions: Type.Array(Enum(ACTIONS)),
  timeline: Type.Array(TimelineEvent),
  bridgingSupport: Type.Array(BridgingSupportDto),
});
/** Registering the person answers the referral and the client register's duplicate warning (empty when linking). */
export const RegisteredReferral = Type.Composite([
  ReferralDetail,
  Type.Object({ possibleDuplicates: Type.Array(DuplicateItem) }),
]);

export type ReferralDetail = Static<typeof ReferralDetail>;

/**
 * A row of an inbox: where the referral stands and who is involved, and the shared risk level so the most urgent
 * is seen first; no one's identity (the snapshot is in the detail).
 */
export const ReferralDto = Type.Object({
  id: Uuid,
  status: Status,
  priority: Priority,
  offerName: Nullable(S),
  senderOrganizationName: OrganizationName,
  receiverOrganizationName: OrganizationName,
  createdAt: DateTime,
  answerDueAt: DateTime,
  firstContactDueAt: Nullable(DateTime),
  expectedDate: Nullable(Day),
  overdue: Type.Boolean(),
  riskLevel: SharedRisk,
  version: Type.Integer({ minimum: 1 }),
  helpRequestId: Type.Optional(
    Nullable(Type.String({ format: 'uuid', description: "outgoing box only: the sender's help request" })),
  ),
});
export type ReferralDto = Static<typeof ReferralDto>;
export const InboxPage = items(ReferralDto);
export type InboxPage = Static<typeof InboxPage>;

export const ReferralCounts = Type.Object({
  incomingOpen: Type.Integer(),
  incomingOverdue: Type.Integer(),
  outgoingOpen: Type.Integer(),
  outgoingOverdue: Type.Integer(),
  unreadNotifications: Type.Integer(),
});
export type ReferralCounts = Static<typeof ReferralCounts>;

/** An overdue referral in the network coordinator's overview: organisations and times, never who. */
export const OverdueReferralDto = Type.Object({
  id: Uuid,
  status: Status,
  priority: Priority,
  answerDueAt: DateTime,
  firstContactDueAt: Nullable(DateTime),
  expectedDate: Nullable(Day),
  senderOrganizationName: OrganizationName,
  receiverOrganizationName: OrganizationName,
  riskLevel: SharedRisk,
});
export const OverdueList = items(OverdueReferralDto);
export type OverdueList = Static<typeof OverdueList>;

export const BridgingSuggestionDto = Type.Object({
  offerId: Uuid,
  name: S,
  organizationName: S,
  level: Enum(LEVELS),
  capacity: Enum(CAPACITIES),
  waitDays: Nullable(Type.Integer()),
});
export const BridgingSuggestionList = items(BridgingSuggestionDto);
export type BridgingSuggestionList = Static<typeof BridgingSuggestionList>;

// ---------- FHIR R4: the structure fhir.ts emits (empty values are left out, so some fields are optional) ----------
// The serializer writes the required fields first, then the optional ones, each in schema order. So that the
// output keeps the mapper's order, a field that follows an optional one is optional too (it may be always there).

const FhirReference = Type.Object({ reference: S, display: Type.Optional(S) });
const Coding = Type.Object({ system: S, code: S, display: Type.Optional(S) });
const FhirText = Type.Object({ text: S });
const FhirPriority = Enum(REQUEST_PRIORITIES);

export const FhirServiceRequest = Type.Object({
  resourceType: Type.Literal('ServiceRequest'),
  id: Uuid,
  status: Enum(SERVICE_REQUEST_STATUSES),
  intent: Type.Literal('order'),
  priority: FhirPriority,
  code: FhirText,
  subject: Type.Object({ display: S }),
  authoredOn: DateTime,
  requester: FhirReference,
  performer: Type.Array(FhirReference),
  note: Type.Optional(Type.Array(FhirText)),
  supportingInfo: Type.Optional(Type.Array(FhirReference)),
  identifier: Type.Optional(Type.Array(Type.Object({ system: S, value: S }))),
});
export type FhirServiceRequest = Static<typeof FhirServiceRequest>;

export const FhirTask = Type.Object({
  resourceType: Type.Literal('Task'),
  id: S,
  status: Enum(TASK_STATUSES),
  intent: Type.Literal('order'),
  priority: FhirPriority,
  businessStatus: Type.Object({ coding: Type.Array(Coding), text: S }),
  statusReason: Type.Optional(FhirText),
  focus: Type.Optional(FhirReference),
  basedOn: Type.Optional(Type.Array(FhirReference)),
  authoredOn: Type.Optional(DateTime),
  lastModified: Type.Optional(DateTime),
  requester: Type.Optional(FhirReference),
  owner: Type.Optional(FhirReference),
  output: Type.Optional(Type.Array(Type.Object({ type: FhirText, valueDateTime: DateTime }))),
});
export type FhirTask = Static<typeof FhirTask>;

export const FhirConsent = Type.Object({
  resourceType: Type.Literal('Consent'),
  id: Uuid,
  status: Enum(['active', 'inactive'] as const),
  scope: Type.Object({ coding: Type.Array(Coding) }),
  category: Type.Array(Type.Object({ coding: Type.Array(Coding) })),
  dateTime: DateTime,
  organization: Type.Array(FhirReference),
  policyRule: FhirText,
  provision: Type.Object({
    type: Type.Literal('permit'),
    period: Type.Optional(Type.Object({ end: Day })),
    actor: Type.Optional(
      Type.Array(Type.Object({ role: Type.Object({ coding: Type.Array(Coding) }), reference: FhirReference })),
    ),
    purpose: Type.Optional(Type.Array(Coding)),
    class: Type.Optional(Type.Array(Coding)),
  }),
});
export type FhirConsent = Static<typeof FhirConsent>;

/** The shared risk level when the referral was sent, coded in Korte Lijn's own code system (core/risk.ts). */
export const FhirRiskAssessment = Type.Object({
  resourceType: Type.Literal('RiskAssessment'),
  id: S,
  status: Type.Literal('final'),
  code: Type.Object({ coding: Type.Array(Coding), text: S }),
  subject: Type.Object({ display: S }),
  occurrenceDateTime: DateTime,
  performer: FhirReference,
  prediction: Type.Array(Type.Object({ qualitativeRisk: Type.Object({ coding: Type.Array(Coding), text: S }) })),
});
export type FhirRiskAssessment = Static<typeof FhirRiskAssessment>;

export const FhirReferralBundle = Type.Object(
  {
    resourceType: Type.Literal('Bundle'),
    id: S,
    type: Type.Literal('collection'),
    timestamp: DateTime,
    entry: Type.Array(
      Type.Object({
        fullUrl: S,
        resource: Type.Union([FhirServiceRequest, FhirTask, FhirConsent, FhirRiskAssessment]),
      }),
    ),
  },
  {
    description:
      'FHIR R4 Bundle: ServiceRequest, Task (with the BSeR business status), Consent, and the shared risk level as a RiskAssessment',
  },
);
export type FhirReferralBundle = Static<typeof FhirReferralBundle>;
