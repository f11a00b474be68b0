import type { Tx } from '../../core/db/tenant.ts';
import { invalid } from '../../core/http/errors.ts';
import { displayName } from '../clients/index.ts';
import { brusselsDate } from '../referrals/index.ts';
import { daysWithoutContact, noRecentContact } from '../trajectories/index.ts';
import * as repo from './work.repository.ts';
import { WORK_AUDIT } from './work.audit.ts';
import type { CaseloadQuery } from './work.schema.ts';

const DAY_MS = 86_400_000;

function workItem(row: repo.MyTrajectoryRow, today: string) {
  return {
    id: row.id,
    clientId: row.client_id,
    clientDisplayName: displayName(row),
    module: row.module,
    phase: row.phase,
    status: row.status,
    startDate: row.start_date,
    lastContactAt: row.last_contact_at ? new Date(row.last_contact_at).toISOString() : null,
    daysSinceContact: daysWithoutContact(row.start_date, row.last_contact_at, today),
    // the same rule as the trajectory list: a planned one waits for its first contact and is not flagged
    noRecentContact: noRecentContact(row.status, row.start_date, row.last_contact_at, today),
  };
}

/** The last day of the week (Sunday) that `today` (YYYY-MM-DD) falls in. */
export function endOfWeek(today: string): string {
  const d = new Date(`${today}T00:00:00Z`);
  const isoDay = d.getUTCDay() || 7;
  return new Date(d.getTime() + (7 - isoDay) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * "Mijn werk": my running trajectories (the ones without a contact for 30 days first, longest silence first), my
 * care-plan actions due this week or overdue (also my organisation's on the plans I am a caregiver in), and the evaluations due this week or overdue of the plans I coordinate
 * or am a caregiver in.
 */
export async function myWork(tx: Tx) {
  const userId = tx.actor.userId;
  const today = brusselsDate();
  const weekEnds = endOfWeek(today);
  // a token has no work of its own (the permission is not given to tokens; this keeps it closed)
  const [rows, actionRows, evaluationRows] = userId
    ? await Promise.all([
        repo.myRunningTrajectories(tx, userId),
        repo.myActionsDue(tx, userId, weekEnds),
        repo.myEvaluationsDue(tx, userId, weekEnds),
      ])
    : [[], [], []];
  const names = new Map(
    (
      await repo.clientNames(
        tx,
        [...actionRows, ...evaluationRows].flatMap((r) => (r.client_id ? [r.client_id] : [])),
      )
    ).map((c) => [c.id, displayName(c)]),
  );
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  const actionsDue = actionRows.map((a) => ({
    id: a.id,
    carePlanId: a.care_plan_id,
    description: a.description,
    goalDescription: a.goal_description,
    dueDate: a.due_date!,
    overdue: a.due_date! < today,
    forOrganization: a.owner_kind === 'organization',
    clientId: a.client_id,
    clientDisplayName: nameOf(a.client_id),
  }));
  const evaluationsDue = evaluationRows.map((e) => ({
    carePlanId: e.id,
    nextEvaluationOn: e.next_evaluation_on!,
    overdue: e.next_evaluation_on! < today,
    coordinator: !!e.i_coordinate,
    careLevel: e.care_level,
    clientId: e.client_id,
    clientDisplayName: nameOf(e.client_id),
  }));
  const items = rows.map((r) => workItem(r, today));
  const trajectories = [
    ...items.filter((i) => i.noRecentContact).sort((a, b) => b.daysSinceContact - a.daysSinceContact),
    ...items.filter((i) => !i.noRecentContact),
  ];
  const count = (status: string) => items.filter((i) => i.status === status).length;
  const counts = {
    running: items.length,
    active: count('active'),
    onHold: count('on-hold'),
    planned: count('planned'),
    noRecentContact: items.filter((i) => i.noRecentContact).length,
    actionsDue: actionsDue.length,
    actionsOverdue: actionsDue.filter((a) => a.overdue).length,
    evaluationsDue: evaluationsDue.length,
    evaluationsOverdue: evaluationsDue.filter((e) => e.overdue).length,
  };
  await tx.audit({
    action: WORK_AUDIT.myWorkRead,
    details: { count: items.length, actions: actionsDue.length, evaluations: evaluationsDue.length },
  });
  return { trajectories, actionsDue, evaluationsDue, weekEnds, counts };
}

/** A team lead's view: per caregiver of the organisation (or one of its teams), the running trajectories. */
export async function caseload(tx: Tx, query: CaseloadQuery) {
  const teams = await repo.teamsOf(tx);
  const teamId = query.teamId ?? null;
  if (teamId && !teams.some((t) => t.id === teamId)) throw invalid({ field: 'teamId', code: 'team-unknown' });
  const rows = await repo.caseload(tx, teamId);
  const items = rows.map((r) => ({
    userId: r.user_id,
    displayName: r.display_name,
    roles: r.roles ?? [],
    teamId: r.team_id,
    teamName: r.team_name,
    planned: r.planned,
    active: r.active,
    onHold: r.on_hold,
    noRecentContact: r.no_recent_contact,
  }));
  const sum = (key: 'planned' | 'active' | 'onHold' | 'noRecentContact') => items.reduce((s, i) => s + i[key], 0);
  const totals = {
    planned: sum('planned'),
    active: sum('active'),
    onHold: sum('onHold'),
    noRecentContact: sum('noRecentContact'),
  };
  // counts per colleague, no person's file: the details name the scope and the size only
  await tx.audit({ action: WORK_AUDIT.caseloadRead, details: { teamId, count: items.length } });
  return { teamId, teams, items, totals };
}
