import { useEffect, useRef, useState, type FormEvent } from 'react';
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
  /** a care plan was stepped up or down to this level: offered here until the indication is saved */
  step?: { level: OfferLevel; direction: 'up' | 'down' } | null;
}

/**
 * (e) Indication: the level of care the worker judges necessary, and why. It overrules the screening's level;
 * when it differs from the level the scores suggest, the reasons are required (the server answers 400 on "reasons").
 */
export function IndicationSection({ request, canWrite, onSaved, step = null }: Props) {
  const { t } = useTranslation();
  const labels = useLabels();
  const stepPending = useRef(step !== null);
  const stepReason = step
    ? t('carePlan.stepFromPlan', {
        direction: t(`carePlan.directions.${step.direction}`),
        level: labels.level(step.level),
      })
    : '';
  const [level, setLevel] = useState<OfferLevel | ''>(step?.level ?? request.indicationLevel ?? '');
  const [reasons, setReasons] = useState(step ? stepReason : (request.indicationReasons ?? ''));
  const [reasonsError, setReasonsError] = useState<string | undefined>(undefined);
  const { error, errors, busy, run, formRef, failed } = useSubmit();
  const open = canWrite && request.status !== 'closed';
  const suggested = request.suggestedLevel;
  const differs = level !== '' && level !== suggested.level;

  useEffect(() => {
    // arriving from a care plan's step: this is where the work continues
    if (stepPending.current) document.getElementById('indication-level')?.focus();
  }, []);

  useEffect(() => {
    // the level of a care plan's step stays offered until the worker saved the indication
    if (stepPending.current) return;
    setLevel(request.indicationLevel ?? '');
    setReasons(request.indicationReasons ?? '');
  }, [request.indicationLevel, request.indicationReasons]);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (differs && !reasons.trim()) {
      setReasonsError(t('indication.reasonsRequired', { level: labels.level(suggested.level) }));
      failed();
      return;
    }
    setReasonsError(undefined);
    void run(async () => {
      const updated = await api.updateHelpRequest(request.id, {
        indicationLevel: level || null,
        indicationReasons: reasons.trim() || null,
      });
      stepPending.current = false;
      onSaved(updated, t('indication.saved'));
    });
  }

  return (
    <section className="card" aria-labelledby="indication-title">
      <h2 id="indication-title">{t('indication.title')}</h2>
      <p className="hint">{t('indication.intro')}</p>
      {step && stepPending.current && (
        <p className="alert alert-info" role="status" data-testid="care-plan-step">
          {stepReason}
        </p>
      )}
      <p data-testid="suggested-level">
        {t('indication.suggested')} <strong>{labels.level(suggested.level)}</strong>
        {suggested.because.length > 0 && (
          <span className="small"> ({suggested.because.map(labels.neededBecause).join('; ')})</span>
        )}
      </p>
      {open ? (
        <form onSubmit={submit} noValidate ref={formRef}>
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
          <TextAreaField
            id="indication-reasons"
            label={t('indication.reasons')}
            hint={differs ? t('indication.reasonsHint') : undefined}
            value={reasons}
            onChange={(v) => {
              setReasons(v);
              if (v.trim()) setReasonsError(undefined);
            }}
            error={reasonsError ?? errors.reasons ?? errors.indicationReasons}
            required={differs}
            rows={3}
            maxLength={5000}
          />
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
