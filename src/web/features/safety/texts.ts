import type { Strings } from '../../locales/types';

/** Dutch texts of the team lead's safety board: open safety signals and consent exceptions to review. */
const nl = {
  safetyBoard: {
    nav: 'Veiligheid',
    title: 'Veiligheid',
    intro: 'Open veiligheidssignalen van je organisatie en uitzonderingen op toestemming die je nog moet beoordelen.',
    signalsTitle: 'Open veiligheidssignalen',
    signalsEmpty: 'Geen open veiligheidssignalen.',
    raisedAt: 'Gemeld op',
    source: 'Bron',
    noActionYet: 'Nog geen actie genoteerd',
    acknowledge: 'Gezien',
    acknowledged: 'Signaal “{{kind}}” afgevinkt.',
    exceptionsTitle: 'Uitzonderingen op toestemming',
    exceptionsIntro:
      'Doorverwijzingen zonder toestemming van de persoon (acuut gevaar, toestemming vragen was niet mogelijk). Bekijk de reden en vink af.',
    exceptionsEmpty: 'Geen uitzonderingen te beoordelen.',
    recordedAt: 'Vastgelegd op',
    review: 'Beoordeeld',
    reviewed: 'Uitzondering beoordeeld.',
  },
} as const;

/** English: the type keeps the keys in step with the Dutch. */
const en: Strings<typeof nl> = {
  safetyBoard: {
    nav: 'Safety',
    title: 'Safety',
    intro: 'Open safety signals of your organisation and consent exceptions you still need to review.',
    signalsTitle: 'Open safety signals',
    signalsEmpty: 'No open safety signals.',
    raisedAt: 'Reported on',
    source: 'Source',
    noActionYet: 'No action recorded yet',
    acknowledge: 'Seen',
    acknowledged: 'Signal “{{kind}}” acknowledged.',
    exceptionsTitle: 'Consent exceptions',
    exceptionsIntro:
      'Referrals without the person’s consent (acute danger, asking was impossible). Check the reason and mark as reviewed.',
    exceptionsEmpty: 'No exceptions to review.',
    recordedAt: 'Recorded on',
    review: 'Reviewed',
    reviewed: 'Exception reviewed.',
  },
};

export const texts = { nl, en };
