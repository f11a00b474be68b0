import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Municipality } from '../api';
import { foldName, searchMunicipalities, useMunicipalities } from '../municipalities';
import { Field, type ControlProps } from './Field';

interface ComboboxProps {
  /** id and aria attributes of the text field, from `Field` (label, hint, error) */
  control: ControlProps;
  /** the accessible name of the list of suggestions */
  listLabel: string;
  /** the chosen NIS code, or '' */
  value: string;
  onChoose: (nisCode: string) => void;
  /** NIS codes not offered (those a picker of several already holds) */
  exclude?: ReadonlySet<string>;
  /** a picker that adds to a list: the text field empties after each choice */
  clearOnChoose?: boolean;
}

/** The 2025 municipality whose name (Dutch or French, folded) or NIS code is exactly what was typed. */
function exactMatch(list: readonly Municipality[], typed: string): Municipality | undefined {
  const query = foldName(typed);
  if (!query) return undefined;
  return list.find((m) => m.nisCode === query || foldName(m.name) === query || foldName(m.nameFr) === query);
}

/**
 * A municipality chosen by typing: an editable combobox with a list of suggestions (the WAI-ARIA 1.2 combobox
 * pattern, "list autocomplete with manual selection"). Typing filters by Dutch or French name (accents, case and
 * hyphens do not matter) or by NIS code; the network's own municipalities come first, in a group of their own.
 * Arrow down/up move through the suggestions (the focus stays in the text field, `aria-activedescendant` points at
 * the active one), Enter takes it (or the only suggestion, or the exact name typed), Escape closes the list, a
 * click takes one. Leaving the field keeps an exact name, empties the choice when the text was cleared, and
 * otherwise puts back the name of what was chosen. The value is the NIS code.
 */
export function MunicipalityCombobox({
  control,
  listLabel,
  value,
  onChoose,
  exclude,
  clearOnChoose = false,
}: ComboboxProps) {
  const { t } = useTranslation();
  const { list, byCode, networkCodes, loading } = useMunicipalities();
  const listId = useId();
  const nameOf = (code: string) => (code ? (byCode.get(code)?.name ?? code) : '');
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [announcement, setAnnouncement] = useState('');
  const editing = useRef(false);

  // the field shows the chosen municipality's name, also once the list has loaded or when the form sets a value
  const chosenName = clearOnChoose ? '' : nameOf(value);
  useEffect(() => {
    if (!editing.current) setText(chosenName);
  }, [chosenName]);

  const available = useMemo(() => (exclude ? list.filter((m) => !exclude.has(m.nisCode)) : list), [list, exclude]);
  const found = useMemo(() => searchMunicipalities(available, query), [available, query]);
  const inNetwork = networkCodes.size > 0 ? found.filter((m) => networkCodes.has(m.nisCode)) : [];
  const others = networkCodes.size > 0 ? found.filter((m) => !networkCodes.has(m.nisCode)) : found;
  const options = [...inNetwork, ...others];
  const expanded = open && options.length > 0;
  const optionId = (m: Municipality) => `${control.id}-option-${m.nisCode}`;
  const activeOption = expanded && active >= 0 ? options[active] : undefined;

  // read out how many suggestions there are, once the typing pauses
  useEffect(() => {
    if (!open || !query.trim()) return;
    const timer = setTimeout(() => {
      setAnnouncement(
        found.length === 0
          ? t('municipality.noResults', { query: query.trim() })
          : t('municipality.results', { count: found.length }),
      );
    }, 600);
    return () => clearTimeout(timer);
  }, [open, query, found.length, t]);

  useEffect(() => {
    if (activeOption) document.getElementById(optionId(activeOption))?.scrollIntoView({ block: 'nearest' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the id follows from the option
  }, [activeOption]);

  function openList(fromText: boolean) {
    if (!fromText && !editing.current) setQuery(''); // opened on a chosen name: show them all
    setOpen(true);
  }

  function close() {
    setOpen(false);
    setActive(-1);
  }

  function choose(m: Municipality) {
    editing.current = false;
    close();
    setQuery('');
    setText(clearOnChoose ? '' : m.name);
    if (!clearOnChoose) setAnnouncement(t('municipality.chosen', { name: m.name }));
    if (m.nisCode !== value || clearOnChoose) onChoose(m.nisCode);
  }

  function leave() {
    close();
    if (!editing.current) return;
    editing.current = false;
    setQuery('');
    const typed = text.trim();
    if (!typed) {
      setText('');
      if (value && !clearOnChoose) onChoose('');
      return;
    }
    const current = byCode.get(value);
    const exact = exactMatch(available, typed) ?? (current ? exactMatch([current], typed) : undefined);
    if (exact) choose(exact);
    else setText(chosenName);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    const count = options.length;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!open) {
          openList(false);
          if (!e.altKey) setActive(0);
        } else if (count > 0) setActive((i) => (i + 1) % count);
        return;
      case 'ArrowUp':
        e.preventDefault();
        if (!open) {
          openList(false);
          setActive(count - 1);
        } else if (count > 0) setActive((i) => (i <= 0 ? count - 1 : i - 1));
        return;
      case 'Enter': {
        if (!open) return; // a closed list: Enter sends the form
        e.preventDefault();
        const pick = activeOption ?? (options.length === 1 ? options[0] : exactMatch(options, text));
        if (pick) choose(pick);
        return;
      }
      case 'Escape':
        if (open) {
          e.preventDefault();
          close();
        } else if (editing.current) {
          e.preventDefault();
          editing.current = false;
          setText(chosenName);
        }
        return;
      case 'Tab':
        close();
        return;
      default:
    }
  }

  const renderOption = (m: Municipality) => {
    const index = options.indexOf(m);
    return (
      <div
        key={m.nisCode}
        id={optionId(m)}
        role="option"
        aria-selected={index === active}
        className={`combobox-option${index === active ? ' active' : ''}${m.nisCode === value ? ' chosen' : ''}`}
        onMouseDown={(e) => e.preventDefault()} // keep the focus in the text field
        onClick={() => choose(m)}
        onMouseMove={() => index !== active && setActive(index)}
      >
        <span className="combobox-name">{m.name}</span>
        {m.nameFr !== m.name && (
          <span className="muted" lang="fr">
            {' '}
            · {m.nameFr}
          </span>
        )}
        <span className="muted small"> {m.nisCode}</span>
      </div>
    );
  };

  return (
    <div className="combobox">
      <input
        {...control}
        name={control.id}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={activeOption ? optionId(activeOption) : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={loading ? t('municipality.loading') : undefined}
        value={text}
        onChange={(e) => {
          editing.current = true;
          setText(e.target.value);
          setQuery(e.target.value);
          setActive(-1);
          openList(true);
        }}
        onClick={() => !open && openList(false)}
        onKeyDown={onKeyDown}
        onBlur={leave}
      />
      <div role="listbox" id={listId} aria-label={listLabel} className="combobox-list" hidden={!expanded}>
        {inNetwork.length > 0 ? (
          <>
            <div role="group" aria-labelledby={`${listId}-network`}>
              <div role="presentation" id={`${listId}-network`} className="combobox-group">
                {t('municipality.network')}
              </div>
              {inNetwork.map(renderOption)}
            </div>
            {others.length > 0 && (
              <div role="group" aria-labelledby={`${listId}-other`}>
                <div role="presentation" id={`${listId}-other`} className="combobox-group">
                  {t('municipality.other')}
                </div>
                {others.map(renderOption)}
              </div>
            )}
          </>
        ) : (
          others.map(renderOption)
        )}
      </div>
      {open && query.trim() && found.length === 0 && (
        <p className="combobox-empty muted">{t('municipality.noResults', { query: query.trim() })}</p>
      )}
      <div role="status" aria-live="polite" aria-atomic="true" className="visually-hidden">
        {announcement}
      </div>
    </div>
  );
}

interface FieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (nisCode: string) => void;
  error?: string | undefined;
  required?: boolean;
  hint?: string | undefined;
}

/** One municipality as a form field: label, hint (what may be typed), error, and the combobox. */
export function MunicipalityField({ id, label, value, onChange, error, required, hint }: FieldProps) {
  const { t } = useTranslation();
  return (
    <Field id={id} label={label} error={error} required={required ?? false} hint={hint ?? t('municipality.hint')}>
      {(control) => <MunicipalityCombobox control={control} listLabel={label} value={value} onChoose={onChange} />}
    </Field>
  );
}
