import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, fetchFile, type ReportOutput } from '../../api';
import { useAuth } from '../../auth';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alerts';
import { useConfirm } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { formatDateTime } from '../../format';
import { useDocumentTitle, useLoad } from '../../hooks';
import { StaffingSection } from './StaffingSection';
import { FlowSection } from './FlowSection';
import { formatCell, formatNumber, formatPercent, type Cell } from './numbers';

/** A chart draws numbers only: a suppressed cell ("<5", "x") is a gap, and the table beside it says why. */
const num = (v: Cell) => (typeof v === 'number' ? v : null);

function quartersUntilNow(count: number): string[] {
  const now = new Date();
  const out: string[] = [];
  let year = now.getFullYear();
  let q = Math.floor(now.getMonth() / 3) + 1;
  for (let i = 0; i < count; i++) {
    out.push(`${year}-Q${q}`);
    q -= 1;
    if (q === 0) {
      q = 4;
      year -= 1;
    }
  }
  return out;
}

/** The reports: a quarter's output against the norm (submit, downloads) and, for network roles, the flow monitor. */
export function ReportsPage() {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  useDocumentTitle(t('reports.title'));
  const network = !me?.membership?.organizationId;
  const quarters = quartersUntilNow(8);
  const [quarter, setQuarter] = useState(quarters[0]!);
  const orgs = useLoad(() => (network ? api.organizations() : Promise.resolve({ items: [] })), [network]);
  const [organizationId, setOrganizationId] = useState('');
  const orgId = network ? organizationId || orgs.data?.items[0]?.id || '' : undefined;
  const output = useLoad(
    () => (network && !orgId ? Promise.resolve(null) : api.reportOutput(quarter, orgId)),
    [quarter, orgId],
  );

  return (
    <>
      <h1>{t('reports.title')}</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Field id="report-quarter" label={t('reports.quarter')}>
          {(control) => (
            <select {...control} value={quarter} onChange={(e) => setQuarter(e.target.value)}>
              {quarters.map((q) => (
                <option key={q} value={q}>
                  {q}
                </option>
              ))}
            </select>
          )}
        </Field>
        {network && (
          <Field id="report-organization" label={t('reports.organization')}>
            {(control) => (
              <select {...control} value={orgId} onChange={(e) => setOrganizationId(e.target.value)}>
                {(orgs.data?.items ?? []).map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </form>
      <ErrorAlert error={output.error ?? orgs.error} />
      {/* while another quarter or organisation loads, the previous one's figures must not stand under it */}
      {output.loading &&
      (!output.data || output.data.quarter !== quarter || (orgId && output.data.organizationId !== orgId)) ? (
        <Loading />
      ) : output.data ? (
        <OutputSection
          output={output.data}
          canSubmit={can('report:submit')}
          reload={output.reload}
          organizationId={orgId}
        />
      ) : null}
      {can('report:staffing') && <StaffingSection quarter={quarter} onSaved={output.reload} />}
      {can('report:flow') && <FlowSection />}
    </>
  );
}

function OutputSection({
  output,
  canSubmit,
  reload,
  organizationId,
}: {
  output: ReportOutput;
  canSubmit: boolean;
  reload: () => void;
  organizationId: string | undefined;
}) {
  const { t, i18n } = useTranslation();
  const show = (v: Cell) => formatCell(v, i18n.language);
  const [confirm, dialog] = useConfirm();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const label = (m: string) => t(`trajectories.modules.${m}` as 'trajectories.modules.youth');

  async function submit() {
    const ok = await confirm({
      title: t('reports.submit'),
      message: t('reports.confirmSubmit', { quarter: output.quarter }),
      confirmLabel: t('reports.submit'),
    });
    if (!ok) return;
    try {
      const res = await api.submitOutput(output.quarter);
      setMessage(t('reports.submitted', { version: res.version }));
      setError(null);
      reload();
    } catch (e) {
      setError(e);
    }
  }

  const chart = output.modules.map((m) => ({
    module: label(m.module),
    trajectories: num(m.trajectories),
    norm: m.norm,
  }));
  return (
    <section className="card" aria-labelledby="output-title">
      <h2 id="output-title">
        {t('reports.output')} {output.quarter} — {output.organizationName}
      </h2>
      {output.suppressed && <p className="hint">{t('reports.suppressedNote')}</p>}
      {output.modules.length === 0 ? (
        <p className="empty">{t('reports.noModules')}</p>
      ) : (
        <div className="report-chart-with-table">
          <table className="table" data-testid="output-table">
            <caption>{t('reports.outputCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reports.module')}</th>
                <th scope="col">{t('reports.fte')}</th>
                <th scope="col">{t('reports.norm')}</th>
                <th scope="col">{t('reports.trajectories')}</th>
                <th scope="col">{t('reports.newTrajectories')}</th>
                <th scope="col">{t('reports.finished')}</th>
                <th scope="col">{t('reports.ratio')}</th>
              </tr>
            </thead>
            <tbody>
              {output.modules.map((m) => (
                <tr key={m.module}>
                  <th scope="row">{label(m.module)}</th>
                  <td>{formatNumber(m.fte, i18n.language)}</td>
                  <td>{show(m.norm)}</td>
                  <td>{show(m.trajectories)}</td>
                  <td>{show(m.newTrajectories)}</td>
                  <td>{show(m.finishedTrajectories)}</td>
                  <td>{m.ratio === null ? '–' : formatPercent(m.ratio, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <figure aria-label={t('reports.chartOutput')} style={{ width: '100%', height: 260, margin: 0 }}>
            <ResponsiveContainer>
              <BarChart data={chart}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="module" />
                <YAxis />
                <Tooltip />
                <Legend />
                <Bar dataKey="trajectories" name={t('reports.trajectories')} fill="#2b6cb0" />
                <Bar dataKey="norm" name={t('reports.norm')} fill="#a0aec0" />
              </BarChart>
            </ResponsiveContainer>
          </figure>
        </div>
      )}
      <p>
        {t('reports.otherFigures', {
          proactive: show(output.proactiveContacts),
          sessions: show(output.groupSessions),
          participants: show(output.groupParticipants),
        })}
      </p>
      <h3>{t('reports.downloads')}</h3>
      <Downloads quarter={output.quarter} organizationId={organizationId} />
      {canSubmit && (
        <p>
          <button type="button" className="button" onClick={() => void submit()}>
            {t('reports.submit')}
          </button>
        </p>
      )}
      {output.changedSinceSubmission && <p className="hint">{t('reports.changedSince')}</p>}
      <ErrorAlert error={error} />
      <StatusMessage message={message} />
      {output.versions.length > 0 && (
        <>
          <h3>{t('reports.versions')}</h3>
          <ul>
            {output.versions.map((v) => (
              <li key={v.version}>
                {t('reports.versionLine', {
                  version: v.version,
                  name: v.submittedBy,
                  date: formatDateTime(v.submittedAt),
                })}
                {v.changes.length > 0 && ` — ${t('reports.changes', { n: v.changes.length })}`}
              </li>
            ))}
          </ul>
        </>
      )}
      {dialog}
    </section>
  );
}

/** Downloads read the body as a stream, so a long export shows how far it is. */
function Downloads({ quarter, organizationId }: { quarter: string; organizationId: string | undefined }) {
  const { t } = useTranslation();
  const [progress, setProgress] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function download(format: 'csv' | 'xlsx' | 'pdf') {
    setError(null);
    setMessage(null);
    setProgress(0);
    try {
      const res = await fetchFile('/api/reports/output', { quarter, format, organizationId });
      const total = Number(res.headers.get('content-length')) || 0;
      const reader = res.body.getReader();
      const chunks: Uint8Array[] = [];
      let received = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.length;
        if (total) setProgress(Math.round((received / total) * 100));
      }
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `output.${format}`;
      const url = URL.createObjectURL(new Blob(chunks as BlobPart[], { type: res.headers.get('content-type') ?? '' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setMessage(t('reports.downloaded', { name }));
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  }

  return (
    <div>
      <p className="actions">
        {(['csv', 'xlsx', 'pdf'] as const).map((f) => (
          <button key={f} type="button" className="button secondary" onClick={() => void download(f)}>
            {t('reports.download', { format: f.toUpperCase() })}
          </button>
        ))}
      </p>
      {progress !== null && (
        <p>
          <progress max={100} value={progress} aria-label={t('reports.downloading', { percent: progress })} />{' '}
          {t('reports.downloading', { percent: progress })}
        </p>
      )}
      <ErrorAlert error={error} />
      <StatusMessage message={message} />
    </div>
  );
}
