import type { App } from './http/context.ts';
import type { Permission, Role } from './auth/permissions.ts';

/**
 * What a feature plugs into the core: its routes and the permissions it adds (which roles hold each, and
 * whether an API token may carry it). The composition root (`src/server/features.ts`) lists the features;
 * adding one touches its own folder and that list.
 */
export interface Feature {
  name: string;
  routes?: (app: App) => Promise<void>;
  permissions?: Partial<Record<Permission, { roles: readonly Role[]; token?: boolean }>>;
}
