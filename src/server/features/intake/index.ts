import type { Feature } from '../../core/feature.ts';
import { intakeRoutes } from './intake.routes.ts';

/** Integrated intake: help requests, screening, safety signals and matching. */
export const intakeFeature: Feature = { name: 'intake', routes: intakeRoutes };
export {
  CHANNELS,
  HELP_REQUEST_STATUSES,
  LIFE_DOMAINS,
  SIGNAL_KINDS,
  SIGNAL_LEVELS,
  URGENCIES,
} from './intake.schema.ts';
export {
  acknowledgeSignal,
  addScreening,
  closeHelpRequest,
  createHelpRequest,
  raiseSignal,
  recordSafetyAction,
  updateHelpRequest,
} from './intake.service.ts';
