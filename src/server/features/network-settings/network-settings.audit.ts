/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const NETWORK_SETTINGS_AUDIT = {
  networkSettingsUpdate: 'network.settings.update',
} as const;
