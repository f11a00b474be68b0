import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth';
import { PasswordForm } from '../components/PasswordForm';
import { useDocumentTitle } from '../hooks';

/** Shown instead of the app while the account still has a temporary password. */
export function ForcedPasswordPage() {
  const { t } = useTranslation();
  const { refresh, logout } = useAuth();
  useDocumentTitle(t('password.forcedTitle'));
  return (
    <section className="card login-card">
      <h1 id="forced-title">{t('password.forcedTitle')}</h1>
      <p>{t('password.forcedIntro')}</p>
      <PasswordForm idPrefix="forced" onChanged={async () => void (await refresh())} />
      <p>
        <button type="button" className="link-button" onClick={() => void logout()}>
          {t('shell.logout')}
        </button>
      </p>
    </section>
  );
}
