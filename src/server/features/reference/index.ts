import type { Feature } from '../../core/feature.ts';
import { referenceRoutes } from './reference.routes.ts';

/** Reference data: municipalities, zones, taxonomies. */
export const referenceFeature: Feature = { name: 'reference', routes: referenceRoutes };
