import { sql } from 'kysely';

/**
 * The one risk vocabulary, and the one rule that gives a screening, a safety signal, a help request and a
 * referral its risk level. Every place that shows or sorts by risk reads it from here (ARCHITECTURE.md, "Risk").
 *
 *   none       nothing points at a risk
 *   attention  follow up and discuss: a warning of a screening (severe loneliness, high distress, GAD-7 ≥ 10)
 *              or a signal a worker raised as such
 *   high       a suicide risk or another danger that needs an assessment by a competent person now: PHQ-9
 *              item 9 above 0, a yes on the C-SSRS screener; a safety action must be recorded before the
 *              help request can be closed or the team lead can take the signal off the dashboard
 *   acute      immediate safety steps: C-SSRS intent (Q4), a plan with intent (Q5) or behaviour in the past
 *              three months (Q6b), or a signal a worker raised as acute
 *
 * The instruments define their flags (features/instruments/catalogue.ts); RISK_OF_FLAG gives each its level here
 * (tests/unit/risk.test.ts fails for a flag without one). Core knows the flags by code only.
 */
export const RISK_LEVELS = ['none', 'attention', 'high', 'acute'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The words of the vocabulary (the web app has its own copy in its texts; the server needs them for FHIR). */
export const RISK_LABELS: Readonly<Record<RiskLevel, { nl: string; en: string }>> = {
  none: { nl: 'Geen', en: 'None' },
  attention: { nl: 'Aandacht', en: 'Attention' },
  high: { nl: 'Hoog', en: 'High' },
  acute: { nl: 'Acuut', en: 'Acute' },
};

/** A safety signal always says something: its level is one of these (never `none`). */
export const SIGNAL_RISK_LEVELS = ['attention', 'high', 'acute'] as const;
export type SignalRiskLevel = (typeof SIGNAL_RISK_LEVELS)[number];

/** The level of each screening flag, by flag code. */
export const RISK_OF_FLAG: Readonly<Record<string, RiskLevel>> = {
  // PHQ-9: any answer above 0 on item 9 (thoughts of death or self-harm), whatever the total
  'suicide-risk': 'high',
  // C-SSRS screener: any yes other than the ones below — refer to mental-health care or a crisis line
  'cssrs-positive': 'high',
  // C-SSRS screener: intent, a plan with intent, or behaviour in the past three months — immediate safety steps
  'cssrs-high-risk': 'acute',
  // warnings that ask for follow-up, not for safety steps
  'severe-loneliness': 'attention', // De Jong Gierveld total ≥ 5
  'high-distress': 'attention', // K10 ≥ 30
  'referral-suggested': 'attention', // GAD-7 ≥ 10
};

/** The flags that raise a safety signal of their own, with the signal's kind (its level is RISK_OF_FLAG's). */
export const SIGNAL_KIND_OF_FLAG: Readonly<Record<string, 'suicide-risk' | 'suicide-high-risk'>> = {
  'suicide-risk': 'suicide-risk',
  'cssrs-positive': 'suicide-risk',
  'cssrs-high-risk': 'suicide-high-risk',
};

const RANK: Record<RiskLevel, number> = { none: 0, attention: 1, high: 2, acute: 3 };

/** A flag this table does not know still asks for attention: an unknown warning is never read as no risk. */
export const riskOfFlag = (code: string): RiskLevel => RISK_OF_FLAG[code] ?? 'attention';

/** The highest of some levels (`none` for none). */
export function highestRisk(levels: Iterable<string>): RiskLevel {
  let highest: RiskLevel = 'none';
  for (const level of levels) if (isRiskLevel(level) && RANK[level] > RANK[highest]) highest = level;
  return highest;
}

export const isRiskLevel = (value: string): value is RiskLevel => Object.prototype.hasOwnProperty.call(RANK, value);

/** High or acute: a safety action must be on record, the crisis lines are shown, and it sorts first. */
export const HIGH_RISK_LEVELS = ['high', 'acute'] as const satisfies readonly RiskLevel[];
export const isHighRisk = (level: string | null | undefined): boolean =>
  (HIGH_RISK_LEVELS as readonly string[]).includes(level ?? '');

/** The risk a screening shows: the highest level of its flags. */
export const riskOfFlags = (flags: Iterable<string>): RiskLevel => highestRisk([...flags].map(riskOfFlag));

/** The safety signal a screening raises: that of its strongest flag that raises one, or none. */
export function signalOfFlags(
  flags: Iterable<string>,
): { kind: 'suicide-risk' | 'suicide-high-risk'; level: SignalRiskLevel } | null {
  let strongest: { kind: 'suicide-risk' | 'suicide-high-risk'; level: SignalRiskLevel } | null = null;
  for (const flag of flags) {
    const kind = SIGNAL_KIND_OF_FLAG[flag];
    if (!kind) continue;
    const level = riskOfFlag(flag) as SignalRiskLevel;
    if (!strongest || RANK[level] > RANK[strongest.level]) strongest = { kind, level };
  }
  return strongest;
}

/**
 * The risk of a help request: the highest of the flags of the latest screening of each instrument and of every
 * safety signal raised on it. A signal stays part of it: a later screening without the flag does not take back
 * a risk a worker has seen (the action taken is recorded on the signal, next to it).
 */
export const helpRequestRisk = (input: { latestFlags: Iterable<string>; signalLevels: Iterable<string> }): RiskLevel =>
  highestRisk([riskOfFlags(input.latestFlags), ...input.signalLevels]);

/**
 * A referral's shared risk level as its parties see it now (the table aliased `alias`): only while the consent is
 * active, like the snapshot. A withdrawal clears `risk_level`; `risk_shared_until` is the consent's last valid day.
 * Two columns of the row, so an inbox or a notification list needs no consent lookup per row.
 */
export const sharedRiskSeen = (alias: string) =>
  sql<RiskLevel | null>`case when ${sql.ref(`${alias}.risk_shared_until`)} is null or ${sql.ref(`${alias}.risk_shared_until`)} >= kl_brussels_date() then ${sql.ref(`${alias}.risk_level`)} end`;

/**
 * The order of lists sorted by urgency: acute risk first, then high risk, then everything else in the list's own
 * order. The same expression is the stored `risk_rank` of help requests and referrals (migrations/013).
 */
export const riskSortRank = (level: string | null | undefined): number =>
  level === 'acute' ? 0 : level === 'high' ? 1 : 2;
