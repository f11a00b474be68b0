import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Enum, Strict, Uuid, PageNumber } from '../../core/http/schemas.ts';
import { ENTITY_PARAMS } from './package.ts';
import { MAX_PER_PAGE, MINIMAL_PER_PAGE, RECORD_LIST_CAP } from './limits.ts';

/** Query strings of the HSDS endpoints (names as in the HSDS OpenAPI: snake_case, page/per_page). */
const paging = {
  page: PageNumber('Page number, from 1'),
  per_page: Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Results per page (at most 500)' }),
  format: Type.Optional(Type.Literal('json', { description: 'Only json (ndjson is not offered)' })),
};
const search = Type.Optional(
  Type.String({ maxLength: 200, description: 'Full text (services: Dutch stemming, prefixes); names otherwise' }),
);
const DateTime = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$',
  description: 'ISO 8601 date or date-time; results modified on or after it',
});

const serviceFilters = {
  search,
  modified_after: Type.Optional(DateTime),
  organization_id: Type.Optional(Uuid),
  taxonomy_term_id: Type.Optional(Uuid),
  taxonomy_id: Type.Optional(Uuid),
  full: Type.Optional(Type.Boolean({ description: 'Fully nested objects instead of one-to-one fields' })),
};
export const ServiceQuery = Strict({
  ...paging,
  ...serviceFilters,
  // without a default: a minimal listing aims at one page of everything
  per_page: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MINIMAL_PER_PAGE,
      description: `Results per page: at most ${MAX_PER_PAGE} (default 50); with minimal=true at most ${MINIMAL_PER_PAGE}, and that by default`,
    }),
  ),
  minimal: Type.Optional(
    Type.Boolean({
      description:
        'Just id and time of change of each service, all in one page when it can (HSDS: "id and modified_date"; the time is last_modified, and name and status stay, which compiled/service_list.json requires). Not with full=true.',
    }),
  ),
});
export type ServiceQuery = Static<typeof ServiceQuery>;
export const ServiceAtLocationQuery = Strict({
  ...paging,
  ...serviceFilters,
  postcode: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 16,
      pattern: '\\S',
      description:
        "Services covering this postcode: a service with a service area when the postcode lies in one of its municipalities (after the addresses Korte Lijn knows), a service without one when the location's address has it",
    }),
  ),
  proximity: Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,9}(\\.[0-9]+)?$',
      description:
        'Metres from the centroid of the postcode: accepted, but not applied (Korte Lijn has no coordinates of postcodes or sites); postcode still filters',
    }),
  ),
});
export type ServiceAtLocationQuery = Static<typeof ServiceAtLocationQuery>;

export const OrganizationQuery = Strict({
  ...paging,
  search,
  full: Type.Optional(Type.Boolean()),
  full_service: Type.Optional(Type.Boolean({ description: 'With full=true: services fully nested' })),
});
export const OrganizationOneQuery = Strict({ full_service: Type.Optional(Type.Boolean()) });
export const TaxonomyQuery = Strict({ ...paging, search });
export const TermQuery = Strict({
  ...paging,
  search,
  taxonomy_id: Type.Optional(Uuid),
  parent_id: Type.Optional(Uuid),
  top_only: Type.Optional(Type.Boolean({ description: 'Only terms without a parent' })),
});

export const ImportQuery = Strict({
  dryRun: Type.Boolean({ default: false, description: 'Report what would be created or changed, and write nothing' }),
  async: Type.Optional(
    Type.Boolean({ description: 'Run as a job (202 + progress); by default only large imports do' }),
  ),
  entity: Type.Optional(
    Type.Union(
      ENTITY_PARAMS.map((e) => Type.Literal(e)),
      { description: 'What the items of an HSDS JSON are, when their fields do not tell' },
    ),
  ),
});
export type ImportQuery = Static<typeof ImportQuery>;

const Counts = Type.Object(Object.fromEntries(ENTITY_PARAMS.map((e) => [e, Type.Integer()])));
const RecordList = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]) })),
  more: Type.Integer({ description: 'How many more there are than listed' }),
});
const Lists = Type.Object(Object.fromEntries(ENTITY_PARAMS.map((e) => [e, RecordList])));
const Issue = Type.Object({
  field: Type.String({ description: 'file:row:field (row 1 of a CSV file is its header)' }),
  code: Type.String(),
  message: Type.String(),
});
export const ImportResult = Type.Object({
  dryRun: Type.Boolean(),
  format: Type.String(),
  created: Counts,
  changed: Counts,
  unchanged: Counts,
  warnings: Type.Array(Issue),
  // optional for the results of jobs that ran before it existed
  records: Type.Optional(
    Type.Object(
      { created: Lists, changed: Lists },
      {
        description: `Which records are (or, in a dry run, would be) created and changed: id and name, at most ${RECORD_LIST_CAP} of each kind, and how many more`,
      },
    ),
  ),
});
export const ImportJob = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  dryRun: Type.Boolean(),
  format: Type.String(),
  total: Type.Integer(),
  done: Type.Integer(),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  result: Type.Optional(ImportResult),
  errors: Type.Optional(Type.Array(Issue)),
});

// ---------- the export: HSDS 3.0 objects, typed by their one-to-one fields ----------

/**
 * HSDS objects are open: what an imported record holds beyond our fields travels along (mergeRecord), and the
 * nested lists (phones, attributes, locations, …) are given as rendered. So the schemas name the one-to-one
 * fields and let the rest through. The serializer writes required fields first, then the other named ones, then
 * the rest: the fields are named in the order the export writes them, and only the leading ones are marked
 * required (HSDS requires some later ones too: name and status of a service, …), so that order is kept.
 */
const open = (description: string) => ({ additionalProperties: true, description });
const Text = Type.String();
const optional = <T extends TSchema>(schema: T) => Type.Optional(schema);
/** HSDS 3.0 service.status */
export const SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;

export const HsdsService = Type.Object(
  {
    id: Uuid,
    organization_id: optional(Uuid),
    program_id: optional(Uuid),
    name: optional(Text),
    alternate_name: optional(Text),
    description: optional(Text),
    url: optional(Text),
    email: optional(Text),
    status: optional(Enum(SERVICE_STATUSES)),
    interpretation_services: optional(Text),
    application_process: optional(Text),
    fees_description: optional(Text),
    wait_time: optional(Type.String({ description: 'ISO 8601 duration (P<days>D)' })),
    fees: optional(Text),
    accreditations: optional(Text),
    eligibility_description: optional(Text),
    minimum_age: optional(Type.Number()),
    maximum_age: optional(Type.Number()),
    assured_date: optional(Text),
    assurer_email: optional(Text),
    licenses: optional(Text),
    alert: optional(Text),
    last_modified: optional(
      Type.String({ format: 'date-time', description: 'when the service or what it shows last changed' }),
    ),
  },
  open(
    'An HSDS 3.0 service: the one-to-one fields; nested ones (phones, schedules, service_areas, languages, attributes, organization, service_at_locations, …) as rendered',
  ),
);
export type HsdsService = Static<typeof HsdsService>;

export const HsdsOrganization = Type.Object(
  {
    id: Uuid,
    name: Text,
    alternate_name: optional(Text),
    description: optional(Text),
    email: optional(Text),
    website: optional(Text),
    tax_status: optional(Text),
    tax_id: optional(Text),
    year_incorporated: optional(Type.Number()),
    legal_status: optional(Text),
    logo: optional(Text),
    uri: optional(Text),
    parent_organization_id: optional(Uuid),
  },
  open('An HSDS 3.0 organization: the one-to-one fields; nested ones (locations, services, …) as rendered'),
);
export type HsdsOrganization = Static<typeof HsdsOrganization>;

export const HsdsServiceAtLocation = Type.Object(
  {
    id: Uuid,
    service_id: optional(Uuid),
    location_id: optional(Uuid),
    description: optional(Text),
  },
  open('An HSDS 3.0 service at location: the one-to-one fields; location and service as rendered'),
);
export type HsdsServiceAtLocation = Static<typeof HsdsServiceAtLocation>;

export const HsdsTaxonomy = Type.Object(
  {
    id: Uuid,
    name: Text,
    description: Text,
    uri: optional(Text),
    version: optional(Text),
  },
  open('An HSDS 3.0 taxonomy'),
);
export type HsdsTaxonomy = Static<typeof HsdsTaxonomy>;

export const HsdsTaxonomyTerm = Type.Object(
  {
    id: Uuid,
    code: optional(Text),
    name: optional(Text),
    description: optional(Text),
    parent_id: optional(Uuid),
    taxonomy: optional(Text),
    taxonomy_id: optional(Uuid),
    language: optional(Text),
    term_uri: optional(Text),
  },
  open('An HSDS 3.0 taxonomy term (ours with its taxonomy_detail)'),
);
export type HsdsTaxonomyTerm = Static<typeof HsdsTaxonomyTerm>;

/** A page in the shape of the HSDS OpenAPI. */
const HsdsPage = <T extends TSchema>(item: T) =>
  Type.Object({
    total_items: Type.Integer(),
    total_pages: Type.Integer(),
    page_number: Type.Integer(),
    size: Type.Integer(),
    first_page: Type.Boolean(),
    last_page: Type.Boolean(),
    empty: Type.Boolean(),
    contents: Type.Array(item),
  });
export const HsdsServicePage = HsdsPage(HsdsService);
export type HsdsServicePage = Static<typeof HsdsServicePage>;
export const HsdsOrganizationPage = HsdsPage(HsdsOrganization);
export type HsdsOrganizationPage = Static<typeof HsdsOrganizationPage>;
export const HsdsServiceAtLocationPage = HsdsPage(HsdsServiceAtLocation);
export type HsdsServiceAtLocationPage = Static<typeof HsdsServiceAtLocationPage>;
export const HsdsTaxonomyPage = HsdsPage(HsdsTaxonomy);
export type HsdsTaxonomyPage = Static<typeof HsdsTaxonomyPage>;
export const HsdsTaxonomyTermPage = HsdsPage(HsdsTaxonomyTerm);
export type HsdsTaxonomyTermPage = Static<typeof HsdsTaxonomyTermPage>;

export const HsdsMeta = Type.Object({
  version: Text,
  profile: Type.String({ format: 'uri' }),
  openapi_url: Type.String({ format: 'uri' }),
});
export const HsdsProfile = Type.Object(
  {
    name: Text,
    description: Text,
    taxonomies: Type.Array(Type.Object({ id: Uuid, name: Text, description: Text })),
    capacity: Text,
    service_areas: Text,
    addresses: Text,
    last_modified: Text,
    minimal: Text,
    postcode: Text,
    proximity: Text,
    import: Text,
  },
  { description: 'What our fields mean in HSDS' },
);
