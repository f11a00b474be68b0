import { defineFeature } from '../types';
import { texts } from './texts';
import { GroupsPage } from './GroupsPage';
import { GroupDetailPage } from './GroupDetailPage';
import { FacilitiesPage } from './FacilitiesPage';
import { FacilityCasePage } from './FacilityCasePage';

/** Group work (the group planner, sessions, attendance) and support to facilities (register, cases, contacts). */
export const groups = defineFeature({
  name: 'groups',
  routes: [
    { path: '/groups', element: <GroupsPage />, permission: 'group:read' },
    { path: '/groups/:id', element: <GroupDetailPage />, permission: 'group:read' },
    { path: '/facilities', element: <FacilitiesPage />, permission: 'facility:read' },
    { path: '/facility-cases/:id', element: <FacilityCasePage />, permission: 'facility:read' },
  ],
  nav: [
    { to: '/groups', label: 'groups.nav', permission: 'group:read' },
    { to: '/facilities', label: 'facilities.nav', permission: 'facility:read', also: ['/facility-cases'] },
  ],
  texts,
});
