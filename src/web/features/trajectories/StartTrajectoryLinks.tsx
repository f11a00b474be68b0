import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type Referral } from '../../api';
import { useAuth } from '../../auth';
import { useLoad } from '../../hooks';

/** Statuses in which the receiver may start a trajectory from the referral (the server checks the same). */
const STARTABLE = ['accepted', 'scheduled', 'first-contact', 'missed', 'completed'];

/**
 * On the receiver's referral page: once the person is in the register and the referral accepted, start a
 * trajectory with its data — offered first thing when the first contact took place — or open the one that runs.
 */
export function TrajectoryFromReferral({ referral: r }: { referral: Referral }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const allowed = can('trajectory:read') && !!r.receiverClientId && STARTABLE.includes(r.status);
  const existing = useLoad(
    () => (allowed ? api.trajectories({ box: 'organization', referralId: r.id }) : Promise.resolve({ items: [] })),
    [allowed, r.id],
  );
  if (!allowed || existing.loading) return null;
  const running = existing.data?.items.find((i) => i.status !== 'cancelled');
  return (
    <section className="card" aria-labelledby="trajectory-from-referral" data-testid="trajectory-from-referral">
      <h2 id="trajectory-from-referral">{t('trajectory.fromReferralCard')}</h2>
      {running ? (
        <p>
          {t('trajectory.existing')} <Link to={`/trajectories/${running.id}`}>{t('trajectory.openTrajectory')}</Link>
        </p>
      ) : (
        can('trajectory:write') && (
          <>
            {r.status === 'first-contact' && <p>{t('trajectory.fromReferralIntro')}</p>}
            <Link className="button primary" to={`/trajectories/new?clientId=${r.receiverClientId}&referralId=${r.id}`}>
              {t('trajectories.start')}
            </Link>
          </>
        )
      )}
    </section>
  );
}

/** On the client page: start a trajectory for this person. */
export function StartTrajectoryLink({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  if (!can('trajectory:write')) return null;
  return (
    <Link className="button secondary" to={`/trajectories/new?clientId=${clientId}`} data-testid="start-trajectory">
      {t('trajectories.start')}
    </Link>
  );
}
