import { Type } from '@sinclair/typebox';
import { tenant, type App } from '../../core/http/context.ts';
import { IdParams } from '../../core/http/schemas.ts';
import {
  AccessLogEntry,
  Client,
  ClientFile,
  ClientCreate,
  ClientDetail,
  ClientCreated,
  ClientSearch,
  ClientUpdate,
  DuplicateCheck,
  DuplicateItem,
} from './clients.schema.ts';
import * as clients from './clients.service.ts';
import { CLIENT_AUDIT } from './clients.audit.ts';

export async function clientRoutes(app: App) {
  app.get(
    '/api/clients',
    {
      config: { access: 'client:search', auditAction: CLIENT_AUDIT.clientSearch },
      schema: {
        tags: ['clients'],
        summary: "Search my organisation's clients by name, birth date or INSZ",
        querystring: ClientSearch,
        response: { 200: Type.Object({ items: Type.Array(Client), total: Type.Integer() }) },
      },
    },
    (req) => tenant(app, req, (tx) => clients.searchClients(tx, req.query)),
  );

  app.post(
    '/api/clients',
    {
      config: { access: 'client:create', auditAction: CLIENT_AUDIT.clientCreate },
      schema: {
        tags: ['clients'],
        summary: 'Register a client (named, pseudonymous or anonymous)',
        body: ClientCreate,
        response: { 201: ClientCreated },
      },
    },
    async (req, reply) => reply.code(201).send(await tenant(app, req, (tx) => clients.createClient(tx, req.body))),
  );

  app.post(
    '/api/clients/duplicate-check',
    {
      config: { access: 'client:create', auditAction: CLIENT_AUDIT.clientDuplicateCheck },
      schema: {
        tags: ['clients'],
        summary: 'Likely twins of a client about to be registered',
        body: DuplicateCheck,
        response: { 200: Type.Object({ items: Type.Array(DuplicateItem) }) },
      },
    },
    (req) => tenant(app, req, (tx) => clients.checkDuplicates(tx, req.body)),
  );

  app.get(
    '/api/clients/:id',
    {
      config: { access: 'client:read', auditAction: CLIENT_AUDIT.clientRead, record: 'client' },
      schema: {
        tags: ['clients'],
        summary: "Open a client's file (audited): the person's current risk level and the referrals they came in by",
        params: IdParams,
        response: { 200: ClientDetail },
      },
    },
    (req) => tenant(app, req, (tx) => clients.readClient(tx, req.params.id)),
  );

  app.patch(
    '/api/clients/:id',
    {
      config: { access: 'client:update', auditAction: CLIENT_AUDIT.clientUpdate, record: 'client' },
      schema: {
        tags: ['clients'],
        summary: "Change a client's data",
        params: IdParams,
        body: ClientUpdate,
        response: { 200: ClientFile },
      },
    },
    (req) => tenant(app, req, (tx) => clients.updateClient(tx, req.params.id, req.body)),
  );

  app.get(
    '/api/clients/:id/access-log',
    {
      config: { access: 'client:access-log', auditAction: CLIENT_AUDIT.clientAccessLogRead, record: 'client' },
      schema: {
        tags: ['clients'],
        summary: "Who opened this client's file",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(AccessLogEntry) }) },
      },
    },
    (req) => tenant(app, req, (tx) => clients.accessLog(tx, req.params.id)),
  );
}
