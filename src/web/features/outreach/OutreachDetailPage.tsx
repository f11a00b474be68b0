import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import {
  api,
  isOneOf,
  OUTREACH_ATTEMPT_OUTCOMES,
  OUTREACH_CHANNELS,
  OUTREACH_CLOSE_OUTCOMES,
  OUTREACH_KINDS,
  OUTREACH_MOMENTS,
  OUTREACH_STATES,
  TRAJECTORY_MODULES,
  type OutreachClose,
  type OutreachSignal,
} from '../../api';
import { ErrorAlert, LoadFailed, Loading, StatusMessage } from '../../components/Alerts';
import { useConfirm } from '../../components/ConfirmDialog';
import { Field, TextAreaField } from '../../components/Field';
import { formatDate, formatDateTime, formatPhone, phoneHref } from '../../format';
import { useDocumentTitle, useLoad, useSubmit } from '../../hooks';

type Channel = (typeof OUTREACH_CHANNELS)[number];
type AttemptOutcome = (typeof OUTREACH_ATTEMPT_OUTCOMES)[number];
type CloseOutcome = (typeof OUTREACH_CLOSE_OUTCOMES)[number];

/** A signal: for the receiver everything with its attempts and closing; for the sender its state only. */
export function OutreachDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const signal = useLoad(() => api.outreachSignal(id), [id]);
  const [flash, setFlash] = useState<string | null>(null);
  useDocumentTitle(t('outreach.detailTitle'));
  if (signal.loading && !signal.data) return <Loading />;
  if (!signal.data)
    return (
      <LoadFailed
        back={
          <p className="breadcrumb">
            <Link to="/outreach/sent">{t('outreach.back')}</Link>
          </p>
        }
        title={t('outreach.detailTitle')}
        error={signal.error}
        notFound={t('outreach.notFound')}
      />
    );
  const s = signal.data;
  const name = s.collective ? t('outreach.collectiveLabel') : s.erased ? t('outreach.erased') : (s.contactName ?? '—');
  const kind = isOneOf(OUTREACH_KINDS, s.kind) ? t(`outreach.kinds.${s.kind}`) : s.kind;
  const state = isOneOf(OUTREACH_STATES, s.state) ? t(`outreach.states.${s.state}`) : s.state;

  return (
    <>
      <p className="breadcrumb">
        <Link to={s.view === 'receiver' ? '/outreach' : '/outreach/sent'}>{t('outreach.back')}</Link>
      </p>
      <h1>
        {t('outreach.detailTitle')}: {name}
      </h1>
      <StatusMessage message={flash} />
      <p>
        {kind} · {t('outreach.state')}:{' '}
        <span className="badge" data-testid="outreach-state">
          {state}
        </span>
        {s.overdue && (
          <>
            {' '}
            <span className="badge badge-danger">{t('outreach.overdue')}</span>
          </>
        )}
      </p>
      {s.view === 'receiver' && (
        <ReceiverView
          s={s}
          onChanged={(message) => {
            setFlash(message);
            signal.reload();
          }}
        />
      )}
    </>
  );
}

function ReceiverView({ s, onChanged }: { s: OutreachSignal; onChanged: (message: string) => void }) {
  const { t } = useTranslation();
  const closed = s.status === 'closed';
  return (
    <>
      <section className="card">
        <h2>{t('outreach.contactDetails')}</h2>
        <dl className="details">
          {s.phone && (
            <>
              <dt>{t('outreach.phone')}</dt>
              <dd>
                <a href={phoneHref(s.phone)}>{formatPhone(s.phone)}</a>
              </dd>
            </>
          )}
          {s.email && (
            <>
              <dt>{t('outreach.email')}</dt>
              <dd>{s.email}</dd>
            </>
          )}
          {s.preferredMoment && isOneOf(OUTREACH_MOMENTS, s.preferredMoment) && (
            <>
              <dt>{t('outreach.preferredMoment')}</dt>
              <dd>{t(`outreach.moments.${s.preferredMoment}`)}</dd>
            </>
          )}
          {s.municipalityName && (
            <>
              <dt>{t('outreach.municipality')}</dt>
              <dd>{s.municipalityName}</dd>
            </>
          )}
          {s.relation && (
            <>
              <dt>{t('outreach.relation')}</dt>
              <dd>{s.relation}</dd>
            </>
          )}
          {s.dateOfDeath && (
            <>
              <dt>{t('outreach.dateOfDeath')}</dt>
              <dd>{formatDate(s.dateOfDeath)}</dd>
            </>
          )}
          {s.note && (
            <>
              <dt>{t('outreach.note')}</dt>
              <dd>{s.note}</dd>
            </>
          )}
          <dt>{t('outreach.sender')}</dt>
          <dd>
            {s.senderOrganizationName} · {formatDateTime(s.createdAt)}
          </dd>
          <dt>{t('outreach.agreement')}</dt>
          <dd>
            {t('outreach.agreementShown', {
              method: s.agreementMethod ? t(`outreach.agreementMethods.${s.agreementMethod}`) : '',
              date: formatDate(s.agreementDate ?? null),
            })}
          </dd>
          {!closed && (
            <>
              <dt>{t('outreach.due')}</dt>
              <dd>{formatDateTime(s.dueAt ?? null)}</dd>
            </>
          )}
        </dl>
      </section>

      <section className="card">
        <h2>{t('outreach.attempts')}</h2>
        {(s.attemptList ?? []).length === 0 ? (
          <p className="empty">{t('outreach.noAttempts')}</p>
        ) : (
          <ol className="plain" data-testid="outreach-attempts">
            {(s.attemptList ?? []).map((a) => (
              <li key={a.id}>
                {formatDateTime(a.at)} ({t(`outreach.partsOfDay.${a.partOfDay}`)}) ·{' '}
                {t(`outreach.channels.${a.channel}`)} · <strong>{t(`outreach.outcomes.${a.outcome}`)}</strong>
                {a.note && <span className="muted"> — {a.note}</span>}
              </li>
            ))}
          </ol>
        )}
        {!closed && <AttemptForm id={s.id} onSaved={() => onChanged(t('outreach.attemptSaved'))} />}
      </section>

      {s.unreachable?.proposed && !closed && (
        <section className="card notice" data-testid="outreach-unreachable">
          <h2>{t('outreach.unreachableTitle')}</h2>
          <p>
            {t('outreach.unreachableText', { failed: s.unreachable.failedAttempts, parts: s.unreachable.partsOfDay })}
          </p>
          <Field id="outreach-letter" label={t('outreach.letter')}>
            {(control) => <textarea {...control} readOnly rows={9} value={s.unreachable?.letter ?? ''} />}
          </Field>
        </section>
      )}

      {closed ? (
        <section className="card">
          <p>
            {t('outreach.closedWith', {
              outcome: s.outcome ? t(`outreach.closeOutcomes.${s.outcome}`) : '',
            })}{' '}
            {s.closedAt && <span className="muted">{formatDateTime(s.closedAt)}</span>}
          </p>
          {s.closeNote && <p>{s.closeNote}</p>}
          {s.trajectoryId && (
            <p>
              <Link to={`/trajectories/${s.trajectoryId}`}>{t('outreach.openTrajectory')}</Link>
              {' · '}
              {s.clientId && <Link to={`/clients/${s.clientId}`}>{t('outreach.openClient')}</Link>}
            </p>
          )}
        </section>
      ) : (
        <CloseForm s={s} onClosed={() => onChanged(t('outreach.closed'))} />
      )}
    </>
  );
}

function AttemptForm({ id, onSaved }: { id: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const [channel, setChannel] = useState<Channel>('phone');
  const [outcome, setOutcome] = useState<AttemptOutcome | ''>('');
  const [note, setNote] = useState('');
  const { error, errors, busy, run, formRef } = useSubmit();
  function submit(e: React.FormEvent) {
    e.preventDefault();
    void run(async () => {
      await api.addOutreachAttempt(id, {
        channel,
        outcome: outcome as AttemptOutcome,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setOutcome('');
      setNote('');
      onSaved();
    });
  }
  return (
    <form noValidate onSubmit={submit} ref={formRef} data-testid="outreach-attempt-form">
      <ErrorAlert error={error} />
      <div className="field-row">
        <Field id="attempt-channel" label={t('outreach.channel')} error={errors.channel}>
          {(control) => (
            <select {...control} value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
              {OUTREACH_CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`outreach.channels.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="attempt-outcome" label={t('outreach.outcome')} error={errors.outcome} required>
          {(control) => (
            <select {...control} value={outcome} onChange={(e) => setOutcome(e.target.value as AttemptOutcome)}>
              <option value="">—</option>
              {OUTREACH_ATTEMPT_OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`outreach.outcomes.${o}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <TextAreaField
        id="attempt-note"
        label={t('outreach.attemptNote')}
        value={note}
        onChange={setNote}
        error={errors.note}
        rows={2}
      />
      <div className="actions">
        <button type="submit" className="button secondary" disabled={busy}>
          {t('outreach.addAttempt')}
        </button>
      </div>
    </form>
  );
}

function CloseForm({ s, onClosed }: { s: OutreachSignal; onClosed: () => void }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<CloseOutcome | ''>(s.unreachable?.proposed ? 'unreachable' : '');
  const [module, setModule] = useState(s.kind === 'bereaved' ? 'victim-support-bereavement' : 'psychosocial-support');
  const [note, setNote] = useState('');
  const { error, errors, busy, run, formRef } = useSubmit();
  const [confirm, dialog] = useConfirm();
  const accepted = outcome === 'support-accepted';
  function submit(e: React.FormEvent) {
    e.preventDefault();
    void run(async () => {
      if (outcome) {
        const ok = await confirm({
          title: t('outreach.confirmCloseTitle'),
          message: t(accepted ? 'outreach.confirmCloseAccepted' : 'outreach.confirmClose'),
          confirmLabel: t('outreach.close'),
        });
        if (!ok) return;
      }
      const body = {
        outcome,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(accepted ? { module } : {}),
      } as OutreachClose;
      await api.closeOutreachSignal(s.id, body);
      onClosed();
    });
  }
  return (
    <section className="card">
      <h2>{t('outreach.closeTitle')}</h2>
      <form noValidate onSubmit={submit} ref={formRef} data-testid="outreach-close-form">
        <ErrorAlert error={error} />
        <Field id="close-outcome" label={t('outreach.closeOutcome')} error={errors.outcome} required>
          {(control) => (
            <select {...control} value={outcome} onChange={(e) => setOutcome(e.target.value as CloseOutcome)}>
              <option value="">—</option>
              {OUTREACH_CLOSE_OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`outreach.closeOutcomes.${o}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {accepted && (
          <Field id="close-module" label={t('outreach.module')} error={errors.module}>
            {(control) => (
              <select {...control} value={module} onChange={(e) => setModule(e.target.value)}>
                {TRAJECTORY_MODULES.map((m) => (
                  <option key={m} value={m}>
                    {t(`trajectories.modules.${m}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <TextAreaField
          id="close-note"
          label={t('outreach.closeNote')}
          value={note}
          onChange={setNote}
          error={errors.note}
          rows={2}
        />
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {t('outreach.close')}
          </button>
        </div>
      </form>
      {dialog}
    </section>
  );
}
