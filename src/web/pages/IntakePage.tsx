import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, HELP_REQUEST_STATUSES, isOneOf } from '../api';
import { useAuth } from '../auth';
import { ErrorAlert } from '../components/Alerts';
import { LoadedTable } from '../components/DataTable';
import { Field } from '../components/Field';
import { RiskBadge } from '../components/RiskBadge';
import { formatDateTime } from '../format';
import { useDocumentTitle, useLoad } from '../hooks';
import { useLabels } from '../labels';

/**
 * "Onthaal": the start of the day — counts that need attention, a new intake, the organisation's help requests
 * (acute and high risk first, then the newest).
 */
export function IntakePage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const labels = useLabels();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const requests = useLoad(
    () => api.helpRequests({ status: isOneOf(HELP_REQUEST_STATUSES, status) ? status : undefined }),
    [status],
  );
  useDocumentTitle(t('intake.nav'));

  return (
    <>
      <div className="page-head">
        <h1>{t('intake.nav')}</h1>
        {can('help-request:write') && (
          <div className="head-actions">
            <Link to="/intake/new" className="button primary">
              {t('intake.newTitle')}
            </Link>
          </div>
        )}
      </div>

      <Dashboard />

      <section className="card" aria-labelledby="requests-title">
        <div className="section-head">
          <h2 id="requests-title">{t('intake.listTitle')}</h2>
        </div>
        <Field id="requests-status" label={t('common.status')} className="narrow-select">
          {(control) => (
            <select
              {...control}
              value={status}
              onChange={(e) => {
                const next = new URLSearchParams(params);
                if (e.target.value) next.set('status', e.target.value);
                else next.delete('status');
                setParams(next);
              }}
            >
              <option value="">{t('intake.statusAll')}</option>
              {HELP_REQUEST_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {labels.helpRequestStatus(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <LoadedTable
          list={requests}
          empty={status ? t('intake.listEmptyFiltered') : t('intake.listEmpty')}
          caption={t('intake.listTitle')}
          testId="help-requests"
          columns={[
            t('intake.colPerson'),
            t('intake.receivedAt'),
            t('intake.story'),
            t('intake.urgency'),
            t('risk.label'),
            t('common.status'),
          ]}
          row={(r) => (
            <tr
              key={r.id}
              className={
                r.urgency === 'acute' || (r.status !== 'closed' && (r.riskLevel === 'high' || r.riskLevel === 'acute'))
                  ? 'row-acute'
                  : undefined
              }
            >
              <td>
                {/* the row is found and opened by who the person is; a request without a file says so */}
                <Link to={`/help-requests/${r.id}`}>{r.clientName ?? t('intake.withoutFile')}</Link>
              </td>
              <td className="nowrap">{formatDateTime(r.receivedAt)}</td>
              <td className="muted">{r.story.length > 90 ? `${r.story.slice(0, 90)}…` : r.story}</td>
              <td>
                {r.urgency === 'routine' ? (
                  labels.urgency(r.urgency)
                ) : (
                  <span className={`badge ${r.urgency === 'acute' ? 'badge-danger' : 'badge-warn'}`}>
                    {labels.urgency(r.urgency)}
                  </span>
                )}
              </td>
              <td>
                <RiskBadge level={r.riskLevel} compact />
              </td>
              <td>{labels.helpRequestStatus(r.status)}</td>
            </tr>
          )}
        />
      </section>
    </>
  );
}

/** The numbers that ask for attention: referrals (open / overdue), unread notifications, open safety signals. */
function Dashboard() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const counts = useLoad(() => (can('referral:read') ? api.referralCounts() : Promise.resolve(null)), []);
  const signals = useLoad(() => (can('safety:acknowledge') ? api.openSignals() : Promise.resolve(null)), []);
  if (!can('referral:read') && !can('safety:acknowledge')) return null;
  const c = counts.data;
  return (
    <section aria-labelledby="dashboard-title" className="dashboard">
      <h2 id="dashboard-title" className="visually-hidden">
        {t('dashboard.title')}
      </h2>
      <ErrorAlert error={counts.error ?? signals.error} />
      <ul className="count-cards" data-testid="dashboard-counts">
        {c && (
          <>
            <li className={`count-card${c.incomingOverdue > 0 ? ' count-card-alert' : ''}`}>
              <Link to="/referrals?box=incoming">
                <span className="count">{c.incomingOpen}</span> {t('dashboard.incoming', { count: c.incomingOpen })}
              </Link>
              {c.incomingOverdue > 0 && (
                <span className="badge badge-danger">{t('dashboard.overdue', { count: c.incomingOverdue })}</span>
              )}
            </li>
            <li className={`count-card${c.outgoingOverdue > 0 ? ' count-card-alert' : ''}`}>
              <Link to="/referrals?box=outgoing">
                <span className="count">{c.outgoingOpen}</span> {t('dashboard.outgoing', { count: c.outgoingOpen })}
              </Link>
              {c.outgoingOverdue > 0 && (
                <span className="badge badge-danger">{t('dashboard.overdue', { count: c.outgoingOverdue })}</span>
              )}
            </li>
            <li className="count-card">
              <Link to="/notifications">
                <span className="count">{c.unreadNotifications}</span>{' '}
                {t('dashboard.unread', { count: c.unreadNotifications })}
              </Link>
            </li>
          </>
        )}
        {signals.data && (
          <li className={`count-card${signals.data.items.length > 0 ? ' count-card-alert' : ''}`}>
            <Link to="/safety">
              <span className="count">{signals.data.items.length}</span>{' '}
              {t('dashboard.signals', { count: signals.data.items.length })}
            </Link>
          </li>
        )}
      </ul>
    </section>
  );
}
