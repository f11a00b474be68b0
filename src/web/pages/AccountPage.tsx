import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError, type TotpSetup } from '../api';
import { useAuth, useMe } from '../auth';
import { ErrorAlert, StatusMessage, useFocusOnError } from '../components/Alerts';
import { TextField } from '../components/Field';
import { PasswordForm } from '../components/PasswordForm';
import { useMembershipLabel } from '../components/membershipLabel';
import { useDocumentTitle } from '../hooks';

export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  const label = useMembershipLabel();
  useDocumentTitle(t('account.title'));
  return (
    <>
      <h1>{t('account.title')}</h1>
      <section className="card">
        <h2 id="profile-title">{t('account.profile')}</h2>
        <dl className="details">
          <dt>{t('account.displayName')}</dt>
          <dd>{me.user.displayName}</dd>
          <dt>{t('account.email')}</dt>
          <dd>{me.user.email}</dd>
          <dt>{t('shell.membership')}</dt>
          <dd>
            <ul className="plain">
              {me.memberships.map((m) => (
                <li key={m.id}>{label(m)}</li>
              ))}
            </ul>
          </dd>
        </dl>
      </section>
      <section className="card">
        <h2 id="password-title">{t('password.title')}</h2>
        <PasswordForm idPrefix="account-pw" />
      </section>
      <TwoFactorSection />
    </>
  );
}

function TwoFactorSection() {
  const { t } = useTranslation();
  const me = useMe();
  const { refresh } = useAuth();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { ref: formRef, failed } = useFocusOnError<HTMLElement>();

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setDone(null);
    setFieldError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err);
      if (err instanceof ProblemError) setFieldError(Object.values(err.byField())[0]);
      failed();
    } finally {
      setBusy(false);
    }
  }

  const start = () =>
    run(async () => {
      setSetup(await api.totpSetup());
      setCode('');
    });

  const enable = (e: FormEvent) => {
    e.preventDefault();
    const digits = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(digits)) {
      setFieldError(t('login.totpIntro'));
      failed();
      return;
    }
    void run(async () => {
      await api.totpEnable(digits);
      setSetup(null);
      setCode('');
      await refresh();
      setDone(t('account.totpEnabled'));
    });
  };

  const disable = (e: FormEvent) => {
    e.preventDefault();
    if (!password) {
      setFieldError(t('errors.fieldRequired'));
      failed();
      return;
    }
    void run(async () => {
      await api.totpDisable(password);
      setPassword('');
      await refresh();
      setDone(t('account.totpDisabled'));
    });
  };

  return (
    <section className="card" ref={formRef}>
      <h2 id="totp-title">{t('account.totpTitle')}</h2>
      <ErrorAlert error={error} />
      <StatusMessage message={done} />
      {me.user.totpEnabled ? (
        <>
          <p>
            <span className="badge badge-ok">{t('common.active')}</span> {t('account.totpOn')}
          </p>
          <form onSubmit={disable} noValidate>
            <p>{t('account.totpDisableIntro')}</p>
            <TextField
              id="totp-disable-password"
              label={t('account.totpDisablePassword')}
              type="password"
              value={password}
              onChange={setPassword}
              autoComplete="current-password"
              error={fieldError}
              required
            />
            <div className="actions">
              <button type="submit" className="button danger" disabled={busy}>
                {t('account.totpDisable')}
              </button>
            </div>
          </form>
        </>
      ) : setup ? (
        <form onSubmit={enable} noValidate>
          <p>{t('account.totpScan')}</p>
          <img className="qr" src={setup.qrDataUrl} alt={t('account.totpQrAlt')} width={200} height={200} />
          <p>
            {t('account.totpManual')}{' '}
            <code className="secret-value" data-testid="totp-secret">
              {setup.secret}
            </code>
          </p>
          <TextField
            id="totp-enable-code"
            label={t('account.totpCode')}
            value={code}
            onChange={setCode}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            error={fieldError}
            required
          />
          <div className="actions">
            <button type="submit" className="button primary" disabled={busy}>
              {t('account.totpConfirm')}
            </button>
            <button type="button" className="button secondary" onClick={() => setSetup(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <p>{t('account.totpOff')}</p>
          <div className="actions">
            <button type="button" className="button primary" disabled={busy} onClick={() => void start()}>
              {t('account.totpStart')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
