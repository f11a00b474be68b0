/**
 * Belgian INSZ / rijksregisternummer: YYMMDD + 3-digit sequence + 2 check digits.
 * Check = 97 - (first nine digits mod 97); for people born in 2000 or later the nine digits get a '2' in front.
 * Bis numbers add 20 or 40 to the month; an unknown day or month is 00.
 */
export type InszCheck =
  { ok: true; century: 1900 | 2000; birthDate: string | null } | { ok: false; code: 'insz-format' | 'insz-checksum' };

export function normalizeInsz(raw: string): string {
  return raw.replace(/[\s.-]/g, '');
}

export function checkInsz(raw: string): InszCheck {
  const insz = normalizeInsz(raw);
  if (!/^\d{11}$/.test(insz)) return { ok: false, code: 'insz-format' };
  const body = insz.slice(0, 9);
  const check = Number(insz.slice(9));
  const before2000 = 97 - Number(BigInt(body) % 97n);
  const after2000 = 97 - Number(BigInt('2' + body) % 97n);
  const century = check === after2000 ? 2000 : check === before2000 ? 1900 : null;
  if (century === null) return { ok: false, code: 'insz-checksum' };
  return { ok: true, century, birthDate: encodedBirthDate(insz, century) };
}

function encodedBirthDate(insz: string, century: 1900 | 2000): string | null {
  const yy = Number(insz.slice(0, 2));
  let month = Number(insz.slice(2, 4));
  const day = Number(insz.slice(4, 6));
  if (month > 40) month -= 40;
  else if (month > 20) month -= 20;
  if (month < 1 || month > 12 || day < 1) return null;
  const date = `${century + yy}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isValidDate(date) ? date : null;
}

/** A real calendar date from 1900 on (no person on file was born earlier; PostgreSQL has no year 0). */
export function isValidDate(value: string): boolean {
  if (!/^(19|20)\d{2}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Builds a valid INSZ for a birth date and sequence (tests and demo data). */
export function makeInsz(birthDate: string, sequence: number): string {
  const [y, m, d] = birthDate.split('-');
  const body = `${y!.slice(2)}${m}${d}${String(sequence).padStart(3, '0')}`;
  const prefix = Number(y) >= 2000 ? '2' : '';
  const check = 97 - Number(BigInt(prefix + body) % 97n);
  return body + String(check).padStart(2, '0');
}
