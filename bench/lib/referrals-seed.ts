/**
 * Bulk seed of the referrals part of `npm run bench`, as the owner, with `insert … select generate_series`:
 * one network, `orgCount` organisations with a few offers, clients, help requests and one intake worker each,
 * one referral consent per ordered pair of organisations (the sender's consent for the receiver, reused by every
 * referral between the pair), then `referralCount` referrals and one 'create' event per referral.
 *
 * The shape:
 *  - receivers: organisation 1 (the busy receiving organisation under test) receives `busyShare` of all referrals,
 *    the others a skewed share (a few large ones, many small ones); senders skewed too, never the receiver;
 *  - created_at uniform over three years; the status follows the age: a referral younger than the answer window
 *    (14 days; 45 days at the busy organisation, which has a backlog) is mostly still open (requested, received,
 *    accepted, waitlisted, scheduled), older ones are mostly completed, declined or cancelled, a few stay open
 *    (long waiting lists); the timestamps (answered, accepted, first contact due, scheduled, first contact) and the
 *    version follow the status;
 *  - priority routine 80 %, urgent 17 %, acute 3 %; answer due 4 h / 2 days / 7 days after creation.
 * After the offers (whose trigger fills search_vector), the inserts run with session_replication_role = replica when
 * the owner is a superuser, which skips the foreign-key triggers (every id comes from a join with the rows just
 * inserted, so the keys hold); otherwise they run with the checks. The secondary indexes of referrals are dropped
 * for the bulk insert and rebuilt after it with their own definitions (pg_get_indexdef); the referrals are inserted
 * by two statements at once on two connections (halves of the series), each inserting the 'create' events of its
 * referrals in the same statement. Small unlogged helper tables map integer indexes to ids; they are dropped after.
 */
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/server/core/db/database.ts';
import type { DB } from '../../src/server/core/db/schema.ts';
import { hashPassword } from '../../src/server/core/auth/passwords.ts';
import { BENCH_PASSWORD } from './database.ts';
import { OPEN_STATUSES } from '../../src/server/features/referrals/lifecycle.ts';

const ORG_KINDS = ['caw', 'cgg', 'ocmw', 'dmw', 'primary-care', 'care-facility', 'zero-line', 'helpline', 'other'];
const GIVEN = [
  'Jan',
  'Lotte',
  'Emma',
  'Noah',
  'Wout',
  'Sofie',
  'Bram',
  'Femke',
  'Lien',
  'Marie',
  'Nora',
  'Robbe',
  'Seppe',
  'Tine',
  'Zoë',
  'Hélène',
];
const FAMILY = [
  'Peeters',
  'Janssens',
  'Maes',
  'Jacobs',
  'Mertens',
  'Willems',
  'Claes',
  'Goossens',
  'Wouters',
  'De Smet',
  'Dubois',
  'Van Damme',
  'Verstraete',
  'Coppens',
];

export interface ReferralsSeed {
  networkId: string;
  organizations: number;
  offers: number;
  clients: number;
  helpRequests: number;
  consents: number;
  referrals: number;
  referralEvents: number;
  busy: {
    organizationId: string;
    name: string;
    incoming: number;
    openIncoming: number;
    pendingIncoming: number;
    outgoing: number;
  };
  /** the organisation with the median number of open incoming referrals (for a second EXPLAIN) */
  typical: { organizationId: string; openIncoming: number; incoming: number };
  user: { id: string; email: string; role: string };
  byStatus: Record<string, number>;
  openShare: number;
  foreignKeyChecks: 'skipped (session_replication_role = replica)' | 'on';
  /** referrals: the referrals with their 'create' events, in `chunks` parallel statements (secondary indexes dropped); indexRebuild: recreating those indexes */
  seconds: { baseData: number; referrals: number; indexRebuild: number; vacuumAnalyze: number; total: number };
  chunks: number;
  sizesMiB: { referralsTable: number; referralsIndexes: Record<string, number>; referralEvents: number };
}

const HELPERS = ['b_org', 'b_offer', 'b_user', 'b_client', 'b_hr', 'b_consent'];

export async function seedReferrals(
  db: Database,
  opts: {
    orgCount: number;
    referralCount: number;
    busyShare: number;
    offersPerOrg?: number;
    clientsPerOrg?: number;
    seed?: number;
    chunks?: number;
  },
): Promise<ReferralsSeed> {
  const started = performance.now();
  const owner = db.owner;
  const offersPerOrg = opts.offersPerOrg ?? 5;
  const clientsPerOrg = opts.clientsPerOrg ?? 25;
  const superuser =
    (await sql<{ su: boolean }>`select rolsuper as su from pg_roles where rolname = current_user`.execute(owner))
      .rows[0]?.su === true;
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const email = 'verwijzing.bench@bench.example';

  const times = { baseData: 0, referrals: 0, indexRebuild: 0, vacuumAnalyze: 0, total: 0 };
  const network = await owner
    .insertInto('networks')
    .values({ name: 'Benchnetwerk Doorverwijzing', zone_name: 'Vlaanderen' })
    .returning('id')
    .executeTakeFirstOrThrow();

  await owner.connection().execute(async (conn: Kysely<DB>) => {
    const trace = process.env.BENCH_SEED_TRACE === '1';
    const run = async (q: ReturnType<typeof sql>) => {
      const t = performance.now();
      const r = await q.execute(conn);
      if (trace)
        process.stderr.write(
          `  seed ${((performance.now() - t) / 1000).toFixed(2)} s: ${q.compile(conn).sql.replace(/\s+/g, ' ').slice(0, 90)}\n`,
        );
      return r;
    };
    await run(sql`select setseed(${opts.seed ?? 0.31})`);
    const t0 = performance.now();
    // organisations and an integer index for each (unlogged helper tables, dropped at the end of the seed)
    await run(sql`
      insert into organizations (network_id, name, kind)
      select ${network.id}::uuid, 'Organisatie ' || lpad(i::text, 3, '0'), (${ORG_KINDS}::text[])[1 + (i % ${ORG_KINDS.length})]
      from generate_series(1, ${opts.orgCount}) i`);
    await run(sql`create unlogged table b_org as
      select row_number() over (order by name)::int as i, id from organizations where network_id = ${network.id}`);
    await run(sql`alter table b_org add primary key (i)`);
    // offers: a few per organisation, of every level, serving a handful of municipalities (the trigger fills search_vector)
    await run(sql`
      with th as (select array_agg(id order by sort_order) as ids from taxonomy_terms where taxonomy = 'theme'),
           muni as (select array_agg(nis_code order by nis_code) as codes from municipalities where region_nis = '2000')
      insert into offers (organization_id, network_id, name, description, level, themes, municipalities, capacity, wait_days, created_at)
      select o.id, ${network.id}::uuid, 'Aanbod ' || o.i || '.' || k, 'Synthetisch aanbod voor de doorverwijzingsbenchmark.',
             (array['zero-line', 'basic', 'basic', 'specialised', 'crisis'])[1 + ((o.i + k) % 5)],
             array[th.ids[1 + ((o.i * 7 + k) % array_length(th.ids, 1))], th.ids[1 + ((o.i * 3 + k * 5) % array_length(th.ids, 1))]],
             muni.codes[1 + ((o.i * 13) % (array_length(muni.codes, 1) - 5)) : 5 + ((o.i * 13) % (array_length(muni.codes, 1) - 5))],
             (array['open', 'waitlist', 'waitlist', 'full', 'assessment'])[1 + ((o.i * 5 + k) % 5)], 7 * ((o.i + k) % 12),
             now() - interval '4 years'
      from b_org o cross join generate_series(1, ${offersPerOrg}) k cross join th cross join muni`);
    // from here on no trigger is needed (the offers' search_vector trigger ran above): skip the foreign-key triggers
    // (reset in the finally below, before the connection goes back to the pool)
    if (superuser) await run(sql`set session_replication_role = replica`);
    try {
      await run(sql`create unlogged table b_offer as
        select o.i, row_number() over (partition by o.i order by f.name)::int as k, f.id
        from offers f join b_org o on o.id = f.organization_id`);
      await run(sql`alter table b_offer add primary key (i, k)`);
      // one intake worker per organisation (the first one logs in; all share the bench password hash)
      await run(sql`
        insert into users (email, display_name, password_hash)
        select case when o.i = 1 then ${email} else 'medewerker' || o.i || '@bench.example' end, 'Medewerker ' || o.i, ${passwordHash}
        from b_org o`);
      await run(sql`create unlogged table b_user as
        select o.i, u.id from b_org o join users u on u.email = case when o.i = 1 then ${email} else 'medewerker' || o.i || '@bench.example' end`);
      await run(sql`alter table b_user add primary key (i)`);
      await run(sql`
        insert into memberships (user_id, network_id, organization_id, role)
        select u.id, ${network.id}::uuid, o.id, 'intake-worker' from b_user u join b_org o using (i)`);
      // clients and one help request each
      await run(sql`
        with muni as (select array_agg(nis_code order by nis_code) as codes from municipalities where region_nis = '2000')
        insert into clients (organization_id, network_id, identity_kind, given_name, family_name, birth_date, nis_code, phone, created_at, updated_at)
        select o.id, ${network.id}::uuid, 'named', (${GIVEN}::text[])[1 + ((o.i + k) % ${GIVEN.length})], (${FAMILY}::text[])[1 + ((o.i * 3 + k) % ${FAMILY.length})],
               date '1950-01-01' + ((o.i * 911 + k * 379) % 24000), muni.codes[1 + ((o.i * 17 + k) % array_length(muni.codes, 1))],
               '04' || lpad(((o.i * 1000 + k) % 100000000)::text, 8, '0'), now() - interval '4 years', now() - interval '4 years'
        from b_org o cross join generate_series(1, ${clientsPerOrg}) k cross join muni`);
      await run(sql`create unlogged table b_client as
        select o.i, row_number() over (partition by o.i order by c.id)::int as k, c.id from clients c join b_org o on o.id = c.organization_id`);
      await run(sql`alter table b_client add primary key (i, k)`);
      await run(sql`
        with th as (select array_agg(id order by sort_order) as ids from taxonomy_terms where taxonomy = 'theme')
        insert into help_requests (organization_id, network_id, client_id, story, themes, urgency, status, received_at, created_at, updated_at, created_by)
        select o.id, ${network.id}::uuid, c.id, 'Synthetische hulpvraag ' || c.i || '.' || c.k,
               array[th.ids[1 + ((c.i + c.k) % array_length(th.ids, 1))]], (array['routine', 'routine', 'urgent', 'acute'])[1 + ((c.i + c.k) % 4)],
               'referred', now() - interval '4 years', now() - interval '4 years', now() - interval '4 years', u.id
        from b_client c join b_org o using (i) join b_user u using (i) cross join th`);
      await run(sql`create unlogged table b_hr as select c.i, c.k, h.id, h.themes, h.urgency, h.story, h.received_at
        from help_requests h join b_client c on c.id = h.client_id`);
      await run(sql`alter table b_hr add primary key (i, k)`);
      // one referral consent per ordered pair (sender s → receiver r), for a client of the sender; its snapshot is built once
      await run(sql`
        insert into consents (organization_id, network_id, client_id, purpose, recipient_organization_id, categories, method, recorded_by, recorded_at)
        select so.id, ${network.id}::uuid, c.id, 'referral', ro.id, array['contact', 'help-request-summary'], 'verbal', u.id, now() - interval '4 years'
        from b_org so cross join b_org ro
        join b_client c on c.i = so.i and c.k = 1 + (ro.i % ${clientsPerOrg})
        join b_user u on u.i = so.i
        where so.i <> ro.i`);
      await run(sql`create unlogged table b_consent as
        select so.i as s, ro.i as r, cs.id, cs.client_id, h.id as hr_id,
               jsonb_build_object(
                 'categories', array['contact', 'help-request-summary'],
                 'contact', jsonb_build_object('identityKind', c.identity_kind, 'displayName', c.given_name || ' ' || c.family_name, 'givenName', c.given_name,
                                               'familyName', c.family_name, 'pseudonym', null, 'birthYear', extract(year from c.birth_date)::int, 'birthDate', c.birth_date,
                                               'phone', c.phone, 'email', null, 'preferredLanguage', 'nl', 'municipality', c.nis_code),
                 'helpRequest', jsonb_build_object('themes', h.themes, 'urgency', h.urgency, 'story', h.story, 'clarification', null,
                                                   'receivedAt', h.received_at, 'indicationLevel', null)) as snapshot
        from consents cs join b_org so on so.id = cs.organization_id join b_org ro on ro.id = cs.recipient_organization_id
        join clients c on c.id = cs.client_id join b_client bc on bc.id = c.id join b_hr h on h.i = bc.i and h.k = bc.k`);
      await run(sql`alter table b_consent add primary key (s, r)`);
      for (const t of HELPERS) await run(sql.raw(`analyze ${t}`));
      times.baseData = (performance.now() - t0) / 1000;
    } finally {
      await run(sql`set session_replication_role = origin`).catch(() => undefined);
    }
  });

  try {
    // the referrals: the secondary indexes are dropped during the bulk insert and rebuilt after it (same definitions);
    // the rows are inserted in `chunks` statements on as many connections at once, each inserting its referrals and,
    // in the same statement, their 'create' events (the later steps of the timeline are not seeded)
    let t0 = performance.now();
    const indexes = (
      await sql<{ name: string; def: string }>`
      select i.relname as name, pg_get_indexdef(i.oid) as def from pg_index x join pg_class i on i.oid = x.indexrelid
      where x.indrelid = 'referrals'::regclass and not x.indisprimary`.execute(owner)
    ).rows;
    for (const ix of indexes) await sql.raw(`drop index ${ix.name}`).execute(owner);
    const chunks = Math.max(1, opts.chunks ?? 2);
    const per = Math.ceil(opts.referralCount / chunks);
    await Promise.all(
      Array.from({ length: chunks }, (_, k) =>
        owner.connection().execute(async (conn) => {
          const from = 1 + k * per;
          const to = Math.min(opts.referralCount, (k + 1) * per);
          if (from > to) return;
          if (superuser) await sql`set session_replication_role = replica`.execute(conn);
          try {
            await sql`select setseed(${((opts.seed ?? 0.31) + 0.1 * (k + 1)) % 1})`.execute(conn);
            await insertReferrals(conn, {
              networkId: network.id,
              from,
              to,
              orgCount: opts.orgCount,
              busyShare: opts.busyShare,
              offersPerOrg,
            });
          } finally {
            await sql`set session_replication_role = origin`.execute(conn).catch(() => undefined);
          }
        }),
      ),
    );
    times.referrals = (performance.now() - t0) / 1000;
    t0 = performance.now();
    for (const ix of indexes) await sql.raw(ix.def).execute(owner);
    times.indexRebuild = (performance.now() - t0) / 1000;
  } finally {
    for (const t of HELPERS)
      await sql
        .raw(`drop table if exists ${t}`)
        .execute(owner)
        .catch(() => undefined);
  }

  const t0 = performance.now();
  // autovacuum may be off on this server: VACUUM (ANALYZE) sets the visibility map and the statistics, as autovacuum would
  await sql`vacuum (analyze) referrals`.execute(owner);
  await sql`vacuum (analyze) referral_events`.execute(owner);
  for (const t of [
    'consents',
    'offers',
    'organizations',
    'clients',
    'help_requests',
    'users',
    'memberships',
    'networks',
  ])
    await sql.raw(`analyze ${t}`).execute(owner);
  times.vacuumAnalyze = (performance.now() - t0) / 1000;

  const busyOrg = await owner
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('network_id', '=', network.id)
    .where('name', '=', 'Organisatie 001')
    .executeTakeFirstOrThrow();
  const user = await owner
    .selectFrom('users')
    .select('id')
    .where(sql<boolean>`lower(email) = ${email}`)
    .executeTakeFirstOrThrow();
  const open = [...OPEN_STATUSES];
  const byStatusRows = await sql<{
    status: string;
    n: string;
  }>`select status, count(*) as n from referrals group by status order by 2 desc`.execute(owner);
  const byStatus = Object.fromEntries(byStatusRows.rows.map((r) => [r.status, Number(r.n)]));
  const total = Object.values(byStatus).reduce((s, n) => s + n, 0);
  const openTotal = open.reduce((s, k) => s + (byStatus[k] ?? 0), 0);
  const busyCounts = (
    await sql<{ incoming: string; open_incoming: string; pending: string; outgoing: string }>`
    select count(*) filter (where receiver_organization_id = ${busyOrg.id}) as incoming,
           count(*) filter (where receiver_organization_id = ${busyOrg.id} and status = any(${open}::text[])) as open_incoming,
           count(*) filter (where receiver_organization_id = ${busyOrg.id} and status in ('requested', 'received')) as pending,
           count(*) filter (where sender_organization_id = ${busyOrg.id}) as outgoing
    from referrals`.execute(owner)
  ).rows[0]!;
  const perOrg = await sql<{ id: string; open_incoming: string; incoming: string }>`
    select receiver_organization_id as id, count(*) filter (where status = any(${open}::text[])) as open_incoming, count(*) as incoming
    from referrals group by 1 order by 2, 1`.execute(owner);
  const mid = perOrg.rows[Math.floor(perOrg.rows.length / 2)]!;
  const counts = (
    await sql<{ offers: string; clients: string; hr: string; consents: string; events: string }>`
    select (select count(*) from offers) as offers, (select count(*) from clients) as clients, (select count(*) from help_requests) as hr,
           (select count(*) from consents) as consents, (select count(*) from referral_events) as events`.execute(owner)
  ).rows[0]!;
  const sizes = await sql<{ name: string; bytes: string }>`
    select c.relname as name, pg_relation_size(c.oid) as bytes from pg_class c
    where c.relname in ('referrals', 'referral_events') or c.oid in (select indexrelid from pg_index where indrelid = 'referrals'::regclass)`.execute(
    owner,
  );
  const toMiB = (b: string | undefined) => Math.round((Number(b ?? 0) / 1048576) * 10) / 10;
  const referralsIndexes: Record<string, number> = {};
  for (const r of sizes.rows)
    if (r.name !== 'referrals' && r.name !== 'referral_events') referralsIndexes[r.name] = toMiB(r.bytes);
  times.total = (performance.now() - started) / 1000;
  return {
    networkId: network.id,
    organizations: opts.orgCount,
    offers: Number(counts.offers),
    clients: Number(counts.clients),
    helpRequests: Number(counts.hr),
    consents: Number(counts.consents),
    referrals: total,
    referralEvents: Number(counts.events),
    busy: {
      organizationId: busyOrg.id,
      name: busyOrg.name,
      incoming: Number(busyCounts.incoming),
      openIncoming: Number(busyCounts.open_incoming),
      pendingIncoming: Number(busyCounts.pending),
      outgoing: Number(busyCounts.outgoing),
    },
    typical: { organizationId: mid.id, openIncoming: Number(mid.open_incoming), incoming: Number(mid.incoming) },
    user: { id: user.id, email, role: 'intake-worker' },
    byStatus,
    openShare: total ? openTotal / total : 0,
    foreignKeyChecks: superuser ? 'skipped (session_replication_role = replica)' : 'on',
    seconds: times,
    chunks: Math.max(1, opts.chunks ?? 2),
    sizesMiB: {
      referralsTable: toMiB(sizes.rows.find((r) => r.name === 'referrals')?.bytes),
      referralsIndexes,
      referralEvents: toMiB(sizes.rows.find((r) => r.name === 'referral_events')?.bytes),
    },
  };
}

/**
 * Referrals `from`..`to` of the generate_series (the caller sets the seed of random() on this connection) and,
 * in the same statement, the 'create' event of each.
 */
async function insertReferrals(
  conn: Kysely<DB>,
  o: { networkId: string; from: number; to: number; orgCount: number; busyShare: number; offersPerOrg: number },
) {
  await sql`
    with base as (
      select g,
             case when random() < ${o.busyShare} then 1 else 2 + floor(power(random(), 1.5) * ${o.orgCount - 1})::int end as r,
             1 + floor(power(random(), 1.2) * ${o.orgCount})::int as s0,
             random() * 1095 as age, random() as r_stat, random() as r_prio, random() as r_off, random() as r_ans, random() as r_sched, random() as r_msg
      from generate_series(${o.from}::int, ${o.to}::int) g
    ),
    shaped as (
      select b.*, case when b.s0 = b.r then (b.s0 % ${o.orgCount}) + 1 else b.s0 end as s,
             now() - make_interval(secs => b.age * 86400) as created,
             case when b.r_prio < 0.03 then 'acute' when b.r_prio < 0.20 then 'urgent' else 'routine' end as priority,
             -- the answer window: 14 days, 45 at the busy organisation (a backlog)
             case when b.r = 1 then 45 else 14 end as win
      from base b
    ),
    stat as (
      select s.*,
             case
               when s.age < s.win then case when s.r_stat < 0.35 then 'requested' when s.r_stat < 0.60 then 'received' when s.r_stat < 0.75 then 'accepted'
                                            when s.r_stat < 0.85 then 'waitlisted' when s.r_stat < 0.93 then 'scheduled' when s.r_stat < 0.98 then 'declined' else 'cancelled' end
               when s.age < s.win + 46 then case when s.r_stat < 0.02 then 'requested' when s.r_stat < 0.04 then 'received' when s.r_stat < 0.09 then 'accepted'
                                            when s.r_stat < 0.19 then 'waitlisted' when s.r_stat < 0.27 then 'scheduled' when s.r_stat < 0.29 then 'missed'
                                            when s.r_stat < 0.44 then 'first-contact' when s.r_stat < 0.79 then 'completed' when s.r_stat < 0.94 then 'declined' else 'cancelled' end
               else case when s.r_stat < 0.01 then 'waitlisted' when s.r_stat < 0.02 then 'first-contact' when s.r_stat < 0.78 then 'completed'
                         when s.r_stat < 0.93 then 'declined' else 'cancelled' end
             end as status,
             s.created + case s.priority when 'acute' then interval '4 hours' when 'urgent' then interval '2 days' else interval '7 days' end as due
      from shaped s
    ),
    timed as (
      select t.*,
             case when t.status in ('requested', 'received') or (t.status = 'cancelled' and t.r_ans < 0.5) then null
                  else least(now(), t.created + (t.due - t.created) * (0.1 + 1.2 * t.r_ans)) end as answered
      from stat t
    ),
    timed2 as (
      select t.*,
             case when t.status in ('accepted', 'scheduled', 'missed', 'first-contact', 'completed') then t.answered end as accepted,
             case when t.status in ('scheduled', 'missed', 'first-contact', 'completed') then least(now(), t.answered + make_interval(days => 3 + floor(t.r_sched * 18)::int)) end as sched
      from timed t
    ),
    ins as (
      insert into referrals (network_id, sender_organization_id, receiver_organization_id, offer_id, help_request_id, client_id, consent_id, priority, message,
                             snapshot, status, status_reason, expected_date, scheduled_at, answer_due_at, answered_at, accepted_at, first_contact_due_at, first_contact_at,
                             bridging_requested, version, created_by, created_at, updated_at)
      select ${o.networkId}::uuid, so.id, ro.id, f.id, cs.hr_id, cs.client_id, cs.id, t.priority,
             case when t.r_msg < 0.3 then 'Graag contact opnemen in de voormiddag.' end,
             cs.snapshot, t.status,
             case t.status when 'declined' then (array['no-capacity', 'not-eligible', 'client-unreachable', 'client-declined'])[1 + floor(t.r_msg * 4)::int]
                           when 'cancelled' then 'Cliënt ziet af van de verwijzing' end,
             case when t.status = 'waitlisted' then (t.created + make_interval(days => 30 + floor(t.r_sched * 90)::int))::date end,
             t.sched, t.due, t.answered, t.accepted,
             t.accepted + interval '14 days',
             case when t.status in ('first-contact', 'completed') then t.sched end,
             t.status = 'waitlisted',
             case t.status when 'requested' then 1 when 'received' then 2 when 'accepted' then 3 when 'waitlisted' then 3 when 'declined' then 3 when 'cancelled' then 3
                           when 'scheduled' then 4 when 'missed' then 5 when 'first-contact' then 5 else 6 end,
             u.id, t.created, coalesce(t.sched, t.answered, t.created)
      from timed2 t
      join b_consent cs on cs.s = t.s and cs.r = t.r
      join b_offer f on f.i = t.r and f.k = 1 + floor(t.r_off * ${o.offersPerOrg})::int
      join b_org so on so.i = t.s
      join b_org ro on ro.i = t.r
      join b_user u on u.i = t.s
      returning id, created_at, created_by, sender_organization_id, message
    )
    insert into referral_events (referral_id, at, actor_user_id, actor_organization_id, action, to_status, note)
    select id, created_at, created_by, sender_organization_id, 'create', 'requested', message from ins`.execute(conn);
}
