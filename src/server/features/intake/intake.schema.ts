import { Type, type Static } from '@sinclair/typebox';
import { Enum, Nullable, Strict, Uuid } from '../../core/http/schemas.ts';
import type { InstrumentDefinition } from '../instruments/index.ts';
import { CAPACITIES, LEVELS, MODALITIES } from '../offers/index.ts';
import { MATCH_AREA_BASES, NEEDED_BASES, NEEDED_BECAUSE } from './matching.ts';

export const CHANNELS = ['self', 'gp', 'helpline', 'facility', 'school', 'police', 'other'] as const;
import { URGENCIES } from '../../core/vocabulary.ts';
import { REFERRAL_STATUSES } from '../referrals/index.ts';
import { RISK_LEVELS, SIGNAL_RISK_LEVELS } from '../../core/risk.ts';

export { RISK_LEVELS, URGENCIES };
export const LIFE_DOMAINS = [
  'mental-health',
  'physical-health',
  'relationships',
  'family',
  'work-school',
  'finances',
  'housing',
  'safety',
  'social-contacts',
  'justice',
] as const;
export const HELP_REQUEST_STATUSES = ['open', 'indicated', 'referred', 'closed'] as const;
export const SIGNAL_KINDS = ['suicide-risk', 'suicide-high-risk', 'family-violence', 'unsafe-home', 'other'] as const;
/** a signal's level is a risk level (core/risk.ts), never `none` */
export const SIGNAL_LEVELS = SIGNAL_RISK_LEVELS;
/** raised by a screening's flag, or by hand */
export const SIGNAL_SOURCES = ['screening', 'manual'] as const;
export const FLAG_LEVELS = ['info', 'warning', 'high'] as const;
const TermId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,60}$' });
const text = (max: number) => Type.String({ maxLength: max });

const editable = {
  channel: Type.Optional(Enum(CHANNELS)),
  receivedAt: Type.Optional(Type.String({ format: 'date-time' })),
  story: Type.String({ minLength: 1, maxLength: 20000, pattern: '\\S' }),
  context: Type.Optional(Nullable(text(10000))),
  lifeDomains: Type.Optional(Type.Array(Enum(LIFE_DOMAINS), { uniqueItems: true, maxItems: 10 })),
  themes: Type.Array(TermId, { uniqueItems: true, maxItems: 20 }),
  urgency: Enum(URGENCIES),
  clarification: Type.Optional(Nullable(text(10000))),
  age: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 120 }))),
  municipality: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{5}$' }))),
  language: Type.Optional(Nullable(Type.String({ pattern: '^[a-z]{2}$' }))),
  preferredModality: Type.Optional(Nullable(Enum(MODALITIES))),
};

export const HelpRequestQuery = Strict({
  status: Type.Optional(Enum(HELP_REQUEST_STATUSES)),
  clientId: Type.Optional(Type.String({ format: 'uuid' })),
});

export const HelpRequestCreate = Strict({
  clientId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  ...editable,
});
export type HelpRequestCreate = Static<typeof HelpRequestCreate>;
export const HelpRequestUpdate = Type.Partial(
  Strict({
    ...editable,
    /** link a request registered without a file to a client (once) */
    clientId: Type.String({ format: 'uuid' }),
    indicationLevel: Nullable(Enum(LEVELS)),
    /** required (400, field "reasons") when the level differs from the one the scores suggest */
    indicationReasons: Nullable(text(5000)),
  }),
  { additionalProperties: false },
);
export type HelpRequestUpdate = Static<typeof HelpRequestUpdate>;

export const ScreeningCreate = Strict({
  instrument: Type.String({ minLength: 1, maxLength: 40 }),
  // number first: Ajv's type coercion would otherwise turn 2 into "2"
  answers: Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.Number(), Type.String({ maxLength: 40 })]), {
    maxProperties: 60,
  }),
});
export type ScreeningCreate = Static<typeof ScreeningCreate>;

export const SafetySignalCreate = Strict({
  kind: Enum(SIGNAL_KINDS),
  level: Enum(SIGNAL_LEVELS),
  note: Type.Optional(Nullable(text(5000))),
});
export const SafetyAction = Strict({ actionTaken: Type.String({ minLength: 3, maxLength: 5000, pattern: '\\S' }) });
export const CloseRequest = Strict({ reason: Type.String({ minLength: 3, maxLength: 2000, pattern: '\\S' }) });
export const ChoiceRequest = Strict({
  offerId: Type.String({ format: 'uuid' }),
  reason: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  /** the top suggestion the worker was shown (null: none was shown); without it, the top suggestion of now */
  topSuggestionOfferId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
});

// ---------- responses ----------
// Fastify serializes a response with its schema (fast-json-stringify): a property not named here is not sent.
// So these are the contract of what leaves the server, personal data included — each field is one the web app
// shows or a caller needs; the service's return types are derived from them (Static<typeof X>).

const S = Type.String();
const Int = Type.Integer();
const DateTime = Type.String({ format: 'date-time' });
const Level = Enum(LEVELS);
const SignalKind = Enum(SIGNAL_KINDS);
const SignalLevel = Enum(SIGNAL_LEVELS);
export type SignalKind = Static<typeof SignalKind>;
/** The one risk vocabulary (core/risk.ts): the screening, the safety section, the lists and the referral speak it. */
const RiskLevel = Enum(RISK_LEVELS, { description: 'none, attention, high or acute (core/risk.ts)' });

const helpRequestFields = {
  id: Uuid,
  organizationId: Uuid,
  clientId: Nullable(Uuid),
  channel: Enum(CHANNELS),
  receivedAt: DateTime,
  story: S,
  context: Nullable(S),
  lifeDomains: Type.Array(Enum(LIFE_DOMAINS)),
  themes: Type.Array(S),
  urgency: Enum(URGENCIES),
  clarification: Nullable(S),
  age: Nullable(Int),
  municipality: Nullable(Type.String({ description: 'NIS code' })),
  language: Nullable(S),
  preferredModality: Nullable(Enum(MODALITIES)),
  indicationLevel: Nullable(Level),
  indicationReasons: Nullable(S),
  status: Enum(HELP_REQUEST_STATUSES),
  closeReason: Nullable(S),
  chosenOfferId: Nullable(Uuid),
  choiceReason: Nullable(S),
  /** the top suggestion the choice was judged against */
  topSuggestionOfferId: Nullable(Uuid),
  /** the highest of its screenings' flags and its safety signals (core/risk.ts helpRequestRisk) */
  riskLevel: RiskLevel,
  createdAt: DateTime,
  updatedAt: DateTime,
};
export const HelpRequestDto = Type.Object(helpRequestFields, { description: 'A help request (hulpvraag)' });
export type HelpRequestDto = Static<typeof HelpRequestDto>;

/** A line of the list: what the list shows, and whose it is (the rest is read, and audited, on the help request itself). */
export const HelpRequestSummary = Type.Object({
  id: Uuid,
  organizationId: Uuid,
  clientId: Nullable(Uuid),
  /** the person's name or pseudonym ("Anoniem" for an anonymous file); null when registered without a file */
  clientName: Nullable(S),
  receivedAt: DateTime,
  story: S,
  urgency: helpRequestFields.urgency,
  status: helpRequestFields.status,
  riskLevel: RiskLevel,
});
export type HelpRequestSummary = Static<typeof HelpRequestSummary>;
export const HelpRequestList = Type.Object({ items: Type.Array(HelpRequestSummary) });

export const ScreeningDto = Type.Object(
  {
    id: Uuid,
    helpRequestId: Uuid,
    instrument: S,
    instrumentVersion: S,
    score: Nullable(Int),
    band: Nullable(S),
    bandLabel: Nullable(S),
    subscales: Type.Array(Type.Object({ id: S, score: Nullable(Int), band: Nullable(S) })),
    /** the highest risk level of its flags */
    riskLevel: RiskLevel,
    /** each flag with the instrument's own level and the risk level it means (core/risk.ts RISK_OF_FLAG) */
    flags: Type.Array(Type.Object({ code: S, label: S, level: Enum(FLAG_LEVELS), riskLevel: RiskLevel })),
    /** items asked but not answered */
    missing: Type.Array(S),
    imputed: Type.Boolean(),
    administeredAt: DateTime,
  },
  { description: 'A scored screening (the answers themselves only in its FHIR QuestionnaireResponse)' },
);
export type ScreeningDto = Static<typeof ScreeningDto>;
export const ScreeningList = Type.Object({ items: Type.Array(ScreeningDto) });

/** What a worker must see when the risk is high: the crisis lines and the network's crisis offers. */
export const CrisisActions = Type.Object({
  phoneNumbers: Type.Array(Type.Object({ label: S, number: S })),
  offers: Type.Array(Type.Object({ id: Uuid, name: S, organizationName: S, phone: Nullable(S) })),
});
export type CrisisActions = Static<typeof CrisisActions>;

export const ScreeningResult = Type.Object({
  ...ScreeningDto.properties,
  /** the signal the screening raised (the strongest of its flags) */
  safetySignal: Nullable(Type.Object({ kind: SignalKind, level: SignalLevel })),
  crisisActions: Nullable(CrisisActions),
});
export type ScreeningResult = Static<typeof ScreeningResult>;

export const SafetySignalDto = Type.Object(
  {
    id: Uuid,
    helpRequestId: Uuid,
    source: Enum(SIGNAL_SOURCES),
    screeningId: Nullable(Uuid),
    kind: SignalKind,
    level: SignalLevel,
    note: Nullable(S),
    raisedAt: DateTime,
    actionTaken: Nullable(S),
    actionRecordedAt: Nullable(DateTime),
    acknowledgedAt: Nullable(DateTime),
  },
  { description: 'A safety signal' },
);
export type SafetySignalDto = Static<typeof SafetySignalDto>;
/** A signal on the team lead's dashboard, which shows several persons at once: without the note (read on the help request). */
export const OpenSafetySignal = Type.Omit(SafetySignalDto, ['note'], {
  description: 'A safety signal not yet acknowledged',
});
export type OpenSafetySignal = Static<typeof OpenSafetySignal>;
export const OpenSafetySignalList = Type.Object({ items: Type.Array(OpenSafetySignal) });

export const NeededLevelDto = Type.Object(
  {
    level: Level,
    basis: Enum(NEEDED_BASES),
    because: Type.Array(Enum(NEEDED_BECAUSE)),
  },
  { description: 'The level of care needed: the indication, else what the scores suggest' },
);

/** A referral sent for a help request, as the sender follows it from there. */
export const ReferralOfRequest = Type.Object({
  id: Uuid,
  status: Enum(REFERRAL_STATUSES),
  priority: S,
  sentAt: DateTime,
  answerDueAt: DateTime,
  receiverOrganizationId: Uuid,
  receiverOrganizationName: S,
  offerName: S,
  /** still waiting for an answer or a first contact */
  open: Type.Boolean(),
});
export type ReferralOfRequest = Static<typeof ReferralOfRequest>;

export const HelpRequestDetail = Type.Object(
  {
    ...helpRequestFields,
    /** the level the scores alone suggest: an indication that differs from it needs its reasons */
    suggestedLevel: NeededLevelDto,
    screenings: Type.Array(ScreeningDto),
    safetySignals: Type.Array(SafetySignalDto),
    /** only while a signal is high */
    crisisActions: Nullable(CrisisActions),
    /** a referral of this request is still open: it is followed there, not closed here */
    openReferral: Type.Boolean(),
    /** every referral sent for this request, with its status: followed from here, never sent twice by mistake */
    referrals: Type.Array(ReferralOfRequest),
    /** false while a high risk has no recorded safety action, or a referral is open */
    closable: Type.Boolean(),
  },
  { description: 'A help request with its screenings and safety signals' },
);
export type HelpRequestDetail = Static<typeof HelpRequestDetail>;

export const Suggestion = Type.Object({
  offerId: Uuid,
  name: S,
  organizationId: Uuid,
  level: Level,
  capacity: Enum(CAPACITIES),
  waitDays: Nullable(Int),
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  reasons: Type.Array(S),
  misfits: Type.Array(S),
  organizationName: Nullable(S),
});
export type Suggestion = Static<typeof Suggestion>;
export const MatchArea = Type.Object(
  {
    /**
     * where the offers were looked for: the person's municipality, or — when none is known — near the organisation
     * that registered the request (its sites), the network's zone, the provinces of both, or the whole network
     */
    basis: Enum(MATCH_AREA_BASES),
    /** the municipality; the sites' municipalities; the zone's name; the provinces; nothing for the whole network */
    names: Type.Array(S),
  },
  { description: 'Where the suggestions were looked for' },
);
export const MatchList = Type.Object(
  {
    neededLevel: NeededLevelDto,
    area: MatchArea,
    items: Type.Array(Suggestion),
    /** zero-line and group offers that help while the person waits (empty when the first suggestion is open) */
    whileWaiting: Type.Array(Suggestion),
  },
  { description: 'Offers ranked by fit (stepped care)' },
);
export type MatchList = Static<typeof MatchList>;

// ---------- instruments (instruments/definition.ts) ----------

const Text = Type.Object({ nl: S, en: S });
const AnswerValue = Type.Union([Int, S]);
const Condition = Type.Object({ item: S, anyOf: Type.Array(AnswerValue) });
const Band = Type.Object({ code: S, min: Int, max: Int, label: Text });
const MissingRule = Type.Union(
  [
    Type.Object({ kind: Type.Literal('max-missing'), max: Int }),
    Type.Object({ kind: Type.Literal('impute-mean'), max: Int }),
    Type.Object({ kind: Type.Literal('complete') }),
  ],
  { description: 'What happens with unanswered items' },
);

export const InstrumentDto = Type.Object(
  {
    id: S,
    version: S,
    title: Text,
    description: Text,
    citation: S,
    licence: Text,
    missingData: Type.Optional(Text),
    items: Type.Array(
      Type.Object({
        id: S,
        text: Text,
        options: Type.Array(Type.Object({ value: AnswerValue, label: Text, score: Int })),
        /** asked only when another item has one of these values */
        enableWhen: Type.Optional(Condition),
        subscale: Type.Optional(S),
        required: Type.Optional(Type.Boolean()),
      }),
    ),
    scoring: Type.Object({
      total: Type.Object({ missing: MissingRule, min: Int, max: Int }),
      subscales: Type.Optional(
        Type.Array(
          Type.Object({
            id: S,
            title: Text,
            missing: MissingRule,
            min: Int,
            max: Int,
            bands: Type.Optional(Type.Array(Band)),
          }),
        ),
      ),
      bands: Type.Array(Band),
      bandFrom: Type.Optional(Enum(['total', 'flags'] as const)),
    }),
    flags: Type.Array(
      Type.Object({
        code: S,
        label: Text,
        level: Enum(FLAG_LEVELS),
        whenAny: Type.Optional(Type.Array(Condition)),
        totalAtLeast: Type.Optional(Int),
      }),
    ),
  },
  { description: 'A screening instrument: items, answer values and scores, scoring, bands, flags, citation, licence' },
);
export const InstrumentList = Type.Object({ items: Type.Array(InstrumentDto) });

// The schema is the definition type, property for property: a field added to one and not the other fails to compile
// (otherwise the serializer would silently leave it out).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameAsDefinition: Same<Static<typeof InstrumentDto>, InstrumentDefinition> = true;
void sameAsDefinition;

// ---------- FHIR R4 (instruments/fhir.ts) ----------

const Coding = Type.Object({ system: S, code: S, display: S });
const questionnaireItem = {
  linkId: S,
  text: S,
  type: Type.Literal('choice'),
  required: Type.Boolean(),
};
/** each option carries its score as an ordinalValue extension */
const AnswerOptions = Type.Array(
  Type.Object({ valueCoding: Coding, extension: Type.Array(Type.Object({ url: S, valueDecimal: Type.Number() })) }),
);
// Two shapes, each with every property required, rather than one with optional enableWhen: the serializer writes
// required properties first, so an optional enableWhen would move behind answerOption and change the output.
const QuestionnaireItem = Type.Union([
  Type.Object({
    ...questionnaireItem,
    /** skip logic: asked only when another item has one of these answers */
    enableWhen: Type.Array(
      Type.Object({ question: S, operator: Type.Literal('='), answerCoding: Type.Object({ system: S, code: S }) }),
    ),
    enableBehavior: Type.Literal('any'),
    answerOption: AnswerOptions,
  }),
  Type.Object({ ...questionnaireItem, answerOption: AnswerOptions }),
]);

export const Questionnaire = Type.Object(
  {
    resourceType: Type.Literal('Questionnaire'),
    id: S,
    url: S,
    version: S,
    name: S,
    title: S,
    status: Type.Literal('active'),
    language: S,
    description: S,
    copyright: S,
    item: Type.Array(QuestionnaireItem),
  },
  { description: 'FHIR R4 Questionnaire' },
);

export const QuestionnaireResponse = Type.Object(
  {
    resourceType: Type.Literal('QuestionnaireResponse'),
    id: S,
    /** canonical|version of the exact Questionnaire */
    questionnaire: S,
    status: Enum(['completed', 'in-progress'] as const),
    authored: DateTime,
    basedOn: Type.Array(Type.Object({ identifier: Type.Object({ system: S, value: S }) })),
    /** total score, band and whether it was imputed (left out when empty) */
    extension: Type.Optional(
      Type.Array(
        Type.Union([
          Type.Object({ url: S, valueInteger: Int }),
          Type.Object({ url: S, valueCode: S }),
          Type.Object({ url: S, valueBoolean: Type.Boolean() }),
        ]),
      ),
    ),
    /** the answered items (left out when none) */
    item: Type.Optional(
      Type.Array(Type.Object({ linkId: S, text: S, answer: Type.Array(Type.Object({ valueCoding: Coding })) })),
    ),
  },
  { description: 'FHIR R4 QuestionnaireResponse' },
);
