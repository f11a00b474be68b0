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

export async function history(tx: Tx, trajectoryId: string) {
  return tx.db
    .selectFrom('trajectory_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .selectAll('e')
    .select('u.display_name')
    .where('e.trajectory_id', '=', trajectoryId)
    .where('e.organization_id', '=', ownOrganization(tx))
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
}

export async function contacts(tx: Tx, trajectoryId: string) {
  return tx.db
    .selectFrom('trajectory_contacts as k')
    .leftJoin('users as c', 'c.id', 'k.created_by')
    .leftJoin('users as u', 'u.id', 'k.updated_by')
    .selectAll('k')
    .select(['c.display_name as created_by_name', 'u.display_name as updated_by_name'])
    .where('k.trajectory_id', '=', trajectoryId)
    .where('k.organization_id', '=', ownOrganization(tx))
    .orderBy('k.at', 'desc')
    .orderBy('k.id')
    .execute();
}

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

export async function offerName(tx: Tx, offerId: string | null): Promise<string | null> {
  if (!offerId) return null;
  const row = await tx.db.selectFrom('offers').select('name').where('id', '=', offerId).executeTakeFirst();
  return row?.name ?? null;
}

export const now = sql<Date>`now()`;
