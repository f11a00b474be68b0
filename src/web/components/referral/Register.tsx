import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type Client, type Referral } from '../../api';
import { useAuth } from '../../auth';
import { useSubmit } from '../../hooks';
import { ErrorAlert } from '../Alerts';
import { ClientPicker } from '../ClientPicker';

const REGISTERABLE = ['accepted', 'scheduled', 'first-contact', 'missed', 'completed'];

/** After accepting, the receiver takes the person into its own register (from the snapshot) or links a file it has. */
export function Register({
  referral: r,
  onDone,
}: {
  referral: Referral;
  onDone: (r: Referral, message: string) => void;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [existing, setExisting] = useState<Client | null>(null);
  const [linking, setLinking] = useState(false);
  const { error, busy, run } = useSubmit();

  if (r.receiverClientId) {
    return (
      <section className="card" aria-labelledby="register-title">
        <h2 id="register-title">{t('register.title')}</h2>
        <p>
          {t('register.done')} <Link to={`/clients/${r.receiverClientId}`}>{t('intake.openFile')}</Link>
        </p>
      </section>
    );
  }
  if (!REGISTERABLE.includes(r.status) || !r.consentActive) return null;

  function register(clientId: string | null) {
    void run(async () => {
      onDone(await api.registerReferralClient(r.id, clientId), t('register.saved'));
    });
  }

  return (
    <section className="card" aria-labelledby="register-title" data-testid="register-client">
      <h2 id="register-title">{t('register.title')}</h2>
      <p className="hint">{t('register.intro')}</p>
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="button" className="button primary" disabled={busy} onClick={() => register(null)}>
          {t('register.create')}
        </button>
        {can('client:search') && !linking && (
          <button type="button" className="button secondary" onClick={() => setLinking(true)}>
            {t('register.linkExisting')}
          </button>
        )}
      </div>
      {linking && (
        <div className="subform">
          <ClientPicker id="register-client" selected={existing} onSelect={setExisting} />
          <div className="actions">
            <button
              type="button"
              className="button primary"
              disabled={busy || !existing}
              onClick={() => existing && register(existing.id)}
            >
              {t('register.link')}
            </button>
            <button type="button" className="button secondary" onClick={() => setLinking(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
