import { NotificationsPage } from '../../pages/NotificationsPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** Notifications about referrals; the shell's bell leads here, so there is no navigation entry. */
export const notifications = defineFeature({
  name: 'notifications',
  routes: [{ path: '/notifications', element: <NotificationsPage />, permission: 'referral:read' }],
  texts,
});
