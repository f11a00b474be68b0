import type { Band, InstrumentDefinition, Item, MissingRule, Text } from './definition.ts';

export type AnswerValue = string | number;
export type Answers = Record<string, AnswerValue>;

export interface AnswerProblem {
  field: string;
  code: 'item-unknown' | 'answer-invalid' | 'item-not-enabled' | 'answer-required';
}

export interface ScoreResult {
  score: number | null;
  band: { code: string; label: Text } | null;
  subscales: { id: string; score: number | null; band: { code: string; label: Text } | null }[];
  flags: { code: string; label: Text; level: 'info' | 'warning' | 'high' }[];
  missing: string[];
  imputed: boolean;
}

/** An item is asked only when its enableWhen condition holds (skip logic). */
export function isEnabled(item: Item, answers: Answers): boolean {
  if (!item.enableWhen) return true;
  const given = answers[item.enableWhen.item];
  return given !== undefined && item.enableWhen.anyOf.includes(given);
}

/** Unknown items, answers that are not among the options (or out of range), answers to skipped items, required items left out. */
export function checkAnswers(def: InstrumentDefinition, answers: Answers): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  const items = new Map(def.items.map((i) => [i.id, i]));
  for (const [id, value] of Object.entries(answers)) {
    const item = items.get(id);
    if (!item) problems.push({ field: `answers.${id}`, code: 'item-unknown' });
    else if (!item.options.some((o) => o.value === value))
      problems.push({ field: `answers.${id}`, code: 'answer-invalid' });
    else if (!isEnabled(item, answers)) problems.push({ field: `answers.${id}`, code: 'item-not-enabled' });
  }
  // completeness is judged on valid answers: a required item left out is reported once the given answers are right
  if (problems.length) return problems;
  for (const item of def.items) {
    if (item.required && answers[item.id] === undefined && isEnabled(item, answers))
      problems.push({ field: `answers.${item.id}`, code: 'answer-required' });
  }
  return problems;
}

function itemScore(item: Item, value: AnswerValue): number {
  return item.options.find((o) => o.value === value)!.score;
}

/** Applies a missing-data rule to the scores of the answered items out of `asked` items. */
function total(scores: number[], asked: number, rule: MissingRule): { value: number | null; imputed: boolean } {
  const missing = asked - scores.length;
  const sum = scores.reduce((a, b) => a + b, 0);
  if (missing === 0) return { value: sum, imputed: false };
  switch (rule.kind) {
    case 'complete':
      return { value: null, imputed: false };
    case 'max-missing':
      return { value: missing <= rule.max ? sum : null, imputed: false };
    case 'impute-mean': {
      if (missing > rule.max || scores.length === 0) return { value: null, imputed: false };
      // rounded half up so the result falls in exactly one band
      return { value: Math.round(sum + missing * (sum / scores.length)), imputed: true };
    }
  }
}

const bandFor = (bands: Band[] | undefined, value: number | null) => {
  if (value === null || !bands) return null;
  const b = bands.find((x) => value >= x.min && value <= x.max);
  return b ? { code: b.code, label: b.label } : null;
};

/** The one scoring engine: totals, subscales, bands and flags of any instrument definition. */
export function scoreAnswers(def: InstrumentDefinition, answers: Answers): ScoreResult {
  const enabled = def.items.filter((i) => isEnabled(i, answers));
  const answered = enabled.filter((i) => answers[i.id] !== undefined);
  const missing = enabled.filter((i) => answers[i.id] === undefined).map((i) => i.id);
  // a required item is never imputed: without it there is no total (checkAnswers refuses such answers anyway)
  const requiredMissing = enabled.some((i) => i.required && answers[i.id] === undefined);
  const main = requiredMissing
    ? { value: null, imputed: false }
    : total(
        answered.map((i) => itemScore(i, answers[i.id]!)),
        enabled.length,
        def.scoring.total.missing,
      );

  const subscales = (def.scoring.subscales ?? []).map((s) => {
    const own = enabled.filter((i) => i.subscale === s.id);
    const ownAnswered = own.filter((i) => answers[i.id] !== undefined);
    const value = total(
      ownAnswered.map((i) => itemScore(i, answers[i.id]!)),
      own.length,
      s.missing,
    ).value;
    return { id: s.id, score: value, band: bandFor(s.bands, value) };
  });

  const flags = def.flags
    .filter(
      (f) =>
        (f.whenAny?.some((c) => answers[c.item] !== undefined && c.anyOf.includes(answers[c.item]!)) ?? false) ||
        (f.totalAtLeast !== undefined && main.value !== null && main.value >= f.totalAtLeast),
    )
    .map((f) => ({ code: f.code, label: f.label, level: f.level }));

  let band = bandFor(def.scoring.bands, main.value);
  if (def.scoring.bandFrom === 'flags') {
    // risk instruments: the highest flag decides; a yes counts even when other answers are missing
    const level = flags.some((f) => f.level === 'high') ? 2 : flags.length ? 1 : main.value === null ? null : 0;
    band = bandFor(def.scoring.bands, level);
  }
  return { score: main.value, band, subscales, flags, missing, imputed: main.imputed };
}
