import { Type, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import { ROLES } from '../auth/permissions.ts';

/** Shared schema pieces. Objects refuse unknown fields. */
export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const Strict = <T extends Record<string, TSchema>>(props: T, options: { description?: string } = {}) =>
  Type.Object(props, { additionalProperties: false, ...options });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** The answer of a 204: no body. */
export const NoContent = Type.Null({ description: 'No content' });

type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K]> };

/**
 * An enumeration in the contract from the server's own list of values. At run time it is `{ type: 'string', enum }`:
 * Ajv checks it, the serializer writes it as a plain string (an `anyOf` of literals would be tried branch by branch
 * for every value of every answer), and OpenAPI shows the values. Typed as a union of literals, so handlers and the
 * type provider see the union (a plain `Type.Union(values.map(...))` becomes `never` there).
 */
export const Enum = <const T extends readonly string[]>(
  values: T,
  options: { description?: string } = {},
): TUnion<Literals<T>> =>
  Type.Unsafe({ type: 'string', enum: [...values], ...options }) as unknown as TUnion<Literals<T>>;

/** A role name. */
export const RoleName = Enum(ROLES);

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() })),
    ),
    /** a 409 on a versioned record: its current state, so the client can show both and merge */
    current: Type.Optional(Type.Unknown()),
    instance: Type.String(),
    requestId: Type.String(),
  },
  { $id: 'Problem' },
);

/** A page number, from 1; bounded so that page × size stays a valid OFFSET (a huge one is a 400, not a 500). */
export const PageNumber = (description?: string) =>
  Type.Integer({ minimum: 1, maximum: 100000, default: 1, ...(description ? { description } : {}) });

export const Page = Type.Object({
  page: PageNumber(),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
});
