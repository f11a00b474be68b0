import { Type } from '@sinclair/typebox';
import { tenant, type App } from '../../core/http/context.ts';
import { invalid } from '../../core/http/errors.ts';
import { Enum, Strict } from '../../core/http/schemas.ts';
import { AUDIT_OUTCOMES } from '../../core/audit/audit.ts';
import { escapeLike } from '../../core/db/like.ts';
import { AUDIT_VIEW_AUDIT } from './audit.audit.ts';

const S = Type.String();
const N = Type.Union([S, Type.Null()]);

export async function auditRoutes(app: App) {
  app.get(
    '/api/audit',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit trail of my organisation (network admins: of the network), newest first',
        querystring: Strict({
          action: Type.Optional(Type.String({ maxLength: 80 })),
          outcome: Type.Optional(Enum(AUDIT_OUTCOMES)),
          entityType: Type.Optional(Type.String({ maxLength: 40 })),
          entityId: Type.Optional(Type.String({ maxLength: 80 })),
          userId: Type.Optional(Type.String({ format: 'uuid' })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          before: Type.Optional(
            Type.String({ pattern: '^[0-9]{1,18}$', description: 'cursor: the id below which to continue' }),
          ),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: S,
                at: S,
                actorDisplayName: N,
                role: N,
                action: S,
                entityType: N,
                entityId: N,
                outcome: S,
                ip: N,
                attemptBy: Type.Union([S, Type.Null()], {
                  description:
                    "another organisation's refused attempt on a record of ours: that organisation's name (a network role's: the network's); null for our own events",
                }),
                sharedAccessBy: Type.Union([S, Type.Null()], {
                  description:
                    "another organisation's read or change of a care plan we made, shared with it by the person's consent: that organisation's name; null otherwise",
                }),
              }),
            ),
            nextBefore: N,
          }),
        },
      },
    },
    (req) =>
      tenant(app, req, async (tx) => {
        const q = req.query;
        const from = q.from ? new Date(q.from) : undefined;
        const to = q.to ? new Date(q.to) : undefined;
        if (from && Number.isNaN(from.getTime())) throw invalid({ field: 'from', code: 'date-time-invalid' });
        if (to && Number.isNaN(to.getTime())) throw invalid({ field: 'to', code: 'date-time-invalid' });
        if (from && to && from > to) throw invalid({ field: 'from', code: 'range-invalid' });
        // RLS already limits rows to the organisation (or the network's own events); the filter says so too
        let query = tx.db
          .selectFrom('audit_log as a')
          .leftJoin('users as u', 'u.id', 'a.actor_user_id')
          .leftJoin('organizations as fo', 'fo.id', 'a.foreign_organization_id')
          .leftJoin('networks as fn', 'fn.id', 'a.foreign_network_id')
          .select([
            'a.id',
            'a.at',
            'u.display_name',
            'a.role',
            'a.action',
            'a.entity_type',
            'a.entity_id',
            'a.outcome',
            'a.ip',
            'a.foreign_network_id',
            'fo.name as foreign_organization_name',
            'fn.name as foreign_network_name',
          ]);
        query = tx.actor.organizationId
          ? query.where('a.organization_id', '=', tx.actor.organizationId)
          : query.where('a.organization_id', 'is', null).where('a.network_id', '=', tx.actor.networkId);
        if (q.action) query = query.where('a.action', 'like', `${escapeLike(q.action)}%`);
        if (q.outcome) query = query.where('a.outcome', '=', q.outcome);
        if (q.entityType) query = query.where('a.entity_type', '=', q.entityType);
        if (q.entityId) query = query.where('a.entity_id', '=', q.entityId);
        if (q.userId) query = query.where('a.actor_user_id', '=', q.userId);
        if (from) query = query.where('a.at', '>=', from);
        if (to) query = query.where('a.at', '<=', to);
        if (q.before) query = query.where('a.id', '<', q.before as never);
        const rows = await query
          .orderBy('a.id', 'desc')
          .limit(q.limit + 1)
          .execute();
        const page = rows.slice(0, q.limit);
        await tx.audit({ action: AUDIT_VIEW_AUDIT.auditRead, entityType: 'audit', details: { results: page.length } });
        return {
          items: page.map((r) => ({
            id: String(r.id),
            at: r.at.toISOString(),
            actorDisplayName: r.display_name,
            role: r.role,
            action: r.action,
            entityType: r.entity_type,
            entityId: r.entity_id,
            outcome: r.outcome,
            ip: r.ip,
            attemptBy:
              r.foreign_network_id && r.outcome !== 'success'
                ? (r.foreign_organization_name ?? r.foreign_network_name ?? '')
                : null,
            sharedAccessBy:
              r.foreign_network_id && r.outcome === 'success'
                ? (r.foreign_organization_name ?? r.foreign_network_name ?? '')
                : null,
          })),
          nextBefore: rows.length > q.limit ? String(page[page.length - 1]!.id) : null,
        };
      }),
  );
}
