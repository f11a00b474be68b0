import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { api, ProblemError, type Client } from '../api';
import { useAuth } from '../auth';
import { ErrorAlert, Loading, StatusMessage } from '../components/Alerts';
import { ClientForm } from '../components/ClientForm';
import { formatDate, formatDateTime, formatInsz, languageName } from '../format';
import { useDocumentTitle, useLoad } from '../hooks';
import { useLabels } from '../labels';
import { useMunicipalities } from '../municipalities';

export function ClientDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const location = useLocation();
  const labels = useLabels();
  const { byCode } = useMunicipalities();
  const client = useLoad(() => api.client(id), [id]);
  const [editing, setEditing] = useState(false);
  const [flash, setFlash] = useState<string | null>(
    (location.state as { flash?: string } | null)?.flash === 'created' ? t('clients.created') : null,
  );
  const [logVersion, setLogVersion] = useState(0);
  const navigate = useNavigate();
  useDocumentTitle(client.data?.displayName ?? t('clients.title'));

  // The "created" note is for this visit only, not for a reload.
  useEffect(() => {
    if (location.state) navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);

  if (client.loading && !client.data) return <Loading />;
  if (client.error || !client.data) {
    const notFound = client.error instanceof ProblemError && client.error.status === 404;
    return (
      <>
        <p className="breadcrumb">
          <Link to="/clients">{t('clients.title')}</Link>
        </p>
        <h1>{t('clients.title')}</h1>
        <ErrorAlert error={notFound ? t('clients.notFound') : client.error} />
      </>
    );
  }

  const c = client.data;
  const none = t('common.none');
  const municipality = c.municipality ? (byCode.get(c.municipality)?.name ?? c.municipality) : none;

  function saved(updated: Client) {
    client.setData(updated);
    setEditing(false);
    setFlash(t('clients.updated'));
    setLogVersion((n) => n + 1);
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/clients">{t('clients.title')}</Link>
      </p>
      <div className="page-head">
        <h1>{c.displayName}</h1>
        {c.identityKind !== 'named' && <span className="badge">{labels.identityKind(c.identityKind)}</span>}
      </div>
      <StatusMessage message={flash} />

      {editing ? (
        <section className="card">
          <h2 id="edit-title">{t('clients.editTitle')}</h2>
          <ClientForm client={c} onSaved={saved} onCancel={() => setEditing(false)} />
        </section>
      ) : (
        <section className="card">
          <div className="section-head">
            <h2 id="details-title">{t('clients.details')}</h2>
            {can('client:update') && (
              <button
                type="button"
                className="button secondary"
                onClick={() => {
                  setFlash(null);
                  setEditing(true);
                }}
              >
                {t('common.edit')}
              </button>
            )}
          </div>
          <dl className="details">
            <dt>{t('clients.identityKind')}</dt>
            <dd>{labels.identityKind(c.identityKind)}</dd>
            {c.identityKind === 'named' && (
              <>
                <dt>{t('clients.givenName')}</dt>
                <dd>{c.givenName ?? none}</dd>
                <dt>{t('clients.familyName')}</dt>
                <dd>{c.familyName ?? none}</dd>
              </>
            )}
            {c.identityKind === 'pseudonym' && (
              <>
                <dt>{t('clients.pseudonym')}</dt>
                <dd>{c.pseudonym ?? none}</dd>
              </>
            )}
            {c.birthDate || !c.birthYear ? (
              <>
                <dt>{t('clients.birthDate')}</dt>
                <dd>{formatDate(c.birthDate) || none}</dd>
              </>
            ) : (
              <>
                <dt>{t('clients.birthYear')}</dt>
                <dd>{c.birthYear}</dd>
              </>
            )}
            <dt>{t('clients.municipality')}</dt>
            <dd>{municipality}</dd>
            <dt>{t('clients.phone')}</dt>
            <dd>{c.phone ? <a href={`tel:${c.phone.replace(/[^\d+]/g, '')}`}>{c.phone}</a> : none}</dd>
            <dt>{t('clients.email')}</dt>
            <dd>{c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : none}</dd>
            <dt>{t('clients.preferredLanguage')}</dt>
            <dd>{c.preferredLanguage ? languageName(c.preferredLanguage, i18n.language) : none}</dd>
            {c.identityKind === 'named' && (
              <>
                <dt>{t('clients.insz')}</dt>
                <dd>{formatInsz(c.insz) || none}</dd>
              </>
            )}
            <dt>{t('clients.createdAt')}</dt>
            <dd>{formatDateTime(c.createdAt)}</dd>
            <dt>{t('clients.updatedAt')}</dt>
            <dd>{formatDateTime(c.updatedAt)}</dd>
          </dl>
        </section>
      )}

      {can('client:access-log') && <AccessLog clientId={c.id} version={logVersion} />}
    </>
  );
}

function AccessLog({ clientId, version }: { clientId: string; version: number }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const log = useLoad(() => api.clientAccessLog(clientId), [clientId, version]);
  return (
    <section className="card">
      <h2 id="access-log-title">{t('clients.accessLog')}</h2>
      <p className="hint">{t('clients.accessLogIntro')}</p>
      <ErrorAlert error={log.error} />
      {log.loading && !log.data ? (
        <Loading />
      ) : log.data && log.data.items.length === 0 ? (
        <p className="empty">{t('clients.accessLogEmpty')}</p>
      ) : log.data ? (
        <div className="table-wrap">
          <table className="table" data-testid="access-log">
            <caption className="visually-hidden">{t('clients.accessLog')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('clients.accessAt')}</th>
                <th scope="col">{t('clients.accessUser')}</th>
                <th scope="col">{t('clients.accessRole')}</th>
                <th scope="col">{t('clients.accessOrganization')}</th>
                <th scope="col">{t('clients.accessAction')}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.items.map((entry, i) => (
                <tr key={`${entry.at}-${i}`}>
                  <td className="nowrap">{formatDateTime(entry.at)}</td>
                  <td>{entry.userDisplayName ?? t('audit.system')}</td>
                  <td>{labels.role(entry.role) || t('common.none')}</td>
                  <td>{entry.organizationName ?? t('common.none')}</td>
                  <td>{labels.clientAction(entry.action)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
