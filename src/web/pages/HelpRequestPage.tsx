import { useEffect, useState, type FormEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import {
  api,
  isOneOf,
  OFFER_LEVELS,
  ProblemError,
  type Client,
  type HelpRequest,
  type HelpRequestDetail,
  type Referral,
} from '../api';
import { useAuth } from '../auth';
import { useTaxonomy } from '../catalogue';
import {
  ErrorAlert,
  LoadFailed,
  Loading,
  StatusMessage,
  useFocusAfterRender,
  useFocusOnError,
} from '../components/Alerts';
import { clientLabel } from '../components/ClientPicker';
import {
  fromHelpRequest,
  helpRequestFieldLabels,
  HelpRequestFields,
  toHelpRequestInput,
  validateHelpRequest,
  type HelpRequestErrors,
  type HelpRequestValues,
} from '../components/HelpRequestFields';
import { CloseSection } from '../components/intake/CloseSection';
import { IndicationSection } from '../components/intake/IndicationSection';
import { MatchesSection } from '../components/intake/MatchesSection';
import { ReferralSection } from '../components/intake/ReferralSection';
import { CrisisAlert, SafetySection } from '../components/intake/SafetySection';
import { ScreeningSection } from '../components/intake/ScreeningSection';
import { RiskBadge } from '../components/RiskBadge';
import { formatDateTime, languageName } from '../format';
import { useDocumentTitle, useLoad } from '../hooks';
import { useLabels } from '../labels';
import { useMunicipalities } from '../municipalities';

/**
 * One help request from intake to referral, top to bottom: the request, screening, safety, indication,
 * suggestions, consent and referral, closing. Every step saves on its own; the page reads the request again after.
 */
export function HelpRequestPage() {
  const focusAfterRender = useFocusAfterRender();
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const labels = useLabels();
  // ?level=…&step=up|down: a care plan's evaluation stepped the level; the indication offers it
  const [search] = useSearchParams();
  const stepLevel = search.get('level');
  const step =
    stepLevel && isOneOf(OFFER_LEVELS, stepLevel)
      ? { level: stepLevel, direction: search.get('step') === 'down' ? ('down' as const) : ('up' as const) }
      : null;
  const detail = useLoad(() => api.helpRequest(id), [id]);
  const clientId = detail.data?.clientId ?? null;
  const client = useLoad<Client | null>(() => (clientId ? api.client(clientId) : Promise.resolve(null)), [clientId]);
  const [flash, setFlash] = useState<string | null>(
    (location.state as { flash?: string } | null)?.flash === 'created' ? t('intake.created') : null,
  );
  const [referral, setReferral] = useState<Referral | null>(null);
  const canWrite = can('help-request:write');
  const title = client.data
    ? t('intake.requestOf', { name: client.data.displayName })
    : detail.data && !detail.data.clientId
      ? t('intake.anonymousRequest')
      : t('intake.requestTitle');
  useDocumentTitle(title);

  useEffect(() => {
    // keep the query: a care plan's step (?level=…) must survive dropping the flash
    if (location.state) navigate(location.pathname + location.search, { replace: true, state: null });
  }, [location.state, location.pathname, location.search, navigate]);

  if (detail.loading && !detail.data) return <Loading />;
  if (detail.error && !detail.data) {
    return (
      <LoadFailed
        back={
          <p className="breadcrumb">
            <Link to="/intake">{t('intake.nav')}</Link>
          </p>
        }
        title={t('intake.requestTitle')}
        error={detail.error}
        notFound={t('intake.notFound')}
      />
    );
  }
  const r = detail.data!;

  /** A step saved: show its message and read the request again (signals, closable, matches follow). */
  function changed(message: string | null, updated?: HelpRequest) {
    setFlash(message);
    if (updated && detail.data) detail.setData({ ...detail.data, ...updated });
    detail.reload();
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/intake">{t('intake.nav')}</Link>
      </p>
      <div className="page-head">
        <h1>{title}</h1>
        <span className="badge" data-testid="help-request-status">
          {labels.helpRequestStatus(r.status)}
        </span>
        {r.urgency !== 'routine' && (
          <span className={`badge ${r.urgency === 'acute' ? 'badge-danger' : 'badge-warn'}`}>
            {labels.urgency(r.urgency)}
          </span>
        )}
        {r.riskLevel !== 'none' && <RiskBadge level={r.riskLevel} testId="help-request-risk" />}
        <div className="head-actions">
          {client.data && (
            <Link to={`/clients/${client.data.id}`} className="button secondary">
              {t('intake.openFile')}
            </Link>
          )}
          <Link to={`/help-requests/${r.id}/print`} className="button secondary">
            {t('print.open')}
          </Link>
        </div>
      </div>
      {client.data && <p className="muted">{clientLabel(client.data)}</p>}
      <StatusMessage message={flash} />
      <ErrorAlert error={detail.error} />
      {r.crisisActions && <CrisisAlert actions={r.crisisActions} />}
      <PageNav
        items={[
          ['request-title', 'request'],
          ['screening-title', 'screening'],
          ['safety-title', 'safety'],
          ['indication-title', 'indication'],
          ['matches-title', 'matches'],
          ...(r.referrals.length > 0 ? ([['referrals-of-request-title', 'referrals']] as const) : []),
          ...(r.chosenOfferId && can('consent:write') && can('referral:write')
            ? ([['referral-title', 'referral']] as const)
            : []),
          ['close-title', 'close'],
        ]}
      />

      <RequestSection
        request={r}
        canWrite={canWrite}
        fromClient={!!r.clientId}
        onSaved={(u) => changed(t('intake.updated'), u)}
      />
      <ScreeningSection
        request={r}
        canWrite={canWrite}
        onSaved={(result) => changed(result.safetySignal ? t('screening.savedWithSignal') : t('screening.saved'))}
      />
      <SafetySection request={r} canWrite={canWrite} onChanged={(message) => changed(message)} />
      <IndicationSection
        request={r}
        canWrite={canWrite}
        step={step}
        onSaved={(u, message) => {
          changed(message, u);
          // a care plan's step: the suggestions at the new level are the next thing to do
          if (step) focusAfterRender('matches-title');
        }}
      />
      <MatchesSection
        request={r}
        canWrite={canWrite}
        onChosen={(u, offerName) => {
          changed(t('matches.recorded', { offer: offerName }), u);
          focusAfterRender('referral-title');
        }}
      />
      {r.referrals.length > 0 && <ReferralsOfRequest referrals={r.referrals} />}
      {r.chosenOfferId && can('consent:write') && can('referral:write') && (
        <ReferralSection
          request={r}
          referral={referral}
          step={step}
          onReferred={(created) => {
            setReferral(created);
            changed(t('referralForm.sent'));
          }}
        />
      )}
      {/* closing is the one step that ends the request: apart, last, and confirmed in a dialog */}
      <div className="danger-zone">
        <CloseSection request={r} canWrite={canWrite} onClosed={(u) => changed(t('close.closed'), u)} />
      </div>
    </>
  );
}

type PageNavKey = 'request' | 'screening' | 'safety' | 'indication' | 'matches' | 'referrals' | 'referral' | 'close';

/** In-page navigation of the long help request page: each part one keystroke away. */
function PageNav({ items }: { items: readonly (readonly [string, PageNavKey])[] }) {
  const { t } = useTranslation();
  function go(e: MouseEvent<HTMLAnchorElement>, target: string) {
    const heading = document.getElementById(target);
    if (!heading) return;
    e.preventDefault();
    heading.scrollIntoView({ block: 'start' });
    // headings are not focusable by default: make this one reachable so a screen reader continues there
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
  return (
    <nav className="page-nav" aria-label={t('pageNav.label')} data-testid="help-request-nav">
      <ul>
        {items.map(([target, key]) => (
          <li key={target}>
            <a href={`#${target}`} onClick={(e) => go(e, target)}>
              {t(`pageNav.${key}`)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The referrals sent for this request, each with its status and a link: followed from here, never sent twice. */
function ReferralsOfRequest({ referrals }: { referrals: HelpRequestDetail['referrals'] }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <section className="card" aria-labelledby="referrals-of-request-title">
      <h2 id="referrals-of-request-title">{t('referralForm.listTitle')}</h2>
      <div className="table-wrap">
        <table className="table" data-testid="help-request-referrals">
          <caption className="visually-hidden">{t('referralForm.listTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('referralForm.listSent')}</th>
              <th scope="col">{t('referralForm.listTo')}</th>
              <th scope="col">{t('referralForm.listOffer')}</th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col">{t('referralForm.listAnswerDue')}</th>
            </tr>
          </thead>
          <tbody>
            {referrals.map((ref) => (
              <tr key={ref.id}>
                <td className="nowrap">
                  <Link to={`/referrals/${ref.id}`}>{formatDateTime(ref.sentAt)}</Link>
                </td>
                <td>{ref.receiverOrganizationName}</td>
                <td>{ref.offerName}</td>
                <td>
                  <span className="badge badge-status">{labels.referralStatus(ref.status)}</span>
                </td>
                <td className="nowrap">{ref.open ? formatDateTime(ref.answerDueAt) : t('common.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** (b) The help request as registered, with an edit form. */
function RequestSection({
  request: r,
  canWrite,
  fromClient,
  onSaved,
}: {
  request: HelpRequestDetail;
  canWrite: boolean;
  fromClient: boolean;
  onSaved: (u: HelpRequest) => void;
}) {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const taxonomy = useTaxonomy();
  const { byCode } = useMunicipalities();
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<HelpRequestValues>(() => fromHelpRequest(r));
  const [errors, setErrors] = useState<HelpRequestErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const none = t('common.none');
  const { ref: formRef, failed } = useFocusOnError();

  function set<K extends keyof HelpRequestValues>(key: K, value: HelpRequestValues[K]) {
    setValues((v) => ({ ...v, [key]: value }));
  }

  function save(e: FormEvent) {
    e.preventDefault();
    const errs = validateHelpRequest(values, t);
    setErrors(errs);
    if (Object.keys(errs).length) {
      setError(t('errors.fixFields'));
      failed();
      return;
    }
    setBusy(true);
    setError(null);
    api.updateHelpRequest(r.id, toHelpRequestInput(values)).then(
      (u) => {
        setBusy(false);
        setEditing(false);
        onSaved(u);
      },
      (err: unknown) => {
        setBusy(false);
        setError(err);
        if (err instanceof ProblemError) setErrors(err.byField());
        failed();
      },
    );
  }

  if (editing) {
    return (
      <section className="card" aria-labelledby="request-edit-title">
        <h2 id="request-edit-title">{t('intake.editTitle')}</h2>
        <form onSubmit={save} noValidate ref={formRef}>
          <ErrorAlert error={error} fieldLabels={helpRequestFieldLabels(t)} />
          <HelpRequestFields prefix="hr-edit" values={values} set={set} errors={errors} fromClient={fromClient} />
          <div className="actions">
            <button type="submit" className="button primary" disabled={busy}>
              {t('common.save')}
            </button>
            <button type="button" className="button secondary" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      </section>
    );
  }

  return (
    <section className="card" aria-labelledby="request-title">
      <div className="section-head">
        <h2 id="request-title">{t('intake.requestSection')}</h2>
        {canWrite && r.status !== 'closed' && (
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setValues(fromHelpRequest(r));
              setErrors({});
              setError(null);
              setEditing(true);
            }}
          >
            {t('common.edit')}
          </button>
        )}
      </div>
      <dl className="details" data-testid="help-request-details">
        <dt>{t('intake.receivedAt')}</dt>
        <dd>{formatDateTime(r.receivedAt)}</dd>
        <dt>{t('intake.channel')}</dt>
        <dd>{labels.channel(r.channel)}</dd>
        <dt>{t('intake.story')}</dt>
        <dd className="prewrap story">{r.story}</dd>
        <dt>{t('intake.context')}</dt>
        <dd className="prewrap">{r.context || none}</dd>
        <dt>{t('intake.clarification')}</dt>
        <dd className="prewrap">{r.clarification || none}</dd>
        <dt>{t('intake.lifeDomainsLabel')}</dt>
        <dd>{r.lifeDomains.length ? r.lifeDomains.map(labels.lifeDomain).join(', ') : none}</dd>
        <dt>{t('intake.themes')}</dt>
        <dd>{r.themes.length ? r.themes.map(taxonomy.themeLabel).join(', ') : none}</dd>
        <dt>{t('intake.urgency')}</dt>
        <dd>{labels.urgency(r.urgency)}</dd>
        <dt>{t('intake.age')}</dt>
        <dd>{r.age ?? none}</dd>
        <dt>{t('intake.municipality')}</dt>
        <dd>{r.municipality ? (byCode.get(r.municipality)?.name ?? r.municipality) : none}</dd>
        <dt>{t('intake.language')}</dt>
        <dd>{r.language ? languageName(r.language, i18n.language) : none}</dd>
        <dt>{t('intake.preferredModality')}</dt>
        <dd>{r.preferredModality ? labels.modality(r.preferredModality) : none}</dd>
      </dl>
    </section>
  );
}
