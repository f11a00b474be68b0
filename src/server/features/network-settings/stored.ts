import type { Tx } from '../../core/db/tenant.ts';
import { TARGET_KEYS, THRESHOLD_KEYS } from './network-settings.schema.ts';

/** The network's stepped-care thresholds: the scores from which matching suggests specialised care. */
export interface MatchSettings {
  phq9Specialised: number;
  k10Specialised: number;
  gad7Specialised: number;
}
export const DEFAULT_SETTINGS: MatchSettings = { phq9Specialised: 20, k10Specialised: 30, gad7Specialised: 15 };

/** The network's referral response targets (`networks.referral_targets`). */
export interface ReferralTargets {
  acuteHours: number;
  urgentWorkingDays: number;
  routineWorkingDays: number;
  firstContactWorkingDays: number;
}
export const DEFAULT_TARGETS: ReferralTargets = {
  acuteHours: 4,
  urgentWorkingDays: 2,
  routineWorkingDays: 5,
  firstContactWorkingDays: 10,
};

/**
 * The stored JSON as every reader sees it — the settings page, referrals and matching alike: the defaults,
 * overlaid by each stored value that is a whole number (the writer only ever stores whole numbers in range).
 */
function overlay<T extends object>(defaults: T, keys: readonly (keyof T & string)[], stored: unknown): T {
  const raw = stored && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
  const out = { ...defaults };
  for (const key of keys) if (Number.isInteger(raw[key])) (out as Record<string, unknown>)[key] = raw[key];
  return out;
}

export const referralTargetsOf = (stored: unknown): ReferralTargets => overlay(DEFAULT_TARGETS, TARGET_KEYS, stored);
export const matchSettingsOf = (stored: unknown): MatchSettings => overlay(DEFAULT_SETTINGS, THRESHOLD_KEYS, stored);

/** The actor's network's referral targets, as every reader sees them. */
export async function referralTargetsOfNetwork(tx: Tx): Promise<ReferralTargets> {
  const row = await tx.db
    .selectFrom('networks')
    .select('referral_targets')
    .where('id', '=', tx.actor.networkId)
    .executeTakeFirst();
  return referralTargetsOf(row?.referral_targets);
}

/** The actor's network's stepped-care thresholds, as every reader sees them. */
export async function matchSettingsOfNetwork(tx: Tx): Promise<MatchSettings> {
  const row = await tx.db
    .selectFrom('networks')
    .select('intake_settings')
    .where('id', '=', tx.actor.networkId)
    .executeTakeFirst();
  return matchSettingsOf(row?.intake_settings);
}
