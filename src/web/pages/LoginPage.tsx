import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ProblemError, setCsrfToken } from '../api';
import { useAuth } from '../auth';
import { ErrorAlert, useFocusOnError } from '../components/Alerts';
import { TextField } from '../components/Field';
import { useDocumentTitle } from '../hooks';

/**
 * Sign-in in two steps: e-mail + password, then (when the account has it) the 6-digit code.
 * A temporary password leads to the password-change screen, which App shows before anything else.
 */
export function LoginPage() {
  const { t } = useTranslation();
  const { status, refresh, sessionExpired } = useAuth();
  const [step, setStep] = useState<'credentials' | 'totp'>(status === 'pending-2fa' ? 'totp' : 'credentials');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLDivElement>(null);
  const { ref: formRef, failed } = useFocusOnError<HTMLElement>();

  useDocumentTitle(step === 'totp' ? t('login.totpTitle') : t('login.title'));

  useEffect(() => {
    if (status === 'pending-2fa') setStep('totp');
  }, [status]);

  useEffect(() => {
    if (step === 'totp') codeRef.current?.querySelector('input')?.focus();
  }, [step]);

  // Once signed in, App shows the address the user asked for ("/login" itself redirects to the start page).
  async function finish() {
    await refresh();
  }

  async function submitCredentials(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const errs: Record<string, string> = {};
    if (!email.trim()) errs.email = t('errors.fieldRequired');
    if (!password) errs.password = t('errors.fieldRequired');
    setFieldErrors(errs);
    if (Object.keys(errs).length > 0) {
      failed();
      return;
    }
    setBusy(true);
    try {
      const result = await api.login(email.trim(), password);
      setCsrfToken(result.csrfToken);
      setPassword('');
      if (result.twoFactorRequired) setStep('totp');
      else await finish();
    } catch (err) {
      setError(err);
      setFieldErrors(err instanceof ProblemError ? err.byField() : {});
      failed();
    } finally {
      setBusy(false);
    }
  }

  async function submitCode(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const digits = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(digits)) {
      setFieldErrors({ code: t('login.totpIntro') });
      failed();
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      const result = await api.loginTotp(digits);
      setCsrfToken(result.csrfToken);
      await finish();
    } catch (err) {
      setError(err);
      // the one field is emptied for the next code and the alert is read out; the focus stays where it was
      setCode('');
    } finally {
      setBusy(false);
    }
  }

  if (step === 'totp') {
    return (
      <section className="card login-card" ref={formRef}>
        <h1 id="login-title">{t('login.totpTitle')}</h1>
        <p>{t('login.totpIntro')}</p>
        <ErrorAlert error={error} />
        <form onSubmit={submitCode} noValidate>
          <div ref={codeRef}>
            <TextField
              id="totp-code"
              label={t('login.totpCode')}
              value={code}
              onChange={setCode}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              pattern="[0-9 ]*"
              error={fieldErrors.code}
              required
            />
          </div>
          <div className="actions">
            <button type="submit" className="button primary" disabled={busy}>
              {t('login.totpSubmit')}
            </button>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                void api.logout().catch(() => undefined);
                setCsrfToken(null);
                setStep('credentials');
                setCode('');
                setError(null);
              }}
            >
              {t('login.restart')}
            </button>
          </div>
        </form>
      </section>
    );
  }

  return (
    <section className="card login-card" ref={formRef}>
      <h1 id="login-title">{t('login.title')}</h1>
      <p>{t('login.intro')}</p>
      {sessionExpired && !error && <p className="alert alert-info">{t('errors.sessionExpired')}</p>}
      <ErrorAlert error={error} />
      <form onSubmit={submitCredentials} noValidate>
        <TextField
          id="login-email"
          label={t('login.email')}
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="username"
          error={fieldErrors.email}
          required
          spellCheck={false}
        />
        <TextField
          id="login-password"
          label={t('login.password')}
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          error={fieldErrors.password}
          required
        />
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy} aria-busy={busy}>
            {t('login.submit')}
          </button>
        </div>
      </form>
      <p className="login-public">
        <Link to="/wachtwoord-vergeten" state={{ email: email.trim() }}>
          {t('login.forgotPassword')}
        </Link>
      </p>
      <p className="login-public">
        <Link to="/aanbod">{t('login.publicCatalogue')}</Link>
      </p>
    </section>
  );
}
