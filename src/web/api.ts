/**
 * The one HTTP client of the web app. Every call goes through `request`, which
 * - sends the session cookie (same origin) and the current language as Accept-Language,
 * - adds the CSRF token to every call that changes something,
 * - turns application/problem+json answers into a typed `ProblemError`,
 * - reports a 401 to the auth layer so that the app returns to the login screen.
 */

// ---------- types of the contract ----------

export type Role =
  | 'intake-worker'
  | 'caregiver'
  | 'coordinator'
  | 'team-lead'
  | 'org-admin'
  | 'network-coordinator'
  | 'analyst'
  | 'network-admin';

export const ORGANIZATION_ROLES: readonly Role[] = ['intake-worker', 'caregiver', 'coordinator', 'team-lead', 'org-admin'];
export const NETWORK_ROLES: readonly Role[] = ['network-coordinator', 'analyst', 'network-admin'];
export const ALL_ROLES: readonly Role[] = [...ORGANIZATION_ROLES, ...NETWORK_ROLES];

export type OrganizationKind =
  | 'caw'
  | 'cgg'
  | 'ocmw'
  | 'dmw'
  | 'helpline'
  | 'care-facility'
  | 'funeral-director'
  | 'primary-care'
  | 'zero-line'
  | 'other';

export const ORGANIZATION_KINDS: readonly OrganizationKind[] = [
  'caw', 'cgg', 'ocmw', 'dmw', 'helpline', 'care-facility', 'funeral-director', 'primary-care', 'zero-line', 'other',
];

export interface Meta { demo: boolean; version: string }

export interface LoginResult { csrfToken: string; twoFactorRequired: boolean; mustChangePassword: boolean }
export interface TotpLoginResult { csrfToken: string; mustChangePassword: boolean }

export interface Membership {
  id: string;
  role: Role;
  organizationId: string | null;
  organizationName: string | null;
  /** CAW, CGG, helpline, …; null for a network role */
  organizationKind: string | null;
  networkId: string;
  networkName: string;
}

export interface Me {
  csrfToken: string;
  pendingTwoFactor: boolean;
  user: {
    id: string;
    email: string;
    displayName: string;
    language: string;
    totpEnabled: boolean;
    mustChangePassword: boolean;
  };
  /** null when the account has no active role (the server then refuses everything else). */
  membership: Membership | null;
  memberships: Membership[];
  permissions: string[];
  grantableRoles: Role[];
}

/** A session with an active membership: what every page of the app works with. */
export interface ActiveMe extends Me {
  membership: Membership;
}

export interface TotpSetup { secret: string; otpauthUrl: string; qrDataUrl: string }

export interface Municipality { nisCode: string; name: string; province: string | null }
export interface Network { id: string; name: string; zoneName: string; municipalities: string[] }

export interface OrganizationSummary { id: string; name: string; kind: OrganizationKind; active: boolean }
export interface Site { id: string; name: string; street: string; postalCode: string; municipality: string }
export interface Team { id: string; name: string }
export interface Organization extends OrganizationSummary { sites: Site[]; teams: Team[] }

export interface UserMembership {
  id: string;
  role: Role;
  organizationId: string | null;
  organizationName: string | null;
  teamId: string | null;
  active: boolean;
}
export interface UserSummary {
  id: string;
  email: string;
  displayName: string;
  active: boolean;
  totpEnabled: boolean;
  memberships: UserMembership[];
}

export type IdentityKind = 'named' | 'pseudonym' | 'anonymous';
export const IDENTITY_KINDS: readonly IdentityKind[] = ['named', 'pseudonym', 'anonymous'];

export interface Client {
  id: string;
  organizationId: string;
  identityKind: IdentityKind;
  displayName: string;
  givenName: string | null;
  familyName: string | null;
  pseudonym: string | null;
  birthDate: string | null;
  birthYear: number | null;
  municipality: string | null;
  phone: string | null;
  email: string | null;
  preferredLanguage: string | null;
  insz: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ClientInput {
  identityKind: IdentityKind;
  givenName: string | null;
  familyName: string | null;
  pseudonym: string | null;
  birthDate: string | null;
  birthYear: number | null;
  municipality: string | null;
  phone: string | null;
  email: string | null;
  preferredLanguage: string | null;
  insz: string | null;
}

export interface DuplicateCandidate { id: string; displayName: string; birthDate: string | null; birthYear: number | null }
export interface AccessLogEntry { at: string; userDisplayName: string | null; role: Role | null; organizationName: string | null; action: string }

export interface AuditEvent {
  id: string;
  at: string;
  actorDisplayName: string | null;
  role: Role | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  outcome: string;
  ip: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  permissions: string[];
  grantableRoles: Role[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Items<T> { items: T[] }

// ---------- catalogue (Aanbod) ----------

export type OfferLevel = 'zero-line' | 'basic' | 'specialised' | 'crisis';
export type Modality = 'face-to-face' | 'phone' | 'chat' | 'video' | 'home-visit' | 'group';
export type Capacity = 'open' | 'waitlist' | 'full' | 'assessment';
export type Cost = 'free' | 'contribution' | 'fee';
export type TargetGroup =
  | 'children' | 'youth' | 'adults' | 'elderly' | 'families' | 'couples' | 'professionals' | 'bereaved' | 'victims' | 'everyone';

export const OFFER_LEVELS: readonly OfferLevel[] = ['zero-line', 'basic', 'specialised', 'crisis'];
export const MODALITIES: readonly Modality[] = ['face-to-face', 'phone', 'chat', 'video', 'home-visit', 'group'];
export const CAPACITIES: readonly Capacity[] = ['open', 'waitlist', 'full', 'assessment'];
export const COSTS: readonly Cost[] = ['free', 'contribution', 'fee'];
export const TARGET_GROUPS: readonly TargetGroup[] = [
  'children', 'youth', 'adults', 'elderly', 'families', 'couples', 'professionals', 'bereaved', 'victims', 'everyone',
];

/** A theme or category of the taxonomy, labelled in the language of the request. */
export interface Term { id: string; label: string }

/** The fields anyone may see (the public catalogue). */
export interface PublicOffer {
  id: string;
  organizationId: string;
  organizationName: string;
  name: string;
  description: string;
  category: string | null;
  level: string;
  themes: string[];
  targetGroups: string[];
  minAge: number | null;
  maxAge: number | null;
  modalities: string[];
  languages: string[];
  municipalities: string[];
  openingHours: string | null;
  cost: string;
  costNote: string | null;
  selfReferral: boolean;
  referralRequired: boolean;
  contactPhone: string | null;
  contactEmail: string | null;
  contactUrl: string | null;
  capacity: string;
  waitDays: number | null;
  capacityUpdatedAt: string;
  /** capacity not confirmed for 14 days */
  stale: boolean;
  updatedAt: string;
}

/** An offer as the network sees it, with the internal fields. */
export interface Offer extends PublicOffer {
  siteIds: string[];
  whoMayRefer: string | null;
  consentRequired: boolean;
  isPublic: boolean;
  active: boolean;
  internalNote: string | null;
  createdAt: string;
  /** the offer belongs to the active organisation (the permission offer:manage is checked apart) */
  mayEdit: boolean;
}

export interface OfferInput {
  name: string;
  description: string;
  category: string | null;
  level: OfferLevel;
  themes: string[];
  targetGroups: TargetGroup[];
  minAge: number | null;
  maxAge: number | null;
  modalities: Modality[];
  languages: string[];
  municipalities: string[];
  siteIds: string[];
  openingHours: string | null;
  cost: Cost;
  costNote: string | null;
  selfReferral: boolean;
  referralRequired: boolean;
  whoMayRefer: string | null;
  consentRequired: boolean;
  contactPhone: string | null;
  contactEmail: string | null;
  contactUrl: string | null;
  capacity: Capacity;
  waitDays: number | null;
  isPublic: boolean;
  active: boolean;
  internalNote: string | null;
}

export interface FacetCount { value: string; count: number }
export interface Facets { theme: FacetCount[]; level: FacetCount[]; modality: FacetCount[]; capacity: FacetCount[]; language: FacetCount[] }

export interface OfferQuery {
  q?: string;
  theme?: string[];
  category?: string[];
  age?: number;
  municipality?: string;
  /** a primary-care zone (a network id): offers whose service area touches its municipalities */
  zone?: string;
  level?: string[];
  modality?: string[];
  language?: string[];
  selfReferral?: boolean;
  capacity?: string[];
  maxWaitDays?: number;
  sort?: 'relevance' | 'wait';
  facets?: boolean;
  page?: number;
  pageSize?: number;
}

export interface SearchResult<T> { items: T[]; total: number; facets?: Facets }

// ---------- intake (Onthaal) ----------

export const CHANNELS = ['self', 'gp', 'helpline', 'facility', 'school', 'police', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];
export const URGENCIES = ['routine', 'urgent', 'acute'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const LIFE_DOMAINS = [
  'mental-health', 'physical-health', 'relationships', 'family', 'work-school', 'finances', 'housing', 'safety', 'social-contacts', 'justice',
] as const;
export type LifeDomain = (typeof LIFE_DOMAINS)[number];
export const HELP_REQUEST_STATUSES = ['open', 'indicated', 'referred', 'closed'] as const;
export type HelpRequestStatus = (typeof HELP_REQUEST_STATUSES)[number];

export interface HelpRequest {
  id: string;
  organizationId: string;
  clientId: string | null;
  channel: string;
  receivedAt: string;
  story: string;
  context: string | null;
  lifeDomains: string[];
  themes: string[];
  urgency: string;
  clarification: string | null;
  age: number | null;
  municipality: string | null;
  language: string | null;
  preferredModality: string | null;
  indicationLevel: string | null;
  indicationReasons: string | null;
  status: string;
  closeReason: string | null;
  chosenOfferId: string | null;
  choiceReason: string | null;
  topSuggestionOfferId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The fields a worker fills in (create) or changes (PATCH). */
export interface HelpRequestInput {
  channel: Channel;
  story: string;
  context: string | null;
  lifeDomains: LifeDomain[];
  themes: string[];
  urgency: Urgency;
  clarification: string | null;
  age: number | null;
  municipality: string | null;
  language: string | null;
  preferredModality: Modality | null;
}

export interface LocalText { nl: string; en: string }
export interface InstrumentOption { value: string | number; label: LocalText; score: number }
export interface InstrumentItem {
  id: string;
  text: LocalText;
  options: InstrumentOption[];
  enableWhen?: { item: string; anyOf: (string | number)[] };
  subscale?: string;
  /** must be answered (PHQ-9 item 9): never estimated */
  required?: boolean;
}
export interface InstrumentBand { code: string; min: number; max: number; label: LocalText }
export interface Instrument {
  id: string;
  version: string;
  title: LocalText;
  description: LocalText;
  citation: string;
  licence: LocalText;
  /** the missing-data rule and its source */
  missingData?: LocalText;
  items: InstrumentItem[];
  scoring: {
    total: { min: number; max: number };
    subscales?: { id: string; title: LocalText; min: number; max: number; bands?: InstrumentBand[] }[];
    bands: InstrumentBand[];
    bandFrom?: 'total' | 'flags';
  };
  flags: { code: string; label: LocalText; level: 'info' | 'warning' | 'high' }[];
}

export type Answers = Record<string, string | number>;
export interface ScreeningFlag { code: string; label: string; level: 'info' | 'warning' | 'high' }
export interface Screening {
  id: string;
  helpRequestId: string;
  instrument: string;
  instrumentVersion: string;
  answers: Answers;
  score: number | null;
  band: string | null;
  bandLabel: string | null;
  subscales: { id: string; score: number | null; band: string | null }[];
  flags: ScreeningFlag[];
  missing: string[];
  imputed: boolean;
  administeredAt: string;
}
export interface CrisisActions {
  phoneNumbers: { label: string; number: string }[];
  offers: { id: string; name: string; organizationName: string; phone: string | null }[];
}
export interface ScreeningResult extends Screening {
  safetySignal: { kind: string; level: string } | null;
  crisisActions: CrisisActions | null;
}

export const SIGNAL_KINDS = ['family-violence', 'unsafe-home', 'suicide-risk', 'suicide-high-risk', 'other'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];
export const SIGNAL_LEVELS = ['moderate', 'high'] as const;
export type SignalLevel = (typeof SIGNAL_LEVELS)[number];
export interface SafetySignal {
  id: string;
  helpRequestId: string;
  source: string;
  screeningId: string | null;
  kind: string;
  level: string;
  note: string | null;
  raisedAt: string;
  actionTaken: string | null;
  actionRecordedAt: string | null;
  acknowledgedAt: string | null;
}

export interface HelpRequestDetail extends HelpRequest {
  screenings: Screening[];
  safetySignals: SafetySignal[];
  crisisActions: CrisisActions | null;
  /** false while a high risk has no recorded safety action */
  closable: boolean;
  /** a referral of this help request is still open: it is followed there, not closed here */
  openReferral: boolean;
  /** the level of care the scores alone suggest; an indication that differs needs its reasons */
  suggestedLevel: NeededLevel;
}

export interface Suggestion {
  offerId: string;
  name: string;
  organizationName: string;
  level: string;
  capacity: string;
  waitDays: number | null;
  /** 0–100 */
  score: number;
  reasons: string[];
  misfits: string[];
}
export interface NeededLevel { level: string; basis: 'indication' | 'screening' | 'default'; because: string[] }
export interface Matches {
  neededLevel: NeededLevel;
  items: Suggestion[];
  whileWaiting: Suggestion[];
}

// ---------- consents and referrals ----------

export const CONSENT_CATEGORIES = ['contact', 'help-request-summary', 'screening-results'] as const;
export type ConsentCategory = (typeof CONSENT_CATEGORIES)[number] | 'care-plan';
export const CONSENT_METHODS = ['verbal', 'written', 'digital', 'exception'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

export interface Consent {
  id: string;
  clientId: string;
  purpose: string;
  recipientOrganizationId: string;
  recipientOfferId: string | null;
  recipientOfferName: string | null;
  categories: string[];
  method: string;
  exceptionReason: string | null;
  recordedAt: string;
  recordedBy: ConsentActor | null;
  validUntil: string | null;
  withdrawnAt: string | null;
  withdrawnBy: ConsentActor | null;
  reviewedAt: string | null;
  reviewedBy: ConsentActor | null;
  active: boolean;
  needsReview: boolean;
}
/** A staff member (display name) or an API token (its name) that recorded, withdrew or reviewed a consent. */
export interface ConsentActor { kind: 'user' | 'token'; id: string; name: string | null }
export interface ConsentInput {
  clientId: string;
  purpose: 'referral';
  recipientOrganizationId: string;
  recipientOfferId: string | null;
  categories: ConsentCategory[];
  method: ConsentMethod;
  exceptionReason: string | null;
  validUntil: string | null;
}

export const REFERRAL_STATUSES = [
  'requested', 'received', 'accepted', 'declined', 'waitlisted', 'scheduled', 'first-contact', 'missed', 'completed', 'cancelled',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const REFERRAL_ACTIONS = ['receive', 'accept', 'decline', 'waitlist', 'schedule', 'first-contact', 'missed', 'complete', 'cancel'] as const;
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number];
export const DECLINE_REASONS = ['no-capacity', 'not-eligible', 'client-unreachable', 'client-declined', 'other'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];
/** Closing after a missed first contact: a subset of the decline reasons (their labels too). */
export const CLOSE_WITHOUT_CONTACT_REASONS = ['client-unreachable', 'client-declined', 'other'] as const;
export type CloseWithoutContactReason = (typeof CLOSE_WITHOUT_CONTACT_REASONS)[number];

export interface ReferralSummary {
  id: string;
  status: string;
  priority: string;
  offerName: string;
  senderOrganizationName: string;
  receiverOrganizationName: string;
  createdAt: string;
  answerDueAt: string;
  firstContactDueAt: string | null;
  expectedDate: string | null;
  overdue: boolean;
  version: number;
}

export interface ReferralSnapshot {
  categories?: string[];
  contact?: {
    identityKind: string;
    displayName: string;
    givenName: string | null;
    familyName: string | null;
    pseudonym: string | null;
    birthYear: number | null;
    birthDate: string | null;
    phone: string | null;
    email: string | null;
    preferredLanguage: string | null;
    municipality: string | null;
  };
  helpRequest?: {
    themes: string[];
    urgency: string;
    story: string;
    clarification: string | null;
    receivedAt: string;
    indicationLevel: string | null;
  };
  screenings?: { instrument: string; score: number | null; band: string | null; flags: string[]; administeredAt: string }[];
}

export interface TimelineEvent {
  at: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  reason: string | null;
  note: string | null;
  by: string | null;
  organizationName: string | null;
}

export interface Referral {
  id: string;
  status: string;
  priority: string;
  message: string | null;
  version: number;
  senderOrganizationId: string;
  receiverOrganizationId: string;
  senderOrganizationName: string | null;
  receiverOrganizationName: string | null;
  offerId: string;
  offerName: string | null;
  /** null once the consent is withdrawn (or expired) */
  snapshot: ReferralSnapshot | null;
  consentId: string;
  consentActive: boolean;
  /** the sender's own references (null for the receiver) */
  helpRequestId: string | null;
  clientId: string | null;
  receiverClientId: string | null;
  statusReason: string | null;
  expectedDate: string | null;
  scheduledAt: string | null;
  answerDueAt: string;
  firstContactDueAt: string | null;
  /** null until the first contact took place (a referral completed without one was closed after a missed contact) */
  firstContactAt: string | null;
  overdue: { answer: boolean; firstContact: boolean; waitlist: boolean; any: boolean };
  bridgingRequested: boolean;
  createdAt: string;
  updatedAt: string;
  allowedActions: string[];
  timeline: TimelineEvent[];
  bridgingSupport: { id: string; offerId: string | null; offerName: string | null; note: string; arrangedAt: string }[];
}

export interface TransitionInput {
  action: ReferralAction;
  reason?: string | null;
  note?: string | null;
  expectedDate?: string | null;
  scheduledAt?: string | null;
  version?: number;
}

export interface ReferralCounts {
  incomingOpen: number;
  incomingOverdue: number;
  outgoingOpen: number;
  outgoingOverdue: number;
  unreadNotifications: number;
}

export interface ReferralQuery {
  box: 'incoming' | 'outgoing';
  status?: string[];
  priority?: string;
  overdue?: boolean;
  open?: boolean;
  limit?: number;
}

export interface BridgingSuggestion { offerId: string; name: string; organizationName: string; level: string; capacity: string; waitDays: number | null }
export interface OverdueReferral {
  id: string;
  status: string;
  priority: string;
  answerDueAt: string;
  firstContactDueAt: string | null;
  expectedDate: string | null;
  senderOrganizationName: string;
  receiverOrganizationName: string;
}
export interface AppNotification { id: string; kind: string; referralId: string | null; createdAt: string; read: boolean }

// ---------- network settings ----------

export const REFERRAL_TARGET_KEYS = ['acuteHours', 'urgentWorkingDays', 'routineWorkingDays', 'firstContactWorkingDays'] as const;
export const MATCHING_THRESHOLD_KEYS = ['phq9Specialised', 'k10Specialised', 'gad7Specialised'] as const;
export type ReferralTargetKey = (typeof REFERRAL_TARGET_KEYS)[number];
export type MatchingThresholdKey = (typeof MATCHING_THRESHOLD_KEYS)[number];
export interface NetworkSettingsValues {
  referralTargets: Record<ReferralTargetKey, number>;
  matchingThresholds: Record<MatchingThresholdKey, number>;
}
export interface NetworkSettings extends NetworkSettingsValues {
  defaults: NetworkSettingsValues;
  limits: Record<ReferralTargetKey | MatchingThresholdKey, { min: number; max: number; unit: 'hours' | 'working-days' | 'score' }>;
}

// ---------- catalogue import (HSDS 3.0) ----------

/** The kinds of records an HSDS import counts, in the order the server writes them. */
export const IMPORT_KINDS = ['organizations', 'services', 'locations', 'service_at_locations', 'taxonomies', 'taxonomy_terms'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export type ImportCounts = Record<ImportKind, number>;
/** Records of one kind: the first 200 by id and name, and how many more. */
export interface ImportRecordList { items: { id: string; name: string | null }[]; more: number }
/** A problem of an import: `field` is "file:row:field" (row 1 of a CSV file is its header; "body" is the JSON sent). */
export interface ImportIssue { field: string; code: string; message: string }
export interface ImportResult {
  dryRun: boolean;
  format: string;
  created: ImportCounts;
  changed: ImportCounts;
  unchanged: ImportCounts;
  warnings: ImportIssue[];
  /** which records are (in a dry run: would be) created and changed; absent in results of old jobs */
  records?: { created: Record<ImportKind, ImportRecordList>; changed: Record<ImportKind, ImportRecordList> };
}
/** A large import (more than 1000 records, or async=true) runs as a job: poll it until it is no longer running. */
export interface ImportJob {
  id: string;
  status: 'running' | 'succeeded' | 'failed';
  dryRun: boolean;
  format: string;
  total: number;
  done: number;
  createdAt: string;
  finishedAt: string | null;
  result?: ImportResult;
  errors?: ImportIssue[];
}
/**
 * What POST /api/hsds/imports takes: HSDS JSON (an object, an array, or an API page { contents: [...] }), the
 * tabular JSON of a datapackage ({ "services.csv": [ {...} ] }), or a CSV datapackage { format, files: { name: text } }.
 */
export type ImportBody = unknown;
export interface ImportOptions { dryRun: boolean; entity?: ImportKind | undefined; async?: boolean | undefined }

/** A 202 answer (a job) tells itself from a 200 (the result) by its status. */
export const isImportJob = (answer: ImportResult | ImportJob): answer is ImportJob => 'status' in answer && 'id' in answer;

// ---------- errors ----------

export interface FieldError { field: string; code: string; message: string }

/** An error answer of the API (RFC 9457 problem details), or a network failure (status 0). */
export class ProblemError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly code: string | undefined;
  readonly fieldErrors: FieldError[];
  readonly requestId: string | undefined;

  constructor(init: {
    status: number;
    title: string;
    detail?: string | undefined;
    code?: string | undefined;
    fieldErrors?: FieldError[] | undefined;
    requestId?: string | undefined;
  }) {
    super(init.detail ?? init.title);
    this.name = 'ProblemError';
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.code = init.code;
    this.fieldErrors = init.fieldErrors ?? [];
    this.requestId = init.requestId;
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

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type QueryValue = string | number | boolean | null | undefined;
type Query = Record<string, QueryValue | readonly QueryValue[]>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Do not treat a 401 as "session over" (login, second factor, first /me). */
  quiet401?: boolean;
  signal?: AbortSignal;
}

function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  if (query) {
    for (const [k, value] of Object.entries(query)) {
      // arrays repeat the key (?theme=a&theme=b), which the server reads as a list
      for (const v of Array.isArray(value) ? value : [value]) {
        if (v !== undefined && v !== null && v !== '') params.append(k, String(v));
      }
    }
  }
  const qs = params.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': acceptLanguage };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
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
  });
}

// ---------- endpoints ----------

export const api = {
  meta: () => request<Meta>('GET', '/meta', { quiet401: true }),

  login: (email: string, password: string) =>
    request<LoginResult>('POST', '/auth/login', { body: { email, password }, quiet401: true }),
  loginTotp: (code: string) => request<TotpLoginResult>('POST', '/auth/login/totp', { body: { code }, quiet401: true }),
  logout: () => request<void>('POST', '/auth/logout', { quiet401: true }),
  me: () => request<Me>('GET', '/auth/me', { quiet401: true }),
  switchMembership: (membershipId: string) => request<Me>('POST', '/auth/membership', { body: { membershipId } }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>('POST', '/auth/password', { body: { currentPassword, newPassword } }),
  totpSetup: () => request<TotpSetup>('POST', '/auth/totp/setup'),
  totpEnable: (code: string) => request<void>('POST', '/auth/totp/enable', { body: { code } }),
  totpDisable: (password: string) => request<void>('POST', '/auth/totp/disable', { body: { password } }),

  municipalities: (q?: string) => request<Items<Municipality>>('GET', '/municipalities', { query: { q } }),
  currentNetwork: () => request<Network>('GET', '/networks/current'),

  organizations: () => request<Items<OrganizationSummary>>('GET', '/organizations'),
  organization: (id: string) => request<Organization>('GET', `/organizations/${encodeURIComponent(id)}`),
  createOrganization: (body: { name: string; kind: OrganizationKind }) =>
    request<Organization>('POST', '/organizations', { body }),
  updateOrganization: (id: string, body: { name?: string; kind?: OrganizationKind; active?: boolean }) =>
    request<Organization>('PATCH', `/organizations/${encodeURIComponent(id)}`, { body }),
  createSite: (id: string, body: { name: string; street: string; postalCode: string; municipality: string }) =>
    request<{ id: string }>('POST', `/organizations/${encodeURIComponent(id)}/sites`, { body }),
  createTeam: (id: string, body: { name: string }) =>
    request<{ id: string }>('POST', `/organizations/${encodeURIComponent(id)}/teams`, { body }),

  users: () => request<Items<UserSummary>>('GET', '/users'),
  user: (id: string) => request<UserSummary>('GET', `/users/${encodeURIComponent(id)}`),
  createUser: (body: {
    email: string;
    displayName: string;
    role: Role;
    organizationId?: string;
    teamId?: string;
    language?: string;
  }) => request<{ id: string; temporaryPassword: string }>('POST', '/users', { body }),
  updateUser: (id: string, body: { displayName?: string; active?: boolean }) =>
    request<UserSummary>('PATCH', `/users/${encodeURIComponent(id)}`, { body }),
  resetPassword: (id: string, body: { resetTwoFactor?: boolean } = {}) =>
    request<{ temporaryPassword: string; twoFactorReset: boolean }>('POST', `/users/${encodeURIComponent(id)}/reset-password`, { body }),
  addMembership: (id: string, body: { role: Role; organizationId?: string; teamId?: string }) =>
    request<unknown>('POST', `/users/${encodeURIComponent(id)}/memberships`, { body }),
  deactivateMembership: (membershipId: string) =>
    request<void>('POST', `/memberships/${encodeURIComponent(membershipId)}/deactivate`),

  searchClients: (q: string, page: number, pageSize: number, signal?: AbortSignal) =>
    request<{ items: Client[]; total: number }>('GET', '/clients', { query: { q, page, pageSize }, signal }),
  duplicateCheck: (body: { givenName?: string; familyName?: string; birthDate?: string; insz?: string }) =>
    request<Items<DuplicateCandidate>>('POST', '/clients/duplicate-check', { body }),
  createClient: (body: ClientInput) =>
    request<Client & { possibleDuplicates?: DuplicateCandidate[] }>('POST', '/clients', { body }),
  client: (id: string) => request<Client>('GET', `/clients/${encodeURIComponent(id)}`),
  updateClient: (id: string, body: Partial<ClientInput>) =>
    request<Client>('PATCH', `/clients/${encodeURIComponent(id)}`, { body }),
  clientAccessLog: (id: string) =>
    request<Items<AccessLogEntry>>('GET', `/clients/${encodeURIComponent(id)}/access-log`),

  audit: (query: { action?: string; outcome?: string; from?: string; to?: string; before?: string; limit?: number }) =>
    request<{ items: AuditEvent[]; nextBefore: string | null }>('GET', '/audit', { query }),

  apiTokens: () => request<{ items: ApiToken[]; allowedPermissions: string[] }>('GET', '/api-tokens'),
  createApiToken: (body: { name: string; permissions: string[] }) =>
    request<{ id: string; token: string }>('POST', '/api-tokens', { body }),
  revokeApiToken: (id: string) => request<void>('POST', `/api-tokens/${encodeURIComponent(id)}/revoke`),

  themes: () => request<Items<Term>>('GET', '/themes', { quiet401: true }),
  categories: () => request<Items<Term>>('GET', '/categories', { quiet401: true }),
  searchOffers: (query: OfferQuery, signal?: AbortSignal) =>
    request<SearchResult<Offer>>('GET', '/offers', { query: { ...query }, signal }),
  /** Paged, the oldest first (`pageSize` defaults to the server's 500). */
  staleOffers: (page = 1, pageSize?: number) =>
    request<{ items: Offer[]; total: number; page: number; pageSize: number }>('GET', '/offers/stale', { query: { page, pageSize } }),
  offer: (id: string) => request<Offer>('GET', `/offers/${encodeURIComponent(id)}`),
  createOffer: (body: OfferInput) => request<Offer>('POST', '/offers', { body }),
  updateOffer: (id: string, body: Partial<OfferInput>) => request<Offer>('PATCH', `/offers/${encodeURIComponent(id)}`, { body }),
  updateCapacity: (id: string, body: { capacity: Capacity; waitDays: number | null }) =>
    request<Offer>('POST', `/offers/${encodeURIComponent(id)}/capacity`, { body }),
  /** The public catalogue: no session needed, so a 401 never means "session over" here. */
  publicOffers: (query: OfferQuery, signal?: AbortSignal) =>
    request<SearchResult<PublicOffer>>('GET', '/public/offers', { query: { ...query }, signal, quiet401: true }),
  publicOffer: (id: string) => request<PublicOffer>('GET', `/public/offers/${encodeURIComponent(id)}`, { quiet401: true }),

  // intake
  instruments: () => request<Items<Instrument>>('GET', '/instruments'),
  helpRequests: (query: { status?: string; clientId?: string }) =>
    request<Items<HelpRequest>>('GET', '/help-requests', { query }),
  createHelpRequest: (body: HelpRequestInput & { clientId: string | null }) =>
    request<HelpRequest>('POST', '/help-requests', { body }),
  helpRequest: (id: string) => request<HelpRequestDetail>('GET', `/help-requests/${encodeURIComponent(id)}`),
  updateHelpRequest: (id: string, body: Partial<HelpRequestInput> & { indicationLevel?: OfferLevel | null; indicationReasons?: string | null }) =>
    request<HelpRequest>('PATCH', `/help-requests/${encodeURIComponent(id)}`, { body }),
  closeHelpRequest: (id: string, reason: string) =>
    request<HelpRequest>('POST', `/help-requests/${encodeURIComponent(id)}/close`, { body: { reason } }),
  addScreening: (id: string, body: { instrument: string; answers: Answers }) =>
    request<ScreeningResult>('POST', `/help-requests/${encodeURIComponent(id)}/screenings`, { body }),
  clientScreenings: (clientId: string) =>
    request<Items<Screening>>('GET', `/clients/${encodeURIComponent(clientId)}/screenings`),
  raiseSignal: (id: string, body: { kind: SignalKind; level: SignalLevel; note: string | null }) =>
    request<SafetySignal>('POST', `/help-requests/${encodeURIComponent(id)}/safety-signals`, { body }),
  recordSafetyAction: (signalId: string, actionTaken: string) =>
    request<SafetySignal>('POST', `/safety-signals/${encodeURIComponent(signalId)}/action`, { body: { actionTaken } }),
  acknowledgeSignal: (signalId: string) => request<SafetySignal>('POST', `/safety-signals/${encodeURIComponent(signalId)}/acknowledge`),
  openSignals: () => request<Items<SafetySignal>>('GET', '/safety-signals'),
  matches: (id: string) => request<Matches>('GET', `/help-requests/${encodeURIComponent(id)}/matches`),
  /** `topSuggestionOfferId`: the top suggestion that was shown (the reason rule is judged against it) */
  recordChoice: (id: string, offerId: string, reason: string | null, topSuggestionOfferId: string | null) =>
    request<HelpRequest>('POST', `/help-requests/${encodeURIComponent(id)}/choice`, { body: { offerId, reason, topSuggestionOfferId } }),

  // consents and referrals
  createConsent: (body: ConsentInput) => request<Consent>('POST', '/consents', { body }),
  clientConsents: (clientId: string) => request<Items<Consent>>('GET', `/clients/${encodeURIComponent(clientId)}/consents`),
  withdrawConsent: (id: string, note: string | null) =>
    request<Consent>('POST', `/consents/${encodeURIComponent(id)}/withdraw`, { body: { note } }),
  consentExceptions: () => request<Items<Consent>>('GET', '/consents/exceptions'),
  reviewConsent: (id: string) => request<Consent>('POST', `/consents/${encodeURIComponent(id)}/review`),
  createReferral: (body: { helpRequestId: string; offerId: string; priority: Urgency; message: string | null; consentId: string }) =>
    request<Referral>('POST', '/referrals', { body }),
  referrals: (query: ReferralQuery, signal?: AbortSignal) =>
    request<Items<ReferralSummary>>('GET', '/referrals', { query: { ...query }, signal }),
  referralCounts: () => request<ReferralCounts>('GET', '/referrals/counts'),
  overdueReferrals: () => request<Items<OverdueReferral>>('GET', '/referrals/overdue'),
  referral: (id: string) => request<Referral>('GET', `/referrals/${encodeURIComponent(id)}`),
  transition: (id: string, body: TransitionInput) =>
    request<Referral>('POST', `/referrals/${encodeURIComponent(id)}/transitions`, { body }),
  addBridging: (id: string, body: { offerId: string | null; note: string }) =>
    request<Referral>('POST', `/referrals/${encodeURIComponent(id)}/bridging`, { body }),
  bridgingSuggestions: (id: string) =>
    request<Items<BridgingSuggestion>>('GET', `/referrals/${encodeURIComponent(id)}/bridging-suggestions`),
  registerReferralClient: (id: string, existingClientId: string | null) =>
    request<Referral>('POST', `/referrals/${encodeURIComponent(id)}/register-client`, { body: { existingClientId } }),
  notifications: (unread?: boolean) => request<Items<AppNotification>>('GET', '/notifications', { query: { unread } }),
  markNotificationRead: (id: string) => request<void>('POST', `/notifications/${encodeURIComponent(id)}/read`),

  // network settings
  networkSettings: () => request<NetworkSettings>('GET', '/network/settings'),
  updateNetworkSettings: (body: NetworkSettingsValues) => request<NetworkSettings>('PUT', '/network/settings', { body }),

  // catalogue import (network admin: catalogue:import)
  /** 200 with the result, or 202 with a job for a large import (see `isImportJob`); a bad file is a 400 with `fieldErrors`. */
  importCatalogue: (body: ImportBody, options: ImportOptions) =>
    request<ImportResult | ImportJob>('POST', '/hsds/imports', { body, query: { dryRun: options.dryRun, entity: options.entity, async: options.async } }),
  importJob: (id: string, signal?: AbortSignal) => request<ImportJob>('GET', `/hsds/imports/${encodeURIComponent(id)}`, { signal }),
};
