import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api';
import { useAuth } from '../auth';
import { ErrorAlert, Loading } from '../components/Alerts';
import { formatBirth, formatInsz } from '../format';
import { useDocumentTitle, useLoad } from '../hooks';
import { useLabels } from '../labels';
import { useMunicipalities } from '../municipalities';

const PAGE_SIZE = 25;
const RECENT_SIZE = 10;
const MIN_QUERY = 2;
const DEBOUNCE_MS = 350;

/**
 * The client register: one search box (name, birth date or INSZ; the server recognises which).
 * The query lives in the address (?q=&page=) so that "back" returns to the same results.
 */
export function ClientsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const [input, setInput] = useState(q);
  const timer = useRef<number | undefined>(undefined);
  const { byCode } = useMunicipalities();
  useDocumentTitle(t('clients.title'));

  // Search while typing, a moment after the last key.
  useEffect(() => {
    const value = input.trim();
    if (value === q) return;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      setParams(value ? { q: value } : {}, { replace: true });
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [input]);

  // Address changed from outside (back/forward): show it in the box.
  useEffect(() => setInput((current) => (current.trim() === q ? current : q)), [q]);

  // no query: the organisation's most recently changed clients, so the page is never empty on arrival
  const recent = q.length === 0;
  const results = useLoad(
    () =>
      recent
        ? api.searchClients('', 1, RECENT_SIZE)
        : q.length >= MIN_QUERY
          ? api.searchClients(q, page, PAGE_SIZE)
          : Promise.resolve(null),
    [q, page],
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    window.clearTimeout(timer.current);
    const value = input.trim();
    setParams(value ? { q: value } : {}, { replace: value === q });
    if (value === q) results.reload();
  }

  function goTo(nextPage: number) {
    setParams({ q, page: String(nextPage) });
  }

  const data = results.data;
  const pages = data && !recent ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;

  return (
    <>
      <div className="page-head">
        <h1>{t('clients.title')}</h1>
        {can('client:create') && (
          <Link to="/clients/new" className="button primary">
            {t('clients.newClient')}
          </Link>
        )}
      </div>

      <div className="card">
        <form role="search" onSubmit={submit} className="search-form">
          <label htmlFor="client-search">{t('clients.search')}</label>
          <p className="hint" id="client-search-hint">
            {t('clients.searchHint')}
          </p>
          <div className="inline">
            <input
              id="client-search"
              name="q"
              type="search"
              value={input}
              onChange={(e) => setInput(e.target.value)}
              aria-describedby="client-search-hint"
              autoComplete="off"
              spellCheck={false}
              maxLength={100}
              autoFocus
            />
            <button type="submit" className="button primary">
              {t('clients.searchSubmit')}
            </button>
          </div>
        </form>
      </div>

      <ErrorAlert error={results.error} />

      <div role="status" aria-live="polite" className="live-region">
        {data && q.length >= MIN_QUERY && data.total > 0 && (
          <p className="result-count">{t('clients.results', { count: data.total })}</p>
        )}
      </div>

      {recent && data && <h2 id="recent-clients-title">{t('clients.recentTitle')}</h2>}
      {!recent && q.length < MIN_QUERY ? (
        <p className="empty">{t('clients.searchStart')}</p>
      ) : results.loading && !data ? (
        <Loading />
      ) : recent && data && data.items.length === 0 ? (
        <p className="empty" data-testid="clients-empty">
          {t('clients.recentEmpty')}
        </p>
      ) : data && data.items.length === 0 ? (
        <div className="empty" data-testid="clients-empty">
          <p>{t('clients.empty', { q })}</p>
          {can('client:create') && (
            <p>
              <Link to="/clients/new">{t('clients.newClient')}</Link>
            </p>
          )}
        </div>
      ) : data ? (
        <>
          <div className="table-wrap">
            <table className="table" aria-busy={results.loading}>
              <caption className="visually-hidden">
                {recent ? t('clients.recentTitle') : t('clients.resultsCaption')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('clients.colName')}</th>
                  <th scope="col">{t('clients.colBirth')}</th>
                  <th scope="col">{t('clients.colMunicipality')}</th>
                  <th scope="col">{t('clients.colInsz')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/clients/${c.id}`}>{c.displayName}</Link>
                      {c.identityKind !== 'named' && (
                        <span className="badge">{labels.identityKind(c.identityKind)}</span>
                      )}
                    </td>
                    <td>{formatBirth(c.birthDate, c.birthYear) || t('common.none')}</td>
                    <td>
                      {(c.municipality && byCode.get(c.municipality)?.name) || c.municipality || t('common.none')}
                    </td>
                    <td className="nowrap">{formatInsz(c.insz) || t('common.none')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pages > 1 && (
            <nav className="pager" aria-label={t('common.pageOf', { page, pages })}>
              <button
                type="button"
                className="button secondary small"
                disabled={page <= 1}
                onClick={() => goTo(page - 1)}
              >
                {t('common.previous')}
              </button>
              <span>{t('common.pageOf', { page, pages })}</span>
              <button
                type="button"
                className="button secondary small"
                disabled={page >= pages}
                onClick={() => goTo(page + 1)}
              >
                {t('common.next')}
              </button>
            </nav>
          )}
        </>
      ) : null}
    </>
  );
}
