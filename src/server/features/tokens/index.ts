import type { Feature } from '../../core/feature.ts';
import { tokenRoutes } from './tokens.routes.ts';

/** API tokens of an organisation. */
export const tokensFeature: Feature = { name: 'tokens', routes: tokenRoutes };
