import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api';
import { daysSince } from '../catalogue';
import { ErrorAlert, Loading } from '../components/Alerts';
import { CapacityBadge } from '../components/OfferParts';
import { formatDate } from '../format';
import { useDocumentTitle, useLoad } from '../hooks';

/** Days after which the server calls a capacity stale (offers.repository STALE_DAYS). */
const STALE_DAYS = 14;

/** For network coordinators: offers whose capacity nobody confirmed for 14 days, the oldest first. */
export function StaleOffersPage() {
  const { t } = useTranslation();
  const list = useLoad(() => api.staleOffers(), []);
  useDocumentTitle(t('offers.staleTitle'));
  const now = Date.now();
  // the server sorts as well; sorting here keeps the promise of the page whatever it sends
  const items = [...(list.data?.items ?? [])].sort((a, b) => a.capacityUpdatedAt.localeCompare(b.capacityUpdatedAt));

  return (
    <>
      <p className="breadcrumb">
        <Link to="/offers">{t('offers.backToList')}</Link>
      </p>
      <h1>{t('offers.staleTitle')}</h1>
      <p>{t('offers.staleIntro', { days: STALE_DAYS })}</p>
      <ErrorAlert error={list.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data && items.length === 0 ? (
        <p className="empty" data-testid="stale-empty">
          {t('offers.staleEmpty', { days: STALE_DAYS })}
        </p>
      ) : list.data ? (
        <div className="table-wrap">
          <table className="table" data-testid="stale-offers">
            <caption className="visually-hidden">{t('offers.staleCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('offers.colOffer')}</th>
                <th scope="col">{t('offers.colOrganization')}</th>
                <th scope="col">{t('offers.colCapacity')}</th>
                <th scope="col">{t('offers.colConfirmed')}</th>
                <th scope="col" className="numeric">
                  {t('offers.colDays')}
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((o) => (
                <tr key={o.id}>
                  <th scope="row" className="row-head">
                    <Link to={`/offers/${o.id}`}>{o.name}</Link>
                  </th>
                  <td>{o.organizationName}</td>
                  <td>
                    <CapacityBadge capacity={o.capacity} waitDays={o.waitDays} />
                  </td>
                  <td className="nowrap">{formatDate(o.capacityUpdatedAt)}</td>
                  <td className="numeric">{daysSince(o.capacityUpdatedAt, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
