// The types of every text key, for i18next: kept apart from i18n.ts because it needs the feature list, which
// imports the pages, which use i18n (a type-only cycle otherwise). Nothing imports this file; TypeScript reads it.
import type { AllFeatureTexts } from './features';
import type { nl } from './locales/nl';

/** All Dutch texts: the shared sections (locales/nl.ts) and every feature's own (features/<name>/texts.ts). */
export type Texts = typeof nl & AllFeatureTexts;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Texts };
  }
}
