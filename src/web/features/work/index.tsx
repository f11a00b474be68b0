import { defineFeature } from '../types';
import { texts } from './texts';
import { MyWorkPage } from './MyWorkPage';
import { CaseloadPage } from './CaseloadPage';

/** My work (the start page of caregivers, coordinators and team leads) and a team lead's caseload. */
export const work = defineFeature({
  name: 'work',
  routes: [
    { path: '/my-work', element: <MyWorkPage />, permission: 'work:read' },
    { path: '/caseload', element: <CaseloadPage />, permission: 'caseload:read' },
  ],
  nav: [
    { to: '/my-work', label: 'work.nav', permission: 'work:read' },
    { to: '/caseload', label: 'caseload.nav', permission: 'caseload:read' },
  ],
  texts,
});
