import { ClientDetailPage } from '../../pages/ClientDetailPage';
import { ClientNewPage } from '../../pages/ClientNewPage';
import { ClientsPage } from '../../pages/ClientsPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** The client register. */
export const clients = defineFeature({
  name: 'clients',
  routes: [
    { path: '/clients', element: <ClientsPage />, permission: 'client:search' },
    { path: '/clients/new', element: <ClientNewPage />, permission: 'client:create' },
    { path: '/clients/:id', element: <ClientDetailPage />, permission: 'client:read' },
  ],
  nav: [{ to: '/clients', label: 'clients.nav', permission: 'client:search' }],
  texts,
});
