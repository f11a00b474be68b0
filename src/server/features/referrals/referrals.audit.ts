/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const REFERRAL_AUDIT = {
  consentCreate: 'consent.create',
  consentExceptionReview: 'consent.exception.review',
  consentExceptionsList: 'consent.exceptions.list',
  consentList: 'consent.list',
  consentWithdraw: 'consent.withdraw',
  notificationRead: 'notification.read',
  referralBridging: 'referral.bridging',
  referralBridgingSuggestions: 'referral.bridging-suggestions',
  referralCreate: 'referral.create',
  referralFhir: 'referral.fhir',
  referralRead: 'referral.read',
  referralRegisterClient: 'referral.register-client',
  referralTransition: 'referral.transition',
} as const;
