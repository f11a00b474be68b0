/** Dates as Belgians read them: dd/mm/jjjj, times in Europe/Brussels. */

const TIME_ZONE = 'Europe/Brussels';

/** 'YYYY-MM-DD' (or an ISO timestamp's date part) → 'dd/mm/jjjj'. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  return formatDateTime(value, false);
}

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** ISO timestamp → 'dd/mm/jjjj uu:mm' in Brussels time. */
export function formatDateTime(value: string | null | undefined, withTime = true): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const parts: Record<string, string> = {};
  for (const p of partsFormatter.formatToParts(date)) parts[p.type] = p.value;
  const day = `${parts.day}/${parts.month}/${parts.year}`;
  return withTime ? `${day} ${parts.hour}:${parts.minute}` : day;
}

/** A client's birth as shown in lists: full date, else the year alone. */
export function formatBirth(birthDate: string | null, birthYear: number | null): string {
  if (birthDate) return formatDate(birthDate);
  return birthYear ? String(birthYear) : '';
}

/** INSZ 85073003328 → 85.07.30-033.28 (the way it is printed on the eID). */
export function formatInsz(insz: string | null | undefined): string {
  if (!insz) return '';
  const d = insz.replace(/\D/g, '');
  if (d.length !== 11) return insz;
  return `${d.slice(0, 2)}.${d.slice(2, 4)}.${d.slice(4, 6)}-${d.slice(6, 9)}.${d.slice(9)}`;
}

/** mod-97 check of a Belgian national register number (11 digits; born before or after 2000). */
export function isValidInsz(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const base = digits.slice(0, 9);
  const check = Number(digits.slice(9));
  const before2000 = 97 - Number(BigInt(base) % 97n);
  const after2000 = 97 - Number(BigInt(`2${base}`) % 97n);
  return check === before2000 || check === after2000;
}

/** The browser's name of a language code in the interface language ('fr' → 'Frans'). */
export function languageName(code: string, uiLanguage: string): string {
  try {
    return new Intl.DisplayNames([uiLanguage === 'en' ? 'en' : 'nl-BE'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Midnight at the start of a calendar day (local time) as an ISO timestamp; `plusDays` shifts it. */
export function dayStartIso(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + plusDays);
  return date.toISOString();
}

/**
 * A stored phone number as Belgians read it: +32470123456 → 0470 12 34 56, +3231234567 → 03 123 45 67,
 * +3216123456 → 016 12 34 56, +3280012345 → 0800 12 345. Foreign numbers and short numbers (1813) stay as stored;
 * anything else (a number typed before numbers were normalised) is shown as it is.
 */
export function formatPhone(value: string | null | undefined): string {
  if (!value) return '';
  const belgian = /^\+32(\d{8,9})$/.exec(value)?.[1];
  if (!belgian) return value;
  const group = (n: string, ...sizes: number[]) => {
    const parts: string[] = [];
    let at = 0;
    for (const size of sizes) {
      parts.push(n.slice(at, at + size));
      at += size;
    }
    return `0${parts.join(' ')}`;
  };
  if (belgian.length === 9) return group(belgian, 3, 2, 2, 2); // mobile: 0470 12 34 56
  if (/^(800|90\d)/.test(belgian)) return group(belgian, 3, 2, 3); // free and paying numbers: 0800 12 345
  if (/^[2349]/.test(belgian)) return group(belgian, 1, 3, 2, 2); // one-digit zones: Brussels, Antwerp, Liège, Ghent
  return group(belgian, 2, 2, 2, 2); // two-digit zones and 070/078: 016 12 34 56
}

/** The `tel:` address of a phone number (digits and the leading +). */
export function phoneHref(value: string): string {
  return `tel:${value.replace(/[^\d+]/g, '')}`;
}
