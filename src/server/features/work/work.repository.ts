import { sql } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import { ownOrganization } from '../../core/access.ts';
import { NO_CONTACT_DAYS } from '../trajectories/index.ts';

/** A trajectory still runs in these statuses: it is someone's work. */
export const RUNNING = ['planned', 'active', 'on-hold'] as const;
/** Organisation roles that hold trajectories. */
const CARE_ROLES = ['intake-worker', 'caregiver', 'coordinator', 'team-lead'];

/**
 * My running trajectories with the client's name and the last contact that took place: one statement on the
 * (organization_id, responsible_user_id, status) index; the last contact is a correlated max(at) that reads the
 * newest entries of the (trajectory_id, at desc) index.
 */
export async function myRunningTrajectories(tx: Tx, userId: string) {
  return tx.db
    .selectFrom('trajectories as t')
    .innerJoin('clients as c', 'c.id', 't.client_id')
    .select([
      't.id',
      't.client_id',
      't.module',
      't.phase',
      't.status',
      't.start_date',
      'c.identity_kind',
      'c.given_name',
      'c.family_name',
      'c.pseudonym',
      (eb) =>
        eb
          .selectFrom('trajectory_contacts as k')
          .select((k) => k.fn.max('k.at').as('last'))
          .whereRef('k.trajectory_id', '=', 't.id')
          .where('k.no_show', '=', false)
          .as('last_contact_at'),
    ])
    .where('t.organization_id', '=', ownOrganization(tx))
    .where('t.responsible_user_id', '=', userId)
    .where('t.status', 'in', RUNNING)
    .orderBy('t.start_date', 'desc')
    .orderBy('t.id')
    .limit(500)
    .execute();
}
export type MyTrajectoryRow = Awaited<ReturnType<typeof myRunningTrajectories>>[number];

export async function teamsOf(tx: Tx) {
  return tx.db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('organization_id', '=', ownOrganization(tx))
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export interface CaseloadDbRow {
  user_id: string;
  display_name: string;
  roles: string[] | null;
  team_id: string | null;
  team_name: string | null;
  planned: number;
  active: number;
  on_hold: number;
  no_recent_contact: number;
}

/**
 * Per caregiver of the organisation (or of one team): the running trajectories by status and the active or paused
 * ones without a contact for 30 days. One statement: the counts per responsible user over the organisation's running
 * trajectories, joined to the care roles' active memberships. Without a team filter, a former member who still holds
 * trajectories shows too (with no roles), so no trajectory drops out of sight.
 */
export async function caseload(tx: Tx, teamId: string | null): Promise<CaseloadDbRow[]> {
  const org = ownOrganization(tx);
  const rows = await sql<CaseloadDbRow>`
    with running as (
      select t.responsible_user_id as user_id, t.status,
             -- the Brussels calendar day of the last contact (or the start), as My work and the trajectory list count
             coalesce((select kl_brussels_date(max(k.at)) from trajectory_contacts k
                       where k.trajectory_id = t.id and k.no_show = false), t.start_date) as since
      from trajectories t
      where t.organization_id = ${org} and t.status in ('planned', 'active', 'on-hold')
    ), counts as (
      select user_id,
             count(*) filter (where status = 'planned')::int as planned,
             count(*) filter (where status = 'active')::int as active,
             count(*) filter (where status = 'on-hold')::int as on_hold,
             count(*) filter (where status in ('active', 'on-hold')
                              and since < kl_brussels_date() - ${NO_CONTACT_DAYS}::int)::int as no_recent_contact
      from running group by user_id
    ), members as (
      select m.user_id, array_agg(distinct m.role order by m.role) as roles,
             (array_agg(m.team_id order by m.team_id) filter (where m.team_id is not null))[1] as team_id
      from memberships m
      where m.organization_id = ${org} and m.active and m.role in (${sql.join(CARE_ROLES)})
        ${teamId ? sql`and m.team_id = ${teamId}` : sql``}
      group by m.user_id
    )
    select u.id as user_id, u.display_name, mb.roles, mb.team_id, tm.name as team_name,
           coalesce(c.planned, 0) as planned, coalesce(c.active, 0) as active, coalesce(c.on_hold, 0) as on_hold,
           coalesce(c.no_recent_contact, 0) as no_recent_contact
    from members mb
    ${teamId ? sql`left join` : sql`full join`} counts c on c.user_id = mb.user_id
    join users u on u.id = coalesce(mb.user_id, c.user_id)
    left join teams tm on tm.id = mb.team_id
    order by coalesce(c.active, 0) + coalesce(c.on_hold, 0) + coalesce(c.planned, 0) desc, u.display_name, u.id`.execute(
    tx.db,
  );
  return rows.rows;
}

/**
 * The client fields a name is made of, from my organisation's own record of the plan's person (if it has one): the
 * plan's own record when it is mine (a plan of my organisation; one primary-key lookup), else the first of my records
 * among the person's linked ones. The person's records as an array, so each is one primary-key lookup: as
 * `in (select … from kl_person_records(…))` the planner read every client of my organisation per row (a function scan
 * is estimated at 1,000 rows), 17 ms a row with 300 clients per organisation in the bench; and the linked records
 * (a recursive walk, about 1 ms) only for a plan shown by consent.
 */
const myRecordOfPerson = sql<string>`coalesce(
  (select c.id from clients c where c.id = p.client_id and c.organization_id = kl_current_org()),
  (select c.id from clients c
   where c.id = any(array(select id from kl_person_records(p.client_id))) and c.organization_id = kl_current_org()
   order by c.id limit 1))`;

/**
 * The open care-plan actions due by `until` (overdue ones included) that are mine: those I own, on the
 * (owner_user_id, due_date) index of open actions, and those my organisation owns on the plans where I am an active
 * caregiver of the care team (of my organisation), taken from my care-team rows on the (user_id) index and then the
 * plans' actions (care_plan_id index), so an organisation's backlog is not read whole. Only plans I may see (RLS: my
 * organisation's plans and those a care-plan consent shows it). The two halves never overlap: an action has one owner.
 */
export async function myActionsDue(tx: Tx, userId: string, until: string) {
  const org = ownOrganization(tx);
  const due = () =>
    tx.db
      .selectFrom('care_plan_actions as a')
      .innerJoin('care_plans as p', 'p.id', 'a.care_plan_id')
      .leftJoin('care_plan_goals as g', 'g.id', 'a.goal_id')
      .select([
        'a.id',
        'a.care_plan_id',
        'a.description',
        'a.due_date',
        'a.owner_kind',
        'g.person_words as goal_description',
      ])
      .select(() => myRecordOfPerson.as('client_id'))
      .where('a.status', '=', 'open')
      .where('a.due_date', '<=', until)
      .where('p.status', '=', 'active');
  const mine = due().where('a.owner_user_id', '=', userId);
  const myOrganisations = due()
    .where('a.owner_kind', '=', 'organization')
    .where('a.owner_organization_id', '=', org)
    // the plans as an array: `= any(array(…))` is an index condition on the plan's actions, so the statement starts
    // from my few care-team rows; as `in (select …)` the planner may read the organisation's whole backlog of open
    // actions on (owner_organization_id, due_date), each through the plan's row policy
    .where(
      sql<boolean>`a.care_plan_id = any(array(
        select m.care_plan_id from care_team_members m
         where m.user_id = ${userId} and m.kind = 'caregiver' and m.organization_id = ${org} and m.active))`,
    );
  return mine.unionAll(myOrganisations).orderBy('due_date').orderBy('id').limit(200).execute();
}

/**
 * Active plans whose next evaluation is due by `until` (overdue included) where I am the coordinator or an active
 * caregiver of the care team. Both are care-team rows of mine (the coordinator is a member of the plan), so the
 * plans come from my rows on the (user_id) index of care_team_members (migration 027): otherwise every active plan
 * of the network due by then passes the care plan's row policy (a consent lookup per plan of another organisation)
 * before the filter on me — 9 s for 9,000 plans in the bench.
 */
export async function myEvaluationsDue(tx: Tx, userId: string, until: string) {
  return tx.db
    .selectFrom('care_plans as p')
    .leftJoin('care_team_members as coordinator', 'coordinator.id', 'p.coordinator_member_id')
    .select(['p.id', 'p.next_evaluation_on', 'p.care_level'])
    .select((eb) => eb('coordinator.user_id', '=', userId).as('i_coordinate'))
    .select(() => myRecordOfPerson.as('client_id'))
    .where('p.status', '=', 'active')
    .where('p.next_evaluation_on', '<=', until)
    .where('p.id', 'in', (eb) =>
      eb.selectFrom('care_team_members as mine').select('mine.care_plan_id').where('mine.user_id', '=', userId),
    )
    .where((eb) =>
      eb.or([
        eb('coordinator.user_id', '=', userId),
        eb.exists(
          eb
            .selectFrom('care_team_members as m')
            .select('m.id')
            .whereRef('m.care_plan_id', '=', 'p.id')
            .where('m.user_id', '=', userId)
            .where('m.active', '=', true),
        ),
      ]),
    )
    .orderBy('p.next_evaluation_on')
    .orderBy('p.id')
    .limit(200)
    .execute();
}

/** Display names of my organisation's client records, by id. */
export async function clientNames(tx: Tx, ids: readonly string[]) {
  if (!ids.length) return [];
  return tx.db
    .selectFrom('clients')
    .select(['id', 'identity_kind', 'given_name', 'family_name', 'pseudonym'])
    .where('id', 'in', [...new Set(ids)])
    .where('organization_id', '=', ownOrganization(tx))
    .execute();
}
