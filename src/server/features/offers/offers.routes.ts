import { Type } from '@sinclair/typebox';
import { tenant, type App } from '../../core/http/context.ts';
import { notFound } from '../../core/http/errors.ts';
import { IdParams } from '../../core/http/schemas.ts';
import {
  CapacityUpdate,
  Facets,
  Offer,
  OfferCreate,
  OfferSearch,
  OfferUpdate,
  PublicOffer,
  SearchHelp,
  StaleQuery,
} from './offers.schema.ts';
import * as offers from './offers.service.ts';
import * as repo from './offers.repository.ts';
import { OFFER_AUDIT } from './offers.audit.ts';

const Terms = Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), label: Type.String() })) });

export async function offerRoutes(app: App) {
  app.get(
    '/api/themes',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalogue'],
        summary: 'The themes offers and filters use (labels after Accept-Language)',
        response: { 200: Terms },
      },
    },
    (req) => offers.listTerms(app.deps.db.app, 'theme', req.lang),
  );

  app.get(
    '/api/categories',
    {
      config: { access: 'public' },
      schema: { tags: ['catalogue'], summary: 'The offer types of the module taxonomy', response: { 200: Terms } },
    },
    (req) => offers.listTerms(app.deps.db.app, 'category', req.lang),
  );

  app.get(
    '/api/offers',
    {
      config: { access: 'offer:read' },
      schema: {
        tags: ['catalogue'],
        summary:
          "Search the network's catalogue as people type (Dutch full text with synonyms, typos, compounds; filters, facets; suggestions and crisis lines)",
        querystring: OfferSearch,
        response: {
          200: Type.Object({
            items: Type.Array(Offer),
            total: Type.Integer(),
            facets: Type.Optional(Facets),
            ...SearchHelp,
          }),
        },
      },
    },
    (req) =>
      tenant(app, req, async (tx) => {
        const result = await offers.searchOffers(tx.db, req.query, tx.actor.networkId, req.lang);
        return {
          items: result.rows.map((r) => offers.toOffer(r, tx.actor)),
          total: result.total,
          ...(result.facets ? { facets: result.facets } : {}),
          ...offers.searchHelp(result),
        };
      }),
  );

  app.get(
    '/api/offers/stale',
    {
      config: { access: 'offer:stale-overview' },
      schema: {
        tags: ['catalogue'],
        summary: `Offers whose capacity was not confirmed for ${repo.STALE_DAYS} days, the oldest first, paged`,
        querystring: StaleQuery,
        response: {
          200: Type.Object({
            items: Type.Array(Offer),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
        },
      },
    },
    (req) =>
      tenant(app, req, async (tx) => {
        const { page, pageSize } = req.query;
        const { rows, total } = await repo.staleOffers(tx.db, tx.actor.networkId, pageSize, (page - 1) * pageSize);
        return { items: rows.map((r) => offers.toOffer(r, tx.actor)), total, page, pageSize };
      }),
  );

  app.get(
    '/api/offers/:id',
    {
      config: { access: 'offer:read', auditAction: OFFER_AUDIT.offerRead },
      schema: {
        tags: ['catalogue'],
        summary: 'One offer with its internal fields',
        params: IdParams,
        response: { 200: Offer },
      },
    },
    (req) =>
      tenant(app, req, async (tx) => {
        const row = await repo.findOffer(tx.db, req.params.id, tx.actor.networkId);
        if (!row) throw notFound();
        return offers.toOffer(row, tx.actor);
      }),
  );

  app.post(
    '/api/offers',
    {
      config: { access: 'offer:manage', auditAction: OFFER_AUDIT.offerCreate },
      schema: {
        tags: ['catalogue'],
        summary: 'Publish an offer of my organisation',
        body: OfferCreate,
        response: { 201: Offer },
      },
    },
    async (req, reply) => reply.code(201).send(await tenant(app, req, (tx) => offers.createOffer(tx, req.body))),
  );

  app.patch(
    '/api/offers/:id',
    {
      config: { access: 'offer:manage', auditAction: OFFER_AUDIT.offerUpdate },
      schema: {
        tags: ['catalogue'],
        summary: 'Change an offer of my organisation',
        params: IdParams,
        body: OfferUpdate,
        response: { 200: Offer },
      },
    },
    (req) => tenant(app, req, (tx) => offers.updateOffer(tx, req.params.id, req.body)),
  );

  app.post(
    '/api/offers/:id/capacity',
    {
      config: { access: 'offer:manage', auditAction: OFFER_AUDIT.offerCapacity },
      schema: {
        tags: ['catalogue'],
        summary: 'Quick capacity update (also confirms an unchanged one)',
        params: IdParams,
        body: CapacityUpdate,
        response: { 200: Offer },
      },
    },
    (req) => tenant(app, req, (tx) => offers.updateCapacity(tx, req.params.id, req.body)),
  );

  app.get(
    '/api/public/offers',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalogue'],
        summary: 'The public catalogue: public offers, public fields, no sign-in',
        querystring: OfferSearch,
        response: {
          200: Type.Object({
            items: Type.Array(PublicOffer),
            total: Type.Integer(),
            facets: Type.Optional(Facets),
            ...SearchHelp,
          }),
        },
      },
    },
    async (req) => {
      const result = await offers.searchOffers(app.deps.db.app, req.query, null, req.lang);
      return {
        items: result.rows.map(offers.toPublicOffer),
        total: result.total,
        ...(result.facets ? { facets: result.facets } : {}),
        ...offers.searchHelp(result),
      };
    },
  );

  app.get(
    '/api/public/offers/:id',
    {
      config: { access: 'public' },
      schema: { tags: ['catalogue'], summary: 'One public offer', params: IdParams, response: { 200: PublicOffer } },
    },
    async (req) => {
      const row = await repo.findOffer(app.deps.db.app, req.params.id, null);
      if (!row) throw notFound();
      return offers.toPublicOffer(row);
    },
  );
}
