import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  api,
  ProblemError,
  type Answers,
  type HelpRequestDetail,
  type Instrument,
  type Screening,
  type ScreeningResult,
} from '../../api';
import { formatDateTime } from '../../format';
import { useLoad } from '../../hooks';
import { bandLabel, isEnabled, pruneAnswers, useInstruments, useLocalText } from '../../intake';
import { ErrorAlert, Loading, useFocusAfterRender, useFocusOnError } from '../Alerts';
import { useConfirm } from '../ConfirmDialog';
import { RiskBadge } from '../RiskBadge';
import { Field } from '../Field';
import { ScoreHistory } from './ScoreHistory';

interface Props {
  request: HelpRequestDetail;
  canWrite: boolean;
  /** after a screening was stored: the help request (signals, crisis actions) must be read again */
  onSaved: (result: ScreeningResult) => void;
}

/** (c) Screening: choose an instrument, answer its items (skipped ones hidden), see score, band, subscales and flags. */
export function ScreeningSection({ request, canWrite, onSaved }: Props) {
  const focusAfterRender = useFocusAfterRender();
  const { t } = useTranslation();
  const local = useLocalText();
  const { instruments, byId, loading, error: loadError } = useInstruments();
  const [instrumentId, setInstrumentId] = useState('');
  const [answers, setAnswers] = useState<Answers>({});
  const [error, setError] = useState<unknown>(null);
  const [itemErrors, setItemErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const { ref: formRef, failed } = useFocusOnError();
  const [result, setResult] = useState<ScreeningResult | null>(null);
  const [confirm, dialog] = useConfirm();
  const resultRef = useRef<HTMLHeadingElement>(null);
  const history = useLoad(
    () => (request.clientId ? api.clientScreenings(request.clientId) : Promise.resolve({ items: [] as Screening[] })),
    [request.clientId, request.screenings.length],
  );

  const def = instrumentId ? byId.get(instrumentId) : undefined;
  const enabled = def ? def.items.filter((item) => isEnabled(item, answers)) : [];
  const answered = enabled.filter((item) => answers[item.id] !== undefined).length;
  const open = canWrite && request.status !== 'closed';

  function chooseInstrument(id: string) {
    setInstrumentId(id);
    setAnswers({});
    setItemErrors({});
    setError(null);
  }

  function answer(def: Instrument, itemId: string, value: string | number) {
    setAnswers((a) => pruneAnswers(def, { ...a, [itemId]: value }));
    setItemErrors((e) => {
      const { [itemId]: _gone, ...rest } = e;
      return rest;
    });
  }

  /** Digits choose an option of the question that has focus: 1 is the first option. */
  function digitKeys(e: KeyboardEvent<HTMLFieldSetElement>, def: Instrument, itemId: string) {
    if (e.altKey || e.ctrlKey || e.metaKey || !/^[1-9]$/.test(e.key)) return;
    const item = def.items.find((i) => i.id === itemId);
    const option = item?.options[Number(e.key) - 1];
    if (!item || !option) return;
    e.preventDefault();
    answer(def, itemId, option.value);
    document.getElementById(`scr-${def.id}-${itemId}-${Number(e.key) - 1}`)?.focus();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!def) return;
    setError(null);
    // a required item (PHQ-9 item 9) is never estimated: it must be answered before saving
    const requiredOpen = enabled.filter((item) => item.required && answers[item.id] === undefined);
    if (requiredOpen.length) {
      setItemErrors(Object.fromEntries(requiredOpen.map((item) => [item.id, t('screening.requiredItem')])));
      document.getElementById(`scr-${def.id}-${requiredOpen[0]!.id}-0`)?.focus();
      return;
    }
    const missing = enabled.length - answered;
    if (missing > 0) {
      const ok = await confirm({
        title: t('screening.incompleteTitle'),
        message: t('screening.incompleteMessage', { count: missing }),
        confirmLabel: t('screening.saveAnyway'),
      });
      if (!ok) return;
    }
    setBusy(true);
    try {
      const saved = await api.addScreening(request.id, { instrument: def.id, answers });
      setResult(saved);
      setInstrumentId('');
      setAnswers({});
      setItemErrors({});
      onSaved(saved);
      focusAfterRender(resultRef);
    } catch (err) {
      setError(err);
      if (err instanceof ProblemError) {
        const byItem: Record<string, string> = {};
        for (const f of err.fieldErrors) {
          const m = /^answers\.(.+)$/.exec(f.field);
          if (m?.[1]) byItem[m[1]] = f.message;
        }
        setItemErrors(byItem);
      }
      failed();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="screening-title" data-testid="screening-section">
      <h2 id="screening-title">{t('screening.title')}</h2>
      <ErrorAlert error={loadError} />
      {dialog}

      {open && (
        <form onSubmit={(e) => void submit(e)} noValidate ref={formRef}>
          <Field
            id="screening-instrument"
            label={t('screening.instrument')}
            hint={loading ? t('app.loading') : undefined}
          >
            {(control) => (
              <select {...control} value={instrumentId} onChange={(e) => chooseInstrument(e.target.value)}>
                <option value="">{t('screening.instrumentChoose')}</option>
                {instruments.map((i) => (
                  <option key={i.id} value={i.id}>
                    {local(i.title)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {def && (
            <>
              <p>{local(def.description)}</p>
              <p className="hint">{t('screening.keyboardHint')}</p>
              <ErrorAlert error={error} />
              <ol className="questions">
                {enabled.map((item) => {
                  const number = def.items.indexOf(item) + 1;
                  const err = itemErrors[item.id];
                  return (
                    <li key={item.id}>
                      <fieldset
                        className={`field question${err ? ' field-invalid' : ''}`}
                        aria-describedby={err ? `scr-${def.id}-${item.id}-error` : undefined}
                        onKeyDown={(e) => digitKeys(e, def, item.id)}
                        data-item={item.id}
                      >
                        <legend>
                          {number}. {local(item.text)}
                          {item.required && <span className="required-mark"> ({t('screening.required')})</span>}
                        </legend>
                        <div className="radio-row">
                          {item.options.map((o, i) => {
                            const inputId = `scr-${def.id}-${item.id}-${i}`;
                            return (
                              <div className="radio" key={String(o.value)}>
                                <input
                                  type="radio"
                                  id={inputId}
                                  name={`scr-${def.id}-${item.id}`}
                                  checked={answers[item.id] === o.value}
                                  onChange={() => answer(def, item.id, o.value)}
                                />
                                <label htmlFor={inputId}>{local(o.label)}</label>
                              </div>
                            );
                          })}
                        </div>
                        {err && (
                          <p className="field-error" id={`scr-${def.id}-${item.id}-error`}>
                            {err}
                          </p>
                        )}
                      </fieldset>
                    </li>
                  );
                })}
              </ol>
              <p className="hint" data-testid="screening-progress">
                {t('screening.progress', { answered, total: enabled.length })}
                {def.items.length > enabled.length &&
                  ` ${t('screening.skipped', { count: def.items.length - enabled.length })}`}
              </p>
              <SourceNote def={def} />
              <div className="actions">
                <button type="submit" className="button primary" disabled={busy}>
                  {t('screening.save')}
                </button>
              </div>
            </>
          )}
        </form>
      )}

      {result && (
        <div className="screening-result" data-testid="screening-result">
          <h3 ref={resultRef} tabIndex={-1}>
            {t('screening.resultTitle', {
              instrument: byId.get(result.instrument) ? local(byId.get(result.instrument)!.title) : result.instrument,
            })}
          </h3>
          <ScreeningResultView screening={result} def={byId.get(result.instrument)} withSource={false} />
          {byId.get(result.instrument) && <SourceNote def={byId.get(result.instrument)!} />}
          {result.safetySignal && (
            <p className="alert alert-warning" data-testid="screening-signal">
              {t('screening.signalRaised')}
            </p>
          )}
        </div>
      )}

      <h3>{t('screening.doneTitle')}</h3>
      {request.screenings.length === 0 ? (
        <p className="empty">{t('screening.none')}</p>
      ) : (
        <ul className="plain screening-list">
          {[...request.screenings].reverse().map((s) => {
            const d = byId.get(s.instrument);
            return (
              <li key={s.id} className="screening-item">
                <h4>
                  {d ? local(d.title) : s.instrument} ·{' '}
                  <span className="muted">{formatDateTime(s.administeredAt)}</span>
                </h4>
                <ScreeningResultView screening={s} def={d} />
              </li>
            );
          })}
        </ul>
      )}

      {request.clientId && (history.loading && !history.data ? <Loading /> : null)}
      <ErrorAlert error={history.error} />
      {history.data && history.data.items.length > 0 && (
        <ScoreHistory screenings={history.data.items} byId={byId} currentHelpRequestId={request.id} />
      )}
    </section>
  );
}

/** Citation and licence of an instrument. */
export function SourceNote({ def }: { def: Instrument }) {
  const { t } = useTranslation();
  const local = useLocalText();
  return (
    <dl className="details small source-note">
      <dt>{t('screening.citation')}</dt>
      <dd>{def.citation}</dd>
      <dt>{t('screening.licence')}</dt>
      <dd>{local(def.licence)}</dd>
      {def.missingData && (
        <>
          <dt>{t('screening.missingData')}</dt>
          <dd>{local(def.missingData)}</dd>
        </>
      )}
      <dt>{t('screening.version')}</dt>
      <dd>{def.version}</dd>
    </dl>
  );
}

/** Score (of the possible range), band, subscales, flags, and what was missing. */
export function ScreeningResultView({
  screening: s,
  def,
  withSource = true,
}: {
  screening: Screening;
  def: Instrument | undefined;
  withSource?: boolean;
}) {
  const { t } = useTranslation();
  const local = useLocalText();
  const none = t('common.none');
  const itemNumber = (id: string) => (def ? String(def.items.findIndex((i) => i.id === id) + 1) : id);
  return (
    <>
      <dl className="details result-details">
        <dt>{t('screening.score')}</dt>
        <dd data-testid="screening-score">
          {s.score === null
            ? t('screening.noScore')
            : def
              ? t('screening.scoreOf', { score: s.score, min: def.scoring.total.min, max: def.scoring.total.max })
              : s.score}
          {s.imputed && <span className="muted"> · {t('screening.imputed')}</span>}
        </dd>
        <dt>{t('screening.band')}</dt>
        <dd data-testid="screening-band">{(s.bandLabel ?? bandLabel(def, s.band, local)) || none}</dd>
        {s.subscales.length > 0 && (
          <>
            <dt>{t('screening.subscales')}</dt>
            <dd>
              <ul className="plain">
                {s.subscales.map((sub) => {
                  const subDef = def?.scoring.subscales?.find((x) => x.id === sub.id);
                  return (
                    <li key={sub.id}>
                      {subDef ? local(subDef.title) : sub.id}: {sub.score ?? none}
                      {subDef && sub.score !== null && ` ${t('screening.ofMax', { max: subDef.max })}`}
                      {sub.band && ` (${bandLabel(def, sub.band, local, sub.id)})`}
                    </li>
                  );
                })}
              </ul>
            </dd>
          </>
        )}
        <dt>{t('screening.risk')}</dt>
        <dd data-testid="screening-risk">
          <RiskBadge level={s.riskLevel} compact />
        </dd>
        <dt>{t('screening.flags')}</dt>
        <dd>
          {s.flags.length === 0 ? (
            t('screening.noFlags')
          ) : (
            <ul className="plain">
              {s.flags.map((f) => (
                <li key={f.code} className={`flag flag-${f.riskLevel}`}>
                  <RiskBadge level={f.riskLevel} compact /> {f.label}
                </li>
              ))}
            </ul>
          )}
        </dd>
        {s.missing.length > 0 && (
          <>
            <dt>{t('screening.missing')}</dt>
            <dd>{s.missing.map(itemNumber).join(', ')}</dd>
          </>
        )}
      </dl>
      {withSource && def && (
        <details className="source">
          <summary>{t('screening.sourceTitle')}</summary>
          <SourceNote def={def} />
        </details>
      )}
    </>
  );
}
