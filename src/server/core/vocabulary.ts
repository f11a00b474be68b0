/**
 * Words more than one feature speaks: the urgency of a help request is also the priority of its referral.
 * Kept in the core so that neither feature has to import the other for it.
 */
export const URGENCIES = ['routine', 'urgent', 'acute'] as const;
export type Urgency = (typeof URGENCIES)[number];
