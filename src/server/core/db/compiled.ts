import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

interface Template {
  sql: string;
  /** per parameter: the argument it takes, or null for a constant of the query (kept from the first compile) */
  slots: (number | null)[];
  constants: readonly unknown[];
}

/** The SQL and parameter slots of `build`, compiled once with a marker in place of each argument. */
export function compileTemplate<A extends string[]>(
  db: Kysely<DB>,
  arity: number,
  build: (db: Kysely<DB>, ...args: A) => Compilable<unknown>,
): Template {
  const markers = Array.from({ length: arity }, (_, i) => `\u0001kl-argument-${i}\u0001`) as A;
  const compiled = build(db, ...markers).compile();
  const slots = compiled.parameters.map((p) => {
    const i = typeof p === 'string' ? markers.indexOf(p) : -1;
    return i >= 0 ? i : null;
  });
  markers.forEach((marker, i) => {
    // an argument that is not a parameter would be frozen into the text (or left out) for every later run
    if (!slots.includes(i) || compiled.sql.includes(marker))
      throw new Error(`compiledOnce: argument ${i} does not reach the statement as a parameter`);
  });
  return { sql: compiled.sql, slots, constants: compiled.parameters };
}

/**
 * A query that Kysely builds and compiles once per process; each run only binds its arguments. For the hottest reads:
 * building and compiling the client file's statement was about a tenth of the server thread's CPU per read.
 * `build` must give the same SQL for every argument (no branching on them) and pass each argument as a value
 * (a comparison or `sql` template value): the first run checks that every argument became a parameter.
 */
export function compiledOnce<A extends string[], R>(build: (db: Kysely<DB>, ...args: A) => Compilable<R>) {
  let template: Template | null = null;
  return async (db: Kysely<DB>, ...args: A): Promise<R[]> => {
    template ??= compileTemplate(db, args.length, build);
    const { slots, constants } = template;
    const parameters = slots.map((slot, i) => (slot === null ? constants[i] : args[slot]));
    const result = await db.executeQuery<R>(CompiledQuery.raw(template.sql, parameters));
    return result.rows;
  };
}
