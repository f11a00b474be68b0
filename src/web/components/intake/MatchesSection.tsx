import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type HelpRequest, type HelpRequestDetail, type Suggestion } from '../../api';
import { useLoad, useSubmit } from '../../hooks';
import { useReadableReason } from '../../intake';
import { useLabels } from '../../labels';
import { ErrorAlert, Loading } from '../Alerts';
import { TextAreaField } from '../Field';

interface Props {
  request: HelpRequestDetail;
  canWrite: boolean;
  onChosen: (updated: HelpRequest, offerName: string) => void;
}

/**
 * (f) Suggestions: offers ranked by fit (stepped care), why each fits and what does not, the level of care
 * needed and why, and what can help while waiting. Choosing one records the choice; when it is not the top
 * suggestion, a reason is asked first.
 */
export function MatchesSection({ request, canWrite, onChosen }: Props) {
  const { t } = useTranslation();
  const labels = useLabels();
  // new screenings or a new indication change the ranking
  const matches = useLoad(
    () => api.matches(request.id),
    [request.id, request.updatedAt, request.screenings.length, request.safetySignals.length],
  );
  const open = canWrite && request.status !== 'closed';
  const [reasonFor, setReasonFor] = useState<string | null>(null);

  const data = matches.data;
  const top = data?.items[0]?.offerId ?? null;

  return (
    <section className="card" aria-labelledby="matches-title" data-testid="matches-section">
      <div className="section-head">
        <h2 id="matches-title" tabIndex={-1}>
          {t('matches.title')}
        </h2>
        <button type="button" className="button secondary small" onClick={matches.reload} disabled={matches.loading}>
          {t('matches.refresh')}
        </button>
      </div>
      <ErrorAlert error={matches.error} />
      {matches.loading && !data && <Loading />}
      {data && (
        <>
          <div className="needed-level" data-testid="needed-level">
            <p>
              {t('matches.neededLevel')} <strong>{labels.level(data.neededLevel.level)}</strong>
            </p>
            <p className="small">
              {data.neededLevel.basis === 'default'
                ? t('matches.basisDefault')
                : `${t('matches.becauseLabel')} ${data.neededLevel.because.map(labels.neededBecause).join('; ')}.`}
            </p>
          </div>
          {data.area.basis !== 'municipality' && (
            <p className="small" data-testid="match-area">
              {t(`matches.area.${data.area.basis}`, { names: data.area.names.join(', ') })} {t('matches.area.hint')}
            </p>
          )}
          {data.items.length === 0 ? (
            <div className="empty">
              <p>{t('matches.empty')}</p>
              <p>
                <Link to="/offers">{t('matches.searchCatalogue')}</Link>
              </p>
            </div>
          ) : (
            <ol className="suggestion-list">
              {data.items.map((s, i) => (
                <SuggestionCard
                  key={s.offerId}
                  suggestion={s}
                  rank={i + 1}
                  chosen={request.chosenOfferId === s.offerId}
                  canChoose={open}
                  isTop={s.offerId === top}
                  shownTop={top}
                  askingReason={reasonFor === s.offerId}
                  onAskReason={() => setReasonFor(s.offerId)}
                  onCancelReason={() => setReasonFor(null)}
                  onChosen={(updated) => {
                    setReasonFor(null);
                    onChosen(updated, s.name);
                  }}
                  helpRequestId={request.id}
                />
              ))}
            </ol>
          )}
          {data.whileWaiting.length > 0 && (
            <div className="while-waiting" data-testid="while-waiting">
              <h3>{t('matches.whileWaiting')}</h3>
              <p className="hint">{t('matches.whileWaitingIntro')}</p>
              <ul className="list">
                {data.whileWaiting.map((w) => (
                  <li key={w.offerId}>
                    <Link to={`/offers/${w.offerId}`}>{w.name}</Link> — {w.organizationName} · {labels.level(w.level)} ·{' '}
                    {labels.capacity(w.capacity)}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}

interface CardProps {
  suggestion: Suggestion;
  rank: number;
  chosen: boolean;
  canChoose: boolean;
  isTop: boolean;
  /** the top suggestion on screen: the server judges "a reason when it differs" against it, not against a newer ranking */
  shownTop: string | null;
  askingReason: boolean;
  onAskReason: () => void;
  onCancelReason: () => void;
  onChosen: (updated: HelpRequest) => void;
  helpRequestId: string;
}

function SuggestionCard({
  suggestion: s,
  rank,
  chosen,
  canChoose,
  isTop,
  shownTop,
  askingReason,
  onAskReason,
  onCancelReason,
  onChosen,
  helpRequestId,
}: CardProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const readable = useReadableReason();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>(undefined);
  const { error, errors, busy, run, formRef, failed } = useSubmit<HTMLLIElement>();
  const chooseButton = useRef<HTMLButtonElement>(null);
  const titleId = `suggestion-${s.offerId}-title`;

  function choose(withReason: string | null) {
    void run(async () => {
      onChosen(await api.recordChoice(helpRequestId, s.offerId, withReason, shownTop));
    });
  }

  function submitReason(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) {
      setReasonError(t('matches.reasonRequired'));
      failed();
      return;
    }
    setReasonError(undefined);
    choose(reason.trim());
  }

  return (
    <li
      ref={formRef}
      className={`suggestion${chosen ? ' suggestion-chosen' : ''}`}
      aria-labelledby={titleId}
      data-testid="suggestion"
    >
      <div className="suggestion-head">
        <h3 id={titleId}>
          <span className="suggestion-rank">{rank}.</span> <Link to={`/offers/${s.offerId}`}>{s.name}</Link>
        </h3>
        <span className="score" data-testid="suggestion-score">
          {t('matches.score', { score: s.score })}
        </span>
      </div>
      <p className="offer-meta">
        {s.organizationName} · {labels.level(s.level)}
      </p>
      <p className="offer-status">
        <span
          className={`badge ${s.capacity === 'open' ? 'badge-ok' : s.capacity === 'full' ? 'badge-full' : 'badge-warn'}`}
        >
          {labels.capacity(s.capacity)}
        </span>
        {s.waitDays !== null && s.waitDays > 0 && (
          <span className="badge">{t('offers.waitDaysCount', { count: s.waitDays })}</span>
        )}
        {isTop && <span className="badge badge-ok">{t('matches.topSuggestion')}</span>}
        {chosen && <span className="badge badge-chosen">{t('matches.chosen')}</span>}
      </p>
      <div className="grid-2 fit">
        <div>
          <h4>{t('matches.reasons')}</h4>
          {s.reasons.length ? (
            <ul className="list fits">
              {s.reasons.map((r) => (
                <li key={r}>{readable(r)}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('common.none')}</p>
          )}
        </div>
        <div>
          <h4>{t('matches.misfits')}</h4>
          {s.misfits.length ? (
            <ul className="list misfits">
              {s.misfits.map((r) => (
                <li key={r}>{readable(r)}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('matches.noMisfits')}</p>
          )}
        </div>
      </div>
      <ErrorAlert error={error} />
      {canChoose && !chosen && !askingReason && (
        <button
          type="button"
          className={`button ${isTop ? 'primary' : 'secondary'}`}
          ref={chooseButton}
          disabled={busy}
          onClick={() => (isTop ? choose(null) : onAskReason())}
          aria-label={`${t('matches.choose')}: ${s.name}`}
        >
          {t('matches.choose')}
        </button>
      )}
      {askingReason && (
        <form onSubmit={submitReason} noValidate className="subform">
          <TextAreaField
            id={`choice-reason-${s.offerId}`}
            label={t('matches.reason')}
            hint={t('matches.reasonHint')}
            value={reason}
            onChange={setReason}
            error={reasonError ?? errors.reason}
            rows={2}
            maxLength={2000}
            required
            autoFocus
          />
          <div className="actions">
            <button type="submit" className="button primary" disabled={busy}>
              {t('matches.confirmChoice')}
            </button>
            <button type="button" className="button secondary" onClick={onCancelReason}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
