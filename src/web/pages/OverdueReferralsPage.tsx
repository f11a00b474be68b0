import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { daysSince } from '../catalogue';
import { DataTable, LoadedList } from '../components/DataTable';
import { RiskBadge } from '../components/RiskBadge';
import { formatDate, formatDateTime } from '../format';
import { useDocumentTitle, useLoad } from '../hooks';
import { useLabels } from '../labels';
import { PriorityBadge } from './ReferralsPage';

/**
 * The network coordinator's view: overdue referrals between organisations — who and when, never about whom; acute
 * and high risk first, with the level as the receiver sees it.
 */
export function OverdueReferralsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const list = useLoad(() => api.overdueReferrals(), []);
  useDocumentTitle(t('overdue.title'));

  return (
    <>
      <h1>{t('overdue.title')}</h1>
      <p className="lead">{t('overdue.intro')}</p>
      <LoadedList list={list} empty={t('overdue.empty')}>
        {(items) => (
          <div className="card">
            <p className="result-count">{t('overdue.count', { count: items.length })}</p>
            <DataTable
              caption={t('overdue.title')}
              testId="overdue-referrals"
              columns={[
                t('referrals.priority'),
                t('risk.label'),
                t('referrals.from'),
                t('referrals.to'),
                t('common.status'),
                t('overdue.target'),
                t('overdue.dueAt'),
                { label: t('overdue.daysLate'), className: 'numeric' },
              ]}
              rows={items}
              row={(r) => {
                const answer = r.status === 'requested' || r.status === 'received';
                // a waiting list is late once its expected start date has passed (a date, no time)
                const waiting = r.status === 'waitlisted' && r.expectedDate !== null;
                const due = waiting
                  ? `${r.expectedDate}T00:00:00`
                  : answer
                    ? r.answerDueAt
                    : (r.firstContactDueAt ?? r.answerDueAt);
                return (
                  <tr
                    key={r.id}
                    className={
                      r.priority === 'acute' || r.riskLevel === 'high' || r.riskLevel === 'acute'
                        ? 'row-acute'
                        : undefined
                    }
                  >
                    <td>
                      <PriorityBadge priority={r.priority} />
                    </td>
                    <td>
                      <RiskBadge level={r.riskLevel} compact />
                    </td>
                    <td>{r.senderOrganizationName}</td>
                    <td>{r.receiverOrganizationName}</td>
                    <td>{labels.referralStatus(r.status)}</td>
                    <td>
                      {waiting
                        ? t('overdue.targetWaitlist')
                        : answer
                          ? t('overdue.targetAnswer')
                          : t('overdue.targetFirstContact')}
                    </td>
                    <td className="nowrap">{waiting ? formatDate(r.expectedDate) : formatDateTime(due)}</td>
                    <td className="numeric">{daysSince(due)}</td>
                  </tr>
                );
              }}
            />
          </div>
        )}
      </LoadedList>
    </>
  );
}
