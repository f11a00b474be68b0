import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import localize from 'ajv-i18n';
import type { Lang } from '../../core/http/messages.ts';

/**
 * The official HSDS 3.0 JSON Schemas (the repository's one copy, standards/hsds-3.0/schema, CC BY-SA 4.0, see
 * standards/README.md) under the $id they are published at, so their relative $refs resolve.
 */
export const HSDS_SCHEMA_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../standards/hsds-3.0/schema',
);
export const HSDS_SCHEMA_BASE = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/';

export const ENTITY_SCHEMAS = [
  'accessibility',
  'address',
  'attribute',
  'contact',
  'cost_option',
  'funding',
  'language',
  'location',
  'meta_table_description',
  'metadata',
  'organization',
  'organization_identifier',
  'phone',
  'program',
  'required_document',
  'schedule',
  'service',
  'service_area',
  'service_at_location',
  'taxonomy',
  'taxonomy_term',
] as const;
export type EntitySchema = (typeof ENTITY_SCHEMAS)[number];

export interface SchemaProperty {
  type?: string;
  format?: string;
  enum?: string[];
}
export interface EntitySchemaInfo {
  name: EntitySchema;
  path: string;
  required: string[];
  tabularRequired: string[];
  properties: Record<string, SchemaProperty>;
}

let ajv: Ajv2020 | undefined;
const validators = new Map<EntitySchema, ValidateFunction>();
const infos = new Map<EntitySchema, EntitySchemaInfo>();

function load(): Ajv2020 {
  if (ajv) return ajv;
  // the schemas carry documentation keywords (core, constraints, example, datapackage_*) that strict mode refuses
  const instance = new Ajv2020({ strict: false, allErrors: true });
  addFormats(instance);
  for (const name of ENTITY_SCHEMAS) {
    const schema = JSON.parse(fs.readFileSync(path.join(HSDS_SCHEMA_DIR, `${name}.json`), 'utf8')) as Record<
      string,
      unknown
    >;
    instance.addSchema({ ...schema, $id: `${HSDS_SCHEMA_BASE}${name}.json` });
    const properties = schema.properties as Record<string, SchemaProperty>;
    infos.set(name, {
      name,
      path: String(schema.path),
      required: (schema.required as string[] | undefined) ?? [],
      tabularRequired: (schema.tabular_required as string[] | undefined) ?? [],
      properties,
    });
  }
  ajv = instance;
  return instance;
}

export function schemaInfo(name: EntitySchema): EntitySchemaInfo {
  load();
  return infos.get(name)!;
}

/** The entity whose CSV file has this name (`services.csv` → service). */
export function entityOfFile(file: string): EntitySchema | undefined {
  load();
  const base = file.split('/').pop()!;
  return ENTITY_SCHEMAS.find((name) => infos.get(name)!.path === base);
}

export interface SchemaError {
  path: string;
  code: string;
  message: string;
}

/** Validates one HSDS object; errors carry a dotted path inside the object. */
export function validateEntity(name: EntitySchema, value: unknown, lang: Lang): SchemaError[] {
  const instance = load();
  let validate = validators.get(name);
  if (!validate) {
    validate = instance.getSchema(`${HSDS_SCHEMA_BASE}${name}.json`)!;
    validators.set(name, validate);
  }
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).map((e) => ({ ...e })) as ErrorObject[];
  localize[lang === 'nl' ? 'nl' : 'en'](errors);
  return errors.map((e) => {
    const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (e.keyword === 'required') {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      return { path: base ? `${base}.${missing}` : missing, code: 'required', message: e.message ?? 'required' };
    }
    return { path: base, code: e.keyword, message: e.message ?? e.keyword };
  });
}

const childOf = (p: SchemaProperty & { $ref?: string; items?: { $ref?: string } }): EntitySchema | undefined => {
  const target = p.$ref ?? p.items?.$ref;
  return target ? (target.replace(/\.json$/, '') as EntitySchema) : undefined;
};

/**
 * The object with its fields in the order of the schema (jsonb keeps keys in its own order), nested objects
 * too; fields the schema does not name follow.
 */
export function inSchemaOrder(name: EntitySchema, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => inSchemaOrder(name, v));
  if (typeof value !== 'object' || value === null) return value;
  const properties = schemaInfo(name)?.properties ?? {};
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(properties)) {
    if (!(key in obj)) continue;
    const child = childOf(property);
    out[key] = child && infos.has(child) ? inSchemaOrder(child, obj[key]) : obj[key];
  }
  for (const key of Object.keys(obj)) if (!(key in out)) out[key] = obj[key];
  return out;
}
