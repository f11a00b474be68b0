import crypto from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { createDatabase, type Database } from '../../src/server/core/db/database.ts';
import { migrate } from '../../src/server/core/db/migrate.ts';
import { ensureReferenceData } from '../../src/server/reference-data.ts';
import { hashPassword } from '../../src/server/core/auth/passwords.ts';

export const serverUrl =
  process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** The same pool size the application uses by default (createDatabase's poolSize). */
export const APP_POOL_SIZE = 20;

export interface BenchDatabase {
  name: string;
  url: string;
  db: Database;
  /** Closes the handles and drops the database; safe to call more than once. */
  drop(): Promise<void>;
}

async function adminQuery(text: string): Promise<pg.QueryResult> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await admin.query(text);
  } finally {
    await admin.end();
  }
}

/** A fresh `kl_bench_<random>` database on the server, migrated and with reference data. */
export async function freshDatabase(): Promise<BenchDatabase> {
  const name = `kl_bench_${crypto.randomBytes(5).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let db: Database | undefined;
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await db?.close().catch(() => undefined);
    await adminQuery(`drop database if exists ${name} with (force)`);
  };
  try {
    db = await createDatabase({ databaseUrl: url.toString(), poolSize: APP_POOL_SIZE });
    await migrate(db.owner);
    await ensureReferenceData(db.owner);
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { name, url: url.toString(), db, drop };
}

// Common Flemish (and a few Brussels/French) names; accented ones exercise kl_fold.
const GIVEN = [
  'Jan',
  'Piet',
  'Joris',
  'Korneel',
  'Lotte',
  'Emma',
  'Louise',
  'Noah',
  'Liam',
  'Lucas',
  'Wout',
  'Jef',
  'Sofie',
  'An',
  'Els',
  'Katrien',
  'Bram',
  'Arne',
  'Sander',
  'Femke',
  'Lien',
  'Marie',
  'Mathis',
  'Nora',
  'Olivia',
  'Elise',
  'Hanne',
  'Jens',
  'Kobe',
  'Lars',
  'Lore',
  'Manon',
  'Mila',
  'Nina',
  'Robbe',
  'Ruben',
  'Seppe',
  'Stijn',
  'Tom',
  'Tine',
  'Wannes',
  'Zoë',
  'Noé',
  'Chloé',
  'Hélène',
  'André',
  'René',
  'Anaïs',
  'Jules',
  'Vic',
  'Warre',
  'Mathéo',
  'Fien',
  'Ilse',
  'Griet',
  'Koen',
  'Bart',
  'Dirk',
  'Luc',
  'Hilde',
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
  'Lambert',
  'Dupont',
  'Hermans',
  'Aerts',
  'Pauwels',
  'Michiels',
  'Vermeulen',
  'Desmet',
  'De Clercq',
  'Van den Broeck',
  'Van Damme',
  'Martens',
  'Smets',
  'Verstraete',
  'Coppens',
  'Stevens',
  'Cools',
  'Lemmens',
  'De Backer',
  'Vandenberghe',
  'Segers',
  'Leclercq',
  'Van de Velde',
  'Vermeersch',
  'Geerts',
  'Verhoeven',
  'Cuypers',
  'Hendrickx',
  'Thys',
  'Bogaerts',
  'Declercq',
  'Baert',
  'Verbeke',
  'Van Dyck',
  'De Vos',
  'Wuyts',
  'Van Hecke',
  'Mortier',
  'Goethals',
  'Van Acker',
  'Vanneste',
  "D'Hondt",
  'Verschueren',
  'Sels',
  'Dewulf',
  'Callens',
  'Dierickx',
  'Heylen',
  'Tielemans',
];
const ORG_KINDS = ['caw', 'cgg', 'ocmw', 'dmw', 'primary-care', 'care-facility', 'other'];

export const BENCH_PASSWORD = 'bench horse battery staple';

export interface Seeded {
  networkId: string;
  organizationId: string;
  organizations: number;
  clients: number;
  clientsInOrg: number;
  user: { id: string; email: string; role: string };
  seconds: number;
}

/**
 * Bulk seed through the owner handle: one network, `orgCount` organisations, `clientCount` clients
 * (names skewed like real surnames, birth dates, ~40% with a valid INSZ), and one intake worker in
 * the first organisation (the one under test).
 */
export async function seed(db: Database, opts: { orgCount: number; clientCount: number }): Promise<Seeded> {
  const started = performance.now();
  const owner = db.owner;
  const network = await owner
    .insertInto('networks')
    .values({ name: 'Benchnetwerk Kempen', zone_name: 'Kempen' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`
    insert into organizations (network_id, name, kind)
    select ${network.id}::uuid, 'Organisatie ' || lpad(i::text, 2, '0'), (${ORG_KINDS}::text[])[1 + (i % ${ORG_KINDS.length})]
    from generate_series(1, ${opts.orgCount}) i`.execute(owner);
  const org = await owner
    .selectFrom('organizations')
    .select('id')
    .where('name', '=', 'Organisatie 01')
    .executeTakeFirstOrThrow();

  await owner.connection().execute(async (conn) => {
    await sql`select setseed(0.42)`.execute(conn);
    // names: index = floor(random()^1.6 * n) skews towards the head of the list (Peeters is common, Tielemans rare)
    await sql`
      with orgs as (select array_agg(id order by name) as ids from organizations where network_id = ${network.id}),
           muni as (select array_agg(nis_code order by nis_code) as codes from municipalities),
           base as (
             select i, orgs.ids[1 + (i % array_length(orgs.ids, 1))] as org_id,
                    muni.codes[1 + floor(random() * array_length(muni.codes, 1))::int] as nis,
                    date '1935-01-01' + floor(random() * 27000)::int as bd,
                    random() as r_kind, random() as r_insz, random() as r_phone,
                    (${GIVEN}::text[])[1 + floor(power(random(), 1.3) * ${GIVEN.length})::int] as given,
                    (${FAMILY}::text[])[1 + floor(power(random(), 1.6) * ${FAMILY.length})::int] as family
             from generate_series(0, ${opts.clientCount - 1}) i, orgs, muni
           ),
           withbody as (
             select *, to_char(bd, 'YYMMDD') || lpad((1 + i % 997)::text, 3, '0') as body from base
           )
      insert into clients (organization_id, network_id, identity_kind, given_name, family_name, pseudonym, birth_date, nis_code, phone, insz, created_at, updated_at)
      select org_id, ${network.id}::uuid,
             case when r_kind < 0.03 then 'pseudonym' else 'named' end,
             case when r_kind < 0.03 then null else given end,
             case when r_kind < 0.03 then null else family end,
             case when r_kind < 0.03 then 'Cliënt ' || i else null end,
             bd, nis,
             case when r_phone < 0.5 then '04' || lpad((i % 100000000)::text, 8, '0') end,
             case when r_insz < 0.4 then
               body || lpad((97 - ((case when bd >= date '2000-01-01' then '2' || body else body end)::bigint % 97))::text, 2, '0')
             end,
             now() - make_interval(days => (i % 1500)), now() - make_interval(days => (i % 300))
      from withbody`.execute(conn);
  });
  // vacuumed as well as analysed, as autovacuum would soon after a bulk insert: otherwise its worker may start in
  // the middle of the first measured scenario (the floor's) and take CPU from it
  await sql`vacuum (analyze) clients`.execute(owner);
  await sql`analyze organizations`.execute(owner);

  const email = 'intake.bench@bench.example';
  const user = await owner
    .insertInto('users')
    .values({ email, display_name: 'Bench Intake', password_hash: await hashPassword(BENCH_PASSWORD) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await owner
    .insertInto('memberships')
    .values({ user_id: user.id, network_id: network.id, organization_id: org.id, role: 'intake-worker' })
    .execute();

  const counts = await sql<{ total: string; in_org: string }>`
    select count(*) as total, count(*) filter (where organization_id = ${org.id}) as in_org from clients`.execute(
    owner,
  );
  return {
    networkId: network.id,
    organizationId: org.id,
    organizations: opts.orgCount,
    clients: Number(counts.rows[0]!.total),
    clientsInOrg: Number(counts.rows[0]!.in_org),
    user: { id: user.id, email, role: 'intake-worker' },
    seconds: (performance.now() - started) / 1000,
  };
}

/** A few hundred client ids of the organisation under test, in random order. */
export async function sampleClientIds(db: Database, organizationId: string, n: number): Promise<string[]> {
  const rows = await sql<{
    id: string;
  }>`select id from clients where organization_id = ${organizationId} order by random() limit ${n}`.execute(db.owner);
  return rows.rows.map((r) => r.id);
}

/**
 * Name fragments whose search in the organisation under test hits between `min` and `max` rows
 * (counted with the same predicate the app uses), mixing one- and two-token queries.
 */
export async function pickSearchTerms(
  db: Database,
  organizationId: string,
  opts: { min: number; max: number; want: number },
): Promise<{ q: string; hits: number }[]> {
  const candidates = new Set<string>();
  for (const f of FAMILY) candidates.add(f.toLowerCase());
  for (const g of GIVEN) if (g.length >= 4) candidates.add(g.toLowerCase());
  const oneWordFamilies = FAMILY.filter((f) => !/[\s']/.test(f));
  for (const [i, g] of GIVEN.entries())
    candidates.add(`${g.toLowerCase()} ${oneWordFamilies[i % 12]!.slice(0, 4).toLowerCase()}`);
  for (const z of ['zoe', 'noe', 'helene', 'anais', 'matheo', 'chloe']) candidates.add(z); // unaccented queries for accented names
  const found: { q: string; hits: number }[] = [];
  for (const q of candidates) {
    const tokens = q.split(/\s+/);
    let query = db.owner
      .selectFrom('clients')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('organization_id', '=', organizationId);
    for (const t of tokens) query = query.where('search_name', 'like', sql<string>`'%' || kl_fold(${t}) || '%'`);
    const n = Number((await query.executeTakeFirstOrThrow()).n);
    if (n >= opts.min && n <= opts.max) found.push({ q, hits: n });
  }
  // spread over the range: sort by hits and take evenly spaced ones, one- and two-token alike
  found.sort((a, b) => a.hits - b.hits || a.q.localeCompare(b.q));
  if (found.length <= opts.want) return found;
  const step = found.length / opts.want;
  return Array.from({ length: opts.want }, (_, k) => found[Math.floor(k * step)]!);
}
