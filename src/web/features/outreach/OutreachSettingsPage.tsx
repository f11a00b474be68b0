import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, OUTREACH_KINDS, type OutreachSettingsUpdate } from '../../api';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alerts';
import { Field, TextField } from '../../components/Field';
import { MunicipalityCombobox } from '../../components/MunicipalityCombobox';
import { useDocumentTitle, useLoad, useSubmit } from '../../hooks';

type Kind = (typeof OUTREACH_KINDS)[number];
interface Rule {
  key: number;
  kind: Kind;
  municipalityNis: string;
  organizationId: string;
}
const NUMBERS = ['responseWorkingDays', 'failedAttempts', 'retentionMonths'] as const;

/** The network admin's outreach settings: the routing rules (kind × municipality → organisation) and three numbers. */
export function OutreachSettingsPage() {
  const { t } = useTranslation();
  const settings = useLoad(() => api.outreachSettings(), []);
  const [numbers, setNumbers] = useState<Record<(typeof NUMBERS)[number], string>>({
    responseWorkingDays: '',
    failedAttempts: '',
    retentionMonths: '',
  });
  const [rules, setRules] = useState<Rule[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const [flash, setFlash] = useState<string | null>(null);
  const { error, errors, busy, run, formRef } = useSubmit();
  useDocumentTitle(t('outreach.settingsTitle'));

  useEffect(() => {
    const d = settings.data;
    if (!d) return;
    setNumbers({
      responseWorkingDays: String(d.responseWorkingDays),
      failedAttempts: String(d.failedAttempts),
      retentionMonths: String(d.retentionMonths),
    });
    setRules(
      d.routes.map((r, i) => ({
        key: i + 1,
        kind: r.kind,
        municipalityNis: r.municipalityNis ?? '',
        organizationId: r.organizationId,
      })),
    );
    setNextKey(d.routes.length + 1);
  }, [settings.data]);

  if (settings.loading && !settings.data) return <Loading />;
  const receivers = settings.data?.receivers ?? [];
  const update = (key: number, change: Partial<Rule>) =>
    setRules((all) => all.map((r) => (r.key === key ? { ...r, ...change } : r)));

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const body: OutreachSettingsUpdate = {
      responseWorkingDays: Number(numbers.responseWorkingDays),
      failedAttempts: Number(numbers.failedAttempts),
      retentionMonths: Number(numbers.retentionMonths),
      routes: rules.map((r) => ({
        kind: r.kind,
        municipalityNis: r.municipalityNis || null,
        organizationId: r.organizationId,
      })),
    };
    void run(async () => {
      settings.setData(await api.saveOutreachSettings(body));
      setFlash(t('outreach.saved'));
    });
  }

  return (
    <>
      <h1>{t('outreach.settingsTitle')}</h1>
      <p className="lead">{t('outreach.settingsIntro')}</p>
      <StatusMessage message={flash} />
      <form className="card" noValidate onSubmit={submit} ref={formRef} data-testid="outreach-settings">
        <ErrorAlert error={error ?? settings.error} />
        {NUMBERS.map((key) => (
          <TextField
            key={key}
            id={`os-${key}`}
            label={t(`outreach.${key}`)}
            inputMode="numeric"
            value={numbers[key]}
            onChange={(value) => setNumbers((n) => ({ ...n, [key]: value }))}
            error={errors[key]}
          />
        ))}
        <h2>{t('outreach.routes')}</h2>
        {rules.length === 0 && <p className="empty">{t('outreach.noRoutes')}</p>}
        {rules.map((rule, i) => (
          <fieldset key={rule.key} className="field-row">
            <legend className="visually-hidden">
              {t('outreach.routes')} {i + 1}
            </legend>
            <Field id={`route-${rule.key}-kind`} label={t('outreach.kind')} error={errors[`routes.${i}.kind`]}>
              {(control) => (
                <select
                  {...control}
                  value={rule.kind}
                  onChange={(e) => update(rule.key, { kind: e.target.value as Kind })}
                >
                  {OUTREACH_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`outreach.kinds.${k}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              id={`route-${rule.key}-municipality`}
              label={t('outreach.municipality')}
              hint={rule.municipalityNis ? undefined : t('outreach.fallback')}
              error={errors[`routes.${i}.municipalityNis`]}
            >
              {(control) => (
                <MunicipalityCombobox
                  control={control}
                  listLabel={t('outreach.municipalityList')}
                  value={rule.municipalityNis}
                  onChoose={(nis) => update(rule.key, { municipalityNis: nis })}
                />
              )}
            </Field>
            <Field
              id={`route-${rule.key}-organization`}
              label={t('outreach.organization')}
              error={errors[`routes.${i}.organizationId`]}
            >
              {(control) => (
                <select
                  {...control}
                  value={rule.organizationId}
                  onChange={(e) => update(rule.key, { organizationId: e.target.value })}
                >
                  <option value="">—</option>
                  {receivers.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button
              type="button"
              className="link-button"
              onClick={() => setRules((all) => all.filter((r) => r.key !== rule.key))}
            >
              {t('outreach.removeRoute')}
            </button>
          </fieldset>
        ))}
        <div className="actions">
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setRules((all) => [
                ...all,
                { key: nextKey, kind: 'bereaved', municipalityNis: '', organizationId: receivers[0]?.id ?? '' },
              ]);
              setNextKey((k) => k + 1);
            }}
          >
            {t('outreach.addRoute')}
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {t('outreach.save')}
          </button>
        </div>
      </form>
    </>
  );
}
