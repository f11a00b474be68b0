import { Type } from '@sinclair/typebox';
import { tenant, type App } from '../../core/http/context.ts';
import { IdParams } from '../../core/http/schemas.ts';
import {
  AttendanceBody,
  Created,
  Figures,
  FiguresQuery,
  GroupCreate,
  GroupDetail,
  GroupSummary,
  GroupUpdate,
  Publication,
  RegistrationCreate,
  RegistrationCreated,
  RegistrationParams,
  Session,
  SessionCancel,
  SessionCreate,
  Withdrawn,
} from './groups.schema.ts';
import * as groups from './groups.service.ts';
import { GROUP_AUDIT } from './groups.audit.ts';

const tags = ['groups'];

export async function groupRoutes(app: App) {
  app.post(
    '/api/groups',
    {
      config: { access: 'group:write', auditAction: GROUP_AUDIT.groupCreate },
      schema: {
        tags,
        summary: 'Plan a group: title, audience, module and theme, facilitators, place or online, capacity',
        body: GroupCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) => reply.code(201).send(await tenant(app, req, (tx) => groups.createGroup(tx, req.body))),
  );

  app.get(
    '/api/groups',
    {
      config: { access: 'group:read', auditAction: GROUP_AUDIT.groupList },
      schema: {
        tags,
        summary: "The organisation's groups with places taken, waiting list and next session",
        response: { 200: Type.Object({ items: Type.Array(GroupSummary) }) },
      },
    },
    (req) => tenant(app, req, (tx) => groups.listGroups(tx)),
  );

  app.get(
    '/api/groups/:id',
    {
      config: { access: 'group:read', auditAction: GROUP_AUDIT.groupRead },
      schema: {
        tags,
        summary: 'A group with its sessions, their attendance and the registrations (audited)',
        params: IdParams,
        response: { 200: GroupDetail },
      },
    },
    (req) => tenant(app, req, (tx) => groups.readGroup(tx, req.params.id)),
  );

  app.patch(
    '/api/groups/:id',
    {
      config: { access: 'group:write', auditAction: GROUP_AUDIT.groupUpdate },
      schema: {
        tags,
        summary: 'Change a group (not its audience); more places move the waiting list up',
        params: IdParams,
        body: GroupUpdate,
        response: { 200: GroupDetail },
      },
    },
    (req) => tenant(app, req, (tx) => groups.updateGroup(tx, req.params.id, req.body)),
  );

  app.post(
    '/api/groups/:id/sessions',
    {
      config: { access: 'group:write', auditAction: GROUP_AUDIT.sessionCreate },
      schema: {
        tags,
        summary: 'Add a session (start and duration); a published group shows it in the catalogue',
        params: IdParams,
        body: SessionCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => groups.addSession(tx, req.params.id, req.body))),
  );

  app.post(
    '/api/group-sessions/:id/cancel',
    {
      config: { access: 'group:write', auditAction: GROUP_AUDIT.sessionCancel },
      schema: {
        tags,
        summary: 'Cancel a session (not counted); one whose attendance was recorded took place (409)',
        params: IdParams,
        body: SessionCancel,
        response: { 200: GroupDetail },
      },
    },
    (req) => tenant(app, req, (tx) => groups.cancelSession(tx, req.params.id, req.body)),
  );

  app.put(
    '/api/group-sessions/:id/attendance',
    {
      config: { access: 'group:write', auditAction: GROUP_AUDIT.attendance },
      schema: {
        tags,
        summary: 'Record attendance: a headcount and/or the named participants; the larger counts',
        params: IdParams,
        body: AttendanceBody,
        response: { 200: Session },
      },
    },
    (req) => tenant(app, req, (tx) => groups.recordAttendance(tx, req.params.id, req.body)),
  );

  app.post(
    '/api/groups/:id/registrations',
    {
      config: { access: 'group:write', auditAction: GROUP_AUDIT.register },
      schema: {
        tags,
        summary: 'Register a client who agreed; when the group is full they go on the waiting list',
        params: IdParams,
        body: RegistrationCreate,
        response: { 201: RegistrationCreated },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => groups.register(tx, req.params.id, req.body))),
  );

  app.delete(
    '/api/groups/:id/registrations/:clientId',
    {
      config: { access: 'group:write', auditAction: GROUP_AUDIT.withdraw },
      schema: {
        tags,
        summary: 'Withdraw a registration; the first on the waiting list takes the free place',
        params: RegistrationParams,
        response: { 200: Withdrawn },
      },
    },
    (req) => tenant(app, req, (tx) => groups.withdraw(tx, req.params.id, req.params.clientId)),
  );

  app.put(
    '/api/groups/:id/publication',
    {
      config: { access: 'group:publish', auditAction: GROUP_AUDIT.groupPublish },
      schema: {
        tags,
        summary:
          'Publish an open or peer group in the catalogue (an offer with modality group and its next dates), or withdraw it',
        params: IdParams,
        body: Publication,
        response: { 200: GroupDetail },
      },
    },
    (req) => tenant(app, req, (tx) => groups.setPublication(tx, req.params.id, req.body)),
  );

  app.get(
    '/api/group-work/figures',
    {
      config: { access: 'group:read', auditAction: GROUP_AUDIT.figures },
      schema: {
        tags,
        summary: "The organisation's group sessions held and participants, facilities contacted, advised and visited",
        querystring: FiguresQuery,
        response: { 200: Figures },
      },
    },
    (req) => tenant(app, req, (tx) => groups.figuresFor(tx, req.query.from, req.query.to)),
  );
}
