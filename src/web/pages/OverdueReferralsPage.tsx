import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { daysSince } from '../catalogue';
import { ErrorAlert, Loading } from '../components/Alerts';
import { formatDateTime } from '../format';
import { useDocumentTitle, useLoad } from '../hooks';
import { useLabels } from '../labels';
import { PriorityBadge } from './ReferralsPage';

/** The network coordinator's view: overdue referrals between organisations — who and when, never about whom. */
export function OverdueReferralsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const list = useLoad(() => api.overdueReferrals(), []);
  useDocumentTitle(t('overdue.title'));

  return (
    <>
      <h1>{t('overdue.title')}</h1>
      <p className="lead">{t('overdue.intro')}</p>
      <ErrorAlert error={list.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data && list.data.items.length === 0 ? (
        <p className="empty">{t('overdue.empty')}</p>
      ) : list.data ? (
        <div className="card">
          <p className="result-count">{t('overdue.count', { count: list.data.items.length })}</p>
          <div className="table-wrap">
            <table className="table" data-testid="overdue-referrals">
              <caption className="visually-hidden">{t('overdue.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('referrals.priority')}</th>
                  <th scope="col">{t('referrals.from')}</th>
                  <th scope="col">{t('referrals.to')}</th>
                  <th scope="col">{t('common.status')}</th>
                  <th scope="col">{t('overdue.target')}</th>
                  <th scope="col">{t('overdue.dueAt')}</th>
                  <th scope="col" className="numeric">
                    {t('overdue.daysLate')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((r) => {
                  const answer = r.status === 'requested' || r.status === 'received';
                  const due = answer ? r.answerDueAt : (r.firstContactDueAt ?? r.answerDueAt);
                  return (
                    <tr key={r.id} className={r.priority === 'acute' ? 'row-acute' : undefined}>
                      <td>
                        <PriorityBadge priority={r.priority} />
                      </td>
                      <td>{r.senderOrganizationName}</td>
                      <td>{r.receiverOrganizationName}</td>
                      <td>{labels.referralStatus(r.status)}</td>
                      <td>{answer ? t('overdue.targetAnswer') : t('overdue.targetFirstContact')}</td>
                      <td className="nowrap">{formatDateTime(due)}</td>
                      <td className="numeric">{daysSince(due)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </>
  );
}
