import type { Feature } from '../../core/feature.ts';
import { auditRoutes } from './audit.routes.ts';

/** The audit view: the organisation's and network's trail, refusals included. */
export const auditFeature: Feature = { name: 'audit', routes: auditRoutes };
