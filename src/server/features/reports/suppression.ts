/**
 * Small-cell suppression for published aggregates (ARCHITECTURE.md "Reporting", rule written there too).
 *
 * - A cell counting 1–4 persons is published as `"<5"` (primary suppression). Zero stays 0.
 * - A table is published as cells plus additive relations between them (Σ plus = Σ minus: the months of a period
 *   against the same period by reason, an outcome breakdown against its total). Every cell stands in at most one
 *   relation, so each relation can be solved on its own, exactly.
 * - For every relation, the feasible range of each hidden cell is worked out from the published cells and what the
 *   labels say (`"<5"`: 0–4; `"x"`: 5 or more). While some hidden cell has a single feasible value, the smallest
 *   published cell of that relation is hidden as well (complementary suppression): as `"<5"` when it is 0 (true), as
 *   `"x"` when it is 5 or more.
 */
export type Published = number | '<5' | 'x';
export const SUPPRESSED_BELOW = 5;

export interface Relation {
  plus: number[];
  minus: number[];
}

type State = 'shown' | 'small' | 'hidden';

function bounds(state: State, value: number): [number, number] {
  if (state === 'shown') return [value, value];
  if (state === 'small') return [0, SUPPRESSED_BELOW - 1];
  return [SUPPRESSED_BELOW, Infinity];
}

/** The feasible range of every cell of one relation given what is published (exact for a single ±1 equation). */
export function feasibleRanges(
  relation: Relation,
  values: readonly number[],
  states: readonly State[],
): Map<number, [number, number]> {
  const terms = [...relation.plus.map((i) => ({ i, sign: 1 })), ...relation.minus.map((i) => ({ i, sign: -1 }))];
  const out = new Map<number, [number, number]>();
  for (const { i, sign } of terms) {
    // sign·x_i = −Σ_{j≠i} sign_j·x_j
    let lo = 0;
    let hi = 0;
    for (const t of terms) {
      if (t.i === i) continue;
      const [a, b] = bounds(states[t.i]!, values[t.i]!);
      const [tlo, thi] = t.sign > 0 ? [-b, -a] : [a, b];
      lo += tlo;
      hi += thi;
    }
    const [ownLo, ownHi] = bounds(states[i]!, values[i]!);
    const [xlo, xhi] = sign > 0 ? [lo, hi] : [-hi, -lo];
    out.set(i, [Math.max(ownLo, xlo), Math.min(ownHi, xhi)]);
  }
  return out;
}

/** Publishes `values` with primary and complementary suppression over the given relations. */
export function suppress(values: readonly number[], relations: readonly Relation[] = []): Published[] {
  const seen = new Set<number>();
  for (const r of relations)
    for (const i of [...r.plus, ...r.minus]) {
      if (seen.has(i)) throw new Error(`cell ${i} stands in two relations`);
      seen.add(i);
    }
  const states: State[] = values.map((v) => (v >= 1 && v < SUPPRESSED_BELOW ? 'small' : 'shown'));
  for (const relation of relations) {
    const members = [...relation.plus, ...relation.minus];
    for (;;) {
      const ranges = feasibleRanges(relation, values, states);
      const exposed = members.some((i) => states[i] !== 'shown' && ranges.get(i)![0] >= ranges.get(i)![1]);
      if (!exposed) break;
      const candidates = members.filter((i) => states[i] === 'shown').sort((a, b) => values[a]! - values[b]! || a - b);
      const next = candidates[0];
      if (next === undefined) break;
      states[next] = values[next]! < SUPPRESSED_BELOW ? 'small' : 'hidden';
    }
  }
  return values.map((v, i) => (states[i] === 'small' ? '<5' : states[i] === 'hidden' ? 'x' : v));
}
