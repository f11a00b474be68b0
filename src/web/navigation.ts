/** The main navigation; an item shows when the active membership has its permission. */
export interface NavItem {
  to: string;
  label:
    | 'nav.intake'
    | 'nav.referrals'
    | 'nav.helpline'
    | 'nav.safety'
    | 'nav.clients'
    | 'nav.offers'
    | 'nav.staleOffers'
    | 'nav.catalogueImport'
    | 'nav.overdueReferrals'
    | 'nav.organizations'
    | 'nav.users'
    | 'nav.audit'
    | 'nav.apiTokens'
    | 'nav.networkSettings'
    | 'nav.account';
  permission: string | null;
  /** other address prefixes that belong to this item (a help request belongs to "Onthaal") */
  also?: readonly string[];
  /** only for organisations of these kinds (the active membership's organisation) */
  organizationKinds?: readonly string[];
}

export const navItems: readonly NavItem[] = [
  { to: '/intake', label: 'nav.intake', permission: 'help-request:read', also: ['/help-requests'] },
  { to: '/referrals', label: 'nav.referrals', permission: 'referral:read' },
  // the helpline's short line, for the people of a helpline
  { to: '/helpline/new', label: 'nav.helpline', permission: 'referral:write', organizationKinds: ['helpline'] },
  { to: '/safety', label: 'nav.safety', permission: 'safety:acknowledge' },
  { to: '/clients', label: 'nav.clients', permission: 'client:search' },
  { to: '/offers', label: 'nav.offers', permission: 'offer:read' },
  { to: '/offers/stale', label: 'nav.staleOffers', permission: 'offer:stale-overview' },
  // the network admin's HSDS 3.0 import (POST /api/hsds/imports)
  { to: '/offers/import', label: 'nav.catalogueImport', permission: 'catalogue:import' },
  { to: '/referrals/overdue', label: 'nav.overdueReferrals', permission: 'referral:overview' },
  { to: '/organizations', label: 'nav.organizations', permission: 'organization:read' },
  { to: '/users', label: 'nav.users', permission: 'user:read' },
  { to: '/audit', label: 'nav.audit', permission: 'audit:read' },
  { to: '/api-tokens', label: 'nav.apiTokens', permission: 'token:manage' },
  { to: '/network-settings', label: 'nav.networkSettings', permission: 'network-settings:manage' },
  { to: '/account', label: 'nav.account', permission: null },
];

/** Where "/" leads: the first page the user may open. */
export function homePath(can: (permission: string) => boolean): string {
  return navItems.find((item) => !item.permission || can(item.permission))?.to ?? '/account';
}

/** The item the address belongs to: the longest prefix wins (/offers/stale is not also /offers). */
export function currentNavItem(items: readonly NavItem[], pathname: string): string | undefined {
  const under = (prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);
  return items
    .flatMap((item) => [item.to, ...(item.also ?? [])].filter(under).map((prefix) => ({ to: item.to, length: prefix.length })))
    .sort((a, b) => b.length - a.length)[0]?.to;
}
