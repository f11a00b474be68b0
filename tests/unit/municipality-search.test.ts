import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { foldName, searchMunicipalities } from '../../src/web/municipalities.ts';

// the same 2025 list the server loads (reference/), in the shape GET /api/municipalities answers
const [header, ...lines] = fs
  .readFileSync('reference/municipalities_flanders_brussels_2025.csv', 'utf8')
  .trim()
  .split(/\r?\n/);
const columns = header!.split(',');
const LIST = lines.map((line) => {
  const cells = line.split(',');
  const cell = (name: string) => cells[columns.indexOf(name)]!;
  return {
    nisCode: cell('nis_code'),
    name: cell('name_nl'),
    nameFr: cell('name_fr'),
    province: cell('province_nl') || null,
  };
});
const names = (typed: string, limit = 5) =>
  searchMunicipalities(LIST, typed)
    .slice(0, limit)
    .map((m) => m.name);

describe('searching the 2025 municipalities as people type', () => {
  it('has the whole list to search', () => {
    expect(LIST).toHaveLength(304);
    expect(searchMunicipalities(LIST, '')).toHaveLength(304);
  });

  it.each([
    ['Leuven', 'Leuven'],
    ['leuv', 'Leuven'],
    ['LEUVEN', 'Leuven'],
    ['Louvain', 'Leuven'], // French
    ['anvers', 'Antwerpen'],
    ['Malines', 'Mechelen'],
    ['courtrai', 'Kortrijk'],
    ['Bruxelles', 'Brussel'],
    ['sint niklaas', 'Sint-Niklaas'], // a space for the hyphen
    ['sintniklaas', 'Sint-Niklaas'],
    ['schaerbeek', 'Schaarbeek'],
    ['Ixelles', 'Elsene'],
    ['rode', 'Sint-Genesius-Rode'], // a later word of the name
    ['24062', 'Leuven'], // the NIS code
    ['11002', 'Antwerpen'],
    ['Beveren-Kruibeke', 'Beveren-Kruibeke-Zwijndrecht'], // a 2025 merger
    ['pajottegem', 'Pajottegem'],
    ['Tessenderlo', 'Tessenderlo-Ham'],
  ])('%s finds %s first', (typed, first) => {
    expect(names(typed)[0]).toBe(first);
  });

  it('folds accents both ways', () => {
    expect(foldName('Ganshoren')).toBe('ganshoren');
    expect(foldName('Sint-Joost-ten-Node')).toBe('sint joost ten node');
    expect(foldName('Évère')).toBe('evere');
    const accented = LIST.filter((m) => foldName(m.nameFr) !== m.nameFr.toLowerCase().replace(/[^a-z0-9]+/g, ' '));
    expect(accented.length).toBeGreaterThan(0); // names with accents exist (Liège's neighbours are not here, Brussels' are)
    for (const m of accented) expect(searchMunicipalities(LIST, foldName(m.nameFr))).toContain(m);
  });

  it('puts names that start with the text first, then names with a word that does, then the rest', () => {
    const found = names('ber', 50);
    const rank = (n: string) => (foldName(n).startsWith('ber') ? 0 : ` ${foldName(n)}`.includes(' ber') ? 1 : 2);
    expect(found.length).toBeGreaterThan(4);
    expect(found.map(rank)).toEqual([...found.map(rank)].sort());
    expect(found.slice(0, 4)).toEqual(['Beringen', 'Berlaar', 'Berlare', 'Bertem']);
    expect(found).toContain('Sint-Agatha-Berchem');
  });

  it('a NIS code prefix lists the municipalities of that arrondissement, by name', () => {
    const found = searchMunicipalities(LIST, '240');
    expect(found.length).toBeGreaterThan(10);
    expect(found.every((m) => m.nisCode.startsWith('240'))).toBe(true);
  });

  it('finds nothing for what is no municipality', () => {
    expect(searchMunicipalities(LIST, 'Amsterdam')).toEqual([]);
    expect(searchMunicipalities(LIST, '99999')).toEqual([]);
    expect(searchMunicipalities(LIST, '3000')).toEqual([]); // a postcode: no open postcode list is in reference/
  });
});
