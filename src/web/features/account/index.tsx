import { AccountPage } from '../../pages/AccountPage';
import { ForgotPasswordPage } from '../../pages/ForgotPasswordPage';
import { ResetPasswordPage } from '../../pages/ResetPasswordPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/**
 * The user's own account: profile, password and two-step verification, for every signed-in user; and, open to
 * everyone, the way back in with a forgotten password (the e-mailed link leads to /wachtwoord-herstellen).
 */
export const account = defineFeature({
  name: 'account',
  routes: [
    { path: '/account', element: <AccountPage />, permission: null },
    { path: '/wachtwoord-vergeten', element: <ForgotPasswordPage />, permission: null, public: true },
    { path: '/wachtwoord-herstellen', element: <ResetPasswordPage />, permission: null, public: true },
  ],
  nav: [{ to: '/account', label: 'account.nav', permission: null }],
  texts,
});
