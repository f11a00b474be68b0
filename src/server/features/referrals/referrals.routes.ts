import { Type } from '@sinclair/typebox';
import { tenant, type App } from '../../core/http/context.ts';
import { IdParams } from '../../core/http/schemas.ts';
import * as consents from './consents.service.ts';
import * as referrals from './referrals.service.ts';
import { referralBundle } from './fhir.ts';
import {
  Bridging,
  BridgingSuggestionList,
  ConsentCreate,
  ConsentDto,
  ConsentList,
  ConsentWithdraw,
  FhirReferralBundle,
  InboxPage,
  OverdueList,
  ReferralCounts,
  ReferralCreate,
  ReferralDetail,
  ReferralList,
  RegisteredReferral,
  RegisterClient,
  Transition,
} from './referrals.schema.ts';
import { REFERRAL_AUDIT } from './referrals.audit.ts';

export async function referralRoutes(app: App) {
  app.post(
    '/api/consents',
    {
      config: { access: 'consent:write', auditAction: REFERRAL_AUDIT.consentCreate },
      schema: {
        tags: ['referrals'],
        summary: "Record a client's consent: which data may go to which organisation, for what",
        body: ConsentCreate,
        response: { 201: ConsentDto },
      },
    },
    async (req, reply) => reply.code(201).send(await tenant(app, req, (tx) => consents.createConsent(tx, req.body))),
  );

  app.post(
    '/api/consents/:id/withdraw',
    {
      config: { access: 'consent:write', auditAction: REFERRAL_AUDIT.consentWithdraw, record: 'consent' },
      schema: {
        tags: ['referrals'],
        summary: 'Withdraw a consent: all further sharing stops at once',
        params: IdParams,
        body: Type.Optional(ConsentWithdraw),
        response: { 200: ConsentDto },
      },
    },
    (req) => tenant(app, req, (tx) => consents.withdrawConsent(tx, req.params.id, req.body?.note)),
  );

  app.get(
    '/api/clients/:id/consents',
    {
      config: { access: 'consent:write', auditAction: REFERRAL_AUDIT.consentList, record: 'client' },
      schema: { tags: ['referrals'], summary: "A client's consents", params: IdParams, response: { 200: ConsentList } },
    },
    (req) => tenant(app, req, (tx) => consents.listConsents(tx, req.params.id)),
  );

  app.get(
    '/api/consents/exceptions',
    {
      config: { access: 'consent:review', auditAction: REFERRAL_AUDIT.consentExceptionsList },
      schema: {
        tags: ['referrals'],
        summary: "Exceptions (acute danger, consent impossible) awaiting the team lead's review (audited)",
        response: { 200: ConsentList },
      },
    },
    (req) => tenant(app, req, (tx) => consents.exceptionsToReview(tx)),
  );

  app.post(
    '/api/consents/:id/review',
    {
      config: { access: 'consent:review', auditAction: REFERRAL_AUDIT.consentExceptionReview, record: 'consent' },
      schema: {
        tags: ['referrals'],
        summary: 'The team lead has reviewed an exception',
        params: IdParams,
        response: { 200: ConsentDto },
      },
    },
    (req) => tenant(app, req, (tx) => consents.reviewException(tx, req.params.id)),
  );

  app.post(
    '/api/referrals',
    {
      config: { access: 'referral:write', auditAction: REFERRAL_AUDIT.referralCreate },
      schema: {
        tags: ['referrals'],
        summary: 'Refer a help request to an offer, with a snapshot of what the consent covers',
        body: ReferralCreate,
        response: { 201: ReferralDetail },
      },
    },
    async (req, reply) => reply.code(201).send(await tenant(app, req, (tx) => referrals.createReferral(tx, req.body))),
  );

  app.get(
    '/api/referrals',
    {
      config: { access: 'referral:read' },
      schema: {
        tags: ['referrals'],
        summary: 'Incoming or outgoing referrals of my organisation, most urgent first',
        querystring: ReferralList,
        response: { 200: InboxPage },
      },
    },
    (req) => tenant(app, req, (tx) => referrals.listReferrals(tx, req.query)),
  );

  app.get(
    '/api/referrals/counts',
    {
      config: { access: 'referral:read' },
      schema: { tags: ['referrals'], summary: 'Counts for the dashboard', response: { 200: ReferralCounts } },
    },
    (req) => tenant(app, req, (tx) => referrals.counts(tx)),
  );

  app.get(
    '/api/referrals/overdue',
    {
      config: { access: 'referral:overview' },
      schema: {
        tags: ['referrals'],
        summary: 'Overdue referrals of the network (organisations and times, no persons)',
        response: { 200: OverdueList },
      },
    },
    (req) => tenant(app, req, (tx) => referrals.networkOverdue(tx)),
  );

  app.get(
    '/api/referrals/:id',
    {
      config: { access: 'referral:read', auditAction: REFERRAL_AUDIT.referralRead, record: 'referral' },
      schema: {
        tags: ['referrals'],
        summary: 'A referral with its timeline and the actions allowed now (audited)',
        params: IdParams,
        response: { 200: ReferralDetail },
      },
    },
    (req) => tenant(app, req, (tx) => referrals.readReferral(tx, req.params.id)),
  );

  app.post(
    '/api/referrals/:id/transitions',
    {
      config: { access: 'referral:write', auditAction: REFERRAL_AUDIT.referralTransition, record: 'referral' },
      schema: {
        tags: ['referrals'],
        summary: 'Move a referral along its lifecycle (invalid or concurrent moves get 409)',
        params: IdParams,
        body: Transition,
        response: { 200: ReferralDetail },
      },
    },
    (req) => tenant(app, req, (tx) => referrals.transition(tx, req.params.id, req.body)),
  );

  app.post(
    '/api/referrals/:id/bridging',
    {
      config: { access: 'referral:write', auditAction: REFERRAL_AUDIT.referralBridging, record: 'referral' },
      schema: {
        tags: ['referrals'],
        summary: 'Record the bridging support arranged while the person waits',
        params: IdParams,
        body: Bridging,
        response: { 200: ReferralDetail },
      },
    },
    (req) => tenant(app, req, (tx) => referrals.addBridging(tx, req.params.id, req.body)),
  );

  app.get(
    '/api/referrals/:id/bridging-suggestions',
    {
      config: { access: 'referral:write', auditAction: REFERRAL_AUDIT.referralBridgingSuggestions, record: 'referral' },
      schema: {
        tags: ['referrals'],
        summary: 'Zero-line, low-threshold and group offers for the wait',
        params: IdParams,
        response: { 200: BridgingSuggestionList },
      },
    },
    (req) => tenant(app, req, (tx) => referrals.bridgingSuggestions(tx, req.params.id)),
  );

  app.post(
    '/api/referrals/:id/register-client',
    {
      config: { access: 'referral:write', auditAction: REFERRAL_AUDIT.referralRegisterClient, record: 'referral' },
      schema: {
        tags: ['referrals'],
        summary: 'After accepting: register the person in my register from the snapshot, or link a record',
        params: IdParams,
        body: RegisterClient,
        response: { 200: RegisteredReferral },
      },
    },
    (req) => tenant(app, req, (tx) => referrals.registerClient(tx, req.params.id, req.body.existingClientId)),
  );

  app.get(
    '/api/referrals/:id/fhir',
    {
      config: { access: 'referral:read', auditAction: REFERRAL_AUDIT.referralFhir, record: 'referral' },
      schema: {
        tags: ['referrals', 'fhir'],
        summary: 'The referral as a FHIR R4 Bundle: ServiceRequest, Task, Consent',
        params: IdParams,
        response: { 200: FhirReferralBundle },
      },
    },
    (req) =>
      tenant(app, req, async (tx) => {
        const view = await referrals.readReferral(tx, req.params.id, false);
        await tx.audit({ action: REFERRAL_AUDIT.referralFhir, entityType: 'referral', entityId: req.params.id });
        // the sender reads its own consent record; the receiver knows only what the snapshot says
        const own = await tx.db
          .selectFrom('consents')
          .select(['id', 'categories', 'method', 'recorded_at', 'valid_until'])
          .where('id', '=', view.consentId)
          .executeTakeFirst();
        const consent = own
          ? {
              id: own.id,
              categories: own.categories,
              method: own.method,
              recordedAt: own.recorded_at.toISOString(),
              validUntil: own.valid_until,
            }
          : {
              id: view.consentId,
              categories: view.snapshot?.categories ?? [],
              method: 'recorded-by-referrer',
              recordedAt: view.createdAt,
              validUntil: null,
            };
        return referralBundle(view, consent);
      }),
  );
}
