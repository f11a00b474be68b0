import { useTranslation } from 'react-i18next';
import { nl } from './locales/nl';

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
  };
}
