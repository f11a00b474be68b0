/** Quarters and months as the reports speak them ('2026-Q3', '2026-07'), turned into inclusive date ranges. */
export interface Period {
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

export function quarterPeriod(quarter: string): Period {
  const [year, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(6))];
  const first = (q - 1) * 3 + 1;
  return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(first + 2)}-${lastDay(year, first + 2)}` };
}

export function previousQuarter(quarter: string): string {
  const [year, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(6))];
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
}

export function monthPeriod(from: string, to: string): Period {
  const [y, m] = [Number(to.slice(0, 4)), Number(to.slice(5, 7))];
  return { from: `${from}-01`, to: `${to}-${lastDay(y, m)}` };
}

/** The number of months from `from` to `to` inclusive (negative when reversed). */
export function monthSpan(from: string, to: string): number {
  return (
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1
  );
}

/** The quarter a date falls in. */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}
