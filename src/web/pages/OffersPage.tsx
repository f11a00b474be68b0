import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth, useMe } from '../auth';
import { OfferSearch } from '../components/OfferSearch';
import { useDocumentTitle } from '../hooks';

/** The network's catalogue for signed-in users (permission offer:read). */
export function OffersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  useDocumentTitle(t('offers.title'));
  const mayCreate = can('offer:manage') && !!me.membership.organizationId;

  return (
    <>
      <div className="page-head">
        <h1>{t('offers.title')}</h1>
        <div className="head-actions">
          {can('offer:stale-overview') && (
            <Link to="/offers/stale" className="button secondary">
              {t('offers.staleTitle')}
            </Link>
          )}
          {mayCreate && (
            <Link to="/offers/new" className="button primary">
              {t('offers.newOffer')}
            </Link>
          )}
        </div>
      </div>
      <p>{t('offers.intro', { network: me.membership.networkName })}</p>
      <OfferSearch mode="internal" basePath="/offers" municipalityFilter />
    </>
  );
}
