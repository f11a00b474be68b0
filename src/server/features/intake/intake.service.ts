import { sql } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import type { HelpRequestRow, SafetySignalRow, ScreeningRow } from '../../core/db/schema.ts';
import type { Lang } from '../../core/http/messages.ts';
import { AppError, invalid, notFound, type FieldError } from '../../core/http/errors.ts';
import { instrumentById } from '../instruments/index.ts';
import { checkAnswers, scoreAnswers } from '../instruments/index.ts';
import { unknownMunicipalities, unknownTerms } from '../offers/index.ts';
import type {
  ReferralOfRequest,
  CrisisActions,
  HelpRequestCreate,
  HelpRequestDetail,
  HelpRequestDto,
  HelpRequestSummary,
  HelpRequestUpdate,
  MatchList,
  OpenSafetySignal,
  SafetySignalDto,
  ScreeningCreate,
  ScreeningDto,
  ScreeningResult,
  SignalKind,
  Suggestion,
} from './intake.schema.ts';
import {
  WHILE_WAITING_EXCLUDES,
  neededLevel,
  rankOffers,
  riskFirst,
  whileWaiting,
  type LatestScreening,
  type RiskContext,
} from './matching.ts';
import { areaSql, areaSteps, type AreaFacts, matchCandidates, matchCandidatesAround } from './matching.repository.ts';
import { OPEN_STATUSES, answerDue } from '../referrals/index.ts';
import {
  matchSettingsOf,
  matchSettingsOfNetwork,
  referralTargetsOf,
  type ReferralTargets,
} from '../network-settings/index.ts';
import type { Urgency } from '../../core/vocabulary.ts';
import { displayName } from '../clients/index.ts';
import { hasAccess, ownOrganization as ownOrg, requireAccess } from '../../core/access.ts';
import { INTAKE_AUDIT } from './intake.audit.ts';
import { CRISIS_LINES } from '../../core/crisis-lines.ts';
import {
  HIGH_RISK_LEVELS,
  helpRequestRisk,
  isHighRisk,
  riskOfFlag,
  riskOfFlags,
  signalOfFlags,
  type RiskLevel,
} from '../../core/risk.ts';

const notFoundRow = (): never => {
  throw notFound();
};

async function findHelpRequest(tx: Tx, id: string, lock = false): Promise<HelpRequestRow> {
  let query = tx.db
    .selectFrom('help_requests')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', ownOrg(tx));
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

function ageOn(birthDate: string | null, birthYear: number | null): number | null {
  const now = new Date();
  if (birthDate) {
    const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
    return now.getFullYear() - y - (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d) ? 1 : 0);
  }
  return birthYear ? now.getFullYear() - birthYear : null;
}

async function checkReferences(
  tx: Tx,
  input: { themes?: string[] | undefined; municipality?: string | null | undefined },
) {
  const errors: FieldError[] = [];
  if (input.themes?.length) {
    const unknown = await unknownTerms(tx.db, 'theme', input.themes);
    input.themes.forEach((id, i) => unknown.has(id) && errors.push({ field: `themes.${i}`, code: 'theme-unknown' }));
  }
  if (input.municipality && (await unknownMunicipalities(tx.db, [input.municipality])).size)
    errors.push({ field: 'municipality', code: 'municipality-unknown' });
  return errors;
}

export async function createHelpRequest(tx: Tx, input: HelpRequestCreate) {
  const errors = await checkReferences(tx, input);
  let fromClient: { age: number | null; municipality: string | null; language: string | null } = {
    age: null,
    municipality: null,
    language: null,
  };
  if (input.clientId) {
    const client = await tx.db
      .selectFrom('clients')
      .select(['birth_date', 'birth_year', 'nis_code', 'preferred_language'])
      .where('id', '=', input.clientId)
      .where('organization_id', '=', ownOrg(tx))
      .executeTakeFirst();
    if (!client) errors.push({ field: 'clientId', code: 'client-unknown' });
    else
      fromClient = {
        age: ageOn(client.birth_date, client.birth_year),
        municipality: client.nis_code,
        language: client.preferred_language,
      };
  }
  if (errors.length) throw invalid(...errors);
  const row = await tx.db
    .insertInto('help_requests')
    .values({
      organization_id: ownOrg(tx),
      network_id: tx.actor.networkId,
      client_id: input.clientId ?? null,
      channel: input.channel ?? 'self',
      ...(input.receivedAt ? { received_at: input.receivedAt } : {}),
      story: input.story,
      context: input.context ?? null,
      life_domains: input.lifeDomains ?? [],
      themes: input.themes,
      urgency: input.urgency,
      clarification: input.clarification ?? null,
      age: input.age ?? fromClient.age,
      municipality: input.municipality ?? fromClient.municipality,
      language: input.language ?? fromClient.language,
      preferred_modality: input.preferredModality ?? null,
      created_by: tx.actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx.audit({
    action: INTAKE_AUDIT.helpRequestCreate,
    entityType: 'help-request',
    entityId: row.id,
    details: { clientId: row.client_id },
  });
  return row;
}

// The columns hold only the listed codes (check constraints of migrations/004_intake.sql): the casts name them.
type Dto = HelpRequestDto;

export function toHelpRequestDto(row: HelpRequestRow): HelpRequestDto {
  return {
    id: row.id,
    organizationId: row.organization_id,
    clientId: row.client_id,
    channel: row.channel as Dto['channel'],
    receivedAt: row.received_at.toISOString(),
    story: row.story,
    context: row.context,
    lifeDomains: row.life_domains as Dto['lifeDomains'],
    themes: row.themes,
    urgency: row.urgency as Dto['urgency'],
    clarification: row.clarification,
    age: row.age,
    municipality: row.municipality,
    language: row.language,
    preferredModality: row.preferred_modality as Dto['preferredModality'],
    indicationLevel: row.indication_level as Dto['indicationLevel'],
    indicationReasons: row.indication_reasons,
    status: row.status as Dto['status'],
    closeReason: row.close_reason,
    chosenOfferId: row.chosen_offer_id,
    choiceReason: row.choice_reason,
    topSuggestionOfferId: row.top_suggestion_offer_id,
    riskLevel: row.risk_level as RiskLevel,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A line of the help request list. */
type SummaryRow = Pick<
  HelpRequestRow,
  'id' | 'organization_id' | 'client_id' | 'received_at' | 'story' | 'urgency' | 'status' | 'risk_level'
> & {
  identity_kind: string | null;
  given_name: string | null;
  family_name: string | null;
  pseudonym: string | null;
};

function toHelpRequestSummary(row: SummaryRow): HelpRequestSummary {
  return {
    id: row.id,
    organizationId: row.organization_id,
    clientId: row.client_id,
    // who the person is (name or pseudonym), as the list shows and links it; null: registered without a file
    clientName: row.identity_kind ? displayName({ ...row, identity_kind: row.identity_kind }) : null,
    receivedAt: row.received_at.toISOString(),
    story: row.story,
    urgency: row.urgency as Dto['urgency'],
    status: row.status as Dto['status'],
    riskLevel: row.risk_level as RiskLevel,
  };
}

export function toScreeningDto(row: ScreeningRow, lang: Lang): ScreeningDto {
  const def = instrumentById.get(row.instrument_id);
  const band = def?.scoring.bands.find((b) => b.code === row.band);
  const flagLabels = new Map(def?.flags.map((f) => [f.code, f]) ?? []);
  return {
    id: row.id,
    helpRequestId: row.help_request_id,
    instrument: row.instrument_id,
    instrumentVersion: row.instrument_version,
    score: row.score,
    band: row.band,
    bandLabel: band ? band.label[lang] : null,
    subscales: row.subscales as ScreeningDto['subscales'],
    riskLevel: riskOfFlags(row.flags),
    flags: row.flags.map((code) => ({
      code,
      label: flagLabels.get(code)?.label[lang] ?? code,
      level: flagLabels.get(code)?.level ?? 'warning',
      riskLevel: riskOfFlag(code),
    })),
    missing: row.missing,
    imputed: row.imputed,
    administeredAt: row.administered_at.toISOString(),
  };
}

export function toSignalDto(row: SafetySignalRow): SafetySignalDto {
  return {
    id: row.id,
    helpRequestId: row.help_request_id,
    source: row.source as SafetySignalDto['source'],
    screeningId: row.screening_id,
    kind: row.kind as SignalKind,
    level: row.level as SafetySignalDto['level'],
    note: row.note,
    raisedAt: row.raised_at.toISOString(),
    actionTaken: row.action_taken,
    actionRecordedAt: row.action_recorded_at?.toISOString() ?? null,
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
  };
}

/** What a worker must see when the risk is high or acute: the crisis lines and the network's crisis offers. */
async function crisisActions(tx: Tx): Promise<CrisisActions> {
  const offers = await tx.db
    .selectFrom('offers')
    .innerJoin('organizations as o', 'o.id', 'offers.organization_id')
    .select(['offers.id', 'offers.name', 'o.name as organization_name', 'offers.contact_phone'])
    .where('offers.network_id', '=', tx.actor.networkId)
    .where('offers.active', '=', true)
    .where('o.active', '=', true)
    .where('offers.level', '=', 'crisis')
    .orderBy('offers.name')
    .execute();
  return {
    // the urgent lines of the one list (core/crisis-lines.ts), the suicide line first
    phoneNumbers: CRISIS_LINES.filter((l) => l.urgent)
      .sort((a, b) => Number(b.number === '1813') - Number(a.number === '1813'))
      .map((l) => ({ label: l.name.nl, number: l.number })),
    offers: offers.map((o) => ({
      id: o.id,
      name: o.name,
      organizationName: o.organization_name,
      phone: o.contact_phone,
    })),
  };
}

export async function readHelpRequest(tx: Tx, id: string, lang: Lang): Promise<HelpRequestDetail> {
  const row = await findHelpRequest(tx, id);
  const screenings = await tx.db
    .selectFrom('screenings')
    .selectAll()
    .where('help_request_id', '=', id)
    .orderBy('administered_at')
    .execute();
  const signals = await tx.db
    .selectFrom('safety_signals')
    .selectAll()
    .where('help_request_id', '=', id)
    .orderBy('raised_at')
    .execute();
  const highRisk = signals.some((s) => isHighRisk(s.level));
  const openReferral = row.status === 'referred' && (await hasOpenReferral(tx, id));
  const referrals = await referralsOf(tx, id);
  await tx.audit({
    action: INTAKE_AUDIT.helpRequestRead,
    entityType: 'help-request',
    entityId: id,
    details: { clientId: row.client_id },
  });
  return {
    ...toHelpRequestDto(row),
    // the level the scores alone suggest: an indication that differs from it needs its reasons
    suggestedLevel: neededLevel(null, latestOf([...screenings].reverse()), await matchSettingsOfNetwork(tx)),
    screenings: screenings.map((s) => toScreeningDto(s, lang)),
    safetySignals: signals.map(toSignalDto),
    crisisActions: highRisk ? await crisisActions(tx) : null,
    // what keeps it from being closed, each on its own: a high risk without a recorded action, an open referral
    openReferral,
    referrals,
    closable: !signals.some((s) => isHighRisk(s.level) && !s.action_taken) && !openReferral,
  };
}

export async function listHelpRequests(
  tx: Tx,
  filter: { status?: string | undefined; clientId?: string | undefined },
): Promise<HelpRequestSummary[]> {
  let query = tx.db
    .selectFrom('help_requests')
    .leftJoin('clients', 'clients.id', 'help_requests.client_id')
    .select([
      'help_requests.id',
      'help_requests.organization_id',
      'help_requests.client_id',
      'help_requests.received_at',
      'help_requests.story',
      'help_requests.urgency',
      'help_requests.status',
      'help_requests.risk_level',
      'clients.identity_kind',
      'clients.given_name',
      'clients.family_name',
      'clients.pseudonym',
    ])
    .where('help_requests.organization_id', '=', ownOrg(tx));
  if (filter.status) query = query.where('help_requests.status', '=', filter.status);
  if (filter.clientId) query = query.where('help_requests.client_id', '=', filter.clientId);
  // acute and high risk first (of the requests not closed), then the newest (help_requests_org_risk_idx)
  const rows = await query
    .orderBy('help_requests.risk_rank')
    .orderBy('help_requests.created_at', 'desc')
    .limit(200)
    .execute();
  await auditPerClient(
    tx,
    'help-request.list',
    'help-request',
    rows.map((r) => ({ id: r.id, clientId: r.client_id })),
    filter.clientId ?? null,
    'helpRequestIds',
  );
  return rows.map(toHelpRequestSummary);
}

/**
 * A list that shows several people is recorded once per person (details.clientId), so each read reaches that
 * person's access history (clients.repository.ts clientAccessLog); the rows without a client share one entry.
 * An empty list is one entry too.
 */
async function auditPerClient(
  tx: Tx,
  action: string,
  entityType: string,
  rows: { id: string; clientId: string | null }[],
  filterClientId: string | null,
  idsKey: string,
) {
  const byClient = new Map<string | null, string[]>();
  for (const r of rows) byClient.set(r.clientId, [...(byClient.get(r.clientId) ?? []), r.id]);
  if (byClient.size === 0) byClient.set(filterClientId, []);
  for (const [clientId, ids] of byClient) {
    await tx.audit({ action, entityType, details: { results: rows.length, clientId, [idsKey]: ids.join(',') } });
  }
}

export async function updateHelpRequest(tx: Tx, id: string, input: HelpRequestUpdate): Promise<HelpRequestDto> {
  const current = await findHelpRequest(tx, id);
  if (current.status === 'closed') throw new AppError('conflict', [{ field: 'status', code: 'help-request-closed' }]);
  const errors = await checkReferences(tx, input);
  if (input.clientId) {
    if (current.client_id && current.client_id !== input.clientId)
      errors.push({ field: 'clientId', code: 'client-already-linked' });
    if (!(await hasAccess(tx, 'client', input.clientId))) errors.push({ field: 'clientId', code: 'client-unknown' });
  }
  const touchesIndication = input.indicationLevel !== undefined || input.indicationReasons !== undefined;
  if (input.indicationReasons !== undefined)
    input = { ...input, indicationReasons: input.indicationReasons?.trim() || null };
  const level = input.indicationLevel !== undefined ? input.indicationLevel : current.indication_level;
  const reasons = input.indicationReasons !== undefined ? input.indicationReasons : current.indication_reasons;
  if (touchesIndication && level && !reasons) {
    // "scores inform, never decide": an indication may differ from what the scores suggest, and then says why
    const suggested = neededLevel(null, await latestScreenings(tx, id), await matchSettingsOfNetwork(tx));
    if (level !== suggested.level) errors.push({ field: 'reasons', code: 'indication-reasons-required' });
  }
  if (errors.length) throw invalid(...errors);
  const set: Record<string, unknown> = {};
  if (input.clientId) set.client_id = input.clientId;
  const map: [keyof HelpRequestUpdate, string][] = [
    ['channel', 'channel'],
    ['receivedAt', 'received_at'],
    ['story', 'story'],
    ['context', 'context'],
    ['lifeDomains', 'life_domains'],
    ['themes', 'themes'],
    ['urgency', 'urgency'],
    ['clarification', 'clarification'],
    ['age', 'age'],
    ['municipality', 'municipality'],
    ['language', 'language'],
    ['preferredModality', 'preferred_modality'],
    ['indicationLevel', 'indication_level'],
    ['indicationReasons', 'indication_reasons'],
  ];
  for (const [key, column] of map) if (input[key] !== undefined) set[column] = input[key];
  if (input.indicationLevel && current.status === 'open') set.status = 'indicated';
  // clearing the indication takes the request back to open (a referred request stays referred)
  if (input.indicationLevel === null && current.status === 'indicated') set.status = 'open';
  await tx.db
    .updateTable('help_requests')
    .set({ ...(set as object), updated_at: sql`now()` } as never)
    .where('id', '=', id)
    .where('organization_id', '=', ownOrg(tx))
    .execute();
  await tx.audit({
    action: INTAKE_AUDIT.helpRequestUpdate,
    entityType: 'help-request',
    entityId: id,
    details: { clientId: input.clientId ?? current.client_id, fields: Object.keys(input).join(',') },
  });
  return toHelpRequestDto(await findHelpRequest(tx, id));
}

/**
 * The help request's risk level again, after a screening or a signal was added: the rule is core/risk.ts
 * (helpRequestRisk) over the latest screening of each instrument and every signal of the request.
 */
async function refreshRisk(tx: Tx, helpRequestId: string): Promise<RiskLevel> {
  const signals = await tx.db
    .selectFrom('safety_signals')
    .select('level')
    .where('help_request_id', '=', helpRequestId)
    .execute();
  const level = helpRequestRisk({
    latestFlags: (await latestScreenings(tx, helpRequestId)).flatMap((s) => s.flags),
    signalLevels: signals.map((s) => s.level),
  });
  await tx.db
    .updateTable('help_requests')
    .set({ risk_level: level })
    .where('id', '=', helpRequestId)
    .where('organization_id', '=', ownOrg(tx))
    .execute();
  return level;
}

export async function addScreening(
  tx: Tx,
  helpRequestId: string,
  input: ScreeningCreate,
  lang: Lang,
): Promise<ScreeningResult> {
  const def = instrumentById.get(input.instrument);
  if (!def) throw invalid({ field: 'instrument', code: 'instrument-unknown' });
  const problems = checkAnswers(def, input.answers);
  if (problems.length) throw invalid(...problems);
  // locked: a screening or signal added at the same moment waits, so each risk level is reckoned over both (refreshRisk)
  const request = await findHelpRequest(tx, helpRequestId, true);
  if (request.status === 'closed') throw new AppError('conflict', [{ field: 'status', code: 'help-request-closed' }]);
  const result = scoreAnswers(def, input.answers);
  const row = await tx.db
    .insertInto('screenings')
    .values({
      help_request_id: helpRequestId,
      organization_id: ownOrg(tx),
      client_id: request.client_id,
      instrument_id: def.id,
      instrument_version: def.version,
      answers: JSON.stringify(input.answers),
      score: result.score,
      band: result.band?.code ?? null,
      subscales: JSON.stringify(
        result.subscales.map((s) => ({ id: s.id, score: s.score, band: s.band?.code ?? null })),
      ),
      flags: result.flags.map((f) => f.code),
      missing: result.missing,
      imputed: result.imputed,
      administered_by: tx.actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  // the strongest signal a screening implies (an acute risk also covers the high one): core/risk.ts
  const strongest = signalOfFlags(result.flags.map((f) => f.code));
  if (strongest) {
    await tx.db
      .insertInto('safety_signals')
      .values({
        help_request_id: helpRequestId,
        organization_id: ownOrg(tx),
        source: 'screening',
        screening_id: row.id,
        kind: strongest.kind,
        level: strongest.level,
        raised_by: tx.actor.userId,
      })
      .execute();
    await tx.audit({
      action: INTAKE_AUDIT.safetySignalRaise,
      entityType: 'help-request',
      entityId: helpRequestId,
      details: { clientId: request.client_id, kind: strongest.kind, level: strongest.level },
    });
  }
  await refreshRisk(tx, helpRequestId);
  await tx.audit({
    action: INTAKE_AUDIT.screeningCreate,
    entityType: 'screening',
    entityId: row.id,
    details: { clientId: request.client_id, helpRequestId, instrument: def.id },
  });
  const high = isHighRisk(strongest?.level);
  return {
    ...toScreeningDto(row, lang),
    subscales: result.subscales.map((s) => ({ id: s.id, score: s.score, band: s.band?.code ?? null })),
    safetySignal: strongest ?? null,
    crisisActions: high ? await crisisActions(tx) : null,
  };
}

export async function readScreening(tx: Tx, id: string) {
  const row = await tx.db
    .selectFrom('screenings')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', ownOrg(tx))
    .executeTakeFirst();
  if (!row) throw notFound();
  await tx.audit({
    action: INTAKE_AUDIT.screeningRead,
    entityType: 'screening',
    entityId: id,
    details: { clientId: row.client_id, helpRequestId: row.help_request_id },
  });
  return row;
}

export async function clientScreeningHistory(tx: Tx, clientId: string, lang: Lang): Promise<{ items: ScreeningDto[] }> {
  await requireAccess(tx, 'client', clientId);
  const rows = await tx.db
    .selectFrom('screenings')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('organization_id', '=', ownOrg(tx))
    .orderBy('administered_at')
    .execute();
  await tx.audit({ action: INTAKE_AUDIT.clientScreeningsRead, entityType: 'client', entityId: clientId });
  return { items: rows.map((r) => toScreeningDto(r, lang)) };
}

export async function raiseSignal(
  tx: Tx,
  helpRequestId: string,
  input: { kind: SignalKind; level: SafetySignalDto['level']; note?: string | null | undefined },
): Promise<SafetySignalDto> {
  // locked, as in addScreening: the risk level is reckoned over every signal and screening
  const request = await findHelpRequest(tx, helpRequestId, true);
  const row = await tx.db
    .insertInto('safety_signals')
    .values({
      help_request_id: helpRequestId,
      organization_id: ownOrg(tx),
      source: 'manual',
      kind: input.kind,
      level: input.level,
      note: input.note ?? null,
      raised_by: tx.actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await refreshRisk(tx, helpRequestId);
  await tx.audit({
    action: INTAKE_AUDIT.safetySignalRaise,
    entityType: 'help-request',
    entityId: helpRequestId,
    details: { clientId: request.client_id, kind: input.kind, level: input.level, manual: true },
  });
  return toSignalDto(row);
}

/** A signal of the organisation with the client of its help request (for the audit trail). */
async function findSignal(tx: Tx, id: string) {
  const row = await tx.db
    .selectFrom('safety_signals as s')
    .innerJoin('help_requests as h', 'h.id', 's.help_request_id')
    .selectAll('s')
    .select('h.client_id')
    .where('s.id', '=', id)
    .where('s.organization_id', '=', ownOrg(tx))
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

export async function recordSafetyAction(tx: Tx, signalId: string, actionTaken: string): Promise<SafetySignalDto> {
  const signal = await findSignal(tx, signalId);
  const row = await tx.db
    .updateTable('safety_signals')
    .set({ action_taken: actionTaken, action_recorded_by: tx.actor.userId, action_recorded_at: sql`now()` })
    .where('id', '=', signalId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx.audit({
    action: INTAKE_AUDIT.safetySignalAction,
    entityType: 'safety-signal',
    entityId: signalId,
    details: { clientId: signal.client_id, helpRequestId: signal.help_request_id },
  });
  return toSignalDto(row);
}

export async function acknowledgeSignal(tx: Tx, signalId: string): Promise<SafetySignalDto> {
  const signal = await findSignal(tx, signalId);
  if (signal.acknowledged_at) throw new AppError('conflict');
  // a high or acute risk leaves the dashboard only once the safety action is on record
  if (isHighRisk(signal.level) && !signal.action_taken)
    throw new AppError('conflict', [{ field: 'actionTaken', code: 'safety-action-required' }]);
  const row = await tx.db
    .updateTable('safety_signals')
    .set({ acknowledged_by: tx.actor.userId, acknowledged_at: sql`now()` })
    .where('id', '=', signalId)
    .where('acknowledged_at', 'is', null)
    .where((eb) => eb.or([eb('level', 'not in', [...HIGH_RISK_LEVELS]), eb('action_taken', 'is not', null)]))
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError('conflict');
  await tx.audit({
    action: INTAKE_AUDIT.safetySignalAcknowledge,
    entityType: 'safety-signal',
    entityId: signalId,
    details: { clientId: signal.client_id, helpRequestId: signal.help_request_id },
  });
  return toSignalDto(row);
}

/**
 * The team lead's dashboard: every signal of the organisation not yet acknowledged (a read about each person on it: audited per person).
 * Without the note: the dashboard shows several persons at once; the note is read on the help request.
 */
export async function openSignals(tx: Tx): Promise<{ items: OpenSafetySignal[] }> {
  const rows = await tx.db
    .selectFrom('safety_signals as s')
    .innerJoin('help_requests as h', 'h.id', 's.help_request_id')
    .selectAll('s')
    .select('h.client_id')
    .where('s.organization_id', '=', ownOrg(tx))
    .where('s.acknowledged_at', 'is', null)
    // acute, then high, then attention; within each the oldest first
    .orderBy(sql`case s.level when 'acute' then 0 when 'high' then 1 else 2 end`)
    .orderBy('s.raised_at')
    .orderBy('s.id')
    .execute();
  await auditPerClient(
    tx,
    'safety-signal.list',
    'safety-signal',
    rows.map((r) => ({ id: r.id, clientId: r.client_id })),
    null,
    'signalIds',
  );
  return { items: rows.map((r) => withoutNote(toSignalDto(r))) };
}

function withoutNote({ note: _note, ...signal }: SafetySignalDto): OpenSafetySignal {
  return signal;
}

/** Whether a referral this organisation sent for the help request is still open (the sender sees its own referrals). */
/** The referrals sent for this help request, newest first: where it went, and how far it got. */
async function referralsOf(tx: Tx, helpRequestId: string) {
  const rows = await tx.db
    .selectFrom('referrals')
    .innerJoin('organizations as receiver', 'receiver.id', 'referrals.receiver_organization_id')
    .innerJoin('offers', 'offers.id', 'referrals.offer_id')
    .select([
      'referrals.id',
      'referrals.status',
      'referrals.priority',
      'referrals.created_at',
      'referrals.answer_due_at',
      'referrals.receiver_organization_id',
      'receiver.name as receiver_name',
      'offers.name as offer_name',
    ])
    .where('referrals.help_request_id', '=', helpRequestId)
    .where('referrals.sender_organization_id', '=', ownOrg(tx))
    .orderBy('referrals.created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status as ReferralOfRequest['status'],
    priority: r.priority,
    sentAt: r.created_at.toISOString(),
    answerDueAt: r.answer_due_at.toISOString(),
    receiverOrganizationId: r.receiver_organization_id,
    receiverOrganizationName: r.receiver_name,
    offerName: r.offer_name,
    open: (OPEN_STATUSES as readonly string[]).includes(r.status),
  }));
}

async function hasOpenReferral(tx: Tx, helpRequestId: string): Promise<boolean> {
  const row = await tx.db
    .selectFrom('referrals')
    .select('id')
    .where('help_request_id', '=', helpRequestId)
    .where('sender_organization_id', '=', ownOrg(tx))
    .where('status', 'in', [...OPEN_STATUSES])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function closeHelpRequest(tx: Tx, id: string, reason: string): Promise<HelpRequestDto> {
  // locked, like createReferral: a referral made at the same moment is either seen open below or waits and is refused
  const request = await findHelpRequest(tx, id, true);
  if (request.status === 'closed') throw new AppError('conflict', [{ field: 'status', code: 'help-request-closed' }]);
  // a referred request follows its referral while that is open; once every referral ended (declined, cancelled,
  // completed) it can be closed like any other
  if (request.status === 'referred' && (await hasOpenReferral(tx, id)))
    throw new AppError('conflict', [{ field: 'status', code: 'help-request-referred' }]);
  const pending = await tx.db
    .selectFrom('safety_signals')
    .select('id')
    .where('help_request_id', '=', id)
    .where('level', 'in', [...HIGH_RISK_LEVELS])
    .where('action_taken', 'is', null)
    .executeTakeFirst();
  if (pending) throw new AppError('conflict', [{ field: 'safetySignals', code: 'safety-action-required' }]);
  const closed = await tx.db
    .updateTable('help_requests')
    .set({ status: 'closed', close_reason: reason, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('status', '=', request.status)
    .executeTakeFirst();
  // a referral (or another close) committed in between
  if (!closed.numUpdatedRows) throw new AppError('conflict');
  await tx.audit({
    action: INTAKE_AUDIT.helpRequestClose,
    entityType: 'help-request',
    entityId: id,
    details: { clientId: request.client_id },
  });
  return toHelpRequestDto(await findHelpRequest(tx, id));
}

/** The latest screening of each instrument, from screenings newest first. */
function latestOf(newestFirst: { instrument_id: string; score: number | null; flags: string[] }[]): LatestScreening[] {
  const seen = new Set<string>();
  return newestFirst
    .filter((r) => !seen.has(r.instrument_id) && seen.add(r.instrument_id))
    .map((r) => ({ instrument: r.instrument_id, score: r.score, flags: r.flags }));
}

/** The latest screening of each instrument of this help request. */
async function latestScreenings(tx: Tx, helpRequestId: string) {
  return latestOf(
    await tx.db
      .selectFrom('screenings')
      .select(['instrument_id', 'score', 'flags', 'administered_at'])
      .where('help_request_id', '=', helpRequestId)
      .orderBy('administered_at', 'desc')
      .execute(),
  );
}

export async function computeMatches(
  tx: Tx,
  helpRequestId: string,
  lang: Lang,
  limit = 10,
  audit = true,
): Promise<MatchList> {
  // the help request (only the columns matching reads: not the story) with its network's thresholds and response
  // targets, its screenings newest first and, without a municipality, the facts of its fallback area: one statement
  const {
    intake_settings: stored,
    referral_targets: targets,
    screenings,
    area: areaFacts,
    ...request
  } = (await tx.db
    .selectFrom('help_requests as h')
    .innerJoin('networks as n', 'n.id', 'h.network_id')
    .select([
      'h.network_id',
      'h.organization_id',
      'h.client_id',
      'h.indication_level',
      'h.risk_level',
      'h.urgency',
      'h.age',
      'h.themes',
      'h.language',
      'h.preferred_modality',
      'h.municipality',
      'n.intake_settings',
      'n.referral_targets',
      sql<{ instrument_id: string; score: number | null; flags: string[] }[]>`coalesce((select
          json_agg(json_build_object('instrument_id', s.instrument_id, 'score', s.score, 'flags', s.flags)
                   order by s.administered_at desc)
        from screenings s where s.help_request_id = h.id), '[]'::json)`.as('screenings'),
      // the area only for a request without a municipality (a subquery in a CASE runs only when reached)
      sql<AreaFacts | null>`case when h.municipality is null then ${areaSql(sql<string>`h.network_id`, ownOrg(tx))} end`.as(
        'area',
      ),
    ])
    .where('h.id', '=', helpRequestId)
    .where('h.organization_id', '=', ownOrg(tx))
    .executeTakeFirst()) ?? notFoundRow();
  const needed = neededLevel(request.indication_level, latestOf(screenings), matchSettingsOf(stored));
  const risk = riskContext(request.risk_level as RiskLevel, request.urgency as Urgency, referralTargetsOf(targets));
  const safe = riskFirst(needed.level, risk);
  // the candidates that can make the top `limit` by the real points (matching.repository.ts), and those for the wait
  const query = {
    networkId: request.network_id,
    age: request.age,
    themes: request.themes,
    language: request.language,
    preferredModality: request.preferred_modality,
    needed: needed.level,
    riskTargetDays: safe ? risk.targetDays : null,
    limit,
  };
  // without the person's municipality: near the organisation that registered the request, widened step by step (matching.ts 6)
  const set = request.municipality
    ? {
        ...(await matchCandidates(tx, { ...query, municipality: request.municipality })),
        area: { basis: 'municipality' as const, names: [] as string[] },
      }
    : await matchCandidatesAround(tx, query, areaSteps(areaFacts!));
  const matchRequest = {
    themes: request.themes,
    language: request.language,
    preferredModality: request.preferred_modality,
    municipality: request.municipality
      ? { code: request.municipality, name: set.municipalityName ?? request.municipality }
      : null,
    age: request.age,
  };
  const ranked = rankOffers(matchRequest, needed.level, set.ranked, lang, risk).slice(0, limit);
  const waiting =
    !ranked.length || ranked[0]!.capacity === 'open'
      ? []
      : whileWaiting(
          matchRequest,
          set.waiting,
          lang,
          new Set(ranked.slice(0, WHILE_WAITING_EXCLUDES).map((s) => s.offerId)),
        );
  // the candidate statement named the organisation of each offer it returned (a few dozen rows at most)
  // (level and capacity are the codes of the offers table's check constraints)
  const named = (list: typeof ranked): Suggestion[] =>
    list.map((s) => ({
      ...s,
      level: s.level as Suggestion['level'],
      capacity: s.capacity as Suggestion['capacity'],
      organizationName: set.organizationNames.get(s.organizationId) ?? null,
    }));
  // the top suggestion shown is kept (an id): a later choice may be judged against it (recordChoice)
  if (audit)
    await tx.audit({
      action: INTAKE_AUDIT.helpRequestMatches,
      entityType: 'help-request',
      entityId: helpRequestId,
      details: { clientId: request.client_id, topSuggestion: ranked[0]?.offerId ?? null },
    });
  const area = {
    basis: set.area.basis,
    names: request.municipality ? [matchRequest.municipality!.name] : set.area.names,
  };
  return { neededLevel: needed, area, items: named(ranked), whileWaiting: named(waiting) };
}

/** The help request's risk with its urgency's response target, counted from now (matching.ts 4a). */
function riskContext(risk: RiskLevel, urgency: Urgency, targets: ReferralTargets, now = new Date()): RiskContext {
  const due = answerDue(urgency, now, targets);
  return {
    risk,
    urgency,
    target:
      urgency === 'acute'
        ? { hours: targets.acuteHours }
        : { workingDays: urgency === 'urgent' ? targets.urgentWorkingDays : targets.routineWorkingDays },
    // working days end at the local time they started from: whole calendar days (a DST change is not an hour short)
    targetDays:
      urgency === 'acute' ? targets.acuteHours / 24 : Math.round((due.getTime() - now.getTime()) / 86_400_000),
  };
}

/** Whether a matches read of this help request showed `offerId` (or, for null, nothing) first in the last 24 hours. */
async function wasShownAsTop(tx: Tx, helpRequestId: string, offerId: string | null): Promise<boolean> {
  const row = await tx.db
    .selectFrom('audit_log')
    .select('id')
    .where('entity_type', '=', 'help-request')
    .where('entity_id', '=', helpRequestId)
    .where('action', '=', 'help-request.matches')
    .where('organization_id', '=', ownOrg(tx))
    .where('at', '>', sql<Date>`now() - interval '24 hours'`)
    .where(
      offerId === null
        ? sql<boolean>`details->>'topSuggestion' is null`
        : sql<boolean>`details->>'topSuggestion' = ${offerId}`,
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The worker's choice. A reason is required when it differs from the top suggestion the worker was shown
 * (`topSuggestionOfferId`, sent back by the client, since capacity may have changed in between; null when none was
 * shown); without it (older clients), the top suggestion of now. Both the shown and the current top are audited.
 */
export async function recordChoice(
  tx: Tx,
  helpRequestId: string,
  input: { offerId: string; reason?: string | null | undefined; topSuggestionOfferId?: string | null | undefined },
  lang: Lang,
): Promise<HelpRequestDto> {
  const request = await findHelpRequest(tx, helpRequestId);
  if (request.status === 'closed') throw new AppError('conflict', [{ field: 'status', code: 'help-request-closed' }]);
  const { offerId } = input;
  const reason = input.reason?.trim() || null;
  const known = await tx.db
    .selectFrom('offers')
    .select('id')
    .where('network_id', '=', tx.actor.networkId)
    .where('id', 'in', [offerId, ...(input.topSuggestionOfferId ? [input.topSuggestionOfferId] : [])])
    .execute();
  const has = (id: string) => known.some((o) => o.id === id);
  const errors: FieldError[] = [];
  if (!has(offerId)) errors.push({ field: 'offerId', code: 'offer-unknown' });
  if (input.topSuggestionOfferId && !has(input.topSuggestionOfferId))
    errors.push({ field: 'topSuggestionOfferId', code: 'offer-unknown' });
  if (errors.length) throw invalid(...errors);
  const current = (await computeMatches(tx, helpRequestId, lang, 1, false)).items[0]?.offerId ?? null;
  const sent = input.topSuggestionOfferId;
  // the client's word alone would let anyone skip the reason: a shown top other than today's must be on record as shown
  if (sent !== undefined && sent !== current && !(await wasShownAsTop(tx, helpRequestId, sent)))
    throw invalid({ field: 'topSuggestionOfferId', code: 'suggestion-not-shown' });
  const top = sent !== undefined ? sent : current;
  if (top !== offerId && !reason) throw invalid({ field: 'reason', code: 'choice-reason-required' });
  await tx.db
    .updateTable('help_requests')
    .set({
      chosen_offer_id: offerId,
      choice_reason: reason,
      top_suggestion_offer_id: top,
      chosen_at: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('id', '=', helpRequestId)
    .where('organization_id', '=', ownOrg(tx))
    .execute();
  await tx.audit({
    action: INTAKE_AUDIT.helpRequestChoice,
    entityType: 'help-request',
    entityId: helpRequestId,
    details: {
      clientId: request.client_id,
      offerId,
      topSuggestion: top,
      currentTopSuggestion: current,
      shownTopSent: input.topSuggestionOfferId !== undefined,
      differs: top !== offerId,
    },
  });
  return toHelpRequestDto(await findHelpRequest(tx, helpRequestId));
}
