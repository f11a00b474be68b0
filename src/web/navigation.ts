/** The main navigation; an item shows when the active membership has its permission. */
export interface NavItem {
  to: string;
  label:
    | 'nav.clients'
    | 'nav.offers'
    | 'nav.staleOffers'
    | 'nav.organizations'
    | 'nav.users'
    | 'nav.audit'
    | 'nav.apiTokens'
    | 'nav.account';
  permission: string | null;
}

export const navItems: readonly NavItem[] = [
  { to: '/clients', label: 'nav.clients', permission: 'client:search' },
  { to: '/offers', label: 'nav.offers', permission: 'offer:read' },
  { to: '/offers/stale', label: 'nav.staleOffers', permission: 'offer:stale-overview' },
  { to: '/organizations', label: 'nav.organizations', permission: 'organization:read' },
  { to: '/users', label: 'nav.users', permission: 'user:read' },
  { to: '/audit', label: 'nav.audit', permission: 'audit:read' },
  { to: '/api-tokens', label: 'nav.apiTokens', permission: 'token:manage' },
  { to: '/account', label: 'nav.account', permission: null },
];

/** Where "/" leads: the first page the user may open. */
export function homePath(can: (permission: string) => boolean): string {
  return navItems.find((item) => !item.permission || can(item.permission))?.to ?? '/account';
}
