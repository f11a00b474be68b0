import type { Strings } from '../../locales/types';

/** Dutch texts of the network's overview of overdue referrals. */
const nl = {
  overdue: {
    nav: 'Doorverwijzingen over tijd',
    title: 'Doorverwijzingen over tijd',
    intro:
      'Doorverwijzingen tussen organisaties van het netwerk die hun termijn overschreden. Zonder persoonsgegevens: alleen wie, wanneer en hoe lang.',
    empty: 'Geen doorverwijzingen over tijd.',
    count_one: '{{count}} doorverwijzing over tijd',
    count_other: '{{count}} doorverwijzingen over tijd',
    target: 'Termijn',
    targetAnswer: 'Antwoord',
    targetFirstContact: 'Eerste contact',
    targetWaitlist: 'Start na wachtlijst',
    dueAt: 'Verwacht tegen',
    daysLate: 'Dagen te laat',
  },
} as const;

/** English: the type keeps the keys in step with the Dutch. */
const en: Strings<typeof nl> = {
  overdue: {
    nav: 'Overdue referrals',
    title: 'Overdue referrals',
    intro:
      'Referrals between organisations of the network that passed their deadline. Without personal data: only who, when and how long.',
    empty: 'No overdue referrals.',
    count_one: '{{count}} overdue referral',
    count_other: '{{count}} overdue referrals',
    target: 'Deadline',
    targetAnswer: 'Answer',
    targetFirstContact: 'First contact',
    targetWaitlist: 'Start after waiting list',
    dueAt: 'Expected by',
    daysLate: 'Days late',
  },
};

export const texts = { nl, en };
