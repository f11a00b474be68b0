import { tenant, type App } from '../../core/http/context.ts';
import { IdParams } from '../../core/http/schemas.ts';
import {
  AttemptCreate,
  CloseBody,
  Created,
  OutreachSettings,
  OutreachSettingsUpdate,
  SignalCreate,
  SignalList,
  SignalListAnswer,
  SignalView,
  Stats,
  StatsQuery,
} from './outreach.schema.ts';
import * as outreach from './outreach.service.ts';
import { OUTREACH_AUDIT } from './outreach.audit.ts';

export async function outreachRoutes(app: App) {
  app.post(
    '/api/outreach/signals',
    {
      config: { access: 'outreach:signal', auditAction: OUTREACH_AUDIT.signalCreate },
      schema: {
        tags: ['outreach'],
        summary:
          'Pass on a person who agreed to be contacted (or a collective grief moment); the network routes it to an organisation',
        body: SignalCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => outreach.createSignal(tx, req.body, req.lang))),
  );

  app.get(
    '/api/outreach/signals',
    {
      config: { access: 'outreach:signal', auditAction: OUTREACH_AUDIT.signalList },
      schema: {
        tags: ['outreach'],
        summary:
          "The outreach queue (box=incoming, the receiver's coordinators) or the signals I sent with their state",
        querystring: SignalList,
        response: { 200: SignalListAnswer },
      },
    },
    (req) => tenant(app, req, (tx) => outreach.listSignals(tx, req.query)),
  );

  app.get(
    '/api/outreach/signals/:id',
    {
      config: { access: 'outreach:signal', auditAction: OUTREACH_AUDIT.signalRead },
      schema: {
        tags: ['outreach'],
        summary: 'A signal: everything with its attempts for the receiver (audited), its state only for the sender',
        params: IdParams,
        response: { 200: SignalView },
      },
    },
    (req) => tenant(app, req, (tx) => outreach.readSignal(tx, req.params.id)),
  );

  app.post(
    '/api/outreach/signals/:id/attempts',
    {
      config: { access: 'outreach:queue', auditAction: OUTREACH_AUDIT.attemptCreate },
      schema: {
        tags: ['outreach'],
        summary: 'Record a contact attempt (channel, outcome)',
        params: IdParams,
        body: AttemptCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => outreach.addAttempt(tx, req.params.id, req.body, req.lang))),
  );

  app.post(
    '/api/outreach/signals/:id/close',
    {
      config: { access: 'outreach:queue', auditAction: OUTREACH_AUDIT.signalClose },
      schema: {
        tags: ['outreach'],
        summary:
          'Close a signal; support-accepted registers the person as a client and starts a trajectory linked to it',
        params: IdParams,
        body: CloseBody,
        response: { 200: SignalView },
      },
    },
    (req) => tenant(app, req, (tx) => outreach.closeSignal(tx, req.params.id, req.body, req.lang)),
  );

  app.get(
    '/api/outreach/stats',
    {
      config: { access: 'outreach:stats', auditAction: OUTREACH_AUDIT.stats },
      schema: {
        tags: ['outreach'],
        summary: "My organisation's outreach figures for a quarter (proactive contacts, support started)",
        querystring: StatsQuery,
        response: { 200: Stats },
      },
    },
    (req) => tenant(app, req, (tx) => outreach.stats(tx, req.query.quarter)),
  );

  app.get(
    '/api/outreach/settings',
    {
      config: { access: 'network-settings:read' },
      schema: {
        tags: ['outreach', 'network'],
        summary: "The network's outreach routing (kind × municipality → organisation, fallback), target and retention",
        response: { 200: OutreachSettings },
      },
    },
    (req) => tenant(app, req, (tx) => outreach.readOutreachSettings(tx)),
  );

  app.put(
    '/api/outreach/settings',
    {
      config: { access: 'network-settings:manage', auditAction: OUTREACH_AUDIT.settingsUpdate },
      schema: {
        tags: ['outreach', 'network'],
        summary: "Replace the network's outreach routing, response target, failed attempts and retention",
        body: OutreachSettingsUpdate,
        response: { 200: OutreachSettings },
      },
    },
    (req) => tenant(app, req, (tx) => outreach.updateOutreachSettings(tx, req.body, req.lang)),
  );
}
