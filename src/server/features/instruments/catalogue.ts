import type { AnswerOption, Band, InstrumentDefinition, Text } from './definition.ts';

const t = (nl: string, en: string): Text => ({ nl, en });
const band = (code: string, min: number, max: number, nl: string, en: string): Band => ({
  code,
  min,
  max,
  label: t(nl, en),
});

const djgAnswers = (scoreFor: Record<'ja' | 'min-of-meer' | 'nee', number>): AnswerOption[] => [
  { value: 'ja', label: t('ja', 'yes'), score: scoreFor.ja },
  { value: 'min-of-meer', label: t('min of meer', 'more or less'), score: scoreFor['min-of-meer'] },
  { value: 'nee', label: t('nee', 'no'), score: scoreFor.nee },
];
const emotional = djgAnswers({ ja: 1, 'min-of-meer': 1, nee: 0 });
const social = djgAnswers({ ja: 0, 'min-of-meer': 1, nee: 1 });

export const DJG6: InstrumentDefinition = {
  // 2006.2: the licence as the network states it (free for research, with citation)
  id: 'djg6',
  version: '2006.2',
  title: t('De Jong Gierveld eenzaamheidsschaal (6 items)', 'De Jong Gierveld loneliness scale (6 items)'),
  description: t('Emotionele en sociale eenzaamheid.', 'Emotional and social loneliness.'),
  citation:
    'De Jong Gierveld, J., & Van Tilburg, T. G. (2006). A 6-item scale for overall, emotional, and social loneliness: confirmatory tests on survey data. Research on Aging, 28(5), 582–598.',
  licence: t('Vrij te gebruiken voor onderzoek, met bronvermelding.', 'Free for research, with citation.'),
  items: [
    {
      id: 'e1',
      text: t('Ik ervaar een leegte om me heen.', 'I experience a general sense of emptiness.'),
      options: emotional,
      subscale: 'emotional',
    },
    {
      id: 'e2',
      text: t('Ik mis mensen om me heen.', 'I miss having people around.'),
      options: emotional,
      subscale: 'emotional',
    },
    {
      id: 'e3',
      text: t('Vaak voel ik me in de steek gelaten.', 'I often feel rejected.'),
      options: emotional,
      subscale: 'emotional',
    },
    {
      id: 's1',
      text: t(
        'Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen.',
        'There are plenty of people I can rely on when I have problems.',
      ),
      options: social,
      subscale: 'social',
    },
    {
      id: 's2',
      text: t('Ik heb veel mensen op wie ik volledig kan vertrouwen.', 'There are many people I can trust completely.'),
      options: social,
      subscale: 'social',
    },
    {
      id: 's3',
      text: t(
        'Er zijn voldoende mensen met wie ik me nauw verbonden voel.',
        'There are enough people I feel close to.',
      ),
      options: social,
      subscale: 'social',
    },
  ],
  scoring: {
    // the total is missing when more than one item is missing; a subscale when any of its items is
    total: { missing: { kind: 'max-missing', max: 1 }, min: 0, max: 6 },
    subscales: [
      {
        id: 'emotional',
        title: t('Emotionele eenzaamheid', 'Emotional loneliness'),
        missing: { kind: 'complete' },
        min: 0,
        max: 3,
        bands: [band('not-lonely', 0, 0, 'niet eenzaam', 'not lonely'), band('lonely', 1, 3, 'eenzaam', 'lonely')],
      },
      {
        id: 'social',
        title: t('Sociale eenzaamheid', 'Social loneliness'),
        missing: { kind: 'complete' },
        min: 0,
        max: 3,
        bands: [band('not-lonely', 0, 0, 'niet eenzaam', 'not lonely'), band('lonely', 1, 3, 'eenzaam', 'lonely')],
      },
    ],
    bands: [
      band('not-lonely', 0, 1, 'Niet eenzaam', 'Not lonely'),
      band('moderate', 2, 4, 'Matig eenzaam', 'Moderately lonely'),
      band('severe', 5, 6, 'Ernstig eenzaam', 'Severely lonely'),
    ],
  },
  flags: [
    {
      code: 'severe-loneliness',
      label: t('Ernstige eenzaamheid', 'Severe loneliness'),
      level: 'warning',
      totalAtLeast: 5,
    },
  ],
};

const k10Answers: AnswerOption[] = [
  { value: 'altijd', label: t('altijd', 'all of the time'), score: 5 },
  { value: 'meestal', label: t('meestal', 'most of the time'), score: 4 },
  { value: 'soms', label: t('soms', 'some of the time'), score: 3 },
  { value: 'af-en-toe', label: t('af en toe', 'a little of the time'), score: 2 },
  { value: 'nooit', label: t('nooit', 'none of the time'), score: 1 },
];
const k10Items: [string, string][] = [
  ['vermoeid zonder duidelijke reden', 'tired out for no good reason'],
  ['zenuwachtig', 'nervous'],
  ['zo zenuwachtig dat niets u kon kalmeren', 'so nervous that nothing could calm you down'],
  ['hopeloos', 'hopeless'],
  ['rusteloos of ongedurig', 'restless or fidgety'],
  ['zo rusteloos dat u niet stil kon zitten', 'so restless you could not sit still'],
  ['somber of depressief', 'depressed'],
  ['dat alles veel moeite kostte', 'that everything was an effort'],
  ['zo somber dat niets hielp om u op te vrolijken', 'so sad that nothing could cheer you up'],
  ['afkeurenswaardig, minderwaardig of waardeloos', 'worthless'],
];

export const K10: InstrumentDefinition = {
  id: 'k10',
  version: 'cbs-2012.1',
  title: t(
    'Kessler Psychological Distress Scale (K10), Nederlandse versie',
    'Kessler Psychological Distress Scale (K10), Dutch version',
  ),
  description: t(
    'Psychische ongezondheid in de afgelopen vier weken.',
    'Psychological distress in the past four weeks.',
  ),
  citation:
    'Kessler, R. C., et al. (2002). Short screening scales to monitor population prevalences and trends in non-specific psychological distress. Psychological Medicine, 32(6), 959–976. Dutch version as used by CBS/GGD.',
  licence: t('Vrij te gebruiken.', 'Free to use.'),
  items: k10Items.map(([nl, en], i) => ({
    id: `q${i + 1}`,
    text: t(
      `Hoe vaak voelde u zich in de afgelopen 4 weken ${nl}?`,
      `In the past 4 weeks, how often did you feel ${en}?`,
    ),
    options: k10Answers,
  })),
  scoring: {
    // three or more missing: no score; one or two: the mean of the answered items is imputed
    total: { missing: { kind: 'impute-mean', max: 2 }, min: 10, max: 50 },
    bands: [
      band('low', 10, 15, 'Laag', 'Low'),
      band('moderate', 16, 29, 'Matig', 'Moderate'),
      band('high', 30, 50, 'Hoog', 'High'),
    ],
  },
  flags: [
    {
      code: 'high-distress',
      label: t('Hoge psychische belasting', 'High psychological distress'),
      level: 'warning',
      totalAtLeast: 30,
    },
  ],
};

const frequency: AnswerOption[] = [
  { value: 0, label: t('helemaal niet', 'not at all'), score: 0 },
  { value: 1, label: t('meerdere dagen', 'several days'), score: 1 },
  { value: 2, label: t('meer dan de helft van de dagen', 'more than half the days'), score: 2 },
  { value: 3, label: t('bijna elke dag', 'nearly every day'), score: 3 },
];
const phqItems: [string, string][] = [
  ['Weinig interesse of plezier in activiteiten', 'Little interest or pleasure in doing things'],
  ['Zich neerslachtig, depressief of hopeloos voelen', 'Feeling down, depressed, or hopeless'],
  [
    'Moeite met in slaap vallen of doorslapen, of te veel slapen',
    'Trouble falling or staying asleep, or sleeping too much',
  ],
  ['Zich moe voelen of weinig energie hebben', 'Feeling tired or having little energy'],
  ['Weinig eetlust of overmatig eten', 'Poor appetite or overeating'],
  [
    'Zich slecht voelen over uzelf, of het gevoel hebben dat u een mislukkeling bent of uzelf of uw familie tekort hebt gedaan',
    'Feeling bad about yourself, or that you are a failure or have let yourself or your family down',
  ],
  [
    'Moeite met concentreren, bijvoorbeeld bij het lezen van de krant of televisiekijken',
    'Trouble concentrating on things, such as reading the newspaper or watching television',
  ],
  [
    'Zo traag bewegen of praten dat anderen het kunnen opmerken, of juist zo gejaagd of rusteloos zijn dat u veel meer beweegt dan gewoonlijk',
    'Moving or speaking so slowly that other people could have noticed, or the opposite: being so fidgety or restless that you have been moving around a lot more than usual',
  ],
  [
    'Gedachten dat u beter dood zou kunnen zijn of gedachten om uzelf op een of andere manier pijn te doen',
    'Thoughts that you would be better off dead, or of hurting yourself in some way',
  ],
];

export const PHQ9: InstrumentDefinition = {
  // 1999.2: item 9 required (never imputed); the missing-data rule with its source
  id: 'phq9',
  version: '1999.2',
  title: t('PHQ-9 (Patient Health Questionnaire)', 'PHQ-9 (Patient Health Questionnaire)'),
  description: t('Depressieve klachten in de afgelopen twee weken.', 'Depressive symptoms in the past two weeks.'),
  citation:
    'Kroenke, K., Spitzer, R. L., & Williams, J. B. W. (2001). The PHQ-9: validity of a brief depression severity measure. Journal of General Internal Medicine, 16(9), 606–613.',
  licence: t('Vrij te gebruiken (Pfizer).', 'Free to use (Pfizer).'),
  // the source of the missing-data rule: it is not among the facts the network gave (DOMAIN.md). "Up to two missing
  // items, replaced by the mean of the answered items" is the rule the qscorer scoring package documents for the
  // PHQ-9, citing Arrieta et al. (2017); found through that citation, the article itself was not at hand.
  missingData: t(
    'Ontbrekende antwoorden: bij één of twee ontbrekende vragen krijgen die het gemiddelde van de beantwoorde vragen; bij meer is er geen score. Vraag 9 (gedachten aan de dood of aan zelfbeschadiging) is verplicht en wordt nooit geschat. Bron van deze regel: een onderzoeksconventie (zoals beschreven in Arrieta, J., et al. (2017), Journal of Clinical Psychology, 73(9), 1076–1090).',
    'Missing answers: with one or two items missing, they get the mean of the answered items; with more there is no score. Item 9 (thoughts of death or self-harm) is required and never estimated. Source of this rule: a research convention (as described in Arrieta, J., et al. (2017), Journal of Clinical Psychology, 73(9), 1076–1090).',
  ),
  // item 9 is the safety question: it must be asked and answered, never imputed into the total
  items: phqItems.map(([nl, en], i) => ({
    id: `q${i + 1}`,
    text: t(nl, en),
    options: frequency,
    ...(i === 8 ? { required: true } : {}),
  })),
  scoring: {
    // one or two of items 1–8 missing: the mean of the answered items is imputed; more: no score (see missingData)
    total: { missing: { kind: 'impute-mean', max: 2 }, min: 0, max: 27 },
    bands: [
      band('minimal', 0, 4, 'Minimaal', 'Minimal'),
      band('mild', 5, 9, 'Mild', 'Mild'),
      band('moderate', 10, 14, 'Matig', 'Moderate'),
      band('moderately-severe', 15, 19, 'Matig ernstig', 'Moderately severe'),
      band('severe', 20, 27, 'Ernstig', 'Severe'),
    ],
  },
  flags: [
    // whatever the total: any answer above 0 on item 9 needs assessment by a competent person
    {
      code: 'suicide-risk',
      label: t('Suïciderisico: beoordeling nodig', 'Suicide risk: assessment needed'),
      level: 'high',
      whenAny: [{ item: 'q9', anyOf: [1, 2, 3] }],
    },
  ],
};

const gadItems: [string, string][] = [
  ['Zich nerveus, angstig of gespannen voelen', 'Feeling nervous, anxious, or on edge'],
  [
    'Niet in staat zijn om te stoppen met piekeren of het piekeren onder controle te houden',
    'Not being able to stop or control worrying',
  ],
  ['Zich te veel zorgen maken over verschillende dingen', 'Worrying too much about different things'],
  ['Moeite hebben om te ontspannen', 'Trouble relaxing'],
  ['Zo rusteloos zijn dat stilzitten moeilijk wordt', 'Being so restless that it is hard to sit still'],
  ['Snel geïrriteerd of prikkelbaar zijn', 'Becoming easily annoyed or irritable'],
  ['Bang zijn dat er iets vreselijks zou kunnen gebeuren', 'Feeling afraid, as if something awful might happen'],
];

export const GAD7: InstrumentDefinition = {
  // 2006.2: the missing-data rule stated with its (lack of a) source
  id: 'gad7',
  version: '2006.2',
  title: t('GAD-7 (Generalized Anxiety Disorder)', 'GAD-7 (Generalized Anxiety Disorder)'),
  description: t('Angstklachten in de afgelopen twee weken.', 'Anxiety symptoms in the past two weeks.'),
  citation:
    'Spitzer, R. L., Kroenke, K., Williams, J. B. W., & Löwe, B. (2006). A brief measure for assessing generalized anxiety disorder: the GAD-7. Archives of Internal Medicine, 166(10), 1092–1097.',
  licence: t('Vrij te gebruiken (Pfizer).', 'Free to use (Pfizer).'),
  // no published missing-data rule for the GAD-7 was found (nor one in the network's facts): this one is our own choice
  missingData: t(
    'Ontbrekende antwoorden: bij één ontbrekende vraag krijgt die het gemiddelde van de beantwoorde vragen; bij meer is er geen score. Bron van deze regel: geen gepubliceerde regel gevonden; dit is een keuze van Korte Lijn naar het voorbeeld van de PHQ-9-conventie, te bevestigen door een clinicus.',
    'Missing answers: with one item missing, it gets the mean of the answered items; with more there is no score. Source of this rule: no published rule was found; this is a Korte Lijn choice after the PHQ-9 convention, to be confirmed by a clinician.',
  ),
  items: gadItems.map(([nl, en], i) => ({ id: `q${i + 1}`, text: t(nl, en), options: frequency })),
  scoring: {
    total: { missing: { kind: 'impute-mean', max: 1 }, min: 0, max: 21 },
    bands: [
      band('minimal', 0, 4, 'Minimaal', 'Minimal'),
      band('mild', 5, 9, 'Mild', 'Mild'),
      band('moderate', 10, 14, 'Matig', 'Moderate'),
      band('severe', 15, 21, 'Ernstig', 'Severe'),
    ],
  },
  flags: [
    {
      code: 'referral-suggested',
      label: t('Score ≥ 10: doorverwijzing overwegen', 'Score ≥ 10: consider referral'),
      level: 'warning',
      totalAtLeast: 10,
    },
  ],
};

const yesNo: AnswerOption[] = [
  { value: 'ja', label: t('ja', 'yes'), score: 1 },
  { value: 'nee', label: t('nee', 'no'), score: 0 },
];
const afterQ2 = { item: 'q2', anyOf: ['ja'] };

export const CSSRS: InstrumentDefinition = {
  id: 'cssrs',
  version: 'screener-2016.1',
  title: t(
    'C-SSRS screener (Columbia Suicide Severity Rating Scale)',
    'C-SSRS screener (Columbia Suicide Severity Rating Scale)',
  ),
  description: t(
    'Suïcidale gedachten en gedrag; vragen 1–5 over de afgelopen maand.',
    'Suicidal ideation and behaviour; questions 1–5 about the past month.',
  ),
  citation:
    'Posner, K., et al. (2011). The Columbia–Suicide Severity Rating Scale: initial validity and internal consistency findings. American Journal of Psychiatry, 168(12), 1266–1277. Screener version, The Columbia Lighthouse Project.',
  licence: t('Vrij te gebruiken door zorgverleners.', 'Free for care providers.'),
  items: [
    {
      id: 'q1',
      text: t(
        'Heeft u gewenst dat u dood was, of dat u kon gaan slapen en niet meer wakker worden?',
        'Have you wished you were dead or wished you could go to sleep and not wake up?',
      ),
      options: yesNo,
    },
    {
      id: 'q2',
      text: t(
        'Heeft u echt gedachten gehad om uzelf van het leven te beroven?',
        'Have you actually had any thoughts of killing yourself?',
      ),
      options: yesNo,
    },
    {
      id: 'q3',
      text: t(
        'Heeft u erover nagedacht hoe u dit zou kunnen doen?',
        'Have you been thinking about how you might do this?',
      ),
      options: yesNo,
      enableWhen: afterQ2,
    },
    {
      id: 'q4',
      text: t(
        'Heeft u deze gedachten gehad en had u enige intentie om ernaar te handelen?',
        'Have you had these thoughts and had some intention of acting on them?',
      ),
      options: yesNo,
      enableWhen: afterQ2,
    },
    {
      id: 'q5',
      text: t(
        'Bent u begonnen met het uitwerken van de details van hoe u uzelf van het leven zou beroven, en bent u van plan dit uit te voeren?',
        'Have you started to work out or worked out the details of how to kill yourself, and do you intend to carry out this plan?',
      ),
      options: yesNo,
      enableWhen: afterQ2,
    },
    {
      id: 'q6',
      text: t(
        'Heeft u ooit iets gedaan, iets begonnen te doen of iets voorbereid om een einde aan uw leven te maken?',
        'Have you ever done anything, started to do anything, or prepared to do anything to end your life?',
      ),
      options: yesNo,
    },
    {
      id: 'q6b',
      text: t('Was dat in de afgelopen drie maanden?', 'Was this within the past three months?'),
      options: yesNo,
      enableWhen: { item: 'q6', anyOf: ['ja'] },
    },
  ],
  scoring: {
    // the score counts the yes answers; the band comes from the risk flags, not from the sum
    total: { missing: { kind: 'complete' }, min: 0, max: 7 },
    bandFrom: 'flags',
    bands: [
      band('no-risk', 0, 0, 'Geen aanwijzingen', 'No indication'),
      band(
        'moderate-risk',
        1,
        1,
        'Verhoogd risico: doorverwijzen naar GGZ of crisislijn',
        'Elevated risk: refer to mental-health care or a crisis line',
      ),
      band('high-risk', 2, 2, 'Hoog risico: onmiddellijke veiligheidsstappen', 'High risk: immediate safety steps'),
    ],
  },
  flags: [
    {
      code: 'cssrs-positive',
      label: t('Ja op een C-SSRS-vraag', 'Yes on a C-SSRS question'),
      level: 'warning',
      whenAny: ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q6b'].map((item) => ({ item, anyOf: ['ja'] })),
    },
    {
      code: 'cssrs-high-risk',
      label: t('Hoog suïciderisico', 'High suicide risk'),
      level: 'high',
      whenAny: [
        { item: 'q4', anyOf: ['ja'] },
        { item: 'q5', anyOf: ['ja'] },
        { item: 'q6b', anyOf: ['ja'] },
      ],
    },
  ],
};

export const INSTRUMENTS: readonly InstrumentDefinition[] = [DJG6, K10, PHQ9, GAD7, CSSRS];
export const instrumentById = new Map(INSTRUMENTS.map((d) => [d.id, d]));
