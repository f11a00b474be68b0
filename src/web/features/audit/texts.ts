import type { Strings } from '../../locales/types';

/** Dutch texts of the audit log. */
const nl = {
  audit: {
    nav: 'Audit',
    title: 'Audit',
    intro: 'Elke handeling op gevoelige gegevens laat een spoor na. Deze lijst kan niet gewijzigd worden.',
    filters: 'Filters',
    action: 'Handeling',
    actionHint: 'Bijvoorbeeld client.read',
    outcome: 'Resultaat',
    outcomeAll: '— Alle resultaten —',
    outcomes: {
      success: 'Gelukt',
      denied: 'Geweigerd',
      'not-found': 'Niet gevonden',
      invalid: 'Ongeldig',
      failed: 'Mislukt',
    },
    from: 'Van',
    to: 'Tot en met',
    apply: 'Filteren',
    reset: 'Filters wissen',
    caption: 'Auditgebeurtenissen',
    at: 'Tijdstip',
    user: 'Gebruiker',
    role: 'Rol',
    entity: 'Object',
    ip: 'IP-adres',
    empty: 'Geen gebeurtenissen gevonden.',
    loadMore: 'Meer laden',
    shown_one: '{{count}} gebeurtenis getoond',
    shown_other: '{{count}} gebeurtenissen getoond',
    system: 'Systeem',
    attemptBy: 'Geweigerde poging door {{organization}} ({{role}})',
    sharedBy: 'Partner met toestemming: {{organization}} ({{role}})',
  },
} as const;

/** English: the type keeps the keys in step with the Dutch. */
const en: Strings<typeof nl> = {
  audit: {
    nav: 'Audit',
    title: 'Audit',
    intro: 'Every action on sensitive data leaves a trace. This list cannot be changed.',
    filters: 'Filters',
    action: 'Action',
    actionHint: 'For example client.read',
    outcome: 'Outcome',
    outcomeAll: '— All outcomes —',
    outcomes: {
      success: 'Succeeded',
      denied: 'Denied',
      'not-found': 'Not found',
      invalid: 'Invalid',
      failed: 'Failed',
    },
    from: 'From',
    to: 'Up to and including',
    apply: 'Filter',
    reset: 'Clear filters',
    caption: 'Audit events',
    at: 'Time',
    user: 'User',
    role: 'Role',
    entity: 'Object',
    ip: 'IP address',
    empty: 'No events found.',
    loadMore: 'Load more',
    shown_one: '{{count}} event shown',
    shown_other: '{{count}} events shown',
    system: 'System',
    attemptBy: 'Refused attempt by {{organization}} ({{role}})',
    sharedBy: 'Partner with consent: {{organization}} ({{role}})',
  },
};

export const texts = { nl, en };
