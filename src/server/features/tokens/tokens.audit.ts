/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const TOKEN_AUDIT = {
  apiTokenCreate: 'api-token.create',
  apiTokenRevoke: 'api-token.revoke',
} as const;
