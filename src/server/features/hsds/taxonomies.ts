import type { Kysely } from 'kysely';
import type { DB } from '../../core/db/schema.ts';
import { derivedId } from './ids.ts';

/**
 * The Korte Lijn vocabularies as HSDS taxonomies. An offer's themes, category, level, capacity, modalities and
 * target groups travel as HSDS attributes that link a service to a term of one of these taxonomies.
 * Capacity codes follow the Gravity Project SDOH guide (capacity, no-capacity, waitlist,
 * additional-assessment-required); the attribute's value is the waiting time in days.
 */
export const TAXONOMY_KEYS = ['theme', 'category', 'level', 'capacity', 'modality', 'target-group', 'cost'] as const;
export type TaxonomyKey = (typeof TAXONOMY_KEYS)[number];

export interface KlTerm {
  key: TaxonomyKey;
  /** our value, as stored in the offer (e.g. 'open', 'loneliness') */
  value: string;
  /** the HSDS term code (the Gravity code for capacity, otherwise our value) */
  code: string;
  id: string;
  labelNl: string;
  labelEn: string;
  parentValue: string | null;
}

export interface KlTaxonomy {
  key: TaxonomyKey;
  id: string;
  name: string;
  descriptionNl: string;
  descriptionEn: string;
}

export const taxonomyId = (key: TaxonomyKey) => derivedId('taxonomy', key);
export const termId = (key: TaxonomyKey, value: string) => derivedId('term', key, value);

export const KL_TAXONOMIES: readonly KlTaxonomy[] = [
  {
    key: 'theme',
    name: 'korte-lijn-theme',
    descriptionNl: "Korte Lijn: thema's waarmee mensen komen",
    descriptionEn: 'Korte Lijn: the themes people come with',
  },
  {
    key: 'category',
    name: 'korte-lijn-category',
    descriptionNl: 'Korte Lijn: types aanbod van de welzijns- en GGZ-modules',
    descriptionEn: 'Korte Lijn: offer types of the Flemish welfare and mental-health modules',
  },
  {
    key: 'level',
    name: 'korte-lijn-level',
    descriptionNl: 'Korte Lijn: zorgniveau',
    descriptionEn: 'Korte Lijn: level of care',
  },
  {
    key: 'capacity',
    name: 'korte-lijn-capacity',
    descriptionNl:
      'Korte Lijn: capaciteit (codes van de Gravity SDOH-gids); de waarde van het attribuut is de wachttijd in dagen',
    descriptionEn: 'Korte Lijn: capacity (Gravity SDOH guide codes); the attribute value is the waiting time in days',
  },
  {
    key: 'modality',
    name: 'korte-lijn-modality',
    descriptionNl: 'Korte Lijn: vorm van hulp',
    descriptionEn: 'Korte Lijn: modality',
  },
  {
    key: 'target-group',
    name: 'korte-lijn-target-group',
    descriptionNl: 'Korte Lijn: doelgroep',
    descriptionEn: 'Korte Lijn: target group',
  },
  {
    key: 'cost',
    name: 'korte-lijn-cost',
    descriptionNl: 'Korte Lijn: kostprijs voor de hulpvrager',
    descriptionEn: 'Korte Lijn: cost to the person',
  },
].map((t) => ({ ...t, key: t.key as TaxonomyKey, id: taxonomyId(t.key as TaxonomyKey) }));

type Static = [value: string, nl: string, en: string, code?: string];
const STATIC_TERMS: Partial<Record<TaxonomyKey, Static[]>> = {
  level: [
    ['zero-line', 'Nulde lijn / zelfhulp', 'Zero line / self-help'],
    ['basic', 'Basiszorg (eerste lijn)', 'Basic care (first line)'],
    ['specialised', 'Gespecialiseerd', 'Specialised'],
    ['crisis', 'Crisis', 'Crisis'],
  ],
  capacity: [
    ['open', 'Open', 'Open', 'capacity'],
    ['waitlist', 'Wachtlijst', 'Waiting list', 'waitlist'],
    ['full', 'Volzet', 'Full', 'no-capacity'],
    ['assessment', 'Bijkomende screening nodig', 'Further screening needed', 'additional-assessment-required'],
  ],
  modality: [
    ['face-to-face', 'Face-to-face', 'Face-to-face'],
    ['phone', 'Telefoon', 'Phone'],
    ['chat', 'Chat', 'Chat'],
    ['video', 'Video', 'Video'],
    ['home-visit', 'Huisbezoek', 'Home visit'],
    ['group', 'Groep', 'Group'],
  ],
  'target-group': [
    ['children', 'Kinderen', 'Children'],
    ['youth', 'Jongeren', 'Young people'],
    ['adults', 'Volwassenen', 'Adults'],
    ['elderly', 'Ouderen', 'Older people'],
    ['families', 'Gezinnen', 'Families'],
    ['couples', 'Koppels', 'Couples'],
    ['professionals', 'Professionals', 'Professionals'],
    ['bereaved', 'Nabestaanden', 'Bereaved'],
    ['victims', 'Slachtoffers', 'Victims'],
    ['everyone', 'Iedereen', 'Everyone'],
  ],
  cost: [
    ['free', 'Gratis', 'Free'],
    ['contribution', 'Eigen bijdrage', 'Personal contribution'],
    ['fee', 'Betalend', 'Paid'],
  ],
};

/** Every term of our taxonomies, with lookups by HSDS id, by taxonomy and code, and by our value. */
export class KlVocabulary {
  readonly terms: KlTerm[];
  private readonly byId = new Map<string, KlTerm>();
  private readonly byCode = new Map<string, KlTerm>();
  private readonly byValue = new Map<string, KlTerm>();

  constructor(terms: KlTerm[]) {
    this.terms = terms;
    for (const t of terms) {
      this.byId.set(t.id, t);
      this.byCode.set(`${t.key}|${t.code}`, t);
      this.byCode.set(`${t.key}|${t.value}`, t);
      this.byValue.set(`${t.key}|${t.value}`, t);
    }
  }

  term(id: string | undefined): KlTerm | undefined {
    return id ? this.byId.get(id.toLowerCase()) : undefined;
  }
  /** A term by its HSDS code or our value ('no-capacity' and 'full' both find the same term). */
  byTaxonomyCode(key: TaxonomyKey, code: string): KlTerm | undefined {
    return this.byCode.get(`${key}|${code}`);
  }
  of(key: TaxonomyKey, value: string): KlTerm | undefined {
    return this.byValue.get(`${key}|${value}`);
  }
}

export function taxonomyByRef(ref: string | undefined): KlTaxonomy | undefined {
  if (!ref) return undefined;
  const lower = ref.toLowerCase();
  return KL_TAXONOMIES.find((t) => t.id === lower || t.name === lower);
}

export async function loadVocabulary(db: Kysely<DB>): Promise<KlVocabulary> {
  const rows = await db
    .selectFrom('taxonomy_terms')
    .select(['id', 'taxonomy', 'label_nl', 'label_en', 'parent_id'])
    .where('taxonomy', 'in', ['theme', 'category'])
    .orderBy('taxonomy')
    .orderBy('sort_order')
    .execute();
  const terms: KlTerm[] = rows.map((r) => {
    const key = r.taxonomy as TaxonomyKey;
    return {
      key,
      value: r.id,
      code: r.id,
      id: termId(key, r.id),
      labelNl: r.label_nl,
      labelEn: r.label_en,
      parentValue: r.parent_id,
    };
  });
  for (const [key, list] of Object.entries(STATIC_TERMS) as [TaxonomyKey, Static[]][]) {
    for (const [value, nl, en, code] of list)
      terms.push({
        key,
        value,
        code: code ?? value,
        id: termId(key, value),
        labelNl: nl,
        labelEn: en,
        parentValue: null,
      });
  }
  return new KlVocabulary(terms);
}
