import type { nl } from '../locales/nl';
import { account } from './account';
import { apiTokens } from './api-tokens';
import { audit } from './audit';
import { carePlans } from './care-plans';
import { catalogueImport } from './catalogue-import';
import { clients } from './clients';
import { groups } from './groups';
import { helpline } from './helpline';
import { intake } from './intake';
import { networkSettings } from './network-settings';
import { notifications } from './notifications';
import { offers } from './offers';
import { organizations } from './organizations';
import { outreach } from './outreach';
import { overdueReferrals } from './overdue-referrals';
import { referrals } from './referrals';
import { reports } from './reports';
import { safety } from './safety';
import { searchSynonyms } from './search-synonyms';
import { trajectories } from './trajectories';
import { users } from './users';
import { work } from './work';
import type { NavItem } from './types';

/**
 * The features of the web app, in the order the main navigation shows their entries (the first entry a
 * membership may open is its start page). App.tsx renders their routes, navigation.ts their entries,
 * i18n.ts adds their texts. A new feature is a folder with an `index.tsx` (see `types.ts`) and a line here.
 */
export const features = [
  // first: My work is the start page of those who may open it (caregivers, coordinators, team leads)
  work,
  intake,
  referrals,
  trajectories,
  groups,
  outreach,
  helpline,
  safety,
  clients,
  carePlans,
  offers,
  catalogueImport,
  overdueReferrals,
  reports,
  organizations,
  users,
  audit,
  apiTokens,
  networkSettings,
  searchSynonyms,
  account,
  notifications,
] as const;

type Feature = (typeof features)[number];

/** The text keys of the navigation entries, derived from the features (each checked against its own texts). */
export type NavLabel = NavLabelOf<Feature>;
type NavLabelOf<F> = F extends { nav?: readonly NavItem<infer Label>[] } ? Label : never;

type UnionToIntersection<U> = (U extends unknown ? (union: U) => void : never) extends (all: infer I) => void
  ? I
  : never;
type SectionsOf<F> = F extends { texts?: { nl: infer T } } ? T : never;

/** The Dutch texts of all features together (their sections side by side). */
export type AllFeatureTexts = UnionToIntersection<SectionsOf<Feature>>;

type Clashes<Fs extends readonly unknown[], Seen> = Fs extends readonly [infer F, ...infer Rest]
  ? (keyof SectionsOf<F> & Seen) | Clashes<Rest, Seen | keyof SectionsOf<F>>
  : never;
type MustBeNever<T extends never> = T;
/**
 * Section names that two features (or a feature and the shared texts) both claim. There must be none: the sections
 * are put side by side, so one would hide the other. A clash fails here with the section's name.
 */
export type SectionClashes = MustBeNever<Clashes<typeof features, keyof typeof nl>>;
