/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const CLIENT_AUDIT = {
  clientAccessLogRead: 'client.access-log.read',
  clientCreate: 'client.create',
  clientDuplicateCheck: 'client.duplicate-check',
  clientRead: 'client.read',
  clientSearch: 'client.search',
  clientUpdate: 'client.update',
} as const;
