import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { App } from '../../core/http/context.ts';
import { isReachable } from '../../core/db/database.ts';
import { sendProblem } from '../../core/http/errors.ts';
import { Nullable } from '../../core/http/schemas.ts';

/** A readiness probe answers fast: a database that takes longer counts as not ready. */
const READY_TIMEOUT_MS = 2_000;

export async function metaRoutes(app: App) {
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['meta'],
        summary: 'Liveness: the process answers',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/api/ready',
    {
      config: { access: 'public' },
      schema: {
        tags: ['meta'],
        summary: 'Readiness: the database answers (503 with Retry-After when it does not)',
        description:
          'For a load balancer or supervisor: 200 while the database answers within 2 s, with the state of the ' +
          'connection pool; 503 problem+json otherwise, and while the server is stopping.',
        response: {
          200: Type.Object({
            status: Type.Literal('ready'),
            database: Type.String(),
            pool: Nullable(Type.Object({ total: Type.Integer(), idle: Type.Integer(), waiting: Type.Integer() })),
          }),
        },
      },
    },
    async (req, reply) => {
      const { db } = app.deps;
      if (!(await isReachable(db.app, READY_TIMEOUT_MS))) return sendProblem(req, reply, 'unavailable');
      return { status: 'ready' as const, database: db.kind, pool: db.poolState() };
    },
  );

  app.get(
    '/api/meta',
    {
      config: { access: 'public' },
      schema: {
        tags: ['meta'],
        summary: 'Whether this is a demo installation',
        response: { 200: Type.Object({ demo: Type.Boolean(), version: Type.String() }) },
      },
    },
    async () => {
      const row = await sql<{ demo: boolean }>`select exists(select 1 from networks where is_demo) as demo`.execute(
        app.deps.db.app,
      );
      return { demo: row.rows[0]?.demo ?? false, version: '0.1.0' };
    },
  );
}
