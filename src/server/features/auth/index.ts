import type { Feature } from '../../core/feature.ts';
import { authRoutes } from './auth.routes.ts';

/** Sign-in, two-factor, password recovery, password and session of the signed-in person. */
export const authFeature: Feature = { name: 'auth', routes: authRoutes };

/** Resolves once the reset requests accepted so far have been handled (they finish after their 202). */
export { passwordResetsSettled } from './password-reset.service.ts';
