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

// ---------------------------------------------------------------------------------------------------------------
// Tables with margins: a cell in two relations

/** A change of fixed cells the published figures allow (each cell by +1 or −1), e.g. a total and one of its parts. */
export type Move = { cell: number; by: 1 | -1 }[];

/** The label's bounds of a published cell as the attacker reads them. */
function labelBounds(p: Published): [number, number] {
  if (typeof p === 'number') return [p, p];
  return p === '<5' ? [0, SUPPRESSED_BELOW - 1] : [SUPPRESSED_BELOW, Infinity];
}

/**
 * For every hidden cell of a single-relation system (each cell in at most one relation, e.g. what `suppress`
 * published), one change that keeps every relation and every label: the cell moves by one and a partner in its
 * relation compensates. Partners outside `prefer` are taken first, so that a move touches as few of those cells as
 * it can. Deterministic: the same figures give the same moves.
 */
export function compensatingMoves(
  values: readonly number[],
  published: readonly Published[],
  relations: readonly Relation[],
  prefer: ReadonlySet<number> = new Set(),
): Map<number, Move> {
  const out = new Map<number, Move>();
  for (const r of relations) {
    const sign = new Map<number, number>([
      ...r.plus.map((i) => [i, 1] as const),
      ...r.minus.map((i) => [i, -1] as const),
    ]);
    const members = [...sign.keys()];
    const canMove = (i: number, by: number) => {
      const [lo, hi] = labelBounds(published[i]!);
      return values[i]! + by >= lo && values[i]! + by <= hi && typeof published[i] !== 'number';
    };
    const partners = [...members].sort((a, b) => Number(prefer.has(a)) - Number(prefer.has(b)) || a - b);
    for (const i of members) {
      if (typeof published[i] === 'number') continue;
      // down first: a primary cell (1–4) can always go down, so a breakdown under the totals can follow
      search: for (const by of [-1, 1] as const)
        for (const p of partners) {
          if (p === i) continue;
          const pBy = (-(sign.get(i)! * by) * sign.get(p)!) as 1 | -1;
          if (canMove(i, by) && canMove(p, pBy)) {
            out.set(i, [
              { cell: i, by },
              { cell: p, by: pBy },
            ]);
            break search;
          }
        }
    }
  }
  return out;
}

interface Arc {
  tail: number;
  head: number;
  /** a cell's index, or −1 − k for the k-th move of fixed cells */
  id: number;
}

/**
 * Publishes the free cells of a table whose cells stand in up to two relations (rows and columns: a table with
 * margins), given fixed cells whose publication is already decided (the period's totals) and the moves of those
 * fixed cells that must stay possible (`moves`: each one is what keeps a hidden total from being solved).
 *
 * Such a system is a network: after giving every relation a sign, each free cell is an arc between its two relations
 * (or between its relation and a free "ground" node), and the matrix is totally unimodular, so integer reasoning is
 * exact on it. A free hidden cell can take another value exactly when it lies on a cycle of the residual graph
 * (arcs a cell can move along within its label: "<5" 0–4, "x" 5 or more; shown cells cannot move). Each move of
 * fixed cells is an extra arc that can be used once, forward. Checked: every hidden free cell and every move lies on
 * such a cycle using at most one move (so that any two answers absorbing the same moves are safe together). While
 * one does not, the smallest shown cell of the nearest relations is hidden (complementary suppression, truthful
 * labels). When a relation has no shown cell left to hide and is still exposed (e.g. a column of fours under a
 * shown total: each is 4), its block is withheld (`null`: not published) and `protected` is false.
 */
export function suppressTable(
  values: readonly number[],
  relations: readonly Relation[],
  fixed: ReadonlyMap<number, Published>,
  moves: readonly Move[] = [],
): { published: (Published | null)[]; protected: boolean } {
  const ground = relations.length;
  const memberOf = new Map<number, { relation: number; sign: number }[]>();
  relations.forEach((r, k) => {
    for (const [list, sign] of [
      [r.plus, 1],
      [r.minus, -1],
    ] as const)
      for (const i of list) (memberOf.get(i) ?? memberOf.set(i, []).get(i)!).push({ relation: k, sign });
  });
  // sign the relations so that every free cell has +1 in one and −1 in the other (a directed arc)
  const orientation = new Array<number>(relations.length).fill(0);
  const free = values.map((_, i) => i).filter((i) => !fixed.has(i));
  for (const start of relations.keys()) {
    if (orientation[start]) continue;
    orientation[start] = 1;
    const queue = [start];
    while (queue.length) {
      const k = queue.shift()!;
      for (const i of free) {
        const ms = memberOf.get(i) ?? [];
        if (ms.length > 2) throw new Error(`cell ${i} stands in more than two relations`);
        const here = ms.find((m) => m.relation === k);
        const other = ms.find((m) => m.relation !== k);
        if (!here || !other) continue;
        const wanted = -orientation[k]! * here.sign * other.sign;
        if (!orientation[other.relation]) {
          orientation[other.relation] = wanted;
          queue.push(other.relation);
        } else if (orientation[other.relation] !== wanted) throw new Error('the relations do not form a network');
      }
    }
  }
  const arcOf = (effects: Map<number, number>, id: number): Arc => {
    const ends = [...effects].filter(([, e]) => e !== 0);
    const tail = ends.filter(([, e]) => e === 1).map(([k]) => k);
    const head = ends.filter(([, e]) => e === -1).map(([k]) => k);
    if (ends.length > 2 || tail.length > 1 || head.length > 1) throw new Error(`change ${id} is not an arc`);
    return { tail: tail[0] ?? ground, head: head[0] ?? ground, id };
  };
  const effectsOf = (changes: Move) => {
    const effects = new Map<number, number>();
    for (const { cell, by } of changes)
      for (const m of memberOf.get(cell) ?? [])
        effects.set(m.relation, (effects.get(m.relation) ?? 0) + orientation[m.relation]! * m.sign * by);
    return effects;
  };
  const cellArcs = new Map(free.map((i) => [i, arcOf(effectsOf([{ cell: i, by: 1 }]), i)]));
  const moveArcs = moves.map((move, k) => arcOf(effectsOf(move), -1 - k));

  const states: (State | 'withheld')[] = values.map((v) => (v >= 1 && v < SUPPRESSED_BELOW ? 'small' : 'shown'));
  const label = (i: number): Published | null =>
    fixed.get(i) ??
    (states[i] === 'small' ? '<5' : states[i] === 'hidden' ? 'x' : states[i] === 'withheld' ? null : values[i]!);
  const bounds = (i: number): [number, number] => {
    const p = label(i);
    return p === null ? [0, Infinity] : labelBounds(p);
  };

  /** Residual edges: [from, to, arc id, is a move]. */
  type Edges = Map<number, [number, number, boolean][]>;
  /** Residual edges per node: [to, arc id, is a move], for the cells' states (or all of them hidden). */
  const residualOf = (allHidden: boolean): Edges => {
    const out: Edges = new Map();
    const edge = (from: number, to: number, id: number, isMove: boolean) =>
      (out.get(from) ?? out.set(from, []).get(from)!).push([to, id, isMove]);
    for (const [i, arc] of cellArcs) {
      if (!allHidden && states[i] === 'shown') continue;
      const [lo, hi] =
        allHidden && states[i] === 'shown' ? labelBounds(values[i]! < SUPPRESSED_BELOW ? '<5' : 'x') : bounds(i);
      if (values[i]! < hi) edge(arc.tail, arc.head, i, false);
      if (values[i]! > lo) edge(arc.head, arc.tail, i, false);
    }
    for (const arc of moveArcs) edge(arc.tail, arc.head, arc.id, true);
    return out;
  };
  // rebuilt only after a cell changed state
  let cached: { version: number; out: Edges } | undefined;
  let version = 0;
  const residual = () => {
    if (cached?.version !== version) cached = { version, out: residualOf(false) };
    return cached.out;
  };
  /** Is there a path from `from` to `to` without arc `skip`, using at most `budget` moves? */
  const reachable = (from: number, to: number, skip: number, budget: number, edges = residual()) => {
    const key = (node: number, used: number) => node * 2 + used;
    const seen = new Set<number>([key(from, 0)]);
    const queue: [number, number][] = [[from, 0]];
    for (let head = 0; head < queue.length; head++) {
      const [node, used] = queue[head]!;
      if (node === to) return true;
      for (const [b, id, isMove] of edges.get(node) ?? []) {
        if (id === skip) continue;
        const next = used + (isMove ? 1 : 0);
        if (next > budget || seen.has(key(b, next))) continue;
        seen.add(key(b, next));
        queue.push([b, next]);
      }
    }
    return false;
  };
  const onCycle = (id: number, edges = residual()) => {
    if (id < 0) {
      const arc = moveArcs[-1 - id]!;
      return reachable(arc.head, arc.tail, id, 0, edges);
    }
    const arc = cellArcs.get(id)!;
    if (states[id] === 'withheld') return true;
    const [lo, hi] = states[id] === 'shown' ? labelBounds(values[id]! < SUPPRESSED_BELOW ? '<5' : 'x') : bounds(id);
    return (
      (values[id]! < hi && reachable(arc.head, arc.tail, id, 1, edges)) ||
      (values[id]! > lo && reachable(arc.tail, arc.head, id, 1, edges))
    );
  };
  /** The smallest shown free cell of the relations nearest to an arc (widening over hidden cells, not over ground). */
  const complement = (arc: Arc) => {
    const seen = new Set([arc.tail, arc.head].filter((k) => k !== ground));
    let layer = [...seen];
    while (layer.length) {
      const candidates = free
        .filter(
          (i) =>
            states[i] === 'shown' &&
            mayMove(i) &&
            [cellArcs.get(i)!.tail, cellArcs.get(i)!.head].some((k) => seen.has(k)),
        )
        .sort((a, b) => values[a]! - values[b]! || a - b);
      if (candidates.length) return candidates[0];
      const next: number[] = [];
      for (const [i, a] of cellArcs)
        if (states[i] !== 'shown' && (layer.includes(a.tail) || layer.includes(a.head)))
          for (const k of [a.tail, a.head])
            if (k !== ground && !seen.has(k)) {
              seen.add(k);
              next.push(k);
            }
      layer = next;
    }
    return undefined;
  };

  // a cell can only help when it could move with everything else hidden: a 0 under a total of 0 never can, and
  // hiding it would only make one more cell to protect
  let optimistic: Edges | undefined;
  const movable = new Map<number, boolean>();
  const mayMove = (i: number) => {
    if (!movable.has(i)) movable.set(i, onCycle(i, (optimistic ??= residualOf(true))));
    return movable.get(i)!;
  };

  /**
   * The last resort: a relation still exposed with nothing left to hide. Every cell of the relations connected to it
   * (rows and columns: the whole block) is withheld — not published, any value —, but for zeros under an all-zero
   * relation, which the other figures give away anyway. Withholding only one column would leave its sum to be read
   * off the totals.
   */
  const withhold = (arc: Arc) => {
    const component = new Set([arc.tail, arc.head].filter((k) => k !== ground));
    for (let grew = true; grew;) {
      grew = false;
      for (const a of cellArcs.values())
        if (component.has(a.tail) !== component.has(a.head) && a.tail !== ground && a.head !== ground) {
          component.add(a.tail).add(a.head);
          grew = true;
        }
    }
    const allZero = (k: number) => [...relations[k]!.plus, ...relations[k]!.minus].every((i) => values[i] === 0);
    for (const [i, a] of cellArcs) {
      const ends = [a.tail, a.head].filter((k) => k !== ground);
      if (!ends.some((k) => component.has(k))) continue;
      if (values[i] === 0 && ends.some(allZero)) continue;
      states[i] = 'withheld';
    }
    version++;
  };

  let complete = true;
  // protection only grows as cells are hidden, so each cell or move needs to be found safe once
  const pending: number[] = [...free.filter((i) => states[i] !== 'shown'), ...moveArcs.map((a) => a.id)];
  const queued = new Set(pending);
  while (pending.length) {
    const id = pending.shift()!;
    while (!onCycle(id)) {
      const arc = id < 0 ? moveArcs[-1 - id]! : cellArcs.get(id)!;
      const next = id >= 0 && !mayMove(id) ? undefined : complement(arc);
      if (next === undefined) {
        withhold(arc);
        complete = false;
        if (!onCycle(id)) break;
        continue;
      }
      states[next] = values[next]! < SUPPRESSED_BELOW ? 'small' : 'hidden';
      version++;
      if (!queued.has(next)) {
        queued.add(next);
        pending.push(next);
      }
    }
  }
  return { published: values.map((_, i) => label(i)), protected: complete };
}
