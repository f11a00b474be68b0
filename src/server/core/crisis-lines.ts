/**
 * The Belgian crisis lines, written down once: the intake's crisis box (high or acute risk) shows the urgent
 * ones, the catalogue shows them all on top when a search points at crisis. Short numbers, free of charge.
 */
export interface CrisisLine {
  /** the short number to call */
  number: string;
  name: { nl: string; en: string };
  /** when to call, in a few words */
  when: { nl: string; en: string };
  url: string | null;
  /** shown in the intake's crisis box as well */
  urgent: boolean;
}

export const CRISIS_LINES: readonly CrisisLine[] = [
  {
    number: '112',
    name: { nl: 'Noodnummer', en: 'Emergency number' },
    when: { nl: 'Bij direct levensgevaar: ambulance, brandweer', en: 'In immediate danger: ambulance, fire brigade' },
    url: null,
    urgent: true,
  },
  {
    number: '1813',
    name: { nl: 'Zelfmoordlijn', en: 'Suicide line (Zelfmoordlijn)' },
    when: {
      nl: 'Bij gedachten aan zelfdoding, ook voor wie zich zorgen maakt; dag en nacht, anoniem, ook via chat',
      en: 'Thoughts of suicide, or worried about someone; day and night, anonymous, also by chat',
    },
    url: 'https://www.zelfmoord1813.be',
    urgent: true,
  },
  {
    number: '106',
    name: { nl: 'Tele-Onthaal', en: 'Tele-Onthaal (listening line)' },
    when: {
      nl: 'Praten over wat je bezighoudt; dag en nacht, anoniem, ook via chat',
      en: 'Talk about what is on your mind; day and night, anonymous, also by chat',
    },
    url: 'https://www.tele-onthaal.be',
    urgent: false,
  },
  {
    number: '102',
    name: { nl: 'Awel (kinderen en jongeren)', en: 'Awel (children and young people)' },
    when: {
      nl: 'Voor kinderen en jongeren met een vraag of een zorg; ook via chat',
      en: 'For children and young people with a question or a worry; also by chat',
    },
    url: 'https://www.awel.be',
    urgent: false,
  },
  {
    number: '1712',
    name: { nl: 'Hulplijn geweld, misbruik en kindermishandeling', en: 'Helpline violence, abuse and child abuse' },
    when: {
      nl: 'Bij geweld, misbruik of kindermishandeling, ook als je twijfelt',
      en: 'Violence, abuse or child abuse, also when in doubt',
    },
    url: 'https://www.1712.be',
    urgent: false,
  },
];

/**
 * Folded word beginnings that point at crisis (zelfmoordgedachten, suïcidaal, crisisopvang …). A search word that
 * starts with one, or is one typo away from one, puts the crisis lines on top of the catalogue.
 */
export const CRISIS_TERMS: readonly string[] = [
  'zelfmoord',
  'zelfdoding',
  'suicid',
  'crisis',
  'levenseinde',
  'noodgeval',
  'noodsituatie',
  'doodgaan',
  'zelfbeschadiging',
  'automutilatie',
];

/** Damerau–Levenshtein distance with an early exit above 1 (one typo: a letter missing, extra, wrong or swapped). */
function withinOneTypo(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]! <= 1;
}

/** Does one of these folded words point at crisis? (a beginning of a term, or its beginning with one typo) */
export function pointsAtCrisis(words: readonly string[]): boolean {
  return words.some((word) =>
    CRISIS_TERMS.some(
      (term) =>
        word.startsWith(term) ||
        (word.length >= 6 && withinOneTypo(word.slice(0, term.length), term)) ||
        (word.length >= 6 && withinOneTypo(word.slice(0, term.length - 1), term)) ||
        (word.length >= 6 && withinOneTypo(word.slice(0, term.length + 1), term)),
    ),
  );
}
