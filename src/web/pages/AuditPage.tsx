import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, AUDIT_OUTCOMES, isOneOf, type AuditEvent } from '../api';
import { ErrorAlert, Loading, useFocusOnError } from '../components/Alerts';
import { DateField, useDateError } from '../components/DateField';
import { Field, TextField } from '../components/Field';
import { isoDate } from '../dates';
import { dayStartIso, formatDateTime } from '../format';
import { useDocumentTitle } from '../hooks';
import { useLabels } from '../labels';

const LIMIT = 50;

interface Filters {
  action: string;
  outcome: string;
  from: string;
  to: string;
}
const noFilters: Filters = { action: '', outcome: '', from: '', to: '' };

/** Filters as the API wants them (`from` and `to` as ISO days): days become local timestamps, "to" includes the whole day. */
function toQuery(f: Filters) {
  return {
    action: f.action.trim() || undefined,
    outcome: isOneOf(AUDIT_OUTCOMES, f.outcome) ? f.outcome : undefined,
    from: f.from ? dayStartIso(f.from) : undefined,
    to: f.to ? new Date(new Date(dayStartIso(f.to, 1)).getTime() - 1).toISOString() : undefined,
  };
}

export function AuditPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const [form, setForm] = useState<Filters>(noFilters);
  const [applied, setApplied] = useState<Filters>(noFilters);
  const [items, setItems] = useState<AuditEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [dateErrors, setDateErrors] = useState<Partial<Record<'from' | 'to', string>>>({});
  const dateError = useDateError();
  const { ref: formRef, failed } = useFocusOnError();
  const generation = useRef(0);
  useDocumentTitle(t('audit.title'));

  const load = useCallback(async (filters: Filters, before: string | null) => {
    const mine = before ? generation.current : ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await api.audit({ ...toQuery(filters), before: before ?? undefined, limit: LIMIT });
      if (mine !== generation.current) return;
      setItems((current) => (before ? [...current, ...page.items] : page.items));
      setNext(page.nextBefore);
    } catch (err) {
      if (mine === generation.current) setError(err);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(applied, null);
  }, [applied, load]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Partial<Record<'from' | 'to', string>> = {};
    const fromError = dateError(form.from);
    const toError = dateError(form.to);
    if (fromError) errs.from = fromError;
    if (toError) errs.to = toError;
    setDateErrors(errs);
    if (fromError || toError) {
      failed();
      return;
    }
    // the form holds the days as typed (dd/mm/jjjj), the applied filters as ISO days
    setApplied({ ...form, from: isoDate(form.from) ?? '', to: isoDate(form.to) ?? '' });
  }

  function reset() {
    setForm(noFilters);
    setApplied(noFilters);
    setDateErrors({});
  }

  const set = (key: keyof Filters) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  return (
    <>
      <h1>{t('audit.title')}</h1>
      <p>{t('audit.intro')}</p>
      <section className="card">
        <h2 id="audit-filters-title" className="h3">
          {t('audit.filters')}
        </h2>
        <form onSubmit={submit} noValidate className="filters" ref={formRef}>
          <TextField
            id="audit-action"
            label={t('audit.action')}
            hint={t('audit.actionHint')}
            value={form.action}
            onChange={set('action')}
            spellCheck={false}
            maxLength={80}
          />
          <Field id="audit-outcome" label={t('audit.outcome')}>
            {(control) => (
              <select {...control} value={form.outcome} onChange={(e) => set('outcome')(e.target.value)}>
                <option value="">{t('audit.outcomeAll')}</option>
                {AUDIT_OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {labels.outcome(o)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <DateField
            id="audit-from"
            label={t('audit.from')}
            value={form.from}
            onChange={set('from')}
            error={dateErrors.from}
          />
          <DateField id="audit-to" label={t('audit.to')} value={form.to} onChange={set('to')} error={dateErrors.to} />
          <div className="actions">
            <button type="submit" className="button primary">
              {t('audit.apply')}
            </button>
            <button type="button" className="button secondary" onClick={reset}>
              {t('audit.reset')}
            </button>
          </div>
        </form>
      </section>

      <ErrorAlert
        error={error}
        fieldLabels={{
          from: t('audit.from'),
          to: t('audit.to'),
          action: t('audit.action'),
          outcome: t('audit.outcome'),
        }}
      />
      <div role="status" aria-live="polite" className="live-region">
        {!loading && items.length > 0 && <p className="result-count">{t('audit.shown', { count: items.length })}</p>}
      </div>

      {items.length === 0 ? (
        loading ? (
          <Loading />
        ) : (
          !error && <p className="empty">{t('audit.empty')}</p>
        )
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-compact" aria-busy={loading}>
              <caption className="visually-hidden">{t('audit.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('audit.at')}</th>
                  <th scope="col">{t('audit.user')}</th>
                  <th scope="col">{t('audit.role')}</th>
                  <th scope="col">{t('audit.action')}</th>
                  <th scope="col">{t('audit.entity')}</th>
                  <th scope="col">{t('audit.outcome')}</th>
                  <th scope="col">{t('audit.ip')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr key={e.id}>
                    <td className="nowrap">{formatDateTime(e.at)}</td>
                    <td>
                      {e.attemptBy !== null ? (
                        <span className="badge badge-warn">
                          {t('audit.attemptBy', {
                            organization: e.attemptBy,
                            role: labels.role(e.role) || t('common.none'),
                          })}
                        </span>
                      ) : e.sharedAccessBy !== null ? (
                        <span className="badge">
                          {t('audit.sharedBy', {
                            organization: e.sharedAccessBy,
                            role: labels.role(e.role) || t('common.none'),
                          })}
                        </span>
                      ) : (
                        (e.actorDisplayName ?? t('audit.system'))
                      )}
                    </td>
                    <td>{labels.role(e.role) || t('common.none')}</td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>
                      {e.entityType ? (
                        <>
                          {e.entityType}
                          {e.entityId && <span className="muted small"> {e.entityId}</span>}
                        </>
                      ) : (
                        t('common.none')
                      )}
                    </td>
                    <td>
                      <span className={`badge ${e.outcome === 'success' ? 'badge-ok' : 'badge-warn'}`}>
                        {labels.outcome(e.outcome)}
                      </span>
                    </td>
                    <td className="nowrap">{e.ip ?? t('common.none')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {next && (
            <div className="actions">
              <button
                type="button"
                className="button secondary"
                disabled={loading}
                onClick={() => void load(applied, next)}
              >
                {t('audit.loadMore')}
              </button>
            </div>
          )}
        </>
      )}
    </>
  );
}
