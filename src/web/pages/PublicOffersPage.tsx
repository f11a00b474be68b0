import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { api, ProblemError } from '../api';
import { useAuth } from '../auth';
import { ErrorAlert, Loading } from '../components/Alerts';
import { OfferPublicFields } from '../components/OfferParts';
import { OfferSearch } from '../components/OfferSearch';
import { useDocumentTitle, useLoad } from '../hooks';
import { useMunicipalities } from '../municipalities';

/** The public catalogue (/aanbod): no sign-in, public offers of every network, public fields only. */
export function PublicOffersPage() {
  const { t } = useTranslation();
  const { status, can } = useAuth();
  useDocumentTitle(t('offers.title'));
  // the municipality list is reference data for signed-in users only
  const signedIn = status === 'authenticated' && can('reference:read');
  return (
    <>
      <h1>{t('offers.title')}</h1>
      <p>{t('offers.publicIntro')}</p>
      <OfferSearch mode="public" basePath="/aanbod" municipalityFilter={signedIn} />
    </>
  );
}

export function PublicOfferDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const { status, can } = useAuth();
  const from = useRef((location.state as { from?: string } | null)?.from ?? '');
  const offer = useLoad(() => api.publicOffer(id), [id]);
  useDocumentTitle(offer.data?.name ?? t('offers.title'));
  const back = (
    <p className="breadcrumb">
      <Link to={`/aanbod${from.current}`}>{t('offers.backToList')}</Link>
    </p>
  );

  if (offer.loading && !offer.data) return <Loading />;
  if (offer.error || !offer.data) {
    const notFound = offer.error instanceof ProblemError && (offer.error.status === 404 || offer.error.status === 400);
    return (
      <>
        {back}
        <h1>{t('offers.title')}</h1>
        <ErrorAlert error={notFound ? t('offers.notFound') : offer.error} />
      </>
    );
  }
  const o = offer.data;
  return (
    <>
      {back}
      <h1>{o.name}</h1>
      <section className="card" aria-labelledby="public-offer-details-title">
        <h2 id="public-offer-details-title">{t('offers.details')}</h2>
        {status === 'authenticated' && can('reference:read') ? (
          <NamedFields offer={o} />
        ) : (
          <OfferPublicFields offer={o} />
        )}
      </section>
    </>
  );
}

function NamedFields({ offer }: { offer: Parameters<typeof OfferPublicFields>[0]['offer'] }) {
  const { byCode } = useMunicipalities();
  return (
    <OfferPublicFields
      offer={offer}
      municipalityName={byCode.size > 0 ? (code) => byCode.get(code)?.name ?? code : undefined}
    />
  );
}
