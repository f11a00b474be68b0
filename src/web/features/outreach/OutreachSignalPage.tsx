import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import {
  api,
  OUTREACH_AGREEMENT_METHODS,
  OUTREACH_KINDS,
  OUTREACH_MOMENTS,
  type OutreachSignalCreate,
} from '../../api';
import { ErrorAlert } from '../../components/Alerts';
import { DateField, useDateError } from '../../components/DateField';
import { Field, TextAreaField, TextField } from '../../components/Field';
import { MunicipalityCombobox } from '../../components/MunicipalityCombobox';
import { RadioGroup } from '../../components/RadioGroup';
import { isoDate } from '../../dates';
import { useDocumentTitle, useSubmit } from '../../hooks';

type Kind = (typeof OUTREACH_KINDS)[number];
type Method = (typeof OUTREACH_AGREEMENT_METHODS)[number];
const LANGUAGES = ['nl', 'fr', 'en', 'ar', 'tr'] as const;

/**
 * The short signal form a funeral director's or care home's employee fills in in under a minute: kind, name,
 * phone, (for a bereaved relative) relation and date of death, and how the agreement was given. Keyboard only,
 * one column on a phone. The network decides who receives it.
 */
export function OutreachSignalPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const dateError = useDateError();
  const [kind, setKind] = useState<Kind>('bereaved');
  const [collective, setCollective] = useState(false);
  const [contactName, setContactName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [municipality, setMunicipality] = useState('');
  const [relation, setRelation] = useState('');
  const [dateOfDeath, setDateOfDeath] = useState('');
  const [moment, setMoment] = useState('');
  const [language, setLanguage] = useState('nl');
  const [note, setNote] = useState('');
  const [method, setMethod] = useState<Method | ''>('');
  const { error, errors, setErrors, busy, run, formRef, failed } = useSubmit();
  useDocumentTitle(t('outreach.signalTitle'));
  const bereaved = kind === 'bereaved';

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const deathError = bereaved && dateOfDeath ? dateError(dateOfDeath) : undefined;
    if (deathError) {
      setErrors({ dateOfDeath: deathError });
      failed();
      return;
    }
    const body = {
      kind,
      ...(collective
        ? { collective: true }
        : {
            contactName: contactName.trim() || null,
            phone: phone.trim() || null,
            email: email.trim() || null,
            preferredLanguage: language || null,
            preferredMoment: (moment || null) as OutreachSignalCreate['preferredMoment'],
          }),
      municipalityNis: municipality || null,
      ...(bereaved
        ? { relation: relation.trim() || null, dateOfDeath: dateOfDeath ? (isoDate(dateOfDeath) ?? dateOfDeath) : null }
        : {}),
      note: note.trim() || null,
      agreementMethod: method,
    } as OutreachSignalCreate;
    void run(async () => {
      await api.createOutreachSignal(body);
      void navigate('/outreach/sent', { state: { flash: 'sent' } });
    });
  }

  return (
    <>
      <h1>{t('outreach.signalTitle')}</h1>
      <p className="lead">{t('outreach.signalIntro')}</p>
      <form className="card outreach-form" noValidate onSubmit={submit} ref={formRef} data-testid="outreach-signal">
        <ErrorAlert error={error} />
        <RadioGroup
          id="outreach-kind"
          legend={t('outreach.kind')}
          options={OUTREACH_KINDS.map((k) => ({ value: k, label: t(`outreach.kinds.${k}`) }))}
          value={kind}
          onChange={setKind}
          error={errors.kind}
          required
          inline
        />
        <div className="field">
          <label>
            <input type="checkbox" checked={collective} onChange={(e) => setCollective(e.target.checked)} />{' '}
            {t('outreach.collective')}
          </label>
        </div>
        {!collective && (
          <>
            <TextField
              id="contactName"
              label={t('outreach.contactName')}
              value={contactName}
              onChange={setContactName}
              error={errors.contactName}
              autoComplete="off"
              required
            />
            <TextField
              id="phone"
              label={t('outreach.phone')}
              hint={t('outreach.phoneHint')}
              type="tel"
              inputMode="tel"
              value={phone}
              onChange={setPhone}
              error={errors.phone}
              autoComplete="off"
            />
            <TextField
              id="email"
              label={t('outreach.email')}
              type="email"
              value={email}
              onChange={setEmail}
              error={errors.email}
              autoComplete="off"
            />
          </>
        )}
        {bereaved && (
          <>
            {!collective && (
              <TextField
                id="relation"
                label={t('outreach.relation')}
                hint={t('outreach.relationHint')}
                value={relation}
                onChange={setRelation}
                error={errors.relation}
              />
            )}
            <DateField
              id="dateOfDeath"
              label={t('outreach.dateOfDeath')}
              value={dateOfDeath}
              onChange={setDateOfDeath}
              error={errors.dateOfDeath}
            />
          </>
        )}
        <Field id="municipalityNis" label={t('outreach.municipality')} error={errors.municipalityNis}>
          {(control) => (
            <MunicipalityCombobox
              control={control}
              listLabel={t('outreach.municipalityList')}
              value={municipality}
              onChoose={setMunicipality}
            />
          )}
        </Field>
        {!collective && (
          <div className="field-row">
            <Field id="preferredMoment" label={t('outreach.preferredMoment')} error={errors.preferredMoment}>
              {(control) => (
                <select {...control} value={moment} onChange={(e) => setMoment(e.target.value)}>
                  <option value="">—</option>
                  {OUTREACH_MOMENTS.map((m) => (
                    <option key={m} value={m}>
                      {t(`outreach.moments.${m}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="preferredLanguage" label={t('outreach.preferredLanguage')} error={errors.preferredLanguage}>
              {(control) => (
                <select {...control} value={language} onChange={(e) => setLanguage(e.target.value)}>
                  {LANGUAGES.map((l) => (
                    <option key={l} value={l}>
                      {t(`outreach.languages.${l}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        )}
        <TextAreaField
          id="note"
          label={t('outreach.note')}
          value={note}
          onChange={setNote}
          error={errors.note}
          rows={2}
        />
        <RadioGroup
          id="agreementMethod"
          legend={t('outreach.agreement')}
          options={OUTREACH_AGREEMENT_METHODS.map((m) => ({ value: m, label: t(`outreach.agreementMethods.${m}`) }))}
          value={method}
          onChange={setMethod}
          error={errors.agreementMethod}
          required
          inline
        />
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {t('outreach.send')}
          </button>
          <Link to="/outreach/sent">{t('outreach.sentTitle')}</Link>
        </div>
      </form>
    </>
  );
}
