import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router-dom';
import {
  api,
  CAPACITIES,
  isOneOf,
  MODALITIES,
  OFFER_LEVELS,
  type FacetCount,
  type OfferQuery,
  type PublicOffer,
  type SearchResult,
} from '../api';
import { useLanguageName, useTaxonomy } from '../catalogue';
import { useLoad } from '../hooks';
import { useLabels } from '../labels';
import { ErrorAlert, Loading } from './Alerts';
import { CheckboxGroup, type CheckboxOption } from './CheckboxGroup';
import { Field, TextField } from './Field';
import { MunicipalityCombobox } from './MunicipalityCombobox';
import { CapacityBadge, StaleMarker, ThemeTags } from './OfferParts';

export const OFFER_PAGE_SIZE = 20;
const DEBOUNCE_MS = 350;
const TERM = /^[a-z0-9][a-z0-9-]{1,60}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type ListKey = 'theme' | 'category' | 'level' | 'modality' | 'language' | 'capacity';
type ListValue<K extends ListKey> = NonNullable<OfferQuery[K]>[number];
const LIST_RULES: { [K in ListKey]: { max: number; valid: (v: string) => v is ListValue<K> } } = {
  theme: { max: 20, valid: (v): v is string => TERM.test(v) },
  category: { max: 20, valid: (v): v is string => TERM.test(v) },
  level: { max: 4, valid: (v) => isOneOf(OFFER_LEVELS, v) },
  modality: { max: 6, valid: (v) => isOneOf(MODALITIES, v) },
  language: { max: 10, valid: (v): v is string => /^[a-z]{2}$/.test(v) },
  capacity: { max: 4, valid: (v) => isOneOf(CAPACITIES, v) },
};
const NUMBER_RULES = { age: 120, maxWaitDays: 3650 } as const;

function wholeNumber(value: string | null, max: number): number | undefined {
  const v = (value ?? '').trim();
  if (!/^\d{1,4}$/.test(v)) return undefined;
  const n = Number(v);
  return n <= max ? n : undefined;
}

function putList<K extends ListKey>(query: OfferQuery, key: K, values: ListValue<K>[]): void {
  // the values are this key's own (TypeScript does not follow a generic key from the values to the field)
  if (values.length) query[key] = values as OfferQuery[K];
}

function listParam<K extends ListKey>(params: URLSearchParams, key: K): ListValue<K>[] {
  const rule: { max: number; valid: (v: string) => v is ListValue<K> } = LIST_RULES[key];
  return [...new Set(params.getAll(key).filter(rule.valid))].slice(0, rule.max);
}

/**
 * The address is the state of the search (?q=&theme=&theme=&level=…&sort=&page=), so "back" and a shared
 * link show the same results. Values the server would refuse are dropped here rather than sent.
 */
export function queryFromParams(params: URLSearchParams): OfferQuery {
  const query: OfferQuery = {
    sort: params.get('sort') === 'wait' ? 'wait' : 'relevance',
    page: wholeNumber(params.get('page'), 9999) || 1,
    pageSize: OFFER_PAGE_SIZE,
  };
  const q = (params.get('q') ?? '').trim().slice(0, 200);
  if (q) query.q = q;
  for (const key of Object.keys(LIST_RULES) as ListKey[]) putList(query, key, listParam(params, key));
  const age = wholeNumber(params.get('age'), NUMBER_RULES.age);
  if (age !== undefined) query.age = age;
  const wait = wholeNumber(params.get('maxWaitDays'), NUMBER_RULES.maxWaitDays);
  if (wait !== undefined) query.maxWaitDays = wait;
  const municipality = params.get('municipality') ?? '';
  if (/^\d{5}$/.test(municipality)) query.municipality = municipality;
  const zone = params.get('zone') ?? '';
  if (UUID.test(zone)) query.zone = zone;
  const self = params.get('selfReferral');
  if (self === 'true' || self === 'false') query.selfReferral = self === 'true';
  return query;
}

const FILTER_KEYS = [
  'theme',
  'category',
  'level',
  'modality',
  'language',
  'capacity',
  'age',
  'maxWaitDays',
  'municipality',
  'zone',
  'selfReferral',
];

interface SearchData {
  result: SearchResult<PublicOffer>;
  /** totals with "self-referral" yes / no, the other filters kept (the API has no facet for it) */
  selfReferral: { yes: number; no: number };
}

interface Props {
  mode: 'internal' | 'public';
  /** where result links lead: `${basePath}/${id}` */
  basePath: string;
  /** the municipality filter needs the reference list, which only signed-in users may read */
  municipalityFilter: boolean;
}

/**
 * Catalogue search, shared by the signed-in catalogue (/offers) and the public one (/aanbod):
 * a search box, filters with facet counts, sorting, paging and result cards.
 */
export function OfferSearch({ mode, basePath, municipalityFilter }: Props) {
  const { t } = useTranslation();
  const labels = useLabels();
  const languageName = useLanguageName();
  const taxonomy = useTaxonomy();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const urlKey = params.toString();
  // React Router applies a navigation as a transition, a moment after the click; until then the page shows the
  // change it asked for (a clicked checkbox stays checked) and already loads its results. Any navigation that
  // arrives (this one, or back/forward) brings a new location object, and then the address alone counts again.
  const navigations = useRef({ location, count: 0 });
  if (navigations.current.location !== location)
    navigations.current = { location, count: navigations.current.count + 1 };
  const [pending, setPending] = useState<{ at: number; to: string } | null>(null);
  const key = pending && pending.at === navigations.current.count ? pending.to : urlKey;
  const latest = useRef({ key });
  latest.current = { key };
  const query = useMemo(() => queryFromParams(new URLSearchParams(key)), [key]);
  const page = query.page ?? 1;

  // the text inputs: typed freely, sent a moment after the last key (or at once with Enter)
  const urlText = {
    q: params.get('q') ?? '',
    age: params.get('age') ?? '',
    maxWaitDays: params.get('maxWaitDays') ?? '',
  };
  const [text, setText] = useState(urlText);
  const timer = useRef<number | undefined>(undefined);
  /** what this page last wrote into the address, to tell its own changes from back/forward */
  const written = useRef<string | null>(null);
  const urlTextKey = JSON.stringify(urlText);

  // the address changed from outside (back/forward, a link): show it in the inputs
  useEffect(() => {
    if (written.current === urlTextKey) return;
    written.current = urlTextKey;
    window.clearTimeout(timer.current);
    setText(JSON.parse(urlTextKey) as typeof urlText);
  }, [urlTextKey]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const numberError = (name: 'age' | 'maxWaitDays'): string | undefined => {
    const v = text[name].trim();
    return v && wholeNumber(v, NUMBER_RULES[name]) === undefined
      ? t('offers.numberInvalid', { min: 0, max: NUMBER_RULES[name] })
      : undefined;
  };

  /** Changes the address (from the latest state, also in a delayed call); every change of a filter starts again at page 1. */
  function navigateTo(edit: (p: URLSearchParams) => void, replace: boolean, resetPage: boolean) {
    const next = new URLSearchParams(latest.current.key);
    edit(next);
    if (resetPage) next.delete('page');
    const to = next.toString();
    if (to === latest.current.key) return;
    written.current = JSON.stringify({
      q: next.get('q') ?? '',
      age: next.get('age') ?? '',
      maxWaitDays: next.get('maxWaitDays') ?? '',
    });
    latest.current = { key: to };
    setPending({ at: navigations.current.count, to });
    setParams(next, { replace });
  }

  function change(edit: (p: URLSearchParams) => void, replace = false) {
    navigateTo(edit, replace, true);
  }

  function commitText(values: typeof text, replace: boolean) {
    change((p) => {
      const q = values.q.trim();
      if (q) p.set('q', q);
      else p.delete('q');
      for (const name of ['age', 'maxWaitDays'] as const) {
        const v = values[name].trim();
        if (!v) p.delete(name);
        else if (wholeNumber(v, NUMBER_RULES[name]) !== undefined) p.set(name, v);
        // an invalid number keeps the previous filter and shows its error at the field
      }
    }, replace);
  }

  function typed(name: keyof typeof text, value: string) {
    const next = { ...text, [name]: value };
    setText(next);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => commitText(next, true), DEBOUNCE_MS);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    window.clearTimeout(timer.current);
    commitText(text, false);
  }

  function setList(name: ListKey, values: string[]) {
    change((p) => {
      p.delete(name);
      for (const v of values) p.append(name, v);
    });
  }

  function setSingle(name: string, value: string) {
    change((p) => {
      if (value) p.set(name, value);
      else p.delete(name);
    });
  }

  function clearFilters() {
    window.clearTimeout(timer.current);
    setText((current) => ({ q: current.q, age: '', maxWaitDays: '' }));
    change((p) => {
      for (const k of FILTER_KEYS) p.delete(k);
      const q = text.q.trim();
      if (q) p.set('q', q);
      else p.delete('q');
    });
  }

  function goTo(nextPage: number) {
    navigateTo(
      (p) => {
        if (nextPage > 1) p.set('page', String(nextPage));
        else p.delete('page');
      },
      false,
      false,
    );
  }

  const results = useLoad<SearchData>(async () => {
    const search = mode === 'public' ? api.publicOffers : api.searchOffers;
    const counts = { ...query, selfReferral: undefined, facets: false, page: 1, pageSize: 1 };
    const [result, yes, no] = await Promise.all([
      search({ ...query, facets: true }),
      search({ ...counts, selfReferral: true }),
      search({ ...counts, selfReferral: false }),
    ]);
    return { result, selfReferral: { yes: yes.total, no: no.total } };
  }, [key, mode]);

  const data = results.data;
  /** "Bedoelde je …?": the same search (filters kept) with the suggested words, from page 1 */
  const suggestionHref = (suggestion: string) => {
    const p = new URLSearchParams(key);
    p.set('q', suggestion);
    p.delete('page');
    return `${basePath}?${p.toString()}`;
  };
  const suggestions = data?.result.suggestions ?? [];
  const crisisLines = data?.result.crisisLines ?? [];
  const facets = data?.result.facets;
  const countOf = (list: FacetCount[] | undefined) => {
    if (!list) return () => undefined;
    const map = new Map(list.map((f) => [f.value, f.count]));
    return (value: string) => map.get(value) ?? 0;
  };
  const themeCount = countOf(facets?.theme);
  const levelCount = countOf(facets?.level);
  const modalityCount = countOf(facets?.modality);
  const capacityCount = countOf(facets?.capacity);
  const languageCount = countOf(facets?.language);

  const themeOptions: CheckboxOption[] = taxonomy.themes.map((term) => ({
    value: term.id,
    label: term.label,
    count: themeCount(term.id),
  }));
  const levelOptions: CheckboxOption[] = OFFER_LEVELS.map((v) => ({
    value: v,
    label: labels.level(v),
    count: levelCount(v),
  }));
  const modalityOptions: CheckboxOption[] = MODALITIES.map((v) => ({
    value: v,
    label: labels.modality(v),
    count: modalityCount(v),
  }));
  const capacityOptions: CheckboxOption[] = CAPACITIES.map((v) => ({
    value: v,
    label: labels.capacity(v),
    count: capacityCount(v),
  }));
  const languageCodes = [...new Set([...(facets?.language ?? []).map((f) => f.value), ...(query.language ?? [])])];
  const languageOptions: CheckboxOption[] = languageCodes
    .map((v) => ({ value: v, label: languageName(v), count: languageCount(v) }))
    .sort((a, b) => a.label.localeCompare(b.label));

  const activeFilters = FILTER_KEYS.some((k) => query[k as keyof OfferQuery] !== undefined);
  const total = data?.result.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / OFFER_PAGE_SIZE));
  const selfValue = query.selfReferral === undefined ? '' : String(query.selfReferral);
  const prefix = mode === 'public' ? 'public-offer' : 'offer';

  return (
    <>
      <div className="card">
        <form role="search" onSubmit={submit} className="search-form">
          <label htmlFor={`${prefix}-search`}>{t('offers.search')}</label>
          <p className="hint" id={`${prefix}-search-hint`}>
            {t('offers.searchHint')}
          </p>
          <div className="inline">
            <input
              id={`${prefix}-search`}
              name="q"
              type="search"
              value={text.q}
              onChange={(e) => typed('q', e.target.value)}
              aria-describedby={`${prefix}-search-hint`}
              autoComplete="off"
              maxLength={200}
            />
            <button type="submit" className="button primary">
              {t('offers.searchSubmit')}
            </button>
          </div>
        </form>
      </div>

      {crisisLines.length > 0 && (
        <section
          className="alert alert-crisis"
          aria-labelledby={`${prefix}-crisis-title`}
          data-testid="catalogue-crisis"
        >
          <h2 id={`${prefix}-crisis-title`}>{t('offers.crisisTitle')}</h2>
          <p>{t('offers.crisisIntro')}</p>
          <ul className="crisis-lines">
            {crisisLines.map((line) => (
              <li key={line.number}>
                <a href={`tel:${line.number}`} className="crisis-number">
                  {line.name}: <strong>{line.number}</strong>
                </a>{' '}
                <span className="crisis-when">{line.when}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <div className="catalogue-layout">
        <section className="card catalogue-filters" aria-labelledby={`${prefix}-filters-title`}>
          <div className="section-head">
            <h2 id={`${prefix}-filters-title`}>{t('offers.filters')}</h2>
            {activeFilters && (
              <button type="button" className="link-button" onClick={clearFilters}>
                {t('offers.clearFilters')}
              </button>
            )}
          </div>
          <form onSubmit={submit} noValidate>
            <CheckboxGroup
              id={`${prefix}-f-theme`}
              legend={t('offers.theme')}
              options={themeOptions}
              selected={query.theme ?? []}
              onChange={(v) => setList('theme', v)}
            />
            <TextField
              id={`${prefix}-f-age`}
              label={t('offers.age')}
              hint={t('offers.ageHint')}
              type="number"
              inputMode="numeric"
              min={0}
              max={NUMBER_RULES.age}
              value={text.age}
              onChange={(v) => typed('age', v)}
              error={numberError('age')}
              className="narrow"
            />
            {municipalityFilter && (
              <MunicipalityFilter
                id={`${prefix}-f-municipality`}
                value={query.municipality ?? ''}
                onChange={(v) => setSingle('municipality', v)}
              />
            )}
            {mode === 'internal' && (
              <ZoneFilter id={`${prefix}-f-zone`} value={query.zone ?? ''} onChange={(v) => setSingle('zone', v)} />
            )}
            <CheckboxGroup
              id={`${prefix}-f-level`}
              legend={t('offers.level')}
              options={levelOptions}
              selected={query.level ?? []}
              onChange={(v) => setList('level', v)}
            />
            <Field id={`${prefix}-f-category`} label={t('offers.category')}>
              {(control) => (
                <select
                  {...control}
                  value={query.category?.[0] ?? ''}
                  onChange={(e) => setList('category', e.target.value ? [e.target.value] : [])}
                >
                  <option value="">{t('offers.categoryAll')}</option>
                  {taxonomy.categories.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <CheckboxGroup
              id={`${prefix}-f-modality`}
              legend={t('offers.modality')}
              options={modalityOptions}
              selected={query.modality ?? []}
              onChange={(v) => setList('modality', v)}
            />
            {languageOptions.length > 0 && (
              <CheckboxGroup
                id={`${prefix}-f-language`}
                legend={t('offers.language')}
                options={languageOptions}
                selected={query.language ?? []}
                onChange={(v) => setList('language', v)}
              />
            )}
            <fieldset className="field checkbox-group">
              <legend>{t('offers.selfReferral')}</legend>
              {(
                [
                  ['', t('offers.selfReferralAny'), undefined],
                  ['true', t('offers.selfReferralYes'), data?.selfReferral.yes],
                  ['false', t('offers.selfReferralNo'), data?.selfReferral.no],
                ] as const
              ).map(([value, label, count]) => {
                const id = `${prefix}-f-self-${value || 'any'}`;
                return (
                  <div key={id} className="radio">
                    <input
                      type="radio"
                      id={id}
                      name={`${prefix}-f-self`}
                      value={value}
                      checked={selfValue === value}
                      onChange={() => setSingle('selfReferral', value)}
                      aria-describedby={count !== undefined ? `${id}-count` : undefined}
                    />
                    <label htmlFor={id}>{label}</label>
                    {count !== undefined && (
                      <>
                        <span className="facet-count" aria-hidden="true">
                          {count}
                        </span>
                        <span className="visually-hidden" id={`${id}-count`}>
                          {t('offers.facetCount', { count })}
                        </span>
                      </>
                    )}
                  </div>
                );
              })}
            </fieldset>
            <CheckboxGroup
              id={`${prefix}-f-capacity`}
              legend={t('offers.capacity')}
              options={capacityOptions}
              selected={query.capacity ?? []}
              onChange={(v) => setList('capacity', v)}
            />
            <TextField
              id={`${prefix}-f-wait`}
              label={t('offers.maxWaitDays')}
              hint={t('offers.maxWaitDaysHint')}
              type="number"
              inputMode="numeric"
              min={0}
              max={NUMBER_RULES.maxWaitDays}
              value={text.maxWaitDays}
              onChange={(v) => typed('maxWaitDays', v)}
              error={numberError('maxWaitDays')}
              className="narrow"
            />
          </form>
        </section>

        <section className="catalogue-results" aria-labelledby={`${prefix}-results-title`}>
          <div className="section-head">
            <h2 id={`${prefix}-results-title`}>{t('offers.resultsTitle')}</h2>
            <div className="sort">
              <label htmlFor={`${prefix}-sort`}>{t('offers.sort')}</label>
              <select
                id={`${prefix}-sort`}
                value={query.sort ?? 'relevance'}
                onChange={(e) => setSingle('sort', e.target.value === 'wait' ? 'wait' : '')}
              >
                <option value="relevance">{t('offers.sortRelevance')}</option>
                <option value="wait">{t('offers.sortWait')}</option>
              </select>
            </div>
          </div>

          <ErrorAlert error={results.error ?? taxonomy.error} />
          <div role="status" aria-live="polite" aria-atomic="true" className="live-region">
            {data && total > 0 && (
              <p className="result-count" data-testid="offer-count">
                {t('offers.results', { count: total })}
              </p>
            )}
          </div>

          {suggestions.length > 0 && (
            <p className="did-you-mean" data-testid="offers-suggestion">
              {t('offers.didYouMean')}{' '}
              {suggestions.map((suggestion, i) => (
                <span key={suggestion}>
                  {i > 0 && ', '}
                  <Link to={suggestionHref(suggestion)}>
                    <strong>{suggestion}</strong>
                  </Link>
                </span>
              ))}
              ?
            </p>
          )}
          {data?.result.approximate && (
            <p className="hint" data-testid="offers-approximate">
              {t('offers.approximate')}
            </p>
          )}

          {results.loading && !data ? (
            <Loading />
          ) : data && data.result.items.length === 0 ? (
            <div className="empty" data-testid="offers-empty">
              <p>{query.q ? t('offers.emptyFor', { q: query.q }) : t('offers.empty')}</p>
              <ul>
                <li>{t('offers.emptyTipSpelling')}</li>
                <li>{t('offers.emptyTipWord')}</li>
                {activeFilters && <li>{t('offers.emptyTipFilters')}</li>}
              </ul>
              {taxonomy.themes.length > 0 && (
                <nav aria-label={t('offers.emptyThemes')}>
                  <p>{t('offers.emptyThemes')}</p>
                  <ul className="theme-links">
                    {taxonomy.themes.map((theme) => (
                      <li key={theme.id}>
                        <Link to={`${basePath}?theme=${encodeURIComponent(theme.id)}`}>{theme.label}</Link>
                      </li>
                    ))}
                  </ul>
                </nav>
              )}
              {activeFilters && (
                <p>
                  <button type="button" className="button secondary small" onClick={clearFilters}>
                    {t('offers.clearFilters')}
                  </button>
                </p>
              )}
            </div>
          ) : data ? (
            <>
              <ul className="offer-list" aria-busy={results.loading}>
                {data.result.items.map((o) => (
                  <li key={o.id} className="offer-card">
                    <article aria-labelledby={`${prefix}-card-${o.id}`}>
                      <h3 id={`${prefix}-card-${o.id}`}>
                        <Link to={`${basePath}/${o.id}`} state={{ from: location.search }}>
                          {o.name}
                        </Link>
                      </h3>
                      <p className="offer-meta">
                        <span>{o.organizationName}</span>
                        <span aria-hidden="true"> · </span>
                        <span className="visually-hidden">, </span>
                        <span>{labels.level(o.level)}</span>
                      </p>
                      <p className="offer-status">
                        <CapacityBadge capacity={o.capacity} waitDays={o.waitDays} />
                        {o.stale && <StaleMarker since={o.capacityUpdatedAt} />}
                      </p>
                      <ThemeTags themes={o.themes} label={t('offers.themes')} />
                    </article>
                  </li>
                ))}
              </ul>
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
        </section>
      </div>
    </>
  );
}

/** One municipality, typed (name or NIS code; the network's own first); empty is all of them. Signed-in only. */
function MunicipalityFilter({ id, value, onChange }: { id: string; value: string; onChange: (nis: string) => void }) {
  const { t } = useTranslation();
  return (
    <Field id={id} label={t('offers.municipality')}>
      {(control) => (
        <MunicipalityCombobox
          control={control}
          listLabel={t('offers.municipality')}
          value={value}
          onChoose={onChange}
        />
      )}
    </Field>
  );
}

/**
 * One primary-care zone (eerstelijnszone): offers whose service area touches its municipalities. The zones come from
 * GET /api/networks/current (signed-in only): the network's own zone; a zone in the address that is not known here
 * stays selectable, so a shared link keeps its filter.
 */
function ZoneFilter({ id, value, onChange }: { id: string; value: string; onChange: (zone: string) => void }) {
  const { t } = useTranslation();
  const network = useLoad(() => api.currentNetwork(), []);
  const zones = network.data ? [{ id: network.data.id, name: network.data.zoneName }] : [];
  return (
    <Field id={id} label={t('offers.zone')} hint={t('offers.zoneHint')}>
      {(control) => (
        <select {...control} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t('offers.zoneAll')}</option>
          {value && !zones.some((z) => z.id === value) && (
            <option value={value}>{network.loading ? t('app.loading') : t('offers.zoneOther')}</option>
          )}
          {zones.map((z) => (
            <option key={z.id} value={z.id}>
              {z.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
