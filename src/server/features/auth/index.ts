import type { Feature } from '../../core/feature.ts';
import { authRoutes } from './auth.routes.ts';

/** Sign-in, two-factor, password and session of the signed-in person. */
export const authFeature: Feature = { name: 'auth', routes: authRoutes };
