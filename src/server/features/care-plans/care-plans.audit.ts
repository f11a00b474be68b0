/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const CARE_PLAN_AUDIT = {
  create: 'care-plan.create',
  read: 'care-plan.read',
  update: 'care-plan.update',
  history: 'care-plan.history',
  fhir: 'care-plan.fhir',
  handover: 'care-plan.coordinator.handover',
  goalCreate: 'care-plan.goal.create',
  goalUpdate: 'care-plan.goal.update',
  actionCreate: 'care-plan.action.create',
  actionUpdate: 'care-plan.action.update',
  memberCreate: 'care-plan.member.create',
  memberUpdate: 'care-plan.member.update',
  evaluationCreate: 'care-plan.evaluation.create',
  linksRead: 'client.links.read',
  link: 'client.link',
  unlink: 'client.unlink',
} as const;
