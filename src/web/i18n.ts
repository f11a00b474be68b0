import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from './api';
import { en } from './locales/en';
import { nl } from './locales/nl';

export type AppLanguage = 'nl' | 'en';
export const LANGUAGES: readonly AppLanguage[] = ['nl', 'en'];

const STORAGE_KEY = 'kortelijn.language';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof nl };
  }
}

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

const initial: AppLanguage = storedLanguage() ?? 'nl';
apply(initial);

void i18n.use(initReactI18next).init({
  resources: { nl: { translation: nl }, en: { translation: en } },
  lng: initial,
  fallbackLng: 'nl',
  supportedLngs: ['nl', 'en'],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export default i18n;
