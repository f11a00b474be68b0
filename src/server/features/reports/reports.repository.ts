import { sql } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import type { FlowBy } from './reports.schema.ts';

export async function organizationInNetwork(tx: Tx, organizationId: string) {
  return tx.db
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('id', '=', organizationId)
    .where('network_id', '=', tx.actor.networkId)
    .executeTakeFirst();
}

export async function networkOf(tx: Tx, forUpdate = false) {
  let query = tx.db
    .selectFrom('networks')
    .select(['id', 'name', 'zone_name', 'output_norms'])
    .where('id', '=', tx.actor.networkId);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirstOrThrow();
}

export async function staffingOf(tx: Tx, organizationId: string, quarter: string) {
  const rows = await tx.db
    .selectFrom('report_staffing')
    .select(['module', 'fte'])
    .where('organization_id', '=', organizationId)
    .where('quarter', '=', quarter)
    .execute();
  return new Map(rows.map((r) => [r.module, Number(r.fte)]));
}

export async function upsertStaffing(tx: Tx, quarter: string, module: string, fte: number) {
  await tx.db
    .insertInto('report_staffing')
    .values({
      organization_id: tx.actor.organizationId!,
      network_id: tx.actor.networkId,
      quarter,
      module,
      fte: fte.toFixed(2),
      updated_by: tx.actor.userId,
      updated_at: sql<Date>`now()`,
    })
    .onConflict((oc) =>
      oc.columns(['organization_id', 'quarter', 'module']).doUpdateSet({
        fte: fte.toFixed(2),
        updated_by: tx.actor.userId,
        updated_at: sql<Date>`now()`,
      }),
    )
    .execute();
}

/** Removes the organisation's FTE of one module in a quarter; returns the FTE it had, or null if there was none. */
export async function deleteStaffing(tx: Tx, quarter: string, module: string) {
  const row = await tx.db
    .deleteFrom('report_staffing')
    .where('organization_id', '=', tx.actor.organizationId!)
    .where('quarter', '=', quarter)
    .where('module', '=', module)
    .returning('fte')
    .executeTakeFirst();
  return row ? Number(row.fte) : null;
}

export interface TrajectoryCounts {
  module: string;
  active: number;
  started: number;
  fully: number;
  partly: number;
  not: number;
}

export async function trajectoryCounts(tx: Tx, organizationId: string, from: string, to: string) {
  const result = await sql<{
    module: string;
    active: string;
    started: string;
    finished_fully: string;
    finished_partly: string;
    finished_not: string;
  }>`select * from kl_report_trajectory_counts(${organizationId}::uuid, ${from}::date, ${to}::date)`.execute(tx.db);
  return result.rows.map((r): TrajectoryCounts => ({
    module: r.module,
    active: Number(r.active),
    started: Number(r.started),
    fully: Number(r.finished_fully),
    partly: Number(r.finished_partly),
    not: Number(r.finished_not),
  }));
}

/**
 * The figures other features keep (outreach signals, group sessions, facility contacts) for one organisation over
 * Brussels dates `from`..`to`, counted by `kl_report_other_figures` (migration 026): counts only, for the
 * organisation itself or a network role of its network (zeros for anyone else).
 */
export async function otherFigures(tx: Tx, organizationId: string, from: string, to: string) {
  const result = await sql<{
    proactive_contacts: string;
    support_started: string;
    group_sessions: string;
    group_participants: string;
    facilities_contacted: string;
    facilities_advised: string;
    facilities_visited: string;
  }>`select * from kl_report_other_figures(${organizationId}::uuid, ${from}::date, ${to}::date)`.execute(tx.db);
  const r = result.rows[0];
  const n = (v: string | undefined) => Number(v ?? 0);
  return {
    proactiveContacts: n(r?.proactive_contacts),
    supportStarted: n(r?.support_started),
    groupSessions: n(r?.group_sessions),
    groupParticipants: n(r?.group_participants),
    facilitiesContacted: n(r?.facilities_contacted),
    facilitiesAdvised: n(r?.facilities_advised),
    facilitiesVisited: n(r?.facilities_visited),
  };
}

export async function submissionsOf(tx: Tx, organizationId: string, quarter: string) {
  return tx.db
    .selectFrom('report_submissions')
    .select(['version', 'figures', 'submitted_by_name', 'submitted_at'])
    .where('organization_id', '=', organizationId)
    .where('quarter', '=', quarter)
    .orderBy('version')
    .execute();
}

export async function insertSubmission(tx: Tx, quarter: string, version: number, figures: unknown, name: string) {
  return tx.db
    .insertInto('report_submissions')
    .values({
      organization_id: tx.actor.organizationId!,
      network_id: tx.actor.networkId,
      quarter,
      version,
      figures: JSON.stringify(figures),
      submitted_by: tx.actor.userId!,
      submitted_by_name: name,
      submitted_at: sql<Date>`now()`,
    })
    .returning(['version', 'submitted_at'])
    .executeTakeFirstOrThrow();
}

export async function userName(tx: Tx) {
  const row = await tx.db
    .selectFrom('users')
    .select('display_name')
    .where('id', '=', tx.actor.userId!)
    .executeTakeFirst();
  return row?.display_name ?? '';
}

/** One count of the flow: a bucket (month, quarter, organisation id or level), a measure, and waiting days. */
export interface FlowFact {
  bucket: string;
  measure: string;
  n: string;
  median: number | null;
  p90: number | null;
}

export async function flowFacts(tx: Tx, from: string, to: string, by: FlowBy) {
  return (
    await sql<FlowFact>`select * from kl_report_flow_facts(${from}::date, ${to}::date, ${by}::text)`.execute(tx.db)
  ).rows;
}

/** The network's organisations (names label the breakdown; an organisation without counts shows zeros). */
export async function networkOrganizations(tx: Tx) {
  return tx.db
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('network_id', '=', tx.actor.networkId)
    .orderBy('name')
    .execute();
}

export async function flowTotals(tx: Tx, from: string, to: string) {
  return (
    await sql<{
      kind: string;
      key: string;
      n: string;
    }>`select * from kl_report_flow_totals(${from}::date, ${to}::date)`.execute(tx.db)
  ).rows;
}
