/**
 * HSDS 3.0 import of a CSV datapackage (the official examples/csv) and of its tabular JSON form: dry run, real
 * import, re-import without change, export keeping the example's fields; bad files reported per file:row:field
 * with nothing imported; progress reported record by record.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { sql } from 'kysely';
import { Caller, createWorld, login, makeTenants, type Res, type World } from '../support/world.ts';
import { inTenant } from '../../src/server/core/db/tenant.ts';
import { sessionActor } from '../../src/server/core/auth/sessions.ts';
import { HSDS_DIR } from '../support/standards.ts';
import { readUpload } from '../../src/server/features/hsds/package.ts';
import { runImport } from '../../src/server/features/hsds/import.service.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let networkAdmin: Caller;
let networkAdminX: Caller;

const BASE = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/';
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(HSDS_DIR, file), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
for (const file of fs.readdirSync(path.join(HSDS_DIR, 'schema')).filter((f) => f.endsWith('.json')))
  ajv.addSchema({ ...readJson(`schema/${file}`), $id: `${BASE}${file}` });
for (const file of fs.readdirSync(path.join(HSDS_DIR, 'schema/compiled')))
  ajv.addSchema({ ...readJson(`schema/compiled/${file}`), $id: `${BASE}compiled/${file}` });
for (const name of ['service', 'organization']) {
  if (!fs.existsSync(path.join(HSDS_DIR, `schema/compiled/${name}.json`)))
    ajv.addSchema({ $id: `${BASE}compiled/${name}.json`, $ref: `${BASE}${name}.json` });
}
const responseSchema = (apiPath: string) =>
  ajv.compile({
    $ref: `${BASE}openapi.json#/paths/${apiPath.replace(/~/g, '~0').replace(/\//g, '~1')}/get/responses/200/content/application~1json/schema`,
  });
function expectValid(apiPath: string, body: unknown) {
  const validate = responseSchema(apiPath);
  expect(validate(body) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`), apiPath).toEqual([]);
}

/** The official CSV datapackage, every file as text (as a client would upload the folder). */
const csvFiles = (): Record<string, string> =>
  Object.fromEntries(
    fs
      .readdirSync(path.join(HSDS_DIR, 'examples/csv'))
      .map((f) => [f, fs.readFileSync(path.join(HSDS_DIR, 'examples/csv', f), 'utf8')]),
  );
/** The package as CSV: header + rows (values quoted only when needed). */
const csv = (header: string[], ...rows: (string | number)[][]) =>
  [header, ...rows]
    .map((r) => r.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(','))
    .join('\r\n');
const upload = (caller: Caller, files: Record<string, string>, query = '') =>
  caller.post(`/api/hsds/imports${query}`, { format: 'datapackage', files });
const fieldsOf = (res: Res) =>
  (res.body.errors ?? []).map((e: { field: string; code: string }) => `${e.field}|${e.code}`);
const totals = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const rows = async (table: 'offers' | 'organizations' | 'sites') =>
  Number(
    (
      await world.owner
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const snapshot = async () => ({
  offers: await rows('offers'),
  organizations: await rows('organizations'),
  sites: await rows('sites'),
  records: Number((await sql<{ n: string }>`select count(*) as n from hsds_records`.execute(world.owner)).rows[0]!.n),
});

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  networkAdmin = await login(world, t.users.networkAdmin.email);
  networkAdminX = await login(world, t.users.networkAdminX.email);
});
afterAll(() => world?.close());

const SERVICE = 'ac148810-d857-441c-9679-408f346de14b';

describe('the official CSV datapackage', () => {
  it('a dry run counts what would be created, warns about what cannot be linked, and writes nothing', async () => {
    const before = await snapshot();
    const res = await upload(networkAdmin, csvFiles(), '?dryRun=true');
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body).toMatchObject({
      dryRun: true,
      format: 'datapackage',
      created: {
        organizations: 1,
        services: 1,
        locations: 1,
        service_at_locations: 1,
        taxonomies: 1,
        taxonomy_terms: 1,
      },
    });
    // the example's dangling references (its datapackage.json is a symbolic link, the attribute links an unknown id…)
    const warnings = fieldsOf({ ...res, body: { errors: res.body.warnings } });
    expect(warnings).toEqual(
      expect.arrayContaining([
        'datapackage.json:0:|datapackage-ignored',
        'attributes.csv:2:link_id|reference-unknown',
        'meta_table_descriptions.csv:2:|not-imported',
      ]),
    );
    expect(res.body.warnings.every((w: { message: string }) => w.message.length > 0)).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it("imports for real, imports again without change, and exports valid with the example's fields", async () => {
    const res = await upload(networkAdmin, csvFiles());
    expect(res.statusCode, res.raw).toBe(200);
    expect(totals(res.body.created)).toBe(6);
    const again = await upload(networkAdmin, csvFiles());
    expect(totals(again.body.created) + totals(again.body.changed), JSON.stringify(again.body)).toBe(0);

    const exported = await new Caller(world.app).get(`/api/hsds/services/${SERVICE}`);
    expect(exported.statusCode, exported.raw).toBe(200);
    expectValid('/services/{id}', exported.body);
    const s = exported.body;
    const [service] = readJson('examples/tabular.json')['services.csv'] as Record<string, unknown>[];
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
      'program_id',
    ]) {
      expect(s[field], field).toEqual(service![field]);
    }
    expect(s.phones).toEqual([
      expect.objectContaining({
        id: '1554f2e2-a373-45db-a3fa-9fc48a61c15e',
        number: '"+44 1234 234567"',
        extension: 100,
        type: 'voice',
        languages: [expect.objectContaining({ code: 'ur' })],
      }),
    ]);
    expect(s.cost_options).toEqual([expect.objectContaining({ amount: 35, currency: 'gbp' })]);
    expect(s.program).toMatchObject({
      id: 'e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42',
      alternate_name: 'MyCity Mental Health Group',
    });
    expect(s.service_at_locations[0].location.addresses[0]).toMatchObject({ postal_code: 'ABC 1234', country: 'US' });
    expect(s.service_at_locations[0].location.accessibility[0].details).toMatch(/T-coil/);
    expect(s.organization).toMatchObject({
      alternate_name: 'Example Org',
      tax_id: 'tax_id',
      organization_identifiers: [expect.objectContaining({ identifier: '1234567' })],
    });
    const offer = await world.owner
      .selectFrom('offers')
      .select(['cost', 'min_age', 'max_age', 'languages', 'opening_hours'])
      .where('id', '=', SERVICE)
      .executeTakeFirstOrThrow();
    expect(offer).toEqual({
      cost: 'fee',
      min_age: 12,
      max_age: 100,
      languages: ['ur'],
      opening_hours: expect.stringMatching(/^The service is available/),
    });
  });

  it('the tabular JSON form (examples/tabular.json) is the same data: nothing changes', async () => {
    const res = await networkAdmin.post('/api/hsds/imports', readJson('examples/tabular.json'));
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.format).toBe('json');
    expect(totals(res.body.created) + totals(res.body.changed), JSON.stringify(res.body)).toBe(0);
  });

  it('another network cannot take the ids', async () => {
    const res = await upload(networkAdminX, csvFiles());
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(
      expect.arrayContaining(['organizations.csv:2:id|id-taken', 'services.csv:2:id|id-taken']),
    );
  });
});

describe('a Belgian datapackage', () => {
  const org = crypto.randomUUID();
  const svc = crypto.randomUUID();
  const loc = crypto.randomUUID();
  const [address, sal, area1, area2] = [
    crypto.randomUUID(),
    crypto.randomUUID(),
    crypto.randomUUID(),
    crypto.randomUUID(),
  ];
  const files = () => ({
    'organizations.csv': csv(['id', 'name', 'description'], [org, 'CAW Testregio', 'Centrum Algemeen Welzijnswerk']),
    'services.csv': csv(
      ['id', 'organization_id', 'name', 'description', 'status', 'minimum_age'],
      [svc, org, 'Praatgroep rouw', 'Lotgenoten, "samen" verder', 'active', 18],
    ),
    'locations.csv': csv(['id', 'organization_id', 'location_type', 'name'], [loc, org, 'physical', 'Zetel Leuven']),
    'addresses.csv': csv(
      ['id', 'location_id', 'address_1', 'city', 'state_province', 'postal_code', 'country', 'address_type'],
      [address, loc, 'Bondgenotenlaan 1', 'Leuven', 'Vlaams-Brabant', '3000', 'BE', 'physical'],
    ),
    'service_at_location.csv': csv(['id', 'service_id', 'location_id'], [sal, svc, loc]),
    'service_areas.csv': csv(
      ['id', 'service_id', 'name', 'uri'],
      [area1, svc, 'Leuven', 'urn:statbel:nis:24062'],
      [area2, svc, 'Brussel', 'urn:statbel:nis:21004'],
    ),
  });

  it('makes an organisation (its kind from its name), a site and an offer of it, with its municipalities', async () => {
    const res = await upload(networkAdmin, files());
    expect(res.statusCode, res.raw).toBe(200);
    expect(
      await world.owner
        .selectFrom('organizations')
        .select(['name', 'kind', 'network_id'])
        .where('id', '=', org)
        .executeTakeFirstOrThrow(),
    ).toEqual({ name: 'CAW Testregio', kind: 'caw', network_id: t.network.id });
    expect(
      await world.owner
        .selectFrom('sites')
        .select(['organization_id', 'name', 'street', 'postal_code', 'nis_code'])
        .where('id', '=', loc)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      organization_id: org,
      name: 'Zetel Leuven',
      street: 'Bondgenotenlaan 1',
      postal_code: '3000',
      nis_code: '24062',
    });
    expect(
      await world.owner
        .selectFrom('offers')
        .select(['organization_id', 'description', 'municipalities', 'site_ids', 'min_age'])
        .where('id', '=', svc)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      organization_id: org,
      description: 'Lotgenoten, "samen" verder',
      municipalities: ['21004', '24062'],
      site_ids: [loc],
      min_age: 18,
    });
    const exported = (await new Caller(world.app).get(`/api/hsds/services/${svc}`)).body;
    expectValid('/services/{id}', exported);
    expect(exported.service_areas.map((a: { uri: string }) => a.uri).sort()).toEqual([
      'urn:statbel:nis:21004',
      'urn:statbel:nis:24062',
    ]);
    expect(exported.service_at_locations[0].location.addresses[0]).toMatchObject({
      city: 'Leuven',
      postal_code: '3000',
      country: 'BE',
    });
    const again = await upload(networkAdmin, files());
    expect(totals(again.body.changed), JSON.stringify(again.body)).toBe(0);
  });

  it('bad files: a row referencing a missing organisation, a bad NIS code, a Belgian address in no municipality, broken CSV — 400, nothing imported', async () => {
    const before = await snapshot();
    const f = files();
    const res = await upload(networkAdmin, {
      ...f,
      'services.csv': csv(
        ['id', 'organization_id', 'name', 'status'],
        [crypto.randomUUID(), crypto.randomUUID(), 'Wees', 'active'],
        [crypto.randomUUID(), org, 'Zonder status', ''],
      ),
      'service_areas.csv': csv(
        ['id', 'service_id', 'uri'],
        [crypto.randomUUID(), svc, 'urn:statbel:nis:99999'],
        [crypto.randomUUID(), svc, 'urn:statbel:nis:4402'],
      ),
      'addresses.csv': csv(
        ['id', 'location_id', 'address_1', 'city', 'state_province', 'postal_code', 'country', 'address_type'],
        [crypto.randomUUID(), loc, 'Dorpsstraat 1', 'Atlantis', '-', '99999', 'BE', 'physical'],
      ),
    });
    expect(res.statusCode).toBe(400);
    // schema errors come first: the service without status
    expect(fieldsOf(res)).toEqual(['services.csv:3:status|required']);
    const rules = await upload(networkAdmin, {
      ...f,
      'services.csv': csv(
        ['id', 'organization_id', 'name', 'status'],
        [svc, org, 'Praatgroep rouw', 'active'],
        [crypto.randomUUID(), crypto.randomUUID(), 'Wees', 'active'],
        [crypto.randomUUID(), org, ' ', 'active'],
      ),
      'service_areas.csv': csv(
        ['id', 'service_id', 'uri'],
        [crypto.randomUUID(), svc, 'urn:statbel:nis:99999'],
        [crypto.randomUUID(), svc, 'urn:statbel:nis:4402'],
      ),
      'addresses.csv': csv(
        ['id', 'location_id', 'address_1', 'city', 'state_province', 'postal_code', 'country', 'address_type'],
        [crypto.randomUUID(), loc, 'Dorpsstraat 1', 'Atlantis', '-', '99999', 'BE', 'physical'],
      ),
      'cost_options.csv': csv(['id', 'service_id', 'amount'], [crypto.randomUUID(), crypto.randomUUID(), 5]),
    });
    expect(rules.statusCode).toBe(400);
    // every problem at once: references between files, our rules (organisation, name, NIS codes, Belgian address)
    expect(fieldsOf(rules).sort()).toEqual([
      'addresses.csv:2:city|municipality-unknown',
      'addresses.csv:2:postal_code|postal-code-format',
      'cost_options.csv:2:service_id|reference-unknown',
      'service_areas.csv:2:uri|municipality-unknown',
      'service_areas.csv:3:uri|nis-format',
      'services.csv:3:organization_id|organization-unknown',
      'services.csv:4:name|name-blank',
    ]);
    const broken = await upload(networkAdmin, { ...f, 'services.csv': 'id,name,status\r\n"unterminated,x,active\r\n' });
    expect(broken.statusCode).toBe(400);
    expect(fieldsOf(broken)).toEqual(['services.csv:2:|csv-malformed']);
    expect(broken.body.errors[0].message).toMatch(/not closed/);
    const ragged = await upload(networkAdmin, {
      ...f,
      'services.csv': `id,organization_id,name,status\r\n${svc},${org},Te veel,active,extra\r\n`,
    });
    expect(fieldsOf(ragged)).toEqual(['services.csv:2:|csv-malformed']);
    const duplicate = await upload(networkAdmin, {
      ...f,
      'organizations.csv': csv(['id', 'name', 'description'], [org, 'A', 'a'], [org, 'B', 'b']),
    });
    expect(fieldsOf(duplicate)).toEqual(['organizations.csv:3:id|duplicate-id']);
    const badDescriptor = await upload(networkAdmin, { ...f, 'datapackage.json': '{ "resources": [' });
    expect(fieldsOf(badDescriptor)).toEqual(['datapackage.json:0:|json-malformed']);
    const badNumber = await upload(networkAdmin, {
      ...f,
      'services.csv': csv(
        ['id', 'organization_id', 'name', 'status', 'minimum_age'],
        [svc, org, 'X', 'active', 'achttien'],
      ),
    });
    expect(fieldsOf(badNumber)).toEqual(['services.csv:2:minimum_age|type']);
    expect(await snapshot()).toEqual(before);
  });

  it('reports progress as it writes (in slices of 200 records), inside one transaction', async () => {
    const pkg = readUpload({ format: 'datapackage', files: files() }, undefined, 'nl');
    const actor = await sessionActor(world.db.app, world.config, networkAdmin.cookie!);
    const seen: [number, number][] = [];
    await inTenant(world.db.app, actor!, { ip: '127.0.0.1', userAgent: null, requestId: 'progress-test' }, (tx) =>
      runImport(tx, pkg, {
        dryRun: true,
        lang: 'nl',
        importId: null,
        onProgress: (done, total) => seen.push([done, total]),
      }).then(() => Promise.reject(new Error('rollback'))),
    ).catch((e: Error) => expect(e.message).toBe('rollback'));
    expect(seen).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    // many records are written in slices of multi-row statements, progress after each
    const many = readUpload(
      Array.from({ length: 450 }, (_, i) => ({
        id: crypto.randomUUID(),
        name: `Aanbod ${i}`,
        status: 'active',
        organization_id: org,
      })),
      undefined,
      'nl',
    );
    const slices: number[] = [];
    await inTenant(world.db.app, actor!, { ip: '127.0.0.1', userAgent: null, requestId: 'progress-test-2' }, (tx) =>
      runImport(tx, many, { dryRun: true, lang: 'nl', importId: null, onProgress: (done) => slices.push(done) }).then(
        () => Promise.reject(new Error('rollback')),
      ),
    ).catch((e: Error) => expect(e.message).toBe('rollback'));
    expect(slices).toEqual([200, 400, 450]);
    expect(await world.owner.selectFrom('offers').select('id').where('name', '=', 'Aanbod 1').execute()).toEqual([]);
  });

  it('a term of another taxonomy whose code is one of our theme ids sets that theme', async () => {
    const id = crypto.randomUUID();
    const term = crypto.randomUUID();
    const res = await upload(networkAdmin, {
      'services.csv': csv(['id', 'organization_id', 'name', 'status'], [id, org, 'Schuldhulp', 'active']),
      'taxonomy_terms.csv': csv(
        ['id', 'code', 'name', 'description', 'taxonomy'],
        [term, 'financial-problems', 'Geldzorgen', 'Schulden', 'open-eligibility'],
      ),
      'attributes.csv': csv(
        ['id', 'link_id', 'taxonomy_term_id', 'link_entity'],
        [crypto.randomUUID(), id, term, 'service'],
      ),
    });
    expect(res.statusCode, res.raw).toBe(200);
    expect(
      await world.owner.selectFrom('offers').select('themes').where('id', '=', id).executeTakeFirstOrThrow(),
    ).toEqual({ themes: ['financial-problems'] });
  });
});
