import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type AppNotification } from '../api';
import { ErrorAlert, Loading, StatusMessage } from '../components/Alerts';
import { RiskBadge } from '../components/RiskBadge';
import { formatDateTime } from '../format';
import { useDocumentTitle, useLoad } from '../hooks';
import { useLabels } from '../labels';
import { notificationsChanged } from '../notifications';

/** The organisation's notifications about referrals, newest first; unread ones stand out with a word. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const list = useLoad(() => api.notifications(), []);
  const [flash, setFlash] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useDocumentTitle(t('notifications.title'));

  const unread = list.data?.items.filter((n) => !n.read) ?? [];

  function markRead(items: AppNotification[]) {
    setBusy(true);
    setError(null);
    Promise.all(items.map((n) => api.markNotificationRead(n.id))).then(
      () => {
        setBusy(false);
        const ids = new Set(items.map((n) => n.id));
        if (list.data) list.setData({ items: list.data.items.map((n) => (ids.has(n.id) ? { ...n, read: true } : n)) });
        setFlash(t('notifications.marked', { count: items.length }));
        notificationsChanged();
      },
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  }

  return (
    <>
      <div className="page-head">
        <h1>{t('notifications.title')}</h1>
        {unread.length > 0 && (
          <div className="head-actions">
            <button type="button" className="button secondary" disabled={busy} onClick={() => markRead(unread)}>
              {t('notifications.markAll')}
            </button>
          </div>
        )}
      </div>
      <StatusMessage message={flash} />
      <ErrorAlert error={error ?? list.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data && list.data.items.length === 0 ? (
        <p className="empty">{t('notifications.empty')}</p>
      ) : list.data ? (
        <ul className="plain notification-list" data-testid="notifications">
          {list.data.items.map((n) => (
            <li key={n.id} className={`notification${n.read ? '' : ' notification-unread'}`}>
              {!n.read && <span className="badge badge-warn">{t('notifications.new')}</span>}{' '}
              {n.referralId ? (
                <Link to={`/referrals/${n.referralId}`}>{labels.notificationKind(n.kind)}</Link>
              ) : n.subjectType === 'outreach-signal' && n.subjectId ? (
                <Link to={`/outreach/${n.subjectId}`}>{labels.notificationKind(n.kind)}</Link>
              ) : (
                labels.notificationKind(n.kind)
              )}
              {/* the shared risk level goes with the notice in the app (never in the e-mail) */}
              {n.riskLevel && n.riskLevel !== 'none' && (
                <RiskBadge level={n.riskLevel} testId="notification-risk" />
              )}{' '}
              <span className="muted small">{formatDateTime(n.createdAt)}</span>
              {!n.read && (
                <button
                  type="button"
                  className="link-button small"
                  disabled={busy}
                  onClick={() => markRead([n])}
                  aria-label={`${t('notifications.markRead')}: ${labels.notificationKind(n.kind)}, ${formatDateTime(n.createdAt)}`}
                >
                  {t('notifications.markRead')}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
