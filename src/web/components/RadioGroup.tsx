import type { ReactNode } from 'react';

export interface RadioOption<T extends string> {
  value: T;
  label: string;
  /** read out after the label (aria-describedby) and shown below it */
  hint?: ReactNode;
}

interface Props<T extends string> {
  id: string;
  legend: string;
  options: readonly RadioOption<T>[];
  value: T | '';
  onChange: (value: T) => void;
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
  /** options side by side instead of one per line */
  inline?: boolean;
  className?: string;
  /** shown between the hint and the options: loading, or "no options" */
  status?: ReactNode;
  testId?: string;
}

/**
 * One choice out of a few: native radio buttons in a fieldset, so arrow keys move between the options
 * and the legend names the group. Labels are exactly the option's name; hint and error belong to the group.
 */
export function RadioGroup<T extends string>({
  id,
  legend,
  options,
  value,
  onChange,
  hint,
  error,
  required,
  inline,
  className,
  status,
  testId,
}: Props<T>) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset
      id={id}
      className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}
      aria-describedby={describedBy}
      aria-invalid={error ? true : undefined}
      aria-required={required ? true : undefined}
      role="radiogroup"
      data-testid={testId}
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
      {status}
      <div className={inline ? 'radio-row' : undefined}>
        {options.map((o) => {
          const inputId = `${id}-${o.value}`;
          const optionHint = o.hint ? `${inputId}-hint` : undefined;
          return (
            <div key={o.value} className={o.hint ? 'radio radio-with-hint' : 'radio'}>
              <input
                type="radio"
                id={inputId}
                name={id}
                value={o.value}
                checked={value === o.value}
                onChange={() => onChange(o.value)}
                aria-describedby={optionHint}
              />
              <label htmlFor={inputId}>{o.label}</label>
              {o.hint && (
                <span className="hint radio-hint" id={optionHint}>
                  {o.hint}
                </span>
              )}
            </div>
          );
        })}
      </div>
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
