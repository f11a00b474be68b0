import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api';
import { daysSince } from '../catalogue';
import { LoadedTable } from '../components/DataTable';
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
      <LoadedTable
        list={list}
        items={items}
        empty={t('offers.staleEmpty', { days: STALE_DAYS })}
        emptyTestId="stale-empty"
        caption={t('offers.staleCaption')}
        testId="stale-offers"
        columns={[t('offers.colOffer'), t('offers.colOrganization'), t('offers.colCapacity'), t('offers.colConfirmed'), { label: t('offers.colDays'), className: 'numeric' }]}
        row={(o) => (
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
        )}
      />
    </>
  );
}
