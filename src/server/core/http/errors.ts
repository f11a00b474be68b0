import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import localize from 'ajv-i18n';
import type { ErrorObject } from 'ajv';
import { fieldMessage, problemTitles, type Lang } from './messages.ts';
import { TEXT_INVALID } from './text.ts';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../db/unavailable.ts';
import { clientCausedProblem } from '../db/pg-errors.ts';

export interface FieldError {
  field: string;
  code: string;
  message?: string;
}

const statusOf: Record<string, number> = {
  validation: 400,
  'bad-request': 400,
  unauthenticated: 401,
  'invalid-credentials': 401,
  'invalid-code': 401,
  'two-factor-pending': 401,
  forbidden: 403,
  csrf: 403,
  'password-change-required': 403,
  'no-membership': 403,
  'not-found': 404,
  conflict: 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  locked: 429,
  'rate-limited': 429,
  internal: 500,
  unavailable: 503,
};

/** The one error type of the application; rendered as RFC 9457 problem details. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: string,
    readonly fieldErrors: FieldError[] = [],
    readonly audit?: { outcome: 'denied' | 'not-found' | 'invalid' },
    /** A 429's wait, sent as Retry-After. */
    readonly retryAfterSeconds?: number,
    /** A 409's current state of the record (`current` in the problem document), so the client can merge. */
    readonly current?: unknown,
  ) {
    super(code);
    this.status = statusOf[code] ?? 500;
  }
}

/** Too many attempts: come back after `seconds` (Retry-After). */
export const tooMany = (code: 'locked' | 'rate-limited', seconds: number) =>
  new AppError(code, [], undefined, Math.max(1, Math.ceil(seconds)));

export const notFound = () => new AppError('not-found', [], { outcome: 'not-found' });
export const forbidden = () => new AppError('forbidden', [], { outcome: 'denied' });
export const invalid = (...errors: FieldError[]) => new AppError('validation', errors, { outcome: 'invalid' });

/** A field name from a JSON Pointer: `/answers/q1` → `answers.q1`. */
export function pointerToField(path: string): string {
  return path
    .split('/')
    .slice(1)
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');
}

function ajvToFieldErrors(errors: ErrorObject[], context: string, lang: Lang): FieldError[] {
  const copy = errors.map((e) => ({ ...e }));
  localize[lang === 'nl' ? 'nl' : 'en'](copy);
  return copy.map((e) => {
    const base = pointerToField(e.instancePath);
    const join = (name: string) => (base ? `${base}.${name}` : name);
    if (e.keyword === 'required') {
      const field = join(String((e.params as { missingProperty: string }).missingProperty));
      return { field, code: 'required', message: fieldMessage('required', lang)! };
    }
    if (e.keyword === TEXT_INVALID) {
      return { field: base || context, code: TEXT_INVALID, message: fieldMessage(TEXT_INVALID, lang)! };
    }
    if (e.keyword === 'additionalProperties') {
      const field = join(String((e.params as { additionalProperty: string }).additionalProperty));
      return { field, code: 'unknown-field', message: fieldMessage('unknown-field', lang)! };
    }
    return { field: base || context, code: e.keyword, message: e.message ?? e.keyword };
  });
}

export function problemBody(
  req: FastifyRequest,
  code: string,
  status: number,
  errors: FieldError[] = [],
  current?: unknown,
) {
  const lang = req.lang ?? 'nl';
  const title = problemTitles[code]?.[lang] ?? problemTitles.internal![lang];
  return {
    type: `https://kortelijn.be/problems/${code}`,
    title,
    status,
    detail: errors.length ? errors.map((e) => `${e.field}: ${e.message}`).join(' ') : title,
    code,
    ...(errors.length ? { errors } : {}),
    ...(current !== undefined ? { current } : {}),
    instance: req.url.split('?')[0],
    requestId: req.id,
  };
}

export function sendProblem(
  req: FastifyRequest,
  reply: FastifyReply,
  code: string,
  errors: FieldError[] = [],
  current?: unknown,
) {
  const status = statusOf[code] ?? 500;
  // a 503 is passing: say when to try again (a restart or failover takes seconds)
  if (status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  return reply
    .code(status)
    .type('application/problem+json')
    .send(problemBody(req, code, status, errors, current));
}

/** Maps every error to a problem document; unknown errors become a masked 500 (logged, never shown). */
export function handleError(error: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) {
  const lang = req.lang ?? 'nl';
  if (error instanceof AppError) {
    const errors = error.fieldErrors.map((e) => ({ ...e, message: e.message ?? fieldMessage(e.code, lang) ?? e.code }));
    if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
    return sendProblem(req, reply, error.code, errors, error.current);
  }
  const fe = error;
  if (fe.validation) {
    return sendProblem(
      req,
      reply,
      'validation',
      ajvToFieldErrors(fe.validation as ErrorObject[], fe.validationContext ?? 'body', lang),
    );
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendProblem(req, reply, 'payload-too-large');
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendProblem(req, reply, 'unsupported-media-type');
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return sendProblem(req, reply, fe.statusCode === 404 ? 'not-found' : 'bad-request');
  }
  if (isDatabaseUnavailable(fe)) {
    // the transaction did not commit: the client may send the same request again once the database is back
    req.log.warn({ err: { type: fe.name, code: fe.code } }, 'request.database-unavailable');
    return sendProblem(req, reply, 'unavailable');
  }
  const refused = clientCausedProblem(fe);
  if (refused) {
    // a value the database refuses or a clash with a stored row that no check caught before (two requests at
    // once): 400 or 409 without the database's words; the SQLSTATE and constraint name point at the missing check
    const constraint = (fe as { constraint?: unknown }).constraint;
    req.log.warn(
      {
        err: { type: fe.name, code: refused.sqlstate, constraint: typeof constraint === 'string' ? constraint : null },
      },
      'request.database-refused',
    );
    return sendProblem(req, reply, refused.problem);
  }
  // messages of database errors can quote personal data, so only the type, code and frames are logged
  req.log.error({ err: { type: fe.name, code: fe.code, frames: fe.stack?.split('\n').slice(1, 6) } }, 'request.failed');
  return sendProblem(req, reply, 'internal');
}
