import { defineFeature } from '../types';
import { texts } from './texts';
import { OutreachSignalPage } from './OutreachSignalPage';
import { OutreachSentPage } from './OutreachSentPage';
import { OutreachQueuePage } from './OutreachQueuePage';
import { OutreachDetailPage } from './OutreachDetailPage';
import { OutreachSettingsPage } from './OutreachSettingsPage';

/** Organisations that only pass signals on: the signal form is their start page. */
const SENDER_KINDS = ['funeral-director', 'care-facility'] as const;

/** Proactive outreach: the signal form, the sender's list with states, the queue with attempts and closing, the routing. */
export const outreach = defineFeature({
  name: 'outreach',
  routes: [
    { path: '/outreach', element: <OutreachQueuePage />, permission: 'outreach:queue' },
    { path: '/outreach/new', element: <OutreachSignalPage />, permission: 'outreach:signal' },
    { path: '/outreach/sent', element: <OutreachSentPage />, permission: 'outreach:signal' },
    { path: '/outreach/settings', element: <OutreachSettingsPage />, permission: 'network-settings:manage' },
    { path: '/outreach/:id', element: <OutreachDetailPage />, permission: 'outreach:signal' },
  ],
  nav: [
    {
      to: '/outreach/new',
      label: 'outreach.navSignal',
      permission: 'outreach:signal',
      organizationKinds: SENDER_KINDS,
    },
    { to: '/outreach/sent', label: 'outreach.navSent', permission: 'outreach:signal' },
    // not limited by kind: a kind-limited entry would become the start page of every CAW and helpline member
    { to: '/outreach', label: 'outreach.navQueue', permission: 'outreach:queue' },
    { to: '/outreach/settings', label: 'outreach.navSettings', permission: 'network-settings:manage' },
  ],
  texts,
});
