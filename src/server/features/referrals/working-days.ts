/**
 * Working days in Belgium: Monday to Friday except the ten public holidays. Times are reckoned on the
 * calendar of Europe/Brussels; a deadline keeps the local time of day it started from.
 */
const ZONE = 'Europe/Brussels';

/** Easter Sunday (Gregorian, anonymous algorithm) as [month (1-12), day]. */
export function easterSunday(year: number): [number, number] {
  const a = year % 19,
    b = Math.floor(year / 100),
    c = year % 100,
    d = Math.floor(b / 4),
    e = b % 4;
  const f = Math.floor((b + 8) / 25),
    g = Math.floor((b - f + 1) / 3),
    h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4),
    k = c % 4,
    l = (32 + 2 * e + 2 * i - h - k) % 7,
    m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const addDaysIso = (date: string, days: number) =>
  new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const holidayCache = new Map<number, Set<string>>();
/** New Year, Easter Monday, Labour Day, Ascension, Whit Monday, National Day, Assumption, All Saints, Armistice, Christmas. */
export function belgianHolidays(year: number): Set<string> {
  let set = holidayCache.get(year);
  if (!set) {
    const [em, ed] = easterSunday(year);
    const easter = iso(year, em, ed);
    set = new Set([
      iso(year, 1, 1),
      addDaysIso(easter, 1),
      iso(year, 5, 1),
      addDaysIso(easter, 39),
      addDaysIso(easter, 50),
      iso(year, 7, 21),
      iso(year, 8, 15),
      iso(year, 11, 1),
      iso(year, 11, 11),
      iso(year, 12, 25),
    ]);
    holidayCache.set(year, set);
  }
  return set;
}

export function isWorkingDay(date: string): boolean {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !belgianHolidays(Number(date.slice(0, 4))).has(date);
}

/** Made once: building an Intl.DateTimeFormat (ICU) costs far more than formatting with it (about 0.3 ms a call). */
const BRUSSELS_FORMAT = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Local date and time of an instant in Brussels. */
function local(instant: Date): { date: string; time: string } {
  const parts = Object.fromEntries(BRUSSELS_FORMAT.formatToParts(instant).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}` };
}

/**
 * Today's date in Brussels (YYYY-MM-DD), the one "today" of consents and waiting lists; the SQL side is
 * kl_brussels_date() (migrations/006_referral_followup.sql), so both agree around midnight.
 */
export function brusselsDate(instant: Date = new Date()): string {
  return local(instant).date;
}

/** The instant of a local Brussels date and time (handles summer time). */
function fromLocal(date: string, time: string): Date {
  const guess = new Date(`${date}T${time}Z`);
  for (let i = 0; i < 2; i++) {
    const shown = local(guess);
    const drift = Date.parse(`${shown.date}T${shown.time}Z`) - Date.parse(`${date}T${time}Z`);
    guess.setTime(guess.getTime() - drift);
  }
  return guess;
}

/** `start` plus `days` working days, at the same local time (a start outside working days counts from the next one). */
export function addWorkingDays(start: Date, days: number): Date {
  const { date, time } = local(start);
  let day = date;
  let left = days;
  while (left > 0) {
    day = addDaysIso(day, 1);
    if (isWorkingDay(day)) left -= 1;
  }
  return fromLocal(day, time);
}
