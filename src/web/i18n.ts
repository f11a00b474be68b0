import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from './api';
import { en } from './locales/en';
import { nl } from './locales/nl';

export type AppLanguage = 'nl' | 'en';
export const LANGUAGES: readonly AppLanguage[] = ['nl', 'en'];

const STORAGE_KEY = 'kortelijn.language';

function isLanguage(value: unknown): value is AppLanguage {
  return value === 'nl' || value === 'en';
}

/** The language the user chose on this device, if any. */
export function storedLanguage(): AppLanguage | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

function apply(language: AppLanguage): void {
  document.documentElement.lang = language === 'nl' ? 'nl-BE' : 'en';
  setApiLanguage(language);
}

/** Switch language; `remember` stores the choice on this device. */
export async function setLanguage(language: AppLanguage, remember = true): Promise<void> {
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, language);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }
  apply(language);
  await i18n.changeLanguage(language);
}

export function currentLanguage(): AppLanguage {
  return isLanguage(i18n.language) ? i18n.language : 'nl';
}

interface WithTexts {
  texts?: { nl: object; en: object };
}

/**
 * Starts i18next with the shared texts and the sections of every feature beside them, in the language chosen on
 * this device (or Dutch). main.tsx calls it once with the features, before the first render.
 */
export function startI18n(features: readonly WithTexts[]): void {
  const initial: AppLanguage = storedLanguage() ?? 'nl';
  apply(initial);
  const all = (language: AppLanguage): Record<string, unknown> =>
    Object.assign(
      {},
      language === 'nl' ? nl : en,
      ...features.map((feature): object => feature.texts?.[language] ?? {}),
    ) as Record<string, unknown>;
  void i18n.use(initReactI18next).init({
    resources: { nl: { translation: all('nl') }, en: { translation: all('en') } },
    lng: initial,
    fallbackLng: 'nl',
    supportedLngs: ['nl', 'en'],
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
}

export default i18n;
