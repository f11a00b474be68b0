import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Term } from './api';
import { languageName } from './format';

/**
 * Themes and categories of the catalogue. Their labels follow Accept-Language, so they are loaded
 * once per interface language and page load (both endpoints are public: the signed-out catalogue uses them too).
 */
const cache = new Map<string, Promise<{ themes: Term[]; categories: Term[] }>>();

function load(language: string) {
  let entry = cache.get(language);
  if (!entry) {
    entry = Promise.all([api.themes(), api.categories()]).then(
      ([themes, categories]) => ({ themes: themes.items, categories: categories.items }),
      (err: unknown) => {
        cache.delete(language);
        throw err;
      },
    );
    cache.set(language, entry);
  }
  return entry;
}

export interface Taxonomy {
  themes: Term[];
  categories: Term[];
  themeLabel: (id: string) => string;
  categoryLabel: (id: string | null | undefined) => string;
  loading: boolean;
  error: unknown;
}

export function useTaxonomy(): Taxonomy {
  const { i18n } = useTranslation();
  const language = i18n.language;
  const [state, setState] = useState<{ themes: Term[]; categories: Term[]; loading: boolean; error: unknown }>({
    themes: [],
    categories: [],
    loading: true,
    error: null,
  });
  useEffect(() => {
    let current = true;
    load(language).then(
      (value) => current && setState({ ...value, loading: false, error: null }),
      (error: unknown) => current && setState((s) => ({ ...s, loading: false, error })),
    );
    return () => {
      current = false;
    };
  }, [language]);
  return useMemo(() => {
    const themes = new Map(state.themes.map((term) => [term.id, term.label]));
    const categories = new Map(state.categories.map((term) => [term.id, term.label]));
    return {
      ...state,
      themeLabel: (id: string) => themes.get(id) ?? id,
      categoryLabel: (id: string | null | undefined) => (id ? (categories.get(id) ?? id) : ''),
    };
  }, [state]);
}

/** Languages an offer may be given in: the usual ones first (the browser names them). */
export const OFFER_LANGUAGE_CODES = [
  'nl',
  'fr',
  'en',
  'de',
  'ar',
  'tr',
  'pl',
  'ro',
  'bg',
  'ru',
  'uk',
  'es',
  'it',
  'pt',
  'so',
  'ti',
  'fa',
  'ps',
  'sq',
  'am',
];

export function useLanguageName(): (code: string) => string {
  const { i18n } = useTranslation();
  return (code: string) => {
    const name = languageName(code, i18n.language);
    return name.charAt(0).toLocaleUpperCase(i18n.language) + name.slice(1);
  };
}

/** Whole days between an ISO timestamp and now. */
export function daysSince(iso: string, now = Date.now()): number {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return 0;
  return Math.max(0, Math.floor((now - then) / 86_400_000));
}
