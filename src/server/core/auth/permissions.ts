/** Every action has a permission; roles are bundles of them. The one place where "who may do what" is written. */
export const PERMISSIONS = [
  'client:search',
  'client:read',
  'client:create',
  'client:update',
  'client:access-log',
  'organization:read',
  'organization:create',
  'organization:update',
  'organization:manage-network',
  'user:read',
  'user:manage',
  'audit:read',
  'token:manage',
  'reference:read',
  'offer:read',
  'offer:manage',
  'offer:stale-overview',
  'catalogue:import',
  'help-request:read',
  'help-request:write',
  'safety:acknowledge',
  'instrument:read',
  'consent:write',
  'consent:review',
  'referral:read',
  'referral:write',
  'referral:overview',
  'network-settings:read',
  'network-settings:manage',
] as const;
/**
 * A feature adds its own permission names by augmenting this interface from its folder
 * (`declare module '…/core/auth/permissions.ts' { interface FeaturePermissions { 'trajectory:read': true } }`)
 * and grants them to roles in its `Feature` descriptor; the core never lists them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface FeaturePermissions {}
// with the trajectories feature augmenting FeaturePermissions, the union below is no longer redundant
export type Permission = (typeof PERMISSIONS)[number] | keyof FeaturePermissions;

export const ORGANIZATION_ROLES = ['intake-worker', 'caregiver', 'coordinator', 'team-lead', 'org-admin'] as const;
export const NETWORK_ROLES = ['network-coordinator', 'analyst', 'network-admin'] as const;
export const ROLES = [...ORGANIZATION_ROLES, ...NETWORK_ROLES] as const;
export type Role = (typeof ROLES)[number];

const clientWork: Permission[] = [
  'client:search',
  'client:read',
  'client:create',
  'client:update',
  'organization:read',
  'reference:read',
  'offer:read',
  'help-request:read',
  'help-request:write',
  'instrument:read',
  'consent:write',
  'referral:read',
  'referral:write',
];

export const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  'intake-worker': [...clientWork],
  caregiver: [...clientWork],
  coordinator: [...clientWork, 'offer:manage'],
  'team-lead': [...clientWork, 'client:access-log', 'user:read', 'safety:acknowledge', 'consent:review'],
  'org-admin': [
    'client:search',
    'client:read',
    'client:access-log',
    'organization:read',
    'organization:update',
    'user:read',
    'user:manage',
    'audit:read',
    'token:manage',
    'reference:read',
    'offer:read',
    'offer:manage',
  ],
  'network-coordinator': [
    'organization:read',
    'user:read',
    'reference:read',
    'offer:read',
    'offer:stale-overview',
    'instrument:read',
    'referral:overview',
    'network-settings:read',
  ],
  // aggregates only: no permission that reveals a person
  analyst: ['organization:read', 'reference:read', 'offer:read', 'instrument:read'],
  'network-admin': [
    'organization:read',
    'organization:create',
    'organization:update',
    'organization:manage-network',
    'organization:manage-network',
    'user:read',
    'user:manage',
    'audit:read',
    'reference:read',
    'offer:read',
    'offer:stale-overview',
    'catalogue:import',
    'referral:overview',
    'network-settings:read',
    'network-settings:manage',
  ],
};

/** What a partner system may be given through an API token. */
export const TOKEN_PERMISSIONS: Permission[] = [
  'client:search',
  'client:read',
  'client:create',
  'client:update',
  'organization:read',
  'reference:read',
  'offer:read',
  'offer:manage',
  'help-request:read',
  'help-request:write',
  'consent:write',
  'referral:read',
  'referral:write',
];

export function isNetworkRole(role: string): boolean {
  return (NETWORK_ROLES as readonly string[]).includes(role);
}

/** Which roles an administrator may hand out. */
export function grantableRoles(role: Role): readonly Role[] {
  if (role === 'network-admin') return ROLES;
  if (role === 'org-admin') return ORGANIZATION_ROLES;
  return [];
}

/**
 * Adds the permissions a feature declares to the role table and the token list (once per permission, so
 * building several apps in one process changes nothing the second time).
 */
export function grantFeaturePermissions(
  grants: Partial<Record<Permission, { roles: readonly Role[]; token?: boolean }>>,
) {
  for (const [permission, grant] of Object.entries(grants) as [
    Permission,
    { roles: readonly Role[]; token?: boolean },
  ][]) {
    for (const role of grant.roles)
      if (!ROLE_PERMISSIONS[role].includes(permission)) ROLE_PERMISSIONS[role].push(permission);
    if (grant.token && !TOKEN_PERMISSIONS.includes(permission)) TOKEN_PERMISSIONS.push(permission);
  }
}
