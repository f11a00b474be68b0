import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../components/DateField';
import { dateText, isoDate } from '../../dates';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, ProblemError, TRAJECTORY_MODULES, type TrajectoryCreate } from '../../api';
import { ErrorAlert, Loading, useFocusAfterRender } from '../../components/Alerts';
import { Field } from '../../components/Field';
import { useDocumentTitle, useLoad, useSubmit } from '../../hooks';

const FIELD_ORDER = ['clientId', 'module', 'startDate', 'referralId'] as const;

/**
 * "Traject starten" for a client (from the client page) or from an accepted referral (its page offers it once the
 * first contact took place): the client and, from a referral, its offer come along; I am the responsible caregiver.
 */
export function TrajectoryNewPage() {
  const focusAfterRender = useFocusAfterRender();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const clientId = params.get('clientId') ?? '';
  const referralId = params.get('referralId');
  const client = useLoad(() => api.client(clientId), [clientId]);
  const referral = useLoad(() => (referralId ? api.referral(referralId) : Promise.resolve(null)), [referralId]);
  const [module, setModule] = useState('');
  const [startDate, setStartDate] = useState(() => dateText(new Date().toISOString().slice(0, 10)));
  const { error, errors, busy, run } = useSubmit();
  useDocumentTitle(t('trajectory.newTitle'));

  if (client.loading && !client.data) return <Loading />;

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const body = {
      clientId,
      ...(module ? { module } : {}),
      ...(startDate ? { startDate: isoDate(startDate) ?? startDate } : {}),
      ...(referralId ? { referralId } : {}),
      ...(referral.data?.offerId ? { offerId: referral.data.offerId } : {}),
    } as TrajectoryCreate;
    void run(async () => {
      try {
        const created = await api.createTrajectory(body);
        void navigate(`/trajectories/${created.id}`, { state: { flash: 'created' } });
      } catch (err) {
        if (err instanceof ProblemError) {
          const byField = err.byField();
          const first = FIELD_ORDER.find((f) => byField[f]);
          if (first) focusAfterRender(`trajectory-${first}`);
        }
        throw err;
      }
    });
  }

  return (
    <>
      <p className="breadcrumb">
        {clientId ? (
          <Link to={`/clients/${clientId}`}>{client.data?.displayName ?? t('trajectory.openClient')}</Link>
        ) : (
          <Link to="/trajectories">{t('trajectories.title')}</Link>
        )}
      </p>
      <h1>{t('trajectory.newTitle')}</h1>
      <p className="lead">
        {client.data ? t('trajectory.forClient', { name: client.data.displayName }) : t('trajectory.newIntro')}
      </p>
      {referralId && <p className="hint">{t('trajectory.referralHint')}</p>}
      <form className="card" noValidate onSubmit={submit} data-testid="trajectory-new">
        <ErrorAlert error={error ?? client.error} />
        <Field id="trajectory-module" label={t('trajectories.module')} required error={errors.module}>
          {(control) => (
            <select {...control} value={module} onChange={(e) => setModule(e.target.value)}>
              <option value="">—</option>
              {TRAJECTORY_MODULES.map((m) => (
                <option key={m} value={m}>
                  {t(`trajectories.modules.${m}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <DateField
          id="trajectory-startDate"
          label={t('trajectories.startDate')}
          value={startDate}
          onChange={setStartDate}
          error={errors.startDate}
        />
        <p>
          {t('trajectories.responsible')}: {t('trajectory.responsibleMe')}
        </p>
        {(errors.clientId || errors.referralId) && (
          <p className="field-error" id="trajectory-referralId" tabIndex={-1}>
            {errors.clientId ?? errors.referralId}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy || !clientId}>
            {t('trajectories.start')}
          </button>
        </div>
      </form>
    </>
  );
}
