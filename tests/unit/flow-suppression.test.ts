import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { publishFlowTable, ROW_COUNTS, type RowCount } from '../../src/server/features/reports/reports.service.ts';
import type { Published } from '../../src/server/features/reports/suppression.ts';

/**
 * The flow monitor's tables (months, quarters, organisations or levels: the same shape), attacked by solving. For one
 * relation Σ sign·x = 0, the feasible values of a hidden cell are found exactly by building the set of sums the other
 * cells can reach (their labels' domains: "<5" 0–4, "x" 5 up to the cap, numbers as published).
 */
function feasible(cells: { p: Published | null; sign: 1 | -1 }[], i: number, cap: number): Set<number> {
  const domain = (p: Published | null) =>
    typeof p === 'number'
      ? [p]
      : p === '<5'
        ? [0, 1, 2, 3, 4]
        : p === 'x'
          ? Array.from({ length: cap - 4 }, (_, k) => k + 5)
          : Array.from({ length: cap + 1 }, (_, k) => k);
  let sums = new Set([0]);
  cells.forEach((c, j) => {
    if (j === i) return;
    const next = new Set<number>();
    for (const s of sums) for (const v of domain(c.p)) next.add(s + c.sign * v);
    sums = next;
  });
  const own = cells[i]!;
  return new Set(domain(own.p).filter((v) => sums.has(-own.sign * v)));
}

/** Splits `total` into `parts` non-negative counts. */
const split = (total: number, parts: number) =>
  fc.array(fc.integer({ min: 0, max: total }), { minLength: parts - 1, maxLength: parts - 1 }).map((cuts) => {
    const sorted = [0, ...cuts.sort((a, b) => a - b), total];
    return sorted.slice(1).map((v, k) => v - sorted[k]!);
  });

const small = fc.integer({ min: 0, max: 8 });
const flowTables = fc
  .array(fc.record({ hr: small, sig: small, ref: small, declined: small, finished: small, other: small }), {
    minLength: 1,
    maxLength: 4,
  })
  .chain((rows) =>
    fc
      .tuple(
        fc.integer({ min: 1, max: 3 }).chain((n) =>
          split(
            rows.reduce((s, r) => s + r.declined, 0),
            n,
          ),
        ),
        split(
          rows.reduce((s, r) => s + r.finished, 0),
          3,
        ),
      )
      .map(([reasons, outcomes]) => ({ rows, reasons, outcomes })),
  );

describe('flow table suppression', () => {
  it('adversarial flow tables: labels are truthful and no hidden cell is recoverable from any relation', () => {
    fc.assert(
      fc.property(flowTables, ({ rows, reasons, outcomes }) => {
        const counts = rows.map(
          (r) =>
            Object.fromEntries(
              ROW_COUNTS.map((key) => [
                key,
                {
                  inflow: r.hr + r.sig + r.ref,
                  help_requests: r.hr,
                  signals: r.sig,
                  referrals: r.ref,
                  declined: r.declined,
                  finished: r.finished,
                }[key as string] ?? r.other,
              ]),
            ) as Record<RowCount, number>,
        );
        const table = publishFlowTable(counts, reasons, outcomes, [3, 0]);
        const truthful = (p: Published | null, v: number) => {
          if (p === null) return;
          if (v >= 1 && v <= 4) expect(p).toBe('<5');
          if (p === '<5') expect(v).toBeLessThan(5);
          if (p === 'x') expect(v).toBeGreaterThanOrEqual(5);
          if (typeof p === 'number') expect(p).toBe(v);
        };
        counts.forEach((c, i) => ROW_COUNTS.forEach((k) => truthful(table.rows[i]![k], c[k])));
        reasons.forEach((v, i) => truthful(table.reasons[i]!, v));
        outcomes.forEach((v, i) => truthful(table.outcomes[i]!, v));
        expect(table.singles).toEqual(['<5', 0]);

        const relations: { p: Published | null; v: number; sign: 1 | -1 }[][] = [
          ...counts.map((c, i) => [
            { p: table.rows[i]!.inflow, v: c.inflow, sign: 1 as const },
            { p: table.rows[i]!.help_requests, v: c.help_requests, sign: -1 as const },
            { p: table.rows[i]!.signals, v: c.signals, sign: -1 as const },
            { p: table.rows[i]!.referrals, v: c.referrals, sign: -1 as const },
          ]),
          [
            ...counts.map((c, i) => ({ p: table.rows[i]!.declined, v: c.declined, sign: 1 as const })),
            ...reasons.map((v, i) => ({ p: table.reasons[i]!, v, sign: -1 as const })),
          ],
          [
            ...counts.map((c, i) => ({ p: table.rows[i]!.finished, v: c.finished, sign: 1 as const })),
            ...outcomes.map((v, i) => ({ p: table.outcomes[i]!, v, sign: -1 as const })),
          ],
        ];
        for (const relation of relations) {
          const cap = relation.reduce((s, c) => s + c.v, 0) + 5;
          relation.forEach((cell, i) => {
            if (typeof cell.p === 'number') return;
            const options = feasible(relation, i, cap);
            expect(options.has(cell.v)).toBe(true);
            expect(options.size, JSON.stringify(relation)).toBeGreaterThan(1);
          });
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a row whose inflow would give a small component away hides the smallest shown component too', () => {
    const row = Object.fromEntries(ROW_COUNTS.map((k) => [k, 0])) as Record<RowCount, number>;
    Object.assign(row, { inflow: 14, help_requests: 2, signals: 0, referrals: 12 });
    const table = publishFlowTable([row], [], [0, 0, 0], []);
    expect(table.rows[0]).toMatchObject({ inflow: 14, help_requests: '<5', signals: '<5', referrals: 12 });
  });
});
