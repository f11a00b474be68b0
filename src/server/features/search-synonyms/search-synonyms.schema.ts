import { Type, type Static } from '@sinclair/typebox';

export const MAX_TERMS = 20;

export const SynonymGroup = Type.Object({
  id: Type.String({ format: 'uuid' }),
  terms: Type.Array(Type.String(), { description: 'folded: lower case, no accents' }),
  builtIn: Type.Boolean({ description: 'of the built-in Dutch list (read-only), else of this network' }),
  createdAt: Type.String({ format: 'date-time' }),
});

export const SynonymGroupList = Type.Object({ items: Type.Array(SynonymGroup) });

export const SynonymGroupCreate = Type.Object(
  {
    terms: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
      minItems: 2,
      maxItems: MAX_TERMS,
      description: 'single words (letters and digits; accents and case do not matter), at least two',
    }),
  },
  { additionalProperties: false },
);
export type SynonymGroupCreate = Static<typeof SynonymGroupCreate>;
