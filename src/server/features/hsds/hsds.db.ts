import type { ColumnType, Generated, Kysely, Selectable } from 'kysely';
import type { DB } from '../../core/db/schema.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as parsed JSON, written as a JSON text (an array parameter would otherwise become a PostgreSQL array). */
type Jsonb<T> = ColumnType<T, string, string>;

/** The tables of migrations/003_hsds.sql (kept here so that db/schema.ts stays the foundation's). */
export interface HsdsRecordTable {
  network_id: string;
  entity_type: string;
  id: string;
  data: Jsonb<Record<string, unknown>>;
  generated: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  organization_id: string | null;
  service_id: string | null;
  location_id: string | null;
  import_id: string | null;
  imported_at: Timestamp;
}
export interface CatalogueImportTable {
  id: Generated<string>;
  network_id: string;
  created_by: string | null;
  format: string;
  dry_run: boolean;
  status: string;
  total: Generated<number>;
  done: Generated<number>;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  errors: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** migrations/008: the running process confirms the job is alive (PostgreSQL server only; PGlite is one process) */
  heartbeat_at: Timestamp;
}
export type HsdsTables = { hsds_records: HsdsRecordTable; catalogue_imports: CatalogueImportTable };
export type HsdsDB = DB & HsdsTables;
export type RecordRow = Selectable<HsdsRecordTable>;

export const hsdsDb = (db: Kysely<DB>): Kysely<HsdsDB> => db.withTables<HsdsTables>();
