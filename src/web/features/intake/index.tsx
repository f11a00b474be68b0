import { HelpRequestPage } from '../../pages/HelpRequestPage';
import { HelpRequestPrintPage } from '../../pages/HelpRequestPrintPage';
import { IntakeNewPage } from '../../pages/IntakeNewPage';
import { IntakePage } from '../../pages/IntakePage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** "Onthaal": what needs attention and the help requests; one page per help request, and its printable summary. */
export const intake = defineFeature({
  name: 'intake',
  routes: [
    { path: '/intake', element: <IntakePage />, permission: 'help-request:read' },
    { path: '/intake/new', element: <IntakeNewPage />, permission: 'help-request:write' },
    { path: '/help-requests/:id', element: <HelpRequestPage />, permission: 'help-request:read' },
    { path: '/help-requests/:id/print', element: <HelpRequestPrintPage />, permission: 'help-request:read' },
  ],
  nav: [{ to: '/intake', label: 'intake.nav', permission: 'help-request:read', also: ['/help-requests'] }],
  texts,
});
