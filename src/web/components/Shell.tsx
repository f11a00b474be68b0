import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { api } from '../api';
import { useAuth, useMe } from '../auth';
import { resetMunicipalityCache } from '../municipalities';
import { currentNavItem, navItems } from '../navigation';
import { useUnreadCount } from '../notifications';
import { ErrorAlert } from './Alerts';
import { DemoBadge } from './DemoBadge';
import { LanguageSwitch } from './LanguageSwitch';
import { useMembershipLabel } from './membershipLabel';

export function SkipLink() {
  const { t } = useTranslation();
  return (
    <a
      className="skip-link"
      href="#main"
      onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}
    >
      {t('app.skipLink')}
    </a>
  );
}

function MembershipSwitch() {
  const { t } = useTranslation();
  const me = useMe();
  const { applyMe } = useAuth();
  const navigate = useNavigate();
  const label = useMembershipLabel();
  const [selected, setSelected] = useState(me.membership.id);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => setSelected(me.membership.id), [me.membership.id]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (selected === me.membership.id) return;
    setBusy(true);
    setError(null);
    try {
      const next = await api.switchMembership(selected);
      resetMunicipalityCache();
      applyMe(next);
      navigate('/');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="membership-switch" onSubmit={submit}>
      <label htmlFor="membership-switch">{t('shell.switchLabel')}</label>
      <div className="inline">
        <select id="membership-switch" value={selected} onChange={(e) => setSelected(e.target.value)}>
          {me.memberships.map((m) => (
            <option key={m.id} value={m.id}>
              {label(m)}
            </option>
          ))}
        </select>
        <button type="submit" className="button secondary small" disabled={busy || selected === me.membership.id}>
          {t('shell.switchSubmit')}
        </button>
      </div>
      <ErrorAlert error={error} />
    </form>
  );
}

/** "Meldingen" with the number of unread notifications of the organisation; the number is part of the link's name. */
function NotificationIndicator() {
  const { t } = useTranslation();
  const count = useUnreadCount(true);
  const location = useLocation();
  const unread = count ?? 0;
  return (
    <Link
      to="/notifications"
      className={`notification-link${unread > 0 ? ' has-unread' : ''}`}
      aria-current={location.pathname === '/notifications' ? 'page' : undefined}
      data-testid="notification-indicator"
    >
      {t('notifications.indicator')}
      {unread > 0 && (
        <>
          {' '}
          <span className="badge badge-count" aria-hidden="true">
            {unread}
          </span>
          <span className="visually-hidden">{t('notifications.unreadCount', { count: unread })}</span>
        </>
      )}
    </Link>
  );
}

/** The frame of every signed-in page: header, navigation by permission, main region. */
export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const { can, logout, meta } = useAuth();
  const label = useMembershipLabel();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After navigating, move focus to the new page so keyboard and screen reader users start there.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: false });
  }, [location.pathname]);

  const items = navItems.filter(
    (item) =>
      (!item.permission || can(item.permission)) &&
      (!item.organizationKinds || item.organizationKinds.includes(me.membership?.organizationKind ?? '')),
  );
  // the current item is the longest one the address starts with (/offers/stale is not also /offers)
  const current = currentNavItem(items, location.pathname);

  return (
    <>
      <SkipLink />
      <header className="topbar">
        <div className="topbar-inner">
          <div className="brand">
            <Link to="/" className="brand-name">
              {t('app.name')}
            </Link>
            <DemoBadge />
          </div>
          <div className="session">
            <div className="who">
              <span className="visually-hidden">{t('shell.user')} </span>
              <strong data-testid="current-user">{me.user.displayName}</strong>
              <span className="who-role" data-testid="current-membership">
                {label(me.membership)}
              </span>
            </div>
            {can('referral:read') && <NotificationIndicator />}
            {me.memberships.length > 1 && <MembershipSwitch />}
            <LanguageSwitch />
            <button type="button" className="button secondary small" onClick={() => void logout()}>
              {t('shell.logout')}
            </button>
          </div>
        </div>
        <nav aria-label={t('nav.label')} className="mainnav">
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={item.to === current ? 'page' : undefined}>
                  {t(item.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        {children}
      </main>
      <footer className="footer">
        <p>
          {t('app.name')} · {t('app.tagline')}
          {meta?.version ? ` · ${t('app.version', { version: meta.version })}` : ''}
        </p>
      </footer>
    </>
  );
}

/**
 * Header of the pages before sign-in: name, DEMO marker, language. `wide` is for the public catalogue,
 * which also offers the way to sign in and, like the shell, moves focus to the page after navigating.
 */
export function PublicLayout({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  const { t } = useTranslation();
  const { meta } = useAuth();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const lastPath = useRef(location.pathname);

  useEffect(() => {
    if (lastPath.current === location.pathname) return;
    lastPath.current = location.pathname;
    mainRef.current?.focus({ preventScroll: false });
  }, [location.pathname]);

  return (
    <>
      <SkipLink />
      <header className="topbar">
        <div className="topbar-inner">
          <div className="brand">
            <span className="brand-name">{t('app.name')}</span>
            <DemoBadge />
          </div>
          <div className="session">
            <LanguageSwitch />
            {wide && (
              <Link to="/login" className="button secondary small">
                {t('offers.signIn')}
              </Link>
            )}
          </div>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className={wide ? 'main' : 'main main-narrow'}>
        {children}
      </main>
      <footer className="footer">
        <p>
          {t('app.name')} · {t('app.tagline')}
          {meta?.version ? ` · ${t('app.version', { version: meta.version })}` : ''}
        </p>
      </footer>
    </>
  );
}
