import { UserDetailPage } from '../../pages/UserDetailPage';
import { UsersPage } from '../../pages/UsersPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** Users and their memberships. */
export const users = defineFeature({
  name: 'users',
  routes: [
    { path: '/users', element: <UsersPage />, permission: 'user:read' },
    { path: '/users/:id', element: <UserDetailPage />, permission: 'user:read' },
  ],
  nav: [{ to: '/users', label: 'users.nav', permission: 'user:read' }],
  texts,
});
