import { useTranslation } from 'react-i18next';
import type { Referral, ReferralSnapshot } from '../../api';
import { useTaxonomy } from '../../catalogue';
import { formatBirth, formatDateTime, formatPhone, languageName, phoneHref } from '../../format';
import { bandLabel, flagLabel, useInstruments, useLocalText } from '../../intake';
import { useLabels } from '../../labels';
import { useMunicipalities } from '../../municipalities';

/** What the consent covers, frozen at the moment of referral; nothing once the consent is withdrawn. */
export function Snapshot({ referral: r }: { referral: Referral }) {
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
            {t('referral.snapshotIntro', {
              categories: (s.categories ?? []).map(labels.consentCategory).join(', ') || none,
            })}
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
                <dd>
                  {s.contact.phone ? <a href={phoneHref(s.contact.phone)}>{formatPhone(s.contact.phone)}</a> : none}
                </dd>
                <dt>{t('clients.email')}</dt>
                <dd>{s.contact.email ? <a href={`mailto:${s.contact.email}`}>{s.contact.email}</a> : none}</dd>
                <dt>{t('clients.preferredLanguage')}</dt>
                <dd>{s.contact.preferredLanguage ? languageName(s.contact.preferredLanguage, i18n.language) : none}</dd>
                <dt>{t('clients.municipality')}</dt>
                <dd>
                  {s.contact.municipality ? (byCode.get(s.contact.municipality)?.name ?? s.contact.municipality) : none}
                </dd>
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
