import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { api, CAPACITIES, type Capacity, type Offer } from '../api';
import { useAuth } from '../auth';
import { ErrorAlert, LoadFailed, Loading, StatusMessage } from '../components/Alerts';
import { Field, TextField } from '../components/Field';
import { OfferPublicFields } from '../components/OfferParts';
import { formatDateTime } from '../format';
import { useDocumentTitle, useLoad, useSubmit } from '../hooks';
import { useLabels } from '../labels';
import { useMunicipalities } from '../municipalities';

interface DetailState {
  /** the search the user came from, for the way back */
  from?: string;
  flash?: 'created' | 'updated';
}

/** One offer with all its fields; its own organisation updates the capacity right here. */
export function OfferDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const { byCode } = useMunicipalities();
  const offer = useLoad(() => api.offer(id), [id]);
  const state = (location.state as DetailState | null) ?? {};
  const from = useRef(state.from ?? '');
  const [flash, setFlash] = useState<string | null>(
    state.flash === 'created' ? t('offers.created') : state.flash === 'updated' ? t('offers.updated') : null,
  );
  useDocumentTitle(offer.data?.name ?? t('offers.title'));

  // the note is for this visit only, not for a reload (the way back stays)
  useEffect(() => {
    if (state.flash) navigate(location.pathname, { replace: true, state: { from: from.current } });
  }, [state.flash, location.pathname, navigate]);

  const back = (
    <p className="breadcrumb">
      <Link to={`/offers${from.current}`}>{t('offers.backToList')}</Link>
    </p>
  );

  if (offer.loading && !offer.data) return <Loading />;
  if (offer.error || !offer.data) {
    return <LoadFailed back={back} title={t('offers.title')} error={offer.error} notFound={t('offers.notFound')} />;
  }

  const o = offer.data;
  const mayManage = o.mayEdit && can('offer:manage');
  const none = t('common.none');
  const municipalityName = byCode.size > 0 ? (code: string) => byCode.get(code)?.name ?? code : undefined;

  return (
    <>
      {back}
      <div className="page-head">
        <h1>{o.name}</h1>
        {!o.active && <span className="badge badge-off">{t('offers.inactiveBadge')}</span>}
        {!o.isPublic && <span className="badge badge-off">{t('offers.notPublicBadge')}</span>}
        {mayManage && (
          <Link to={`/offers/${o.id}/edit`} state={{ from: from.current }} className="button secondary">
            {t('common.edit')}
          </Link>
        )}
      </div>
      <StatusMessage message={flash} />

      {mayManage && (
        <QuickCapacity
          offer={o}
          onSaved={(updated, message) => {
            offer.setData(updated);
            setFlash(message);
          }}
          onBusy={() => setFlash(null)}
        />
      )}

      <section className="card" aria-labelledby="offer-details-title">
        <h2 id="offer-details-title">{t('offers.details')}</h2>
        <OfferPublicFields offer={o} municipalityName={municipalityName} />
      </section>

      <section className="card" aria-labelledby="offer-internal-title" data-testid="offer-internal">
        <h2 id="offer-internal-title">{t('offers.internal')}</h2>
        <p className="hint">{t('offers.internalHint')}</p>
        <dl className="details">
          <dt>{t('offers.whoMayRefer')}</dt>
          <dd className="prewrap">{o.whoMayRefer || none}</dd>
          <dt>{t('offers.consentRequired')}</dt>
          <dd>{o.consentRequired ? t('common.yes') : t('common.no')}</dd>
          <dt>{t('offers.sites')}</dt>
          <dd>
            <SiteNames organizationId={o.organizationId} siteIds={o.siteIds} />
          </dd>
          <dt>{t('offers.isPublic')}</dt>
          <dd>{o.isPublic ? t('common.yes') : t('common.no')}</dd>
          <dt>{t('offers.active')}</dt>
          <dd>{o.active ? t('common.yes') : t('common.no')}</dd>
          <dt>{t('offers.internalNote')}</dt>
          <dd className="prewrap">{o.internalNote || none}</dd>
          <dt>{t('offers.createdAt')}</dt>
          <dd>{formatDateTime(o.createdAt)}</dd>
        </dl>
      </section>
    </>
  );
}

function SiteNames({ organizationId, siteIds }: { organizationId: string; siteIds: string[] }) {
  const { t } = useTranslation();
  const org = useLoad(
    () => (siteIds.length ? api.organization(organizationId) : Promise.resolve(null)),
    [organizationId, siteIds.join(',')],
  );
  if (siteIds.length === 0) return <>{t('common.none')}</>;
  if (!org.data) return <>{t('offers.sitesCount', { count: siteIds.length })}</>;
  const names = new Map(org.data.sites.map((s) => [s.id, s.name]));
  const known = siteIds.filter((id) => names.has(id));
  const unknown = siteIds.length - known.length;
  return (
    <>
      {[...known.map((id) => names.get(id)), ...(unknown > 0 ? [t('offers.sitesCount', { count: unknown })] : [])].join(
        ', ',
      )}
    </>
  );
}

/**
 * The coordinator's quick update: capacity and waiting time in one line, or a single press to confirm that
 * nothing changed (the same endpoint with the current values; it renews "capacity confirmed on").
 */
function QuickCapacity({
  offer,
  onSaved,
  onBusy,
}: {
  offer: Offer;
  onSaved: (offer: Offer, message: string) => void;
  onBusy: () => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [capacity, setCapacity] = useState<Capacity>(
    (CAPACITIES as readonly string[]).includes(offer.capacity) ? offer.capacity : 'open',
  );
  const [waitDays, setWaitDays] = useState(offer.waitDays === null ? '' : String(offer.waitDays));
  const [waitError, setWaitError] = useState<string | undefined>(undefined);
  const { error, errors, busy, run, formRef, failed } = useSubmit();

  function parseWait(value: string): number | null | undefined {
    const v = value.trim();
    if (!v) return null;
    if (!/^\d{1,4}$/.test(v) || Number(v) > 3650) return undefined;
    return Number(v);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const days = parseWait(waitDays);
    if (days === undefined) {
      setWaitError(t('offers.numberInvalid', { min: 0, max: 3650 }));
      failed();
      return;
    }
    setWaitError(undefined);
    onBusy();
    void run(async () => {
      const updated = await api.updateCapacity(offer.id, { capacity, waitDays: days });
      onSaved(updated, t('offers.capacitySaved'));
    });
  }

  function confirmUnchanged() {
    setWaitError(undefined);
    onBusy();
    void run(async () => {
      const updated = await api.updateCapacity(offer.id, {
        capacity: offer.capacity,
        waitDays: offer.waitDays,
      });
      setCapacity(updated.capacity);
      setWaitDays(updated.waitDays === null ? '' : String(updated.waitDays));
      onSaved(updated, t('offers.capacityConfirmed'));
    });
  }

  return (
    <section className="card quick-capacity" aria-labelledby="quick-capacity-title">
      <h2 id="quick-capacity-title">{t('offers.quickTitle')}</h2>
      <p className="hint">{t('offers.quickIntro', { date: formatDateTime(offer.capacityUpdatedAt) })}</p>
      <ErrorAlert error={error} />
      <form onSubmit={submit} noValidate className="quick-capacity-form" ref={formRef}>
        <Field id="quick-capacity" label={t('offers.capacity')} error={errors.capacity}>
          {(control) => (
            <select {...control} value={capacity} onChange={(e) => setCapacity(e.target.value as Capacity)}>
              {CAPACITIES.map((c) => (
                <option key={c} value={c}>
                  {labels.capacity(c)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField
          id="quick-wait-days"
          label={t('offers.waitDays')}
          type="number"
          inputMode="numeric"
          min={0}
          max={3650}
          value={waitDays}
          onChange={setWaitDays}
          error={waitError ?? errors.waitDays}
          className="narrow"
        />
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {t('offers.capacityUpdate')}
          </button>
          <button type="button" className="button secondary" disabled={busy} onClick={confirmUnchanged}>
            {t('offers.capacityConfirm')}
          </button>
        </div>
      </form>
    </section>
  );
}
