import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { api, type Client, type ClientDetail, type Consent } from '../api';
import { useAuth } from '../auth';
import { ErrorAlert, LoadFailed, Loading, StatusMessage } from '../components/Alerts';
import { ClientForm } from '../components/ClientForm';
import { useConfirm } from '../components/ConfirmDialog';
import { LoadedTable } from '../components/DataTable';
import { RiskBadge } from '../components/RiskBadge';
import { formatDate, formatDateTime, formatInsz, formatPhone, languageName, phoneHref } from '../format';
import { useDocumentTitle, useLoad } from '../hooks';
import { useLabels } from '../labels';
import { useMunicipalities } from '../municipalities';
import { useTaxonomy } from '../catalogue';
import { StartTrajectoryLink } from '../features/trajectories/StartTrajectoryLinks';
import { ClosedCarePlans } from '../features/care-plans/ClosedPlans';

export function ClientDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const location = useLocation();
  const labels = useLabels();
  const { byCode } = useMunicipalities();
  const client = useLoad(() => api.client(id), [id]);
  const [editing, setEditing] = useState(false);
  const [flash, setFlash] = useState<string | null>(
    (location.state as { flash?: string } | null)?.flash === 'created' ? t('clients.created') : null,
  );
  const [logVersion, setLogVersion] = useState(0);
  const navigate = useNavigate();
  useDocumentTitle(client.data?.displayName ?? t('clients.title'));

  // The "created" note is for this visit only, not for a reload.
  useEffect(() => {
    if (location.state) navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);

  if (client.loading && !client.data) return <Loading />;
  if (client.error || !client.data) {
    return (
      <LoadFailed
        back={
          <p className="breadcrumb">
            <Link to="/clients">{t('clients.title')}</Link>
          </p>
        }
        title={t('clients.title')}
        error={client.error}
        notFound={t('clients.notFound')}
      />
    );
  }

  const c = client.data;
  const none = t('common.none');
  const municipality = c.municipality ? (byCode.get(c.municipality)?.name ?? c.municipality) : none;

  function saved(updated: Client) {
    client.setData({ ...c, ...updated });
    setEditing(false);
    setFlash(t('clients.updated'));
    setLogVersion((n) => n + 1);
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/clients">{t('clients.title')}</Link>
      </p>
      <div className="page-head">
        <h1>{c.displayName}</h1>
        {c.identityKind !== 'named' && <span className="badge">{labels.identityKind(c.identityKind)}</span>}
        <StartTrajectoryLink clientId={c.id} />
        {can('care-plan:read') && (
          <Link className="button secondary" to={`/clients/${c.id}/hulpplan`} data-testid="open-care-plan">
            {t('carePlan.open')}
          </Link>
        )}
        {c.riskLevel !== 'none' && <RiskBadge level={c.riskLevel} testId="client-risk" />}
      </div>
      {can('care-plan:read') && <ClosedCarePlans clientId={c.id} />}
      <StatusMessage message={flash} />

      {editing ? (
        <section className="card">
          <h2 id="edit-title">{t('clients.editTitle')}</h2>
          <ClientForm client={c} onSaved={saved} onCancel={() => setEditing(false)} />
        </section>
      ) : (
        <section className="card">
          <div className="section-head">
            <h2 id="details-title">{t('clients.details')}</h2>
            {can('client:update') && (
              <button
                type="button"
                className="button secondary"
                onClick={() => {
                  setFlash(null);
                  setEditing(true);
                }}
              >
                {t('common.edit')}
              </button>
            )}
          </div>
          <dl className="details">
            <dt>{t('clients.identityKind')}</dt>
            <dd>{labels.identityKind(c.identityKind)}</dd>
            {c.identityKind === 'named' && (
              <>
                <dt>{t('clients.givenName')}</dt>
                <dd>{c.givenName ?? none}</dd>
                <dt>{t('clients.familyName')}</dt>
                <dd>{c.familyName ?? none}</dd>
              </>
            )}
            {c.identityKind === 'pseudonym' && (
              <>
                <dt>{t('clients.pseudonym')}</dt>
                <dd>{c.pseudonym ?? none}</dd>
              </>
            )}
            {c.birthDate || !c.birthYear ? (
              <>
                <dt>{t('clients.birthDate')}</dt>
                <dd>{formatDate(c.birthDate) || none}</dd>
              </>
            ) : (
              <>
                <dt>{t('clients.birthYear')}</dt>
                <dd>{c.birthYear}</dd>
              </>
            )}
            <dt>{t('clients.municipality')}</dt>
            <dd>{municipality}</dd>
            <dt>{t('clients.phone')}</dt>
            <dd>{c.phone ? <a href={phoneHref(c.phone)}>{formatPhone(c.phone)}</a> : none}</dd>
            <dt>{t('clients.email')}</dt>
            <dd>{c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : none}</dd>
            <dt>{t('clients.preferredLanguage')}</dt>
            <dd>{c.preferredLanguage ? languageName(c.preferredLanguage, i18n.language) : none}</dd>
            {c.identityKind === 'named' && (
              <>
                <dt>{t('clients.insz')}</dt>
                <dd>{formatInsz(c.insz) || none}</dd>
              </>
            )}
            <dt>{t('clients.createdAt')}</dt>
            <dd>{formatDateTime(c.createdAt)}</dd>
            <dt>{t('clients.updatedAt')}</dt>
            <dd>{formatDateTime(c.updatedAt)}</dd>
          </dl>
        </section>
      )}

      {c.origins.length > 0 && <Origins origins={c.origins} />}
      {can('help-request:read') && <HelpRequests clientId={c.id} />}
      {can('consent:write') && <Consents clientId={c.id} />}

      {can('client:access-log') && <AccessLog clientId={c.id} version={logVersion} />}
    </>
  );
}

/** The referrals through which the person came to this organisation, each with a link and what was shared. */
function Origins({ origins }: { origins: ClientDetail['origins'] }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { themeLabel } = useTaxonomy();
  return (
    <section className="card" aria-labelledby="client-origins-title" data-testid="client-origins">
      <h2 id="client-origins-title">{t('clients.originsTitle')}</h2>
      <ul className="list">
        {origins.map((o) => (
          <li key={o.referralId}>
            <p>
              {t('clients.originReferral', {
                organization: o.senderOrganizationName,
                date: formatDate(o.receivedAt.slice(0, 10)),
              })}{' '}
              · {labels.referralStatus(o.status)} ·{' '}
              <Link to={`/referrals/${o.referralId}`}>{t('clients.originOpen')}</Link>
            </p>
            {o.sharedHelpRequest ? (
              <>
                <p className="hint">{t('clients.originShared')}</p>
                {o.sharedHelpRequest.story && <blockquote>{o.sharedHelpRequest.story}</blockquote>}
                {o.sharedHelpRequest.themes.length > 0 && (
                  <p>{o.sharedHelpRequest.themes.map((theme) => themeLabel(theme)).join(', ')}</p>
                )}
              </>
            ) : (
              <p className="hint">{t('clients.originNotShared')}</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The person's help requests in this organisation, and the way to start a new one (a returning client). */
function HelpRequests({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const labels = useLabels();
  const requests = useLoad(() => api.helpRequests({ clientId }), [clientId]);
  return (
    <section className="card" aria-labelledby="client-requests-title">
      <div className="section-head">
        <h2 id="client-requests-title">{t('intake.clientRequests')}</h2>
        {can('help-request:write') && (
          <Link to={`/intake/new?client=${clientId}`} className="button secondary">
            {t('intake.newTitle')}
          </Link>
        )}
      </div>
      <ErrorAlert error={requests.error} />
      {requests.loading && !requests.data ? (
        <Loading />
      ) : requests.data && requests.data.items.length === 0 ? (
        <p className="empty">{t('intake.clientRequestsEmpty')}</p>
      ) : requests.data ? (
        <ul className="list" data-testid="client-help-requests">
          {requests.data.items.map((r) => (
            <li key={r.id}>
              <Link to={`/help-requests/${r.id}`}>{formatDateTime(r.receivedAt)}</Link> ·{' '}
              {labels.helpRequestStatus(r.status)} ·{' '}
              <span className="muted">{r.story.length > 80 ? `${r.story.slice(0, 80)}…` : r.story}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** The consents the person gave (and their withdrawal, which stops all further sharing at once). */
function Consents({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const consents = useLoad(() => api.clientConsents(clientId), [clientId]);
  const organizations = useLoad(() => api.organizations(), []);
  const [confirm, dialog] = useConfirm();
  const [flash, setFlash] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const orgName = (id: string) => organizations.data?.items.find((o) => o.id === id)?.name ?? id;
  const recordedBy = (c: Consent) =>
    !c.recordedBy
      ? t('common.none')
      : c.recordedBy.kind === 'token'
        ? t('consent.recordedByToken', { name: c.recordedBy.name ?? c.recordedBy.id })
        : (c.recordedBy.name ?? t('common.none'));

  async function withdraw(c: Consent) {
    const ok = await confirm({
      title: t('consent.withdrawTitle'),
      message: t('consent.withdrawMessage', { organization: orgName(c.recipientOrganizationId) }),
      confirmLabel: t('consent.withdraw'),
      danger: true,
    });
    if (!ok) return;
    setBusy(c.id);
    setError(null);
    setFlash(null);
    api.withdrawConsent(c.id, null).then(
      (updated) => {
        setBusy(null);
        if (consents.data)
          consents.setData({ items: consents.data.items.map((x) => (x.id === updated.id ? updated : x)) });
        setFlash(t('consent.withdrawn'));
      },
      (err: unknown) => {
        setBusy(null);
        setError(err);
      },
    );
  }

  return (
    <section className="card" aria-labelledby="client-consents-title">
      <h2 id="client-consents-title">{t('consent.listTitle')}</h2>
      {dialog}
      <StatusMessage message={flash} />
      <LoadedTable
        list={consents}
        error={error ?? consents.error}
        empty={t('consent.listEmpty')}
        caption={t('consent.listTitle')}
        testId="client-consents"
        columns={[
          t('consent.recordedAt'),
          t('consent.recordedBy'),
          t('consent.purpose'),
          t('consent.recipient'),
          t('consent.offer'),
          t('consent.categoriesLabel'),
          t('consent.method'),
          t('consent.validUntil'),
          t('common.status'),
          t('common.actions'),
        ]}
        row={(c) => (
          <tr key={c.id}>
            <td className="nowrap">{formatDateTime(c.recordedAt)}</td>
            <td>{recordedBy(c)}</td>
            <td>{labels.consentPurpose(c.purpose)}</td>
            <td>{orgName(c.recipientOrganizationId)}</td>
            <td>
              {c.recipientOfferId ? (
                <Link to={`/offers/${c.recipientOfferId}`}>{c.recipientOfferName ?? c.recipientOfferId}</Link>
              ) : (
                t('consent.anyOffer')
              )}
            </td>
            <td>{c.categories.map(labels.consentCategory).join(', ')}</td>
            <td>{labels.consentMethod(c.method)}</td>
            <td className="nowrap">{c.validUntil ? formatDate(c.validUntil) : t('consent.untilWithdrawn')}</td>
            <td>
              {c.withdrawnAt
                ? t('consent.withdrawnOn', { date: formatDateTime(c.withdrawnAt) })
                : c.active
                  ? t('consent.active')
                  : t('consent.expired')}
            </td>
            <td>
              {!c.withdrawnAt && (
                <button
                  type="button"
                  className="button danger small"
                  disabled={busy === c.id}
                  onClick={() => void withdraw(c)}
                  aria-label={`${t('consent.withdraw')}: ${orgName(c.recipientOrganizationId)}, ${formatDateTime(c.recordedAt)}`}
                >
                  {t('consent.withdraw')}
                </button>
              )}
            </td>
          </tr>
        )}
      />
    </section>
  );
}

function AccessLog({ clientId, version }: { clientId: string; version: number }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const log = useLoad(() => api.clientAccessLog(clientId), [clientId, version]);
  return (
    <section className="card">
      <h2 id="access-log-title">{t('clients.accessLog')}</h2>
      <p className="hint">{t('clients.accessLogIntro')}</p>
      <LoadedTable
        list={log}
        empty={t('clients.accessLogEmpty')}
        caption={t('clients.accessLog')}
        testId="access-log"
        columns={[
          t('clients.accessAt'),
          t('clients.accessUser'),
          t('clients.accessRole'),
          t('clients.accessOrganization'),
          t('clients.accessAction'),
        ]}
        row={(entry, i) => (
          <tr key={`${entry.at}-${i}`}>
            <td className="nowrap">{formatDateTime(entry.at)}</td>
            <td>
              {entry.refusedAttempt ? (
                <span className="badge badge-warn">
                  {t('audit.attemptBy', {
                    organization: entry.organizationName ?? t('common.none'),
                    role: labels.role(entry.role) || t('common.none'),
                  })}
                </span>
              ) : entry.sharedAccess ? (
                <span className="badge" data-testid="access-shared">
                  {t('audit.sharedBy', {
                    organization: entry.organizationName ?? t('common.none'),
                    role: labels.role(entry.role) || t('common.none'),
                  })}
                </span>
              ) : (
                (entry.userDisplayName ?? t('audit.system'))
              )}
            </td>
            <td>{labels.role(entry.role) || t('common.none')}</td>
            <td>{entry.organizationName ?? t('common.none')}</td>
            <td>{entry.refusedAttempt ? labels.clientAttempt(entry.action) : labels.clientAction(entry.action)}</td>
          </tr>
        )}
      />
    </section>
  );
}
