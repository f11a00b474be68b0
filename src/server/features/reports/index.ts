import type { Feature } from '../../core/feature.ts';
import { reportRoutes } from './reports.routes.ts';

declare module '../../core/auth/permissions.ts' {
  interface FeaturePermissions {
    'report:output': true;
    'report:staffing': true;
    'report:submit': true;
    'report:flow': true;
  }
}

/** Reporting: staffing, the quarterly output against the norms (submitted in versions), the network flow monitor. */
export const reportsFeature: Feature = {
  name: 'reports',
  routes: reportRoutes,
  permissions: {
    'report:output': {
      roles: ['org-admin', 'team-lead', 'coordinator', 'network-coordinator', 'analyst', 'network-admin'],
      token: false,
    },
    'report:staffing': { roles: ['org-admin'], token: false },
    'report:submit': { roles: ['org-admin'], token: false },
    'report:flow': { roles: ['network-coordinator', 'analyst', 'network-admin'], token: false },
  },
};
export { REPORTS_AUDIT } from './reports.audit.ts';
export { putStaffing } from './reports.service.ts';
