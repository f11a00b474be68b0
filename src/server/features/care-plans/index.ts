import type { Feature } from '../../core/feature.ts';
import { carePlanRoutes } from './care-plans.routes.ts';

declare module '../../core/auth/permissions.ts' {
  interface FeaturePermissions {
    'care-plan:read': true;
    'care-plan:write': true;
  }
}

/**
 * The shared care plan (hulpplan, FHIR CarePlan / Goal / CareTeam): one per person across the network, found
 * through linked client records, seen by the organisation that made it and those a care-plan consent names.
 */
export const carePlansFeature: Feature = {
  name: 'care-plans',
  routes: carePlanRoutes,
  permissions: {
    'care-plan:read': { roles: ['intake-worker', 'caregiver', 'coordinator', 'team-lead'], token: false },
    'care-plan:write': { roles: ['intake-worker', 'caregiver', 'coordinator', 'team-lead'], token: false },
  },
};
export { GOAL_STATUSES, ACTION_STATUSES, OWNER_KINDS, DECISIONS, MEMBER_KINDS } from './care-plans.schema.ts';
export { CARE_PLAN_AUDIT } from './care-plans.audit.ts';
export {
  addAction as addCarePlanAction,
  addEvaluation as addCarePlanEvaluation,
  addGoal as addCarePlanGoal,
  addMember as addCareTeamMember,
  createPlan as createCarePlan,
  updatePlan as updateCarePlan,
} from './care-plans.service.ts';
