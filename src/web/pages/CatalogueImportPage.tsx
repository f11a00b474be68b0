import type { TFunction } from 'i18next';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  api,
  IMPORT_KINDS,
  isImportJob,
  ProblemError,
  type ImportCounts,
  type ImportIssue,
  type ImportJob,
  type ImportKind,
  type ImportResult,
} from '../api';
import { useMe } from '../auth';
import { describeError, ErrorAlert, StatusMessage } from '../components/Alerts';
import { useConfirm } from '../components/ConfirmDialog';
import { DataTable } from '../components/DataTable';
import { Field } from '../components/Field';
import { useDocumentTitle, useSubmit } from '../hooks';

/** How often a running import job is asked for its progress. */
const POLL_MS = 500;

/** What is sent: the body of POST /api/hsds/imports, and the JSON file whose records the server calls "body". */
interface Upload {
  body: unknown;
  jsonName: string | null;
}

type Selection = { upload: Upload } | { fieldError: string } | { issues: ImportIssue[] };

type Outcome =
  | { kind: 'result'; result: ImportResult }
  /** a bad file: the report, nothing imported */
  | { kind: 'invalid'; issues: ImportIssue[] }
  /** a job that ended in failure: its report or its message, nothing imported */
  | { kind: 'failed'; issues: ImportIssue[] };

const isCsv = (f: File) => /\.csv$/i.test(f.name);
const isJson = (f: File) => /\.json$/i.test(f.name);
const DESCRIPTOR = 'datapackage.json';
const sum = (counts: ImportCounts) => IMPORT_KINDS.reduce((n, k) => n + (counts[k] ?? 0), 0);

/**
 * The chosen files as the API takes them: CSV files (with datapackage.json, if chosen) become a CSV datapackage
 * { format: "datapackage", files: { name: text } }; one JSON file is sent as it is (HSDS JSON, an API page, or the
 * tabular JSON of a datapackage — the server tells them apart).
 */
async function readSelection(files: readonly File[], t: TFunction): Promise<Selection> {
  if (files.length === 0) return { fieldError: t('catalogueImport.noFiles') };
  const wrong = files.filter((f) => !isCsv(f) && !isJson(f));
  if (wrong.length)
    return { fieldError: t('catalogueImport.wrongType', { names: wrong.map((f) => f.name).join(', ') }) };
  const csv = files.filter(isCsv);
  const descriptor = files.find((f) => f.name === DESCRIPTOR);
  const json = files.filter((f) => isJson(f) && f !== descriptor);
  if (csv.length) {
    if (json.length) return { fieldError: t('catalogueImport.mixed') };
    const parts = [...csv, ...(descriptor ? [descriptor] : [])];
    const texts = await Promise.all(parts.map(async (f) => [f.name, await f.text()] as const));
    return { upload: { body: { format: 'datapackage', files: Object.fromEntries(texts) }, jsonName: null } };
  }
  if (json.length > 1 || (json.length === 1 && descriptor)) return { fieldError: t('catalogueImport.oneJson') };
  const file = json[0];
  if (!file) return { fieldError: t('catalogueImport.descriptorOnly') };
  const text = (await file.text()).replace(/^\uFEFF/, '');
  try {
    return { upload: { body: JSON.parse(text) as unknown, jsonName: file.name } };
  } catch {
    return {
      issues: [{ field: `${file.name}:0:`, code: 'json-malformed', message: t('catalogueImport.jsonMalformed') }],
    };
  }
}

/** "file:row:field" → its parts ("body" is the JSON file sent; row 0 is the whole file); null without a place. */
function locate(issue: ImportIssue, jsonName: string | null): { file: string; row: string; field: string } | null {
  const m = /^(.*):(\d+):([^:]*)$/.exec(issue.field);
  if (!m) return null;
  const file = m[1] === 'body' && jsonName ? jsonName : m[1]!;
  return { file, row: m[2] === '0' ? '—' : m[2]!, field: m[3] || '—' };
}

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new DOMException('aborted', 'AbortError'));
      },
      { once: true },
    );
  });

function IssueTable({
  issues,
  jsonName,
  caption,
  testId,
}: {
  issues: readonly ImportIssue[];
  jsonName: string | null;
  caption: string;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <DataTable
      caption={caption}
      testId={testId}
      columns={[
        t('catalogueImport.colFile'),
        { label: t('catalogueImport.colRow'), className: 'numeric' },
        t('catalogueImport.colField'),
        t('catalogueImport.colMessage'),
      ]}
      rows={issues}
      row={(issue, i) => {
        const at = locate(issue, jsonName) ?? { file: '—', row: '—', field: '—' };
        return (
          <tr key={i}>
            <td className="nowrap">{at.file}</td>
            <td className="numeric">{at.row}</td>
            <td>
              <code>{at.field}</code>
            </td>
            <td>{issue.message || issue.code}</td>
          </tr>
        );
      }}
    />
  );
}

function ResultView({ result, jsonName }: { result: ImportResult; jsonName: string | null }) {
  const { t } = useTranslation();
  const kindLabel = (k: ImportKind) => t(`catalogueImport.kinds.${k}`);
  const lists = IMPORT_KINDS.flatMap((k) =>
    (['created', 'changed'] as const)
      .map((what) => ({ kind: k, what, list: result.records?.[what][k] }))
      .filter((x) => x.list && (x.list.items.length > 0 || x.list.more > 0)),
  );
  return (
    <section className="card" aria-labelledby="import-result-title" data-testid="import-result">
      <h2 id="import-result-title">
        {result.dryRun ? t('catalogueImport.resultTitleDryRun') : t('catalogueImport.resultTitle')}
      </h2>
      <DataTable
        caption={t('catalogueImport.countsCaption')}
        testId="import-counts"
        columns={[
          t('catalogueImport.colKind'),
          { label: t('catalogueImport.colCreated'), className: 'numeric' },
          { label: t('catalogueImport.colChanged'), className: 'numeric' },
          { label: t('catalogueImport.colUnchanged'), className: 'numeric' },
        ]}
        rows={IMPORT_KINDS}
        row={(k) => (
          <tr key={k} data-kind={k}>
            <th scope="row" className="row-head">
              {kindLabel(k)}
            </th>
            <td className="numeric">{result.created[k] ?? 0}</td>
            <td className="numeric">{result.changed[k] ?? 0}</td>
            <td className="numeric">{result.unchanged[k] ?? 0}</td>
          </tr>
        )}
      />
      {lists.map(({ kind, what, list }) => (
        <section
          key={`${what}-${kind}`}
          aria-labelledby={`import-${what}-${kind}`}
          data-testid={`import-${what}-${kind}`}
        >
          <h3 id={`import-${what}-${kind}`}>
            {what === 'created'
              ? t('catalogueImport.createdList', { kind: kindLabel(kind) })
              : t('catalogueImport.changedList', { kind: kindLabel(kind) })}
          </h3>
          <ul>
            {list!.items.map((item) => (
              <li key={item.id}>{item.name ?? item.id}</li>
            ))}
            {list!.more > 0 && <li className="hint">{t('catalogueImport.more', { count: list!.more })}</li>}
          </ul>
        </section>
      ))}
      {result.warnings.length > 0 && (
        <section aria-labelledby="import-warnings-title">
          <h3 id="import-warnings-title">{t('catalogueImport.warningsTitle')}</h3>
          <p className="hint">{t('catalogueImport.warningsIntro')}</p>
          <IssueTable
            issues={result.warnings}
            jsonName={jsonName}
            caption={t('catalogueImport.warningsTitle')}
            testId="import-warnings"
          />
        </section>
      )}
    </section>
  );
}

function Progress({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const total = Math.max(job.total, 1);
  return (
    <section className="card" aria-labelledby="import-progress-title" data-testid="import-progress">
      <h2 id="import-progress-title">
        {job.dryRun ? t('catalogueImport.progressTitleDryRun') : t('catalogueImport.progressTitle')}
      </h2>
      <p className="hint">{t('catalogueImport.progressStarted', { total: job.total })}</p>
      <div className="field">
        <div className="field-label">
          <label htmlFor="import-progress-bar">{t('catalogueImport.progressLabel')}</label>
        </div>
        <progress
          id="import-progress-bar"
          style={{ width: '100%' }}
          max={total}
          value={Math.min(job.done, total)}
          aria-describedby="import-progress-text"
        >
          {Math.round((100 * job.done) / total)}%
        </progress>
      </div>
      <p id="import-progress-text" role="status" aria-live="polite" aria-atomic="true">
        {t('catalogueImport.progressText', { done: job.done, total: job.total })}
      </p>
    </section>
  );
}

/**
 * For the network admin (catalogue:import): an Open Referral HSDS 3.0 export into the network. "Proefimport" runs
 * the import as a dry run and shows what would be created, changed and unchanged, or the report of every bad row
 * (file, row, field, message) with nothing imported; "Importeren" (after a clean dry run, confirmed) runs it for
 * real. A large import answers with a job, which is polled with a progress bar until it ends.
 */
export function CatalogueImportPage() {
  const { t } = useTranslation();
  const me = useMe();
  const network = me.membership.networkName;
  const s = useSubmit();
  const [confirm, dialog] = useConfirm();
  const [files, setFiles] = useState<File[]>([]);
  const [entity, setEntity] = useState<ImportKind | ''>('');
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const [phase, setPhase] = useState<'reading' | 'sending' | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [jsonName, setJsonName] = useState<string | null>(null);
  /** the clean dry run of the current choice: only then "Importeren" */
  const [checked, setChecked] = useState<ImportResult | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const abort = useRef<AbortController | null>(null);
  useDocumentTitle(t('catalogueImport.title'));
  useEffect(() => () => abort.current?.abort(), []);

  const csvCount = files.filter(isCsv).length;
  const chosen =
    csvCount > 0
      ? t('catalogueImport.chosenPackage', { count: files.length })
      : files.length === 1 && isJson(files[0]!) && files[0]!.name !== DESCRIPTOR
        ? t('catalogueImport.chosenJson', { name: files[0]!.name })
        : null;

  function reset() {
    setOutcome(null);
    setChecked(null);
    setFlash(null);
    setFileError(undefined);
    s.setError(null);
  }

  /** Polls a job until it is no longer running; the bar shows each answer. */
  async function follow(started: ImportJob, signal: AbortSignal): Promise<ImportJob> {
    let current = started;
    setJob(current);
    try {
      let failures = 0;
      while (current.status === 'running') {
        await wait(POLL_MS, signal);
        try {
          current = await api.importJob(current.id, signal);
          failures = 0;
        } catch (err) {
          // a lost answer now and then does not stop the import on the server: ask again, a few times
          if (signal.aborted || ++failures >= 3)
            throw signal.aborted ? err : `${t('catalogueImport.pollFailed')} ${describeError(err, t)}`;
          continue;
        }
        setJob(current);
      }
      return current;
    } finally {
      setJob(null);
    }
  }

  async function run(dryRun: boolean) {
    setOutcome(null);
    setFlash(null);
    setFileError(undefined);
    // every run starts unarmed: a failing repeat of the dry run must not leave an earlier clean one usable
    setChecked(null);
    await s.run(async () => {
      try {
        setPhase('reading');
        const selection = await readSelection(files, t);
        if ('fieldError' in selection) {
          setFileError(selection.fieldError);
          fileInput.current?.focus();
          return;
        }
        if ('issues' in selection) {
          setJsonName(null);
          setOutcome({ kind: 'invalid', issues: selection.issues });
          return;
        }
        const { body, jsonName: name } = selection.upload;
        setJsonName(name);
        setPhase('sending');
        abort.current?.abort();
        const controller = new AbortController();
        abort.current = controller;
        let answer: ImportResult | ImportJob;
        try {
          answer = await api.importCatalogue(body, { dryRun, entity: name && entity ? entity : undefined });
        } catch (err) {
          // the report of a bad file: every problem by file, row and field
          if (err instanceof ProblemError && err.status === 400 && err.fieldErrors.length > 0) {
            setOutcome({ kind: 'invalid', issues: err.fieldErrors });
            return;
          }
          throw err;
        }
        let result: ImportResult;
        if (isImportJob(answer)) {
          const ended = await follow(answer, controller.signal);
          if (ended.status !== 'succeeded' || !ended.result) {
            setOutcome({ kind: 'failed', issues: ended.errors ?? [] });
            return;
          }
          result = ended.result;
        } else {
          result = answer;
        }
        setOutcome({ kind: 'result', result });
        setChecked(result.dryRun ? result : null);
        const counts = { created: sum(result.created), changed: sum(result.changed), unchanged: sum(result.unchanged) };
        const done = result.dryRun ? t('catalogueImport.dryRunDone', counts) : t('catalogueImport.importDone', counts);
        setFlash(counts.created + counts.changed === 0 ? `${done} ${t('catalogueImport.nothingChanges')}` : done);
      } finally {
        setPhase(null);
      }
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (s.busy) return;
    void run(true);
  }

  async function importForReal() {
    if (!checked || s.busy) return;
    const ok = await confirm({
      title: t('catalogueImport.confirmTitle'),
      message: t('catalogueImport.confirmMessage', {
        network,
        created: sum(checked.created),
        changed: sum(checked.changed),
      }),
      confirmLabel: t('catalogueImport.import'),
    });
    if (ok) await run(false);
  }

  const located = (issues: readonly ImportIssue[]) => issues.filter((i) => locate(i, jsonName) !== null);
  const unlocated = (issues: readonly ImportIssue[]) => issues.filter((i) => locate(i, jsonName) === null);

  return (
    <>
      <p className="breadcrumb">
        <Link to="/offers">{t('offers.backToList')}</Link>
      </p>
      <h1>{t('catalogueImport.title')}</h1>
      <p>{t('catalogueImport.intro', { network })}</p>
      <StatusMessage message={flash} />
      <form onSubmit={submit} noValidate className="card">
        <ErrorAlert error={s.error} />
        <Field
          id="import-files"
          label={t('catalogueImport.files')}
          hint={t('catalogueImport.filesHint')}
          error={fileError}
          required
        >
          {(control) => (
            <input
              {...control}
              ref={fileInput}
              name="import-files"
              type="file"
              multiple
              accept=".json,.csv,application/json,text/csv"
              onChange={(e) => {
                setFiles(Array.from(e.target.files ?? []));
                reset();
              }}
            />
          )}
        </Field>
        {chosen && (
          <p className="hint" data-testid="import-chosen">
            {chosen}
          </p>
        )}
        <Field id="import-entity" label={t('catalogueImport.entity')} hint={t('catalogueImport.entityHint')}>
          {(control) => (
            <select
              {...control}
              value={entity}
              onChange={(e) => {
                setEntity((e.target.value || '') as ImportKind | '');
                setChecked(null);
              }}
            >
              <option value="">{t('catalogueImport.entityAuto')}</option>
              {IMPORT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`catalogueImport.kinds.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="button primary" disabled={s.busy}>
            {t('catalogueImport.dryRun')}
          </button>
          <button
            type="button"
            className="button secondary"
            disabled={s.busy}
            aria-disabled={checked ? undefined : true}
            aria-describedby={checked ? undefined : 'import-needs-dry-run'}
            onClick={() => void importForReal()}
          >
            {t('catalogueImport.import')}
          </button>
        </div>
        {!checked && (
          <p className="hint" id="import-needs-dry-run">
            {t('catalogueImport.importNeedsDryRun')}
          </p>
        )}
        {phase && !job && (
          <p className="loading" role="status">
            {phase === 'reading' ? t('catalogueImport.reading') : t('catalogueImport.sending')}
          </p>
        )}
      </form>

      {job && <Progress job={job} />}

      {outcome?.kind === 'result' && <ResultView result={outcome.result} jsonName={jsonName} />}

      {(outcome?.kind === 'invalid' || outcome?.kind === 'failed') && (
        <section className="card" aria-labelledby="import-errors-title" data-testid="import-report">
          <h2 id="import-errors-title">{t('catalogueImport.errorsTitle')}</h2>
          <ErrorAlert
            error={[
              outcome.kind === 'failed' && located(outcome.issues).length === 0
                ? t('catalogueImport.jobFailed')
                : t('catalogueImport.errorsAlert', { count: located(outcome.issues).length }),
              ...unlocated(outcome.issues).map((i) => i.message || i.code),
            ].join(' ')}
          />
          {located(outcome.issues).length > 0 && (
            <>
              <p className="hint">{t('catalogueImport.rowHint')}</p>
              <IssueTable
                issues={located(outcome.issues)}
                jsonName={jsonName}
                caption={t('catalogueImport.errorsTitle')}
                testId="import-errors"
              />
            </>
          )}
        </section>
      )}
      {dialog}
    </>
  );
}
