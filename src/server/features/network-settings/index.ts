import type { Feature } from '../../core/feature.ts';
import { networkSettingsRoutes } from './network-settings.routes.ts';

/** The network's referral response targets and stepped-care thresholds. */
export const networkSettingsFeature: Feature = { name: 'network-settings', routes: networkSettingsRoutes };
export {
  DEFAULT_SETTINGS,
  matchSettingsOf,
  matchSettingsOfNetwork,
  referralTargetsOf,
  referralTargetsOfNetwork,
  type MatchSettings,
  type ReferralTargets,
} from './stored.ts';
export { TARGET_KEYS, THRESHOLD_KEYS } from './network-settings.schema.ts';
