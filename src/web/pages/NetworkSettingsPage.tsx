import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  api,
  MATCHING_THRESHOLD_KEYS,
  REFERRAL_TARGET_KEYS,
  type MatchingThresholdKey,
  type NetworkSettings,
  type NetworkSettingsValues,
  type ReferralTargetKey,
} from '../api';
import { ErrorAlert, LoadFailed, Loading, StatusMessage } from '../components/Alerts';
import { TextField } from '../components/Field';
import { useDocumentTitle, useLoad, useSubmit } from '../hooks';
import { OutputNormsEditor } from '../features/reports/OutputNormsEditor';

type Key = ReferralTargetKey | MatchingThresholdKey;
type Draft = Record<Key, string>;

const ALL_KEYS: readonly Key[] = [...REFERRAL_TARGET_KEYS, ...MATCHING_THRESHOLD_KEYS];

const toDraft = (values: NetworkSettingsValues): Draft =>
  Object.fromEntries(
    ALL_KEYS.map((k) => [
      k,
      String(
        k in values.referralTargets
          ? values.referralTargets[k as ReferralTargetKey]
          : values.matchingThresholds[k as MatchingThresholdKey],
      ),
    ]),
  ) as Draft;

/**
 * For the network admin: the referral response targets and the stepped-care thresholds of the network.
 * Only "is it a whole number" is checked here; the ranges are the server's, and its messages show per field.
 */
export function NetworkSettingsPage() {
  const { t } = useTranslation();
  const settings = useLoad(() => api.networkSettings(), []);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const s = useSubmit();
  useDocumentTitle(t('networkSettings.title'));

  useEffect(() => {
    if (settings.data) setDraft(toDraft(settings.data));
  }, [settings.data]);

  // the draft is filled from the data by an effect, one render after the data arrives
  if ((settings.loading && !settings.data) || (settings.data && !draft)) return <Loading />;
  if (settings.error || !settings.data || !draft) {
    return (
      <LoadFailed
        back={null}
        title={t('networkSettings.title')}
        error={settings.error}
        notFound={t('errors.notFound')}
      />
    );
  }
  const data: NetworkSettings = settings.data;
  const labels = Object.fromEntries(ALL_KEYS.map((k) => [k, t(`networkSettings.fields.${k}`)])) as Record<Key, string>;
  const defaults = toDraft(data.defaults);

  function submit(e: FormEvent) {
    e.preventDefault();
    setFlash(null);
    const errs: Record<string, string> = {};
    for (const k of ALL_KEYS) {
      const v = draft![k].trim();
      if (v === '') errs[k] = t('errors.fieldRequired');
      else if (!/^-?\d+$/.test(v)) errs[k] = t('networkSettings.wholeNumber');
    }
    s.setError(null);
    s.setErrors(errs);
    if (Object.keys(errs).length > 0) {
      s.failed();
      return;
    }
    const num = (k: Key) => Number(draft![k].trim());
    const body: NetworkSettingsValues = {
      referralTargets: Object.fromEntries(
        REFERRAL_TARGET_KEYS.map((k) => [k, num(k)]),
      ) as NetworkSettingsValues['referralTargets'],
      matchingThresholds: Object.fromEntries(
        MATCHING_THRESHOLD_KEYS.map((k) => [k, num(k)]),
      ) as NetworkSettingsValues['matchingThresholds'],
    };
    void s.run(async () => {
      settings.setData(await api.updateNetworkSettings(body));
      setFlash(t('networkSettings.saved'));
    });
  }

  const field = (k: Key) => {
    const limit = data.limits[k];
    return (
      <TextField
        key={k}
        id={`ns-${k}`}
        label={labels[k]}
        type="number"
        inputMode="numeric"
        className="narrow"
        value={draft[k]}
        onChange={(v) => setDraft({ ...draft, [k]: v })}
        error={s.errors[k]}
        required
        min={limit.min}
        max={limit.max}
        hint={t('networkSettings.hint', {
          value: defaults[k],
          min: limit.min,
          max: limit.max,
          unit: t(`networkSettings.units.${limit.unit}`),
        })}
      />
    );
  };

  return (
    <>
      <h1>{t('networkSettings.title')}</h1>
      <p>{t('networkSettings.intro')}</p>
      <p>
        <Link to="/network-settings/synonyms">{t('searchSynonyms.settingsLink')}</Link>
      </p>
      {/* the outreach routing has a page of its own (features/outreach) */}
      <p>
        <Link to="/outreach/settings">{t('outreach.toSettings')}</Link>
      </p>
      <StatusMessage message={flash} />
      <form onSubmit={submit} noValidate ref={s.formRef}>
        <ErrorAlert error={s.error} fieldLabels={labels} />
        <section className="card" role="group" aria-labelledby="ns-targets-title">
          <h2 id="ns-targets-title">{t('networkSettings.targetsTitle')}</h2>
          <p className="hint">{t('networkSettings.targetsIntro')}</p>
          <div className="grid-2">{REFERRAL_TARGET_KEYS.map(field)}</div>
        </section>
        <section className="card" role="group" aria-labelledby="ns-thresholds-title">
          <h2 id="ns-thresholds-title">{t('networkSettings.thresholdsTitle')}</h2>
          <p className="hint">{t('networkSettings.thresholdsIntro')}</p>
          <div className="grid-2">{MATCHING_THRESHOLD_KEYS.map(field)}</div>
        </section>
        <div className="actions">
          <button type="submit" className="button primary" disabled={s.busy}>
            {t('common.save')}
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setDraft(defaults);
              s.setErrors({});
              setFlash(t('networkSettings.defaultsFilled'));
            }}
          >
            {t('networkSettings.fillDefaults')}
          </button>
        </div>
      </form>
      {/* the yearly output norms per FTE belong to the reports (features/reports), saved on their own */}
      <OutputNormsEditor />
    </>
  );
}
