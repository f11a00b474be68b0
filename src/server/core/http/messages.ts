/** Server-side texts in Dutch (default) and English, keyed by problem or field code. */
export type Lang = 'nl' | 'en';

export const problemTitles: Record<string, Record<Lang, string>> = {
  validation: { nl: 'De invoer is niet geldig.', en: 'The input is not valid.' },
  unauthenticated: {
    nl: 'U bent niet aangemeld of uw sessie is verlopen.',
    en: 'You are not signed in or your session has expired.',
  },
  forbidden: { nl: 'U hebt geen toestemming voor deze actie.', en: 'You are not allowed to do this.' },
  csrf: {
    nl: 'Het beveiligingstoken (CSRF) ontbreekt of klopt niet. Laad de pagina opnieuw.',
    en: 'The security (CSRF) token is missing or wrong. Reload the page.',
  },
  'not-found': { nl: 'Niet gevonden.', en: 'Not found.' },
  conflict: { nl: 'Dit botst met bestaande gegevens.', en: 'This conflicts with existing data.' },
  'invalid-credentials': {
    nl: 'E-mailadres of wachtwoord is onjuist.',
    en: 'E-mail address or password is incorrect.',
  },
  'invalid-code': {
    nl: 'De verificatiecode is onjuist of verlopen.',
    en: 'The verification code is wrong or expired.',
  },
  locked: {
    nl: 'Te veel mislukte aanmeldpogingen. Wacht even en probeer het dan opnieuw.',
    en: 'Too many failed sign-in attempts. Wait a while, then try again.',
  },
  'rate-limited': {
    nl: 'Te veel aanvragen vanaf dit adres. Wacht even en probeer het dan opnieuw.',
    en: 'Too many requests from this address. Wait a while, then try again.',
  },
  'two-factor-pending': {
    nl: 'Voer eerst de verificatiecode van uw authenticator-app in.',
    en: 'Enter the verification code from your authenticator app first.',
  },
  'password-change-required': { nl: 'Kies eerst een nieuw wachtwoord.', en: 'Choose a new password first.' },
  'no-membership': {
    nl: 'Uw account heeft geen actieve rol in een organisatie of netwerk.',
    en: 'Your account has no active role in an organisation or network.',
  },
  'payload-too-large': { nl: 'De aanvraag is te groot.', en: 'The request is too large.' },
  'unsupported-media-type': {
    nl: 'Dit inhoudstype wordt niet ondersteund; stuur JSON.',
    en: 'This content type is not supported; send JSON.',
  },
  'bad-request': { nl: 'De aanvraag kon niet gelezen worden.', en: 'The request could not be read.' },
  unavailable: { nl: 'De databank is niet bereikbaar.', en: 'The database is not reachable.' },
  internal: {
    nl: 'Er ging iets mis aan onze kant. Probeer het opnieuw; meld het met het aanvraagnummer als het blijft gebeuren.',
    en: 'Something went wrong on our side. Try again; report it with the request id if it keeps happening.',
  },
};

export const fieldMessages: Record<string, Record<Lang, string>> = {
  required: { nl: 'Dit veld is verplicht.', en: 'This field is required.' },
  'unknown-field': { nl: 'Dit veld is onbekend.', en: 'This field is unknown.' },
  'text-invalid': {
    nl: 'Deze tekst bevat een teken dat niet bewaard kan worden (een nulteken of een onvolledig teken).',
    en: 'This text contains a character that cannot be stored (a NUL character or an incomplete character).',
  },
  'insz-format': { nl: 'Een INSZ-nummer heeft 11 cijfers.', en: 'An INSZ number has 11 digits.' },
  'insz-checksum': {
    nl: 'Dit INSZ-nummer klopt niet (controlegetal).',
    en: 'This INSZ number is not valid (check digits).',
  },
  'insz-birthdate': {
    nl: 'Het INSZ-nummer past niet bij de geboortedatum.',
    en: 'The INSZ number does not match the birth date.',
  },
  'municipality-unknown': {
    nl: 'Deze gemeente (NIS-code) bestaat niet.',
    en: 'This municipality (NIS code) does not exist.',
  },
  'date-invalid': { nl: 'Geen geldige datum.', en: 'Not a valid date.' },
  'phone-invalid': {
    nl: 'Geen geldig telefoonnummer. Schrijf een Belgisch nummer zoals 0470 12 34 56 of 03 123 45 67, of een buitenlands nummer met landcode (+31 …).',
    en: 'Not a valid phone number. Write a Belgian number such as 0470 12 34 56 or 03 123 45 67, or a foreign number with its country code (+31 …).',
  },
  'date-future': { nl: 'Deze datum ligt in de toekomst.', en: 'This date is in the future.' },
  'birth-year-mismatch': { nl: 'Geboortejaar en geboortedatum verschillen.', en: 'Birth year and birth date differ.' },
  'name-required': { nl: 'Geef voornaam en familienaam.', en: 'Give the given name and family name.' },
  'pseudonym-required': { nl: 'Geef een pseudoniem.', en: 'Give a pseudonym.' },
  'email-in-use': { nl: 'Dit e-mailadres is al in gebruik.', en: 'This e-mail address is already in use.' },
  'password-too-short': {
    nl: 'Het wachtwoord moet minstens 12 tekens lang zijn.',
    en: 'The password must be at least 12 characters long.',
  },
  'password-wrong': { nl: 'Het huidige wachtwoord is onjuist.', en: 'The current password is wrong.' },
  'reset-link-invalid': {
    nl: 'Deze herstellink is ongeldig, al gebruikt of verlopen. Vraag een nieuwe link aan.',
    en: 'This reset link is invalid, already used or expired. Request a new link.',
  },
  'password-same': {
    nl: 'Kies een ander wachtwoord dan het huidige.',
    en: 'Choose a password different from the current one.',
  },
  'role-not-allowed': { nl: 'U mag deze rol niet toekennen.', en: 'You may not grant this role.' },
  'organization-required': { nl: 'Kies een organisatie voor deze rol.', en: 'Choose an organisation for this role.' },
  'organization-not-allowed': {
    nl: 'Een netwerkrol hoort niet bij een organisatie.',
    en: 'A network role does not belong to an organisation.',
  },
  'organization-unknown': {
    nl: 'Deze organisatie bestaat niet in uw netwerk.',
    en: 'This organisation does not exist in your network.',
  },
  'team-unknown': {
    nl: 'Dit team hoort niet bij de organisatie.',
    en: 'This team does not belong to the organisation.',
  },
  'membership-exists': { nl: 'Deze gebruiker heeft deze rol al.', en: 'This user already has this role.' },
  'permission-not-allowed': {
    nl: 'Deze toestemming kan niet aan een API-token gegeven worden.',
    en: 'This permission cannot be given to an API token.',
  },
  'invalid-code': {
    nl: 'De verificatiecode is onjuist of verlopen.',
    en: 'The verification code is wrong or expired.',
  },
  'theme-unknown': { nl: 'Dit thema bestaat niet.', en: 'This theme does not exist.' },
  'category-unknown': { nl: 'Dit type aanbod bestaat niet.', en: 'This offer type does not exist.' },
  'zone-unknown': { nl: 'Deze zone bestaat niet.', en: 'This zone does not exist.' },
  'site-unknown': {
    nl: 'Deze vestiging hoort niet bij uw organisatie.',
    en: 'This site does not belong to your organisation.',
  },
  'age-range': {
    nl: 'De minimumleeftijd ligt boven de maximumleeftijd.',
    en: 'The minimum age is above the maximum age.',
  },
  'own-membership': { nl: 'U kunt uw eigen rol niet beëindigen.', en: 'You cannot end your own role.' },
  'date-time-invalid': { nl: 'Geen geldig tijdstip.', en: 'Not a valid point in time.' },
  'client-unknown': {
    nl: 'Deze cliënt bestaat niet in uw organisatie.',
    en: 'This client does not exist in your organisation.',
  },
  'referral-already-open': {
    nl: 'Deze hulpvraag heeft al een open doorverwijzing naar deze organisatie. Bevestig als je toch een tweede wil sturen.',
    en: 'This help request already has an open referral to this organisation. Confirm to send a second one anyway.',
  },
  'help-request-closed': { nl: 'Deze hulpvraag is afgesloten.', en: 'This help request is closed.' },
  'instrument-unknown': { nl: 'Dit instrument bestaat niet.', en: 'This instrument does not exist.' },
  'item-unknown': {
    nl: 'Deze vraag hoort niet bij het instrument.',
    en: 'This question is not part of the instrument.',
  },
  'answer-invalid': {
    nl: 'Dit antwoord is niet toegelaten voor deze vraag.',
    en: 'This answer is not allowed for this question.',
  },
  'item-not-enabled': {
    nl: 'Deze vraag wordt overgeslagen na het vorige antwoord.',
    en: 'This question is skipped after the previous answer.',
  },
  'safety-action-required': {
    nl: 'Noteer eerst de genomen veiligheidsactie bij het hoge risico.',
    en: 'Record the safety action taken for the high risk first.',
  },
  'offer-unknown': { nl: 'Dit aanbod bestaat niet in uw netwerk.', en: 'This offer does not exist in your network.' },
  'suggestion-not-shown': {
    nl: 'Dit aanbod werd de voorbije 24 uur niet als eerste suggestie getoond voor deze hulpvraag.',
    en: 'This offer was not shown as the first suggestion for this help request in the last 24 hours.',
  },
  'choice-reason-required': {
    nl: 'Geef een reden: u kiest een ander aanbod dan de eerste suggestie.',
    en: 'Give a reason: you chose another offer than the first suggestion.',
  },
  'indication-reasons-required': {
    nl: 'Geef een motivering: deze indicatie wijkt af van het zorgniveau dat de scores aangeven.',
    en: 'Give the reasons: this indication differs from the level of care the scores suggest.',
  },
  'answer-required': {
    nl: 'Deze vraag moet beantwoord worden; ze wordt nooit geschat.',
    en: 'This question must be answered; it is never estimated.',
  },
  'help-request-referred': {
    nl: 'Deze hulpvraag heeft een lopende doorverwijzing: volg ze daar op. Afsluiten kan zodra die afgerond, geweigerd of geannuleerd is.',
    en: 'This help request has an open referral: follow it up there. It can be closed once that is completed, declined or cancelled.',
  },
  'help-request-unknown': {
    nl: 'Deze hulpvraag bestaat niet in uw organisatie.',
    en: 'This help request does not exist in your organisation.',
  },
  'help-request-without-client': {
    nl: 'Registreer eerst de persoon (ook anoniem of met pseudoniem) bij de hulpvraag.',
    en: 'Register the person first (anonymous or pseudonymous is fine).',
  },
  'consent-unknown': { nl: 'Deze toestemming bestaat niet.', en: 'This consent does not exist.' },
  'consent-does-not-cover': {
    nl: 'De toestemming dekt deze doorverwijzing niet (andere persoon, organisatie, aanbod of doel).',
    en: 'The consent does not cover this referral (another person, organisation, offer or purpose).',
  },
  'consent-inactive': {
    nl: 'De toestemming is ingetrokken of verlopen.',
    en: 'The consent was withdrawn or has expired.',
  },
  'consent-withdrawn': { nl: 'De toestemming is al ingetrokken.', en: 'The consent was already withdrawn.' },
  'exception-reason-required': {
    nl: 'Een uitzondering zonder toestemming vraagt een reden.',
    en: 'An exception without consent needs a reason.',
  },
  'exception-reason-unexpected': {
    nl: 'Een reden hoort alleen bij een uitzondering.',
    en: 'A reason belongs to an exception only.',
  },
  'date-past': { nl: 'Deze datum ligt in het verleden.', en: 'This date lies in the past.' },
  'responsible-unknown': {
    nl: 'Deze hulpverlener werkt niet in uw organisatie.',
    en: 'This caregiver does not work in your organisation.',
  },
  'referral-not-accepted': {
    nl: 'Een traject start alleen vanuit een aanvaarde doorverwijzing naar uw organisatie, voor deze cliënt.',
    en: 'A trajectory starts only from an accepted referral to your organisation, for this client.',
  },
  'trajectory-exists': {
    nl: 'Voor deze doorverwijzing loopt al een traject.',
    en: 'A trajectory already exists for this referral.',
  },
  'reason-text-required': { nl: 'Beschrijf de andere reden.', en: 'Describe the other reason.' },
  'end-before-start': {
    nl: 'De einddatum ligt voor de startdatum.',
    en: 'The end date lies before the start date.',
  },
  'contact-changed': {
    nl: 'Iemand anders heeft dit contact net gewijzigd. Laad opnieuw.',
    en: 'Someone else just changed this contact. Reload.',
  },
  'care-plan-exists': {
    nl: 'Deze persoon heeft al een hulpplan (ook via een gekoppeld dossier).',
    en: 'This person already has a care plan (also through a linked record).',
  },
  'version-conflict': {
    nl: 'Iemand anders heeft dit net gewijzigd. Bekijk de huidige versie en pas opnieuw aan.',
    en: 'Someone else just changed this. Look at the current version and change it again.',
  },
  'care-plan-closed': { nl: 'Dit hulpplan is afgesloten.', en: 'This care plan is closed.' },
  'goal-unknown': { nl: 'Dit doel hoort niet bij dit hulpplan.', en: 'This goal is not part of this care plan.' },
  'member-unknown': {
    nl: 'Deze persoon staat niet in het zorgteam van dit plan.',
    en: 'This person is not on the care team of this plan.',
  },
  'owner-unknown': {
    nl: 'Deze eigenaar is onbekend of staat niet in het zorgteam.',
    en: 'This owner is unknown or not on the care team.',
  },
  'owner-id-required': { nl: 'Kies wie deze actie uitvoert.', en: 'Choose who carries out this action.' },
  'owner-id-unexpected': {
    nl: 'De persoon zelf heeft geen keuze nodig.',
    en: 'The person themselves needs no choice.',
  },
  'link-exists': { nl: 'Deze dossiers zijn al gekoppeld.', en: 'These records are already linked.' },
  'link-self': {
    nl: 'Een dossier kan niet aan zichzelf gekoppeld worden.',
    en: 'A record cannot be linked to itself.',
  },
  'link-not-allowed': {
    nl: 'U kunt alleen dossiers van uw organisatie koppelen, of het dossier van de partner uit een doorverwijzing.',
    en: 'You can only link records of your organisation, or the partner’s record from a referral.',
  },
  'link-unlinked': { nl: 'Deze koppeling is al verbroken.', en: 'This link was already removed.' },
  'care-plans-both': {
    nl: 'Beide dossiers hebben een eigen hulpplan; sluit er eerst één af.',
    en: 'Both records have a care plan of their own; close one first.',
  },
  'no-higher-level': { nl: 'Er is geen hoger zorgniveau.', en: 'There is no higher level of care.' },
  'no-lower-level': { nl: 'Er is geen lager zorgniveau.', en: 'There is no lower level of care.' },
  'only-with-continue': {
    nl: 'Afschalen overwogen past alleen bij de beslissing doorgaan.',
    en: 'Stepping down considered goes only with the decision to continue.',
  },
  'reason-required': { nl: 'Geef een reden.', en: 'Give a reason.' },
  'progress-goal-duplicate': { nl: 'Dit doel staat twee keer in de evaluatie.', en: 'This goal appears twice.' },
  'present-required': {
    nl: 'Een knelpuntoverleg vermeldt wie aanwezig was.',
    en: 'A case conference records who was present.',
  },
  'domain-unknown': { nl: 'Onbekend levensdomein.', en: 'Unknown life domain.' },
  'coordinator-kind': {
    nl: 'De regisseur is een hulpverlener of organisatie uit het zorgteam.',
    en: 'The coordinator is a caregiver or organisation of the care team.',
  },
  'user-unknown': { nl: 'Deze hulpverlener is onbekend.', en: 'This caregiver is unknown.' },
  'transition-not-allowed': {
    nl: 'Deze stap kan niet in de huidige status.',
    en: 'This step is not possible in the current status.',
  },
  'concurrent-change': {
    nl: 'Iemand anders heeft deze doorverwijzing net gewijzigd. Laad opnieuw.',
    en: 'Someone else just changed this referral. Reload.',
  },
  'stale-version': {
    nl: 'U bekeek een oudere versie. Laad opnieuw.',
    en: 'You were looking at an older version. Reload.',
  },
  'decline-reason-required': { nl: 'Kies een reden voor de weigering.', en: 'Choose a reason for declining.' },
  'note-required': { nl: 'Licht toe.', en: 'Please explain.' },
  'close-reason-required': {
    nl: 'Het eerste contact vond niet plaats: kies waarom u afsluit (cliënt onbereikbaar, cliënt wil niet, of een andere reden met toelichting).',
    en: 'The first contact did not take place: choose why you close (client unreachable, client declined, or another reason with an explanation).',
  },
  'client-already-registered': {
    nl: 'De persoon van deze doorverwijzing staat al in uw cliëntenregister.',
    en: 'The person of this referral is already in your client register.',
  },
  'client-already-linked': {
    nl: 'Deze hulpvraag hoort al bij een andere cliënt.',
    en: 'This help request already belongs to another client.',
  },
  'range-invalid': { nl: 'Het begin ligt na het einde.', en: 'The start lies after the end.' },
  // HSDS import (field = file:row:field)
  'hsds-shape': {
    nl: 'Dit is geen HSDS 3.0-object, -lijst of -datapakket.',
    en: 'This is not an HSDS 3.0 object, list or datapackage.',
  },
  'json-malformed': { nl: 'Dit is geen geldige JSON.', en: 'This is not valid JSON.' },
  'csv-malformed': { nl: 'Deze CSV-regel kan niet gelezen worden.', en: 'This CSV line cannot be read.' },
  'duplicate-id': {
    nl: 'Deze id komt al eerder voor in het bestand.',
    en: 'This id already occurs earlier in the file.',
  },
  'name-blank': { nl: 'Geef een naam.', en: 'Give a name.' },
  'id-taken': {
    nl: 'Deze id is al in gebruik buiten uw netwerk.',
    en: 'This id is already in use outside your network.',
  },
  'reference-unknown': {
    nl: 'Deze verwijzing komt niet voor in het pakket of in uw netwerk.',
    en: 'This reference is not in the package or in your network.',
  },
  'postal-code-format': {
    nl: 'Een Belgische postcode heeft vier cijfers.',
    en: 'A Belgian postal code has four digits.',
  },
  'nis-format': { nl: 'Een NIS-code heeft vijf cijfers.', en: 'A NIS code has five digits.' },
  'age-invalid': {
    nl: 'Een leeftijd is een geheel getal van 0 tot 120.',
    en: 'An age is a whole number from 0 to 120.',
  },
  'wait-days-invalid': {
    nl: 'De wachttijd is een geheel aantal dagen (0 tot 3650).',
    en: 'The waiting time is a whole number of days (0 to 3650).',
  },
  'attribute-multiple': {
    nl: 'Dit kenmerk kan maar één waarde hebben.',
    en: 'This attribute can have one value only.',
  },
  'term-unknown': {
    nl: 'Deze term bestaat niet in deze Korte Lijn-taxonomie.',
    en: 'This term does not exist in this Korte Lijn taxonomy.',
  },
  'location-without-organization': {
    nl: 'Locatie zonder gekende organisatie: bewaard, maar niet als vestiging.',
    en: 'Location without a known organisation: kept, but not as a site.',
  },
  'datapackage-ignored': {
    nl: 'datapackage.json is geen beschrijving (een symbolische link?); de bestandsnamen volstaan.',
    en: 'datapackage.json is not a descriptor (a symbolic link?); the file names suffice.',
  },
  'file-unknown': { nl: 'Geen HSDS-bestand; niet ingelezen.', en: 'Not an HSDS file; not read.' },
  'minimal-full': { nl: 'minimal en full gaan niet samen.', en: 'minimal and full cannot be combined.' },
  'import-interrupted': {
    nl: 'De import werd onderbroken (de server stopte of herstartte) en is niet afgewerkt: er is niets ingelezen. Start de import opnieuw.',
    en: 'The import was interrupted (the server stopped or restarted) and did not finish: nothing was imported. Start the import again.',
  },
  'not-imported': {
    nl: 'Niet ingelezen: Korte Lijn bewaart dit niet.',
    en: 'Not imported: Korte Lijn does not keep this.',
  },
  // group work and support to facilities
  'attendance-required': {
    nl: 'Geef een aantal aanwezigen of duid de aanwezige deelnemers aan.',
    en: 'Give a headcount or tick the participants who attended.',
  },
  'participant-waiting': {
    nl: 'Deze persoon staat op de wachtlijst en telt niet als aanwezig.',
    en: 'This person is on the waiting list and does not count as attending.',
  },
  'participant-not-registered': {
    nl: 'Deze persoon is niet ingeschreven voor deze groep.',
    en: 'This person is not registered for this group.',
  },
  'session-cancelled': { nl: 'Deze bijeenkomst is geannuleerd.', en: 'This session was cancelled.' },
  'attendance-recorded': {
    nl: 'De aanwezigheid van deze bijeenkomst is al genoteerd: ze vond plaats.',
    en: 'The attendance of this session was recorded: it took place.',
  },
  'session-in-future': {
    nl: 'Deze bijeenkomst ligt nog in de toekomst.',
    en: 'This session still lies in the future.',
  },
  'consent-required': {
    nl: 'Een deelnemer op naam moet akkoord gaan.',
    en: 'A named participant must agree.',
  },
  'audience-not-public': {
    nl: 'Alleen open groepen en lotgenotengroepen komen in de sociale kaart.',
    en: 'Only open and peer groups go into the catalogue.',
  },
  'facility-unknown': {
    nl: 'Deze voorziening staat niet in uw register.',
    en: 'This facility is not in your register.',
  },
  'date-before-opening': {
    nl: 'Deze datum ligt voor de opening van het dossier.',
    en: 'This date lies before the case was opened.',
  },
  'already-registered': {
    nl: 'Deze persoon is al ingeschreven of staat op de wachtlijst.',
    en: 'This person is already registered or on the waiting list.',
  },
  'case-closed': { nl: 'Dit dossier is afgesloten.', en: 'This case is closed.' },
};

export function fieldMessage(code: string, lang: Lang): string | undefined {
  return fieldMessages[code]?.[lang];
}

/** Picks nl or en from an Accept-Language header; Dutch unless English is preferred over it. */
export function negotiateLang(header: string | undefined): Lang {
  if (!header) return 'nl';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('nl')) return 'nl';
    if (tag.startsWith('en')) return 'en';
  }
  return 'nl';
}
