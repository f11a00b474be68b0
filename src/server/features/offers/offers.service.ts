import { sql, type Kysely } from 'kysely';
import type { DB } from '../../core/db/schema.ts';
import type { Tx } from '../../core/db/tenant.ts';
import type { Lang } from '../../core/http/messages.ts';
import { forbidden, invalid, notFound, type FieldError } from '../../core/http/errors.ts';
import { normalizePhone } from '../../core/phone.ts';
import { CRISIS_LINES, pointsAtCrisis } from '../../core/crisis-lines.ts';
import * as repo from './offers.repository.ts';
import type { CapacityUpdate, OfferCreate, OfferSearch, OfferUpdate } from './offers.schema.ts';
import { OFFER_AUDIT } from './offers.audit.ts';
import { synonymGroups, wordTsquery } from './offers.synonyms.ts';
import type { Capacity, Cost, Level, Modality, TargetGroup } from './offers.schema.ts';

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** Free text → folded words, letters and digits only (at most 8): the words of a catalogue search. */
export function searchWords(q: string | undefined): string[] {
  return fold(q ?? '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0)
    .slice(0, 8);
}

/**
 * A Dutch compound typed as one word ('opvoedingsvragen', 'rouwgroep') found as its two parts anywhere in an
 * offer: every split into two parts of at least four letters, or-ed ('(opvoedings:* & vragen:*) | …').
 */
export function compoundTsquery(word: string): string | null {
  const splits: string[] = [];
  for (let at = 4; at <= word.length - 4; at++) splits.push(`(${word.slice(0, at)}:* & ${word.slice(at)}:*)`);
  return splits.length ? splits.join(' | ') : null;
}

const isStale = (updatedAt: Date) => Date.now() - updatedAt.getTime() > repo.STALE_DAYS * 86_400_000;

export function toPublicOffer(row: repo.OfferWithOrg) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    name: row.name,
    description: row.description,
    category: row.category_id,
    level: row.level as Level,
    themes: row.themes,
    targetGroups: row.target_groups as TargetGroup[],
    minAge: row.min_age,
    maxAge: row.max_age,
    modalities: row.modalities as Modality[],
    languages: row.languages,
    municipalities: row.municipalities,
    openingHours: row.opening_hours,
    cost: row.cost as Cost,
    costNote: row.cost_note,
    selfReferral: row.self_referral,
    referralRequired: row.referral_required,
    contactPhone: row.contact_phone,
    contactEmail: row.contact_email,
    contactUrl: row.contact_url,
    capacity: row.capacity as Capacity,
    waitDays: row.wait_days,
    capacityUpdatedAt: row.capacity_updated_at.toISOString(),
    stale: isStale(row.capacity_updated_at),
    updatedAt: row.updated_at.toISOString(),
    sites: row.sites.map((s) => ({
      id: s.id,
      name: s.name,
      street: s.street,
      postalCode: s.postal_code,
      municipality: s.nis_code,
    })),
  };
}

export function toOffer(
  row: repo.OfferWithOrg,
  actor: { organizationId: string | null; permissions: ReadonlySet<string> },
) {
  return {
    ...toPublicOffer(row),
    siteIds: row.site_ids,
    whoMayRefer: row.who_may_refer,
    consentRequired: row.consent_required,
    isPublic: row.is_public,
    active: row.active,
    internalNote: row.internal_note,
    createdAt: row.created_at.toISOString(),
    mayEdit: actor.organizationId === row.organization_id && actor.permissions.has('offer:manage'),
  };
}

function filterOf(input: OfferSearch, networkId: string | null, groups: string[][]): repo.OfferFilter {
  const words = searchWords(input.q);
  const wordQueries = words.map((w) => wordTsquery(w, groups));
  return {
    text: words.length ? { mode: 'strict', words, wordQueries } : null,
    themes: input.theme,
    categories: input.category,
    age: input.age,
    municipality: input.municipality,
    zone: input.zone,
    levels: input.level,
    modalities: input.modality,
    languages: input.language,
    selfReferral: input.selfReferral,
    capacities: input.capacity,
    maxWaitDays: input.maxWaitDays,
    organizationId: input.organizationId,
    networkId,
  };
}

/** The crisis lines for the catalogue's box on top, in the caller's language. */
function crisisLines(lang: Lang) {
  return CRISIS_LINES.map((l) => ({ number: l.number, name: l.name[lang], when: l.when[lang], url: l.url }));
}

/**
 * A catalogue search as people type. First strictly (every word or a synonym, one statement, the common path);
 * when that finds nothing, the fuzzy fallback (typos, plurals, compounds; offers matching the most words first)
 * and "Bedoelde je …?": the query with each word replaced by the closest word of the visible catalogue. A query
 * that points at crisis brings the crisis lines, whatever it finds.
 */
export async function searchOffers(db: Kysely<DB>, input: OfferSearch, networkId: string | null, lang: Lang = 'nl') {
  const words = searchWords(input.q);
  let filter = filterOf(input, networkId, words.length ? await synonymGroups(db, networkId) : []);
  const limit = input.pageSize;
  const offset = (input.page - 1) * input.pageSize;
  let { rows, total } = await repo.searchOffers(db, filter, input.sort, limit, offset);
  let approximate = false;
  let suggestions: string[] = [];
  if (total === 0 && filter.text) {
    filter = { ...filter, text: { ...filter.text, mode: 'fuzzy', compounds: words.map(compoundTsquery) } };
    ({ rows, total } = await repo.searchOffers(db, filter, input.sort, limit, offset));
    approximate = total > 0;
    const closest = await repo.closestWords(db, words, networkId);
    const suggestion = words.map((w) => closest.get(w) ?? w).join(' ');
    if (suggestion !== words.join(' ')) suggestions = [suggestion];
  }
  const facets = input.facets ? await repo.facetCounts(db, filter) : undefined;
  const crisis = pointsAtCrisis(words) ? crisisLines(lang) : [];
  return { rows, total, facets, approximate, suggestions, crisis };
}

export const searchHelp = (r: {
  approximate: boolean;
  suggestions: string[];
  crisis: ReturnType<typeof crisisLines>;
}) => ({
  approximate: r.approximate,
  suggestions: r.suggestions,
  crisisLines: r.crisis,
});

/** An offer's contact may be a short number (1813, 106): other numbers are stored as +32… (see core/phone.ts). */
const contactPhone = (typed: string) => normalizePhone(typed, { allowShortNumbers: true });

/** Field-level checks the schema cannot make: taxonomy ids, NIS codes, sites, the age range, the phone number. */
async function validate(
  tx: Tx,
  input: OfferUpdate,
  current?: { min_age: number | null; max_age: number | null; organization_id: string },
) {
  const errors: FieldError[] = [];
  if (input.contactPhone?.trim() && !contactPhone(input.contactPhone).ok)
    errors.push({ field: 'contactPhone', code: 'phone-invalid' });
  if (input.themes) {
    const unknown = await repo.unknownTerms(tx.db, 'theme', input.themes);
    input.themes.forEach((id, i) => unknown.has(id) && errors.push({ field: `themes.${i}`, code: 'theme-unknown' }));
  }
  if (input.category) {
    const unknown = await repo.unknownTerms(tx.db, 'category', [input.category]);
    if (unknown.size) errors.push({ field: 'category', code: 'category-unknown' });
  }
  if (input.municipalities) {
    const unknown = await repo.unknownMunicipalities(tx.db, input.municipalities);
    input.municipalities.forEach(
      (code, i) => unknown.has(code) && errors.push({ field: `municipalities.${i}`, code: 'municipality-unknown' }),
    );
  }
  if (input.zones?.length) {
    const known = await tx.db.selectFrom('networks').select('id').where('id', 'in', input.zones).execute();
    const ids = new Set(known.map((k) => k.id));
    input.zones.forEach((id, i) => !ids.has(id) && errors.push({ field: `zones.${i}`, code: 'zone-unknown' }));
  }
  if (input.siteIds?.length) {
    const organizationId = current?.organization_id ?? tx.actor.organizationId!;
    const sites = await tx.db
      .selectFrom('sites')
      .select('id')
      .where('organization_id', '=', organizationId)
      .where('id', 'in', input.siteIds)
      .execute();
    const ids = new Set(sites.map((s) => s.id));
    input.siteIds.forEach((id, i) => !ids.has(id) && errors.push({ field: `siteIds.${i}`, code: 'site-unknown' }));
  }
  const minAge = input.minAge !== undefined ? input.minAge : (current?.min_age ?? null);
  const maxAge = input.maxAge !== undefined ? input.maxAge : (current?.max_age ?? null);
  if (minAge !== null && maxAge !== null && minAge > maxAge) errors.push({ field: 'minAge', code: 'age-range' });
  if (errors.length) throw invalid(...errors);
}

/** A service area given as zones is stored as their municipalities (what a search by municipality needs). */
async function serviceArea(
  tx: Tx,
  municipalities: string[] | undefined,
  zones: string[] | undefined,
): Promise<string[] | undefined> {
  if (!zones?.length) return municipalities;
  const rows = await tx.db
    .selectFrom('network_municipalities')
    .select('nis_code')
    .where('network_id', 'in', zones)
    .execute();
  return [...new Set([...(municipalities ?? []), ...rows.map((r) => r.nis_code)])].sort();
}

function columns(input: OfferUpdate) {
  const c: Record<string, unknown> = {};
  const map: [keyof OfferUpdate, string][] = [
    ['name', 'name'],
    ['description', 'description'],
    ['category', 'category_id'],
    ['level', 'level'],
    ['themes', 'themes'],
    ['targetGroups', 'target_groups'],
    ['minAge', 'min_age'],
    ['maxAge', 'max_age'],
    ['modalities', 'modalities'],
    ['languages', 'languages'],
    ['siteIds', 'site_ids'],
    ['openingHours', 'opening_hours'],
    ['cost', 'cost'],
    ['costNote', 'cost_note'],
    ['selfReferral', 'self_referral'],
    ['referralRequired', 'referral_required'],
    ['whoMayRefer', 'who_may_refer'],
    ['consentRequired', 'consent_required'],
    ['contactPhone', 'contact_phone'],
    ['contactEmail', 'contact_email'],
    ['contactUrl', 'contact_url'],
    ['capacity', 'capacity'],
    ['waitDays', 'wait_days'],
    ['isPublic', 'is_public'],
    ['active', 'active'],
    ['internalNote', 'internal_note'],
  ];
  for (const [key, column] of map)
    if (input[key] !== undefined)
      c[column] = typeof input[key] === 'string' && key === 'name' ? input[key].trim() : input[key];
  if (typeof input.contactPhone === 'string') {
    const phone = contactPhone(input.contactPhone);
    c.contact_phone = phone.ok ? phone.value : null; // validate refused anything but an empty string
  }
  return c;
}

async function readBack(tx: Tx, id: string) {
  const row = await repo.findOffer(tx.db, id, tx.actor.networkId);
  if (!row) throw notFound();
  return toOffer(row, tx.actor);
}

export async function createOffer(tx: Tx, input: OfferCreate) {
  if (!tx.actor.organizationId) throw forbidden();
  await validate(tx, input);
  const municipalities = await serviceArea(tx, input.municipalities, input.zones);
  const row = await tx.db
    .insertInto('offers')
    .values({
      ...(columns(input) as object),
      municipalities,
      organization_id: tx.actor.organizationId,
      network_id: tx.actor.networkId,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx.audit({ action: OFFER_AUDIT.offerCreate, entityType: 'offer', entityId: row.id });
  return readBack(tx, row.id);
}

/** Only the offering organisation changes an offer; another organisation's offer of the network is 403, elsewhere 404. */
async function ownOffer(tx: Tx, id: string) {
  const row = await repo.findOffer(tx.db, id, tx.actor.networkId);
  if (!row) throw notFound();
  if (row.organization_id !== tx.actor.organizationId) throw forbidden();
  return row;
}

export async function updateOffer(tx: Tx, id: string, input: OfferUpdate) {
  const current = await ownOffer(tx, id);
  await validate(tx, input, current);
  const set = columns(input);
  if (input.municipalities || input.zones)
    set.municipalities = await serviceArea(tx, input.municipalities ?? current.municipalities, input.zones);
  if (input.capacity !== undefined || input.waitDays !== undefined) set.capacity_updated_at = sql`now()`;
  await tx.db
    .updateTable('offers')
    .set({ ...(set as object), updated_at: sql`now()` } as never)
    .where('id', '=', id)
    .where('organization_id', '=', tx.actor.organizationId!)
    .execute();
  await tx.audit({
    action: OFFER_AUDIT.offerUpdate,
    entityType: 'offer',
    entityId: id,
    details: { fields: Object.keys(input).join(',') },
  });
  return readBack(tx, id);
}

/** The quick update a coordinator makes in seconds; also confirms an unchanged capacity as current. */
export async function updateCapacity(tx: Tx, id: string, input: CapacityUpdate) {
  await ownOffer(tx, id);
  // waitDays left out keeps the known waiting time (confirming an unchanged capacity); null clears it
  await tx.db
    .updateTable('offers')
    .set({
      capacity: input.capacity,
      ...(input.waitDays !== undefined ? { wait_days: input.waitDays } : {}),
      capacity_updated_at: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('organization_id', '=', tx.actor.organizationId!)
    .execute();
  await tx.audit({
    action: OFFER_AUDIT.offerCapacity,
    entityType: 'offer',
    entityId: id,
    details: { capacity: input.capacity, waitDays: input.waitDays ?? null },
  });
  return readBack(tx, id);
}

export async function listTerms(db: Kysely<DB>, taxonomy: 'theme' | 'category', lang: Lang) {
  const rows = await db
    .selectFrom('taxonomy_terms')
    .select(['id', 'label_nl', 'label_en'])
    .where('taxonomy', '=', taxonomy)
    .orderBy('sort_order')
    .execute();
  return { items: rows.map((r) => ({ id: r.id, label: lang === 'en' ? r.label_en : r.label_nl })) };
}
