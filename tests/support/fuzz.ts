import fc from 'fast-check';

/**
 * Generated request input from the API's own JSON Schemas (the OpenAPI document): mostly values the schema
 * accepts, so that requests get past validation into the services and the database, with a mutation at any
 * node now and then — characters PostgreSQL cannot store, huge numbers, wrong types, nulls, nested junk.
 */
export interface JsonSchema {
  type?: string | string[];
  $ref?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
}

/** Strings PostgreSQL text cannot hold: NUL, and lone UTF-16 surrogates (invalid UTF-8 once encoded). */
export const UNSTORABLE = ['\u0000', '\ud800', '\udfff', '\udc00\ud800', 'a\u0000b', '\ud83d'];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const unstorableChar = fc.oneof(fc.constant('\u0000'), loneSurrogate);

/** A string with one character PostgreSQL cannot store somewhere in it. */
const withUnstorable = (base: fc.Arbitrary<string>) =>
  fc
    .tuple(base, unstorableChar, fc.nat())
    .map(([text, bad, at]) => text.slice(0, at % (text.length + 1)) + bad + text.slice(at % (text.length + 1)));

const JUNK: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  0.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  2 ** 31,
  -(2 ** 31) - 1,
  1e21,
  '',
  ' ',
  '0',
  '-1',
  '9'.repeat(400),
  'NaN',
  'Infinity',
  'null',
  '2024-02-30',
  '0000-00-00',
  '10000-01-01',
  '9999-12-31T24:00:00Z',
  '2016-12-31T23:59:60Z',
  "'; drop table clients; --",
  '\\',
  '%',
  '_',
  '%00',
  '\u202egnp.exe',
  'Z\u0301\u0327',
  '💥🏳️‍🌈',
  '\uffff\ufffe',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'x'.repeat(5000),
  {},
  [],
  [null],
  { __proto: { admin: true } },
  ...UNSTORABLE,
];

const junk = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...JUNK) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3, maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: withUnstorable(fc.string({ maxLength: 20 })) },
);

export interface GenerateOptions {
  /** resolves a $ref of the document */
  resolve(ref: string): JsonSchema;
  /** ids known to exist, for uuid fields and path parameters */
  ids: fc.Arbitrary<string>;
  /** values that exist, by field name (themes, municipalities, organizationId, …), so requests get past the rules */
  known: Record<string, readonly string[]>;
  /** one mutation in `mutationOdds` nodes */
  mutationOdds: number;
}

const isoDate = fc
  .date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const isoDateTime = fc
  .date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString());

function stringFor(schema: JsonSchema, opts: GenerateOptions): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'uuid':
      return fc.oneof({ weight: 4, arbitrary: opts.ids }, { weight: 1, arbitrary: fc.uuid() });
    case 'date':
      return isoDate;
    case 'date-time':
      return isoDateTime;
    case 'email':
      return fc.emailAddress();
    case 'uri':
      return fc.webUrl();
    case undefined:
    default:
      break;
  }
  if (schema.pattern) {
    // the patterns of this API are anchored character classes; a bounded length keeps them cheap
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter((s) => s.length <= (schema.maxLength ?? 200) && s.length >= (schema.minLength ?? 0));
  }
  const minLength = schema.minLength ?? 0;
  return fc.oneof(
    fc.string({ minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 40, 40)) }),
    fc.string({ unit: 'grapheme', minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 12, 12)) }),
  );
}

/**
 * A value for `schema`: usually one it accepts, sometimes a mutation (at this node or deeper). `name` is the field
 * the value is for (array items keep their array's name), to prefer values that exist.
 */
export function valueFor(schema: JsonSchema, opts: GenerateOptions, depth = 0, name = ''): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: opts.mutationOdds - 1, arbitrary: acceptedValue(schema, opts, depth, name) },
    { weight: 1, arbitrary: mutation(schema, opts) },
  );
}

function mutation(schema: JsonSchema, opts: GenerateOptions): fc.Arbitrary<unknown> {
  const text = schemaTypes(schema, opts).includes('string');
  return text
    ? fc.oneof(
        { weight: 2, arbitrary: withUnstorable(stringFor(plainString(schema), opts)) },
        { weight: 3, arbitrary: junk },
      )
    : junk;
}

/** A string branch of the schema without its length limits (a mutation may break them too). */
function plainString(schema: JsonSchema): JsonSchema {
  const { minLength: _min, maxLength: _max, ...rest } = schema;
  return rest;
}

function schemaTypes(schema: JsonSchema, opts: GenerateOptions): string[] {
  if (schema.$ref) return schemaTypes(opts.resolve(schema.$ref), opts);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return branches.flatMap((s) => schemaTypes(s, opts));
  if (schema.enum) return [typeof schema.enum[0]];
  return Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
}

function acceptedValue(schema: JsonSchema, opts: GenerateOptions, depth: number, name: string): fc.Arbitrary<unknown> {
  if (schema.$ref) return acceptedValue(opts.resolve(schema.$ref), opts, depth, name);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((branch) => acceptedValue(branch, opts, depth, name)));
  if (schema.allOf) return acceptedValue(Object.assign({}, ...schema.allOf) as JsonSchema, opts, depth, name);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const known = opts.known[name];
  switch (type) {
    case 'string':
      return known?.length
        ? fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...known) },
            { weight: 1, arbitrary: stringFor(schema, opts) },
          )
        : stringFor(schema, opts);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -100, max: schema.maximum ?? 10_000 });
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1000,
        max: schema.maximum ?? 1000,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 3, 3));
      if (depth > 4) return fc.constant([]);
      const item = valueFor(schema.items ?? {}, opts, depth + 1, name);
      return schema.uniqueItems
        ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength, maxLength });
    }
    case 'object':
      return objectFor(schema, opts, depth);
    case undefined:
    default:
      return depth > 3 ? fc.constant(null) : fc.anything({ maxDepth: 2, maxKeys: 3 });
  }
}

function objectFor(schema: JsonSchema, opts: GenerateOptions, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = schema.required ?? [];
  const named = fc.record(
    Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, valueFor(child, opts, depth + 1, key)])),
    { requiredKeys: required.filter((key) => key in properties) },
  );
  const extraValue =
    typeof schema.additionalProperties === 'object' ? valueFor(schema.additionalProperties, opts, depth + 1) : junk;
  const extraKey = fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: withUnstorable(fc.string({ maxLength: 8 })) },
  );
  // a refused object gets an unknown field now and then; an open one (additionalProperties) often gets some
  const extras =
    schema.additionalProperties === false
      ? fc.oneof(
          { weight: 9, arbitrary: fc.constant({}) },
          { weight: 1, arbitrary: fc.dictionary(extraKey, junk, { maxKeys: 2 }) },
        )
      : fc.dictionary(extraKey, extraValue, { maxKeys: 3 });
  return fc.tuple(named, extras).map(([known, extra]) => ({ ...extra, ...known }));
}

/** encodeURIComponent that also encodes a lone surrogate (as the bytes a careless client would send). */
export function encodeQueryValue(value: string): string {
  return [...value]
    .map((char) => {
      const code = char.charCodeAt(0);
      if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) {
        return `%${(0xe0 | (code >> 12)).toString(16).toUpperCase()}%${(0x80 | ((code >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
      }
      return encodeURIComponent(char);
    })
    .join('');
}

/** A query-string value as a browser or script would send it: scalars as text, arrays as repeated keys. */
export function queryPairs(name: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((item) => queryPairs(name, item));
  const text = value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return [`${encodeQueryValue(name)}=${encodeQueryValue(text)}`];
}
