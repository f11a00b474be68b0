import { brusselsDate, isWorkingDay } from '../features/referrals/index.ts';

/**
 * When something in a demo case happened, said relative to the moment the seed runs, so that a case that is
 * overdue stays overdue whenever the demo is started: so many Belgian working days ago (weekends and public
 * holidays skipped, as the referral deadlines count them) at a local Brussels time, so many hours ago, or so many
 * calendar days ahead (appointments).
 */
export type Moment = { workingDaysAgo: number; at: string } | { hoursAgo: number } | { daysAhead: number; at: string };

export const workingDaysAgo = (days: number, at: string): Moment => {
  // "today at 10:00" may still lie ahead: same-day moments are said in hours
  if (days < 1) throw new Error('a moment of today is said with hoursAgo');
  return { workingDaysAgo: days, at };
};
export const hoursAgo = (hours: number): Moment => ({ hoursAgo: hours });
export const daysAhead = (days: number, at: string): Moment => ({ daysAhead: days, at });

const DAY = 86_400_000;
const shiftDate = (date: string, days: number) =>
  new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** The offset of Brussels from UTC at an instant, in minutes (60 in winter, 120 in summer). */
function brusselsOffsetMinutes(instant: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Brussels', timeZoneName: 'longOffset' })
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName')!.value; // "GMT+01:00"
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

/** The instant of a local Brussels date and time. */
export function brusselsInstant(date: string, time: string): Date {
  const asUtc = new Date(`${date}T${time}:00Z`);
  const first = new Date(asUtc.getTime() - brusselsOffsetMinutes(asUtc) * 60_000);
  // the offset at the result itself (differs only within hours of a summer-time change)
  return new Date(asUtc.getTime() - brusselsOffsetMinutes(first) * 60_000);
}

/** The date so many working days before `today` (a Brussels date). */
export function workingDaysBefore(today: string, days: number): string {
  let date = today;
  for (let left = days; left > 0;) {
    date = shiftDate(date, -1);
    if (isWorkingDay(date)) left -= 1;
  }
  return date;
}

/** The instant of a moment, seen from `now`. */
export function instantOf(moment: Moment, now: Date): Date {
  const today = brusselsDate(now);
  if ('hoursAgo' in moment) return new Date(now.getTime() - moment.hoursAgo * 3_600_000);
  if ('daysAhead' in moment) return brusselsInstant(shiftDate(today, moment.daysAhead), moment.at);
  return brusselsInstant(workingDaysBefore(today, moment.workingDaysAgo), moment.at);
}

/** The Brussels date so many calendar days from `now` (negative: in the past). */
export function dateFrom(now: Date, days: number): string {
  return shiftDate(brusselsDate(now), days);
}
