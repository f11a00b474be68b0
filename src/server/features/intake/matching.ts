/**
 * Stepped-care matching: "basiszorg als het kan, gespecialiseerde hulp als het moet".
 *
 * 1. The level needed: the worker's indication when given; otherwise crisis for a C-SSRS high risk, specialised
 *    when a score reaches the network's threshold (PHQ-9 ≥ 20, K10 ≥ 30, GAD-7 ≥ 15 by default) or a suicide-risk
 *    flag is raised, else basic.
 * 2. Candidates: active offers of the network that serve the person's municipality and age (hard limits:
 *    an offer that does not serve them is not accessible).
 * 3. Points (0–100): themes shared (40 × share of the request's themes), level (exact 30, one step lighter 10,
 *    one step heavier 5, further 0), capacity (open 15, assessment 10, waiting list 12 − 1 per week, full 0),
 *    language (10), preferred modality (5).
 * 4. Order: points, then shorter wait, then name, then id — the same input always gives the same list.
 * Every suggestion lists why it fits and what does not fit; zero-line and group offers are suggested for the wait.
 */
import type { Lang } from '../../http/messages.ts';

export const LEVEL_ORDER = ['zero-line', 'basic', 'specialised', 'crisis'] as const;
export type Level = (typeof LEVEL_ORDER)[number];

export interface MatchSettings { phq9Specialised: number; k10Specialised: number; gad7Specialised: number }
export const DEFAULT_SETTINGS: MatchSettings = { phq9Specialised: 20, k10Specialised: 30, gad7Specialised: 15 };

export interface LatestScreening { instrument: string; score: number | null; flags: string[] }

export interface NeededLevel { level: Level; basis: 'indication' | 'screening' | 'default'; because: string[] }

export function neededLevel(indication: string | null, screenings: LatestScreening[], settings: MatchSettings): NeededLevel {
  if (indication) return { level: indication as Level, basis: 'indication', because: ['indication'] };
  const flags = new Set(screenings.flatMap((s) => s.flags));
  if (flags.has('cssrs-high-risk')) return { level: 'crisis', basis: 'screening', because: ['cssrs-high-risk'] };
  const because: string[] = [];
  const score = (id: string) => screenings.find((s) => s.instrument === id)?.score ?? null;
  if ((score('phq9') ?? -1) >= settings.phq9Specialised) because.push('phq9-severe');
  if ((score('k10') ?? -1) >= settings.k10Specialised) because.push('k10-high');
  if ((score('gad7') ?? -1) >= settings.gad7Specialised) because.push('gad7-severe');
  if (flags.has('suicide-risk') || flags.has('cssrs-positive')) because.push('risk-flag');
  return because.length ? { level: 'specialised', basis: 'screening', because } : { level: 'basic', basis: 'default', because: [] };
}

export interface Candidate {
  id: string; name: string; organizationId: string; level: string; themes: string[]; languages: string[];
  modalities: string[]; capacity: string; waitDays: number | null;
}

export interface MatchRequest { themes: string[]; language: string | null; preferredModality: string | null }

export interface Suggestion { offerId: string; name: string; organizationId: string; level: string; capacity: string; waitDays: number | null; score: number; reasons: string[]; misfits: string[] }

const TEXT: Record<string, Record<Lang, (p: Record<string, string | number>) => string>> = {
  themes: { nl: (p) => `Sluit aan bij ${p.n} van de ${p.of} thema's`, en: (p) => `Covers ${p.n} of ${p.of} themes` },
  noThemes: { nl: () => 'Geen van de thema\'s van de hulpvraag', en: () => 'None of the help request\'s themes' },
  levelExact: { nl: (p) => `Zorgniveau past (${p.level})`, en: (p) => `Level of care fits (${p.level})` },
  levelLighter: { nl: (p) => `Lichter dan nodig (${p.level})`, en: (p) => `Lighter than needed (${p.level})` },
  levelHeavier: { nl: (p) => `Gespecialiseerder dan nodig (${p.level})`, en: (p) => `More specialised than needed (${p.level})` },
  open: { nl: () => 'Capaciteit: open', en: () => 'Capacity: open' },
  assessment: { nl: () => 'Eerst bijkomende screening', en: () => 'Additional assessment first' },
  waitlist: { nl: (p) => `Wachtlijst (ongeveer ${p.days} dagen)`, en: (p) => `Waiting list (about ${p.days} days)` },
  full: { nl: () => 'Volzet', en: () => 'Full' },
  language: { nl: (p) => `Spreekt de taal van de persoon (${p.lang})`, en: (p) => `Speaks the person's language (${p.lang})` },
  noLanguage: { nl: (p) => `Niet in de taal van de persoon (${p.lang})`, en: (p) => `Not in the person's language (${p.lang})` },
  modality: { nl: (p) => `Biedt de gewenste vorm (${p.modality})`, en: (p) => `Offers the preferred form (${p.modality})` },
  noModality: { nl: (p) => `Niet in de gewenste vorm (${p.modality})`, en: (p) => `Not in the preferred form (${p.modality})` },
};
const say = (lang: Lang, key: string, p: Record<string, string | number> = {}) => TEXT[key]![lang](p);

export function rankOffers(request: MatchRequest, needed: Level, candidates: Candidate[], lang: Lang): Suggestion[] {
  const neededIndex = LEVEL_ORDER.indexOf(needed);
  const suggestions = candidates.map((offer) => {
    const reasons: string[] = [];
    const misfits: string[] = [];
    let points = 0;
    const shared = request.themes.filter((t) => offer.themes.includes(t)).length;
    if (request.themes.length === 0) points += 20;
    else if (shared > 0) { points += Math.round((40 * shared) / request.themes.length); reasons.push(say(lang, 'themes', { n: shared, of: request.themes.length })); }
    else misfits.push(say(lang, 'noThemes'));

    const step = LEVEL_ORDER.indexOf(offer.level as Level) - neededIndex;
    if (step === 0) { points += 30; reasons.push(say(lang, 'levelExact', { level: offer.level })); }
    else if (step === -1) { points += 10; misfits.push(say(lang, 'levelLighter', { level: offer.level })); }
    else if (step === 1) { points += 5; misfits.push(say(lang, 'levelHeavier', { level: offer.level })); }
    else misfits.push(step < 0 ? say(lang, 'levelLighter', { level: offer.level }) : say(lang, 'levelHeavier', { level: offer.level }));

    if (offer.capacity === 'open') { points += 15; reasons.push(say(lang, 'open')); }
    else if (offer.capacity === 'assessment') { points += 10; misfits.push(say(lang, 'assessment')); }
    else if (offer.capacity === 'waitlist') { points += Math.max(0, 12 - Math.floor((offer.waitDays ?? 0) / 7)); misfits.push(say(lang, 'waitlist', { days: offer.waitDays ?? '?' })); }
    else misfits.push(say(lang, 'full'));

    if (request.language) {
      if (offer.languages.includes(request.language)) { points += 10; reasons.push(say(lang, 'language', { lang: request.language })); }
      else misfits.push(say(lang, 'noLanguage', { lang: request.language }));
    }
    if (request.preferredModality) {
      if (offer.modalities.includes(request.preferredModality)) { points += 5; reasons.push(say(lang, 'modality', { modality: request.preferredModality })); }
      else misfits.push(say(lang, 'noModality', { modality: request.preferredModality }));
    }
    return { offerId: offer.id, name: offer.name, organizationId: offer.organizationId, level: offer.level, capacity: offer.capacity, waitDays: offer.waitDays, score: points, reasons, misfits };
  });
  return suggestions.sort((a, b) =>
    b.score - a.score || (a.waitDays ?? 0) - (b.waitDays ?? 0) || a.name.localeCompare(b.name, 'nl') || a.offerId.localeCompare(b.offerId));
}

/** While waiting: zero-line and group offers on the same themes that are open now. */
export function whileWaiting(request: MatchRequest, candidates: Candidate[], lang: Lang, exclude: Set<string>): Suggestion[] {
  const light = candidates.filter((c) => !exclude.has(c.id) && (c.level === 'zero-line' || c.modalities.includes('group')) && (c.capacity === 'open' || c.capacity === 'assessment'));
  return rankOffers(request, 'zero-line', light, lang).slice(0, 5);
}
