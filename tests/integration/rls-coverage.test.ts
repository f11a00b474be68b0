import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createWorld, makeTenants, userActor, type World } from '../support/world.ts';
import { inTenant, type Tx } from '../../src/server/core/db/tenant.ts';
import type { Role } from '../../src/server/core/auth/permissions.ts';
import type { Actor } from '../../src/server/core/auth/actor.ts';
import type { DB } from '../../src/server/core/db/schema.ts';

/**
 * Every table of schema public has row-level security ENABLED and FORCED, or stands here with the reason it has
 * none and what the application role may do with it (checked below, so the reason cannot drift from the grants).
 * A new table without RLS fails this test until it gets RLS in a migration or a line here.
 */
const WITHOUT_RLS: Record<string, { reason: string; app: string[] }> = {
  schema_migrations: {
    reason: "the migrator's own bookkeeping (file names, checksums); the application role has no access",
    app: [],
  },
  municipalities: {
    reason: 'reference data (Statbel REFNIS), the same for everyone; the application only reads it',
    app: ['SELECT'],
  },
  taxonomy_terms: {
    reason: 'reference vocabulary (themes, offer categories), public in the HSDS feed; the application only reads it',
    app: ['SELECT'],
  },
  instrument_versions: {
    reason:
      'published screening instruments by version, no person in them; loaded at start by the owner, the application only reads it',
    app: ['SELECT'],
  },
  network_municipalities: {
    reason:
      "which municipalities form a network's zone: public reference data that the catalogue's zone filter reads for any network; the application only reads it",
    app: ['SELECT'],
  },
  networks: {
    reason:
      "a network's name, zone and settings, no personal data; read before any tenant context (the demo marker of /api/meta, network names at sign-in); only the network admin's settings route writes it (the first network is made by admin:create or the seed, with no context to check)",
    app: ['SELECT', 'UPDATE'],
  },
  // identity tables: read before a tenant context exists (ARCHITECTURE.md, Known limits); protected by the grants
  // (no DELETE on users, memberships, tokens) and the filters of features/users, auth/sessions.ts, the auth service
  users: {
    reason:
      'identity: looked up by e-mail at sign-in, before the organisation (the tenant context) is known; row policies are a known next step',
    app: ['SELECT', 'INSERT', 'UPDATE'],
  },
  memberships: {
    reason:
      "identity: read at sign-in and on switching organisation to find the person's organisations, before a tenant context exists; a known next step",
    app: ['SELECT', 'INSERT', 'UPDATE'],
  },
  sessions: {
    reason:
      "identity: the cookie token's hash is looked up to find the actor, before a tenant context exists; only the hash is stored",
    app: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  },
  api_tokens: {
    reason:
      "identity: a bearer token's hash is looked up (and last_used_at kept) to find the actor, before a tenant context exists; only the hash is stored",
    app: ['SELECT', 'INSERT', 'UPDATE'],
  },
};

/** Tables under forced RLS whose rows everyone may read (a SELECT policy `using (true)`); writing stays under policy. */
const OPEN_READS: Record<string, string> = {
  offers:
    'the catalogue holds no personal data; a read policy would keep the full-text and array indexes out of reach (@@, &&, @> are not leakproof): the data layer filters by network or public (ARCHITECTURE.md, Security design)',
  organizations:
    "names and kinds are public (HSDS feed, public listing) and read before a tenant context (an API token's organisation, the memberships at sign-in)",
  sites:
    "the organisations' public addresses, shown with the offers in the HSDS feed and the public listing outside any tenant context",
};

interface TableRls {
  table: string;
  enabled: boolean;
  forced: boolean;
}

async function tablesOfPublic(db: Kysely<DB>): Promise<TableRls[]> {
  return (
    await sql<TableRls>`
    select c.relname as "table", c.relrowsecurity as enabled, c.relforcerowsecurity as forced
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`.execute(db)
  ).rows;
}

/** Tables that are neither under enabled and forced RLS nor on the allow-list, with what is missing. */
async function uncovered(db: Kysely<DB>): Promise<string[]> {
  return (await tablesOfPublic(db))
    .filter((t) => !(t.enabled && t.forced) && !(t.table in WITHOUT_RLS))
    .map((t) => `${t.table} (${t.enabled ? 'row-level security enabled but not forced' : 'no row-level security'})`);
}

let world: World;
let db: World['db'];
let t: Awaited<ReturnType<typeof makeTenants>>;

beforeAll(async () => {
  world = await createWorld();
  db = world.db;
  t = await makeTenants(world);
});
afterAll(() => world?.close());

describe('row-level security coverage', () => {
  it('every table in schema public has row-level security enabled and forced, or is on the allow-list with a reason', async () => {
    const missing = await uncovered(db.owner);
    expect(
      missing,
      `tables without forced row-level security and not on the allow-list (WITHOUT_RLS in tests/integration/rls-coverage.test.ts): ${missing.join(', ')}`,
    ).toEqual([]);
  });

  it('the allow-list names only tables that exist and still have no row-level security, each with a reason', async () => {
    const tables = new Map((await tablesOfPublic(db.owner)).map((t) => [t.table, t]));
    for (const [table, entry] of Object.entries(WITHOUT_RLS)) {
      expect(tables.has(table), `${table} is on the allow-list but does not exist: remove it`).toBe(true);
      expect(tables.get(table)!.enabled, `${table} has row-level security now: remove it from the allow-list`).toBe(
        false,
      );
      expect(entry.reason.length, `${table} needs a reason`).toBeGreaterThan(20);
    }
  });

  it('the application role may do with each allow-listed table exactly what the list says', async () => {
    for (const [table, entry] of Object.entries(WITHOUT_RLS)) {
      const rows = (
        await sql<{ privilege: string; granted: boolean }>`
        select p as privilege, has_table_privilege('kortelijn_app', ${`public.${table}`}, p) as granted
        from unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p`.execute(db.owner)
      ).rows;
      expect(
        rows.filter((r) => r.granted).map((r) => r.privilege),
        `privileges of kortelijn_app on ${table}`,
      ).toEqual(entry.app);
    }
  });

  it('a table whose rows the application role may all read is listed with its reason', async () => {
    const open = (
      await sql<{ table: string }>`
      select distinct tablename as "table" from pg_catalog.pg_policies
      where schemaname = 'public' and permissive = 'PERMISSIVE' and cmd in ('SELECT', 'ALL') and qual = 'true'
        and (roles && array['public', 'kortelijn_app']::name[])
      order by 1`.execute(db.owner)
    ).rows.map((r) => r.table);
    const unlisted = open.filter((t) => !(t in OPEN_READS));
    expect(
      unlisted,
      `tables with a read policy open to everyone and not in OPEN_READS: ${unlisted.join(', ')}`,
    ).toEqual([]);
    expect(
      Object.keys(OPEN_READS).filter((t) => !open.includes(t)),
      'OPEN_READS names a table whose reads are not open',
    ).toEqual([]);
  });

  it('a new table without row-level security fails the check, by name; enabled without FORCE fails too', async () => {
    await sql`create table rls_coverage_probe (id int)`.execute(db.owner);
    try {
      expect(await uncovered(db.owner)).toEqual(['rls_coverage_probe (no row-level security)']);
      await sql`alter table rls_coverage_probe enable row level security`.execute(db.owner);
      expect(await uncovered(db.owner)).toEqual(['rls_coverage_probe (row-level security enabled but not forced)']);
      await sql`alter table rls_coverage_probe force row level security`.execute(db.owner);
      expect(await uncovered(db.owner)).toEqual([]);
    } finally {
      await sql`drop table rls_coverage_probe`.execute(db.owner);
    }
  });
});

const info = { ip: '127.0.0.1', userAgent: 'test', requestId: 'rls-coverage' };
const actor = (role: Role, organizationId: string | null, networkId: string) =>
  userActor(null, organizationId, networkId, role);
const as = <T>(a: Actor, work: (tx: Tx) => Promise<T>) => inTenant(db.app, a, info, work);
const RLS = /row-level security/;

describe('security-definer functions', () => {
  it('every one fixes its search path with pg_temp last, so no caller can shadow a table it reads (migration 030)', async () => {
    const rows = (
      await sql<{ name: string; config: string[] | null }>`
      select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as name, p.proconfig as config
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and p.prosecdef order by 1`.execute(db.owner)
    ).rows;
    expect(rows.length).toBeGreaterThan(5);
    const unsafe = rows
      .filter((r) => !(r.config ?? []).some((c) => /^search_path=.*pg_temp\s*$/.test(c)))
      .map((r) => `${r.name}: ${(r.config ?? []).join(', ') || 'no search_path'}`);
    expect(unsafe, 'security-definer functions whose search_path does not end with pg_temp').toEqual([]);
  });

  it('a temporary table named like a table a definer function reads does not change its answer', async () => {
    // the caller's own `consents` and `referrals` say the consent is active; before migration 030 the function read them
    const org = randomUUID();
    const consent = randomUUID();
    await db.owner.connection().execute(async (conn) => {
      await sql`select set_config('app.org_id', ${org}, false)`.execute(conn);
      try {
        await sql`create temporary table consents (id uuid, withdrawn_at timestamptz, valid_until date)`.execute(conn);
        await sql`create temporary table referrals (consent_id uuid, sender_organization_id uuid,
                    receiver_organization_id uuid)`.execute(conn);
        await sql`insert into pg_temp.consents values (${consent}, null, null)`.execute(conn);
        await sql`insert into pg_temp.referrals values (${consent}, ${org}, null)`.execute(conn);
        await sql`grant select on pg_temp.consents, pg_temp.referrals to kortelijn_definer`.execute(conn);
        const { rows } = await sql<{
          active: boolean;
        }>`select kl_referral_consent_active(${consent}::uuid) as active`.execute(conn);
        expect(rows[0]!.active).toBe(false);
      } finally {
        await sql`drop table if exists pg_temp.consents, pg_temp.referrals`.execute(conn);
        await sql`select set_config('app.org_id', '', false)`.execute(conn);
      }
    });
  });
});

describe('the policies of migration 009', () => {
  const adminA = () => actor('org-admin', t.orgA.id, t.network.id);
  const networkAdmin = () => actor('network-admin', null, t.network.id);
  const networkAdminX = () => actor('network-admin', null, t.otherNetwork.id);

  it('organisations: everyone reads them; the network admin creates them in their network; an organisation changes only itself', async () => {
    expect((await sql<{ n: number }>`select count(*)::int as n from organizations`.execute(db.app)).rows[0]!.n).toBe(3);
    await expect(
      as(networkAdminX(), (tx) =>
        tx.db.insertInto('organizations').values({ network_id: t.network.id, name: 'Elders', kind: 'other' }).execute(),
      ),
    ).rejects.toThrow(RLS);
    await expect(
      as(adminA(), (tx) =>
        tx.db.insertInto('organizations').values({ network_id: t.network.id, name: 'Zelf', kind: 'other' }).execute(),
      ),
    ).rejects.toThrow(RLS);
    const made = await as(networkAdmin(), (tx) =>
      tx.db
        .insertInto('organizations')
        .values({ network_id: t.network.id, name: 'Nieuw', kind: 'other' })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    const rename = (a: Actor, id: string) =>
      as(a, (tx) =>
        tx.db.updateTable('organizations').set({ name: 'Hernoemd' }).where('id', '=', id).executeTakeFirst(),
      ).then((r) => Number(r.numUpdatedRows));
    expect(await rename(adminA(), t.orgB.id)).toBe(0);
    expect(await rename(networkAdminX(), made.id)).toBe(0);
    expect(await rename(adminA(), t.orgA.id)).toBe(1);
    expect(await rename(networkAdmin(), made.id)).toBe(1);
  });

  it('sites: public to read; written by their organisation or its network admin only', async () => {
    const site = (organizationId: string) => ({
      organization_id: organizationId,
      name: 'Zetel',
      street: 'Straat 1',
      postal_code: '3000',
      nis_code: '24062',
    });
    await expect(as(adminA(), (tx) => tx.db.insertInto('sites').values(site(t.orgB.id)).execute())).rejects.toThrow(
      RLS,
    );
    await expect(
      as(networkAdminX(), (tx) => tx.db.insertInto('sites').values(site(t.orgA.id)).execute()),
    ).rejects.toThrow(RLS);
    const own = await as(adminA(), (tx) =>
      tx.db.insertInto('sites').values(site(t.orgA.id)).returning('id').executeTakeFirstOrThrow(),
    );
    await as(networkAdmin(), (tx) => tx.db.insertInto('sites').values(site(t.orgB.id)).execute());
    expect((await sql<{ n: number }>`select count(*)::int as n from sites`.execute(db.app)).rows[0]!.n).toBe(2);
    const removed = await as(actor('org-admin', t.orgB.id, t.network.id), (tx) =>
      tx.db.deleteFrom('sites').where('id', '=', own.id).executeTakeFirst(),
    );
    expect(Number(removed.numDeletedRows)).toBe(0);
  });

  it('teams: read within the network only; written by their organisation or its network admin only', async () => {
    await world.owner
      .insertInto('teams')
      .values([
        { organization_id: t.orgA.id, name: 'Team A' },
        { organization_id: t.orgX.id, name: 'Team X' },
      ])
      .execute();
    const names = (a: Actor) =>
      as(a, (tx) => tx.db.selectFrom('teams').select('name').orderBy('name').execute()).then((rows) =>
        rows.map((r) => r.name),
      );
    expect(await names(actor('intake-worker', t.orgB.id, t.network.id))).toEqual(['Team A']);
    expect(await names(networkAdminX())).toEqual(['Team X']);
    expect((await sql<{ n: number }>`select count(*)::int as n from teams`.execute(db.app)).rows[0]!.n).toBe(0);
    await expect(
      as(adminA(), (tx) =>
        tx.db.insertInto('teams').values({ organization_id: t.orgB.id, name: 'Niet van mij' }).execute(),
      ),
    ).rejects.toThrow(RLS);
    await expect(
      as(networkAdminX(), (tx) =>
        tx.db.insertInto('teams').values({ organization_id: t.orgA.id, name: 'Niet van mij' }).execute(),
      ),
    ).rejects.toThrow(RLS);
    await as(networkAdmin(), (tx) =>
      tx.db.insertInto('teams').values({ organization_id: t.orgB.id, name: 'Team B' }).execute(),
    );
    expect(await names(adminA())).toEqual(['Team A', 'Team B']);
  });

  it('email outbox: a request queues mail but cannot read it back; only the mailer, outside a tenant context, reads and updates it', async () => {
    await as(adminA(), (tx) =>
      tx.db
        .insertInto('email_outbox')
        .values({ to_address: 'iemand@test.example', subject: 'Nieuws', body: 'link' })
        .execute(),
    );
    const count = async (conn: Kysely<DB>) =>
      (await sql<{ n: number }>`select count(*)::int as n from email_outbox`.execute(conn)).rows[0]!.n;
    expect(await as(adminA(), (tx) => count(tx.db))).toBe(0);
    expect(await count(db.app)).toBe(0);
    // a tenant transaction that claims to be the mailer still sees nothing
    expect(
      await as(adminA(), async (tx) => {
        await sql`select set_config('app.mailer', 'on', true)`.execute(tx.db);
        return count(tx.db);
      }),
    ).toBe(0);
    const mailer = await db.app.transaction().execute(async (trx) => {
      await sql`select set_config('app.mailer', 'on', true)`.execute(trx);
      const updated = await trx.updateTable('email_outbox').set({ attempts: 1 }).executeTakeFirst();
      return { seen: await count(trx), updated: Number(updated.numUpdatedRows) };
    });
    expect(mailer).toEqual({ seen: 1, updated: 1 });
    expect(await count(db.app)).toBe(0);
  });
});

describe('the policies of migration 010', () => {
  const row = { scope: 'account', account_hash: 'digest-a', level: 1 };
  const count = async (conn: Kysely<DB>, table: 'sign_in_throttle' | 'password_reset_tokens') =>
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(conn)).rows[0]!.n;
  const claim = (conn: Kysely<DB>) => sql`select set_config('app.sign_in', 'on', true)`.execute(conn);

  it('sign-in counters and reset tokens: only a transaction that claims to be the sign-in sees or writes them', async () => {
    await db.app.transaction().execute(async (trx) => {
      await claim(trx);
      await trx.insertInto('sign_in_throttle').values(row).execute();
    });
    const user = await world.owner
      .insertInto('users')
      .values({ email: 'rls-010@test.example', display_name: 'RLS', password_hash: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await world.owner
      .insertInto('password_reset_tokens')
      .values({ token_hash: 'digest-t', user_id: user.id, expires_at: sql`now() + interval '1 hour'` })
      .execute();
    // without the claim: nothing to see, nothing to write, in or out of a tenant context
    expect(await count(db.app, 'sign_in_throttle')).toBe(0);
    expect(await count(db.app, 'password_reset_tokens')).toBe(0);
    expect(await as(actor('org-admin', t.orgA.id, t.network.id), (tx) => count(tx.db, 'sign_in_throttle'))).toBe(0);
    await expect(
      db.app
        .insertInto('sign_in_throttle')
        .values({ ...row, account_hash: 'digest-b' })
        .execute(),
    ).rejects.toThrow(RLS);
    const cleared = await db.app.deleteFrom('sign_in_throttle').executeTakeFirst();
    expect(Number(cleared.numDeletedRows)).toBe(0);
    // with it
    const seen = await db.app.transaction().execute(async (trx) => {
      await claim(trx);
      return [await count(trx, 'sign_in_throttle'), await count(trx, 'password_reset_tokens')];
    });
    expect(seen).toEqual([1, 1]);
    // the claim ends with its transaction
    expect(await count(db.app, 'sign_in_throttle')).toBe(0);
  });
});
