import type { Selectable } from 'kysely';
import type { DB } from '../../src/server/core/db/schema.ts';
import type { Candidate } from '../../src/server/features/intake/matching.ts';

/** An offers row as the ranking takes it (the oracle of the matching tests: rankOffers over rows read directly). */
export const candidateOf = (o: Selectable<DB['offers']>): Candidate => ({
  id: o.id,
  name: o.name,
  organizationId: o.organization_id,
  level: o.level,
  themes: o.themes,
  languages: o.languages,
  modalities: o.modalities,
  capacity: o.capacity,
  waitDays: o.wait_days,
  minAge: o.min_age,
  maxAge: o.max_age,
});
