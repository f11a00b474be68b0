import { useTranslation } from 'react-i18next';
import type { Referral } from '../../api';
import { formatDateTime } from '../../format';
import { useLabels } from '../../labels';

export function Timeline({ referral: r }: { referral: Referral }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('referral.timelineTitle')}</h2>
      {r.timeline.length === 0 ? (
        <p className="empty">{t('referral.timelineEmpty')}</p>
      ) : (
        <ol className="timeline" data-testid="referral-timeline">
          {r.timeline.map((e, i) => (
            <li key={`${e.at}-${i}`} className={`timeline-event event-${e.action}`}>
              <p className="timeline-head">
                <strong>{labels.referralEvent(e.action)}</strong> <time dateTime={e.at}>{formatDateTime(e.at)}</time>
              </p>
              <p className="small muted">
                {e.by ?? t('audit.system')}
                {e.organizationName && ` · ${e.organizationName}`}
                {e.fromStatus &&
                  e.toStatus &&
                  e.fromStatus !== e.toStatus &&
                  ` · ${labels.referralStatus(e.fromStatus)} → ${labels.referralStatus(e.toStatus)}`}
              </p>
              {e.reason && (
                <p>
                  {e.action === 'decline' || (e.action === 'complete' && e.fromStatus === 'missed')
                    ? t('referral.reasonIs', { reason: labels.declineReason(e.reason) })
                    : t('referral.reasonIs', { reason: e.reason })}
                </p>
              )}
              {e.note && <p className="prewrap">{e.note}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
