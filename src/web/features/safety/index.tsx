import { SafetyPage } from '../../pages/SafetyPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** The team lead's safety board: open safety signals and consent exceptions to review. */
export const safety = defineFeature({
  name: 'safety',
  routes: [{ path: '/safety', element: <SafetyPage />, permission: 'safety:acknowledge' }],
  nav: [{ to: '/safety', label: 'safetyBoard.nav', permission: 'safety:acknowledge' }],
  texts,
});
