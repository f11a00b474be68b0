import type { Feature } from '../../core/feature.ts';
import { hsdsRoutes } from './hsds.routes.ts';

/** Open Referral HSDS 3.0: the public feed and the catalogue import. */
export const hsdsFeature: Feature = { name: 'hsds', routes: hsdsRoutes };
/** The kinds of records an import counts (and its `entity` parameter), in the order the server writes them. */
export { ENTITY_PARAMS as IMPORT_KINDS } from './package.ts';
