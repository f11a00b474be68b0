import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { App } from '../../core/http/context.ts';
import { isReachable } from '../../core/db/database.ts';
import { sendProblem } from '../../core/http/errors.ts';

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
        summary: 'Readiness: the database answers',
        response: { 200: Type.Object({ status: Type.Literal('ready'), database: Type.String() }) },
      },
    },
    async (req, reply) => {
      if (!(await isReachable(app.deps.db.app))) return sendProblem(req, reply, 'unavailable');
      return { status: 'ready' as const, database: app.deps.db.kind };
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
