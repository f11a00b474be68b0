import type { OfferRow } from '../../core/db/schema.ts';
import type { Lang } from '../../core/http/messages.ts';
import type { RecordRow } from './hsds.db.ts';
import { derivedId, NIS_URN_PREFIX } from './ids.ts';
import { isObject, type Json } from './package.ts';
import { inSchemaOrder } from './validator.ts';
import {
  KL_TAXONOMIES,
  taxonomyByRef,
  type KlTaxonomy,
  type KlTerm,
  type KlVocabulary,
  type TaxonomyKey,
} from './taxonomies.ts';

/**
 * Our rows as HSDS 3.0 objects. An entity that came in through an import is its original HSDS record with our
 * current fields merged over it (see mergeRecord), so fields we do not model survive a round trip.
 */
export type OfferRowOrg = OfferRow & { organization_name: string };
export interface OrgRow {
  id: string;
  network_id: string;
  name: string;
  kind: string;
  active: boolean;
  updated_at: Date;
}
export interface SiteRow {
  id: string;
  organization_id: string;
  name: string;
  street: string;
  postal_code: string;
  nis_code: string;
}
export interface Municipality {
  nis_code: string;
  name_nl: string;
  name_fr: string;
  province_nl: string | null;
  region_nis: string;
}
export type Shape = 'list' | 'full';
/** Snapshots of our rendering (hsds_records.generated) are taken in Dutch. */
export const SNAPSHOT_LANG: Lang = 'nl';

const REGION_NAMES: Record<string, string> = {
  '2000': 'Vlaams Gewest',
  '3000': 'Waals Gewest',
  '4000': 'Brussels Hoofdstedelijk Gewest',
};
export const KIND_LABELS: Record<string, [string, string]> = {
  caw: ['Centrum Algemeen Welzijnswerk (CAW)', 'General welfare centre (CAW)'],
  cgg: ['Centrum Geestelijke Gezondheidszorg (CGG)', 'Mental health centre (CGG)'],
  ocmw: ['OCMW / sociaal huis', 'Public social welfare centre (OCMW)'],
  dmw: ['Dienst maatschappelijk werk van het ziekenfonds', 'Social service of a health insurance fund'],
  helpline: ['Hulplijn', 'Helpline'],
  'care-facility': ['Zorgvoorziening', 'Care facility'],
  'funeral-director': ['Begrafenisondernemer', 'Funeral director'],
  'primary-care': ['Eerstelijnszorg', 'Primary care'],
  'zero-line': ['Nuldelijn / vrijwilligers', 'Zero line / volunteers'],
  other: ['Organisatie', 'Organisation'],
};
const LANGUAGE_NAMES: Record<string, [string, string]> = {
  nl: ['Nederlands', 'Dutch'],
  fr: ['Frans', 'French'],
  en: ['Engels', 'English'],
  de: ['Duits', 'German'],
  ar: ['Arabisch', 'Arabic'],
  tr: ['Turks', 'Turkish'],
  pl: ['Pools', 'Polish'],
  es: ['Spaans', 'Spanish'],
  it: ['Italiaans', 'Italian'],
  ru: ['Russisch', 'Russian'],
  uk: ['Oekraïens', 'Ukrainian'],
  ro: ['Roemeens', 'Romanian'],
  pt: ['Portugees', 'Portuguese'],
  bg: ['Bulgaars', 'Bulgarian'],
  fa: ['Perzisch', 'Persian'],
  so: ['Somalisch', 'Somali'],
  ti: ['Tigrinya', 'Tigrinya'],
  ps: ['Pasjtoe', 'Pashto'],
  ur: ['Urdu', 'Urdu'],
};

const ordered = (entity: 'organization' | 'service' | 'location' | 'service_at_location', obj: Json) =>
  inSchemaOrder(entity, obj) as Json;

/** Drops undefined values: HSDS omits a field it has no value for (null is not valid in its schemas). */
export function compact(obj: Record<string, unknown>): Json {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== null));
}

/** JSON with sorted keys, to compare values whatever the key order (jsonb reorders keys). */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
export const sameJson = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** The one-to-one fields of an object (what the list endpoints give). */
export function scalars(obj: Json): Json {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== null && typeof v !== 'object'));
}

/** Whether an attribute links one of our terms (those we render ourselves from the offer). */
export function isOurAttribute(attribute: unknown, vocab: KlVocabulary): boolean {
  if (!isObject(attribute)) return false;
  const term = isObject(attribute.taxonomy_term) ? attribute.taxonomy_term : undefined;
  return Boolean(
    vocab.term(attribute.taxonomy_term_id as string | undefined) ||
    vocab.term(term?.id as string | undefined) ||
    taxonomyByRef(term?.taxonomy_id as string | undefined) ||
    taxonomyByRef(isObject(term?.taxonomy_detail) ? (term.taxonomy_detail.id as string | undefined) : undefined),
  );
}

const ALWAYS_OURS = new Set(['id', 'last_modified']);

/**
 * An imported record with our current rendering merged over it. `snapshot` is our rendering right after the
 * import: where ours still renders the same, the field was not changed in Korte Lijn, and the imported original
 * (with its details, e.g. a phone's extension) is given; where it differs, ours is. Fields we do not model are
 * the original's; attributes are the original's foreign ones plus ours. `comparable` is our rendering in the
 * language of the snapshot (labels are localised; a field is not "changed" because the reader speaks English).
 */
export function mergeRecord(
  data: Json | undefined,
  gen: Json | undefined,
  snapshot: Json | null | undefined,
  vocab: KlVocabulary,
  comparable: Json | undefined = gen,
): Json {
  if (!data) return gen ?? {};
  if (!gen) return data;
  const out: Json = {};
  for (const key of new Set([...Object.keys(data), ...Object.keys(gen)])) {
    const inGen = key in gen;
    const inData = key in data;
    if (key === 'attributes') {
      const foreign: unknown[] = Array.isArray(data.attributes)
        ? data.attributes.filter((a) => !isOurAttribute(a, vocab))
        : [];
      const list = [...foreign, ...((gen.attributes as Json[] | undefined) ?? [])];
      if (list.length || inData) out.attributes = list;
      continue;
    }
    if (ALWAYS_OURS.has(key)) {
      out[key] = inGen ? gen[key] : data[key];
      continue;
    }
    if (!inGen) {
      // a field we render, present at import, absent now: it was cleared in Korte Lijn
      if (snapshot && key in snapshot) continue;
      out[key] = data[key];
      continue;
    }
    if (!inData) {
      out[key] = gen[key];
      continue;
    }
    out[key] = snapshot && sameJson(comparable?.[key], snapshot[key]) ? data[key] : gen[key];
  }
  return out;
}

export class Renderer {
  readonly orgs = new Map<string, OrgRow>();
  readonly sites = new Map<string, SiteRow>();
  /** `${entity}|${id}` → record */
  readonly records = new Map<string, RecordRow>();
  /** `${serviceId}|${locationId}` → service_at_location record */
  readonly salRecords = new Map<string, RecordRow>();
  /** organisation → its location ids (exportable sites and imported locations) */
  readonly locationsOf = new Map<string, string[]>();
  /** organisation → its public services */
  readonly servicesOf = new Map<string, OfferRowOrg[]>();
  /** service → the locations it is offered at */
  readonly locationsOfService = new Map<string, string[]>();
  /** service → when it or what it shows last changed (export.repository modifiedAt); else the offer's own time */
  readonly modifiedAt = new Map<string, Date>();

  constructor(
    readonly vocab: KlVocabulary,
    readonly lang: Lang,
    readonly municipalities: Map<string, Municipality>,
  ) {}

  /** The same rendering in the language snapshots are taken in. */
  private snapshotRenderer(): Renderer {
    return this.lang === SNAPSHOT_LANG
      ? this
      : (this.snapshotTwin ??= new Renderer(this.vocab, SNAPSHOT_LANG, this.municipalities));
  }
  private snapshotTwin: Renderer | undefined;

  private label(nl: string, en: string) {
    return this.lang === 'en' ? en : nl;
  }
  record(entity: string, id: string) {
    return this.records.get(`${entity}|${id}`);
  }

  taxonomy(t: KlTaxonomy): Json {
    return { id: t.id, name: t.name, description: this.label(t.descriptionNl, t.descriptionEn), version: '1' };
  }

  term(term: KlTerm, withDetail = true): Json {
    const taxonomy = KL_TAXONOMIES.find((t) => t.key === term.key)!;
    const parent = term.parentValue ? this.vocab.of(term.key, term.parentValue) : undefined;
    return compact({
      id: term.id,
      code: term.code,
      name: this.label(term.labelNl, term.labelEn),
      description: `${this.label(taxonomy.descriptionNl, taxonomy.descriptionEn)}: ${this.label(term.labelNl, term.labelEn)}`,
      parent_id: parent?.id,
      taxonomy: taxonomy.name,
      taxonomy_id: taxonomy.id,
      language: this.lang,
      taxonomy_detail: withDetail ? this.taxonomy(taxonomy) : undefined,
    });
  }

  /** The offer as an HSDS service (its own fields, without organisation and locations). */
  serviceGen(o: OfferRowOrg): Json {
    const attributes: Json[] = [];
    const add = (key: TaxonomyKey, value: string, extra: Json = {}) => {
      const term = this.vocab.of(key, value);
      if (!term) return;
      attributes.push({
        id: derivedId('attribute', o.id, key, value),
        link_id: o.id,
        link_type: key,
        link_entity: 'service',
        taxonomy_term_id: term.id,
        ...extra,
        taxonomy_term: this.term(term),
      });
    };
    o.themes.forEach((t) => add('theme', t));
    if (o.category_id) add('category', o.category_id);
    add('level', o.level);
    const capacityTerm = this.vocab.of('capacity', o.capacity);
    add(
      'capacity',
      o.capacity,
      compact({
        value: o.wait_days === null ? undefined : String(o.wait_days),
        metadata: [
          {
            id: derivedId('metadata', o.id, 'capacity'),
            resource_id: o.id,
            resource_type: 'service',
            last_action_date: o.capacity_updated_at.toISOString(),
            last_action_type: 'update',
            field_name: 'capacity',
            previous_value: '',
            replacement_value: capacityTerm?.code ?? o.capacity,
            updated_by: o.organization_name,
          },
        ],
      }),
    );
    o.modalities.forEach((m) => add('modality', m));
    o.target_groups.forEach((g) => add('target-group', g));
    add('cost', o.cost);
    return compact({
      id: o.id,
      organization_id: o.organization_id,
      name: o.name,
      description: o.description,
      url: o.contact_url,
      email: o.contact_email,
      status: o.active ? 'active' : 'inactive',
      fees_description: o.cost_note,
      wait_time: o.wait_days === null ? undefined : `P${o.wait_days}D`,
      minimum_age: o.min_age,
      maximum_age: o.max_age,
      last_modified: (this.modifiedAt.get(o.id) ?? o.updated_at).toISOString(),
      phones: o.contact_phone ? [{ id: derivedId('phone', o.id), number: o.contact_phone }] : [],
      schedules: o.opening_hours ? [{ id: derivedId('schedule', o.id), description: o.opening_hours }] : [],
      service_areas: o.municipalities.map((nis) =>
        compact({
          id: derivedId('service-area', o.id, nis),
          name: this.municipalities.get(nis)?.name_nl ?? nis,
          uri: `${NIS_URN_PREFIX}${nis}`,
        }),
      ),
      languages: o.languages.map((code) => {
        const name = LANGUAGE_NAMES[code];
        return compact({ id: derivedId('language', o.id, code), code, name: name ? this.label(...name) : undefined });
      }),
      attributes,
    });
  }

  orgGen(org: OrgRow): Json {
    const kind = KIND_LABELS[org.kind] ?? KIND_LABELS.other!;
    return { id: org.id, name: org.name, description: this.label(...kind) };
  }

  locationGen(site: SiteRow): Json {
    const m = this.municipalities.get(site.nis_code);
    return {
      id: site.id,
      location_type: 'physical',
      organization_id: site.organization_id,
      name: site.name,
      addresses: [
        {
          id: derivedId('address', site.id),
          location_id: site.id,
          address_1: site.street,
          city: m?.name_nl ?? site.nis_code,
          state_province: m?.province_nl ?? REGION_NAMES[m?.region_nis ?? ''] ?? '',
          postal_code: site.postal_code,
          country: 'BE',
          address_type: 'physical',
        },
      ],
    };
  }

  private merged(entity: string, id: string, render: ((r: Renderer) => Json) | undefined): Json | undefined {
    const rec = this.record(entity, id);
    const gen = render?.(this);
    if (!rec && !gen) return undefined;
    if (!rec || !gen) return rec?.data ?? gen;
    return mergeRecord(rec.data, gen, rec.generated, this.vocab, render!(this.snapshotRenderer()));
  }

  organization(org: OrgRow, shape: Shape, withServices = true): Json {
    const merged = this.merged('organization', org.id, (r) => r.orgGen(org))!;
    if (shape === 'list') return ordered('organization', scalars(merged));
    const out: Json = {
      ...merged,
      locations: (this.locationsOf.get(org.id) ?? [])
        .map((id) => this.location(id, 'full'))
        .filter((l): l is Json => Boolean(l)),
    };
    if (withServices)
      out.services = (this.servicesOf.get(org.id) ?? []).map((s) => ordered('service', scalars(this.serviceOwn(s))));
    return ordered('organization', out);
  }

  location(id: string, shape: Shape): Json | undefined {
    const site = this.sites.get(id);
    const merged = this.merged('location', id, site ? (r) => r.locationGen(site) : undefined);
    if (!merged) return undefined;
    return ordered('location', shape === 'list' ? scalars(merged) : merged);
  }

  /** The service's own fields, merged with its imported record. */
  serviceOwn(o: OfferRowOrg): Json {
    return this.merged('service', o.id, (r) => r.serviceGen(o))!;
  }

  service(o: OfferRowOrg, shape: Shape): Json {
    const own = this.serviceOwn(o);
    const org = this.orgs.get(o.organization_id);
    if (shape === 'list') {
      return ordered('service', {
        ...scalars(own),
        ...(org ? { organization: this.organization(org, 'list') } : {}),
        ...(isObject(own.program) ? { program: own.program } : {}),
      });
    }
    return ordered('service', {
      ...own,
      ...(org ? { organization: this.organization(org, 'full', false) } : {}),
      service_at_locations: (this.locationsOfService.get(o.id) ?? []).map((locationId) =>
        this.serviceAtLocation(o, locationId, 'full', false),
      ),
    });
  }

  salId(serviceId: string, locationId: string): string {
    return (
      this.salRecords.get(`${serviceId}|${locationId}`)?.id ?? derivedId('service-at-location', serviceId, locationId)
    );
  }

  serviceAtLocation(o: OfferRowOrg, locationId: string, shape: Shape, withService = true): Json {
    const rec = this.salRecords.get(`${o.id}|${locationId}`);
    const gen = this.sites.has(locationId)
      ? { id: this.salId(o.id, locationId), service_id: o.id, location_id: locationId }
      : undefined;
    const merged = mergeRecord(rec?.data, gen, rec?.generated, this.vocab);
    const own = shape === 'list' ? scalars(merged) : merged;
    const location = this.location(locationId, shape);
    return ordered('service_at_location', {
      ...own,
      id: rec?.id ?? this.salId(o.id, locationId),
      service_id: o.id,
      location_id: locationId,
      ...(location ? { location } : {}),
      ...(withService ? { service: this.service(o, 'list') } : {}),
    });
  }
}
