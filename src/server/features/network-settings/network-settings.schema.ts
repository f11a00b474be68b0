import { Type, type Static } from '@sinclair/typebox';
import { Strict } from '../../core/http/schemas.ts';
import { INSTRUMENTS } from '../instruments/index.ts';

/**
 * The network's settings that live as JSON on `networks`: the referral response targets
 * (`referral_targets`, read by features/referrals) and the stepped-care thresholds (`intake_settings`, read by
 * features/intake/matching.ts). The keys are exactly the stored keys.
 */
export const TARGET_KEYS = [
  'acuteHours',
  'urgentWorkingDays',
  'routineWorkingDays',
  'firstContactWorkingDays',
] as const;
export const THRESHOLD_KEYS = ['phq9Specialised', 'k10Specialised', 'gad7Specialised'] as const;
type TargetKey = (typeof TARGET_KEYS)[number];
type ThresholdKey = (typeof THRESHOLD_KEYS)[number];
export type SettingKey = TargetKey | ThresholdKey;

type Unit = 'hours' | 'working-days' | 'score';
export interface Limit {
  min: number;
  max: number;
  unit: Unit;
}

/** A threshold ranges over the instrument's total score, above its lowest score (which every person reaches). */
function scoreLimit(instrument: string): Limit {
  const def = INSTRUMENTS.find((d) => d.id === instrument);
  if (!def) throw new Error(`unknown instrument ${instrument}`);
  return { min: def.scoring.total.min + 1, max: def.scoring.total.max, unit: 'score' };
}

/** The sane range of every setting (inclusive, whole numbers). */
export const LIMITS: Record<SettingKey, Limit> = {
  acuteHours: { min: 1, max: 72, unit: 'hours' },
  urgentWorkingDays: { min: 1, max: 60, unit: 'working-days' },
  routineWorkingDays: { min: 1, max: 60, unit: 'working-days' },
  firstContactWorkingDays: { min: 1, max: 60, unit: 'working-days' },
  phq9Specialised: scoreLimit('phq9'), // 1–27
  k10Specialised: scoreLimit('k10'), // 11–50
  gad7Specialised: scoreLimit('gad7'), // 1–21
};

const DESCRIPTIONS: Record<SettingKey, string> = {
  acuteHours: 'An acute referral is answered within this many hours',
  urgentWorkingDays: 'An urgent referral is answered within this many working days',
  routineWorkingDays: 'A routine referral is answered within this many working days',
  firstContactWorkingDays: 'First contact within this many working days after acceptance',
  phq9Specialised: 'PHQ-9 total from which specialised care is needed',
  k10Specialised: 'K10 total from which specialised care is needed',
  gad7Specialised: 'GAD-7 total from which specialised care is needed',
};

// The range is checked by the service (one message per field, in Dutch or English); the schema fixes the shape.
const setting = (key: SettingKey) =>
  Type.Integer({ description: `${DESCRIPTIONS[key]} (${LIMITS[key].min}–${LIMITS[key].max})` });
const group = <K extends SettingKey>(keys: readonly K[]) =>
  Strict(Object.fromEntries(keys.map((k) => [k, setting(k)])) as Record<K, ReturnType<typeof setting>>);

const ReferralTargetsSchema = group(TARGET_KEYS);
const MatchingThresholdsSchema = group(THRESHOLD_KEYS);

const Values = Type.Object({ referralTargets: ReferralTargetsSchema, matchingThresholds: MatchingThresholdsSchema });
const LimitSchema = Type.Object({
  min: Type.Integer(),
  max: Type.Integer(),
  unit: Type.Union([Type.Literal('hours'), Type.Literal('working-days'), Type.Literal('score')]),
});

export const NetworkSettingsUpdate = Strict(
  { referralTargets: ReferralTargetsSchema, matchingThresholds: MatchingThresholdsSchema },
  {
    description: 'Every setting, as whole numbers within its range (see limits in the GET answer)',
  },
);
export type NetworkSettingsUpdate = Static<typeof NetworkSettingsUpdate>;

export const NetworkSettings = Type.Object({
  referralTargets: ReferralTargetsSchema,
  matchingThresholds: MatchingThresholdsSchema,
  defaults: Values,
  limits: Type.Object(
    Object.fromEntries((Object.keys(LIMITS) as SettingKey[]).map((k) => [k, LimitSchema])) as Record<
      SettingKey,
      typeof LimitSchema
    >,
  ),
});
