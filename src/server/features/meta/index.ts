import type { Feature } from '../../core/feature.ts';
import { metaRoutes } from './meta.routes.ts';

/** Health, readiness and version. */
export const metaFeature: Feature = { name: 'meta', routes: metaRoutes };
