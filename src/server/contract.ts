// The enumerations the web app needs as values (for selects, filters and labels), taken from the features'
// own lists. `npm run contract` writes them into src/web/api.generated.ts next to the OpenAPI types.
import { AUDIT_OUTCOMES } from './core/audit/audit.ts';
import { RISK_LEVELS } from './core/risk.ts';
import { NETWORK_ROLES, ORGANIZATION_ROLES, ROLES } from './core/auth/permissions.ts';
import { CAPACITIES, COSTS, LEVELS, MODALITIES, TARGET_GROUPS } from './features/offers/index.ts';
import { ORGANIZATION_KINDS } from './features/organizations/index.ts';
import {
  CHANNELS,
  HELP_REQUEST_STATUSES,
  LIFE_DOMAINS,
  SIGNAL_KINDS,
  SIGNAL_LEVELS,
  URGENCIES,
} from './features/intake/index.ts';
import { IDENTITY_KINDS } from './features/clients/index.ts';
import {
  OUTREACH_AGREEMENT_METHODS,
  OUTREACH_ATTEMPT_OUTCOMES,
  OUTREACH_CHANNELS,
  OUTREACH_CLOSE_OUTCOMES,
  OUTREACH_KINDS,
  OUTREACH_MOMENTS,
  OUTREACH_STATES,
  OUTREACH_STATUSES,
} from './features/outreach/index.ts';
import { TARGET_KEYS, THRESHOLD_KEYS } from './features/network-settings/index.ts';
import { IMPORT_KINDS } from './features/hsds/index.ts';
import {
  CLOSE_WITHOUT_CONTACT_REASONS,
  CONSENT_CATEGORIES,
  CONSENT_METHODS,
  DECLINE_REASONS,
  REFERRAL_STATUSES,
} from './features/referrals/index.ts';
import {
  CLOSE_REASONS as TRAJECTORY_CLOSE_REASONS,
  CONTACT_KINDS,
  MODULES as TRAJECTORY_MODULES,
  OUTCOMES as TRAJECTORY_OUTCOMES,
  TRAJECTORY_STATUSES,
} from './features/trajectories/index.ts';

export const CONTRACT_ENUMS: Record<string, readonly string[]> = {
  ROLES,
  ORGANIZATION_ROLES,
  NETWORK_ROLES,
  ORGANIZATION_KINDS,
  IDENTITY_KINDS,
  OFFER_LEVELS: LEVELS,
  MODALITIES,
  CAPACITIES,
  COSTS,
  TARGET_GROUPS,
  CHANNELS,
  URGENCIES,
  LIFE_DOMAINS,
  HELP_REQUEST_STATUSES,
  SIGNAL_KINDS,
  SIGNAL_LEVELS,
  RISK_LEVELS,
  REFERRAL_TARGET_KEYS: TARGET_KEYS,
  MATCHING_THRESHOLD_KEYS: THRESHOLD_KEYS,
  IMPORT_KINDS,
  AUDIT_OUTCOMES,
  CONSENT_CATEGORIES,
  CONSENT_METHODS,
  REFERRAL_STATUSES,
  DECLINE_REASONS,
  CLOSE_WITHOUT_CONTACT_REASONS,
  TRAJECTORY_MODULES,
  TRAJECTORY_STATUSES,
  TRAJECTORY_OUTCOMES,
  TRAJECTORY_CLOSE_REASONS,
  CONTACT_KINDS,
  OUTREACH_KINDS,
  OUTREACH_CLOSE_OUTCOMES,
  OUTREACH_CHANNELS,
  OUTREACH_ATTEMPT_OUTCOMES,
  OUTREACH_STATES,
  OUTREACH_STATUSES,
  OUTREACH_MOMENTS,
  OUTREACH_AGREEMENT_METHODS,
};
