/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const ORGANIZATION_AUDIT = {
  organizationCreate: 'organization.create',
  organizationRead: 'organization.read',
  organizationUpdate: 'organization.update',
  siteCreate: 'site.create',
  teamCreate: 'team.create',
} as const;
