import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useAuth } from './auth';
import { Loading } from './components/Alerts';
import { PublicLayout, Shell } from './components/Shell';
import { homePath } from './navigation';
import { AccountPage } from './pages/AccountPage';
import { ApiTokensPage } from './pages/ApiTokensPage';
import { AuditPage } from './pages/AuditPage';
import { CatalogueImportPage } from './pages/CatalogueImportPage';
import { ClientDetailPage } from './pages/ClientDetailPage';
import { ClientNewPage } from './pages/ClientNewPage';
import { ClientsPage } from './pages/ClientsPage';
import { ForcedPasswordPage } from './pages/ForcedPasswordPage';
import { HelpRequestPage } from './pages/HelpRequestPage';
import { HelpRequestPrintPage } from './pages/HelpRequestPrintPage';
import { HelplineReferralPage } from './pages/HelplineReferralPage';
import { IntakeNewPage } from './pages/IntakeNewPage';
import { IntakePage } from './pages/IntakePage';
import { LoginPage } from './pages/LoginPage';
import { NetworkSettingsPage } from './pages/NetworkSettingsPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { OfferDetailPage } from './pages/OfferDetailPage';
import { OfferEditPage } from './pages/OfferEditPage';
import { OffersPage } from './pages/OffersPage';
import { ForbiddenPage, NotFoundPage } from './pages/NotFoundPage';
import { OrganizationDetailPage } from './pages/OrganizationDetailPage';
import { OrganizationsPage } from './pages/OrganizationsPage';
import { OverdueReferralsPage } from './pages/OverdueReferralsPage';
import { PublicOfferDetailPage, PublicOffersPage } from './pages/PublicOffersPage';
import { ReferralDetailPage } from './pages/ReferralDetailPage';
import { ReferralsPage } from './pages/ReferralsPage';
import { SafetyPage } from './pages/SafetyPage';
import { StaleOffersPage } from './pages/StaleOffersPage';
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

/** The public catalogue: open to everyone, signed in or not. */
const isPublicPath = (pathname: string) => /^\/aanbod(\/|$)/.test(pathname);

function PublicRoutes() {
  return (
    <Routes>
      <Route path="/aanbod" element={<PublicOffersPage />} />
      <Route path="/aanbod/:id" element={<PublicOfferDetailPage />} />
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
        <Route path="/network-settings" element={<Require permission="network-settings:manage"><NetworkSettingsPage /></Require>} />
        <Route path="/offers" element={<Require permission="offer:read"><OffersPage /></Require>} />
        <Route path="/offers/new" element={<Require permission="offer:manage"><OfferEditPage /></Require>} />
        <Route path="/offers/stale" element={<Require permission="offer:stale-overview"><StaleOffersPage /></Require>} />
        <Route path="/offers/import" element={<Require permission="catalogue:import"><CatalogueImportPage /></Require>} />
        <Route path="/offers/:id" element={<Require permission="offer:read"><OfferDetailPage /></Require>} />
        <Route path="/offers/:id/edit" element={<Require permission="offer:manage"><OfferEditPage /></Require>} />
        <Route path="/intake" element={<Require permission="help-request:read"><IntakePage /></Require>} />
        <Route path="/intake/new" element={<Require permission="help-request:write"><IntakeNewPage /></Require>} />
        <Route path="/help-requests/:id" element={<Require permission="help-request:read"><HelpRequestPage /></Require>} />
        <Route path="/help-requests/:id/print" element={<Require permission="help-request:read"><HelpRequestPrintPage /></Require>} />
        <Route path="/safety" element={<Require permission="safety:acknowledge"><SafetyPage /></Require>} />
        <Route path="/helpline/new" element={<Require permission="referral:write"><HelplineReferralPage /></Require>} />
        <Route path="/referrals" element={<Require permission="referral:read"><ReferralsPage /></Require>} />
        <Route path="/referrals/overdue" element={<Require permission="referral:overview"><OverdueReferralsPage /></Require>} />
        <Route path="/referrals/:id" element={<Require permission="referral:read"><ReferralDetailPage /></Require>} />
        <Route path="/notifications" element={<Require permission="referral:read"><NotificationsPage /></Require>} />
        <Route path="/aanbod" element={<PublicOffersPage />} />
        <Route path="/aanbod/:id" element={<PublicOfferDetailPage />} />
        <Route path="/account" element={<AccountPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Shell>
  );
}
