import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, ProblemError, type Client, type Offer } from '../api';
import { useAuth, useMe } from '../auth';
import { useTaxonomy } from '../catalogue';
import { ErrorAlert, Loading } from '../components/Alerts';
import { RiskBadge } from '../components/RiskBadge';
import { formatBirth, formatDateTime, formatPhone, languageName } from '../format';
import { useDocumentTitle, useLoad } from '../hooks';
import { flagLabel, useInstruments, useLocalText } from '../intake';
import { useLabels } from '../labels';
import { useMunicipalities } from '../municipalities';

/**
 * The intake summary on paper: the same data as the help request, laid out for printing (the print
 * stylesheet hides the navigation and the buttons). Printing it is audited like any read of the request.
 */
export function HelpRequestPrintPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const { meta } = useAuth();
  const me = useMe();
  const labels = useLabels();
  const local = useLocalText();
  const taxonomy = useTaxonomy();
  const { byId } = useInstruments();
  const { byCode } = useMunicipalities();
  const detail = useLoad(() => api.helpRequest(id), [id]);
  const clientId = detail.data?.clientId ?? null;
  const chosen = detail.data?.chosenOfferId ?? null;
  const client = useLoad<Client | null>(() => (clientId ? api.client(clientId) : Promise.resolve(null)), [clientId]);
  const offer = useLoad<Offer | null>(() => (chosen ? api.offer(chosen) : Promise.resolve(null)), [chosen]);
  useDocumentTitle(t('print.title'));

  if (detail.loading && !detail.data) return <Loading />;
  if (!detail.data) {
    const notFound = detail.error instanceof ProblemError && detail.error.status === 404;
    return <ErrorAlert error={notFound ? t('intake.notFound') : detail.error} />;
  }
  const r = detail.data;
  const none = t('common.none');
  const municipality = (code: string | null) => (code ? (byCode.get(code)?.name ?? code) : none);

  return (
    <article className="print-summary" data-testid="print-summary">
      <div className="no-print actions print-actions">
        <button type="button" className="button primary" onClick={() => window.print()}>
          {t('print.print')}
        </button>
        <Link to={`/help-requests/${r.id}`} className="button secondary">
          {t('print.back')}
        </Link>
      </div>
      {meta?.demo && <p className="print-demo">{t('app.demoExplained')}</p>}
      <h1>{t('print.title')}</h1>
      <p className="muted">
        {me.membership.organizationName} ·{' '}
        {t('print.printedAt', { date: formatDateTime(new Date().toISOString()), user: me.user.displayName })}
      </p>
      <p className="small">{t('print.confidential')}</p>

      <section aria-labelledby="print-person">
        <h2 id="print-person">{t('intake.stepPerson')}</h2>
        {client.data ? (
          <dl className="details">
            <dt>{t('clients.colName')}</dt>
            <dd>{client.data.displayName}</dd>
            <dt>{t('clients.birth')}</dt>
            <dd>{formatBirth(client.data.birthDate, client.data.birthYear) || none}</dd>
            <dt>{t('clients.municipality')}</dt>
            <dd>{municipality(client.data.municipality)}</dd>
            <dt>{t('clients.phone')}</dt>
            <dd>{client.data.phone ? formatPhone(client.data.phone) : none}</dd>
            <dt>{t('clients.preferredLanguage')}</dt>
            <dd>{client.data.preferredLanguage ? languageName(client.data.preferredLanguage, i18n.language) : none}</dd>
          </dl>
        ) : (
          <p>{t('intake.anonymousRequest')}</p>
        )}
      </section>

      <section aria-labelledby="print-request">
        <h2 id="print-request">{t('intake.requestSection')}</h2>
        <dl className="details">
          <dt>{t('intake.receivedAt')}</dt>
          <dd>{formatDateTime(r.receivedAt)}</dd>
          <dt>{t('common.status')}</dt>
          <dd>{labels.helpRequestStatus(r.status)}</dd>
          <dt>{t('intake.channel')}</dt>
          <dd>{labels.channel(r.channel)}</dd>
          <dt>{t('intake.urgency')}</dt>
          <dd>{labels.urgency(r.urgency)}</dd>
          <dt>{t('risk.label')}</dt>
          <dd data-testid="print-risk">
            <RiskBadge level={r.riskLevel} compact />
          </dd>
          <dt>{t('intake.story')}</dt>
          <dd className="prewrap">{r.story}</dd>
          <dt>{t('intake.context')}</dt>
          <dd className="prewrap">{r.context || none}</dd>
          <dt>{t('intake.clarification')}</dt>
          <dd className="prewrap">{r.clarification || none}</dd>
          <dt>{t('intake.lifeDomainsLabel')}</dt>
          <dd>{r.lifeDomains.length ? r.lifeDomains.map(labels.lifeDomain).join(', ') : none}</dd>
          <dt>{t('intake.themes')}</dt>
          <dd>{r.themes.length ? r.themes.map(taxonomy.themeLabel).join(', ') : none}</dd>
          <dt>{t('intake.age')}</dt>
          <dd>{r.age ?? none}</dd>
          <dt>{t('intake.municipality')}</dt>
          <dd>{municipality(r.municipality)}</dd>
          <dt>{t('intake.language')}</dt>
          <dd>{r.language ? languageName(r.language, i18n.language) : none}</dd>
          <dt>{t('intake.preferredModality')}</dt>
          <dd>{r.preferredModality ? labels.modality(r.preferredModality) : none}</dd>
        </dl>
      </section>

      <section aria-labelledby="print-screening">
        <h2 id="print-screening">{t('screening.title')}</h2>
        {r.screenings.length === 0 ? (
          <p>{t('screening.none')}</p>
        ) : (
          <table className="table table-compact">
            <caption className="visually-hidden">{t('screening.doneTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('screening.colDate')}</th>
                <th scope="col">{t('screening.instrument')}</th>
                <th scope="col" className="numeric">
                  {t('screening.colScore')}
                </th>
                <th scope="col">{t('screening.colBand')}</th>
                <th scope="col">{t('risk.label')}</th>
                <th scope="col">{t('screening.colFlags')}</th>
              </tr>
            </thead>
            <tbody>
              {r.screenings.map((s) => {
                const def = byId.get(s.instrument);
                return (
                  <tr key={s.id}>
                    <td className="nowrap">{formatDateTime(s.administeredAt)}</td>
                    <td>
                      {def ? local(def.title) : s.instrument}
                      {def && <span className="small muted"> · {def.citation}</span>}
                    </td>
                    <td className="numeric">
                      {s.score ?? none}
                      {def && s.score !== null && ` / ${def.scoring.total.max}`}
                    </td>
                    <td>{s.bandLabel ?? none}</td>
                    <td>
                      <RiskBadge level={s.riskLevel} compact />
                    </td>
                    <td>
                      {s.flags.length ? s.flags.map((f) => f.label || flagLabel(def, f.code, local)).join(', ') : none}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="print-safety">
        <h2 id="print-safety">{t('safety.title')}</h2>
        {r.safetySignals.length === 0 ? (
          <p>{t('safety.none')}</p>
        ) : (
          <ul className="list">
            {r.safetySignals.map((s) => (
              <li key={s.id}>
                <strong>
                  {labels.signalKind(s.kind)} ({t('risk.badge', { level: labels.riskLevel(s.level) })})
                </strong>{' '}
                · {formatDateTime(s.raisedAt)} · {labels.signalSource(s.source)}
                {s.note && <div className="prewrap">{s.note}</div>}
                <div>
                  {t('safety.actionTaken')}: {s.actionTaken ?? t('safety.noAction')}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="print-indication">
        <h2 id="print-indication">{t('indication.title')}</h2>
        <dl className="details">
          <dt>{t('indication.level')}</dt>
          <dd>{r.indicationLevel ? labels.level(r.indicationLevel) : t('indication.levelNone')}</dd>
          <dt>{t('indication.reasons')}</dt>
          <dd className="prewrap">{r.indicationReasons || none}</dd>
          <dt>{t('print.choice')}</dt>
          <dd>{offer.data ? `${offer.data.name} — ${offer.data.organizationName}` : none}</dd>
          {r.choiceReason && (
            <>
              <dt>{t('matches.reason')}</dt>
              <dd className="prewrap">{r.choiceReason}</dd>
            </>
          )}
          {r.closeReason && (
            <>
              <dt>{t('close.reason')}</dt>
              <dd className="prewrap">{r.closeReason}</dd>
            </>
          )}
        </dl>
      </section>
    </article>
  );
}
