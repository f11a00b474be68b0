import { useCallback, useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { api } from './api';

const EVENT = 'kortelijn:notifications-changed';
const POLL_MS = 60_000;

/** Tell the indicator in the header that notifications were read (or may have arrived). */
export function notificationsChanged(): void {
  window.dispatchEvent(new Event(EVENT));
}

/** The number of unread notifications of the organisation: on each page change, every minute, and after changes. */
export function useUnreadCount(enabled: boolean): number | null {
  const [count, setCount] = useState<number | null>(null);
  const { pathname } = useLocation();

  const load = useCallback(() => {
    if (!enabled) return;
    api.notifications(true).then(
      (r) => setCount(r.items.length),
      () => setCount(null),
    );
  }, [enabled]);

  useEffect(load, [load, pathname]);
  useEffect(() => {
    if (!enabled) return undefined;
    const timer = window.setInterval(load, POLL_MS);
    window.addEventListener(EVENT, load);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener(EVENT, load);
    };
  }, [enabled, load]);
  return enabled ? count : null;
}

/** Marks the unread notifications about one referral as read (opening it counts as reading them). */
export async function markReferralNotificationsRead(referralId: string): Promise<void> {
  const unread = await api.notifications(true);
  const mine = unread.items.filter((n) => n.referralId === referralId);
  if (mine.length === 0) return;
  await Promise.all(mine.map((n) => api.markNotificationRead(n.id)));
  notificationsChanged();
}
