import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  api,
  CONSENT_CATEGORIES,
  CONSENT_METHODS,
  ProblemError,
  URGENCIES,
  type ConsentCategory,
  type ConsentMethod,
  type HelpRequestDetail,
  type OfferLevel,
  type Referral,
  type Urgency,
} from '../../api';
import { useLoad } from '../../hooks';
import { isoDate } from '../../dates';
import { todayIso } from '../../intake';
import { useLabels } from '../../labels';
import { ErrorAlert, Loading, useFocusAfterRender, useFocusOnError } from '../Alerts';
import { CheckboxGroup } from '../CheckboxGroup';
import { DateField, useDateError } from '../DateField';
import { TextAreaField } from '../Field';
import { RadioGroup } from '../RadioGroup';
import { useConfirm } from '../ConfirmDialog';

interface Props {
  request: HelpRequestDetail;
  onReferred: (referral: Referral) => void;
  /**
   * the referral made in this visit, shown as done; earlier referrals of the help request are in the sender's
   * outgoing inbox (GET /api/referrals?box=outgoing&helpRequestId=…)
   */
  referral: Referral | null;
  /**
   * a care plan's evaluation stepped the level (the help request page's ?level=…&step=…): the form says so beside
   * the level and the message to the receiver starts with it
   */
  step?: { level: OfferLevel; direction: 'up' | 'down' } | null;
}

type Errors = Partial<
  Record<'categories' | 'method' | 'exceptionReason' | 'validUntil' | 'priority' | 'message', string>
>;

/**
 * (g) Consent and referral for the chosen offer: what may be shared with which organisation, how the person
 * agreed (or why consent could not be asked), then priority and message. One press records the consent and
 * sends the referral; when the referral fails, the consent already recorded is reused on the next try.
 */
export function ReferralSection({ request, onReferred, referral, step = null }: Props) {
  const focusAfterRender = useFocusAfterRender();
  const { t } = useTranslation();
  const labels = useLabels();
  const offerId = request.chosenOfferId ?? '';
  const offer = useLoad(() => api.offer(offerId), [offerId]);
  const [categories, setCategories] = useState<ConsentCategory[]>([]);
  const [method, setMethod] = useState<ConsentMethod | ''>('');
  const [exceptionReason, setExceptionReason] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const dateError = useDateError();
  const [priority, setPriority] = useState<Urgency>(
    (URGENCIES as readonly string[]).includes(request.urgency) ? request.urgency : 'routine',
  );
  // the step of the care plan travels to the receiver in the message (editable, like the rest of it)
  const [message, setMessage] = useState(() =>
    step
      ? t('referralForm.stepMessage', {
          direction: t(`carePlan.directions.${step.direction}`),
          level: labels.level(step.level),
        })
      : '',
  );
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { ref: formRef, failed } = useFocusOnError();
  // a consent recorded for this offer in this visit, kept when the referral itself failed
  const consentFor = useRef<{ offerId: string; consentId: string; key: string } | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const [confirm, dialog] = useConfirm();

  // a new choice starts a new consent
  useEffect(() => {
    setErrors({});
    setError(null);
  }, [offerId]);

  if (!request.chosenOfferId) return null;

  if (referral && referral.offerId === offerId) {
    return (
      <section className="card" aria-labelledby="referral-title">
        <h2 id="referral-title">{t('referralForm.title')}</h2>
        <div className="alert alert-success" ref={doneRef} tabIndex={-1} data-testid="referral-done">
          <p>
            {t('referralForm.done', {
              offer: referral.offerName ?? '',
              organization: referral.receiverOrganizationName ?? '',
            })}
          </p>
          <p>
            <Link to={`/referrals/${referral.id}`}>{t('referralForm.openReferral')}</Link>
          </p>
        </div>
      </section>
    );
  }

  const o = offer.data;
  const fieldLabels: Record<string, string> = {
    categories: t('consent.categoriesLabel'),
    method: t('consent.method'),
    exceptionReason: t('consent.exceptionReason'),
    validUntil: t('consent.validUntil'),
    priority: t('referralForm.priority'),
    message: t('referralForm.message'),
    consentId: t('consent.title'),
    offerId: t('referralForm.offer'),
    helpRequestId: t('intake.requestTitle'),
    recipientOrganizationId: t('consent.recipient'),
    clientId: t('intake.person'),
  };

  // an open referral of this request to the same organisation: a second one is almost always a mistake
  const openToSame = o
    ? request.referrals.find((x) => x.open && x.receiverOrganizationId === o.organizationId)
    : undefined;

  function validate(): Errors {
    const errs: Errors = {};
    if (categories.length === 0) errs.categories = t('consent.categoriesRequired');
    if (!method) errs.method = t('consent.methodRequired');
    if (method === 'exception' && !exceptionReason.trim()) errs.exceptionReason = t('consent.exceptionReasonRequired');
    const validUntilError = dateError(validUntil);
    const validUntilDay = isoDate(validUntil);
    if (validUntilError) errs.validUntil = validUntilError;
    else if (validUntilDay && validUntilDay < todayIso()) errs.validUntil = t('consent.validUntilPast');
    return errs;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!o || !request.clientId || !method) {
      setErrors(validate());
      setError(t('errors.fixFields'));
      failed();
      return;
    }
    const errs = validate();
    setErrors(errs);
    if (Object.keys(errs).length > 0) {
      setError(t('errors.fixFields'));
      failed();
      return;
    }
    let confirmSecond = false;
    if (openToSame) {
      const params = {
        organization: openToSame.receiverOrganizationName,
        status: labels.referralStatus(openToSame.status),
      };
      confirmSecond = await confirm({
        title: t('referralForm.secondConfirmTitle'),
        message: t('referralForm.secondConfirmMessage', params),
        confirmLabel: t('referralForm.secondConfirm'),
      });
      if (!confirmSecond) return;
    }
    setError(null);
    setBusy(true);
    const key = JSON.stringify([categories, method, exceptionReason.trim(), validUntil]);
    try {
      let consentId =
        consentFor.current?.offerId === o.id && consentFor.current.key === key ? consentFor.current.consentId : null;
      if (!consentId) {
        const consent = await api.createConsent({
          clientId: request.clientId,
          purpose: 'referral',
          recipientOrganizationId: o.organizationId,
          recipientOfferId: o.id,
          categories,
          method,
          exceptionReason: method === 'exception' ? exceptionReason.trim() : null,
          validUntil: isoDate(validUntil),
        });
        consentId = consent.id;
        consentFor.current = { offerId: o.id, consentId, key };
      }
      const created = await api.createReferral({
        helpRequestId: request.id,
        offerId: o.id,
        priority,
        message: message.trim() || null,
        consentId,
        ...(confirmSecond ? { confirmSecond } : {}),
      });
      onReferred(created);
      focusAfterRender(doneRef);
    } catch (err) {
      setError(err);
      if (err instanceof ProblemError) setErrors(err.byField());
      failed();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="referral-title" data-testid="referral-section">
      <h2 id="referral-title" tabIndex={-1}>
        {t('referralForm.title')}
      </h2>
      {offer.loading && !o && <Loading />}
      <ErrorAlert error={offer.error} />
      {o && (
        <p>
          {t('referralForm.chosen')} <Link to={`/offers/${o.id}`}>{o.name}</Link> — {o.organizationName}
          {request.choiceReason && (
            <span className="muted"> ({t('referralForm.choiceReason', { reason: request.choiceReason })})</span>
          )}
        </p>
      )}
      {(request.indicationLevel ?? step) && (
        <p data-testid="referral-level">
          {t('referralForm.level')} <strong>{labels.level(request.indicationLevel ?? step?.level)}</strong>
          {step && step.level === (request.indicationLevel ?? step.level) && (
            <span className="muted">
              {' '}
              ({t('referralForm.levelFromPlan', { direction: t(`carePlan.directions.${step.direction}`) })})
            </span>
          )}
        </p>
      )}
      {dialog}
      {openToSame ? (
        <p className="alert alert-warning" data-testid="referral-second-warning">
          {t('referralForm.secondWarning', {
            organization: openToSame.receiverOrganizationName,
            status: labels.referralStatus(openToSame.status),
          })}
        </p>
      ) : (
        request.status === 'referred' && <p className="alert alert-info">{t('referralForm.alreadyReferred')}</p>
      )}
      {!request.clientId ? (
        <p className="alert alert-warning">{t('referralForm.needsClient')}</p>
      ) : request.status === 'closed' ? null : (
        o && (
          <form onSubmit={(e) => void submit(e)} noValidate ref={formRef}>
            <ErrorAlert error={error} fieldLabels={fieldLabels} />
            <fieldset className="field group-box">
              <legend>{t('consent.title')}</legend>
              <dl className="details">
                <dt>{t('consent.purpose')}</dt>
                <dd>{t('consent.purposeReferral')}</dd>
                <dt>{t('consent.recipient')}</dt>
                <dd data-testid="consent-recipient">{o.organizationName}</dd>
              </dl>
              <CheckboxGroup
                id="consent-categories"
                legend={t('consent.categoriesLabel')}
                hint={t('consent.categoriesHint')}
                options={CONSENT_CATEGORIES.map((c) => ({ value: c, label: labels.consentCategory(c) }))}
                selected={categories}
                onChange={(v) => setCategories(v as ConsentCategory[])}
                error={errors.categories}
                required
              />
              <RadioGroup
                id="consent-method"
                legend={t('consent.method')}
                options={CONSENT_METHODS.map((m) => ({
                  value: m,
                  label: labels.consentMethod(m),
                  hint: m === 'exception' ? t('consent.exceptionHint') : undefined,
                }))}
                value={method}
                onChange={setMethod}
                error={errors.method}
                required
              />
              {method === 'exception' && (
                <TextAreaField
                  id="consent-exception-reason"
                  label={t('consent.exceptionReason')}
                  hint={t('consent.exceptionReasonHint')}
                  value={exceptionReason}
                  onChange={setExceptionReason}
                  error={errors.exceptionReason}
                  rows={2}
                  maxLength={2000}
                  required
                />
              )}
              <DateField
                id="consent-valid-until"
                label={t('consent.validUntil')}
                hint={t('consent.validUntilHint')}
                value={validUntil}
                onChange={setValidUntil}
                error={errors.validUntil}
              />
            </fieldset>
            <fieldset className="field group-box">
              <legend>{t('referralForm.legend')}</legend>
              <RadioGroup
                id="referral-priority"
                legend={t('referralForm.priority')}
                options={URGENCIES.map((u) => ({ value: u, label: labels.urgency(u) }))}
                value={priority}
                onChange={setPriority}
                hint={t('referralForm.priorityHint')}
                error={errors.priority}
                inline
                required
              />
              <TextAreaField
                id="referral-message"
                label={t('referralForm.message')}
                hint={t('referralForm.messageHint')}
                value={message}
                onChange={setMessage}
                error={errors.message}
                rows={3}
                maxLength={5000}
              />
            </fieldset>
            <div className="actions">
              <button type="submit" className="button primary" disabled={busy}>
                {t('referralForm.submit')}
              </button>
            </div>
          </form>
        )
      )}
    </section>
  );
}
