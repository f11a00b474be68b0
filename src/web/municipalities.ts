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
