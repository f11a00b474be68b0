import { useTranslation } from 'react-i18next';
import { texts as audit } from './features/audit/texts';
import { texts as clients } from './features/clients/texts';
import { texts as intake } from './features/intake/texts';
import { texts as notifications } from './features/notifications/texts';
import { texts as offers } from './features/offers/texts';
import { texts as referrals } from './features/referrals/texts';
import { nl as shared } from './locales/nl';

/** The Dutch texts whose keys are the codes labelled here: the shared ones and those of the features concerned. */
const nl = { ...shared, ...audit.nl, ...clients.nl, ...intake.nl, ...notifications.nl, ...offers.nl, ...referrals.nl };

function isKey<T extends object>(obj: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Translated labels for codes that come from the server; unknown codes are shown as they are. */
export function useLabels() {
  const { t } = useTranslation();
  return {
    role: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.roles, code) ? t(`roles.${code}`) : code;
    },
    kind: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.kinds, code) ? t(`kinds.${code}`) : code;
    },
    outcome: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.audit.outcomes, code) ? t(`audit.outcomes.${code}`) : code;
    },
    /** 'client.read' → "Dossier geopend"; other actions as they are. */
    clientAction: (action: string): string => {
      const key = action.replace(/^client\./, '');
      return isKey(nl.clients.actions, key) ? t(`clients.actions.${key}`) : action;
    },
    /** what another organisation tried and was refused: 'client.read' → "Dossier openen"; others as they are */
    clientAttempt: (action: string): string => {
      const key = action.replace(/^client\./, '');
      return isKey(nl.clients.attempts, key) ? t(`clients.attempts.${key}`) : action;
    },
    level: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.offers.levels, code) ? t(`offers.levels.${code}`) : code;
    },
    modality: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.offers.modalities, code) ? t(`offers.modalities.${code}`) : code;
    },
    capacity: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.offers.capacities, code) ? t(`offers.capacities.${code}`) : code;
    },
    cost: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.offers.costs, code) ? t(`offers.costs.${code}`) : code;
    },
    targetGroup: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.offers.targetGroupLabels, code) ? t(`offers.targetGroupLabels.${code}`) : code;
    },
    identityKind: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.clients.kinds, code) ? t(`clients.kinds.${code}`) : code;
    },
    channel: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.intake.channels, code) ? t(`intake.channels.${code}`) : code;
    },
    /** urgency of a help request and priority of a referral share their words */
    urgency: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.intake.urgencies, code) ? t(`intake.urgencies.${code}`) : code;
    },
    lifeDomain: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.intake.lifeDomains, code) ? t(`intake.lifeDomains.${code}`) : code;
    },
    helpRequestStatus: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.intake.statuses, code) ? t(`intake.statuses.${code}`) : code;
    },
    signalKind: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.safety.kinds, code) ? t(`safety.kinds.${code}`) : code;
    },
    /** the one risk vocabulary: a signal's level, a screening's, a help request's, a referral's */
    riskLevel: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.risk.levels, code) ? t(`risk.levels.${code}`) : code;
    },
    signalSource: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.safety.sources, code) ? t(`safety.sources.${code}`) : code;
    },
    referralStatus: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.referrals.statuses, code) ? t(`referrals.statuses.${code}`) : code;
    },
    /** what happened, in the timeline */
    referralEvent: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.referrals.events, code) ? t(`referrals.events.${code}`) : code;
    },
    /** the button that does it */
    referralAction: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.referrals.actions, code) ? t(`referrals.actions.${code}`) : code;
    },
    declineReason: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.referrals.declineReasons, code) ? t(`referrals.declineReasons.${code}`) : code;
    },
    consentCategory: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.consent.categories, code) ? t(`consent.categories.${code}`) : code;
    },
    consentPurpose: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.consent.purposes, code) ? t(`consent.purposes.${code}`) : code;
    },
    consentMethod: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.consent.methods, code) ? t(`consent.methods.${code}`) : code;
    },
    notificationKind: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.notifications.kinds, code) ? t(`notifications.kinds.${code}`) : code;
    },
    neededBecause: (code: string | null | undefined): string => {
      if (!code) return '';
      return isKey(nl.matches.because, code) ? t(`matches.because.${code}`) : code;
    },
  };
}
