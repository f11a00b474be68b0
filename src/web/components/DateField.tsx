import { useCallback, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { dateText, readDate } from '../dates';
import { Field } from './Field';

export interface DateBounds {
  /** the earliest date allowed, 'YYYY-MM-DD' */
  min?: string | undefined;
  /** the latest date allowed, 'YYYY-MM-DD' */
  max?: string | undefined;
}

/**
 * The error of a typed date in the interface language (undefined when it is empty or a date within the bounds):
 * the same text the field shows when it is left, for the form's own check before sending.
 */
export function useDateError(): (text: string, bounds?: DateBounds) => string | undefined {
  const { t, i18n } = useTranslation();
  return useCallback(
    (text: string, bounds: DateBounds = {}) => {
      const reading = readDate(text);
      if (!reading) return undefined;
      if (!reading.ok) {
        if (reading.problem === 'format') return t('dates.format');
        if (reading.problem === 'month') return t('dates.month', { month: reading.month });
        const monthName = new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'nl-BE', {
          month: 'long',
          timeZone: 'UTC',
        }).format(new Date(Date.UTC(reading.year, reading.month - 1, 1)));
        return t('dates.day', {
          date: text.trim(),
          month: monthName,
          year: reading.year,
          days: reading.daysInMonth,
        });
      }
      if (bounds.min && reading.iso < bounds.min) return t('dates.tooEarly', { date: dateText(bounds.min) });
      if (bounds.max && reading.iso > bounds.max) return t('dates.tooLate', { date: dateText(bounds.max) });
      return undefined;
    },
    [t, i18n.language],
  );
}

interface Props extends DateBounds {
  id: string;
  label: string;
  /** the text as typed; start it with `dateText(iso)` and send `isoDate(text)` */
  value: string;
  onChange: (text: string) => void;
  error?: string | undefined;
  /** shown after the format (dd/mm/jjjj) */
  hint?: ReactNode;
  required?: boolean;
  className?: string;
}

/**
 * A date typed as dd/mm/jjjj in every browser language: a text field (numeric keyboard on phones) instead of
 * `<input type="date">`, whose format follows the browser (mm/dd/yyyy in an English one). Leaving the field writes
 * the date out in full (3/2/1980 → 03/02/1980) or says what is wrong with it (31/02/2024 does not exist);
 * the form checks again with `useDateError` before sending.
 */
export function DateField({ id, label, value, onChange, error, hint, required, className, min, max }: Props) {
  const { t } = useTranslation();
  const dateError = useDateError();
  const [leftError, setLeftError] = useState<string | undefined>();

  function leave() {
    const reading = readDate(value);
    if (reading?.ok && dateText(reading.iso) !== value) onChange(dateText(reading.iso));
    setLeftError(dateError(value, { min, max }));
  }

  return (
    <Field
      id={id}
      label={label}
      hint={
        hint ? (
          <>
            {t('dates.hint')} · {hint}
          </>
        ) : (
          t('dates.hint')
        )
      }
      error={error ?? leftError}
      required={required ?? false}
      className={className ?? 'narrow'}
    >
      {(control) => (
        <input
          {...control}
          name={id}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          maxLength={10}
          pattern="\d{1,2}[\/.\- ]\d{1,2}[\/.\- ]\d{4}|\d{8}|\d{4}-\d{2}-\d{2}"
          value={value}
          onChange={(e) => {
            onChange(e.target.value);
            if (leftError) setLeftError(undefined);
          }}
          onBlur={leave}
        />
      )}
    </Field>
  );
}
