import type { Tx } from '../../core/db/tenant.ts';
import { forbidden, invalid, notFound, type FieldError } from '../../core/http/errors.ts';
import type { Lang } from '../../core/http/messages.ts';
import { forgetSynonyms, searchWords } from '../offers/index.ts';
import * as repo from './search-synonyms.repository.ts';
import { SEARCH_SYNONYMS_AUDIT } from './search-synonyms.audit.ts';
import type { SynonymGroupCreate } from './search-synonyms.schema.ts';

const MESSAGES = {
  'synonym-term-invalid': {
    nl: 'Geef één woord van minstens twee letters of cijfers, zonder spaties of leestekens.',
    en: 'Enter one word of at least two letters or digits, without spaces or punctuation.',
  },
  'synonym-term-duplicate': {
    nl: 'Dit woord staat al in deze groep.',
    en: 'This word is already in this group.',
  },
} as const;

const error = (field: string, code: keyof typeof MESSAGES, lang: Lang): FieldError => ({
  field,
  code,
  message: MESSAGES[code][lang],
});

function dto(row: { id: string; network_id: string | null; terms: string[]; created_at: Date }) {
  return { id: row.id, terms: row.terms, builtIn: row.network_id === null, createdAt: row.created_at.toISOString() };
}

export async function listGroups(tx: Tx) {
  const rows = await repo.listGroups(tx.db);
  await tx.audit({
    action: SEARCH_SYNONYMS_AUDIT.synonymsList,
    entityType: 'network',
    entityId: tx.actor.networkId,
    details: { count: rows.length },
  });
  return { items: rows.map(dto) };
}

/** Terms are stored as the search folds them (lower case, no accents), so 'Suïcide' and 'suicide' are one word. */
export async function createGroup(tx: Tx, input: SynonymGroupCreate, lang: Lang) {
  const errors: FieldError[] = [];
  const terms: string[] = [];
  input.terms.forEach((typed, i) => {
    const words = searchWords(typed);
    const word = words[0];
    if (words.length !== 1 || !word || word.length < 2 || typed.trim().split(/\s+/).length !== 1)
      errors.push(error(`terms.${i}`, 'synonym-term-invalid', lang));
    else if (terms.includes(word)) errors.push(error(`terms.${i}`, 'synonym-term-duplicate', lang));
    else terms.push(word);
  });
  if (errors.length) throw invalid(...errors);
  const row = await repo.insertGroup(tx.db, tx.actor.networkId, terms, tx.actor.userId);
  forgetSynonyms(tx.actor.networkId);
  await tx.audit({
    action: SEARCH_SYNONYMS_AUDIT.synonymsCreate,
    entityType: 'search-synonyms',
    entityId: row.id,
    details: { terms: terms.join(',') },
  });
  return dto(row);
}

/** Only the network's own groups go; a built-in group is refused (403), one of another network is not found (404). */
export async function deleteGroup(tx: Tx, id: string) {
  const row = await repo.findGroup(tx.db, id);
  if (!row) throw notFound();
  if (row.network_id === null) throw forbidden();
  await repo.deleteGroup(tx.db, id, tx.actor.networkId);
  forgetSynonyms(tx.actor.networkId);
  await tx.audit({
    action: SEARCH_SYNONYMS_AUDIT.synonymsDelete,
    entityType: 'search-synonyms',
    entityId: id,
    details: { terms: row.terms.join(',') },
  });
}
