/**
 * Screening instruments as data, in the shape of a FHIR Questionnaire: items with answer options and scores,
 * skip logic (enableWhen), scoring rules, bands, flags, missing-data rules, citation and licence.
 * One engine (scoring.ts) interprets every definition.
 */
export type Text = { nl: string; en: string };

export interface AnswerOption {
  value: string | number;
  label: Text;
  score: number;
}

export interface Item {
  id: string;
  text: Text;
  options: AnswerOption[];
  /** shown and answerable only when another item has one of these values */
  enableWhen?: { item: string; anyOf: (string | number)[] };
  subscale?: string;
  /** must be answered (when enabled): a screening without it is refused, and it is never imputed */
  required?: boolean;
}

export interface Band {
  code: string;
  min: number;
  max: number;
  label: Text;
}

/** What to do with unanswered (enabled) items. */
export type MissingRule =
  | { kind: 'max-missing'; max: number } // sum of the answered items when at most `max` are missing
  | { kind: 'impute-mean'; max: number } // missing items get the mean of the answered ones (at most `max`)
  | { kind: 'complete' }; // every enabled item must be answered for a score

export interface FlagRule {
  code: string;
  label: Text;
  level: 'info' | 'warning' | 'high';
  /** raised when any listed item has one of the values */
  whenAny?: { item: string; anyOf: (string | number)[] }[];
  /** raised when the total is at least this */
  totalAtLeast?: number;
}

export interface InstrumentDefinition {
  id: string;
  version: string;
  title: Text;
  description: Text;
  citation: string;
  licence: Text;
  /** what happens with unanswered items, and where that rule comes from */
  missingData?: Text;
  items: Item[];
  scoring: {
    /** the total is the sum of item scores (after the missing rule) */
    total: { missing: MissingRule; min: number; max: number };
    subscales?: { id: string; title: Text; missing: MissingRule; min: number; max: number; bands?: Band[] }[];
    /** how the total's band is found; `risk` instruments set it from flags instead of a sum */
    bands: Band[];
    bandFrom?: 'total' | 'flags';
  };
  flags: FlagRule[];
}
