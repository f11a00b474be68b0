import type { Kysely } from 'kysely';
import type { DB } from '../core/db/schema.ts';
import { inTenant, type Tx } from '../core/db/tenant.ts';
import type { Actor, RequestInfo } from '../core/auth/actor.ts';
import {
  addFacilityContact,
  addGroupSession,
  cancelGroupSession,
  closeFacilityCase,
  createFacility,
  createGroup,
  openFacilityCase,
  recordAttendance,
  registerForGroup,
  setGroupPublication,
} from '../features/groups/index.ts';

const SEED_REQUEST: RequestInfo = { ip: '127.0.0.1', userAgent: 'Korte Lijn demo seed', requestId: 'demo-seed' };
const DAY_MS = 86_400_000;

interface DemoContext {
  app: Kysely<DB>;
  now: Date;
  organizations: Map<string, string>;
  actors: Map<string, Actor>;
}

const dayAgo = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS).toISOString().slice(0, 10);
/** 18:00 in Brussels in winter (17:00 UTC; 19:00 in summer, close enough for a demo evening group). */
const evening = (now: Date, days: number) => {
  const at = new Date(now.getTime() + days * DAY_MS);
  at.setUTCHours(17, 0, 0, 0);
  return at.toISOString();
};

/**
 * The CAW's group work and support to facilities, through the feature's own services as its caregiver (and its
 * coordinator, who publishes): three facilities with cases (one visited on site, one closed), a school group whose
 * sessions were counted (one cancelled) and an open grief group with named participants, published in the
 * catalogue with its next dates. Times relative to now, deterministic; idempotent: an organisation with any group
 * is left alone.
 */
export async function seedDemoGroups(demo: DemoContext): Promise<{ seeded: boolean }> {
  const caregiver = demo.actors.get('hulpverlener@caw.demo.example');
  const coordinator = demo.actors.get('coordinator@caw.demo.example');
  if (!caregiver || !coordinator) return { seeded: false };
  const now = demo.now;
  const run = <T>(actor: Actor, work: (tx: Tx) => Promise<T>) => inTenant(demo.app, actor, SEED_REQUEST, work);

  const griefGroup = await run(caregiver, async (tx) => {
    if (await tx.db.selectFrom('groups').select('id').limit(1).executeTakeFirst()) return null;

    // support to facilities
    const careHome = await createFacility(tx, {
      name: 'WZC Ter Linde',
      kind: 'care-home',
      linkedOrganizationId: demo.organizations.get('wzc') ?? null,
      municipalityNis: '24055',
      contactName: 'Directie zorg',
    });
    const shelter = await createFacility(tx, {
      name: 'Nachtopvang De Meander',
      kind: 'homeless-service',
      municipalityNis: '24062',
    });
    const dayCentre = await createFacility(tx, {
      name: 'Dagcentrum De Brug',
      kind: 'disability-facility',
      municipalityNis: '24038',
    });
    const outbreak = await openFacilityCase(tx, {
      facilityId: careHome.id,
      origin: 'monitoring-signal',
      reason: 'Besmettingen stijgen op twee afdelingen; personeel onder druk.',
      openedOn: dayAgo(now, 20),
    });
    const contact = (
      caseId: string,
      kind: 'phone-advice' | 'specialised-advice' | 'on-site-visit' | 'follow-up',
      days: number,
      note: string,
    ) => addFacilityContact(tx, caseId, { kind, date: dayAgo(now, days), note });
    await contact(outbreak.id, 'phone-advice', 19, 'Eerste telefonisch advies aan de directie.');
    await contact(outbreak.id, 'specialised-advice', 15, 'Advies infectiepreventie en zorg voor het personeel.');
    await contact(
      outbreak.id,
      'on-site-visit',
      10,
      'Ter plaatse met directie en hoofdverpleging: knelpunten overlopen.',
    );
    await contact(outbreak.id, 'follow-up', 3, 'Opvolging: situatie stabiel, nieuw contact over twee weken.');
    const question = await openFacilityCase(tx, {
      facilityId: shelter.id,
      origin: 'question',
      reason: 'Vraag hoe bewoners na een overlijden in de opvang te ondersteunen.',
      openedOn: dayAgo(now, 40),
    });
    await contact(question.id, 'phone-advice', 40, 'Telefonisch advies aan de coördinator van de opvang.');
    await contact(question.id, 'specialised-advice', 38, 'Rouwzorg in groep voor bewoners en personeel besproken.');
    await closeFacilityCase(tx, question.id, {
      summary: 'Advies gegeven; de opvang organiseert zelf een herdenkingsmoment.',
      closedOn: dayAgo(now, 30),
    });
    const recent = await openFacilityCase(tx, {
      facilityId: dayCentre.id,
      origin: 'question',
      reason: 'Begeleiders vragen ondersteuning na een ingrijpend incident.',
      openedOn: dayAgo(now, 5),
    });
    await contact(recent.id, 'phone-advice', 5, 'Eerste gesprek met de teamverantwoordelijke.');

    // a school group, counted by headcount; one session fell out
    const school = await createGroup(tx, {
      title: 'Klasgesprek stress en examens, 5de jaar',
      audience: 'school',
      module: 'youth',
      theme: 'stress-burnout',
      location: 'Sint-Pieterscollege, Leuven',
      municipalityNis: '24062',
    });
    const s1 = await addGroupSession(tx, school.id, { startsAt: evening(now, -10), minutes: 50 });
    await recordAttendance(tx, s1.id, { headcount: 22, ageBand: '12-17' });
    const s2 = await addGroupSession(tx, school.id, { startsAt: evening(now, -6), minutes: 50 });
    await cancelGroupSession(tx, s2.id, { reason: 'Schoolactiviteit verplaatst' });
    const s3 = await addGroupSession(tx, school.id, { startsAt: evening(now, -3), minutes: 50 });
    await recordAttendance(tx, s3.id, { headcount: 19, ageBand: '12-17' });

    // an open grief group with named participants (clients of the CAW who agreed) and a sign-up sheet
    const grief = await createGroup(tx, {
      title: 'Praatgroep rouw',
      audience: 'open',
      module: 'victim-support-bereavement',
      theme: 'grief-loss',
      description: 'Zes avonden samen met lotgenoten praten over het verlies van een dierbare.',
      location: 'CAW Oost-Brabant, Diestsestraat 100, Leuven',
      municipalityNis: '24062',
      capacity: 8,
    });
    const clients = await tx.db
      .selectFrom('clients')
      .select('id')
      .orderBy('created_at')
      .orderBy('id')
      .limit(3)
      .execute();
    for (const c of clients) await registerForGroup(tx, grief.id, { clientId: c.id, consent: true });
    const named = clients.map((c) => c.id);
    const past = [
      { days: -21, headcount: 6, participants: named },
      { days: -14, headcount: 7, participants: named.slice(0, 2) },
      { days: -7, headcount: null, participants: named },
    ];
    for (const p of past) {
      const s = await addGroupSession(tx, grief.id, { startsAt: evening(now, p.days), minutes: 120 });
      await recordAttendance(tx, s.id, { headcount: p.headcount, participants: p.participants });
    }
    for (const days of [7, 14, 21]) await addGroupSession(tx, grief.id, { startsAt: evening(now, days), minutes: 120 });
    return grief.id;
  });
  if (!griefGroup) return { seeded: false };
  // the catalogue is the network's: the coordinator publishes the open group
  await run(coordinator, (tx) => setGroupPublication(tx, griefGroup, { published: true }));
  return { seeded: true };
}
