import { str, unique, type ImportContext } from './import.context.ts';
import { ourTerm } from './import.terms.ts';
import { NIS_URN_PREFIX } from './ids.ts';
import { isObject, type HsdsRecord } from './package.ts';
import type { KlTerm, TaxonomyKey } from './taxonomies.ts';

/**
 * An HSDS service as the columns of our offer. A missing single field (email, url, ages…) means none; a missing
 * list (languages, service areas, phones, schedules, cost options, attributes) leaves its columns out, so the
 * offer keeps what it has.
 */

export interface OfferValues {
  [column: string]: unknown;
}
interface OfferFields {
  values: OfferValues;
  /** when the capacity was last confirmed, if the record says so */
  capacityAt: string | null;
}

/** ISO 639-2/3 codes of languages common in Flanders, as the ISO 639-1 codes an offer stores. */
const LANGUAGE_ALIASES: Record<string, string> = {
  nld: 'nl',
  dut: 'nl',
  fra: 'fr',
  fre: 'fr',
  eng: 'en',
  deu: 'de',
  ger: 'de',
  ara: 'ar',
  tur: 'tr',
  pol: 'pl',
  spa: 'es',
  ita: 'it',
  rus: 'ru',
  ukr: 'uk',
  ron: 'ro',
  rum: 'ro',
  por: 'pt',
  bul: 'bg',
  fas: 'fa',
  per: 'fa',
  som: 'so',
  tir: 'ti',
  pus: 'ps',
  urd: 'ur',
};

/** The offer's columns for a service record, reporting what is wrong with it. */
export function offerValues(ctx: ImportContext, termAlias: Map<string, KlTerm>, rec: HsdsRecord): OfferFields {
  const v: OfferValues = {};
  singleFields(ctx, rec, v);
  ages(ctx, rec, v);
  listFields(ctx, rec, v);
  const capacityAt = Array.isArray(rec.data.attributes)
    ? classification(ctx, termAlias, rec, rec.data.attributes, v)
    : null;
  return { values: v, capacityAt };
}

function singleFields({ problems, at }: ImportContext, rec: HsdsRecord, v: OfferValues) {
  const d = rec.data;
  const name = str(d.name)?.trim() ?? '';
  if (!name) problems.error(at(rec, 'name'), 'name-blank');
  v.name = name;
  v.description = str(d.description) ?? '';
  v.active = d.status === 'active';
  v.contact_email = str(d.email) ?? null;
  v.contact_url = str(d.url) ?? null;
  v.cost_note = str(d.fees_description) ?? null;
}

function ages({ problems, at }: ImportContext, rec: HsdsRecord, v: OfferValues) {
  for (const [field, column] of [
    ['minimum_age', 'min_age'],
    ['maximum_age', 'max_age'],
  ] as const) {
    const age = rec.data[field];
    if (age !== undefined && (typeof age !== 'number' || !Number.isInteger(age) || age < 0 || age > 120))
      problems.error(at(rec, field), 'age-invalid');
    v[column] = typeof age === 'number' ? age : null;
  }
  if (typeof v.min_age === 'number' && typeof v.max_age === 'number' && v.min_age > v.max_age)
    problems.error(at(rec, 'minimum_age'), 'age-range');
}

/** Languages, service areas (municipalities), phone, opening hours and cost: each only when the record carries its list. */
function listFields(ctx: ImportContext, rec: HsdsRecord, v: OfferValues) {
  const d = rec.data;
  if (Array.isArray(d.languages)) {
    v.languages = unique(
      d.languages
        .filter(isObject)
        .map((l) => {
          const code = str(l.code)?.trim().toLowerCase() ?? '';
          return /^[a-z]{2}$/.test(code) ? code : LANGUAGE_ALIASES[code];
        })
        .filter((c): c is string => Boolean(c)),
    );
  }
  if (Array.isArray(d.service_areas)) v.municipalities = serviceAreaCodes(ctx, rec, d.service_areas);
  if (Array.isArray(d.phones))
    v.contact_phone =
      d.phones
        .filter(isObject)
        .map((p) => str(p.number)?.trim())
        .find(Boolean) ?? null;
  if (Array.isArray(d.schedules))
    v.opening_hours =
      d.schedules
        .filter(isObject)
        .map((s) => str(s.description)?.trim())
        .find(Boolean) ?? null;
  if (Array.isArray(d.cost_options) && d.cost_options.length) {
    const amounts = d.cost_options
      .filter(isObject)
      .map((c) => c.amount)
      .filter((a): a is number => typeof a === 'number');
    if (amounts.some((a) => a > 0)) v.cost = 'fee';
    else if (amounts.length === d.cost_options.length) v.cost = 'free';
  }
}

/** The NIS codes of the service areas that name a Belgian municipality (urn:nis:…), sorted. */
function serviceAreaCodes(
  { problems, at, municipalities }: ImportContext,
  rec: HsdsRecord,
  areas: unknown[],
): string[] {
  const codes: string[] = [];
  areas.forEach((area, i) => {
    if (!isObject(area)) return;
    const uri = str(area.uri)?.trim() ?? '';
    if (!uri.toLowerCase().startsWith(NIS_URN_PREFIX)) return;
    const code = uri.slice(NIS_URN_PREFIX.length);
    const nested = { obj: area, path: `service_areas.${i}` };
    if (!/^[0-9]{5}$/.test(code)) problems.error(at(rec, 'uri', nested), 'nis-format');
    else if (!municipalities.has(code)) problems.error(at(rec, 'uri', nested), 'municipality-unknown');
    else codes.push(code);
  });
  return unique(codes).sort();
}

/**
 * Our classification from the attributes: themes, modalities, target groups, category, level, capacity (with the
 * waiting time in days as its value) and cost. Returns when the capacity was confirmed, if an attribute says so.
 */
function classification(
  ctx: ImportContext,
  termAlias: Map<string, KlTerm>,
  rec: HsdsRecord,
  attributes: unknown[],
  v: OfferValues,
): string | null {
  const { P, vocab, problems, at } = ctx;
  let capacityAt: string | null = null;
  const found = new Map<TaxonomyKey, string[]>();
  const foreignThemes: string[] = [];
  attributes.forEach((attribute, i) => {
    if (!isObject(attribute)) return;
    const nested = { obj: attribute, path: `attributes.${i}` };
    const id = str(attribute.taxonomy_term_id)?.toLowerCase();
    const term =
      vocab.term(id) ??
      (id ? termAlias.get(id) : undefined) ??
      ourTerm(ctx, isObject(attribute.taxonomy_term) ? attribute.taxonomy_term : undefined, () =>
        at(rec, 'taxonomy_term.code', nested),
      );
    if (!term) {
      // a term of another taxonomy whose code is one of our theme ids stands for that theme
      const foreign = isObject(attribute.taxonomy_term)
        ? attribute.taxonomy_term
        : id
          ? P.taxonomy_term.get(id)?.data
          : undefined;
      const theme = vocab.of('theme', str(foreign?.code)?.trim().toLowerCase() ?? '');
      if (term === undefined && theme) foreignThemes.push(theme.value);
      return;
    }
    if (!found.has(term.key)) found.set(term.key, []);
    found.get(term.key)!.push(term.value);
    if (term.key === 'capacity') {
      const value = str(attribute.value)?.trim() ?? '';
      if (value !== '' && (!/^[0-9]{1,4}$/.test(value) || Number(value) > 3650))
        problems.error(at(rec, 'value', nested), 'wait-days-invalid');
      v.wait_days = value === '' ? null : Number(value);
      const meta = Array.isArray(attribute.metadata)
        ? attribute.metadata.filter(isObject).find((m) => m.field_name === 'capacity')
        : undefined;
      const when = str(meta?.last_action_date);
      if (when && !Number.isNaN(Date.parse(when)) && /T/.test(when)) capacityAt = new Date(when).toISOString();
    }
  });
  // a record that speaks our vocabulary says all of it; another one leaves our classification alone
  if (found.size) {
    const single = (key: TaxonomyKey, column: string, required: boolean) => {
      const values = unique(found.get(key) ?? []);
      if (values.length > 1) problems.error(at(rec, 'attributes'), 'attribute-multiple', key);
      if (values[0] !== undefined) v[column] = values[0];
      else if (!required) v[column] = null;
    };
    v.themes = unique(found.get('theme') ?? []);
    v.modalities = unique(found.get('modality') ?? []);
    v.target_groups = unique(found.get('target-group') ?? []);
    single('category', 'category_id', false);
    single('level', 'level', true);
    single('capacity', 'capacity', true);
    single('cost', 'cost', true);
    if (!found.has('capacity')) delete v.wait_days;
  } else if (foreignThemes.length) {
    v.themes = unique(foreignThemes);
  }
  return capacityAt;
}
