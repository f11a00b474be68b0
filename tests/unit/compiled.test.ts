import { describe, expect, it } from 'vitest';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { DB } from '../../src/server/core/db/schema.ts';
import { compileTemplate } from '../../src/server/core/db/compiled.ts';

// compiling needs no connection: the dialect's pool is never asked for one
const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: {} as never }) });

describe('a query compiled once (core/db/compiled.ts)', () => {
  it('keeps the SQL text and says which parameter takes which argument; constants stay as compiled', () => {
    const template = compileTemplate(db, 2, (d, org: string, id: string) =>
      d
        .selectFrom('clients')
        .where('organization_id', '=', org)
        .where('identity_kind', '=', 'named')
        .select(sql<string>`${org}`.as('again'))
        .where('id', '=', id),
    );
    expect(template.sql).toBe(
      'select $1 as "again" from "clients" where "organization_id" = $2 and "identity_kind" = $3 and "id" = $4',
    );
    expect(template.slots).toEqual([0, 0, null, 1]);
    expect(template.constants[2]).toBe('named');
  });

  it('refuses an argument that would be frozen into the text or left out', () => {
    expect(() =>
      compileTemplate(db, 1, (d, kind: string) => d.selectFrom('clients').select(sql.lit(kind).as('k'))),
    ).toThrow(/argument 0 does not reach the statement as a parameter/);
    expect(() =>
      compileTemplate(db, 2, (d, org: string) => d.selectFrom('clients').where('organization_id', '=', org)),
    ).toThrow(/argument 1/);
  });
});
