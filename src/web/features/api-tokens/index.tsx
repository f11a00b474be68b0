import { ApiTokensPage } from '../../pages/ApiTokensPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** API tokens for the systems that use the API. */
export const apiTokens = defineFeature({
  name: 'api-tokens',
  routes: [{ path: '/api-tokens', element: <ApiTokensPage />, permission: 'token:manage' }],
  nav: [{ to: '/api-tokens', label: 'tokens.nav', permission: 'token:manage' }],
  texts,
});
