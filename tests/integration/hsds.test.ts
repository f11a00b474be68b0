/**
 * Open Referral HSDS 3.0: the public export validates against the official schemas (as the HSDS OpenAPI names
 * them), pages, searches and filters; capacity travels as attributes; the official JSON examples import (dry run
 * first), import again without change, and export again keeping their fields; bad input is reported per
 * file:row:field and changes nothing; only the network admin imports; long imports run as jobs with progress.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import {
  Caller,
  createWorld,
  login,
  makeOrganization,
  makeTenants,
  makeUser,
  type Res,
  type World,
} from '../support/world.ts';
import { HSDS_DIR } from '../support/standards.ts';
import { ENTITY_SCHEMAS, HSDS_SCHEMA_DIR, schemaInfo } from '../../src/server/features/hsds/validator.ts';
import { sql } from 'kysely';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let coordinatorA: Caller;
let adminA: Caller;
let networkAdmin: Caller;
let networkAdminX: Caller;
const anonymous = () => new Caller(world.app);

// ---------------------------------------------------------------------------------------------------------
// The official schemas, loaded under the $id they are published at, and the response schema of each path as
// the HSDS OpenAPI declares it. The OpenAPI names compiled/service.json and compiled/organization.json, which
// the standard does not ship: those fall back to the uncompiled service.json and organization.json.
// ---------------------------------------------------------------------------------------------------------
const BASE = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/';
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(HSDS_DIR, file), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
for (const file of fs.readdirSync(path.join(HSDS_DIR, 'schema')).filter((f) => f.endsWith('.json'))) {
  ajv.addSchema({ ...readJson(`schema/${file}`), $id: `${BASE}${file}` });
}
for (const file of fs.readdirSync(path.join(HSDS_DIR, 'schema/compiled')))
  ajv.addSchema({ ...readJson(`schema/compiled/${file}`), $id: `${BASE}compiled/${file}` });
for (const name of ['service', 'organization']) {
  if (!fs.existsSync(path.join(HSDS_DIR, `schema/compiled/${name}.json`)))
    ajv.addSchema({ $id: `${BASE}compiled/${name}.json`, $ref: `${BASE}${name}.json` });
}
const pointer = (p: string) => p.replace(/~/g, '~0').replace(/\//g, '~1');
const validators = new Map<string, ValidateFunction>();
/** The validator of a path's 200 response, straight from the HSDS OpenAPI. */
function responseSchema(apiPath: string): ValidateFunction {
  if (!validators.has(apiPath)) {
    validators.set(
      apiPath,
      ajv.compile({
        $ref: `${BASE}openapi.json#/paths/${pointer(apiPath)}/get/responses/200/content/application~1json/schema`,
      }),
    );
  }
  return validators.get(apiPath)!;
}
const entitySchema = (name: string) => ajv.getSchema(`${BASE}${name}.json`)!;
function expectValid(validate: ValidateFunction, body: unknown, what: string) {
  const ok = validate(body);
  expect(ok ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`), what).toEqual([]);
}
/** A paged response: the HSDS page shape, every item valid. */
function expectPage(res: Res, apiPath: string) {
  expect(res.statusCode, res.raw).toBe(200);
  expectValid(responseSchema(apiPath), res.body, apiPath);
  expect(Object.keys(res.body).sort()).toEqual([
    'contents',
    'empty',
    'first_page',
    'last_page',
    'page_number',
    'size',
    'total_items',
    'total_pages',
  ]);
  expect(res.body.contents.length).toBe(res.body.size);
}

const example = (name: string) => readJson(`examples/${name}`);

// ---------------------------------------------------------------------------------------------------------
let site1: string;
let site2: string;
let offerPublic: string;
let offerSecond: string;
let offerPrivate: string;
let offerInactive: string;

const offerBody = (over: Record<string, unknown> = {}) => ({
  name: 'Rouwbegeleiding volwassenen',
  description: 'Individuele begeleiding na het overlijden van een naaste.',
  category: 'victim-support-grief',
  level: 'basic',
  themes: ['grief-loss', 'loneliness'],
  modalities: ['face-to-face', 'home-visit'],
  municipalities: ['44021', '44084'],
  capacity: 'waitlist',
  waitDays: 21,
  minAge: 18,
  contactPhone: '+32 9 123 45 67',
  contactEmail: 'rouw@caw.example.be',
  contactUrl: 'https://caw.example.be/rouw',
  languages: ['nl', 'fr'],
  targetGroups: ['bereaved'],
  cost: 'free',
  openingHours: 'ma-vr 9-17 u',
  ...over,
});

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  const coordinator = await makeUser(world, {
    role: 'coordinator',
    networkId: t.network.id,
    organizationId: t.orgA.id,
  });
  coordinatorA = await login(world, coordinator.email);
  adminA = await login(world, t.users.adminA.email);
  networkAdmin = await login(world, t.users.networkAdmin.email);
  networkAdminX = await login(world, t.users.networkAdminX.email);
  site1 = (
    await adminA.post(`/api/organizations/${t.orgA.id}/sites`, {
      name: 'Zetel Gent',
      street: 'Kortrijksesteenweg 1',
      postalCode: '9000',
      municipality: '44021',
    })
  ).body.id;
  site2 = (
    await adminA.post(`/api/organizations/${t.orgA.id}/sites`, {
      name: 'Antenne Brussel',
      street: 'Wetstraat 16',
      postalCode: '1000',
      municipality: '21004',
    })
  ).body.id;
  const create = async (body: Record<string, unknown>) => {
    const res = await coordinatorA.post('/api/offers', body);
    expect(res.statusCode, res.raw).toBe(201);
    return res.body.id as string;
  };
  offerPublic = await create(offerBody({ siteIds: [site1, site2] }));
  offerSecond = await create(
    offerBody({
      name: 'Lotgenotengroep eenzaamheid',
      themes: ['loneliness'],
      category: 'self-help-peer-support',
      level: 'zero-line',
      capacity: 'open',
      waitDays: null,
      modalities: ['group'],
      municipalities: ['44021'],
      languages: ['nl'],
      cost: 'contribution',
      costNote: '5 euro per avond',
      targetGroups: [],
      openingHours: null,
      contactPhone: null,
      contactEmail: null,
      contactUrl: null,
      minAge: null,
    }),
  );
  offerPrivate = await create(offerBody({ name: 'Interne intervisie rouw', isPublic: false }));
  offerInactive = await create(offerBody({ name: 'Stopgezette rouwgroep', active: false }));
});
afterAll(() => world?.close());

const rows = async (table: 'offers' | 'organizations' | 'sites') =>
  Number(
    (
      await world.owner
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const recordCount = async () =>
  Number((await sql<{ n: string }>`select count(*) as n from hsds_records`.execute(world.owner)).rows[0]!.n);
const snapshot = async () => ({
  offers: await rows('offers'),
  organizations: await rows('organizations'),
  sites: await rows('sites'),
  records: await recordCount(),
});
const GRAVITY = {
  open: 'capacity',
  waitlist: 'waitlist',
  full: 'no-capacity',
  assessment: 'additional-assessment-required',
};

// ---------------------------------------------------------------------------------------------------------
describe('HSDS export', () => {
  it('the server validates imports with the same official schemas as these tests: the one copy under standards/', () => {
    expect(HSDS_SCHEMA_DIR).toBe(path.join(HSDS_DIR, 'schema'));
    // every entity schema of the copy (all but openapi.json) is loaded by the validator, and is what it read
    const entities = fs
      .readdirSync(HSDS_SCHEMA_DIR)
      .filter((f) => f.endsWith('.json') && f !== 'openapi.json')
      .map((f) => f.replace(/\.json$/, ''));
    expect([...ENTITY_SCHEMAS].sort()).toEqual(entities.sort());
    for (const name of ENTITY_SCHEMAS) {
      const file = readJson(`schema/${name}.json`);
      expect(schemaInfo(name), name).toEqual({
        name,
        path: file.path,
        required: file.required ?? [],
        tabularRequired: file.tabular_required ?? [],
        properties: file.properties,
      });
    }
  });

  it('GET /api/hsds/ gives the version and profile', async () => {
    for (const url of ['/api/hsds/', '/api/hsds']) {
      const res = await anonymous().get(url);
      expect(res.statusCode).toBe(200);
      expectValid(responseSchema('/'), res.body, '/');
      expect(res.body).toMatchObject({
        version: '3.0',
        profile: expect.stringMatching(/^http:\/\/.+\/api\/hsds\/profile$/),
        openapi_url: expect.stringMatching(/\/api\/openapi\.json$/),
      });
    }
    expect((await anonymous().get('/api/hsds/profile')).body.taxonomies.map((x: { name: string }) => x.name)).toContain(
      'korte-lijn-capacity',
    );
  });

  it('lists public, active services only, valid against compiled/service_list.json, with their organisation', async () => {
    const res = await anonymous().get('/api/hsds/services');
    expectPage(res, '/services');
    const ids = res.body.contents.map((s: { id: string }) => s.id);
    expect(ids).toEqual(expect.arrayContaining([offerPublic, offerSecond]));
    expect(ids).not.toContain(offerPrivate);
    expect(ids).not.toContain(offerInactive);
    const item = res.body.contents.find((s: { id: string }) => s.id === offerPublic);
    expect(item).toMatchObject({
      name: 'Rouwbegeleiding volwassenen',
      status: 'active',
      organization_id: t.orgA.id,
      email: 'rouw@caw.example.be',
      url: 'https://caw.example.be/rouw',
      minimum_age: 18,
      wait_time: 'P21D',
      organization: { id: t.orgA.id, name: t.orgA.name, description: expect.any(String) },
    });
    // the list has one-to-one fields only; full=true nests
    expect(item.phones).toBeUndefined();
    const full = await anonymous().get('/api/hsds/services?full=true');
    expectPage(full, '/services');
    for (const s of full.body.contents) expectValid(entitySchema('service'), s, 'full service');
    expect(full.body.contents.find((s: { id: string }) => s.id === offerPublic).phones).toEqual([
      { id: expect.any(String), number: '+3291234567' }, // stored as typed through the API: +32 9 123 45 67
    ]);
  });

  it('GET /api/hsds/services/{id}: the fully nested service, with capacity and waiting time as attributes', async () => {
    const res = await anonymous().get(`/api/hsds/services/${offerPublic}`);
    expect(res.statusCode, res.raw).toBe(200);
    expectValid(responseSchema('/services/{id}'), res.body, '/services/{id}');
    const s = res.body;
    const byType = (type: string) => s.attributes.filter((a: { link_type: string }) => a.link_type === type);
    const capacity = byType('capacity');
    expect(capacity).toHaveLength(1);
    expect(capacity[0]).toMatchObject({
      link_id: offerPublic,
      link_entity: 'service',
      value: '21',
      taxonomy_term: {
        code: GRAVITY.waitlist,
        taxonomy: 'korte-lijn-capacity',
        taxonomy_detail: { name: 'korte-lijn-capacity' },
      },
      metadata: [
        {
          field_name: 'capacity',
          last_action_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          replacement_value: 'waitlist',
        },
      ],
    });
    expect(capacity[0].taxonomy_term_id).toBe(capacity[0].taxonomy_term.id);
    expect(
      byType('theme')
        .map((a: { taxonomy_term: { code: string } }) => a.taxonomy_term.code)
        .sort(),
    ).toEqual(['grief-loss', 'loneliness']);
    expect(byType('category')[0].taxonomy_term.code).toBe('victim-support-grief');
    expect(byType('level')[0].taxonomy_term.code).toBe('basic');
    expect(byType('modality')).toHaveLength(2);
    expect(byType('target-group')[0].taxonomy_term.code).toBe('bereaved');
    expect(s.service_areas).toEqual([
      { id: expect.any(String), name: 'Gent', uri: 'urn:statbel:nis:44021' },
      { id: expect.any(String), name: expect.any(String), uri: 'urn:statbel:nis:44084' },
    ]);
    expect(s.languages.map((l: { code: string }) => l.code)).toEqual(['nl', 'fr']);
    expect(s.schedules).toEqual([{ id: expect.any(String), description: 'ma-vr 9-17 u' }]);
    expect(s.organization).toMatchObject({ id: t.orgA.id, name: t.orgA.name });
    expect(s.service_at_locations.map((x: { location_id: string }) => x.location_id)).toEqual([site1, site2]);
    expect(s.service_at_locations[0].location.addresses[0]).toMatchObject({
      address_1: 'Kortrijksesteenweg 1',
      postal_code: '9000',
      city: 'Gent',
      country: 'BE',
      state_province: 'Provincie Oost-Vlaanderen',
    });
    expect(s.service_at_locations[1].location.addresses[0]).toMatchObject({
      city: 'Brussel',
      state_province: 'Brussels Hoofdstedelijk Gewest',
    });
    // the same ids on every export
    const again = await anonymous().get(`/api/hsds/services/${offerPublic}`);
    expect(again.body.attributes.map((a: { id: string }) => a.id)).toEqual(
      s.attributes.map((a: { id: string }) => a.id),
    );
    // labels after Accept-Language, ids and codes the same
    const english = await new Caller(world.app, null, null, null, 'en').get(`/api/hsds/services/${offerPublic}`);
    expect(
      english.body.attributes.find((a: { link_type: string }) => a.link_type === 'capacity').taxonomy_term,
    ).toMatchObject({ name: 'Waiting list', code: 'waitlist', language: 'en' });
    expect((await anonymous().get(`/api/hsds/services/${offerPrivate}`)).statusCode).toBe(404);
    expect((await anonymous().get(`/api/hsds/services/${offerInactive}`)).statusCode).toBe(404);
  });

  it('follows a capacity update (value, code and confirmation time)', async () => {
    const before = (await anonymous().get(`/api/hsds/services/${offerSecond}`)).body.attributes.find(
      (a: { link_type: string }) => a.link_type === 'capacity',
    );
    expect(before.taxonomy_term.code).toBe(GRAVITY.open);
    expect(
      (await coordinatorA.post(`/api/offers/${offerSecond}/capacity`, { capacity: 'full', waitDays: 60 })).statusCode,
    ).toBe(200);
    const after = (await anonymous().get(`/api/hsds/services/${offerSecond}`)).body.attributes.find(
      (a: { link_type: string }) => a.link_type === 'capacity',
    );
    expect(after).toMatchObject({ value: '60', taxonomy_term: { code: GRAVITY.full } });
    expect(after.metadata[0].last_action_date >= before.metadata[0].last_action_date).toBe(true);
  });

  it('pages (page, per_page) in the HSDS page shape', async () => {
    const first = await anonymous().get('/api/hsds/services?per_page=1');
    expectPage(first, '/services');
    expect(first.body).toMatchObject({
      total_items: 2,
      total_pages: 2,
      page_number: 1,
      size: 1,
      first_page: true,
      last_page: false,
      empty: false,
    });
    const second = await anonymous().get('/api/hsds/services?per_page=1&page=2');
    expect(second.body).toMatchObject({ total_items: 2, page_number: 2, first_page: false, last_page: true });
    expect(second.body.contents[0].id).not.toBe(first.body.contents[0].id);
    const beyond = await anonymous().get('/api/hsds/services?per_page=1&page=5');
    expectPage(beyond, '/services');
    expect(beyond.body).toMatchObject({ total_items: 2, empty: true, size: 0, last_page: true });
    expect((await anonymous().get('/api/hsds/services?per_page=0')).statusCode).toBe(400);
    expect((await anonymous().get('/api/hsds/services?format=ndjson')).statusCode).toBe(400);
    expect((await anonymous().get('/api/hsds/services?unknown=1')).statusCode).toBe(400);
  });

  it('searches (search) and filters (modified_after, organization_id, taxonomy_term_id, taxonomy_id)', async () => {
    const ids = async (query: string) => {
      const res = await anonymous().get(`/api/hsds/services?${query}`);
      expectPage(res, '/services');
      return res.body.contents.map((s: { id: string }) => s.id).sort();
    };
    expect(await ids('search=lotgenoten')).toEqual([offerSecond]);
    expect(await ids('search=rouw')).toEqual([offerPublic]);
    expect(await ids('search=xyzzy')).toEqual([]);
    expect(await ids('modified_after=2000-01-01')).toEqual([offerPublic, offerSecond].sort());
    expect(await ids(`modified_after=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`)).toEqual(
      [],
    );
    // only what changed since: the capacity update above touched offerSecond last
    const publicRow = await world.owner
      .selectFrom('offers')
      .select('updated_at')
      .where('id', '=', offerPublic)
      .executeTakeFirstOrThrow();
    expect(
      await ids(`modified_after=${encodeURIComponent(new Date(publicRow.updated_at.getTime() + 1).toISOString())}`),
    ).toEqual([offerSecond]);
    expect((await anonymous().get('/api/hsds/services?modified_after=2024-13-45')).statusCode).toBe(400);
    expect((await anonymous().get('/api/hsds/services?modified_after=yesterday')).statusCode).toBe(400);
    expect(await ids(`organization_id=${t.orgB.id}`)).toEqual([]);
    expect(await ids(`organization_id=${t.orgA.id}`)).toEqual([offerPublic, offerSecond].sort());
    const terms = (await anonymous().get('/api/hsds/taxonomy_terms?per_page=500')).body.contents as {
      id: string;
      code: string;
      taxonomy: string;
      taxonomy_id: string;
    }[];
    const term = (taxonomy: string, code: string) => terms.find((x) => x.taxonomy === taxonomy && x.code === code)!;
    expect(await ids(`taxonomy_term_id=${term('korte-lijn-theme', 'grief-loss').id}`)).toEqual([offerPublic]);
    expect(await ids(`taxonomy_term_id=${term('korte-lijn-capacity', 'no-capacity').id}`)).toEqual([offerSecond]);
    expect(await ids(`taxonomy_id=${term('korte-lijn-target-group', 'bereaved').taxonomy_id}`)).toEqual([offerPublic]);
  });

  it('lists organisations (compiled/organization_list.json) and gives one fully nested (organization.json)', async () => {
    const res = await anonymous().get('/api/hsds/organizations');
    expectPage(res, '/organizations');
    // only organisations that publish a public, active offer: the network's membership itself is not public
    const listed = res.body.contents.map((o: { id: string }) => o.id);
    expect(listed).toContain(t.orgA.id);
    expect(listed).not.toContain(t.orgB.id);
    expect(listed).not.toContain(t.orgX.id);
    expect(
      (await anonymous().get(`/api/hsds/organizations?search=${encodeURIComponent(t.orgA.name)}`)).body.contents.map(
        (o: { id: string }) => o.id,
      ),
    ).toEqual([t.orgA.id]);
    const full = await anonymous().get('/api/hsds/organizations?full=true&per_page=2');
    expectPage(full, '/organizations');
    const one = await anonymous().get(`/api/hsds/organizations/${t.orgA.id}`);
    expect(one.statusCode).toBe(200);
    expectValid(responseSchema('/organizations/{id}'), one.body, '/organizations/{id}');
    expect(one.body.locations.map((l: { id: string }) => l.id).sort()).toEqual([site1, site2].sort());
    expect(one.body.services.map((s: { id: string }) => s.id).sort()).toEqual([offerPublic, offerSecond].sort());
    expect(one.body.services[0].attributes).toBeUndefined();
    const fullServices = await anonymous().get(`/api/hsds/organizations/${t.orgA.id}?full_service=true`);
    expectValid(responseSchema('/organizations/{id}'), fullServices.body, '/organizations/{id}');
    expect(fullServices.body.services[0].attributes.length).toBeGreaterThan(0);
    for (const s of fullServices.body.services) expectValid(entitySchema('service'), s, 'nested service');
    expect((await anonymous().get(`/api/hsds/organizations/${crypto.randomUUID()}`)).statusCode).toBe(404);
  });

  it('lists services at locations (compiled/service_at_location_list.json): offer × site', async () => {
    const res = await anonymous().get('/api/hsds/service_at_locations');
    expectPage(res, '/service_at_locations');
    const mine = res.body.contents.filter((x: { service_id: string }) => x.service_id === offerPublic);
    expect(mine.map((x: { location_id: string }) => x.location_id).sort()).toEqual([site1, site2].sort());
    expect(mine[0]).toMatchObject({
      service: { id: offerPublic, organization: { id: t.orgA.id } },
      location: { location_type: 'physical' },
    });
    const full = await anonymous().get('/api/hsds/service_at_locations?full=true&search=rouw');
    expectPage(full, '/service_at_locations');
    for (const x of full.body.contents) expectValid(entitySchema('service_at_location'), x, 'full service_at_location');
    expect(full.body.contents[0].location.addresses[0].country).toBe('BE');
    expect((await anonymous().get('/api/hsds/service_at_locations?modified_after=2999-01-01')).body.total_items).toBe(
      0,
    );
  });

  it('lists taxonomies and terms, with capacity codes after the Gravity SDOH guide', async () => {
    const taxonomies = await anonymous().get('/api/hsds/taxonomies');
    expectPage(taxonomies, '/taxonomies');
    const names = taxonomies.body.contents.map((x: { name: string }) => x.name);
    expect(names).toEqual(
      expect.arrayContaining(['korte-lijn-theme', 'korte-lijn-category', 'korte-lijn-level', 'korte-lijn-capacity']),
    );
    const capacity = taxonomies.body.contents.find((x: { name: string }) => x.name === 'korte-lijn-capacity');
    const terms = await anonymous().get(`/api/hsds/taxonomy_terms?taxonomy_id=${capacity.id}`);
    expectPage(terms, '/taxonomy_terms');
    expect(terms.body.contents.map((x: { code: string }) => x.code).sort()).toEqual(Object.values(GRAVITY).sort());
    const all = await anonymous().get('/api/hsds/taxonomy_terms?per_page=2&page=3');
    expectPage(all, '/taxonomy_terms');
    expect(all.body.total_items).toBeGreaterThan(40);
    const search = await anonymous().get('/api/hsds/taxonomy_terms?search=eenzaam');
    expect(search.body.contents.map((x: { code: string }) => x.code)).toEqual(['loneliness']);
    const one = await anonymous().get(`/api/hsds/taxonomy_terms/${search.body.contents[0].id}`);
    expectValid(entitySchema('taxonomy_term'), one.body, 'term');
    expectValid(
      entitySchema('taxonomy'),
      (await anonymous().get(`/api/hsds/taxonomies/${capacity.id}`)).body,
      'taxonomy',
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
const importJson = (caller: Caller, body: unknown, query = '') => caller.post(`/api/hsds/imports${query}`, body);
const fieldsOf = (res: Res) =>
  (res.body.errors ?? []).map((e: { field: string; code: string }) => `${e.field}|${e.code}`);
const totals = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe('HSDS import of the official JSON examples', () => {
  const SERVICE = 'ac148810-d857-441c-9679-408f346de14b';
  const ORG = 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610';

  it('a dry run reports what would be created and writes nothing', async () => {
    const before = await snapshot();
    const res = await importJson(networkAdmin, example('service_full.json'), '?dryRun=true');
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({
      dryRun: true,
      format: 'json',
      created: {
        organizations: 1,
        services: 1,
        locations: 1,
        service_at_locations: 1,
        taxonomies: 1,
        taxonomy_terms: 1,
      },
      changed: {
        organizations: 0,
        services: 0,
        locations: 0,
        service_at_locations: 0,
        taxonomies: 0,
        taxonomy_terms: 0,
      },
    });
    // which records: id and name per kind (a service at location is named after its service and location)
    const original = example('service_full.json');
    const one = (id: string, name: string | null) => ({ items: [{ id, name }], more: 0 });
    const none = { items: [], more: 0 };
    expect(res.body.records).toEqual({
      created: {
        organizations: one(ORG, 'Example Organization Inc.'),
        services: one(SERVICE, 'Community Counselling'),
        locations: one(original.service_at_locations[0].location.id, original.service_at_locations[0].location.name),
        service_at_locations: one(
          original.service_at_locations[0].id,
          `Community Counselling — ${original.service_at_locations[0].location.name}`,
        ),
        taxonomies: one(
          original.attributes[0].taxonomy_term.taxonomy_detail.id,
          original.attributes[0].taxonomy_term.taxonomy_detail.name,
        ),
        taxonomy_terms: one(original.attributes[0].taxonomy_term.id, original.attributes[0].taxonomy_term.name),
      },
      changed: {
        organizations: none,
        services: none,
        locations: none,
        service_at_locations: none,
        taxonomies: none,
        taxonomy_terms: none,
      },
    });
    expect(await snapshot()).toEqual(before);
    expect(
      await world.owner.selectFrom('audit_log').select('id').where('action', '=', 'catalogue.import').execute(),
    ).toEqual([]);
  });

  it('imports it for real (ids kept), audited; importing it again changes nothing', async () => {
    const before = await snapshot();
    const res = await importJson(networkAdmin, example('service_full.json'));
    expect(res.statusCode, res.raw).toBe(200);
    expect(totals(res.body.created)).toBe(6);
    expect(await snapshot()).toEqual({
      ...before,
      offers: before.offers + 1,
      organizations: before.organizations + 1,
      records: before.records + 6,
    });
    const offer = await world.owner
      .selectFrom('offers')
      .selectAll()
      .where('id', '=', SERVICE)
      .executeTakeFirstOrThrow();
    expect(offer).toMatchObject({
      organization_id: ORG,
      network_id: t.network.id,
      name: 'Community Counselling',
      level: 'basic',
      capacity: 'open',
      active: true,
      is_public: true,
      min_age: 12,
      max_age: 100,
      contact_email: 'email@example.com',
      contact_phone: '"+44 1234 234567"',
      languages: ['ur'],
      cost: 'fee',
      municipalities: [],
    });
    expect(
      await world.owner
        .selectFrom('organizations')
        .select(['name', 'kind', 'network_id'])
        .where('id', '=', ORG)
        .executeTakeFirstOrThrow(),
    ).toEqual({ name: 'Example Organization Inc.', kind: 'other', network_id: t.network.id });
    const audit = await world.owner
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'catalogue.import')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_user_id: t.users.networkAdmin.id,
      network_id: t.network.id,
      outcome: 'success',
      details: { format: 'json', created: 6, changed: 0, unchanged: 0 },
    });

    const again = await importJson(networkAdmin, example('service_full.json'));
    expect(again.statusCode).toBe(200);
    expect(totals(again.body.created) + totals(again.body.changed)).toBe(0);
    expect(totals(again.body.unchanged)).toBe(6);
    const after = await world.owner
      .selectFrom('offers')
      .select('updated_at')
      .where('id', '=', SERVICE)
      .executeTakeFirstOrThrow();
    expect(after.updated_at.getTime()).toBe(offer.updated_at.getTime());
  });

  it("exports it again: valid, and keeping the example's fields", async () => {
    const original = example('service_full.json');
    const res = await anonymous().get(`/api/hsds/services/${SERVICE}`);
    expect(res.statusCode, res.raw).toBe(200);
    expectValid(responseSchema('/services/{id}'), res.body, 'exported example');
    const s = res.body;
    for (const field of [
      'name',
      'alternate_name',
      'description',
      'url',
      'email',
      'status',
      'interpretation_services',
      'application_process',
      'fees_description',
      'wait_time',
      'fees',
      'accreditations',
      'eligibility_description',
      'minimum_age',
      'maximum_age',
      'assured_date',
      'assurer_email',
      'licenses',
      'alert',
      'phones',
      'schedules',
      'service_areas',
      'languages',
      'funding',
      'cost_options',
      'program',
      'required_documents',
      'contacts',
      'metadata',
    ]) {
      expect(s[field], field).toEqual(original[field]);
    }
    // the example's attribute is kept, ours are added (capacity travels with it)
    expect(s.attributes).toEqual(expect.arrayContaining(original.attributes));
    expect(s.attributes.find((a: { link_type: string }) => a.link_type === 'capacity').taxonomy_term.code).toBe(
      'capacity',
    );
    for (const field of [
      'alternate_name',
      'funding',
      'programs',
      'organization_identifiers',
      'contacts',
      'phones',
      'legal_status',
      'year_incorporated',
    ]) {
      expect(s.organization[field], `organization.${field}`).toEqual(original.organization[field]);
    }
    expect(s.service_at_locations).toHaveLength(1);
    const sal = s.service_at_locations[0];
    const originalSal = original.service_at_locations[0];
    expect(sal).toMatchObject({
      id: originalSal.id,
      description: originalSal.description,
      contacts: originalSal.contacts,
      schedules: originalSal.schedules,
    });
    expect(sal.location).toEqual(originalSal.location);
    // and in the lists
    const list = await anonymous().get('/api/hsds/services?search=counselling');
    expectPage(list, '/services');
    expect(list.body.contents[0]).toMatchObject({
      id: SERVICE,
      alternate_name: original.alternate_name,
      program: original.program,
      organization: { alternate_name: original.organization.alternate_name },
    });
    const sals = await anonymous().get(`/api/hsds/service_at_locations?organization_id=${ORG}`);
    expectPage(sals, '/service_at_locations');
    expect(sals.body.contents.map((x: { id: string }) => x.id)).toEqual([originalSal.id]);
    const org = await anonymous().get(`/api/hsds/organizations/${ORG}`);
    expectValid(responseSchema('/organizations/{id}'), org.body, 'exported example organisation');
    expect(org.body.locations).toEqual(original.organization.locations);
    const terms = await anonymous().get(`/api/hsds/taxonomy_terms?search=name`);
    expectPage(terms, '/taxonomy_terms');
    expect(terms.body.contents).toEqual([original.attributes[0].taxonomy_term]);
  });

  it('a change made in Korte Lijn wins over the imported original; the rest stays', async () => {
    await world.owner
      .updateTable('offers')
      .set({ contact_email: 'nieuw@example.be', contact_phone: '+32 2 555 12 12', capacity: 'waitlist', wait_days: 10 })
      .where('id', '=', SERVICE)
      .execute();
    const s = (await anonymous().get(`/api/hsds/services/${SERVICE}`)).body;
    expectValid(responseSchema('/services/{id}'), s, 'changed example');
    expect(s.email).toBe('nieuw@example.be');
    expect(s.phones.map((p: { number: string }) => p.number)).toEqual(['+32 2 555 12 12']);
    expect(s.attributes.find((a: { link_type: string }) => a.link_type === 'capacity')).toMatchObject({
      value: '10',
      taxonomy_term: { code: 'waitlist' },
    });
    expect(s.accreditations).toBe(example('service_full.json').accreditations);
    // importing the original again brings its values back: a change
    const res = await importJson(networkAdmin, example('service_full.json'));
    expect(res.body.changed.services).toBe(1);
    expect(res.body.records.changed.services).toEqual({
      items: [{ id: SERVICE, name: 'Community Counselling' }],
      more: 0,
    });
    expect(res.body.records.created.services).toEqual({ items: [], more: 0 });
    expect((await anonymous().get(`/api/hsds/services/${SERVICE}`)).body.phones).toEqual(
      example('service_full.json').phones,
    );
  });

  it('every official JSON example imports (dry run, then for real), re-imports unchanged, and exports valid', async () => {
    const files = [
      'organization_full.json',
      'organization_list.json',
      'service_list.json',
      'service_at_location_full.json',
      'service_at_location_list.json',
      'location.json',
      'taxonomy.json',
      'taxonomy_list.json',
      'taxonomy_term.json',
      'taxonomy_term_list.json',
      'service_full.json',
    ];
    for (const file of files) {
      const dry = await importJson(networkAdmin, example(file), '?dryRun=true');
      expect(dry.statusCode, `${file}: ${dry.raw}`).toBe(200);
      const real = await importJson(networkAdmin, example(file));
      expect(real.statusCode, `${file}: ${real.raw}`).toBe(200);
      expect(real.body.created, file).toEqual(dry.body.created);
      expect(real.body.changed, file).toEqual(dry.body.changed);
      const again = await importJson(networkAdmin, example(file));
      expect(
        totals(again.body.created) + totals(again.body.changed),
        `${file} again: ${JSON.stringify(again.body)}`,
      ).toBe(0);
    }
    // the organisation's full example added its services list and programs; exports stay valid
    const org = await anonymous().get(`/api/hsds/organizations/${ORG}?full_service=true`);
    expectValid(responseSchema('/organizations/{id}'), org.body, 'organization_full');
    expect(org.body.organization_identifiers).toEqual(example('organization_full.json').organization_identifiers);
    for (const apiPath of ['/services', '/organizations', '/service_at_locations', '/taxonomies', '/taxonomy_terms']) {
      expectPage(await anonymous().get(`/api/hsds${apiPath}?per_page=500`), apiPath);
    }
    for (const apiPath of ['/services', '/organizations', '/service_at_locations']) {
      expectPage(await anonymous().get(`/api/hsds${apiPath}?per_page=500&full=true`), apiPath);
    }
    const taxonomy = await anonymous().get(`/api/hsds/taxonomies/${example('taxonomy.json').id}`);
    expect(taxonomy.body).toEqual(example('taxonomy.json'));
  });

  it('an imported service that is made non-public disappears from every export, its record with it', async () => {
    await world.owner.updateTable('offers').set({ is_public: false }).where('id', '=', SERVICE).execute();
    expect((await anonymous().get(`/api/hsds/services/${SERVICE}`)).statusCode).toBe(404);
    expect((await anonymous().get('/api/hsds/services?search=counselling')).body.total_items).toBe(0);
    expect((await anonymous().get(`/api/hsds/service_at_locations?organization_id=${ORG}`)).body.total_items).toBe(0);
    expect((await anonymous().get(`/api/hsds/organizations/${ORG}`)).body.services).toEqual([]);
    // row-level security: without a network, the record of a non-public service is not even readable
    const visible = await world.db.app.transaction().execute(
      async (trx) =>
        (
          await sql<{
            id: string;
          }>`select id from hsds_records where entity_type = 'service' and id = ${SERVICE}`.execute(trx)
        ).rows,
    );
    expect(visible).toEqual([]);
    await world.owner.updateTable('offers').set({ is_public: true }).where('id', '=', SERVICE).execute();
    expect((await anonymous().get(`/api/hsds/services/${SERVICE}`)).statusCode).toBe(200);
  });

  it('the same ids in another network are refused (id-taken), and nothing is imported there', async () => {
    const before = await snapshot();
    const res = await importJson(networkAdminX, example('service_full.json'));
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(expect.arrayContaining(['body:1:id|id-taken', 'body:1:organization.id|id-taken']));
    expect(await snapshot()).toEqual(before);
  });

  it('re-imports its own export: our fields come back as they were', async () => {
    const exported = (await anonymous().get(`/api/hsds/services?full=true&organization_id=${t.orgA.id}`)).body;
    const before = await world.owner
      .selectFrom('offers')
      .selectAll()
      .where('organization_id', '=', t.orgA.id)
      .orderBy('id')
      .execute();
    const res = await importJson(networkAdmin, exported);
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.created.services).toBe(0);
    const after = await world.owner
      .selectFrom('offers')
      .selectAll()
      .where('organization_id', '=', t.orgA.id)
      .orderBy('id')
      .execute();
    const strip = (r: Record<string, unknown>) => ({ ...r, updated_at: undefined, search_vector: undefined });
    expect(after.map(strip)).toEqual(before.map(strip));
    const again = await importJson(networkAdmin, exported);
    expect(totals(again.body.created) + totals(again.body.changed), JSON.stringify(again.body)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('HSDS import: bad input is reported per file, row and field, and changes nothing', () => {
  const service = (over: Record<string, unknown> = {}) => ({
    id: crypto.randomUUID(),
    name: 'Praatgroep',
    status: 'active',
    organization_id: t.orgA.id,
    ...over,
  });

  it('a body that is no HSDS', async () => {
    const before = await snapshot();
    for (const body of [{ foo: 1 }, [1, 2], { contents: 'x' }, { format: 'datapackage' }]) {
      const res = await importJson(networkAdmin, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    expect(fieldsOf(await importJson(networkAdmin, { foo: 1 }))).toEqual(['body:0:|hsds-shape']);
    expect(await snapshot()).toEqual(before);
  });

  it('a service without a name, with a bad status, a bad uuid and a bad NIS code; the good ones are not imported either', async () => {
    const before = await snapshot();
    const good = service();
    const res = await importJson(
      networkAdmin,
      [
        good,
        service({ name: undefined }),
        service({ name: '   ' }),
        service({ status: 'open' }),
        service({ id: 'not-a-uuid' }),
        service({
          service_areas: [
            { id: crypto.randomUUID(), name: 'Nergens', uri: 'urn:statbel:nis:99999' },
            { id: crypto.randomUUID(), uri: 'urn:statbel:nis:123' },
          ],
        }),
        service({ minimum_age: 40, maximum_age: 20 }),
      ],
      '?entity=services',
    );
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(
      expect.arrayContaining(['body:2:name|required', 'body:4:status|enum', 'body:5:id|format']),
    );
    expect(res.body.errors.every((e: { message: string }) => e.message.length > 0)).toBe(true);
    expect(await snapshot()).toEqual(before);
    // schema-valid input with broken rules of ours
    const rules = await importJson(networkAdmin, [
      good,
      service({ name: '   ' }),
      service({
        service_areas: [
          { id: crypto.randomUUID(), name: 'Nergens', uri: 'urn:statbel:nis:99999' },
          { id: crypto.randomUUID(), uri: 'urn:statbel:nis:123' },
        ],
      }),
      service({ minimum_age: 40, maximum_age: 20 }),
      service({ organization_id: crypto.randomUUID() }),
      service({ organization_id: t.orgX.id }),
    ]);
    expect(rules.statusCode).toBe(400);
    expect(fieldsOf(rules).sort()).toEqual([
      'body:2:name|name-blank',
      'body:3:service_areas.0.uri|municipality-unknown',
      'body:3:service_areas.1.uri|nis-format',
      'body:4:minimum_age|age-range',
      'body:5:organization_id|organization-unknown',
      'body:6:organization_id|organization-unknown',
    ]);
    expect(rules.body.errors.find((e: { code: string }) => e.code === 'municipality-unknown').message).toMatch(/NIS/);
    expect(await snapshot()).toEqual(before);
    expect(await world.owner.selectFrom('offers').select('id').where('id', '=', good.id).execute()).toEqual([]);
  });

  it('an unknown term of our taxonomy, a bad waiting time', async () => {
    const capacity = (await anonymous().get('/api/hsds/taxonomies?search=capacity')).body.contents[0];
    const res = await importJson(networkAdmin, [
      service({
        attributes: [
          {
            id: crypto.randomUUID(),
            taxonomy_term: {
              id: crypto.randomUUID(),
              name: 'x',
              description: 'x',
              code: 'overbooked',
              taxonomy_id: capacity.id,
            },
          },
          {
            id: crypto.randomUUID(),
            value: 'soon',
            taxonomy_term: {
              id: crypto.randomUUID(),
              name: 'x',
              description: 'x',
              code: 'waitlist',
              taxonomy_id: capacity.id,
            },
          },
        ],
      }),
    ]);
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res).sort()).toEqual([
      'body:1:attributes.0.taxonomy_term.code|term-unknown',
      'body:1:attributes.1.value|wait-days-invalid',
    ]);
  });

  it('our vocabulary by code: a hand-made attribute sets capacity and themes', async () => {
    const capacity = (await anonymous().get('/api/hsds/taxonomies?search=capacity')).body.contents[0];
    const themes = (await anonymous().get('/api/hsds/taxonomies?search=theme')).body.contents[0];
    const s = service({
      attributes: [
        {
          id: crypto.randomUUID(),
          value: '7',
          taxonomy_term: {
            id: crypto.randomUUID(),
            name: 'Wachtlijst',
            description: '-',
            code: 'waitlist',
            taxonomy_id: capacity.id,
          },
        },
        {
          id: crypto.randomUUID(),
          taxonomy_term: {
            id: crypto.randomUUID(),
            name: 'Angst',
            description: '-',
            code: 'anxiety',
            taxonomy: 'korte-lijn-theme',
          },
        },
        {
          id: crypto.randomUUID(),
          taxonomy_term: {
            id: crypto.randomUUID(),
            name: 'Rouw',
            description: '-',
            code: 'grief-loss',
            taxonomy_id: themes.id,
          },
        },
      ],
    });
    const res = await importJson(networkAdmin, [s]);
    expect(res.statusCode, res.raw).toBe(200);
    expect(
      await world.owner
        .selectFrom('offers')
        .select(['capacity', 'wait_days', 'themes'])
        .where('id', '=', s.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ capacity: 'waitlist', wait_days: 7, themes: ['anxiety', 'grief-loss'] });
  });

  it('only the network admin imports: no session → 401, other roles → 403 (audited), nothing imported', async () => {
    const before = await snapshot();
    expect((await anonymous().post('/api/hsds/imports', [service()])).statusCode).toBe(401);
    for (const caller of [
      coordinatorA,
      adminA,
      await login(world, t.users.analyst.email),
      await login(world, t.users.networkCoordinator.email),
    ]) {
      const res = await importJson(caller, [service()]);
      expect(res.statusCode).toBe(403);
    }
    expect(await snapshot()).toEqual(before);
    const denied = await world.owner
      .selectFrom('audit_log')
      .select(['outcome'])
      .where('action', '=', 'catalogue.import')
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.length).toBe(4);
    expect((await anonymous().get(`/api/hsds/imports/${crypto.randomUUID()}`)).statusCode).toBe(401);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('HSDS import jobs: progress of long imports', () => {
  async function waitFor(caller: Caller, id: string) {
    const seen: number[] = [];
    for (let i = 0; i < 600; i++) {
      const res = await caller.get(`/api/hsds/imports/${id}`);
      expect(res.statusCode, res.raw).toBe(200);
      seen.push(res.body.done);
      if (res.body.status !== 'running') return { job: res.body, seen };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('import did not finish');
  }
  const manyServices = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: crypto.randomUUID(),
      name: `Groepsaanbod ${i}`,
      status: 'active',
      organization_id: t.orgB.id,
      service_areas: [{ id: crypto.randomUUID(), name: 'Leuven', uri: 'urn:statbel:nis:24062' }],
    }));

  it('a large import answers 202 with a job; the job shows progress and ends with the counts, in one transaction', async () => {
    const body = manyServices(40);
    const before = await snapshot();
    const dry = await importJson(networkAdmin, body, '?async=true&dryRun=true');
    expect(dry.statusCode, dry.raw).toBe(202);
    expect(dry.headers.location).toBe(`/api/hsds/imports/${dry.body.id}`);
    expect(dry.body).toMatchObject({ status: 'running', dryRun: true, total: 40 });
    const dryDone = await waitFor(networkAdmin, dry.body.id);
    expect(dryDone.job).toMatchObject({
      status: 'succeeded',
      total: 40,
      done: 40,
      result: { dryRun: true, created: { services: 40 } },
    });
    expect(await snapshot()).toEqual(before);

    const res = await importJson(networkAdmin, body, '?async=true');
    expect(res.statusCode).toBe(202);
    const { job, seen } = await waitFor(networkAdmin, res.body.id);
    expect(job).toMatchObject({
      status: 'succeeded',
      total: 40,
      done: 40,
      finishedAt: expect.any(String),
      result: { created: { services: 40 } },
    });
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect((await snapshot()).offers).toBe(before.offers + 40);
    const audit = await world.owner
      .selectFrom('audit_log')
      .select(['entity_id', 'details'])
      .where('action', '=', 'catalogue.import')
      .where('entity_id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ created: 40, changed: 0 });
    // another network does not see the job
    expect((await networkAdminX.get(`/api/hsds/imports/${res.body.id}`)).statusCode).toBe(404);
    expect((await adminA.get(`/api/hsds/imports/${res.body.id}`)).statusCode).toBe(403);
  });

  it(`more than ${1000} records (and more than the default 256 KiB body) run as a job without asking`, async () => {
    const body = manyServices(1001).map((x, i) => ({ ...x, description: `Aanbod ${i}: ${'x'.repeat(300)}` }));
    expect(JSON.stringify(body).length).toBeGreaterThan(256 * 1024);
    const res = await importJson(networkAdmin, body, '?dryRun=true');
    expect(res.statusCode, res.raw.slice(0, 500)).toBe(202);
    const { job } = await waitFor(networkAdmin, res.body.id);
    expect(job).toMatchObject({
      status: 'succeeded',
      total: 1001,
      done: 1001,
      result: { created: { services: 1001 } },
    });
  });

  it('a job that meets bad input fails with the report and imports nothing', async () => {
    const before = await snapshot();
    const body = manyServices(3);
    body[2]!.organization_id = crypto.randomUUID();
    const res = await importJson(networkAdmin, body, '?async=true');
    expect(res.statusCode).toBe(202);
    const { job } = await waitFor(networkAdmin, res.body.id);
    expect(job.status).toBe('failed');
    expect(job.errors).toEqual([
      { field: 'body:3:organization_id', code: 'organization-unknown', message: expect.any(String) },
    ]);
    expect(await snapshot()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('HSDS: one service at location, minimal, postcode, proximity, changes of what a service shows', () => {
  /** An organisation of its own (B has the jobs' services). */
  let orgC: { id: string; name: string };
  let coordinatorB: Caller;
  let siteLeuven: string;
  let siteHerent: string;
  /** Serves Leuven (a service area), at both sites; serves no area, at the Herent site. */
  let withArea: string;
  let withoutArea: string;
  const salsOf = async (query: string) => {
    const res = await anonymous().get(`/api/hsds/service_at_locations?per_page=500&${query}`);
    expectPage(res, '/service_at_locations');
    return res.body.contents as { id: string; service_id: string; location_id: string }[];
  };
  const pairs = (list: { service_id: string; location_id: string }[]) =>
    list.map((x) => `${x.service_id}|${x.location_id}`).sort();

  beforeAll(async () => {
    orgC = await makeOrganization(world, t.network.id, 'cgg');
    coordinatorB = await login(
      world,
      (await makeUser(world, { role: 'coordinator', networkId: t.network.id, organizationId: orgC.id })).email,
    );
    const adminB = await login(
      world,
      (await makeUser(world, { role: 'org-admin', networkId: t.network.id, organizationId: orgC.id })).email,
    );
    siteLeuven = (
      await adminB.post(`/api/organizations/${orgC.id}/sites`, {
        name: 'CGG Leuven',
        street: 'Tiensevest 20',
        postalCode: '3000',
        municipality: '24062',
      })
    ).body.id;
    siteHerent = (
      await adminB.post(`/api/organizations/${orgC.id}/sites`, {
        name: 'Antenne Herent',
        street: 'Wijgmaalsesteenweg 10',
        postalCode: '3020',
        municipality: '24038',
      })
    ).body.id;
    const create = async (body: Record<string, unknown>) => {
      const res = await coordinatorB.post('/api/offers', body);
      expect(res.statusCode, res.raw).toBe(201);
      return res.body.id as string;
    };
    withArea = await create(
      offerBody({ name: 'Kortdurende therapie', municipalities: ['24062'], siteIds: [siteLeuven, siteHerent] }),
    );
    withoutArea = await create(
      offerBody({ name: 'Hulplijn zonder gebied', municipalities: [], siteIds: [siteHerent] }),
    );
  });

  it('GET /service_at_locations/{id}: the one service at location, fully nested, for a site and for an imported one', async () => {
    const listed = await salsOf(`organization_id=${orgC.id}`);
    expect(pairs(listed)).toEqual(
      pairs([
        { service_id: withArea, location_id: siteLeuven },
        { service_id: withArea, location_id: siteHerent },
        { service_id: withoutArea, location_id: siteHerent },
      ]),
    );
    for (const item of listed) {
      const res = await anonymous().get(`/api/hsds/service_at_locations/${item.id}`);
      expect(res.statusCode, res.raw).toBe(200);
      // the HSDS OpenAPI declares compiled/service.json for this path (copied from /services/{id}), while it
      // describes a "fully nested service_at_location": the answer is one, valid against service_at_location.json
      expectValid(entitySchema('service_at_location'), res.body, '/service_at_locations/{id}');
      expect(res.body).toMatchObject({
        id: item.id,
        service_id: item.service_id,
        location_id: item.location_id,
        service: { id: item.service_id, organization: { id: orgC.id } },
      });
      expect(res.body.location.addresses[0]).toMatchObject({
        country: 'BE',
        postal_code: item.location_id === siteLeuven ? '3000' : '3020',
      });
    }
    // an imported service at location keeps its id
    const original = example('service_full.json').service_at_locations[0];
    const imported = await anonymous().get(`/api/hsds/service_at_locations/${original.id}`);
    expect(imported.statusCode, imported.raw).toBe(200);
    expectValid(entitySchema('service_at_location'), imported.body, 'imported service_at_location');
    expect(imported.body).toMatchObject({
      id: original.id,
      description: original.description,
      location: original.location,
    });
    expectProblem404(await anonymous().get(`/api/hsds/service_at_locations/${crypto.randomUUID()}`));
    expect((await anonymous().get('/api/hsds/service_at_locations/not-a-uuid')).statusCode).toBe(400);
  });

  it('a service at location that is no longer public is 404; a new one is found at once', async () => {
    const [herent] = (await salsOf(`organization_id=${orgC.id}`)).filter((x) => x.service_id === withoutArea);
    expect((await coordinatorB.patch(`/api/offers/${withoutArea}`, { isPublic: false })).statusCode).toBe(200);
    expectProblem404(await anonymous().get(`/api/hsds/service_at_locations/${herent!.id}`));
    expect(
      (await coordinatorB.patch(`/api/offers/${withoutArea}`, { isPublic: true, siteIds: [siteHerent, siteLeuven] }))
        .statusCode,
    ).toBe(200);
    expect((await anonymous().get(`/api/hsds/service_at_locations/${herent!.id}`)).statusCode).toBe(200);
    const added = (await salsOf(`organization_id=${orgC.id}`)).find(
      (x) => x.service_id === withoutArea && x.location_id === siteLeuven,
    )!;
    const res = await anonymous().get(`/api/hsds/service_at_locations/${added.id}`);
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({ service_id: withoutArea, location_id: siteLeuven });
    // back as it was for the tests below
    expect((await coordinatorB.patch(`/api/offers/${withoutArea}`, { siteIds: [siteHerent] })).statusCode).toBe(200);
    expectProblem404(await anonymous().get(`/api/hsds/service_at_locations/${added.id}`));
  });

  it('postcode: a service with a service area covers the postcodes of its municipalities; one without, the postcode of its location', async () => {
    // 3000 lies in Leuven (24062, after the known addresses): the service serving Leuven, at both its sites
    expect(pairs(await salsOf('postcode=3000'))).toEqual(
      pairs([
        { service_id: withArea, location_id: siteLeuven },
        { service_id: withArea, location_id: siteHerent },
      ]),
    );
    // 3020 is Herent, outside that area: only the service without an area, at its Herent address
    expect(pairs(await salsOf('postcode=3020'))).toEqual(pairs([{ service_id: withoutArea, location_id: siteHerent }]));
    // 9000 (Gent): the rouw offer serves Gent, at its two sites
    expect(pairs(await salsOf('postcode=9000'))).toEqual(
      pairs([
        { service_id: offerPublic, location_id: site1 },
        { service_id: offerPublic, location_id: site2 },
      ]),
    );
    // an imported location's address, spaces and case aside
    expect((await salsOf(`postcode=${encodeURIComponent(' abc 1234 ')}`)).map((x) => x.id)).toEqual([
      example('service_full.json').service_at_locations[0].id,
    ]);
    expect(await salsOf('postcode=9999')).toEqual([]);
    // with the other filters and full=true
    expect(pairs(await salsOf(`postcode=3000&search=therapie&full=true`))).toHaveLength(2);
    expect(await salsOf(`postcode=3000&organization_id=${t.orgA.id}`)).toEqual([]);
    expect((await anonymous().get('/api/hsds/service_at_locations?postcode=')).statusCode).toBe(400);
  });

  it('proximity is accepted (metres) and not applied: the same results as the postcode alone', async () => {
    expect(pairs(await salsOf('postcode=3020&proximity=500'))).toEqual(pairs(await salsOf('postcode=3020')));
    expect(pairs(await salsOf('proximity=1500.5'))).toEqual(pairs(await salsOf('')));
    const bad = await anonymous().get('/api/hsds/service_at_locations?proximity=5km');
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors[0].field).toBe('proximity');
    expect((await anonymous().get('/api/hsds/services?postcode=3000')).statusCode).toBe(400);
  });

  it('minimal=true: id, name, status and last_modified of every service, in one page by default', async () => {
    const all = await anonymous().get('/api/hsds/services?per_page=500');
    const res = await anonymous().get('/api/hsds/services?minimal=true');
    expectPage(res, '/services');
    expect(res.body).toMatchObject({
      total_items: all.body.total_items,
      size: all.body.total_items,
      total_pages: 1,
      last_page: true,
    });
    for (const item of res.body.contents)
      expect(Object.keys(item).sort()).toEqual(['id', 'last_modified', 'name', 'status']);
    const byId = new Map(
      all.body.contents.map((x: { id: string; last_modified: string; name: string; status: string }) => [x.id, x]),
    );
    for (const item of res.body.contents)
      expect(item).toEqual({
        id: item.id,
        ...(({ name, status, last_modified }: Record<string, string>) => ({ name, status, last_modified }))(
          byId.get(item.id) as Record<string, string>,
        ),
      });
    // it pages and filters like the full listing
    const paged = await anonymous().get(`/api/hsds/services?minimal=true&per_page=1&page=2&organization_id=${orgC.id}`);
    expectPage(paged, '/services');
    expect(paged.body).toMatchObject({ total_items: 2, size: 1, page_number: 2 });
    expect((await anonymous().get('/api/hsds/services?minimal=true&per_page=501')).statusCode).toBe(200);
    // the limits: 500 per page without minimal, 10000 with; minimal and full do not go together
    for (const query of ['per_page=501', 'minimal=true&per_page=10001', 'minimal=true&full=true', 'minimal=maybe']) {
      const bad = await anonymous().get(`/api/hsds/services?${query}`);
      expect(bad.statusCode, query).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
    }
    expect((await anonymous().get('/api/hsds/services?minimal=true&full=true')).body.errors[0]).toMatchObject({
      field: 'minimal',
      code: 'minimal-full',
      message: 'minimal en full gaan niet samen.',
    });
  });

  it('modified_after and last_modified count a change of the organisation and of its sites', async () => {
    const orgBServices = async (after: Date) => {
      const res = await anonymous().get(
        `/api/hsds/services?organization_id=${orgC.id}&modified_after=${encodeURIComponent(after.toISOString())}`,
      );
      expectPage(res, '/services');
      return res.body.contents as { id: string; last_modified: string }[];
    };
    await new Promise((resolve) => setTimeout(resolve, 5));
    const beforeRename = new Date();
    expect(await orgBServices(beforeRename)).toEqual([]);
    expect(
      (await networkAdmin.patch(`/api/organizations/${orgC.id}`, { name: `${orgC.name} (nieuw)` })).statusCode,
    ).toBe(200);
    const renamed = await orgBServices(beforeRename);
    expect(renamed.map((s) => s.id).sort()).toEqual([withArea, withoutArea].sort());
    for (const s of renamed) expect(Date.parse(s.last_modified)).toBeGreaterThanOrEqual(beforeRename.getTime());
    // the other organisation's services did not change
    expect(
      (
        await anonymous().get(`/api/hsds/services?modified_after=${encodeURIComponent(beforeRename.toISOString())}`)
      ).body.contents
        .map((s: { id: string }) => s.id)
        .sort(),
    ).toEqual([withArea, withoutArea].sort());

    await new Promise((resolve) => setTimeout(resolve, 5));
    const beforeMove = new Date();
    expect(await orgBServices(beforeMove)).toEqual([]);
    // a site's address changes (any writer: a trigger keeps sites.updated_at)
    await world.owner
      .updateTable('sites')
      .set({ street: 'Wijgmaalsesteenweg 12' })
      .where('id', '=', siteHerent)
      .execute();
    const moved = await orgBServices(beforeMove);
    expect(moved.map((s) => s.id).sort()).toEqual([withArea, withoutArea].sort());
    const one = await anonymous().get(`/api/hsds/services/${withoutArea}`);
    expect(Date.parse(one.body.last_modified)).toBeGreaterThanOrEqual(beforeMove.getTime());
    expect(one.body.service_at_locations[0].location.addresses[0].address_1).toBe('Wijgmaalsesteenweg 12');
    // the services at locations follow the same rule
    expect(pairs(await salsOf(`modified_after=${encodeURIComponent(beforeMove.toISOString())}`))).toEqual(
      pairs([
        { service_id: withArea, location_id: siteLeuven },
        { service_id: withArea, location_id: siteHerent },
        { service_id: withoutArea, location_id: siteHerent },
      ]),
    );
  });

  it('an import dry run lists at most 200 records of a kind, with how many more', async () => {
    const before = await snapshot();
    const body = Array.from({ length: 205 }, (_, i) => ({
      id: crypto.randomUUID(),
      name: `Proefaanbod ${i}`,
      status: 'active',
      organization_id: orgC.id,
    }));
    const res = await importJson(networkAdmin, body, '?dryRun=true');
    expect(res.statusCode, res.raw.slice(0, 500)).toBe(200);
    expect(res.body.created.services).toBe(205);
    expect(res.body.records.created.services.items).toHaveLength(200);
    expect(res.body.records.created.services.more).toBe(5);
    expect(res.body.records.created.services.items.slice(0, 2)).toEqual([
      { id: body[0]!.id, name: 'Proefaanbod 0' },
      { id: body[1]!.id, name: 'Proefaanbod 1' },
    ]);
    expect(res.body.records.changed.services).toEqual({ items: [], more: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('an import job left running by a stopped server is marked failed when looked at; a live one is not', async () => {
    const insert = async (heartbeatAgo: number) =>
      (
        await sql<{ id: string }>`
      insert into catalogue_imports (network_id, created_by, format, dry_run, status, total, created_at, heartbeat_at)
      values (${t.network.id}, ${t.users.networkAdmin.id}, 'json', false, 'running', 10, now() - interval '1 hour', now() - make_interval(secs => ${heartbeatAgo}))
      returning id`.execute(world.owner)
      ).rows[0]!.id;
    const dead = await insert(3600);
    const res = await networkAdmin.get(`/api/hsds/imports/${dead}`);
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({
      id: dead,
      status: 'failed',
      finishedAt: expect.any(String),
      errors: [{ field: '', code: 'import-interrupted', message: expect.stringMatching(/onderbroken/) }],
    });
    const row = (
      await sql<{
        status: string;
        finished_at: Date | null;
      }>`select status, finished_at from catalogue_imports where id = ${dead}`.execute(world.owner)
    ).rows[0]!;
    expect(row.status).toBe('failed');
    expect(row.finished_at).not.toBeNull();
    // looked at again: the same outcome (the message kept in the language of the first look, as a job's errors are)
    expect((await networkAdmin.get(`/api/hsds/imports/${dead}`)).body).toEqual(res.body);
    // another network still does not see it
    expect((await networkAdminX.get(`/api/hsds/imports/${dead}`)).statusCode).toBe(404);

    // a job with a recent heartbeat: on a PostgreSQL server another process may be running it, so it stays
    // running; PGlite is one process, and this one does not run it
    const live = await insert(1);
    const seen = await networkAdmin.get(`/api/hsds/imports/${live}`);
    expect(seen.body.status).toBe(world.db.kind === 'postgres' ? 'running' : 'failed');
  });
});

function expectProblem404(res: Res) {
  expect(res.statusCode, res.raw).toBe(404);
  expect(res.headers['content-type']).toContain('application/problem+json');
}
