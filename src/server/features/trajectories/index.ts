import type { Feature } from '../../core/feature.ts';
import { trajectoryRoutes } from './trajectories.routes.ts';

declare module '../../core/auth/permissions.ts' {
  interface FeaturePermissions {
    'trajectory:read': true;
    'trajectory:write': true;
  }
}

/** Trajectories (traject, FHIR EpisodeOfCare) with their contact log (FHIR Encounter): the organisation's own. */
export const trajectoriesFeature: Feature = {
  name: 'trajectories',
  routes: trajectoryRoutes,
  permissions: {
    'trajectory:read': { roles: ['intake-worker', 'caregiver', 'coordinator', 'team-lead'], token: false },
    'trajectory:write': { roles: ['intake-worker', 'caregiver', 'coordinator', 'team-lead'], token: false },
  },
};
export {
  createTrajectory,
  addContact,
  transition as transitionTrajectory,
  daysWithoutContact,
  noRecentContact,
  NO_CONTACT_DAYS,
} from './trajectories.service.ts';
export { MODULES, CONTACT_KINDS, TRAJECTORY_STATUSES, OUTCOMES, CLOSE_REASONS } from './trajectories.schema.ts';
export { TRAJECTORY_AUDIT } from './trajectories.audit.ts';
