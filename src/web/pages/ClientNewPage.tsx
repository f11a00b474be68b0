import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ClientForm } from '../components/ClientForm';
import { useDocumentTitle } from '../hooks';

export function ClientNewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  useDocumentTitle(t('clients.newTitle'));
  return (
    <>
      <p className="breadcrumb">
        <Link to="/clients">{t('clients.title')}</Link>
      </p>
      <h1>{t('clients.newTitle')}</h1>
      <section className="card">
        <ClientForm
          onSaved={(client) => navigate(`/clients/${client.id}`, { state: { flash: 'created' } })}
          onCancel={() => navigate(-1)}
        />
      </section>
    </>
  );
}
