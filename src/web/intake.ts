import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Answers, type Instrument, type InstrumentItem, type LocalText } from './api';
import { languageName } from './format';
import { useLabels } from './labels';

/** A text of an instrument definition in the interface language. */
export function useLocalText(): (text: LocalText | null | undefined) => string {
  const { i18n } = useTranslation();
  return (text) => (text ? (i18n.language === 'en' ? text.en : text.nl) : '');
}

/** An item is asked only when its enableWhen condition holds (the same rule as the server's scoring engine). */
export function isEnabled(item: InstrumentItem, answers: Answers): boolean {
  if (!item.enableWhen) return true;
  const given = answers[item.enableWhen.item];
  return given !== undefined && item.enableWhen.anyOf.includes(given);
}

/**
 * Drops the answers to items that are skipped now (the server refuses them), repeating until nothing changes,
 * because a skipped item can itself open another one.
 */
export function pruneAnswers(def: Instrument, answers: Answers): Answers {
  let current = { ...answers };
  for (;;) {
    const next: Answers = {};
    for (const item of def.items) {
      const value = current[item.id];
      if (value !== undefined && isEnabled(item, current)) next[item.id] = value;
    }
    if (Object.keys(next).length === Object.keys(current).length) return next;
    current = next;
  }
}

/** The instrument definitions, loaded once per page load (they never change while the app runs). */
let instrumentsCache: Promise<Instrument[]> | null = null;
export function useInstruments(): {
  instruments: Instrument[];
  byId: Map<string, Instrument>;
  loading: boolean;
  error: unknown;
} {
  const [state, setState] = useState<{ instruments: Instrument[]; loading: boolean; error: unknown }>({
    instruments: [],
    loading: true,
    error: null,
  });
  useEffect(() => {
    let current = true;
    instrumentsCache ??= api.instruments().then(
      (r) => r.items,
      (err: unknown) => {
        instrumentsCache = null;
        throw err;
      },
    );
    instrumentsCache.then(
      (instruments) => current && setState({ instruments, loading: false, error: null }),
      (error: unknown) => current && setState({ instruments: [], loading: false, error }),
    );
    return () => {
      current = false;
    };
  }, []);
  return useMemo(() => ({ ...state, byId: new Map(state.instruments.map((i) => [i.id, i])) }), [state]);
}

/** The label of a band code of an instrument (total or subscale). */
export function bandLabel(
  def: Instrument | undefined,
  code: string | null,
  local: (t: LocalText) => string,
  subscale?: string,
): string {
  if (!def || !code) return code ?? '';
  const bands = subscale ? def.scoring.subscales?.find((s) => s.id === subscale)?.bands : def.scoring.bands;
  const band = bands?.find((b) => b.code === code);
  return band ? local(band.label) : code;
}

/** The label of a flag code of an instrument. */
export function flagLabel(def: Instrument | undefined, code: string, local: (t: LocalText) => string): string {
  const flag = def?.flags.find((f) => f.code === code);
  return flag ? local(flag.label) : code;
}

/**
 * The matching texts of the server name codes between brackets ("Zorgniveau past (specialised)");
 * this puts the interface's words in their place (levels, forms of help, languages).
 */
export function useReadableReason(): (text: string) => string {
  const labels = useLabels();
  const { i18n } = useTranslation();
  return (text) =>
    text.replace(/\(([a-z][a-z-]*)\)/g, (whole, code: string) => {
      // a label with its own brackets ("Basiszorg (eerste lijn)") reads better without nesting them
      const flat = (label: string) => label.replace(/\s*\(([^)]*)\)/g, ', $1');
      const level = labels.level(code);
      if (level !== code) return `(${flat(level)})`;
      const modality = labels.modality(code);
      if (modality !== code) return `(${modality})`;
      if (/^[a-z]{2}$/.test(code)) return `(${languageName(code, i18n.language)})`;
      return whole;
    });
}

/** Age in whole years on today's date from a birth date or year. */
export function ageFrom(birthDate: string | null, birthYear: number | null): number | null {
  const now = new Date();
  if (birthDate) {
    const [y = 0, m = 1, d = 1] = birthDate.split('-').map(Number);
    return now.getFullYear() - y - (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d) ? 1 : 0);
  }
  return birthYear ? now.getFullYear() - birthYear : null;
}

/** Today as YYYY-MM-DD in local time (for date inputs). */
export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
