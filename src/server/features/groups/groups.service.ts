import { sql } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import { accessibleIds, hasAccess, ownOrganization } from '../../core/access.ts';
import { AppError, invalid, notFound, type FieldError } from '../../core/http/errors.ts';
import type { GroupRow, GroupSessionRow } from '../../core/db/schema.ts';
import { brusselsDateTime } from '../../core/brussels-time.ts';
import { displayName } from '../clients/index.ts';
import { brusselsDate } from '../referrals/index.ts';
import { createOffer, updateOffer } from '../offers/index.ts';
import * as repo from './groups.repository.ts';
import { GROUP_AUDIT } from './groups.audit.ts';
import {
  PUBLISHABLE_AUDIENCES,
  type AttendanceBody,
  type Figures,
  type GroupCreate,
  type GroupUpdate,
  type Publication,
  type RegistrationCreate,
  type SessionCancel,
  type SessionCreate,
} from './groups.schema.ts';

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());
const conflict = (field: string, code: string) => new AppError('conflict', [{ field, code }]);
/** How many next sessions the catalogue offer names. */
const NEXT_SESSIONS_SHOWN = 4;

async function loadGroup(tx: Tx, id: string, lock = false): Promise<GroupRow> {
  const row = await repo.findGroup(tx, id, lock);
  if (!row) throw notFound();
  return row;
}
async function loadSession(tx: Tx, id: string): Promise<GroupSessionRow> {
  const row = await repo.findSession(tx, id);
  if (!row) throw notFound();
  return row;
}

/** Field checks the schema cannot make: the theme in the taxonomy, the municipality, facilitators of the organisation. */
async function checkGroup(tx: Tx, input: GroupUpdate) {
  const errors: FieldError[] = [];
  if (input.theme && (await repo.unknownTheme(tx, input.theme))) errors.push({ field: 'theme', code: 'theme-unknown' });
  if (input.municipalityNis && !(await repo.municipalityExists(tx, input.municipalityNis)))
    errors.push({ field: 'municipalityNis', code: 'municipality-unknown' });
  const facilitatorIds = input.facilitatorIds ?? [];
  const members = new Set((await repo.activeMembers(tx, facilitatorIds)).map((m) => m.id));
  facilitatorIds.forEach(
    (id, i) => !members.has(id) && errors.push({ field: `facilitatorIds.${i}`, code: 'responsible-unknown' }),
  );
  if (errors.length) throw invalid(...errors);
}

export async function createGroup(tx: Tx, input: GroupCreate) {
  await checkGroup(tx, input);
  const row = await tx.db
    .insertInto('groups')
    .values({
      organization_id: ownOrganization(tx),
      network_id: tx.actor.networkId,
      title: input.title.trim(),
      description: input.description?.trim() || null,
      audience: input.audience,
      module: input.module ?? null,
      theme: input.theme ?? null,
      facilitator_ids: input.facilitatorIds ?? (tx.actor.userId ? [tx.actor.userId] : []),
      location: input.location?.trim() || null,
      municipality_nis: input.municipalityNis ?? null,
      online: input.online ?? false,
      capacity: input.capacity ?? null,
      created_by: tx.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx.audit({
    action: GROUP_AUDIT.groupCreate,
    entityType: 'group',
    entityId: row.id,
    details: { audience: input.audience },
  });
  return { id: row.id };
}

function summary(row: repo.GroupListRow & { published: boolean }) {
  return {
    id: row.id,
    title: row.title,
    audience: row.audience as GroupCreate['audience'],
    module: row.module,
    theme: row.theme,
    capacity: row.capacity,
    registered: row.registered,
    waiting: row.waiting,
    nextSessionAt: row.next_session_at ? iso(row.next_session_at) : null,
    sessionsHeld: row.sessions_held,
    published: row.published,
  };
}

async function listRows(tx: Tx, id?: string) {
  const rows = await repo.listGroups(tx, id);
  const offerIds = rows.map((r) => r.offer_id).filter((id): id is string => !!id);
  const published = new Set(
    offerIds.length
      ? (
          await tx.db
            .selectFrom('offers')
            .select('id')
            .where('id', 'in', offerIds)
            .where('is_public', '=', true)
            .where('active', '=', true)
            .execute()
        ).map((o) => o.id)
      : [],
  );
  return rows.map((r) => ({ ...r, published: !!r.offer_id && published.has(r.offer_id) }));
}

export async function listGroups(tx: Tx) {
  const items = (await listRows(tx)).map(summary);
  await tx.audit({ action: GROUP_AUDIT.groupList, details: { count: items.length } });
  return { items };
}

/** The count of one session: the larger of the headcount and the named participants who attended. */
export const sessionCount = (s: Pick<GroupSessionRow, 'status' | 'headcount'>, named: number) =>
  s.status === 'cancelled' ? 0 : Math.max(s.headcount ?? 0, named);

async function detailOf(tx: Tx, id: string) {
  const [row] = await listRows(tx, id);
  if (!row) throw notFound();
  const sessions = await repo.sessionsOf(tx, id);
  const attendance = await repo.attendanceOf(
    tx,
    sessions.map((s) => s.id),
  );
  const registrations = await repo.registrationsOf(tx, id);
  const facilitators = await repo.activeMembers(tx, row.facilitator_ids);
  const named = new Map<string, string[]>();
  for (const a of attendance) named.set(a.session_id, [...(named.get(a.session_id) ?? []), a.client_id]);
  return {
    ...summary(row),
    description: row.description,
    facilitators: row.facilitator_ids
      .map((fid) => facilitators.find((f) => f.id === fid))
      .filter((f): f is { id: string; display_name: string } => !!f)
      .map((f) => ({ id: f.id, displayName: f.display_name })),
    location: row.location,
    municipalityNis: row.municipality_nis,
    online: row.online,
    offerId: row.offer_id,
    createdAt: iso(row.created_at),
    sessions: sessions.map((s) => {
      const participants = named.get(s.id) ?? [];
      return {
        id: s.id,
        startsAt: iso(s.starts_at),
        minutes: s.minutes,
        status: s.status as 'planned' | 'cancelled',
        cancelReason: s.cancel_reason,
        headcount: s.headcount,
        ageBand: s.age_band,
        attendanceRecorded: s.attendance_recorded_at !== null,
        participants,
        count: sessionCount(s, participants.length),
      };
    }),
    registrations: registrations.map((r) => ({
      clientId: r.client_id,
      displayName: displayName(r),
      status: r.status as 'registered' | 'waiting',
      registeredAt: iso(r.registered_at),
    })),
  };
}

export async function readGroup(tx: Tx, id: string) {
  const detail = await detailOf(tx, id);
  // the named participants are people: the read shows in the audit trail with their number
  await tx.audit({
    action: GROUP_AUDIT.groupRead,
    entityType: 'group',
    entityId: id,
    details: { registrations: detail.registrations.length },
  });
  return detail;
}

export async function updateGroup(tx: Tx, groupId: string, input: GroupUpdate) {
  await loadGroup(tx, groupId, true);
  await checkGroup(tx, input);
  const set: Record<string, unknown> = {};
  if (input.title !== undefined) set.title = input.title.trim();
  if (input.module !== undefined) set.module = input.module;
  if (input.theme !== undefined) set.theme = input.theme;
  if (input.description !== undefined) set.description = input.description?.trim() || null;
  if (input.facilitatorIds !== undefined) set.facilitator_ids = input.facilitatorIds;
  if (input.location !== undefined) set.location = input.location?.trim() || null;
  if (input.municipalityNis !== undefined) set.municipality_nis = input.municipalityNis;
  if (input.online !== undefined) set.online = input.online;
  if (input.capacity !== undefined) set.capacity = input.capacity;
  const group = await tx.db
    .updateTable('groups')
    .set(set as never)
    .where('id', '=', groupId)
    .where('organization_id', '=', ownOrganization(tx))
    .returningAll()
    .executeTakeFirstOrThrow();
  // more places (or none as maximum): the waiting list moves up, first come first served; fewer places send
  // nobody away, the waiting list simply stops moving until enough have left
  const promoted = await promoteWaiting(tx, group);
  await tx.audit({
    action: GROUP_AUDIT.groupUpdate,
    entityType: 'group',
    entityId: groupId,
    details: { fields: Object.keys(input).join(','), promoted: promoted.length },
  });
  await refreshOffer(tx, group);
  return detailOf(tx, groupId);
}

/** Gives free places to the first on the waiting list (the group row is locked by the caller). */
async function promoteWaiting(tx: Tx, group: GroupRow): Promise<string[]> {
  const free = group.capacity === null ? Infinity : group.capacity - (await repo.registeredCount(tx, group.id));
  if (free <= 0) return [];
  let q = tx.db
    .selectFrom('group_registrations')
    .select(['id', 'client_id'])
    .where('group_id', '=', group.id)
    .where('status', '=', 'waiting')
    .orderBy('registered_at')
    .orderBy('id');
  if (Number.isFinite(free)) q = q.limit(free);
  const next = await q.execute();
  for (const r of next) {
    await tx.db.updateTable('group_registrations').set({ status: 'registered' }).where('id', '=', r.id).execute();
    await tx.audit({
      action: GROUP_AUDIT.register,
      entityType: 'group',
      entityId: group.id,
      details: { clientId: r.client_id, status: 'registered', promoted: true },
    });
  }
  return next.map((r) => r.client_id);
}

export async function addSession(tx: Tx, groupId: string, input: SessionCreate) {
  const group = await loadGroup(tx, groupId);
  const row = await tx.db
    .insertInto('group_sessions')
    .values({
      organization_id: group.organization_id,
      group_id: group.id,
      starts_at: input.startsAt,
      minutes: input.minutes,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx.audit({
    action: GROUP_AUDIT.sessionCreate,
    entityType: 'group-session',
    entityId: row.id,
    details: { groupId },
  });
  await refreshOffer(tx, group);
  return { id: row.id };
}

export async function cancelSession(tx: Tx, sessionId: string, input: SessionCancel) {
  const session = await loadSession(tx, sessionId);
  if (session.status === 'cancelled') throw conflict('status', 'session-cancelled');
  // attendance recorded means it took place: cancelling it would silently drop it from the figures
  if (session.attendance_recorded_at) throw conflict('status', 'attendance-recorded');
  const updated = await tx.db
    .updateTable('group_sessions')
    .set({ status: 'cancelled', cancel_reason: input.reason?.trim() || null })
    .where('id', '=', sessionId)
    .where('status', '=', 'planned')
    .where('attendance_recorded_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!updated) throw conflict('status', 'session-cancelled');
  await tx.audit({
    action: GROUP_AUDIT.sessionCancel,
    entityType: 'group-session',
    entityId: sessionId,
    details: { groupId: session.group_id },
  });
  await refreshOffer(tx, await loadGroup(tx, session.group_id));
  return detailOf(tx, session.group_id);
}

export async function recordAttendance(tx: Tx, sessionId: string, input: AttendanceBody) {
  const session = await loadSession(tx, sessionId);
  const errors: FieldError[] = [];
  if ((input.headcount === undefined || input.headcount === null) && input.participants === undefined)
    errors.push({ field: 'headcount', code: 'attendance-required' });
  const participants = input.participants ?? [];
  if (participants.length) {
    const mine = await accessibleIds(tx, 'client', participants);
    const registered = new Map(
      (
        await tx.db
          .selectFrom('group_registrations')
          .select(['client_id', 'status'])
          .where('group_id', '=', session.group_id)
          .where('client_id', 'in', participants)
          .execute()
      ).map((r) => [r.client_id, r.status]),
    );
    participants.forEach((clientId, i) => {
      const field = `participants.${i}`;
      if (!mine.has(clientId)) errors.push({ field, code: 'client-unknown' });
      else if (registered.get(clientId) === 'waiting') errors.push({ field, code: 'participant-waiting' });
      else if (registered.get(clientId) !== 'registered') errors.push({ field, code: 'participant-not-registered' });
    });
  }
  if (errors.length) throw invalid(...errors);
  if (session.status === 'cancelled') throw conflict('status', 'session-cancelled');
  // nobody attends a session of a later day yet
  if (brusselsDate(new Date(session.starts_at)) > brusselsDate()) throw conflict('startsAt', 'session-in-future');

  const set: Record<string, unknown> = { attendance_recorded_at: sql`now()` };
  if (input.headcount !== undefined) set.headcount = input.headcount;
  if (input.ageBand !== undefined) set.age_band = input.ageBand;
  await tx.db
    .updateTable('group_sessions')
    .set(set as never)
    .where('id', '=', sessionId)
    .execute();
  if (input.participants !== undefined) {
    // the sheet is replaced as a whole: what is not ticked did not attend
    await tx.db.deleteFrom('group_attendance').where('session_id', '=', sessionId).execute();
    if (participants.length)
      await tx.db
        .insertInto('group_attendance')
        .values(
          participants.map((clientId) => ({
            session_id: sessionId,
            client_id: clientId,
            organization_id: session.organization_id,
          })),
        )
        .execute();
  }
  await tx.audit({
    action: GROUP_AUDIT.attendance,
    entityType: 'group-session',
    entityId: sessionId,
    details: {
      groupId: session.group_id,
      headcount: input.headcount ?? null,
      named: input.participants?.length ?? null,
    },
  });
  // each named person's file shows that their presence was written down
  for (const clientId of participants)
    await tx.audit({
      action: GROUP_AUDIT.attendance,
      entityType: 'group-session',
      entityId: sessionId,
      details: { clientId },
    });
  const detail = await detailOf(tx, session.group_id);
  return detail.sessions.find((s) => s.id === sessionId)!;
}

export async function register(tx: Tx, groupId: string, input: RegistrationCreate) {
  const group = await loadGroup(tx, groupId, true);
  const errors: FieldError[] = [];
  if (!(await hasAccess(tx, 'client', input.clientId))) errors.push({ field: 'clientId', code: 'client-unknown' });
  if (!input.consent) errors.push({ field: 'consent', code: 'consent-required' });
  if (errors.length) throw invalid(...errors);
  const existing = await tx.db
    .selectFrom('group_registrations')
    .select('id')
    .where('group_id', '=', groupId)
    .where('client_id', '=', input.clientId)
    .executeTakeFirst();
  if (existing) throw conflict('clientId', 'already-registered');
  const taken = await repo.registeredCount(tx, groupId);
  const status: 'waiting' | 'registered' =
    group.capacity !== null && taken >= group.capacity ? 'waiting' : 'registered';
  const row = await tx.db
    .insertInto('group_registrations')
    .values({
      organization_id: group.organization_id,
      group_id: groupId,
      client_id: input.clientId,
      status,
      consent_at: sql`now()` as never,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx.audit({
    action: GROUP_AUDIT.register,
    entityType: 'group',
    entityId: groupId,
    details: { clientId: input.clientId, status },
  });
  await refreshOffer(tx, group);
  return { id: row.id, status };
}

/** A withdrawal frees a place: the first on the waiting list takes it. */
export async function withdraw(tx: Tx, groupId: string, clientId: string) {
  const group = await loadGroup(tx, groupId, true);
  const removed = await tx.db
    .deleteFrom('group_registrations')
    .where('group_id', '=', groupId)
    .where('client_id', '=', clientId)
    .where('organization_id', '=', group.organization_id)
    .returning('status')
    .executeTakeFirst();
  if (!removed) throw notFound();
  const promotedClientId = removed.status === 'registered' ? ((await promoteWaiting(tx, group))[0] ?? null) : null;
  await tx.audit({ action: GROUP_AUDIT.withdraw, entityType: 'group', entityId: groupId, details: { clientId } });
  await refreshOffer(tx, group);
  return { promotedClientId };
}

/** What the catalogue offer of a published group says: modality group, its theme, place, the next session dates. */
async function offerFields(tx: Tx, group: GroupRow) {
  const next = await repo.upcomingSessions(tx, group.id, NEXT_SESSIONS_SHOWN);
  const full = group.capacity !== null && (await repo.registeredCount(tx, group.id)) >= group.capacity;
  const where = [group.location, group.online ? 'online' : null].filter(Boolean).join(' · ');
  return {
    name: group.title,
    description: [group.description, where].filter(Boolean).join('\n\n'),
    level: 'basic' as const,
    themes: group.theme ? [group.theme] : [],
    modalities: ['group' as const],
    municipalities: group.municipality_nis ? [group.municipality_nis] : [],
    capacity: full ? ('waitlist' as const) : ('open' as const),
    openingHours: next.length
      ? `Volgende bijeenkomsten: ${next.map((s) => brusselsDateTime(new Date(s.starts_at))).join(', ')}`
      : 'Nieuwe data volgen',
    selfReferral: true,
    isPublic: true,
    active: true,
  };
}

async function offerIsLive(tx: Tx, offerId: string | null): Promise<boolean> {
  if (!offerId) return false;
  const offer = await tx.db
    .selectFrom('offers')
    .select(['is_public', 'active'])
    .where('id', '=', offerId)
    .executeTakeFirst();
  return !!offer && offer.is_public && offer.active;
}

/** A published group keeps its offer current: next dates and whether places are left follow every change. */
async function refreshOffer(tx: Tx, group: GroupRow) {
  if (!(await offerIsLive(tx, group.offer_id))) return;
  await updateOffer(tx, group.offer_id!, await offerFields(tx, group));
}

export async function setPublication(tx: Tx, groupId: string, input: Publication) {
  const group = await loadGroup(tx, groupId, true);
  if (input.published) {
    if (!PUBLISHABLE_AUDIENCES.includes(group.audience)) throw conflict('audience', 'audience-not-public');
    if (group.offer_id) await updateOffer(tx, group.offer_id, await offerFields(tx, group));
    else {
      const offer = await createOffer(tx, await offerFields(tx, group));
      await tx.db.updateTable('groups').set({ offer_id: offer.id }).where('id', '=', groupId).execute();
    }
  } else if (group.offer_id) {
    await updateOffer(tx, group.offer_id, { isPublic: false, active: false });
  }
  await tx.audit({
    action: GROUP_AUDIT.groupPublish,
    entityType: 'group',
    entityId: groupId,
    details: { published: input.published },
  });
  return detailOf(tx, groupId);
}

/**
 * The funder's figures of one organisation over [fromDate, toDate] (Brussels dates, both included): group sessions
 * held and their participants, facilities contacted, advised and visited. The outreach statistics add these.
 */
export async function groupWorkFigures(
  tx: Tx,
  organizationId: string,
  fromDate: string,
  toDate: string,
): Promise<Figures> {
  const r = await repo.figures(tx, organizationId, fromDate, toDate);
  return {
    groupSessions: r.group_sessions,
    groupParticipants: r.group_participants,
    facilitiesContacted: r.facilities_contacted,
    facilitiesAdvised: r.facilities_advised,
    facilitiesVisited: r.facilities_visited,
  };
}

export async function figuresFor(tx: Tx, from: string, to: string) {
  if (to < from) throw invalid({ field: 'to', code: 'end-before-start' });
  const figures = await groupWorkFigures(tx, ownOrganization(tx), from, to);
  await tx.audit({ action: GROUP_AUDIT.figures, details: { from, to } });
  return figures;
}
