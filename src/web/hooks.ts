import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from './api';
import { useFocusOnError } from './components/Alerts';

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (value: T) => void;
}

/** Loads data when `key` changes; later answers win over earlier ones, never the other way round. */
export function useLoad<T>(load: () => Promise<T>, key: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    loadRef.current().then(
      (value) => {
        if (!current) return;
        setData(value);
        setLoading(false);
      },
      (err: unknown) => {
        if (!current) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...key, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}

/** Sets the browser tab title: "<page> – Korte Lijn". */
export function useDocumentTitle(title: string | null | undefined): void {
  const { t } = useTranslation();
  const app = t('app.name');
  useEffect(() => {
    document.title = title ? `${title} – ${app}` : app;
  }, [title, app]);
}

/**
 * Runs one form action: busy flag, the error for the alert, and the server's field errors by field. A refused action
 * moves the focus to the first error (`formRef` on the form; `failed()` for a refusal of the form's own check).
 */
export function useSubmit<T extends HTMLElement = HTMLFormElement>() {
  const [error, setError] = useState<unknown>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const { ref: formRef, failed } = useFocusOnError<T>();
  const run = useCallback(
    async (action: () => Promise<void>) => {
      setBusy(true);
      setError(null);
      setErrors({});
      try {
        await action();
      } catch (err) {
        setError(err);
        if (err instanceof ProblemError) setErrors(err.byField());
        failed();
      } finally {
        setBusy(false);
      }
    },
    [failed],
  );
  return { error, setError, errors, setErrors, busy, run, formRef, failed };
}
