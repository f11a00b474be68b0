import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { suppress, type Published, type Relation } from '../../src/server/features/reports/suppression.ts';
import { suppressModule } from '../../src/server/features/reports/reports.service.ts';

/**
 * The attacker's view, solved by enumeration (independent of the code's interval formula): every hidden cell ranges
 * over what its label allows ("<5": 0–4, "x": 5 up to the relation's largest possible sum); every assignment that
 * satisfies the relations with the published cells is feasible. A hidden cell is safe when it has two or more
 * feasible values.
 */
function feasibleValues(published: Published[], relations: Relation[], cap: number): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const r of relations) {
    const members = [...r.plus, ...r.minus];
    const hidden = members.filter((i) => typeof published[i] === 'string');
    const domain = (i: number) =>
      published[i] === '<5' ? [0, 1, 2, 3, 4] : Array.from({ length: cap - 4 }, (_, k) => k + 5);
    const assign = new Map<number, number>();
    const walk = (k: number) => {
      if (k === hidden.length) {
        const value = (i: number) => (typeof published[i] === 'number' ? published[i] : assign.get(i)!);
        const sum = r.plus.reduce((s, i) => s + value(i), 0) - r.minus.reduce((s, i) => s + value(i), 0);
        if (sum === 0) for (const i of hidden) (out.get(i) ?? out.set(i, new Set()).get(i)!).add(assign.get(i)!);
        return;
      }
      for (const v of domain(hidden[k]!)) {
        assign.set(hidden[k]!, v);
        walk(k + 1);
      }
    };
    walk(0);
  }
  return out;
}

/** months × (declined) against reasons: a vector of month counts and a vector of reason counts with equal sums */
const linkedVectors = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 3 }))
  .chain(([months, reasons]) => {
    const total = months.reduce((a, b) => a + b, 0);
    // split the same total over the reasons
    return fc
      .array(fc.integer({ min: 0, max: total }), { minLength: reasons - 1, maxLength: reasons - 1 })
      .map((cuts) => {
        const sorted = [0, ...cuts.sort((a, b) => a - b), total];
        return { months, reasons: sorted.slice(1).map((v, i) => v - sorted[i]!) };
      });
  });

describe('small-cell suppression', () => {
  it('hides 1–4 and keeps 0 and 5+ when nothing relates the cells', () => {
    expect(suppress([0, 1, 4, 5, 120])).toEqual([0, '<5', '<5', 5, 120]);
  });

  it('a single small cell beside a published total gets a second hidden cell (the smallest)', () => {
    // 3 + 7 + 12 = 22: hiding only the 3 would give it away
    expect(suppress([3, 7, 12, 22], [{ plus: [0, 1, 2], minus: [3] }])).toEqual(['<5', 'x', 12, 22]);
    // a zero next to it is hidden first, as "<5" (which is true of 0)
    expect(suppress([3, 0, 12, 15], [{ plus: [0, 1, 2], minus: [3] }])).toEqual(['<5', '<5', 12, 15]);
  });

  it('two small cells whose sum gives them away (4 + 4 = 8 with both in 0–4) get a third', () => {
    const out = suppress([4, 4, 9, 17], [{ plus: [0, 1, 2], minus: [3] }]);
    expect(out).toEqual(['<5', '<5', 'x', 17]);
  });

  it('adversarial linked tables: no hidden cell is recoverable by solving', () => {
    fc.assert(
      fc.property(linkedVectors, ({ months, reasons }) => {
        const values = [...months, ...reasons];
        const relation: Relation = {
          plus: months.map((_, i) => i),
          minus: reasons.map((_, i) => months.length + i),
        };
        const published = suppress(values, [relation]);
        // truthful labels: "<5" only on 0–4, "x" only on 5+, numbers as they are, every 1–4 hidden
        values.forEach((v, i) => {
          const p = published[i];
          if (v >= 1 && v <= 4) expect(p).toBe('<5');
          if (p === '<5') expect(v).toBeLessThan(5);
          if (p === 'x') expect(v).toBeGreaterThanOrEqual(5);
          if (typeof p === 'number') expect(p).toBe(v);
        });
        const cap = values.reduce((a, b) => a + b, 0) + 5;
        const feasible = feasibleValues(published, [relation], cap);
        published.forEach((p, i) => {
          if (typeof p !== 'string') return;
          const options = feasible.get(i)!;
          expect(options.has(values[i]!)).toBe(true);
          expect(options.size, `cell ${i} of ${JSON.stringify(values)} → ${JSON.stringify(published)}`).toBeGreaterThan(
            1,
          );
        });
      }),
      { numRuns: 400 },
    );
  });

  it('a module row: when the active count is small, every count of the row is hidden', () => {
    const row = suppressModule({
      module: 'youth',
      fte: 1,
      normPerFte: 60,
      norm: 15,
      trajectories: 4,
      newTrajectories: 0,
      finishedTrajectories: 4,
      finishedByOutcome: { fully: 4, partly: 0, not: 0 },
      ratio: 0.27,
    });
    // with "new" shown as 0 and "finished" 4, active ≥ 4 would give away 4: so all are "<5", and no ratio
    expect(row).toMatchObject({
      trajectories: '<5',
      newTrajectories: '<5',
      finishedTrajectories: '<5',
      finishedByOutcome: { fully: '<5', partly: '<5', not: '<5' },
      ratio: null,
    });
  });
});

/**
 * Module rows against an attacker who knows the labels AND the row's arithmetic: active ≥ new, active ≥ finished,
 * finished = fully + partly + not (ARCHITECTURE "Reporting": the attacker's knowledge is the labels, "<5" = 0–4,
 * "x" = 5 or more). Every row up to `MAX` active is published with `suppressModule`; for each published row the
 * attacker's candidates are every row (same bounds) that agrees with the shown numbers, fits the labels and keeps the
 * inequalities. Each hidden cell must have two or more candidate values. Candidates are limited to `MAX` active;
 * a hidden cell's range only grows with more rows, so the check is stricter than the attacker.
 */
describe('module rows: active ≥ new and active ≥ finished leave no hidden count recoverable', () => {
  const MAX = 11;
  type Truth = [active: number, started: number, finished: number, fully: number, partly: number, not: number];
  const byActive: Truth[][] = [];
  for (let a = 0; a <= MAX; a++) {
    byActive[a] = [];
    for (let s = 0; s <= a; s++)
      for (let f = 0; f <= a; f++)
        for (let p = 0; f + p <= a; p++)
          for (let n = 0; f + p + n <= a; n++) byActive[a]!.push([a, s, f + p + n, f, p, n]);
  }
  const all = byActive.flat();

  const publish = ([a, s, , f, p, n]: Truth) => {
    const out = suppressModule({
      module: 'youth',
      fte: 1,
      normPerFte: 60,
      norm: 15,
      trajectories: a,
      newTrajectories: s,
      finishedTrajectories: f + p + n,
      finishedByOutcome: { fully: f, partly: p, not: n },
      ratio: Math.round((a / 15) * 100) / 100,
    });
    return {
      cells: [
        out.trajectories,
        out.newTrajectories,
        out.finishedTrajectories,
        out.finishedByOutcome.fully,
        out.finishedByOutcome.partly,
        out.finishedByOutcome.not,
      ] as Published[],
      ratio: out.ratio,
    };
  };
  const fits = (cells: Published[], t: Truth) =>
    cells.every((c, i) => (c === '<5' ? t[i]! <= 4 : c === 'x' ? t[i]! >= 5 : t[i] === c));
  const candidatesOf = (cells: Published[]) =>
    (typeof cells[0] === 'number' ? byActive[cells[0]]! : byActive.slice(0, 5).flat()).filter((t) => fits(cells, t));
  const NAMES = ['active', 'new', 'finished', 'fully', 'partly', 'not'];

  it(`every row up to ${MAX} active: labels truthful, every hidden cell has two or more candidates`, () => {
    const published = new Map<string, Published[]>();
    for (const truth of all) {
      const { cells, ratio } = publish(truth);
      cells.forEach((c, i) => {
        const v = truth[i]!;
        if (v >= 1 && v <= 4) expect(c).not.toBe(v);
        if (c === '<5') expect(v).toBeLessThan(5);
        if (c === 'x') expect(v).toBeGreaterThanOrEqual(5);
        if (typeof c === 'number') expect(c).toBe(v);
      });
      // the ratio is active ÷ norm: shown only beside a shown active count
      if (typeof cells[0] === 'string') expect(ratio).toBeNull();
      if (cells.some((c) => typeof c === 'string')) published.set(JSON.stringify(cells), cells);
    }
    expect(published.size).toBeGreaterThan(500); // the enumeration really exercises suppression
    for (const [key, cells] of published) {
      const candidates = candidatesOf(cells);
      cells.forEach((c, i) => {
        if (typeof c !== 'string') return;
        const values = new Set(candidates.map((t) => t[i]));
        expect(values.size, `${NAMES[i]} of ${key} is recoverable: only ${[...values].join()}`).toBeGreaterThan(1);
      });
    }
  });

  it('adversarial rows: the inequalities alone would give a small row away, so all of it is hidden', () => {
    // active 4 with 4 finished: shown "new 0, finished 4" would pin active ≥ 4, i.e. 4
    expect(publish([4, 0, 4, 4, 0, 0]).cells).toEqual(['<5', '<5', '<5', '<5', '<5', '<5']);
    // active 2, new 2: new ≤ active with new shown would bound the hidden active
    expect(publish([2, 2, 0, 0, 0, 0]).cells.every((c) => c === '<5')).toBe(true);
    // active 5 shown, new 3 and finished 5 (4 fully, 1 partly): finished 5 ≤ active 5 is shown, the outcome cells are
    // hidden together with the zero so that fully + partly + not = 5 keeps several solutions
    const row = publish([5, 3, 5, 4, 1, 0]).cells;
    expect(row.slice(0, 3)).toEqual([5, '<5', 5]);
    expect(new Set(candidatesOf(row).map((t) => t[3])).size).toBeGreaterThan(1);
  });
});
