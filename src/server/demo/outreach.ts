import { sql, type Kysely } from 'kysely';
import type { DB } from '../core/db/schema.ts';
import { inTenant, type Tx } from '../core/db/tenant.ts';
import type { Actor, RequestInfo } from '../core/auth/actor.ts';
import type { Permission } from '../core/auth/permissions.ts';
import {
  addOutreachAttempt,
  closeOutreachSignal,
  createOutreachSignal,
  updateOutreachSettings,
} from '../features/outreach/index.ts';

const SEED_REQUEST: RequestInfo = { ip: '127.0.0.1', userAgent: 'Korte Lijn demo seed', requestId: 'demo-seed' };
const DAY_MS = 86_400_000;

interface DemoContext {
  app: Kysely<DB>;
  owner: Kysely<DB>;
  now: Date;
  networkId: string;
  organizations: Map<string, string>;
  actors: Map<string, Actor>;
}

// the seed runs before the app registers the features' permissions on the roles: give the demo actors theirs
const withOutreach = (actor: Actor, extra: Permission[]): Actor => ({
  ...actor,
  permissions: new Set([...actor.permissions, ...extra]),
});

type Step = { daysAgo: number; utcHour: number; outcome: 'reached' | 'no-answer' | 'voicemail' | 'refused' };
interface DemoSignal {
  from: 'uitvaart' | 'wzc';
  daysAgo: number;
  body: Parameters<typeof createOutreachSignal>[1];
  attempts?: Step[];
  close?: Parameters<typeof closeOutreachSignal>[2];
  /** no attempt and past its target: shows as overdue */
  overdue?: boolean;
}

/** Fictional people; the phone numbers are in a range no one answers. */
const SIGNALS: DemoSignal[] = [
  {
    from: 'uitvaart',
    daysAgo: 0,
    body: {
      kind: 'bereaved',
      contactName: 'Hilde Wouters',
      phone: '0470 00 11 01',
      relation: 'dochter',
      dateOfDeath: '',
      preferredMoment: 'afternoon',
      municipalityNis: '24062',
      agreementMethod: 'spoken',
      note: 'Haar vader overleed plots; ze woont alleen.',
    },
  },
  {
    from: 'uitvaart',
    daysAgo: 6,
    overdue: true,
    body: {
      kind: 'bereaved',
      contactName: 'Rik Claes',
      phone: '0470 00 11 02',
      relation: 'echtgenoot',
      dateOfDeath: '',
      municipalityNis: '24009',
      agreementMethod: 'written',
    },
  },
  {
    from: 'wzc',
    daysAgo: 5,
    body: {
      kind: 'isolated',
      contactName: 'Maria',
      phone: '016 00 11 03',
      preferredMoment: 'morning',
      municipalityNis: '24055',
      agreementMethod: 'spoken',
      note: 'Bewoonster sinds kort, krijgt geen bezoek.',
    },
    attempts: [
      { daysAgo: 4, utcHour: 9, outcome: 'no-answer' },
      { daysAgo: 3, utcHour: 9, outcome: 'no-answer' },
    ],
  },
  {
    from: 'uitvaart',
    daysAgo: 9,
    body: {
      kind: 'bereaved',
      contactName: 'Sofie Janssens',
      phone: '0470 00 11 04',
      relation: 'echtgenote',
      dateOfDeath: '',
      municipalityNis: '24062',
      agreementMethod: 'spoken',
    },
    attempts: [
      { daysAgo: 8, utcHour: 9, outcome: 'no-answer' },
      { daysAgo: 7, utcHour: 10, outcome: 'voicemail' },
      { daysAgo: 6, utcHour: 14, outcome: 'no-answer' },
    ],
  },
  {
    from: 'uitvaart',
    daysAgo: 12,
    body: {
      kind: 'bereaved',
      contactName: 'Jan Peeters',
      phone: '0470 00 11 05',
      relation: 'zoon',
      dateOfDeath: '',
      municipalityNis: '24038',
      agreementMethod: 'spoken',
    },
    attempts: [{ daysAgo: 11, utcHour: 13, outcome: 'reached' }],
  },
  {
    from: 'uitvaart',
    daysAgo: 20,
    body: {
      kind: 'bereaved',
      contactName: 'An Vermeulen',
      phone: '0470 00 11 06',
      relation: 'echtgenote',
      dateOfDeath: '',
      municipalityNis: '24062',
      agreementMethod: 'written',
    },
    attempts: [
      { daysAgo: 19, utcHour: 9, outcome: 'no-answer' },
      { daysAgo: 18, utcHour: 15, outcome: 'reached' },
    ],
    close: { outcome: 'support-accepted', note: 'Eerste gesprek thuis afgesproken.' },
  },
  {
    from: 'wzc',
    daysAgo: 25,
    body: {
      kind: 'caregiver-strain',
      contactName: 'Paul De Smet',
      phone: '0470 00 11 07',
      municipalityNis: '24055',
      agreementMethod: 'spoken',
    },
    attempts: [
      { daysAgo: 24, utcHour: 9, outcome: 'no-answer' },
      { daysAgo: 23, utcHour: 14, outcome: 'voicemail' },
      { daysAgo: 22, utcHour: 17, outcome: 'no-answer' },
    ],
    close: { outcome: 'unreachable', note: 'Brief verstuurd.' },
  },
  {
    from: 'wzc',
    daysAgo: 1,
    body: {
      kind: 'bereaved',
      collective: true,
      municipalityNis: '24055',
      agreementMethod: 'spoken',
      note: 'Overlijden van een medewerker; de afdeling vraagt een groepsmoment.',
    },
  },
];

const instant = (now: Date, daysAgo: number, utcHour: number) => {
  const d = new Date(now.getTime() - daysAgo * DAY_MS);
  d.setUTCHours(utcHour, 0, 0, 0);
  return d;
};

/**
 * The demo's outreach: routing (bereaved → the CAW, with the CGG for Leuven's caregiver strain as an example of a
 * municipality rule), and signals of the funeral director and the care home in every state — new, overdue, two
 * failed attempts, the unreachable proposal, contact made, closed with support accepted (a client and a trajectory at
 * the CAW) and closed unreachable — played through the feature's services as the demo users. Idempotent: a network
 * that has any signal is left alone.
 */
export async function seedDemoOutreach(demo: DemoContext): Promise<{ seeded: number }> {
  const caw = demo.organizations.get('caw');
  const cgg = demo.organizations.get('cgg');
  const admin = demo.actors.get('admin@demo.example');
  const coordinator = demo.actors.get('coordinator@caw.demo.example');
  if (!caw || !cgg || !admin || !coordinator) return { seeded: 0 };
  const any = await demo.owner
    .selectFrom('outreach_signals')
    .select('id')
    .where('network_id', '=', demo.networkId)
    .limit(1)
    .executeTakeFirst();
  if (any) return { seeded: 0 };

  await inTenant(demo.app, admin, SEED_REQUEST, (tx) =>
    updateOutreachSettings(
      tx,
      {
        responseWorkingDays: 2,
        failedAttempts: 3,
        retentionMonths: 12,
        routes: [
          { kind: 'bereaved', municipalityNis: null, organizationId: caw },
          { kind: 'isolated', municipalityNis: null, organizationId: caw },
          { kind: 'caregiver-strain', municipalityNis: null, organizationId: caw },
          { kind: 'caregiver-strain', municipalityNis: '24062', organizationId: cgg },
          { kind: 'other', municipalityNis: null, organizationId: caw },
        ],
      },
      'nl',
    ),
  );

  const receiver = withOutreach(coordinator, ['outreach:queue', 'outreach:signal']);
  // the CAW's caregiver takes on the person who accepted support ("Mijn werk")
  const caregiver = demo.actors.get('hulpverlener@caw.demo.example')?.userId ?? null;
  let seeded = 0;
  for (const s of SIGNALS) {
    const sender = demo.actors.get(`onthaal@${s.from}.demo.example`);
    if (!sender) continue;
    const body = { ...s.body };
    if (body.dateOfDeath === '')
      body.dateOfDeath = new Date(demo.now.getTime() - (s.daysAgo + 3) * DAY_MS).toISOString().slice(0, 10);
    const { id } = await inTenant(demo.app, withOutreach(sender, ['outreach:signal']), SEED_REQUEST, (tx) =>
      createOutreachSignal(tx, body, 'nl'),
    );
    // told from its day: the signal came in `daysAgo` days ago, at 10:00 Brussels; its target follows from there
    const created = instant(demo.now, s.daysAgo, 9);
    await demo.owner
      .updateTable('outreach_signals')
      .set({
        created_at: created,
        due_at: s.overdue || s.daysAgo > 3 ? instant(demo.now, Math.max(s.daysAgo - 3, 1), 9) : sql`due_at`,
      })
      .where('id', '=', id)
      .execute();
    await demo.owner
      .updateTable('notifications')
      .set({ created_at: created, ...(s.daysAgo > 2 ? { read_at: created } : {}) })
      .where('subject_id', '=', id)
      .execute();
    if (s.attempts || s.close)
      await inTenant(demo.app, receiver, SEED_REQUEST, async (tx: Tx) => {
        for (const a of s.attempts ?? [])
          await addOutreachAttempt(
            tx,
            id,
            { channel: 'phone', outcome: a.outcome, at: instant(demo.now, a.daysAgo, a.utcHour).toISOString() },
            'nl',
          );
        if (s.close)
          await closeOutreachSignal(
            tx,
            id,
            s.close.outcome === 'support-accepted' ? { ...s.close, responsibleUserId: caregiver } : s.close,
            'nl',
          );
      });
    seeded += 1;
  }
  return { seeded };
}
