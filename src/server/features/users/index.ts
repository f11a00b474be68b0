import type { Feature } from '../../core/feature.ts';
import { userRoutes } from './users.routes.ts';

/** People, memberships and roles. */
export const usersFeature: Feature = { name: 'users', routes: userRoutes };
