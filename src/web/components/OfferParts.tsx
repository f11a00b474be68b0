import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { PublicOffer } from '../api';
import { useLanguageName, useTaxonomy } from '../catalogue';
import { formatDate, formatDateTime, formatPhone, phoneHref } from '../format';
import { useLabels } from '../labels';

const CAPACITY_CLASS: Record<string, string> = {
  open: 'badge-ok',
  waitlist: 'badge-warn',
  assessment: 'badge-warn',
  full: 'badge-full',
};

/** "Wachtlijst · 28 dagen wachttijd": the capacity with the waiting time, one badge. */
export function CapacityBadge({ capacity, waitDays }: { capacity: string; waitDays: number | null }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const wait =
    capacity === 'full' || waitDays === null
      ? null
      : waitDays === 0
        ? t('offers.noWait')
        : t('offers.waitDaysCount', { count: waitDays });
  return (
    <span className={`badge capacity-badge ${CAPACITY_CLASS[capacity] ?? ''}`} data-testid="capacity-badge">
      {labels.capacity(capacity)}
      {wait && ` · ${wait}`}
    </span>
  );
}

/** The "verouderd" marker of a capacity not confirmed for 14 days, with the date for screen readers and on hover. */
export function StaleMarker({ since }: { since: string }) {
  const { t } = useTranslation();
  const explained = t('offers.staleExplained', { date: formatDate(since) });
  return (
    <>
      <span className="badge badge-stale" title={explained} data-testid="stale-marker">
        {t('offers.stale')}
      </span>
      <span className="visually-hidden"> {explained}</span>
    </>
  );
}

export function ageText(minAge: number | null, maxAge: number | null, t: TFunction): string {
  if (minAge !== null && maxAge !== null) return t('offers.ageRange', { min: minAge, max: maxAge });
  if (minAge !== null && minAge > 0) return t('offers.ageFrom', { min: minAge });
  if (maxAge !== null) return t('offers.ageTo', { max: maxAge });
  return t('offers.ageAll');
}

/** Themes as labels (a list, so that screen readers count them). */
export function ThemeTags({ themes, label }: { themes: readonly string[]; label: string }) {
  const { themeLabel } = useTaxonomy();
  if (themes.length === 0) return null;
  return (
    <ul className="tags" aria-label={label}>
      {themes.map((id) => (
        <li key={id} className="tag">
          {themeLabel(id)}
        </li>
      ))}
    </ul>
  );
}

/**
 * The public fields of an offer as a description list (used by the public and the internal detail page).
 * `municipalityName` turns NIS codes into names when the reference list is available (signed in);
 * without it only the number of municipalities is shown.
 */
export function OfferPublicFields({
  offer,
  municipalityName,
}: {
  offer: PublicOffer;
  municipalityName?: ((code: string) => string) | undefined;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { categoryLabel, themeLabel } = useTaxonomy();
  const languageName = useLanguageName();
  const none = t('common.none');
  const list = (values: readonly string[], label: (v: string) => string) =>
    values.length ? values.map(label).join(', ') : none;
  const safeUrl = offer.contactUrl && /^https?:\/\//i.test(offer.contactUrl) ? offer.contactUrl : null;

  return (
    <dl className="details" data-testid="offer-fields">
      <dt>{t('offers.organization')}</dt>
      <dd>{offer.organizationName}</dd>
      <dt>{t('offers.description')}</dt>
      <dd className="prewrap">{offer.description || none}</dd>
      <dt>{t('offers.category')}</dt>
      <dd>{categoryLabel(offer.category) || none}</dd>
      <dt>{t('offers.level')}</dt>
      <dd>{labels.level(offer.level)}</dd>
      <dt>{t('offers.themes')}</dt>
      <dd>{list(offer.themes, themeLabel)}</dd>
      <dt>{t('offers.targetGroups')}</dt>
      <dd>{list(offer.targetGroups, labels.targetGroup)}</dd>
      <dt>{t('offers.age')}</dt>
      <dd>{ageText(offer.minAge, offer.maxAge, t)}</dd>
      <dt>{t('offers.modalitiesLabel')}</dt>
      <dd>{list(offer.modalities, labels.modality)}</dd>
      <dt>{t('offers.languages')}</dt>
      <dd>{list(offer.languages, languageName)}</dd>
      <dt>{t('offers.municipalities')}</dt>
      <dd>
        {offer.municipalities.length === 0
          ? none
          : municipalityName
            ? offer.municipalities
                .map(municipalityName)
                .sort((a, b) => a.localeCompare(b, 'nl'))
                .join(', ')
            : t('offers.municipalitiesCount', { count: offer.municipalities.length })}
      </dd>
      <dt>{t('offers.openingHours')}</dt>
      <dd className="prewrap">{offer.openingHours || none}</dd>
      <dt>{t('offers.cost')}</dt>
      <dd>
        {labels.cost(offer.cost)}
        {offer.costNote ? ` — ${offer.costNote}` : ''}
      </dd>
      <dt>{t('offers.selfReferralLabel')}</dt>
      <dd>{offer.selfReferral ? t('common.yes') : t('common.no')}</dd>
      <dt>{t('offers.referralRequired')}</dt>
      <dd>{offer.referralRequired ? t('common.yes') : t('common.no')}</dd>
      <dt>{t('offers.capacity')}</dt>
      <dd>
        <CapacityBadge capacity={offer.capacity} waitDays={offer.waitDays} />
        {offer.stale && <StaleMarker since={offer.capacityUpdatedAt} />}
      </dd>
      <dt>{t('offers.capacityUpdatedAt')}</dt>
      <dd>{formatDateTime(offer.capacityUpdatedAt)}</dd>
      <dt>{t('offers.contactPhone')}</dt>
      <dd>
        {offer.contactPhone ? <a href={phoneHref(offer.contactPhone)}>{formatPhone(offer.contactPhone)}</a> : none}
      </dd>
      <dt>{t('offers.contactEmail')}</dt>
      <dd>{offer.contactEmail ? <a href={`mailto:${offer.contactEmail}`}>{offer.contactEmail}</a> : none}</dd>
      <dt>{t('offers.contactUrl')}</dt>
      <dd>
        {safeUrl ? (
          <a href={safeUrl} rel="noopener noreferrer">
            {offer.contactUrl}
          </a>
        ) : (
          offer.contactUrl || none
        )}
      </dd>
      <dt>{t('offers.updatedAt')}</dt>
      <dd>{formatDateTime(offer.updatedAt)}</dd>
    </dl>
  );
}
