import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api';
import { daysSince } from '../catalogue';
import { LoadedTable } from '../components/DataTable';
import { CapacityBadge } from '../components/OfferParts';
import { formatDate } from '../format';
import { useDocumentTitle, useLoad } from '../hooks';

/** Days after which the server calls a capacity stale (offers.repository STALE_DAYS). */
const STALE_DAYS = 14;

/** For network coordinators: offers whose capacity nobody confirmed for 14 days, the oldest first, paged (?page=). */
export function StaleOffersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = Number(params.get('page') ?? '1');
  const page = Number.isInteger(requested) && requested >= 1 && requested <= 9999 ? requested : 1;
  const list = useLoad(() => api.staleOffers(page), [page]);
  useDocumentTitle(t('offers.staleTitle'));
  const now = Date.now();
  // the server sorts as well; sorting here keeps the promise of the page whatever it sends
  const items = [...(list.data?.items ?? [])].sort((a, b) => a.capacityUpdatedAt.localeCompare(b.capacityUpdatedAt));
  // the server pages (a page holds up to 500, the oldest first): previous and next when there is more than one
  const total = list.data?.total ?? items.length;
  const pageSize = list.data?.pageSize ?? (items.length || 1);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const goTo = (next: number) => {
    const p = new URLSearchParams(params);
    if (next > 1) p.set('page', String(next));
    else p.delete('page');
    setParams(p);
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/offers">{t('offers.backToList')}</Link>
      </p>
      <h1>{t('offers.staleTitle')}</h1>
      <p>{t('offers.staleIntro', { days: STALE_DAYS })}</p>
      {total > pageSize && (
        <p data-testid="stale-total">
          {t('offers.results', { count: total })} · {t('common.pageOf', { page, pages })}
        </p>
      )}
      <LoadedTable
        list={list}
        items={items}
        empty={t('offers.staleEmpty', { days: STALE_DAYS })}
        emptyTestId="stale-empty"
        caption={t('offers.staleCaption')}
        testId="stale-offers"
        columns={[
          t('offers.colOffer'),
          t('offers.colOrganization'),
          t('offers.colCapacity'),
          t('offers.colConfirmed'),
          { label: t('offers.colDays'), className: 'numeric' },
        ]}
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
      {total > pageSize && (
        <nav className="pager" aria-label={t('common.pageOf', { page, pages })} data-testid="stale-pager">
          <button
            type="button"
            className="button secondary small"
            disabled={page <= 1 || list.loading}
            onClick={() => goTo(page - 1)}
          >
            {t('common.previous')}
          </button>
          <span>{t('common.pageOf', { page, pages })}</span>
          <button
            type="button"
            className="button secondary small"
            disabled={page >= pages || list.loading}
            onClick={() => goTo(page + 1)}
          >
            {t('common.next')}
          </button>
        </nav>
      )}
    </>
  );
}
