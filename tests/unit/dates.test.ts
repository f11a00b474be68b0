import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateText, daysInMonth, isoDate, readDate, readTime } from '../../src/web/dates.ts';
import { formatDate } from '../../src/web/format.ts';

describe('readDate: dates typed as Belgians type them', () => {
  it.each([
    ['03/02/1980', '1980-02-03'],
    ['3/2/1980', '1980-02-03'],
    ['03-02-1980', '1980-02-03'],
    ['03.02.1980', '1980-02-03'],
    ['3.2.1980', '1980-02-03'],
    ['03 02 1980', '1980-02-03'],
    ['03 / 02 / 1980', '1980-02-03'],
    ['  03/02/1980  ', '1980-02-03'],
    ['03021980', '1980-02-03'],
    ['1980-02-03', '1980-02-03'], // an ISO date as pasted
    ['29/02/2024', '2024-02-29'], // a leap year
    ['29/02/2000', '2000-02-29'], // divisible by 400
    ['31/12/1999', '1999-12-31'],
    ['01/01/1900', '1900-01-01'],
    ['1/10/2025', '2025-10-01'],
    ['10/1/2025', '2025-01-10'], // day first, always: never the American month first
  ])('%s → %s', (typed, iso) => {
    expect(readDate(typed)).toEqual({ ok: true, iso });
    expect(isoDate(typed)).toBe(iso);
  });

  it('nothing typed is no date and no error', () => {
    expect(readDate('')).toBeNull();
    expect(readDate('   ')).toBeNull();
    expect(isoDate('')).toBeNull();
  });

  it.each([
    ['31/02/2024', 31, 2, 2024, 29],
    ['30/02/2024', 30, 2, 2024, 29],
    ['29/02/2023', 29, 2, 2023, 28], // not a leap year
    ['29/02/1900', 29, 2, 1900, 28], // divisible by 100, not by 400
    ['31/04/2025', 31, 4, 2025, 30],
    ['31/06/2025', 31, 6, 2025, 30],
    ['31/09/2025', 31, 9, 2025, 30],
    ['31/11/2025', 31, 11, 2025, 30],
    ['00/05/2025', 0, 5, 2025, 31],
    ['32/01/2025', 32, 1, 2025, 31],
    ['31022024', 31, 2, 2024, 29],
  ])('%s does not exist (day %i of month %i of %i, which has %i days)', (typed, day, month, year, days) => {
    expect(readDate(typed)).toEqual({ ok: false, problem: 'day', day, month, year, daysInMonth: days });
    expect(isoDate(typed)).toBeNull();
  });

  it.each([
    ['03/13/1980', 13],
    ['03/00/1980', 0],
    ['12/25/2024', 25], // an American date: the 25th month
  ])('%s has no such month', (typed, month) => {
    expect(readDate(typed)).toEqual({ ok: false, problem: 'month', month });
  });

  it.each([
    ['3/2/80'], // which century?
    ['03/02/80'],
    ['3021980'], // seven digits: 30/2 or 3/02?
    ['030280'],
    ['1980/02/03'],
    ['03/02/1980/1'],
    ['3 februari 1980'],
    ['morgen'],
    ['03//02/1980'],
    ['0003/02/1980'],
    ['03/02/0980'],
    ['03-02'],
    ['1980-2-3'],
  ])('%s is refused as no date', (typed) => {
    expect(readDate(typed)).toEqual({ ok: false, problem: 'format' });
    expect(isoDate(typed)).toBeNull();
  });

  it('every real date reads back from every way of writing it, and shows as formatDate shows it', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom('/', '-', '.', ' '),
        fc.boolean(),
        (date, separator, padded) => {
          const iso = date.toISOString().slice(0, 10);
          const [y, m, d] = iso.split('-');
          const day = padded ? d! : String(Number(d));
          const month = padded ? m! : String(Number(m));
          expect(isoDate(`${day}${separator}${month}${separator}${y}`)).toBe(iso);
          expect(isoDate(`${d}${m}${y}`)).toBe(iso);
          expect(dateText(iso)).toBe(formatDate(iso));
          expect(isoDate(dateText(iso))).toBe(iso);
        },
      ),
    );
  });

  it('knows the length of every month', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2024, m))).toEqual([
      31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
    expect(daysInMonth(2025, 2)).toBe(28);
  });

  it('dateText writes an ISO date as dd/mm/jjjj and leaves anything else alone', () => {
    expect(dateText('1980-02-03')).toBe('03/02/1980');
    expect(dateText(null)).toBe('');
    expect(dateText('03/02/1980')).toBe('03/02/1980');
  });
});

describe('readTime: an hour as typed', () => {
  it.each([
    ['14:30', '14:30'],
    ['14u30', '14:30'],
    ['14.30', '14:30'],
    ['14h30', '14:30'],
    ['14 u 30', '14:30'],
    ['1430', '14:30'],
    ['9:05', '09:05'],
    ['9u', '09:00'],
    ['9', '09:00'],
    ['0:00', '00:00'],
    ['23:59', '23:59'],
  ])('%s → %s', (typed, time) => {
    expect(readTime(typed)).toBe(time);
  });
  it.each([['24:00'], ['12:60'], ['2:5'], ['14:30:00'], ['half drie'], [''], ['12345']])('%s is no time', (typed) => {
    expect(readTime(typed)).toBeNull();
  });
});
