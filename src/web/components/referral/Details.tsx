import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Referral } from '../../api';
import { formatDate, formatDateTime } from '../../format';
import { useLabels } from '../../labels';
import { RiskBadge } from '../RiskBadge';

export function Details({ referral: r, isSender }: { referral: Referral; isSender: boolean }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const none = t('common.none');
  const withoutContact = r.status === 'completed' && !r.firstContactAt;
  const reason = r.status === 'declined' || withoutContact ? labels.declineReason(r.statusReason) : r.statusReason;
  return (
    <section className="card" aria-labelledby="referral-details-title">
      <h2 id="referral-details-title">{t('referral.details')}</h2>
      <dl className="details">
        <dt>{t('common.status')}</dt>
        <dd>
          {labels.referralStatus(r.status)}
          {withoutContact && ` — ${t('referral.closedWithoutContact')}`}
        </dd>
        <dt>{t('referrals.priority')}</dt>
        <dd>{labels.urgency(r.priority)}</dd>
        <dt>{t('referral.riskWhenSent')}</dt>
        <dd>
          <RiskBadge level={r.riskLevel} compact testId="referral-risk" />
        </dd>
        <dt>{t('referrals.from')}</dt>
        <dd>{r.senderOrganizationName ?? none}</dd>
        <dt>{t('referrals.to')}</dt>
        <dd>{r.receiverOrganizationName ?? none}</dd>
        <dt>{t('referrals.offer')}</dt>
        <dd>
          <Link to={`/offers/${r.offerId}`}>{r.offerName ?? r.offerId}</Link>
        </dd>
        <dt>{t('referrals.sentAt')}</dt>
        <dd>{formatDateTime(r.createdAt)}</dd>
        <dt>{t('referral.answerDue')}</dt>
        <dd>{formatDateTime(r.answerDueAt)}</dd>
        {r.firstContactDueAt && (
          <>
            <dt>{t('referral.firstContactDue')}</dt>
            <dd>{formatDateTime(r.firstContactDueAt)}</dd>
          </>
        )}
        {r.expectedDate && (
          <>
            <dt>{t('referral.expectedDate')}</dt>
            <dd>{formatDate(r.expectedDate)}</dd>
          </>
        )}
        {r.scheduledAt && (
          <>
            <dt>{t('referral.scheduledAt')}</dt>
            <dd>{formatDateTime(r.scheduledAt)}</dd>
          </>
        )}
        {r.firstContactAt && (
          <>
            <dt>{t('referral.firstContactAt')}</dt>
            <dd>{formatDateTime(r.firstContactAt)}</dd>
          </>
        )}
        {reason && (
          <>
            <dt>{t('referral.statusReason')}</dt>
            <dd className="prewrap">{reason}</dd>
          </>
        )}
        <dt>{t('referral.message')}</dt>
        <dd className="prewrap">{r.message || none}</dd>
      </dl>
      {isSender && (r.helpRequestId || r.clientId) && (
        <p className="actions">
          {r.helpRequestId && <Link to={`/help-requests/${r.helpRequestId}`}>{t('referral.openHelpRequest')}</Link>}
          {r.clientId && <Link to={`/clients/${r.clientId}`}>{t('intake.openFile')}</Link>}
        </p>
      )}
    </section>
  );
}
