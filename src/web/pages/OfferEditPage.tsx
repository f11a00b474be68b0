import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import {
  api,
  CAPACITIES,
  COSTS,
  MODALITIES,
  OFFER_LEVELS,
  ProblemError,
  TARGET_GROUPS,
  type Capacity,
  type Cost,
  type Modality,
  type Offer,
  type OfferInput,
  type OfferLevel,
  type TargetGroup,
} from '../api';
import { useMe } from '../auth';
import { OFFER_LANGUAGE_CODES, useLanguageName, useTaxonomy } from '../catalogue';
import { ErrorAlert, LoadFailed, Loading, useFocusOnError } from '../components/Alerts';
import { CheckboxGroup } from '../components/CheckboxGroup';
import { useConfirm } from '../components/ConfirmDialog';
import { Field, TextField } from '../components/Field';
import { MunicipalityPicker } from '../components/MunicipalityPicker';
import { formatPhone } from '../format';
import { useDocumentTitle, useLoad } from '../hooks';
import { useLabels } from '../labels';
import { useMunicipalities } from '../municipalities';

/** /offers/new and /offers/:id/edit (permission offer:manage; only the offering organisation edits). */
export function OfferEditPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const offer = useLoad(() => (id ? api.offer(id) : Promise.resolve(null)), [id]);
  useDocumentTitle(id ? t('offers.editTitle') : t('offers.newTitle'));

  if (!id) return <OfferEditor />;
  if (offer.loading && !offer.data) return <Loading />;
  if (offer.error || !offer.data) {
    return (
      <LoadFailed
        back={
          <p className="breadcrumb">
            <Link to="/offers">{t('offers.backToList')}</Link>
          </p>
        }
        title={t('offers.editTitle')}
        error={offer.error}
        notFound={t('offers.notFound')}
      />
    );
  }
  if (!offer.data.mayEdit) {
    return (
      <>
        <p className="breadcrumb">
          <Link to={`/offers/${offer.data.id}`}>{offer.data.name}</Link>
        </p>
        <h1>{t('offers.editTitle')}</h1>
        <ErrorAlert error={t('errors.forbidden')} />
      </>
    );
  }
  return <OfferEditor key={offer.data.id} offer={offer.data} />;
}

interface Values {
  name: string;
  description: string;
  category: string;
  level: OfferLevel | '';
  themes: string[];
  targetGroups: string[];
  minAge: string;
  maxAge: string;
  modalities: string[];
  languages: string[];
  municipalities: string[];
  siteIds: string[];
  openingHours: string;
  cost: Cost;
  costNote: string;
  selfReferral: boolean;
  referralRequired: boolean;
  whoMayRefer: string;
  consentRequired: boolean;
  contactPhone: string;
  contactEmail: string;
  contactUrl: string;
  capacity: Capacity;
  waitDays: string;
  isPublic: boolean;
  active: boolean;
  internalNote: string;
}

type Errors = Partial<Record<keyof Values, string>>;

const oneOf = <T extends string>(values: readonly T[], value: string, fallback: T): T =>
  (values as readonly string[]).includes(value) ? (value as T) : fallback;

function fromOffer(o: Offer | undefined): Values {
  return {
    name: o?.name ?? '',
    description: o?.description ?? '',
    category: o?.category ?? '',
    level: o ? oneOf(OFFER_LEVELS, o.level, 'basic') : '',
    themes: o?.themes ?? [],
    targetGroups: o?.targetGroups ?? [],
    minAge: o?.minAge === null || o?.minAge === undefined ? '' : String(o.minAge),
    maxAge: o?.maxAge === null || o?.maxAge === undefined ? '' : String(o.maxAge),
    modalities: o?.modalities ?? [],
    languages: o?.languages ?? ['nl'],
    municipalities: o?.municipalities ?? [],
    siteIds: o?.siteIds ?? [],
    openingHours: o?.openingHours ?? '',
    cost: o ? oneOf(COSTS, o.cost, 'free') : 'free',
    costNote: o?.costNote ?? '',
    selfReferral: o?.selfReferral ?? true,
    referralRequired: o?.referralRequired ?? false,
    whoMayRefer: o?.whoMayRefer ?? '',
    consentRequired: o?.consentRequired ?? true,
    contactPhone: formatPhone(o?.contactPhone),
    contactEmail: o?.contactEmail ?? '',
    contactUrl: o?.contactUrl ?? '',
    capacity: o ? oneOf(CAPACITIES, o.capacity, 'open') : 'open',
    waitDays: o?.waitDays === null || o?.waitDays === undefined ? '' : String(o.waitDays),
    isPublic: o?.isPublic ?? true,
    active: o?.active ?? true,
    internalNote: o?.internalNote ?? '',
  };
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());
const intOrNull = (s: string): number | null => (s.trim() === '' ? null : Number(s.trim()));

function toInput(v: Values): OfferInput {
  return {
    name: v.name.trim(),
    description: v.description.trim(),
    category: orNull(v.category),
    level: v.level || 'basic',
    themes: v.themes,
    targetGroups: v.targetGroups as TargetGroup[],
    minAge: intOrNull(v.minAge),
    maxAge: intOrNull(v.maxAge),
    modalities: v.modalities as Modality[],
    languages: v.languages,
    municipalities: v.municipalities,
    siteIds: v.siteIds,
    openingHours: orNull(v.openingHours),
    cost: v.cost,
    costNote: orNull(v.costNote),
    selfReferral: v.selfReferral,
    referralRequired: v.referralRequired,
    whoMayRefer: orNull(v.whoMayRefer),
    consentRequired: v.consentRequired,
    contactPhone: orNull(v.contactPhone),
    contactEmail: orNull(v.contactEmail),
    contactUrl: orNull(v.contactUrl),
    capacity: v.capacity,
    waitDays: intOrNull(v.waitDays),
    isPublic: v.isPublic,
    active: v.active,
    internalNote: orNull(v.internalNote),
  };
}

/**
 * Only the fields that changed. A PATCH that names capacity or waitDays counts as a capacity confirmation on the
 * server, so an edit of the description must not send them unchanged.
 */
function changedFields(next: OfferInput, before: OfferInput): Partial<OfferInput> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(next) as (keyof OfferInput)[]) {
    const a = next[key];
    const b = before[key];
    const same =
      Array.isArray(a) && Array.isArray(b)
        ? [...a].sort().join('\u0000') === [...b].sort().join('\u0000') && a.length === b.length
        : a === b;
    if (!same) out[key] = a;
  }
  return out;
}

const WHOLE = /^\d{1,4}$/;
const PHONE = /^\+?[0-9 ./()-]{4,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function OfferEditor({ offer }: { offer?: Offer }) {
  const { t } = useTranslation();
  const me = useMe();
  const labels = useLabels();
  const taxonomy = useTaxonomy();
  const languageName = useLanguageName();
  const { byCode } = useMunicipalities();
  const navigate = useNavigate();
  const location = useLocation();
  const from = useRef((location.state as { from?: string } | null)?.from ?? '');
  const [values, setValues] = useState<Values>(() => fromOffer(offer));
  const [errors, setErrors] = useState<Errors>({});
  const [municipalityErrors, setMunicipalityErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { ref: formRef, failed } = useFocusOnError();
  const [confirm, dialog] = useConfirm();
  const organizationId = offer?.organizationId ?? me.membership.organizationId;
  const organization = useLoad(
    () => (organizationId ? api.organization(organizationId) : Promise.resolve(null)),
    [organizationId],
  );
  const p = offer ? 'offer-edit' : 'offer-new';
  const title = offer ? t('offers.editTitle') : t('offers.newTitle');

  function set<K extends keyof Values>(key: K, value: Values[K]) {
    setValues((v) => ({ ...v, [key]: value }));
  }

  const languageOptions = useMemo(() => {
    const codes = [...OFFER_LANGUAGE_CODES];
    for (const c of values.languages) if (!codes.includes(c)) codes.push(c);
    const first = codes.slice(0, 3);
    const rest = codes.slice(3).sort((a, b) => languageName(a).localeCompare(languageName(b)));
    return [...first, ...rest].map((code) => ({ value: code, label: languageName(code) }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [values.languages.join(','), t]);

  const fieldLabels: Record<string, string> = {
    name: t('offers.name'),
    description: t('offers.description'),
    category: t('offers.category'),
    level: t('offers.level'),
    themes: t('offers.themes'),
    targetGroups: t('offers.targetGroups'),
    minAge: t('offers.minAge'),
    maxAge: t('offers.maxAge'),
    modalities: t('offers.modalitiesLabel'),
    languages: t('offers.languages'),
    municipalities: t('offers.municipalities'),
    siteIds: t('offers.sites'),
    openingHours: t('offers.openingHours'),
    cost: t('offers.cost'),
    costNote: t('offers.costNote'),
    selfReferral: t('offers.selfReferralLabel'),
    referralRequired: t('offers.referralRequired'),
    whoMayRefer: t('offers.whoMayRefer'),
    consentRequired: t('offers.consentRequired'),
    contactPhone: t('offers.contactPhone'),
    contactEmail: t('offers.contactEmail'),
    contactUrl: t('offers.contactUrl'),
    capacity: t('offers.capacity'),
    waitDays: t('offers.waitDays'),
    isPublic: t('offers.isPublic'),
    active: t('offers.active'),
    internalNote: t('offers.internalNote'),
  };

  function validate(v: Values): Errors {
    const errs: Errors = {};
    const required = t('errors.fieldRequired');
    if (!v.name.trim()) errs.name = required;
    if (!v.level) errs.level = required;
    for (const key of ['minAge', 'maxAge'] as const) {
      const s = v[key].trim();
      if (s && (!WHOLE.test(s) || Number(s) > 120)) errs[key] = t('offers.numberInvalid', { min: 0, max: 120 });
    }
    if (!errs.minAge && !errs.maxAge && v.minAge.trim() && v.maxAge.trim() && Number(v.minAge) > Number(v.maxAge))
      errs.minAge = t('offers.ageOrder');
    const wait = v.waitDays.trim();
    if (wait && (!WHOLE.test(wait) || Number(wait) > 3650))
      errs.waitDays = t('offers.numberInvalid', { min: 0, max: 3650 });
    if (v.contactPhone.trim() && !PHONE.test(v.contactPhone.trim())) errs.contactPhone = t('offers.phoneInvalid');
    if (v.contactEmail.trim() && !EMAIL.test(v.contactEmail.trim())) errs.contactEmail = t('offers.emailInvalid');
    if (v.contactUrl.trim() && !isUrl(v.contactUrl.trim())) errs.contactUrl = t('offers.urlInvalid');
    return errs;
  }

  /**
   * The server's field errors next to their fields. Errors of list items arrive as `themes.0` or
   * `municipalities.3`: the index points into the list that was sent, which names the item.
   */
  function serverErrors(err: ProblemError, sent: Partial<OfferInput>) {
    const byField: Record<string, string[]> = {};
    const byMunicipality: Record<string, string> = {};
    const seen = new Set<string>();
    for (const e of err.fieldErrors) {
      const path = e.field.split(/[./[\]]+/).filter((s) => s !== '' && s !== 'body');
      const field = path[0];
      if (!field || seen.has(e.field)) continue; // a nullable field fails three ways; the first says it
      seen.add(e.field);
      const index = path[1] !== undefined && /^\d+$/.test(path[1]) ? Number(path[1]) : null;
      let message = e.message;
      if (index !== null) {
        const list = (sent as Record<string, unknown>)[field];
        const item = Array.isArray(list) ? String(list[index] ?? '') : '';
        const itemName =
          field === 'themes'
            ? taxonomy.themeLabel(item)
            : field === 'municipalities'
              ? (byCode.get(item)?.name ?? item)
              : field === 'languages'
                ? languageName(item)
                : field === 'siteIds'
                  ? (organization.data?.sites.find((s) => s.id === item)?.name ?? item)
                  : item;
        if (field === 'municipalities' && item) byMunicipality[item] = e.message;
        message = t('offers.itemError', { item: itemName || `#${index + 1}`, message: e.message });
      }
      (byField[field] ??= []).push(message);
    }
    const out: Record<string, string> = {};
    for (const [field, messages] of Object.entries(byField)) out[field] = messages.join(' ');
    setErrors(out);
    setMunicipalityErrors(byMunicipality);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setMunicipalityErrors({});
    const errs = validate(values);
    setErrors(errs);
    if (Object.keys(errs).length > 0) {
      setError(t('errors.fixFields'));
      failed();
      return;
    }
    if (offer?.active && !values.active) {
      const ok = await confirm({
        title: t('offers.deactivateTitle'),
        message: t('offers.deactivateConfirm', { name: values.name.trim() || offer.name }),
        confirmLabel: t('offers.deactivate'),
        danger: true,
      });
      if (!ok) return;
    }
    const input = toInput(values);
    const body = offer ? changedFields(input, toInput(fromOffer(offer))) : input;
    setBusy(true);
    try {
      const saved = offer
        ? Object.keys(body).length > 0
          ? await api.updateOffer(offer.id, body)
          : offer
        : await api.createOffer(input);
      navigate(`/offers/${saved.id}`, { state: { flash: offer ? 'updated' : 'created', from: from.current } });
    } catch (err) {
      setError(err);
      if (err instanceof ProblemError) serverErrors(err, body);
      failed();
    } finally {
      setBusy(false);
    }
  }

  const cancelTo = offer ? `/offers/${offer.id}` : `/offers${from.current}`;
  const sites = organization.data?.sites ?? [];

  return (
    <>
      <p className="breadcrumb">
        <Link to={`/offers${from.current}`}>{t('offers.backToList')}</Link>
      </p>
      <h1>{title}</h1>
      {offer && <p className="lead">{offer.name}</p>}
      <form onSubmit={(e) => void submit(e)} noValidate className="offer-form" ref={formRef}>
        <ErrorAlert error={error} fieldLabels={fieldLabels} />

        <section className="card" aria-labelledby={`${p}-about`}>
          <h2 id={`${p}-about`}>{t('offers.details')}</h2>
          <TextField
            id={`${p}-name`}
            label={t('offers.name')}
            value={values.name}
            onChange={(v) => set('name', v)}
            error={errors.name}
            maxLength={200}
            required
            autoComplete="off"
          />
          <Field id={`${p}-description`} label={t('offers.description')} error={errors.description}>
            {(control) => (
              <textarea
                {...control}
                name="description"
                rows={5}
                maxLength={5000}
                value={values.description}
                onChange={(e) => set('description', e.target.value)}
              />
            )}
          </Field>
          <div className="grid-2">
            <Field id={`${p}-category`} label={t('offers.category')} error={errors.category}>
              {(control) => (
                <select {...control} value={values.category} onChange={(e) => set('category', e.target.value)}>
                  <option value="">{t('offers.categoryNone')}</option>
                  {values.category && !taxonomy.categories.some((c) => c.id === values.category) && (
                    <option value={values.category}>{values.category}</option>
                  )}
                  {taxonomy.categories.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id={`${p}-level`} label={t('offers.level')} error={errors.level} required>
              {(control) => (
                <select
                  {...control}
                  value={values.level}
                  onChange={(e) => set('level', e.target.value as OfferLevel | '')}
                >
                  <option value="">{t('offers.levelChoose')}</option>
                  {OFFER_LEVELS.map((l) => (
                    <option key={l} value={l}>
                      {labels.level(l)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <CheckboxGroup
            id={`${p}-themes`}
            legend={t('offers.themes')}
            hint={t('offers.themesHint')}
            options={taxonomy.themes.map((term) => ({ value: term.id, label: term.label }))}
            selected={values.themes}
            onChange={(v) => set('themes', v)}
            error={errors.themes}
            className="columns"
          />
        </section>

        <section className="card" aria-labelledby={`${p}-who`}>
          <h2 id={`${p}-who`}>{t('offers.sectionWho')}</h2>
          <CheckboxGroup
            id={`${p}-target-groups`}
            legend={t('offers.targetGroups')}
            options={TARGET_GROUPS.map((g) => ({ value: g, label: labels.targetGroup(g) }))}
            selected={values.targetGroups}
            onChange={(v) => set('targetGroups', v)}
            error={errors.targetGroups}
            className="columns"
          />
          <div className="grid-2">
            <TextField
              id={`${p}-min-age`}
              label={t('offers.minAge')}
              hint={t('offers.ageHintEditor')}
              type="number"
              inputMode="numeric"
              min={0}
              max={120}
              value={values.minAge}
              onChange={(v) => set('minAge', v)}
              error={errors.minAge}
              className="narrow"
            />
            <TextField
              id={`${p}-max-age`}
              label={t('offers.maxAge')}
              hint={t('offers.ageHintEditor')}
              type="number"
              inputMode="numeric"
              min={0}
              max={120}
              value={values.maxAge}
              onChange={(v) => set('maxAge', v)}
              error={errors.maxAge}
              className="narrow"
            />
          </div>
          <CheckboxGroup
            id={`${p}-languages`}
            legend={t('offers.languages')}
            hint={t('offers.languagesHint')}
            options={languageOptions}
            selected={values.languages}
            onChange={(v) => set('languages', v)}
            error={errors.languages}
            className="columns"
          />
          <MunicipalityPicker
            id={`${p}-municipalities`}
            legend={t('offers.municipalities')}
            hint={t('offers.municipalitiesHint')}
            value={values.municipalities}
            onChange={(v) => set('municipalities', v)}
            error={errors.municipalities}
            itemErrors={municipalityErrors}
          />
        </section>

        <section className="card" aria-labelledby={`${p}-how`}>
          <h2 id={`${p}-how`}>{t('offers.sectionHow')}</h2>
          <CheckboxGroup
            id={`${p}-modalities`}
            legend={t('offers.modalitiesLabel')}
            options={MODALITIES.map((m) => ({ value: m, label: labels.modality(m) }))}
            selected={values.modalities}
            onChange={(v) => set('modalities', v)}
            error={errors.modalities}
            className="columns"
          />
          {sites.length > 0 ? (
            <CheckboxGroup
              id={`${p}-sites`}
              legend={t('offers.sites')}
              hint={t('offers.sitesHint')}
              options={sites.map((s) => ({ value: s.id, label: s.name }))}
              selected={values.siteIds}
              onChange={(v) => set('siteIds', v)}
              error={errors.siteIds}
            />
          ) : (
            organization.data && <p className="hint">{t('offers.sitesNone')}</p>
          )}
          <Field id={`${p}-opening-hours`} label={t('offers.openingHours')} error={errors.openingHours}>
            {(control) => (
              <textarea
                {...control}
                name="openingHours"
                rows={3}
                maxLength={500}
                value={values.openingHours}
                onChange={(e) => set('openingHours', e.target.value)}
              />
            )}
          </Field>
          <div className="grid-2">
            <Field id={`${p}-cost`} label={t('offers.cost')} error={errors.cost}>
              {(control) => (
                <select {...control} value={values.cost} onChange={(e) => set('cost', e.target.value as Cost)}>
                  {COSTS.map((c) => (
                    <option key={c} value={c}>
                      {labels.cost(c)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <TextField
              id={`${p}-cost-note`}
              label={t('offers.costNote')}
              value={values.costNote}
              onChange={(v) => set('costNote', v)}
              error={errors.costNote}
              maxLength={500}
            />
          </div>
        </section>

        <section className="card" aria-labelledby={`${p}-access`}>
          <h2 id={`${p}-access`}>{t('offers.sectionAccess')}</h2>
          <Checkbox
            id={`${p}-self-referral`}
            label={t('offers.selfReferralLabel')}
            checked={values.selfReferral}
            onChange={(v) => set('selfReferral', v)}
            error={errors.selfReferral}
          />
          <Checkbox
            id={`${p}-referral-required`}
            label={t('offers.referralRequired')}
            checked={values.referralRequired}
            onChange={(v) => set('referralRequired', v)}
            error={errors.referralRequired}
          />
          <Field id={`${p}-who-may-refer`} label={t('offers.whoMayRefer')} error={errors.whoMayRefer}>
            {(control) => (
              <textarea
                {...control}
                name="whoMayRefer"
                rows={2}
                maxLength={500}
                value={values.whoMayRefer}
                onChange={(e) => set('whoMayRefer', e.target.value)}
              />
            )}
          </Field>
          <Checkbox
            id={`${p}-consent`}
            label={t('offers.consentRequired')}
            checked={values.consentRequired}
            onChange={(v) => set('consentRequired', v)}
            error={errors.consentRequired}
          />
        </section>

        <section className="card" aria-labelledby={`${p}-contact`}>
          <h2 id={`${p}-contact`}>{t('offers.contact')}</h2>
          <div className="grid-3">
            <TextField
              id={`${p}-phone`}
              label={t('offers.contactPhone')}
              type="tel"
              inputMode="tel"
              value={values.contactPhone}
              onChange={(v) => set('contactPhone', v)}
              error={errors.contactPhone}
              maxLength={20}
              autoComplete="off"
            />
            <TextField
              id={`${p}-email`}
              label={t('offers.contactEmail')}
              type="email"
              value={values.contactEmail}
              onChange={(v) => set('contactEmail', v)}
              error={errors.contactEmail}
              maxLength={254}
              autoComplete="off"
              spellCheck={false}
            />
            <TextField
              id={`${p}-url`}
              label={t('offers.contactUrl')}
              value={values.contactUrl}
              onChange={(v) => set('contactUrl', v)}
              error={errors.contactUrl}
              maxLength={500}
              autoComplete="off"
              spellCheck={false}
            />
          </div>
        </section>

        <section className="card" aria-labelledby={`${p}-capacity-title`}>
          <h2 id={`${p}-capacity-title`}>{t('offers.capacity')}</h2>
          <div className="grid-2">
            <Field id={`${p}-capacity`} label={t('offers.capacity')} error={errors.capacity} required>
              {(control) => (
                <select
                  {...control}
                  value={values.capacity}
                  onChange={(e) => set('capacity', e.target.value as Capacity)}
                >
                  {CAPACITIES.map((c) => (
                    <option key={c} value={c}>
                      {labels.capacity(c)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <TextField
              id={`${p}-wait-days`}
              label={t('offers.waitDays')}
              hint={t('offers.waitDaysHint')}
              type="number"
              inputMode="numeric"
              min={0}
              max={3650}
              value={values.waitDays}
              onChange={(v) => set('waitDays', v)}
              error={errors.waitDays}
              className="narrow"
            />
          </div>
        </section>

        <section className="card" aria-labelledby={`${p}-visibility`}>
          <h2 id={`${p}-visibility`}>{t('offers.sectionVisibility')}</h2>
          <Checkbox
            id={`${p}-public`}
            label={t('offers.isPublic')}
            checked={values.isPublic}
            onChange={(v) => set('isPublic', v)}
            error={errors.isPublic}
          />
          <Checkbox
            id={`${p}-active`}
            label={t('offers.active')}
            checked={values.active}
            onChange={(v) => set('active', v)}
            error={errors.active}
          />
          <Field
            id={`${p}-internal-note`}
            label={t('offers.internalNote')}
            hint={t('offers.internalHint')}
            error={errors.internalNote}
          >
            {(control) => (
              <textarea
                {...control}
                name="internalNote"
                rows={3}
                maxLength={2000}
                value={values.internalNote}
                onChange={(e) => set('internalNote', e.target.value)}
              />
            )}
          </Field>
        </section>

        <div className="actions form-actions">
          <button type="submit" className="button primary" disabled={busy} aria-busy={busy}>
            {t('common.save')}
          </button>
          <Link to={cancelTo} className="button secondary">
            {t('common.cancel')}
          </Link>
        </div>
      </form>
      {dialog}
    </>
  );
}

function Checkbox({
  id,
  label,
  checked,
  onChange,
  error,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  error?: string | undefined;
}) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <div className="checkbox">
        <input
          type="checkbox"
          id={id}
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
