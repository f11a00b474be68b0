import type { Feature } from '../../core/feature.ts';
import { offerRoutes } from './offers.routes.ts';

/** The shared catalogue of offers. */
export const offersFeature: Feature = { name: 'offers', routes: offerRoutes };
export { CAPACITIES, LEVELS, MODALITIES } from './offers.schema.ts';
export { searchWords } from './offers.service.ts';
export { unknownMunicipalities, unknownTerms } from './offers.repository.ts';
export { COSTS, TARGET_GROUPS } from './offers.schema.ts';
// a published group of the group-work feature is an offer of the catalogue (modality group)
export { createOffer, updateOffer } from './offers.service.ts';
export { forgetSynonyms, synonymGroups, wordsTsquery } from './offers.synonyms.ts';
