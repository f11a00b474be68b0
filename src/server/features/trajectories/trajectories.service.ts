import type { Tx } from '../../core/db/tenant.ts';
import { hasAccess, ownOrganization, requireAccess } from '../../core/access.ts';
import { AppError, invalid, notFound, type FieldError } from '../../core/http/errors.ts';
import { displayName } from '../clients/index.ts';
import { brusselsDate } from '../referrals/index.ts';
import * as repo from './trajectories.repository.ts';
import { TRAJECTORY_AUDIT } from './trajectories.audit.ts';
import { trajectoryBundle } from './fhir.ts';
import type {
  ContactCreate,
  ContactUpdate,
  TrajectoryCreate,
  TrajectoryList,
  TransitionBody,
} from './trajectories.schema.ts';
import type { TrajectoryRow } from '../../core/db/schema.ts';

/** Referral statuses from which the receiver may start a trajectory: accepted, up to and after the first contact. */
const REFERRAL_STARTABLE = ['accepted', 'scheduled', 'first-contact', 'missed', 'completed'];
export const NO_CONTACT_DAYS = 30;
const DAY_MS = 86_400_000;

type Action = TransitionBody['action'];
/** The lifecycle: planned → active ⇄ on-hold → finished | cancelled; `start-support` moves onthaal to begeleiding. */
const TRANSITIONS: Record<Action, { from: readonly string[]; to: string }> = {
  'start-support': { from: ['planned', 'active'], to: 'active' },
  pause: { from: ['active'], to: 'on-hold' },
  resume: { from: ['on-hold'], to: 'active' },
  finish: { from: ['active', 'on-hold'], to: 'finished' },
  cancel: { from: ['planned', 'active', 'on-hold'], to: 'cancelled' },
};

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());
const auditOf = (
  row: Pick<TrajectoryRow, 'id' | 'client_id'>,
  action: string,
  details: Record<string, string | number | boolean | null> = {},
) => ({
  action,
  entityType: 'trajectory',
  entityId: row.id,
  details: { clientId: row.client_id, ...details },
});

async function loadOwn(tx: Tx, id: string): Promise<TrajectoryRow> {
  const row = await repo.findTrajectory(tx, id);
  if (!row) throw notFound();
  return row;
}

/**
 * Whole days on the Brussels calendar since the last contact that took place, or since the start when there is none:
 * the days a worker counts (a contact on 20 October is 45 days ago on 4 December, whatever the hour of either).
 */
export function daysWithoutContact(startDate: string, lastContact: Date | string | null, today = brusselsDate()) {
  const since = lastContact ? brusselsDate(new Date(lastContact)) : startDate;
  return Math.max(0, Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${since}T00:00:00Z`)) / DAY_MS));
}

/** "No contact for 30 days": running (active or paused) and more than 30 calendar days without one. */
export function noRecentContact(
  status: string,
  startDate: string,
  lastContact: Date | string | null,
  today = brusselsDate(),
) {
  if (status !== 'active' && status !== 'on-hold') return false;
  return daysWithoutContact(startDate, lastContact, today) > NO_CONTACT_DAYS;
}

function summary(row: repo.ListRow | repo.DetailRow) {
  return {
    id: row.id,
    clientId: row.client_id,
    clientDisplayName: displayName(row),
    module: row.module,
    phase: row.phase,
    status: row.status,
    startDate: row.start_date,
    endDate: row.end_date,
    responsibleUserId: row.responsible_user_id,
    responsibleDisplayName: row.responsible_display_name,
    lastContactAt: row.last_contact_at ? iso(row.last_contact_at) : null,
    noRecentContact: noRecentContact(row.status, row.start_date, row.last_contact_at),
  };
}

export async function createTrajectory(tx: Tx, input: TrajectoryCreate) {
  const organizationId = ownOrganization(tx);
  const errors: FieldError[] = [];
  if (!(await hasAccess(tx, 'client', input.clientId))) errors.push({ field: 'clientId', code: 'client-unknown' });
  const responsible = input.responsibleUserId ?? tx.actor.userId;
  if (!responsible) errors.push({ field: 'responsibleUserId', code: 'required' });
  else if (!(await repo.isMember(tx, responsible)))
    errors.push({ field: 'responsibleUserId', code: 'responsible-unknown' });
  if (input.offerId) {
    const offer = await tx.db
      .selectFrom('offers')
      .select('id')
      .where('id', '=', input.offerId)
      .where('network_id', '=', tx.actor.networkId)
      .executeTakeFirst();
    if (!offer) errors.push({ field: 'offerId', code: 'offer-unknown' });
  }
  if (input.teamId) {
    const team = await tx.db
      .selectFrom('teams')
      .select('id')
      .where('id', '=', input.teamId)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    if (!team) errors.push({ field: 'teamId', code: 'team-unknown' });
  }
  if (input.helpRequestId) {
    const help = await tx.db
      .selectFrom('help_requests')
      .select('client_id')
      .where('id', '=', input.helpRequestId)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    if (!help || help.client_id !== input.clientId)
      errors.push({ field: 'helpRequestId', code: 'help-request-unknown' });
  }
  if (input.referralId) {
    const referral = await tx.db
      .selectFrom('referrals')
      .select(['status', 'receiver_client_id'])
      .where('id', '=', input.referralId)
      .where('receiver_organization_id', '=', organizationId)
      .executeTakeFirst();
    if (!referral || !REFERRAL_STARTABLE.includes(referral.status) || referral.receiver_client_id !== input.clientId)
      errors.push({ field: 'referralId', code: 'referral-not-accepted' });
  }
  const startDate = input.startDate ?? brusselsDate();
  if (errors.length) throw invalid(...errors);
  if (input.referralId) {
    const existing = await tx.db
      .selectFrom('trajectories')
      .select('id')
      .where('referral_id', '=', input.referralId)
      .where('status', '<>', 'cancelled')
      .executeTakeFirst();
    if (existing) throw new AppError('conflict', [{ field: 'referralId', code: 'trajectory-exists' }]);
  }
  const row = await tx.db
    .insertInto('trajectories')
    .values({
      organization_id: organizationId,
      network_id: tx.actor.networkId,
      client_id: input.clientId,
      module: input.module,
      offer_id: input.offerId ?? null,
      team_id: input.teamId ?? null,
      referral_id: input.referralId ?? null,
      help_request_id: input.helpRequestId ?? null,
      responsible_user_id: responsible!,
      start_date: startDate,
      created_by: tx.actor.userId,
    })
    .returning(['id', 'client_id', 'status'])
    .executeTakeFirstOrThrow();
  await tx.db
    .insertInto('trajectory_events')
    .values({
      trajectory_id: row.id,
      organization_id: organizationId,
      actor_user_id: tx.actor.userId,
      action: 'create',
      to_status: row.status,
      phase: 'intake',
      reason: input.referralId ? 'referral' : input.helpRequestId ? 'help-request' : null,
    })
    .execute();
  await tx.audit(
    auditOf(row, TRAJECTORY_AUDIT.trajectoryCreate, {
      module: input.module,
      referralId: input.referralId ?? null,
      responsibleUserId: responsible!,
    }),
  );
  return { id: row.id };
}

export async function listTrajectories(tx: Tx, input: TrajectoryList) {
  const box = input.box ?? 'mine';
  if (input.clientId) await requireAccess(tx, 'client', input.clientId);
  // "mine" without a status filter is the work list: what is still running
  const mineRunning = box === 'mine' && !input.status;
  const rows = await repo.listTrajectories(tx, {
    responsibleUserId: box === 'mine' ? (tx.actor.userId ?? '00000000-0000-0000-0000-000000000000') : undefined,
    status: input.status,
    clientId: input.clientId,
    referralId: input.referralId,
  });
  const items = rows.filter((r) => !mineRunning || ['planned', 'active', 'on-hold'].includes(r.status)).map(summary);
  await tx.audit({
    action: TRAJECTORY_AUDIT.trajectoryList,
    details: { box, count: items.length, ...(input.clientId ? { clientId: input.clientId } : {}) },
  });
  return { items };
}

/** The page's view of a trajectory, from the one statement of repo.findTrajectoryDetail. */
function detailOf(row: repo.DetailRow) {
  return {
    ...summary(row),
    offerId: row.offer_id,
    offerName: row.offer_name,
    teamId: row.team_id,
    referralId: row.referral_id,
    helpRequestId: row.help_request_id,
    outcome: row.outcome,
    closeReason: row.close_reason,
    closeReasonText: row.close_reason_text,
    createdAt: iso(row.created_at),
    history: row.events.map((e) => ({
      at: iso(e.at),
      action: e.action,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      phase: e.phase,
      reason: e.reason,
      actorDisplayName: e.display_name,
    })),
    contacts: row.contacts.map((k) => ({
      id: k.id,
      at: iso(k.at),
      minutes: k.minutes,
      kind: k.kind,
      withClient: k.with_client,
      supportPersons: k.support_persons,
      otherOrganizations: k.other_organizations,
      noShow: k.no_show,
      note: k.note,
      version: k.version,
      createdByDisplayName: k.created_by_name,
      updatedAt: iso(k.updated_at),
      updatedByDisplayName: k.updated_by_name,
    })),
  };
}

async function loadDetail(tx: Tx, id: string): Promise<repo.DetailRow> {
  const row = await repo.findTrajectoryDetail(tx, id);
  if (!row) throw notFound();
  return row;
}

export async function readTrajectory(tx: Tx, id: string) {
  const row = await loadDetail(tx, id);
  await tx.audit(auditOf(row, TRAJECTORY_AUDIT.trajectoryRead));
  return detailOf(row);
}

export async function transition(tx: Tx, id: string, input: TransitionBody) {
  const row = await loadOwn(tx, id);
  const rule = TRANSITIONS[input.action];
  const errors: FieldError[] = [];
  const endDate = input.endDate ?? brusselsDate();
  if (input.action === 'finish') {
    if (!input.outcome) errors.push({ field: 'outcome', code: 'required' });
    if (!input.reason) errors.push({ field: 'reason', code: 'required' });
    if (input.reason === 'other' && !input.reasonText)
      errors.push({ field: 'reasonText', code: 'reason-text-required' });
  }
  if ((input.action === 'finish' || input.action === 'cancel') && endDate < row.start_date)
    errors.push({ field: 'endDate', code: 'end-before-start' });
  if (errors.length) throw invalid(...errors);
  const intoSupport = input.action === 'start-support';
  if (!rule.from.includes(row.status) || (intoSupport && row.phase === 'support'))
    throw new AppError('conflict', [{ field: 'action', code: 'transition-not-allowed' }]);
  const closing = input.action === 'finish' || input.action === 'cancel';
  // the status is compared again in the update: two steps at the same moment cannot both pass
  const updated = await tx.db
    .updateTable('trajectories')
    .set({
      status: rule.to,
      updated_at: new Date(),
      ...(intoSupport ? { phase: 'support' } : {}),
      ...(closing
        ? {
            end_date: endDate,
            outcome: input.action === 'finish' ? input.outcome! : null,
            close_reason: input.reason ?? null,
            close_reason_text: input.reasonText ?? null,
          }
        : {}),
    })
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .where('phase', '=', row.phase)
    .returning('id')
    .executeTakeFirst();
  if (!updated) throw new AppError('conflict', [{ field: 'action', code: 'transition-not-allowed' }]);
  await tx.db
    .insertInto('trajectory_events')
    .values({
      trajectory_id: row.id,
      organization_id: row.organization_id,
      actor_user_id: tx.actor.userId,
      action: input.action,
      from_status: row.status,
      to_status: rule.to,
      phase: intoSupport ? 'support' : row.phase,
      reason: input.reason ?? input.note ?? null,
    })
    .execute();
  await tx.audit(auditOf(row, TRAJECTORY_AUDIT.trajectoryTransition, { action: input.action, toStatus: rule.to }));
  return readTrajectoryQuiet(tx, row.id);
}

/** The detail after a change: the change's own audit entry says it was read. */
async function readTrajectoryQuiet(tx: Tx, id: string) {
  return detailOf(await loadDetail(tx, id));
}

export async function addContact(tx: Tx, id: string, input: ContactCreate) {
  const row = await loadOwn(tx, id);
  if (row.status === 'finished' || row.status === 'cancelled')
    throw new AppError('conflict', [{ field: 'status', code: 'transition-not-allowed' }]);
  const contact = await tx.db
    .insertInto('trajectory_contacts')
    .values({
      trajectory_id: row.id,
      organization_id: row.organization_id,
      at: input.at,
      minutes: input.minutes,
      kind: input.kind,
      with_client: input.withClient ?? true,
      support_persons: input.supportPersons ?? null,
      other_organizations: input.otherOrganizations ?? null,
      no_show: input.noShow ?? false,
      note: input.note ?? null,
      created_by: tx.actor.userId,
      updated_by: tx.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // the first contact that took place starts a planned trajectory (onthaal)
  if (row.status === 'planned' && !(input.noShow ?? false)) {
    await tx.db
      .updateTable('trajectories')
      .set({ status: 'active', updated_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    await tx.db
      .insertInto('trajectory_events')
      .values({
        trajectory_id: row.id,
        organization_id: row.organization_id,
        actor_user_id: tx.actor.userId,
        action: 'first-contact',
        from_status: 'planned',
        to_status: 'active',
        phase: row.phase,
        reason: null,
      })
      .execute();
  }
  await tx.audit(auditOf(row, TRAJECTORY_AUDIT.contactCreate, { contactId: contact.id, kind: input.kind }));
  return { id: contact.id };
}

export async function updateContact(tx: Tx, id: string, contactId: string, input: ContactUpdate) {
  const row = await loadOwn(tx, id);
  const contact = await repo.findContact(tx, row.id, contactId);
  if (!contact) throw notFound();
  if (contact.version !== input.version)
    throw new AppError('conflict', [{ field: 'version', code: 'contact-changed' }]);
  await tx.db
    .insertInto('trajectory_contact_versions')
    .values({
      contact_id: contact.id,
      organization_id: contact.organization_id,
      version: contact.version,
      at: contact.at,
      minutes: contact.minutes,
      kind: contact.kind,
      with_client: contact.with_client,
      support_persons: contact.support_persons,
      other_organizations: contact.other_organizations,
      no_show: contact.no_show,
      note: contact.note,
      written_by: contact.updated_by,
      written_at: contact.updated_at,
      replaced_by: tx.actor.userId,
    })
    .execute();
  const changed = await tx.db
    .updateTable('trajectory_contacts')
    .set({
      ...(input.at !== undefined ? { at: input.at } : {}),
      ...(input.minutes !== undefined ? { minutes: input.minutes } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.withClient !== undefined ? { with_client: input.withClient } : {}),
      ...(input.supportPersons !== undefined ? { support_persons: input.supportPersons } : {}),
      ...(input.otherOrganizations !== undefined ? { other_organizations: input.otherOrganizations } : {}),
      ...(input.noShow !== undefined ? { no_show: input.noShow } : {}),
      ...(input.note !== undefined ? { note: input.note } : {}),
      version: contact.version + 1,
      updated_by: tx.actor.userId,
      updated_at: new Date(),
    })
    .where('id', '=', contact.id)
    .where('version', '=', contact.version)
    .returning('id')
    .executeTakeFirst();
  // a concurrent edit got in between the read and the update: refuse rather than lose it (the version row rolls back)
  if (!changed) throw new AppError('conflict', [{ field: 'version', code: 'contact-changed' }]);
  await tx.audit(auditOf(row, TRAJECTORY_AUDIT.contactUpdate, { contactId, version: contact.version + 1 }));
  return { id: contact.id, version: contact.version + 1 };
}

export async function contactVersions(tx: Tx, id: string, contactId: string) {
  const row = await loadOwn(tx, id);
  const contact = await repo.findContact(tx, row.id, contactId);
  if (!contact) throw notFound();
  const versions = await repo.contactVersions(tx, contactId);
  await tx.audit(auditOf(row, TRAJECTORY_AUDIT.contactVersionsRead, { contactId }));
  return {
    items: versions.map((v) => ({
      version: v.version,
      at: iso(v.at),
      minutes: v.minutes,
      kind: v.kind,
      withClient: v.with_client,
      supportPersons: v.support_persons,
      otherOrganizations: v.other_organizations,
      noShow: v.no_show,
      note: v.note,
      writtenAt: iso(v.written_at),
      writtenByDisplayName: v.written_by_name,
      replacedAt: iso(v.replaced_at),
      replacedByDisplayName: v.replaced_by_name,
    })),
  };
}

export async function trajectoryFhir(tx: Tx, id: string) {
  const row = await loadDetail(tx, id);
  await tx.audit(auditOf(row, TRAJECTORY_AUDIT.trajectoryFhir));
  return trajectoryBundle(row, detailOf(row), ownOrganization(tx));
}
