import { groupWorkFigures } from '../groups/index.ts';
import { sql } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import { inTenant } from '../../core/db/tenant.ts';
import type { Database } from '../../core/db/database.ts';
import type { Actor } from '../../core/auth/actor.ts';
import { ownOrganization } from '../../core/access.ts';
import { AppError, forbidden, invalid, notFound, type FieldError } from '../../core/http/errors.ts';
import type { Lang } from '../../core/http/messages.ts';
import { normalizePhone } from '../../core/phone.ts';
import { notifyOrganization } from '../../core/notifications/notify.ts';
import { addWorkingDays, brusselsDate } from '../referrals/index.ts';
import { createClient } from '../clients/index.ts';
import { createTrajectory } from '../trajectories/index.ts';
import * as repo from './outreach.repository.ts';
import { OUTREACH_AUDIT } from './outreach.audit.ts';
import { message } from './outreach.messages.ts';
import {
  OUTREACH_LIMITS,
  OUTREACH_SETTING_KEYS,
  REACHED_OUTCOMES,
  type AttemptCreate,
  type CloseBody,
  type OutreachSettingsUpdate,
  type SignalCreate,
  type SignalList,
} from './outreach.schema.ts';

export interface OutreachSettingValues {
  responseWorkingDays: number;
  failedAttempts: number;
  retentionMonths: number;
}
export const DEFAULT_OUTREACH: OutreachSettingValues = {
  responseWorkingDays: 2,
  failedAttempts: 3,
  retentionMonths: 12,
};

export function outreachSettingsOf(stored: unknown): OutreachSettingValues {
  const raw = stored && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
  const out = { ...DEFAULT_OUTREACH };
  for (const key of OUTREACH_SETTING_KEYS) if (Number.isInteger(raw[key])) out[key] = raw[key] as number;
  return out;
}

const fieldError = (field: string, code: string, lang: Lang): FieldError => ({
  field,
  code,
  message: message(code, lang),
});
const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());
const ENTITY = 'outreach-signal';

/** The part of the day of an instant in Brussels: a second attempt at another part of the day reaches other people. */
export function partOfDay(at: Date): 'morning' | 'afternoon' | 'evening' {
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Brussels', hour: '2-digit', hourCycle: 'h23' }).format(at),
  );
  return hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : 'evening';
}

/** Whether the actor's organisation works an outreach queue: the permission, and not a sender-only organisation. */
async function receives(tx: Tx) {
  if (!tx.actor.permissions.has('outreach:queue')) return false;
  const kind = await repo.organizationKind(tx, ownOrganization(tx));
  return kind !== null && !repo.SENDER_ONLY_KINDS.includes(kind);
}
async function requireQueue(tx: Tx) {
  if (!(await receives(tx))) throw forbidden();
}

const senderState = (row: { status: string; reached_at: Date | null }) =>
  row.status === 'closed' ? ('closed' as const) : row.reached_at ? ('contact-made' as const) : ('received' as const);

function common(row: repo.SignalWithNames) {
  return {
    id: row.id,
    kind: row.kind as SignalCreate['kind'],
    collective: row.collective,
    state: senderState(row),
    createdAt: iso(row.created_at),
    contactName: row.contact_name,
    receiverOrganizationName: row.receiver_name,
  };
}

function proposal(row: repo.SignalWithNames, settings: OutreachSettingValues) {
  const needed = settings.failedAttempts;
  // "spread over at least two parts of the day" (one attempt cannot be spread)
  const partsNeeded = needed >= 2 ? 2 : 1;
  return {
    proposed:
      row.status !== 'closed' && !row.reached_at && row.failed_count >= needed && row.failed_parts >= partsNeeded,
    failedAttempts: row.failed_count,
    partsOfDay: row.failed_parts,
    needed,
  };
}

function queueItem(row: repo.SignalWithNames, settings: OutreachSettingValues, now = Date.now()) {
  return {
    ...common(row),
    status: row.status as 'new' | 'in-progress' | 'closed',
    municipalityNis: row.nis_code,
    senderOrganizationName: row.sender_name,
    dueAt: iso(row.due_at),
    overdue: row.status !== 'closed' && !row.first_attempt_at && new Date(row.due_at).getTime() < now,
    attempts: row.attempt_count,
    reached: !!row.reached_at,
    outcome: row.outcome as CloseBody['outcome'] | null,
    unreachableProposed: proposal(row, settings).proposed,
    erased: !!row.erased_at,
  };
}

/** The letter or message after the failed attempts: no diagnosis, nothing of the signal, the door stays open. */
export function unreachableLetter(contactName: string | null, organizationName: string) {
  const greeting = contactName ? `Beste ${contactName}` : 'Beste';
  return (
    `${greeting},\n\n` +
    'Zoals met u afgesproken probeerden we u de voorbije dagen enkele keren te bereiken voor een gesprek. ' +
    'Dat is jammer genoeg niet gelukt.\n\n' +
    'Wil u later toch graag met iemand praten, dan bent u altijd welkom. ' +
    `U kunt ons zelf contacteren: ${organizationName}.\n\n` +
    `Met vriendelijke groet,\n${organizationName}`
  );
}

export async function settingsOfNetwork(tx: Tx) {
  return outreachSettingsOf(await repo.networkOutreachSettings(tx));
}

export async function createSignal(tx: Tx, input: SignalCreate, lang: Lang) {
  const senderOrganization = ownOrganization(tx);
  const errors: FieldError[] = [];
  const collective = input.collective ?? false;
  const personFields = ['contactName', 'phone', 'email', 'preferredLanguage', 'preferredMoment'] as const;
  let phone: string | null = null;
  if (collective) {
    for (const f of personFields) if (input[f]) errors.push(fieldError(f, 'collective-no-person', lang));
  } else {
    if (!input.contactName?.trim()) errors.push(fieldError('contactName', 'required', lang));
    if (!input.phone?.trim() && !input.email?.trim()) errors.push(fieldError('phone', 'phone-or-email', lang));
    if (input.phone?.trim()) {
      const normalized = normalizePhone(input.phone);
      if (normalized.ok) phone = normalized.value;
      else errors.push(fieldError('phone', 'phone-invalid', lang));
    }
  }
  if (input.kind !== 'bereaved') {
    if (input.relation) errors.push(fieldError('relation', 'bereaved-only', lang));
    if (input.dateOfDeath) errors.push(fieldError('dateOfDeath', 'bereaved-only', lang));
  }
  const today = brusselsDate();
  if (input.dateOfDeath && input.dateOfDeath > today) errors.push(fieldError('dateOfDeath', 'date-future', lang));
  if (input.agreementDate && input.agreementDate > today) errors.push(fieldError('agreementDate', 'date-future', lang));
  if (input.municipalityNis && !(await repo.municipalityExists(tx, input.municipalityNis)))
    errors.push(fieldError('municipalityNis', 'municipality-unknown', lang));
  if (errors.length) throw invalid(...errors);

  const receiver = await repo.routeOf(tx, input.kind, input.municipalityNis ?? null);
  if (!receiver) throw invalid(fieldError('kind', 'no-route', lang));
  const settings = await settingsOfNetwork(tx);
  const now = new Date();
  const row = await tx.db
    .insertInto('outreach_signals')
    .values({
      network_id: tx.actor.networkId,
      sender_organization_id: senderOrganization,
      sender_user_id: tx.actor.userId,
      receiver_organization_id: receiver,
      kind: input.kind,
      collective,
      nis_code: input.municipalityNis ?? null,
      contact_name: collective ? null : input.contactName!.trim(),
      phone,
      email: collective ? null : (input.email?.trim() ?? null),
      preferred_language: input.preferredLanguage ?? null,
      preferred_moment: input.preferredMoment ?? null,
      relation: input.relation ?? null,
      date_of_death: input.dateOfDeath ?? null,
      note: input.note ?? null,
      agreement_method: input.agreementMethod,
      agreement_at: input.agreementDate ?? today,
      due_at: addWorkingDays(now, settings.responseWorkingDays),
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await notifyOrganization(tx, {
    organizationId: receiver,
    kind: 'outreach-new',
    about: { type: ENTITY, id: row.id },
    subject: 'Korte Lijn: nieuwe aanmelding voor proactief contact',
    intro: 'Er is een nieuwe aanmelding voor proactief contact in Korte Lijn.',
    path: `/outreach/${row.id}`,
  });
  await tx.audit({
    action: OUTREACH_AUDIT.signalCreate,
    entityType: ENTITY,
    entityId: row.id,
    details: { kind: input.kind, collective, receiverOrganizationId: receiver },
  });
  return { id: row.id };
}

export async function listSignals(tx: Tx, input: SignalList) {
  const canReceive = await receives(tx);
  const box = input.box ?? (canReceive ? 'incoming' : 'outgoing');
  if (box === 'incoming' && !canReceive) throw forbidden();
  const settings = await settingsOfNetwork(tx);
  const rows = box === 'incoming' ? await repo.incoming(tx, input.status) : await repo.outgoing(tx, input.status);
  const items = rows.map((r) => (box === 'incoming' ? queueItem(r, settings) : common(r)));
  await tx.audit({ action: OUTREACH_AUDIT.signalList, details: { box, count: items.length } });
  return { box, items };
}

async function detailOf(tx: Tx, row: repo.SignalWithNames) {
  const settings = await settingsOfNetwork(tx);
  const attempts = await repo.attemptsOf(tx, row.id);
  const p = proposal(row, settings);
  return {
    view: 'receiver' as const,
    ...queueItem(row, settings),
    phone: row.phone,
    email: row.email,
    preferredLanguage: row.preferred_language,
    preferredMoment: row.preferred_moment as SignalCreate['preferredMoment'] | null,
    municipalityName: row.municipality_name,
    relation: row.relation,
    dateOfDeath: row.date_of_death,
    note: row.note,
    agreementMethod: row.agreement_method as SignalCreate['agreementMethod'],
    agreementDate: row.agreement_at,
    closeNote: row.close_note,
    closedAt: row.closed_at ? iso(row.closed_at) : null,
    clientId: row.client_id,
    trajectoryId: row.trajectory_id,
    attemptList: attempts.map((a) => ({
      id: a.id,
      at: iso(a.at),
      channel: a.channel as AttemptCreate['channel'],
      outcome: a.outcome as AttemptCreate['outcome'],
      note: a.note,
      partOfDay: partOfDay(new Date(a.at)),
    })),
    unreachable: { ...p, letter: unreachableLetter(row.contact_name, row.receiver_name) },
  };
}

/** The receiver's signal, or 404 (another organisation's, or one it only sent); 403 without the queue. */
async function loadReceived(tx: Tx, id: string) {
  const row = await repo.findSignal(tx, id);
  if (!row || row.receiver_organization_id !== ownOrganization(tx)) throw notFound();
  await requireQueue(tx);
  return row;
}

export async function readSignal(tx: Tx, id: string) {
  const row = await repo.findSignal(tx, id);
  if (!row) throw notFound();
  const org = ownOrganization(tx);
  if (row.receiver_organization_id === org && (await receives(tx))) {
    await tx.audit({ action: OUTREACH_AUDIT.signalRead, entityType: ENTITY, entityId: id });
    return detailOf(tx, row);
  }
  if (row.sender_organization_id === org) {
    await tx.audit({ action: OUTREACH_AUDIT.signalState, entityType: ENTITY, entityId: id });
    return { view: 'sender' as const, ...common(row) };
  }
  // the receiving organisation, without the queue
  throw forbidden();
}

export async function addAttempt(tx: Tx, id: string, input: AttemptCreate, lang: Lang) {
  const row = await loadReceived(tx, id);
  const at = input.at ? new Date(input.at) : new Date();
  const errors: FieldError[] = [];
  // a few minutes' grace for clocks; an attempt is recorded after it happened
  if (at.getTime() > Date.now() + 5 * 60_000) errors.push(fieldError('at', 'date-future', lang));
  if (at.getTime() < new Date(row.created_at).getTime() - 60_000) errors.push(fieldError('at', 'before-signal', lang));
  if (errors.length) throw invalid(...errors);
  if (row.status === 'closed') throw new AppError('conflict', [fieldError('status', 'signal-closed', lang)]);
  const reached = REACHED_OUTCOMES.includes(input.outcome);
  const attempt = await tx.db
    .insertInto('outreach_attempts')
    .values({
      signal_id: id,
      organization_id: ownOrganization(tx),
      at,
      channel: input.channel,
      outcome: input.outcome,
      note: input.note ?? null,
      created_by: tx.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const updated = await tx.db
    .updateTable('outreach_signals')
    .set({
      status: 'in-progress',
      first_attempt_at: sql`least(coalesce(first_attempt_at, ${at}::timestamptz), ${at}::timestamptz)`,
      ...(reached ? { reached_at: sql`least(coalesce(reached_at, ${at}::timestamptz), ${at}::timestamptz)` } : {}),
    })
    .where('id', '=', id)
    .where('status', '<>', 'closed')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0)
    throw new AppError('conflict', [fieldError('status', 'signal-closed', lang)]);
  await tx.audit({
    action: OUTREACH_AUDIT.attemptCreate,
    entityType: ENTITY,
    entityId: id,
    details: { attemptId: attempt.id, channel: input.channel, outcome: input.outcome },
  });
  return { id: attempt.id };
}

function splitName(name: string) {
  const parts = name.trim().split(/\s+/);
  return parts.length > 1
    ? { givenName: parts[0]!, familyName: parts.slice(1).join(' ') }
    : { givenName: parts[0]!, familyName: null };
}

export async function closeSignal(tx: Tx, id: string, input: CloseBody, lang: Lang) {
  const row = await loadReceived(tx, id);
  if (row.status === 'closed') throw new AppError('conflict', [fieldError('outcome', 'signal-closed', lang)]);
  const errors: FieldError[] = [];
  const accepted = input.outcome === 'support-accepted';
  if (accepted) {
    if (row.collective || row.erased_at || !row.contact_name) errors.push(fieldError('outcome', 'no-person', lang));
    else if (!row.reached_at) errors.push(fieldError('outcome', 'not-reached', lang));
  } else {
    for (const f of ['module', 'givenName', 'familyName', 'responsibleUserId'] as const)
      if (input[f]) errors.push(fieldError(f, 'support-accepted-only', lang));
  }
  if (input.outcome === 'unreachable' && row.attempt_count === 0)
    errors.push(fieldError('outcome', 'no-attempts', lang));
  if (errors.length) throw invalid(...errors);

  let clientId: string | null = null;
  let trajectoryId: string | null = null;
  if (accepted) {
    // the person becomes a client of the receiver only now, with what the signal holds
    const name =
      input.givenName || input.familyName
        ? { givenName: input.givenName ?? null, familyName: input.familyName ?? null }
        : splitName(row.contact_name!);
    const client = await createClient(tx, {
      identityKind: 'named',
      ...name,
      phone: row.phone,
      email: row.email,
      preferredLanguage: row.preferred_language,
      municipality: row.nis_code,
    });
    clientId = client.id;
    const module = input.module ?? (row.kind === 'bereaved' ? 'victim-support-bereavement' : 'psychosocial-support');
    trajectoryId = (
      await createTrajectory(tx, { clientId, module, responsibleUserId: input.responsibleUserId ?? null })
    ).id;
  }
  const closed = await tx.db
    .updateTable('outreach_signals')
    .set({
      status: 'closed',
      outcome: input.outcome,
      close_note: input.note ?? null,
      closed_at: new Date(),
      closed_by: tx.actor.userId,
      client_id: clientId,
      trajectory_id: trajectoryId,
    })
    .where('id', '=', id)
    .where('status', '<>', 'closed')
    .executeTakeFirst();
  if (Number(closed.numUpdatedRows) === 0)
    throw new AppError('conflict', [fieldError('outcome', 'signal-closed', lang)]);
  await tx.audit({
    action: OUTREACH_AUDIT.signalClose,
    entityType: ENTITY,
    entityId: id,
    details: { outcome: input.outcome, clientId, trajectoryId },
  });
  return readSignal(tx, id);
}

// ---- counts ----

/** Quarter `YYYY-Qn` as Brussels dates. */
export function quarterDates(quarter: string) {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(6));
  const from = `${year}-${String(3 * q - 2).padStart(2, '0')}-01`;
  const last = new Date(Date.UTC(year, 3 * q, 0)).toISOString().slice(0, 10);
  return { from, to: last };
}

/**
 * The funder's outreach figures of a receiving organisation over Brussels dates `fromDate`..`toDate` (inclusive):
 * proactive contacts (signals in which the person was first reached in the period) and support started after
 * outreach (signals closed with support accepted in the period). Survive the retention erasure.
 */
export function outreachFigures(tx: Tx, organizationId: string, fromDate: string, toDate: string) {
  return repo.figures(tx, organizationId, fromDate, toDate);
}

export async function stats(tx: Tx, quarter: string) {
  const { from, to } = quarterDates(quarter);
  const figures = await outreachFigures(tx, ownOrganization(tx), from, to);
  // group sessions and support to facilities count for the funder beside the signals (features/groups)
  const groupWork = await groupWorkFigures(tx, ownOrganization(tx), from, to);
  await tx.audit({ action: OUTREACH_AUDIT.stats, details: { quarter } });
  return { quarter, from, to, ...figures, ...groupWork };
}

// ---- network settings: routing, targets, retention ----

async function receivers(tx: Tx) {
  return tx.db
    .selectFrom('organizations')
    .select(['id', 'name', 'kind'])
    .where('network_id', '=', tx.actor.networkId)
    .where('active', '=', true)
    .where('kind', 'not in', [...repo.SENDER_ONLY_KINDS])
    .orderBy('name')
    .execute();
}

export async function readOutreachSettings(tx: Tx) {
  const settings = await settingsOfNetwork(tx);
  const routes = await tx.db
    .selectFrom('outreach_routes as r')
    .innerJoin('organizations as o', 'o.id', 'r.organization_id')
    .leftJoin('municipalities as m', 'm.nis_code', 'r.nis_code')
    .select(['r.kind', 'r.nis_code', 'r.organization_id', 'o.name', 'm.name_nl'])
    .where('r.network_id', '=', tx.actor.networkId)
    .orderBy('r.kind')
    .orderBy(sql`r.nis_code is not null`)
    .orderBy('m.name_nl')
    .execute();
  return {
    ...settings,
    routes: routes.map((r) => ({
      kind: r.kind as SignalCreate['kind'],
      municipalityNis: r.nis_code,
      organizationId: r.organization_id,
      municipalityName: r.name_nl,
      organizationName: r.name,
    })),
    receivers: await receivers(tx),
    defaults: { ...DEFAULT_OUTREACH },
  };
}

/** Replaces the network's outreach settings and routes at once; every bad field reported, nothing stored. */
export async function updateOutreachSettings(tx: Tx, input: OutreachSettingsUpdate, lang: Lang) {
  const errors: FieldError[] = [];
  for (const key of OUTREACH_SETTING_KEYS) {
    const { min, max } = OUTREACH_LIMITS[key];
    if (input[key] < min || input[key] > max)
      errors.push({
        field: key,
        code: 'out-of-range',
        message:
          lang === 'nl'
            ? `Geef een geheel getal van ${min} tot en met ${max}.`
            : `Enter a whole number from ${min} to ${max}.`,
      });
  }
  const allowed = new Set((await receivers(tx)).map((o) => o.id));
  const nisCodes = [...new Set(input.routes.map((r) => r.municipalityNis).filter((n): n is string => !!n))];
  const known = new Set(
    nisCodes.length
      ? (await tx.db.selectFrom('municipalities').select('nis_code').where('nis_code', 'in', nisCodes).execute()).map(
          (m) => m.nis_code,
        )
      : [],
  );
  const seen = new Set<string>();
  input.routes.forEach((r, i) => {
    if (!allowed.has(r.organizationId)) errors.push(fieldError(`routes.${i}.organizationId`, 'receiver-unknown', lang));
    if (r.municipalityNis && !known.has(r.municipalityNis))
      errors.push(fieldError(`routes.${i}.municipalityNis`, 'municipality-unknown', lang));
    const key = `${r.kind}/${r.municipalityNis ?? ''}`;
    if (seen.has(key)) errors.push(fieldError(`routes.${i}.municipalityNis`, 'route-duplicate', lang));
    seen.add(key);
  });
  if (errors.length) throw invalid(...errors);
  const values = Object.fromEntries(OUTREACH_SETTING_KEYS.map((k) => [k, input[k]]));
  await tx.db
    .updateTable('networks')
    .set({ outreach_settings: sql`outreach_settings || ${JSON.stringify(values)}::jsonb` })
    .where('id', '=', tx.actor.networkId)
    .execute();
  await tx.db.deleteFrom('outreach_routes').where('network_id', '=', tx.actor.networkId).execute();
  if (input.routes.length)
    await tx.db
      .insertInto('outreach_routes')
      .values(
        input.routes.map((r) => ({
          network_id: tx.actor.networkId,
          kind: r.kind,
          nis_code: r.municipalityNis,
          organization_id: r.organizationId,
        })),
      )
      .execute();
  await tx.audit({
    action: OUTREACH_AUDIT.settingsUpdate,
    entityType: 'network',
    entityId: tx.actor.networkId,
    details: { ...values, routes: input.routes.length },
  });
  return readOutreachSettings(tx);
}

// ---- retention ----

const SYSTEM_REQUEST = { ip: '127.0.0.1', userAgent: 'outreach-retention', requestId: 'outreach-retention' };

/**
 * Erases the personal data of signals closed longer ago than their network's retention (contact, note, relation,
 * date of death, closing note, the attempts' notes), keeping kind, municipality, dates and outcomes, so the counts
 * stay. Runs per receiving organisation in its own tenant transaction (row-level security applies as for a request)
 * and writes one audit row per organisation that had something to erase. Returns how many signals were erased.
 */
export async function eraseExpiredSignals(db: Database, now: Date = new Date()) {
  const organizations = await db.owner
    .selectFrom('organizations as o')
    .innerJoin('networks as n', 'n.id', 'o.network_id')
    .select(['o.id', 'o.network_id', 'n.outreach_settings'])
    .where('o.kind', 'not in', [...repo.SENDER_ONLY_KINDS])
    .execute();
  let erased = 0;
  for (const org of organizations) {
    const { retentionMonths } = outreachSettingsOf(org.outreach_settings);
    const actor: Actor = {
      kind: 'user',
      userId: null,
      tokenId: null,
      membershipId: null,
      organizationId: org.id,
      networkId: org.network_id,
      role: null,
      permissions: new Set(),
      session: null,
    };
    erased += await inTenant(
      db.app,
      actor,
      { ...SYSTEM_REQUEST, requestId: `outreach-retention-${org.id}` },
      async (tx) => {
        const rows = await tx.db
          .updateTable('outreach_signals')
          .set({
            contact_name: null,
            phone: null,
            email: null,
            preferred_language: null,
            preferred_moment: null,
            relation: null,
            date_of_death: null,
            note: null,
            close_note: null,
            erased_at: now,
          })
          .where('receiver_organization_id', '=', org.id)
          .where('erased_at', 'is', null)
          .where('closed_at', '<', sql<Date>`${now}::timestamptz - make_interval(months => ${retentionMonths})`)
          .returning('id')
          .execute();
        if (!rows.length) return 0;
        await tx.db
          .updateTable('outreach_attempts')
          .set({ note: null })
          .where(
            'signal_id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
        await tx.audit({
          action: OUTREACH_AUDIT.retentionErase,
          entityType: 'organization',
          entityId: org.id,
          details: { signals: rows.length, retentionMonths },
        });
        return rows.length;
      },
    );
  }
  return erased;
}
