import type { Tx } from '../../core/db/tenant.ts';
import { invalid } from '../../core/http/errors.ts';
import { displayName } from '../clients/index.ts';
import * as repo from './work.repository.ts';
import { WORK_AUDIT } from './work.audit.ts';
import type { CaseloadQuery } from './work.schema.ts';

const DAY_MS = 86_400_000;

/** Days since the last contact that took place, or since the start when there is none. */
function quietDays(startDate: string, lastContact: Date | string | null, now: number) {
  const since = lastContact ? new Date(lastContact).getTime() : Date.parse(`${startDate}T00:00:00Z`);
  return { ms: now - since, days: Math.max(0, Math.floor((now - since) / DAY_MS)) };
}

function workItem(row: repo.MyTrajectoryRow, now: number) {
  const quiet = quietDays(row.start_date, row.last_contact_at, now);
  return {
    id: row.id,
    clientId: row.client_id,
    clientDisplayName: displayName(row),
    module: row.module,
    phase: row.phase,
    status: row.status,
    startDate: row.start_date,
    lastContactAt: row.last_contact_at ? new Date(row.last_contact_at).toISOString() : null,
    daysSinceContact: quiet.days,
    // the same rule as the trajectory list: a planned one waits for its first contact and is not flagged
    noRecentContact: (row.status === 'active' || row.status === 'on-hold') && quiet.ms > repo.NO_CONTACT_DAYS * DAY_MS,
  };
}

/** "Mijn werk": my running trajectories, the ones without a contact for 30 days first (longest silence first). */
export async function myWork(tx: Tx) {
  const userId = tx.actor.userId;
  // a token has no work of its own (the permission is not given to tokens; this keeps it closed)
  const rows = userId ? await repo.myRunningTrajectories(tx, userId) : [];
  const now = Date.now();
  const items = rows.map((r) => workItem(r, now));
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
  };
  await tx.audit({ action: WORK_AUDIT.myWorkRead, details: { count: items.length } });
  return { trajectories, counts };
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
