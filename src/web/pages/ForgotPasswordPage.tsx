import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { api, ProblemError } from '../api';
import { ErrorAlert } from '../components/Alerts';
import { TextField } from '../components/Field';
import { useDocumentTitle } from '../hooks';

/**
 * "Wachtwoord vergeten": asks for a reset link. The server answers the same for every address, so the page
 * says the same too: a link comes if there is an active account.
 */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const location = useLocation();
  // the login page hands over what was typed there
  const given = (location.state as { email?: unknown } | null)?.email;
  const [email, setEmail] = useState(typeof given === 'string' ? given : '');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const doneRef = useRef<HTMLDivElement>(null);

  useDocumentTitle(t('passwordReset.forgotTitle'));

  useEffect(() => {
    if (sentTo) doneRef.current?.focus();
  }, [sentTo]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const address = email.trim();
    if (!address) {
      setFieldError(t('errors.fieldRequired'));
      requestAnimationFrame(() => document.getElementById('forgot-email')?.focus());
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    try {
      await api.requestPasswordReset(address);
      setSentTo(address);
    } catch (err) {
      setError(err);
      const byField = err instanceof ProblemError ? err.byField() : {};
      if (byField.email) {
        setFieldError(byField.email);
        requestAnimationFrame(() => document.getElementById('forgot-email')?.focus());
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card login-card">
      <h1>{t('passwordReset.forgotTitle')}</h1>
      {sentTo ? (
        <div ref={doneRef} tabIndex={-1} role="status" className="alert alert-success">
          {t('passwordReset.sent', { email: sentTo })}
        </div>
      ) : (
        <>
          <p>{t('passwordReset.forgotIntro')}</p>
          <ErrorAlert error={error} />
          <form onSubmit={submit} noValidate>
            <TextField
              id="forgot-email"
              label={t('passwordReset.email')}
              type="email"
              value={email}
              onChange={setEmail}
              autoComplete="username"
              error={fieldError}
              required
              spellCheck={false}
            />
            <div className="actions">
              <button type="submit" className="button primary" disabled={busy} aria-busy={busy}>
                {t('passwordReset.send')}
              </button>
            </div>
          </form>
        </>
      )}
      <p className="login-public">
        <Link to="/login">{t('passwordReset.backToLogin')}</Link>
      </p>
    </section>
  );
}
