import { describe, expect, it } from 'vitest';
import { INSTRUMENTS, instrumentById } from '../../src/server/features/instruments/catalogue.ts';
import { scoreAnswers, type Answers } from '../../src/server/features/instruments/scoring.ts';
import {
  HIGH_RISK_LEVELS,
  RISK_LEVELS,
  RISK_OF_FLAG,
  SIGNAL_RISK_LEVELS,
  helpRequestRisk,
  highestRisk,
  isHighRisk,
  riskOfFlags,
  riskSortRank,
  signalOfFlags,
} from '../../src/server/core/risk.ts';

/** Scores the answers with the real instrument and gives the risk and the signal its flags mean. */
function assess(instrument: string, answers: Answers) {
  const result = scoreAnswers(instrumentById.get(instrument)!, answers);
  const flags = result.flags.map((f) => f.code);
  return { flags, risk: riskOfFlags(flags), signal: signalOfFlags(flags) };
}

const phq9 = (item9: number, others = 0): Answers =>
  Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`q${i + 1}`, i === 8 ? item9 : others]));
const k10 = (value: string): Answers => Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`q${i + 1}`, value]));
const gad7 = (value: number): Answers => Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`q${i + 1}`, value]));
const djg6 = (emotional: string, social: string): Answers => ({
  e1: emotional,
  e2: emotional,
  e3: emotional,
  s1: social,
  s2: social,
  s3: social,
});
const cssrsNo: Answers = { q1: 'nee', q2: 'nee', q6: 'nee' };

// Written out by hand from DOMAIN.md and the issue (not read from core/risk.ts, so a wrong table there shows):
// every flag of every instrument, with answers that raise it, the level it means and the signal it raises.
const EXPECTED: {
  instrument: string;
  flag: string;
  answers: Answers;
  risk: string;
  signal: { kind: string; level: string } | null;
}[] = [
  // PHQ-9 item 9 above 0, whatever the total: a suicide risk that needs assessment — high
  {
    instrument: 'phq9',
    flag: 'suicide-risk',
    answers: phq9(1),
    risk: 'high',
    signal: { kind: 'suicide-risk', level: 'high' },
  },
  // C-SSRS: a yes other than intent, plan or recent behaviour — high
  {
    instrument: 'cssrs',
    flag: 'cssrs-positive',
    answers: { ...cssrsNo, q1: 'ja' },
    risk: 'high',
    signal: { kind: 'suicide-risk', level: 'high' },
  },
  // C-SSRS: intent (Q4) — immediate safety steps, acute
  {
    instrument: 'cssrs',
    flag: 'cssrs-high-risk',
    answers: { q1: 'ja', q2: 'ja', q3: 'nee', q4: 'ja', q5: 'nee', q6: 'nee' },
    risk: 'acute',
    signal: { kind: 'suicide-high-risk', level: 'acute' },
  },
  // warnings: follow up, no safety signal
  {
    instrument: 'djg6',
    flag: 'severe-loneliness',
    answers: djg6('ja', 'nee'),
    risk: 'attention',
    signal: null,
  },
  { instrument: 'k10', flag: 'high-distress', answers: k10('meestal'), risk: 'attention', signal: null },
  { instrument: 'gad7', flag: 'referral-suggested', answers: gad7(2), risk: 'attention', signal: null },
];

describe('the risk vocabulary', () => {
  it('is none, attention, high, acute — in that order; a signal is never none; high and acute need a safety action', () => {
    expect(RISK_LEVELS).toEqual(['none', 'attention', 'high', 'acute']);
    expect(SIGNAL_RISK_LEVELS).toEqual(['attention', 'high', 'acute']);
    expect(HIGH_RISK_LEVELS).toEqual(['high', 'acute']);
    expect(RISK_LEVELS.map(isHighRisk)).toEqual([false, false, true, true]);
    expect([isHighRisk(null), isHighRisk(undefined), isHighRisk('moderate')]).toEqual([false, false, false]);
  });

  it('the highest level wins; nothing is none; an unknown word counts for nothing', () => {
    expect(highestRisk([])).toBe('none');
    expect(highestRisk(['attention', 'acute', 'high'])).toBe('acute');
    expect(highestRisk(['none', 'attention'])).toBe('attention');
    expect(highestRisk(['moderate', 'none'])).toBe('none');
  });

  it('lists sorted by urgency put acute first, then high, then the rest together', () => {
    expect(['none', 'attention', 'high', 'acute', null].map(riskSortRank)).toEqual([2, 2, 1, 0, 2]);
  });
});

describe('each instrument flag → its risk level and signal', () => {
  it('every flag of every instrument has a level, and the table names no flag that does not exist', () => {
    const flags = INSTRUMENTS.flatMap((d) => d.flags.map((f) => f.code));
    expect(new Set(flags).size).toBe(flags.length); // codes are unique across instruments
    expect(Object.keys(RISK_OF_FLAG).sort()).toEqual([...flags].sort());
    expect(EXPECTED.map((e) => e.flag).sort()).toEqual([...flags].sort());
  });

  it.each(EXPECTED)('$instrument $flag → $risk', (e) => {
    const { flags, risk, signal } = assess(e.instrument, e.answers);
    expect(flags).toContain(e.flag);
    expect(RISK_OF_FLAG[e.flag]).toBe(e.risk);
    expect(risk).toBe(e.risk);
    expect(signal).toEqual(e.signal);
  });

  it('PHQ-9: every answer above 0 on item 9 is high, whatever the total; 0 with a severe total is none', () => {
    for (const item9 of [1, 2, 3]) expect(assess('phq9', phq9(item9)).risk, `item 9 = ${item9}`).toBe('high');
    expect(assess('phq9', phq9(0, 3))).toMatchObject({ flags: [], risk: 'none', signal: null });
  });

  it('C-SSRS: a plan with intent (Q5) and behaviour in the past three months (Q6b) are acute; lifetime behaviour alone is high', () => {
    expect(assess('cssrs', { q1: 'nee', q2: 'ja', q3: 'ja', q4: 'nee', q5: 'ja', q6: 'nee' }).risk).toBe('acute');
    expect(assess('cssrs', { ...cssrsNo, q6: 'ja', q6b: 'ja' }).risk).toBe('acute');
    expect(assess('cssrs', { ...cssrsNo, q6: 'ja', q6b: 'nee' })).toMatchObject({
      risk: 'high',
      signal: { kind: 'suicide-risk', level: 'high' },
    });
    expect(assess('cssrs', cssrsNo)).toMatchObject({ flags: [], risk: 'none', signal: null });
  });

  it('below the warnings nothing is flagged', () => {
    expect(assess('k10', k10('soms')).risk).toBe('attention'); // 3 × 10 = 30: the threshold itself
    expect(assess('k10', k10('af-en-toe')).risk).toBe('none'); // 20
    expect(assess('gad7', gad7(1)).risk).toBe('none');
    expect(assess('djg6', djg6('nee', 'ja')).risk).toBe('none');
  });

  it('an acute flag raises the acute signal, not the high one it also implies', () => {
    expect(signalOfFlags(['cssrs-positive', 'cssrs-high-risk'])).toEqual({ kind: 'suicide-high-risk', level: 'acute' });
    expect(signalOfFlags(['cssrs-high-risk', 'cssrs-positive'])).toEqual({ kind: 'suicide-high-risk', level: 'acute' });
    expect(signalOfFlags(['severe-loneliness', 'high-distress'])).toBeNull();
  });

  it('a flag the table does not know still asks for attention', () => {
    expect(riskOfFlags(['some-new-flag'])).toBe('attention');
  });
});

describe("a help request's risk", () => {
  it('is the highest of the latest flags and every signal; a signal stays when a later screening has no flag', () => {
    expect(helpRequestRisk({ latestFlags: [], signalLevels: [] })).toBe('none');
    expect(helpRequestRisk({ latestFlags: ['high-distress'], signalLevels: [] })).toBe('attention');
    expect(helpRequestRisk({ latestFlags: ['high-distress'], signalLevels: ['high'] })).toBe('high');
    expect(helpRequestRisk({ latestFlags: [], signalLevels: ['high'] })).toBe('high');
    expect(helpRequestRisk({ latestFlags: ['suicide-risk'], signalLevels: ['attention'] })).toBe('high');
    expect(helpRequestRisk({ latestFlags: ['cssrs-high-risk'], signalLevels: ['high'] })).toBe('acute');
    expect(helpRequestRisk({ latestFlags: [], signalLevels: ['attention', 'acute'] })).toBe('acute');
  });
});
