import type { Feature } from '../../core/feature.ts';
import type { App } from '../../core/http/context.ts';
import { groupRoutes } from './groups.routes.ts';
import { facilityRoutes } from './facilities.routes.ts';

declare module '../../core/auth/permissions.ts' {
  interface FeaturePermissions {
    'group:read': true;
    'group:write': true;
    'group:publish': true;
    'facility:read': true;
    'facility:write': true;
  }
}

const organizationWork = ['caregiver', 'coordinator', 'team-lead'] as const;

/**
 * Group work (groepswerking) and support to facilities: the organisation's own outreach work beside its
 * trajectories, one feature because the funder counts them together (`groupWorkFigures`).
 */
export const groupsFeature: Feature = {
  name: 'groups',
  routes: async (app: App) => {
    await groupRoutes(app);
    await facilityRoutes(app);
  },
  permissions: {
    'group:read': { roles: organizationWork, token: false },
    'group:write': { roles: organizationWork, token: false },
    // a published group is an offer in the network's catalogue: those who manage offers put it there
    'group:publish': { roles: ['coordinator'], token: false },
    'facility:read': { roles: organizationWork, token: false },
    'facility:write': { roles: organizationWork, token: false },
  },
};
export { groupWorkFigures } from './groups.service.ts';
// the demo seed plays its groups and facility cases through the services, as the demo users
export {
  addSession as addGroupSession,
  cancelSession as cancelGroupSession,
  createGroup,
  recordAttendance,
  register as registerForGroup,
  setPublication as setGroupPublication,
} from './groups.service.ts';
export {
  addContact as addFacilityContact,
  closeCase as closeFacilityCase,
  createCase as openFacilityCase,
  createFacility,
} from './facilities.service.ts';
export {
  AUDIENCES as GROUP_AUDIENCES,
  AGE_BANDS,
  CASE_ORIGINS,
  FACILITY_CONTACT_KINDS,
  FACILITY_KINDS,
} from './groups.schema.ts';
