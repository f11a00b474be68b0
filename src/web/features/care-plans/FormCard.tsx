import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { useSubmit } from '../../hooks';

/** The state of one FormCard: open or not, and its submit (busy, the problem document field by field). */
export function useFormCard() {
  const [open, setOpen] = useState(false);
  return { open, setOpen, ...useSubmit() };
}
export type FormCardState = ReturnType<typeof useFormCard>;

/**
 * The one shape of the plan page's small forms (add a goal, an action, a support person; edit one; hand over the
 * coordinator role; samen beslissen): a button opens a card with a title, the fields, "Opslaan" and "Annuleren".
 * Sending runs through useSubmit, so the server's problem document shows field by field and focus goes to the first
 * error; when `onSubmit` resolves the card closes, unless it resolves `false` (a conflict to settle first).
 */
export function FormCard({
  form,
  label,
  title = label,
  openTestId,
  formTestId,
  openLabel,
  primary = false,
  onOpen,
  onSubmit,
  submitLabel,
  children,
}: {
  form: FormCardState;
  /** the button's text, and the card's title unless `title` says otherwise */
  label: string;
  title?: string;
  openTestId?: string;
  formTestId?: string;
  /** an accessible name for the button when `label` alone is ambiguous (e.g. "Bewerken" per goal) */
  openLabel?: string;
  primary?: boolean;
  onOpen?: () => void;
  onSubmit: () => Promise<boolean | void>;
  submitLabel?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  if (!form.open) {
    return (
      <p className="no-print">
        <button
          type="button"
          className={`button ${primary ? 'primary' : 'secondary'}`}
          aria-label={openLabel}
          data-testid={openTestId}
          onClick={() => {
            onOpen?.();
            form.setOpen(true);
          }}
        >
          {label}
        </button>
      </p>
    );
  }
  function submit(e: React.FormEvent) {
    e.preventDefault();
    void form.run(async () => {
      if ((await onSubmit()) !== false) form.setOpen(false);
    });
  }
  return (
    <form className="card subform no-print" ref={form.formRef} noValidate onSubmit={submit} data-testid={formTestId}>
      <h2>{title}</h2>
      <ErrorAlert error={form.error} />
      {children}
      <div className="actions">
        <button type="submit" className="button primary" disabled={form.busy}>
          {submitLabel ?? t('carePlan.save')}
        </button>
        <button type="button" className="button secondary" onClick={() => form.setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
