import { AuditPage } from '../../pages/AuditPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** The audit log. */
export const audit = defineFeature({
  name: 'audit',
  routes: [{ path: '/audit', element: <AuditPage />, permission: 'audit:read' }],
  nav: [{ to: '/audit', label: 'audit.nav', permission: 'audit:read' }],
  texts,
});
