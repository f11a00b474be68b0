import { fieldMessage, type Lang } from '../../core/http/messages.ts';

/** The field messages of this feature (nl and en); shared codes come from core/http/messages.ts. */
const MESSAGES: Record<string, Record<Lang, string>> = {
  'phone-or-email': {
    nl: 'Geef een telefoonnummer of een e-mailadres, zodat we de persoon kunnen contacteren.',
    en: 'Give a phone number or an e-mail address, so that the person can be contacted.',
  },
  'collective-no-person': {
    nl: 'Een collectief rouwmoment heeft geen contactpersoon: laat dit veld leeg.',
    en: 'A collective grief moment has no contact person: leave this field empty.',
  },
  'bereaved-only': {
    nl: 'Alleen in te vullen bij een nabestaande.',
    en: 'Only for a bereaved relative.',
  },
  'date-future': { nl: 'Deze datum ligt in de toekomst.', en: 'This date is in the future.' },
  'before-signal': {
    nl: 'Dit tijdstip ligt vóór de aanmelding.',
    en: 'This moment is before the signal was passed on.',
  },
  'municipality-unknown': { nl: 'Deze gemeente bestaat niet.', en: 'This municipality does not exist.' },
  'no-route': {
    nl: 'Het netwerk heeft nog geen organisatie voor dit soort aanmelding. Neem contact op met de netwerkbeheerder.',
    en: 'The network has no organisation for this kind of signal yet. Contact the network administrator.',
  },
  'signal-closed': { nl: 'Deze aanmelding is al afgesloten.', en: 'This signal is closed already.' },
  'no-person': {
    nl: 'Er is geen persoon om als cliënt te registreren (collectief of gewist).',
    en: 'There is no person to register as a client (collective or erased).',
  },
  'not-reached': {
    nl: 'Registreer eerst een poging waarin de persoon bereikt werd.',
    en: 'Record an attempt in which the person was reached first.',
  },
  'no-attempts': {
    nl: 'Registreer eerst minstens één contactpoging.',
    en: 'Record at least one contact attempt first.',
  },
  'support-accepted-only': {
    nl: 'Alleen in te vullen wanneer de persoon ondersteuning aanvaardt.',
    en: 'Only when the person accepts support.',
  },
  'receiver-unknown': {
    nl: 'Kies een actieve organisatie van het netwerk die aanmeldingen ontvangt.',
    en: 'Choose an active organisation of the network that receives signals.',
  },
  'route-duplicate': {
    nl: 'Deze soort aanmelding heeft voor deze gemeente al een organisatie.',
    en: 'This kind of signal already has an organisation for this municipality.',
  },
};

export const message = (code: string, lang: Lang): string => MESSAGES[code]?.[lang] ?? fieldMessage(code, lang) ?? code;
