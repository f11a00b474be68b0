import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { api, type Referral } from '../api';
import { useAuth, useMe } from '../auth';
import { LoadFailed, Loading, StatusMessage } from '../components/Alerts';
import { ActionsPanel } from '../components/referral/ActionsPanel';
import { Bridging, BridgingList } from '../components/referral/Bridging';
import { Details } from '../components/referral/Details';
import { RiskBadge } from '../components/RiskBadge';
import { Register } from '../components/referral/Register';
import { Snapshot } from '../components/referral/Snapshot';
import { Timeline } from '../components/referral/Timeline';
import { formatDate, formatDateTime } from '../format';
import { useDocumentTitle, useLoad } from '../hooks';
import { useLabels } from '../labels';
import { markReferralNotificationsRead } from '../notifications';
import { OverdueBadge, PriorityBadge } from './ReferralsPage';
import { TrajectoryFromReferral } from '../features/trajectories/StartTrajectoryLinks';

/**
 * One referral as either party sees it: the shared data (or a clear message once consent is withdrawn),
 * the whole timeline, and the steps allowed now, each with the fields it needs. A step that comes too late
 * (409) says so and offers to reload, instead of overwriting what someone else did.
 */
export function ReferralDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const { can } = useAuth();
  const labels = useLabels();
  const referral = useLoad(() => api.referral(id), [id]);
  const [flash, setFlash] = useState<string | null>(null);
  const location = useLocation();
  const navigate = useNavigate();
  // just sent (the helpline's quick form, or another sender): say so once, with what happens next
  const [justSent] = useState(() => (location.state as { flash?: string } | null)?.flash === 'created');
  useEffect(() => {
    if (location.state) navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);
  const sentRef = useRef<HTMLDivElement>(null);
  const sentShown = justSent && !!referral.data;
  useEffect(() => {
    if (sentShown) sentRef.current?.focus();
  }, [sentShown]);
  useDocumentTitle(referral.data?.offerName ?? t('referral.title'));

  // opening the referral reads its notifications
  useEffect(() => {
    if (referral.data?.id) void markReferralNotificationsRead(referral.data.id).catch(() => undefined);
  }, [referral.data?.id]);

  if (referral.loading && !referral.data) return <Loading />;
  if (!referral.data) {
    return (
      <LoadFailed
        back={
          <p className="breadcrumb">
            <Link to="/referrals">{t('referrals.title')}</Link>
          </p>
        }
        title={t('referral.title')}
        error={referral.error}
        notFound={t('referral.notFound')}
      />
    );
  }
  const r = referral.data;
  const org = me.membership.organizationId;
  const isSender = r.senderOrganizationId === org;
  const isReceiver = r.receiverOrganizationId === org;
  const mayWrite = can('referral:write');

  function updated(next: Referral, message: string) {
    referral.setData(next);
    setFlash(message);
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to={isReceiver ? '/referrals' : '/referrals?box=outgoing'}>{t('referrals.title')}</Link>
      </p>
      <div className="page-head">
        <h1>{r.offerName ?? t('referral.title')}</h1>
        <PriorityBadge priority={r.priority} />
        {r.riskLevel && r.riskLevel !== 'none' && <RiskBadge level={r.riskLevel} testId="referral-head-risk" />}
        <span className="badge badge-status" data-testid="referral-status">
          {labels.referralStatus(r.status)}
        </span>
        {r.overdue.any && <OverdueBadge />}
      </div>
      <p className="lead">
        {isReceiver && !isSender
          ? t('referral.fromOrg', { organization: r.senderOrganizationName ?? '' })
          : t('referral.toOrg', { organization: r.receiverOrganizationName ?? '' })}
      </p>
      {justSent && isSender && (
        <div className="alert alert-success" role="status" tabIndex={-1} ref={sentRef} data-testid="referral-sent">
          <p>
            <strong>{t('referral.sentTitle', { organization: r.receiverOrganizationName ?? '' })}</strong>
          </p>
          <p>
            {t('referral.sentNext', {
              organization: r.receiverOrganizationName ?? '',
              date: formatDateTime(r.answerDueAt),
            })}
          </p>
          {can('referral:write') && (
            <p>
              <Link to="/helpline/new">{t('referral.sentAnother')}</Link>
            </p>
          )}
        </div>
      )}
      <StatusMessage message={flash} />
      {r.overdue.answer && (
        <p className="alert alert-error">{t('referral.overdueAnswer', { date: formatDateTime(r.answerDueAt) })}</p>
      )}
      {r.overdue.firstContact && r.firstContactDueAt && (
        <p className="alert alert-error">
          {t('referral.overdueFirstContact', { date: formatDateTime(r.firstContactDueAt) })}
        </p>
      )}
      {r.overdue.waitlist && r.expectedDate && (
        <p className="alert alert-error">{t('referral.overdueWaitlist', { date: formatDate(r.expectedDate) })}</p>
      )}
      {isSender && r.bridgingRequested && <p className="alert alert-warning">{t('bridging.requested')}</p>}

      {/* the receiver answers first thing; the sender's only steps (cancel) come last, in their own place */}
      {mayWrite && isReceiver && r.allowedActions.length > 0 && (
        <ActionsPanel referral={r} onDone={updated} onReload={referral.reload} />
      )}

      <Details referral={r} isSender={isSender} />
      <Snapshot referral={r} />
      {isSender && mayWrite && (r.status === 'waitlisted' || r.bridgingSupport.length > 0) && (
        <Bridging referral={r} onDone={updated} />
      )}
      {!isSender && r.bridgingSupport.length > 0 && <BridgingList referral={r} />}
      {isReceiver && mayWrite && <Register referral={r} onDone={updated} />}
      {isReceiver && <TrajectoryFromReferral referral={r} />}
      <Timeline referral={r} />
      {mayWrite && isSender && !isReceiver && r.allowedActions.length > 0 && (
        <ActionsPanel referral={r} onDone={updated} onReload={referral.reload} />
      )}
    </>
  );
}
