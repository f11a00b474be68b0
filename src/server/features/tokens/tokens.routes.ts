import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { tenant, type App } from '../../core/http/context.ts';
import { invalid, notFound } from '../../core/http/errors.ts';
import { IdParams, NoContent, Strict } from '../../core/http/schemas.ts';
import { TOKEN_PERMISSIONS } from '../../core/auth/permissions.ts';
import { API_TOKEN_PREFIX } from '../../core/auth/sessions.ts';
import { randomToken, sha256 } from '../../core/auth/passwords.ts';
import { TOKEN_AUDIT } from './tokens.audit.ts';

const S = Type.String();
const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);
const TokenDto = Type.Object({
  id: S,
  name: S,
  prefix: S,
  permissions: Type.Array(S),
  createdAt: S,
  lastUsedAt: Nullable(S),
  revokedAt: Nullable(S),
});

export async function tokenRoutes(app: App) {
  app.get(
    '/api/api-tokens',
    {
      config: { access: 'token:manage' },
      schema: {
        tags: ['api-tokens'],
        summary: 'API tokens of my organisation',
        response: { 200: Type.Object({ items: Type.Array(TokenDto), allowedPermissions: Type.Array(S) }) },
      },
    },
    (req) =>
      tenant(app, req, async (tx) => {
        const rows = await tx.db
          .selectFrom('api_tokens')
          .selectAll()
          .where('organization_id', '=', tx.actor.organizationId!)
          .orderBy('created_at', 'desc')
          .execute();
        return {
          items: rows.map((r) => ({
            id: r.id,
            name: r.name,
            prefix: r.token_prefix,
            permissions: r.permissions,
            createdAt: r.created_at.toISOString(),
            lastUsedAt: r.last_used_at?.toISOString() ?? null,
            revokedAt: r.revoked_at?.toISOString() ?? null,
          })),
          allowedPermissions: [...TOKEN_PERMISSIONS],
        };
      }),
  );

  app.post(
    '/api/api-tokens',
    {
      config: { access: 'token:manage', auditAction: TOKEN_AUDIT.apiTokenCreate },
      schema: {
        tags: ['api-tokens'],
        summary: 'Create a token for a partner system; the secret is shown once',
        body: Strict({
          name: Type.String({ minLength: 2, maxLength: 100 }),
          permissions: Type.Array(S, { minItems: 1, maxItems: 20, uniqueItems: true }),
        }),
        response: { 201: Type.Object({ id: S, token: S }) },
      },
    },
    async (req, reply) => {
      // A token may carry the organisation's work permissions (a partner system refers and registers), not the
      // admin's own: an organisation admin can already create accounts with those roles; both are audited.
      const bad = req.body.permissions.findIndex((p) => !(TOKEN_PERMISSIONS as readonly string[]).includes(p));
      if (bad >= 0) throw invalid({ field: `permissions.${bad}`, code: 'permission-not-allowed' });
      const token = API_TOKEN_PREFIX + randomToken();
      const row = await tenant(app, req, async (tx) => {
        const created = await tx.db
          .insertInto('api_tokens')
          .values({
            organization_id: tx.actor.organizationId!,
            name: req.body.name.trim(),
            token_hash: sha256(token),
            token_prefix: token.slice(0, 9),
            permissions: req.body.permissions,
            created_by: tx.actor.userId,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx.audit({ action: TOKEN_AUDIT.apiTokenCreate, entityType: 'api-token', entityId: created.id });
        return created;
      });
      return reply.code(201).send({ id: row.id, token });
    },
  );

  app.post(
    '/api/api-tokens/:id/revoke',
    {
      config: { access: 'token:manage', auditAction: TOKEN_AUDIT.apiTokenRevoke },
      schema: {
        tags: ['api-tokens'],
        summary: 'Revoke a token at once',
        params: IdParams,
        response: { 204: NoContent },
      },
    },
    async (req, reply) => {
      await tenant(app, req, async (tx) => {
        const result = await tx.db
          .updateTable('api_tokens')
          .set({ revoked_at: sql`coalesce(revoked_at, now())` })
          .where('id', '=', req.params.id)
          .where('organization_id', '=', tx.actor.organizationId!)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) throw notFound();
        await tx.audit({ action: TOKEN_AUDIT.apiTokenRevoke, entityType: 'api-token', entityId: req.params.id });
      });
      return reply.code(204).send(null);
    },
  );
}
