import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  api,
  CLOSE_WITHOUT_CONTACT_REASONS,
  DECLINE_REASONS,
  ProblemError,
  type CloseWithoutContactReason,
  type DeclineReason,
  type Referral,
  type ReferralAction,
  type TransitionInput,
} from '../../api';
import { isoDate, readTime } from '../../dates';
import { useSubmit } from '../../hooks';
import { todayIso } from '../../intake';
import { useLabels } from '../../labels';
import { ErrorAlert } from '../Alerts';
import { useConfirm } from '../ConfirmDialog';
import { DateField, useDateError } from '../DateField';
import { TextAreaField, TextField } from '../Field';
import { ReasonForm } from './ReasonForm';

const SIMPLE_ACTIONS: readonly ReferralAction[] = ['receive', 'accept', 'first-contact', 'missed', 'complete'];

/** A 409 from a transition: someone else acted first, or the referral moved on since it was loaded. */
function isConflict(error: unknown): boolean {
  return error instanceof ProblemError && error.status === 409;
}

/** The steps allowed now: one press for the simple ones, a small form for those that need a reason or a date. */
export function ActionsPanel({
  referral: r,
  onDone,
  onReload,
}: {
  referral: Referral;
  onDone: (r: Referral, message: string) => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { error, busy, run, formRef, failed } = useSubmit<HTMLElement>();
  const [confirm, dialog] = useConfirm();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [declineReason, setDeclineReason] = useState<DeclineReason | ''>('');
  const [declineNote, setDeclineNote] = useState('');
  const [expectedDate, setExpectedDate] = useState('');
  const [waitNote, setWaitNote] = useState('');
  const [scheduledDay, setScheduledDay] = useState('');
  const [scheduledTime, setScheduledTime] = useState('');
  const dateError = useDateError();
  const [cancelReason, setCancelReason] = useState('');
  const [closeReason, setCloseReason] = useState<CloseWithoutContactReason | ''>('');
  const [closeNote, setCloseNote] = useState('');
  const allowed = new Set(r.allowedActions);
  // after a missed first contact, completing closes the referral without help having started: it needs a reason
  const closesWithoutContact = allowed.has('complete') && r.status === 'missed';
  const conflict = isConflict(error);

  function act(input: Omit<TransitionInput, 'version'>) {
    void run(async () => {
      try {
        const next = await api.transition(r.id, { ...input, version: r.version });
        setErrors({});
        onDone(next, t('referral.actionDone', { status: labels.referralStatus(next.status) }));
      } catch (err) {
        if (err instanceof ProblemError && err.status === 400) setErrors(err.byField());
        throw err;
      }
    });
  }

  async function simple(action: ReferralAction) {
    if (action === 'complete') {
      const ok = await confirm({
        title: t('referral.completeTitle'),
        message: t('referral.completeMessage'),
        confirmLabel: labels.referralAction('complete'),
      });
      if (!ok) return;
    }
    act({ action });
  }

  async function decline(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!declineReason) errs.reason = t('referral.declineReasonRequired');
    if (declineReason === 'other' && !declineNote.trim()) errs.note = t('referral.declineNoteRequired');
    setErrors(errs);
    if (Object.keys(errs).length) {
      failed();
      return;
    }
    const ok = await confirm({
      title: t('referral.declineTitle'),
      message: t('referral.declineMessage'),
      confirmLabel: labels.referralAction('decline'),
      danger: true,
    });
    if (ok) act({ action: 'decline', reason: declineReason, note: declineNote.trim() || null });
  }

  function waitlist(e: FormEvent) {
    e.preventDefault();
    const day = isoDate(expectedDate);
    const problem = dateError(expectedDate, { min: todayIso() });
    if (!day || problem) {
      setErrors({ expectedDate: problem ?? t('errors.fieldRequired') });
      failed();
      return;
    }
    act({ action: 'waitlist', expectedDate: day, note: waitNote.trim() || null });
  }

  function schedule(e: FormEvent) {
    e.preventDefault();
    const day = isoDate(scheduledDay);
    const time = readTime(scheduledTime);
    const errs: Record<string, string> = {};
    if (!day) errs.scheduledAt = dateError(scheduledDay) ?? t('errors.fieldRequired');
    if (!time) errs.scheduledTime = scheduledTime.trim() ? t('dates.timeFormat') : t('errors.fieldRequired');
    setErrors(errs);
    if (!day || !time) {
      failed();
      return;
    }
    // the day and hour in the browser's time zone (Belgian workers in Belgium), as an instant for the API
    act({ action: 'schedule', scheduledAt: new Date(`${day}T${time}`).toISOString() });
  }

  async function close(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!closeReason) errs.closeReason = t('referral.closeReasonRequired');
    if (closeReason === 'other' && !closeNote.trim()) errs.closeNote = t('referral.closeNoteRequired');
    setErrors(errs);
    if (Object.keys(errs).length) {
      failed();
      return;
    }
    const ok = await confirm({
      title: t('referral.closeTitle'),
      message: t('referral.closeMessage'),
      confirmLabel: labels.referralAction('complete'),
    });
    if (ok) act({ action: 'complete', reason: closeReason, note: closeNote.trim() || null });
  }

  async function cancel(e: FormEvent) {
    e.preventDefault();
    if (!cancelReason.trim()) {
      setErrors({ cancelReason: t('errors.fieldRequired') });
      failed();
      return;
    }
    const ok = await confirm({
      title: t('referral.cancelTitle'),
      message: t('referral.cancelMessage'),
      confirmLabel: labels.referralAction('cancel'),
      danger: true,
    });
    if (ok) act({ action: 'cancel', reason: cancelReason.trim() });
  }

  const simpleOnes = SIMPLE_ACTIONS.filter((a) => allowed.has(a) && !(a === 'complete' && closesWithoutContact));

  return (
    <section
      ref={formRef}
      className="card actions-panel"
      aria-labelledby="actions-title"
      data-testid="referral-actions"
    >
      <h2 id="actions-title">{t('referral.actionsTitle')}</h2>
      {dialog}
      {conflict ? (
        <div className="alert alert-error" role="alert" data-testid="referral-conflict">
          <p>{t('referral.conflict')}</p>
          <button type="button" className="button secondary" onClick={onReload}>
            {t('referral.reload')}
          </button>
        </div>
      ) : (
        <ErrorAlert error={error} />
      )}
      {!r.consentActive && allowed.has('decline') && <p className="hint">{t('referral.acceptBlocked')}</p>}
      {simpleOnes.length > 0 && (
        <div className="actions">
          {simpleOnes.map((a) => (
            <button
              key={a}
              type="button"
              className={`button ${a === 'accept' ? 'primary' : 'secondary'}`}
              disabled={busy}
              onClick={() => void simple(a)}
            >
              {labels.referralAction(a)}
            </button>
          ))}
        </div>
      )}
      {allowed.has('schedule') && (
        <form onSubmit={schedule} noValidate className="subform action-form">
          <h3>{t('referral.scheduleTitle')}</h3>
          <div className="inline-fields">
            <DateField
              id="action-scheduled-at"
              label={t('referral.scheduledAt')}
              value={scheduledDay}
              onChange={setScheduledDay}
              error={errors.scheduledAt}
              required
            />
            <TextField
              id="action-scheduled-time"
              label={t('dates.time')}
              hint={t('dates.timeHint')}
              inputMode="numeric"
              autoComplete="off"
              maxLength={5}
              value={scheduledTime}
              onChange={setScheduledTime}
              onBlur={() => {
                const time = readTime(scheduledTime);
                if (time && time !== scheduledTime) setScheduledTime(time);
              }}
              error={errors.scheduledTime}
              required
              className="narrow"
            />
          </div>
          <button type="submit" className="button secondary" disabled={busy}>
            {labels.referralAction('schedule')}
          </button>
        </form>
      )}
      {closesWithoutContact && (
        <ReasonForm
          prefix="close"
          testId="close-without-contact"
          intro={t('referral.closeIntro')}
          reasons={CLOSE_WITHOUT_CONTACT_REASONS}
          reason={closeReason}
          onReason={setCloseReason}
          note={closeNote}
          onNote={setCloseNote}
          reasonError={errors.closeReason ?? errors.reason}
          noteError={errors.closeNote ?? errors.note}
          action="complete"
          buttonClass="secondary"
          busy={busy}
          onSubmit={(e) => void close(e)}
        />
      )}
      {allowed.has('waitlist') && (
        <form onSubmit={waitlist} noValidate className="subform action-form">
          <h3>{t('referral.waitlistTitle')}</h3>
          <DateField
            id="action-expected-date"
            label={t('referral.expectedDate')}
            min={todayIso()}
            value={expectedDate}
            onChange={setExpectedDate}
            error={errors.expectedDate}
            hint={t('referral.expectedDateHint')}
            required
          />
          <TextAreaField
            id="action-waitlist-note"
            label={t('referral.waitlistNote')}
            value={waitNote}
            onChange={setWaitNote}
            rows={2}
            maxLength={5000}
          />
          <button type="submit" className="button secondary" disabled={busy}>
            {labels.referralAction('waitlist')}
          </button>
        </form>
      )}
      {allowed.has('decline') && (
        <ReasonForm
          prefix="decline"
          reasons={DECLINE_REASONS}
          reason={declineReason}
          onReason={setDeclineReason}
          note={declineNote}
          onNote={setDeclineNote}
          reasonError={errors.reason}
          noteError={errors.note}
          action="decline"
          buttonClass="danger"
          busy={busy}
          onSubmit={(e) => void decline(e)}
        />
      )}
      {allowed.has('cancel') && (
        <form onSubmit={(e) => void cancel(e)} noValidate className="subform action-form">
          <h3>{t('referral.cancelHeading')}</h3>
          <TextAreaField
            id="action-cancel-reason"
            label={t('referral.cancelReason')}
            value={cancelReason}
            onChange={setCancelReason}
            error={errors.cancelReason ?? (allowed.has('decline') ? undefined : errors.reason)}
            rows={2}
            maxLength={2000}
            required
          />
          <button type="submit" className="button danger" disabled={busy}>
            {labels.referralAction('cancel')}
          </button>
        </form>
      )}
    </section>
  );
}
