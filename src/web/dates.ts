/**
 * Dates typed the Belgian way, whatever the browser's language: day, month, year (dd/mm/jjjj), read into the ISO
 * date the API takes. Accepted: 3/2/1980, 03/02/1980, 03-02-1980, 03.02.1980, 03 02 1980, 03021980 (eight digits),
 * and an ISO date as pasted (1980-02-03). Refused: a two-digit year (which century?), seven digits (3021980:
 * 30/2 or 3/02?) and anything else; an impossible date (31/02/2024) says why.
 */

export type DateReading =
  | { ok: true; iso: string }
  | { ok: false; problem: 'format' }
  | { ok: false; problem: 'month'; month: number }
  | { ok: false; problem: 'day'; day: number; month: number; year: number; daysInMonth: number };

const DAY_MONTH_YEAR = /^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{4})$/;
const EIGHT_DIGITS = /^(\d{2})(\d{2})(\d{4})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number, size = 2) => String(n).padStart(size, '0');

/** The typed text as a date, or why it is none; null when nothing was typed. */
export function readDate(text: string): DateReading | null {
  const typed = text.trim();
  if (!typed) return null;
  let day: number, month: number, year: number;
  const dmy = DAY_MONTH_YEAR.exec(typed) ?? EIGHT_DIGITS.exec(typed);
  const iso = ISO.exec(typed);
  if (dmy) [day, month, year] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else return { ok: false, problem: 'format' };
  if (year < 1000) return { ok: false, problem: 'format' };
  if (month < 1 || month > 12) return { ok: false, problem: 'month', month };
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return { ok: false, problem: 'day', day, month, year, daysInMonth: days };
  return { ok: true, iso: `${pad(year, 4)}-${pad(month)}-${pad(day)}` };
}

/** 'YYYY-MM-DD' → 'dd/mm/jjjj' (anything else unchanged): the text a date field starts with. */
export function dateText(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = ISO.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** The ISO date of a typed text, or null when it is empty or no date. */
export function isoDate(text: string): string | null {
  const reading = readDate(text);
  return reading?.ok ? reading.iso : null;
}

/** A time typed as 14:30, 14u30, 14.30, 14h30, 1430 or 9:05 (9 alone is 09:00) → 'HH:MM'; null when it is none. */
export function readTime(text: string): string | null {
  const m = /^(\d{1,2})(?:\s*[:.uh]\s*(\d{2})|(\d{2}))?\s*u?$/i.exec(text.trim());
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2] ?? m[3] ?? 0);
  if (hours > 23 || minutes > 59) return null;
  return `${pad(hours)}:${pad(minutes)}`;
}
