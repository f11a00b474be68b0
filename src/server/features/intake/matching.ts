/**
 * Stepped-care matching: "basiszorg als het kan, gespecialiseerde hulp als het moet".
 *
 * 1. The level needed: the worker's indication when given; otherwise crisis for a C-SSRS high risk, specialised
 *    when a score reaches the network's threshold (PHQ-9 ≥ 20, K10 ≥ 30, GAD-7 ≥ 15 by default) or a suicide-risk
 *    flag is raised, else basic. The same rule without the indication is the level the scores suggest: an
 *    indication that differs from it needs its reasons (intake.service.ts).
 * 2. Hard limits (an offer that fails one is not a suggestion at all): an active offer of the network that
 *    serves the person's municipality (when known), whose age range holds the person's age (when known), and —
 *    when the help request names themes — that shares at least one of them. An offer on none of the person's
 *    themes is left to the catalogue search; so "none of the themes" is never a misfit, and every suggestion
 *    says which limits it meets ("serves Leuven", "age fits").
 * 3. Points (0–100, POINTS below): themes shared (40 × share of the request's themes, rounded half up; 20 when
 *    the request names no theme), level (exact 30, one step lighter 10, one step heavier 5, further 0), capacity
 *    (open 15, assessment 10, waiting list 12 − 1 per full week of waiting, never below 0; full 0), language
 *    (10), preferred modality (5).
 * 4. Order: points, then shorter wait (none counts as 0), then name (Dutch collation), then id — the same input
 *    always gives the same list.
 * 4a. Safe under risk: when the level needed is crisis or the help request's risk is high or acute (core/risk.ts),
 *    speed comes before points. An offer is *in time* when it can answer within the response target of the
 *    request's urgency (the network's targets: acute in hours, urgent and routine in working days, counted from
 *    now): open or assessment with a wait (none counts as 0) within it, or a waiting list with a known wait within
 *    it; a full offer never is. The order is then: open crisis and suicide-prevention offers (level crisis, or the
 *    theme "suicidal-thoughts") in time; other offers in time; open crisis and suicide-prevention offers that are
 *    not; the rest — each group by points as in 4. So an offer whose wait exceeds the target never outranks one
 *    that answers in time, and its misfits say so; a crisis or suicide-prevention offer is not "more specialised
 *    than needed" for a person at risk, its reasons say why it comes first.
 * 5. While waiting (when the first suggestion is not open): zero-line and group offers that are open (or take
 *    an assessment) within the same hard limits, ranked by the same points as if zero-line care were needed;
 *    the first three suggestions are left out; at most five.
 *
 * 6. Where, when the help request names no municipality (the person's place is unknown): near the organisation that
 *    registered it, widening until at least AREA_ENOUGH offers meet the hard limits: the municipalities of its own
 *    sites ("organization"), then the network's zone ("zone"), then the provinces of both ("region"), then the whole
 *    network ("network") — so an offer far away is still found when nothing nearer exists. Offers without a service
 *    area are kept at every step (nothing says where they do not serve); an offer that serves the whole region
 *    lists its municipalities, so it is near everywhere. The answer says which step was used (MatchList.area), and
 *    the points and order within it are those of 3 and 4. This bounds the work: before, a request without a
 *    municipality scored every offer of the network on its themes.
 *
 * The candidate statement (matching.repository.ts) computes the same points in SQL and keeps every offer whose
 * (points, wait) is at least that of the N-th best, ties included, so cutting there never drops an offer this
 * ranking would put in the top N; rankOffers then decides the order (and the name tie-break) exactly.
 */
import type { Lang } from '../../core/http/messages.ts';
import { isHighRisk, type RiskLevel } from '../../core/risk.ts';
import type { Urgency } from '../../core/vocabulary.ts';
import { DEFAULT_SETTINGS, type MatchSettings } from '../network-settings/index.ts';

// the thresholds belong to the network's settings; re-exported for the intake's own readers
export { DEFAULT_SETTINGS, type MatchSettings };

export const LEVEL_ORDER = ['zero-line', 'basic', 'specialised', 'crisis'] as const;
export type Level = (typeof LEVEL_ORDER)[number];

/** Where the candidates were looked for (6): the person's municipality, or a fallback when none is known. */
export const MATCH_AREA_BASES = ['municipality', 'organization', 'zone', 'region', 'network'] as const;
export type MatchAreaBasis = (typeof MATCH_AREA_BASES)[number];
/** A fallback area (6) is widened while fewer offers than this meet the hard limits in it (the page shows ten). */
export const AREA_ENOUGH = 10;

/** The weights of the ranking, in one place: rankOffers and the SQL pre-score both read them. */
export const POINTS = {
  themes: 40,
  noThemes: 20,
  level: { exact: 30, lighter: 10, heavier: 5 },
  capacity: { open: 15, assessment: 10, waitlist: 12, full: 0 },
  language: 10,
  modality: 5,
} as const;

/** Points for sharing `shared` of the request's `of` themes: 40 × shared / of, rounded half up (integers only, so SQL gets the same). */
export const themePoints = (shared: number, of: number) =>
  of === 0 ? POINTS.noThemes : Math.floor((2 * POINTS.themes * shared + of) / (2 * of));
/** Points of a waiting list: 12, one less per full week. */
export const waitlistPoints = (waitDays: number | null) =>
  Math.max(0, POINTS.capacity.waitlist - Math.floor((waitDays ?? 0) / 7));

export interface LatestScreening {
  instrument: string;
  score: number | null;
  flags: string[];
}

/** Where the level needed comes from, and why (the codes the web app names, matches.because.*). */
export const NEEDED_BASES = ['indication', 'screening', 'default'] as const;
export const NEEDED_BECAUSE = [
  'indication',
  'cssrs-high-risk',
  'phq9-severe',
  'k10-high',
  'gad7-severe',
  'risk-flag',
] as const;
export interface NeededLevel {
  level: Level;
  basis: (typeof NEEDED_BASES)[number];
  because: (typeof NEEDED_BECAUSE)[number][];
}

export function neededLevel(
  indication: string | null,
  screenings: LatestScreening[],
  settings: MatchSettings,
): NeededLevel {
  if (indication) return { level: indication as Level, basis: 'indication', because: ['indication'] };
  const flags = new Set(screenings.flatMap((s) => s.flags));
  if (flags.has('cssrs-high-risk')) return { level: 'crisis', basis: 'screening', because: ['cssrs-high-risk'] };
  const because: NeededLevel['because'] = [];
  const score = (id: string) => screenings.find((s) => s.instrument === id)?.score ?? null;
  if ((score('phq9') ?? -1) >= settings.phq9Specialised) because.push('phq9-severe');
  if ((score('k10') ?? -1) >= settings.k10Specialised) because.push('k10-high');
  if ((score('gad7') ?? -1) >= settings.gad7Specialised) because.push('gad7-severe');
  if (flags.has('suicide-risk') || flags.has('cssrs-positive')) because.push('risk-flag');
  return because.length
    ? { level: 'specialised', basis: 'screening', because }
    : { level: 'basic', basis: 'default', because: [] };
}

/** The theme of suicide-prevention offers (taxonomy terms, migrations/002_catalogue.sql). */
export const SUICIDE_PREVENTION_THEME = 'suicidal-thoughts';

/** What matching must know to be safe under risk (4a). */
export interface RiskContext {
  /** the help request's risk level (core/risk.ts) */
  risk: RiskLevel;
  /** its urgency, whose response target applies */
  urgency: Urgency;
  /** that target as the network set it (for the text) … */
  target: { hours: number } | { workingDays: number };
  /** … and how many calendar days from now it runs (may be a fraction: 4 hours is 1/6) */
  targetDays: number;
}

/** 4a applies: the level needed is crisis, or the risk is high or acute. */
export const riskFirst = (needed: Level, context: RiskContext | null | undefined): context is RiskContext =>
  !!context && (needed === 'crisis' || isHighRisk(context.risk));

/** An open crisis or suicide-prevention offer (4a). */
export const answersCrisis = (offer: Pick<Candidate, 'capacity' | 'level' | 'themes'>) =>
  offer.capacity === 'open' && (offer.level === 'crisis' || offer.themes.includes(SUICIDE_PREVENTION_THEME));

/** Can it answer within `targetDays` (4a)? The SQL pre-score (matching.repository.ts) says the same. */
export function answersInTime(offer: Pick<Candidate, 'capacity' | 'waitDays'>, targetDays: number): boolean {
  if (offer.capacity === 'open' || offer.capacity === 'assessment') return (offer.waitDays ?? 0) <= targetDays;
  if (offer.capacity === 'waitlist') return offer.waitDays !== null && offer.waitDays <= targetDays;
  return false;
}

/** The group of 4a, first to last: 0 crisis in time, 1 in time, 2 crisis late, 3 the rest; 0 for all without risk. */
export function riskTier(offer: Pick<Candidate, 'capacity' | 'level' | 'themes' | 'waitDays'>, targetDays: number) {
  return (answersInTime(offer, targetDays) ? 0 : 2) + (answersCrisis(offer) ? 0 : 1);
}

export interface Candidate {
  id: string;
  name: string;
  organizationId: string;
  level: string;
  themes: string[];
  languages: string[];
  modalities: string[];
  capacity: string;
  waitDays: number | null;
  minAge: number | null;
  maxAge: number | null;
}

export interface MatchRequest {
  themes: string[];
  language: string | null;
  preferredModality: string | null;
  /** the hard limits the candidates were selected on, named in the reasons */
  municipality: { code: string; name: string } | null;
  age: number | null;
}

export interface Suggestion {
  offerId: string;
  name: string;
  organizationId: string;
  level: string;
  capacity: string;
  waitDays: number | null;
  score: number;
  reasons: string[];
  misfits: string[];
}

const ageRange = (lang: Lang, min: number | null, max: number | null) => {
  if (min !== null && max !== null) return lang === 'nl' ? `${min}–${max} jaar` : `${min}–${max}`;
  if (min !== null) return lang === 'nl' ? `vanaf ${min} jaar` : `${min} and over`;
  if (max !== null) return lang === 'nl' ? `tot ${max} jaar` : `up to ${max}`;
  return lang === 'nl' ? 'alle leeftijden' : 'all ages';
};

const TEXT: Record<string, Record<Lang, (p: Record<string, string | number>) => string>> = {
  themes: { nl: (p) => `Sluit aan bij ${p.n} van de ${p.of} thema's`, en: (p) => `Covers ${p.n} of ${p.of} themes` },
  levelExact: { nl: (p) => `Zorgniveau past (${p.level})`, en: (p) => `Level of care fits (${p.level})` },
  levelLighter: { nl: (p) => `Lichter dan nodig (${p.level})`, en: (p) => `Lighter than needed (${p.level})` },
  levelHeavier: {
    nl: (p) => `Gespecialiseerder dan nodig (${p.level})`,
    en: (p) => `More specialised than needed (${p.level})`,
  },
  open: { nl: () => 'Capaciteit: open', en: () => 'Capacity: open' },
  assessment: { nl: () => 'Eerst bijkomende screening', en: () => 'Additional assessment first' },
  waitlist: { nl: (p) => `Wachtlijst (ongeveer ${p.days} dagen)`, en: (p) => `Waiting list (about ${p.days} days)` },
  full: { nl: () => 'Volzet', en: () => 'Full' },
  language: {
    nl: (p) => `Spreekt de taal van de persoon (${p.lang})`,
    en: (p) => `Speaks the person's language (${p.lang})`,
  },
  noLanguage: {
    nl: (p) => `Niet in de taal van de persoon (${p.lang})`,
    en: (p) => `Not in the person's language (${p.lang})`,
  },
  modality: {
    nl: (p) => `Biedt de gewenste vorm (${p.modality})`,
    en: (p) => `Offers the preferred form (${p.modality})`,
  },
  noModality: {
    nl: (p) => `Niet in de gewenste vorm (${p.modality})`,
    en: (p) => `Not in the preferred form (${p.modality})`,
  },
  serves: { nl: (p) => `Werkt in ${p.municipality}`, en: (p) => `Serves ${p.municipality}` },
  crisisFirst: {
    nl: () => 'Snel bereikbaar bij crisis of suïciderisico',
    en: () => 'Quickly available in a crisis or at suicide risk',
  },
  lateWait: {
    nl: (p) => `Wachttijd (${p.days} dagen) langer dan de termijn voor ${p.urgency} hulp (${p.target})`,
    en: (p) => `Waiting time (${p.days} days) exceeds the target for ${p.urgency} help (${p.target})`,
  },
  lateUnknown: {
    nl: (p) => `Wachttijd onbekend: niet zeker binnen de termijn voor ${p.urgency} hulp (${p.target})`,
    en: (p) => `Waiting time unknown: not sure within the target for ${p.urgency} help (${p.target})`,
  },
  lateFull: {
    nl: (p) => `Volzet: geen antwoord binnen de termijn voor ${p.urgency} hulp (${p.target})`,
    en: (p) => `Full: no answer within the target for ${p.urgency} help (${p.target})`,
  },
  ageFits: { nl: (p) => `Leeftijd past (${p.age} jaar; ${p.range})`, en: (p) => `Age fits (${p.age}; ${p.range})` },
};
const say = (lang: Lang, key: string, p: Record<string, string | number> = {}) => TEXT[key]![lang](p);

const URGENCY_WORD: Record<Urgency, Record<Lang, string>> = {
  routine: { nl: 'gewone', en: 'routine' },
  urgent: { nl: 'dringende', en: 'urgent' },
  acute: { nl: 'acute', en: 'acute' },
};
const targetText = (lang: Lang, target: RiskContext['target']) =>
  'hours' in target
    ? lang === 'nl'
      ? `${target.hours} uur`
      : `${target.hours} ${target.hours === 1 ? 'hour' : 'hours'}`
    : lang === 'nl'
      ? `${target.workingDays} ${target.workingDays === 1 ? 'werkdag' : 'werkdagen'}`
      : `${target.workingDays} working ${target.workingDays === 1 ? 'day' : 'days'}`;

/** The misfit of an offer that cannot answer within the target (4a). */
function lateMisfit(lang: Lang, offer: Candidate, context: RiskContext): string {
  const p = { urgency: URGENCY_WORD[context.urgency][lang], target: targetText(lang, context.target) };
  if (offer.capacity === 'full') return say(lang, 'lateFull', p);
  if (offer.waitDays === null) return say(lang, 'lateUnknown', p);
  return say(lang, 'lateWait', { ...p, days: offer.waitDays });
}

/** The theme limit of step 2: with themes named, an offer must share one. */
const sharesATheme = (request: MatchRequest, offer: Candidate) =>
  request.themes.length === 0 || request.themes.some((t) => offer.themes.includes(t));

export function rankOffers(
  request: MatchRequest,
  needed: Level,
  candidates: Candidate[],
  lang: Lang,
  risk?: RiskContext | null,
): Suggestion[] {
  const neededIndex = LEVEL_ORDER.indexOf(needed);
  const safety = riskFirst(needed, risk) ? risk : null;
  const tiers = new Map<string, number>();
  const suggestions = candidates
    .filter((offer) => sharesATheme(request, offer))
    .map((offer) => {
      const reasons: string[] = [];
      const misfits: string[] = [];
      let points = 0;
      const crisisFirst = safety !== null && answersCrisis(offer);
      tiers.set(offer.id, safety ? riskTier(offer, safety.targetDays) : 0);
      if (crisisFirst) reasons.push(say(lang, 'crisisFirst'));
      const shared = request.themes.filter((t) => offer.themes.includes(t)).length;
      points += themePoints(shared, request.themes.length);
      if (shared > 0) reasons.push(say(lang, 'themes', { n: shared, of: request.themes.length }));

      const step = LEVEL_ORDER.indexOf(offer.level as Level) - neededIndex;
      if (step === 0) {
        points += POINTS.level.exact;
        reasons.push(say(lang, 'levelExact', { level: offer.level }));
      } else if (step === -1) {
        points += POINTS.level.lighter;
        misfits.push(say(lang, 'levelLighter', { level: offer.level }));
      } else if (step === 1) {
        points += POINTS.level.heavier;
        // for a person at risk, a crisis or suicide-prevention offer is not too much
        if (!crisisFirst) misfits.push(say(lang, 'levelHeavier', { level: offer.level }));
      } else if (step < 0) misfits.push(say(lang, 'levelLighter', { level: offer.level }));
      else if (!crisisFirst) misfits.push(say(lang, 'levelHeavier', { level: offer.level }));

      if (offer.capacity === 'open') {
        points += POINTS.capacity.open;
        reasons.push(say(lang, 'open'));
      } else if (offer.capacity === 'assessment') {
        points += POINTS.capacity.assessment;
        misfits.push(say(lang, 'assessment'));
      } else if (offer.capacity === 'waitlist') {
        points += waitlistPoints(offer.waitDays);
        misfits.push(say(lang, 'waitlist', { days: offer.waitDays ?? '?' }));
      } else {
        points += POINTS.capacity.full;
        misfits.push(say(lang, 'full'));
      }
      if (safety && !answersInTime(offer, safety.targetDays)) misfits.push(lateMisfit(lang, offer, safety));

      if (request.language) {
        if (offer.languages.includes(request.language)) {
          points += POINTS.language;
          reasons.push(say(lang, 'language', { lang: request.language }));
        } else misfits.push(say(lang, 'noLanguage', { lang: request.language }));
      }
      if (request.preferredModality) {
        if (offer.modalities.includes(request.preferredModality)) {
          points += POINTS.modality;
          reasons.push(say(lang, 'modality', { modality: request.preferredModality }));
        } else misfits.push(say(lang, 'noModality', { modality: request.preferredModality }));
      }
      // the hard limits it was selected on (no points: every candidate meets them)
      if (request.municipality) reasons.push(say(lang, 'serves', { municipality: request.municipality.name }));
      if (request.age !== null)
        reasons.push(say(lang, 'ageFits', { age: request.age, range: ageRange(lang, offer.minAge, offer.maxAge) }));
      return {
        offerId: offer.id,
        name: offer.name,
        organizationId: offer.organizationId,
        level: offer.level,
        capacity: offer.capacity,
        waitDays: offer.waitDays,
        score: points,
        reasons,
        misfits,
      };
    });
  return suggestions.sort(
    (a, b) =>
      tiers.get(a.offerId)! - tiers.get(b.offerId)! ||
      b.score - a.score ||
      (a.waitDays ?? 0) - (b.waitDays ?? 0) ||
      a.name.localeCompare(b.name, 'nl') ||
      a.offerId.localeCompare(b.offerId),
  );
}

/** Step 5 for one offer: zero-line or group, and open now (or after an assessment). */
const helpsWhileWaiting = (c: Pick<Candidate, 'level' | 'modalities' | 'capacity'>) =>
  (c.level === 'zero-line' || c.modalities.includes('group')) && (c.capacity === 'open' || c.capacity === 'assessment');

export const WHILE_WAITING_MAX = 5;
/** How many of the first suggestions whileWaiting leaves out. */
export const WHILE_WAITING_EXCLUDES = 3;

/** While waiting: zero-line and group offers on the same themes that are open now. */
export function whileWaiting(
  request: MatchRequest,
  candidates: Candidate[],
  lang: Lang,
  exclude: Set<string>,
): Suggestion[] {
  const light = candidates.filter((c) => !exclude.has(c.id) && helpsWhileWaiting(c));
  return rankOffers(request, 'zero-line', light, lang).slice(0, WHILE_WAITING_MAX);
}
