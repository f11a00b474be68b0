import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  api,
  IDENTITY_KINDS,
  isOneOf,
  ProblemError,
  type Client,
  type ClientInput,
  type DuplicateCandidate,
  type IdentityKind,
} from '../api';
import { dateText, isoDate } from '../dates';
import { todayIso } from '../intake';
import { formatBirth, formatPhone, isValidInsz, languageName } from '../format';
import { ErrorAlert, useFocusAfterRender, useFocusOnError } from './Alerts';
import { DateField, useDateError } from './DateField';
import { Field, TextField } from './Field';
import { MunicipalityField } from './MunicipalityCombobox';
import { OFFER_LANGUAGE_CODES } from '../catalogue';

interface Values {
  identityKind: IdentityKind;
  givenName: string;
  familyName: string;
  pseudonym: string;
  birthYearOnly: boolean;
  birthDate: string;
  birthYear: string;
  municipality: string;
  phone: string;
  email: string;
  preferredLanguage: string;
  insz: string;
}

type Errors = Partial<Record<keyof ClientInput, string>>;

/** Languages offered first (the same list as an offer's): the browser names them. */
const LANGUAGE_CODES = OFFER_LANGUAGE_CODES;

function fromClient(client: Client | undefined): Values {
  return {
    identityKind: client && isOneOf(IDENTITY_KINDS, client.identityKind) ? client.identityKind : 'named',
    givenName: client?.givenName ?? '',
    familyName: client?.familyName ?? '',
    pseudonym: client?.pseudonym ?? '',
    birthYearOnly: !!client && !client.birthDate && client.birthYear !== null,
    birthDate: dateText(client?.birthDate),
    birthYear: client?.birthYear ? String(client.birthYear) : '',
    municipality: client?.municipality ?? '',
    phone: formatPhone(client?.phone),
    email: client?.email ?? '',
    preferredLanguage: client?.preferredLanguage ?? '',
    insz: client?.insz ?? '',
  };
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

function toInput(v: Values): ClientInput {
  const named = v.identityKind === 'named';
  return {
    identityKind: v.identityKind,
    givenName: named ? orNull(v.givenName) : null,
    familyName: named ? orNull(v.familyName) : null,
    pseudonym: v.identityKind === 'pseudonym' ? orNull(v.pseudonym) : null,
    birthDate: v.birthYearOnly ? null : isoDate(v.birthDate),
    birthYear: v.birthYearOnly && v.birthYear.trim() ? Number(v.birthYear) : null,
    municipality: orNull(v.municipality),
    phone: orNull(v.phone),
    email: orNull(v.email),
    preferredLanguage: orNull(v.preferredLanguage),
    insz: named ? orNull(v.insz.replace(/\D/g, '')) : null,
  };
}

interface Props {
  /** Absent: a new client (with the duplicate check). Present: edit that client. */
  client?: Client;
  onSaved: (client: Client) => void;
  onCancel?: () => void;
}

export function ClientForm({ client, onSaved, onCancel }: Props) {
  const focusAfterRender = useFocusAfterRender();
  const { t, i18n } = useTranslation();
  const [values, setValues] = useState<Values>(() => fromClient(client));
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [duplicates, setDuplicates] = useState<DuplicateCandidate[] | null>(null);
  const [busy, setBusy] = useState(false);
  const { ref: formRef, failed } = useFocusOnError();
  const duplicatesRef = useRef<HTMLDivElement>(null);
  const prefix = client ? 'client-edit' : 'client-new';
  const thisYear = new Date().getFullYear();
  const dateError = useDateError();

  const languages = useMemo(() => {
    const codes = [...LANGUAGE_CODES];
    if (values.preferredLanguage && !codes.includes(values.preferredLanguage)) codes.push(values.preferredLanguage);
    const first = codes.slice(0, 4);
    const rest = codes
      .slice(4)
      .map((code) => ({ code, name: languageName(code, i18n.language) }))
      .sort((a, b) => a.name.localeCompare(b.name, i18n.language));
    return [...first.map((code) => ({ code, name: languageName(code, i18n.language) })), ...rest];
  }, [i18n.language, values.preferredLanguage]);

  function set<K extends keyof Values>(key: K, value: Values[K]) {
    setValues((v) => ({ ...v, [key]: value }));
    setDuplicates(null);
  }

  function validate(v: Values): Errors {
    const errs: Errors = {};
    if (v.identityKind === 'named') {
      if (!v.givenName.trim()) errs.givenName = t('errors.fieldRequired');
      if (!v.familyName.trim()) errs.familyName = t('errors.fieldRequired');
    }
    if (v.identityKind === 'pseudonym' && !v.pseudonym.trim()) errs.pseudonym = t('clients.pseudonymRequired');
    if (!v.birthYearOnly) {
      const birthDateError = dateError(v.birthDate, { min: '1900-01-01', max: todayIso() });
      if (birthDateError) errs.birthDate = birthDateError;
    }
    if (v.birthYearOnly && v.birthYear.trim()) {
      const year = Number(v.birthYear);
      if (!Number.isInteger(year) || year < 1900 || year > thisYear) errs.birthYear = t('clients.birthYearInvalid');
    }
    if (v.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email.trim())) errs.email = t('clients.emailInvalid');
    const insz = v.insz.replace(/\D/g, '');
    if (v.identityKind === 'named' && v.insz.trim()) {
      if (insz.length !== 11) errs.insz = t('clients.inszLength');
      else if (!isValidInsz(insz)) errs.insz = t('clients.inszInvalid');
    }
    return errs;
  }

  async function save(skipDuplicateCheck: boolean) {
    setError(null);
    const errs = validate(values);
    setErrors(errs);
    if (Object.keys(errs).length > 0) {
      setError(t('errors.fixFields'));
      failed();
      return;
    }
    const input = toInput(values);
    setBusy(true);
    try {
      if (!client && !skipDuplicateCheck) {
        const probe: { givenName?: string; familyName?: string; birthDate?: string; insz?: string } = {};
        if (input.givenName) probe.givenName = input.givenName;
        if (input.familyName) probe.familyName = input.familyName;
        if (input.birthDate) probe.birthDate = input.birthDate;
        if (input.insz) probe.insz = input.insz;
        if (Object.keys(probe).length > 0) {
          const found = await api.duplicateCheck(probe);
          if (found.items.length > 0) {
            setDuplicates(found.items);
            focusAfterRender(duplicatesRef);
            return;
          }
        }
      }
      const saved = client ? await api.updateClient(client.id, input) : await api.createClient(input);
      setDuplicates(null);
      onSaved(saved);
    } catch (err) {
      setError(err);
      if (err instanceof ProblemError) setErrors(err.byField());
      failed();
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void save(false);
  }

  const kind = values.identityKind;
  const fieldLabels: Record<string, string> = {
    identityKind: t('clients.identityKind'),
    givenName: t('clients.givenName'),
    familyName: t('clients.familyName'),
    pseudonym: t('clients.pseudonym'),
    birthDate: t('clients.birthDate'),
    birthYear: t('clients.birthYear'),
    municipality: t('clients.municipality'),
    phone: t('clients.phone'),
    email: t('clients.email'),
    preferredLanguage: t('clients.preferredLanguage'),
    insz: t('clients.insz'),
  };

  return (
    <form onSubmit={submit} noValidate className="client-form" ref={formRef}>
      <ErrorAlert error={error} fieldLabels={fieldLabels} />

      <fieldset className="field">
        <legend>{t('clients.identityKind')}</legend>
        <div className="radio-row">
          {IDENTITY_KINDS.map((k) => (
            <div key={k} className="radio">
              <input
                type="radio"
                id={`${prefix}-kind-${k}`}
                name={`${prefix}-kind`}
                value={k}
                checked={kind === k}
                onChange={() => set('identityKind', k)}
                aria-describedby={`${prefix}-kind-${k}-hint`}
              />
              <label htmlFor={`${prefix}-kind-${k}`}>{t(`clients.kinds.${k}`)}</label>
              <span className="visually-hidden" id={`${prefix}-kind-${k}-hint`}>
                {t(`clients.kindHints.${k}`)}
              </span>
            </div>
          ))}
        </div>
        <p className="hint">{t(`clients.kindHints.${kind}`)}</p>
        {errors.identityKind && <p className="field-error">{errors.identityKind}</p>}
      </fieldset>

      {kind === 'named' && (
        <div className="grid-2">
          <TextField
            id={`${prefix}-given`}
            label={t('clients.givenName')}
            value={values.givenName}
            onChange={(v) => set('givenName', v)}
            error={errors.givenName}
            autoComplete="off"
            required
          />
          <TextField
            id={`${prefix}-family`}
            label={t('clients.familyName')}
            value={values.familyName}
            onChange={(v) => set('familyName', v)}
            error={errors.familyName}
            autoComplete="off"
            required
          />
        </div>
      )}
      {kind === 'pseudonym' && (
        <TextField
          id={`${prefix}-pseudonym`}
          label={t('clients.pseudonym')}
          value={values.pseudonym}
          onChange={(v) => set('pseudonym', v)}
          error={errors.pseudonym}
          autoComplete="off"
          required
        />
      )}

      <fieldset className="field">
        <legend>{t('clients.birth')}</legend>
        <div className="checkbox">
          <input
            type="checkbox"
            id={`${prefix}-year-only`}
            checked={values.birthYearOnly}
            onChange={(e) => set('birthYearOnly', e.target.checked)}
          />
          <label htmlFor={`${prefix}-year-only`}>{t('clients.birthYearOnly')}</label>
        </div>
        {values.birthYearOnly ? (
          <TextField
            id={`${prefix}-birth-year`}
            label={t('clients.birthYear')}
            type="number"
            inputMode="numeric"
            min={1900}
            max={thisYear}
            value={values.birthYear}
            onChange={(v) => set('birthYear', v)}
            error={errors.birthYear}
            className="narrow"
          />
        ) : (
          <DateField
            id={`${prefix}-birth-date`}
            label={t('clients.birthDate')}
            min="1900-01-01"
            max={todayIso()}
            value={values.birthDate}
            onChange={(v) => set('birthDate', v)}
            error={errors.birthDate}
          />
        )}
      </fieldset>

      <div className="grid-2">
        <MunicipalityField
          id={`${prefix}-municipality`}
          label={t('clients.municipality')}
          value={values.municipality}
          onChange={(v) => set('municipality', v)}
          error={errors.municipality}
        />
        <Field id={`${prefix}-language`} label={t('clients.preferredLanguage')} error={errors.preferredLanguage}>
          {(control) => (
            <select
              {...control}
              value={values.preferredLanguage}
              onChange={(e) => set('preferredLanguage', e.target.value)}
            >
              <option value="">{t('clients.languageNone')}</option>
              {languages.map((l) => (
                <option key={l.code} value={l.code}>
                  {l.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField
          id={`${prefix}-phone`}
          label={t('clients.phone')}
          type="tel"
          inputMode="tel"
          hint={t('clients.phoneHint')}
          value={values.phone}
          onChange={(v) => set('phone', v)}
          error={errors.phone}
          autoComplete="off"
        />
        <TextField
          id={`${prefix}-email`}
          label={t('clients.email')}
          type="email"
          value={values.email}
          onChange={(v) => set('email', v)}
          error={errors.email}
          autoComplete="off"
          spellCheck={false}
        />
      </div>

      {kind === 'named' && (
        <TextField
          id={`${prefix}-insz`}
          label={t('clients.insz')}
          inputMode="numeric"
          hint={t('clients.inszHint')}
          value={values.insz}
          onChange={(v) => set('insz', v)}
          error={errors.insz}
          autoComplete="off"
          maxLength={15}
          className="narrow"
        />
      )}

      {duplicates && duplicates.length > 0 && (
        <div
          className="alert alert-warning"
          role="alert"
          tabIndex={-1}
          ref={duplicatesRef}
          aria-labelledby={`${prefix}-dup-title`}
        >
          <h2 id={`${prefix}-dup-title`} className="h3">
            {t('clients.duplicatesTitle')}
          </h2>
          <p>{t('clients.duplicatesIntro')}</p>
          <ul data-testid="duplicate-list">
            {duplicates.map((d) => (
              <li key={d.id}>
                <Link to={`/clients/${d.id}`}>{d.displayName}</Link>
                {formatBirth(d.birthDate, d.birthYear) && <> · {formatBirth(d.birthDate, d.birthYear)}</>}
              </li>
            ))}
          </ul>
          <div className="actions">
            <button type="button" className="button primary" disabled={busy} onClick={() => void save(true)}>
              {t('clients.createAnyway')}
            </button>
            <button type="button" className="button secondary" onClick={() => setDuplicates(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}

      <div className="actions">
        <button type="submit" className="button primary" disabled={busy || (duplicates?.length ?? 0) > 0}>
          {t('common.save')}
        </button>
        {onCancel && (
          <button type="button" className="button secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
