import { tenant, type App } from '../../core/http/context.ts';
import { IdParams } from '../../core/http/schemas.ts';
import { SynonymGroup, SynonymGroupCreate, SynonymGroupList } from './search-synonyms.schema.ts';
import * as synonyms from './search-synonyms.service.ts';
import { SEARCH_SYNONYMS_AUDIT } from './search-synonyms.audit.ts';

/** The network admin's synonym groups of the catalogue search (the built-in Dutch list is shown, read-only). */
export async function searchSynonymRoutes(app: App) {
  app.get(
    '/api/network/search-synonyms',
    {
      config: { access: 'search-synonyms:manage', auditAction: SEARCH_SYNONYMS_AUDIT.synonymsList },
      schema: {
        tags: ['network'],
        summary: "The catalogue search's synonym groups: the built-in Dutch list first, then the network's own",
        response: { 200: SynonymGroupList },
      },
    },
    (req) => tenant(app, req, (tx) => synonyms.listGroups(tx)),
  );

  app.post(
    '/api/network/search-synonyms',
    {
      config: { access: 'search-synonyms:manage', auditAction: SEARCH_SYNONYMS_AUDIT.synonymsCreate },
      schema: {
        tags: ['network'],
        summary: 'Add a synonym group for the network (single words; a search for one also finds the others)',
        body: SynonymGroupCreate,
        response: { 201: SynonymGroup },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => synonyms.createGroup(tx, req.body, req.lang))),
  );

  app.delete(
    '/api/network/search-synonyms/:id',
    {
      config: { access: 'search-synonyms:manage', auditAction: SEARCH_SYNONYMS_AUDIT.synonymsDelete },
      schema: {
        tags: ['network'],
        summary: "Remove one of the network's synonym groups (a built-in group cannot be removed)",
        params: IdParams,
        response: { 204: { type: 'null', description: 'removed' } },
      },
    },
    async (req, reply) => {
      await tenant(app, req, (tx) => synonyms.deleteGroup(tx, req.params.id));
      return reply.code(204).send(null);
    },
  );
}
