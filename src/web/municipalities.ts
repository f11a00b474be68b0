import { useEffect, useState } from 'react';
import { api, type Municipality } from './api';

/** The 300 municipalities hardly ever change: load them once per page load. */
let all: Promise<Municipality[]> | null = null;
let network: Promise<Set<string>> | null = null;

function loadAll(): Promise<Municipality[]> {
  all ??= api.municipalities().then(
    (r) => [...r.items].sort((a, b) => a.name.localeCompare(b.name, 'nl')),
    (err: unknown) => {
      all = null;
      throw err;
    },
  );
  return all;
}

function loadNetwork(): Promise<Set<string>> {
  network ??= api.currentNetwork().then(
    (n) => new Set(n.municipalities),
    () => new Set<string>(),
  );
  return network;
}

export interface MunicipalityData {
  list: Municipality[];
  byCode: Map<string, Municipality>;
  /** NIS codes of the municipalities of the current network (may be empty). */
  networkCodes: Set<string>;
  loading: boolean;
  error: unknown;
}

export function useMunicipalities(): MunicipalityData {
  const [state, setState] = useState<MunicipalityData>({
    list: [],
    byCode: new Map(),
    networkCodes: new Set(),
    loading: true,
    error: null,
  });
  useEffect(() => {
    let current = true;
    Promise.all([loadAll(), loadNetwork()]).then(
      ([list, networkCodes]) => {
        if (current)
          setState({
            list,
            byCode: new Map(list.map((m) => [m.nisCode, m])),
            networkCodes,
            loading: false,
            error: null,
          });
      },
      (error: unknown) => {
        if (current) setState((s) => ({ ...s, loading: false, error }));
      },
    );
    return () => {
      current = false;
    };
  }, []);
  return state;
}

/** Forget the cached network (after switching membership). */
export function resetMunicipalityCache(): void {
  network = null;
}

/** Lower case without accents, and every run of other characters one space: 'Sint-Genesius-Rode' → 'sint genesius rode'. */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** How well a municipality answers a query: lower is better; null is no match. */
function matchRank(m: Municipality, query: string, digits: boolean): number | null {
  if (digits) return m.nisCode === query ? 0 : m.nisCode.startsWith(query) ? 1 : null;
  let best: number | null = null;
  for (const name of new Set([foldName(m.name), foldName(m.nameFr)])) {
    const rank =
      name === query
        ? 0
        : name.startsWith(query)
          ? 1
          : ` ${name}`.includes(` ${query}`)
            ? 2 // a later word starts with it: 'rode' finds Sint-Genesius-Rode
            : name.replace(/ /g, '').includes(query.replace(/ /g, ''))
              ? 3 // anywhere, separators left out: 'sintniklaas', 'kerke'
              : null;
    if (rank !== null && (best === null || rank < best)) best = rank;
  }
  return best;
}

/**
 * The municipalities that answer what was typed — a Dutch or French name (accents, case, hyphens and spaces do
 * not matter) or a NIS code — best matches first, then by name. An empty query gives them all, by name.
 */
export function searchMunicipalities(list: readonly Municipality[], typed: string): Municipality[] {
  const query = foldName(typed);
  if (!query) return [...list];
  const digits = /^\d+$/.test(query);
  return list
    .map((m) => ({ m, rank: matchRank(m, query, digits) }))
    .filter((r): r is { m: Municipality; rank: number } => r.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.m.name.localeCompare(b.m.name, 'nl'))
    .map((r) => r.m);
}
