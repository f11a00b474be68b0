import { sql } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import { invalid, notFound, type FieldError } from '../../core/http/errors.ts';
import type { Lang } from '../../core/http/messages.ts';
import { DEFAULT_SETTINGS, DEFAULT_TARGETS, matchSettingsOf, referralTargetsOf } from './stored.ts';
import {
  LIMITS,
  TARGET_KEYS,
  THRESHOLD_KEYS,
  type Limit,
  type NetworkSettingsUpdate,
  type SettingKey,
} from './network-settings.schema.ts';
import { NETWORK_SETTINGS_AUDIT } from './network-settings.audit.ts';

const UNIT: Record<Limit['unit'], Record<Lang, string>> = {
  hours: { nl: 'uren', en: 'hours' },
  'working-days': { nl: 'werkdagen', en: 'working days' },
  score: { nl: 'score', en: 'score' },
};

function outOfRange(field: string, limit: Limit, lang: Lang): FieldError {
  const unit = UNIT[limit.unit][lang];
  const message =
    lang === 'nl'
      ? `Geef een geheel getal van ${limit.min} tot en met ${limit.max} (${unit}).`
      : `Enter a whole number from ${limit.min} to ${limit.max} (${unit}).`;
  return { field, code: 'out-of-range', message };
}

async function networkRow(tx: Tx, forUpdate: boolean) {
  let query = tx.db
    .selectFrom('networks')
    .select(['id', 'referral_targets', 'intake_settings'])
    .where('id', '=', tx.actor.networkId);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

function dto(row: { referral_targets: unknown; intake_settings: unknown }) {
  return {
    referralTargets: referralTargetsOf(row.referral_targets),
    matchingThresholds: matchSettingsOf(row.intake_settings),
    defaults: { referralTargets: { ...DEFAULT_TARGETS }, matchingThresholds: { ...DEFAULT_SETTINGS } },
    limits: LIMITS,
  };
}

export async function readSettings(tx: Tx) {
  return dto(await networkRow(tx, false));
}

/**
 * Replaces all seven settings at once. Every field out of range is reported (and nothing is stored).
 * Keys this feature does not know are left as they are in the stored JSON (`||` merges).
 * The audit row carries the old and new value of every setting: numbers only.
 */
export async function updateSettings(tx: Tx, input: NetworkSettingsUpdate, lang: Lang) {
  const errors: FieldError[] = [];
  const check = (groupName: string, values: Record<string, number>, keys: readonly SettingKey[]) => {
    for (const key of keys) {
      const limit = LIMITS[key];
      const value = values[key]!;
      if (!Number.isInteger(value) || value < limit.min || value > limit.max)
        errors.push(outOfRange(`${groupName}.${key}`, limit, lang));
    }
  };
  check('referralTargets', input.referralTargets, TARGET_KEYS);
  check('matchingThresholds', input.matchingThresholds, THRESHOLD_KEYS);
  if (errors.length) throw invalid(...errors);

  const row = await networkRow(tx, true);
  const before = dto(row);
  const targets = Object.fromEntries(TARGET_KEYS.map((k) => [k, input.referralTargets[k]]));
  const thresholds = Object.fromEntries(THRESHOLD_KEYS.map((k) => [k, input.matchingThresholds[k]]));
  const after = await tx.db
    .updateTable('networks')
    .set({
      referral_targets: sql`referral_targets || ${JSON.stringify(targets)}::jsonb`,
      intake_settings: sql`intake_settings || ${JSON.stringify(thresholds)}::jsonb`,
    })
    .where('id', '=', row.id)
    .returning(['referral_targets', 'intake_settings'])
    .executeTakeFirstOrThrow();

  const old: Record<string, number> = { ...before.referralTargets, ...before.matchingThresholds };
  const next: Record<string, number> = { ...targets, ...thresholds };
  const details: Record<string, number | string> = {};
  for (const key of [...TARGET_KEYS, ...THRESHOLD_KEYS]) {
    details[`old.${key}`] = old[key]!;
    details[`new.${key}`] = next[key]!;
  }
  details.changed = [...TARGET_KEYS, ...THRESHOLD_KEYS].filter((k) => old[k] !== next[k]).join(',');
  await tx.audit({
    action: NETWORK_SETTINGS_AUDIT.networkSettingsUpdate,
    entityType: 'network',
    entityId: row.id,
    details,
  });
  return dto(after);
}
