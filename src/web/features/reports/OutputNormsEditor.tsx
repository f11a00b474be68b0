import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ReportNorms, type ReportNormsUpdate } from '../../api';
import { ErrorAlert, LoadFailed, Loading, StatusMessage } from '../../components/Alerts';
import { TextField } from '../../components/Field';
import { useLoad, useSubmit } from '../../hooks';

type NormModule = keyof ReportNorms['norms'];
type Draft = Record<NormModule, string>;

const toDraft = (norms: ReportNorms['norms']): Draft =>
  Object.fromEntries(Object.entries(norms).map(([k, v]) => [k, String(v)])) as Draft;

/**
 * For the network admin, on the network settings page: the yearly output norm per FTE per module (trajectories per
 * VTE per year; seed 000's 45/70/70/45/60 as defaults). Whole numbers are checked here, the range by the server,
 * whose Dutch message shows under the field; the change is audited with old and new values.
 */
export function OutputNormsEditor() {
  const { t } = useTranslation();
  const norms = useLoad(() => api.reportNorms(), []);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const s = useSubmit();

  useEffect(() => {
    if (norms.data) setDraft(toDraft(norms.data.norms));
  }, [norms.data]);

  if ((norms.loading && !norms.data) || (norms.data && !draft)) return <Loading />;
  if (norms.error || !norms.data || !draft) {
    return (
      <LoadFailed back={null} title={t('reportNorms.title')} error={norms.error} notFound={t('errors.notFound')} />
    );
  }
  const data = norms.data;
  const modules = Object.keys(data.defaults) as NormModule[];
  const label = (m: string) => t(`trajectories.modules.${m}` as 'trajectories.modules.youth');
  // the server reports a field as norms.<module>
  const labels = Object.fromEntries(modules.map((m) => [`norms.${m}`, label(m)]));

  function submit(e: FormEvent) {
    e.preventDefault();
    setFlash(null);
    const errs: Record<string, string> = {};
    for (const m of modules) {
      const v = draft![m].trim();
      if (v === '') errs[`norms.${m}`] = t('errors.fieldRequired');
      else if (!/^-?\d+$/.test(v)) errs[`norms.${m}`] = t('reportNorms.wholeNumber');
    }
    s.setError(null);
    s.setErrors(errs);
    if (Object.keys(errs).length > 0) {
      s.failed();
      return;
    }
    const body = {
      norms: Object.fromEntries(modules.map((m) => [m, Number(draft![m].trim())])),
    } as ReportNormsUpdate;
    void s.run(async () => {
      norms.setData(await api.updateReportNorms(body));
      setFlash(t('reportNorms.saved'));
    });
  }

  return (
    <form onSubmit={submit} noValidate ref={s.formRef} aria-labelledby="norms-title">
      <section className="card" role="group" aria-labelledby="norms-title">
        <h2 id="norms-title">{t('reportNorms.title')}</h2>
        <p className="hint">{t('reportNorms.intro')}</p>
        <StatusMessage message={flash} />
        <ErrorAlert error={s.error} fieldLabels={labels} />
        <div className="grid-2">
          {modules.map((m) => (
            <TextField
              key={m}
              id={`norm-${m}`}
              label={label(m)}
              type="number"
              inputMode="numeric"
              className="narrow"
              value={draft[m]}
              onChange={(v) => setDraft({ ...draft, [m]: v })}
              error={s.errors[`norms.${m}`]}
              required
              min={data.limits.min}
              max={data.limits.max}
              hint={t('reportNorms.hint', { value: data.defaults[m], min: data.limits.min, max: data.limits.max })}
            />
          ))}
        </div>
        <div className="actions">
          <button type="submit" className="button primary" disabled={s.busy}>
            {t('reportNorms.save')}
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setDraft(toDraft(data.defaults));
              s.setErrors({});
              setFlash(t('reportNorms.defaultsFilled'));
            }}
          >
            {t('reportNorms.fillDefaults')}
          </button>
        </div>
      </section>
    </form>
  );
}
