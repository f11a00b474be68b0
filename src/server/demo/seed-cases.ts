import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../core/db/schema.ts';
import { inTenant, type Tx } from '../core/db/tenant.ts';
import type { Actor, RequestInfo } from '../core/auth/actor.ts';
import { ROLE_PERMISSIONS, type Role } from '../core/auth/permissions.ts';
import { createClient } from '../features/clients/index.ts';
import {
  acknowledgeSignal,
  addScreening,
  closeHelpRequest,
  createHelpRequest,
  raiseSignal,
  recordSafetyAction,
  updateHelpRequest,
} from '../features/intake/index.ts';
import {
  addBridging,
  addWorkingDays,
  answerDue,
  createConsent,
  createReferral,
  registerClient,
  transition,
} from '../features/referrals/index.ts';
import { referralTargetsOf, type ReferralTargets } from '../features/network-settings/index.ts';
import { DEMO_CASES, type DemoCase, type DemoPerson, type DemoReferral, type DemoStep, type OrgKey } from './cases.ts';
import { DEMO_ORGANIZATIONS } from './seed.ts';
import { dateFrom, instantOf, workingDaysAgo } from './moments.ts';
import { seedDemoTrajectories } from './trajectories.ts';
import { seedDemoGroups } from './groups.ts';
import { seedDemoCarePlans } from './care-plans.ts';
import { seedDemoOutreach } from './outreach.ts';
import { seedDemoStaffing } from './reports.ts';
import { seedDemoFlowHistory } from './flow-history.ts';

/** What the audit trail records as the "request" of the seed: every entry it writes says it came from here. */
const SEED_REQUEST: RequestInfo = { ip: '127.0.0.1', userAgent: 'Korte Lijn demo seed', requestId: 'demo-seed' };

interface Demo {
  app: Kysely<DB>;
  owner: Kysely<DB>;
  /** the moment every case is told from */
  now: Date;
  /** notifications older than this are read already */
  readBefore: Date;
  networkId: string;
  organizations: Map<OrgKey, string>;
  /** by e-mail address */
  actors: Map<string, Actor>;
  /** by "org/offer name" */
  offers: Map<string, { id: string; organizationId: string }>;
  targets: ReferralTargets;
}

/**
 * Plays the demo cases (cases.ts) into the demo network through the features' own services, each step as the
 * demo user who would take it, so that the audit trail, notifications, snapshots and lifecycle rules are the real
 * ones. The services stamp everything "now"; afterwards the case's times are moved back to when the story says
 * they happened (the audit trail keeps the true moment the seed wrote them). Idempotent: a case whose help request
 * its organisation already has (same story) is left alone, so a second run adds nothing and a database seeded
 * before the cases existed gets them. Does nothing without a demo network.
 */
export async function seedDemoCases(db: { app: Kysely<DB>; owner: Kysely<DB> }): Promise<{ seeded: number }> {
  const demo = await loadDemo(db);
  if (!demo) return { seeded: 0 };
  const existing = await existingStories(demo);
  let seeded = 0;
  for (const demoCase of DEMO_CASES) {
    if (existing.get(demoCase.org)?.has(demoCase.story)) continue;
    await playCase(demo, demoCase);
    seeded += 1;
  }
  // the caregivers' trajectories follow the cases: they start from the referrals the cases accepted and met
  await seedDemoTrajectories(demo);
  // the CAW's group work and support to facilities (its own, beside the cases)
  await seedDemoGroups(demo);
  // and the shared care plans, on people registered from a referral (their records are linked)
  await seedDemoCarePlans(demo);
  // the outreach signals of the funeral director and the care home, worked by the CAW's coordinator
  await seedDemoOutreach(demo);
  await seedDemoStaffing(demo);
  // eight quarters of closed referrals and steps up and down behind the cases, for the flow monitor
  await seedDemoFlowHistory(demo);
  return { seeded };
}

async function loadDemo(db: { app: Kysely<DB>; owner: Kysely<DB> }): Promise<Demo | null> {
  const network = await db.owner
    .selectFrom('networks')
    .select(['id', 'referral_targets'])
    .where('is_demo', '=', true)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  if (!network) return null;
  const organizations = await db.owner
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('network_id', '=', network.id)
    .execute();
  const byName = new Map(organizations.map((o) => [o.name, o.id]));
  const orgIds = new Map<OrgKey, string>();
  for (const org of DEMO_ORGANIZATIONS) {
    const id = byName.get(org.name);
    if (id) orgIds.set(org.key, id);
  }
  // a demo network whose organisations were renamed or removed is not the one the cases are written for
  if (orgIds.size !== DEMO_ORGANIZATIONS.length) return null;
  const members = await db.owner
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id as user_id', 'u.email', 'm.id as membership_id', 'm.organization_id', 'm.role'])
    .where('m.network_id', '=', network.id)
    .where('m.active', '=', true)
    .where('u.active', '=', true)
    .execute();
  const actors = new Map(
    members.map((m): [string, Actor] => {
      const role = m.role as Role;
      return [
        m.email,
        {
          kind: 'user',
          userId: m.user_id,
          tokenId: null,
          membershipId: m.membership_id,
          organizationId: m.organization_id,
          networkId: network.id,
          role,
          permissions: new Set(ROLE_PERMISSIONS[role]),
          session: null,
        },
      ];
    }),
  );
  const offers = await db.owner
    .selectFrom('offers')
    .select(['id', 'name', 'organization_id'])
    .where('network_id', '=', network.id)
    .execute();
  const keyOf = new Map([...orgIds].map(([key, id]) => [id, key]));
  const now = new Date();
  return {
    ...db,
    now,
    readBefore: instantOf(workingDaysAgo(2, '00:00'), now),
    networkId: network.id,
    organizations: orgIds,
    actors,
    offers: new Map(
      offers
        .filter((o) => keyOf.has(o.organization_id))
        .map((o) => [`${keyOf.get(o.organization_id)}/${o.name}`, { id: o.id, organizationId: o.organization_id }]),
    ),
    targets: referralTargetsOf(network.referral_targets),
  };
}

/** Works as a demo user of an organisation, in that user's tenant transaction (row-level security, audit). */
function as<T>(demo: Demo, worker: string, org: OrgKey, work: (tx: Tx) => Promise<T>): Promise<T> {
  const actor = demo.actors.get(`${worker}@${org}.demo.example`);
  if (!actor) throw new Error(`demo user ${worker}@${org}.demo.example is missing`);
  return inTenant(demo.app, actor, SEED_REQUEST, work);
}

/**
 * Moves times back as the schema owner, in one transaction; row-level security is forced on the owner too, so
 * `seeAs` says which organisation's rows the statements after it see.
 */
async function retime(
  demo: Demo,
  work: (trx: Transaction<DB>, seeAs: (org: OrgKey) => Promise<void>) => Promise<void>,
) {
  await demo.owner.transaction().execute(async (trx) => {
    const seeAs = async (org: OrgKey) => {
      await sql`select set_config('app.org_id', ${demo.organizations.get(org)!}, true), set_config('app.network_id', ${demo.networkId}, true), set_config('app.role', '', true)`.execute(
        trx,
      );
    };
    await work(trx, seeAs);
  });
}

async function existingStories(demo: Demo): Promise<Map<OrgKey, Set<string>>> {
  const stories = new Map<OrgKey, Set<string>>();
  for (const org of new Set(DEMO_CASES.map((c) => c.org))) {
    const rows = await as(demo, 'onthaal', org, (tx) =>
      tx.db
        .selectFrom('help_requests')
        .select('story')
        .where('organization_id', '=', tx.actor.organizationId!)
        .execute(),
    );
    stories.set(org, new Set(rows.map((r) => r.story)));
  }
  return stories;
}

/** The person in the organisation's register (the base seed registered some), or registered now. */
async function findOrRegister(tx: Tx, person: DemoPerson): Promise<{ id: string; created: boolean }> {
  let query = tx.db.selectFrom('clients').select('id').where('organization_id', '=', tx.actor.organizationId!);
  query =
    person.identity === 'named'
      ? query
          .where('given_name', '=', person.givenName)
          .where('family_name', '=', person.familyName)
          .where('birth_date', '=', person.birthDate)
      : query.where('identity_kind', '=', 'pseudonym').where('pseudonym', '=', person.pseudonym);
  const found = await query.limit(1).executeTakeFirst();
  if (found) return { id: found.id, created: false };
  const created = await createClient(
    tx,
    person.identity === 'named'
      ? {
          identityKind: 'named',
          givenName: person.givenName,
          familyName: person.familyName,
          birthDate: person.birthDate,
          municipality: person.municipality,
          preferredLanguage: person.language ?? 'nl',
        }
      : { identityKind: 'pseudonym', pseudonym: person.pseudonym, birthYear: person.birthYear },
  );
  return { id: created.id, created: true };
}

const plusMinutes = (instant: Date, minutes: number) => new Date(instant.getTime() + minutes * 60_000);

/** A referral as played: what retiming needs to know of it. */
interface Played {
  id: string;
  consentId: string;
  to: OrgKey;
  priority: DemoReferral['priority'];
  sent: Date;
  steps: { step: DemoStep; at: Date }[];
}

async function playCase(demo: Demo, c: DemoCase) {
  const worker = c.by ?? 'onthaal';
  const received = instantOf(c.received, demo.now);
  const intake = await as(demo, worker, c.org, async (tx) => {
    const client = c.person ? await findOrRegister(tx, c.person) : null;
    const request = await createHelpRequest(tx, {
      clientId: client?.id ?? null,
      channel: c.channel,
      receivedAt: received.toISOString(),
      story: c.story,
      themes: c.themes,
      urgency: c.urgency,
      lifeDomains: c.lifeDomains,
    });
    const screeningIds: string[] = [];
    for (const screening of c.screenings ?? [])
      screeningIds.push((await addScreening(tx, request.id, screening, 'nl')).id);
    for (const signal of c.signals ?? []) await raiseSignal(tx, request.id, signal);
    if (c.indication)
      await updateHelpRequest(tx, request.id, {
        indicationLevel: c.indication.level,
        indicationReasons: c.indication.reasons,
      });
    const signals = await tx.db
      .selectFrom('safety_signals')
      .select('id')
      .where('help_request_id', '=', request.id)
      .execute();
    if (c.safetyAction) for (const s of signals) await recordSafetyAction(tx, s.id, c.safetyAction);
    return { client, requestId: request.id, screeningIds, signalIds: signals.map((s) => s.id) };
  });
  if (c.acknowledged)
    await as(demo, 'teamlead', c.org, async (tx) => {
      for (const id of intake.signalIds) await acknowledgeSignal(tx, id);
    });
  const played: Played[] = [];
  for (const referral of c.referrals ?? []) {
    if (!intake.client) throw new Error(`demo case ${c.key}: a referral needs a person`);
    played.push(await playReferral(demo, c, { clientId: intake.client.id, requestId: intake.requestId }, referral));
  }
  const closed = c.close ? instantOf(c.close.at, demo.now) : null;
  if (c.close) await as(demo, worker, c.org, (tx) => closeHelpRequest(tx, intake.requestId, c.close!.reason));

  // then the whole case back to when its story says it happened, in one transaction
  // (a few minutes after the intake, but never after the seed itself)
  const soon = (minutes: number) => new Date(Math.min(plusMinutes(received, minutes).getTime(), demo.now.getTime()));
  // the help request changed last when it was referred or closed
  const changed = [soon(30), ...played.map((p) => p.sent), ...(closed ? [closed] : [])].reduce((a, b) =>
    b > a ? b : a,
  );
  await retime(demo, async (trx, seeAs) => {
    await seeAs(c.org);
    if (intake.client?.created)
      await trx
        .updateTable('clients')
        .set({ created_at: received, updated_at: received })
        .where('id', '=', intake.client.id)
        .execute();
    await trx
      .updateTable('help_requests')
      .set({ created_at: received, updated_at: changed })
      .where('id', '=', intake.requestId)
      .execute();
    for (const [i, id] of intake.screeningIds.entries())
      await trx
        .updateTable('screenings')
        .set({ administered_at: soon(10 + 5 * i) })
        .where('id', '=', id)
        .execute();
    await trx
      .updateTable('safety_signals')
      .set({
        raised_at: soon(20),
        action_recorded_at: sql`case when action_taken is null then null else ${soon(25)}::timestamptz end`,
        acknowledged_at: sql`case when acknowledged_at is null then null else ${soon(120)}::timestamptz end`,
      })
      .where('help_request_id', '=', intake.requestId)
      .execute();
    for (const p of played) await retimeReferral(demo, trx, seeAs, c.org, p);
  });
}

/** The side of the receiver that takes each step: the intake worker answers, the caregiver sees the person. */
const RECEIVER_WORKER: Record<Exclude<DemoStep['action'], 'cancel' | 'bridging'>, string> = {
  receive: 'onthaal',
  accept: 'onthaal',
  decline: 'onthaal',
  waitlist: 'onthaal',
  register: 'onthaal',
  schedule: 'hulpverlener',
  'first-contact': 'hulpverlener',
  missed: 'hulpverlener',
  complete: 'hulpverlener',
};

/** Makes the referral with its consent and takes its steps, each as the demo user of the side it belongs to. */
async function playReferral(
  demo: Demo,
  c: DemoCase,
  intake: { clientId: string; requestId: string },
  r: DemoReferral,
): Promise<Played> {
  const worker = c.by ?? 'onthaal';
  const offer = demo.offers.get(`${r.to}/${r.offer}`);
  if (!offer) throw new Error(`demo case ${c.key}: no offer "${r.offer}" of ${r.to}`);
  const sent = instantOf(r.sent, demo.now);
  const steps = r.steps.map((step) => ({ step, at: instantOf(step.at, demo.now) }));
  steps.forEach(({ step, at }, i) => {
    if (at <= (i ? steps[i - 1]!.at : sent) || at > demo.now)
      throw new Error(`demo case ${c.key}: step ${step.action} is out of order`);
  });
  const made = await as(demo, worker, c.org, async (tx) => {
    const consent = await createConsent(tx, {
      clientId: intake.clientId,
      purpose: 'referral',
      recipientOrganizationId: offer.organizationId,
      recipientOfferId: offer.id,
      categories: r.consent.categories,
      method: r.consent.method,
      ...(r.consent.exceptionReason ? { exceptionReason: r.consent.exceptionReason } : {}),
    });
    const referral = await createReferral(tx, {
      helpRequestId: intake.requestId,
      offerId: offer.id,
      priority: r.priority,
      message: r.message,
      consentId: consent.id,
    });
    return { consentId: consent.id, id: referral.id };
  });
  const id = made.id;
  for (const { step } of steps) {
    if (step.action === 'cancel' || step.action === 'bridging')
      await as(demo, worker, c.org, (tx) =>
        step.action === 'cancel'
          ? transition(tx, id, { action: 'cancel', reason: step.reason })
          : addBridging(tx, id, { offerId: step.offer ? bridgingOffer(demo, c, step.offer) : null, note: step.note }),
      );
    else await as(demo, RECEIVER_WORKER[step.action], r.to, (tx) => takeStep(demo, tx, id, step));
  }
  return { id, consentId: made.consentId, to: r.to, priority: r.priority, sent, steps };
}

function bridgingOffer(demo: Demo, c: DemoCase, key: string): string {
  const offer = demo.offers.get(key);
  if (!offer) throw new Error(`demo case ${c.key}: no bridging offer "${key}"`);
  return offer.id;
}

/** A receiver's step, through the lifecycle's own transition (or the register). */
async function takeStep(demo: Demo, tx: Tx, id: string, step: DemoStep) {
  switch (step.action) {
    case 'register':
      return registerClient(tx, id, null);
    case 'waitlist':
      // the service takes no date in the past; a wait that is overdue by now gets its date when retimed
      return transition(tx, id, {
        action: 'waitlist',
        expectedDate: dateFrom(demo.now, Math.max(step.expectedInDays, 1)),
      });
    case 'schedule':
      return transition(tx, id, {
        action: 'schedule',
        scheduledAt: instantOf(step.appointment, demo.now).toISOString(),
      });
    case 'decline':
      return transition(tx, id, { action: 'decline', reason: step.reason, note: step.note ?? null });
    case 'complete':
      return transition(tx, id, { action: 'complete', reason: step.reason ?? null, note: step.note ?? null });
    case 'receive':
    case 'accept':
    case 'first-contact':
    case 'missed':
      return transition(tx, id, { action: step.action });
    case 'cancel':
    case 'bridging':
      throw new Error('a sender step');
  }
}

/** Who a step tells (lifecycle: each side's move notifies the other; the register and bridging notify nobody). */
function notified(step: DemoStep): 'sender' | 'receiver' | null {
  if (step.action === 'register' || step.action === 'bridging') return null;
  return step.action === 'cancel' ? 'receiver' : 'sender';
}

/**
 * A referral's times as its story tells them. Each step wrote at most one timeline event and one notification,
 * in the order of the steps, so the n-th row (by id, by creation) gets the n-th time; the deadlines follow from the
 * moved times by the network's targets, as the service computes them. Notifications older than two working days
 * count as read, as they would on a demo in use. Starts seeing as the sender (a party), switches to the receiver.
 */
async function retimeReferral(
  demo: Demo,
  trx: Transaction<DB>,
  seeAs: (org: OrgKey) => Promise<void>,
  sender: OrgKey,
  p: Played,
) {
  const last = (...actions: DemoStep['action'][]) =>
    p.steps.filter((s) => actions.includes(s.step.action)).at(-1)?.at ?? null;
  const firstAnswer = p.steps.find((s) => ['accept', 'decline', 'waitlist'].includes(s.step.action))?.at ?? null;
  const accepted = last('accept');
  const waitlisted = p.steps.filter((s) => s.step.action === 'waitlist').at(-1)?.step;
  await trx
    .updateTable('consents')
    .set({ recorded_at: plusMinutes(p.sent, -5) })
    .where('id', '=', p.consentId)
    .execute();
  await trx
    .updateTable('referrals')
    .set({
      created_at: p.sent,
      updated_at: p.steps.at(-1)?.at ?? p.sent,
      answer_due_at: answerDue(p.priority, p.sent, demo.targets),
      answered_at: firstAnswer,
      accepted_at: accepted,
      first_contact_due_at: accepted ? addWorkingDays(accepted, demo.targets.firstContactWorkingDays) : null,
      first_contact_at: last('first-contact'),
      ...(waitlisted?.action === 'waitlist' ? { expected_date: dateFrom(demo.now, waitlisted.expectedInDays) } : {}),
    })
    .where('id', '=', p.id)
    .execute();
  const withEvent = p.steps.filter((s) => s.step.action !== 'register').map((s) => s.at);
  await inOrder(trx, 'referral_events', 'at', 'id', p.id, [p.sent, ...withEvent]);
  const bridging = p.steps.filter((s) => s.step.action === 'bridging').map((s) => s.at);
  await inOrder(trx, 'bridging_support', 'arranged_at', 'arranged_at, id', p.id, bridging);
  const of = (org: OrgKey) => ({ organizationId: demo.organizations.get(org)!, readBefore: demo.readBefore });
  const toSender = p.steps.filter((s) => notified(s.step) === 'sender').map((s) => s.at);
  await inOrder(trx, 'notifications', 'created_at', 'created_at, id', p.id, toSender, of(sender));
  await seeAs(p.to);
  const toReceiver = [p.sent, ...p.steps.filter((s) => notified(s.step) === 'receiver').map((s) => s.at)];
  await inOrder(trx, 'notifications', 'created_at', 'created_at, id', p.id, toReceiver, of(p.to));
  const registered = last('register');
  if (registered)
    await trx
      .updateTable('clients')
      .set({ created_at: registered, updated_at: registered })
      .where('id', '=', (eb) => eb.selectFrom('referrals').select('receiver_client_id').where('id', '=', p.id))
      .execute();
  await seeAs(sender);
}

/**
 * Gives the rows of a referral in one table the times in order: the n-th row in `order` gets the n-th time. For
 * notifications, those of one organisation, read when older than `readBefore`. A count that does not match is a
 * mistake in the mapping: it fails the seed rather than leave a story half moved.
 */
async function inOrder(
  trx: Transaction<DB>,
  table: 'referral_events' | 'bridging_support' | 'notifications',
  column: 'at' | 'arranged_at' | 'created_at',
  order: string,
  referralId: string,
  times: Date[],
  notifications?: { organizationId: string; readBefore: Date },
) {
  const ofOrganization = notifications ? sql`and organization_id = ${notifications.organizationId}` : sql``;
  const read = notifications
    ? sql`, read_at = case when t.at < ${notifications.readBefore}::timestamptz then t.at + interval '1 hour' end`
    : sql``;
  const result = await sql`
    update ${sql.table(table)} as x set ${sql.ref(column)} = t.at ${read}
    from (select id, row_number() over (order by ${sql.raw(order)}) as n from ${sql.table(table)}
          where referral_id = ${referralId} ${ofOrganization}) as o
    join unnest(${times.map((t) => t.toISOString())}::timestamptz[]) with ordinality as t(at, n) on t.n = o.n
    where x.id = o.id`.execute(trx);
  const rows = await sql<{ n: number }>`
    select count(*)::int as n from ${sql.table(table)} where referral_id = ${referralId} ${ofOrganization}`.execute(
    trx,
  );
  if (Number(result.numAffectedRows) !== times.length || rows.rows[0]!.n !== times.length)
    throw new Error(`demo seed: the ${table} of referral ${referralId} do not match its steps`);
}
