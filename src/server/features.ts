import type { Feature } from './core/feature.ts';
import { metaFeature } from './features/meta/index.ts';
import { authFeature } from './features/auth/index.ts';
import { clientsFeature } from './features/clients/index.ts';
import { organizationsFeature } from './features/organizations/index.ts';
import { usersFeature } from './features/users/index.ts';
import { tokensFeature } from './features/tokens/index.ts';
import { auditFeature } from './features/audit/index.ts';
import { referenceFeature } from './features/reference/index.ts';
import { offersFeature } from './features/offers/index.ts';
import { intakeFeature } from './features/intake/index.ts';
import { referralsFeature } from './features/referrals/index.ts';
import { hsdsFeature } from './features/hsds/index.ts';
import { networkSettingsFeature } from './features/network-settings/index.ts';
import { trajectoriesFeature } from './features/trajectories/index.ts';
import { groupsFeature } from './features/groups/index.ts';
import { carePlansFeature } from './features/care-plans/index.ts';
import { searchSynonymsFeature } from './features/search-synonyms/index.ts';
import { outreachFeature } from './features/outreach/index.ts';
import { notificationsFeature } from './features/notifications/index.ts';
import { workFeature } from './features/work/index.ts';
import { reportsFeature } from './features/reports/index.ts';

/** The one list of features: adding a feature is its folder plus one line here. */
export const FEATURES: readonly Feature[] = [
  metaFeature,
  authFeature,
  clientsFeature,
  organizationsFeature,
  usersFeature,
  tokensFeature,
  auditFeature,
  referenceFeature,
  offersFeature,
  intakeFeature,
  referralsFeature,
  hsdsFeature,
  networkSettingsFeature,
  trajectoriesFeature,
  groupsFeature,
  carePlansFeature,
  searchSynonymsFeature,
  outreachFeature,
  notificationsFeature,
  workFeature,
  reportsFeature,
];
