import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { api, fieldKey, ProblemError } from '../api';
import { ErrorAlert, useFocusAfterRender } from '../components/Alerts';
import { NewPasswordFields, newPasswordErrors } from '../components/PasswordForm';
import { useDocumentTitle } from '../hooks';

type Errors = { newPassword?: string; repeat?: string; token?: string };
/** The inputs in the order they appear: focus goes to the first one with an error. */
const FIELD_IDS: [keyof Errors, string][] = [
  ['newPassword', 'reset-new'],
  ['repeat', 'reset-repeat'],
  ['token', 'reset-request-new'],
];

/**
 * Choosing a new password with the link from the e-mail (/wachtwoord-herstellen?token=…). The token is taken
 * out of the address at once, so that it stays out of the history and of what is shared from this page.
 */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const [token] = useState(() => new URLSearchParams(location.search).get('token') ?? '');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const doneRef = useRef<HTMLDivElement>(null);

  useDocumentTitle(t('passwordReset.resetTitle'));

  useEffect(() => {
    if (location.search) void navigate(location.pathname, { replace: true });
  }, [location.pathname, location.search, navigate]);

  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  // after React has committed the errors: the link for a new one only exists then
  const focusAfterRender = useFocusAfterRender();

  function focusFirstError(errs: Errors) {
    const first = FIELD_IDS.find(([name]) => errs[name]);
    if (first) focusAfterRender(first[1]);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const errs: Errors = newPasswordErrors(next, repeat, t);
    setErrors(errs);
    if (Object.keys(errs).length > 0) {
      setError(t('errors.fixFields'));
      focusFirstError(errs);
      return;
    }
    setBusy(true);
    try {
      await api.resetPasswordWithLink(token, next);
      setNext('');
      setRepeat('');
      setDone(true);
    } catch (err) {
      setError(err);
      if (err instanceof ProblemError) {
        const byField: Errors = {};
        for (const f of err.fieldErrors) {
          const name = fieldKey(f.field);
          if ((name === 'newPassword' || name === 'token') && byField[name] === undefined) byField[name] = f.message;
        }
        setErrors(byField);
        focusFirstError(byField);
      }
    } finally {
      setBusy(false);
    }
  }

  const requestNew = (
    <p className="login-public">
      <Link id="reset-request-new" to="/wachtwoord-vergeten">
        {t('passwordReset.requestNew')}
      </Link>
    </p>
  );

  if (done) {
    return (
      <section className="card login-card">
        <h1>{t('passwordReset.resetTitle')}</h1>
        <div ref={doneRef} tabIndex={-1} role="status" className="alert alert-success">
          {t('passwordReset.done')}
        </div>
        <p className="login-public">
          <Link to="/login">{t('passwordReset.signIn')}</Link>
        </p>
      </section>
    );
  }

  if (!token) {
    return (
      <section className="card login-card">
        <h1>{t('passwordReset.resetTitle')}</h1>
        <p>{t('passwordReset.noToken')}</p>
        {requestNew}
      </section>
    );
  }

  return (
    <section className="card login-card">
      <h1>{t('passwordReset.resetTitle')}</h1>
      <p>{t('passwordReset.resetIntro')}</p>
      <ErrorAlert error={error} />
      <form onSubmit={submit} noValidate>
        <NewPasswordFields
          idPrefix="reset"
          next={next}
          onNext={setNext}
          repeat={repeat}
          onRepeat={setRepeat}
          errors={errors}
        />
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy} aria-busy={busy}>
            {t('passwordReset.submit')}
          </button>
        </div>
      </form>
      {errors.token && requestNew}
    </section>
  );
}
