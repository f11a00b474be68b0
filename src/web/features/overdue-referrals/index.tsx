import { OverdueReferralsPage } from '../../pages/OverdueReferralsPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** The network's overview of referrals past their deadline. */
export const overdueReferrals = defineFeature({
  name: 'overdue-referrals',
  routes: [{ path: '/referrals/overdue', element: <OverdueReferralsPage />, permission: 'referral:overview' }],
  nav: [{ to: '/referrals/overdue', label: 'overdue.nav', permission: 'referral:overview' }],
  texts,
});
