import type { Strings } from '../../locales/types';

/** Dutch texts of notifications. */
const nl = {
  notifications: {
    title: 'Meldingen',
    indicator: 'Meldingen',
    unreadCount_one: '{{count}} ongelezen',
    unreadCount_other: '{{count}} ongelezen',
    empty: 'Geen meldingen.',
    new: 'Nieuw',
    markRead: 'Gelezen',
    markAll: 'Alles als gelezen markeren',
    marked_one: '{{count}} melding als gelezen gemarkeerd.',
    marked_other: '{{count}} meldingen als gelezen gemarkeerd.',
    kinds: {
      'outreach-new': 'Nieuwe aanmelding voor proactief contact',
      'referral-new': 'Nieuwe doorverwijzing',
      'referral-receive': 'Doorverwijzing ontvangen',
      'referral-accept': 'Doorverwijzing aanvaard',
      'referral-decline': 'Doorverwijzing geweigerd',
      'referral-waitlist': 'Doorverwijzing op wachtlijst',
      'referral-schedule': 'Afspraak ingepland',
      'referral-first-contact': 'Eerste contact gebeurd',
      'referral-missed': 'Afspraak gemist',
      'referral-complete': 'Doorverwijzing afgerond',
      'referral-cancel': 'Doorverwijzing geannuleerd',
      'consent-withdrawn': 'Toestemming ingetrokken',
    },
  },
} as const;

/** English: the type keeps the keys in step with the Dutch. */
const en: Strings<typeof nl> = {
  notifications: {
    title: 'Notifications',
    indicator: 'Notifications',
    unreadCount_one: '{{count}} unread',
    unreadCount_other: '{{count}} unread',
    empty: 'No notifications.',
    new: 'New',
    markRead: 'Read',
    markAll: 'Mark all as read',
    marked_one: '{{count}} notification marked as read.',
    marked_other: '{{count}} notifications marked as read.',
    kinds: {
      'outreach-new': 'New signal for proactive contact',
      'referral-new': 'New referral',
      'referral-receive': 'Referral received',
      'referral-accept': 'Referral accepted',
      'referral-decline': 'Referral declined',
      'referral-waitlist': 'Referral on waiting list',
      'referral-schedule': 'Appointment scheduled',
      'referral-first-contact': 'First contact made',
      'referral-missed': 'Appointment missed',
      'referral-complete': 'Referral completed',
      'referral-cancel': 'Referral cancelled',
      'consent-withdrawn': 'Consent withdrawn',
    },
  },
};

export const texts = { nl, en };
