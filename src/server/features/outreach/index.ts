import type { Feature } from '../../core/feature.ts';
import { outreachRoutes } from './outreach.routes.ts';

declare module '../../core/auth/permissions.ts' {
  interface FeaturePermissions {
    'outreach:signal': true;
    'outreach:queue': true;
    'outreach:stats': true;
  }
}

/**
 * Proactive outreach: signals about a person who agreed to be contacted (from any organisation of the network),
 * routed per kind and municipality; the receiver's queue with attempts and closing; the funder's counts.
 */
export const outreachFeature: Feature = {
  name: 'outreach',
  routes: outreachRoutes,
  permissions: {
    // any organisation's people pass signals on (a funeral director, a care home, a hospital, home care…)
    'outreach:signal': { roles: ['intake-worker', 'caregiver', 'coordinator', 'team-lead'], token: false },
    // the queue: the receiving organisation's coordinators (nazorgcoördinator) and team leads; a sender-only
    // organisation (funeral director, care facility) is refused by the service whatever the role
    'outreach:queue': { roles: ['coordinator', 'team-lead'], token: false },
    'outreach:stats': { roles: ['coordinator', 'team-lead', 'org-admin'], token: false },
  },
};
export { outreachFigures, eraseExpiredSignals } from './outreach.service.ts';
/** the operations themselves, for the demo seed (which plays them as the demo users) */
export {
  addAttempt as addOutreachAttempt,
  closeSignal as closeOutreachSignal,
  createSignal as createOutreachSignal,
  updateOutreachSettings,
} from './outreach.service.ts';
export {
  SIGNAL_KINDS as OUTREACH_KINDS,
  CLOSE_OUTCOMES as OUTREACH_CLOSE_OUTCOMES,
  CHANNELS as OUTREACH_CHANNELS,
  ATTEMPT_OUTCOMES as OUTREACH_ATTEMPT_OUTCOMES,
  SENDER_STATES as OUTREACH_STATES,
  SIGNAL_STATUSES as OUTREACH_STATUSES,
  MOMENTS as OUTREACH_MOMENTS,
  AGREEMENT_METHODS as OUTREACH_AGREEMENT_METHODS,
} from './outreach.schema.ts';
