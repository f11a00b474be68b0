import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type HelpRequest, type HelpRequestDetail } from '../../api';
import { formatDateTime } from '../../format';
import { useSubmit } from '../../hooks';
import { ErrorAlert } from '../Alerts';
import { useConfirm } from '../ConfirmDialog';
import { TextAreaField } from '../Field';

interface Props {
  request: HelpRequestDetail;
  canWrite: boolean;
  onClosed: (updated: HelpRequest) => void;
}

/**
 * Closing without referral. While a high risk has no recorded safety action the server refuses; the button
 * then says so (it stays focusable, with the reason as its description) instead of silently doing nothing.
 */
export function CloseSection({ request, canWrite, onClosed }: Props) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>(undefined);
  const { error, setError, errors, busy, run, formRef, failed } = useSubmit();
  const [confirm, dialog] = useConfirm();

  if (request.status === 'closed') {
    return (
      <section className="card" aria-labelledby="close-title">
        <h2 id="close-title">{t('close.title')}</h2>
        <p>{t('close.closedOn', { date: formatDateTime(request.updatedAt) })}</p>
        <dl className="details">
          <dt>{t('close.reason')}</dt>
          <dd className="prewrap">{request.closeReason ?? t('common.none')}</dd>
        </dl>
      </section>
    );
  }
  if (request.openReferral) {
    // while a referral is open the server answers 409: the referral is followed instead
    return (
      <section className="card" aria-labelledby="close-title">
        <h2 id="close-title">{t('close.title')}</h2>
        <p data-testid="close-referred">{t('close.referred')}</p>
      </section>
    );
  }
  if (!canWrite) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!request.closable) {
      setError(t('close.blocked'));
      failed();
      return;
    }
    if (reason.trim().length < 3) {
      setReasonError(t('close.reasonRequired'));
      failed();
      return;
    }
    setReasonError(undefined);
    const ok = await confirm({
      title: t('close.confirmTitle'),
      message: t('close.confirmMessage'),
      confirmLabel: t('close.confirm'),
      danger: true,
    });
    if (!ok) return;
    await run(async () => {
      onClosed(await api.closeHelpRequest(request.id, reason.trim()));
    });
  }

  return (
    <section className="card" aria-labelledby="close-title">
      <h2 id="close-title">{t('close.title')}</h2>
      <p className="hint">{t('close.intro')}</p>
      {dialog}
      <form onSubmit={(e) => void submit(e)} noValidate ref={formRef}>
        <ErrorAlert error={error} />
        <TextAreaField
          id="close-reason"
          label={t('close.reason')}
          value={reason}
          onChange={setReason}
          error={reasonError ?? errors.reason}
          rows={2}
          maxLength={2000}
          required
        />
        {!request.closable && (
          <p className="alert alert-warning" id="close-blocked">
            {t('close.blocked')}
          </p>
        )}
        <button
          type="submit"
          className="button danger"
          aria-disabled={!request.closable || busy ? true : undefined}
          aria-describedby={!request.closable ? 'close-blocked' : undefined}
          data-disabled={!request.closable ? 'true' : undefined}
        >
          {t('close.submit')}
        </button>
      </form>
    </section>
  );
}
