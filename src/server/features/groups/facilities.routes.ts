import { Type } from '@sinclair/typebox';
import { tenant, type App } from '../../core/http/context.ts';
import { IdParams } from '../../core/http/schemas.ts';
import {
  CaseClose,
  CaseCreate,
  CaseDetail,
  CaseList,
  CaseSummary,
  Created,
  Facility,
  FacilityContactCreate,
  FacilityCreate,
} from './groups.schema.ts';
import * as facilities from './facilities.service.ts';
import { GROUP_AUDIT } from './groups.audit.ts';

const tags = ['facilities'];

export async function facilityRoutes(app: App) {
  app.post(
    '/api/facilities',
    {
      config: { access: 'facility:write', auditAction: GROUP_AUDIT.facilityCreate },
      schema: {
        tags,
        summary: 'Add a facility to the register: a network organisation or a plain record',
        body: FacilityCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) => reply.code(201).send(await tenant(app, req, (tx) => facilities.createFacility(tx, req.body))),
  );

  app.get(
    '/api/facilities',
    {
      config: { access: 'facility:read', auditAction: GROUP_AUDIT.facilityList },
      schema: {
        tags,
        summary: 'The register of facilities the organisation supports, with open cases and the last contact',
        response: { 200: Type.Object({ items: Type.Array(Facility) }) },
      },
    },
    (req) => tenant(app, req, (tx) => facilities.listFacilities(tx)),
  );

  app.post(
    '/api/facility-cases',
    {
      config: { access: 'facility:write', auditAction: GROUP_AUDIT.caseCreate },
      schema: {
        tags,
        summary: 'Open a facility case from a question of the facility or a monitoring signal',
        body: CaseCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) => reply.code(201).send(await tenant(app, req, (tx) => facilities.createCase(tx, req.body))),
  );

  app.get(
    '/api/facility-cases',
    {
      config: { access: 'facility:read', auditAction: GROUP_AUDIT.caseList },
      schema: {
        tags,
        summary: 'Facility cases, open or closed, of one facility or all',
        querystring: CaseList,
        response: { 200: Type.Object({ items: Type.Array(CaseSummary) }) },
      },
    },
    (req) => tenant(app, req, (tx) => facilities.listCases(tx, req.query)),
  );

  app.get(
    '/api/facility-cases/:id',
    {
      config: { access: 'facility:read', auditAction: GROUP_AUDIT.caseRead },
      schema: { tags, summary: 'A facility case with its contacts', params: IdParams, response: { 200: CaseDetail } },
    },
    (req) => tenant(app, req, (tx) => facilities.readCase(tx, req.params.id)),
  );

  app.post(
    '/api/facility-cases/:id/contacts',
    {
      config: { access: 'facility:write', auditAction: GROUP_AUDIT.caseContact },
      schema: {
        tags,
        summary: 'Log a contact: phone advice, specialised advice, on-site visit or follow-up (date, who, note)',
        params: IdParams,
        body: FacilityContactCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => facilities.addContact(tx, req.params.id, req.body))),
  );

  app.post(
    '/api/facility-cases/:id/close',
    {
      config: { access: 'facility:write', auditAction: GROUP_AUDIT.caseClose },
      schema: {
        tags,
        summary: 'Close a facility case with a summary',
        params: IdParams,
        body: CaseClose,
        response: { 200: CaseDetail },
      },
    },
    (req) => tenant(app, req, (tx) => facilities.closeCase(tx, req.params.id, req.body)),
  );
}
