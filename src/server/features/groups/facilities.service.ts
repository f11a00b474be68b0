import { sql } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import { hasAccess, ownOrganization } from '../../core/access.ts';
import { AppError, invalid, notFound, type FieldError } from '../../core/http/errors.ts';
import { normalizePhone } from '../../core/phone.ts';
import { brusselsDate } from '../referrals/index.ts';
import * as repo from './groups.repository.ts';
import { GROUP_AUDIT } from './groups.audit.ts';
import type { CaseClose, CaseCreate, CaseList, FacilityContactCreate, FacilityCreate } from './groups.schema.ts';

const conflict = (field: string, code: string) => new AppError('conflict', [{ field, code }]);

export async function createFacility(tx: Tx, input: FacilityCreate) {
  const errors: FieldError[] = [];
  if (input.linkedOrganizationId) {
    const org = await tx.db
      .selectFrom('organizations')
      .select('id')
      .where('id', '=', input.linkedOrganizationId)
      .where('network_id', '=', tx.actor.networkId)
      .executeTakeFirst();
    if (!org) errors.push({ field: 'linkedOrganizationId', code: 'organization-unknown' });
  }
  if (input.municipalityNis && !(await repo.municipalityExists(tx, input.municipalityNis)))
    errors.push({ field: 'municipalityNis', code: 'municipality-unknown' });
  let phone: string | null = null;
  if (input.contactPhone?.trim()) {
    const normalized = normalizePhone(input.contactPhone);
    if (normalized.ok) phone = normalized.value;
    else errors.push({ field: 'contactPhone', code: 'phone-invalid' });
  }
  if (errors.length) throw invalid(...errors);
  const row = await tx.db
    .insertInto('facilities')
    .values({
      organization_id: ownOrganization(tx),
      network_id: tx.actor.networkId,
      name: input.name.trim(),
      kind: input.kind,
      linked_organization_id: input.linkedOrganizationId ?? null,
      municipality_nis: input.municipalityNis ?? null,
      contact_name: input.contactName?.trim() || null,
      contact_phone: phone,
      note: input.note?.trim() || null,
      created_by: tx.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx.audit({ action: GROUP_AUDIT.facilityCreate, entityType: 'facility', entityId: row.id });
  return { id: row.id };
}

export async function listFacilities(tx: Tx) {
  const rows = await tx.db
    .selectFrom('facilities as f')
    .leftJoin('organizations as o', 'o.id', 'f.linked_organization_id')
    .selectAll('f')
    .select([
      'o.name as linked_organization_name',
      sql<number>`(select count(*) from facility_cases c where c.facility_id = f.id and c.status = 'open')::int`.as(
        'open_cases',
      ),
      sql<string | null>`(select max(k.contact_date)::text from facility_contacts k where k.facility_id = f.id)`.as(
        'last_contact_date',
      ),
    ])
    .where('f.organization_id', '=', ownOrganization(tx))
    .orderBy('f.name')
    .orderBy('f.id')
    .limit(1000)
    .execute();
  await tx.audit({ action: GROUP_AUDIT.facilityList, details: { count: rows.length } });
  return {
    items: rows.map((f) => ({
      id: f.id,
      name: f.name,
      kind: f.kind as FacilityCreate['kind'],
      linkedOrganizationId: f.linked_organization_id,
      linkedOrganizationName: f.linked_organization_name,
      municipalityNis: f.municipality_nis,
      contactName: f.contact_name,
      contactPhone: f.contact_phone,
      note: f.note,
      openCases: f.open_cases,
      lastContactDate: f.last_contact_date,
    })),
  };
}

function casesQuery(tx: Tx) {
  return tx.db
    .selectFrom('facility_cases as c')
    .innerJoin('facilities as f', 'f.id', 'c.facility_id')
    .selectAll('c')
    .select([
      'f.name as facility_name',
      sql<number>`(select count(*) from facility_contacts k where k.case_id = c.id)::int`.as('contact_count'),
      sql<string | null>`(select max(k.contact_date)::text from facility_contacts k where k.case_id = c.id)`.as(
        'last_contact_date',
      ),
    ])
    .where('c.organization_id', '=', ownOrganization(tx));
}
type CaseRow = Awaited<ReturnType<ReturnType<typeof casesQuery>['execute']>>[number];

const caseSummary = (c: CaseRow) => ({
  id: c.id,
  facilityId: c.facility_id,
  facilityName: c.facility_name,
  origin: c.origin as CaseCreate['origin'],
  reason: c.reason,
  openedOn: c.opened_on,
  status: c.status as 'open' | 'closed',
  closedOn: c.closed_on,
  contacts: c.contact_count,
  lastContactDate: c.last_contact_date,
});

export async function createCase(tx: Tx, input: CaseCreate) {
  const errors: FieldError[] = [];
  if (!(await hasAccess(tx, 'facility', input.facilityId)))
    errors.push({ field: 'facilityId', code: 'facility-unknown' });
  const openedOn = input.openedOn ?? brusselsDate();
  if (openedOn > brusselsDate()) errors.push({ field: 'openedOn', code: 'date-future' });
  if (errors.length) throw invalid(...errors);
  const row = await tx.db
    .insertInto('facility_cases')
    .values({
      organization_id: ownOrganization(tx),
      facility_id: input.facilityId,
      origin: input.origin,
      reason: input.reason.trim(),
      opened_on: openedOn,
      opened_by: tx.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx.audit({
    action: GROUP_AUDIT.caseCreate,
    entityType: 'facility-case',
    entityId: row.id,
    details: { facilityId: input.facilityId, origin: input.origin },
  });
  return { id: row.id };
}

export async function listCases(tx: Tx, input: CaseList) {
  let q = casesQuery(tx);
  if (input.status) q = q.where('c.status', '=', input.status);
  if (input.facilityId) q = q.where('c.facility_id', '=', input.facilityId);
  const rows = await q.orderBy('c.opened_on', 'desc').orderBy('c.id').limit(500).execute();
  await tx.audit({ action: GROUP_AUDIT.caseList, details: { count: rows.length } });
  return { items: rows.map(caseSummary) };
}

async function detailOf(tx: Tx, id: string) {
  const row = await casesQuery(tx).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  const contacts = await tx.db
    .selectFrom('facility_contacts as k')
    .innerJoin('users as u', 'u.id', 'k.user_id')
    .select(['k.id', 'k.kind', 'k.contact_date', 'k.user_id', 'k.note', 'u.display_name'])
    .where('k.case_id', '=', id)
    .where('k.organization_id', '=', ownOrganization(tx))
    .orderBy('k.contact_date')
    .orderBy('k.created_at')
    .execute();
  return {
    ...caseSummary(row),
    summary: row.summary,
    contactLog: contacts.map((k) => ({
      id: k.id,
      kind: k.kind as FacilityContactCreate['kind'],
      date: k.contact_date,
      userId: k.user_id,
      userDisplayName: k.display_name,
      note: k.note,
    })),
  };
}

export async function readCase(tx: Tx, id: string) {
  const detail = await detailOf(tx, id);
  await tx.audit({ action: GROUP_AUDIT.caseRead, entityType: 'facility-case', entityId: id });
  return detail;
}

async function openCase(tx: Tx, id: string) {
  const row = await tx.db
    .selectFrom('facility_cases')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', ownOrganization(tx))
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

export async function addContact(tx: Tx, caseId: string, input: FacilityContactCreate) {
  const row = await openCase(tx, caseId);
  const errors: FieldError[] = [];
  const userId = input.userId ?? tx.actor.userId;
  if (!userId) errors.push({ field: 'userId', code: 'required' });
  else if (!(await repo.activeMembers(tx, [userId])).length)
    errors.push({ field: 'userId', code: 'responsible-unknown' });
  if (input.date > brusselsDate()) errors.push({ field: 'date', code: 'date-future' });
  else if (input.date < row.opened_on) errors.push({ field: 'date', code: 'date-before-opening' });
  if (errors.length) throw invalid(...errors);
  if (row.status === 'closed') throw conflict('status', 'case-closed');
  const contact = await tx.db
    .insertInto('facility_contacts')
    .values({
      organization_id: row.organization_id,
      case_id: caseId,
      facility_id: row.facility_id,
      kind: input.kind,
      contact_date: input.date,
      user_id: userId!,
      note: input.note?.trim() || null,
      created_by: tx.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx.audit({
    action: GROUP_AUDIT.caseContact,
    entityType: 'facility-case',
    entityId: caseId,
    details: { kind: input.kind, facilityId: row.facility_id },
  });
  return { id: contact.id };
}

export async function closeCase(tx: Tx, caseId: string, input: CaseClose) {
  const row = await openCase(tx, caseId);
  const closedOn = input.closedOn ?? brusselsDate();
  const errors: FieldError[] = [];
  if (closedOn > brusselsDate()) errors.push({ field: 'closedOn', code: 'date-future' });
  else if (closedOn < row.opened_on) errors.push({ field: 'closedOn', code: 'end-before-start' });
  if (errors.length) throw invalid(...errors);
  if (row.status === 'closed') throw conflict('status', 'case-closed');
  await tx.db
    .updateTable('facility_cases')
    .set({ status: 'closed', closed_on: closedOn, summary: input.summary.trim() })
    .where('id', '=', caseId)
    .execute();
  await tx.audit({ action: GROUP_AUDIT.caseClose, entityType: 'facility-case', entityId: caseId });
  return detailOf(tx, caseId);
}
