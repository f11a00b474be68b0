import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type Consent, type SafetySignal } from '../api';
import { ErrorAlert, Loading, StatusMessage } from '../components/Alerts';
import { formatDateTime } from '../format';
import { useDocumentTitle, useLoad } from '../hooks';
import { useLabels } from '../labels';

/**
 * The team lead's dashboard: open safety signals of the organisation (acknowledging takes one off the list)
 * and consent exceptions (referrals without consent) that wait for review.
 */
export function SafetyPage() {
  const { t } = useTranslation();
  const [flash, setFlash] = useState<string | null>(null);
  useDocumentTitle(t('safetyBoard.title'));
  return (
    <>
      <h1>{t('safetyBoard.title')}</h1>
      <p className="lead">{t('safetyBoard.intro')}</p>
      <StatusMessage message={flash} />
      <Signals onDone={setFlash} />
      <Exceptions onDone={setFlash} />
    </>
  );
}

function Signals({ onDone }: { onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const signals = useLoad(() => api.openSignals(), []);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  function acknowledge(s: SafetySignal) {
    setBusy(s.id);
    setError(null);
    api.acknowledgeSignal(s.id).then(
      () => {
        setBusy(null);
        if (signals.data) signals.setData({ items: signals.data.items.filter((x) => x.id !== s.id) });
        onDone(t('safetyBoard.acknowledged', { kind: labels.signalKind(s.kind) }));
      },
      (err: unknown) => {
        setBusy(null);
        setError(err);
        signals.reload();
      },
    );
  }

  return (
    <section className="card" aria-labelledby="signals-title">
      <h2 id="signals-title">{t('safetyBoard.signalsTitle')}</h2>
      <ErrorAlert error={error ?? signals.error} />
      {signals.loading && !signals.data ? (
        <Loading />
      ) : signals.data && signals.data.items.length === 0 ? (
        <p className="empty">{t('safetyBoard.signalsEmpty')}</p>
      ) : signals.data ? (
        <div className="table-wrap">
          <table className="table" data-testid="open-signals">
            <caption className="visually-hidden">{t('safetyBoard.signalsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('safetyBoard.raisedAt')}</th>
                <th scope="col">{t('safety.kind')}</th>
                <th scope="col">{t('safety.level')}</th>
                <th scope="col">{t('safetyBoard.source')}</th>
                <th scope="col">{t('safety.actionTaken')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {signals.data.items.map((s) => (
                <tr key={s.id} className={s.level === 'high' ? 'row-acute' : undefined}>
                  <td className="nowrap">{formatDateTime(s.raisedAt)}</td>
                  <th scope="row" className="row-head">
                    <Link to={`/help-requests/${s.helpRequestId}`}>{labels.signalKind(s.kind)}</Link>
                  </th>
                  <td>
                    <span className={`badge ${s.level === 'high' ? 'badge-danger' : 'badge-warn'}`}>{labels.signalLevel(s.level)}</span>
                  </td>
                  <td>{labels.signalSource(s.source)}</td>
                  <td className="prewrap">
                    {s.actionTaken ?? (s.level === 'high' ? <strong className="text-danger">{t('safetyBoard.noActionYet')}</strong> : t('safety.noAction'))}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button secondary small"
                      disabled={busy === s.id}
                      onClick={() => acknowledge(s)}
                      aria-label={`${t('safetyBoard.acknowledge')}: ${labels.signalKind(s.kind)}, ${formatDateTime(s.raisedAt)}`}
                    >
                      {t('safetyBoard.acknowledge')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function Exceptions({ onDone }: { onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const exceptions = useLoad(() => api.consentExceptions(), []);
  const organizations = useLoad(() => api.organizations(), []);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const orgName = (id: string) => organizations.data?.items.find((o) => o.id === id)?.name ?? id;

  function review(c: Consent) {
    setBusy(c.id);
    setError(null);
    api.reviewConsent(c.id).then(
      () => {
        setBusy(null);
        if (exceptions.data) exceptions.setData({ items: exceptions.data.items.filter((x) => x.id !== c.id) });
        onDone(t('safetyBoard.reviewed'));
      },
      (err: unknown) => {
        setBusy(null);
        setError(err);
        exceptions.reload();
      },
    );
  }

  return (
    <section className="card" aria-labelledby="exceptions-title">
      <h2 id="exceptions-title">{t('safetyBoard.exceptionsTitle')}</h2>
      <p className="hint">{t('safetyBoard.exceptionsIntro')}</p>
      <ErrorAlert error={error ?? exceptions.error} />
      {exceptions.loading && !exceptions.data ? (
        <Loading />
      ) : exceptions.data && exceptions.data.items.length === 0 ? (
        <p className="empty">{t('safetyBoard.exceptionsEmpty')}</p>
      ) : exceptions.data ? (
        <div className="table-wrap">
          <table className="table" data-testid="consent-exceptions">
            <caption className="visually-hidden">{t('safetyBoard.exceptionsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('safetyBoard.recordedAt')}</th>
                <th scope="col">{t('consent.recipient')}</th>
                <th scope="col">{t('consent.categoriesLabel')}</th>
                <th scope="col">{t('consent.exceptionReason')}</th>
                <th scope="col">{t('intake.person')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {exceptions.data.items.map((c) => (
                <tr key={c.id}>
                  <td className="nowrap">{formatDateTime(c.recordedAt)}</td>
                  <td>{orgName(c.recipientOrganizationId)}</td>
                  <td>{c.categories.map(labels.consentCategory).join(', ')}</td>
                  <td className="prewrap">{c.exceptionReason}</td>
                  <td>
                    <Link to={`/clients/${c.clientId}`}>{t('intake.openFile')}</Link>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button secondary small"
                      disabled={busy === c.id}
                      onClick={() => review(c)}
                      aria-label={`${t('safetyBoard.review')}: ${formatDateTime(c.recordedAt)}`}
                    >
                      {t('safetyBoard.review')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
