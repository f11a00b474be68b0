import type { Feature } from '../../core/feature.ts';
import { referralRoutes } from './referrals.routes.ts';

/** Closed-loop referral with consent, notifications and FHIR out. */
export const referralsFeature: Feature = { name: 'referrals', routes: referralRoutes };
export { OPEN_STATUSES } from './lifecycle.ts';
/** when a referral of a priority must be answered: the response target of an urgency (intake's matching uses it) */
export { answerDue } from './referrals.service.ts';
export { CLOSE_WITHOUT_CONTACT_REASONS, DECLINE_REASONS, STATUSES as REFERRAL_STATUSES } from './lifecycle.ts';
export { CONSENT_CATEGORIES, CONSENT_METHODS } from './referrals.schema.ts';
export { createConsent } from './consents.service.ts';
export { addBridging, createReferral, registerClient, transition } from './referrals.service.ts';
export { addWorkingDays, brusselsDate, isWorkingDay } from './working-days.ts';
export { NOTIFICATION_KINDS } from './lifecycle.ts';
/** a referral's (alias `r`) shared risk level as one party sees it now (the notifications show it) */
export { RISK_SEEN as REFERRAL_RISK_SEEN } from './referrals.service.ts';
