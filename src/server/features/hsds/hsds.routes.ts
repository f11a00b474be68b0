import type { FastifyRequest } from 'fastify';
import { tenant, type App } from '../../core/http/context.ts';
import { invalid, notFound } from '../../core/http/errors.ts';
import { IdParams } from '../../core/http/schemas.ts';
import type { Lang } from '../../core/http/messages.ts';
import * as hsds from './export.service.ts';
import { MAX_PER_PAGE, MINIMAL_PER_PAGE } from './limits.ts';
import {
  HsdsMeta,
  HsdsOrganization,
  HsdsOrganizationPage,
  HsdsProfile,
  HsdsService,
  HsdsServiceAtLocation,
  HsdsServiceAtLocationPage,
  HsdsServicePage,
  HsdsTaxonomy,
  HsdsTaxonomyPage,
  HsdsTaxonomyTerm,
  HsdsTaxonomyTermPage,
  ImportJob,
  ImportQuery,
  ImportResult,
  OrganizationOneQuery,
  OrganizationQuery,
  ServiceAtLocationQuery,
  ServiceQuery,
  TaxonomyQuery,
  TermQuery,
} from './hsds.schema.ts';
import type { ServiceQuery as ServiceQueryType } from './hsds.schema.ts';
import { ASYNC_THRESHOLD, importLater, importNow, jobView, settleImports } from './import.jobs.ts';
import { NIS_URN_PREFIX } from './ids.ts';
import { countRecords, ImportInvalid, readUpload } from './package.ts';
import { KL_TAXONOMIES } from './taxonomies.ts';
import { HSDS_AUDIT } from './hsds.audit.ts';

/**
 * Open Referral HSDS 3.0: the public export of the catalogue (the paths of the HSDS OpenAPI under /api/hsds)
 * and the network admin's import.
 */

const tags = ['hsds'];
const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;

/** The object, or 404. */
function found<T>(value: T | undefined): T {
  if (value === undefined) throw notFound();
  return value;
}

const base = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

function checkModifiedAfter(value: string | undefined) {
  if (value !== undefined && Number.isNaN(Date.parse(value.replace(' ', 'T'))))
    throw invalid({ field: 'modified_after', code: 'date-time-invalid' });
}

/** per_page of /services: 50 by default and at most 500; with minimal=true everything in one page if it can. */
function servicePaging(q: ServiceQueryType, lang: Lang): number {
  const nl = lang !== 'en';
  if (q.minimal && q.full) {
    throw invalid({ field: 'minimal', code: 'minimal-full' });
  }
  if (q.minimal) return q.per_page ?? MINIMAL_PER_PAGE;
  if ((q.per_page ?? 0) > MAX_PER_PAGE) {
    throw invalid({
      field: 'per_page',
      code: 'maximum',
      message: nl
        ? `Hoogstens ${MAX_PER_PAGE} per pagina (${MINIMAL_PER_PAGE} met minimal=true).`
        : `At most ${MAX_PER_PAGE} per page (${MINIMAL_PER_PAGE} with minimal=true).`,
    });
  }
  return q.per_page ?? 50;
}

export async function hsdsRoutes(app: App) {
  app.addHook('onClose', settleImports);

  const meta = (req: FastifyRequest) => ({
    version: hsds.HSDS_VERSION,
    profile: `${base(req)}/api/hsds/profile`,
    openapi_url: `${base(req)}/api/openapi.json`,
  });
  for (const url of ['/api/hsds', '/api/hsds/']) {
    app.get(
      url,
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'HSDS version and profile of this API',
          hide: url.endsWith('/'),
          response: { 200: HsdsMeta },
        },
      },
      async (req) => meta(req),
    );
  }

  app.get(
    '/api/hsds/profile',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'The Korte Lijn profile of HSDS 3.0: what our fields mean in HSDS',
        response: { 200: HsdsProfile },
      },
    },
    async () => ({
      name: 'Korte Lijn HSDS 3.0 profile',
      description:
        'Offers of local psychosocial care networks in Flanders and Brussels. Services are offers, locations are sites.',
      taxonomies: KL_TAXONOMIES.map((t) => ({ id: t.id, name: t.name, description: t.descriptionEn })),
      capacity:
        'An attribute of the korte-lijn-capacity taxonomy (codes after the Gravity SDOH guide: capacity, waitlist, no-capacity, additional-assessment-required); its value is the waiting time in days, its metadata (field_name capacity) the time capacity was last confirmed. wait_time repeats the waiting time as an ISO 8601 duration.',
      service_areas: `A municipality served: uri ${NIS_URN_PREFIX}<Statbel REFNIS code>, name its Dutch name.`,
      addresses:
        'Belgian addresses (country BE): city is the municipality name (Dutch or French), postal_code four digits.',
      last_modified:
        "The time the service or what it shows last changed: the offer, its organisation, the organisation's sites and imported locations, its imported services at locations. modified_after filters on the same time.",
      minimal: `GET /services?minimal=true: id, name, status and last_modified of each service (HSDS asks for "id and modified_date"; name and status are required by compiled/service_list.json), up to ${MINIMAL_PER_PAGE} per page and that by default.`,
      postcode:
        'GET /service_at_locations?postcode=: a service with a service area (municipalities) covers a postcode that occurs in a known address in one of them; a service without a service area is matched on the address of the location.',
      proximity: 'Accepted (metres) and not applied: Korte Lijn knows no coordinates of postcodes or sites.',
      import:
        'POST /api/hsds/imports (network admin): HSDS JSON or a CSV datapackage as { "format": "datapackage", "files": { "services.csv": "…" } }.',
    }),
  );

  app.get(
    '/api/hsds/services',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Public services, paged (HSDS getPaginatedListOfServices); minimal=true: id, name, status and last_modified of all',
        querystring: ServiceQuery,
        response: { 200: HsdsServicePage },
      },
    },
    async (req) => {
      checkModifiedAfter(req.query.modified_after);
      const perPage = servicePaging(req.query, req.lang);
      return hsds.services(app.deps.db.app, { ...req.query, per_page: perPage }, req.lang);
    },
  );

  app.get(
    '/api/hsds/services/:id',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'One public service, fully nested', params: IdParams, response: { 200: HsdsService } },
    },
    async (req) => found(await hsds.service(app.deps.db.app, req.params.id, req.lang)),
  );

  app.get(
    '/api/hsds/organizations',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Organisations, paged',
        querystring: OrganizationQuery,
        response: { 200: HsdsOrganizationPage },
      },
    },
    async (req) => hsds.organizations(app.deps.db.app, req.query, req.lang),
  );

  app.get(
    '/api/hsds/organizations/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'One organisation, fully nested, with its services',
        params: IdParams,
        querystring: OrganizationOneQuery,
        response: { 200: HsdsOrganization },
      },
    },
    async (req) =>
      found(await hsds.organization(app.deps.db.app, req.params.id, Boolean(req.query.full_service), req.lang)),
  );

  app.get(
    '/api/hsds/service_at_locations',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Services at locations, paged (postcode filters; proximity is accepted, not applied)',
        querystring: ServiceAtLocationQuery,
        response: { 200: HsdsServiceAtLocationPage },
      },
    },
    async (req) => {
      checkModifiedAfter(req.query.modified_after);
      return hsds.serviceAtLocations(app.deps.db.app, req.query, req.lang);
    },
  );

  app.get(
    '/api/hsds/service_at_locations/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'One public service at location, fully nested (HSDS getServiceAtLocationWithNestedDataById)',
        params: IdParams,
        response: { 200: HsdsServiceAtLocation },
      },
    },
    async (req) => found(await hsds.serviceAtLocation(app.deps.db.app, req.params.id, req.lang)),
  );

  app.get(
    '/api/hsds/taxonomies',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Taxonomies (ours and imported ones), paged',
        querystring: TaxonomyQuery,
        response: { 200: HsdsTaxonomyPage },
      },
    },
    async (req) => hsds.taxonomies(app.deps.db.app, req.query, req.lang),
  );

  app.get(
    '/api/hsds/taxonomies/:id',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'One taxonomy', params: IdParams, response: { 200: HsdsTaxonomy } },
    },
    async (req) => found(await hsds.taxonomy(app.deps.db.app, req.params.id, req.lang)),
  );

  app.get(
    '/api/hsds/taxonomy_terms',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Taxonomy terms, paged',
        querystring: TermQuery,
        response: { 200: HsdsTaxonomyTermPage },
      },
    },
    async (req) => hsds.taxonomyTerms(app.deps.db.app, req.query, req.lang),
  );

  app.get(
    '/api/hsds/taxonomy_terms/:id',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'One taxonomy term', params: IdParams, response: { 200: HsdsTaxonomyTerm } },
    },
    async (req) => found(await hsds.taxonomyTerm(app.deps.db.app, req.params.id, req.lang)),
  );

  app.post(
    '/api/hsds/imports',
    {
      config: { access: 'catalogue:import', auditAction: HSDS_AUDIT.catalogueImport },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        querystring: ImportQuery,
        summary: 'Import HSDS 3.0 into my network, in one transaction (dry run: what would change)',
        description:
          'Body: HSDS JSON (an object, an array, or an API page { contents: [...] }), the tabular JSON of a datapackage ' +
          '({ "services.csv": [ {...} ] }), or a CSV datapackage { "format": "datapackage", "files": { "services.csv": "…", … } }. ' +
          'Any error: 400 with errors [{ field: "file:row:field", code, message }] and nothing imported. Large imports (or async=true) answer 202 with a job.',
        response: { 200: ImportResult, 202: ImportJob },
      },
    },
    async (req, reply) => {
      let pkg;
      try {
        pkg = readUpload(req.body, req.query.entity, req.lang);
      } catch (error) {
        if (error instanceof ImportInvalid) throw invalid(...error.errors);
        throw error;
      }
      const runAsJob = req.query.async ?? countRecords(pkg) > ASYNC_THRESHOLD;
      if (!runAsJob) return reply.send((await importNow(app, req, pkg, req.query.dryRun)) as never);
      const job = await importLater(app, req, pkg, req.query.dryRun);
      return reply
        .code(202)
        .header('location', `/api/hsds/imports/${job.id}`)
        .send(job as never);
    },
  );

  app.get(
    '/api/hsds/imports/:id',
    {
      config: { access: 'catalogue:import' },
      schema: {
        tags,
        summary: 'Progress and outcome of an import job',
        params: IdParams,
        response: { 200: ImportJob },
      },
    },
    (req) =>
      tenant(
        app,
        req,
        async (tx) => found(await jobView(tx, req.params.id, { dbKind: app.deps.db.kind, lang: req.lang })) as never,
        // looking at a job that no process runs any more marks it failed: this read may write
        { write: true },
      ),
  );
}
