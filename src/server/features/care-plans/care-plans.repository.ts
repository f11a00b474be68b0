import { sql } from 'kysely';
import type {
  CarePlanActionRow,
  CarePlanGoalRow,
  CarePlanRow,
  CareTeamMemberRow,
  ClientLinkRow,
} from '../../core/db/schema.ts';
import type { Tx } from '../../core/db/tenant.ts';
import { ownOrganization } from '../../core/access.ts';

/**
 * The SQL of the care plan. A plan is read through `kl_care_plan_visible` in the query as well as in the row policy
 * (the made-by organisation, or one named by a valid care-plan consent of the person), so another organisation
 * simply does not find it (404).
 */
const visiblePlans = (tx: Tx) =>
  tx.db
    .selectFrom('care_plans as p')
    .where('p.network_id', '=', tx.actor.networkId)
    .where(sql<boolean>`kl_care_plan_visible(p.organization_id, p.client_id)`);

export async function findPlan(tx: Tx, id: string): Promise<CarePlanRow | undefined> {
  return visiblePlans(tx).selectAll('p').where('p.id', '=', id).executeTakeFirst();
}

/** Locks a plan row for a change (two changes of the plan itself line up; parts have their own versions). */
export async function lockPlan(tx: Tx, id: string): Promise<CarePlanRow | undefined> {
  return visiblePlans(tx).selectAll('p').where('p.id', '=', id).forUpdate().executeTakeFirst();
}

/** Every record of the person behind a record I own (or behind a plan I may see): ids only. */
export async function personRecords(tx: Tx, clientId: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`select id from kl_person_records(${clientId}::uuid)`.execute(tx.db);
  return rows.rows.map((r) => r.id);
}

/** My organisation's own records among the person's records. */
export async function ownRecords(tx: Tx, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await tx.db
    .selectFrom('clients')
    .select('id')
    .where('id', 'in', [...ids])
    .where('organization_id', '=', ownOrganization(tx))
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.id);
}

/** The open plans of the person behind my record, visible to me or not (one plan per person). */
export async function personPlanIds(tx: Tx, clientId: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`select id from kl_person_care_plans(${clientId}::uuid)`.execute(tx.db);
  return rows.rows.map((r) => r.id);
}

/** Every plan of the person behind my record that I may see, open and closed, newest first (RLS and the filter). */
export async function personPlans(tx: Tx, clientId: string) {
  return visiblePlans(tx)
    .select(['p.id', 'p.status', 'p.created_at', 'p.closed_on'])
    .where('p.client_id', 'in', sql<string>`(select r.id from kl_person_records(${clientId}::uuid) r)`)
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id')
    .execute();
}

/**
 * Serialises plan creation and linking for one person: the lock is keyed by the smallest record id of the person,
 * so two workers making a plan for the same person at once cannot both pass the "no plan yet" check.
 */
export async function lockPerson(tx: Tx, recordIds: readonly string[]): Promise<void> {
  const keys = [...new Set(recordIds)].sort();
  if (!keys.length) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${keys[0]!}, 11))`.execute(tx.db);
}

export async function goals(tx: Tx, planId: string): Promise<CarePlanGoalRow[]> {
  return tx.db
    .selectFrom('care_plan_goals')
    .selectAll()
    .where('care_plan_id', '=', planId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function actions(tx: Tx, planId: string): Promise<CarePlanActionRow[]> {
  return tx.db
    .selectFrom('care_plan_actions')
    .selectAll()
    .where('care_plan_id', '=', planId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function members(tx: Tx, planId: string): Promise<CareTeamMemberRow[]> {
  return (
    tx.db
      .selectFrom('care_team_members')
      .selectAll()
      .where('care_plan_id', '=', planId)
      .orderBy('created_at')
      // a plan's first members are written within one millisecond, which PGlite's clock does not tell apart: the
      // person, the organisation and its caregiver keep that order rather than a random id's
      .orderBy(sql`array_position(array['person','organization','caregiver','support-person'], kind)`)
      .orderBy('id')
      .execute()
  );
}

export async function evaluations(tx: Tx, planId: string, before?: Date) {
  let q = tx.db
    .selectFrom('care_plan_evaluations as e')
    .leftJoin('users as u', 'u.id', 'e.created_by')
    .leftJoin('organizations as o', 'o.id', 'e.organization_id')
    .selectAll('e')
    .select(['u.display_name as created_by_name', 'o.name as organization_name'])
    .where('e.care_plan_id', '=', planId);
  if (before) q = q.where('e.created_at', '<', before);
  return q.orderBy('e.evaluated_on', 'desc').orderBy('e.created_at', 'desc').execute();
}

export async function evaluationGoals(tx: Tx, planId: string) {
  return tx.db.selectFrom('care_plan_evaluation_goals').selectAll().where('care_plan_id', '=', planId).execute();
}

export async function revisions(tx: Tx, planId: string, before?: Date) {
  let q = tx.db.selectFrom('care_plan_revisions').selectAll().where('care_plan_id', '=', planId);
  if (before) q = q.where('created_at', '<', before);
  return q.orderBy('revised_on', 'desc').orderBy('created_at', 'desc').execute();
}

/** The start of the day after `date` in Brussels: "as of 3 December" is everything up to the end of that day. */
export async function endOfDay(tx: Tx, date: string): Promise<Date> {
  const row = await sql<{
    at: Date;
  }>`select ((${date}::date + 1)::timestamp at time zone 'Europe/Brussels') as at`.execute(tx.db);
  return new Date(row.rows[0]!.at);
}

/** Every part of the plan as its last change before `before` left it (the rows the history triggers wrote). */
export async function stateBefore(tx: Tx, planId: string, before: Date) {
  const rows = await sql<{ entity: string; entity_id: string; row_data: Record<string, unknown> }>`
    select distinct on (entity, entity_id) entity, entity_id, row_data
      from care_plan_changes
     where care_plan_id = ${planId} and at < ${before}
     order by entity, entity_id, at desc, id desc`.execute(tx.db);
  return rows.rows;
}

export async function history(tx: Tx, planId: string) {
  return tx.db
    .selectFrom('care_plan_changes as c')
    .leftJoin('users as u', 'u.id', 'c.actor_user_id')
    .leftJoin('organizations as o', 'o.id', 'c.organization_id')
    .select([
      'c.id',
      'c.at',
      'c.entity',
      'c.entity_id',
      'c.operation',
      'c.fields',
      'u.display_name as actor_name',
      'o.name as organization_name',
    ])
    .where('c.care_plan_id', '=', planId)
    .orderBy('c.at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(1000)
    .execute();
}

export async function userNames(tx: Tx, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map();
  const rows = await tx.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function organizationNames(tx: Tx, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map();
  const rows = await tx.db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** An active organisation of the actor's network. */
export async function networkOrganization(tx: Tx, id: string): Promise<boolean> {
  const row = await tx.db
    .selectFrom('organizations')
    .select('id')
    .where('id', '=', id)
    .where('network_id', '=', tx.actor.networkId)
    .where('active', '=', true)
    .executeTakeFirst();
  return !!row;
}

/** The organisation through which a user works in the network (the actor's own first), or none. */
export async function caregiverOrganization(tx: Tx, userId: string): Promise<string | null> {
  const rows = await tx.db
    .selectFrom('memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select('m.organization_id')
    .where('m.user_id', '=', userId)
    .where('m.active', '=', true)
    .where('o.network_id', '=', tx.actor.networkId)
    .execute();
  const orgs = rows.map((r) => r.organization_id).filter((x): x is string => !!x);
  if (tx.actor.organizationId && orgs.includes(tx.actor.organizationId)) return tx.actor.organizationId;
  return orgs[0] ?? null;
}

/** The latest indicated level of care of my organisation's help requests for these records. */
export async function indicatedLevel(tx: Tx, clientIds: readonly string[]): Promise<string | null> {
  if (!clientIds.length) return null;
  const row = await tx.db
    .selectFrom('help_requests')
    .select('indication_level')
    .where('client_id', 'in', [...clientIds])
    .where('organization_id', '=', ownOrganization(tx))
    .where('indication_level', 'is not', null)
    .orderBy('received_at', 'desc')
    .executeTakeFirst();
  return row?.indication_level ?? null;
}

/** My organisation's most recent help request for these records that is not closed (for matching after a step). */
export async function openHelpRequest(tx: Tx, clientIds: readonly string[]): Promise<string | null> {
  if (!clientIds.length) return null;
  const row = await tx.db
    .selectFrom('help_requests')
    .select('id')
    .where('client_id', 'in', [...clientIds])
    .where('organization_id', '=', ownOrganization(tx))
    .where('status', '<>', 'closed')
    .orderBy('received_at', 'desc')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The latest screening of each instrument of my organisation for these records (beside a step). */
export async function latestScreenings(tx: Tx, clientIds: readonly string[]) {
  if (!clientIds.length) return [];
  return tx.db
    .selectFrom('screenings')
    .select(['instrument_id', 'score', 'band', 'administered_at'])
    .distinctOn('instrument_id')
    .where('client_id', 'in', [...clientIds])
    .where('organization_id', '=', ownOrganization(tx))
    .orderBy('instrument_id')
    .orderBy('administered_at', 'desc')
    .execute();
}

// ------------------------------------------------------------------------------------------------ links
export async function linksOf(tx: Tx, clientId: string): Promise<ClientLinkRow[]> {
  const own = ownOrganization(tx);
  return tx.db
    .selectFrom('client_links')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('client_id', '=', clientId), eb('organization_id', '=', own)]),
        eb.and([eb('other_client_id', '=', clientId), eb('other_organization_id', '=', own)]),
      ]),
    )
    .orderBy('created_at', 'desc')
    .execute();
}

export async function findLink(tx: Tx, id: string): Promise<ClientLinkRow | undefined> {
  const own = ownOrganization(tx);
  return tx.db
    .selectFrom('client_links')
    .selectAll()
    .where('id', '=', id)
    .where((eb) => eb.or([eb('organization_id', '=', own), eb('other_organization_id', '=', own)]))
    .executeTakeFirst();
}

export async function activeLink(tx: Tx, a: string, b: string) {
  return tx.db
    .selectFrom('client_links')
    .select('id')
    .where('unlinked_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('client_id', '=', a), eb('other_client_id', '=', b)]),
        eb.and([eb('client_id', '=', b), eb('other_client_id', '=', a)]),
      ]),
    )
    .executeTakeFirst();
}

/** The record and organisation on the other side of a referral of mine for this record of mine. */
export async function referralCounterparts(tx: Tx, clientId: string) {
  const own = ownOrganization(tx);
  const sent = await tx.db
    .selectFrom('referrals')
    .select(['id', 'receiver_client_id as other_client_id', 'receiver_organization_id as other_organization_id'])
    .where('client_id', '=', clientId)
    .where('sender_organization_id', '=', own)
    .where('receiver_client_id', 'is not', null)
    .execute();
  const received = await tx.db
    .selectFrom('referrals')
    .select(['id', 'client_id as other_client_id', 'sender_organization_id as other_organization_id'])
    .where('receiver_client_id', '=', clientId)
    .where('receiver_organization_id', '=', own)
    .execute();
  return [...sent, ...received].map((r) => ({
    referralId: r.id,
    otherClientId: r.other_client_id!,
    otherOrganizationId: r.other_organization_id,
  }));
}

/** Other records of my organisation with the same INSZ: a hint to link, never a merge. */
export async function sameInsz(tx: Tx, clientId: string) {
  return tx.db
    .selectFrom('clients as c')
    .innerJoin('clients as o', (j) =>
      j.onRef('o.insz', '=', 'c.insz').onRef('o.organization_id', '=', 'c.organization_id'),
    )
    .select(['o.id', 'o.identity_kind', 'o.given_name', 'o.family_name', 'o.pseudonym'])
    .where('c.id', '=', clientId)
    .where('c.organization_id', '=', ownOrganization(tx))
    .where('c.insz', 'is not', null)
    .whereRef('o.id', '<>', 'c.id')
    .limit(20)
    .execute();
}

export async function clientNames(tx: Tx, ids: readonly string[]) {
  if (!ids.length) return [];
  return tx.db
    .selectFrom('clients')
    .select(['id', 'identity_kind', 'given_name', 'family_name', 'pseudonym'])
    .where('id', 'in', [...ids])
    .where('organization_id', '=', ownOrganization(tx))
    .execute();
}

/**
 * Tells the maker of a plan shared with the caller that the caller read or changed it: a row in the maker's audit
 * trail naming the caller's organisation and role (migration 025). Nothing for the maker's own reads.
 */
export async function recordPartnerAccess(tx: Tx, planId: string, action: string) {
  await sql`select kl_record_care_plan_access(${planId}::uuid, ${action}, null)`.execute(tx.db);
}
