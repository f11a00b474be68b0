import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import addFormats from 'ajv-formats';
import { Ajv } from 'ajv';
import type { FastifyError } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requestInfo, type App } from './core/http/context.ts';
import { shareProblemSchema, withProblemResponses } from './core/http/problem-responses.ts';

export type { App, Access } from './core/http/context.ts';
import type { AppConfig } from './core/config.ts';
import type { Database } from './core/db/database.ts';
import { inTenant } from './core/db/tenant.ts';
import { AppError, handleError, pointerToField, sendProblem } from './core/http/errors.ts';
import { TEXT_INVALID, unstorableTextPaths, withTextRule } from './core/http/text.ts';
import { negotiateLang } from './core/http/messages.ts';
import type { Actor } from './core/auth/actor.ts';
import { SESSION_COOKIE, sessionActor, tokenActor } from './core/auth/sessions.ts';
import { safeEqual } from './core/auth/passwords.ts';
import { recordForeignAttempts, refusedRecordsOf, type RecordRef } from './core/audit/foreign-attempts.ts';
import { FEATURES } from './features.ts';
import { grantFeaturePermissions } from './core/auth/permissions.ts';
import { configureEmail } from './core/notifications/email.ts';
import { startMailer } from './core/notifications/mailer.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export async function buildApp(deps: { db: Database; config: AppConfig; logger?: boolean }): Promise<App> {
  const { config } = deps;
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : {
            level: config.logLevel,
            // no personal data in logs: the path without its query string, never bodies or headers
            serializers: {
              req: (req) => ({ method: req.method, path: String(req.url).split('?')[0] }),
              res: (res) => ({ statusCode: res.statusCode }),
            },
          },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    },
    trustProxy: config.trustProxy,
    // errors Fastify raises before routing (a malformed URL) get the same problem format
    frameworkErrors: (_error, req, reply) => {
      reply.header('x-request-id', req.id);
      sendProblem(req, reply, 'bad-request');
    },
    bodyLimit: config.bodyLimitBytes,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Query strings and paths arrive as text and are coerced to their schema types; JSON bodies are not
  // (coercion would turn null into 0 or "" and "12" into 12). Unknown fields are refused, every error reported.
  const ajvFor = (coerceTypes: false | 'array') => {
    const ajv = new Ajv({ removeAdditional: false, allErrors: true, coerceTypes, useDefaults: true, strict: false });
    addFormats(ajv);
    return ajv;
  };
  const bodyAjv = ajvFor(false);
  const textAjv = ajvFor('array');
  // The input rule for text (core/http/text.ts): every validator also refuses strings PostgreSQL cannot store,
  // anywhere in the part, as field errors next to the schema's own; parts without a schema are walked below.
  app.setValidatorCompiler(({ schema, httpPart }) =>
    withTextRule((httpPart === 'body' ? bodyAjv : textAjv).compile(schema)),
  );
  app.addHook('preValidation', async (req) => {
    const schema = req.routeOptions.schema;
    const unchecked: [string, unknown][] = [
      ['body', schema?.body ? undefined : req.body],
      ['querystring', schema?.querystring ? undefined : req.query],
      ['params', schema?.params ? undefined : req.params],
      ['headers', schema?.headers ? undefined : req.headers],
    ];
    const errors = unchecked.flatMap(([part, data]) =>
      unstorableTextPaths(data).map((path) => ({ field: pointerToField(path) || part, code: TEXT_INVALID })),
    );
    if (errors.length) throw new AppError('validation', errors);
  });

  app.decorate('deps', { db: deps.db, config: deps.config });
  // a lost or refused connection is logged (without its message, which may quote a statement); the request that
  // met it answers 503 through the error handler, and the pool opens a new connection for the next one
  deps.db.onConnectionError((error) =>
    app.log.warn({ err: { type: error.name, code: (error as { code?: unknown }).code } }, 'database.connection-error'),
  );
  // the API speaks JSON only: other bodies are refused with 415
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('lang', 'nl');
  app.decorateRequest('actor', null);

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Korte Lijn API',
        version: '0.1.0',
        description: 'API of the Korte Lijn care-network platform. Errors are application/problem+json (RFC 9457).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    // every route documents the problem answers it can give (RFC 9457), derived from its access and shape
    transformObject: (document) =>
      'openapiObject' in document ? shareProblemSchema(document.openapiObject) : document.swaggerObject,
    transform: ({ schema, url, route }) => ({
      url,
      schema: withProblemResponses(
        schema as Parameters<typeof withProblemResponses>[0],
        route.config?.access,
        route.method,
        route.config?.throttled,
      ),
    }),
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  // Refuse to start with a route whose access is not declared: authorization lives in one place.
  app.addHook('onRoute', (route) => {
    const url = route.url ?? '';
    if (url.startsWith('/api/') && !url.startsWith('/api/docs') && !route.config?.access) {
      throw new Error(`Route ${route.method} ${url} declares no access`);
    }
    // the owner's row names the action, so a route that names its record names its action too
    if (route.config?.record && (!url.includes('/:id') || !route.config.auditAction)) {
      throw new Error(`Route ${route.method} ${url} declares a record but no :id or no auditAction`);
    }
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    // no framing: one-click actions (withdraw consent, accept) cannot be hijacked from another site
    reply.header('x-frame-options', 'DENY');
    reply.header('content-security-policy', "frame-ancestors 'none'");
    req.lang = negotiateLang(req.headers['accept-language']);
    const access = req.routeOptions.config?.access;
    if (!access || access === 'public') return;
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');

    const db = app.deps.db.app;
    const auth = req.headers.authorization;
    let actor: Actor | null = null;
    if (auth?.startsWith('Bearer ')) {
      actor = await tokenActor(db, auth.slice(7).trim());
    } else {
      const token = req.cookies[SESSION_COOKIE];
      // a data route's work checks its session again in its transaction, so its actor may come from the cache;
      // the account and second-factor routes (no such check) always look the session up
      if (token)
        actor = await sessionActor(db, config, token, { cached: access !== 'pending' && access !== 'account' });
    }
    if (!actor) return sendProblem(req, reply, 'unauthenticated');

    const session = actor.session;
    if (session && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) return sendProblem(req, reply, 'csrf');
    }
    req.actor = actor;
    if (access === 'pending') return;
    if (session?.pendingTwoFactor) return sendProblem(req, reply, 'two-factor-pending');
    if (access === 'account') {
      if (!session) throw new AppError('forbidden', [], { outcome: 'denied' });
      return;
    }
    if (session?.mustChangePassword) return sendProblem(req, reply, 'password-change-required');
    if (!actor.permissions.has(access)) throw new AppError('forbidden', [], { outcome: 'denied' });
  });

  app.setErrorHandler(async (error: FastifyError | AppError, req, reply) => {
    // refusals are audited too, in their own transaction (the refused one, if any, was rolled back)
    // Records of other organisations the request was refused are told to their owners in the same transaction,
    // through a function that reveals nothing: the answer below is the same whether they exist or not.
    if (error instanceof AppError && error.audit && req.actor) {
      const params = req.params as Record<string, string> | undefined;
      const config = req.routeOptions.config;
      const action = config?.auditAction ?? `${req.method} ${req.routeOptions.url}`;
      const outcome = error.audit.outcome;
      const refused: RecordRef[] = [...refusedRecordsOf(error)];
      // the record the path names: refused by permission (403) or not found (404); not a 400 about the body
      if (config?.record && params?.id && outcome !== 'invalid')
        refused.unshift({ kind: config.record, id: params.id });
      await inTenant(app.deps.db.app, req.actor, requestInfo(req), async (tx) => {
        await tx.audit({ action, entityType: config?.record ?? null, entityId: params?.id ?? null, outcome });
        if (refused.length) await recordForeignAttempts(tx.db, refused, { action, outcome, requestId: req.id });
      }).catch((auditError: Error) => req.log.error({ err: { type: auditError.name } }, 'audit.refusal.failed'));
    }
    return handleError(error, req, reply);
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || !fs.existsSync(path.join(config.webDistDir, 'index.html'))) {
      return sendProblem(req, reply, 'not-found');
    }
    // client-side routes of the single-page app
    return reply.type('text/html').sendFile('index.html');
  });

  for (const feature of FEATURES) {
    if (feature.permissions) grantFeaturePermissions(feature.permissions);
    await feature.routes?.(app);
  }

  if (fs.existsSync(config.webDistDir)) {
    await app.register(fastifyStatic, { root: config.webDistDir, wildcard: false, index: ['index.html'] });
  }

  configureEmail(Boolean(config.smtpUrl));
  const mailer = config.smtpUrl
    ? startMailer({
        db: deps.db.app,
        smtpUrl: config.smtpUrl,
        from: config.mailFrom,
        publicUrl: config.publicUrl,
        log: (msg, data) => app.log.warn(data, msg),
      })
    : null;
  app.decorate('mailer', mailer);
  app.addHook('onClose', async () => mailer?.stop());

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  return app;
}
