import type { Feature } from '../../core/feature.ts';
import { clientRoutes } from './clients.routes.ts';

/** The client register of an organisation. */
export const clientsFeature: Feature = { name: 'clients', routes: clientRoutes };
export { createClient, displayName } from './clients.service.ts';
export { checkInsz, makeInsz, normalizeInsz } from './insz.ts';
export type { PossibleDuplicate } from './clients.service.ts';
export type { ClientCreate } from './clients.schema.ts';
export { IDENTITY_KINDS } from './clients.schema.ts';
export { DuplicateItem } from './clients.schema.ts';
