/**
 * The one HTTP client of the web app. Every call goes through `request`, which
 * - sends the session cookie (same origin) and the current language as Accept-Language,
 * - adds the CSRF token to every call that changes something,
 * - turns application/problem+json answers into a typed `ProblemError`,
 * - reports a 401 to the auth layer so that the app returns to the login screen.
 *
 * Its types are the server's contract: `api.generated.ts` (written by `npm run contract` from the server's OpenAPI
 * document and enumerations) is the only source; this file names the parts the pages use.
 */
import type { components, paths } from './api.generated';
import {
  AUDIT_OUTCOMES,
  CAPACITIES,
  CHANNELS,
  CLOSE_WITHOUT_CONTACT_REASONS,
  CONSENT_CATEGORIES as CONSENT_CATEGORY_VALUES,
  CONSENT_METHODS,
  COSTS,
  DECLINE_REASONS,
  HELP_REQUEST_STATUSES,
  IDENTITY_KINDS,
  IMPORT_KINDS,
  LIFE_DOMAINS,
  MATCHING_THRESHOLD_KEYS,
  MODALITIES,
  NETWORK_ROLES as NETWORK_ROLE_VALUES,
  OFFER_LEVELS,
  ORGANIZATION_KINDS,
  ORGANIZATION_ROLES as ORGANIZATION_ROLE_VALUES,
  REFERRAL_STATUSES,
  TRAJECTORY_MODULES,
  TRAJECTORY_STATUSES,
  TRAJECTORY_OUTCOMES,
  TRAJECTORY_CLOSE_REASONS,
  CONTACT_KINDS,
  GROUP_AUDIENCES,
  AGE_BANDS,
  FACILITY_KINDS,
  CASE_ORIGINS,
  FACILITY_CONTACT_KINDS,
  OUTREACH_AGREEMENT_METHODS,
  OUTREACH_ATTEMPT_OUTCOMES,
  OUTREACH_CHANNELS,
  OUTREACH_CLOSE_OUTCOMES,
  OUTREACH_KINDS,
  OUTREACH_MOMENTS,
  OUTREACH_STATES,
  OUTREACH_STATUSES,
  REFERRAL_TARGET_KEYS,
  RISK_LEVELS,
  ROLES,
  SIGNAL_KINDS,
  SIGNAL_LEVELS,
  TARGET_GROUPS,
  URGENCIES,
} from './api.generated';

// ---------- reading the generated contract ----------

type Path = keyof paths;
type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';
/** The methods a path answers ('get' | 'post' | …). */
export type MethodOf<P extends Path> = {
  [M in HttpMethod]-?: [NonNullable<paths[P][M]>] extends [never] ? never : M;
}[HttpMethod];
type Operation<P extends Path, M extends MethodOf<P>> = NonNullable<paths[P][M]>;
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type SuccessOf<P extends Path, M extends MethodOf<P>> =
  Operation<P, M> extends { responses: infer R } ? R[Extract<keyof R, 200 | 201 | 202 | 204>] : never;

/** The JSON body of a route's success answer (200, 201 or 202; both when it has two); void when it answers without one. */
export type ResponseOf<P extends Path, M extends MethodOf<P>> = [JsonOf<SuccessOf<P, M>>] extends [never]
  ? void
  : JsonOf<SuccessOf<P, M>>;
/** The JSON body a route takes (never when it takes none). */
export type RequestBody<P extends Path, M extends MethodOf<P>> =
  Operation<P, M> extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;
/** The querystring a route takes (never when it takes none). */
export type QueryOf<P extends Path, M extends MethodOf<P>> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
/** The parameters in a route's path ({ id } for /api/clients/{id}). */
export type PathParams<P extends Path, M extends MethodOf<P>> =
  Operation<P, M> extends { parameters: { path?: infer Q } } ? NonNullable<Q> : never;
/**
 * A querystring whose fields `K` the server fills with their default when they are absent (the OpenAPI document
 * marks such fields required, because the schema lists them so for the handler).
 */
export type WithDefaults<Q, K extends keyof Q> = Omit<Q, K> & Partial<Pick<Q, K>>;

// ---------- enumerations (the server's own lists) ----------

export type Role = (typeof ROLES)[number];
export const ALL_ROLES = ROLES;
export const ORGANIZATION_ROLES: readonly Role[] = ORGANIZATION_ROLE_VALUES;
export const NETWORK_ROLES: readonly Role[] = NETWORK_ROLE_VALUES;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];
export type IdentityKind = (typeof IDENTITY_KINDS)[number];
export type OfferLevel = (typeof OFFER_LEVELS)[number];
export type Modality = (typeof MODALITIES)[number];
export type Capacity = (typeof CAPACITIES)[number];
export type Cost = (typeof COSTS)[number];
export type TargetGroup = (typeof TARGET_GROUPS)[number];
export type Channel = (typeof CHANNELS)[number];
export type Urgency = (typeof URGENCIES)[number];
export type LifeDomain = (typeof LIFE_DOMAINS)[number];
export type HelpRequestStatus = (typeof HELP_REQUEST_STATUSES)[number];
export type SignalKind = (typeof SIGNAL_KINDS)[number];
export type SignalLevel = (typeof SIGNAL_LEVELS)[number];
/** The one risk vocabulary (server: core/risk.ts). */
export type RiskLevel = (typeof RISK_LEVELS)[number];
export type ReferralTargetKey = (typeof REFERRAL_TARGET_KEYS)[number];
export type MatchingThresholdKey = (typeof MATCHING_THRESHOLD_KEYS)[number];
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
/** The kinds of records an HSDS import counts, in the order the server writes them. */
export type ImportKind = (typeof IMPORT_KINDS)[number];
/** Whether a code is one of an enumeration's values (a code from the address, a form, or an answer the contract types as a string). */
export function isOneOf<T extends string>(values: readonly T[], value: string | null | undefined): value is T {
  return values.some((v) => v === value);
}
export {
  AUDIT_OUTCOMES,
  CAPACITIES,
  CHANNELS,
  CLOSE_WITHOUT_CONTACT_REASONS,
  CONSENT_METHODS,
  COSTS,
  DECLINE_REASONS,
  HELP_REQUEST_STATUSES,
  IDENTITY_KINDS,
  IMPORT_KINDS,
  LIFE_DOMAINS,
  MATCHING_THRESHOLD_KEYS,
  MODALITIES,
  OFFER_LEVELS,
  ORGANIZATION_KINDS,
  REFERRAL_STATUSES,
  TRAJECTORY_MODULES,
  TRAJECTORY_STATUSES,
  TRAJECTORY_OUTCOMES,
  TRAJECTORY_CLOSE_REASONS,
  CONTACT_KINDS,
  GROUP_AUDIENCES,
  AGE_BANDS,
  FACILITY_KINDS,
  CASE_ORIGINS,
  FACILITY_CONTACT_KINDS,
  OUTREACH_AGREEMENT_METHODS,
  OUTREACH_ATTEMPT_OUTCOMES,
  OUTREACH_CHANNELS,
  OUTREACH_CLOSE_OUTCOMES,
  OUTREACH_KINDS,
  OUTREACH_MOMENTS,
  OUTREACH_STATES,
  OUTREACH_STATUSES,
  REFERRAL_TARGET_KEYS,
  RISK_LEVELS,
  SIGNAL_KINDS,
  SIGNAL_LEVELS,
  TARGET_GROUPS,
  URGENCIES,
};

// ---------- session and administration ----------

export type Meta = ResponseOf<'/api/meta', 'get'>;
export type LoginResult = ResponseOf<'/api/auth/login', 'post'>;
export type TotpLoginResult = ResponseOf<'/api/auth/login/totp', 'post'>;
export type Me = ResponseOf<'/api/auth/me', 'get'>;
export type Membership = Me['memberships'][number];
/** A session with an active membership: what every page of the app works with. */
export type ActiveMe = Me & { membership: Membership };
export type TotpSetup = ResponseOf<'/api/auth/totp/setup', 'post'>;

export type Municipality = ResponseOf<'/api/municipalities', 'get'>['items'][number];
export type Network = ResponseOf<'/api/networks/current', 'get'>;

export type OrganizationSummary = ResponseOf<'/api/organizations', 'get'>['items'][number];
export type Organization = ResponseOf<'/api/organizations/{id}', 'get'>;
export type Site = Organization['sites'][number];
export type Team = Organization['teams'][number];

export type UserSummary = ResponseOf<'/api/users/{id}', 'get'>;
export type UserMembership = UserSummary['memberships'][number];

/** A client as lists and forms carry it. */
export type Client = ResponseOf<'/api/clients', 'get'>['items'][number];
/** A client's file as changed: the record with the person's current risk level. */
export type ClientFile = ResponseOf<'/api/clients/{id}', 'patch'>;
/** A client's file as opened: also the referrals through which the person came in. */
export type ClientDetail = ResponseOf<'/api/clients/{id}', 'get'>;
export type ClientInput = RequestBody<'/api/clients', 'post'>;
export type DuplicateCandidate = ResponseOf<'/api/clients/duplicate-check', 'post'>['items'][number];
export type AccessLogEntry = ResponseOf<'/api/clients/{id}/access-log', 'get'>['items'][number];

export type AuditQuery = WithDefaults<QueryOf<'/api/audit', 'get'>, 'limit'>;
export type AuditEvent = ResponseOf<'/api/audit', 'get'>['items'][number];
export type ApiToken = ResponseOf<'/api/api-tokens', 'get'>['items'][number];

// ---------- catalogue (Aanbod) ----------

/** A theme or category of the taxonomy, labelled in the language of the request. */
export type Term = ResponseOf<'/api/themes', 'get'>['items'][number];
/** The fields anyone may see (the public catalogue). */
export type PublicOffer = ResponseOf<'/api/public/offers/{id}', 'get'>;
/** An offer as the network sees it, with the internal fields (`mayEdit`: it belongs to the active organisation). */
export type Offer = ResponseOf<'/api/offers/{id}', 'get'>;
export type OfferInput = RequestBody<'/api/offers', 'post'>;
export type Facets = NonNullable<ResponseOf<'/api/offers', 'get'>['facets']>;
export type FacetCount = Facets['theme'][number];
export type OfferQuery = WithDefaults<QueryOf<'/api/offers', 'get'>, 'sort' | 'facets' | 'page' | 'pageSize'>;
export type SearchResult<T extends PublicOffer = PublicOffer> = Omit<
  ResponseOf<'/api/public/offers', 'get'>,
  'items'
> & { items: T[] };

// ---------- intake (Onthaal) ----------

export type HelpRequest = ResponseOf<'/api/help-requests', 'post'>;
/** A line of the intake list: only what the list shows. */
export type HelpRequestSummary = ResponseOf<'/api/help-requests', 'get'>['items'][number];
/** The fields a worker fills in (create) or changes (PATCH). */
export type HelpRequestInput = Omit<RequestBody<'/api/help-requests', 'post'>, 'clientId'>;
export type HelpRequestUpdate = RequestBody<'/api/help-requests/{id}', 'patch'>;

export type Instrument = ResponseOf<'/api/instruments', 'get'>['items'][number];
export type InstrumentItem = Instrument['items'][number];
export type InstrumentOption = InstrumentItem['options'][number];
export type InstrumentBand = Instrument['scoring']['bands'][number];
export type LocalText = Instrument['title'];

export type Answers = RequestBody<'/api/help-requests/{id}/screenings', 'post'>['answers'];
export type HelpRequestDetail = ResponseOf<'/api/help-requests/{id}', 'get'>;
export type Screening = ResponseOf<'/api/clients/{id}/screenings', 'get'>['items'][number];
export type ScreeningFlag = Screening['flags'][number];
export type ScreeningResult = ResponseOf<'/api/help-requests/{id}/screenings', 'post'>;
export type CrisisActions = NonNullable<HelpRequestDetail['crisisActions']>;
export type SafetySignal = ResponseOf<'/api/safety-signals/{id}/action', 'post'>;
/** A signal on the safety dashboard (without its note). */
export type OpenSafetySignal = ResponseOf<'/api/safety-signals', 'get'>['items'][number];

export type Matches = ResponseOf<'/api/help-requests/{id}/matches', 'get'>;
export type Suggestion = Matches['items'][number];
export type NeededLevel = Matches['neededLevel'];

// ---------- consents and referrals ----------

export type Consent = ResponseOf<'/api/consents', 'post'>;
/** A staff member (display name) or an API token (its name) that recorded, withdrew or reviewed a consent. */
export type ConsentActor = NonNullable<Consent['recordedBy']>;
export type ConsentInput = RequestBody<'/api/consents', 'post'>;
export type ConsentCategory = (typeof CONSENT_CATEGORY_VALUES)[number];
export type ConsentMethod = (typeof CONSENT_METHODS)[number];
/** The categories the consent of a referral offers ('care-plan': the receiver may open the person's shared plan). */
export const CONSENT_CATEGORIES: readonly ConsentCategory[] = CONSENT_CATEGORY_VALUES;

export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export type Trajectory = ResponseOf<'/api/trajectories/{id}', 'get'>;
export type SynonymGroup = ResponseOf<'/api/network/search-synonyms', 'get'>['items'][number];
export type TrajectorySummary = ResponseOf<'/api/trajectories', 'get'>['items'][number];
export type TrajectoryContact = Trajectory['contacts'][number];
export type TrajectoryCreate = RequestBody<'/api/trajectories', 'post'>;
export type TrajectoryTransition = RequestBody<'/api/trajectories/{id}/transitions', 'post'>;
export type ContactInput = RequestBody<'/api/trajectories/{id}/contacts', 'post'>;
export type ContactEdit = RequestBody<'/api/trajectories/{id}/contacts/{contactId}', 'patch'>;
export type TrajectoryQuery = QueryOf<'/api/trajectories', 'get'>;
export type GroupSummary = ResponseOf<'/api/groups', 'get'>['items'][number];
export type GroupDetail = ResponseOf<'/api/groups/{id}', 'get'>;
export type GroupSession = GroupDetail['sessions'][number];
export type GroupCreate = RequestBody<'/api/groups', 'post'>;
export type AttendanceInput = RequestBody<'/api/group-sessions/{id}/attendance', 'put'>;
export type GroupWorkFigures = ResponseOf<'/api/group-work/figures', 'get'>;
export type Facility = ResponseOf<'/api/facilities', 'get'>['items'][number];
export type FacilityCreate = RequestBody<'/api/facilities', 'post'>;
export type FacilityCase = ResponseOf<'/api/facility-cases/{id}', 'get'>;
export type FacilityCaseSummary = ResponseOf<'/api/facility-cases', 'get'>['items'][number];
export type FacilityCaseCreate = RequestBody<'/api/facility-cases', 'post'>;
export type FacilityContactInput = RequestBody<'/api/facility-cases/{id}/contacts', 'post'>;
export type OutreachSignalCreate = RequestBody<'/api/outreach/signals', 'post'>;
export type OutreachSignalQuery = QueryOf<'/api/outreach/signals', 'get'>;
export type OutreachSignal = ResponseOf<'/api/outreach/signals/{id}', 'get'>;
export type OutreachListItem = ResponseOf<'/api/outreach/signals', 'get'>['items'][number];
export type OutreachAttemptCreate = RequestBody<'/api/outreach/signals/{id}/attempts', 'post'>;
export type OutreachClose = RequestBody<'/api/outreach/signals/{id}/close', 'post'>;
export type OutreachSettings = ResponseOf<'/api/outreach/settings', 'get'>;
export type OutreachSettingsUpdate = RequestBody<'/api/outreach/settings', 'put'>;
export type MyWork = ResponseOf<'/api/my-work', 'get'>;
export type CarePlan = ResponseOf<'/api/care-plans/{id}', 'get'>;
export type CarePlanGoal = CarePlan['goals'][number];
export type CarePlanAction = CarePlan['actions'][number];
export type CarePlanMember = CarePlan['team'][number];
export type CarePlanEvaluation = CarePlan['evaluations'][number];
export type GoalInput = RequestBody<'/api/care-plans/{id}/goals', 'post'>;
export type PlanActionInput = RequestBody<'/api/care-plans/{id}/actions', 'post'>;
export type MemberInput = RequestBody<'/api/care-plans/{id}/team', 'post'>;
export type MemberEdit = RequestBody<'/api/care-plans/{id}/team/{memberId}', 'patch'>;
export type GoalEdit = RequestBody<'/api/care-plans/{id}/goals/{goalId}', 'patch'>;
export type PlanActionEdit = RequestBody<'/api/care-plans/{id}/actions/{actionId}', 'patch'>;
export type CarePlanEdit = RequestBody<'/api/care-plans/{id}', 'patch'>;
export type CarePlanHistoryEntry = ResponseOf<'/api/care-plans/{id}/history', 'get'>['items'][number];
export type EvaluationInput = RequestBody<'/api/care-plans/{id}/evaluations', 'post'>;
export type EvaluationResult = ResponseOf<'/api/care-plans/{id}/evaluations', 'post'>;
export type Caseload = ResponseOf<'/api/caseload', 'get'>;
export type ReportOutput = ResponseOf<'/api/reports/output', 'get'>;
export type ReportFlow = ResponseOf<'/api/reports/flow', 'get'>;
export type ReportStaffing = ResponseOf<'/api/reports/staffing', 'get'>;
export type ReportNorms = ResponseOf<'/api/reports/norms', 'get'>;
export type ReportNormsUpdate = RequestBody<'/api/reports/norms', 'put'>;
export type StaffingModule = RequestBody<'/api/reports/staffing', 'put'>['module'];
export type TransitionInput = RequestBody<'/api/referrals/{id}/transitions', 'post'>;
export type ReferralAction = TransitionInput['action'];
export type DeclineReason = (typeof DECLINE_REASONS)[number];
/** Closing after a missed first contact: a subset of the decline reasons (their labels too). */
export type CloseWithoutContactReason = (typeof CLOSE_WITHOUT_CONTACT_REASONS)[number];

export type Referral = ResponseOf<'/api/referrals/{id}', 'get'>;
/** What the consent let the sender share (null once the consent is withdrawn or expired). */
export type ReferralSnapshot = NonNullable<Referral['snapshot']>;
export type TimelineEvent = Referral['timeline'][number];
/** A referral registered with the receiver's client register, with the register's duplicate warning. */
export type RegisteredReferral = ResponseOf<'/api/referrals/{id}/register-client', 'post'>;
export type ReferralSummary = ResponseOf<'/api/referrals', 'get'>['items'][number];
export type ReferralQuery = WithDefaults<QueryOf<'/api/referrals', 'get'>, 'limit'>;
export type ReferralCounts = ResponseOf<'/api/referrals/counts', 'get'>;
export type OverdueReferral = ResponseOf<'/api/referrals/overdue', 'get'>['items'][number];
export type BridgingSuggestion = ResponseOf<'/api/referrals/{id}/bridging-suggestions', 'get'>['items'][number];
export type AppNotification = ResponseOf<'/api/notifications', 'get'>['items'][number];

// ---------- network settings ----------

export type NetworkSettingsValues = RequestBody<'/api/network/settings', 'put'>;
export type NetworkSettings = ResponseOf<'/api/network/settings', 'get'>;

// ---------- catalogue import (HSDS 3.0) ----------

/** A large import (more than 1000 records, or async=true) runs as a job: poll it until it is no longer running. */
export type ImportJob = ResponseOf<'/api/hsds/imports/{id}', 'get'>;
export type ImportResult = NonNullable<ImportJob['result']>;
export type ImportCounts = ImportResult['created'];
/** Records of one kind: the first 200 by id and name, and how many more. */
export type ImportRecordList = NonNullable<ImportResult['records']>['created'][ImportKind];
/** A problem of an import: `field` is "file:row:field" (row 1 of a CSV file is its header; "body" is the JSON sent). */
export type ImportIssue = ImportResult['warnings'][number];
/**
 * What POST /api/hsds/imports takes: HSDS JSON (an object, an array, or an API page { contents: [...] }), the
 * tabular JSON of a datapackage ({ "services.csv": [ {...} ] }), or a CSV datapackage { format, files: { name: text } }.
 * The server reads it without a schema (the route declares no body), so it stays open here.
 */
export type ImportBody = unknown;
export interface ImportOptions {
  dryRun: boolean;
  entity?: ImportKind | undefined;
  async?: boolean | undefined;
}

/** A 202 answer (a job) tells itself from a 200 (the result) by its status. */
export const isImportJob = (answer: ImportResult | ImportJob): answer is ImportJob =>
  'status' in answer && 'id' in answer;

// ---------- errors ----------

/** A field error of a problem answer (`errors` of the server's Problem schema). */
export type FieldError = NonNullable<components['schemas']['Problem']['errors']>[number];
/** An error answer of the API (RFC 9457 problem details), or a network failure (status 0). */
export class ProblemError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly code: string | undefined;
  readonly fieldErrors: FieldError[];
  readonly requestId: string | undefined;
  /** A 409 on a versioned record: the record as it is now (the problem document's `current`), to merge by hand. */
  readonly current: unknown;

  constructor(init: {
    status: number;
    title: string;
    detail?: string | undefined;
    code?: string | undefined;
    fieldErrors?: FieldError[] | undefined;
    requestId?: string | undefined;
    current?: unknown;
  }) {
    super(init.detail ?? init.title);
    this.name = 'ProblemError';
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.code = init.code;
    this.fieldErrors = init.fieldErrors ?? [];
    this.requestId = init.requestId;
    this.current = init.current;
  }

  /** Field errors keyed by the last segment of the field path ("/body/givenName" → "givenName"). */
  byField(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.fieldErrors) {
      const key = fieldKey(e.field);
      if (key && out[key] === undefined) out[key] = e.message;
    }
    return out;
  }
}

/** "/body/givenName" or "body.givenName" → "givenName"; "permissions.2" → "permissions". */
export function fieldKey(field: string): string {
  const parts = field.split(/[./[\]]+/).filter((p) => p !== '' && p !== 'body' && !/^\d+$/.test(p));
  return parts[parts.length - 1] ?? '';
}

// ---------- state shared with the app ----------

let csrfToken: string | null = null;
let acceptLanguage = 'nl-BE';
let unauthorizedHandler: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
export function setApiLanguage(language: string): void {
  acceptLanguage = language === 'en' ? 'en' : 'nl-BE, nl;q=0.9';
}
/** Called on every 401 outside of the login calls themselves. */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

// ---------- the request function ----------

type QueryValue = string | number | boolean | null | undefined;
type Query = Record<string, QueryValue | readonly QueryValue[]>;

interface CommonOptions {
  /** Do not treat a 401 as "session over" (login, second factor, first /me). */
  quiet401?: boolean;
  signal?: AbortSignal;
}
/**
 * What one route takes besides the common options: `params` when its path has parameters, `query` when it reads a
 * querystring (every field may be left out here: the methods of `api` say which ones a call must give), `body` when
 * it takes one. A route that declares none of them takes none.
 */
type RequestOptions<P extends Path, M extends MethodOf<P>> = CommonOptions &
  ([PathParams<P, M>] extends [never] ? unknown : { params: PathParams<P, M> }) &
  ([QueryOf<P, M>] extends [never] ? unknown : { query?: Partial<QueryOf<P, M>> }) &
  ([BodyOf<P, M>] extends [never] ? unknown : { body: BodyOf<P, M> });
/** The routes whose body the server reads without a schema (the HSDS import: any JSON). */
type UndeclaredBody = '/api/hsds/imports';
type BodyOf<P extends Path, M extends MethodOf<P>> = P extends UndeclaredBody ? ImportBody : RequestBody<P, M>;
type OptionsArg<P extends Path, M extends MethodOf<P>> =
  object extends RequestOptions<P, M> ? [options?: RequestOptions<P, M>] : [options: RequestOptions<P, M>];

interface SendOptions extends CommonOptions {
  params?: Record<string, string>;
  query?: Query;
  body?: unknown;
}

function buildUrl(path: string, options: SendOptions): string {
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(options.params?.[name] ?? ''));
  const params = new URLSearchParams();
  if (options.query) {
    for (const [k, value] of Object.entries(options.query)) {
      // arrays repeat the key (?theme=a&theme=b), which the server reads as a list
      for (const v of Array.isArray(value) ? value : [value]) {
        if (v !== undefined && v !== null && v !== '') params.append(k, String(v));
      }
    }
  }
  const qs = params.toString();
  return `${url}${qs ? `?${qs}` : ''}`;
}

/** Calls one route of the contract: its path parameters, querystring, body and answer are the server's types. */
async function request<P extends Path, M extends MethodOf<P>>(
  method: M,
  path: P,
  ...[options]: OptionsArg<P, M>
): Promise<ResponseOf<P, M>> {
  return send<ResponseOf<P, M>>(method.toUpperCase(), path, options ?? {});
}

async function send<T>(method: string, path: string, options: SendOptions): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': acceptLanguage };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ProblemError({ status: 0, title: 'network', code: 'network' });
  }

  if (response.status === 401 && !options.quiet401) unauthorizedHandler?.();

  if (!response.ok) throw await toProblem(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * A file of the API read as a stream (a long export shows its progress): the answer with a body, or the problem
 * document in the user's language — never a bare status code.
 */
export async function fetchFile(path: string, query: Query): Promise<Response & { body: ReadableStream<Uint8Array> }> {
  let response: Response;
  try {
    response = await fetch(buildUrl(path, { query }), {
      credentials: 'same-origin',
      headers: { 'Accept-Language': acceptLanguage },
    });
  } catch {
    throw new ProblemError({ status: 0, title: 'network', code: 'network' });
  }
  if (!response.ok || !response.body) throw await toProblem(response);
  return response as Response & { body: ReadableStream<Uint8Array> };
}

async function toProblem(response: Response): Promise<ProblemError> {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = await response.json();
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // not JSON: keep the status alone
  }
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const errors = Array.isArray(body.errors)
    ? body.errors
        .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
        .map((e) => ({ field: str(e.field) ?? '', code: str(e.code) ?? '', message: str(e.message) ?? '' }))
    : [];
  return new ProblemError({
    status: response.status,
    title: str(body.title) ?? response.statusText,
    detail: str(body.detail),
    code: str(body.code),
    fieldErrors: errors,
    requestId: str(body.requestId),
    current: body.current,
  });
}

// ---------- endpoints ----------

export const api = {
  meta: () => request('get', '/api/meta', { quiet401: true }),

  login: (email: string, password: string) =>
    request('post', '/api/auth/login', { body: { email, password }, quiet401: true }),
  loginTotp: (code: string) => request('post', '/api/auth/login/totp', { body: { code }, quiet401: true }),
  logout: () => request('post', '/api/auth/logout', { quiet401: true }),
  me: () => request('get', '/api/auth/me', { quiet401: true }),
  switchMembership: (membershipId: string) => request('post', '/api/auth/membership', { body: { membershipId } }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request('post', '/api/auth/password', { body: { currentPassword, newPassword } }),
  totpSetup: () => request('post', '/api/auth/totp/setup'),
  totpEnable: (code: string) => request('post', '/api/auth/totp/enable', { body: { code } }),
  totpDisable: (password: string) => request('post', '/api/auth/totp/disable', { body: { password } }),
  /** "Wachtwoord vergeten": always 202, whether or not the address has an account. */
  requestPasswordReset: (email: string) =>
    request('post', '/api/auth/password-reset/request', { body: { email }, quiet401: true }),
  resetPasswordWithLink: (token: string, newPassword: string) =>
    request('post', '/api/auth/password-reset', { body: { token, newPassword }, quiet401: true }),

  municipalities: (q?: string) => request('get', '/api/municipalities', { query: { q } }),
  currentNetwork: () => request('get', '/api/networks/current'),

  organizations: () => request('get', '/api/organizations'),
  organization: (id: string) => request('get', '/api/organizations/{id}', { params: { id } }),
  createOrganization: (body: RequestBody<'/api/organizations', 'post'>) =>
    request('post', '/api/organizations', { body }),
  updateOrganization: (id: string, body: RequestBody<'/api/organizations/{id}', 'patch'>) =>
    request('patch', '/api/organizations/{id}', { params: { id }, body }),
  createSite: (id: string, body: RequestBody<'/api/organizations/{id}/sites', 'post'>) =>
    request('post', '/api/organizations/{id}/sites', { params: { id }, body }),
  createTeam: (id: string, body: RequestBody<'/api/organizations/{id}/teams', 'post'>) =>
    request('post', '/api/organizations/{id}/teams', { params: { id }, body }),

  users: () => request('get', '/api/users'),
  user: (id: string) => request('get', '/api/users/{id}', { params: { id } }),
  createUser: (body: RequestBody<'/api/users', 'post'>) => request('post', '/api/users', { body }),
  updateUser: (id: string, body: RequestBody<'/api/users/{id}', 'patch'>) =>
    request('patch', '/api/users/{id}', { params: { id }, body }),
  resetPassword: (id: string, body: RequestBody<'/api/users/{id}/reset-password', 'post'> = {}) =>
    request('post', '/api/users/{id}/reset-password', { params: { id }, body }),
  addMembership: (id: string, body: RequestBody<'/api/users/{id}/memberships', 'post'>) =>
    request('post', '/api/users/{id}/memberships', { params: { id }, body }),
  deactivateMembership: (id: string) => request('post', '/api/memberships/{id}/deactivate', { params: { id } }),

  searchClients: (q: string, page: number, pageSize: number, signal?: AbortSignal) =>
    request('get', '/api/clients', { query: { q, page, pageSize }, signal }),
  duplicateCheck: (body: RequestBody<'/api/clients/duplicate-check', 'post'>) =>
    request('post', '/api/clients/duplicate-check', { body }),
  createClient: (body: ClientInput) => request('post', '/api/clients', { body }),
  client: (id: string) => request('get', '/api/clients/{id}', { params: { id } }),
  updateClient: (id: string, body: RequestBody<'/api/clients/{id}', 'patch'>) =>
    request('patch', '/api/clients/{id}', { params: { id }, body }),
  clientAccessLog: (id: string) => request('get', '/api/clients/{id}/access-log', { params: { id } }),

  audit: (query: AuditQuery) => request('get', '/api/audit', { query }),

  apiTokens: () => request('get', '/api/api-tokens'),
  createApiToken: (body: RequestBody<'/api/api-tokens', 'post'>) => request('post', '/api/api-tokens', { body }),
  revokeApiToken: (id: string) => request('post', '/api/api-tokens/{id}/revoke', { params: { id } }),

  themes: () => request('get', '/api/themes', { quiet401: true }),
  categories: () => request('get', '/api/categories', { quiet401: true }),
  searchOffers: (query: OfferQuery, signal?: AbortSignal) => request('get', '/api/offers', { query, signal }),
  /** Paged, the oldest first (`pageSize` defaults to the server's 500). */
  staleOffers: (page = 1, pageSize?: number) => request('get', '/api/offers/stale', { query: { page, pageSize } }),
  offer: (id: string) => request('get', '/api/offers/{id}', { params: { id } }),
  createOffer: (body: OfferInput) => request('post', '/api/offers', { body }),
  updateOffer: (id: string, body: RequestBody<'/api/offers/{id}', 'patch'>) =>
    request('patch', '/api/offers/{id}', { params: { id }, body }),
  updateCapacity: (id: string, body: RequestBody<'/api/offers/{id}/capacity', 'post'>) =>
    request('post', '/api/offers/{id}/capacity', { params: { id }, body }),
  /** The public catalogue: no session needed, so a 401 never means "session over" here. */
  publicOffers: (query: OfferQuery, signal?: AbortSignal) =>
    request('get', '/api/public/offers', { query, signal, quiet401: true }),
  publicOffer: (id: string) => request('get', '/api/public/offers/{id}', { params: { id }, quiet401: true }),

  // intake
  instruments: () => request('get', '/api/instruments'),
  helpRequests: (query: QueryOf<'/api/help-requests', 'get'>) => request('get', '/api/help-requests', { query }),
  createHelpRequest: (body: RequestBody<'/api/help-requests', 'post'>) =>
    request('post', '/api/help-requests', { body }),
  helpRequest: (id: string) => request('get', '/api/help-requests/{id}', { params: { id } }),
  updateHelpRequest: (id: string, body: HelpRequestUpdate) =>
    request('patch', '/api/help-requests/{id}', { params: { id }, body }),
  closeHelpRequest: (id: string, reason: string) =>
    request('post', '/api/help-requests/{id}/close', { params: { id }, body: { reason } }),
  addScreening: (id: string, body: RequestBody<'/api/help-requests/{id}/screenings', 'post'>) =>
    request('post', '/api/help-requests/{id}/screenings', { params: { id }, body }),
  clientScreenings: (clientId: string) => request('get', '/api/clients/{id}/screenings', { params: { id: clientId } }),
  raiseSignal: (id: string, body: RequestBody<'/api/help-requests/{id}/safety-signals', 'post'>) =>
    request('post', '/api/help-requests/{id}/safety-signals', { params: { id }, body }),
  recordSafetyAction: (signalId: string, actionTaken: string) =>
    request('post', '/api/safety-signals/{id}/action', { params: { id: signalId }, body: { actionTaken } }),
  acknowledgeSignal: (signalId: string) =>
    request('post', '/api/safety-signals/{id}/acknowledge', { params: { id: signalId } }),
  openSignals: () => request('get', '/api/safety-signals'),
  matches: (id: string) => request('get', '/api/help-requests/{id}/matches', { params: { id } }),
  /** `topSuggestionOfferId`: the top suggestion that was shown (the reason rule is judged against it) */
  recordChoice: (id: string, offerId: string, reason: string | null, topSuggestionOfferId: string | null) =>
    request('post', '/api/help-requests/{id}/choice', {
      params: { id },
      body: { offerId, reason, topSuggestionOfferId },
    }),

  // consents and referrals
  createConsent: (body: ConsentInput) => request('post', '/api/consents', { body }),
  clientConsents: (clientId: string) => request('get', '/api/clients/{id}/consents', { params: { id: clientId } }),
  withdrawConsent: (id: string, note: string | null) =>
    request('post', '/api/consents/{id}/withdraw', { params: { id }, body: { note } }),
  consentExceptions: () => request('get', '/api/consents/exceptions'),
  reviewConsent: (id: string) => request('post', '/api/consents/{id}/review', { params: { id } }),
  createReferral: (body: RequestBody<'/api/referrals', 'post'>) => request('post', '/api/referrals', { body }),
  referrals: (query: ReferralQuery, signal?: AbortSignal) => request('get', '/api/referrals', { query, signal }),
  referralCounts: () => request('get', '/api/referrals/counts'),
  overdueReferrals: () => request('get', '/api/referrals/overdue'),
  referral: (id: string) => request('get', '/api/referrals/{id}', { params: { id } }),
  transition: (id: string, body: TransitionInput) =>
    request('post', '/api/referrals/{id}/transitions', { params: { id }, body }),
  addBridging: (id: string, body: RequestBody<'/api/referrals/{id}/bridging', 'post'>) =>
    request('post', '/api/referrals/{id}/bridging', { params: { id }, body }),
  bridgingSuggestions: (id: string) => request('get', '/api/referrals/{id}/bridging-suggestions', { params: { id } }),
  registerReferralClient: (id: string, existingClientId: string | null) =>
    request('post', '/api/referrals/{id}/register-client', { params: { id }, body: { existingClientId } }),
  notifications: (unread?: boolean) => request('get', '/api/notifications', { query: { unread } }),
  markNotificationRead: (id: string) => request('post', '/api/notifications/{id}/read', { params: { id } }),

  // network settings
  networkSettings: () => request('get', '/api/network/settings'),
  updateNetworkSettings: (body: NetworkSettingsValues) => request('put', '/api/network/settings', { body }),
  // the catalogue search's synonym groups (network admin)
  searchSynonyms: () => request('get', '/api/network/search-synonyms'),
  addSearchSynonyms: (terms: string[]) => request('post', '/api/network/search-synonyms', { body: { terms } }),
  removeSearchSynonyms: (id: string) => request('delete', '/api/network/search-synonyms/{id}', { params: { id } }),

  // catalogue import (network admin: catalogue:import)
  /** 200 with the result, or 202 with a job for a large import (see `isImportJob`); a bad file is a 400 with `fieldErrors`. */
  importCatalogue: (body: ImportBody, options: ImportOptions) =>
    request('post', '/api/hsds/imports', {
      body,
      query: { dryRun: options.dryRun, entity: options.entity, async: options.async },
    }),
  importJob: (id: string, signal?: AbortSignal) => request('get', '/api/hsds/imports/{id}', { params: { id }, signal }),

  // trajectories (traject) and their contact log
  trajectories: (query: TrajectoryQuery) => request('get', '/api/trajectories', { query }),
  trajectory: (id: string) => request('get', '/api/trajectories/{id}', { params: { id } }),
  createTrajectory: (body: TrajectoryCreate) => request('post', '/api/trajectories', { body }),
  trajectoryTransition: (id: string, body: TrajectoryTransition) =>
    request('post', '/api/trajectories/{id}/transitions', { params: { id }, body }),
  addContact: (id: string, body: ContactInput) =>
    request('post', '/api/trajectories/{id}/contacts', { params: { id }, body }),
  updateContact: (id: string, contactId: string, body: ContactEdit) =>
    request('patch', '/api/trajectories/{id}/contacts/{contactId}', { params: { id, contactId }, body }),
  contactVersions: (id: string, contactId: string) =>
    request('get', '/api/trajectories/{id}/contacts/{contactId}/versions', { params: { id, contactId } }),

  // the shared care plan (hulpplan): one per person, with goals, actions, team and evaluations
  clientCarePlan: (clientId: string) => request('get', '/api/clients/{id}/care-plan', { params: { id: clientId } }),
  createCarePlan: (clientId: string) => request('post', '/api/care-plans', { body: { clientId } }),
  /** The person's plans this organisation may see, open and closed, newest first. */
  carePlans: (clientId: string) => request('get', '/api/care-plans', { query: { clientId } }),
  addGoal: (id: string, body: GoalInput) => request('post', '/api/care-plans/{id}/goals', { params: { id }, body }),
  addPlanAction: (id: string, body: PlanActionInput) =>
    request('post', '/api/care-plans/{id}/actions', { params: { id }, body }),
  addTeamMember: (id: string, body: MemberInput) =>
    request('post', '/api/care-plans/{id}/team', { params: { id }, body }),
  evaluateCarePlan: (id: string, body: EvaluationInput) =>
    request('post', '/api/care-plans/{id}/evaluations', { params: { id }, body }),
  /** The plan as it was at the end of that day (read-only), or as it is now without a date. */
  carePlan: (id: string, asOf?: string) => request('get', '/api/care-plans/{id}', { params: { id }, query: { asOf } }),
  updateCarePlan: (id: string, body: CarePlanEdit) =>
    request('patch', '/api/care-plans/{id}', { params: { id }, body }),
  carePlanHistory: (id: string) => request('get', '/api/care-plans/{id}/history', { params: { id } }),
  handOverCoordinator: (id: string, body: RequestBody<'/api/care-plans/{id}/coordinator', 'post'>) =>
    request('post', '/api/care-plans/{id}/coordinator', { params: { id }, body }),
  updateGoal: (id: string, goalId: string, body: GoalEdit) =>
    request('patch', '/api/care-plans/{id}/goals/{goalId}', { params: { id, goalId }, body }),
  updatePlanAction: (id: string, actionId: string, body: PlanActionEdit) =>
    request('patch', '/api/care-plans/{id}/actions/{actionId}', { params: { id, actionId }, body }),
  updateTeamMember: (id: string, memberId: string, body: MemberEdit) =>
    request('patch', '/api/care-plans/{id}/team/{memberId}', { params: { id, memberId }, body }),

  // group work (groepswerking) and support to facilities
  groups: () => request('get', '/api/groups'),
  group: (id: string) => request('get', '/api/groups/{id}', { params: { id } }),
  createGroup: (body: GroupCreate) => request('post', '/api/groups', { body }),
  updateGroup: (id: string, body: RequestBody<'/api/groups/{id}', 'patch'>) =>
    request('patch', '/api/groups/{id}', { params: { id }, body }),
  addGroupSession: (id: string, body: { startsAt: string; minutes: number }) =>
    request('post', '/api/groups/{id}/sessions', { params: { id }, body }),
  cancelGroupSession: (id: string, reason: string | null) =>
    request('post', '/api/group-sessions/{id}/cancel', { params: { id }, body: { reason } }),
  recordAttendance: (id: string, body: AttendanceInput) =>
    request('put', '/api/group-sessions/{id}/attendance', { params: { id }, body }),
  registerForGroup: (id: string, clientId: string, consent: boolean) =>
    request('post', '/api/groups/{id}/registrations', { params: { id }, body: { clientId, consent } }),
  withdrawFromGroup: (id: string, clientId: string) =>
    request('delete', '/api/groups/{id}/registrations/{clientId}', { params: { id, clientId } }),
  publishGroup: (id: string, published: boolean) =>
    request('put', '/api/groups/{id}/publication', { params: { id }, body: { published } }),
  groupWorkFigures: (from: string, to: string) => request('get', '/api/group-work/figures', { query: { from, to } }),
  facilities: () => request('get', '/api/facilities'),
  createFacility: (body: FacilityCreate) => request('post', '/api/facilities', { body }),
  facilityCases: (query: { status?: 'open' | 'closed'; facilityId?: string }) =>
    request('get', '/api/facility-cases', { query }),
  facilityCase: (id: string) => request('get', '/api/facility-cases/{id}', { params: { id } }),
  openFacilityCase: (body: FacilityCaseCreate) => request('post', '/api/facility-cases', { body }),
  addFacilityContact: (id: string, body: FacilityContactInput) =>
    request('post', '/api/facility-cases/{id}/contacts', { params: { id }, body }),
  closeFacilityCase: (id: string, summary: string) =>
    request('post', '/api/facility-cases/{id}/close', { params: { id }, body: { summary } }),
  // proactive outreach (proactief aanbod)
  createOutreachSignal: (body: OutreachSignalCreate) => request('post', '/api/outreach/signals', { body }),
  outreachSignals: (query: OutreachSignalQuery) => request('get', '/api/outreach/signals', { query }),
  outreachSignal: (id: string) => request('get', '/api/outreach/signals/{id}', { params: { id } }),
  addOutreachAttempt: (id: string, body: OutreachAttemptCreate) =>
    request('post', '/api/outreach/signals/{id}/attempts', { params: { id }, body }),
  closeOutreachSignal: (id: string, body: OutreachClose) =>
    request('post', '/api/outreach/signals/{id}/close', { params: { id }, body }),
  outreachSettings: () => request('get', '/api/outreach/settings'),
  saveOutreachSettings: (body: OutreachSettingsUpdate) => request('put', '/api/outreach/settings', { body }),
  // my work and a team lead's caseload
  myWork: () => request('get', '/api/my-work', {}),
  caseload: (teamId?: string) => request('get', '/api/caseload', { query: teamId ? { teamId } : {} }),
  // reports (rapportering): aggregates only
  reportOutput: (quarter: string, organizationId?: string) =>
    request('get', '/api/reports/output', { query: { quarter, ...(organizationId ? { organizationId } : {}) } }),
  submitOutput: (quarter: string) => request('post', '/api/reports/output/submit', { body: { quarter } }),
  reportStaffing: (quarter: string) => request('get', '/api/reports/staffing', { query: { quarter } }),
  putStaffing: (quarter: string, module: StaffingModule, fte: number) =>
    request('put', '/api/reports/staffing', { body: { quarter, module, fte } }),
  removeStaffing: (quarter: string, module: StaffingModule) =>
    request('delete', '/api/reports/staffing/{quarter}/{module}', { params: { quarter, module } }),
  copyPreviousStaffing: (quarter: string) =>
    request('post', '/api/reports/staffing/copy-previous', { body: { quarter } }),
  reportNorms: () => request('get', '/api/reports/norms'),
  updateReportNorms: (body: ReportNormsUpdate) => request('put', '/api/reports/norms', { body }),
  reportFlow: (from: string, to: string, by?: 'month' | 'quarter' | 'organization' | 'level') =>
    request('get', '/api/reports/flow', { query: { from, to, ...(by ? { by } : {}) } }),
};
