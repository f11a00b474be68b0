import { sql } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import type { ConsentRow } from '../../core/db/schema.ts';
import { AppError, invalid, notFound, type FieldError } from '../../core/http/errors.ts';
import type { ConsentActor, ConsentCreate, ConsentDto } from './referrals.schema.ts';
import { brusselsDate } from './working-days.ts';
import { hasAccess, ownOrganization as ownOrg, requireAccess } from '../../core/access.ts';
import { notifyOrganization } from '../../core/notifications/notify.ts';
import { REFERRAL_AUDIT } from './referrals.audit.ts';

/** Active: not withdrawn, and valid until today or later — today in Brussels, as kl_brussels_date() in SQL. */
export function isActive(consent: Pick<ConsentRow, 'withdrawn_at' | 'valid_until'>, today = brusselsDate()): boolean {
  return consent.withdrawn_at === null && (consent.valid_until === null || consent.valid_until >= today);
}

interface Names {
  users: Map<string, string>;
  tokens: Map<string, string>;
  offers: Map<string, string>;
}
const NO_NAMES: Names = { users: new Map(), tokens: new Map(), offers: new Map() };

export function toConsentDto(row: ConsentRow, names: Names = NO_NAMES): ConsentDto {
  const user = (id: string | null): ConsentActor | null =>
    id ? { kind: 'user', id, name: names.users.get(id) ?? null } : null;
  const recordedBy: ConsentActor | null =
    user(row.recorded_by) ??
    (row.recorded_by_token
      ? { kind: 'token', id: row.recorded_by_token, name: names.tokens.get(row.recorded_by_token) ?? null }
      : null);
  return {
    id: row.id,
    clientId: row.client_id,
    purpose: row.purpose as ConsentDto['purpose'],
    recipientOrganizationId: row.recipient_organization_id,
    recipientOfferId: row.recipient_offer_id,
    recipientOfferName: row.recipient_offer_id ? (names.offers.get(row.recipient_offer_id) ?? null) : null,
    categories: row.categories as ConsentDto['categories'],
    method: row.method as ConsentDto['method'],
    exceptionReason: row.exception_reason,
    recordedAt: row.recorded_at.toISOString(),
    recordedBy,
    validUntil: row.valid_until,
    withdrawnAt: row.withdrawn_at?.toISOString() ?? null,
    withdrawnBy: user(row.withdrawn_by),
    reviewedAt: row.reviewed_at?.toISOString() ?? null,
    reviewedBy: user(row.reviewed_by),
    active: isActive(row),
    needsReview: row.method === 'exception' && row.reviewed_at === null,
  };
}

/** The names behind the ids of some consents, in three small lookups (none when there is nothing to look up). */
async function namesOf(tx: Tx, rows: ConsentRow[]): Promise<Names> {
  const userIds = [
    ...new Set(
      rows.flatMap((r) => [r.recorded_by, r.withdrawn_by, r.reviewed_by]).filter((x): x is string => x !== null),
    ),
  ];
  const tokenIds = [...new Set(rows.map((r) => r.recorded_by_token).filter((x): x is string => x !== null))];
  const offerIds = [...new Set(rows.map((r) => r.recipient_offer_id).filter((x): x is string => x !== null))];
  const users = userIds.length
    ? await tx.db.selectFrom('users').select(['id', 'display_name as name']).where('id', 'in', userIds).execute()
    : [];
  const tokens = tokenIds.length
    ? await tx.db
        .selectFrom('api_tokens')
        .select(['id', 'name'])
        .where('id', 'in', tokenIds)
        .where('organization_id', '=', ownOrg(tx))
        .execute()
    : [];
  const offers = offerIds.length
    ? await tx.db.selectFrom('offers').select(['id', 'name']).where('id', 'in', offerIds).execute()
    : [];
  const map = (xs: { id: string; name: string }[]) => new Map(xs.map((x) => [x.id, x.name]));
  return { users: map(users), tokens: map(tokens), offers: map(offers) };
}

async function dtos(tx: Tx, rows: ConsentRow[]) {
  const names = await namesOf(tx, rows);
  return rows.map((r) => toConsentDto(r, names));
}

export async function createConsent(tx: Tx, input: ConsentCreate) {
  const errors: FieldError[] = [];
  if (!(await hasAccess(tx, 'client', input.clientId))) errors.push({ field: 'clientId', code: 'client-unknown' });
  const recipient = await tx.db
    .selectFrom('organizations')
    .select('id')
    .where('id', '=', input.recipientOrganizationId)
    .where('network_id', '=', tx.actor.networkId)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!recipient) errors.push({ field: 'recipientOrganizationId', code: 'organization-unknown' });
  if (input.recipientOfferId) {
    const offer = await tx.db
      .selectFrom('offers')
      .select('id')
      .where('id', '=', input.recipientOfferId)
      .where('organization_id', '=', input.recipientOrganizationId)
      .executeTakeFirst();
    if (!offer) errors.push({ field: 'recipientOfferId', code: 'offer-unknown' });
  }
  const exceptional = input.method === 'exception';
  if (exceptional && !input.exceptionReason?.trim())
    errors.push({ field: 'exceptionReason', code: 'exception-reason-required' });
  if (!exceptional && input.exceptionReason)
    errors.push({ field: 'exceptionReason', code: 'exception-reason-unexpected' });
  if (input.validUntil && input.validUntil < brusselsDate()) errors.push({ field: 'validUntil', code: 'date-past' });
  if (errors.length) throw invalid(...errors);
  const row = await tx.db
    .insertInto('consents')
    .values({
      organization_id: ownOrg(tx),
      network_id: tx.actor.networkId,
      client_id: input.clientId,
      purpose: input.purpose,
      recipient_organization_id: input.recipientOrganizationId,
      recipient_offer_id: input.recipientOfferId ?? null,
      categories: input.categories,
      method: input.method,
      exception_reason: exceptional ? input.exceptionReason!.trim() : null,
      recorded_by: tx.actor.userId,
      recorded_by_token: tx.actor.tokenId,
      valid_until: input.validUntil ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx.audit({
    action: exceptional ? 'consent.exception' : 'consent.create',
    entityType: 'consent',
    entityId: row.id,
    details: { clientId: input.clientId, recipient: input.recipientOrganizationId, method: input.method },
  });
  return (await dtos(tx, [row]))[0]!;
}

async function ownConsent(tx: Tx, id: string) {
  const row = await tx.db
    .selectFrom('consents')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', ownOrg(tx))
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

/** Withdrawal stops all further sharing at once: referrals under this consent show the receiver nothing more. */
export async function withdrawConsent(tx: Tx, id: string, note: string | null | undefined) {
  const consent = await ownConsent(tx, id);
  if (consent.withdrawn_at) throw new AppError('conflict', [{ field: 'id', code: 'consent-withdrawn' }]);
  const row = await tx.db
    .updateTable('consents')
    .set({ withdrawn_at: sql`now()`, withdrawn_by: tx.actor.userId, withdrawal_note: note ?? null })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const affected = await tx.db
    .selectFrom('referrals')
    .select(['id', 'status', 'receiver_organization_id'])
    .where('consent_id', '=', id)
    .execute();
  // the shared risk level goes with it: no inbox, notification or overview shows it, nor sorts by it, from now on
  await tx.db
    .updateTable('referrals')
    .set({ risk_level: null })
    .where('consent_id', '=', id)
    .where('risk_level', 'is not', null)
    .execute();
  for (const r of affected) {
    await tx.db
      .insertInto('referral_events')
      .values({
        referral_id: r.id,
        actor_user_id: tx.actor.userId,
        actor_token_id: tx.actor.tokenId,
        actor_organization_id: ownOrg(tx),
        action: 'consent-withdrawn',
        from_status: r.status,
        to_status: r.status,
      })
      .execute();
    // in the app only: a withdrawal is not worth an e-mail of its own (as before)
    await notifyOrganization(
      tx,
      {
        organizationId: r.receiver_organization_id,
        referralId: r.id,
        kind: 'consent-withdrawn',
        subject: '',
        path: `/referrals/${r.id}`,
      },
      { email: false },
    );
  }
  await tx.audit({
    action: REFERRAL_AUDIT.consentWithdraw,
    entityType: 'consent',
    entityId: id,
    details: { referrals: affected.length },
  });
  return (await dtos(tx, [row]))[0]!;
}

export async function listConsents(tx: Tx, clientId: string) {
  await requireAccess(tx, 'client', clientId);
  const rows = await tx.db
    .selectFrom('consents')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('organization_id', '=', ownOrg(tx))
    .orderBy('recorded_at', 'desc')
    .execute();
  await tx.audit({ action: REFERRAL_AUDIT.consentList, entityType: 'client', entityId: clientId });
  return { items: await dtos(tx, rows) };
}

/**
 * Exceptions (acute danger, consent impossible) wait for the team lead's review. The list names clients and
 * carries the reasons, so reading it is audited: ids and a count only.
 */
export async function exceptionsToReview(tx: Tx) {
  const rows = await tx.db
    .selectFrom('consents')
    .selectAll()
    .where('organization_id', '=', ownOrg(tx))
    .where('method', '=', 'exception')
    .where('reviewed_at', 'is', null)
    .orderBy('recorded_at')
    .execute();
  await tx.audit({
    action: REFERRAL_AUDIT.consentExceptionsList,
    entityType: 'consent',
    details: {
      results: rows.length,
      consentIds: rows.map((r) => r.id).join(','),
      clientIds: [...new Set(rows.map((r) => r.client_id))].join(','),
    },
  });
  return { items: await dtos(tx, rows) };
}

export async function reviewException(tx: Tx, id: string) {
  const consent = await ownConsent(tx, id);
  if (consent.method !== 'exception' || consent.reviewed_at) throw new AppError('conflict');
  const row = await tx.db
    .updateTable('consents')
    .set({ reviewed_by: tx.actor.userId, reviewed_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx.audit({ action: REFERRAL_AUDIT.consentExceptionReview, entityType: 'consent', entityId: id });
  return (await dtos(tx, [row]))[0]!;
}
