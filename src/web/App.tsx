import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useAuth } from './auth';
import { Loading } from './components/Alerts';
import { PublicLayout, Shell } from './components/Shell';
import { features } from './features';
import type { FeatureRoute } from './features/types';
import { homePath } from './navigation';
import { ForcedPasswordPage } from './pages/ForcedPasswordPage';
import { LoginPage } from './pages/LoginPage';
import { ForbiddenPage, NotFoundPage } from './pages/NotFoundPage';

function Require({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useAuth();
  return can(permission) ? children : <ForbiddenPage />;
}

function NoMembership() {
  const { t } = useTranslation();
  const { logout } = useAuth();
  return (
    <section className="card login-card">
      <h1>{t('errors.forbidden')}</h1>
      <p>{t('shell.noMembership')}</p>
      <button type="button" className="button secondary" onClick={() => void logout()}>
        {t('shell.logout')}
      </button>
    </section>
  );
}

/** Every feature's routes (features/index.ts). */
const routes: readonly FeatureRoute[] = features.flatMap((feature) => feature.routes);

/** The routes open to everyone, signed in or not: the public catalogue (/aanbod, /aanbod/:id). */
const publicRoutes = routes.filter((route) => route.public);

/** The fixed beginnings of the public routes ('/aanbod/:id' → '/aanbod'): an address there or under it is public. */
const publicPrefixes = [...new Set(publicRoutes.map((route) => route.path.split('/:')[0] ?? route.path))];
const isPublicPath = (pathname: string) =>
  publicPrefixes.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));

/** A route's page behind its permission ("no access" without it). */
const guarded = (route: FeatureRoute) =>
  route.permission ? <Require permission={route.permission}>{route.element}</Require> : route.element;

function PublicRoutes() {
  return (
    <Routes>
      {publicRoutes.map((route) => (
        <Route key={route.path} path={route.path} element={route.element} />
      ))}
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

/**
 * The whole app in four states: still asking the server; signed out (or halfway, waiting for the
 * second factor) → login; a temporary password → choose a new one; signed in → the shell with routes.
 * Signed-out visitors keep their address, so after sign-in they land where they wanted to go.
 * The one exception is the public catalogue (/aanbod, /aanbod/:id): it shows without a session.
 */
export function App() {
  const { status, me, can } = useAuth();
  const { pathname } = useLocation();

  if (status === 'loading') {
    return (
      <PublicLayout>
        <Loading />
      </PublicLayout>
    );
  }
  const fullySignedIn = status === 'authenticated' && !!me && !me.user.mustChangePassword && !!me.membership;
  if (!fullySignedIn && isPublicPath(pathname)) {
    return (
      <PublicLayout wide>
        <PublicRoutes />
      </PublicLayout>
    );
  }
  if (status !== 'authenticated' || !me) {
    return (
      <PublicLayout>
        <LoginPage />
      </PublicLayout>
    );
  }
  if (me.user.mustChangePassword) {
    return (
      <PublicLayout>
        <ForcedPasswordPage />
      </PublicLayout>
    );
  }
  if (!me.membership) {
    return (
      <PublicLayout>
        <NoMembership />
      </PublicLayout>
    );
  }

  return (
    <Shell>
      <Routes>
        <Route path="/" element={<Navigate to={homePath(can, me.membership.organizationKind)} replace />} />
        <Route path="/login" element={<Navigate to={homePath(can, me.membership.organizationKind)} replace />} />
        {routes.map((route) => (
          <Route key={route.path} path={route.path} element={guarded(route)} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Shell>
  );
}
