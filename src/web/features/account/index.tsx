import { AccountPage } from '../../pages/AccountPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** The user's own account: profile, password and two-step verification; for every signed-in user. */
export const account = defineFeature({
  name: 'account',
  routes: [{ path: '/account', element: <AccountPage />, permission: null }],
  nav: [{ to: '/account', label: 'account.nav', permission: null }],
  texts,
});
