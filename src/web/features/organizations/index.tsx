import { OrganizationDetailPage } from '../../pages/OrganizationDetailPage';
import { OrganizationsPage } from '../../pages/OrganizationsPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** The organisations of the network. */
export const organizations = defineFeature({
  name: 'organizations',
  routes: [
    { path: '/organizations', element: <OrganizationsPage />, permission: 'organization:read' },
    { path: '/organizations/:id', element: <OrganizationDetailPage />, permission: 'organization:read' },
  ],
  nav: [{ to: '/organizations', label: 'organizations.nav', permission: 'organization:read' }],
  texts,
});
