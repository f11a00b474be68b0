import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { api, isOneOf, OUTREACH_KINDS, OUTREACH_STATES } from '../../api';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alerts';
import { formatDate } from '../../format';
import { useDocumentTitle, useLoad } from '../../hooks';

/** The signals my organisation sent, with their state only (received, contact made, closed). */
export function OutreachSentPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const flash = (location.state as { flash?: string } | null)?.flash === 'sent' ? t('outreach.sent') : null;
  const list = useLoad(() => api.outreachSignals({ box: 'outgoing' }), []);
  useDocumentTitle(t('outreach.sentTitle'));
  const items = list.data?.items ?? [];
  return (
    <>
      <div className="page-head">
        <h1>{t('outreach.sentTitle')}</h1>
        <div className="head-actions">
          <Link className="button primary" to="/outreach/new">
            {t('outreach.newSignal')}
          </Link>
        </div>
      </div>
      <StatusMessage message={flash} />
      <p className="lead">{t('outreach.sentIntro')}</p>
      <ErrorAlert error={list.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="empty">{t('outreach.emptySent')}</p>
      ) : (
        <table className="table" data-testid="outreach-sent">
          <caption className="visually-hidden">{t('outreach.sentTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('outreach.person')}</th>
              <th scope="col">{t('outreach.kind')}</th>
              <th scope="col">{t('outreach.receiver')}</th>
              <th scope="col">{t('outreach.createdAt')}</th>
              <th scope="col">{t('outreach.state')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id}>
                <th scope="row">{s.collective ? t('outreach.collectiveLabel') : (s.contactName ?? '—')}</th>
                <td>{isOneOf(OUTREACH_KINDS, s.kind) ? t(`outreach.kinds.${s.kind}`) : s.kind}</td>
                <td>{s.receiverOrganizationName}</td>
                <td>{formatDate(s.createdAt)}</td>
                <td>
                  <span className={`badge${s.state === 'closed' ? '' : ' badge-info'}`} data-testid="outreach-state">
                    {isOneOf(OUTREACH_STATES, s.state) ? t(`outreach.states.${s.state}`) : s.state}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
