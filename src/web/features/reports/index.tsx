import { defineFeature } from '../types';
import { texts } from './texts';
import { ReportsPage } from './ReportsPage';

/** Reports (rapportering): the quarterly output against the norm and the network's flow monitor. */
export const reports = defineFeature({
  name: 'reports',
  routes: [{ path: '/reports', element: <ReportsPage />, permission: 'report:output' }],
  nav: [{ to: '/reports', label: 'reports.nav', permission: 'report:output' }],
  texts,
});
