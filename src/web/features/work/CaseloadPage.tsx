import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../api';
import { ErrorAlert, Loading } from '../../components/Alerts';
import { Field } from '../../components/Field';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useLabels } from '../../labels';

/** A team lead's caseload: per caregiver of the organisation (or one team) the running trajectories by status. */
export function CaseloadPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const [params, setParams] = useSearchParams();
  const teamId = params.get('team') ?? undefined;
  const caseload = useLoad(() => api.caseload(teamId), [teamId]);
  useDocumentTitle(t('caseload.title'));
  const data = caseload.data;

  function chooseTeam(next: string) {
    const p = new URLSearchParams(params);
    if (next) p.set('team', next);
    else p.delete('team');
    setParams(p, { replace: true });
  }

  return (
    <>
      <h1>{t('caseload.title')}</h1>
      <p className="lead">{t('caseload.intro')}</p>
      <section className="card">
        {data && data.teams.length > 0 && (
          <form className="filters" onSubmit={(e) => e.preventDefault()}>
            <Field id="caseload-team" label={t('caseload.team')}>
              {(control) => (
                <select {...control} value={teamId ?? ''} onChange={(e) => chooseTeam(e.target.value)}>
                  <option value="">{t('caseload.allTeams')}</option>
                  {data.teams.map((team) => (
                    <option key={team.id} value={team.id}>
                      {team.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </form>
        )}
        <ErrorAlert error={caseload.error} />
        {caseload.loading && !data ? (
          <Loading />
        ) : !data || data.items.length === 0 ? (
          <p className="empty">{t('caseload.empty')}</p>
        ) : (
          <table className="table" data-testid="caseload-table">
            <caption className="visually-hidden">{t('caseload.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('caseload.caregiver')}</th>
                <th scope="col">{t('caseload.roles')}</th>
                <th scope="col">{t('caseload.team')}</th>
                <th scope="col" className="num">
                  {t('caseload.active')}
                </th>
                <th scope="col" className="num">
                  {t('caseload.onHold')}
                </th>
                <th scope="col" className="num">
                  {t('caseload.planned')}
                </th>
                <th scope="col" className="num">
                  {t('caseload.quiet')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((row) => (
                <tr key={row.userId} data-testid="caseload-row">
                  <th scope="row">{row.displayName}</th>
                  <td>
                    {row.roles.length ? (
                      row.roles.map((r) => labels.role(r)).join(', ')
                    ) : (
                      <span className="badge badge-warn">{t('caseload.formerMember')}</span>
                    )}
                  </td>
                  <td>{row.teamName ?? '—'}</td>
                  <td className="num">{row.active}</td>
                  <td className="num">{row.onHold}</td>
                  <td className="num">{row.planned}</td>
                  <td className="num">
                    {row.noRecentContact > 0 ? (
                      <span className="badge badge-danger">{row.noRecentContact}</span>
                    ) : (
                      row.noRecentContact
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  {t('caseload.total')}
                </th>
                <td className="num">{data.totals.active}</td>
                <td className="num">{data.totals.onHold}</td>
                <td className="num">{data.totals.planned}</td>
                <td className="num">{data.totals.noRecentContact}</td>
              </tr>
            </tfoot>
          </table>
        )}
      </section>
    </>
  );
}
