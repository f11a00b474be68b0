import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { DB } from './core/db/schema.ts';
import { ensureInstrumentVersions } from './features/instruments/index.ts';

const csvPath = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../reference/municipalities_flanders_brussels_2025.csv',
);

/** Loads the 2025 municipalities (Statbel REFNIS, copied from ../shared/reference) once, and the instrument versions. */
export async function ensureReferenceData(owner: Kysely<DB>): Promise<number> {
  await ensureInstrumentVersions(owner);
  const existing = await owner
    .selectFrom('municipalities')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return 0;
  const [header, ...lines] = fs.readFileSync(csvPath, 'utf8').trim().split(/\r?\n/);
  const columns = header!.split(',');
  const col = (name: string) => columns.indexOf(name);
  const rows = lines.map((line) => {
    // the file has no quoted fields; refuse one that has rather than misread it
    if (line.includes('"')) throw new Error('unexpected quoted field in municipalities CSV');
    const cells = line.split(',');
    return {
      nis_code: cells[col('nis_code')]!,
      name_nl: cells[col('name_nl')]!,
      name_fr: cells[col('name_fr')]!,
      province_nl: cells[col('province_nl')] || null,
      region_nis: cells[col('region_nis')]!,
    };
  });
  await owner
    .insertInto('municipalities')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .execute();
  return rows.length;
}
