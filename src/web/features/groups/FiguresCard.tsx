import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { ErrorAlert } from '../../components/Alerts';
import { formatDate } from '../../format';
import { useLoad } from '../../hooks';

/** Today in Brussels as YYYY-MM-DD (the server counts by Brussels dates too). */
function brusselsToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date());
}

/** The first and last day of the quarter of a date ('2026-12-03' → 2026-10-01 … 2026-12-31). */
export function quarterOf(day: string): { from: string; to: string } {
  const [year, month] = day.split('-').map(Number) as [number, number];
  const first = Math.floor((month - 1) / 3) * 3 + 1;
  const last = first + 2;
  const lastDay = new Date(Date.UTC(year, last, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(last)}-${pad(lastDay)}` };
}

const KEYS = [
  'groupSessions',
  'groupParticipants',
  'facilitiesContacted',
  'facilitiesAdvised',
  'facilitiesVisited',
] as const;

/** The funder's figures of the organisation for the current quarter (group work and support to facilities). */
export function FiguresCard() {
  const { t } = useTranslation();
  const { from, to } = quarterOf(brusselsToday());
  const figures = useLoad(() => api.groupWorkFigures(from, to), [from, to]);
  return (
    <section className="card" aria-labelledby="group-figures">
      <h2 id="group-figures">{t('groups.figures.title')}</h2>
      <ErrorAlert error={figures.error} />
      {figures.data && (
        <dl className="details" data-testid="group-figures" aria-describedby="group-figures-period">
          {KEYS.map((key) => (
            <div key={key} data-testid={`figure-${key}`}>
              <dt>{t(`groups.figures.${key}`)}</dt>
              <dd>{figures.data![key]}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="hint" id="group-figures-period">
        {t('groups.figures.caption', { from: formatDate(from), to: formatDate(to) })}
      </p>
    </section>
  );
}
