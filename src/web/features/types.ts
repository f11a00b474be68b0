import type { ReactNode } from 'react';
import type { Strings, TextKey, TextTree } from '../locales/types';

/** One address of a feature. */
export interface FeatureRoute {
  /** a React Router path: '/referrals', '/referrals/:id' */
  path: string;
  element: ReactNode;
  /** what the active membership must be allowed (otherwise "no access"); null: every signed-in user */
  permission: string | null;
  /** also open without signing in, outside the shell (the public catalogue); such a route has no permission */
  public?: boolean;
}

/** An entry of the main navigation; it shows when the active membership has its permission. */
export interface NavItem<Label extends string = string> {
  to: string;
  /** the key of its text, in the feature's own texts */
  label: Label;
  permission: string | null;
  /** other address prefixes that belong to this item (a help request belongs to "Onthaal") */
  also?: readonly string[];
  /** only for organisations of these kinds (the active membership's organisation) */
  organizationKinds?: readonly string[];
}

/** A feature's own texts: its sections in Dutch (the source) and English with the same keys. */
export interface FeatureTexts<T extends TextTree = TextTree> {
  nl: T;
  en: NoInfer<Strings<T>>;
}

/**
 * A part of the web app that brings its own routes, navigation entries and texts
 * (see `features/index.ts` for the list that puts them together).
 */
export interface WebFeature<T extends TextTree = TextTree, Label extends string = string> {
  name: string;
  routes: readonly FeatureRoute[];
  /** its entries in the main navigation, in the order they show */
  nav?: readonly NavItem<Label>[];
  /** its sections of the texts; a section name may occur in one feature only */
  texts?: FeatureTexts<T>;
}

/** Declares a feature; a navigation label must be a key of the feature's own texts. */
export function defineFeature<const T extends TextTree, const Label extends TextKey<T> = never>(
  feature: WebFeature<T, Label>,
): WebFeature<T, Label> {
  return feature;
}
