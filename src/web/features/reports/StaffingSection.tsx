import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError, TRAJECTORY_MODULES, type ReportNorms, type StaffingModule } from '../../api';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alerts';
import { useConfirm } from '../../components/ConfirmDialog';
import { useLoad, useSubmit } from '../../hooks';
import { formatNumber } from './numbers';

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

/** 2.5 as the language writes it in a field: "2,5" in Dutch, "2.5" in English, no thousands separator. */
export function formatFte(n: number, lang: string) {
  return formatNumber(n, lang, false);
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
  // the draft remembers its quarter: until the chosen quarter's staffing has arrived, none is shown or saved
  const [draft, setDraft] = useState<{ quarter: string; values: Draft } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const s = useSubmit();
  const [confirm, dialog] = useConfirm();
  const label = (m: string) => t(`trajectories.modules.${m}` as 'trajectories.modules.youth');

  const saved = (): Draft => {
    const by = new Map((staffing.data?.modules ?? []).map((m) => [m.module, m.fte]));
    return Object.fromEntries(MODULES.map((m) => [m, by.has(m) ? formatFte(by.get(m)!, lang) : ''])) as Draft;
  };
  useEffect(() => {
    if (staffing.data) setDraft({ quarter: staffing.data.quarter, values: saved() });
    // the draft follows the loaded quarter (and its language), not every render
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [staffing.data, lang]);
  useEffect(() => {
    // another quarter: the last one's messages and field errors do not belong to it
    setMessage(null);
    s.setError(null);
    s.setErrors({});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [quarter]);

  if (staffing.loading && !staffing.data) return <Loading />;
  // a quarter that could not be read says why, instead of loading for ever under its heading
  if (!staffing.data || (staffing.error && staffing.data.quarter !== quarter))
    return <ErrorAlert error={staffing.error ?? norms.error} />;
  const ready = staffing.data.quarter === quarter && draft?.quarter === quarter;
  const values: Draft = ready ? draft.values : (Object.fromEntries(MODULES.map((m) => [m, ''])) as Draft);
  const before = saved();
  const setValue = (m: StaffingModule, value: string) => setDraft({ quarter, values: { ...values, [m]: value } });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!ready) return;
    setMessage(null);
    const errs: Record<string, string> = {};
    const changes: { module: StaffingModule; fte: number }[] = [];
    for (const m of MODULES) {
      const text = values[m].trim();
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

  async function remove(module: StaffingModule) {
    const ok = await confirm({
      title: t('reportStaffing.removeTitle'),
      message: t('reportStaffing.removeConfirm', { module: labels[module], quarter }),
      confirmLabel: t('reportStaffing.remove'),
      danger: true,
    });
    if (!ok) return;
    setMessage(null);
    await s.run(async () => {
      staffing.setData(await api.removeStaffing(quarter, module));
      onSaved();
      setMessage(t('reportStaffing.removed', { module: labels[module], quarter }));
      // its button is gone with the row's staffing: the keyboard goes on from the module's field
      document.getElementById(`staffing-${module}`)?.focus();
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
      {!ready && <Loading />}
      {ready && staffing.data.modules.length === 0 && <p className="empty">{t('reportStaffing.empty', { quarter })}</p>}
      <form onSubmit={submit} noValidate ref={s.formRef} aria-busy={!ready}>
        <ErrorAlert error={s.error} fieldLabels={labels} />
        {/* disabled until the chosen quarter's staffing is there: nothing of the last quarter can be typed over or saved */}
        <fieldset className="plain" disabled={!ready}>
          <table className="table" data-testid="staffing-table">
            <caption>{t('reportStaffing.caption', { quarter })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reports.module')}</th>
                <th scope="col">{t('reportStaffing.fte')}</th>
                <th scope="col">{t('reportStaffing.normPerFte')}</th>
                <th scope="col">{t('reportStaffing.quarterNorm')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('reportStaffing.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {MODULES.map((m) => {
                const perFte = normOf(norms.data ?? null, m);
                const fte = parseFte(values[m]);
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
                        value={values[m]}
                        onChange={(e) => setValue(m, e.target.value)}
                      />
                      {s.errors[m] && (
                        <p className="field-error" id={`staffing-${m}-error`}>
                          {s.errors[m]}
                        </p>
                      )}
                    </td>
                    <td>{perFte ?? t('reportStaffing.noNorm')}</td>
                    <td data-testid={`staffing-norm-${m}`}>
                      {quarterNorm === null ? '–' : formatNumber(quarterNorm, lang)}
                    </td>
                    <td>
                      {ready && before[m] !== '' && (
                        <button
                          type="button"
                          className="button secondary"
                          disabled={s.busy}
                          aria-label={t('reportStaffing.removeOf', { module: labels[m] })}
                          onClick={() => void remove(m)}
                        >
                          {t('reportStaffing.remove')}
                        </button>
                      )}
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
        </fieldset>
      </form>
      {dialog}
    </section>
  );
}
