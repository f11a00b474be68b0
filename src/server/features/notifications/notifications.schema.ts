import { Type, type Static } from '@sinclair/typebox';
import { Enum, Nullable, Strict, Uuid } from '../../core/http/schemas.ts';
import { RISK_LEVELS } from '../../core/risk.ts';
import { NOTIFICATION_KINDS as REFERRAL_KINDS } from '../referrals/index.ts';

/** Every kind of notice: the referrals' and a new outreach signal. */
export const NOTIFICATION_KINDS = [...REFERRAL_KINDS, 'outreach-new'] as const;
export const SUBJECT_TYPES = ['referral', 'outreach-signal'] as const;

export const NotificationQuery = Strict({ unread: Type.Optional(Type.Boolean()) });
export type NotificationQuery = Static<typeof NotificationQuery>;

export const NotificationDto = Type.Object({
  id: Uuid,
  kind: Enum(NOTIFICATION_KINDS),
  /** what the notice is about and its id (the app links to it) */
  subjectType: Nullable(Enum(SUBJECT_TYPES)),
  subjectId: Nullable(Uuid),
  referralId: Nullable(Uuid),
  /** the referral's shared risk level, shown with the notice in the app (never in the e-mail) */
  riskLevel: Nullable(
    Enum(RISK_LEVELS, { description: 'none, attention, high or acute when sent; null: not shared (or consent ended)' }),
  ),
  createdAt: Type.String({ format: 'date-time' }),
  read: Type.Boolean(),
});
export type NotificationDto = Static<typeof NotificationDto>;
export const NotificationList = Type.Object({ items: Type.Array(NotificationDto) });
