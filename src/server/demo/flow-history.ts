import { sql, type Kysely } from 'kysely';
import type { DB } from '../core/db/schema.ts';
import { DECLINE_REASONS } from '../features/referrals/index.ts';
import type { OrgKey } from './cases.ts';

/**
 * Eight quarters of network flow for the flow monitor (issue 13), so that the demo analyst and network coordinator
 * see charts, a trend, waiting times and some "<5" cells on the first start. The cases (cases.ts) tell a few recent
 * weeks; this is the history behind them, written directly as the finished facts the monitor counts:
 * - referrals between the demo organisations, all closed long ago or recently (completed after acceptance and a
 *   first contact, declined with a reason, or cancelled), some of them after a time on the waiting list — so the
 *   organisations' inboxes (open referrals) and overdue counts stay those of the cases;
 * - steps up and down: evaluations of one closed care plan per care organisation, with the revision's level.
 * Each organisation that takes part holds one pseudonymous record, "Stroomhistoriek (demo)", that carries its side
 * of the history (a referral needs a person and a consent); it is no person, and the README says so.
 *
 * Deterministic: every moment is a whole number of days before the demo's "today" at a fixed Brussels hour, and every
 * choice comes from a fixed pseudo-random sequence, so two starts on the same day write the same history.
 * Idempotent: an organisation that has its history record is left alone.
 */
export const HISTORY_PSEUDONYM = 'Stroomhistoriek (demo)';

/** Who refers to whom over the history, and how often per month on average. */
const FLOWS: { from: OrgKey; to: OrgKey; perMonth: number }[] = [
  { from: 'huisarts', to: 'caw', perMonth: 4 },
  { from: 'huisarts', to: 'cgg', perMonth: 3 },
  { from: 'ocmw', to: 'caw', perMonth: 3 },
  { from: 'caw', to: 'cgg', perMonth: 2 },
  { from: 'cgg', to: 'caw', perMonth: 1 },
  { from: 'helpline', to: 'caw', perMonth: 1 },
  { from: 'caw', to: 'ocmw', perMonth: 1 },
];
/** The care organisations that step people up or down, with their evaluations per month. */
const STEPPING: { org: OrgKey; perMonth: number }[] = [
  { org: 'caw', perMonth: 2 },
  { org: 'cgg', perMonth: 2 },
];
/** Eight quarters back, less the last few days (the cases tell those). */
const HISTORY_DAYS = 8 * 91;
const RECENT_DAYS = 7;
const DAY = 86_400_000;

/** mulberry32: a small, fixed pseudo-random sequence (deterministic history, no Math.random). */
function sequence(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `days` days before today at 10:00 UTC (11:00 or 12:00 in Brussels: a working hour, the same Brussels date). */
const daysAgo = (today: Date, days: number) =>
  new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 10) - days * DAY);
const plusDays = (d: Date, days: number) => new Date(d.getTime() + days * DAY);
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export async function seedDemoFlowHistory(demo: {
  owner: Kysely<DB>;
  now: Date;
  networkId: string;
  organizations: Map<OrgKey, string>;
}): Promise<{ referrals: number; steps: number }> {
  const { owner, networkId } = demo;
  const org = (key: OrgKey) => demo.organizations.get(key)!;
  const keys = [...new Set([...FLOWS.flatMap((f) => [f.from, f.to]), ...STEPPING.map((s) => s.org)])];
  const existing = await owner
    .selectFrom('clients')
    .select('organization_id')
    .where('network_id', '=', networkId)
    .where('pseudonym', '=', HISTORY_PSEUDONYM)
    .execute();
  if (existing.length > 0) return { referrals: 0, steps: 0 };

  return owner.transaction().execute(async (db) => {
    const clientOf = new Map<OrgKey, string>();
    for (const key of keys) {
      const row = await db
        .insertInto('clients')
        .values({
          organization_id: org(key),
          network_id: networkId,
          identity_kind: 'pseudonym',
          pseudonym: HISTORY_PSEUDONYM,
          created_at: daysAgo(demo.now, HISTORY_DAYS + 1),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      clientOf.set(key, row.id);
    }
    // the receiving organisation's first offer (its level is the referral's level of care)
    const offers = await db
      .selectFrom('offers')
      .select(['id', 'organization_id'])
      .where('network_id', '=', networkId)
      .orderBy('name')
      .execute();
    const offerOf = (key: OrgKey) => offers.find((o) => o.organization_id === org(key))?.id;

    const random = sequence(13);
    let referrals = 0;
    for (const flow of FLOWS) {
      const offer = offerOf(flow.to);
      if (!offer) continue;
      const consent = await db
        .insertInto('consents')
        .values({
          organization_id: org(flow.from),
          network_id: networkId,
          client_id: clientOf.get(flow.from)!,
          purpose: 'referral',
          recipient_organization_id: org(flow.to),
          categories: sql<string[]>`array['contact']::text[]`,
          method: 'verbal',
          recorded_at: daysAgo(demo.now, HISTORY_DAYS + 1),
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      // on average perMonth a month: one chance a day
      for (let back = HISTORY_DAYS; back > RECENT_DAYS; back--) {
        if (random() >= (flow.perMonth * 12) / 365) continue;
        const created = daysAgo(demo.now, back);
        const p = random();
        const waitlisted = p >= 0.25 && p < 0.45;
        const declined = p < 0.15;
        const cancelled = p >= 0.15 && p < 0.2;
        const answered = plusDays(created, 1 + Math.floor(random() * 4));
        const waitDays = 10 + Math.floor(random() * 50);
        const accepted = declined || cancelled ? null : waitlisted ? plusDays(answered, waitDays) : answered;
        const firstContact = accepted ? plusDays(accepted, 2 + Math.floor(random() * 12)) : null;
        // a history runs out before today: what would still be open is left out
        const last = firstContact ?? answered;
        if (last.getTime() > daysAgo(demo.now, 1).getTime()) continue;
        const status = declined ? 'declined' : cancelled ? 'cancelled' : 'completed';
        const reason = declined ? DECLINE_REASONS[Math.floor(random() * DECLINE_REASONS.length)]! : null;
        const referral = await db
          .insertInto('referrals')
          .values({
            network_id: networkId,
            sender_organization_id: org(flow.from),
            receiver_organization_id: org(flow.to),
            offer_id: offer,
            client_id: clientOf.get(flow.from)!,
            consent_id: consent.id,
            priority: 'routine',
            snapshot: JSON.stringify({ history: true }),
            status,
            status_reason: reason,
            answer_due_at: plusDays(created, 5),
            answered_at: cancelled ? null : answered,
            accepted_at: accepted,
            first_contact_due_at: accepted ? plusDays(accepted, 14) : null,
            first_contact_at: firstContact,
            created_at: created,
            updated_at: last,
          } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
        // the events the waiting-list time is read from, and the story's other steps
        const events: { at: Date; action: string; from: string | null; to: string; reason?: string | null }[] = [
          { at: created, action: 'create', from: null, to: 'requested' },
        ];
        if (cancelled) events.push({ at: answered, action: 'cancel', from: 'requested', to: 'cancelled' });
        else if (declined) events.push({ at: answered, action: 'decline', from: 'requested', to: 'declined', reason });
        else {
          if (waitlisted) {
            events.push({ at: answered, action: 'waitlist', from: 'requested', to: 'waitlisted' });
            events.push({ at: accepted!, action: 'accept', from: 'waitlisted', to: 'accepted' });
          } else events.push({ at: accepted!, action: 'accept', from: 'requested', to: 'accepted' });
          events.push({ at: firstContact!, action: 'first-contact', from: 'accepted', to: 'first-contact' });
          events.push({
            at: plusDays(firstContact!, 0.01),
            action: 'complete',
            from: 'first-contact',
            to: 'completed',
          });
        }
        await db
          .insertInto('referral_events')
          .values(
            events.map((e) => ({
              referral_id: referral.id,
              at: e.at,
              actor_organization_id: e.action === 'create' ? org(flow.from) : org(flow.to),
              action: e.action,
              from_status: e.from,
              to_status: e.to,
              reason: e.reason ?? null,
            })),
          )
          .execute();
        referrals += 1;
      }
    }

    let steps = 0;
    for (const step of STEPPING) {
      const plan = await db
        .insertInto('care_plans')
        .values({
          network_id: networkId,
          organization_id: org(step.org),
          client_id: clientOf.get(step.org)!,
          status: 'closed',
          care_level: 'basic',
          closed_on: isoDate(daysAgo(demo.now, RECENT_DAYS)),
          created_at: daysAgo(demo.now, HISTORY_DAYS + 1),
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      for (let back = HISTORY_DAYS; back > RECENT_DAYS; back--) {
        if (random() >= (step.perMonth * 12) / 365) continue;
        const on = isoDate(daysAgo(demo.now, back));
        const up = random() < 0.45;
        const evaluation = await db
          .insertInto('care_plan_evaluations')
          .values({
            care_plan_id: plan.id,
            organization_id: org(step.org),
            evaluated_on: on,
            decision: up ? 'step-up' : 'step-down',
            note: 'Stroomhistoriek (demo)',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db
          .insertInto('care_plan_revisions')
          .values({
            care_plan_id: plan.id,
            evaluation_id: evaluation.id,
            kind: up ? 'step-up' : 'step-down',
            revised_on: on,
            from_level: up ? 'basic' : 'specialised',
            to_level: up ? 'specialised' : 'basic',
            reason: 'Stroomhistoriek (demo)',
          })
          .execute();
        steps += 1;
      }
    }
    return { referrals, steps };
  });
}
