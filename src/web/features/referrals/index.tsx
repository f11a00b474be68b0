import { ReferralDetailPage } from '../../pages/ReferralDetailPage';
import { ReferralsPage } from '../../pages/ReferralsPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** Referrals: the incoming and outgoing boxes, and a referral's page. */
export const referrals = defineFeature({
  name: 'referrals',
  routes: [
    { path: '/referrals', element: <ReferralsPage />, permission: 'referral:read' },
    { path: '/referrals/:id', element: <ReferralDetailPage />, permission: 'referral:read' },
  ],
  nav: [{ to: '/referrals', label: 'referrals.nav', permission: 'referral:read' }],
  texts,
});
