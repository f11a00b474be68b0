import type { Feature } from '../../core/feature.ts';
import { organizationRoutes } from './organizations.routes.ts';

/** Organisations of the network, their sites and teams. */
export const organizationsFeature: Feature = { name: 'organizations', routes: organizationRoutes };
export { ORGANIZATION_KINDS } from './organizations.routes.ts';
export type { OrganizationKind } from './organizations.routes.ts';
