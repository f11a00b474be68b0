import { sql } from 'kysely';
import type { TrajectoryContactRow, TrajectoryRow } from '../../core/db/schema.ts';
import type { Tx } from '../../core/db/tenant.ts';
import { ownOrganization } from '../../core/access.ts';

/** Every query here is scoped to the actor's organisation; RLS applies the same rule underneath. */
const trajectoriesOf = (tx: Tx) =>
  tx.db.selectFrom('trajectories as t').where('t.organization_id', '=', ownOrganization(tx));

export async function findTrajectory(tx: Tx, id: string): Promise<TrajectoryRow | undefined> {
  return trajectoriesOf(tx).selectAll('t').where('t.id', '=', id).executeTakeFirst();
}

export interface ListFilter {
  responsibleUserId?: string | undefined;
  status?: string | undefined;
  clientId?: string | undefined;
  referralId?: string | undefined;
}

/** The list with the client's name, the responsible caregiver and the last contact (one statement). */
export async function listTrajectories(tx: Tx, filter: ListFilter) {
  let query = trajectoriesOf(tx)
    .innerJoin('clients as c', 'c.id', 't.client_id')
    .innerJoin('users as u', 'u.id', 't.responsible_user_id');
  if (filter.responsibleUserId) query = query.where('t.responsible_user_id', '=', filter.responsibleUserId);
  if (filter.status) query = query.where('t.status', '=', filter.status);
  if (filter.clientId) query = query.where('t.client_id', '=', filter.clientId);
  if (filter.referralId) query = query.where('t.referral_id', '=', filter.referralId);
  return query
    .selectAll('t')
    .select([
      'c.identity_kind',
      'c.given_name',
      'c.family_name',
      'c.pseudonym',
      'u.display_name as responsible_display_name',
      (eb) =>
        eb
          .selectFrom('trajectory_contacts as k')
          .select((k) => k.fn.max('k.at').as('last'))
          .whereRef('k.trajectory_id', '=', 't.id')
          .where('k.no_show', '=', false)
          .as('last_contact_at'),
    ])
    .orderBy('t.start_date', 'desc')
    .orderBy('t.id')
    .limit(500)
    .execute();
}
export type ListRow = Awaited<ReturnType<typeof listTrajectories>>[number];

export interface DetailEvent {
  at: string;
  action: string;
  from_status: string | null;
  to_status: string;
  phase: string | null;
  reason: string | null;
  display_name: string | null;
}
export interface DetailContact {
  id: string;
  at: string;
  minutes: number;
  kind: string;
  with_client: boolean;
  support_persons: string | null;
  other_organizations: string | null;
  no_show: boolean;
  note: string | null;
  version: number;
  created_by_name: string | null;
  updated_at: string;
  updated_by_name: string | null;
}

/**
 * A trajectory with everything its page shows in one statement: the row, the client's name, the responsible
 * caregiver, the last contact, the offer's name, the status history and the contact log (json_agg sub-selects, as
 * the client file does). Each round trip on a busy machine waits for a core far longer than these reads run, so the
 * detail costs the tenant script, this statement and COMMIT.
 */
export async function findTrajectoryDetail(tx: Tx, id: string) {
  const org = ownOrganization(tx);
  return trajectoriesOf(tx)
    .innerJoin('clients as c', 'c.id', 't.client_id')
    .innerJoin('users as u', 'u.id', 't.responsible_user_id')
    .selectAll('t')
    .select([
      'c.identity_kind',
      'c.given_name',
      'c.family_name',
      'c.pseudonym',
      'u.display_name as responsible_display_name',
      sql<Date | string | null>`(select max(k.at) from trajectory_contacts k
        where k.trajectory_id = t.id and k.no_show = false)`.as('last_contact_at'),
      sql<string | null>`(select o.name from offers o where o.id = t.offer_id)`.as('offer_name'),
      sql<DetailEvent[]>`(
        select coalesce(json_agg(e order by e.at, e.id), '[]'::json) from (
          select e.id, e.at, e.action, e.from_status, e.to_status, e.phase, e.reason, a.display_name
            from trajectory_events e left join users a on a.id = e.actor_user_id
           where e.trajectory_id = t.id and e.organization_id = ${org}) e)`.as('events'),
      sql<DetailContact[]>`(
        select coalesce(json_agg(k order by k.at desc, k.id), '[]'::json) from (
          select k.id, k.at, k.minutes, k.kind, k.with_client, k.support_persons, k.other_organizations, k.no_show,
                 k.note, k.version, cb.display_name as created_by_name, k.updated_at,
                 ub.display_name as updated_by_name
            from trajectory_contacts k
            left join users cb on cb.id = k.created_by
            left join users ub on ub.id = k.updated_by
           where k.trajectory_id = t.id and k.organization_id = ${org}) k)`.as('contacts'),
    ])
    .where('t.id', '=', id)
    .executeTakeFirst();
}
export type DetailRow = NonNullable<Awaited<ReturnType<typeof findTrajectoryDetail>>>;

export async function findContact(
  tx: Tx,
  trajectoryId: string,
  contactId: string,
): Promise<TrajectoryContactRow | undefined> {
  return tx.db
    .selectFrom('trajectory_contacts')
    .selectAll()
    .where('id', '=', contactId)
    .where('trajectory_id', '=', trajectoryId)
    .where('organization_id', '=', ownOrganization(tx))
    .executeTakeFirst();
}

export async function contactVersions(tx: Tx, contactId: string) {
  return tx.db
    .selectFrom('trajectory_contact_versions as v')
    .leftJoin('users as w', 'w.id', 'v.written_by')
    .leftJoin('users as r', 'r.id', 'v.replaced_by')
    .selectAll('v')
    .select(['w.display_name as written_by_name', 'r.display_name as replaced_by_name'])
    .where('v.contact_id', '=', contactId)
    .where('v.organization_id', '=', ownOrganization(tx))
    .orderBy('v.version', 'desc')
    .execute();
}

/** Is this user an active member of the organisation (any organisation role)? */
export async function isMember(tx: Tx, userId: string): Promise<boolean> {
  const row = await tx.db
    .selectFrom('memberships')
    .select('id')
    .where('user_id', '=', userId)
    .where('organization_id', '=', ownOrganization(tx))
    .where('active', '=', true)
    .executeTakeFirst();
  return !!row;
}

export const now = sql<Date>`now()`;
