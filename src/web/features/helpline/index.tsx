import { HelplineReferralPage } from '../../pages/HelplineReferralPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** The helpline's short line: caller, help request, verbal consent and referral in one form. */
export const helpline = defineFeature({
  name: 'helpline',
  routes: [{ path: '/helpline/new', element: <HelplineReferralPage />, permission: 'referral:write' }],
  // for the people of a helpline
  nav: [{ to: '/helpline/new', label: 'helpline.nav', permission: 'referral:write', organizationKinds: ['helpline'] }],
  texts,
});
