import type { Feature } from '../../core/feature.ts';
import { workRoutes } from './work.routes.ts';

declare module '../../core/auth/permissions.ts' {
  interface FeaturePermissions {
    'work:read': true;
    'caseload:read': true;
  }
}

/**
 * My work (a caregiver's start page: running trajectories, the quiet ones first) and a team lead's caseload per
 * caregiver. Reads only: the trajectories (and later the care plan) own the data.
 */
export const workFeature: Feature = {
  name: 'work',
  routes: workRoutes,
  permissions: {
    // the roles that hold trajectories of their own; an intake worker keeps Onthaal as its start page
    'work:read': { roles: ['caregiver', 'coordinator', 'team-lead'], token: false },
    'caseload:read': { roles: ['team-lead'], token: false },
  },
};
export { WORK_AUDIT } from './work.audit.ts';
