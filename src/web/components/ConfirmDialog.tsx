import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface ConfirmOptions {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
}

interface DialogProps extends ConfirmOptions {
  onClose: (confirmed: boolean) => void;
}

/** A modal confirmation on the native <dialog>: focus stays inside, Escape cancels, focus returns after. */
function ConfirmDialog({ title, message, confirmLabel, danger, onClose }: DialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const messageId = useId();

  useEffect(() => {
    const dialog = ref.current;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
      previous?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="dialog"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={messageId}
      onCancel={(e) => {
        e.preventDefault();
        onClose(false);
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <p id={messageId}>{message}</p>
      <div className="actions">
        <button type="button" className="button secondary" autoFocus onClick={() => onClose(false)}>
          {t('common.cancel')}
        </button>
        <button type="button" className={`button ${danger ? 'danger' : 'primary'}`} onClick={() => onClose(true)}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** `const [confirm, dialog] = useConfirm();` then `if (await confirm({...})) …` and render `{dialog}`. */
export function useConfirm(): [(options: ConfirmOptions) => Promise<boolean>, ReactNode] {
  const [state, setState] = useState<(ConfirmOptions & { resolve: (ok: boolean) => void }) | null>(null);
  const confirm = useCallback(
    (options: ConfirmOptions) => new Promise<boolean>((resolve) => setState({ ...options, resolve })),
    [],
  );
  const element = state ? (
    <ConfirmDialog
      {...state}
      onClose={(ok) => {
        state.resolve(ok);
        setState(null);
      }}
    />
  ) : null;
  return [confirm, element];
}
