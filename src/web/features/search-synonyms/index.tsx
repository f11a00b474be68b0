import { defineFeature } from '../types';
import { SearchSynonymsPage } from './SearchSynonymsPage';
import { texts } from './texts';

/** The network admin's synonym groups for the catalogue search (a page of the network settings). */
export const searchSynonyms = defineFeature({
  name: 'search-synonyms',
  routes: [
    { path: '/network-settings/synonyms', element: <SearchSynonymsPage />, permission: 'search-synonyms:manage' },
  ],
  nav: [{ to: '/network-settings/synonyms', label: 'searchSynonyms.nav', permission: 'search-synonyms:manage' }],
  texts,
});
