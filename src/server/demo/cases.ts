/**
 * The people of the demo network: fictional cases that give every inbox, overview and list something to show on
 * first start. Every name, story and birth date is made up; the municipalities are real ones of the zone.
 * Times are relative to the moment the seed runs (moments.ts), so the overdue cases stay overdue.
 *
 * What each organisation sees because of them is the table in README ("What the demo holds"); the integration
 * test (tests/integration/demo.test.ts) holds the two together.
 */
import type { CHANNELS, LIFE_DOMAINS, SIGNAL_KINDS, SIGNAL_LEVELS, URGENCIES } from '../features/intake/index.ts';
import type { LEVELS } from '../features/offers/index.ts';
import type {
  CLOSE_WITHOUT_CONTACT_REASONS,
  CONSENT_CATEGORIES,
  CONSENT_METHODS,
  DECLINE_REASONS,
} from '../features/referrals/index.ts';
import type { DEMO_ORGANIZATIONS } from './seed.ts';
import { daysAhead, hoursAgo, workingDaysAgo as wd, type Moment } from './moments.ts';

export type OrgKey = (typeof DEMO_ORGANIZATIONS)[number]['key'];
/** The role prefix of a demo address (`onthaal@caw.demo.example`). */
export type Worker = 'onthaal' | 'hulpverlener' | 'coordinator' | 'teamlead';

/** A person in an organisation's register: found by name and birth date (or pseudonym), else registered. */
export type DemoPerson =
  | {
      identity: 'named';
      givenName: string;
      familyName: string;
      birthDate: string;
      municipality: string;
      language?: string;
    }
  | { identity: 'pseudonym'; pseudonym: string; birthYear: number };

export interface DemoScreening {
  instrument: 'phq9' | 'gad7' | 'k10' | 'djg6' | 'cssrs';
  answers: Record<string, number | string>;
}

/** One step on a referral, taken by the side the lifecycle gives it to. */
export type DemoStep = { at: Moment } & (
  | { action: 'receive' | 'accept' | 'first-contact' | 'missed' }
  | { action: 'decline'; reason: (typeof DECLINE_REASONS)[number]; note?: string }
  /** days from today (negative: the expected start has passed, the wait is overdue) */
  | { action: 'waitlist'; expectedInDays: number }
  | { action: 'schedule'; appointment: Moment }
  | { action: 'complete'; reason?: (typeof CLOSE_WITHOUT_CONTACT_REASONS)[number]; note?: string }
  | { action: 'cancel'; reason: string }
  /** the receiver enters the person in its own register from what was shared */
  | { action: 'register' }
  /** the sender arranges support while the person waits (an offer given as "org/name") */
  | { action: 'bridging'; offer?: `${OrgKey}/${string}`; note: string }
);

export interface DemoReferral {
  to: OrgKey;
  offer: string;
  priority: (typeof URGENCIES)[number];
  message: string;
  consent: {
    method: (typeof CONSENT_METHODS)[number];
    categories: (typeof CONSENT_CATEGORIES)[number][];
    exceptionReason?: string;
  };
  sent: Moment;
  steps: DemoStep[];
}

export interface DemoCase {
  /** stable name of the case (tests, README) */
  key: string;
  org: OrgKey;
  /** who takes the intake (default: the intake worker) */
  by?: Worker;
  person: DemoPerson | null;
  received: Moment;
  channel: (typeof CHANNELS)[number];
  story: string;
  themes: string[];
  urgency: (typeof URGENCIES)[number];
  lifeDomains: (typeof LIFE_DOMAINS)[number][];
  screenings?: DemoScreening[];
  /** raised by hand (a screening raises its own) */
  signals?: { kind: (typeof SIGNAL_KINDS)[number]; level: (typeof SIGNAL_LEVELS)[number]; note: string }[];
  /** recorded on every signal of the case by the worker */
  safetyAction?: string;
  /** the team lead acknowledged the signals: they left the safety overview */
  acknowledged?: boolean;
  indication?: { level: (typeof LEVELS)[number]; reasons: string };
  referrals?: DemoReferral[];
  close?: { at: Moment; reason: string };
}

const ALL_SHARED: DemoReferral['consent']['categories'] = ['contact', 'help-request-summary', 'screening-results'];
const CONTACT_AND_SUMMARY: DemoReferral['consent']['categories'] = ['contact', 'help-request-summary'];

/** PHQ-9 answers q1–q9 (0–3 each). */
const phq9 = (...scores: number[]): DemoScreening => ({
  instrument: 'phq9',
  answers: Object.fromEntries(scores.map((s, i) => [`q${i + 1}`, s])),
});
const gad7 = (...scores: number[]): DemoScreening => ({
  instrument: 'gad7',
  answers: Object.fromEntries(scores.map((s, i) => [`q${i + 1}`, s])),
});
const k10 = (...answers: string[]): DemoScreening => ({
  instrument: 'k10',
  answers: Object.fromEntries(answers.map((a, i) => [`q${i + 1}`, a])),
});
const cssrs = (answers: Record<string, 'ja' | 'nee'>): DemoScreening => ({ instrument: 'cssrs', answers });
const djg6 = (answers: Record<'e1' | 'e2' | 'e3' | 's1' | 's2' | 's3', 'ja' | 'min-of-meer' | 'nee'>) => ({
  instrument: 'djg6' as const,
  answers,
});

export const DEMO_CASES: DemoCase[] = [
  // ---------- CAW Oost-Brabant ----------
  {
    key: 'caw-marie-suicide-risk',
    org: 'caw',
    person: {
      identity: 'named',
      givenName: 'Marie',
      familyName: 'Peeters',
      birthDate: '1978-04-12',
      municipality: '24062',
    },
    received: wd(1, '10:00'),
    channel: 'gp',
    story:
      'Marie komt langs op aanraden van haar huisarts. Sinds haar ontslag zes maanden geleden slaapt ze slecht, trekt ze zich terug en zegt ze dat ze "het niet meer ziet zitten".',
    themes: ['depression', 'suicidal-thoughts', 'stress-burnout'],
    urgency: 'urgent',
    lifeDomains: ['mental-health', 'work-school'],
    // item 9 answered 2: thoughts of death on more than half the days
    screenings: [phq9(2, 3, 2, 2, 1, 2, 1, 1, 2)],
    safetyAction:
      'Veiligheidsplan met Marie besproken; Zelfmoordlijn 1813 meegegeven; haar zus is met haar toestemming verwittigd.',
    indication: {
      level: 'crisis',
      reasons: 'Gedachten aan de dood (PHQ-9 vraag 9): suïcidepreventieve zorg nodig, geen concreet plan.',
    },
    referrals: [
      {
        to: 'cgg',
        offer: 'Zelfmoordpreventie: suïcidepreventieve zorg',
        priority: 'urgent',
        message: 'Graag snel contact: PHQ-9 vraag 9 positief, geen concreet plan. Veiligheidsplan is besproken.',
        consent: { method: 'verbal', categories: ALL_SHARED },
        sent: hoursAgo(3),
        steps: [],
      },
    ],
  },
  {
    key: 'caw-youssef-unanswered',
    org: 'caw',
    person: {
      identity: 'named',
      givenName: 'Youssef',
      familyName: 'El Amrani',
      birthDate: '2003-09-30',
      municipality: '24038',
    },
    received: wd(11, '14:00'),
    channel: 'self',
    story:
      "Youssef studeert overdag en werkt 's avonds. Hij piekert veel, kan zich niet meer concentreren en krijgt paniekaanvallen voor de examens.",
    themes: ['anxiety', 'stress-burnout', 'youth-problems'],
    urgency: 'routine',
    lifeDomains: ['mental-health', 'work-school'],
    screenings: [k10('meestal', 'meestal', 'soms', 'soms', 'meestal', 'soms', 'soms', 'meestal', 'af-en-toe', 'soms')],
    indication: { level: 'basic', reasons: 'Angstklachten met hoge belasting; kortdurende behandeling past.' },
    referrals: [
      {
        to: 'cgg',
        offer: 'Eerstelijnspsycholoog: kortdurende behandeling',
        priority: 'routine',
        message: 'Graag een kortdurende behandeling voor angst en stress rond de examens.',
        consent: { method: 'written', categories: ALL_SHARED },
        sent: wd(10, '11:00'),
        // never answered: past the routine answer target (overdue)
        steps: [],
      },
    ],
  },
  {
    key: 'caw-ann-grief',
    org: 'caw',
    person: {
      identity: 'named',
      givenName: 'Ann',
      familyName: 'Verhaegen',
      birthDate: '1956-01-22',
      municipality: '24055',
    },
    received: wd(16, '09:30'),
    channel: 'self',
    story:
      'Ann verloor vorig jaar haar man. Ze komt nauwelijks nog buiten, eet onregelmatig en mist iemand om mee te praten.',
    themes: ['grief-loss', 'loneliness', 'social-isolation-elderly'],
    urgency: 'routine',
    lifeDomains: ['social-contacts', 'mental-health'],
    screenings: [djg6({ e1: 'ja', e2: 'ja', e3: 'min-of-meer', s1: 'nee', s2: 'nee', s3: 'min-of-meer' })],
    referrals: [
      {
        to: 'ocmw',
        offer: 'Huisbezoeken bij geïsoleerde ouderen',
        priority: 'routine',
        message: 'Ann zou graag iemand over de vloer krijgen; ze kijkt uit naar een vast bezoek.',
        consent: { method: 'verbal', categories: CONTACT_AND_SUMMARY },
        sent: wd(15, '10:00'),
        steps: [
          { action: 'receive', at: wd(15, '13:00') },
          { action: 'accept', at: wd(14, '09:00') },
          { action: 'register', at: wd(14, '09:05') },
          { action: 'schedule', at: wd(13, '10:00'), appointment: wd(11, '14:00') },
          { action: 'first-contact', at: wd(11, '15:30') },
          { action: 'complete', at: wd(2, '16:00') },
        ],
      },
      {
        to: 'uitvaart',
        offer: 'Herdenkingsbijeenkomst',
        priority: 'routine',
        message: 'Ann wil graag naar de herdenking; ze komt met de bus.',
        consent: { method: 'verbal', categories: ['contact'] },
        sent: wd(2, '10:00'),
        steps: [
          { action: 'accept', at: wd(1, '09:00') },
          { action: 'schedule', at: wd(1, '09:10'), appointment: daysAhead(6, '19:00') },
        ],
      },
    ],
  },
  {
    key: 'caw-lotte-family-violence',
    org: 'caw',
    person: {
      identity: 'named',
      givenName: 'Lotte',
      familyName: 'Wouters',
      birthDate: '1991-03-14',
      municipality: '24062',
    },
    received: wd(2, '11:00'),
    channel: 'self',
    story:
      'Lotte belt vanop het werk: haar partner is de laatste maanden steeds dreigender, gisteren duwde hij haar tegen de muur. Twee kinderen (4 en 7). Hij mag niet weten dat ze hulp zoekt.',
    themes: ['family-violence', 'relationship-family'],
    urgency: 'urgent',
    lifeDomains: ['safety', 'relationships', 'family'],
    signals: [
      {
        kind: 'family-violence',
        level: 'high',
        note: 'Fysiek geweld gisteren, kinderen in huis. Veiligheidsplan nodig.',
      },
    ],
    safetyAction:
      'Veiligheidsplan opgemaakt: veilig adres bij haar zus, 112 bij gevaar, afspraak bij de begeleiding intrafamiliaal geweld morgen.',
    indication: { level: 'specialised', reasons: 'Intrafamiliaal geweld: gespecialiseerde ambulante begeleiding.' },
  },
  {
    key: 'caw-koen-waiting',
    org: 'caw',
    person: {
      identity: 'named',
      givenName: 'Koen',
      familyName: 'Mertens',
      birthDate: '1975-08-02',
      municipality: '24038',
    },
    received: wd(20, '10:00'),
    channel: 'self',
    story:
      'Koen heeft sinds zijn scheiding schulden opgebouwd; er dreigt een uithuiszetting. Hij slaapt slecht en schaamt zich om hulp te vragen.',
    themes: ['financial-problems', 'housing', 'divorce'],
    urgency: 'routine',
    lifeDomains: ['finances', 'housing'],
    signals: [{ kind: 'other', level: 'attention', note: 'Dreigende uithuiszetting binnen zes weken.' }],
    safetyAction: 'Vrederechter en sociaal verhuurkantoor gecontacteerd; uithuiszetting uitgesteld.',
    acknowledged: true,
    referrals: [
      {
        to: 'ocmw',
        offer: 'Budgetbeheer',
        priority: 'routine',
        message: 'Koen vraagt budgetbeheer; de schuldenlast is groot en de huur is achterstallig.',
        consent: { method: 'written', categories: CONTACT_AND_SUMMARY },
        sent: wd(19, '11:00'),
        steps: [
          { action: 'receive', at: wd(18, '09:00') },
          // the expected start has passed and Koen still waits (overdue)
          { action: 'waitlist', at: wd(18, '09:30'), expectedInDays: -4 },
          {
            action: 'bridging',
            at: wd(17, '10:00'),
            offer: 'caw/Onthaal CAW: vrij binnenlopen',
            note: 'Koen komt wekelijks langs bij het onthaal tot het budgetbeheer start.',
          },
        ],
      },
    ],
  },
  {
    key: 'caw-anonymous-question',
    org: 'caw',
    person: null,
    received: wd(6, '15:00'),
    channel: 'self',
    story: 'Anonieme vraag aan het onthaal over de huurwaarborg en wat te doen bij een te hoge energiefactuur.',
    themes: ['housing', 'financial-problems'],
    urgency: 'routine',
    lifeDomains: ['housing', 'finances'],
    close: {
      at: wd(6, '15:30'),
      reason: 'Informatie gegeven over de huurwaarborg en de energiefactuur; geen verdere hulp gevraagd.',
    },
  },

  // ---------- CGG De Kade ----------
  {
    key: 'cgg-tom-high-risk',
    org: 'cgg',
    person: {
      identity: 'named',
      givenName: 'Tom',
      familyName: 'Janssens',
      birthDate: '1990-06-05',
      municipality: '24062',
    },
    received: hoursAgo(5),
    channel: 'self',
    story:
      'Tom meldt zich aan na een moeilijke nacht, op aanraden van een vriend. Hij heeft erover nagedacht hoe hij uit het leven zou stappen en had de intentie om het te doen.',
    themes: ['suicidal-thoughts', 'depression'],
    urgency: 'acute',
    lifeDomains: ['mental-health', 'social-contacts'],
    // yes on intention (q4): high risk, no safety action on record yet
    screenings: [cssrs({ q1: 'ja', q2: 'ja', q3: 'ja', q4: 'ja', q5: 'nee', q6: 'nee' })],
    indication: { level: 'crisis', reasons: 'C-SSRS hoog risico: gedachten met intentie.' },
  },
  {
    key: 'cgg-sofie-to-gp',
    org: 'cgg',
    person: {
      identity: 'named',
      givenName: 'Sofie',
      familyName: 'Claes',
      birthDate: '2001-11-17',
      municipality: '24086',
    },
    received: wd(9, '10:00'),
    channel: 'self',
    story:
      'Sofie heeft sinds een verkeersongeval angst om de auto te nemen en slaapt slecht. Ze wil graag hulp dicht bij huis.',
    themes: ['anxiety', 'stress-burnout'],
    urgency: 'routine',
    lifeDomains: ['mental-health'],
    screenings: [gad7(2, 2, 2, 2, 1, 2, 2)],
    referrals: [
      {
        to: 'huisarts',
        offer: 'Praktijkondersteuner GGZ',
        priority: 'routine',
        message: 'Angstklachten na een ongeval; graag begeleiding bij de praktijkondersteuner.',
        consent: { method: 'verbal', categories: ALL_SHARED },
        sent: wd(8, '11:00'),
        steps: [
          { action: 'receive', at: wd(7, '09:00') },
          { action: 'accept', at: wd(6, '10:00') },
          { action: 'schedule', at: wd(6, '10:05'), appointment: daysAhead(2, '14:30') },
        ],
      },
    ],
  },

  // ---------- Luisterlijn ----------
  {
    key: 'helpline-merel-lonely',
    org: 'helpline',
    person: { identity: 'pseudonym', pseudonym: 'Beller Merel', birthYear: 1994 },
    received: wd(7, '23:10'),
    channel: 'self',
    story:
      "Merel belt voor de derde keer deze week, telkens 's nachts. Ze woont alleen sinds haar verhuis en voelt zich onzichtbaar. Soms wenst ze niet meer wakker te worden.",
    themes: ['loneliness', 'psychological-complaints'],
    urgency: 'routine',
    lifeDomains: ['social-contacts', 'mental-health'],
    // a wish to be dead (q1) without active thoughts: a C-SSRS warning
    screenings: [cssrs({ q1: 'ja', q2: 'nee', q6: 'nee' })],
    referrals: [
      {
        to: 'cgg',
        offer: 'Online chat met een psycholoog',
        priority: 'routine',
        message: "Merel wil graag met iemand praten; ze belt vooral 's nachts.",
        consent: { method: 'verbal', categories: CONTACT_AND_SUMMARY },
        sent: wd(6, '09:00'),
        steps: [
          {
            action: 'decline',
            at: wd(5, '10:00'),
            reason: 'not-eligible',
            note: 'Merel zoekt vooral nabijheid; online chat is niet de beste eerste stap. Bekijk begeleiding bij het CAW.',
          },
        ],
      },
      {
        to: 'caw',
        offer: 'Psychosociale begeleiding volwassenen',
        priority: 'routine',
        message: 'Na weigering door het CGG: Merel zoekt iemand om regelmatig mee te praten.',
        consent: { method: 'verbal', categories: CONTACT_AND_SUMMARY },
        sent: wd(5, '11:00'),
        steps: [
          { action: 'receive', at: wd(4, '09:00') },
          { action: 'waitlist', at: wd(4, '09:15'), expectedInDays: 17 },
          {
            action: 'bridging',
            at: wd(3, '10:00'),
            offer: 'helpline/Lotgenotengroep eenzaamheid',
            note: 'Merel mag intussen elke nacht bellen en is uitgenodigd voor de lotgenotengroep.',
          },
        ],
      },
    ],
  },
  {
    key: 'helpline-jonas-acute',
    org: 'helpline',
    person: { identity: 'pseudonym', pseudonym: 'Beller Jonas', birthYear: 1979 },
    received: hoursAgo(6),
    channel: 'self',
    story:
      'Jonas belt in paniek vanop een parking: hij heeft pillen bij zich en wil er vanavond een einde aan maken. Hij geeft zijn naam niet, wel waar hij is.',
    themes: ['suicidal-thoughts'],
    urgency: 'acute',
    lifeDomains: ['mental-health', 'safety'],
    screenings: [cssrs({ q1: 'ja', q2: 'ja', q3: 'ja', q4: 'ja', q5: 'ja', q6: 'nee' })],
    safetyAction: 'Mobiel crisisteam ingeschakeld; in lijn gebleven tot het team ter plaatse was.',
    referrals: [
      {
        to: 'cgg',
        offer: 'Mobiel crisisteam',
        priority: 'acute',
        message: 'Acuut: beller met pillen op een parking, locatie doorgegeven. Wij blijven in lijn.',
        consent: {
          method: 'exception',
          categories: CONTACT_AND_SUMMARY,
          exceptionReason:
            'Acuut levensgevaar; de beller kon geen toestemming geven. Alleen gedeeld wat het crisisteam nodig had.',
        },
        sent: hoursAgo(5.5),
        steps: [
          { action: 'accept', at: hoursAgo(5.4) },
          { action: 'schedule', at: hoursAgo(5.3), appointment: hoursAgo(4.9) },
          { action: 'first-contact', at: hoursAgo(4.8) },
          { action: 'register', at: hoursAgo(4) },
        ],
      },
    ],
  },

  // ---------- Sociaal Huis Herent ----------
  {
    key: 'ocmw-jean-housing',
    org: 'ocmw',
    person: {
      identity: 'named',
      givenName: 'Jean',
      familyName: 'Dubois',
      birthDate: '1969-03-08',
      municipality: '24038',
      language: 'fr',
    },
    received: wd(17, '10:00'),
    channel: 'self',
    story:
      'Jean kreeg een opzeg van zijn huisbaas en heeft achterstallige huur. Hij spreekt vooral Frans; zijn dochter vertaalt. Het vocht in de woning schaadt zijn gezondheid.',
    themes: ['housing', 'financial-problems'],
    urgency: 'routine',
    lifeDomains: ['housing', 'finances', 'physical-health'],
    signals: [{ kind: 'unsafe-home', level: 'attention', note: 'Ernstige vochtproblemen en een defecte kachel.' }],
    referrals: [
      {
        to: 'caw',
        offer: 'Schuldhulp en budgetbegeleiding',
        priority: 'routine',
        message: 'Jean heeft hulp nodig bij zijn schulden; graag in het Frans of met zijn dochter erbij.',
        consent: { method: 'written', categories: CONTACT_AND_SUMMARY },
        sent: wd(16, '11:00'),
        steps: [
          { action: 'receive', at: wd(15, '09:00') },
          { action: 'accept', at: wd(14, '10:00') },
          { action: 'register', at: wd(14, '10:10') },
          // no first contact since: past the first-contact target (overdue)
        ],
      },
    ],
  },
  {
    key: 'ocmw-fatma-cancelled',
    org: 'ocmw',
    person: {
      identity: 'named',
      givenName: 'Fatma',
      familyName: 'Yilmaz',
      birthDate: '1985-12-01',
      municipality: '24038',
    },
    received: wd(9, '13:00'),
    channel: 'self',
    story:
      'Fatma, alleenstaande moeder van drie, voelt zich uitgeput en somber sinds haar ontslag. Ze zoekt iemand om mee te praten en steun bij de opvoeding.',
    themes: ['depression', 'parenting', 'stress-burnout'],
    urgency: 'routine',
    lifeDomains: ['mental-health', 'family', 'work-school'],
    screenings: [phq9(2, 2, 2, 2, 1, 1, 1, 1, 0)],
    referrals: [
      {
        to: 'cgg',
        offer: 'Eerstelijnspsycholoog: kortdurende behandeling',
        priority: 'routine',
        message: 'Matige depressieve klachten (PHQ-9 12); Fatma wil graag praten met een psycholoog.',
        consent: { method: 'verbal', categories: ALL_SHARED },
        sent: wd(8, '10:00'),
        steps: [
          { action: 'receive', at: wd(7, '09:00') },
          { action: 'waitlist', at: wd(7, '09:20'), expectedInDays: 14 },
          { action: 'cancel', at: wd(1, '15:00'), reason: 'Fatma kan via haar werkgever sneller bij een psycholoog.' },
        ],
      },
    ],
  },

  {
    key: 'ocmw-nadia-carer',
    org: 'ocmw',
    person: {
      identity: 'named',
      givenName: 'Nadia',
      familyName: 'Benali',
      birthDate: '1972-06-25',
      municipality: '24038',
    },
    received: wd(3, '14:00'),
    channel: 'self',
    story:
      'Nadia zorgt al twee jaar voor haar moeder met dementie en werkt halftijds. Ze is uitgeput en heeft geen tijd meer voor zichzelf.',
    themes: ['stress-burnout', 'loneliness'],
    urgency: 'routine',
    lifeDomains: ['family', 'mental-health'],
    referrals: [
      {
        to: 'wzc',
        offer: 'Praatgroep voor mantelzorgers',
        priority: 'routine',
        message: 'Overbelaste mantelzorger; ze wil graag anderen in dezelfde situatie ontmoeten.',
        consent: { method: 'digital', categories: CONTACT_AND_SUMMARY },
        sent: wd(2, '11:00'),
        steps: [{ action: 'receive', at: wd(1, '09:00') }],
      },
    ],
  },

  // ---------- WZC Ter Linde ----------
  {
    key: 'wzc-georgette-resident',
    org: 'wzc',
    person: {
      identity: 'named',
      givenName: 'Georgette',
      familyName: 'Lemmens',
      birthDate: '1938-05-09',
      municipality: '24055',
    },
    received: wd(2, '15:00'),
    channel: 'facility',
    story:
      'Mevrouw Lemmens woont sinds drie maanden in Ter Linde. Sinds het overlijden van haar man eet ze weinig en zegt ze tegen de verpleging dat ze "liever bij hem zou zijn".',
    themes: ['grief-loss', 'depression', 'social-isolation-elderly'],
    urgency: 'urgent',
    lifeDomains: ['mental-health', 'physical-health', 'social-contacts'],
    screenings: [phq9(2, 2, 1, 2, 2, 1, 1, 1, 1)],
    referrals: [
      {
        to: 'cgg',
        offer: 'Ouderenpsychiatrie ambulant',
        priority: 'urgent',
        message: 'Doodswens na rouw, eet weinig. Graag een consult in het woonzorgcentrum.',
        consent: { method: 'written', categories: ALL_SHARED },
        sent: wd(1, '10:00'),
        steps: [{ action: 'receive', at: wd(1, '14:00') }],
      },
    ],
  },

  // ---------- Uitvaartzorg Van Dormael ----------
  {
    key: 'uitvaart-dirk-missed',
    org: 'uitvaart',
    person: {
      identity: 'named',
      givenName: 'Dirk',
      familyName: 'Segers',
      birthDate: '1961-11-23',
      municipality: '24009',
    },
    received: wd(17, '16:00'),
    channel: 'other',
    story:
      'Dirk verloor plots zijn vrouw. Bij het regelen van de uitvaart zei hij: "zonder haar hoeft het voor mij niet meer". Zijn kinderen wonen in het buitenland.',
    themes: ['grief-loss', 'loneliness'],
    urgency: 'routine',
    lifeDomains: ['mental-health', 'social-contacts'],
    signals: [{ kind: 'suicide-risk', level: 'high', note: 'Uitspraak tijdens het gesprek; geen plan genoemd.' }],
    safetyAction: 'Zelfmoordlijn 1813 meegegeven en met zijn toestemming de huisarts verwittigd.',
    referrals: [
      {
        to: 'caw',
        offer: 'Rouwbegeleiding',
        priority: 'routine',
        message: 'Plots verlies van zijn vrouw; hij liet zich ontvallen dat het niet meer hoeft.',
        consent: { method: 'verbal', categories: CONTACT_AND_SUMMARY },
        sent: wd(16, '10:00'),
        steps: [
          { action: 'receive', at: wd(15, '09:00') },
          { action: 'accept', at: wd(14, '11:00') },
          { action: 'schedule', at: wd(14, '11:10'), appointment: wd(8, '10:00') },
          // not there, and not scheduled again since: past the first-contact target (overdue)
          { action: 'missed', at: wd(8, '11:00') },
        ],
      },
    ],
  },
  {
    key: 'uitvaart-hilde-declined-contact',
    org: 'uitvaart',
    person: {
      identity: 'named',
      givenName: 'Hilde',
      familyName: 'Claessens',
      birthDate: '1969-02-17',
      municipality: '24055',
    },
    received: wd(14, '14:00'),
    channel: 'other',
    story: 'Hilde verloor haar moeder, die in WZC Ter Linde woonde. Na de uitvaart vroeg ze naar een nazorggesprek.',
    themes: ['grief-loss'],
    urgency: 'routine',
    lifeDomains: ['family'],
    referrals: [
      {
        to: 'wzc',
        offer: 'Nazorg voor nabestaanden van bewoners',
        priority: 'routine',
        message: 'Dochter van een overleden bewoonster; ze zou graag terugblikken met wie haar moeder verzorgde.',
        consent: { method: 'verbal', categories: ['contact'] },
        sent: wd(13, '10:00'),
        steps: [
          { action: 'receive', at: wd(12, '09:00') },
          { action: 'accept', at: wd(12, '09:10') },
          { action: 'schedule', at: wd(12, '09:15'), appointment: wd(9, '14:00') },
          { action: 'missed', at: wd(9, '15:00') },
          {
            action: 'complete',
            at: wd(5, '10:00'),
            reason: 'client-declined',
            note: 'Hilde wil voorlopig geen gesprek; ze mag altijd terugkomen.',
          },
        ],
      },
    ],
  },

  // ---------- Huisartsenpraktijk De Vest ----------
  {
    key: 'huisarts-pieter-burnout',
    org: 'huisarts',
    by: 'hulpverlener',
    person: {
      identity: 'named',
      givenName: 'Pieter',
      familyName: 'Maes',
      birthDate: '1984-07-21',
      municipality: '24062',
    },
    received: wd(5, '08:30'),
    channel: 'self',
    story:
      'Pieter zit sinds zes weken thuis met een burn-out. Hij slaapt slecht, voelt zich waardeloos en denkt soms dat iedereen beter af zou zijn zonder hem.',
    themes: ['stress-burnout', 'depression'],
    urgency: 'urgent',
    lifeDomains: ['mental-health', 'work-school'],
    screenings: [phq9(2, 2, 3, 3, 1, 2, 2, 1, 1)],
    safetyAction: 'Veiligheidsafspraken gemaakt; zijn partner is betrokken; controle over een week.',
    indication: {
      level: 'specialised',
      reasons: 'Ernstige depressieve klachten met doodsgedachten; gespecialiseerde behandeling.',
    },
    referrals: [
      {
        to: 'cgg',
        offer: 'Gespecialiseerde ambulante behandeling volwassenen',
        priority: 'urgent',
        message: 'Burn-out met depressieve klachten en doodsgedachten; veiligheidsafspraken gemaakt.',
        consent: { method: 'verbal', categories: ALL_SHARED },
        sent: wd(5, '09:30'),
        steps: [
          { action: 'receive', at: wd(4, '09:00') },
          { action: 'accept', at: wd(3, '10:00') },
          { action: 'register', at: wd(3, '10:05') },
        ],
      },
    ],
  },
  {
    key: 'huisarts-emma-anxiety',
    org: 'huisarts',
    by: 'hulpverlener',
    person: {
      identity: 'named',
      givenName: 'Emma',
      familyName: 'Jacobs',
      birthDate: '2006-01-30',
      municipality: '24086',
    },
    received: hoursAgo(4),
    channel: 'self',
    story: 'Emma, eerstejaarsstudente, heeft sinds de examens dagelijks angstaanvallen en durft niet meer naar de les.',
    themes: ['anxiety', 'youth-problems'],
    urgency: 'routine',
    lifeDomains: ['mental-health', 'work-school'],
    screenings: [gad7(3, 2, 2, 2, 2, 2, 3)],
    referrals: [
      {
        to: 'caw',
        offer: 'JAC: jongeren 12 tot 25',
        priority: 'routine',
        message: 'Emma zoekt laagdrempelige begeleiding voor haar angst; ze studeert in Leuven.',
        consent: { method: 'verbal', categories: ALL_SHARED },
        sent: hoursAgo(3),
        steps: [],
      },
    ],
  },
  {
    key: 'huisarts-rene-lonely',
    org: 'huisarts',
    by: 'hulpverlener',
    person: {
      identity: 'named',
      givenName: 'René',
      familyName: 'Goossens',
      birthDate: '1946-10-04',
      municipality: '24043',
    },
    received: wd(4, '11:00'),
    channel: 'self',
    story:
      'René is weduwnaar en komt vaak op consultatie "om even te praten". Hij voelt zich eenzaam, vooral \'s avonds.',
    themes: ['loneliness', 'social-isolation-elderly'],
    urgency: 'routine',
    lifeDomains: ['social-contacts'],
    screenings: [djg6({ e1: 'ja', e2: 'ja', e3: 'nee', s1: 'min-of-meer', s2: 'nee', s3: 'nee' })],
    referrals: [
      {
        to: 'helpline',
        offer: 'Lotgenotengroep eenzaamheid',
        priority: 'routine',
        message: 'René zou graag lotgenoten ontmoeten; hij rijdt niet meer met de auto.',
        consent: { method: 'verbal', categories: CONTACT_AND_SUMMARY },
        sent: wd(3, '10:00'),
        steps: [{ action: 'receive', at: wd(2, '09:30') }],
      },
    ],
  },
];
