import { Problem } from './schemas.ts';

type RouteSchema = { response?: Record<string, unknown>; body?: unknown; params?: unknown; querystring?: unknown };

const PROBLEM_REF = '#/components/schemas/Problem';
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { ...Problem, $id: undefined } } },
});

type OpenApiDocument = {
  paths?: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>
  >;
  components?: { schemas?: Record<string, unknown> };
};

/** The problem schema once under components, every problem answer pointing at it (a smaller document and client). */
export function shareProblemSchema<T>(document: T): T {
  const doc = document as OpenApiDocument;
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const response of Object.values(operation.responses ?? {})) {
        const media = response.content?.['application/problem+json'];
        if (media) media.schema = { $ref: PROBLEM_REF };
      }
    }
  }
  const { $id: _id, ...schema } = Problem;
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, Problem: schema } };
  return document;
}

/**
 * Adds the problem answers a route can give to its OpenAPI description (not to its serializer): 400 when it
 * reads input, 401/403 when it needs a sign-in, 404 with an id in the path, 409 when it changes something,
 * 413/415 with a body, 429 when it is throttled, 500 and 503 always. The access hook and the error handler produce exactly these.
 */
export function withProblemResponses(
  schema: RouteSchema | undefined,
  access: unknown,
  method: string | string[],
  throttled = false,
): RouteSchema {
  const out: RouteSchema = { ...(schema ?? {}) };
  const response: Record<string, unknown> = { ...(out.response ?? {}) };
  const add = (status: string, description: string) => {
    if (!(status in response)) response[status] = problem(description);
  };
  const methods = Array.isArray(method) ? method : [method];
  const changes = methods.some((m) => !['GET', 'HEAD', 'OPTIONS'].includes(m));
  if (out.body || out.params || out.querystring) add('400', 'Invalid input: every field error in `errors`');
  if (access && access !== 'public') {
    add('401', 'Not signed in, session expired, or second factor still owed');
    add('403', 'Not allowed for this role, CSRF token missing, or password change required');
  }
  if (out.params) add('404', 'Not found, or not visible to this organisation');
  if (changes && access !== 'public') add('409', 'Conflicts with the current state');
  if (out.body) {
    add('413', 'Body too large');
    add('415', 'Only JSON bodies');
  }
  if (throttled) add('429', 'Too many attempts: wait the seconds in Retry-After');
  add('500', 'Unexpected error (masked; the request id is logged)');
  add('503', 'Database unavailable');
  out.response = response;
  return out;
}
