import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, ProblemError } from '../api';
import { ErrorAlert, StatusMessage, useFocusOnError } from './Alerts';
import { TextField } from './Field';

const MIN_LENGTH = 12;

/** The rule for a new password typed twice, checked before sending (the server checks the length again). */
export function newPasswordErrors(next: string, repeat: string, t: TFunction) {
  const errs: { newPassword?: string; repeat?: string } = {};
  if (next.length < MIN_LENGTH) errs.newPassword = t('password.tooShort');
  if (next !== repeat) errs.repeat = t('password.mismatch');
  return errs;
}

/** The new password and its repetition: the same two fields wherever a password is chosen. */
export function NewPasswordFields({
  idPrefix,
  next,
  onNext,
  repeat,
  onRepeat,
  errors,
}: {
  idPrefix: string;
  next: string;
  onNext: (value: string) => void;
  repeat: string;
  onRepeat: (value: string) => void;
  errors: { newPassword?: string; repeat?: string };
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        id={`${idPrefix}-new`}
        label={t('password.new')}
        type="password"
        value={next}
        onChange={onNext}
        autoComplete="new-password"
        hint={t('password.hint')}
        error={errors.newPassword}
        required
      />
      <TextField
        id={`${idPrefix}-repeat`}
        label={t('password.repeat')}
        type="password"
        value={repeat}
        onChange={onRepeat}
        autoComplete="new-password"
        error={errors.repeat}
        required
      />
    </>
  );
}

/** Change one's own password (current + new twice). Used on "Mijn account" and for a temporary password. */
export function PasswordForm({
  onChanged,
  idPrefix = 'pw',
}: {
  onChanged?: () => void | Promise<void>;
  idPrefix?: string;
}) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { ref: formRef, failed } = useFocusOnError();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(null);
    const errs: Record<string, string> = { ...newPasswordErrors(next, repeat, t) };
    if (!current) errs.currentPassword = t('errors.fieldRequired');
    setErrors(errs);
    if (Object.keys(errs).length > 0) {
      setError(t('errors.fixFields'));
      failed();
      return;
    }
    setBusy(true);
    try {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(t('password.changed'));
      await onChanged?.();
    } catch (err) {
      setError(err);
      if (err instanceof ProblemError) setErrors(err.byField());
      failed();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate ref={formRef}>
      <ErrorAlert error={error} />
      <StatusMessage message={done} />
      <TextField
        id={`${idPrefix}-current`}
        label={t('password.current')}
        type="password"
        value={current}
        onChange={setCurrent}
        autoComplete="current-password"
        error={errors.currentPassword}
        required
      />
      <NewPasswordFields
        idPrefix={idPrefix}
        next={next}
        onNext={setNext}
        repeat={repeat}
        onRepeat={setRepeat}
        errors={errors}
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {t('password.submit')}
        </button>
      </div>
    </form>
  );
}
