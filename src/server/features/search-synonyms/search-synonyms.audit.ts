/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const SEARCH_SYNONYMS_AUDIT = {
  synonymsList: 'search.synonyms.list',
  synonymsCreate: 'search.synonyms.create',
  synonymsDelete: 'search.synonyms.delete',
} as const;
