import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, ProblemError, type Client } from '../api';
import { useAuth } from '../auth';
import { ErrorAlert, StatusMessage, useFocusAfterRender, useFocusOnError } from '../components/Alerts';
import { ClientForm } from '../components/ClientForm';
import { ClientPicker, clientLabel } from '../components/ClientPicker';
import {
  emptyHelpRequest,
  helpRequestFieldLabels,
  HelpRequestFields,
  toHelpRequestInput,
  validateHelpRequest,
  type HelpRequestErrors,
  type HelpRequestValues,
} from '../components/HelpRequestFields';
import { RadioGroup } from '../components/RadioGroup';
import { useDocumentTitle } from '../hooks';

type PersonMode = 'existing' | 'new' | 'anonymous';

/**
 * The start of an intake in one screen: (1) who asks for help — an existing client, a new one, or nobody
 * on file — and (2) the help request itself. Registering it opens the help request for screening and the rest.
 * `?client=<id>` starts with that client chosen (from the client's file).
 */
export function IntakeNewPage() {
  const focusAfterRender = useFocusAfterRender();
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  useDocumentTitle(t('intake.newTitle'));

  const [mode, setMode] = useState<PersonMode>('existing');
  const [client, setClient] = useState<Client | null>(null);
  const [personError, setPersonError] = useState<string | undefined>(undefined);
  const [personFlash, setPersonFlash] = useState<string | null>(null);
  const [values, setValues] = useState<HelpRequestValues>(emptyHelpRequest);
  const [errors, setErrors] = useState<HelpRequestErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { ref: formRef, failed } = useFocusOnError();
  const requestRef = useRef<HTMLHeadingElement>(null);

  // a client named in the address is chosen from the start
  const preset = params.get('client');
  const stepLevel = params.get('level');
  const stepSuffix = stepLevel
    ? `?level=${encodeURIComponent(stepLevel)}&step=${params.get('step') === 'down' ? 'down' : 'up'}`
    : '';
  useEffect(() => {
    if (!preset) return;
    let current = true;
    api.client(preset).then(
      (c) => {
        if (!current) return;
        setClient(c);
        setMode('existing');
      },
      (err: unknown) => current && setError(err),
    );
    return () => {
      current = false;
    };
  }, [preset]);

  function set<K extends keyof HelpRequestValues>(key: K, value: HelpRequestValues[K]) {
    setValues((v) => ({ ...v, [key]: value }));
  }

  function chooseMode(next: PersonMode) {
    setMode(next);
    setPersonError(undefined);
    setPersonFlash(null);
    if (next !== 'existing') setClient(null);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const errs = validateHelpRequest(values, t);
    const missingPerson = mode !== 'anonymous' && !client;
    setPersonError(missingPerson ? t('intake.personRequired') : undefined);
    setErrors(errs);
    if (Object.keys(errs).length > 0 || missingPerson) {
      setError(t('errors.fixFields'));
      failed();
      return;
    }
    setBusy(true);
    api
      .createHelpRequest({
        clientId: mode === 'anonymous' ? null : (client?.id ?? null),
        ...toHelpRequestInput(values),
      })
      .then(
        // a care plan's step (…&level=…&step=…) travels on to the new request's indication
        (created) => navigate(`/help-requests/${created.id}${stepSuffix}`, { state: { flash: 'created' } }),
        (err: unknown) => {
          setError(err);
          if (err instanceof ProblemError) {
            const byField = err.byField();
            setErrors(byField);
            if (byField.clientId) setPersonError(byField.clientId);
          }
          failed();
          setBusy(false);
        },
      );
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/intake">{t('intake.nav')}</Link>
      </p>
      <h1>{t('intake.newTitle')}</h1>
      <p className="lead">{t('intake.newIntro')}</p>

      <section className="card" aria-labelledby="intake-person-title">
        <h2 id="intake-person-title">{t('intake.stepPerson')}</h2>
        <RadioGroup<PersonMode>
          id="intake-person-mode"
          legend={t('intake.person')}
          options={[
            { value: 'existing', label: t('intake.personExisting') },
            ...(can('client:create') ? [{ value: 'new' as const, label: t('intake.personNew') }] : []),
            { value: 'anonymous', label: t('intake.personAnonymous'), hint: t('intake.personAnonymousHint') },
          ]}
          value={mode}
          onChange={chooseMode}
          error={personError}
          inline
        />
        <StatusMessage message={personFlash} />
        {mode === 'existing' && (
          <>
            {client && (
              <p className="chosen" data-testid="chosen-client">
                {t('intake.chosenClient')} <strong>{clientLabel(client)}</strong> ·{' '}
                <Link to={`/clients/${client.id}`}>{t('intake.openFile')}</Link>
              </p>
            )}
            <ClientPicker
              id="intake-client"
              selected={client}
              onSelect={(c) => {
                setClient(c);
                setPersonError(undefined);
              }}
            />
          </>
        )}
        {mode === 'new' && (
          <div className="subform">
            <h3>{t('clients.newTitle')}</h3>
            <ClientForm
              onSaved={(created) => {
                setClient(created);
                setMode('existing');
                setPersonError(undefined);
                setPersonFlash(t('intake.clientCreated', { name: created.displayName }));
                focusAfterRender(requestRef);
              }}
            />
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="intake-request-title">
        <h2 id="intake-request-title" ref={requestRef} tabIndex={-1}>
          {t('intake.stepRequest')}
        </h2>
        <form onSubmit={submit} noValidate ref={formRef}>
          <ErrorAlert error={error} fieldLabels={helpRequestFieldLabels(t)} />
          <HelpRequestFields
            prefix="hr-new"
            values={values}
            set={set}
            errors={errors}
            fromClient={mode === 'existing' && !!client}
          />
          <div className="actions form-actions">
            <button type="submit" className="button primary" disabled={busy}>
              {t('intake.register')}
            </button>
            <Link to="/intake" className="button secondary">
              {t('common.cancel')}
            </Link>
          </div>
        </form>
      </section>
    </>
  );
}
