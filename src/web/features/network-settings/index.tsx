import { NetworkSettingsPage } from '../../pages/NetworkSettingsPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** The network admin's settings of the network. */
export const networkSettings = defineFeature({
  name: 'network-settings',
  routes: [{ path: '/network-settings', element: <NetworkSettingsPage />, permission: 'network-settings:manage' }],
  nav: [{ to: '/network-settings', label: 'networkSettings.nav', permission: 'network-settings:manage' }],
  texts,
});
