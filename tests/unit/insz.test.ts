import { describe, expect, it } from 'vitest';
import { checkInsz, isValidDate, makeInsz, normalizeInsz } from '../../src/server/features/clients/insz.ts';
import { parseClientQuery } from '../../src/server/features/clients/clients.service.ts';
import { negotiateLang } from '../../src/server/core/http/messages.ts';

describe('INSZ mod-97', () => {
  it('accepts a number of someone born before 2000 (check on the nine digits)', () => {
    // 850730 033 → 97 - (850730033 mod 97) = 28
    expect(checkInsz('85073003328')).toEqual({ ok: true, century: 1900, birthDate: '1985-07-30' });
  });
  it('accepts a number of someone born in 2000 or later (check on 2 + nine digits)', () => {
    const insz = makeInsz('2012-03-15', 7);
    expect(97 - Number(BigInt('2' + insz.slice(0, 9)) % 97n)).toBe(Number(insz.slice(9)));
    expect(checkInsz(insz)).toEqual({ ok: true, century: 2000, birthDate: '2012-03-15' });
  });
  it('accepts fixed post-2000 numbers, worked out by hand', () => {
    // 000101 001: 2000101001 = 97 × 20619597 + 92 → check 97 - 92 = 05 (the nine digits alone give 73)
    expect(checkInsz('00010100105')).toEqual({ ok: true, century: 2000, birthDate: '2000-01-01' });
    // 120315 007: 2120315007 = 97 × 21858917 + 58 → check 39
    expect(checkInsz('12031500739')).toEqual({ ok: true, century: 2000, birthDate: '2012-03-15' });
  });
  it('accepts fixed pre-2000 numbers, worked out by hand', () => {
    // 901231 123: 901231123 = 97 × 9291042 + 49 → check 48
    expect(checkInsz('90123112348')).toEqual({ ok: true, century: 1900, birthDate: '1990-12-31' });
    // the same nine digits as above without the 2000 prefix: 101001 = 97 × 1041 + 24 → check 73, born 1900-01-01
    expect(checkInsz('00010100173')).toEqual({ ok: true, century: 1900, birthDate: '1900-01-01' });
  });
  it('refuses these fixed numbers with any other check digits', () => {
    for (const insz of ['00010100106', '00010100104', '12031500738', '90123112349', '00010100172']) {
      expect(checkInsz(insz), insz).toEqual({ ok: false, code: 'insz-checksum' });
    }
  });
  it('refuses a wrong check digit', () => {
    expect(checkInsz('85073003329')).toEqual({ ok: false, code: 'insz-checksum' });
  });
  it('refuses anything but 11 digits, and ignores dots, dashes and spaces', () => {
    expect(checkInsz('8507300332')).toEqual({ ok: false, code: 'insz-format' });
    expect(checkInsz('85.07.30-033.28')).toMatchObject({ ok: true });
    expect(normalizeInsz('85.07.30-033 28')).toBe('85073003328');
  });
  it('handles bis numbers (month + 20/40) and an unknown birth date', () => {
    const bis = '85' + '27' + '30' + '033';
    const check = String(97 - Number(BigInt(bis) % 97n)).padStart(2, '0');
    expect(checkInsz(bis + check)).toEqual({ ok: true, century: 1900, birthDate: '1985-07-30' });
    const unknown = '850000' + '033';
    const c2 = String(97 - Number(BigInt(unknown) % 97n)).padStart(2, '0');
    expect(checkInsz(unknown + c2)).toEqual({ ok: true, century: 1900, birthDate: null });
  });
  it('checks calendar dates', () => {
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2023-02-29')).toBe(false);
    expect(isValidDate('2023-13-01')).toBe(false);
  });
});

describe('client query parsing', () => {
  it('reads dd/mm/jjjj and ISO dates, INSZ and name tokens', () => {
    expect(parseClientQuery('5/3/1990')).toEqual({ nameTokens: [], birthDate: '1990-03-05' });
    expect(parseClientQuery('1990-03-05')).toEqual({ nameTokens: [], birthDate: '1990-03-05' });
    expect(parseClientQuery('85.07.30-033.28')).toEqual({ nameTokens: [], insz: '85073003328' });
    expect(parseClientQuery('  marie   peeters ')).toEqual({ nameTokens: ['marie', 'peeters'] });
    expect(parseClientQuery('')).toEqual({ nameTokens: [] });
  });
});

describe('language negotiation', () => {
  it('is Dutch unless English is preferred', () => {
    expect(negotiateLang(undefined)).toBe('nl');
    expect(negotiateLang('en-GB,en;q=0.9')).toBe('en');
    expect(negotiateLang('nl-BE,en;q=0.5')).toBe('nl');
    expect(negotiateLang('fr-BE,en;q=0.8,nl;q=0.9')).toBe('nl');
    expect(negotiateLang('de')).toBe('nl');
  });
});
