import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import {
  AGE_BANDS,
  api,
  isOneOf,
  TRAJECTORY_MODULES,
  type AttendanceInput,
  type Client,
  type GroupDetail,
  type GroupSession,
} from '../../api';
import { useAuth } from '../../auth';
import { ErrorAlert, LoadFailed, Loading, StatusMessage } from '../../components/Alerts';
import { ClientPicker } from '../../components/ClientPicker';
import { useConfirm } from '../../components/ConfirmDialog';
import { DateField } from '../../components/DateField';
import { Field, TextField } from '../../components/Field';
import { isoDate, readTime } from '../../dates';
import { formatDateTime } from '../../format';
import { useDocumentTitle, useLoad, useSubmit } from '../../hooks';

const PUBLISHABLE = ['open', 'peer'];

/** One group: its data, publishing, the sessions with quick headcount entry and attendance sheets, the registrations. */
export function GroupDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const { can } = useAuth();
  const group = useLoad(() => api.group(id), [id]);
  const [flash, setFlash] = useState<string | null>((location.state as { flash?: string } | null)?.flash ?? null);
  useDocumentTitle(group.data?.title ?? t('groups.title'));

  if (group.loading && !group.data) return <Loading />;
  if (!group.data) {
    return (
      <LoadFailed
        back={
          <p className="breadcrumb">
            <Link to="/groups">{t('groups.title')}</Link>
          </p>
        }
        title={t('groups.title')}
        error={group.error}
        notFound={t('groupDetail.notFound')}
      />
    );
  }
  const g = group.data;
  const mayWrite = can('group:write');
  const done = (message: string) => {
    setFlash(message);
    group.reload();
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/groups">{t('groups.title')}</Link>
      </p>
      <div className="page-head">
        <h1>{g.title}</h1>
        <span className="badge">{t(`groups.audiences.${g.audience}`)}</span>
        {g.published && (
          <span className="badge badge-status" data-testid="group-published">
            {t('groups.published')}
          </span>
        )}
      </div>
      <StatusMessage message={flash} />
      <section className="card" aria-labelledby="group-data">
        <h2 id="group-data" className="visually-hidden">
          {g.title}
        </h2>
        <dl className="details">
          {g.description && (
            <>
              <dt>{t('groups.description')}</dt>
              <dd>{g.description}</dd>
            </>
          )}
          {g.module && (
            <>
              <dt>{t('groups.module')}</dt>
              <dd>{isOneOf(TRAJECTORY_MODULES, g.module) ? t(`trajectories.modules.${g.module}`) : g.module}</dd>
            </>
          )}
          {g.theme && (
            <>
              <dt>{t('groups.theme')}</dt>
              <dd>
                <ThemeLabel id={g.theme} />
              </dd>
            </>
          )}
          <dt>{t('groupDetail.facilitators')}</dt>
          <dd>{g.facilitators.map((f) => f.displayName).join(', ') || '—'}</dd>
          <dt>{t('groupDetail.where')}</dt>
          <dd>
            {[g.location, g.online ? (g.location ? t('groupDetail.onlineToo') : t('groupDetail.onlineOnly')) : null]
              .filter(Boolean)
              .join(' · ') || '—'}
          </dd>
          <dt>{t('groups.places')}</dt>
          <dd data-testid="group-places">
            {g.capacity === null
              ? t('groups.placesOpen', { registered: g.registered })
              : t('groups.placesOf', { registered: g.registered, capacity: g.capacity })}
            {g.waiting > 0 && ` · ${t('groups.waiting')}: ${g.waiting}`}
          </dd>
        </dl>
        {mayWrite && <CapacityForm group={g} onDone={done} />}
        {can('group:publish') && <Publication group={g} onDone={done} />}
      </section>
      <Sessions group={g} mayWrite={mayWrite} onDone={done} />
      <Registrations group={g} mayWrite={mayWrite} onDone={done} />
    </>
  );
}

/** More places move the waiting list up; fewer send nobody away (the server decides who). */
function CapacityForm({ group, onDone }: { group: GroupDetail; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const [capacity, setCapacity] = useState(group.capacity === null ? '' : String(group.capacity));
  const { error, errors, busy, run, formRef } = useSubmit();
  function submit(e: React.FormEvent) {
    e.preventDefault();
    void run(async () => {
      await api.updateGroup(group.id, { capacity: capacity === '' ? null : Number(capacity) });
      onDone(t('groupDetail.capacitySaved'));
    });
  }
  return (
    <form ref={formRef} onSubmit={submit} noValidate className="inline-fields" data-testid="capacity-form">
      <ErrorAlert error={error} />
      <TextField
        id="group-capacity-edit"
        label={t('groups.capacity')}
        hint={t('groups.capacityHint')}
        type="number"
        inputMode="numeric"
        min={1}
        max={10000}
        value={capacity}
        onChange={setCapacity}
        error={errors.capacity}
        className="narrow"
      />
      <div className="actions">
        <button type="submit" className="button secondary" disabled={busy}>
          {t('groupDetail.saveCapacity')}
        </button>
      </div>
    </form>
  );
}

function ThemeLabel({ id }: { id: string }) {
  const themes = useLoad(() => api.themes(), []);
  return <>{themes.data?.items.find((term) => term.id === id)?.label ?? id}</>;
}

function Publication({ group, onDone }: { group: GroupDetail; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const { error, busy, run } = useSubmit<HTMLDivElement>();
  if (!PUBLISHABLE.includes(group.audience)) return <p className="hint">{t('groupDetail.notPublishable')}</p>;
  const toggle = () =>
    void run(async () => {
      await api.publishGroup(group.id, !group.published);
      onDone(t(group.published ? 'groupDetail.unpublishDone' : 'groupDetail.publishDone'));
    });
  return (
    <div className="actions">
      <ErrorAlert error={error} />
      {group.published && (
        <p className="hint">
          {t('groupDetail.publishedNote')}{' '}
          {group.offerId && <Link to={`/aanbod/${group.offerId}`}>{t('groupDetail.viewOffer')}</Link>}
        </p>
      )}
      <button type="button" className="button secondary" disabled={busy} onClick={toggle}>
        {t(group.published ? 'groupDetail.unpublish' : 'groupDetail.publish')}
      </button>
    </div>
  );
}

function Sessions({
  group,
  mayWrite,
  onDone,
}: {
  group: GroupDetail;
  mayWrite: boolean;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation();
  const [sheetFor, setSheetFor] = useState<string | null>(null);
  const [confirm, dialog] = useConfirm();
  const cancel = useSubmit<HTMLDivElement>();

  async function cancelSession(s: GroupSession) {
    const when = formatDateTime(s.startsAt);
    const ok = await confirm({
      title: t('groupDetail.cancelTitle'),
      message: t('groupDetail.cancelMessage', { when }),
      confirmLabel: t('groupDetail.cancelConfirm'),
      danger: true,
    });
    if (!ok) return;
    void cancel.run(async () => {
      await api.cancelGroupSession(s.id, null);
      onDone(t('groupDetail.cancelled'));
    });
  }

  return (
    <section className="card" aria-labelledby="group-sessions">
      <h2 id="group-sessions">{t('groupDetail.sessions')}</h2>
      {dialog}
      <ErrorAlert error={cancel.error} />
      {group.sessions.length === 0 ? (
        <p className="empty" data-testid="sessions-empty">
          {t('groupDetail.noSessions')}
        </p>
      ) : (
        <table className="table" data-testid="sessions-table">
          <caption className="visually-hidden">{t('groupDetail.sessionsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('groupDetail.when')}</th>
              <th scope="col">{t('groupDetail.status')}</th>
              <th scope="col">{t('groupDetail.headcount')}</th>
              <th scope="col">{t('groupDetail.count')}</th>
              {mayWrite && <th scope="col">{t('groupDetail.sheet')}</th>}
            </tr>
          </thead>
          <tbody>
            {group.sessions.map((s) => (
              <SessionRow
                key={s.id}
                session={s}
                group={group}
                mayWrite={mayWrite}
                sheetOpen={sheetFor === s.id}
                onSheet={() => setSheetFor(sheetFor === s.id ? null : s.id)}
                onCancel={() => void cancelSession(s)}
                onDone={onDone}
              />
            ))}
          </tbody>
        </table>
      )}
      {mayWrite && <SessionForm groupId={group.id} onDone={onDone} />}
    </section>
  );
}

function SessionRow({
  session: s,
  group,
  mayWrite,
  sheetOpen,
  onSheet,
  onCancel,
  onDone,
}: {
  session: GroupSession;
  group: GroupDetail;
  mayWrite: boolean;
  sheetOpen: boolean;
  onSheet: () => void;
  onCancel: () => void;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation();
  const when = formatDateTime(s.startsAt);
  const cancelled = s.status === 'cancelled';
  return (
    <>
      <tr data-testid={`session-${s.id}`}>
        <th scope="row">
          {when} <span className="hint">({s.minutes} min)</span>
        </th>
        <td>
          {t(`groupDetail.statuses.${s.status}`)}
          {s.cancelReason ? ` — ${s.cancelReason}` : ''}
        </td>
        <td>
          {!cancelled && mayWrite ? <HeadcountForm session={s} when={when} onDone={onDone} /> : (s.headcount ?? '—')}
        </td>
        <td data-testid="session-count">{s.attendanceRecorded ? s.count : t('groupDetail.notRecorded')}</td>
        {mayWrite && (
          <td>
            {!cancelled && (
              <div className="actions">
                <button type="button" className="button secondary" aria-expanded={sheetOpen} onClick={onSheet}>
                  {t('groupDetail.sheet')}
                </button>
                {!s.attendanceRecorded && (
                  <button type="button" className="button danger" onClick={onCancel}>
                    {t('groupDetail.cancel')}
                  </button>
                )}
              </div>
            )}
          </td>
        )}
      </tr>
      {sheetOpen && (
        <tr>
          <td colSpan={5}>
            <AttendanceSheet session={s} group={group} when={when} onDone={onDone} onClose={onSheet} />
          </td>
        </tr>
      )}
    </>
  );
}

/** Quick headcount entry: type the number, press Enter. */
function HeadcountForm({
  session,
  when,
  onDone,
}: {
  session: GroupSession;
  when: string;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState(session.headcount === null ? '' : String(session.headcount));
  const { error, busy, run } = useSubmit();
  const inputId = `headcount-${session.id}`;
  function submit(e: React.FormEvent) {
    e.preventDefault();
    void run(async () => {
      const saved = await api.recordAttendance(session.id, {
        headcount: value === '' ? null : Number(value),
      });
      onDone(t('groupDetail.headcountSaved', { count: saved.count }));
    });
  }
  return (
    <form onSubmit={submit} noValidate className="inline-form">
      <label htmlFor={inputId} className="visually-hidden">
        {t('groupDetail.headcountFor', { when })}
      </label>
      <input
        id={inputId}
        type="number"
        inputMode="numeric"
        min={0}
        max={10000}
        className="narrow"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        aria-describedby={`${inputId}-hint`}
        data-testid="headcount-input"
      />
      <span id={`${inputId}-hint`} className="visually-hidden">
        {t('groupDetail.headcountHint')}
      </span>{' '}
      <button type="submit" className="button secondary" disabled={busy}>
        {t('groupDetail.saveHeadcount')}
      </button>
      <ErrorAlert error={error} />
    </form>
  );
}

function AttendanceSheet({
  session,
  group,
  when,
  onDone,
  onClose,
}: {
  session: GroupSession;
  group: GroupDetail;
  when: string;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const registered = group.registrations.filter((r) => r.status === 'registered');
  const [present, setPresent] = useState<Set<string>>(() => new Set(session.participants));
  const [headcount, setHeadcount] = useState(session.headcount === null ? '' : String(session.headcount));
  const [ageBand, setAgeBand] = useState(session.ageBand ?? '');
  const { error, errors, busy, run, formRef } = useSubmit();
  const prefix = `sheet-${session.id}`;

  function toggle(clientId: string, on: boolean) {
    const next = new Set(present);
    if (on) next.add(clientId);
    else next.delete(clientId);
    setPresent(next);
  }
  function submit(e: React.FormEvent) {
    e.preventDefault();
    void run(async () => {
      const saved = await api.recordAttendance(session.id, {
        headcount: headcount === '' ? null : Number(headcount),
        ageBand: ageBand || null,
        participants: [...present],
      } as AttendanceInput);
      onDone(t('groupDetail.headcountSaved', { count: saved.count }));
      onClose();
    });
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="subform" data-testid={prefix}>
      <h3>{t('groupDetail.sheetFor', { when })}</h3>
      <p className="hint">{t('groupDetail.sheetHint')}</p>
      <ErrorAlert error={error} />
      {registered.length === 0 ? (
        <p className="empty">{t('groupDetail.noRegistered')}</p>
      ) : (
        <fieldset>
          <legend>{t('groupDetail.registrations')}</legend>
          {registered.map((r) => (
            <div className="field" key={r.clientId}>
              <label>
                <input
                  type="checkbox"
                  checked={present.has(r.clientId)}
                  onChange={(e) => toggle(r.clientId, e.target.checked)}
                />{' '}
                {r.displayName}
              </label>
            </div>
          ))}
        </fieldset>
      )}
      <TextField
        id={`${prefix}-headcount`}
        label={t('groupDetail.headcount')}
        type="number"
        inputMode="numeric"
        min={0}
        max={10000}
        value={headcount}
        onChange={setHeadcount}
        error={errors.headcount}
        className="narrow"
      />
      <Field id={`${prefix}-ageBand`} label={t('groupDetail.ageBand')} error={errors.ageBand}>
        {(control) => (
          <select {...control} value={ageBand} onChange={(e) => setAgeBand(e.target.value)}>
            <option value="">{t('groups.noChoice')}</option>
            {AGE_BANDS.map((band) => (
              <option key={band} value={band}>
                {t(`groupDetail.ageBands.${band}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {t('groupDetail.saveSheet')}
        </button>
        <button type="button" className="button secondary" onClick={onClose}>
          {t('groupDetail.close')}
        </button>
      </div>
    </form>
  );
}

function SessionForm({ groupId, onDone }: { groupId: string; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const [day, setDay] = useState('');
  const [time, setTime] = useState('');
  const [minutes, setMinutes] = useState('90');
  const { error, errors, busy, run, formRef } = useSubmit();

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const dayIso = isoDate(day);
    const hour = readTime(time);
    const local = dayIso && hour ? `${dayIso}T${hour}` : '';
    // an unreadable day or hour is sent as typed, so the server names the field
    const startsAt = local && !Number.isNaN(Date.parse(local)) ? new Date(local).toISOString() : `${day} ${time}`;
    void run(async () => {
      await api.addGroupSession(groupId, { startsAt, minutes: minutes === '' ? 0 : Number(minutes) });
      setDay('');
      setTime('');
      onDone(t('groupDetail.sessionAdded'));
    });
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="subform" data-testid="session-form">
      <h3>{t('groupDetail.addSession')}</h3>
      <ErrorAlert error={error} />
      <div className="inline-fields">
        <DateField
          id="session-day"
          label={t('groupDetail.day')}
          value={day}
          onChange={setDay}
          required
          error={errors.startsAt}
        />
        <TextField
          id="session-time"
          label={t('groupDetail.time')}
          hint={t('dates.timeHint')}
          inputMode="numeric"
          autoComplete="off"
          maxLength={5}
          value={time}
          onChange={setTime}
          required
          className="narrow"
        />
        <TextField
          id="session-minutes"
          label={t('groupDetail.minutes')}
          type="number"
          inputMode="numeric"
          min={1}
          max={1440}
          value={minutes}
          onChange={setMinutes}
          required
          error={errors.minutes}
          className="narrow"
        />
      </div>
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {t('groupDetail.addSession')}
        </button>
      </div>
    </form>
  );
}

function Registrations({
  group,
  mayWrite,
  onDone,
}: {
  group: GroupDetail;
  mayWrite: boolean;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation();
  const [client, setClient] = useState<Client | null>(null);
  const [consent, setConsent] = useState(false);
  const [confirm, dialog] = useConfirm();
  const { error, errors, busy, run, formRef } = useSubmit();
  const withdraw = useSubmit<HTMLDivElement>();

  function submit(e: React.FormEvent) {
    e.preventDefault();
    void run(async () => {
      const answer = await api.registerForGroup(group.id, client?.id ?? '', consent);
      setClient(null);
      setConsent(false);
      onDone(t(answer.status === 'waiting' ? 'groupDetail.waitingDone' : 'groupDetail.registeredDone'));
    });
  }
  async function remove(clientId: string, name: string) {
    const ok = await confirm({
      title: t('groupDetail.withdrawTitle'),
      message: t('groupDetail.withdrawMessage', { name }),
      confirmLabel: t('groupDetail.withdraw'),
      danger: true,
    });
    if (!ok) return;
    void withdraw.run(async () => {
      const answer = await api.withdrawFromGroup(group.id, clientId);
      onDone(t(answer.promotedClientId ? 'groupDetail.promoted' : 'groupDetail.withdrawn'));
    });
  }

  return (
    <section className="card" aria-labelledby="group-registrations">
      <h2 id="group-registrations">{t('groupDetail.registrations')}</h2>
      {dialog}
      <ErrorAlert error={withdraw.error} />
      {group.registrations.length === 0 ? (
        <p className="empty">{t('groupDetail.noRegistrations')}</p>
      ) : (
        <table className="table" data-testid="registrations-table">
          <caption className="visually-hidden">{t('groupDetail.registrationsCaption')}</caption>
          <tbody>
            {group.registrations.map((r) => (
              <tr key={r.clientId}>
                <th scope="row">{r.displayName}</th>
                <td>{t(r.status === 'waiting' ? 'groupDetail.onWaitingList' : 'groupDetail.registered')}</td>
                {mayWrite && (
                  <td>
                    <button
                      type="button"
                      className="button secondary"
                      onClick={() => void remove(r.clientId, r.displayName)}
                    >
                      {t('groupDetail.withdraw')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mayWrite && (
        <form ref={formRef} onSubmit={submit} noValidate className="subform" data-testid="registration-form">
          <h3>{t('groupDetail.register')}</h3>
          <p className="hint">{t('groupDetail.registerHint')}</p>
          <ErrorAlert error={error} />
          <ClientPicker id="group-client" selected={client} onSelect={setClient} />
          <div className={`field${errors.consent ? ' field-invalid' : ''}`}>
            <label>
              <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />{' '}
              {t('groupDetail.consent')}
            </label>
            {errors.consent && <p className="field-error">{errors.consent}</p>}
          </div>
          <div className="actions">
            <button type="submit" className="button primary" disabled={busy || !client || !consent}>
              {t('groupDetail.register')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
