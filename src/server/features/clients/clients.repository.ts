import { sql, type Kysely } from 'kysely';
import type { DB, ClientRow } from '../../core/db/schema.ts';
import type { Tx } from '../../core/db/tenant.ts';
import { foldedPattern } from '../../core/db/like.ts';
import { ownOrganization } from '../../core/access.ts';
import { sharedRiskSeen } from '../../core/risk.ts';
import { compiledOnce } from '../../core/db/compiled.ts';

/** Every query here is scoped to the actor's organisation; RLS applies the same rule underneath. */
const clientsOf = (tx: Tx) => tx.db.selectFrom('clients').where('organization_id', '=', ownOrganization(tx));

export async function findClient(tx: Tx, id: string): Promise<ClientRow | undefined> {
  return clientsOf(tx).selectAll().where('id', '=', id).executeTakeFirst();
}

export interface ClientFilter {
  nameTokens: string[];
  birthDate?: string | undefined;
  insz?: string | undefined;
  limit: number;
  offset: number;
}

export async function searchClients(tx: Tx, filter: ClientFilter): Promise<{ rows: ClientRow[]; total: number }> {
  let query = clientsOf(tx);
  for (const token of filter.nameTokens) {
    query = query.where('search_name', 'like', foldedPattern(token));
  }
  if (filter.birthDate) query = query.where('birth_date', '=', filter.birthDate);
  if (filter.insz) query = query.where('insz', '=', filter.insz);
  // without a filter the list is "recent clients of my organisation", the most recently changed first
  const recent = filter.nameTokens.length === 0 && !filter.birthDate && !filter.insz;
  const ordered = recent
    ? query.orderBy('updated_at', 'desc').orderBy('id')
    : query.orderBy('family_name').orderBy('given_name').orderBy('id');
  const rows = await ordered
    .selectAll()
    .select(sql<number>`count(*) over ()`.as('total_count'))
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  let total = rows.length ? Number((rows[0] as { total_count: number }).total_count) : 0;
  if (!rows.length && filter.offset > 0)
    total = Number((await query.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  return { rows, total };
}

export interface TwinProbe {
  name: string | null;
  birthDate: string | null;
  birthYear: number | null;
  insz: string | null;
}

/** Likely twins: the same INSZ, or a very similar name with the same birth date (or year). */
export async function findLikelyTwins(tx: Tx, probe: TwinProbe, excludeId?: string): Promise<ClientRow[]> {
  const year = probe.birthYear ?? (probe.birthDate ? Number(probe.birthDate.slice(0, 4)) : null);
  if (!probe.insz && !probe.name) return [];
  return clientsOf(tx)
    .selectAll()
    .where((eb) => {
      const any = [];
      if (probe.insz) any.push(eb('insz', '=', probe.insz));
      if (probe.name) {
        const similar = sql<boolean>`similarity(search_name, (select kl_fold(${probe.name}))) >= 0.6`;
        if (probe.birthDate) any.push(eb.and([eb('birth_date', '=', probe.birthDate), similar]));
        else if (year)
          any.push(
            eb.and([
              eb.or([eb('birth_year', '=', year), sql<boolean>`extract(year from birth_date) = ${year}`]),
              similar,
            ]),
          );
        else
          any.push(
            eb.and([
              eb('birth_date', 'is', null),
              eb('birth_year', 'is', null),
              sql<boolean>`search_name = (select kl_fold(${probe.name}))`,
            ]),
          );
      }
      return eb.or(any);
    })
    .$if(excludeId !== undefined, (q) => q.where('id', '<>', excludeId!))
    .limit(5)
    .execute();
}

export interface ClientValues {
  identity_kind: string;
  given_name: string | null;
  family_name: string | null;
  pseudonym: string | null;
  birth_date: string | null;
  birth_year: number | null;
  nis_code: string | null;
  phone: string | null;
  email: string | null;
  preferred_language: string | null;
  insz: string | null;
}

export async function insertClient(tx: Tx, values: ClientValues): Promise<ClientRow> {
  return tx.db
    .insertInto('clients')
    .values({
      ...values,
      organization_id: ownOrganization(tx),
      network_id: tx.actor.networkId,
      created_by: tx.actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateClient(tx: Tx, id: string, values: ClientValues): Promise<ClientRow | undefined> {
  return tx.db
    .updateTable('clients')
    .set({ ...values, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('organization_id', '=', ownOrganization(tx))
    .returningAll()
    .executeTakeFirst();
}

export async function clientAccessLog(db: Kysely<DB>, organizationId: string, clientId: string) {
  return (
    db
      .selectFrom('audit_log as a')
      .leftJoin('users as u', 'u.id', 'a.actor_user_id')
      .leftJoin('organizations as o', 'o.id', 'a.organization_id')
      .leftJoin('organizations as fo', 'fo.id', 'a.foreign_organization_id')
      .leftJoin('networks as fn', 'fn.id', 'a.foreign_network_id')
      .select([
        'a.at',
        'u.display_name',
        'a.role',
        'o.name as organization_name',
        'a.action',
        'a.outcome',
        'a.foreign_network_id',
        'fo.name as foreign_organization_name',
        'fn.name as foreign_network_name',
      ])
      // the file itself, and everything read about the person elsewhere (help requests, screenings, consents, search hits)
      .where((eb) =>
        eb.or([
          eb.and([eb('a.entity_type', '=', 'client'), eb('a.entity_id', '=', clientId)]),
          sql<boolean>`a.details->>'clientId' = ${clientId}`,
          sql<boolean>`a.action = 'client.search' and position(${clientId} in coalesce(a.details->>'clientIds', '')) > 0`,
        ]),
      )
      .where('a.organization_id', '=', organizationId)
      // what was done with the file, every refused attempt of another organisation (migration 011), and every read
      // or change of the person's care plan by an organisation a consent shares it with (migration 025)
      .where((eb) =>
        eb.or([
          eb('a.foreign_network_id', 'is not', null),
          eb.and([
            eb('a.outcome', '=', 'success'),
            eb('a.action', 'not in', ['client.access-log.read', 'client.duplicate-check']),
          ]),
        ]),
      )
      .orderBy('a.at', 'desc')
      .limit(200)
      .execute()
  );
}

export async function municipalityExists(db: Kysely<DB>, nisCode: string): Promise<boolean> {
  const row = await db
    .selectFrom('municipalities')
    .select('nis_code')
    .where('nis_code', '=', nisCode)
    .executeTakeFirst();
  return row !== undefined;
}

/** The referrals through which this client reached my organisation (its receiving side), newest first. */
export interface ClientFileRow extends ClientRow {
  origins: ReferralOrigin[];
  risk_levels: (string | null)[];
}

export interface ReferralOrigin {
  id: string;
  status: string;
  priority: string;
  created_at: string;
  snapshot: unknown;
  sender_name: string;
  consent_active: boolean;
}

/**
 * A client's file in one statement: the record, the referrals the person came in by (the receiver sees what was
 * shared only while the person's consent holds; the consent row is the sender's, so a security-definer function
 * answers whether it is active) and the levels of the current risk (as currentRiskLevels), so opening a file costs
 * one round trip, not three. Built and compiled once (core/db/compiled.ts): it is the most frequent read there is.
 */
const clientFile = compiledOnce((db: Kysely<DB>, org: string, id: string) =>
  db
    .selectFrom('clients')
    .where('organization_id', '=', org)
    .selectAll('clients')
    .select([
      sql<ReferralOrigin[]>`(
        select coalesce(json_agg(o order by o.created_at desc), '[]'::json) from (
          select r.id, r.status, r.priority, r.created_at, r.snapshot, sender.name as sender_name,
                 coalesce(kl_referral_consent_active(r.consent_id), false) as consent_active
            from referrals r join organizations sender on sender.id = r.sender_organization_id
           where r.receiver_client_id = clients.id and r.receiver_organization_id = ${org}
           order by r.created_at desc limit 20) o)`.as('origins'),
      sql<(string | null)[]>`array(
        select h.risk_level from help_requests h
         where h.client_id = clients.id and h.organization_id = ${org} and h.status <> 'closed'
        union all
        select ${sharedRiskSeen('r')} from referrals r
         where r.receiver_client_id = clients.id and r.receiver_organization_id = ${org}
           and r.risk_level is not null and r.status not in ('declined', 'completed', 'cancelled'))`.as('risk_levels'),
    ])
    .where('id', '=', id),
);

export async function findClientFile(tx: Tx, id: string): Promise<ClientFileRow | undefined> {
  return (await clientFile(tx.db, ownOrganization(tx), id))[0];
}

/**
 * The risk levels that make a person's current risk (core/risk.ts highestRisk over them): the organisation's help
 * requests for them that are not closed, and the referrals received for them that have not ended (declined,
 * completed, cancelled: referrals/lifecycle.ts), with the level shared while the consent is active.
 */
export async function currentRiskLevels(tx: Tx, clientId: string): Promise<string[]> {
  const rows = await sql<{ level: string | null }>`
    select h.risk_level as level from help_requests h
     where h.client_id = ${clientId} and h.organization_id = ${ownOrganization(tx)} and h.status <> 'closed'
    union all
    select ${sharedRiskSeen('r')} from referrals r
     where r.receiver_client_id = ${clientId} and r.receiver_organization_id = ${ownOrganization(tx)}
       and r.risk_level is not null and r.status not in ('declined', 'completed', 'cancelled')`.execute(tx.db);
  return rows.rows.flatMap((r) => (r.level ? [r.level] : []));
}
