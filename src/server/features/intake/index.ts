import type { Feature } from '../../core/feature.ts';
import { intakeRoutes } from './intake.routes.ts';

/** Integrated intake: help requests, screening, safety signals and matching. */
export const intakeFeature: Feature = { name: 'intake', routes: intakeRoutes };
