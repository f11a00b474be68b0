import { CarePlanPage } from './CarePlanPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** The shared care plan (hulpplan), opened from a client record: goals, actions, team, evaluations, print. */
export const carePlans = defineFeature({
  name: 'care-plans',
  routes: [{ path: '/clients/:id/hulpplan', element: <CarePlanPage />, permission: 'care-plan:read' }],
  texts,
});
