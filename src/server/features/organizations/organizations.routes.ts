import { forgetCachedSession } from '../../core/auth/sessions.ts';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { tenant, type App } from '../../core/http/context.ts';
import type { Tx } from '../../core/db/tenant.ts';
import { forbidden, invalid, notFound } from '../../core/http/errors.ts';
import { Enum, IdParams, Strict } from '../../core/http/schemas.ts';
import { ORGANIZATION_AUDIT } from './organizations.audit.ts';

export const ORGANIZATION_KINDS = [
  'caw',
  'cgg',
  'ocmw',
  'dmw',
  'helpline',
  'care-facility',
  'funeral-director',
  'primary-care',
  'zero-line',
  'other',
] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];
const Kind = Enum(ORGANIZATION_KINDS);
const Name = Type.String({ minLength: 2, maxLength: 200, pattern: '\\S' });
const S = Type.String();

const OrganizationSummary = Type.Object({ id: S, name: S, kind: Kind, active: Type.Boolean() });
const OrganizationDetail = Type.Object({
  id: S,
  name: S,
  kind: S,
  active: Type.Boolean(),
  sites: Type.Array(Type.Object({ id: S, name: S, street: S, postalCode: S, municipality: S })),
  teams: Type.Array(Type.Object({ id: S, name: S })),
});

/** An organisation of the actor's network, or 404. */
async function organizationInNetwork(tx: Tx, id: string) {
  const row = await tx.db
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', id)
    .where('network_id', '=', tx.actor.networkId)
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

/** Whoever manages the network changes any organisation of it; an organisation admin only their own. */
function assertMayChange(tx: Tx, organizationId: string) {
  if (tx.actor.permissions.has('organization:manage-network')) return;
  if (tx.actor.organizationId !== organizationId) throw forbidden();
}

async function detail(tx: Tx, id: string) {
  const org = await organizationInNetwork(tx, id);
  const sites = await tx.db.selectFrom('sites').selectAll().where('organization_id', '=', id).orderBy('name').execute();
  const teams = await tx.db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('organization_id', '=', id)
    .orderBy('name')
    .execute();
  return {
    id: org.id,
    name: org.name,
    kind: org.kind as OrganizationKind,
    active: org.active,
    sites: sites.map((s) => ({
      id: s.id,
      name: s.name,
      street: s.street,
      postalCode: s.postal_code,
      municipality: s.nis_code,
    })),
    teams,
  };
}

export async function organizationRoutes(app: App) {
  app.get(
    '/api/organizations',
    {
      config: { access: 'organization:read' },
      schema: {
        tags: ['network'],
        summary: 'The organisations of my network',
        response: { 200: Type.Object({ items: Type.Array(OrganizationSummary) }) },
      },
    },
    (req) =>
      tenant(app, req, async (tx) => {
        const rows = await tx.db
          .selectFrom('organizations')
          .select(['id', 'name', 'kind', 'active'])
          .where('network_id', '=', tx.actor.networkId)
          .orderBy('name')
          .execute();
        // the column's check constraint holds it to ORGANIZATION_KINDS
        return { items: rows.map((r) => ({ ...r, kind: r.kind as OrganizationKind })) };
      }),
  );

  app.get(
    '/api/organizations/:id',
    {
      config: { access: 'organization:read', auditAction: ORGANIZATION_AUDIT.organizationRead },
      schema: {
        tags: ['network'],
        summary: 'One organisation with its sites and teams',
        params: IdParams,
        response: { 200: OrganizationDetail },
      },
    },
    (req) => tenant(app, req, (tx) => detail(tx, req.params.id)),
  );

  app.post(
    '/api/organizations',
    {
      config: { access: 'organization:create', auditAction: ORGANIZATION_AUDIT.organizationCreate },
      schema: {
        tags: ['network'],
        summary: 'Add an organisation to my network',
        body: Strict({ name: Name, kind: Kind }),
        response: { 201: OrganizationDetail },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await tenant(app, req, async (tx) => {
          const row = await tx.db
            .insertInto('organizations')
            .values({ network_id: tx.actor.networkId, name: req.body.name.trim(), kind: req.body.kind })
            .returning('id')
            .executeTakeFirstOrThrow();
          await tx.audit({
            action: ORGANIZATION_AUDIT.organizationCreate,
            entityType: 'organization',
            entityId: row.id,
          });
          return detail(tx, row.id);
        }),
      ),
  );

  app.patch(
    '/api/organizations/:id',
    {
      config: { access: 'organization:update', auditAction: ORGANIZATION_AUDIT.organizationUpdate },
      schema: {
        tags: ['network'],
        summary: 'Change an organisation',
        params: IdParams,
        body: Strict({ name: Type.Optional(Name), kind: Type.Optional(Kind), active: Type.Optional(Type.Boolean()) }),
        response: { 200: OrganizationDetail },
      },
    },
    (req) =>
      tenant(app, req, async (tx) => {
        await organizationInNetwork(tx, req.params.id);
        assertMayChange(tx, req.params.id);
        // only the network can switch an organisation off
        if (req.body.active !== undefined && !tx.actor.permissions.has('organization:manage-network'))
          throw forbidden();
        await tx.db
          .updateTable('organizations')
          .set({ ...req.body, ...(req.body.name ? { name: req.body.name.trim() } : {}), updated_at: sql`now()` })
          .where('id', '=', req.params.id)
          .execute();
        // a switched-off organisation's people are signed out at once
        if (req.body.active === false)
          await tx.db.deleteFrom('sessions').where('organization_id', '=', req.params.id).execute();
        forgetCachedSession();
        await tx.audit({
          action: ORGANIZATION_AUDIT.organizationUpdate,
          entityType: 'organization',
          entityId: req.params.id,
          details: { fields: Object.keys(req.body).join(',') },
        });
        return detail(tx, req.params.id);
      }),
  );

  app.post(
    '/api/organizations/:id/sites',
    {
      config: { access: 'organization:update', auditAction: ORGANIZATION_AUDIT.siteCreate },
      schema: {
        tags: ['network'],
        summary: 'Add a site (address) to an organisation',
        params: IdParams,
        body: Strict({
          name: Name,
          street: Type.String({ minLength: 2, maxLength: 200, pattern: '\\S' }),
          postalCode: Type.String({ pattern: '^[0-9]{4}$' }),
          municipality: Type.String({ pattern: '^[0-9]{5}$' }),
        }),
        response: { 201: Type.Object({ id: S }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await tenant(app, req, async (tx) => {
          await organizationInNetwork(tx, req.params.id);
          assertMayChange(tx, req.params.id);
          const known = await tx.db
            .selectFrom('municipalities')
            .select('nis_code')
            .where('nis_code', '=', req.body.municipality)
            .executeTakeFirst();
          if (!known) throw invalid({ field: 'municipality', code: 'municipality-unknown' });
          const row = await tx.db
            .insertInto('sites')
            .values({
              organization_id: req.params.id,
              name: req.body.name,
              street: req.body.street,
              postal_code: req.body.postalCode,
              nis_code: req.body.municipality,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await tx.audit({
            action: ORGANIZATION_AUDIT.siteCreate,
            entityType: 'site',
            entityId: row.id,
            details: { organizationId: req.params.id },
          });
          return row;
        }),
      ),
  );

  app.post(
    '/api/organizations/:id/teams',
    {
      config: { access: 'organization:update', auditAction: ORGANIZATION_AUDIT.teamCreate },
      schema: {
        tags: ['network'],
        summary: 'Add a team to an organisation',
        params: IdParams,
        body: Strict({ name: Name }),
        response: { 201: Type.Object({ id: S }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await tenant(app, req, async (tx) => {
          await organizationInNetwork(tx, req.params.id);
          assertMayChange(tx, req.params.id);
          const row = await tx.db
            .insertInto('teams')
            .values({ organization_id: req.params.id, name: req.body.name.trim() })
            .returning('id')
            .executeTakeFirstOrThrow();
          await tx.audit({
            action: ORGANIZATION_AUDIT.teamCreate,
            entityType: 'team',
            entityId: row.id,
            details: { organizationId: req.params.id },
          });
          return row;
        }),
      ),
  );
}
