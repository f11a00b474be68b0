import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, isOneOf, TRAJECTORY_MODULES, TRAJECTORY_STATUSES, type MyWork } from '../../api';
import { useAuth } from '../../auth';
import { ErrorAlert, Loading } from '../../components/Alerts';
import { formatDate } from '../../format';
import { useDocumentTitle, useLoad } from '../../hooks';

type Item = MyWork['trajectories'][number];

/**
 * "Mijn werk", the start page of caregivers, coordinators and team leads: a summary, the trajectories without a
 * contact for 30 days (longest silence first), then the other running ones. One request (GET /api/my-work).
 */
export function MyWorkPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const work = useLoad(() => api.myWork(), []);
  useDocumentTitle(t('work.title'));
  const items = work.data?.trajectories ?? [];
  const quiet = items.filter((i) => i.noRecentContact);
  const others = items.filter((i) => !i.noRecentContact);
  const counts = work.data?.counts;

  return (
    <>
      <h1>{t('work.title')}</h1>
      <p className="lead">{t('work.intro')}</p>
      <ErrorAlert error={work.error} />
      {work.loading && !work.data ? (
        <Loading />
      ) : (
        <>
          {counts && (
            <section className="card" aria-labelledby="work-summary">
              <h2 id="work-summary">{t('work.summary')}</h2>
              <dl className="work-counts" data-testid="work-counts">
                {(
                  [
                    ['running', counts.running],
                    ['active', counts.active],
                    ['onHold', counts.onHold],
                    ['planned', counts.planned],
                    ['quiet', counts.noRecentContact],
                    ['actionsDue', counts.actionsDue],
                    ['evaluationsDue', counts.evaluationsDue],
                  ] as const
                ).map(([key, n]) => (
                  <div
                    key={key}
                    className={
                      key !== 'running' && key !== 'active' && key !== 'onHold' && key !== 'planned' && n > 0
                        ? 'work-count work-count-alert'
                        : 'work-count'
                    }
                  >
                    <dt>{t(`work.${key}`)}</dt>
                    <dd data-testid={`work-count-${key}`}>{n}</dd>
                  </div>
                ))}
              </dl>
              <p>
                <Link to="/trajectories?box=organization">{t('work.allTrajectories')}</Link>
                {can('caseload:read') && (
                  <>
                    {' · '}
                    <Link to="/caseload">{t('work.caseloadLink')}</Link>
                  </>
                )}
              </p>
            </section>
          )}
          <section className="card" aria-labelledby="work-actions" data-testid="work-actions">
            <h2 id="work-actions">{t('work.actionsTitle')}</h2>
            {(work.data?.actionsDue.length ?? 0) === 0 ? (
              <p className="empty">{t('work.actionsEmpty')}</p>
            ) : (
              <ul className="work-list">
                {work.data!.actionsDue.map((a) => (
                  <li key={a.id} data-testid="work-action">
                    <span className={a.overdue ? 'badge badge-overdue' : 'badge'}>
                      {a.overdue ? t('work.overdueSince', { date: formatDate(a.dueDate) }) : formatDate(a.dueDate)}
                    </span>{' '}
                    {a.description}
                    {a.forOrganization && (
                      <>
                        {' '}
                        <span className="badge" data-testid="work-action-organization">
                          {t('work.forOrganization')}
                        </span>
                      </>
                    )}
                    {a.goalDescription && (
                      <span className="hint"> — {t('work.forGoal', { goal: a.goalDescription })}</span>
                    )}
                    {a.clientId && (
                      <>
                        {' · '}
                        <Link to={`/clients/${a.clientId}/hulpplan`}>{a.clientDisplayName}</Link>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="card" aria-labelledby="work-evaluations" data-testid="work-evaluations">
            <h2 id="work-evaluations">{t('work.evaluationsTitle')}</h2>
            {(work.data?.evaluationsDue.length ?? 0) === 0 ? (
              <p className="empty">{t('work.evaluationsEmpty')}</p>
            ) : (
              <ul className="work-list">
                {work.data!.evaluationsDue.map((e) => (
                  <li key={e.carePlanId} data-testid="work-evaluation">
                    <span className={e.overdue ? 'badge badge-overdue' : 'badge'}>
                      {e.overdue
                        ? t('work.overdueSince', { date: formatDate(e.nextEvaluationOn) })
                        : formatDate(e.nextEvaluationOn)}
                    </span>{' '}
                    {t('work.evaluationOf')}{' '}
                    {e.clientId ? (
                      <Link to={`/clients/${e.clientId}/hulpplan`}>{e.clientDisplayName}</Link>
                    ) : (
                      t('work.sharedPlan')
                    )}
                    {e.coordinator && <span className="hint"> ({t('work.youCoordinate')})</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="card" aria-labelledby="work-quiet" data-testid="work-quiet">
            <h2 id="work-quiet">{t('work.quietTitle')}</h2>
            <p className="hint">{t('work.quietHint')}</p>
            {quiet.length === 0 ? <p className="empty">{t('work.quietEmpty')}</p> : <WorkTable items={quiet} />}
          </section>
          <section className="card" aria-labelledby="work-mine" data-testid="work-mine">
            <h2 id="work-mine">{t('work.mineTitle')}</h2>
            {items.length === 0 ? (
              <p className="empty" data-testid="work-empty">
                {t('work.mineEmpty')}
              </p>
            ) : others.length === 0 ? null : (
              <WorkTable items={others} />
            )}
          </section>
        </>
      )}
    </>
  );
}

function WorkTable({ items }: { items: readonly Item[] }) {
  const { t } = useTranslation();
  return (
    <table className="table">
      <caption className="visually-hidden">{t('work.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('work.client')}</th>
          <th scope="col">{t('work.module')}</th>
          <th scope="col">{t('work.status')}</th>
          <th scope="col">{t('work.lastContact')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id} data-testid="work-row">
            <th scope="row">
              <Link to={`/trajectories/${item.id}`}>{item.clientDisplayName}</Link>
            </th>
            <td>{isOneOf(TRAJECTORY_MODULES, item.module) ? t(`trajectories.modules.${item.module}`) : item.module}</td>
            <td>
              {isOneOf(TRAJECTORY_STATUSES, item.status) ? t(`trajectories.statuses.${item.status}`) : item.status}
              {' · '}
              {item.phase === 'support' ? t('trajectories.phases.support') : t('trajectories.phases.intake')}
            </td>
            <td>
              {item.lastContactAt ? formatDate(item.lastContactAt) : t('work.noContactYet')}{' '}
              <span className={item.noRecentContact ? 'badge badge-danger' : 'hint'}>
                {t('work.days', { count: item.daysSinceContact })}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
