import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Offer, type OrganizationSummary } from '../api';
import { useLoad } from '../hooks';
import { useLabels } from '../labels';
import { ErrorAlert, Loading } from './Alerts';
import { TextField } from './Field';
import { RadioGroup } from './RadioGroup';
import { CapacityBadge } from './OfferParts';

/** The organisations a helpline refers to straight into the intake inbox. */
const RECEIVING_KINDS = new Set(['cgg', 'caw']);
const LEVEL_RANK: Record<string, number> = { crisis: 0, specialised: 1, basic: 2, 'zero-line': 3 };
const CAPACITY_RANK: Record<string, number> = { open: 0, assessment: 1, waitlist: 2, full: 3 };
const DEBOUNCE_MS = 300;

interface Props {
  id: string;
  value: Offer | null;
  onChange: (offer: Offer) => void;
  /** the themes of the call: offers that share one come first within their level */
  themes: readonly string[];
  error?: string | undefined;
  /** offers of this organisation are left out (a helpline does not refer to itself) */
  ownOrganizationId: string | null;
}

/**
 * The receiving offer of a helpline referral: the CGG and CAW offers of the network (GET /api/offers, crisis and
 * specialised first, then the rest), each with its organisation and capacity; a search box narrows the list. Native
 * radio buttons, so the arrow keys move through the offers. The chosen offer stays in the list whatever the search.
 */
export function HelplineOfferChoice({ id, value, onChange, themes, error, ownOrganizationId }: Props) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => setQ(text.trim().slice(0, 200)), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  // the organisations' kinds (CGG, CAW); without them (no permission, an error) every organisation counts
  const organizations = useLoad<OrganizationSummary[] | null>(
    () =>
      api.organizations().then(
        (r) => r.items,
        () => null,
      ),
    [],
  );
  const offers = useLoad(async () => {
    const query = { ...(q ? { q } : {}), pageSize: 100, page: 1 };
    const [first, rest] = await Promise.all([
      api.searchOffers({ ...query, level: ['crisis', 'specialised'] }),
      api.searchOffers({ ...query, level: ['basic', 'zero-line'] }),
    ]);
    return [...first.items, ...rest.items];
  }, [q]);

  const themeKey = themes.join(',');
  const list = useMemo(() => {
    const kinds = organizations.data ? new Map(organizations.data.map((o) => [o.id, o.kind])) : null;
    const wanted = new Set(themes);
    const fits = (o: Offer) => (o.themes.some((th) => wanted.has(th)) ? 0 : 1);
    const found = (offers.data ?? []).filter(
      (o) =>
        o.organizationId !== ownOrganizationId && (!kinds || RECEIVING_KINDS.has(kinds.get(o.organizationId) ?? '')),
    );
    const sorted = [...found].sort(
      (a, b) =>
        (LEVEL_RANK[a.level] ?? 9) - (LEVEL_RANK[b.level] ?? 9) ||
        fits(a) - fits(b) ||
        (CAPACITY_RANK[a.capacity] ?? 9) - (CAPACITY_RANK[b.capacity] ?? 9) ||
        (a.waitDays ?? 999) - (b.waitDays ?? 999) ||
        a.name.localeCompare(b.name, 'nl'),
    );
    return value && !sorted.some((o) => o.id === value.id) ? [value, ...sorted] : sorted;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [offers.data, organizations.data, themeKey, value, ownOrganizationId]);

  const wanted = new Set(themes);
  const byId = new Map(list.map((o) => [o.id, o]));

  return (
    <div className="helpline-offer-choice">
      <TextField
        id={`${id}-search`}
        label={t('helpline.offerSearch')}
        type="search"
        value={text}
        onChange={setText}
        autoComplete="off"
        spellCheck={false}
        hint={t('helpline.offerSearchHint')}
      />
      <ErrorAlert error={offers.error} />
      <p className="small muted" role="status" aria-live="polite">
        {offers.loading ? t('app.loading') : offers.data ? t('helpline.offerCount', { count: list.length }) : ''}
      </p>
      <RadioGroup
        id={id}
        legend={t('helpline.offer')}
        hint={t('helpline.offerHint')}
        required
        error={error}
        testId="helpline-offers"
        value={value?.id ?? ''}
        onChange={(offerId) => onChange(byId.get(offerId)!)}
        status={
          offers.loading && !offers.data ? (
            <Loading />
          ) : offers.data && list.length === 0 ? (
            <p className="empty">{t('helpline.offerNone')}</p>
          ) : null
        }
        options={list.map((o) => ({
          value: o.id,
          label: o.name,
          hint: (
            <>
              {o.organizationName} · {labels.level(o.level)}
              {o.themes.some((th) => wanted.has(th)) && ` · ${t('helpline.offerFits')}`} ·{' '}
              <CapacityBadge capacity={o.capacity} waitDays={o.waitDays} />
            </>
          ),
        }))}
      />
    </div>
  );
}
