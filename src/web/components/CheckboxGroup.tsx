import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface CheckboxOption {
  value: string;
  label: string;
  /** A facet count shown next to the label (and read out as its description). */
  count?: number | undefined;
}

interface Props {
  id: string;
  legend: string;
  options: readonly CheckboxOption[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
  className?: string;
}

/**
 * A set of checkboxes in a fieldset: the legend names the group, each label is exactly the value's name.
 * Hint and error belong to the group (aria-describedby on the fieldset); a count, when given, is shown
 * after the label and tied to the checkbox as its description ("5 resultaten"), so the name stays clean.
 * The selection keeps the order of `options`.
 */
export function CheckboxGroup({ id, legend, options, selected, onChange, hint, error, required, className }: Props) {
  const { t } = useTranslation();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  const chosen = new Set(selected);

  function toggle(value: string, on: boolean) {
    const next = new Set(chosen);
    if (on) next.add(value);
    else next.delete(value);
    const ordered = options.map((o) => o.value).filter((v) => next.has(v));
    // values that are not (or no longer) among the options stay selected
    for (const v of selected) if (next.has(v) && !ordered.includes(v)) ordered.push(v);
    onChange(ordered);
  }

  return (
    <fieldset
      id={id}
      className={`field checkbox-group${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}
      aria-describedby={describedBy}
      aria-invalid={error ? true : undefined}
    >
      <legend>
        {legend}
        {required && (
          <span className="required-mark" aria-hidden="true">
            *
          </span>
        )}
      </legend>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {options.map((o, i) => {
        const inputId = `${id}-${i}`;
        const countId = o.count !== undefined ? `${inputId}-count` : undefined;
        return (
          <div key={o.value} className={`checkbox${o.count === 0 && !chosen.has(o.value) ? ' checkbox-empty' : ''}`}>
            <input
              type="checkbox"
              id={inputId}
              name={id}
              value={o.value}
              checked={chosen.has(o.value)}
              onChange={(e) => toggle(o.value, e.target.checked)}
              aria-describedby={countId}
            />
            <label htmlFor={inputId}>{o.label}</label>
            {o.count !== undefined && (
              <>
                <span className="facet-count" aria-hidden="true" data-testid={`facet-${id}-${o.value}`}>
                  {o.count}
                </span>
                <span className="visually-hidden" id={countId}>
                  {t('offers.facetCount', { count: o.count })}
                </span>
              </>
            )}
          </div>
        );
      })}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
