import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../src/server/core/phone.ts';
import { formatPhone, phoneHref } from '../../src/web/format.ts';

const valueOf = (raw: string, allowShortNumbers = false) => {
  const result = normalizePhone(raw, { allowShortNumbers });
  return result.ok ? result.value : result.code;
};

describe('normalizePhone: Belgian numbers become +32…', () => {
  it.each([
    // mobile numbers, typed the many ways people type them
    ['0470 12 34 56', '+32470123456'],
    ['0470123456', '+32470123456'],
    ['0470/12.34.56', '+32470123456'],
    ['0470-12-34-56', '+32470123456'],
    ['0470.12.34.56', '+32470123456'],
    ['  0470 12 34 56  ', '+32470123456'],
    ['0495 99 88 77', '+32495998877'],
    ['0456 12 34 56', '+32456123456'],
    ['+32 470 12 34 56', '+32470123456'],
    ['+32470123456', '+32470123456'],
    ['+32 (0)470 12 34 56', '+32470123456'],
    ['+32 0470 12 34 56', '+32470123456'],
    ['0032 470 12 34 56', '+32470123456'],
    ['0032470123456', '+32470123456'],
    ['00 32 (0)470 12 34 56', '+32470123456'],
    ['470 12 34 56', '+32470123456'],
    // landlines: one-digit zones (Brussels, Antwerp, Liège, Ghent) and two-digit zones
    ['03 123 45 67', '+3231234567'],
    ['02 555 12 12', '+3225551212'],
    ['02/555.12.12', '+3225551212'],
    ['(02) 555 12 12', '+3225551212'],
    ['04 223 45 67', '+3242234567'],
    ['09 123 45 67', '+3291234567'],
    ['016 12 34 56', '+3216123456'],
    ['(016) 12 34 56', '+3216123456'],
    ['050 44 80 00', '+3250448000'],
    ['+32 16 00 00 00', '+3216000000'],
    ['+32 9 123 45 67', '+3291234567'],
    ['0032 3 123 45 67', '+3231234567'],
    // free, paying and national numbers
    ['0800 12 345', '+3280012345'],
    ['0903 12 345', '+3290312345'],
    ['070 23 45 67', '+3270234567'],
    ['078 15 15 15', '+3278151515'],
  ])('%s → %s', (typed, stored) => {
    expect(valueOf(typed)).toBe(stored);
  });
});

describe('normalizePhone: foreign numbers keep their country code', () => {
  it.each([
    ['+31 6 12345678', '+31612345678'],
    ['0031 6 1234 5678', '+31612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['+44 1234 234567', '+441234234567'],
    ['+49 (0)30 1234567', '+49301234567'],
    ['+1 212-555-0100', '+12125550100'],
    ['+352 621 123 456', '+352621123456'],
  ])('%s → %s', (typed, stored) => {
    expect(valueOf(typed)).toBe(stored);
  });
});

describe('normalizePhone: garbage is refused', () => {
  it.each([
    ['call me'],
    ['0470 12 34 5x'],
    ['0470 12 34 56 ext 12'],
    ['+32 470 12 34 56 7'], // ten digits after +32
    ['0470 12 34'], // a mobile number three digits short (one short reads as a Liège landline, 04 701 23 45)
    ['0470 12 34 56 78'],
    ['03 123 45 6'], // a landline one digit short
    ['012345'],
    ['12345'],
    ['1813'], // a short number is no person's number
    ['112'],
    ['+32'],
    ['+'],
    ['00'],
    ['0'],
    ['---'],
    ['+0 123 456 789'], // no country code starts with 0
    ['+31 612'], // too short for any country
    ['+1234567890123456'], // longer than E.164 allows
    ['0470+123456'],
    ['++32 470 12 34 56'],
    ['0032 0032 470 12 34 56'],
    ['00 0470 12 34 56'],
    ['0412 34 56 78'], // 9 digits starting 41: neither a mobile nor a landline
    ['0012 3456'],
  ])('%s', (typed) => {
    expect(normalizePhone(typed)).toEqual({ ok: false, code: 'phone-invalid' });
  });
});

describe('normalizePhone: short numbers only where allowed', () => {
  it.each([
    ['1813', '1813'],
    ['106', '106'],
    ['112', '112'],
    ['1712', '1712'],
    ['116 123', '116123'],
  ])('an offer may give %s', (typed, stored) => {
    expect(valueOf(typed, true)).toBe(stored);
    expect(valueOf(typed, false)).toBe('phone-invalid');
  });
  it('a long number is still checked', () => {
    expect(valueOf('12345', true)).toBe('phone-invalid');
    expect(valueOf('0470 12 34 56', true)).toBe('+32470123456');
  });
});

describe('normalizePhone: properties', () => {
  const belgianNumber = fc.oneof(
    fc.tuple(fc.constantFrom('45', '46', '47', '48', '49'), fc.stringMatching(/^\d{7}$/)).map(([a, b]) => a + b),
    fc.tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{7}$/)).map(([a, b]) => `${a}${b}`),
  );
  const separator = fc.constantFrom('', ' ', '.', '/', '-');
  const prefix = fc.constantFrom('0', '+32', '+32 ', '0032', '0032 ', '+32 (0)', '+32 0');

  it('the way a Belgian number is written does not change what is stored', () => {
    fc.assert(
      fc.property(belgianNumber, prefix, separator, (nsn, before, sep) => {
        const typed = before + nsn.replace(/(\d{2})(?=\d)/g, `$1${sep}`);
        expect(valueOf(typed)).toBe(`+32${nsn}`);
      }),
    );
  });

  it('a stored number is stored again unchanged, and what is shown reads back as the same number', () => {
    fc.assert(
      fc.property(belgianNumber, (nsn) => {
        const stored = `+32${nsn}`;
        expect(valueOf(stored)).toBe(stored);
        expect(valueOf(formatPhone(stored))).toBe(stored);
      }),
    );
  });

  it('never throws, and anything accepted is + and digits, or a short number', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (typed) => {
        const result = normalizePhone(typed, { allowShortNumbers: true });
        if (result.ok) expect(result.value).toMatch(/^(\+[1-9]\d{7,14}|1\d{2,5})$/);
      }),
    );
  });
});

describe('formatPhone: stored numbers as Belgians read them', () => {
  it.each([
    ['+32470123456', '0470 12 34 56'],
    ['+3231234567', '03 123 45 67'],
    ['+3225551212', '02 555 12 12'],
    ['+3242234567', '04 223 45 67'],
    ['+3291234567', '09 123 45 67'],
    ['+3216123456', '016 12 34 56'],
    ['+3250448000', '050 44 80 00'],
    ['+3280012345', '0800 12 345'],
    ['+3290312345', '0903 12 345'],
    ['+3270234567', '070 23 45 67'],
    ['+31612345678', '+31612345678'],
    ['1813', '1813'],
    ['0470 99 88 77', '0470 99 88 77'], // typed before numbers were normalised: shown as it is
    [null, ''],
  ])('%s → %s', (stored, shown) => {
    expect(formatPhone(stored)).toBe(shown);
  });
  it('links to the number itself', () => {
    expect(phoneHref('+32470123456')).toBe('tel:+32470123456');
    expect(phoneHref('0470 99 88 77')).toBe('tel:0470998877');
  });
});
