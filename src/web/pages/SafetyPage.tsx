import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type Consent, type OpenSafetySignal } from '../api';
import { StatusMessage } from '../components/Alerts';
import { LoadedTable } from '../components/DataTable';
import { RiskBadge } from '../components/RiskBadge';
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

  function acknowledge(s: OpenSafetySignal) {
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
      <LoadedTable
        list={signals}
        error={error ?? signals.error}
        empty={t('safetyBoard.signalsEmpty')}
        caption={t('safetyBoard.signalsTitle')}
        testId="open-signals"
        columns={[
          t('safetyBoard.raisedAt'),
          t('safety.kind'),
          t('safety.level'),
          t('safetyBoard.source'),
          t('safety.actionTaken'),
          t('common.actions'),
        ]}
        row={(s) => (
          <tr key={s.id} className={s.level !== 'attention' ? 'row-acute' : undefined}>
            <td className="nowrap">{formatDateTime(s.raisedAt)}</td>
            <th scope="row" className="row-head">
              <Link to={`/help-requests/${s.helpRequestId}`}>{labels.signalKind(s.kind)}</Link>
            </th>
            <td>
              <RiskBadge level={s.level} compact />
            </td>
            <td>{labels.signalSource(s.source)}</td>
            <td className="prewrap">
              {s.actionTaken ??
                (s.level !== 'attention' ? (
                  <strong className="text-danger">{t('safetyBoard.noActionYet')}</strong>
                ) : (
                  t('safety.noAction')
                ))}
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
        )}
      />
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
      <LoadedTable
        list={exceptions}
        error={error ?? exceptions.error}
        empty={t('safetyBoard.exceptionsEmpty')}
        caption={t('safetyBoard.exceptionsTitle')}
        testId="consent-exceptions"
        columns={[
          t('safetyBoard.recordedAt'),
          t('consent.recipient'),
          t('consent.categoriesLabel'),
          t('consent.exceptionReason'),
          t('intake.person'),
          t('common.actions'),
        ]}
        row={(c) => (
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
        )}
      />
    </section>
  );
}
