import type { Tx } from '../../core/db/tenant.ts';
import type { ClientRow } from '../../core/db/schema.ts';
import { invalid, notFound, type FieldError } from '../../core/http/errors.ts';
import { normalizePhone } from '../../core/phone.ts';
import { checkInsz, isValidDate, normalizeInsz } from './insz.ts';
import * as repo from './clients.repository.ts';
import type { ClientCreate, ClientSearch, ClientUpdate, DuplicateCheck } from './clients.schema.ts';
import { CLIENT_AUDIT } from './clients.audit.ts';
import { highestRisk } from '../../core/risk.ts';

/** The file with the person's current risk level (clients.repository.ts currentRiskLevels). */
async function toClientFile(tx: Tx, row: ClientRow) {
  return { ...toClientDto(row), riskLevel: highestRisk(await repo.currentRiskLevels(tx, row.id)) };
}

export function displayName(
  row: Pick<ClientRow, 'identity_kind' | 'given_name' | 'family_name' | 'pseudonym'>,
): string {
  if (row.identity_kind === 'named') return `${row.given_name ?? ''} ${row.family_name ?? ''}`.trim();
  if (row.identity_kind === 'pseudonym') return row.pseudonym ?? '';
  return 'Anoniem';
}

export function toClientDto(row: ClientRow) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    identityKind: row.identity_kind,
    displayName: displayName(row),
    givenName: row.given_name,
    familyName: row.family_name,
    pseudonym: row.pseudonym,
    birthDate: row.birth_date,
    birthYear: row.birth_year,
    municipality: row.nis_code,
    phone: row.phone,
    email: row.email,
    preferredLanguage: row.preferred_language,
    insz: row.insz,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export type PossibleDuplicate = ReturnType<typeof toTwin>;
const toTwin = (row: ClientRow) => ({
  id: row.id,
  displayName: displayName(row),
  birthDate: row.birth_date,
  birthYear: row.birth_year,
});

type ClientState = repo.ClientValues;

const trimmed = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : value.trim() || null;

/** A phone number as stored (+32…); one that cannot be read stays as typed, for `validate` to refuse. */
function storedPhone(value: string | null | undefined): string | null | undefined {
  const typed = trimmed(value);
  if (!typed) return typed;
  const phone = normalizePhone(typed);
  return phone.ok ? phone.value : typed;
}

/** Applies an input onto a state (fields left out keep their value). */
// eslint-disable-next-line @typescript-eslint/no-duplicate-type-constituents -- the same fields today; the union says both are applied
function apply(state: ClientState, input: ClientCreate | ClientUpdate): ClientState {
  const next: ClientState = {
    identity_kind: state.identity_kind,
    given_name: state.given_name,
    family_name: state.family_name,
    pseudonym: state.pseudonym,
    birth_date: state.birth_date,
    birth_year: state.birth_year,
    nis_code: state.nis_code,
    phone: state.phone,
    email: state.email,
    preferred_language: state.preferred_language,
    insz: state.insz,
  };
  if (input.identityKind !== undefined) next.identity_kind = input.identityKind;
  const set = <K extends keyof ClientState>(key: K, value: ClientState[K] | undefined) => {
    if (value !== undefined) next[key] = value;
  };
  set('given_name', trimmed(input.givenName));
  set('family_name', trimmed(input.familyName));
  set('pseudonym', trimmed(input.pseudonym));
  set('birth_date', input.birthDate);
  set('birth_year', input.birthYear);
  set('nis_code', input.municipality);
  set('phone', storedPhone(input.phone));
  set('email', trimmed(input.email)?.toLowerCase() ?? (input.email === null ? null : undefined));
  set('preferred_language', input.preferredLanguage);
  set('insz', input.insz === undefined ? undefined : input.insz === null ? null : normalizeInsz(input.insz));
  // names that do not fit the identity kind are not kept (an anonymous client has no name on file)
  if (next.identity_kind !== 'named') {
    next.given_name = null;
    next.family_name = null;
  }
  if (next.identity_kind !== 'pseudonym') next.pseudonym = null;
  return next;
}

interface PhoneCheck {
  /** the number on file: one typed before numbers were normalised is kept when it is sent back unchanged */
  previous?: string | null;
  /** a number taken over from elsewhere (a referral's shared contact) is kept as it came when it cannot be read */
  keepUnreadable?: boolean;
}

async function validate(tx: Tx, state: ClientState, phone: PhoneCheck = {}): Promise<void> {
  const errors: FieldError[] = [];
  if (state.phone && state.phone !== phone.previous && !phone.keepUnreadable && !normalizePhone(state.phone).ok)
    errors.push({ field: 'phone', code: 'phone-invalid' });
  if (state.identity_kind === 'named') {
    if (!state.given_name) errors.push({ field: 'givenName', code: 'required' });
    if (!state.family_name) errors.push({ field: 'familyName', code: 'required' });
  }
  if (state.identity_kind === 'pseudonym' && !state.pseudonym)
    errors.push({ field: 'pseudonym', code: 'pseudonym-required' });
  if (state.birth_date) {
    if (!isValidDate(state.birth_date)) errors.push({ field: 'birthDate', code: 'date-invalid' });
    else if (state.birth_date > new Date().toISOString().slice(0, 10))
      errors.push({ field: 'birthDate', code: 'date-future' });
    else if (state.birth_year !== null && Number(state.birth_date.slice(0, 4)) !== state.birth_year)
      errors.push({ field: 'birthYear', code: 'birth-year-mismatch' });
  }
  if (state.birth_year !== null && state.birth_year > new Date().getFullYear())
    errors.push({ field: 'birthYear', code: 'date-future' });
  if (state.insz) {
    const check = checkInsz(state.insz);
    if (!check.ok) errors.push({ field: 'insz', code: check.code });
    else if (check.birthDate && state.birth_date && check.birthDate !== state.birth_date)
      errors.push({ field: 'insz', code: 'insz-birthdate' });
  }
  if (state.nis_code && !(await repo.municipalityExists(tx.db, state.nis_code)))
    errors.push({ field: 'municipality', code: 'municipality-unknown' });
  if (errors.length) throw invalid(...errors);
}

const EMPTY: ClientState = {
  identity_kind: 'named',
  given_name: null,
  family_name: null,
  pseudonym: null,
  birth_date: null,
  birth_year: null,
  nis_code: null,
  phone: null,
  email: null,
  preferred_language: null,
  insz: null,
};

function twinProbe(
  state: Pick<ClientState, 'given_name' | 'family_name' | 'pseudonym' | 'birth_date' | 'birth_year' | 'insz'>,
): repo.TwinProbe {
  const name = [state.given_name, state.family_name, state.pseudonym].filter(Boolean).join(' ') || null;
  return { name, birthDate: state.birth_date, birthYear: state.birth_year, insz: state.insz };
}

/** Registers a client (validated, with a warning of likely duplicates); `origin` goes into the audit entry. */
export async function createClient(tx: Tx, input: ClientCreate, origin: { fromReferral?: string } = {}) {
  const state = apply(EMPTY, input);
  await validate(tx, state, { keepUnreadable: origin.fromReferral !== undefined });
  const possibleDuplicates = (await repo.findLikelyTwins(tx, twinProbe(state))).map(toTwin);
  const row = await repo.insertClient(tx, state);
  await tx.audit({
    action: CLIENT_AUDIT.clientCreate,
    entityType: 'client',
    entityId: row.id,
    details: { possibleDuplicates: possibleDuplicates.length, ...origin },
  });
  return { ...toClientDto(row), possibleDuplicates };
}

export async function checkDuplicates(tx: Tx, input: DuplicateCheck) {
  if (input.birthDate && !isValidDate(input.birthDate)) throw invalid({ field: 'birthDate', code: 'date-invalid' });
  const probe = twinProbe({
    given_name: trimmed(input.givenName) ?? null,
    family_name: trimmed(input.familyName) ?? null,
    pseudonym: trimmed(input.pseudonym) ?? null,
    birth_date: input.birthDate ?? null,
    birth_year: input.birthYear ?? null,
    insz: input.insz ? normalizeInsz(input.insz) : null,
  });
  const twins = await repo.findLikelyTwins(tx, probe);
  await tx.audit({
    action: CLIENT_AUDIT.clientDuplicateCheck,
    entityType: 'client',
    details: { results: twins.length },
  });
  return { items: twins.map(toTwin) };
}

/** Reading a client's file is always recorded, also when it is refused. */
export async function readClient(tx: Tx, id: string) {
  const file = await repo.findClientFile(tx, id);
  if (!file) throw notFound();
  const { origins, risk_levels: riskLevels, ...row } = file;
  await tx.audit({ action: CLIENT_AUDIT.clientRead, entityType: 'client', entityId: id });
  return {
    ...toClientDto(row),
    riskLevel: highestRisk(riskLevels.flatMap((level) => (level ? [level] : []))),
    origins: origins.map((o) => {
      const shared = o.consent_active
        ? (o.snapshot as { helpRequest?: { story?: string | null; themes?: string[] } }).helpRequest
        : undefined;
      return {
        referralId: o.id,
        senderOrganizationName: o.sender_name,
        status: o.status,
        priority: o.priority,
        receivedAt: new Date(o.created_at).toISOString(),
        sharedHelpRequest: shared ? { story: shared.story ?? null, themes: shared.themes ?? [] } : null,
      };
    }),
  };
}

export async function updateClient(tx: Tx, id: string, input: ClientUpdate) {
  const current = await repo.findClient(tx, id);
  if (!current) throw notFound();
  const state = apply(current, input);
  await validate(tx, state, { previous: current.phone });
  const row = await repo.updateClient(tx, id, state);
  if (!row) throw notFound();
  await tx.audit({
    action: CLIENT_AUDIT.clientUpdate,
    entityType: 'client',
    entityId: id,
    details: { fields: Object.keys(input).join(',') },
  });
  return toClientFile(tx, row);
}

const DATE_DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/** A free query is a birth date (dd/mm/jjjj or ISO), an INSZ, or name fragments. */
export function parseClientQuery(q: string | undefined): { nameTokens: string[]; birthDate?: string; insz?: string } {
  const text = (q ?? '').trim();
  if (!text) return { nameTokens: [] };
  const dmy = DATE_DMY.exec(text);
  if (dmy) return { nameTokens: [], birthDate: `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}` };
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return { nameTokens: [], birthDate: text };
  const digits = normalizeInsz(text);
  if (/^\d{11}$/.test(digits)) return { nameTokens: [], insz: digits };
  return {
    nameTokens: text
      .split(/\s+/)
      .filter((t) => t.length > 0)
      .slice(0, 5),
  };
}

export async function searchClients(tx: Tx, input: ClientSearch) {
  const parsed = parseClientQuery(input.q);
  const birthDate = input.birthDate ?? parsed.birthDate;
  if (birthDate && !isValidDate(birthDate))
    throw invalid({ field: input.birthDate ? 'birthDate' : 'q', code: 'date-invalid' });
  const { rows, total } = await repo.searchClients(tx, {
    nameTokens: parsed.nameTokens,
    birthDate,
    insz: input.insz ? normalizeInsz(input.insz) : parsed.insz,
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  });
  // the search terms themselves are personal data and stay out of the trail
  await tx.audit({
    action: CLIENT_AUDIT.clientSearch,
    entityType: 'client',
    details: { results: rows.length, clientIds: rows.map((r) => r.id).join(',') },
  });
  return { items: rows.map(toClientDto), total };
}

export async function accessLog(tx: Tx, id: string) {
  const row = await repo.findClient(tx, id);
  if (!row) throw notFound();
  const entries = await repo.clientAccessLog(tx.db, tx.actor.organizationId!, id);
  await tx.audit({ action: CLIENT_AUDIT.clientAccessLogRead, entityType: 'client', entityId: id });
  return {
    items: entries.map((e) => {
      // a row another organisation caused in ours: its refused attempt, or its read or change of the shared plan
      const foreign = e.foreign_network_id !== null;
      const refused = foreign && e.outcome !== 'success';
      return {
        at: e.at.toISOString(),
        userDisplayName: e.display_name,
        role: e.role,
        // that organisation is named (a network role's: the network), never its user
        organizationName: foreign ? (e.foreign_organization_name ?? e.foreign_network_name) : e.organization_name,
        action: e.action,
        refusedAttempt: refused,
        sharedAccess: foreign && !refused,
      };
    }),
  };
}
