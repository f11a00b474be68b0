import { sql } from 'kysely';

/**
 * "The organisation of this row is still active": every feature that lists offers, matches or refers leaves out
 * what belongs to a deactivated organisation. `table` is the alias whose organization_id is tested (NOT NULL, a
 * foreign key to organizations, which every role may read).
 * Asked as "no deactivated organisation owns it": PostgreSQL then hashes the few deactivated organisations instead of
 * every active one for each search (the matching candidates of 20,000 offers of 1,000 organisations: 1.06 → 0.87 ms).
 */
export const ofActiveOrganization = (table = 'offers') =>
  sql<boolean>`not exists (select 1 from organizations org where org.id = ${sql.ref(`${table}.organization_id`)} and not org.active)`;
