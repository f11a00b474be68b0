import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { tenant, type App } from '../../core/http/context.ts';
import { Strict } from '../../core/http/schemas.ts';
import { foldedPattern } from '../../core/db/like.ts';

export async function referenceRoutes(app: App) {
  app.get('/api/municipalities', {
    config: { access: 'reference:read' },
    schema: {
      tags: ['reference'], summary: 'The 2025 municipalities of Flanders and Brussels',
      querystring: Strict({ q: Type.Optional(Type.String({ maxLength: 60 })) }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ nisCode: Type.String(), name: Type.String({ description: 'Dutch name' }), nameFr: Type.String({ description: 'French name (the same as the Dutch one for most Flemish municipalities)' }), province: Type.Union([Type.String(), Type.Null()]) })) }) },
    },
  }, async (req) => {
    let query = app.deps.db.app.selectFrom('municipalities').select(['nis_code as nisCode', 'name_nl as name', 'name_fr as nameFr', 'province_nl as province']);
    if (req.query.q) query = query.where(sql<string>`kl_fold(name_nl)`, 'like', foldedPattern(req.query.q, 'start'));
    return { items: await query.orderBy('name_nl').execute() };
  });

  app.get('/api/networks/current', {
    config: { access: 'organization:read' },
    schema: { tags: ['network'], summary: 'My network and its municipalities', response: { 200: Type.Object({ id: Type.String(), name: Type.String(), zoneName: Type.String(), municipalities: Type.Array(Type.String()) }) } },
  }, (req) => tenant(app, req, async (tx) => {
    const network = await tx.db.selectFrom('networks').select(['id', 'name', 'zone_name']).where('id', '=', tx.actor.networkId).executeTakeFirstOrThrow();
    const municipalities = await tx.db.selectFrom('network_municipalities').select('nis_code').where('network_id', '=', network.id).orderBy('nis_code').execute();
    return { id: network.id, name: network.name, zoneName: network.zone_name, municipalities: municipalities.map((m) => m.nis_code) };
  }));
}
