import { Type } from '@sinclair/typebox';
import { tenant, type App } from '../../core/http/context.ts';
import { IdParams } from '../../core/http/schemas.ts';
import {
  ContactCreate,
  ContactParams,
  ContactUpdate,
  ContactUpdated,
  ContactVersion,
  Created,
  FhirTrajectoryBundle,
  TrajectoryCreate,
  TrajectoryDetail,
  TrajectoryList,
  TrajectorySummary,
  TransitionBody,
} from './trajectories.schema.ts';
import * as trajectories from './trajectories.service.ts';
import { TRAJECTORY_AUDIT } from './trajectories.audit.ts';

export async function trajectoryRoutes(app: App) {
  app.post(
    '/api/trajectories',
    {
      config: { access: 'trajectory:write', auditAction: TRAJECTORY_AUDIT.trajectoryCreate },
      schema: {
        tags: ['trajectories'],
        summary: 'Start a trajectory for a client: directly, from an own help request or from an accepted referral',
        body: TrajectoryCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => trajectories.createTrajectory(tx, req.body))),
  );

  app.get(
    '/api/trajectories',
    {
      config: { access: 'trajectory:read', auditAction: TRAJECTORY_AUDIT.trajectoryList },
      schema: {
        tags: ['trajectories'],
        summary: "My running trajectories (box=mine, the default) or the organisation's, with the last contact",
        querystring: TrajectoryList,
        response: { 200: Type.Object({ items: Type.Array(TrajectorySummary) }) },
      },
    },
    (req) => tenant(app, req, (tx) => trajectories.listTrajectories(tx, req.query)),
  );

  app.get(
    '/api/trajectories/:id',
    {
      config: { access: 'trajectory:read', auditAction: TRAJECTORY_AUDIT.trajectoryRead, record: 'trajectory' },
      schema: {
        tags: ['trajectories'],
        summary: 'A trajectory with its status history and contact log (audited)',
        params: IdParams,
        response: { 200: TrajectoryDetail },
      },
    },
    (req) => tenant(app, req, (tx) => trajectories.readTrajectory(tx, req.params.id)),
  );

  app.post(
    '/api/trajectories/:id/transitions',
    {
      config: { access: 'trajectory:write', auditAction: TRAJECTORY_AUDIT.trajectoryTransition, record: 'trajectory' },
      schema: {
        tags: ['trajectories'],
        summary: 'Move a trajectory on: into support, pause, resume, finish (outcome, reason, date) or cancel',
        params: IdParams,
        body: TransitionBody,
        response: { 200: TrajectoryDetail },
      },
    },
    (req) => tenant(app, req, (tx) => trajectories.transition(tx, req.params.id, req.body)),
  );

  app.post(
    '/api/trajectories/:id/contacts',
    {
      config: { access: 'trajectory:write', auditAction: TRAJECTORY_AUDIT.contactCreate, record: 'trajectory' },
      schema: {
        tags: ['trajectories'],
        summary: 'Log a contact (the first one that took place starts a planned trajectory)',
        params: IdParams,
        body: ContactCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => trajectories.addContact(tx, req.params.id, req.body))),
  );

  app.patch(
    '/api/trajectories/:id/contacts/:contactId',
    {
      config: { access: 'trajectory:write', auditAction: TRAJECTORY_AUDIT.contactUpdate, record: 'trajectory' },
      schema: {
        tags: ['trajectories'],
        summary: 'Correct a contact; the earlier version is kept (409 when someone else changed it meanwhile)',
        params: ContactParams,
        body: ContactUpdate,
        response: { 200: ContactUpdated },
      },
    },
    (req) => tenant(app, req, (tx) => trajectories.updateContact(tx, req.params.id, req.params.contactId, req.body)),
  );

  app.get(
    '/api/trajectories/:id/contacts/:contactId/versions',
    {
      config: { access: 'trajectory:read', auditAction: TRAJECTORY_AUDIT.contactVersionsRead, record: 'trajectory' },
      schema: {
        tags: ['trajectories'],
        summary: 'The earlier versions of a contact, newest first (who wrote each, who replaced it)',
        params: ContactParams,
        response: { 200: Type.Object({ items: Type.Array(ContactVersion) }) },
      },
    },
    (req) => tenant(app, req, (tx) => trajectories.contactVersions(tx, req.params.id, req.params.contactId)),
  );

  app.get(
    '/api/trajectories/:id/fhir',
    {
      config: { access: 'trajectory:read', auditAction: TRAJECTORY_AUDIT.trajectoryFhir, record: 'trajectory' },
      schema: {
        tags: ['trajectories', 'fhir'],
        summary: 'The trajectory as a FHIR R4 Bundle: EpisodeOfCare and its Encounters',
        params: IdParams,
        response: { 200: FhirTrajectoryBundle },
      },
    },
    (req) => tenant(app, req, (tx) => trajectories.trajectoryFhir(tx, req.params.id)),
  );
}
