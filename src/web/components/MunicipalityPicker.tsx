import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useLoad } from '../hooks';
import { useMunicipalities } from '../municipalities';
import { useConfirm } from './ConfirmDialog';
import { MunicipalityCombobox } from './MunicipalityCombobox';

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
 * a combobox to add one by name or NIS code (the network's own first; Enter or a click adds it), and a shortcut
 * that adds the whole zone of the network. Everything works with the keyboard; additions and removals are announced politely.
 */
export function MunicipalityPicker({ id, legend, hint, value, onChange, error, itemErrors = {} }: Props) {
  const { t } = useTranslation();
  const { byCode, networkCodes } = useMunicipalities();
  const network = useLoad(() => api.currentNetwork(), []);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [confirm, dialog] = useConfirm();
  const chosen = useMemo(() => new Set(value), [value]);
  const name = (code: string) => byCode.get(code)?.name ?? code;
  const sorted = [...value].sort((a, b) => name(a).localeCompare(name(b), 'nl'));
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;

  function add(code: string) {
    if (!code || chosen.has(code)) return;
    onChange([...value, code]);
    setAnnouncement(t('offers.municipalityAdded', { name: name(code) }));
  }

  function remove(code: string) {
    onChange(value.filter((c) => c !== code));
    setAnnouncement(t('offers.municipalityRemoved', { name: name(code) }));
    // keep the focus in the field: on the text field that adds one
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
        <p className="hint" id={`${id}-add-hint`}>
          {t('municipality.hint')}
        </p>
        <MunicipalityCombobox
          control={{ id: `${id}-add`, 'aria-describedby': `${id}-add-hint` }}
          listLabel={t('offers.municipalityAdd')}
          value=""
          exclude={chosen}
          clearOnChoose
          onChoose={add}
        />
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
