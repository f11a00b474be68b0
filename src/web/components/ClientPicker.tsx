import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Client } from '../api';
import { formatBirth } from '../format';
import { ErrorAlert } from './Alerts';
import { TextField } from './Field';

interface Props {
  /** prefix of the ids inside */
  id: string;
  selected: Client | null;
  onSelect: (client: Client | null) => void;
}

/** "Marie Peeters (12/04/1978)": name and birth, as a result is read out. */
export function clientLabel(c: Pick<Client, 'displayName' | 'birthDate' | 'birthYear'>): string {
  const birth = formatBirth(c.birthDate, c.birthYear);
  return birth ? `${c.displayName} (${birth})` : c.displayName;
}

/**
 * Finds a client of the organisation: a search box (350 ms after the last key, from 2 characters) and the
 * results as radio buttons, so arrow keys go through them and the choice is made without leaving the keyboard.
 */
export function ClientPicker({ id, selected, onSelect }: Props) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Client[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [searching, setSearching] = useState(false);

  useEffect(() => {
    const query = q.trim();
    if (query.length < 2) {
      setResults(null);
      return undefined;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setSearching(true);
      api.searchClients(query, 1, 10, controller.signal).then(
        (r) => {
          setResults(r.items);
          setTotal(r.total);
          setError(null);
          setSearching(false);
        },
        (err: unknown) => {
          if (err instanceof DOMException && err.name === 'AbortError') return;
          setError(err);
          setSearching(false);
        },
      );
    }, 350);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [q]);

  // the chosen client stays among the options even when a new search does not find it
  const options = results
    ? selected && !results.some((c) => c.id === selected.id)
      ? [selected, ...results]
      : results
    : selected
      ? [selected]
      : [];

  return (
    <div className="client-picker">
      <TextField
        id={`${id}-search`}
        label={t('intake.clientSearch')}
        type="search"
        value={q}
        onChange={setQ}
        hint={t('clients.searchHint')}
        autoComplete="off"
        spellCheck={false}
      />
      <ErrorAlert error={error} />
      <p className="small muted" role="status" aria-live="polite">
        {q.trim().length < 2
          ? ''
          : searching
            ? t('app.loading')
            : results
              ? results.length === 0
                ? t('clients.empty', { q: q.trim() })
                : total > results.length
                  ? t('intake.clientResultsMore', { count: results.length, total })
                  : t('clients.results', { count: results.length })
              : ''}
      </p>
      {options.length > 0 && (
        <fieldset className="field" id={`${id}-results`}>
          <legend>{t('intake.clientResults')}</legend>
          {options.map((c) => (
            <div key={c.id} className="radio">
              <input
                type="radio"
                id={`${id}-client-${c.id}`}
                name={`${id}-client`}
                value={c.id}
                checked={selected?.id === c.id}
                onChange={() => onSelect(c)}
              />
              <label htmlFor={`${id}-client-${c.id}`}>{clientLabel(c)}</label>
            </div>
          ))}
        </fieldset>
      )}
    </div>
  );
}
