import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  belgianHolidays,
  easterSunday,
  isWorkingDay,
} from '../../src/server/features/referrals/working-days.ts';

describe('Belgian working days', () => {
  it('finds Easter', () => {
    expect(easterSunday(2025)).toEqual([4, 20]);
    expect(easterSunday(2026)).toEqual([4, 5]);
    expect(easterSunday(2027)).toEqual([3, 28]);
  });

  it('knows the ten public holidays', () => {
    expect([...belgianHolidays(2026)].sort()).toEqual([
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-14',
      '2026-05-25',
      '2026-07-21',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
  });

  it('skips weekends and holidays', () => {
    expect(isWorkingDay('2026-11-20')).toBe(true); // Friday
    expect(isWorkingDay('2026-11-21')).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-11')).toBe(false); // Armistice, a Wednesday
    // Friday 10:00 + 2 working days = Tuesday 10:00 (Brussels time)
    expect(addWorkingDays(new Date('2026-11-20T09:00:00Z'), 2).toISOString()).toBe('2026-11-24T09:00:00.000Z');
    // Tuesday 10 Nov + 1 = Thursday 12 Nov (11 Nov is a holiday)
    expect(addWorkingDays(new Date('2026-11-10T09:00:00Z'), 1).toISOString()).toBe('2026-11-12T09:00:00.000Z');
    // Christmas Eve 2026 (Thursday) + 1 = Monday 28 December
    expect(addWorkingDays(new Date('2026-12-24T15:00:00Z'), 1).toISOString()).toBe('2026-12-28T15:00:00.000Z');
  });

  it('keeps the local time across the change to summer time', () => {
    // Friday 27 March 2026 09:00 CET (08:00Z) + 1 working day = Monday 30 March 09:00 CEST (07:00Z)
    expect(addWorkingDays(new Date('2026-03-27T08:00:00Z'), 1).toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });
});
