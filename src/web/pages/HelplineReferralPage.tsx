import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, fieldKey, ProblemError, type ClientInput, type HelpRequestInput, type Offer } from '../api';
import { useMe } from '../auth';
import { useTaxonomy } from '../catalogue';
import { ErrorAlert, useFocusOnError } from '../components/Alerts';
import { CheckboxGroup } from '../components/CheckboxGroup';
import { TextAreaField, TextField } from '../components/Field';
import { HelplineOfferChoice } from '../components/HelplineOfferChoice';
import { RadioGroup } from '../components/RadioGroup';
import { useDocumentTitle } from '../hooks';
import { useLabels } from '../labels';

type Identity = 'pseudonym' | 'anonymous';
type Priority = 'acute' | 'urgent';
type FieldName = 'identity' | 'pseudonym' | 'phone' | 'story' | 'themes' | 'priority' | 'offer' | 'consent' | 'message';
type Errors = Partial<Record<FieldName, string>>;
type Step = 'client' | 'helpRequest' | 'consent' | 'referral';
const STEPS: readonly Step[] = ['client', 'helpRequest', 'consent', 'referral'];

/** What the caller agreed to share: contact details and the summary of the help request, nothing more. */
const SHARED = ['contact', 'help-request-summary'] as const;

/** Which field of this form a server field error of each step belongs to. */
const SERVER_FIELDS: Record<Step, Record<string, FieldName>> = {
  client: { identityKind: 'identity', pseudonym: 'pseudonym', phone: 'phone' },
  helpRequest: { story: 'story', themes: 'themes', urgency: 'priority' },
  consent: { recipientOrganizationId: 'offer', recipientOfferId: 'offer', categories: 'consent', method: 'consent' },
  referral: { offerId: 'offer', priority: 'priority', message: 'message', consentId: 'consent' },
};

/**
 * A plausible Belgian phone number: +32, 0032 or a leading 0, then 8 digits (a landline, 02 … or 016 …) or 9 digits
 * starting 45–49 (a mobile number); spaces, dots, slashes, dashes and "(0)" are allowed. Within the server's pattern.
 */
export function isBelgianPhone(value: string): boolean {
  const raw = value.trim();
  if (!/^\+?[0-9 ./()-]{6,20}$/.test(raw)) return false;
  let digits = raw.replace(/[^\d+]/g, '');
  if (digits.startsWith('+32')) digits = digits.slice(3);
  else if (digits.startsWith('0032')) digits = digits.slice(4);
  else if (digits.startsWith('0')) digits = digits.slice(1);
  else return false;
  if (digits.startsWith('0')) digits = digits.slice(1); // +32 (0)470 …
  return /^4[5-9]\d{7}$/.test(digits) || /^[1-9]\d{7}$/.test(digits);
}

interface Created {
  client?: { id: string; name: string; key: string };
  helpRequest?: { id: string; key: string };
  consent?: { id: string; offerId: string; key: string };
}

/**
 * The helpline's short line (/helpline/new): one form, during or right after a call, for an acute or urgent referral of a
 * pseudonymous or anonymous caller with a callback number and verbal consent, into a CGG's or CAW's intake inbox.
 * One press makes the four calls in order — client, help request, consent, referral — and opens the referral. When a
 * later step fails, the page says which one and links to what was already made; sending again reuses it (changed
 * caller or call details are updated, a consent for another offer is withdrawn and recorded anew).
 */
export function HelplineReferralPage() {
  const { t } = useTranslation();
  const me = useMe();
  const labels = useLabels();
  const taxonomy = useTaxonomy();
  const navigate = useNavigate();
  useDocumentTitle(t('helpline.title'));

  const [identity, setIdentity] = useState<Identity>('pseudonym');
  const [pseudonym, setPseudonym] = useState('');
  const [phone, setPhone] = useState('');
  const [story, setStory] = useState('');
  const [themes, setThemes] = useState<string[]>([]);
  const [priority, setPriority] = useState<Priority>('acute');
  const [offer, setOffer] = useState<Offer | null>(null);
  const [consent, setConsent] = useState(false);
  const [message, setMessage] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [failedStep, setFailedStep] = useState<Step | null>(null);
  const [progress, setProgress] = useState<Step | null>(null);
  const [created, setCreated] = useState<Created>({});
  const createdRef = useRef<Created>({});
  const { ref: formRef, failed } = useFocusOnError();

  const fieldLabels: Record<string, string> = {
    identityKind: t('helpline.identity'),
    pseudonym: t('helpline.pseudonym'),
    phone: t('helpline.phone'),
    story: t('helpline.story'),
    themes: t('helpline.themes'),
    urgency: t('helpline.priority'),
    priority: t('helpline.priority'),
    offerId: t('helpline.offer'),
    recipientOrganizationId: t('helpline.offer'),
    recipientOfferId: t('helpline.offer'),
    categories: t('helpline.consentLegend'),
    method: t('helpline.consentLegend'),
    consentId: t('helpline.consentLegend'),
    message: t('helpline.message'),
    clientId: t('helpline.stepNames.client'),
    helpRequestId: t('helpline.stepNames.helpRequest'),
  };

  function remember(next: Created) {
    createdRef.current = next;
    setCreated(next);
  }

  function validate(): Errors {
    const errs: Errors = {};
    if (identity === 'pseudonym' && !pseudonym.trim()) errs.pseudonym = t('helpline.pseudonymRequired');
    if (!phone.trim()) errs.phone = t('helpline.phoneRequired');
    else if (!isBelgianPhone(phone)) errs.phone = t('helpline.phoneInvalid');
    if (!story.trim()) errs.story = t('helpline.storyRequired');
    if (!offer) errs.offer = t('helpline.offerRequired');
    if (!consent) errs.consent = t('helpline.consentRequired');
    return errs;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setFailedStep(null);
    const errs = validate();
    setErrors(errs);
    if (Object.keys(errs).length > 0 || !offer) {
      setError(t('errors.fixFields'));
      failed();
      return;
    }
    const clientBody: ClientInput = {
      identityKind: identity,
      pseudonym: identity === 'pseudonym' ? pseudonym.trim() : null,
      phone: phone.trim().replace(/\s+/g, ' '),
      givenName: null,
      familyName: null,
      birthDate: null,
      birthYear: null,
      municipality: null,
      email: null,
      preferredLanguage: null,
      insz: null,
    };
    const requestBody: HelpRequestInput = {
      channel: 'helpline',
      story: story.trim(),
      themes,
      urgency: priority,
      context: null,
      lifeDomains: [],
      clarification: null,
      age: null,
      municipality: null,
      language: null,
      preferredModality: null,
    };
    const clientKey = JSON.stringify([clientBody.identityKind, clientBody.pseudonym, clientBody.phone]);
    const requestKey = JSON.stringify([requestBody.story, themes, priority]);
    const consentKey = JSON.stringify([offer.id, offer.organizationId]);
    let step: Step = 'client';
    try {
      // 1. the caller: a pseudonym or anonymous, with the callback number
      let done = createdRef.current;
      if (!done.client) {
        setProgress('client');
        const c = await api.createClient(clientBody);
        done = { ...done, client: { id: c.id, name: c.displayName, key: clientKey } };
        remember(done);
      } else if (done.client.key !== clientKey) {
        setProgress('client');
        const c = await api.updateClient(done.client.id, clientBody);
        done = { ...done, client: { id: c.id, name: c.displayName, key: clientKey } };
        remember(done);
      }
      const clientId = done.client!.id;

      // 2. the help request: what is going on, through the helpline
      step = 'helpRequest';
      if (!done.helpRequest) {
        setProgress('helpRequest');
        const h = await api.createHelpRequest({ clientId, ...requestBody });
        done = { ...done, helpRequest: { id: h.id, key: requestKey } };
        remember(done);
      } else if (done.helpRequest.key !== requestKey) {
        setProgress('helpRequest');
        await api.updateHelpRequest(done.helpRequest.id, { story: requestBody.story, themes, urgency: priority });
        done = { ...done, helpRequest: { ...done.helpRequest, key: requestKey } };
        remember(done);
      }
      const helpRequestId = done.helpRequest!.id;

      // 3. the verbal consent for exactly this recipient and what is shared
      step = 'consent';
      if (done.consent && done.consent.key !== consentKey) {
        // recorded for another offer on an earlier try: that one must not stay active unused
        setProgress('consent');
        // a 409 means it was withdrawn already; any other failure stops here, so the next try withdraws it again
        await api.withdrawConsent(done.consent.id, t('helpline.consentReplaced')).catch((err: unknown) => {
          if (!(err instanceof ProblemError && err.status === 409)) throw err;
        });
        const { consent: _replaced, ...rest } = done;
        done = rest;
        remember(done);
      }
      if (!done.consent) {
        setProgress('consent');
        const c = await api.createConsent({
          clientId,
          purpose: 'referral',
          recipientOrganizationId: offer.organizationId,
          recipientOfferId: offer.id,
          categories: [...SHARED],
          method: 'verbal',
          exceptionReason: null,
          validUntil: null,
        });
        done = { ...done, consent: { id: c.id, offerId: offer.id, key: consentKey } };
        remember(done);
      }

      // 4. the referral into the receiver's intake inbox
      step = 'referral';
      setProgress('referral');
      const referral = await api.createReferral({
        helpRequestId,
        offerId: offer.id,
        priority,
        message: message.trim() || null,
        consentId: done.consent!.id,
      });
      navigate(`/referrals/${referral.id}`, { state: { flash: 'created' } });
    } catch (err) {
      setProgress(null);
      setError(err);
      setFailedStep(step);
      if (err instanceof ProblemError) {
        const byField: Errors = {};
        for (const f of err.fieldErrors) {
          const name = SERVER_FIELDS[step][fieldKey(f.field)];
          if (name && byField[name] === undefined) byField[name] = f.message;
        }
        setErrors(byField);
      }
      failed();
    }
  }

  const busy = progress !== null;
  const recipient = offer?.organizationName ?? t('helpline.consentRecipientUnknown');
  const madeSomething = !!(created.client || created.helpRequest || created.consent);

  return (
    <>
      <p className="breadcrumb">
        <Link to="/referrals?box=outgoing">{t('referrals.nav')}</Link>
      </p>
      <h1>{t('helpline.title')}</h1>
      <p className="lead">{t('helpline.intro')}</p>

      <form
        ref={formRef}
        onSubmit={(e) => void submit(e)}
        noValidate
        className="helpline-form"
        aria-describedby="helpline-required-note"
      >
        <p className="hint" id="helpline-required-note">
          {t('helpline.requiredNote')}
        </p>
        <ErrorAlert error={error} fieldLabels={fieldLabels} />
        {failedStep && madeSomething && (
          <div className="alert alert-warning" data-testid="helpline-partial">
            <p>
              {t('helpline.failedStep', {
                step: STEPS.indexOf(failedStep) + 1,
                total: STEPS.length,
                name: t(`helpline.stepNames.${failedStep}`),
              })}
            </p>
            <p>{t('helpline.alreadyMade')}</p>
            <ul>
              {created.client && (
                <li>
                  <Link to={`/clients/${created.client.id}`}>
                    {t('helpline.madeClient', { name: created.client.name })}
                  </Link>
                </li>
              )}
              {created.helpRequest && (
                <li>
                  <Link to={`/help-requests/${created.helpRequest.id}`}>{t('helpline.madeHelpRequest')}</Link>
                </li>
              )}
              {created.consent && <li>{t('helpline.madeConsent', { organization: recipient })}</li>}
            </ul>
            <p>{t('helpline.retryHint')}</p>
          </div>
        )}

        <section className="card" aria-labelledby="helpline-caller-title">
          <h2 id="helpline-caller-title">{t('helpline.caller')}</h2>
          <RadioGroup<Identity>
            id="helpline-identity"
            legend={t('helpline.identity')}
            options={[
              { value: 'pseudonym', label: t('helpline.identityPseudonym') },
              { value: 'anonymous', label: t('helpline.identityAnonymous') },
            ]}
            value={identity}
            onChange={setIdentity}
            error={errors.identity}
            inline
          />
          <div className="grid-2">
            {identity === 'pseudonym' && (
              <TextField
                id="helpline-pseudonym"
                label={t('helpline.pseudonym')}
                hint={t('helpline.pseudonymHint')}
                value={pseudonym}
                onChange={setPseudonym}
                error={errors.pseudonym}
                maxLength={100}
                autoComplete="off"
                required
              />
            )}
            <TextField
              id="helpline-phone"
              label={t('helpline.phone')}
              hint={t('helpline.phoneHint')}
              type="tel"
              inputMode="tel"
              value={phone}
              onChange={setPhone}
              error={errors.phone}
              maxLength={20}
              autoComplete="off"
              required
            />
          </div>
        </section>

        <section className="card" aria-labelledby="helpline-call-title">
          <h2 id="helpline-call-title">{t('helpline.call')}</h2>
          <TextAreaField
            id="helpline-story"
            label={t('helpline.story')}
            hint={t('helpline.storyHint')}
            value={story}
            onChange={setStory}
            error={errors.story}
            rows={4}
            maxLength={20000}
            required
          />
          <CheckboxGroup
            id="helpline-themes"
            legend={t('helpline.themes')}
            hint={taxonomy.loading ? t('app.loading') : t('helpline.themesHint')}
            options={taxonomy.themes.map((term) => ({ value: term.id, label: term.label }))}
            selected={themes}
            onChange={setThemes}
            error={errors.themes}
            className="columns"
          />
          <RadioGroup<Priority>
            id="helpline-priority"
            legend={t('helpline.priority')}
            hint={t('helpline.priorityHint')}
            options={(['acute', 'urgent'] as const).map((p) => ({ value: p, label: labels.urgency(p) }))}
            value={priority}
            onChange={setPriority}
            error={errors.priority}
            inline
            required
          />
        </section>

        <section className="card" aria-labelledby="helpline-offer-title">
          <h2 id="helpline-offer-title">{t('helpline.receiver')}</h2>
          <HelplineOfferChoice
            id="helpline-offer"
            value={offer}
            onChange={setOffer}
            themes={themes}
            error={errors.offer}
            ownOrganizationId={me.membership.organizationId}
          />
        </section>

        <section className="card" aria-labelledby="helpline-consent-title">
          <h2 id="helpline-consent-title">{t('helpline.consentLegend')}</h2>
          <div className={`field${errors.consent ? ' field-invalid' : ''}`}>
            <div className="checkbox">
              <input
                type="checkbox"
                id="helpline-consent"
                checked={consent}
                onChange={(e) => setConsent(e.target.checked)}
                required
                aria-required
                aria-invalid={errors.consent ? true : undefined}
                aria-describedby={['helpline-consent-shared', errors.consent ? 'helpline-consent-error' : '']
                  .filter(Boolean)
                  .join(' ')}
              />
              <label htmlFor="helpline-consent">{t('helpline.consentLabel', { organization: recipient })}</label>
              <span className="required-mark" aria-hidden="true">
                *
              </span>
            </div>
            <p className="hint" id="helpline-consent-shared">
              {t('helpline.consentShared')}
            </p>
            {errors.consent && (
              <p className="field-error" id="helpline-consent-error">
                {errors.consent}
              </p>
            )}
          </div>
          <TextAreaField
            id="helpline-message"
            label={t('helpline.message')}
            hint={t('helpline.messageHint')}
            value={message}
            onChange={setMessage}
            error={errors.message}
            rows={3}
            maxLength={5000}
          />
        </section>

        <div className="actions form-actions">
          <button type="submit" className="button primary" disabled={busy} aria-busy={busy}>
            {t('helpline.submit')}
          </button>
          <Link to="/referrals?box=outgoing" className="button secondary">
            {t('common.cancel')}
          </Link>
        </div>
        <p role="status" aria-live="polite" className="small muted" data-testid="helpline-progress">
          {progress
            ? t('helpline.progress', {
                step: STEPS.indexOf(progress) + 1,
                total: STEPS.length,
                name: t(`helpline.stepNames.${progress}`),
              })
            : ''}
        </p>
      </form>
    </>
  );
}
