import type { Strings } from '../../locales/types';

/** Dutch texts of the network settings. */
const nl = {
  networkSettings: {
    nav: 'Netwerkinstellingen',
    title: 'Netwerkinstellingen',
    intro: 'Deze waarden gelden voor alle organisaties van het netwerk.',
    targetsTitle: 'Antwoordtermijnen van doorverwijzingen',
    targetsIntro:
      'Werkdagen tellen zonder weekends en Belgische feestdagen. Nieuwe doorverwijzingen volgen de nieuwe termijnen; bestaande houden hun termijn.',
    thresholdsTitle: 'Drempels voor gespecialiseerde zorg',
    thresholdsIntro:
      'Vanaf deze score stelt de matching gespecialiseerde zorg voor (tenzij de medewerker zelf een zorgniveau aangaf). Geldt meteen voor alle suggesties.',
    fields: {
      acuteHours: 'Acuut: antwoord binnen (uren)',
      urgentWorkingDays: 'Dringend: antwoord binnen (werkdagen)',
      routineWorkingDays: 'Routine: antwoord binnen (werkdagen)',
      firstContactWorkingDays: 'Eerste contact na aanvaarding binnen (werkdagen)',
      phq9Specialised: 'PHQ-9 vanaf score',
      k10Specialised: 'K10 vanaf score',
      gad7Specialised: 'GAD-7 vanaf score',
    },
    units: {
      hours: 'uren',
      'working-days': 'werkdagen',
      score: 'score',
    },
    hint: 'Standaard {{value}}; van {{min}} tot en met {{max}} ({{unit}}).',
    wholeNumber: 'Geef een geheel getal.',
    fillDefaults: 'Standaardwaarden invullen',
    defaultsFilled: 'Standaardwaarden ingevuld; nog niet opgeslagen.',
    saved: 'Netwerkinstellingen opgeslagen.',
  },
} as const;

/** English: the type keeps the keys in step with the Dutch. */
const en: Strings<typeof nl> = {
  networkSettings: {
    nav: 'Network settings',
    title: 'Network settings',
    intro: 'These values apply to every organisation of the network.',
    targetsTitle: 'Referral response times',
    targetsIntro:
      'Working days skip weekends and Belgian public holidays. New referrals follow the new targets; existing ones keep theirs.',
    thresholdsTitle: 'Thresholds for specialised care',
    thresholdsIntro:
      'From this score on, matching suggests specialised care (unless the worker indicated a level of care). Applies to all suggestions at once.',
    fields: {
      acuteHours: 'Acute: answer within (hours)',
      urgentWorkingDays: 'Urgent: answer within (working days)',
      routineWorkingDays: 'Routine: answer within (working days)',
      firstContactWorkingDays: 'First contact after acceptance within (working days)',
      phq9Specialised: 'PHQ-9 from score',
      k10Specialised: 'K10 from score',
      gad7Specialised: 'GAD-7 from score',
    },
    units: {
      hours: 'hours',
      'working-days': 'working days',
      score: 'score',
    },
    hint: 'Default {{value}}; from {{min}} to {{max}} ({{unit}}).',
    wholeNumber: 'Enter a whole number.',
    fillDefaults: 'Fill in the defaults',
    defaultsFilled: 'Defaults filled in; not saved yet.',
    saved: 'Network settings saved.',
  },
};

export const texts = { nl, en };
