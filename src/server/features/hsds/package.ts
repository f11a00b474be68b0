import type { FieldError } from '../../core/http/errors.ts';
import type { Lang } from '../../core/http/messages.ts';
import { parseCsv } from './csv.ts';
import { entityOfFile, schemaInfo, validateEntity, type EntitySchema } from './validator.ts';

/**
 * Reads an HSDS 3.0 upload into one shape whatever it came as: the top-level entities (organizations,
 * services, locations, services at locations, taxonomies, terms), each with its nested HSDS data and where it
 * came from (file, row, path), after validating every object against the official schema.
 */
export const TOP_ENTITIES = [
  'organization',
  'service',
  'location',
  'service_at_location',
  'taxonomy',
  'taxonomy_term',
] as const;
export type TopEntity = (typeof TOP_ENTITIES)[number];
export const PLURAL = {
  organization: 'organizations',
  service: 'services',
  location: 'locations',
  service_at_location: 'service_at_locations',
  taxonomy: 'taxonomies',
  taxonomy_term: 'taxonomy_terms',
} as const satisfies Record<TopEntity, string>;
export type Plural = (typeof PLURAL)[TopEntity];

export type Json = Record<string, unknown>;
export interface Origin {
  file: string;
  row: number;
  path: string;
}
export interface Links {
  organization_id?: string;
  service_id?: string;
  location_id?: string;
}
export interface HsdsRecord {
  entity: TopEntity;
  id: string;
  data: Json;
  origin: Origin;
  links: Links;
}

export interface Package {
  format: 'json' | 'datapackage';
  records: Record<TopEntity, Map<string, HsdsRecord>>;
  /** problems found while reading that do not stop the checks of our rules (they are reported with them) */
  errors: FieldError[];
  warnings: FieldError[];
  /** where a nested object of a datapackage came from (its own file and row) */
  rowOrigin: WeakMap<object, { file: string; row: number }>;
}

export class ImportInvalid extends Error {
  constructor(readonly errors: FieldError[]) {
    super('import-invalid');
  }
}

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const ref = (file: string, row: number, field: string) => `${file}:${row}:${field}`;
const MAX_ERRORS = 500;

class Collector {
  readonly errors: FieldError[] = [];
  readonly warnings: FieldError[] = [];
  error(field: string, code: string, message?: string) {
    if (this.errors.length < MAX_ERRORS) this.errors.push({ field, code, ...(message ? { message } : {}) });
  }
  warn(field: string, code: string, message?: string) {
    if (this.warnings.length < MAX_ERRORS) this.warnings.push({ field, code, ...(message ? { message } : {}) });
  }
}

function emptyRecords(): Record<TopEntity, Map<string, HsdsRecord>> {
  return {
    organization: new Map(),
    service: new Map(),
    location: new Map(),
    service_at_location: new Map(),
    taxonomy: new Map(),
    taxonomy_term: new Map(),
  };
}

/** Adds a record; the same entity met twice (nested in several places) is merged, first values win. */
function addRecord(
  records: Record<TopEntity, Map<string, HsdsRecord>>,
  entity: TopEntity,
  data: Json,
  origin: Origin,
  links: Links = {},
) {
  if (typeof data.id !== 'string') return;
  const id = data.id.toLowerCase();
  const existing = records[entity].get(id);
  if (!existing) {
    records[entity].set(id, { entity, id, data: { ...data, id }, origin, links: { ...links } });
    return;
  }
  for (const [key, value] of Object.entries(data)) if (!(key in existing.data)) existing.data[key] = value;
  for (const [key, value] of Object.entries(links) as [keyof Links, string | undefined][])
    if (value && !existing.links[key]) existing.links[key] = value;
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : undefined);
const without = (data: Json, ...keys: string[]) =>
  Object.fromEntries(Object.entries(data).filter(([k]) => !keys.includes(k)));

/** Taxonomy terms and taxonomies met inside attributes anywhere in a record become records of their own. */
function collectTerms(
  records: Record<TopEntity, Map<string, HsdsRecord>>,
  value: unknown,
  origin: Origin,
  path: string,
) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => collectTerms(records, v, origin, `${path}.${i}`));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'taxonomy_term' && isObject(child)) addTerm(records, child, { ...origin, path: join(path, key) });
    else collectTerms(records, child, origin, join(path, key));
  }
}

function addTerm(records: Record<TopEntity, Map<string, HsdsRecord>>, term: Json, origin: Origin) {
  addRecord(records, 'taxonomy_term', term, origin);
  if (isObject(term.taxonomy_detail))
    addRecord(records, 'taxonomy', term.taxonomy_detail, { ...origin, path: join(origin.path, 'taxonomy_detail') });
}

const join = (...parts: string[]) => parts.filter((p) => p !== '').join('.');

/** Breaks nested HSDS JSON into top-level records, keeping the nesting as links. */
function flatten(
  records: Record<TopEntity, Map<string, HsdsRecord>>,
  entity: TopEntity,
  data: Json,
  origin: Origin,
  links: Links = {},
) {
  switch (entity) {
    case 'service': {
      const organizationId =
        lower(data.organization_id) ??
        lower(isObject(data.organization) ? data.organization.id : undefined) ??
        links.organization_id;
      addRecord(
        records,
        'service',
        without(data, 'organization', 'service_at_locations'),
        origin,
        organizationId ? { organization_id: organizationId } : {},
      );
      if (isObject(data.organization))
        flatten(records, 'organization', data.organization, { ...origin, path: join(origin.path, 'organization') });
      if (Array.isArray(data.service_at_locations)) {
        data.service_at_locations.forEach(
          (sal, i) =>
            isObject(sal) &&
            flatten(
              records,
              'service_at_location',
              sal,
              { ...origin, path: join(origin.path, `service_at_locations.${i}`) },
              {
                service_id: String(data.id).toLowerCase(),
                ...(organizationId ? { organization_id: organizationId } : {}),
              },
            ),
        );
      }
      break;
    }
    case 'organization': {
      addRecord(records, 'organization', without(data, 'services', 'locations'), origin);
      const organizationId = String(data.id).toLowerCase();
      if (Array.isArray(data.locations))
        data.locations.forEach(
          (l, i) =>
            isObject(l) &&
            flatten(
              records,
              'location',
              l,
              { ...origin, path: join(origin.path, `locations.${i}`) },
              { organization_id: organizationId },
            ),
        );
      if (Array.isArray(data.services))
        data.services.forEach(
          (s, i) =>
            isObject(s) &&
            flatten(
              records,
              'service',
              s,
              { ...origin, path: join(origin.path, `services.${i}`) },
              { organization_id: organizationId },
            ),
        );
      break;
    }
    case 'location': {
      const organizationId = lower(data.organization_id) ?? links.organization_id;
      addRecord(records, 'location', data, origin, organizationId ? { organization_id: organizationId } : {});
      break;
    }
    case 'service_at_location': {
      const serviceId =
        lower(data.service_id) ?? lower(isObject(data.service) ? data.service.id : undefined) ?? links.service_id;
      const locationId = lower(data.location_id) ?? lower(isObject(data.location) ? data.location.id : undefined);
      addRecord(records, 'service_at_location', without(data, 'location', 'service'), origin, {
        ...(serviceId ? { service_id: serviceId } : {}),
        ...(locationId ? { location_id: locationId } : {}),
      });
      if (isObject(data.service))
        flatten(records, 'service', data.service, { ...origin, path: join(origin.path, 'service') });
      // a location offered by a service's organisation belongs to it unless it says otherwise
      if (isObject(data.location))
        flatten(
          records,
          'location',
          data.location,
          { ...origin, path: join(origin.path, 'location') },
          links.organization_id ? { organization_id: links.organization_id } : {},
        );
      break;
    }
    case 'taxonomy':
      addRecord(records, 'taxonomy', data, origin);
      break;
    case 'taxonomy_term':
      addTerm(records, data, origin);
      break;
  }
  collectTerms(records, data, origin, '');
}

/** Which top-level entity an HSDS JSON object is (the API's list endpoints do not say). */
export function detectEntity(item: Json): TopEntity {
  if ('status' in item) return 'service';
  if ('location_type' in item) return 'location';
  if (['service_id', 'location_id', 'location', 'service'].some((k) => k in item)) return 'service_at_location';
  if (
    ['taxonomy', 'taxonomy_id', 'taxonomy_detail', 'code', 'term_uri', 'parent_id', 'language'].some((k) => k in item)
  )
    return 'taxonomy_term';
  if (
    'version' in item &&
    Object.keys(item).every((k) => ['id', 'name', 'description', 'uri', 'version', 'metadata'].includes(k))
  )
    return 'taxonomy';
  return 'organization';
}

const ENTITY_PARAM: Partial<Record<string, TopEntity>> = Object.fromEntries(TOP_ENTITIES.map((e) => [PLURAL[e], e]));
export const ENTITY_PARAMS = TOP_ENTITIES.map((e) => PLURAL[e]);

function checkIds(c: Collector, value: unknown, at: (path: string) => string, path = '') {
  if (Array.isArray(value)) return value.forEach((v, i) => checkIds(c, v, at, join(path, String(i))));
  if (!isObject(value)) return;
  // the schema's uuid format also admits 'urn:uuid:…'; ids here become PostgreSQL uuids
  if (typeof value.id === 'string' && /^urn:uuid:/i.test(value.id))
    c.error(at(join(path, 'id')), 'format', 'must be a plain UUID (8-4-4-4-12 hexadecimal digits)');
  for (const [key, child] of Object.entries(value))
    if (typeof child === 'object') checkIds(c, child, at, join(path, key));
}

/** HSDS JSON: one object, an array, or a page of the API ({ contents: [...] }). */
function readJson(body: unknown, entityParam: string | undefined, lang: Lang): Package {
  const c = new Collector();
  const records = emptyRecords();
  let items: unknown[];
  if (Array.isArray(body)) items = body;
  else if (isObject(body) && Array.isArray(body.contents)) items = body.contents;
  else if (isObject(body) && typeof body.id === 'string') items = [body];
  else throw new ImportInvalid([{ field: ref('body', 0, ''), code: 'hsds-shape' }]);
  const forced = entityParam ? ENTITY_PARAM[entityParam] : undefined;
  items.forEach((item, index) => {
    const row = index + 1;
    if (!isObject(item)) return c.error(ref('body', row, ''), 'hsds-shape');
    const entity = forced ?? detectEntity(item);
    for (const e of validateEntity(entity, item, lang)) c.error(ref('body', row, e.path), e.code, e.message);
    checkIds(c, item, (path) => ref('body', row, path));
    if (c.errors.length) return;
    flatten(records, entity, item, { file: 'body', row, path: '' });
  });
  if (c.errors.length) throw new ImportInvalid(c.errors);
  return { format: 'json', records, errors: [], warnings: c.warnings, rowOrigin: new WeakMap() };
}

/** How child files nest into their parents: [foreign key, parent entity, the parent's field]. */
const NESTING: Partial<Record<EntitySchema, [string, EntitySchema, string][]>> = {
  language: [
    ['phone_id', 'phone', 'languages'],
    ['service_id', 'service', 'languages'],
    ['location_id', 'location', 'languages'],
  ],
  phone: [
    ['service_id', 'service', 'phones'],
    ['organization_id', 'organization', 'phones'],
    ['location_id', 'location', 'phones'],
    ['contact_id', 'contact', 'phones'],
    ['service_at_location_id', 'service_at_location', 'phones'],
  ],
  contact: [
    ['service_id', 'service', 'contacts'],
    ['organization_id', 'organization', 'contacts'],
    ['location_id', 'location', 'contacts'],
    ['service_at_location_id', 'service_at_location', 'contacts'],
  ],
  schedule: [
    ['service_id', 'service', 'schedules'],
    ['location_id', 'location', 'schedules'],
    ['service_at_location_id', 'service_at_location', 'schedules'],
  ],
  service_area: [['service_id', 'service', 'service_areas']],
  cost_option: [['service_id', 'service', 'cost_options']],
  funding: [
    ['organization_id', 'organization', 'funding'],
    ['service_id', 'service', 'funding'],
  ],
  required_document: [['service_id', 'service', 'required_documents']],
  accessibility: [['location_id', 'location', 'accessibility']],
  address: [['location_id', 'location', 'addresses']],
  program: [['organization_id', 'organization', 'programs']],
  organization_identifier: [['organization_id', 'organization', 'organization_identifiers']],
};
/** References a child row must resolve inside the package (the schema's tabular_required ones). */
const MUST_RESOLVE = new Set([
  'cost_option.service_id',
  'program.organization_id',
  'organization_identifier.organization_id',
]);
const TOP_OF: Partial<Record<EntitySchema, TopEntity>> = {
  organization: 'organization',
  service: 'service',
  location: 'location',
  service_at_location: 'service_at_location',
  taxonomy: 'taxonomy',
  taxonomy_term: 'taxonomy_term',
};
/** Children first, so that a parent's nested arrays are complete when it is nested in turn. */
const NESTING_ORDER: EntitySchema[] = [
  'language',
  'phone',
  'contact',
  'schedule',
  'service_area',
  'cost_option',
  'funding',
  'required_document',
  'accessibility',
  'address',
  'program',
  'organization_identifier',
];

interface Row {
  entity: EntitySchema;
  file: string;
  row: number;
  data: Json;
}

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A CSV cell as the JSON value the schema expects; what does not convert stays text, so the schema reports it. */
function cellValue(cell: string, type: string | undefined): unknown {
  if (type === 'number' || type === 'integer') return NUMBER.test(cell.trim()) ? Number(cell.trim()) : cell;
  if (type === 'boolean') return cell === 'true' ? true : cell === 'false' ? false : cell;
  return cell;
}

/** Which file holds which entity: datapackage.json's resources when it lists them, else the HSDS file names. */
function resourceMap(descriptor: unknown, c: Collector): Map<string, EntitySchema> {
  const map = new Map<string, EntitySchema>();
  if (!isObject(descriptor) || !Array.isArray(descriptor.resources)) return map;
  descriptor.resources.forEach((resource, i) => {
    if (!isObject(resource) || typeof resource.path !== 'string')
      return c.error(ref('datapackage.json', 0, `resources.${i}.path`), 'required');
    const byName = typeof resource.name === 'string' ? (resource.name as EntitySchema) : undefined;
    const entity = byName && schemaInfo(byName) ? byName : entityOfFile(resource.path);
    if (entity) map.set(resource.path, entity);
  });
  return map;
}

export function readDatapackage(
  files: Record<string, unknown>,
  lang: Lang,
  format: 'datapackage' | 'tabular-json' = 'datapackage',
): Package {
  const c = new Collector();
  let resources = new Map<string, EntitySchema>();
  const descriptor = files['datapackage.json'];
  if (descriptor !== undefined) {
    let parsed: unknown = descriptor;
    if (typeof descriptor === 'string') {
      const text = descriptor.trim();
      if (/^[\w./-]+\.json$/.test(text)) {
        // a symbolic link stored as text (as in the official examples): the file names say enough
        c.warn(ref('datapackage.json', 0, ''), 'datapackage-ignored');
        parsed = undefined;
      } else {
        try {
          parsed = JSON.parse(text);
        } catch {
          c.error(ref('datapackage.json', 0, ''), 'json-malformed');
        }
      }
    }
    if (parsed !== undefined) resources = resourceMap(parsed, c);
  }

  const rows: Row[] = [];
  for (const [file, content] of Object.entries(files)) {
    if (file === 'datapackage.json') continue;
    const entity = resources.get(file) ?? entityOfFile(file);
    if (!entity) {
      c.warn(ref(file, 0, ''), 'file-unknown');
      continue;
    }
    const info = schemaInfo(entity);
    if (Array.isArray(content)) {
      // tabular JSON (examples/tabular.json): rows are objects already; like CSV cells, a scalar takes the
      // schema's type (the official example gives an identifier as a number where the schema says text)
      content.forEach((item, i) => {
        if (!isObject(item)) return c.error(ref(file, i + 1, ''), 'hsds-shape');
        const data: Json = {};
        for (const [column, value] of Object.entries(item)) {
          if (value === null || value === '') continue;
          const type = info.properties[column]?.type;
          data[column] =
            (typeof value === 'number' || typeof value === 'boolean') && type === 'string'
              ? String(value)
              : typeof value === 'string'
                ? cellValue(value, type)
                : value;
        }
        rows.push({ entity, file, row: i + 1, data });
      });
      continue;
    }
    if (typeof content !== 'string') {
      c.error(ref(file, 0, ''), 'hsds-shape');
      continue;
    }
    const { table, problems } = parseCsv(content);
    for (const p of problems) c.error(ref(file, p.row, ''), 'csv-malformed', p.message);
    // a file that cannot be read reliably is not checked further (its rows would only add noise)
    if (!table || problems.length) continue;
    for (const r of table.rows) {
      const data: Json = {};
      table.header.forEach((column, i) => {
        const cell = r.cells[i];
        if (cell === undefined || cell === '' || column === '') return;
        data[column] = cellValue(cell, info.properties[column]?.type);
      });
      rows.push({ entity, file, row: r.row, data });
    }
  }

  // every row against its schema, plus the columns the schema requires in tabular form
  const seen = new Map<string, Row>();
  for (const r of rows) {
    for (const e of validateEntity(r.entity, r.data, lang)) c.error(ref(r.file, r.row, e.path), e.code, e.message);
    for (const column of schemaInfo(r.entity).tabularRequired)
      if (r.data[column] === undefined) c.error(ref(r.file, r.row, column), 'required');
    checkIds(c, r.data, (path) => ref(r.file, r.row, path));
    if (typeof r.data.id === 'string') {
      const key = `${r.entity}|${r.data.id.toLowerCase()}`;
      const first = seen.get(key);
      if (first) c.error(ref(r.file, r.row, 'id'), 'duplicate-id', `${first.file}:${first.row}`);
      else seen.set(key, r);
    }
  }
  if (c.errors.length) throw new ImportInvalid(c.errors);

  // nest child rows into their parents
  const rowOrigin = new WeakMap<object, { file: string; row: number }>();
  const byEntity = new Map<EntitySchema, Map<string, Row>>();
  const anyById = new Map<string, Row>();
  for (const r of rows) {
    const id = String(r.data.id).toLowerCase();
    r.data.id = id;
    rowOrigin.set(r.data, { file: r.file, row: r.row });
    if (!byEntity.has(r.entity)) byEntity.set(r.entity, new Map());
    byEntity.get(r.entity)!.set(id, r);
    if (!anyById.has(id)) anyById.set(id, r);
  }
  const push = (parent: Json, field: string, child: Json) => {
    const list = (parent[field] as Json[] | undefined) ?? [];
    if (!list.includes(child)) list.push(child);
    parent[field] = list;
  };
  for (const entity of NESTING_ORDER) {
    for (const r of byEntity.get(entity)?.values() ?? []) {
      for (const [fk, parentEntity, field] of NESTING[entity] ?? []) {
        const target = lower(r.data[fk]);
        if (!target) continue;
        const parent = byEntity.get(parentEntity)?.get(target);
        if (parent) push(parent.data, field, r.data);
        else if (MUST_RESOLVE.has(`${entity}.${fk}`)) c.error(ref(r.file, r.row, fk), 'reference-unknown');
        else c.warn(ref(r.file, r.row, fk), 'reference-unknown');
      }
    }
  }
  // a service's programme is one object
  for (const r of byEntity.get('service')?.values() ?? []) {
    const programId = lower(r.data.program_id);
    if (!programId) continue;
    const program = byEntity.get('program')?.get(programId);
    if (program) r.data.program = program.data;
    else c.warn(ref(r.file, r.row, 'program_id'), 'reference-unknown');
  }
  // attributes and metadata may link to anything
  for (const [entity, fk, field] of [
    ['attribute', 'link_id', 'attributes'],
    ['metadata', 'resource_id', 'metadata'],
  ] as const) {
    for (const r of byEntity.get(entity)?.values() ?? []) {
      const target = anyById.get(lower(r.data[fk]) ?? '');
      if (target && target !== r) push(target.data, field, r.data);
      else c.warn(ref(r.file, r.row, fk), 'reference-unknown');
    }
  }
  for (const r of byEntity.get('meta_table_description')?.values() ?? [])
    c.warn(ref(r.file, r.row, ''), 'not-imported');

  const records = emptyRecords();
  for (const [entity, top] of Object.entries(TOP_OF) as [EntitySchema, TopEntity][]) {
    for (const r of byEntity.get(entity)?.values() ?? []) {
      const links: Links = {};
      if (entity === 'service' || entity === 'location') {
        const o = lower(r.data.organization_id);
        if (o) links.organization_id = o;
      }
      if (entity === 'service_at_location') {
        const s = lower(r.data.service_id);
        const l = lower(r.data.location_id);
        if (s) links.service_id = s;
        if (l) links.location_id = l;
      }
      records[top].set(String(r.data.id), {
        entity: top,
        id: String(r.data.id),
        data: r.data,
        origin: { file: r.file, row: r.row, path: '' },
        links,
      });
    }
  }
  // terms nested in attributes (a CSV has them in taxonomy_terms.csv already)
  for (const map of [records.service, records.organization, records.location, records.service_at_location]) {
    for (const rec of map.values()) collectTerms(records, rec.data, rec.origin, '');
  }
  return {
    format: format === 'tabular-json' ? 'json' : 'datapackage',
    records,
    errors: c.errors,
    warnings: c.warnings,
    rowOrigin,
  };
}

/**
 * The request body: HSDS JSON (an object, an array, or an API page), the tabular JSON of a datapackage
 * ({ "services.csv": [ {...} ] }), or a CSV datapackage ({ "format": "datapackage", "files": { "services.csv": "…" } }).
 */
export function readUpload(body: unknown, entityParam: string | undefined, lang: Lang): Package {
  if (isObject(body) && body.format === 'datapackage') {
    if (!isObject(body.files) || !Object.keys(body.files).length)
      throw new ImportInvalid([{ field: ref('body', 0, 'files'), code: 'required' }]);
    return readDatapackage(body.files, lang);
  }
  if (
    isObject(body) &&
    Object.keys(body).length &&
    Object.keys(body).every((k) => k.endsWith('.csv') || k === 'datapackage.json')
  ) {
    return readDatapackage(body, lang, 'tabular-json');
  }
  return readJson(body, entityParam, lang);
}

/** Where a field of a record (or of an object nested in it) is reported: file:row:path. */
export function fieldRef(
  pkg: Package,
  rec: HsdsRecord,
  nested: { obj?: unknown; path: string } | undefined,
  field: string,
): string {
  const obj = nested?.obj;
  if (obj && typeof obj === 'object') {
    const origin = pkg.rowOrigin.get(obj);
    if (origin) return ref(origin.file, origin.row, field);
  }
  const origin = pkg.rowOrigin.get(rec.data);
  if (origin && !nested) return ref(origin.file, origin.row, field);
  return ref(rec.origin.file, rec.origin.row, join(rec.origin.path, nested?.path ?? '', field));
}

export function countRecords(pkg: Package): number {
  return TOP_ENTITIES.reduce((n, e) => n + pkg.records[e].size, 0);
}
