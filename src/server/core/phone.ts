/**
 * Phone numbers as one form: Belgian numbers in E.164 (`+32470123456`, `+3231234567`), foreign numbers as
 * `+` and their digits, whatever way they were typed (`0470 12 34 56`, `0032 3 123 45 67`, `+32 (0)470/12.34.56`).
 *
 * A small Belgian normaliser instead of libphonenumber-js (not among the installed packages): it knows the Belgian
 * plan — a mobile number is 9 digits after the trunk 0 starting with 45–49, every other number 8 digits (a
 * landline with a one- or two-digit zone, 0800/090x/070/078) — and checks a foreign number only for its shape
 * (country code, 8 to 15 digits in all, E.164's limit). `tests/unit/phone.test.ts` holds the cases.
 */

export type PhoneResult = { ok: true; value: string } | { ok: false; code: 'phone-invalid' };

export interface PhoneOptions {
  /**
   * Accept Belgian short numbers as they are (1813, 106, 112, 116 123): an offer's contact may be one,
   * a person's number is not.
   */
  allowShortNumbers?: boolean;
}

const INVALID: PhoneResult = { ok: false, code: 'phone-invalid' };
const BELGIAN_MOBILE = /^4[5-9]\d{7}$/;
const BELGIAN_OTHER = /^[1-9]\d{7}$/;
const SHORT_NUMBER = /^(1\d{2,3}|116\d{3})$/;

function belgian(nationalSignificant: string): PhoneResult {
  return BELGIAN_MOBILE.test(nationalSignificant) || BELGIAN_OTHER.test(nationalSignificant)
    ? { ok: true, value: `+32${nationalSignificant}` }
    : INVALID;
}

/** The number in one form (see above), or `phone-invalid`. */
export function normalizePhone(raw: string, options: PhoneOptions = {}): PhoneResult {
  const typed = raw.trim();
  // digits with the usual separators, one leading + at most; letters, extensions and the like are refused
  if (!/^\+?[\d\s./()-]+$/.test(typed)) return INVALID;
  const withCountryCode = typed.startsWith('+') || typed.startsWith('00');
  // "+32 (0)470 …": the trunk 0 in brackets after a country code is left out when dialling from abroad
  const digits = (withCountryCode ? typed.replace(/\(0\)/g, '') : typed).replace(/[^\d+]/g, '');
  let international: string | null = null;
  if (digits.startsWith('+')) international = digits.slice(1);
  else if (digits.startsWith('00')) international = digits.slice(2);

  if (international === null) {
    if (digits.startsWith('0')) return belgian(digits.slice(1));
    if (options.allowShortNumbers && SHORT_NUMBER.test(digits)) return { ok: true, value: digits };
    // a Belgian mobile number typed without its trunk 0 (470 12 34 56)
    if (BELGIAN_MOBILE.test(digits)) return belgian(digits);
    return INVALID;
  }
  if (international.startsWith('32')) {
    const rest = international.slice(2);
    // "+32 0470 …": the trunk 0 typed after the country code
    return belgian(rest.startsWith('0') ? rest.slice(1) : rest);
  }
  // a foreign number: a country code (never 0) and 8 to 15 digits in all
  if (!/^[1-9]\d{7,14}$/.test(international)) return INVALID;
  return { ok: true, value: `+${international}` };
}
