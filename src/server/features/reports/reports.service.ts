import type { Tx } from '../../core/db/tenant.ts';
import { sql } from 'kysely';
import { AppError, invalid, notFound, type FieldError } from '../../core/http/errors.ts';
import type { Lang } from '../../core/http/messages.ts';
import { isNetworkRole } from './access.ts';
import * as repo from './reports.repository.ts';
import {
  DEFAULT_NORMS,
  FLOW_LEVELS,
  MODULES,
  type Flow,
  type FlowBy,
  type FlowQuery,
  NORM_LIMITS,
  NORM_MODULES,
  type Module,
  type ModuleOutput,
  type NormModule,
  type OutputNormsUpdate,
  type Output,
  type StaffingParams,
  type StaffingPut,
} from './reports.schema.ts';
import { monthPeriod, monthSpan, previousQuarter, quarterOf, quarterPeriod } from './periods.ts';
import {
  compensatingMoves,
  SUPPRESSED_BELOW,
  suppress,
  suppressTable,
  type Move,
  type Published,
  type Relation,
} from './suppression.ts';
import { REPORTS_AUDIT } from './reports.audit.ts';

/** The network's yearly norm per FTE per module: its own values over the defaults; `other` has none. */
export function normsOf(stored: unknown): Record<Module, number | null> {
  const raw = stored && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
  const out = { other: null } as Record<Module, number | null>;
  for (const [module, norm] of Object.entries(DEFAULT_NORMS)) {
    const value = raw[module];
    out[module as Module] = typeof value === 'number' && value > 0 ? value : norm;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Norms (network admin)

const normValues = (norms: Record<Module, number | null>) =>
  Object.fromEntries(NORM_MODULES.map((m) => [m, norms[m]!])) as Record<NormModule, number>;

export async function readNorms(tx: Tx) {
  const network = await repo.networkOf(tx);
  return { norms: normValues(normsOf(network.output_norms)), defaults: { ...DEFAULT_NORMS }, limits: NORM_LIMITS };
}

/**
 * Replaces the five yearly norms per FTE. Every value out of range is reported, in the caller's language, and nothing
 * is stored; the audit row carries the old and new value of every module (numbers only).
 */
export async function updateNorms(tx: Tx, input: OutputNormsUpdate, lang: Lang) {
  const errors: FieldError[] = [];
  for (const module of NORM_MODULES) {
    const value = input.norms[module];
    if (!Number.isInteger(value) || value < NORM_LIMITS.min || value > NORM_LIMITS.max)
      errors.push({
        field: `norms.${module}`,
        code: 'out-of-range',
        message:
          lang === 'nl'
            ? `Geef een geheel getal van ${NORM_LIMITS.min} tot en met ${NORM_LIMITS.max} (trajecten per VTE per jaar).`
            : `Enter a whole number from ${NORM_LIMITS.min} to ${NORM_LIMITS.max} (trajectories per FTE per year).`,
      });
  }
  if (errors.length) throw invalid(...errors);
  const network = await repo.networkOf(tx, true);
  const before = normValues(normsOf(network.output_norms));
  const next = normValues(normsOf(input.norms));
  await tx.db
    .updateTable('networks')
    .set({ output_norms: sql`output_norms || ${JSON.stringify(next)}::jsonb` })
    .where('id', '=', network.id)
    .execute();
  const details: Record<string, number | string> = {};
  for (const m of NORM_MODULES) {
    details[`old.${m}`] = before[m];
    details[`new.${m}`] = next[m];
  }
  details.changed = NORM_MODULES.filter((m) => before[m] !== next[m]).join(',');
  await tx.audit({ action: REPORTS_AUDIT.normsUpdate, entityType: 'network', entityId: network.id, details });
  return readNorms(tx);
}

// ---------------------------------------------------------------------------------------------------------------
// Staffing

export async function readStaffing(tx: Tx, quarter: string, organizationId?: string) {
  const org = await reportOrganization(tx, organizationId);
  const [staffing, network] = await Promise.all([repo.staffingOf(tx, org.id, quarter), repo.networkOf(tx)]);
  const norms = normsOf(network.output_norms);
  return {
    quarter,
    modules: MODULES.filter((m) => staffing.has(m)).map((module) => ({
      module,
      fte: staffing.get(module)!,
      norm: norms[module],
    })),
  };
}

export async function putStaffing(tx: Tx, input: StaffingPut) {
  if (Math.round(input.fte * 100) !== Number((input.fte * 100).toFixed(6)))
    throw invalid({ field: 'fte', code: 'multipleOf' });
  const before = await repo.staffingOf(tx, tx.actor.organizationId!, input.quarter);
  await repo.upsertStaffing(tx, input.quarter, input.module, input.fte);
  await tx.audit({
    action: REPORTS_AUDIT.staffingUpdate,
    entityType: 'organization',
    entityId: tx.actor.organizationId!,
    details: { quarter: input.quarter, module: input.module, old: before.get(input.module) ?? '', new: input.fte },
  });
  return readStaffing(tx, input.quarter);
}

/**
 * Removes a module's FTE from a quarter (it has no staff any more): the output then has no norm for it. Only the
 * organisation's own row; a module the quarter has not set is 404 (so is any other organisation's row: RLS hides it).
 */
export async function deleteStaffing(tx: Tx, params: StaffingParams) {
  const old = await repo.deleteStaffing(tx, params.quarter, params.module);
  if (old === null) throw notFound();
  await tx.audit({
    action: REPORTS_AUDIT.staffingDelete,
    entityType: 'organization',
    entityId: tx.actor.organizationId!,
    details: { quarter: params.quarter, module: params.module, old, new: '' },
  });
  return readStaffing(tx, params.quarter);
}

/** Copies the previous quarter's FTE into this quarter, for the modules this quarter does not have yet. */
export async function copyPreviousStaffing(tx: Tx, quarter: string) {
  const previous = previousQuarter(quarter);
  const [from, current] = await Promise.all([
    repo.staffingOf(tx, tx.actor.organizationId!, previous),
    repo.staffingOf(tx, tx.actor.organizationId!, quarter),
  ]);
  if (from.size === 0) throw new AppError('conflict', [{ field: 'quarter', code: 'no-previous-staffing' }]);
  let copied = 0;
  for (const [module, fte] of from) {
    if (current.has(module)) continue;
    await repo.upsertStaffing(tx, quarter, module, fte);
    copied++;
  }
  await tx.audit({
    action: REPORTS_AUDIT.staffingCopy,
    entityType: 'organization',
    entityId: tx.actor.organizationId!,
    details: { quarter, from: previous, copied },
  });
  return readStaffing(tx, quarter);
}

// ---------------------------------------------------------------------------------------------------------------
// Quarterly output

/** Which organisation a report is about: one's own, or for a network role one of its network (404 otherwise). */
async function reportOrganization(tx: Tx, organizationId: string | undefined) {
  if (isNetworkRole(tx.actor)) {
    if (!organizationId) throw invalid({ field: 'organizationId', code: 'required' });
  } else if (organizationId && organizationId !== tx.actor.organizationId) {
    throw notFound();
  }
  const org = await repo.organizationInNetwork(tx, organizationId ?? tx.actor.organizationId!);
  if (!org) throw notFound();
  return org;
}

/** Output figures of other features, per organisation and period. */
interface OtherFigures {
  proactiveContacts: number;
  supportStarted: number;
  groupSessions: number;
  groupParticipants: number;
  facilitiesContacted: number;
  facilitiesAdvised: number;
  facilitiesVisited: number;
}

/**
 * The funder's figures that other features keep: proactive contacts and support started after outreach
 * (outreach_signals), group sessions and participants, facilities contacted/advised/visited (group_sessions,
 * facility_contacts). Those tables are the organisation's under RLS, so they are counted by the definer function
 * `kl_report_other_figures` (migration 026, same definitions as `outreachFigures` and `groupWorkFigures`): the
 * organisation and its network's roles get the same counts, and a network role is never given a row.
 */
function otherFigures(tx: Tx, organizationId: string, from: string, to: string): Promise<OtherFigures> {
  return repo.otherFigures(tx, organizationId, from, to);
}

/** The exact figures of one organisation's quarter: what an organisation submits to its funder. */
export interface Figures extends OtherFigures {
  modules: {
    module: string;
    fte: number;
    normPerFte: number | null;
    norm: number | null;
    trajectories: number;
    newTrajectories: number;
    finishedTrajectories: number;
    finishedByOutcome: { fully: number; partly: number; not: number };
    ratio: number | null;
  }[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export async function liveFigures(tx: Tx, organizationId: string, quarter: string): Promise<Figures> {
  const { from, to } = quarterPeriod(quarter);
  const [counts, staffing, network, other] = await Promise.all([
    repo.trajectoryCounts(tx, organizationId, from, to),
    repo.staffingOf(tx, organizationId, quarter),
    repo.networkOf(tx),
    otherFigures(tx, organizationId, from, to),
  ]);
  const norms = normsOf(network.output_norms);
  const byModule = new Map(counts.map((c) => [c.module, c]));
  const modules = MODULES.filter((m) => staffing.has(m) || byModule.has(m)).map((module) => {
    const c = byModule.get(module) ?? { active: 0, started: 0, fully: 0, partly: 0, not: 0 };
    const fte = staffing.get(module) ?? 0;
    const normPerFte = norms[module];
    const norm = normPerFte === null ? null : round2((fte * normPerFte) / 4);
    return {
      module,
      fte,
      normPerFte,
      norm,
      trajectories: c.active,
      newTrajectories: c.started,
      finishedTrajectories: c.fully + c.partly + c.not,
      finishedByOutcome: { fully: c.fully, partly: c.partly, not: c.not },
      ratio: norm ? round2(c.active / norm) : null,
    };
  });
  return { modules, ...other };
}

/**
 * A module row as network roles see it. Active ≥ new and active ≥ finished, so when the active count is small every
 * count of the row is at most 4 and all of them are hidden; otherwise small cells are hidden, and the outcome
 * breakdown with its total (fully + partly + not = finished) is protected as one relation.
 */
export function suppressModule(m: Figures['modules'][number]): ModuleOutput {
  const o = m.finishedByOutcome;
  const values = [m.trajectories, m.newTrajectories, m.finishedTrajectories, o.fully, o.partly, o.not];
  const small = m.trajectories >= 1 && m.trajectories <= 4;
  const cells: Published[] = small ? values.map(() => '<5') : suppress(values, [{ plus: [3, 4, 5], minus: [2] }]);
  return {
    ...m,
    trajectories: cells[0]!,
    newTrajectories: cells[1]!,
    finishedTrajectories: cells[2]!,
    finishedByOutcome: { fully: cells[3]!, partly: cells[4]!, not: cells[5]! },
    ratio: typeof cells[0] === 'number' ? m.ratio : null,
  };
}

function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(value)) {
    for (const item of value as { module?: string }[])
      flatten(item, `${prefix}.${item && typeof item === 'object' && item.module ? item.module : '?'}`, out);
  } else out[prefix] = value;
  return out;
}

/** What changed from one version of the figures to the next, field by field. */
export function differences(before: unknown, after: unknown) {
  const a = flatten(before);
  const b = flatten(after);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys
    .filter((k) => !k.endsWith('.module') && a[k] !== b[k])
    .map((field) => ({ field, before: a[field] ?? null, after: b[field] ?? null }));
}

export async function readOutput(
  tx: Tx,
  query: { quarter: string; organizationId?: string; version?: number },
): Promise<Output> {
  const org = await reportOrganization(tx, query.organizationId);
  const [live, submissions] = await Promise.all([
    liveFigures(tx, org.id, query.quarter),
    repo.submissionsOf(tx, org.id, query.quarter),
  ]);
  let figures = live;
  if (query.version !== undefined) {
    const chosen = submissions.find((s) => s.version === query.version);
    if (!chosen) throw notFound();
    figures = chosen.figures as Figures;
  }
  const versions = submissions.map((s, i) => ({
    version: s.version,
    submittedAt: new Date(s.submitted_at).toISOString(),
    submittedBy: s.submitted_by_name,
    changes: i === 0 ? [] : differences(submissions[i - 1]!.figures, s.figures),
  }));
  const last = submissions.at(-1);
  const suppressed = isNetworkRole(tx.actor);
  const other = suppressed
    ? (Object.fromEntries(
        Object.entries(figures)
          .filter(([k]) => k !== 'modules')
          .map(([k, v]) => [k, suppress([v as number])[0]]),
      ) as Record<keyof OtherFigures, Published>)
    : figures;
  const { from, to } = quarterPeriod(query.quarter);
  return {
    organizationId: org.id,
    organizationName: org.name,
    quarter: query.quarter,
    period: { from, to },
    suppressed,
    modules: suppressed ? figures.modules.map(suppressModule) : figures.modules,
    proactiveContacts: other.proactiveContacts,
    supportStarted: other.supportStarted,
    groupSessions: other.groupSessions,
    groupParticipants: other.groupParticipants,
    facilitiesContacted: other.facilitiesContacted,
    facilitiesAdvised: other.facilitiesAdvised,
    facilitiesVisited: other.facilitiesVisited,
    version: query.version ?? null,
    versions,
    changedSinceSubmission: last ? differences(last.figures, live).length > 0 : false,
  };
}

/** Freezes the live figures as the next version; a version equal to the last one is refused (409). */
export async function submitOutput(tx: Tx, quarter: string) {
  const orgId = tx.actor.organizationId!;
  const figures = await liveFigures(tx, orgId, quarter);
  const submissions = await repo.submissionsOf(tx, orgId, quarter);
  const last = submissions.at(-1);
  const changes = last ? differences(last.figures, figures) : [];
  if (last && changes.length === 0) throw new AppError('conflict', [{ field: 'quarter', code: 'nothing-changed' }]);
  const version = (last?.version ?? 0) + 1;
  const row = await repo.insertSubmission(tx, quarter, version, figures, await repo.userName(tx));
  await tx.audit({
    action: REPORTS_AUDIT.outputSubmit,
    entityType: 'organization',
    entityId: orgId,
    details: { quarter, version, changed: changes.length },
  });
  return { quarter, version: row.version, submittedAt: new Date(row.submitted_at).toISOString(), changes };
}

// ---------------------------------------------------------------------------------------------------------------
// Flow monitor

const MAX_MONTHS = 36;

type Days = number | '<5' | null;
function days(n: number, value: number | null): Days {
  if (n === 0 || value === null) return null;
  // a waiting time of fewer than 5 referrals speaks of too few people
  return n < 5 ? '<5' : Math.round(value * 10) / 10;
}

/** The counts of one row of the flow, in the order the published vector holds them. */
export const ROW_COUNTS = [
  'inflow',
  'help_requests',
  'signals',
  'referrals',
  'referrals_between',
  'declined',
  'accepted',
  'first_contacts',
  'finished',
  'steps_up',
  'steps_down',
] as const;
export type RowCount = (typeof ROW_COUNTS)[number];
const OUTCOMES = ['fully', 'partly', 'not'] as const;

function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < monthSpan(from, to); i++) {
    const m = Number(from.slice(5, 7)) - 1 + i;
    out.push(`${Number(from.slice(0, 4)) + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** The rows of the table the caller asked for: months, quarters, organisations or levels, in a stable order. */
async function flowRows(tx: Tx, by: FlowBy, from: string, to: string, buckets: Set<string>) {
  if (by === 'month') return monthsOf(from, to).map((key) => ({ key, name: key }));
  if (by === 'quarter') {
    const quarters = [...new Set(monthsOf(from, to).map((m) => quarterOf(`${m}-01`)))];
    return quarters.map((key) => ({ key, name: key }));
  }
  if (by === 'level')
    return FLOW_LEVELS.filter((l) => l !== 'unknown' || buckets.has(l)).map((key) => ({ key, name: key }));
  const orgs = await repo.networkOrganizations(tx);
  return orgs.map((o) => ({ key: o.id, name: o.name }));
}

const at = (row: number, key: RowCount) => row * ROW_COUNTS.length + ROW_COUNTS.indexOf(key);
const byKey = <T>(cells: readonly T[], offset = 0) =>
  Object.fromEntries(ROW_COUNTS.map((key, k) => [key, cells[offset + k]!])) as Record<RowCount, T>;

/**
 * The period's totals, published first and the same whatever the breakdown (ARCHITECTURE.md "Reporting"): the totals
 * row with its relation inflow = help requests + signals + referrals, declined = Σ reasons, finished = Σ outcomes.
 * `moves` are, for every hidden cell, one change of the totals the published figures allow (a hidden total and a
 * partner of its relation): every breakdown must be able to follow each of them, so that no breakdown pins a total.
 */
export function publishFlowTotals(totals: Record<RowCount, number>, reasons: number[], outcomes: number[]) {
  const values = [...ROW_COUNTS.map((key) => totals[key]), ...reasons, ...outcomes];
  const reasonStart = ROW_COUNTS.length;
  const outcomeStart = reasonStart + reasons.length;
  const relations: Relation[] = [
    { plus: [at(0, 'inflow')], minus: [at(0, 'help_requests'), at(0, 'signals'), at(0, 'referrals')] },
    { plus: [at(0, 'declined')], minus: reasons.map((_, i) => reasonStart + i) },
    { plus: [at(0, 'finished')], minus: outcomes.map((_, i) => outcomeStart + i) },
  ];
  const cells = suppress(values, relations);
  const isTotal = new Set(ROW_COUNTS.map((_, k) => k));
  const moves = new Map<string, Move>();
  const compensating = compensatingMoves(values, cells, relations, isTotal);
  for (const [k] of ROW_COUNTS.entries()) {
    // a hidden total in no relation (accepted, steps, …) may take any value its label allows: down first
    if (typeof cells[k] === 'number' || compensating.has(k)) continue;
    compensating.set(k, [{ cell: k, by: values[k]! > (cells[k] === 'x' ? SUPPRESSED_BELOW : 0) ? -1 : 1 }]);
  }
  for (const move of compensating.values()) {
    const onTotals = move.filter((m) => isTotal.has(m.cell));
    if (onTotals.length) moves.set(JSON.stringify(onTotals), onTotals);
  }
  return {
    values: totals,
    totals: byKey(cells),
    reasons: reasons.map((_, i) => cells[reasonStart + i]!),
    outcomes: outcomes.map((_, i) => cells[outcomeStart + i]!),
    /** each move's cells are indices into ROW_COUNTS */
    moves: [...moves.values()],
  };
}
export type PublishedTotals = ReturnType<typeof publishFlowTotals>;

/**
 * Publishes the rows of one breakdown of the period against its published totals, which stay as they are. Relations:
 * per row inflow = help requests + signals + referrals; per count Σ rows = the total (so inflow and its parts form a
 * table with margins, each cell in two relations: `suppressTable`). The totals' moves must stay possible.
 */
export function publishFlowRows(rows: Record<RowCount, number>[], totals: PublishedTotals) {
  const values: number[] = [];
  for (const row of rows) for (const key of ROW_COUNTS) values.push(row[key]);
  const totalStart = values.length;
  values.push(...ROW_COUNTS.map((key) => totals.values[key]));
  for (const key of ROW_COUNTS) {
    const sum = rows.reduce((s, row) => s + row[key], 0);
    if (sum !== totals.values[key]) throw new Error(`the rows' ${key} (${sum}) differ from the total`);
  }
  const relations: Relation[] = [
    ...rows.map((_, i) => ({
      plus: [at(i, 'inflow')],
      minus: [at(i, 'help_requests'), at(i, 'signals'), at(i, 'referrals')],
    })),
    ...ROW_COUNTS.map((key, k) => ({ plus: rows.map((_, i) => at(i, key)), minus: [totalStart + k] })),
  ];
  const fixed = new Map(ROW_COUNTS.map((key, k) => [totalStart + k, totals.totals[key]]));
  const moves = totals.moves.map((move) => move.map((m) => ({ cell: totalStart + m.cell, by: m.by })));
  const { published, protected: complete } = suppressTable(values, relations, fixed, moves);
  return { rows: rows.map((_, i) => byKey(published, i * ROW_COUNTS.length)), protected: complete };
}

/**
 * Publishes one flow table: the period's totals first (`publishFlowTotals`, by default the sum of the rows), then the
 * rows against them (`publishFlowRows`), and single figures on their own (exported for the unit tests).
 */
export function publishFlowTable(
  rows: Record<RowCount, number>[],
  reasons: number[],
  outcomes: number[],
  singles: number[],
  totals: Record<RowCount, number> = byKey(ROW_COUNTS.map((key) => rows.reduce((s, row) => s + row[key], 0))),
) {
  const period = publishFlowTotals(totals, reasons, outcomes);
  const breakdown = publishFlowRows(rows, period);
  return {
    rows: breakdown.rows,
    totals: period.totals,
    reasons: period.reasons,
    outcomes: period.outcomes,
    singles: singles.map((v) => suppress([v])[0]!),
    protected: breakdown.protected,
  };
}

/**
 * The flow as one published table: rows (months, quarters, organisations or levels) with their counts, declined by
 * reason and outflow by outcome over the period, overdue and stuck now. Relations, each cell in one only: per row
 * inflow = help requests + signals + referrals; Σ rows' declined = Σ reasons; Σ rows' outflow = Σ outcomes.
 */
export async function readFlow(tx: Tx, query: FlowQuery): Promise<Flow> {
  const by: FlowBy = query.by ?? 'month';
  const span = monthSpan(query.from, query.to);
  if (span < 1) throw invalid({ field: 'to', code: 'before-from' });
  if (span > MAX_MONTHS) throw invalid({ field: 'to', code: 'too-many-months' });
  const network = await repo.networkOf(tx);
  if (query.zone !== undefined && query.zone.toLowerCase() !== network.zone_name.toLowerCase()) throw notFound();
  // the trend counts whole quarters
  const [fromMonth, toMonth] =
    by === 'quarter'
      ? [
          quarterPeriod(quarterOf(`${query.from}-01`)).from.slice(0, 7),
          quarterPeriod(quarterOf(`${query.to}-01`)).to.slice(0, 7),
        ]
      : [query.from, query.to];
  const { from, to } = monthPeriod(fromMonth, toMonth);
  // the period's totals always come from the months, so that every breakdown is published against the same totals
  const [facts, monthFacts, totals] = await Promise.all([
    repo.flowFacts(tx, from, to, by),
    by === 'month' ? undefined : repo.flowFacts(tx, from, to, 'month'),
    repo.flowTotals(tx, from, to),
  ]);
  const fact = new Map(facts.map((f) => [`${f.bucket}|${f.measure}`, f]));
  const count = (bucket: string, measure: string) => Number(fact.get(`${bucket}|${measure}`)?.n ?? 0);
  const overPeriod = (measure: string) =>
    (monthFacts ?? facts).filter((f) => f.measure === measure).reduce((sum, f) => sum + Number(f.n), 0);
  const rows = await flowRows(tx, by, fromMonth, toMonth, new Set(facts.map((f) => f.bucket)));
  const withInflow = (own: (measure: string) => number) =>
    Object.fromEntries(
      ROW_COUNTS.map((key) => [
        key,
        key === 'inflow' ? own('help_requests') + own('signals') + own('referrals') : own(key),
      ]),
    ) as Record<RowCount, number>;
  const periodCounts = withInflow(overPeriod);
  const rowCounts = rows.map((row) => withInflow((m) => count(row.key, m)));
  // what no row holds (an organisation outside the list) is a row of its own, so that the rows add up to the totals
  const rest = withInflow((m) => overPeriod(m) - rowCounts.reduce((sum, r) => sum + (r[m as RowCount] ?? 0), 0));
  if (ROW_COUNTS.some((key) => rest[key] !== 0) && rows.every((row) => row.key !== 'unknown')) {
    rows.push({ key: 'unknown', name: 'unknown' });
    rowCounts.push(rest);
  }

  const reasons = totals.filter((t) => t.kind === 'declined').sort((a, b) => a.key.localeCompare(b.key));
  const table = publishFlowTable(
    rowCounts,
    reasons.map((r) => Number(r.n)),
    OUTCOMES.map((o) => overPeriod(`outcome_${o}`)),
    [Number(totals.find((t) => t.kind === 'overdue')?.n ?? 0), Number(totals.find((t) => t.kind === 'stuck')?.n ?? 0)],
    periodCounts,
  );

  const cellsOf = (
    c: (key: RowCount) => Published | null,
    wait: (measure: string, which: 'median' | 'p90') => Days,
  ) => ({
    inflow: c('inflow'),
    helpRequests: c('help_requests'),
    signals: c('signals'),
    outflow: c('finished'),
    referrals: c('referrals'),
    referralsBetweenOrganizations: c('referrals_between'),
    declined: c('declined'),
    accepted: c('accepted'),
    medianDaysToAcceptance: wait('accepted', 'median'),
    p90DaysToAcceptance: wait('accepted', 'p90'),
    firstContacts: c('first_contacts'),
    medianDaysToFirstContact: wait('first_contacts', 'median'),
    p90DaysToFirstContact: wait('first_contacts', 'p90'),
    medianDaysOnWaitingList: wait('waitlist', 'median'),
    p90DaysOnWaitingList: wait('waitlist', 'p90'),
    stepsUp: c('steps_up'),
    stepsDown: c('steps_down'),
  });
  const published = rows.map((row, i) =>
    cellsOf(
      (key) => table.rows[i]![key],
      (measure, which) => {
        const f = fact.get(`${row.key}|${measure}`);
        return days(Number(f?.n ?? 0), f?.[which] ?? null);
      },
    ),
  );

  return {
    zone: network.zone_name,
    from: fromMonth,
    to: toMonth,
    by,
    months: by === 'month' ? rows.map((row, i) => ({ month: row.key, ...published[i]! })) : [],
    quarters: by === 'quarter' ? rows.map((row, i) => ({ quarter: row.key, ...published[i]! })) : [],
    groups:
      by === 'organization' || by === 'level'
        ? rows.map((row, i) => ({ key: row.key, name: row.name, ...published[i]! }))
        : [],
    totals: cellsOf(
      (key) => table.totals[key],
      () => null,
    ),
    declinedByReason: Object.fromEntries(reasons.map((r, i) => [r.key, table.reasons[i]!])),
    outflowByOutcome: { fully: table.outcomes[0]!, partly: table.outcomes[1]!, not: table.outcomes[2]! },
    overdue: table.singles[0]!,
    stuck: table.singles[1]!,
  };
}
