import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Enum, Nullable, Strict, PageNumber } from '../../core/http/schemas.ts';

export const LEVELS = ['zero-line', 'basic', 'specialised', 'crisis'] as const;
export const MODALITIES = ['face-to-face', 'phone', 'chat', 'video', 'home-visit', 'group'] as const;
export const CAPACITIES = ['open', 'waitlist', 'full', 'assessment'] as const;
export const COSTS = ['free', 'contribution', 'fee'] as const;
export const TARGET_GROUPS = [
  'children',
  'youth',
  'adults',
  'elderly',
  'families',
  'couples',
  'professionals',
  'bereaved',
  'victims',
  'everyone',
] as const;

export const Level = Enum(LEVELS);
export const Modality = Enum(MODALITIES);
export const Capacity = Enum(CAPACITIES);
const Nis = Type.String({ pattern: '^[0-9]{5}$' });
const Lang = Type.String({ pattern: '^[a-z]{2}$' });
const TermId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,60}$' });
const text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const unique = <T extends TSchema>(item: T, max: number) => Type.Array(item, { uniqueItems: true, maxItems: max });

const offerFields = {
  name: text(200),
  description: Type.String({ maxLength: 5000 }),
  category: Type.Optional(Nullable(TermId)),
  level: Level,
  themes: unique(TermId, 20),
  targetGroups: Type.Optional(unique(Enum(TARGET_GROUPS), 10)),
  minAge: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 120 }))),
  maxAge: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 120 }))),
  modalities: unique(Modality, 6),
  languages: Type.Optional(unique(Lang, 20)),
  municipalities: unique(Nis, 400),
  zones: Type.Optional(unique(Type.String({ format: 'uuid' }), 60)),
  siteIds: Type.Optional(unique(Type.String({ format: 'uuid' }), 50)),
  openingHours: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  cost: Type.Optional(Enum(COSTS)),
  costNote: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  selfReferral: Type.Optional(Type.Boolean()),
  referralRequired: Type.Optional(Type.Boolean()),
  whoMayRefer: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  consentRequired: Type.Optional(Type.Boolean()),
  contactPhone: Type.Optional(
    Nullable(
      Type.String({
        maxLength: 30,
        description: 'as typed (016 12 34 56, 1813, +31 …); stored as +32… (E.164) or the short number',
      }),
    ),
  ),
  contactEmail: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
  contactUrl: Type.Optional(Nullable(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500 }))),
  capacity: Capacity,
  waitDays: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 3650 }))),
  isPublic: Type.Optional(Type.Boolean()),
  active: Type.Optional(Type.Boolean()),
  internalNote: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
};

export const OfferCreate = Strict(offerFields);
export type OfferCreate = Static<typeof OfferCreate>;
export const OfferUpdate = Type.Partial(Strict(offerFields), { additionalProperties: false });
export type OfferUpdate = Static<typeof OfferUpdate>;
export const CapacityUpdate = Strict({
  capacity: Capacity,
  waitDays: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 3650 }))),
});
export type CapacityUpdate = Static<typeof CapacityUpdate>;

export const OfferSearch = Strict({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  theme: Type.Optional(Type.Array(TermId, { maxItems: 20 })),
  category: Type.Optional(Type.Array(TermId, { maxItems: 20 })),
  age: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
  municipality: Type.Optional(Nis),
  zone: Type.Optional(Type.String({ format: 'uuid' })),
  level: Type.Optional(Type.Array(Level, { maxItems: 4 })),
  modality: Type.Optional(Type.Array(Modality, { maxItems: 6 })),
  language: Type.Optional(Type.Array(Lang, { maxItems: 10 })),
  selfReferral: Type.Optional(Type.Boolean()),
  capacity: Type.Optional(Type.Array(Capacity, { maxItems: 4 })),
  maxWaitDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
  organizationId: Type.Optional(Type.String({ format: 'uuid' })),
  sort: Type.Union([Type.Literal('relevance'), Type.Literal('wait')], { default: 'relevance' }),
  facets: Type.Boolean({ default: false }),
  page: PageNumber(),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type OfferSearch = Static<typeof OfferSearch>;

export const StaleQuery = Strict({
  page: PageNumber(),
  pageSize: Type.Integer({ minimum: 1, maximum: 500, default: 500 }),
});

const S = Type.String();
const publicFields = {
  id: S,
  organizationId: S,
  organizationName: S,
  name: S,
  description: S,
  category: Nullable(S),
  level: Level,
  themes: Type.Array(S),
  targetGroups: Type.Array(Enum(TARGET_GROUPS)),
  minAge: Nullable(Type.Integer()),
  maxAge: Nullable(Type.Integer()),
  modalities: Type.Array(Modality),
  languages: Type.Array(S),
  municipalities: Type.Array(S),
  openingHours: Nullable(S),
  cost: Enum(COSTS),
  costNote: Nullable(S),
  selfReferral: Type.Boolean(),
  referralRequired: Type.Boolean(),
  contactPhone: Nullable(S),
  contactEmail: Nullable(S),
  contactUrl: Nullable(S),
  capacity: Capacity,
  waitDays: Nullable(Type.Integer()),
  capacityUpdatedAt: S,
  stale: Type.Boolean(),
  updatedAt: S,
  /** where the offer is given: addresses of the organisation (not personal data), in the offer's order */
  sites: Type.Array(
    Type.Object({ id: S, name: S, street: S, postalCode: S, municipality: Type.String({ description: 'NIS code' }) }),
  ),
};
export const PublicOffer = Type.Object(publicFields);
export const Offer = Type.Object({
  ...publicFields,
  siteIds: Type.Array(S),
  whoMayRefer: Nullable(S),
  consentRequired: Type.Boolean(),
  isPublic: Type.Boolean(),
  active: Type.Boolean(),
  internalNote: Nullable(S),
  createdAt: S,
  mayEdit: Type.Boolean(),
});
const FacetCounts = Type.Array(Type.Object({ value: S, count: Type.Integer() }));
export const Facets = Type.Object({
  theme: FacetCounts,
  level: FacetCounts,
  modality: FacetCounts,
  capacity: FacetCounts,
  language: FacetCounts,
});

/** A crisis line shown on top of the catalogue when a search points at crisis (core/crisis-lines.ts). */
export const CrisisLine = Type.Object({
  number: Type.String({ description: 'the short number to call (1813, 112 …)' }),
  name: Type.String(),
  when: Type.String({ description: 'when to call, in the language of the request' }),
  url: Type.Union([Type.String(), Type.Null()]),
});

/** What a search adds to its results to help the person who typed it. */
export const SearchHelp = {
  approximate: Type.Boolean({
    description: 'true when nothing matched every word and the results are close matches (typos, compounds)',
  }),
  suggestions: Type.Array(Type.String(), {
    description:
      '"Bedoelde je …?": the query with its words replaced by the closest catalogue words, when nothing matched strictly',
  }),
  crisisLines: Type.Array(CrisisLine, {
    description: 'the crisis lines, when the query points at crisis (zelfmoord, suïcide, crisis …); empty otherwise',
  }),
};

export type Level = (typeof LEVELS)[number];
export type Modality = (typeof MODALITIES)[number];
export type Capacity = (typeof CAPACITIES)[number];
export type Cost = (typeof COSTS)[number];
export type TargetGroup = (typeof TARGET_GROUPS)[number];
