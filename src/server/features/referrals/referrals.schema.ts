import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Strict } from '../../core/http/schemas.ts';
import { DECLINE_REASONS } from './lifecycle.ts';

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
export const CONSENT_CATEGORIES = ['contact', 'help-request-summary', 'screening-results', 'care-plan'] as const;

export const ConsentCreate = Strict({
  clientId: Type.String({ format: 'uuid' }),
  purpose: literals(['referral', 'care-plan'] as const),
  recipientOrganizationId: Type.String({ format: 'uuid' }),
  recipientOfferId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  categories: Type.Array(literals(CONSENT_CATEGORIES), { minItems: 1, uniqueItems: true }),
  method: literals(['verbal', 'written', 'digital', 'exception'] as const),
  exceptionReason: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  validUntil: Type.Optional(Nullable(Type.String({ format: 'date' }))),
});
export type ConsentCreate = Static<typeof ConsentCreate>;
export const ConsentWithdraw = Strict({ note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) });

export const ReferralCreate = Strict({
  helpRequestId: Type.String({ format: 'uuid' }),
  offerId: Type.String({ format: 'uuid' }),
  priority: literals(['routine', 'urgent', 'acute'] as const),
  message: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  consentId: Type.String({ format: 'uuid' }),
});
export type ReferralCreate = Static<typeof ReferralCreate>;

export const Transition = Strict({
  action: literals(['receive', 'accept', 'decline', 'waitlist', 'schedule', 'first-contact', 'missed', 'complete', 'cancel'] as const),
  reason: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  note: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  expectedDate: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  scheduledAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  /** optimistic concurrency: the version the actor saw (a stale one gets 409) */
  version: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type Transition = Static<typeof Transition>;
export const DeclineReason = literals(DECLINE_REASONS);

export const ReferralList = Strict({
  box: literals(['incoming', 'outgoing'] as const),
  status: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10 })),
  priority: Type.Optional(literals(['routine', 'urgent', 'acute'] as const)),
  overdue: Type.Optional(Type.Boolean()),
  open: Type.Optional(Type.Boolean()),
  /** outgoing only: the referrals made from one help request */
  helpRequestId: Type.Optional(Type.String({ format: 'uuid' })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});
export type ReferralList = Static<typeof ReferralList>;

export const Bridging = Strict({ offerId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))), note: Type.String({ minLength: 2, maxLength: 2000, pattern: '\\S' }) });
export const RegisterClient = Strict({ existingClientId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))) });
