import { describe, expect, it } from 'vitest';
import { CSSRS, DJG6, GAD7, K10, PHQ9 } from '../../src/server/features/instruments/catalogue.ts';
import { checkAnswers, scoreAnswers, type Answers } from '../../src/server/features/instruments/scoring.ts';
import type { InstrumentDefinition } from '../../src/server/features/instruments/definition.ts';

/** Answers whose item scores add up to `total`, filling items in order with the highest score that fits. */
function answersFor(def: InstrumentDefinition, total: number, itemIds = def.items.map((i) => i.id)): Answers {
  const answers: Answers = {};
  let left = total - itemIds.length * Math.min(...def.items[0]!.options.map((o) => o.score));
  for (const id of itemIds) {
    const options = [...def.items.find((i) => i.id === id)!.options].sort((a, b) => a.score - b.score);
    const base = options[0]!.score;
    const pick = [...options].reverse().find((o) => o.score - base <= left)!;
    left -= pick.score - base;
    answers[id] = pick.value;
  }
  if (left !== 0) throw new Error(`cannot reach ${total}`);
  return answers;
}

describe('band boundaries', () => {
  it.each([
    [
      PHQ9,
      [
        [0, 'minimal'],
        [4, 'minimal'],
        [5, 'mild'],
        [9, 'mild'],
        [10, 'moderate'],
        [14, 'moderate'],
        [15, 'moderately-severe'],
        [19, 'moderately-severe'],
        [20, 'severe'],
        [27, 'severe'],
      ],
    ],
    [
      GAD7,
      [
        [0, 'minimal'],
        [4, 'minimal'],
        [5, 'mild'],
        [9, 'mild'],
        [10, 'moderate'],
        [14, 'moderate'],
        [15, 'severe'],
        [21, 'severe'],
      ],
    ],
    [
      K10,
      [
        [10, 'low'],
        [15, 'low'],
        [16, 'moderate'],
        [29, 'moderate'],
        [30, 'high'],
        [50, 'high'],
      ],
    ],
  ] as const)('%s', (def, cases) => {
    for (const [total, band] of cases) {
      const result = scoreAnswers(def, answersFor(def, total));
      expect(result.score, `${def.id} ${total}`).toBe(total);
      expect(result.band?.code, `${def.id} ${total}`).toBe(band);
    }
  });

  it.each([
    ['emotional', ['e1', 'e2', 'e3'], 'ja', 'nee'],
    ['social', ['s1', 's2', 's3'], 'nee', 'ja'],
  ] as const)('De Jong Gierveld %s subscale: 0 not lonely, 1–3 lonely', (id, items, lonely, notLonely) => {
    const at = (n: number) => {
      const a: Answers = { e1: 'nee', e2: 'nee', e3: 'nee', s1: 'ja', s2: 'ja', s3: 'ja' };
      items.forEach((item, i) => (a[item] = i < n ? lonely : notLonely));
      return scoreAnswers(DJG6, a).subscales.find((s) => s.id === id)!;
    };
    expect([0, 1, 2, 3].map((n) => [at(n).score, at(n).band?.code])).toEqual([
      [0, 'not-lonely'],
      [1, 'lonely'],
      [2, 'lonely'],
      [3, 'lonely'],
    ]);
    // "min of meer" counts as lonely in both directions
    const more = scoreAnswers(DJG6, {
      e1: 'nee',
      e2: 'nee',
      e3: 'nee',
      s1: 'ja',
      s2: 'ja',
      s3: 'ja',
      [items[0]]: 'min-of-meer',
    });
    expect(more.subscales.find((s) => s.id === id)).toMatchObject({ score: 1, band: { code: 'lonely' } });
  });

  it('De Jong Gierveld: licence as the network states it (free for research, with citation)', () => {
    expect(DJG6.licence).toEqual({
      nl: 'Vrij te gebruiken voor onderzoek, met bronvermelding.',
      en: 'Free for research, with citation.',
    });
    expect(DJG6.citation).toMatch(/^De Jong Gierveld, J., & Van Tilburg, T. G. \(2006\)/);
  });

  it('De Jong Gierveld: 0–1 not lonely, 2–4 moderate, 5–6 severe, with the emotional and social scoring directions', () => {
    const all = (e: string, s: string) => ({ e1: e, e2: e, e3: e, s1: s, s2: s, s3: s });
    expect(scoreAnswers(DJG6, all('nee', 'ja'))).toMatchObject({ score: 0, band: { code: 'not-lonely' } });
    expect(scoreAnswers(DJG6, all('ja', 'nee'))).toMatchObject({ score: 6, band: { code: 'severe' } });
    expect(scoreAnswers(DJG6, all('min-of-meer', 'min-of-meer')).score).toBe(6);
    const at = (n: number) => {
      const a = all('nee', 'ja') as Answers;
      ['e1', 'e2', 'e3', 's1', 's2', 's3'].slice(0, n).forEach((id) => (a[id] = id.startsWith('e') ? 'ja' : 'nee'));
      return scoreAnswers(DJG6, a);
    };
    expect([1, 2, 4, 5].map((n) => [at(n).score, at(n).band?.code])).toEqual([
      [1, 'not-lonely'],
      [2, 'moderate'],
      [4, 'moderate'],
      [5, 'severe'],
    ]);
    const r = scoreAnswers(DJG6, { e1: 'ja', e2: 'nee', e3: 'min-of-meer', s1: 'ja', s2: 'nee', s3: 'nee' });
    expect(r.subscales).toEqual([
      { id: 'emotional', score: 2, band: expect.objectContaining({ code: 'lonely' }) },
      { id: 'social', score: 2, band: expect.objectContaining({ code: 'lonely' }) },
    ]);
    expect(scoreAnswers(DJG6, all('nee', 'ja')).subscales.map((s) => s.band?.code)).toEqual([
      'not-lonely',
      'not-lonely',
    ]);
  });
});

describe('missing-data rules', () => {
  it('De Jong Gierveld: one missing item still gives a total, two do not; a subscale needs all its items', () => {
    const one = scoreAnswers(DJG6, { e1: 'ja', e2: 'ja', s1: 'nee', s2: 'nee', s3: 'nee' });
    expect(one).toMatchObject({ score: 5, missing: ['e3'], imputed: false });
    expect(one.subscales).toEqual([
      { id: 'emotional', score: null, band: null },
      expect.objectContaining({ id: 'social', score: 3 }),
    ]);
    const two = scoreAnswers(DJG6, { e1: 'ja', e2: 'ja', s1: 'nee', s2: 'nee' });
    expect(two).toMatchObject({ score: null, band: null });
  });

  it('De Jong Gierveld: a missing item on the social subscale leaves the social score out, not the emotional one nor the total', () => {
    // s2 unanswered; s1 and s3 answered "nee" (lonely direction, 1 each), emotional all "ja" (3)
    const r = scoreAnswers(DJG6, { e1: 'ja', e2: 'ja', e3: 'ja', s1: 'nee', s3: 'nee' });
    expect(r).toMatchObject({ score: 5, band: { code: 'severe' }, missing: ['s2'], imputed: false });
    expect(r.subscales).toEqual([
      { id: 'emotional', score: 3, band: expect.objectContaining({ code: 'lonely' }) },
      { id: 'social', score: null, band: null },
    ]);
    // the missing item does not count as "not lonely": with it the total would have been 5 or 6
    expect(scoreAnswers(DJG6, { e1: 'ja', e2: 'ja', e3: 'ja', s1: 'nee', s3: 'nee', s2: 'ja' }).score).toBe(5);
  });

  it('K10: one or two missing items get the mean of the answered ones; three or more give no score', () => {
    const eight = Object.fromEntries(K10.items.slice(0, 8).map((i) => [i.id, 'soms']));
    expect(scoreAnswers(K10, eight)).toMatchObject({ score: 30, imputed: true, band: { code: 'high' } });
    const nine = { ...Object.fromEntries(K10.items.slice(0, 9).map((i) => [i.id, 'nooit'])), q1: 'altijd' };
    // answered: 5 + 8×1 = 13 over 9 items, mean 1.444…, total 13 + 1.444… = 14.44 → 14
    expect(scoreAnswers(K10, nine)).toMatchObject({ score: 14, imputed: true, band: { code: 'low' } });
    const seven = Object.fromEntries(K10.items.slice(0, 7).map((i) => [i.id, 'altijd']));
    expect(scoreAnswers(K10, seven)).toMatchObject({ score: null, band: null, missing: ['q8', 'q9', 'q10'] });
  });

  it('K10: an imputed total of exactly .5 is rounded half up', () => {
    // eight answered: six "soms" (3) and two "af en toe" (2) = 22; two missing get 22/8 = 2.75 each: 27.5 → 28
    const answers = {
      ...Object.fromEntries(K10.items.slice(0, 6).map((i) => [i.id, 'soms'])),
      q7: 'af-en-toe',
      q8: 'af-en-toe',
    };
    expect(scoreAnswers(K10, answers)).toMatchObject({
      score: 28,
      imputed: true,
      band: { code: 'moderate' },
      missing: ['q9', 'q10'],
    });
    // 6 × "nooit" + 2 × "af en toe" = 10; + 2 × 1.25 = 12.5 → 13 (not 12)
    const low = {
      ...Object.fromEntries(K10.items.slice(0, 6).map((i) => [i.id, 'nooit'])),
      q7: 'af-en-toe',
      q8: 'af-en-toe',
    };
    expect(scoreAnswers(K10, low)).toMatchObject({ score: 13, imputed: true, band: { code: 'low' } });
  });

  it('PHQ-9 imputes up to two missing items (never item 9), GAD-7 one', () => {
    // items 1 and 2 missing, 3–9 answered 2: 14 + 2 × 2 = 18
    const phq = Object.fromEntries(PHQ9.items.slice(2).map((i) => [i.id, 2]));
    expect(scoreAnswers(PHQ9, phq)).toMatchObject({ score: 18, imputed: true, missing: ['q1', 'q2'] });
    expect(scoreAnswers(PHQ9, Object.fromEntries(PHQ9.items.slice(3).map((i) => [i.id, 2]))).score).toBeNull();
    expect(scoreAnswers(GAD7, Object.fromEntries(GAD7.items.slice(0, 6).map((i) => [i.id, 1])))).toMatchObject({
      score: 7,
      imputed: true,
    });
    expect(scoreAnswers(GAD7, Object.fromEntries(GAD7.items.slice(0, 5).map((i) => [i.id, 1]))).score).toBeNull();
  });

  it('PHQ-9 item 9 is required: refused when left out, and never imputed into the total', () => {
    const eight = Object.fromEntries(PHQ9.items.slice(0, 8).map((i) => [i.id, 1]));
    expect(checkAnswers(PHQ9, eight)).toEqual([{ field: 'answers.q9', code: 'answer-required' }]);
    // the engine itself does not impute it either (8 + the mean 1 would have been 9)
    expect(scoreAnswers(PHQ9, eight)).toMatchObject({
      score: null,
      band: null,
      imputed: false,
      missing: ['q9'],
      flags: [],
    });
    expect(checkAnswers(PHQ9, { ...eight, q9: 0 })).toEqual([]);
    // reported once the answers given are valid (the invalid ones first)
    expect(checkAnswers(PHQ9, { ...eight, q1: 4 })).toEqual([{ field: 'answers.q1', code: 'answer-invalid' }]);
    expect(PHQ9.items.filter((i) => i.required).map((i) => i.id)).toEqual(['q9']);
    // the rule and its source are part of the definition text, in both languages
    expect(PHQ9.missingData?.nl).toMatch(/Vraag 9 .* verplicht/);
    expect(PHQ9.missingData?.en).toMatch(/Arrieta/);
    expect(GAD7.missingData?.en).toMatch(/no published rule was found/);
  });

  it('C-SSRS needs every asked question for a score, but a yes raises its flag anyway', () => {
    expect(scoreAnswers(CSSRS, { q1: 'nee', q2: 'nee' })).toMatchObject({ score: null, band: null, missing: ['q6'] });
    expect(scoreAnswers(CSSRS, { q1: 'ja' })).toMatchObject({ score: null, band: { code: 'moderate-risk' } });
  });
});

describe('flags', () => {
  it('PHQ-9 item 9 above 0 raises the suicide-risk flag whatever the total', () => {
    const low = { ...answersFor(PHQ9, 0), q9: 1 };
    expect(scoreAnswers(PHQ9, low)).toMatchObject({
      score: 1,
      band: { code: 'minimal' },
      flags: [expect.objectContaining({ code: 'suicide-risk', level: 'high' })],
    });
    expect(
      scoreAnswers(
        PHQ9,
        answersFor(PHQ9, 26, ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9'].reverse().slice(1).concat('q9')),
      ).flags.map((f) => f.code),
    ).toEqual(['suicide-risk']);
    expect(scoreAnswers(PHQ9, { ...answersFor(PHQ9, 0), q1: 3, q2: 3 }).flags).toEqual([]);
  });

  it('GAD-7 suggests referral from 10, K10 flags high distress from 30, DJG severe loneliness from 5', () => {
    expect(scoreAnswers(GAD7, answersFor(GAD7, 9)).flags).toEqual([]);
    expect(scoreAnswers(GAD7, answersFor(GAD7, 10)).flags.map((f) => f.code)).toEqual(['referral-suggested']);
    expect(scoreAnswers(K10, answersFor(K10, 29)).flags).toEqual([]);
    expect(scoreAnswers(K10, answersFor(K10, 30)).flags.map((f) => f.code)).toEqual(['high-distress']);
  });

  it('C-SSRS: all no is no risk; a yes on Q1–Q3 or lifetime behaviour is elevated; Q4, Q5 or behaviour in 3 months is high', () => {
    expect(scoreAnswers(CSSRS, { q1: 'nee', q2: 'nee', q6: 'nee' })).toMatchObject({
      score: 0,
      band: { code: 'no-risk' },
      flags: [],
    });
    expect(scoreAnswers(CSSRS, { q1: 'ja', q2: 'nee', q6: 'nee' }).band?.code).toBe('moderate-risk');
    expect(scoreAnswers(CSSRS, { q1: 'ja', q2: 'ja', q3: 'ja', q4: 'nee', q5: 'nee', q6: 'nee' }).band?.code).toBe(
      'moderate-risk',
    );
    expect(scoreAnswers(CSSRS, { q1: 'nee', q2: 'nee', q6: 'ja', q6b: 'nee' }).band?.code).toBe('moderate-risk');
    expect(scoreAnswers(CSSRS, { q1: 'ja', q2: 'ja', q3: 'nee', q4: 'ja', q5: 'nee', q6: 'nee' }).band?.code).toBe(
      'high-risk',
    );
    expect(scoreAnswers(CSSRS, { q1: 'ja', q2: 'ja', q3: 'ja', q4: 'nee', q5: 'ja', q6: 'nee' }).band?.code).toBe(
      'high-risk',
    );
    const behaviour = scoreAnswers(CSSRS, { q1: 'nee', q2: 'nee', q6: 'ja', q6b: 'ja' });
    expect(behaviour.band?.code).toBe('high-risk');
    expect(behaviour.flags.map((f) => f.code)).toEqual(['cssrs-positive', 'cssrs-high-risk']);
  });
});

describe('answer checks', () => {
  it('refuses unknown items, answers outside the options, and answers to skipped questions', () => {
    expect(checkAnswers(PHQ9, { q9: 0, q10: 1 })).toEqual([{ field: 'answers.q10', code: 'item-unknown' }]);
    expect(checkAnswers(PHQ9, { q9: 0, q1: 4 })).toEqual([{ field: 'answers.q1', code: 'answer-invalid' }]);
    expect(checkAnswers(PHQ9, { q9: 0, q1: '1' })).toEqual([{ field: 'answers.q1', code: 'answer-invalid' }]);
    expect(checkAnswers(DJG6, { e1: 'yes' })).toEqual([{ field: 'answers.e1', code: 'answer-invalid' }]);
    expect(checkAnswers(CSSRS, { q1: 1, q2: 'nee', q6: 'nee' })).toEqual([
      { field: 'answers.q1', code: 'answer-invalid' },
    ]);
    expect(checkAnswers(K10, { q1: 'vaak' })).toEqual([{ field: 'answers.q1', code: 'answer-invalid' }]);
    expect(checkAnswers(CSSRS, { q1: 'nee', q2: 'nee', q4: 'ja', q6: 'nee' })).toEqual([
      { field: 'answers.q4', code: 'item-not-enabled' },
    ]);
    expect(checkAnswers(CSSRS, { q1: 'nee', q2: 'ja', q3: 'nee', q4: 'nee', q5: 'nee', q6: 'nee' })).toEqual([]);
  });
});
