import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, OFFER_LEVELS, type HelpRequest, type HelpRequestDetail, type OfferLevel } from '../../api';
import { useSubmit } from '../../hooks';
import { useLabels } from '../../labels';
import { ErrorAlert } from '../Alerts';
import { Field, TextAreaField } from '../Field';

interface Props {
  request: HelpRequestDetail;
  canWrite: boolean;
  onSaved: (updated: HelpRequest, message: string) => void;
}

/** (e) Indication: the level of care the worker judges necessary, and why. It overrules the screening's level. */
export function IndicationSection({ request, canWrite, onSaved }: Props) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [level, setLevel] = useState<OfferLevel | ''>((request.indicationLevel as OfferLevel | null) ?? '');
  const [reasons, setReasons] = useState(request.indicationReasons ?? '');
  const { error, errors, busy, run } = useSubmit();
  const open = canWrite && request.status !== 'closed';

  useEffect(() => {
    setLevel((request.indicationLevel as OfferLevel | null) ?? '');
    setReasons(request.indicationReasons ?? '');
  }, [request.indicationLevel, request.indicationReasons]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const updated = await api.updateHelpRequest(request.id, { indicationLevel: level || null, indicationReasons: reasons.trim() || null });
      onSaved(updated, t('indication.saved'));
    });
  }

  return (
    <section className="card" aria-labelledby="indication-title">
      <h2 id="indication-title">{t('indication.title')}</h2>
      <p className="hint">{t('indication.intro')}</p>
      {open ? (
        <form onSubmit={submit} noValidate>
          <ErrorAlert error={error} />
          <Field id="indication-level" label={t('indication.level')} error={errors.indicationLevel}>
            {(control) => (
              <select {...control} value={level} onChange={(e) => setLevel(e.target.value as OfferLevel | '')}>
                <option value="">{t('indication.levelNone')}</option>
                {OFFER_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {labels.level(l)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <TextAreaField id="indication-reasons" label={t('indication.reasons')} value={reasons} onChange={setReasons} error={errors.indicationReasons} rows={3} maxLength={5000} />
          <button type="submit" className="button primary" disabled={busy}>
            {t('indication.save')}
          </button>
        </form>
      ) : (
        <dl className="details">
          <dt>{t('indication.level')}</dt>
          <dd>{request.indicationLevel ? labels.level(request.indicationLevel) : t('indication.levelNone')}</dd>
          <dt>{t('indication.reasons')}</dt>
          <dd className="prewrap">{request.indicationReasons || t('common.none')}</dd>
        </dl>
      )}
    </section>
  );
}
