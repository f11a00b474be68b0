import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instrument, Screening } from '../../api';
import { formatDate, formatDateTime } from '../../format';
import { useLocalText } from '../../intake';

interface Props {
  screenings: Screening[];
  byId: Map<string, Instrument>;
  /** rows of this help request are marked */
  currentHelpRequestId: string;
}

/**
 * A returning person's scores over time, one instrument at a time: a small line chart (an image with a
 * text description) and the same numbers in a table, so nothing depends on seeing the chart.
 */
export function ScoreHistory({ screenings, byId, currentHelpRequestId }: Props) {
  const { t } = useTranslation();
  const local = useLocalText();
  const groups = new Map<string, Screening[]>();
  for (const s of [...screenings].sort((a, b) => a.administeredAt.localeCompare(b.administeredAt))) {
    groups.set(s.instrument, [...(groups.get(s.instrument) ?? []), s]);
  }
  if (groups.size === 0) return null;
  return (
    <div className="score-history" data-testid="score-history">
      <h3>{t('screening.historyTitle')}</h3>
      <p className="hint">{t('screening.historyIntro')}</p>
      {[...groups.entries()].map(([instrument, items]) => {
        const def = byId.get(instrument);
        const title = def ? local(def.title) : instrument;
        return (
          <div key={instrument} className="history-instrument">
            <h4>{title}</h4>
            {items.length >= 2 && def && <Chart def={def} title={title} items={items} />}
            <div className="table-wrap">
              <table className="table table-compact">
                <caption className="visually-hidden">{t('screening.historyCaption', { instrument: title })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('screening.colDate')}</th>
                    <th scope="col" className="numeric">
                      {t('screening.colScore')}
                    </th>
                    <th scope="col">{t('screening.colBand')}</th>
                    <th scope="col">{t('screening.colFlags')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((s) => (
                    <tr key={s.id}>
                      <td className="nowrap">
                        {formatDateTime(s.administeredAt)}
                        {s.helpRequestId === currentHelpRequestId && (
                          <span className="badge">{t('screening.thisRequest')}</span>
                        )}
                      </td>
                      <td className="numeric">{s.score ?? t('common.none')}</td>
                      <td>{s.bandLabel ?? t('common.none')}</td>
                      <td>{s.flags.length ? s.flags.map((f) => f.label).join(', ') : t('common.none')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        );
      })}
    </div>
  );
}

const W = 420;
const H = 170;
const PAD = { left: 40, right: 16, top: 18, bottom: 30 };

function Chart({ def, title, items }: { def: Instrument; title: string; items: Screening[] }) {
  const { t } = useTranslation();
  const local = useLocalText();
  const id = useId();
  const { min, max } = def.scoring.total;
  const span = max - min || 1;
  const x = (i: number) => PAD.left + (items.length === 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (items.length - 1));
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - (v - min) / span);
  const scored = items.map((s, i) => ({ s, i })).filter((p) => p.s.score !== null);
  const path = scored.map((p) => `${x(p.i)},${y(p.s.score!)}`).join(' ');
  // band boundaries (not for risk instruments, whose band comes from the answers)
  const boundaries =
    def.scoring.bandFrom === 'flags'
      ? []
      : def.scoring.bands.slice(1).map((b) => ({ value: b.min, label: local(b.label) }));
  const last = items[items.length - 1]!;
  const description = t('screening.chartDescription', {
    count: items.length,
    from: formatDate(items[0]!.administeredAt),
    to: formatDate(last.administeredAt),
    values: items.map((s) => `${formatDate(s.administeredAt)}: ${s.score ?? t('common.none')}`).join('; '),
  });
  return (
    <figure className="chart">
      <svg
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
        focusable="false"
      >
        <title id={`${id}-title`}>{t('screening.chartTitle', { instrument: title })}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <line x1={PAD.left} x2={W - PAD.right} y1={y(min)} y2={y(min)} className="chart-axis" />
        <line x1={PAD.left} x2={PAD.left} y1={y(min)} y2={y(max)} className="chart-axis" />
        <text x={PAD.left - 6} y={y(min)} className="chart-label" textAnchor="end" dominantBaseline="middle">
          {min}
        </text>
        <text x={PAD.left - 6} y={y(max)} className="chart-label" textAnchor="end" dominantBaseline="middle">
          {max}
        </text>
        {boundaries.map((b) => (
          <g key={b.value}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(b.value)} y2={y(b.value)} className="chart-band" />
            <text x={W - PAD.right} y={y(b.value) - 3} className="chart-band-label" textAnchor="end">
              {b.label} ≥ {b.value}
            </text>
          </g>
        ))}
        <polyline points={path} className="chart-line" fill="none" />
        {scored.map(({ s, i }) => (
          <g key={s.id}>
            <circle cx={x(i)} cy={y(s.score!)} r={4} className="chart-point" />
            <text x={x(i)} y={y(s.score!) - 8} textAnchor="middle" className="chart-value">
              {s.score}
            </text>
          </g>
        ))}
        <text x={x(0)} y={H - 8} className="chart-label" textAnchor="start">
          {formatDate(items[0]!.administeredAt)}
        </text>
        <text x={x(items.length - 1)} y={H - 8} className="chart-label" textAnchor="end">
          {formatDate(last.administeredAt)}
        </text>
      </svg>
    </figure>
  );
}
