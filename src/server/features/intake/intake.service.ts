import { sql } from 'kysely';
import type { Tx } from '../../db/tenant.ts';
import type { HelpRequestRow, SafetySignalRow, ScreeningRow } from '../../db/schema.ts';
import type { Lang } from '../../http/messages.ts';
import { AppError, invalid, notFound, type FieldError } from '../../http/errors.ts';
import { instrumentById } from '../instruments/catalogue.ts';
import { checkAnswers, scoreAnswers, type Answers } from '../instruments/scoring.ts';
import { unknownMunicipalities, unknownTerms } from '../offers/offers.repository.ts';
import type { HelpRequestCreate, HelpRequestUpdate, ScreeningCreate } from './intake.schema.ts';
import { DEFAULT_SETTINGS, neededLevel, rankOffers, whileWaiting, type Candidate, type MatchSettings } from './matching.ts';

const ownOrg = (tx: Tx) => tx.actor.organizationId!;

async function findHelpRequest(tx: Tx, id: string): Promise<HelpRequestRow> {
  const row = await tx.db.selectFrom('help_requests').selectAll().where('id', '=', id).where('organization_id', '=', ownOrg(tx)).executeTakeFirst();
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

async function checkReferences(tx: Tx, input: { themes?: string[] | undefined; municipality?: string | null | undefined }) {
  const errors: FieldError[] = [];
  if (input.themes?.length) {
    const unknown = await unknownTerms(tx.db, 'theme', input.themes);
    input.themes.forEach((id, i) => unknown.has(id) && errors.push({ field: `themes.${i}`, code: 'theme-unknown' }));
  }
  if (input.municipality && (await unknownMunicipalities(tx.db, [input.municipality])).size) errors.push({ field: 'municipality', code: 'municipality-unknown' });
  return errors;
}

export async function createHelpRequest(tx: Tx, input: HelpRequestCreate) {
  const errors = await checkReferences(tx, input);
  let fromClient: { age: number | null; municipality: string | null; language: string | null } = { age: null, municipality: null, language: null };
  if (input.clientId) {
    const client = await tx.db.selectFrom('clients').select(['birth_date', 'birth_year', 'nis_code', 'preferred_language'])
      .where('id', '=', input.clientId).where('organization_id', '=', ownOrg(tx)).executeTakeFirst();
    if (!client) errors.push({ field: 'clientId', code: 'client-unknown' });
    else fromClient = { age: ageOn(client.birth_date, client.birth_year), municipality: client.nis_code, language: client.preferred_language };
  }
  if (errors.length) throw invalid(...errors);
  const row = await tx.db.insertInto('help_requests').values({
    organization_id: ownOrg(tx), network_id: tx.actor.networkId, client_id: input.clientId ?? null, channel: input.channel ?? 'self',
    ...(input.receivedAt ? { received_at: input.receivedAt } : {}), story: input.story, context: input.context ?? null,
    life_domains: input.lifeDomains ?? [], themes: input.themes, urgency: input.urgency, clarification: input.clarification ?? null,
    age: input.age ?? fromClient.age, municipality: input.municipality ?? fromClient.municipality, language: input.language ?? fromClient.language,
    preferred_modality: input.preferredModality ?? null, created_by: tx.actor.userId,
  }).returningAll().executeTakeFirstOrThrow();
  await tx.audit({ action: 'help-request.create', entityType: 'help-request', entityId: row.id, details: { clientId: row.client_id } });
  return row;
}

export function toHelpRequestDto(row: HelpRequestRow) {
  return {
    id: row.id, organizationId: row.organization_id, clientId: row.client_id, channel: row.channel, receivedAt: row.received_at.toISOString(),
    story: row.story, context: row.context, lifeDomains: row.life_domains, themes: row.themes, urgency: row.urgency,
    clarification: row.clarification, age: row.age, municipality: row.municipality, language: row.language, preferredModality: row.preferred_modality,
    indicationLevel: row.indication_level, indicationReasons: row.indication_reasons, status: row.status, closeReason: row.close_reason,
    chosenOfferId: row.chosen_offer_id, choiceReason: row.choice_reason, topSuggestionOfferId: row.top_suggestion_offer_id,
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  };
}

export function toScreeningDto(row: ScreeningRow, lang: Lang) {
  const def = instrumentById.get(row.instrument_id);
  const band = def?.scoring.bands.find((b) => b.code === row.band);
  const flagLabels = new Map(def?.flags.map((f) => [f.code, f]) ?? []);
  return {
    id: row.id, helpRequestId: row.help_request_id, instrument: row.instrument_id, instrumentVersion: row.instrument_version,
    answers: row.answers as Answers, score: row.score, band: row.band, bandLabel: band ? band.label[lang] : null,
    subscales: row.subscales as { id: string; score: number | null; band: string | null }[],
    flags: row.flags.map((code) => ({ code, label: flagLabels.get(code)?.label[lang] ?? code, level: flagLabels.get(code)?.level ?? 'warning' })),
    missing: row.missing, imputed: row.imputed, administeredAt: row.administered_at.toISOString(),
  };
}

export function toSignalDto(row: SafetySignalRow) {
  return {
    id: row.id, helpRequestId: row.help_request_id, source: row.source, screeningId: row.screening_id, kind: row.kind, level: row.level,
    note: row.note, raisedAt: row.raised_at.toISOString(), actionTaken: row.action_taken,
    actionRecordedAt: row.action_recorded_at?.toISOString() ?? null, acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
  };
}

/** What a worker must see when the risk is high: the crisis lines and the network's crisis offers. */
async function crisisActions(tx: Tx) {
  const offers = await tx.db.selectFrom('offers').innerJoin('organizations as o', 'o.id', 'offers.organization_id')
    .select(['offers.id', 'offers.name', 'o.name as organization_name', 'offers.contact_phone'])
    .where('offers.network_id', '=', tx.actor.networkId).where('offers.active', '=', true).where('offers.level', '=', 'crisis')
    .orderBy('offers.name').execute();
  return {
    phoneNumbers: [{ label: 'Zelfmoordlijn', number: '1813' }, { label: 'Noodnummer', number: '112' }],
    offers: offers.map((o) => ({ id: o.id, name: o.name, organizationName: o.organization_name, phone: o.contact_phone })),
  };
}

export async function readHelpRequest(tx: Tx, id: string, lang: Lang) {
  const row = await findHelpRequest(tx, id);
  const screenings = await tx.db.selectFrom('screenings').selectAll().where('help_request_id', '=', id).orderBy('administered_at').execute();
  const signals = await tx.db.selectFrom('safety_signals').selectAll().where('help_request_id', '=', id).orderBy('raised_at').execute();
  const highRisk = signals.some((s) => s.level === 'high');
  await tx.audit({ action: 'help-request.read', entityType: 'help-request', entityId: id, details: { clientId: row.client_id } });
  return {
    ...toHelpRequestDto(row),
    screenings: screenings.map((s) => toScreeningDto(s, lang)),
    safetySignals: signals.map(toSignalDto),
    crisisActions: highRisk ? await crisisActions(tx) : null,
    closable: !signals.some((s) => s.level === 'high' && !s.action_taken),
  };
}

export async function listHelpRequests(tx: Tx, filter: { status?: string | undefined; clientId?: string | undefined }) {
  let query = tx.db.selectFrom('help_requests').selectAll().where('organization_id', '=', ownOrg(tx));
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.clientId) query = query.where('client_id', '=', filter.clientId);
  const rows = await query.orderBy('created_at', 'desc').limit(200).execute();
  await tx.audit({ action: 'help-request.list', entityType: 'help-request', details: { results: rows.length } });
  return rows.map(toHelpRequestDto);
}

export async function updateHelpRequest(tx: Tx, id: string, input: HelpRequestUpdate) {
  const current = await findHelpRequest(tx, id);
  if (current.status === 'closed') throw new AppError('conflict', [{ field: 'status', code: 'help-request-closed' }]);
  const errors = await checkReferences(tx, input);
  if (input.clientId) {
    if (current.client_id && current.client_id !== input.clientId) errors.push({ field: 'clientId', code: 'client-already-linked' });
    const client = await tx.db.selectFrom('clients').select('id').where('id', '=', input.clientId).where('organization_id', '=', ownOrg(tx)).executeTakeFirst();
    if (!client) errors.push({ field: 'clientId', code: 'client-unknown' });
  }
  if (errors.length) throw invalid(...errors);
  const set: Record<string, unknown> = {};
  if (input.clientId) set.client_id = input.clientId;
  const map: [keyof HelpRequestUpdate, string][] = [
    ['channel', 'channel'], ['receivedAt', 'received_at'], ['story', 'story'], ['context', 'context'], ['lifeDomains', 'life_domains'],
    ['themes', 'themes'], ['urgency', 'urgency'], ['clarification', 'clarification'], ['age', 'age'], ['municipality', 'municipality'],
    ['language', 'language'], ['preferredModality', 'preferred_modality'], ['indicationLevel', 'indication_level'], ['indicationReasons', 'indication_reasons'],
  ];
  for (const [key, column] of map) if (input[key] !== undefined) set[column] = input[key];
  if (input.indicationLevel && current.status === 'open') set.status = 'indicated';
  await tx.db.updateTable('help_requests').set({ ...(set as object), updated_at: sql`now()` } as never).where('id', '=', id).where('organization_id', '=', ownOrg(tx)).execute();
  await tx.audit({ action: 'help-request.update', entityType: 'help-request', entityId: id, details: { fields: Object.keys(input).join(',') } });
  return toHelpRequestDto(await findHelpRequest(tx, id));
}

const SIGNAL_OF_FLAG: Record<string, { kind: string; level: 'moderate' | 'high' }> = {
  'suicide-risk': { kind: 'suicide-risk', level: 'moderate' },
  'cssrs-positive': { kind: 'suicide-risk', level: 'moderate' },
  'cssrs-high-risk': { kind: 'suicide-high-risk', level: 'high' },
};

export async function addScreening(tx: Tx, helpRequestId: string, input: ScreeningCreate, lang: Lang) {
  const def = instrumentById.get(input.instrument);
  if (!def) throw invalid({ field: 'instrument', code: 'instrument-unknown' });
  const problems = checkAnswers(def, input.answers);
  if (problems.length) throw invalid(...problems);
  const request = await findHelpRequest(tx, helpRequestId);
  if (request.status === 'closed') throw new AppError('conflict', [{ field: 'status', code: 'help-request-closed' }]);
  const result = scoreAnswers(def, input.answers);
  const row = await tx.db.insertInto('screenings').values({
    help_request_id: helpRequestId, organization_id: ownOrg(tx), client_id: request.client_id, instrument_id: def.id, instrument_version: def.version,
    answers: JSON.stringify(input.answers), score: result.score, band: result.band?.code ?? null,
    subscales: JSON.stringify(result.subscales.map((s) => ({ id: s.id, score: s.score, band: s.band?.code ?? null }))),
    flags: result.flags.map((f) => f.code), missing: result.missing, imputed: result.imputed, administered_by: tx.actor.userId,
  }).returningAll().executeTakeFirstOrThrow();
  // the strongest signal a screening implies (a high risk also covers the moderate one)
  const implied = result.flags.map((f) => SIGNAL_OF_FLAG[f.code]).filter((s) => s !== undefined);
  const strongest = implied.find((s) => s.level === 'high') ?? implied[0];
  if (strongest) {
    await tx.db.insertInto('safety_signals').values({ help_request_id: helpRequestId, organization_id: ownOrg(tx), source: 'screening', screening_id: row.id, kind: strongest.kind, level: strongest.level, raised_by: tx.actor.userId }).execute();
    await tx.audit({ action: 'safety-signal.raise', entityType: 'help-request', entityId: helpRequestId, details: { kind: strongest.kind, level: strongest.level } });
  }
  await tx.audit({ action: 'screening.create', entityType: 'screening', entityId: row.id, details: { helpRequestId, instrument: def.id } });
  const high = strongest?.level === 'high';
  return { ...toScreeningDto(row, lang), subscales: result.subscales.map((s) => ({ id: s.id, score: s.score, band: s.band?.code ?? null })), safetySignal: strongest ?? null, crisisActions: high ? await crisisActions(tx) : null };
}

export async function readScreening(tx: Tx, id: string) {
  const row = await tx.db.selectFrom('screenings').selectAll().where('id', '=', id).where('organization_id', '=', ownOrg(tx)).executeTakeFirst();
  if (!row) throw notFound();
  await tx.audit({ action: 'screening.read', entityType: 'screening', entityId: id });
  return row;
}

export async function clientScreeningHistory(tx: Tx, clientId: string, lang: Lang) {
  const client = await tx.db.selectFrom('clients').select('id').where('id', '=', clientId).where('organization_id', '=', ownOrg(tx)).executeTakeFirst();
  if (!client) throw notFound();
  const rows = await tx.db.selectFrom('screenings').selectAll().where('client_id', '=', clientId).where('organization_id', '=', ownOrg(tx)).orderBy('administered_at').execute();
  await tx.audit({ action: 'client.screenings.read', entityType: 'client', entityId: clientId });
  return { items: rows.map((r) => toScreeningDto(r, lang)) };
}

export async function raiseSignal(tx: Tx, helpRequestId: string, input: { kind: string; level: 'moderate' | 'high'; note?: string | null | undefined }) {
  await findHelpRequest(tx, helpRequestId);
  const row = await tx.db.insertInto('safety_signals').values({ help_request_id: helpRequestId, organization_id: ownOrg(tx), source: 'manual', kind: input.kind, level: input.level, note: input.note ?? null, raised_by: tx.actor.userId }).returningAll().executeTakeFirstOrThrow();
  await tx.audit({ action: 'safety-signal.raise', entityType: 'help-request', entityId: helpRequestId, details: { kind: input.kind, level: input.level, manual: true } });
  return toSignalDto(row);
}

async function findSignal(tx: Tx, id: string) {
  const row = await tx.db.selectFrom('safety_signals').selectAll().where('id', '=', id).where('organization_id', '=', ownOrg(tx)).executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

export async function recordSafetyAction(tx: Tx, signalId: string, actionTaken: string) {
  await findSignal(tx, signalId);
  const row = await tx.db.updateTable('safety_signals').set({ action_taken: actionTaken, action_recorded_by: tx.actor.userId, action_recorded_at: sql`now()` })
    .where('id', '=', signalId).returningAll().executeTakeFirstOrThrow();
  await tx.audit({ action: 'safety-signal.action', entityType: 'safety-signal', entityId: signalId });
  return toSignalDto(row);
}

export async function acknowledgeSignal(tx: Tx, signalId: string) {
  const signal = await findSignal(tx, signalId);
  if (signal.acknowledged_at) throw new AppError('conflict');
  const row = await tx.db.updateTable('safety_signals').set({ acknowledged_by: tx.actor.userId, acknowledged_at: sql`now()` })
    .where('id', '=', signalId).where('acknowledged_at', 'is', null).returningAll().executeTakeFirst();
  if (!row) throw new AppError('conflict');
  await tx.audit({ action: 'safety-signal.acknowledge', entityType: 'safety-signal', entityId: signalId });
  return toSignalDto(row);
}

/** The team lead's dashboard: every signal of the organisation not yet acknowledged. */
export async function openSignals(tx: Tx) {
  const rows = await tx.db.selectFrom('safety_signals').selectAll().where('organization_id', '=', ownOrg(tx)).where('acknowledged_at', 'is', null).orderBy('raised_at').execute();
  return { items: rows.map(toSignalDto) };
}

export async function closeHelpRequest(tx: Tx, id: string, reason: string) {
  const request = await findHelpRequest(tx, id);
  if (request.status === 'closed') throw new AppError('conflict', [{ field: 'status', code: 'help-request-closed' }]);
  const pending = await tx.db.selectFrom('safety_signals').select('id').where('help_request_id', '=', id).where('level', '=', 'high').where('action_taken', 'is', null).executeTakeFirst();
  if (pending) throw new AppError('conflict', [{ field: 'safetySignals', code: 'safety-action-required' }]);
  await tx.db.updateTable('help_requests').set({ status: 'closed', close_reason: reason, updated_at: sql`now()` }).where('id', '=', id).execute();
  await tx.audit({ action: 'help-request.close', entityType: 'help-request', entityId: id });
  return toHelpRequestDto(await findHelpRequest(tx, id));
}

async function settingsOf(tx: Tx): Promise<MatchSettings> {
  const row = await tx.db.selectFrom('networks').select('intake_settings').where('id', '=', tx.actor.networkId).executeTakeFirst();
  return { ...DEFAULT_SETTINGS, ...((row?.intake_settings as Partial<MatchSettings> | undefined) ?? {}) };
}

/** The latest screening of each instrument of this help request. */
async function latestScreenings(tx: Tx, helpRequestId: string) {
  const rows = await tx.db.selectFrom('screenings').select(['instrument_id', 'score', 'flags', 'administered_at']).where('help_request_id', '=', helpRequestId).orderBy('administered_at', 'desc').execute();
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.instrument_id) && seen.add(r.instrument_id)).map((r) => ({ instrument: r.instrument_id, score: r.score, flags: r.flags }));
}

export async function computeMatches(tx: Tx, helpRequestId: string, lang: Lang, limit = 10, audit = true) {
  const request = await findHelpRequest(tx, helpRequestId);
  const needed = neededLevel(request.indication_level, await latestScreenings(tx, helpRequestId), await settingsOf(tx));
  let query = tx.db.selectFrom('offers')
    .select(['offers.id', 'offers.name', 'offers.organization_id', 'offers.level', 'offers.themes', 'offers.languages', 'offers.modalities', 'offers.capacity', 'offers.wait_days'])
    .where('offers.network_id', '=', request.network_id).where('offers.active', '=', true);
  if (request.municipality) query = query.where(sql<boolean>`offers.municipalities @> array[${request.municipality}]::text[]`);
  if (request.age !== null) query = query.where(sql<boolean>`coalesce(offers.min_age, 0) <= ${request.age} and coalesce(offers.max_age, 120) >= ${request.age}`);
  if (request.themes.length) query = query.where(sql<boolean>`offers.themes && ${request.themes}::text[]`);
  // a bounded candidate set: the right level and most shared themes first (ranking below decides the order)
  const rows = await query
    .orderBy(sql`(offers.level = ${needed.level})`, 'desc')
    .orderBy(sql`cardinality(array(select unnest(offers.themes) intersect select unnest(${request.themes}::text[])))`, 'desc')
    .orderBy('offers.id')
    .limit(300)
    .execute();
  const candidates: Candidate[] = rows.map((r) => ({ id: r.id, name: r.name, organizationId: r.organization_id, level: r.level, themes: r.themes, languages: r.languages, modalities: r.modalities, capacity: r.capacity, waitDays: r.wait_days }));
  const matchRequest = { themes: request.themes, language: request.language, preferredModality: request.preferred_modality };
  const ranked = rankOffers(matchRequest, needed.level, candidates, lang).slice(0, limit);
  const waiting = ranked[0]?.capacity === 'open' ? [] : whileWaiting(matchRequest, candidates, lang, new Set(ranked.slice(0, 3).map((s) => s.offerId)));
  // organisation names for what is shown only (the candidates carried the organisation id)
  const shown = [...ranked, ...waiting];
  const orgIds = [...new Set(shown.map((s) => s.organizationId))];
  const names = new Map(orgIds.length ? (await tx.db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', orgIds).execute()).map((o) => [o.id, o.name]) : []);
  const named = (list: typeof ranked) => list.map((s) => ({ ...s, organizationName: names.get(s.organizationId) ?? null }));
  if (audit) await tx.audit({ action: 'help-request.matches', entityType: 'help-request', entityId: helpRequestId, details: { clientId: request.client_id } });
  return { neededLevel: needed, items: named(ranked), whileWaiting: named(waiting) };
}

export async function recordChoice(tx: Tx, helpRequestId: string, offerId: string, reason: string | null | undefined, lang: Lang) {
  const { items } = await computeMatches(tx, helpRequestId, lang, 1, false);
  const offer = await tx.db.selectFrom('offers').select('id').where('id', '=', offerId).where('network_id', '=', tx.actor.networkId).executeTakeFirst();
  if (!offer) throw invalid({ field: 'offerId', code: 'offer-unknown' });
  const top = items[0]?.offerId ?? null;
  if (top !== offerId && !reason?.trim()) throw invalid({ field: 'reason', code: 'choice-reason-required' });
  await tx.db.updateTable('help_requests').set({ chosen_offer_id: offerId, choice_reason: reason?.trim() || null, top_suggestion_offer_id: top, chosen_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', helpRequestId).where('organization_id', '=', ownOrg(tx)).execute();
  await tx.audit({ action: 'help-request.choice', entityType: 'help-request', entityId: helpRequestId, details: { offerId, topSuggestion: top, differs: top !== offerId } });
  return toHelpRequestDto(await findHelpRequest(tx, helpRequestId));
}
