/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const TRAJECTORY_AUDIT = {
  trajectoryCreate: 'trajectory.create',
  trajectoryList: 'trajectory.list',
  trajectoryRead: 'trajectory.read',
  trajectoryFhir: 'trajectory.fhir',
  trajectoryTransition: 'trajectory.transition',
  contactCreate: 'trajectory.contact.create',
  contactUpdate: 'trajectory.contact.update',
  contactVersionsRead: 'trajectory.contact.versions',
} as const;
