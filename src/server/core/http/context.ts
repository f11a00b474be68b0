import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { inTenant, type Tx } from '../db/tenant.ts';
import { AppError } from './errors.ts';
import type { Lang } from './messages.ts';
import type { Actor, RequestInfo } from '../auth/actor.ts';
import type { Permission } from '../auth/permissions.ts';
import type { Mailer } from '../notifications/mailer.ts';
import type { RecordKind } from '../audit/foreign-attempts.ts';

// The request context every feature uses: the app type, who may call a route, the actor, the tenant transaction.
// It lives in the core (not in app.ts) so features never import the composition root that imports them.

/**
 * Who may call a route: `public`; `pending` (also a session that still owes its 2FA code);
 * `account` (any full session, also one that must change its password); or one permission.
 */
export type Access = 'public' | 'pending' | 'account' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Audit action written when this route refuses the actor (403/404). */
    auditAction?: string;
    /**
     * The kind of person's record `:id` names. When another organisation is refused it (403/404), the record's
     * owner sees the attempt in its audit trail (core/audit/foreign-attempts.ts). Needs `auditAction`.
     */
    record?: RecordKind;
    /** The route counts attempts and may answer 429 with Retry-After (documented in OpenAPI). */
    throttled?: boolean;
  }
  interface FastifyRequest {
    lang: Lang;
    actor: Actor | null;
  }
  interface FastifyInstance {
    deps: { db: Database; config: AppConfig };
    mailer: Mailer | null;
  }
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export function requestInfo(req: FastifyRequest): RequestInfo {
  return { ip: req.ip, userAgent: req.headers['user-agent'] ?? null, requestId: req.id };
}

/** The actor of an authenticated route (the access hook guarantees one). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthenticated');
  return req.actor;
}

/**
 * Runs work in the caller's tenant transaction (RLS context + audit). A GET is a read: its transaction is read-only
 * and its audit rows are group-committed before the answer leaves (core/audit/audit-batcher.ts). A session's
 * request checks its session again in the transaction's first round trip (core/db/tenant.ts).
 */
export function tenant<T>(
  app: App,
  req: FastifyRequest,
  work: (tx: Tx) => Promise<T>,
  options: {
    /** A GET that may change something (say why where it is used): a write transaction. */ write?: boolean;
  } = {},
): Promise<T> {
  const actor = actorOf(req);
  return inTenant(app.deps.db.app, actor, requestInfo(req), work, {
    readOnly: !options.write && (req.method === 'GET' || req.method === 'HEAD'),
    session: actor.session
      ? { tokenHash: actor.session.tokenHash, idleMinutes: app.deps.config.session.idleMinutes }
      : undefined,
  });
}
