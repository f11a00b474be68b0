import { str, type ImportContext } from './import.context.ts';
import { isObject, type Json } from './package.ts';
import { KL_TAXONOMIES, taxonomyByRef, type KlTerm } from './taxonomies.ts';

/**
 * Our term that an HSDS term stands for: by its id, or (a hand-made file) by one of our taxonomies and its code.
 * undefined: not a term of our taxonomies; null: one of our taxonomies with an unknown code, an error at `where`.
 */
export function ourTerm(ctx: ImportContext, term: Json | undefined, where: () => string): KlTerm | undefined | null {
  if (!term) return undefined;
  const direct = ctx.vocab.term(str(term.id));
  if (direct) return direct;
  const taxonomy =
    taxonomyByRef(str(term.taxonomy_id)) ??
    taxonomyByRef(isObject(term.taxonomy_detail) ? str(term.taxonomy_detail.id) : undefined) ??
    taxonomyByRef(str(term.taxonomy));
  if (!taxonomy) return undefined;
  const found = ctx.vocab.byTaxonomyCode(taxonomy.key, str(term.code) ?? '');
  if (!found) {
    ctx.problems.error(where(), 'term-unknown');
    return null;
  }
  return found;
}

interface OurTaxonomyRecords {
  /** term records of ours under another id (a hand-made file), by that id: they stand for ours */
  termAlias: Map<string, KlTerm>;
  /** the package's term and taxonomy records that are ours: not kept as records of their own */
  skipTerms: Set<string>;
  skipTaxonomies: Set<string>;
}

/** The package's taxonomy and term records that are ours. */
export function ourTaxonomyRecords(ctx: ImportContext): OurTaxonomyRecords {
  const { P, at } = ctx;
  const termAlias = new Map<string, KlTerm>();
  const skipTerms = new Set<string>();
  for (const rec of P.taxonomy_term.values()) {
    const term = ourTerm(ctx, rec.data, () => at(rec, 'code'));
    if (term === undefined) continue;
    skipTerms.add(rec.id);
    if (term) termAlias.set(rec.id, term);
  }
  const skipTaxonomies = new Set([...P.taxonomy.keys()].filter((id) => KL_TAXONOMIES.some((t) => t.id === id)));
  return { termAlias, skipTerms, skipTaxonomies };
}
