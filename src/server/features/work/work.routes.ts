import { tenant, type App } from '../../core/http/context.ts';
import { Caseload, CaseloadQuery, MyWork, MyWorkQuery } from './work.schema.ts';
import * as work from './work.service.ts';
import { WORK_AUDIT } from './work.audit.ts';

export async function workRoutes(app: App) {
  app.get(
    '/api/my-work',
    {
      config: { access: 'work:read', auditAction: WORK_AUDIT.myWorkRead },
      schema: {
        tags: ['work'],
        summary: 'My work: my running trajectories, the ones without a contact for 30 days first',
        querystring: MyWorkQuery,
        response: { 200: MyWork },
      },
    },
    (req) => tenant(app, req, (tx) => work.myWork(tx)),
  );

  app.get(
    '/api/caseload',
    {
      config: { access: 'caseload:read', auditAction: WORK_AUDIT.caseloadRead },
      schema: {
        tags: ['work'],
        summary: "A team lead's caseload: per caregiver of the organisation (or of one team) the running trajectories",
        querystring: CaseloadQuery,
        response: { 200: Caseload },
      },
    },
    (req) => tenant(app, req, (tx) => work.caseload(tx, req.query)),
  );
}
