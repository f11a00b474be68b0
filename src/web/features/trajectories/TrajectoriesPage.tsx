import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, isOneOf, TRAJECTORY_MODULES, TRAJECTORY_STATUSES } from '../../api';
import { ErrorAlert, Loading } from '../../components/Alerts';
import { Field } from '../../components/Field';
import { formatDate } from '../../format';
import { useDocumentTitle, useLoad } from '../../hooks';

const BOXES = ['mine', 'organization'] as const;

/**
 * "Mijn werk": my running trajectories with their last contact, and the ones without a contact for 30 days
 * marked; the organisation's list beside it with a status filter. The box and filter live in the address.
 */
export function TrajectoriesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const rawBox = params.get('box');
  const box = isOneOf(BOXES, rawBox) ? rawBox : 'mine';
  const rawStatus = params.get('status');
  const status = isOneOf(TRAJECTORY_STATUSES, rawStatus) ? rawStatus : undefined;
  const list = useLoad(() => api.trajectories({ box, ...(status ? { status } : {}) }), [box, status]);
  useDocumentTitle(t(box === 'mine' ? 'trajectories.mine' : 'trajectories.organization'));

  function update(next: { box?: string; status?: string | null }) {
    const p = new URLSearchParams(params);
    if (next.box) p.set('box', next.box);
    if (next.status !== undefined) {
      if (next.status) p.set('status', next.status);
      else p.delete('status');
    }
    setParams(p, { replace: true });
  }

  const items = list.data?.items ?? [];
  return (
    <>
      <h1>{t(box === 'mine' ? 'trajectories.mine' : 'trajectories.organization')}</h1>
      <div className="tabs" role="tablist" aria-label={t('trajectories.boxes')}>
        {BOXES.map((b) => (
          <button
            key={b}
            type="button"
            role="tab"
            id={`tab-${b}`}
            aria-selected={box === b}
            aria-controls="trajectories-panel"
            className={`tab${box === b ? ' active' : ''}`}
            onClick={() => update({ box: b })}
          >
            {t(`trajectories.${b}`)}
          </button>
        ))}
      </div>
      <section className="card tabpanel" role="tabpanel" id="trajectories-panel" aria-labelledby={`tab-${box}`}>
        <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('trajectories.filters')}>
          <Field id="trajectories-status" label={t('common.status')}>
            {(control) => (
              <select {...control} value={status ?? ''} onChange={(e) => update({ status: e.target.value || null })}>
                <option value="">{t(box === 'mine' ? 'trajectories.statusRunning' : 'trajectories.statusAll')}</option>
                {TRAJECTORY_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`trajectories.statuses.${s}`)}
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
          <p className="empty" data-testid="trajectories-empty">
            {t(box === 'mine' && !status ? 'trajectories.emptyMine' : 'trajectories.emptyOrganization')}
          </p>
        ) : (
          <table className="table" data-testid="trajectories-table">
            <caption className="visually-hidden">{t('trajectories.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('trajectories.client')}</th>
                <th scope="col">{t('trajectories.module')}</th>
                <th scope="col">{t('common.status')}</th>
                {box === 'organization' && <th scope="col">{t('trajectories.responsible')}</th>}
                <th scope="col">{t('trajectories.startDate')}</th>
                <th scope="col">{t('trajectories.lastContact')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <th scope="row">
                    <Link to={`/trajectories/${item.id}`}>{item.clientDisplayName}</Link>
                  </th>
                  <td>
                    {isOneOf(TRAJECTORY_MODULES, item.module) ? t(`trajectories.modules.${item.module}`) : item.module}
                  </td>
                  <td>
                    {isOneOf(TRAJECTORY_STATUSES, item.status)
                      ? t(`trajectories.statuses.${item.status}`)
                      : item.status}
                    {' · '}
                    {item.phase === 'support' ? t('trajectories.phases.support') : t('trajectories.phases.intake')}
                  </td>
                  {box === 'organization' && <td>{item.responsibleDisplayName}</td>}
                  <td>{formatDate(item.startDate)}</td>
                  <td>
                    {item.lastContactAt ? formatDate(item.lastContactAt) : t('trajectories.noContactYet')}
                    {item.noRecentContact && (
                      <span className="badge badge-danger" data-testid="no-recent-contact">
                        {t('trajectories.noRecentContact')}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
