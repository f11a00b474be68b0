import type { Feature } from '../../core/feature.ts';
import { searchSynonymRoutes } from './search-synonyms.routes.ts';

declare module '../../core/auth/permissions.ts' {
  interface FeaturePermissions {
    'search-synonyms:manage': true;
  }
}

/** The synonym groups a network adds to the catalogue search's built-in Dutch list. */
export const searchSynonymsFeature: Feature = {
  name: 'search-synonyms',
  routes: searchSynonymRoutes,
  permissions: { 'search-synonyms:manage': { roles: ['network-admin'], token: false } },
};
