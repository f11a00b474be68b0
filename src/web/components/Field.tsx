import type { ReactNode } from 'react';

export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
  'aria-required'?: true;
  required?: boolean;
}

interface FieldProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
  className?: string;
  /** Renders the control with the id and the aria attributes that bind label, hint and error to it. */
  children: (control: ControlProps) => ReactNode;
}

/**
 * One form field: label bound to the control, optional hint, and the field's error right below it.
 * The label text is exactly the field's name ("Voornaam"), nothing more; "required" is carried by
 * aria-required and a visual asterisk outside the label, hidden from assistive technology.
 */
export function Field({ id, label, hint, error, required, className, children }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  const control: ControlProps = { id };
  if (describedBy) control['aria-describedby'] = describedBy;
  if (error) control['aria-invalid'] = true;
  if (required) {
    control['aria-required'] = true;
    control.required = true;
  }
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <div className="field-label">
        <label htmlFor={id}>{label}</label>
        {required && (
          <span className="required-mark" aria-hidden="true">
            *
          </span>
        )}
      </div>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {children(control)}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'tel' | 'number' | 'search';
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'tel' | 'email' | 'search';
  maxLength?: number;
  min?: string | number;
  max?: string | number;
  pattern?: string;
  className?: string;
  autoFocus?: boolean;
  spellCheck?: boolean;
  onBlur?: () => void;
}

export function TextField({
  id,
  label,
  value,
  onChange,
  type = 'text',
  hint,
  error,
  required,
  className,
  ...rest
}: TextFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error} required={required ?? false} className={className}>
      {(control) => (
        <input {...control} {...rest} name={id} type={type} value={value} onChange={(e) => onChange(e.target.value)} />
      )}
    </Field>
  );
}

interface TextAreaFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
  rows?: number;
  maxLength?: number;
  className?: string;
  autoFocus?: boolean;
}

/** A multi-line text field with the same label, hint and error binding as `TextField`. */
export function TextAreaField({
  id,
  label,
  value,
  onChange,
  hint,
  error,
  required,
  className,
  rows = 4,
  ...rest
}: TextAreaFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error} required={required ?? false} className={className}>
      {(control) => (
        <textarea
          {...control}
          {...rest}
          name={id}
          rows={rows}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
