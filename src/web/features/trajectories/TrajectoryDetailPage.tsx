import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../components/DateField';
import { dateText, isoDate } from '../../dates';
import { Link, useParams } from 'react-router-dom';
import {
  api,
  CONTACT_KINDS,
  isOneOf,
  ProblemError,
  TRAJECTORY_CLOSE_REASONS,
  TRAJECTORY_OUTCOMES,
  TRAJECTORY_MODULES,
  TRAJECTORY_STATUSES,
  type Trajectory,
  type TrajectoryContact,
  type TrajectoryTransition,
} from '../../api';
import { useAuth } from '../../auth';
import { ErrorAlert, LoadFailed, Loading, StatusMessage, useFocusAfterRender } from '../../components/Alerts';
import { useConfirm } from '../../components/ConfirmDialog';
import { Field, TextAreaField } from '../../components/Field';
import { formatDate, formatDateTime } from '../../format';
import { useDocumentTitle, useLoad, useSubmit } from '../../hooks';
import { ContactForm } from './ContactForm';

type Action = TrajectoryTransition['action'];
/** The steps each status allows (the server decides; this only offers them). */
const STEPS: Record<string, readonly Action[]> = {
  planned: ['start-support', 'cancel'],
  active: ['start-support', 'pause', 'finish', 'cancel'],
  'on-hold': ['resume', 'finish', 'cancel'],
};
const EVENT_KEYS = ['create', 'first-contact', 'start-support', 'pause', 'resume', 'finish', 'cancel'] as const;

/** One trajectory: its data, the next steps, the status history and the contact log with add and edit. */
export function TrajectoryDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const trajectory = useLoad(() => api.trajectory(id), [id]);
  const [flash, setFlash] = useState<string | null>(null);
  useDocumentTitle(trajectory.data?.clientDisplayName ?? t('trajectory.title'));

  if (trajectory.loading && !trajectory.data) return <Loading />;
  if (!trajectory.data) {
    return (
      <LoadFailed
        back={
          <p className="breadcrumb">
            <Link to="/trajectories">{t('trajectories.title')}</Link>
          </p>
        }
        title={t('trajectory.title')}
        error={trajectory.error}
        notFound={t('trajectory.notFound')}
      />
    );
  }
  const tr = trajectory.data;
  const mayWrite = can('trajectory:write');
  const running = tr.status !== 'finished' && tr.status !== 'cancelled';
  const done = (message: string) => {
    setFlash(message);
    trajectory.reload();
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/trajectories">{t('trajectories.title')}</Link>
      </p>
      <div className="page-head">
        <h1>{tr.clientDisplayName}</h1>
        <span className="badge badge-status" data-testid="trajectory-status">
          {isOneOf(TRAJECTORY_STATUSES, tr.status) ? t(`trajectories.statuses.${tr.status}`) : tr.status}
        </span>
        <span className="badge">
          {tr.phase === 'support' ? t('trajectories.phases.support') : t('trajectories.phases.intake')}
        </span>
        {tr.noRecentContact && <span className="badge badge-danger">{t('trajectories.noRecentContact')}</span>}
      </div>
      <StatusMessage message={flash} />
      <section className="card" aria-labelledby="trajectory-data">
        <h2 id="trajectory-data" className="visually-hidden">
          {t('trajectory.title')}
        </h2>
        <dl className="details">
          <dt>{t('trajectories.module')}</dt>
          <dd>{isOneOf(TRAJECTORY_MODULES, tr.module) ? t(`trajectories.modules.${tr.module}`) : tr.module}</dd>
          {tr.offerName && (
            <>
              <dt>{t('trajectory.offer')}</dt>
              <dd>{tr.offerName}</dd>
            </>
          )}
          <dt>{t('trajectories.responsible')}</dt>
          <dd>{tr.responsibleDisplayName}</dd>
          <dt>{t('trajectories.startDate')}</dt>
          <dd>{formatDate(tr.startDate)}</dd>
          {tr.endDate && (
            <>
              <dt>{t('trajectories.endDate')}</dt>
              <dd>{formatDate(tr.endDate)}</dd>
            </>
          )}
          {tr.outcome && isOneOf(TRAJECTORY_OUTCOMES, tr.outcome) && (
            <>
              <dt>{t('trajectory.outcome')}</dt>
              <dd>{t(`trajectory.outcomes.${tr.outcome}`)}</dd>
            </>
          )}
          {tr.closeReason && isOneOf(TRAJECTORY_CLOSE_REASONS, tr.closeReason) && (
            <>
              <dt>{t('trajectory.closeReason')}</dt>
              <dd>
                {t(`trajectory.reasons.${tr.closeReason}`)}
                {tr.closeReasonText ? ` — ${tr.closeReasonText}` : ''}
              </dd>
            </>
          )}
        </dl>
        <p>
          <Link to={`/clients/${tr.clientId}`}>{t('trajectory.openClient')}</Link>
          {' · '}
          <Link to={`/clients/${tr.clientId}/hulpplan`}>{t('carePlan.open')}</Link>
          {tr.referralId && (
            <>
              {' · '}
              <Link to={`/referrals/${tr.referralId}`}>{t('trajectory.openReferral')}</Link>
            </>
          )}
        </p>
      </section>
      {mayWrite && running && <Steps trajectory={tr} onDone={done} onReload={trajectory.reload} />}
      <Contacts trajectory={tr} mayWrite={mayWrite && running} mayEdit={mayWrite} onSaved={done} />
      <History trajectory={tr} />
    </>
  );
}

function Steps({
  trajectory: tr,
  onDone,
  onReload,
}: {
  trajectory: Trajectory;
  onDone: (message: string) => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const [confirm, dialog] = useConfirm();
  const [finishing, setFinishing] = useState(false);
  const { error, busy, run } = useSubmit();
  const steps = (STEPS[tr.status] ?? []).filter((a) => !(a === 'start-support' && tr.phase === 'support'));

  async function step(action: Action) {
    if (action === 'finish') {
      setFinishing(true);
      return;
    }
    if (
      action === 'cancel' &&
      !(await confirm({
        title: t('trajectory.actions.cancel'),
        message: t('trajectory.cancelConfirm'),
        confirmLabel: t('trajectory.confirmCancel'),
        danger: true,
      }))
    )
      return;
    void run(async () => {
      try {
        await api.trajectoryTransition(tr.id, { action });
      } catch (err) {
        if (err instanceof ProblemError && err.status === 409) onReload();
        throw err;
      }
      onDone(t('trajectory.stepDone'));
    });
  }

  return (
    <section className="card" aria-labelledby="steps-title" data-testid="trajectory-steps">
      <h2 id="steps-title">{t('trajectory.steps')}</h2>
      <ErrorAlert error={error} />
      <div className="actions">
        {steps.map((a) => (
          <button
            key={a}
            type="button"
            className={`button ${a === 'cancel' ? 'danger' : a === 'finish' ? 'secondary' : 'primary'}`}
            disabled={busy}
            onClick={() => void step(a)}
          >
            {t(`trajectory.actions.${a}`)}
          </button>
        ))}
      </div>
      {finishing && <FinishForm trajectory={tr} onDone={onDone} onCancel={() => setFinishing(false)} />}
      {dialog}
    </section>
  );
}

const FINISH_FIELDS = ['outcome', 'reason', 'reasonText', 'endDate'] as const;

/** Closing asks the outcome, the reason (with a text for "other") and the date, then a confirmation. */
function FinishForm({
  trajectory: tr,
  onDone,
  onCancel,
}: {
  trajectory: Trajectory;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [confirm, dialog] = useConfirm();
  const focusAfterRender = useFocusAfterRender();
  const [outcome, setOutcome] = useState('');
  const [reason, setReason] = useState('');
  const [reasonText, setReasonText] = useState('');
  const [endDate, setEndDate] = useState(() => dateText(new Date().toISOString().slice(0, 10)));
  const { error, errors, busy, run } = useSubmit();

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (
      !(await confirm({
        title: t('trajectory.finishTitle'),
        message: t('trajectory.finishConfirm'),
        confirmLabel: t('trajectory.confirmFinish'),
        danger: true,
      }))
    )
      return;
    const body = {
      action: 'finish',
      ...(outcome ? { outcome } : {}),
      ...(reason ? { reason } : {}),
      ...(reasonText.trim() ? { reasonText: reasonText.trim() } : {}),
      ...(endDate ? { endDate: isoDate(endDate) ?? endDate } : {}),
    } as TrajectoryTransition;
    void run(async () => {
      try {
        await api.trajectoryTransition(tr.id, body);
      } catch (err) {
        if (err instanceof ProblemError) {
          const byField = err.byField();
          const first = FINISH_FIELDS.find((f) => byField[f]);
          if (first) focusAfterRender(`finish-${first}`);
        }
        throw err;
      }
      onDone(t('trajectory.stepDone'));
    });
  }

  return (
    <form className="subform" noValidate onSubmit={(e) => void submit(e)} data-testid="finish-form">
      <h3>{t('trajectory.finishTitle')}</h3>
      <ErrorAlert error={error} />
      <Field id="finish-outcome" label={t('trajectory.outcome')} required error={errors.outcome}>
        {(control) => (
          <select {...control} value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="">—</option>
            {TRAJECTORY_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`trajectory.outcomes.${o}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="finish-reason" label={t('trajectory.closeReason')} required error={errors.reason}>
        {(control) => (
          <select {...control} value={reason} onChange={(e) => setReason(e.target.value)}>
            <option value="">—</option>
            {TRAJECTORY_CLOSE_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`trajectory.reasons.${r}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {reason === 'other' && (
        <TextAreaField
          id="finish-reasonText"
          label={t('trajectory.closeReasonText')}
          value={reasonText}
          onChange={setReasonText}
          required
          maxLength={1000}
          error={errors.reasonText}
        />
      )}
      <DateField
        id="finish-endDate"
        label={t('trajectories.endDate')}
        value={endDate}
        onChange={setEndDate}
        required
        error={errors.endDate}
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {t('trajectory.confirmFinish')}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
      {dialog}
    </form>
  );
}

function Contacts({
  trajectory: tr,
  mayWrite,
  mayEdit,
  onSaved,
}: {
  trajectory: Trajectory;
  mayWrite: boolean;
  mayEdit: boolean;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="contacts-title" data-testid="contact-log">
      <h2 id="contacts-title">{t('contacts.title')}</h2>
      {mayWrite && !adding && (
        <button type="button" className="button primary" onClick={() => setAdding(true)}>
          {t('contacts.add')}
        </button>
      )}
      {adding && (
        <ContactForm
          trajectoryId={tr.id}
          onSaved={(m) => {
            setAdding(false);
            onSaved(m);
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      {tr.contacts.length === 0 ? (
        <p className="empty">{t('contacts.empty')}</p>
      ) : (
        <ul className="timeline">
          {tr.contacts.map((c) =>
            editing === c.id ? (
              <li key={c.id}>
                <ContactForm
                  trajectoryId={tr.id}
                  contact={c}
                  onSaved={(m) => {
                    setEditing(null);
                    onSaved(m);
                  }}
                  onCancel={() => setEditing(null)}
                />
              </li>
            ) : (
              <ContactItem
                key={c.id}
                trajectoryId={tr.id}
                contact={c}
                onEdit={mayEdit ? () => setEditing(c.id) : null}
              />
            ),
          )}
        </ul>
      )}
    </section>
  );
}

function ContactItem({
  trajectoryId,
  contact: c,
  onEdit,
}: {
  trajectoryId: string;
  contact: TrajectoryContact;
  onEdit: (() => void) | null;
}) {
  const { t } = useTranslation();
  const [versions, setVersions] = useState<Awaited<ReturnType<typeof api.contactVersions>>['items'] | null>(null);
  const { error, run } = useSubmit();
  const kind = isOneOf(CONTACT_KINDS, c.kind) ? t(`contacts.kinds.${c.kind}`) : c.kind;
  return (
    <li data-testid="contact">
      <p>
        <strong>{formatDateTime(c.at)}</strong> · {kind} · {c.minutes} min
        {c.noShow && <span className="badge badge-danger">{t('contacts.noShow')}</span>}
      </p>
      {c.supportPersons && (
        <p>
          {t('contacts.supportPersons')}: {c.supportPersons}
        </p>
      )}
      {c.otherOrganizations && (
        <p>
          {t('contacts.otherOrganizations')}: {c.otherOrganizations}
        </p>
      )}
      {c.note && <p className="note">{c.note}</p>}
      {c.version > 1 && (
        <p className="hint">
          {t('contacts.changed', { name: c.updatedByDisplayName ?? '', date: formatDateTime(c.updatedAt) })}
        </p>
      )}
      <div className="actions">
        {onEdit && (
          <button type="button" className="button secondary" onClick={onEdit}>
            {t('contacts.edit')}
          </button>
        )}
        {c.version > 1 && versions === null && (
          <button
            type="button"
            className="button secondary"
            onClick={() => void run(async () => setVersions((await api.contactVersions(trajectoryId, c.id)).items))}
          >
            {t('contacts.versions')}
          </button>
        )}
      </div>
      <ErrorAlert error={error} />
      {versions && (
        <ul aria-label={t('contacts.versions')}>
          {versions.length === 0 && <li>{t('contacts.noVersions')}</li>}
          {versions.map((v) => (
            <li key={v.version}>
              {t('contacts.version', {
                n: v.version,
                name: v.writtenByDisplayName ?? '',
                date: formatDateTime(v.writtenAt),
              })}
              : {formatDateTime(v.at)} · {v.minutes} min{v.note ? ` — ${v.note}` : ''}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function History({ trajectory: tr }: { trajectory: Trajectory }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">{t('trajectory.history')}</h2>
      <table className="table" data-testid="trajectory-history">
        <caption className="visually-hidden">{t('trajectory.historyCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('trajectory.when')}</th>
            <th scope="col">{t('trajectory.step')}</th>
            <th scope="col">{t('common.status')}</th>
            <th scope="col">{t('trajectory.who')}</th>
            <th scope="col">{t('trajectory.why')}</th>
          </tr>
        </thead>
        <tbody>
          {tr.history.map((h, i) => (
            <tr key={i}>
              <td>{formatDateTime(h.at)}</td>
              <td>{isOneOf(EVENT_KEYS, h.action) ? t(`trajectory.events.${h.action}`) : h.action}</td>
              <td>
                {isOneOf(TRAJECTORY_STATUSES, h.toStatus) ? t(`trajectories.statuses.${h.toStatus}`) : h.toStatus}
              </td>
              <td>{h.actorDisplayName ?? t('common.none')}</td>
              <td>
                {h.reason && isOneOf(TRAJECTORY_CLOSE_REASONS, h.reason)
                  ? t(`trajectory.reasons.${h.reason}`)
                  : (h.reason ?? '')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
