import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import type { ReferralRow } from '../../core/db/schema.ts';
import { AppError, forbidden, invalid, notFound } from '../../core/http/errors.ts';
import { createClient, displayName, type ClientCreate, type PossibleDuplicate } from '../clients/index.ts';
import { isActive } from './consents.service.ts';
import {
  allowedActions,
  AWAITING_FIRST_CONTACT,
  CLOSE_WITHOUT_CONTACT_REASONS,
  DECLINE_REASONS,
  OPEN_STATUSES,
  TRANSITIONS,
  UNANSWERED,
  type NotificationKind,
  type Side,
  type Status,
} from './lifecycle.ts';
import type {
  BridgingSuggestionList,
  InboxPage,
  OverdueList,
  ReferralCounts,
  ReferralCreate,
  ReferralDetail,
  ReferralList,
  ReferralSnapshot,
  Transition,
} from './referrals.schema.ts';
import { addWorkingDays, brusselsDate } from './working-days.ts';
import { emailNotice, notificationRow, notifyOrganization, type Notice } from '../../core/notifications/notify.ts';
import { referralTargetsOf, referralTargetsOfNetwork, type ReferralTargets } from '../network-settings/index.ts';
import { ofActiveOrganization } from '../../core/db/organizations.ts';
import { hasAccess, ownOrganization as ownOrg, refuseRecord } from '../../core/access.ts';
import { REFERRAL_AUDIT } from './referrals.audit.ts';
import { sharedRiskSeen, type RiskLevel } from '../../core/risk.ts';

/** The database's check constraints hold these columns to the schema's enumerations. */
type Priority = ReferralDetail['priority'];
type EventAction = ReferralDetail['timeline'][number]['action'];
type Offer = BridgingSuggestionList['items'][number];

export function answerDue(priority: string, from: Date, targets: ReferralTargets): Date {
  if (priority === 'acute') return new Date(from.getTime() + targets.acuteHours * 3600_000);
  return addWorkingDays(from, priority === 'urgent' ? targets.urgentWorkingDays : targets.routineWorkingDays);
}

/**
 * The consent categories that share the risk level (core/risk.ts) the sender's screening and safety section show:
 * it sums up both the help request (its urgency and what was seen) and the screening results, so either one
 * shares it; contact details alone do not.
 */
export const RISK_SHARED_BY: readonly string[] = ['help-request-summary', 'screening-results'];

/** The risk level a consent with these categories shares, or null when it shares none. */
export const sharedRisk = (categories: readonly string[], level: string): RiskLevel | null =>
  categories.some((c) => RISK_SHARED_BY.includes(c)) ? (level as RiskLevel) : null;

/** A referral's (alias `r`) shared risk level as one party sees it now (the inbox, the notifications). */
export const RISK_SEEN = sharedRiskSeen('r');

/** Exactly the data the consent covers, frozen at the moment of referral. */
async function buildSnapshot(
  tx: Tx,
  categories: string[],
  clientId: string,
  helpRequestId: string,
  riskLevel: RiskLevel | null,
) {
  const snapshot: Record<string, unknown> = { categories };
  // what the sender's screening and safety section showed when it was sent
  if (riskLevel) snapshot.riskLevel = riskLevel;
  if (categories.includes('contact')) {
    const c = await tx.db.selectFrom('clients').selectAll().where('id', '=', clientId).executeTakeFirstOrThrow();
    snapshot.contact = {
      identityKind: c.identity_kind,
      displayName: displayName(c),
      givenName: c.given_name,
      familyName: c.family_name,
      pseudonym: c.pseudonym,
      birthYear: c.birth_year ?? (c.birth_date ? Number(c.birth_date.slice(0, 4)) : null),
      birthDate: c.birth_date,
      phone: c.phone,
      email: c.email,
      preferredLanguage: c.preferred_language,
      municipality: c.nis_code,
    };
  }
  if (categories.includes('help-request-summary')) {
    const h = await tx.db
      .selectFrom('help_requests')
      .selectAll()
      .where('id', '=', helpRequestId)
      .executeTakeFirstOrThrow();
    snapshot.helpRequest = {
      themes: h.themes,
      urgency: h.urgency,
      story: h.story,
      clarification: h.clarification,
      receivedAt: h.received_at.toISOString(),
      indicationLevel: h.indication_level,
    };
  }
  if (categories.includes('screening-results')) {
    const s = await tx.db
      .selectFrom('screenings')
      .select(['instrument_id', 'score', 'band', 'flags', 'administered_at'])
      .where('help_request_id', '=', helpRequestId)
      .orderBy('administered_at')
      .execute();
    snapshot.screenings = s.map((x) => ({
      instrument: x.instrument_id,
      score: x.score,
      band: x.band,
      flags: x.flags,
      administeredAt: x.administered_at.toISOString(),
    }));
  }
  return snapshot;
}

const referralNotice = (
  organizationId: string,
  referralId: string,
  kind: NotificationKind,
  subject: string,
): Notice => ({
  organizationId,
  referralId,
  kind,
  subject,
  path: `/referrals/${referralId}`,
});

const notifyAbout = (tx: Tx, organizationId: string, referralId: string, kind: NotificationKind, subject: string) =>
  notifyOrganization(tx, referralNotice(organizationId, referralId, kind, subject));

export async function createReferral(tx: Tx, input: ReferralCreate) {
  // locked: closing the help request at the same moment waits for this referral (and then sees it open)
  const request = await tx.db
    .selectFrom('help_requests')
    .selectAll()
    .where('id', '=', input.helpRequestId)
    .where('organization_id', '=', ownOrg(tx))
    .forUpdate()
    .executeTakeFirst();
  if (!request) {
    refuseRecord(tx, 'help-request', input.helpRequestId);
    throw invalid({ field: 'helpRequestId', code: 'help-request-unknown' });
  }
  if (!request.client_id) throw invalid({ field: 'helpRequestId', code: 'help-request-without-client' });
  if (request.status === 'closed')
    throw new AppError('conflict', [{ field: 'helpRequestId', code: 'help-request-closed' }]);
  // an offer of a deactivated organisation is as good as gone: nobody would answer the referral
  const offer = await tx.db
    .selectFrom('offers')
    .select(['offers.id', 'offers.organization_id'])
    .where('offers.id', '=', input.offerId)
    .where('offers.network_id', '=', tx.actor.networkId)
    .where('offers.active', '=', true)
    .where(ofActiveOrganization())
    .executeTakeFirst();
  if (!offer) throw invalid({ field: 'offerId', code: 'offer-unknown' });
  const consent = await tx.db
    .selectFrom('consents')
    .selectAll()
    .where('id', '=', input.consentId)
    .where('organization_id', '=', ownOrg(tx))
    .executeTakeFirst();
  if (!consent) {
    refuseRecord(tx, 'consent', input.consentId);
    throw invalid({ field: 'consentId', code: 'consent-unknown' });
  }
  const fits =
    consent.purpose === 'referral' &&
    consent.client_id === request.client_id &&
    consent.recipient_organization_id === offer.organization_id &&
    (consent.recipient_offer_id === null || consent.recipient_offer_id === offer.id);
  if (!fits) throw new AppError('conflict', [{ field: 'consentId', code: 'consent-does-not-cover' }]);
  if (!isActive(consent)) throw new AppError('conflict', [{ field: 'consentId', code: 'consent-inactive' }]);
  if (!input.confirmSecond) {
    // referring twice to the same organisation is almost always a mistake (a reload, a colleague): say so first
    const open = await tx.db
      .selectFrom('referrals')
      .select('id')
      .where('help_request_id', '=', request.id)
      .where('sender_organization_id', '=', ownOrg(tx))
      .where('receiver_organization_id', '=', offer.organization_id)
      .where('status', 'in', [...OPEN_STATUSES])
      .limit(1)
      .executeTakeFirst();
    if (open) throw new AppError('conflict', [{ field: 'offerId', code: 'referral-already-open' }]);
  }

  const now = new Date();
  const riskLevel = sharedRisk(consent.categories, request.risk_level);
  const snapshot = await buildSnapshot(tx, consent.categories, request.client_id, request.id, riskLevel);
  const row = await tx.db
    .insertInto('referrals')
    .values({
      network_id: tx.actor.networkId,
      sender_organization_id: ownOrg(tx),
      receiver_organization_id: offer.organization_id,
      offer_id: offer.id,
      help_request_id: request.id,
      client_id: request.client_id,
      consent_id: consent.id,
      priority: input.priority,
      message: input.message ?? null,
      snapshot: JSON.stringify(snapshot),
      risk_level: riskLevel,
      risk_shared_until: riskLevel ? consent.valid_until : null,
      answer_due_at: answerDue(input.priority, now, await referralTargetsOfNetwork(tx)),
      created_by: tx.actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx.db
    .insertInto('referral_events')
    .values({
      referral_id: row.id,
      actor_user_id: tx.actor.userId,
      actor_token_id: tx.actor.tokenId,
      actor_organization_id: ownOrg(tx),
      action: 'create',
      to_status: 'requested',
      note: input.message ?? null,
    })
    .execute();
  await tx.db
    .updateTable('help_requests')
    .set({ status: 'referred', updated_at: sql`now()` })
    .where('id', '=', request.id)
    .execute();
  const label = { acute: 'ACUUT', urgent: 'dringend', routine: 'routine' }[input.priority];
  await notifyAbout(tx, offer.organization_id, row.id, 'referral-new', `Korte Lijn: nieuwe doorverwijzing (${label})`);
  await tx.audit({
    action: REFERRAL_AUDIT.referralCreate,
    entityType: 'referral',
    entityId: row.id,
    details: { helpRequestId: request.id, offerId: offer.id, priority: input.priority, riskLevel },
  });
  return readReferral(tx, row.id, false);
}

/** The referral, as its two parties see it (RLS shows it to them only; the filter says the same). */
function referralQuery(tx: Tx, id: string) {
  return tx.db
    .selectFrom('referrals as r')
    .selectAll('r')
    .where('r.id', '=', id)
    .where((eb) =>
      eb.or([eb('r.sender_organization_id', '=', ownOrg(tx)), eb('r.receiver_organization_id', '=', ownOrg(tx))]),
    );
}

async function loadReferral(tx: Tx, id: string): Promise<ReferralRow> {
  const row = await referralQuery(tx, id).executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

/**
 * The referral under its row lock (SELECT … FOR UPDATE), with the network's response targets in the same round
 * trip. Of two people acting at the same moment the second waits for the first to commit and decides on the new
 * status, so it gets the same 409 (transition-not-allowed) on PostgreSQL as on PGlite, where transactions run one
 * at a time anyway.
 */
async function lockReferral(tx: Tx, id: string): Promise<ReferralRow & { referral_targets: unknown }> {
  const row = await referralQuery(tx, id)
    .select(
      sql<unknown>`(select n.referral_targets from networks n where n.id = ${tx.actor.networkId})`.as(
        'referral_targets',
      ),
    )
    .forUpdate('r')
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

function sidesOf(tx: Tx, row: ReferralRow): Side[] {
  const sides: Side[] = [];
  if (row.sender_organization_id === ownOrg(tx)) sides.push('sender');
  if (row.receiver_organization_id === ownOrg(tx)) sides.push('receiver');
  return sides;
}

/** The same three rules as OVERDUE below (and kl_network_overdue_referrals): answer, first contact, waiting list. */
export function overdueOf(
  row: Pick<ReferralRow, 'status' | 'answer_due_at' | 'first_contact_due_at' | 'expected_date'>,
  now = Date.now(),
) {
  const answer = (UNANSWERED as string[]).includes(row.status) && row.answer_due_at.getTime() < now;
  const firstContact =
    (AWAITING_FIRST_CONTACT as string[]).includes(row.status) &&
    row.first_contact_due_at !== null &&
    row.first_contact_due_at.getTime() < now;
  // the expected start date has passed (in Brussels) and the person is still waiting
  const waitlist =
    row.status === 'waitlisted' && row.expected_date !== null && row.expected_date < brusselsDate(new Date(now));
  return { answer, firstContact, waitlist, any: answer || firstContact || waitlist };
}

/** A timeline entry and a bridging support as the detail statement aggregates them (timestamps as JSON text). */
interface ReferralEventJson {
  at: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
  note: string | null;
  display_name: string | null;
  organization_name: string | null;
}
interface BridgingJson {
  id: string;
  offer_id: string | null;
  offer_name: string | null;
  note: string;
  arranged_at: string;
}

/** The consent check as the receiver may make it (kl_referral_consent_active: it cannot read the sender's consent rows). */
const CONSENT_ACTIVE = sql<boolean>`coalesce(kl_referral_consent_active(r.consent_id), false)`;

/**
 * What the detail answer needs besides the referral row `r` itself, as columns of the same statement (one round
 * trip for the whole detail): the names, whether the consent is active, the timeline and the bridging support.
 * `events` is where the timeline's rows come from: `referral_events`, or those and the event a transition writes in
 * the same statement (which the statement's own snapshot does not show).
 */
function detailColumns(events: RawBuilder<unknown>, consentActive: RawBuilder<boolean>) {
  return [
    sql<string | null>`(select o.name from organizations o where o.id = r.sender_organization_id)`.as('sender_name'),
    sql<string | null>`(select o.name from organizations o where o.id = r.receiver_organization_id)`.as(
      'receiver_name',
    ),
    sql<string | null>`(select f.name from offers f where f.id = r.offer_id)`.as('offer_name'),
    consentActive.as('consent_active'),
    sql<ReferralEventJson[]>`coalesce((select json_agg(json_build_object('at', e.at, 'action', e.action,
        'from_status', e.from_status, 'to_status', e.to_status, 'reason', e.reason, 'note', e.note,
        'display_name', u.display_name, 'organization_name', o.name) order by e.id)
      from ${events} e left join users u on u.id = e.actor_user_id
      left join organizations o on o.id = e.actor_organization_id where e.referral_id = r.id), '[]'::json)`.as(
      'events',
    ),
    sql<BridgingJson[]>`coalesce((select json_agg(json_build_object('id', b.id, 'offer_id', b.offer_id,
        'offer_name', o.name, 'note', b.note, 'arranged_at', b.arranged_at) order by b.arranged_at)
      from bridging_support b left join offers o on o.id = b.offer_id where b.referral_id = r.id), '[]'::json)`.as(
      'bridging',
    ),
  ];
}

type DetailRow = ReferralRow & {
  sender_name: string | null;
  receiver_name: string | null;
  offer_name: string | null;
  consent_active: boolean;
  events: ReferralEventJson[];
  bridging: BridgingJson[];
};

export async function readReferral(tx: Tx, id: string, audit = true): Promise<ReferralDetail> {
  const row = await referralQuery(tx, id)
    .select(detailColumns(sql.table('referral_events'), CONSENT_ACTIVE))
    .executeTakeFirst();
  if (!row) throw notFound();
  const sides = sidesOf(tx, row);
  if (audit)
    await tx.audit({
      action: REFERRAL_AUDIT.referralRead,
      entityType: 'referral',
      entityId: id,
      details: { side: sides.join('+') },
    });
  return referralDetail(row, sides);
}

/** The detail answer as one party sees it (`sides`: which parties the caller's organisation is). */
function referralDetail(row: DetailRow, sides: Side[]): ReferralDetail {
  const consentActive = row.consent_active;
  const events = row.events;
  const bridging = row.bridging;
  const onlyReceiver = !sides.includes('sender');
  // free text travels with the consent too: a receiver whose consent ended no longer sees it
  const hideText = onlyReceiver && !consentActive;
  return {
    id: row.id,
    status: row.status as Status,
    priority: row.priority as Priority,
    message: hideText ? null : row.message,
    version: row.version,
    senderOrganizationId: row.sender_organization_id,
    receiverOrganizationId: row.receiver_organization_id,
    senderOrganizationName: row.sender_name,
    receiverOrganizationName: row.receiver_name,
    offerId: row.offer_id,
    offerName: row.offer_name,
    // the receiver sees the consented snapshot, and nothing once consent is withdrawn; the sender keeps its own references
    snapshot: consentActive ? (row.snapshot as ReferralSnapshot) : null,
    // the risk level shared with it, under the same rule as the snapshot
    riskLevel: consentActive ? (row.risk_level as RiskLevel | null) : null,
    consentId: row.consent_id,
    consentActive,
    helpRequestId: onlyReceiver ? null : row.help_request_id,
    clientId: onlyReceiver ? null : row.client_id,
    receiverClientId: sides.includes('receiver') ? row.receiver_client_id : null,
    statusReason: row.status_reason,
    expectedDate: row.expected_date,
    scheduledAt: row.scheduled_at?.toISOString() ?? null,
    answerDueAt: row.answer_due_at.toISOString(),
    firstContactDueAt: row.first_contact_due_at?.toISOString() ?? null,
    firstContactAt: row.first_contact_at?.toISOString() ?? null,
    // the sender is asked for bridging support while the person waits, not after the wait has ended
    overdue: overdueOf(row),
    bridgingRequested: row.bridging_requested && row.status === 'waitlisted' && bridging.length === 0,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    allowedActions: sides
      .flatMap((side) => allowedActions(row.status as Status, side))
      .filter((a) => !(a === 'accept' && !consentActive)),
    timeline: events.map((e) => ({
      at: new Date(e.at).toISOString(),
      action: e.action as EventAction,
      fromStatus: e.from_status as Status | null,
      toStatus: e.to_status as Status | null,
      reason: hideText ? null : e.reason,
      note: hideText ? null : e.note,
      by: e.display_name,
      organizationName: e.organization_name,
    })),
    bridgingSupport: bridging.map((b) => ({
      id: b.id,
      offerId: b.offer_id,
      offerName: b.offer_name,
      note: b.note,
      arrangedAt: new Date(b.arranged_at).toISOString(),
    })),
  };
}

/**
 * The consent check again, in a statement of its own after the row lock: the one in loadReferral ran on the
 * snapshot taken before the lock wait, so a withdrawal committed meanwhile would not be seen there.
 */
async function consentActiveNow(tx: Tx, consentId: string): Promise<boolean> {
  const row = await sql<{ active: boolean }>`select kl_referral_consent_active(${consentId}::uuid) as active`.execute(
    tx.db,
  );
  return row.rows[0]?.active ?? false;
}

export async function transition(tx: Tx, id: string, input: Transition) {
  const row = await lockReferral(tx, id);
  const rule = TRANSITIONS[input.action];
  if (!sidesOf(tx, row).includes(rule.side)) throw forbidden();
  if (input.version !== undefined && input.version !== row.version)
    throw new AppError('conflict', [{ field: 'version', code: 'stale-version' }]);
  if (!rule.from.includes(row.status as Status))
    throw new AppError('conflict', [{ field: 'action', code: 'transition-not-allowed' }]);
  const set: Record<string, unknown> = {
    status: rule.to,
    version: row.version + 1,
    updated_at: sql`now()`,
    status_reason: input.reason ?? null,
  };
  switch (input.action) {
    case 'decline':
      if (!input.reason || !(DECLINE_REASONS as readonly string[]).includes(input.reason))
        throw invalid({ field: 'reason', code: 'decline-reason-required' });
      if (input.reason === 'other' && !input.note?.trim()) throw invalid({ field: 'note', code: 'note-required' });
      set.answered_at = row.answered_at ?? sql`now()`;
      break;
    case 'waitlist':
      if (!input.expectedDate) throw invalid({ field: 'expectedDate', code: 'required' });
      if (input.expectedDate < brusselsDate()) throw invalid({ field: 'expectedDate', code: 'date-past' });
      set.expected_date = input.expectedDate;
      set.answered_at = sql`now()`;
      set.bridging_requested = true;
      break;
    case 'accept': {
      // the consent is checked again in the UPDATE below, after the row lock (a withdrawal meanwhile is seen)
      const targets = referralTargetsOf(row.referral_targets);
      set.answered_at = row.answered_at ?? sql`now()`;
      set.accepted_at = sql`now()`;
      set.first_contact_due_at = addWorkingDays(new Date(), targets.firstContactWorkingDays);
      break;
    }
    case 'schedule':
      if (!input.scheduledAt) throw invalid({ field: 'scheduledAt', code: 'required' });
      set.scheduled_at = input.scheduledAt;
      break;
    case 'first-contact':
      set.first_contact_at = sql`now()`;
      break;
    case 'complete':
      // closing after a missed first contact: the help did not start, so say why (FHIR: Task failed)
      if (row.status === 'missed') {
        if (!input.reason || !(CLOSE_WITHOUT_CONTACT_REASONS as readonly string[]).includes(input.reason))
          throw invalid({ field: 'reason', code: 'close-reason-required' });
        if (input.reason === 'other' && !input.note?.trim()) throw invalid({ field: 'note', code: 'note-required' });
      }
      break;
    case 'cancel':
      if (!input.reason?.trim()) throw invalid({ field: 'reason', code: 'required' });
      break;
    case 'receive':
    case 'missed':
      // nothing to ask: the status change says it all
      break;
  }
  const other = rule.side === 'receiver' ? row.sender_organization_id : row.receiver_organization_id;
  const notice =
    other === ownOrg(tx)
      ? null
      : referralNotice(other, id, `referral-${input.action}`, `Korte Lijn: doorverwijzing bijgewerkt (${rule.to})`);
  const notification = notice && notificationRow(notice);
  // One statement does the change and answers it: the compare-and-set UPDATE (the row lock above already
  // serialises: of two people acting at once only one wins), its event, the notification to the other party, and
  // the detail of the changed row with its names, timeline (the events before it and the one written here) and
  // bridging support. An accept checks the consent in the UPDATE: this statement runs after the lock, so its
  // snapshot sees a withdrawal committed while we waited. The audit row travels with the COMMIT (core/db/tenant.ts).
  const changed = await tx.db
    .with('changed', (db) =>
      db
        .updateTable('referrals')
        .set(set as never)
        .where('id', '=', id)
        .where('status', '=', row.status)
        .where('version', '=', row.version)
        .$if(input.action === 'accept', (q) => q.where(sql<boolean>`kl_referral_consent_active(consent_id)`))
        .returningAll(),
    )
    .with('written_event', (db) =>
      db
        .insertInto('referral_events')
        .columns([
          'referral_id',
          'actor_user_id',
          'actor_token_id',
          'actor_organization_id',
          'action',
          'from_status',
          'to_status',
          'reason',
          'note',
        ])
        .expression((eb) =>
          eb
            .selectFrom('changed')
            .select([
              'changed.id',
              sql<string | null>`${tx.actor.userId ?? null}::uuid`.as('actor_user_id'),
              sql<string | null>`${tx.actor.tokenId ?? null}::uuid`.as('actor_token_id'),
              sql<string>`${ownOrg(tx)}::uuid`.as('actor_organization_id'),
              sql<string>`${input.action}::text`.as('action'),
              sql<string>`${row.status}::text`.as('from_status'),
              sql<string>`${rule.to}::text`.as('to_status'),
              sql<string | null>`${input.reason ?? null}::text`.as('reason'),
              sql<string | null>`${input.note ?? null}::text`.as('note'),
            ]),
        )
        .returningAll(),
    )
    .with('notified', (db) =>
      // no RETURNING: the row belongs to the other organisation, which RLS does not let this one read back
      db
        .insertInto('notifications')
        .columns(['organization_id', 'referral_id', 'subject_type', 'subject_id', 'kind'])
        .expression((eb) =>
          eb
            .selectFrom('changed')
            .select([
              sql<string>`${notification?.organization_id ?? null}::uuid`.as('organization_id'),
              sql<string | null>`${notification?.referral_id ?? null}::uuid`.as('referral_id'),
              sql<string | null>`${notification?.subject_type ?? null}::text`.as('subject_type'),
              sql<string | null>`${notification?.subject_id ?? null}::uuid`.as('subject_id'),
              sql<string>`${notification?.kind ?? null}::text`.as('kind'),
            ])
            .where(sql<boolean>`${notification !== null}`),
        ),
    )
    .selectFrom('changed as r')
    .selectAll('r')
    .select(
      detailColumns(
        sql`(select * from referral_events union all select * from written_event)`,
        // an accept's UPDATE has just found the consent active, in this statement's snapshot
        input.action === 'accept' ? sql<boolean>`true` : CONSENT_ACTIVE,
      ),
    )
    .executeTakeFirst();
  if (!changed) {
    // only on this rare path: which of the two conditions failed
    if (input.action === 'accept' && !(await consentActiveNow(tx, row.consent_id)))
      throw new AppError('conflict', [{ field: 'consentId', code: 'consent-inactive' }]);
    throw new AppError('conflict', [{ field: 'action', code: 'concurrent-change' }]);
  }
  // the e-mails to the other party (only with SMTP: without it this sends nothing)
  if (notice) await emailNotice(tx, notice);
  await tx.audit({
    action: `referral.${input.action}`,
    entityType: 'referral',
    entityId: id,
    details: { from: row.status, to: rule.to },
  });
  return referralDetail(changed, sidesOf(tx, changed));
}

/** Overdue: no answer in time, no first contact in time, or still waiting after the expected start date (Brussels). */
const OVERDUE = sql<boolean>`coalesce((r.status in ('requested', 'received') and r.answer_due_at < now()) or (r.status in ('accepted', 'scheduled', 'missed') and r.first_contact_due_at < now()) or (r.status = 'waitlisted' and r.expected_date < kl_brussels_date()), false)`;
/** OPEN_STATUSES as SQL literals: the same list as the partial indexes' predicate, provable in any plan. */
const OPEN_SQL = sql.join(OPEN_STATUSES.map((s) => sql.lit(s)));

/**
 * The inboxes: most urgent first — acute risk, then high risk (core/risk.ts), then by priority: acute, urgent,
 * routine; within each the earliest deadline (an overdue answer has the earliest). The order is the partial
 * index's, so the first page is cheap at any backlog.
 */
export async function listReferrals(tx: Tx, input: ReferralList): Promise<InboxPage> {
  const own = input.box === 'incoming' ? 'receiver_organization_id' : 'sender_organization_id';
  let page = tx.db
    .selectFrom('referrals as r')
    .select([
      'r.id',
      'r.status',
      'r.priority',
      'r.created_at',
      'r.answer_due_at',
      'r.first_contact_due_at',
      'r.expected_date',
      'r.version',
      'r.offer_id',
      'r.help_request_id',
      'r.sender_organization_id',
      'r.receiver_organization_id',
      OVERDUE.as('overdue'),
      RISK_SEEN.as('risk_level'),
    ])
    .where(`r.${own}`, '=', ownOrg(tx));
  if (input.status?.length) page = page.where('r.status', 'in', input.status);
  else if (input.open !== false) page = page.where(sql<boolean>`r.status in (${OPEN_SQL})`);
  if (input.priority) page = page.where('r.priority', '=', input.priority);
  // the help request is the sender's: the receiver never filters (or learns) by it
  if (input.helpRequestId)
    page =
      input.box === 'outgoing'
        ? page.where('r.help_request_id', '=', input.helpRequestId)
        : page.where(sql<boolean>`false`);
  if (input.overdue !== undefined) page = page.where(input.overdue ? OVERDUE : sql<boolean>`not ${OVERDUE}`);
  const rows = await page
    .orderBy('r.risk_rank')
    .orderBy('r.priority_rank')
    .orderBy('r.answer_due_at')
    .orderBy('r.id')
    .limit(input.limit)
    .execute();
  // names for the page only (after the limit)
  const orgIds = [...new Set(rows.flatMap((r) => [r.sender_organization_id, r.receiver_organization_id]))];
  const offerIds = [...new Set(rows.map((r) => r.offer_id))];
  const orgNames = new Map(
    orgIds.length
      ? (await tx.db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', orgIds).execute()).map(
          (o) => [o.id, o.name],
        )
      : [],
  );
  const offerNames = new Map(
    offerIds.length
      ? (await tx.db.selectFrom('offers').select(['id', 'name']).where('id', 'in', offerIds).execute()).map((o) => [
          o.id,
          o.name,
        ])
      : [],
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      status: r.status as Status,
      priority: r.priority as Priority,
      offerName: offerNames.get(r.offer_id) ?? null,
      senderOrganizationName: orgNames.get(r.sender_organization_id) ?? null,
      receiverOrganizationName: orgNames.get(r.receiver_organization_id) ?? null,
      createdAt: r.created_at.toISOString(),
      answerDueAt: r.answer_due_at.toISOString(),
      firstContactDueAt: r.first_contact_due_at?.toISOString() ?? null,
      expectedDate: r.expected_date,
      overdue: r.overdue,
      riskLevel: r.risk_level,
      version: r.version,
      ...(input.box === 'outgoing' ? { helpRequestId: r.help_request_id } : {}),
    })),
  };
}

export async function counts(tx: Tx): Promise<ReferralCounts> {
  const row = await tx.db
    .selectFrom('referrals as r')
    .select([
      sql<number>`count(*) filter (where r.receiver_organization_id = ${ownOrg(tx)})::int`.as('incoming_open'),
      sql<number>`count(*) filter (where r.receiver_organization_id = ${ownOrg(tx)} and ${OVERDUE})::int`.as(
        'incoming_overdue',
      ),
      sql<number>`count(*) filter (where r.sender_organization_id = ${ownOrg(tx)})::int`.as('outgoing_open'),
      sql<number>`count(*) filter (where r.sender_organization_id = ${ownOrg(tx)} and ${OVERDUE})::int`.as(
        'outgoing_overdue',
      ),
    ])
    .where((eb) =>
      eb.or([eb('r.receiver_organization_id', '=', ownOrg(tx)), eb('r.sender_organization_id', '=', ownOrg(tx))]),
    )
    .where(sql<boolean>`r.status in (${OPEN_SQL})`)
    .executeTakeFirstOrThrow();
  const unread = await tx.db
    .selectFrom('notifications')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('organization_id', '=', ownOrg(tx))
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    incomingOpen: row.incoming_open,
    incomingOverdue: row.incoming_overdue,
    outgoingOpen: row.outgoing_open,
    outgoingOverdue: row.outgoing_overdue,
    unreadNotifications: unread.n,
  };
}

/**
 * The network coordinator's overview: overdue referrals between which organisations, never who (a narrow function);
 * acute and high risk first, with the level as the receiver sees it (shared, consent active).
 */
export async function networkOverdue(tx: Tx): Promise<OverdueList> {
  const rows = await sql<{
    id: string;
    status: string;
    priority: string;
    answer_due_at: Date;
    first_contact_due_at: Date | null;
    expected_date: string | null;
    sender_organization_id: string;
    receiver_organization_id: string;
    risk_level: RiskLevel | null;
  }>`
    select * from kl_network_overdue_referrals()`.execute(tx.db);
  const ids = [...new Set(rows.rows.flatMap((r) => [r.sender_organization_id, r.receiver_organization_id]))];
  const names = new Map(
    ids.length
      ? (await tx.db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', ids).execute()).map((o) => [
          o.id,
          o.name,
        ])
      : [],
  );
  return {
    items: rows.rows.map((r) => ({
      id: r.id,
      status: r.status as Status,
      priority: r.priority as Priority,
      answerDueAt: new Date(r.answer_due_at).toISOString(),
      firstContactDueAt: r.first_contact_due_at ? new Date(r.first_contact_due_at).toISOString() : null,
      expectedDate: r.expected_date,
      senderOrganizationName: names.get(r.sender_organization_id) ?? null,
      receiverOrganizationName: names.get(r.receiver_organization_id) ?? null,
      riskLevel: r.risk_level,
    })),
  };
}

export async function addBridging(tx: Tx, id: string, input: { offerId?: string | null | undefined; note: string }) {
  const row = await loadReferral(tx, id);
  if (!sidesOf(tx, row).includes('sender')) throw forbidden();
  if (input.offerId) {
    const offer = await tx.db
      .selectFrom('offers')
      .select('offers.id')
      .where('offers.id', '=', input.offerId)
      .where('offers.network_id', '=', tx.actor.networkId)
      .where('offers.active', '=', true)
      .where(ofActiveOrganization())
      .executeTakeFirst();
    if (!offer) throw invalid({ field: 'offerId', code: 'offer-unknown' });
  }
  await tx.db
    .insertInto('bridging_support')
    .values({ referral_id: id, offer_id: input.offerId ?? null, note: input.note.trim(), arranged_by: tx.actor.userId })
    .execute();
  await tx.db
    .insertInto('referral_events')
    .values({
      referral_id: id,
      actor_user_id: tx.actor.userId,
      actor_token_id: tx.actor.tokenId,
      actor_organization_id: ownOrg(tx),
      action: 'bridging',
      from_status: row.status,
      to_status: row.status,
      note: input.note.trim(),
    })
    .execute();
  await tx.audit({ action: REFERRAL_AUDIT.referralBridging, entityType: 'referral', entityId: id });
  return readReferral(tx, id, false);
}

/** Bridging suggestions: zero-line, low-threshold and group offers on the referral's themes that are open now. */
export async function bridgingSuggestions(tx: Tx, id: string): Promise<BridgingSuggestionList> {
  const row = await loadReferral(tx, id);
  if (!sidesOf(tx, row).includes('sender')) throw forbidden();
  const request = row.help_request_id
    ? await tx.db
        .selectFrom('help_requests')
        .select(['themes', 'age', 'municipality'])
        .where('id', '=', row.help_request_id)
        .executeTakeFirst()
    : undefined;
  const themes = request?.themes ?? [];
  let query = tx.db
    .selectFrom('offers')
    .innerJoin('organizations as o', 'o.id', 'offers.organization_id')
    .select([
      'offers.id',
      'offers.name',
      'o.name as organization_name',
      'offers.level',
      'offers.capacity',
      'offers.wait_days',
      'offers.modalities',
    ])
    .where('offers.network_id', '=', tx.actor.networkId)
    .where('offers.active', '=', true)
    .where('o.active', '=', true)
    .where('offers.id', '<>', row.offer_id)
    .where('offers.capacity', 'in', ['open', 'assessment'])
    .where((eb) =>
      eb.or([
        eb('offers.level', '=', 'zero-line'),
        sql<boolean>`'group' = any(offers.modalities)`,
        eb('offers.self_referral', '=', true)
          .and('offers.level', '=', 'basic')
          .and(sql<boolean>`coalesce(offers.wait_days, 0) <= 7`),
      ]),
    );
  if (themes.length) query = query.where(sql<boolean>`offers.themes && ${themes}::text[]`);
  // only what the person can use: their municipality and age
  if (request?.municipality)
    query = query.where(sql<boolean>`offers.municipalities @> array[${request.municipality}]::text[]`);
  if (request?.age != null)
    query = query.where(
      sql<boolean>`coalesce(offers.min_age, 0) <= ${request.age} and coalesce(offers.max_age, 120) >= ${request.age}`,
    );
  const rows = await query
    .orderBy(sql`case offers.level when 'zero-line' then 0 else 1 end`)
    .orderBy(sql`coalesce(offers.wait_days, 0)`)
    .orderBy('offers.name')
    .limit(10)
    .execute();
  return {
    items: rows.map((r) => ({
      offerId: r.id,
      name: r.name,
      organizationName: r.organization_name,
      level: r.level as Offer['level'],
      capacity: r.capacity as Offer['capacity'],
      waitDays: r.wait_days,
    })),
  };
}

/** The shared contact details as the client register's input (an anonymous record when none were shared). */
function clientInputFromSnapshot(snapshot: unknown): ClientCreate {
  const contact = (snapshot as { contact?: Record<string, string | number | null> } | null)?.contact;
  if (!contact) return { identityKind: 'anonymous' };
  const text = (key: string) => (contact[key] as string | null | undefined) ?? null;
  const birthDate = text('birthDate');
  return {
    identityKind: String(contact.identityKind) as ClientCreate['identityKind'],
    givenName: text('givenName'),
    familyName: text('familyName'),
    pseudonym: text('pseudonym'),
    // the register keeps a birth year only when the date is unknown
    birthDate,
    birthYear: birthDate ? null : ((contact.birthYear as number | null | undefined) ?? null),
    phone: text('phone'),
    email: text('email'),
    preferredLanguage: text('preferredLanguage'),
    municipality: text('municipality'),
  };
}

/** After accepting, the receiver registers the person in its own register (or links a record it has), once. */
export async function registerClient(tx: Tx, id: string, existingClientId: string | null | undefined) {
  const row = await lockReferral(tx, id);
  if (!sidesOf(tx, row).includes('receiver')) throw forbidden();
  if (row.receiver_client_id) throw new AppError('conflict', [{ field: 'id', code: 'client-already-registered' }]);
  if (!['accepted', 'scheduled', 'first-contact', 'missed', 'completed'].includes(row.status))
    throw new AppError('conflict', [{ field: 'status', code: 'transition-not-allowed' }]);
  if (!(await consentActiveNow(tx, row.consent_id)))
    throw new AppError('conflict', [{ field: 'consentId', code: 'consent-inactive' }]);
  let clientId = existingClientId ?? null;
  let possibleDuplicates: PossibleDuplicate[] = [];
  if (clientId) {
    if (!(await hasAccess(tx, 'client', clientId)))
      throw invalid({ field: 'existingClientId', code: 'client-unknown' });
  } else {
    // through the client register: its validation, its duplicate warning and its audit entry
    const created = await createClient(tx, clientInputFromSnapshot(row.snapshot), { fromReferral: id });
    clientId = created.id;
    possibleDuplicates = created.possibleDuplicates;
  }
  // only while still unlinked: a second registration fails and rolls back the client it just made
  const linked = await tx.db
    .updateTable('referrals')
    .set({ receiver_client_id: clientId, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('receiver_client_id', 'is', null)
    .executeTakeFirst();
  if (Number(linked.numUpdatedRows) !== 1)
    throw new AppError('conflict', [{ field: 'id', code: 'client-already-registered' }]);
  await tx.audit({
    action: REFERRAL_AUDIT.referralRegisterClient,
    entityType: 'referral',
    entityId: id,
    details: { clientId },
  });
  return { ...(await readReferral(tx, id, false)), possibleDuplicates };
}
