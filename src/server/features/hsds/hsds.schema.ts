import { Type, type Static } from '@sinclair/typebox';
import { Strict, Uuid } from '../../http/schemas.ts';
import { ENTITY_PARAMS } from './package.ts';

/** Query strings of the HSDS endpoints (names as in the HSDS OpenAPI: snake_case, page/per_page). */
const paging = {
  page: Type.Integer({ minimum: 1, default: 1, description: 'Page number, from 1' }),
  per_page: Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Results per page (at most 500)' }),
  format: Type.Optional(Type.Literal('json', { description: 'Only json (ndjson is not offered)' })),
};
const search = Type.Optional(Type.String({ maxLength: 200, description: 'Full text (services: Dutch stemming, prefixes); names otherwise' }));
const DateTime = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$',
  description: 'ISO 8601 date or date-time; results modified on or after it',
});

export const ServiceQuery = Strict({
  ...paging, search, modified_after: Type.Optional(DateTime), organization_id: Type.Optional(Uuid),
  taxonomy_term_id: Type.Optional(Uuid), taxonomy_id: Type.Optional(Uuid),
  full: Type.Optional(Type.Boolean({ description: 'Fully nested objects instead of one-to-one fields' })),
});
export type ServiceQuery = Static<typeof ServiceQuery>;

export const OrganizationQuery = Strict({
  ...paging, search, full: Type.Optional(Type.Boolean()),
  full_service: Type.Optional(Type.Boolean({ description: 'With full=true: services fully nested' })),
});
export const OrganizationOneQuery = Strict({ full_service: Type.Optional(Type.Boolean()) });
export const TaxonomyQuery = Strict({ ...paging, search });
export const TermQuery = Strict({
  ...paging, search, taxonomy_id: Type.Optional(Uuid), parent_id: Type.Optional(Uuid),
  top_only: Type.Optional(Type.Boolean({ description: 'Only terms without a parent' })),
});

export const ImportQuery = Strict({
  dryRun: Type.Boolean({ default: false, description: 'Report what would be created or changed, and write nothing' }),
  async: Type.Optional(Type.Boolean({ description: 'Run as a job (202 + progress); by default only large imports do' })),
  entity: Type.Optional(Type.Union(ENTITY_PARAMS.map((e) => Type.Literal(e)), { description: 'What the items of an HSDS JSON are, when their fields do not tell' })),
});
export type ImportQuery = Static<typeof ImportQuery>;

const Counts = Type.Object(Object.fromEntries(ENTITY_PARAMS.map((e) => [e, Type.Integer()])));
const Issue = Type.Object({ field: Type.String({ description: 'file:row:field (row 1 of a CSV file is its header)' }), code: Type.String(), message: Type.String() });
export const ImportResult = Type.Object({
  dryRun: Type.Boolean(), format: Type.String(), created: Counts, changed: Counts, unchanged: Counts, warnings: Type.Array(Issue),
});
export const ImportJob = Type.Object({
  id: Type.String(), status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  dryRun: Type.Boolean(), format: Type.String(), total: Type.Integer(), done: Type.Integer(), createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]), result: Type.Optional(ImportResult), errors: Type.Optional(Type.Array(Issue)),
});
