/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const HSDS_AUDIT = {
  catalogueImport: 'catalogue.import',
} as const;
