import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { api, type ReportFlow } from '../../api';
import { ErrorAlert, Loading } from '../../components/Alerts';
import { Field } from '../../components/Field';
import { useLoad } from '../../hooks';
import i18n from '../../i18n';
import { formatCell } from './numbers';

type Cell = number | string | null | undefined;
type Row = Omit<ReportFlow['months'][number], 'month'>;
type By = 'month' | 'organization' | 'level';
/** A chart draws numbers only: a suppressed cell ("<5", "x") is a gap, and the table beside it says why. */
const num = (v: Cell) => (typeof v === 'number' ? v : null);
const show = (v: Cell) => formatCell(v, i18n.language);
/** The counts of one row of the flow table, in the order of its header (the period's totals row too). */
function CountCells({ m }: { m: Pick<Row, CountKey> }) {
  return (
    <>
      {COUNT_KEYS.map((key) => (
        <td key={key}>{show(m[key])}</td>
      ))}
    </>
  );
}
const COUNT_KEYS = [
  'inflow',
  'helpRequests',
  'signals',
  'referrals',
  'declined',
  'accepted',
  'stepsUp',
  'stepsDown',
  'outflow',
] as const;
type CountKey = (typeof COUNT_KEYS)[number];
const monthOf = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
const PERIODS = ['3', '12', '24'] as const;

/**
 * The network's flow monitor: one table at a time (per month, per organisation or per level of care — the server
 * suppresses each against the same published totals of the period, the "Totaal" row), each chart beside the
 * table of its numbers; waiting times; declined by reason; outflow by outcome; and the trend over 8 quarters.
 */
export function FlowSection() {
  const { t } = useTranslation();
  const [by, setBy] = useState<By>('month');
  const [months, setMonths] = useState<(typeof PERIODS)[number]>('24');
  const now = new Date();
  const to = monthOf(now);
  const from = monthOf(new Date(now.getFullYear(), now.getMonth() - Number(months) + 1, 1));
  const flow = useLoad(() => api.reportFlow(from, to, by), [from, to, by]);
  const level = (key: string) =>
    key === 'unknown' ? t('reportsFlow.unknownLevel') : t(`offers.levels.${key}` as 'offers.levels.basic');
  const data = flow.data;
  const rows: { key: string; label: string; cells: Row }[] = !data
    ? []
    : by === 'month'
      ? data.months.map((m) => ({ key: m.month, label: m.month, cells: m }))
      : data.groups.map((g) => ({
          key: g.key,
          label: by === 'level' || g.key === 'unknown' ? level(g.key) : g.name,
          cells: g,
        }));
  const chart = rows.map((r) => ({
    label: r.label,
    inflow: num(r.cells.inflow),
    referrals: num(r.cells.referrals),
    declined: num(r.cells.declined),
    outflow: num(r.cells.outflow),
    acceptance: num(r.cells.medianDaysToAcceptance),
    waitingList: num(r.cells.medianDaysOnWaitingList),
  }));

  return (
    <section className="card" aria-labelledby="flow-title">
      <h2 id="flow-title">
        {t('reports.flow')}
        {data ? ` — ${data.zone}` : ''}
      </h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Field id="flow-by" label={t('reportsFlow.by')}>
          {(control) => (
            <select {...control} value={by} onChange={(e) => setBy(e.target.value as By)}>
              {(['month', 'organization', 'level'] as const).map((b) => (
                <option key={b} value={b}>
                  {t(`reportsFlow.byOptions.${b}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="flow-period" label={t('reportsFlow.period')}>
          {(control) => (
            <select {...control} value={months} onChange={(e) => setMonths(e.target.value as (typeof PERIODS)[number])}>
              {PERIODS.map((p) => (
                <option key={p} value={p}>
                  {t(`reportsFlow.periodOptions.${p}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <ErrorAlert error={flow.error} />
      {flow.loading && !data ? (
        <Loading />
      ) : data ? (
        <>
          <p>
            {t('reports.overdue', { n: show(data.overdue) })} · {t('reports.stuck', { n: show(data.stuck) })}
          </p>
          <p className="hint">{t('reportsFlow.stuckHint')}</p>
          <p className="hint">{t('reportsFlow.inflowHint')}</p>
          {rows.length === 0 ? (
            <p className="empty">{t('reportsFlow.empty')}</p>
          ) : (
            <>
              <div className="report-chart-with-table">
                <figure aria-label={t(`reportsFlow.caption.${by}`)} style={{ width: '100%', height: 260, margin: 0 }}>
                  <ResponsiveContainer>
                    {by === 'month' ? (
                      <LineChart data={chart}>
                        <CartesianGrid strokeDasharray="3 3" />
                        <XAxis dataKey="label" />
                        <YAxis />
                        <Tooltip />
                        <Legend />
                        <Line dataKey="inflow" name={t('reports.inflow')} stroke="#2b6cb0" />
                        <Line dataKey="referrals" name={t('reports.referrals')} stroke="#38a169" />
                        <Line dataKey="declined" name={t('reports.declined')} stroke="#c53030" />
                        <Line dataKey="outflow" name={t('reports.outflow')} stroke="#805ad5" />
                      </LineChart>
                    ) : (
                      <BarChart data={chart}>
                        <CartesianGrid strokeDasharray="3 3" />
                        <XAxis dataKey="label" />
                        <YAxis />
                        <Tooltip />
                        <Legend />
                        <Bar dataKey="inflow" name={t('reports.inflow')} fill="#2b6cb0" />
                        <Bar dataKey="referrals" name={t('reports.referrals')} fill="#38a169" />
                        <Bar dataKey="declined" name={t('reports.declined')} fill="#c53030" />
                        <Bar dataKey="outflow" name={t('reports.outflow')} fill="#805ad5" />
                      </BarChart>
                    )}
                  </ResponsiveContainer>
                </figure>
                <div style={{ overflowX: 'auto' }}>
                  <table className="table" data-testid="flow-table">
                    <caption>{t(`reportsFlow.caption.${by}`)}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t(`reportsFlow.row.${by}`)}</th>
                        <th scope="col">{t('reports.inflow')}</th>
                        <th scope="col">{t('reportsFlow.helpRequests')}</th>
                        <th scope="col">{t('reportsFlow.signals')}</th>
                        <th scope="col">{t('reports.referrals')}</th>
                        <th scope="col">{t('reports.declined')}</th>
                        <th scope="col">{t('reportsFlow.accepted')}</th>
                        <th scope="col">{t('reportsFlow.stepsUp')}</th>
                        <th scope="col">{t('reportsFlow.stepsDown')}</th>
                        <th scope="col">{t('reports.outflow')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map(({ key, label, cells }) => (
                        <tr key={key}>
                          <th scope="row">{label}</th>
                          <CountCells m={cells} />
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr data-testid="flow-total">
                        <th scope="row">{t('reportsFlow.total')}</th>
                        <CountCells m={data.totals} />
                      </tr>
                    </tfoot>
                  </table>
                  <p className="hint">{t('reportsFlow.totalHint')}</p>
                </div>
              </div>
              <div className="report-chart-with-table">
                <figure aria-label={t('reportsFlow.chartWaiting')} style={{ width: '100%', height: 220, margin: 0 }}>
                  <ResponsiveContainer>
                    <BarChart data={chart}>
                      <CartesianGrid strokeDasharray="3 3" />
                      <XAxis dataKey="label" />
                      <YAxis />
                      <Tooltip />
                      <Legend />
                      <Bar dataKey="acceptance" name={t('reportsFlow.toAcceptance')} fill="#2b6cb0" />
                      <Bar dataKey="waitingList" name={t('reportsFlow.onWaitingList')} fill="#dd6b20" />
                    </BarChart>
                  </ResponsiveContainer>
                </figure>
                <div style={{ overflowX: 'auto' }}>
                  <table className="table" data-testid="flow-waiting-table">
                    <caption>{t('reportsFlow.waitingCaption')}</caption>
                    <thead>
                      <tr>
                        <th scope="col" rowSpan={2}>
                          {t(`reportsFlow.row.${by}`)}
                        </th>
                        <th scope="colgroup" colSpan={2}>
                          {t('reportsFlow.toAcceptance')}
                        </th>
                        <th scope="colgroup" colSpan={2}>
                          {t('reportsFlow.toFirstContact')}
                        </th>
                        <th scope="colgroup" colSpan={2}>
                          {t('reportsFlow.onWaitingList')}
                        </th>
                      </tr>
                      <tr>
                        {[0, 1, 2].flatMap((i) => [
                          <th scope="col" key={`m${i}`}>
                            {t('reports.median')}
                          </th>,
                          <th scope="col" key={`p${i}`}>
                            {t('reports.p90')}
                          </th>,
                        ])}
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map(({ key, label, cells: m }) => (
                        <tr key={key}>
                          <th scope="row">{label}</th>
                          <td>{show(m.medianDaysToAcceptance)}</td>
                          <td>{show(m.p90DaysToAcceptance)}</td>
                          <td>{show(m.medianDaysToFirstContact)}</td>
                          <td>{show(m.p90DaysToFirstContact)}</td>
                          <td>{show(m.medianDaysOnWaitingList)}</td>
                          <td>{show(m.p90DaysOnWaitingList)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            </>
          )}
          <DeclinedAndOutcomes data={data} />
        </>
      ) : null}
      <Trend />
    </section>
  );
}

function DeclinedAndOutcomes({ data }: { data: ReportFlow }) {
  const { t } = useTranslation();
  const reasons = Object.entries(data.declinedByReason);
  return (
    <>
      <h3>{t('reports.declinedByReason')}</h3>
      {reasons.length === 0 ? (
        <p className="empty">{t('reports.noDeclined')}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t('reports.declinedByReason')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.reason')}</th>
              <th scope="col">{t('reports.count')}</th>
            </tr>
          </thead>
          <tbody>
            {reasons.map(([reason, n]) => (
              <tr key={reason}>
                <th scope="row">{t(`referrals.declineReasons.${reason}` as 'referrals.declineReasons.other')}</th>
                <td>{show(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('reportsFlow.outflowByOutcome')}</h3>
      <table className="table" data-testid="flow-outcomes">
        <caption className="visually-hidden">{t('reportsFlow.outflowByOutcome')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('reportsFlow.outcome')}</th>
            <th scope="col">{t('reports.count')}</th>
          </tr>
        </thead>
        <tbody>
          {(['fully', 'partly', 'not'] as const).map((o) => (
            <tr key={o}>
              <th scope="row">{t(`reportsFlow.outcomes.${o}`)}</th>
              <td>{show(data.outflowByOutcome[o])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The last 8 quarters (this one included): a table of its own, without months beside it. */
function Trend() {
  const { t } = useTranslation();
  const now = new Date();
  const to = monthOf(now);
  const from = monthOf(new Date(now.getFullYear(), Math.floor(now.getMonth() / 3) * 3 - 21, 1));
  const trend = useLoad(() => api.reportFlow(from, to, 'quarter'), [from, to]);
  const quarters = trend.data?.quarters ?? [];
  const chart = quarters.map((q) => ({
    quarter: q.quarter,
    inflow: num(q.inflow),
    referrals: num(q.referrals),
    declined: num(q.declined),
    outflow: num(q.outflow),
  }));
  return (
    <>
      <h3 id="flow-trend-title">{t('reportsFlow.trend')}</h3>
      <ErrorAlert error={trend.error} />
      {trend.loading && !trend.data ? (
        <Loading />
      ) : (
        <div className="report-chart-with-table">
          <figure aria-label={t('reportsFlow.trendCaption')} style={{ width: '100%', height: 240, margin: 0 }}>
            <ResponsiveContainer>
              <LineChart data={chart}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="quarter" />
                <YAxis />
                <Tooltip />
                <Legend />
                <Line dataKey="inflow" name={t('reports.inflow')} stroke="#2b6cb0" />
                <Line dataKey="referrals" name={t('reports.referrals')} stroke="#38a169" />
                <Line dataKey="declined" name={t('reports.declined')} stroke="#c53030" />
                <Line dataKey="outflow" name={t('reports.outflow')} stroke="#805ad5" />
              </LineChart>
            </ResponsiveContainer>
          </figure>
          <table className="table" data-testid="flow-trend-table">
            <caption>{t('reportsFlow.trendCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reportsFlow.quarter')}</th>
                <th scope="col">{t('reports.inflow')}</th>
                <th scope="col">{t('reports.referrals')}</th>
                <th scope="col">{t('reports.declined')}</th>
                <th scope="col">{t('reports.outflow')}</th>
              </tr>
            </thead>
            <tbody>
              {quarters.map((q) => (
                <tr key={q.quarter}>
                  <th scope="row">{q.quarter}</th>
                  <td>{show(q.inflow)}</td>
                  <td>{show(q.referrals)}</td>
                  <td>{show(q.declined)}</td>
                  <td>{show(q.outflow)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
