import type { TFunction } from 'i18next';
import { useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldKey, ProblemError } from '../api';

/** A human sentence for any error: the server's Dutch/English `detail` first. */
export function describeError(error: unknown, t: TFunction): string {
  if (typeof error === 'string') return error;
  if (error instanceof ProblemError) {
    if (error.status === 0) return t('errors.network');
    // with field errors the server's detail repeats them with technical field names; they are listed below instead
    if (error.fieldErrors.length > 0) return error.title || t('errors.fixFields');
    if (error.detail) return error.detail;
    if (error.status === 403) return t('errors.forbidden');
    if (error.status === 404) return t('errors.notFound');
    return t('errors.unknown');
  }
  return t('errors.unknown');
}

/**
 * The error message of a form or page. It is inserted as a role="alert" element (assertive live region),
 * which every screen reader announces on insertion; a new error object remounts it, so a repeated error
 * is announced again. Nothing is rendered without an error, so tests and readers find only real alerts.
 */
export function ErrorAlert({
  error,
  id,
  fieldLabels,
}: {
  error: unknown;
  id?: string;
  fieldLabels?: Record<string, string>;
}) {
  const { t } = useTranslation();
  const seen = useRef<{ error: unknown; key: number }>({ error: null, key: 0 });
  if (seen.current.error !== error) seen.current = { error, key: seen.current.key + 1 };
  if (!error) return null;
  const message = describeError(error, t);
  const requestId = error instanceof ProblemError && error.status >= 500 ? error.requestId : undefined;
  // a nullable field that fails reports three errors (format, type, anyOf): the first one says it
  const fields =
    error instanceof ProblemError
      ? error.fieldErrors.filter((f, i, all) => all.findIndex((g) => g.field === f.field) === i)
      : [];
  return (
    <div
      key={seen.current.key}
      role="alert"
      aria-live="assertive"
      aria-atomic="true"
      id={id}
      className="alert alert-error"
      tabIndex={-1}
    >
      <p>{message}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f, i) => {
            const label = fieldLabels?.[fieldKey(f.field)];
            return <li key={i}>{label ? `${label}: ${f.message}` : f.message}</li>;
          })}
        </ul>
      )}
      {requestId && <p className="small">{t('errors.requestId', { id: requestId })}</p>}
    </div>
  );
}

/** The control to focus for a field marked invalid: itself, or the chosen (else the first) control of a group. */
function controlOf(field: HTMLElement): HTMLElement {
  if (field.matches('input, select, textarea, button, [tabindex]')) return field;
  return (
    field.querySelector<HTMLElement>('input:checked') ??
    field.querySelector<HTMLElement>('input:not([type="hidden"]), select, textarea, button, [tabindex]') ??
    field
  );
}

/**
 * After a failed submit: the focus goes to the first field of the form marked `aria-invalid` (a screen reader
 * reads its label, "invalid" and its error, which `aria-describedby` ties to it), or, when no field is marked —
 * an error of the whole form, a field the form does not show, a lost connection — to the error message
 * (`ErrorAlert`, `role="alert"`) in the form or around it. Nothing moves when neither is there.
 */
export function focusFirstError(scope: HTMLElement | null): void {
  if (!scope) return;
  const invalid = scope.querySelector<HTMLElement>('[aria-invalid="true"]');
  const target = invalid
    ? controlOf(invalid)
    : (scope.querySelector<HTMLElement>('[role="alert"]') ??
      scope.parentElement?.querySelector<HTMLElement>('[role="alert"]'));
  target?.focus();
}

/**
 * The one way forms move the focus to their first error: put `ref` on the form (or the element around the form and
 * its error message) and call `failed()` whenever a submit is refused, by the form's own check or by the server
 * (`useSubmit` does the latter itself). The focus moves once the errors are on the page (after React's commit), and
 * again at every refused submit, also when the errors did not change.
 */
export function useFocusOnError<T extends HTMLElement = HTMLFormElement>() {
  const ref = useRef<T>(null);
  const [failures, setFailures] = useState(0);
  useEffect(() => {
    if (failures > 0) focusFirstError(ref.current);
  }, [failures]);
  const failed = useCallback(() => setFailures((n) => n + 1), []);
  return { ref, failed };
}

/**
 * Moves the focus once React has committed the render that the state changes made with it cause: to an element that
 * only appears with them (a result, a confirmation, a field's error). A requestAnimationFrame may run before that
 * commit on a busy machine, and the focus then stays where it was. Each call moves the focus again.
 */
export function useFocusAfterRender() {
  const [request, setRequest] = useState<{ target: string | RefObject<HTMLElement | null> } | null>(null);
  useEffect(() => {
    if (!request) return;
    const element =
      typeof request.target === 'string' ? document.getElementById(request.target) : request.target.current;
    element?.focus();
  }, [request]);
  return useCallback((target: string | RefObject<HTMLElement | null>) => setRequest({ target }), []);
}

/** Polite confirmation ("Opgeslagen."): a status region that stays in the page so that changes are read out. */
export function StatusMessage({ message }: { message: string | null | undefined }) {
  return (
    <div role="status" aria-live="polite" aria-atomic="true" className="live-region">
      {message && <div className="alert alert-success">{message}</div>}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('app.loading')}
    </p>
  );
}

/** A detail page whose record did not load: the way back, the page title, and "not found" (404) or the error. */
export function LoadFailed({
  back,
  title,
  error,
  notFound,
}: {
  back: ReactNode;
  title: string;
  error: unknown;
  notFound: string;
}) {
  const missing = error instanceof ProblemError && error.status === 404;
  return (
    <>
      {back}
      <h1>{title}</h1>
      <ErrorAlert error={missing ? notFound : error} />
    </>
  );
}
