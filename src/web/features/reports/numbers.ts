/**
 * Numbers of the reports as the reader's language writes them (Intl, not `.toFixed` with a dot): nl-BE "2,5",
 * "1.234", "83,4 %"; English "2.5", "1,234", "83.4%". One place, so the output, the staffing form and the flow
 * monitor agree.
 */
export type Cell = number | string | null | undefined;

const localeOf = (lang: string) => (lang.startsWith('nl') ? 'nl-BE' : 'en');

/** A count or a figure with up to two decimals; `grouping: false` for the value of an input ("1234,5"). */
export function formatNumber(n: number, lang: string, grouping = true): string {
  return new Intl.NumberFormat(localeOf(lang), { maximumFractionDigits: 2, useGrouping: grouping }).format(n);
}

/** A ratio (0.834) as a percentage with one decimal: "83,4 %" (Dutch writes a space before the sign). */
export function formatPercent(ratio: number, lang: string): string {
  const text = new Intl.NumberFormat(localeOf(lang), { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
  return localeOf(lang) === 'nl-BE' ? text.replace(/\s?%$/, '\u00a0%') : text;
}

/** A published cell: a number in the language's notation, a suppressed "<5" or "x" as it is, nothing as "–". */
export function formatCell(v: Cell, lang: string): string {
  if (v === null || v === undefined) return '–';
  return typeof v === 'number' ? formatNumber(v, lang) : v;
}
