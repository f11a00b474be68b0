import type { Kysely } from 'kysely';
import type { DB } from '../core/db/schema.ts';
import { inTenant, type Tx } from '../core/db/tenant.ts';
import type { Actor, RequestInfo } from '../core/auth/actor.ts';
import { addContact, createTrajectory, transitionTrajectory } from '../features/trajectories/index.ts';
import { brusselsInstant, dateFrom } from './moments.ts';

const SEED_REQUEST: RequestInfo = { ip: '127.0.0.1', userAgent: 'Korte Lijn demo seed', requestId: 'demo-seed' };
/** The organisations whose caregiver ("hulpverlener@<org>.demo.example") gets trajectories in the demo. */
const ORGANIZATIONS = ['caw', 'cgg'] as const;

interface DemoContext {
  app: Kysely<DB>;
  owner: Kysely<DB>;
  now: Date;
  networkId: string;
  organizations: Map<string, string>;
  actors: Map<string, Actor>;
}

/**
 * A few trajectories for the demo caregivers, through the feature's own services: for every referral their
 * organisation accepted and registered the person of, one trajectory in support with two
 * contacts; and for the CAW one trajectory of a person of its own register whose last contact is 45 days old,
 * so "Mijn werk" shows the 30-day flag. Deterministic (the order of the referrals and clients) and idempotent:
 * an organisation that has any trajectory is left alone.
 */
export async function seedDemoTrajectories(demo: DemoContext): Promise<{ seeded: number }> {
  let seeded = 0;
  for (const org of ORGANIZATIONS) {
    const organizationId = demo.organizations.get(org);
    const actor = demo.actors.get(`hulpverlener@${org}.demo.example`);
    if (!organizationId || !actor) continue;
    seeded += await inTenant(demo.app, actor, SEED_REQUEST, async (tx) => {
      const any = await tx.db.selectFrom('trajectories').select('id').limit(1).executeTakeFirst();
      if (any) return 0;
      const referrals = await tx.db
        .selectFrom('referrals')
        .select(['id', 'receiver_client_id', 'offer_id'])
        .where('receiver_organization_id', '=', organizationId)
        .where('status', 'in', ['accepted', 'scheduled', 'first-contact', 'missed', 'completed'])
        .where('receiver_client_id', 'is not', null)
        .orderBy('created_at')
        .orderBy('id')
        .limit(3)
        .execute();
      let count = 0;
      for (const [i, r] of referrals.entries()) {
        const { id } = await createTrajectory(tx, {
          clientId: r.receiver_client_id!,
          module: org === 'caw' ? 'psychosocial-support' : 'other',
          offerId: r.offer_id,
          referralId: r.id,
        });
        await contact(tx, id, demo.now, 12 + i, 60, 'on-site', 'Onthaalgesprek: hulpvraag en verwachtingen overlopen.');
        await transitionTrajectory(tx, id, { action: 'start-support' });
        await contact(tx, id, demo.now, 3 + i, 45, 'phone', 'Opvolging: afspraken van vorige keer nagevraagd.');
        count += 1;
      }
      if (org === 'caw') {
        const client = await tx.db
          .selectFrom('clients')
          .select('id')
          .where('organization_id', '=', organizationId)
          .where(
            'id',
            'not in',
            referrals.map((r) => r.receiver_client_id!).concat(['00000000-0000-0000-0000-000000000000']),
          )
          .orderBy('created_at')
          .orderBy('id')
          .limit(1)
          .executeTakeFirst();
        if (client) {
          const startDate = dateFrom(demo.now, -60);
          const { id } = await createTrajectory(tx, { clientId: client.id, module: 'relationship-family', startDate });
          await contact(tx, id, demo.now, 45, 50, 'home-visit', 'Huisbezoek; volgende afspraak nog vast te leggen.');
          count += 1;
        }
      }
      return count;
    });
  }
  return { seeded };
}

async function contact(
  tx: Tx,
  id: string,
  now: Date,
  daysAgo: number,
  minutes: number,
  kind: 'on-site' | 'phone' | 'home-visit',
  note: string,
) {
  // half past ten on that Brussels day: the days since it are counted on the Brussels calendar (never a UTC date)
  const at = brusselsInstant(dateFrom(now, -daysAgo), '10:30');
  await addContact(tx, id, { at: at.toISOString(), minutes, kind, note });
}
