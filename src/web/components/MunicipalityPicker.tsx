import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useLoad } from '../hooks';
import { useMunicipalities } from '../municipalities';
import { useConfirm } from './ConfirmDialog';

interface Props {
  id: string;
  legend: string;
  hint?: string;
  value: readonly string[];
  onChange: (nisCodes: string[]) => void;
  /** the error of the whole field */
  error?: string | undefined;
  /** errors of single municipalities (the server reports them as `municipalities.3`), by NIS code */
  itemErrors?: Record<string, string>;
}

/**
 * Several municipalities (NIS codes of the 2025 list): the chosen ones as a list with a remove button each,
 * a native select to add one (the network's own first), and a shortcut that adds the whole zone of the
 * network. Everything works with the keyboard; additions and removals are announced politely.
 */
export function MunicipalityPicker({ id, legend, hint, value, onChange, error, itemErrors = {} }: Props) {
  const { t } = useTranslation();
  const { list, byCode, networkCodes, loading } = useMunicipalities();
  const network = useLoad(() => api.currentNetwork(), []);
  const [candidate, setCandidate] = useState('');
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [confirm, dialog] = useConfirm();
  const chosen = new Set(value);
  const name = (code: string) => byCode.get(code)?.name ?? code;
  const sorted = [...value].sort((a, b) => name(a).localeCompare(name(b), 'nl'));
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;

  const available = list.filter((m) => !chosen.has(m.nisCode));
  const inNetwork = available.filter((m) => networkCodes.has(m.nisCode));
  const others = networkCodes.size > 0 ? available.filter((m) => !networkCodes.has(m.nisCode)) : available;

  function add() {
    if (!candidate || chosen.has(candidate)) return;
    onChange([...value, candidate]);
    setAnnouncement(t('offers.municipalityAdded', { name: name(candidate) }));
    setCandidate('');
  }

  function remove(code: string) {
    onChange(value.filter((c) => c !== code));
    setAnnouncement(t('offers.municipalityRemoved', { name: name(code) }));
    // keep the focus in the field: on the add select
    requestAnimationFrame(() => document.getElementById(`${id}-add`)?.focus());
  }

  function addZone() {
    const zone = network.data?.municipalities ?? [...networkCodes];
    const missing = zone.filter((c) => !chosen.has(c));
    if (missing.length === 0) {
      setAnnouncement(t('offers.zoneAlready'));
      return;
    }
    onChange([...value, ...missing]);
    setAnnouncement(t('offers.zoneAdded', { count: missing.length }));
  }

  async function clear() {
    const ok = await confirm({
      title: t('offers.municipalitiesClear'),
      message: t('offers.municipalitiesClearConfirm', { count: value.length }),
      confirmLabel: t('offers.municipalitiesClear'),
      danger: true,
    });
    if (!ok) return;
    onChange([]);
    setAnnouncement(t('offers.municipalitiesNone'));
  }

  function onKeyDown(e: KeyboardEvent<HTMLSelectElement>) {
    // Enter in a select would submit the whole form: here it adds the municipality
    if (e.key === 'Enter') {
      e.preventDefault();
      add();
    }
  }

  const zoneSize = network.data?.municipalities.length ?? networkCodes.size;

  return (
    <fieldset
      id={id}
      className={`field municipality-picker${error ? ' field-invalid' : ''}`}
      aria-describedby={describedBy}
      aria-invalid={error ? true : undefined}
    >
      <legend>{legend}</legend>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {sorted.length === 0 ? (
        <p className="muted">{t('offers.municipalitiesNone')}</p>
      ) : (
        <ul className="chips" aria-label={t('offers.municipalitiesCount', { count: sorted.length })}>
          {sorted.map((code) => {
            const itemError = itemErrors[code];
            return (
              <li key={code} className={`chip${itemError ? ' chip-invalid' : ''}`}>
                <span>{name(code)}</span>
                <button
                  type="button"
                  className="chip-remove"
                  onClick={() => remove(code)}
                  aria-describedby={itemError ? `${id}-${code}-error` : undefined}
                >
                  <span aria-hidden="true">×</span>
                  <span className="visually-hidden">{t('offers.municipalityRemove', { name: name(code) })}</span>
                </button>
                {itemError && (
                  <span className="field-error chip-error" id={`${id}-${code}-error`}>
                    {itemError}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <div className="picker-add">
        <label htmlFor={`${id}-add`}>{t('offers.municipalityAdd')}</label>
        <div className="inline">
          <select
            id={`${id}-add`}
            value={candidate}
            onChange={(e) => setCandidate(e.target.value)}
            onKeyDown={onKeyDown}
          >
            <option value="">{loading ? t('clients.municipalityLoading') : t('offers.municipalityChoose')}</option>
            {inNetwork.length > 0 ? (
              <>
                <optgroup label={t('clients.municipalityNetwork')}>
                  {inNetwork.map((m) => (
                    <option key={m.nisCode} value={m.nisCode}>
                      {m.name}
                    </option>
                  ))}
                </optgroup>
                <optgroup label={t('clients.municipalityOther')}>
                  {others.map((m) => (
                    <option key={m.nisCode} value={m.nisCode}>
                      {m.name}
                    </option>
                  ))}
                </optgroup>
              </>
            ) : (
              others.map((m) => (
                <option key={m.nisCode} value={m.nisCode}>
                  {m.name}
                </option>
              ))
            )}
          </select>
          <button type="button" className="button secondary" onClick={add} disabled={!candidate}>
            {t('offers.municipalityAddButton')}
          </button>
        </div>
      </div>
      <div className="actions">
        {zoneSize > 0 && (
          <button type="button" className="button secondary small" onClick={addZone}>
            {t('offers.zoneAdd', { zone: network.data?.zoneName ?? '' })}
          </button>
        )}
        {value.length > 0 && (
          <button type="button" className="button secondary small" onClick={() => void clear()}>
            {t('offers.municipalitiesClear')}
          </button>
        )}
      </div>
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
      <div role="status" aria-live="polite" aria-atomic="true" className="visually-hidden">
        {announcement}
      </div>
      {dialog}
    </fieldset>
  );
}
