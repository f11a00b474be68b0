/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const AUDIT_VIEW_AUDIT = {
  auditRead: 'audit.read',
} as const;
