import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router-dom';
import { api, isOneOf, OUTREACH_KINDS, OUTREACH_STATUSES, ProblemError } from '../../api';
import { ErrorAlert, Loading } from '../../components/Alerts';
import { Field } from '../../components/Field';
import { formatDate, formatDateTime } from '../../format';
import { useDocumentTitle, useLoad } from '../../hooks';

/** The receiving organisation's outreach queue: new on top, overdue ones marked, the unreachable proposal shown. */
export function OutreachQueuePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status = isOneOf(OUTREACH_STATUSES, raw) ? raw : undefined;
  const list = useLoad(() => api.outreachSignals({ box: 'incoming', ...(status ? { status } : {}) }), [status]);
  useDocumentTitle(t('outreach.queueTitle'));
  // an organisation that only sends signals has no queue: its list of sent signals instead
  if (list.error instanceof ProblemError && list.error.status === 403) return <Navigate to="/outreach/sent" replace />;
  const items = list.data?.items ?? [];
  return (
    <>
      <h1>{t('outreach.queueTitle')}</h1>
      <p className="lead">{t('outreach.queueIntro')}</p>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Field id="outreach-status" label={t('outreach.statusFilter')}>
          {(control) => (
            <select
              {...control}
              value={status ?? ''}
              onChange={(e) => {
                const p = new URLSearchParams(params);
                if (e.target.value) p.set('status', e.target.value);
                else p.delete('status');
                setParams(p, { replace: true });
              }}
            >
              <option value="">{t('outreach.statusAll')}</option>
              {OUTREACH_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`outreach.statuses.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <ErrorAlert error={list.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="empty">{t('outreach.emptyQueue')}</p>
      ) : (
        <table className="table" data-testid="outreach-queue">
          <caption className="visually-hidden">{t('outreach.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('outreach.person')}</th>
              <th scope="col">{t('outreach.kind')}</th>
              <th scope="col">{t('outreach.sender')}</th>
              <th scope="col">{t('outreach.createdAt')}</th>
              <th scope="col">{t('outreach.due')}</th>
              <th scope="col">{t('outreach.statusFilter')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} className={s.overdue ? 'row-overdue' : undefined}>
                <th scope="row">
                  <Link to={`/outreach/${s.id}`}>
                    {s.collective
                      ? t('outreach.collectiveLabel')
                      : s.erased
                        ? t('outreach.erased')
                        : (s.contactName ?? '—')}
                  </Link>
                </th>
                <td>{isOneOf(OUTREACH_KINDS, s.kind) ? t(`outreach.kinds.${s.kind}`) : s.kind}</td>
                <td>{s.senderOrganizationName}</td>
                <td>{formatDate(s.createdAt)}</td>
                <td>
                  {s.status === 'closed' ? '—' : formatDateTime(s.dueAt ?? null)}
                  {s.overdue && (
                    <>
                      {' '}
                      <span className="badge badge-danger" data-testid="outreach-overdue">
                        {t('outreach.overdue')}
                      </span>
                    </>
                  )}
                </td>
                <td>
                  {isOneOf(OUTREACH_STATUSES, s.status) ? t(`outreach.statuses.${s.status}`) : s.status}
                  {` · ${t('outreach.attemptsCount')}: ${s.attempts ?? 0}`}
                  {s.unreachableProposed && (
                    <>
                      {' '}
                      <span className="badge badge-warn">{t('outreach.proposedUnreachable')}</span>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
