import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useAuth } from './auth';
import { Loading } from './components/Alerts';
import { PublicLayout, Shell } from './components/Shell';
import { homePath } from './navigation';
import { AccountPage } from './pages/AccountPage';
import { ApiTokensPage } from './pages/ApiTokensPage';
import { AuditPage } from './pages/AuditPage';
import { ClientDetailPage } from './pages/ClientDetailPage';
import { ClientNewPage } from './pages/ClientNewPage';
import { ClientsPage } from './pages/ClientsPage';
import { ForcedPasswordPage } from './pages/ForcedPasswordPage';
import { LoginPage } from './pages/LoginPage';
import { ForbiddenPage, NotFoundPage } from './pages/NotFoundPage';
import { OrganizationDetailPage } from './pages/OrganizationDetailPage';
import { OrganizationsPage } from './pages/OrganizationsPage';
import { UserDetailPage } from './pages/UserDetailPage';
import { UsersPage } from './pages/UsersPage';

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

/**
 * The whole app in four states: still asking the server; signed out (or halfway, waiting for the
 * second factor) → login; a temporary password → choose a new one; signed in → the shell with routes.
 * Signed-out visitors keep their address, so after sign-in they land where they wanted to go.
 */
export function App() {
  const { status, me, can } = useAuth();

  if (status === 'loading') {
    return (
      <PublicLayout>
        <Loading />
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
        <Route path="/" element={<Navigate to={homePath(can)} replace />} />
        <Route path="/login" element={<Navigate to={homePath(can)} replace />} />
        <Route path="/clients" element={<Require permission="client:search"><ClientsPage /></Require>} />
        <Route path="/clients/new" element={<Require permission="client:create"><ClientNewPage /></Require>} />
        <Route path="/clients/:id" element={<Require permission="client:read"><ClientDetailPage /></Require>} />
        <Route path="/organizations" element={<Require permission="organization:read"><OrganizationsPage /></Require>} />
        <Route path="/organizations/:id" element={<Require permission="organization:read"><OrganizationDetailPage /></Require>} />
        <Route path="/users" element={<Require permission="user:read"><UsersPage /></Require>} />
        <Route path="/users/:id" element={<Require permission="user:read"><UserDetailPage /></Require>} />
        <Route path="/audit" element={<Require permission="audit:read"><AuditPage /></Require>} />
        <Route path="/api-tokens" element={<Require permission="token:manage"><ApiTokensPage /></Require>} />
        <Route path="/account" element={<AccountPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Shell>
  );
}
