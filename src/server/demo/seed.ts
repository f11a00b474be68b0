import type { Kysely } from 'kysely';
import type { DB } from '../core/db/schema.ts';
import { hashPassword } from '../core/auth/passwords.ts';
import { makeInsz } from '../features/clients/index.ts';
import type { Role } from '../core/auth/permissions.ts';
import { DEMO_OFFERS } from './offers.ts';
import { sql } from 'kysely';

export const DEMO_PASSWORD = 'kortelijn-demo';

// Eerstelijnszone Leuven: the real municipalities of one zone; every organisation and person below is fictional.
const ZONE = {
  name: 'Eerstelijnszone Leuven',
  municipalities: ['24062', '24038', '24055', '24009', '24086', '24011', '24043', '24066'],
};

export const DEMO_ORGANIZATIONS = [
  {
    key: 'caw',
    name: 'CAW Oost-Brabant (demo)',
    kind: 'caw',
    site: { name: 'Onthaal Leuven', street: 'Diestsestraat 100', postal: '3000', nis: '24062' },
  },
  {
    key: 'cgg',
    name: 'CGG De Kade (demo)',
    kind: 'cgg',
    site: { name: 'CGG Leuven', street: 'Tiensevest 20', postal: '3000', nis: '24062' },
  },
  {
    key: 'ocmw',
    name: 'Sociaal Huis Herent (demo)',
    kind: 'ocmw',
    site: { name: 'Sociaal Huis', street: 'Wijgmaalsesteenweg 10', postal: '3020', nis: '24038' },
  },
  {
    key: 'helpline',
    name: 'Luisterlijn Vlaams-Brabant (demo)',
    kind: 'helpline',
    site: { name: 'Permanentie', street: 'Brusselsestraat 5', postal: '3000', nis: '24062' },
  },
  {
    key: 'wzc',
    name: 'WZC Ter Linde (demo)',
    kind: 'care-facility',
    site: { name: 'Woonzorgcentrum', street: 'Lindenlaan 3', postal: '3070', nis: '24055' },
  },
  {
    key: 'uitvaart',
    name: 'Uitvaartzorg Van Dormael (demo)',
    kind: 'funeral-director',
    site: { name: 'Rouwcentrum', street: 'Stationsstraat 12', postal: '3060', nis: '24009' },
  },
  {
    key: 'huisarts',
    name: 'Huisartsenpraktijk De Vest (demo)',
    kind: 'primary-care',
    site: { name: 'Praktijk', street: 'Naamsevest 44', postal: '3000', nis: '24062' },
  },
] as const;

export const DEMO_ORG_ROLES: { prefix: string; role: Role; label: string }[] = [
  { prefix: 'onthaal', role: 'intake-worker', label: 'Onthaalmedewerker' },
  { prefix: 'hulpverlener', role: 'caregiver', label: 'Hulpverlener' },
  { prefix: 'coordinator', role: 'coordinator', label: 'Coördinator' },
  { prefix: 'teamlead', role: 'team-lead', label: 'Teamverantwoordelijke' },
  { prefix: 'admin', role: 'org-admin', label: 'Organisatiebeheerder' },
];

export const DEMO_NETWORK_USERS: { email: string; role: Role; name: string }[] = [
  { email: 'admin@demo.example', role: 'network-admin', name: 'Netwerkbeheerder Demo' },
  { email: 'netwerk@demo.example', role: 'network-coordinator', name: 'Netwerkcoördinator Demo' },
  { email: 'analist@demo.example', role: 'analyst', name: 'Analist Demo' },
];

const DEMO_CLIENTS: Record<
  string,
  { given: string; family: string; birth: string; nis: string; lang: string; insz?: boolean }[]
> = {
  caw: [
    { given: 'Marie', family: 'Peeters', birth: '1978-04-12', nis: '24062', lang: 'nl', insz: true },
    { given: 'Youssef', family: 'El Amrani', birth: '2003-09-30', nis: '24038', lang: 'nl' },
    { given: 'Ann', family: 'Verhaegen', birth: '1956-01-22', nis: '24055', lang: 'nl', insz: true },
  ],
  cgg: [
    { given: 'Tom', family: 'Janssens', birth: '1990-06-05', nis: '24062', lang: 'nl', insz: true },
    { given: 'Sofie', family: 'Claes', birth: '2001-11-17', nis: '24086', lang: 'nl' },
  ],
  ocmw: [
    { given: 'Jean', family: 'Dubois', birth: '1969-03-08', nis: '24038', lang: 'fr' },
    { given: 'Fatma', family: 'Yilmaz', birth: '1985-12-01', nis: '24038', lang: 'nl', insz: true },
  ],
};

/** Seeds the fictional demo network; does nothing when a network exists already. */
/** The demo network's own synonym group: a search for one of these words finds the peer-support groups. */
export const DEMO_SYNONYMS = ['lotgenoten', 'praatgroep', 'zelfhulpgroep', 'gespreksgroep'];

export async function seedDemo(owner: Kysely<DB>): Promise<{ seeded: boolean }> {
  const existing = await owner.selectFrom('networks').select('id').limit(1).executeTakeFirst();
  if (existing) return { seeded: false };
  // one hash for all demo accounts: they share a published password anyway
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await owner.transaction().execute(async (trx) => {
    const network = await trx
      .insertInto('networks')
      .values({
        name: 'Samenwerkingsverband Geestelijke Gezondheid Leuven (demo)',
        zone_name: ZONE.name,
        is_demo: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('network_municipalities')
      .values(ZONE.municipalities.map((nis_code) => ({ network_id: network.id, nis_code })))
      .execute();
    for (const user of DEMO_NETWORK_USERS) {
      const row = await trx
        .insertInto('users')
        .values({ email: user.email, display_name: user.name, password_hash: passwordHash })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('memberships')
        .values({ user_id: row.id, network_id: network.id, organization_id: null, role: user.role })
        .execute();
    }
    for (const org of DEMO_ORGANIZATIONS) {
      // row-level security is forced even for the schema owner: the network admin creates the organisation,
      await sql`select set_config('app.org_id', '', true), set_config('app.network_id', ${network.id}, true), set_config('app.role', 'network-admin', true)`.execute(
        trx,
      );
      const o = await trx
        .insertInto('organizations')
        .values({ network_id: network.id, name: org.name, kind: org.kind })
        .returning('id')
        .executeTakeFirstOrThrow();
      // then write this organisation's rows in its context
      await sql`select set_config('app.org_id', ${o.id}, true), set_config('app.network_id', ${network.id}, true), set_config('app.role', '', true)`.execute(
        trx,
      );
      await trx
        .insertInto('sites')
        .values({
          organization_id: o.id,
          name: org.site.name,
          street: org.site.street,
          postal_code: org.site.postal,
          nis_code: org.site.nis,
        })
        .execute();
      const team = await trx
        .insertInto('teams')
        .values({ organization_id: o.id, name: 'Onthaalteam' })
        .returning('id')
        .executeTakeFirstOrThrow();
      let creator: string | null = null;
      for (const { prefix, role, label } of DEMO_ORG_ROLES) {
        const u = await trx
          .insertInto('users')
          .values({
            email: `${prefix}@${org.key}.demo.example`,
            display_name: `${label} ${org.name.replace(' (demo)', '')}`,
            password_hash: passwordHash,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('memberships')
          .values({
            user_id: u.id,
            network_id: network.id,
            organization_id: o.id,
            team_id: role === 'org-admin' ? null : team.id,
            role,
          })
          .execute();
        if (role === 'intake-worker') creator = u.id;
      }
      let sequence = 11;
      for (const c of DEMO_CLIENTS[org.key] ?? []) {
        await trx
          .insertInto('clients')
          .values({
            organization_id: o.id,
            network_id: network.id,
            identity_kind: 'named',
            given_name: c.given,
            family_name: c.family,
            birth_date: c.birth,
            nis_code: c.nis,
            preferred_language: c.lang,
            insz: c.insz ? makeInsz(c.birth, (sequence += 2)) : null,
            created_by: creator,
          })
          .execute();
      }
      for (const offer of DEMO_OFFERS.filter((d) => d.org === org.key)) {
        await trx
          .insertInto('offers')
          .values({
            organization_id: o.id,
            network_id: network.id,
            name: offer.name,
            description: offer.description,
            category_id: offer.category,
            level: offer.level,
            themes: offer.themes,
            modalities: offer.modalities,
            min_age: offer.minAge ?? null,
            max_age: offer.maxAge ?? null,
            municipalities: ZONE.municipalities,
            languages: offer.languages ?? ['nl'],
            capacity: offer.capacity,
            wait_days: offer.waitDays ?? null,
            self_referral: offer.selfReferral ?? true,
            referral_required: offer.selfReferral === false,
            cost: offer.cost ?? 'free',
            target_groups: offer.targetGroups ?? [],
            contact_phone: '+32 16 00 00 00',
            contact_email: `info@${org.key}.demo.example`,
            capacity_updated_at: sql`now() - make_interval(days => ${offer.staleDays ?? 2})`,
          })
          .execute();
      }
      if (org.key === 'helpline') {
        await trx
          .insertInto('clients')
          .values({
            organization_id: o.id,
            network_id: network.id,
            identity_kind: 'pseudonym',
            pseudonym: 'Beller Merel',
            birth_year: 1994,
            created_by: creator,
          })
          .execute();
      }
    }
    // one synonym group of the network's own, next to the built-in list (network settings, Synoniemen)
    await sql`select set_config('app.org_id', '', true), set_config('app.network_id', ${network.id}, true), set_config('app.role', 'network-admin', true)`.execute(
      trx,
    );
    await trx
      .insertInto('search_synonyms')
      .values({ network_id: network.id, terms: DEMO_SYNONYMS, created_by: null })
      .execute();
  });
  return { seeded: true };
}
