import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Strict } from '../../core/http/schemas.ts';
import { LEVELS, MODALITIES } from '../offers/index.ts';

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
export const CHANNELS = ['self', 'gp', 'helpline', 'facility', 'school', 'police', 'other'] as const;
export const URGENCIES = ['routine', 'urgent', 'acute'] as const;
export const LIFE_DOMAINS = ['mental-health', 'physical-health', 'relationships', 'family', 'work-school', 'finances', 'housing', 'safety', 'social-contacts', 'justice'] as const;
const TermId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,60}$' });
const text = (max: number) => Type.String({ maxLength: max });

const editable = {
  channel: Type.Optional(literals(CHANNELS)),
  receivedAt: Type.Optional(Type.String({ format: 'date-time' })),
  story: Type.String({ minLength: 1, maxLength: 20000, pattern: '\\S' }),
  context: Type.Optional(Nullable(text(10000))),
  lifeDomains: Type.Optional(Type.Array(literals(LIFE_DOMAINS), { uniqueItems: true, maxItems: 10 })),
  themes: Type.Array(TermId, { uniqueItems: true, maxItems: 20 }),
  urgency: literals(URGENCIES),
  clarification: Type.Optional(Nullable(text(10000))),
  age: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 120 }))),
  municipality: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{5}$' }))),
  language: Type.Optional(Nullable(Type.String({ pattern: '^[a-z]{2}$' }))),
  preferredModality: Type.Optional(Nullable(literals(MODALITIES))),
};

export const HelpRequestCreate = Strict({ clientId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))), ...editable });
export type HelpRequestCreate = Static<typeof HelpRequestCreate>;
export const HelpRequestUpdate = Type.Partial(Strict({
  ...editable,
  /** link a request registered without a file to a client (once) */
  clientId: Type.String({ format: 'uuid' }),
  indicationLevel: Nullable(literals(LEVELS)),
  /** required (400, field "reasons") when the level differs from the one the scores suggest */
  indicationReasons: Nullable(text(5000)),
}), { additionalProperties: false });
export type HelpRequestUpdate = Static<typeof HelpRequestUpdate>;

export const ScreeningCreate = Strict({
  instrument: Type.String({ minLength: 1, maxLength: 40 }),
  // number first: Ajv's type coercion would otherwise turn 2 into "2"
  answers: Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.Number(), Type.String({ maxLength: 40 })]), { maxProperties: 60 }),
});
export type ScreeningCreate = Static<typeof ScreeningCreate>;

export const SafetySignalCreate = Strict({
  kind: literals(['suicide-risk', 'suicide-high-risk', 'family-violence', 'unsafe-home', 'other'] as const),
  level: literals(['moderate', 'high'] as const),
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
