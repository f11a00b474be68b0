import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError, TRAJECTORY_MODULES, type ReportNorms, type StaffingModule } from '../../api';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alerts';
import { useLoad, useSubmit } from '../../hooks';

type Draft = Record<StaffingModule, string>;
const MODULES = TRAJECTORY_MODULES as readonly StaffingModule[];
const MAX_FTE = 10000;

/** "2,5" and "2.5" are both 2.5; at most two decimals, 0 to 10000. Null: not a valid FTE. */
export function parseFte(text: string): number | null {
  const v = text.trim();
  if (!/^\d{1,5}([.,]\d{1,2})?$/.test(v)) return null;
  const n = Number(v.replace(',', '.'));
  return n <= MAX_FTE ? n : null;
}

/** 2.5 as the language writes it: "2,5" in Dutch, "2.5" in English. */
export function formatFte(n: number, lang: string) {
  const text = String(Math.round(n * 100) / 100);
  return lang.startsWith('nl') ? text.replace('.', ',') : text;
}

const normOf = (norms: ReportNorms | null, module: StaffingModule) =>
  module === 'other' ? null : (norms?.norms[module] ?? null);

/**
 * The organisation admin's staffing for a quarter: FTE (VTE) per module, two decimals (Dutch comma accepted), copy
 * of the previous quarter, and beside every module its yearly norm per FTE and the quarter's norm (FTE × norm ÷ 4),
 * worked out as one types. Saved module by module (PUT /api/reports/staffing); `onSaved` reloads the output table,
 * which shows the ratio.
 */
export function StaffingSection({ quarter, onSaved }: { quarter: string; onSaved: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const staffing = useLoad(() => api.reportStaffing(quarter), [quarter]);
  const norms = useLoad(() => api.reportNorms(), []);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const s = useSubmit();
  const label = (m: string) => t(`trajectories.modules.${m}` as 'trajectories.modules.youth');

  const saved = (): Draft => {
    const by = new Map((staffing.data?.modules ?? []).map((m) => [m.module, m.fte]));
    return Object.fromEntries(MODULES.map((m) => [m, by.has(m) ? formatFte(by.get(m)!, lang) : ''])) as Draft;
  };
  useEffect(() => {
    if (staffing.data) setDraft(saved());
    // the draft follows the loaded quarter (and its language), not every render
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [staffing.data, lang]);

  if ((staffing.loading && !staffing.data) || (staffing.data && !draft)) return <Loading />;
  if (!staffing.data || !draft) return <ErrorAlert error={staffing.error ?? norms.error} />;
  const before = saved();

  function submit(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    const errs: Record<string, string> = {};
    const changes: { module: StaffingModule; fte: number }[] = [];
    for (const m of MODULES) {
      const text = draft![m].trim();
      if (text === '' && before[m] === '') continue;
      if (text === '') {
        errs[m] = t('reportStaffing.required');
        continue;
      }
      const fte = parseFte(text);
      if (fte === null) errs[m] = t('reportStaffing.invalid', { max: MAX_FTE });
      else if (text !== before[m]) changes.push({ module: m, fte });
    }
    s.setError(null);
    s.setErrors(errs);
    if (Object.keys(errs).length > 0) {
      s.failed();
      return;
    }
    if (changes.length === 0) {
      setMessage(t('reportStaffing.nothingChanged'));
      return;
    }
    void s.run(async () => {
      for (const c of changes) await api.putStaffing(quarter, c.module, c.fte);
      staffing.reload();
      onSaved();
      setMessage(t('reportStaffing.saved', { n: changes.length, quarter }));
    });
  }

  function copyPrevious() {
    setMessage(null);
    void s.run(async () => {
      // 409: the quarter before has no staffing to copy
      const res = await api.copyPreviousStaffing(quarter).catch((err: unknown) => {
        if (err instanceof ProblemError && err.status === 409) return null;
        throw err;
      });
      if (!res) {
        s.setError(t('reportStaffing.noPrevious'));
        s.failed();
        return;
      }
      staffing.setData(res);
      onSaved();
      setMessage(t('reportStaffing.copied', { quarter }));
    });
  }

  const labels = Object.fromEntries(MODULES.map((m) => [m, label(m)]));
  return (
    <section className="card" aria-labelledby="staffing-title">
      <h2 id="staffing-title">{t('reportStaffing.title', { quarter })}</h2>
      <p className="hint" id="staffing-hint">
        {t('reportStaffing.intro')}
      </p>
      <StatusMessage message={message} />
      <form onSubmit={submit} noValidate ref={s.formRef}>
        <ErrorAlert error={s.error} fieldLabels={labels} />
        <table className="table" data-testid="staffing-table">
          <caption>{t('reportStaffing.caption', { quarter })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.module')}</th>
              <th scope="col">{t('reportStaffing.fte')}</th>
              <th scope="col">{t('reportStaffing.normPerFte')}</th>
              <th scope="col">{t('reportStaffing.quarterNorm')}</th>
            </tr>
          </thead>
          <tbody>
            {MODULES.map((m) => {
              const perFte = normOf(norms.data ?? null, m);
              const fte = parseFte(draft[m]);
              const quarterNorm = perFte === null || fte === null ? null : Math.round(fte * perFte * 25) / 100;
              return (
                <tr key={m}>
                  <th scope="row">{labels[m]}</th>
                  <td>
                    {/* the row's header names the module; the label says it again for a screen reader */}
                    <input
                      id={`staffing-${m}`}
                      name={`staffing-${m}`}
                      className="staffing-fte"
                      inputMode="decimal"
                      aria-label={t('reportStaffing.fteOf', { module: labels[m] })}
                      aria-invalid={s.errors[m] ? true : undefined}
                      aria-describedby={s.errors[m] ? `staffing-${m}-error` : 'staffing-hint'}
                      value={draft[m]}
                      onChange={(e) => setDraft({ ...draft, [m]: e.target.value })}
                    />
                    {s.errors[m] && (
                      <p className="field-error" id={`staffing-${m}-error`}>
                        {s.errors[m]}
                      </p>
                    )}
                  </td>
                  <td>{perFte ?? t('reportStaffing.noNorm')}</td>
                  <td data-testid={`staffing-norm-${m}`}>
                    {quarterNorm === null ? '–' : formatFte(quarterNorm, lang)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="actions">
          <button type="submit" className="button primary" disabled={s.busy}>
            {t('reportStaffing.save')}
          </button>
          <button type="button" className="button secondary" disabled={s.busy} onClick={copyPrevious}>
            {t('reportStaffing.copyPrevious')}
          </button>
        </p>
      </form>
    </section>
  );
}
