import { features, type NavLabel } from './features';
import type { NavItem as FeatureNavItem } from './features/types';

/** An entry of the main navigation; its label is a text key of the feature it comes from. */
export type NavItem = FeatureNavItem<NavLabel>;

/** The main navigation: the features' entries in the order of the feature list; each shows when its permission is held. */
export const navItems: readonly NavItem[] = features.flatMap((feature): readonly NavItem[] => feature.nav ?? []);

/**
 * Where "/" leads: a page made for the member's kind of organisation comes first (a helpline worker lands on the
 * quick form), else the first page of the navigation the user may open.
 */
export function homePath(can: (permission: string) => boolean, organizationKind?: string | null): string {
  const allowed = navItems.filter((item) => !item.permission || can(item.permission));
  const madeForKind = allowed.find((item) => organizationKind && item.organizationKinds?.includes(organizationKind));
  const general = allowed.find((item) => !item.organizationKinds);
  return (madeForKind ?? general)?.to ?? '/account';
}

/** The item the address belongs to: the longest prefix wins (/offers/stale is not also /offers). */
export function currentNavItem(items: readonly NavItem[], pathname: string): string | undefined {
  const under = (prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);
  return items
    .flatMap((item) =>
      [item.to, ...(item.also ?? [])].filter(under).map((prefix) => ({ to: item.to, length: prefix.length })),
    )
    .sort((a, b) => b.length - a.length)[0]?.to;
}
