/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const WORK_AUDIT = {
  myWorkRead: 'work.my-work.read',
  caseloadRead: 'work.caseload.read',
} as const;
