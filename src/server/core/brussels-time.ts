/** Made once: building an Intl.DateTimeFormat (ICU) costs far more than formatting with it. */
const BRUSSELS_DATE_TIME = new Intl.DateTimeFormat('nl-BE', {
  timeZone: 'Europe/Brussels',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as a reader in Brussels writes it: "12/01/2027 19:00" (dd/mm/jjjj uu:mm, Brussels time). */
export function brusselsDateTime(at: Date): string {
  const parts = BRUSSELS_DATE_TIME.formatToParts(at);
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('day')}/${p('month')}/${p('year')} ${p('hour')}:${p('minute')}`;
}
