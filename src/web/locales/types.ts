/** A tree of texts: each key holds a text or a section of texts. */
export interface TextTree {
  readonly [key: string]: string | TextTree;
}

/** The same keys as T with every text a plain string: the shape a translation of T must fill. */
export type Strings<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

/** The keys of the texts in T as `t()` takes them: 'section.text', 'section.sub.text'. */
export type TextKey<T> = {
  [K in keyof T & string]: T[K] extends string ? K : T[K] extends TextTree ? `${K}.${TextKey<T[K]>}` : never;
}[keyof T & string];
