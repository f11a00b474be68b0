import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  api,
  SIGNAL_KINDS,
  SIGNAL_LEVELS,
  type CrisisActions,
  type HelpRequestDetail,
  type SafetySignal,
  type SignalKind,
  type SignalLevel,
} from '../../api';
import { formatDateTime, formatPhone, phoneHref } from '../../format';
import { useSubmit } from '../../hooks';
import { useInstruments, useLocalText } from '../../intake';
import { useLabels } from '../../labels';
import { ErrorAlert, useFocusAfterRender } from '../Alerts';
import { Field, TextAreaField } from '../Field';
import { RadioGroup } from '../RadioGroup';
import { RiskBadge } from '../RiskBadge';

/** High or acute: a safety action must be recorded (server: core/risk.ts isHighRisk). */
const needsAction = (level: string) => level === 'high' || level === 'acute';

/**
 * The prominent box of a high risk: the crisis lines (tap to call) and the network's crisis offers.
 * It is an alert, so a screen reader announces it as soon as it appears.
 */
export function CrisisAlert({ actions }: { actions: CrisisActions }) {
  const { t } = useTranslation();
  const lineLabel = (label: string, number: string) =>
    number === '1813' ? t('safety.line1813') : number === '112' ? t('safety.line112') : label;
  return (
    <section className="alert alert-crisis" role="alert" aria-labelledby="crisis-title" data-testid="crisis-alert">
      <h2 id="crisis-title">{t('safety.crisisTitle')}</h2>
      <p>{t('safety.crisisIntro')}</p>
      <ul className="crisis-lines">
        {actions.phoneNumbers.map((p) => (
          <li key={p.number}>
            <a href={`tel:${p.number}`} className="crisis-number">
              {lineLabel(p.label, p.number)}: <strong>{p.number}</strong>
            </a>
          </li>
        ))}
      </ul>
      {actions.offers.length > 0 && (
        <>
          <h3>{t('safety.crisisOffers')}</h3>
          <ul className="list">
            {actions.offers.map((o) => (
              <li key={o.id}>
                <Link to={`/offers/${o.id}`}>{o.name}</Link> — {o.organizationName}
                {o.phone && (
                  <>
                    {' · '}
                    <a href={phoneHref(o.phone)}>{formatPhone(o.phone)}</a>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="crisis-next">{t('safety.crisisNext')}</p>
    </section>
  );
}

interface Props {
  request: HelpRequestDetail;
  canWrite: boolean;
  onChanged: (message: string) => void;
}

/** (d) Safety: the signals with the action taken for each, and a signal raised by hand. */
export function SafetySection({ request, canWrite, onChanged }: Props) {
  const focusAfterRender = useFocusAfterRender();
  const { t } = useTranslation();
  const labels = useLabels();
  const [raising, setRaising] = useState(false);
  const raiseButton = useRef<HTMLButtonElement>(null);
  const open = canWrite && request.status !== 'closed';
  const pending = request.safetySignals.filter((s) => needsAction(s.level) && !s.actionTaken).length;

  return (
    <section className="card" aria-labelledby="safety-title" data-testid="safety-section">
      <div className="section-head">
        <h2 id="safety-title">{t('safety.title')}</h2>
        {open && !raising && (
          <button type="button" className="button secondary" ref={raiseButton} onClick={() => setRaising(true)}>
            {t('safety.raise')}
          </button>
        )}
      </div>
      {pending > 0 && <p className="alert alert-error">{t('safety.actionPending', { count: pending })}</p>}
      {request.safetySignals.length === 0 ? (
        <p className="empty">{t('safety.none')}</p>
      ) : (
        <ul className="plain signal-list">
          {request.safetySignals.map((s) => (
            <SignalItem
              key={s.id}
              signal={s}
              request={request}
              canWrite={open}
              onSaved={() => onChanged(t('safety.actionSaved'))}
            />
          ))}
        </ul>
      )}
      {raising && (
        <RaiseSignalForm
          helpRequestId={request.id}
          onCancel={() => {
            setRaising(false);
            focusAfterRender(raiseButton);
          }}
          onRaised={(signal) => {
            setRaising(false);
            onChanged(t('safety.raised', { kind: labels.signalKind(signal.kind) }));
          }}
        />
      )}
    </section>
  );
}

function SignalItem({
  signal: s,
  request,
  canWrite,
  onSaved,
}: {
  signal: SafetySignal;
  request: HelpRequestDetail;
  canWrite: boolean;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const local = useLocalText();
  const { byId } = useInstruments();
  const [action, setAction] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const { error, errors, busy, run, formRef, failed } = useSubmit();
  const high = needsAction(s.level);
  const screening = s.screeningId ? request.screenings.find((x) => x.id === s.screeningId) : undefined;
  const instrument = screening ? byId.get(screening.instrument) : undefined;
  const headingId = `signal-${s.id}-title`;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (action.trim().length < 3) {
      setFieldError(t('safety.actionRequired'));
      failed();
      return;
    }
    setFieldError(undefined);
    void run(async () => {
      await api.recordSafetyAction(s.id, action.trim());
      setAction('');
      onSaved();
    });
  }

  return (
    <li className={`signal signal-${s.level}`} data-testid="safety-signal">
      <h3 id={headingId} className="h3">
        {labels.signalKind(s.kind)} <RiskBadge level={s.level} />
      </h3>
      <p className="small muted">
        {s.source === 'screening' && instrument
          ? t('safety.fromScreening', { instrument: local(instrument.title) })
          : labels.signalSource(s.source)}
        {' · '}
        {formatDateTime(s.raisedAt)}
        {s.acknowledgedAt && ` · ${t('safety.acknowledgedAt', { date: formatDateTime(s.acknowledgedAt) })}`}
      </p>
      {s.note && <p className="prewrap">{s.note}</p>}
      {s.actionTaken ? (
        <dl className="details">
          <dt>{t('safety.actionTaken')}</dt>
          <dd className="prewrap">
            {s.actionTaken}
            {s.actionRecordedAt && <span className="muted small"> ({formatDateTime(s.actionRecordedAt)})</span>}
          </dd>
        </dl>
      ) : canWrite ? (
        <form onSubmit={submit} noValidate className="signal-action" ref={formRef}>
          <ErrorAlert error={error} />
          <TextAreaField
            id={`signal-${s.id}-action`}
            label={t('safety.actionTaken')}
            hint={t('safety.actionHint')}
            value={action}
            onChange={setAction}
            error={fieldError ?? errors.actionTaken}
            required={high}
            rows={3}
            maxLength={5000}
          />
          <button type="submit" className="button primary" disabled={busy}>
            {t('safety.saveAction')}
          </button>
        </form>
      ) : (
        <p className="muted">{t('safety.noAction')}</p>
      )}
    </li>
  );
}

/** The order of the kinds in the raise form, the default (family violence) first; each kind of the server needs its place. */
const RAISE_ORDER: Record<SignalKind, number> = {
  'family-violence': 0,
  'unsafe-home': 1,
  'suicide-risk': 2,
  'suicide-high-risk': 3,
  other: 4,
};
const RAISE_KINDS = [...SIGNAL_KINDS].sort((a, b) => RAISE_ORDER[a] - RAISE_ORDER[b]);

function RaiseSignalForm({
  helpRequestId,
  onCancel,
  onRaised,
}: {
  helpRequestId: string;
  onCancel: () => void;
  onRaised: (s: SafetySignal) => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [kind, setKind] = useState<SignalKind>('family-violence');
  const [level, setLevel] = useState<SignalLevel | ''>('');
  const [note, setNote] = useState('');
  const [levelError, setLevelError] = useState<string | undefined>(undefined);
  const { error, errors, busy, run, formRef, failed } = useSubmit();

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!level) {
      setLevelError(t('errors.fieldRequired'));
      failed();
      return;
    }
    setLevelError(undefined);
    void run(async () => {
      const signal = await api.raiseSignal(helpRequestId, { kind, level, note: note.trim() || null });
      onRaised(signal);
    });
  }

  return (
    <form onSubmit={submit} noValidate className="subform" aria-labelledby="raise-title" ref={formRef}>
      <h3 id="raise-title">{t('safety.raiseTitle')}</h3>
      <ErrorAlert error={error} />
      <Field id="raise-kind" label={t('safety.kind')} error={errors.kind} required>
        {(control) => (
          <select {...control} autoFocus value={kind} onChange={(e) => setKind(e.target.value as SignalKind)}>
            {RAISE_KINDS.map((k) => (
              <option key={k} value={k}>
                {labels.signalKind(k)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <RadioGroup
        id="raise-level"
        legend={t('safety.level')}
        options={SIGNAL_LEVELS.map((l) => ({
          value: l,
          label: labels.riskLevel(l),
          hint: t(`risk.hints.${l}`),
        }))}
        value={level}
        onChange={setLevel}
        error={levelError ?? errors.level}
        required
      />
      <TextAreaField
        id="raise-note"
        label={t('safety.note')}
        value={note}
        onChange={setNote}
        error={errors.note}
        rows={3}
        maxLength={5000}
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {t('safety.raiseSubmit')}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
