import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import {
  api, CLOSE_WITHOUT_CONTACT_REASONS, DECLINE_REASONS, ProblemError,
  type Client, type CloseWithoutContactReason, type DeclineReason, type Referral, type ReferralAction, type ReferralSnapshot, type TransitionInput,
} from '../api';
import { useAuth, useMe } from '../auth';
import { useTaxonomy } from '../catalogue';
import { ErrorAlert, LoadFailed, Loading, StatusMessage } from '../components/Alerts';
import { ClientPicker } from '../components/ClientPicker';
import { useConfirm } from '../components/ConfirmDialog';
import { Field, TextAreaField, TextField } from '../components/Field';
import { RadioGroup } from '../components/RadioGroup';
import { formatBirth, formatDate, formatDateTime, languageName } from '../format';
import { useDocumentTitle, useLoad, useSubmit } from '../hooks';
import { bandLabel, flagLabel, todayIso, useInstruments, useLocalText } from '../intake';
import { useLabels } from '../labels';
import { useMunicipalities } from '../municipalities';
import { markReferralNotificationsRead } from '../notifications';
import { OverdueBadge, PriorityBadge } from './ReferralsPage';

const SIMPLE_ACTIONS: readonly ReferralAction[] = ['receive', 'accept', 'first-contact', 'missed', 'complete'];
const REGISTERABLE = ['accepted', 'scheduled', 'first-contact', 'missed', 'completed'];

/** A 409 from a transition: someone else acted first, or the referral moved on since it was loaded. */
function isConflict(error: unknown): boolean {
  return error instanceof ProblemError && error.status === 409;
}

/**
 * One referral as either party sees it: the shared data (or a clear message once consent is withdrawn),
 * the whole timeline, and the steps allowed now, each with the fields it needs. A step that comes too late
 * (409) says so and offers to reload, instead of overwriting what someone else did.
 */
export function ReferralDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const { can } = useAuth();
  const labels = useLabels();
  const referral = useLoad(() => api.referral(id), [id]);
  const [flash, setFlash] = useState<string | null>(null);
  useDocumentTitle(referral.data?.offerName ?? t('referral.title'));

  // opening the referral reads its notifications
  useEffect(() => {
    if (referral.data?.id) void markReferralNotificationsRead(referral.data.id).catch(() => undefined);
  }, [referral.data?.id]);

  if (referral.loading && !referral.data) return <Loading />;
  if (!referral.data) {
    return (
      <LoadFailed
        back={
          <p className="breadcrumb">
            <Link to="/referrals">{t('referrals.title')}</Link>
          </p>
        }
        title={t('referral.title')}
        error={referral.error}
        notFound={t('referral.notFound')}
      />
    );
  }
  const r = referral.data;
  const org = me.membership.organizationId;
  const isSender = r.senderOrganizationId === org;
  const isReceiver = r.receiverOrganizationId === org;
  const mayWrite = can('referral:write');

  function updated(next: Referral, message: string) {
    referral.setData(next);
    setFlash(message);
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to={isReceiver ? '/referrals' : '/referrals?box=outgoing'}>{t('referrals.title')}</Link>
      </p>
      <div className="page-head">
        <h1>{r.offerName ?? t('referral.title')}</h1>
        <PriorityBadge priority={r.priority} />
        <span className="badge badge-status" data-testid="referral-status">
          {labels.referralStatus(r.status)}
        </span>
        {r.overdue.any && <OverdueBadge />}
      </div>
      <p className="lead">
        {isReceiver && !isSender
          ? t('referral.fromOrg', { organization: r.senderOrganizationName ?? '' })
          : t('referral.toOrg', { organization: r.receiverOrganizationName ?? '' })}
      </p>
      <StatusMessage message={flash} />
      {r.overdue.answer && <p className="alert alert-error">{t('referral.overdueAnswer', { date: formatDateTime(r.answerDueAt) })}</p>}
      {r.overdue.firstContact && r.firstContactDueAt && (
        <p className="alert alert-error">{t('referral.overdueFirstContact', { date: formatDateTime(r.firstContactDueAt) })}</p>
      )}
      {r.overdue.waitlist && r.expectedDate && <p className="alert alert-error">{t('referral.overdueWaitlist', { date: formatDate(r.expectedDate) })}</p>}
      {isSender && r.bridgingRequested && <p className="alert alert-warning">{t('bridging.requested')}</p>}

      {mayWrite && r.allowedActions.length > 0 && <ActionsPanel referral={r} onDone={updated} onReload={referral.reload} />}

      <Details referral={r} isSender={isSender} />
      <Snapshot referral={r} />
      {isSender && mayWrite && (r.status === 'waitlisted' || r.bridgingSupport.length > 0) && <Bridging referral={r} onDone={updated} />}
      {!isSender && r.bridgingSupport.length > 0 && <BridgingList referral={r} />}
      {isReceiver && mayWrite && <Register referral={r} onDone={updated} />}
      <Timeline referral={r} />
    </>
  );
}

/** The steps allowed now: one press for the simple ones, a small form for those that need a reason or a date. */
function ActionsPanel({ referral: r, onDone, onReload }: { referral: Referral; onDone: (r: Referral, message: string) => void; onReload: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { error, busy, run } = useSubmit();
  const [confirm, dialog] = useConfirm();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [declineReason, setDeclineReason] = useState<DeclineReason | ''>('');
  const [declineNote, setDeclineNote] = useState('');
  const [expectedDate, setExpectedDate] = useState('');
  const [waitNote, setWaitNote] = useState('');
  const [scheduledAt, setScheduledAt] = useState('');
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
      const ok = await confirm({ title: t('referral.completeTitle'), message: t('referral.completeMessage'), confirmLabel: labels.referralAction('complete') });
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
    if (Object.keys(errs).length) return;
    const ok = await confirm({ title: t('referral.declineTitle'), message: t('referral.declineMessage'), confirmLabel: labels.referralAction('decline'), danger: true });
    if (ok) act({ action: 'decline', reason: declineReason, note: declineNote.trim() || null });
  }

  function waitlist(e: FormEvent) {
    e.preventDefault();
    if (!expectedDate) {
      setErrors({ expectedDate: t('errors.fieldRequired') });
      return;
    }
    act({ action: 'waitlist', expectedDate, note: waitNote.trim() || null });
  }

  function schedule(e: FormEvent) {
    e.preventDefault();
    const when = scheduledAt ? new Date(scheduledAt) : null;
    if (!when || Number.isNaN(when.getTime())) {
      setErrors({ scheduledAt: t('errors.fieldRequired') });
      return;
    }
    act({ action: 'schedule', scheduledAt: when.toISOString() });
  }

  async function close(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!closeReason) errs.closeReason = t('referral.closeReasonRequired');
    if (closeReason === 'other' && !closeNote.trim()) errs.closeNote = t('referral.closeNoteRequired');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    const ok = await confirm({ title: t('referral.closeTitle'), message: t('referral.closeMessage'), confirmLabel: labels.referralAction('complete') });
    if (ok) act({ action: 'complete', reason: closeReason, note: closeNote.trim() || null });
  }

  async function cancel(e: FormEvent) {
    e.preventDefault();
    if (!cancelReason.trim()) {
      setErrors({ cancelReason: t('errors.fieldRequired') });
      return;
    }
    const ok = await confirm({ title: t('referral.cancelTitle'), message: t('referral.cancelMessage'), confirmLabel: labels.referralAction('cancel'), danger: true });
    if (ok) act({ action: 'cancel', reason: cancelReason.trim() });
  }

  const simpleOnes = SIMPLE_ACTIONS.filter((a) => allowed.has(a) && !(a === 'complete' && closesWithoutContact));

  return (
    <section className="card actions-panel" aria-labelledby="actions-title" data-testid="referral-actions">
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
            <button key={a} type="button" className={`button ${a === 'accept' ? 'primary' : 'secondary'}`} disabled={busy} onClick={() => void simple(a)}>
              {labels.referralAction(a)}
            </button>
          ))}
        </div>
      )}
      {allowed.has('schedule') && (
        <form onSubmit={schedule} noValidate className="subform action-form">
          <h3>{t('referral.scheduleTitle')}</h3>
          <TextField id="action-scheduled-at" label={t('referral.scheduledAt')} type="datetime-local" value={scheduledAt} onChange={setScheduledAt} error={errors.scheduledAt} required className="narrow-wide" />
          <button type="submit" className="button secondary" disabled={busy}>
            {labels.referralAction('schedule')}
          </button>
        </form>
      )}
      {closesWithoutContact && (
        <ReasonForm
          prefix="close" testId="close-without-contact" intro={t('referral.closeIntro')} reasons={CLOSE_WITHOUT_CONTACT_REASONS}
          reason={closeReason} onReason={setCloseReason} note={closeNote} onNote={setCloseNote}
          reasonError={errors.closeReason ?? errors.reason} noteError={errors.closeNote ?? errors.note}
          action="complete" buttonClass="secondary" busy={busy} onSubmit={(e) => void close(e)}
        />
      )}
      {allowed.has('waitlist') && (
        <form onSubmit={waitlist} noValidate className="subform action-form">
          <h3>{t('referral.waitlistTitle')}</h3>
          <TextField id="action-expected-date" label={t('referral.expectedDate')} type="date" min={todayIso()} value={expectedDate} onChange={setExpectedDate} error={errors.expectedDate} hint={t('referral.expectedDateHint')} required className="narrow" />
          <TextAreaField id="action-waitlist-note" label={t('referral.waitlistNote')} value={waitNote} onChange={setWaitNote} rows={2} maxLength={5000} />
          <button type="submit" className="button secondary" disabled={busy}>
            {labels.referralAction('waitlist')}
          </button>
        </form>
      )}
      {allowed.has('decline') && (
        <ReasonForm
          prefix="decline" reasons={DECLINE_REASONS}
          reason={declineReason} onReason={setDeclineReason} note={declineNote} onNote={setDeclineNote}
          reasonError={errors.reason} noteError={errors.note}
          action="decline" buttonClass="danger" busy={busy} onSubmit={(e) => void decline(e)}
        />
      )}
      {allowed.has('cancel') && (
        <form onSubmit={(e) => void cancel(e)} noValidate className="subform action-form">
          <h3>{t('referral.cancelHeading')}</h3>
          <TextAreaField id="action-cancel-reason" label={t('referral.cancelReason')} value={cancelReason} onChange={setCancelReason} error={errors.cancelReason ?? (allowed.has('decline') ? undefined : errors.reason)} rows={2} maxLength={2000} required />
          <button type="submit" className="button danger" disabled={busy}>
            {labels.referralAction('cancel')}
          </button>
        </form>
      )}
    </section>
  );
}

/** A closing action that needs one of a list of reasons, and a text when the reason is "other". */
function ReasonForm<R extends string>(props: {
  prefix: 'close' | 'decline'; testId?: string; intro?: string; reasons: readonly R[];
  reason: R | ''; onReason: (r: R | '') => void; note: string; onNote: (n: string) => void;
  reasonError?: string; noteError?: string; action: 'complete' | 'decline'; buttonClass: string; busy: boolean; onSubmit: (e: FormEvent) => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { prefix } = props;
  return (
    <form onSubmit={props.onSubmit} noValidate className="subform action-form" data-testid={props.testId}>
      <h3>{t(`referral.${prefix}Heading`)}</h3>
      {props.intro && <p className="hint">{props.intro}</p>}
      <Field id={`action-${prefix}-reason`} label={t(`referral.${prefix}Reason`)} error={props.reasonError} required>
        {(control) => (
          <select {...control} value={props.reason} onChange={(e) => props.onReason(e.target.value as R | '')}>
            <option value="">{t(`referral.${prefix}ReasonChoose`)}</option>
            {props.reasons.map((d) => (
              <option key={d} value={d}>
                {labels.declineReason(d as DeclineReason)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextAreaField
        id={`action-${prefix}-note`}
        label={t(`referral.${prefix}Note`)}
        hint={t(`referral.${prefix}NoteHint`)}
        value={props.note}
        onChange={props.onNote}
        error={props.noteError}
        required={props.reason === 'other'}
        rows={2}
        maxLength={5000}
      />
      <button type="submit" className={`button ${props.buttonClass}`} disabled={props.busy}>
        {labels.referralAction(props.action)}
      </button>
    </form>
  );
}

function Details({ referral: r, isSender }: { referral: Referral; isSender: boolean }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const none = t('common.none');
  const withoutContact = r.status === 'completed' && !r.firstContactAt;
  const reason = r.status === 'declined' || withoutContact ? labels.declineReason(r.statusReason) : r.statusReason;
  return (
    <section className="card" aria-labelledby="referral-details-title">
      <h2 id="referral-details-title">{t('referral.details')}</h2>
      <dl className="details">
        <dt>{t('common.status')}</dt>
        <dd>
          {labels.referralStatus(r.status)}
          {withoutContact && ` — ${t('referral.closedWithoutContact')}`}
        </dd>
        <dt>{t('referrals.priority')}</dt>
        <dd>{labels.urgency(r.priority)}</dd>
        <dt>{t('referrals.from')}</dt>
        <dd>{r.senderOrganizationName ?? none}</dd>
        <dt>{t('referrals.to')}</dt>
        <dd>{r.receiverOrganizationName ?? none}</dd>
        <dt>{t('referrals.offer')}</dt>
        <dd>
          <Link to={`/offers/${r.offerId}`}>{r.offerName ?? r.offerId}</Link>
        </dd>
        <dt>{t('referrals.sentAt')}</dt>
        <dd>{formatDateTime(r.createdAt)}</dd>
        <dt>{t('referral.answerDue')}</dt>
        <dd>{formatDateTime(r.answerDueAt)}</dd>
        {r.firstContactDueAt && (
          <>
            <dt>{t('referral.firstContactDue')}</dt>
            <dd>{formatDateTime(r.firstContactDueAt)}</dd>
          </>
        )}
        {r.expectedDate && (
          <>
            <dt>{t('referral.expectedDate')}</dt>
            <dd>{formatDate(r.expectedDate)}</dd>
          </>
        )}
        {r.scheduledAt && (
          <>
            <dt>{t('referral.scheduledAt')}</dt>
            <dd>{formatDateTime(r.scheduledAt)}</dd>
          </>
        )}
        {r.firstContactAt && (
          <>
            <dt>{t('referral.firstContactAt')}</dt>
            <dd>{formatDateTime(r.firstContactAt)}</dd>
          </>
        )}
        {reason && (
          <>
            <dt>{t('referral.statusReason')}</dt>
            <dd className="prewrap">{reason}</dd>
          </>
        )}
        <dt>{t('referral.message')}</dt>
        <dd className="prewrap">{r.message || none}</dd>
      </dl>
      {isSender && (r.helpRequestId || r.clientId) && (
        <p className="actions">
          {r.helpRequestId && <Link to={`/help-requests/${r.helpRequestId}`}>{t('referral.openHelpRequest')}</Link>}
          {r.clientId && <Link to={`/clients/${r.clientId}`}>{t('intake.openFile')}</Link>}
        </p>
      )}
    </section>
  );
}

/** What the consent covers, frozen at the moment of referral; nothing once the consent is withdrawn. */
function Snapshot({ referral: r }: { referral: Referral }) {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const taxonomy = useTaxonomy();
  const local = useLocalText();
  const { byId } = useInstruments();
  const { byCode } = useMunicipalities();
  const none = t('common.none');
  const s: ReferralSnapshot | null = r.snapshot;
  return (
    <section className="card" aria-labelledby="snapshot-title" data-testid="referral-snapshot">
      <h2 id="snapshot-title">{t('referral.snapshotTitle')}</h2>
      {!r.consentActive || !s ? (
        <p className="alert alert-warning" data-testid="consent-withdrawn">
          {t('referral.consentWithdrawn')}
        </p>
      ) : (
        <>
          <p className="hint">
            {t('referral.snapshotIntro', { categories: (s.categories ?? []).map(labels.consentCategory).join(', ') || none })}
          </p>
          {s.contact && (
            <>
              <h3>{labels.consentCategory('contact')}</h3>
              <dl className="details">
                <dt>{t('clients.colName')}</dt>
                <dd>{s.contact.displayName}</dd>
                <dt>{t('clients.birth')}</dt>
                <dd>{formatBirth(s.contact.birthDate, s.contact.birthYear) || none}</dd>
                <dt>{t('clients.phone')}</dt>
                <dd>{s.contact.phone ? <a href={`tel:${s.contact.phone.replace(/[^\d+]/g, '')}`}>{s.contact.phone}</a> : none}</dd>
                <dt>{t('clients.email')}</dt>
                <dd>{s.contact.email ? <a href={`mailto:${s.contact.email}`}>{s.contact.email}</a> : none}</dd>
                <dt>{t('clients.preferredLanguage')}</dt>
                <dd>{s.contact.preferredLanguage ? languageName(s.contact.preferredLanguage, i18n.language) : none}</dd>
                <dt>{t('clients.municipality')}</dt>
                <dd>{s.contact.municipality ? (byCode.get(s.contact.municipality)?.name ?? s.contact.municipality) : none}</dd>
              </dl>
            </>
          )}
          {s.helpRequest && (
            <>
              <h3>{labels.consentCategory('help-request-summary')}</h3>
              <dl className="details">
                <dt>{t('intake.receivedAt')}</dt>
                <dd>{formatDateTime(s.helpRequest.receivedAt)}</dd>
                <dt>{t('intake.story')}</dt>
                <dd className="prewrap">{s.helpRequest.story}</dd>
                <dt>{t('intake.clarification')}</dt>
                <dd className="prewrap">{s.helpRequest.clarification || none}</dd>
                <dt>{t('intake.themes')}</dt>
                <dd>{s.helpRequest.themes.length ? s.helpRequest.themes.map(taxonomy.themeLabel).join(', ') : none}</dd>
                <dt>{t('intake.urgency')}</dt>
                <dd>{labels.urgency(s.helpRequest.urgency)}</dd>
                <dt>{t('indication.level')}</dt>
                <dd>{s.helpRequest.indicationLevel ? labels.level(s.helpRequest.indicationLevel) : none}</dd>
              </dl>
            </>
          )}
          {s.screenings && (
            <>
              <h3>{labels.consentCategory('screening-results')}</h3>
              {s.screenings.length === 0 ? (
                <p className="empty">{t('screening.none')}</p>
              ) : (
                <div className="table-wrap">
                  <table className="table table-compact">
                    <caption className="visually-hidden">{labels.consentCategory('screening-results')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('screening.colDate')}</th>
                        <th scope="col">{t('screening.instrument')}</th>
                        <th scope="col" className="numeric">
                          {t('screening.colScore')}
                        </th>
                        <th scope="col">{t('screening.colBand')}</th>
                        <th scope="col">{t('screening.colFlags')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {s.screenings.map((x, i) => {
                        const def = byId.get(x.instrument);
                        return (
                          <tr key={`${x.instrument}-${i}`}>
                            <td className="nowrap">{formatDateTime(x.administeredAt)}</td>
                            <td>{def ? local(def.title) : x.instrument}</td>
                            <td className="numeric">{x.score ?? none}</td>
                            <td>{bandLabel(def, x.band, local) || none}</td>
                            <td>{x.flags.length ? x.flags.map((f) => flagLabel(def, f, local)).join(', ') : none}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}

function Timeline({ referral: r }: { referral: Referral }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('referral.timelineTitle')}</h2>
      {r.timeline.length === 0 ? (
        <p className="empty">{t('referral.timelineEmpty')}</p>
      ) : (
        <ol className="timeline" data-testid="referral-timeline">
          {r.timeline.map((e, i) => (
            <li key={`${e.at}-${i}`} className={`timeline-event event-${e.action}`}>
              <p className="timeline-head">
                <strong>{labels.referralEvent(e.action)}</strong> <time dateTime={e.at}>{formatDateTime(e.at)}</time>
              </p>
              <p className="small muted">
                {e.by ?? t('audit.system')}
                {e.organizationName && ` · ${e.organizationName}`}
                {e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus && ` · ${labels.referralStatus(e.fromStatus)} → ${labels.referralStatus(e.toStatus)}`}
              </p>
              {e.reason && (
                <p>
                  {e.action === 'decline' || (e.action === 'complete' && e.fromStatus === 'missed')
                    ? t('referral.reasonIs', { reason: labels.declineReason(e.reason) })
                    : t('referral.reasonIs', { reason: e.reason })}
                </p>
              )}
              {e.note && <p className="prewrap">{e.note}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function BridgingList({ referral: r }: { referral: Referral }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="bridging-title">
      <h2 id="bridging-title">{t('bridging.title')}</h2>
      <ArrangedList referral={r} />
    </section>
  );
}

function ArrangedList({ referral: r }: { referral: Referral }) {
  const { t } = useTranslation();
  if (r.bridgingSupport.length === 0) return <p className="empty">{t('bridging.none')}</p>;
  return (
    <ul className="list" data-testid="bridging-list">
      {r.bridgingSupport.map((b) => (
        <li key={b.id}>
          <span className="muted small">{formatDateTime(b.arrangedAt)}</span>{' '}
          {b.offerId && b.offerName && (
            <>
              <Link to={`/offers/${b.offerId}`}>{b.offerName}</Link>:{' '}
            </>
          )}
          <span className="prewrap">{b.note}</span>
        </li>
      ))}
    </ul>
  );
}

/** While the person waits, the sender arranges bridging support and records what it is. */
function Bridging({ referral: r, onDone }: { referral: Referral; onDone: (r: Referral, message: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <section className="card" aria-labelledby="bridging-title" data-testid="bridging">
      <div className="section-head">
        <h2 id="bridging-title">{t('bridging.title')}</h2>
        {r.status === 'waitlisted' && !open && (
          <button type="button" className="button primary" onClick={() => setOpen(true)}>
            {t('bridging.arrange')}
          </button>
        )}
      </div>
      <ArrangedList referral={r} />
      {open && (
        <BridgingForm
          referral={r}
          onCancel={() => setOpen(false)}
          onDone={(next) => {
            setOpen(false);
            onDone(next, t('bridging.saved'));
          }}
        />
      )}
    </section>
  );
}

function BridgingForm({ referral: r, onCancel, onDone }: { referral: Referral; onCancel: () => void; onDone: (r: Referral) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const suggestions = useLoad(() => api.bridgingSuggestions(r.id), [r.id]);
  const [offerId, setOfferId] = useState<string>('');
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | undefined>(undefined);
  const { error, errors, busy, run } = useSubmit();
  const NONE = 'none';

  function submit(e: FormEvent) {
    e.preventDefault();
    if (note.trim().length < 2) {
      setNoteError(t('bridging.noteRequired'));
      return;
    }
    setNoteError(undefined);
    void run(async () => {
      onDone(await api.addBridging(r.id, { offerId: offerId && offerId !== NONE ? offerId : null, note: note.trim() }));
    });
  }

  return (
    <form onSubmit={submit} noValidate className="subform">
      <ErrorAlert error={error ?? suggestions.error} />
      {suggestions.loading && !suggestions.data && <Loading />}
      {suggestions.data && (
        <RadioGroup
          id="bridging-offer"
          legend={t('bridging.offer')}
          hint={suggestions.data.items.length === 0 ? t('bridging.noSuggestions') : t('bridging.offerHint')}
          options={[
            ...suggestions.data.items.map((s) => ({
              value: s.offerId,
              label: s.name,
              hint: `${s.organizationName} · ${labels.level(s.level)} · ${labels.capacity(s.capacity)}${s.waitDays ? ` · ${t('offers.waitDaysCount', { count: s.waitDays })}` : ''}`,
            })),
            { value: NONE, label: t('bridging.otherSupport') },
          ]}
          value={offerId}
          onChange={setOfferId}
          error={errors.offerId}
        />
      )}
      <TextAreaField id="bridging-note" label={t('bridging.note')} hint={t('bridging.noteHint')} value={note} onChange={setNote} error={noteError ?? errors.note} rows={3} maxLength={2000} required />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {t('bridging.save')}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** After accepting, the receiver takes the person into its own register (from the snapshot) or links a file it has. */
function Register({ referral: r, onDone }: { referral: Referral; onDone: (r: Referral, message: string) => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [existing, setExisting] = useState<Client | null>(null);
  const [linking, setLinking] = useState(false);
  const { error, busy, run } = useSubmit();

  if (r.receiverClientId) {
    return (
      <section className="card" aria-labelledby="register-title">
        <h2 id="register-title">{t('register.title')}</h2>
        <p>
          {t('register.done')} <Link to={`/clients/${r.receiverClientId}`}>{t('intake.openFile')}</Link>
        </p>
      </section>
    );
  }
  if (!REGISTERABLE.includes(r.status) || !r.consentActive) return null;

  function register(clientId: string | null) {
    void run(async () => {
      onDone(await api.registerReferralClient(r.id, clientId), t('register.saved'));
    });
  }

  return (
    <section className="card" aria-labelledby="register-title" data-testid="register-client">
      <h2 id="register-title">{t('register.title')}</h2>
      <p className="hint">{t('register.intro')}</p>
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="button" className="button primary" disabled={busy} onClick={() => register(null)}>
          {t('register.create')}
        </button>
        {can('client:search') && !linking && (
          <button type="button" className="button secondary" onClick={() => setLinking(true)}>
            {t('register.linkExisting')}
          </button>
        )}
      </div>
      {linking && (
        <div className="subform">
          <ClientPicker id="register-client" selected={existing} onSelect={setExisting} />
          <div className="actions">
            <button type="button" className="button primary" disabled={busy || !existing} onClick={() => existing && register(existing.id)}>
              {t('register.link')}
            </button>
            <button type="button" className="button secondary" onClick={() => setLinking(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
