import { sql } from 'kysely';

/**
 * "The organisation of this row is still active": every feature that lists offers, matches or refers leaves out
 * what belongs to a deactivated organisation. `table` is the alias whose organization_id is tested.
 */
export const ofActiveOrganization = (table = 'offers') =>
  sql<boolean>`exists (select 1 from organizations org where org.id = ${sql.ref(`${table}.organization_id`)} and org.active)`;
