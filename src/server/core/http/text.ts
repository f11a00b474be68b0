import type { ErrorObject, ValidateFunction } from 'ajv';

/**
 * The input rule for text: PostgreSQL cannot store every JavaScript string. `text` and `jsonb` refuse NUL
 * (U+0000), and a lone UTF-16 surrogate is no character at all (the driver would turn it into U+FFFD, `jsonb`
 * refuses its escape). Such a string is refused at the door, wherever it is in a request: a field, an array
 * item, an object key, a free-form JSON value, a query or path parameter.
 */
export const TEXT_INVALID = 'text-invalid';

/** NUL, or a surrogate that is not half of a pair (with the u flag, a pair is one code point and does not match). */
// eslint-disable-next-line no-control-regex -- NUL is the character this rule is about
const UNSTORABLE = /[\u0000\p{Cs}]/u;
// eslint-disable-next-line no-control-regex -- as above
const UNSTORABLE_ALL = /[\u0000\p{Cs}]/gu;

/** Whether PostgreSQL can store this string as it is. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** A JSON Pointer token (RFC 6901), with what cannot be shown replaced (the pointer is echoed to the client). */
function pointerToken(key: string): string {
  return key.replace(UNSTORABLE_ALL, '\ufffd').replaceAll('~', '~0').replaceAll('/', '~1');
}

interface Node {
  value: unknown;
  parent: Node | null;
  key: string;
}

function pointerOf(node: Node): string {
  const tokens: string[] = [];
  for (let at: Node | null = node; at?.parent; at = at.parent) tokens.push(pointerToken(at.key));
  return tokens.length ? `/${tokens.reverse().join('/')}` : '';
}

/**
 * The JSON Pointers of every string (value or key) in `data` that PostgreSQL cannot store, at most `limit`.
 * Iterative, so that deeply nested input cannot exhaust the stack.
 */
export function unstorableTextPaths(data: unknown, limit = 50): string[] {
  const found: string[] = [];
  const stack: Node[] = [{ value: data, parent: null, key: '' }];
  while (stack.length && found.length < limit) {
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value === 'string') {
      if (!isStorableText(value)) found.push(pointerOf(node));
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], parent: node, key: String(i) });
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const child: Node = { value: (value as Record<string, unknown>)[key], parent: node, key };
        // a key is text too (it ends up in jsonb, or in a field error): refuse it at the value's path
        if (!isStorableText(key)) found.push(pointerOf(child));
        else stack.push(child);
      }
    }
  }
  return found.sort();
}

/** The rule's refusals in Ajv's error shape, so they join the schema's own field errors. */
export function unstorableTextErrors(data: unknown): ErrorObject[] {
  return unstorableTextPaths(data).map((instancePath) => ({
    instancePath,
    schemaPath: '#/text',
    keyword: TEXT_INVALID,
    params: {},
  }));
}

/**
 * Wraps a compiled request validator so that it also applies the text rule to everything it validated:
 * every string of the part, whatever its schema says (open objects and free-form values included).
 */
export function withTextRule(validate: ValidateFunction): ValidateFunction {
  const checked = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => {
    const valid = validate(data, context);
    const refused = unstorableTextErrors(data);
    checked.errors = refused.length ? [...(valid ? [] : (validate.errors ?? [])), ...refused] : validate.errors;
    return valid && !refused.length;
  }) as ValidateFunction;
  // Fastify hands an Ajv validator the parent object (so it can coerce the root) when it sees schemaEnv
  checked.schema = validate.schema;
  checked.schemaEnv = validate.schemaEnv;
  return checked;
}
