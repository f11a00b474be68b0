import { sql } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import type { GroupRow, GroupSessionRow } from '../../core/db/schema.ts';
import { ownOrganization } from '../../core/access.ts';

/** Every query here is scoped to the actor's organisation; RLS applies the same rule underneath. */

export async function findGroup(tx: Tx, id: string, lock = false): Promise<GroupRow | undefined> {
  let q = tx.db
    .selectFrom('groups')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', ownOrganization(tx));
  // registrations lock their group, so two at once cannot both take the last place
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findSession(tx: Tx, id: string): Promise<GroupSessionRow | undefined> {
  return tx.db
    .selectFrom('group_sessions')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', ownOrganization(tx))
    .executeTakeFirst();
}

/** The named participants who attended, per session of a group. */
export async function attendanceOf(tx: Tx, sessionIds: string[]) {
  if (!sessionIds.length) return [];
  return tx.db
    .selectFrom('group_attendance')
    .select(['session_id', 'client_id'])
    .where('session_id', 'in', sessionIds)
    .where('organization_id', '=', ownOrganization(tx))
    .orderBy('client_id')
    .execute();
}

export async function sessionsOf(tx: Tx, groupId: string) {
  return tx.db
    .selectFrom('group_sessions')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('organization_id', '=', ownOrganization(tx))
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
}

export async function registrationsOf(tx: Tx, groupId: string) {
  return tx.db
    .selectFrom('group_registrations as r')
    .innerJoin('clients as c', 'c.id', 'r.client_id')
    .select([
      'r.id',
      'r.client_id',
      'r.status',
      'r.registered_at',
      'c.identity_kind',
      'c.given_name',
      'c.family_name',
      'c.pseudonym',
    ])
    .where('r.group_id', '=', groupId)
    .where('r.organization_id', '=', ownOrganization(tx))
    .orderBy('r.registered_at')
    .orderBy('r.id')
    .execute();
}

export async function registeredCount(tx: Tx, groupId: string): Promise<number> {
  const row = await tx.db
    .selectFrom('group_registrations')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('group_id', '=', groupId)
    .where('organization_id', '=', ownOrganization(tx))
    .where('status', '=', 'registered')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The list: places taken, the waiting list, the next planned session and the sessions held (attendance recorded). */
export async function listGroups(tx: Tx, id?: string) {
  const org = ownOrganization(tx);
  let q = tx.db
    .selectFrom('groups as g')
    .selectAll('g')
    .select([
      sql<number>`(select count(*) from group_registrations r where r.group_id = g.id and r.status = 'registered')::int`.as(
        'registered',
      ),
      sql<number>`(select count(*) from group_registrations r where r.group_id = g.id and r.status = 'waiting')::int`.as(
        'waiting',
      ),
      sql<Date | null>`(select min(s.starts_at) from group_sessions s where s.group_id = g.id and s.status = 'planned' and s.starts_at > now())`.as(
        'next_session_at',
      ),
      sql<number>`(select count(*) from group_sessions s where s.group_id = g.id and s.status = 'planned' and s.attendance_recorded_at is not null)::int`.as(
        'sessions_held',
      ),
    ])
    .where('g.organization_id', '=', org);
  if (id) q = q.where('g.id', '=', id);
  return q.orderBy('g.created_at', 'desc').orderBy('g.id').limit(500).execute();
}
export type GroupListRow = Awaited<ReturnType<typeof listGroups>>[number];

/** The next planned sessions of a group (for the catalogue offer). */
export async function upcomingSessions(tx: Tx, groupId: string, limit: number) {
  return tx.db
    .selectFrom('group_sessions')
    .select('starts_at')
    .where('group_id', '=', groupId)
    .where('organization_id', '=', ownOrganization(tx))
    .where('status', '=', 'planned')
    .where('starts_at', '>', sql<Date>`now()`)
    .orderBy('starts_at')
    .limit(limit)
    .execute();
}

export async function activeMembers(tx: Tx, userIds: string[]) {
  if (!userIds.length) return [];
  return tx.db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.display_name'])
    .distinct()
    .where('m.user_id', 'in', userIds)
    .where('m.organization_id', '=', ownOrganization(tx))
    .where('m.active', '=', true)
    .execute();
}

export async function unknownTheme(tx: Tx, theme: string): Promise<boolean> {
  const row = await tx.db
    .selectFrom('taxonomy_terms')
    .select('id')
    .where('id', '=', theme)
    .where('taxonomy', '=', 'theme')
    .executeTakeFirst();
  return !row;
}

export async function municipalityExists(tx: Tx, nis: string): Promise<boolean> {
  const row = await tx.db
    .selectFrom('municipalities')
    .select('nis_code')
    .where('nis_code', '=', nis)
    .executeTakeFirst();
  return !!row;
}

/**
 * The funder's figures of one organisation over [from, to] (Brussels dates, both included), one statement.
 * A session is held when it was not cancelled and its attendance was recorded; it counts the larger of the
 * headcount and the named participants who attended. Facilities are counted once each per kind of contact.
 */
export async function figures(tx: Tx, organizationId: string, from: string, to: string) {
  const result = await sql<{
    group_sessions: number;
    group_participants: number;
    facilities_contacted: number;
    facilities_advised: number;
    facilities_visited: number;
  }>`
    with held as (
      select s.id, greatest(coalesce(s.headcount, 0),
               (select count(*) from group_attendance a where a.session_id = s.id)::int) as n
      from group_sessions s
      where s.organization_id = ${organizationId} and s.status = 'planned' and s.attendance_recorded_at is not null
        and kl_brussels_date(s.starts_at) between ${from}::date and ${to}::date
    ), contacts as (
      select facility_id, kind from facility_contacts
      where organization_id = ${organizationId} and contact_date between ${from}::date and ${to}::date
    )
    select
      (select count(*) from held)::int as group_sessions,
      (select coalesce(sum(n), 0) from held)::int as group_participants,
      (select count(distinct facility_id) from contacts)::int as facilities_contacted,
      (select count(distinct facility_id) from contacts where kind = 'specialised-advice')::int as facilities_advised,
      (select count(distinct facility_id) from contacts where kind = 'on-site-visit')::int as facilities_visited
  `.execute(tx.db);
  return result.rows[0]!;
}
