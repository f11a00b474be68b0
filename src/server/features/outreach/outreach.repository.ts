import { sql } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import { ownOrganization } from '../../core/access.ts';

/** Organisations that pass signals on but never receive them (they have no outreach queue). */
export const SENDER_ONLY_KINDS: readonly string[] = ['funeral-director', 'care-facility'];

export async function organizationKind(tx: Tx, id: string) {
  const row = await tx.db.selectFrom('organizations').select('kind').where('id', '=', id).executeTakeFirst();
  return row?.kind ?? null;
}

export async function networkOutreachSettings(tx: Tx) {
  const row = await tx.db
    .selectFrom('networks')
    .select('outreach_settings')
    .where('id', '=', tx.actor.networkId)
    .executeTakeFirst();
  return row?.outreach_settings;
}

/** The receiver of a kind of signal: the municipality's route, else the kind's fallback, else the network's CAW. */
export async function routeOf(tx: Tx, kind: string, nis: string | null) {
  const routed = await tx.db
    .selectFrom('outreach_routes as r')
    .innerJoin('organizations as o', 'o.id', 'r.organization_id')
    .select(['r.organization_id', 'r.nis_code'])
    .where('r.network_id', '=', tx.actor.networkId)
    .where('r.kind', '=', kind)
    .where('o.active', '=', true)
    .where((eb) =>
      nis ? eb.or([eb('r.nis_code', '=', nis), eb('r.nis_code', 'is', null)]) : eb('r.nis_code', 'is', null),
    )
    // the municipality's own route before the fallback
    .orderBy(sql`r.nis_code is null`)
    .executeTakeFirst();
  if (routed) return routed.organization_id;
  const caw = await tx.db
    .selectFrom('organizations')
    .select('id')
    .where('network_id', '=', tx.actor.networkId)
    .where('kind', '=', 'caw')
    .where('active', '=', true)
    .orderBy('name')
    .orderBy('id')
    .executeTakeFirst();
  return caw?.id ?? null;
}

export async function municipalityExists(tx: Tx, nis: string) {
  return !!(await tx.db.selectFrom('municipalities').select('nis_code').where('nis_code', '=', nis).executeTakeFirst());
}

/** One signal as the actor's organisation may see it (sender or receiver; RLS says the same), with both names. */
export function signalsWithNames(tx: Tx) {
  return tx.db
    .selectFrom('outreach_signals as s')
    .innerJoin('organizations as sender', 'sender.id', 's.sender_organization_id')
    .innerJoin('organizations as receiver', 'receiver.id', 's.receiver_organization_id')
    .leftJoin('municipalities as m', 'm.nis_code', 's.nis_code')
    .selectAll('s')
    .select([
      'sender.name as sender_name',
      'receiver.name as receiver_name',
      'm.name_nl as municipality_name',
      sql<number>`(select count(*)::int from outreach_attempts a where a.signal_id = s.id)`.as('attempt_count'),
      sql<number>`(select count(*)::int from outreach_attempts a where a.signal_id = s.id
        and a.outcome in ('no-answer', 'voicemail', 'wrong-number'))`.as('failed_count'),
      sql<number>`(select count(distinct case
          when extract(hour from a.at at time zone 'Europe/Brussels') < 12 then 1
          when extract(hour from a.at at time zone 'Europe/Brussels') < 17 then 2 else 3 end)::int
        from outreach_attempts a where a.signal_id = s.id
        and a.outcome in ('no-answer', 'voicemail', 'wrong-number'))`.as('failed_parts'),
    ]);
}
export type SignalWithNames = Awaited<ReturnType<ReturnType<typeof signalsWithNames>['executeTakeFirstOrThrow']>>;

export async function findSignal(tx: Tx, id: string) {
  const org = ownOrganization(tx);
  return signalsWithNames(tx)
    .where('s.id', '=', id)
    .where((eb) => eb.or([eb('s.sender_organization_id', '=', org), eb('s.receiver_organization_id', '=', org)]))
    .executeTakeFirst();
}

export async function attemptsOf(tx: Tx, signalId: string) {
  return tx.db
    .selectFrom('outreach_attempts')
    .select(['id', 'at', 'channel', 'outcome', 'note'])
    .where('signal_id', '=', signalId)
    .where('organization_id', '=', ownOrganization(tx))
    .orderBy('at')
    .orderBy('id')
    .execute();
}

export async function incoming(tx: Tx, status?: string) {
  let query = signalsWithNames(tx).where('s.receiver_organization_id', '=', ownOrganization(tx));
  if (status) query = query.where('s.status', '=', status);
  // open ones first, newest on top; closed ones after, last closed first
  return query
    .orderBy(sql`s.status = 'closed'`)
    .orderBy(sql`case when s.status = 'closed' then s.closed_at else s.created_at end`, 'desc')
    .orderBy('s.id')
    .limit(500)
    .execute();
}

export async function outgoing(tx: Tx, status?: string) {
  let query = signalsWithNames(tx).where('s.sender_organization_id', '=', ownOrganization(tx));
  if (status) query = query.where('s.status', '=', status);
  return query.orderBy('s.created_at', 'desc').orderBy('s.id').limit(500).execute();
}

/** Counts of one receiving organisation over Brussels dates `from`..`to` (inclusive). */
export async function figures(tx: Tx, organizationId: string, from: string, to: string) {
  const day = (column: string) => sql`(${sql.ref(column)} at time zone 'Europe/Brussels')::date`;
  const row = await tx.db
    .selectFrom('outreach_signals')
    .select([
      sql<number>`count(*) filter (where ${day('reached_at')} between ${from}::date and ${to}::date)::int`.as(
        'proactive_contacts',
      ),
      sql<number>`count(*) filter (where outcome = 'support-accepted'
        and ${day('closed_at')} between ${from}::date and ${to}::date)::int`.as('support_started'),
    ])
    .where('receiver_organization_id', '=', organizationId)
    .executeTakeFirstOrThrow();
  return { proactiveContacts: row.proactive_contacts, supportStarted: row.support_started };
}
