import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type DateOnly = string;

export interface MunicipalityTable {
  nis_code: string;
  name_nl: string;
  name_fr: string;
  province_nl: string | null;
  region_nis: string;
}
export interface NetworkTable {
  id: Generated<string>;
  name: string;
  zone_name: string;
  is_demo: Generated<boolean>;
  intake_settings: Generated<unknown>;
  referral_targets: Generated<unknown>;
  outreach_settings: Generated<unknown>;
  output_norms: Generated<unknown>;
  created_at: Timestamp;
}
export interface NetworkMunicipalityTable {
  network_id: string;
  nis_code: string;
}
export interface OrganizationTable {
  id: Generated<string>;
  network_id: string;
  name: string;
  kind: string;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface SiteTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  street: string;
  postal_code: string;
  nis_code: string;
  created_at: Timestamp;
}
export interface TeamTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  created_at: Timestamp;
}
export interface UserTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string;
  language: Generated<string>;
  active: Generated<boolean>;
  must_change_password: Generated<boolean>;
  totp_secret: string | null;
  totp_enabled: Generated<boolean>;
  totp_last_step: ColumnType<string | null, number | null | undefined, number | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface MembershipTable {
  id: Generated<string>;
  user_id: string;
  network_id: string;
  organization_id: string | null;
  team_id: string | null;
  role: string;
  active: Generated<boolean>;
  created_at: Timestamp;
}
export interface SessionTable {
  token_hash: string;
  user_id: string;
  membership_id: string;
  organization_id: string | null;
  network_id: string;
  role: string;
  must_change_password: Generated<boolean>;
  csrf_token: string;
  pending_two_factor: Generated<boolean>;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}
export interface ApiTokenTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  permissions: string[];
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}
export interface ClientTable {
  id: Generated<string>;
  organization_id: string;
  network_id: string;
  identity_kind: string;
  given_name: string | null;
  family_name: string | null;
  pseudonym: string | null;
  birth_date: DateOnly | null;
  birth_year: number | null;
  nis_code: string | null;
  phone: string | null;
  email: string | null;
  preferred_language: string | null;
  insz: string | null;
  search_name: ColumnType<string, never, never>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface AuditLogTable {
  id: ColumnType<string, never, never>;
  at: Timestamp;
  actor_user_id: string | null;
  actor_token_id: string | null;
  organization_id: string | null;
  network_id: string | null;
  role: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: unknown;
  /** On a row written for the owner of a record another tried (migration 011): who tried; null otherwise. */
  foreign_organization_id: ColumnType<string | null, never, never>;
  foreign_network_id: ColumnType<string | null, never, never>;
}

export interface TaxonomyTermTable {
  id: string;
  taxonomy: string;
  label_nl: string;
  label_en: string;
  parent_id: string | null;
  sort_order: Generated<number>;
}
export interface OfferTable {
  id: Generated<string>;
  organization_id: string;
  network_id: string;
  name: string;
  description: Generated<string>;
  category_id: string | null;
  level: string;
  themes: Generated<string[]>;
  target_groups: Generated<string[]>;
  min_age: number | null;
  max_age: number | null;
  modalities: Generated<string[]>;
  languages: Generated<string[]>;
  municipalities: Generated<string[]>;
  site_ids: Generated<string[]>;
  opening_hours: string | null;
  cost: Generated<string>;
  cost_note: string | null;
  self_referral: Generated<boolean>;
  referral_required: Generated<boolean>;
  who_may_refer: string | null;
  consent_required: Generated<boolean>;
  contact_phone: string | null;
  contact_email: string | null;
  contact_url: string | null;
  capacity: Generated<string>;
  wait_days: number | null;
  capacity_updated_at: Timestamp;
  is_public: Generated<boolean>;
  active: Generated<boolean>;
  internal_note: string | null;
  search_vector: ColumnType<string, never, never>;
  /** name, theme and category labels, description: folded words for the trigram index (kept by a trigger, 017) */
  search_text: ColumnType<string, never, never>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Synonym groups of the search (017): network_id null is the built-in Dutch list. */
export interface SearchSynonymTable {
  id: Generated<string>;
  network_id: string | null;
  terms: string[];
  created_by: string | null;
  created_at: Timestamp;
}

export interface InstrumentVersionTable {
  instrument_id: string;
  version: string;
  definition: unknown;
  created_at: Timestamp;
}
export interface HelpRequestTable {
  id: Generated<string>;
  organization_id: string;
  network_id: string;
  client_id: string | null;
  channel: Generated<string>;
  received_at: Timestamp;
  story: string;
  context: string | null;
  life_domains: Generated<string[]>;
  themes: Generated<string[]>;
  urgency: string;
  clarification: string | null;
  age: number | null;
  municipality: string | null;
  language: string | null;
  preferred_modality: string | null;
  indication_level: string | null;
  indication_reasons: string | null;
  status: Generated<string>;
  close_reason: string | null;
  chosen_offer_id: string | null;
  choice_reason: string | null;
  top_suggestion_offer_id: string | null;
  chosen_at: NullableTimestamp;
  /** core/risk.ts: kept by the intake service when a screening or a safety signal is added */
  risk_level: Generated<string>;
  /** acute risk 0, high 1, else (or closed) 2: the urgency order of the intake list */
  risk_rank: ColumnType<number, never, never>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface ScreeningTable {
  id: Generated<string>;
  help_request_id: string;
  organization_id: string;
  client_id: string | null;
  instrument_id: string;
  instrument_version: string;
  answers: unknown;
  score: number | null;
  band: string | null;
  subscales: unknown;
  flags: string[];
  missing: string[];
  imputed: boolean;
  administered_by: string | null;
  administered_at: Timestamp;
}
export interface SafetySignalTable {
  id: Generated<string>;
  help_request_id: string;
  organization_id: string;
  source: string;
  screening_id: string | null;
  kind: string;
  level: string;
  note: string | null;
  raised_by: string | null;
  raised_at: Timestamp;
  action_taken: string | null;
  action_recorded_by: string | null;
  action_recorded_at: NullableTimestamp;
  acknowledged_by: string | null;
  acknowledged_at: NullableTimestamp;
}

export interface ConsentTable {
  id: Generated<string>;
  organization_id: string;
  network_id: string;
  client_id: string;
  purpose: string;
  recipient_organization_id: string;
  recipient_offer_id: string | null;
  categories: string[];
  method: string;
  exception_reason: string | null;
  recorded_by: string | null;
  recorded_by_token: string | null;
  recorded_at: Timestamp;
  valid_until: string | null;
  withdrawn_at: NullableTimestamp;
  withdrawn_by: string | null;
  withdrawal_note: string | null;
  reviewed_by: string | null;
  reviewed_at: NullableTimestamp;
}
export interface ReferralTable {
  id: Generated<string>;
  network_id: string;
  sender_organization_id: string;
  receiver_organization_id: string;
  offer_id: string;
  help_request_id: string | null;
  client_id: string;
  consent_id: string;
  priority: string;
  message: string | null;
  snapshot: unknown;
  status: Generated<string>;
  status_reason: string | null;
  expected_date: string | null;
  scheduled_at: NullableTimestamp;
  answer_due_at: Timestamp;
  answered_at: NullableTimestamp;
  accepted_at: NullableTimestamp;
  first_contact_due_at: NullableTimestamp;
  first_contact_at: NullableTimestamp;
  receiver_client_id: string | null;
  bridging_requested: Generated<boolean>;
  priority_rank: ColumnType<number, never, never>;
  /** the risk level shared when the referral was sent; null when the consent did not share it */
  risk_level: string | null;
  /** the consent's last valid day (null: until withdrawn, which clears risk_level) */
  risk_shared_until: string | null;
  /** acute risk 0, high 1, else 2: inboxes sort by it before the priority */
  risk_rank: ColumnType<number, never, never>;
  version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface ReferralEventTable {
  id: ColumnType<string, never, never>;
  referral_id: string;
  at: Timestamp;
  actor_user_id: string | null;
  actor_token_id: string | null;
  actor_organization_id: string | null;
  action: string;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
  note: string | null;
}
export interface BridgingSupportTable {
  id: Generated<string>;
  referral_id: string;
  offer_id: string | null;
  note: string;
  arranged_by: string | null;
  arranged_at: Timestamp;
}
export interface NotificationTable {
  id: Generated<string>;
  organization_id: string;
  referral_id: string | null;
  /** what the notice is about (`referral`, `outreach-signal`) and its id */
  subject_type: string | null;
  subject_id: string | null;
  kind: string;
  created_at: Timestamp;
  read_at: NullableTimestamp;
}
export interface EmailOutboxTable {
  id: Generated<string>;
  to_address: string;
  subject: string;
  body: string;
  created_at: Timestamp;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  sent_at: NullableTimestamp;
  last_error: string | null;
  /** a mail with a short-lived link is not sent after this */
  expires_at: NullableTimestamp;
}

/** Sign-in and password-reset counters, keyed by digests (migration 010; core/auth/sign-in-throttle.ts). */
export interface SignInThrottleTable {
  scope: string;
  account_hash: Generated<string>;
  source_hash: Generated<string>;
  failures: Generated<number>;
  level: Generated<number>;
  locked_until: NullableTimestamp;
  last_success_at: NullableTimestamp;
  updated_at: Timestamp;
}

export interface PasswordResetTokenTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface OutreachRouteTable {
  id: Generated<string>;
  network_id: string;
  kind: string;
  nis_code: string | null;
  organization_id: string;
  created_at: Timestamp;
}
export interface OutreachSignalTable {
  id: Generated<string>;
  network_id: string;
  sender_organization_id: string;
  sender_user_id: string | null;
  receiver_organization_id: string;
  kind: string;
  collective: Generated<boolean>;
  nis_code: string | null;
  contact_name: string | null;
  phone: string | null;
  email: string | null;
  preferred_language: string | null;
  preferred_moment: string | null;
  relation: string | null;
  date_of_death: string | null;
  note: string | null;
  agreement_method: string;
  agreement_at: string;
  status: Generated<string>;
  due_at: Timestamp;
  first_attempt_at: NullableTimestamp;
  reached_at: NullableTimestamp;
  outcome: string | null;
  close_note: string | null;
  closed_at: NullableTimestamp;
  closed_by: string | null;
  client_id: string | null;
  trajectory_id: string | null;
  erased_at: NullableTimestamp;
  created_at: Timestamp;
}
export interface OutreachAttemptTable {
  id: Generated<string>;
  signal_id: string;
  organization_id: string;
  at: Timestamp;
  channel: string;
  outcome: string;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
}
export interface TrajectoryTable {
  id: Generated<string>;
  organization_id: string;
  network_id: string;
  client_id: string;
  module: string;
  offer_id: string | null;
  team_id: string | null;
  referral_id: string | null;
  help_request_id: string | null;
  responsible_user_id: string;
  start_date: string;
  phase: Generated<string>;
  status: Generated<string>;
  end_date: string | null;
  outcome: string | null;
  close_reason: string | null;
  close_reason_text: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface TrajectoryEventTable {
  id: Generated<string>;
  trajectory_id: string;
  organization_id: string;
  at: Timestamp;
  actor_user_id: string | null;
  action: string;
  from_status: string | null;
  to_status: string;
  phase: string | null;
  reason: string | null;
}
export interface TrajectoryContactTable {
  id: Generated<string>;
  trajectory_id: string;
  organization_id: string;
  at: Timestamp;
  minutes: number;
  kind: string;
  with_client: Generated<boolean>;
  support_persons: string | null;
  other_organizations: string | null;
  no_show: Generated<boolean>;
  note: string | null;
  version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
}
export interface TrajectoryContactVersionTable {
  id: Generated<string>;
  contact_id: string;
  organization_id: string;
  version: number;
  at: Timestamp;
  minutes: number;
  kind: string;
  with_client: boolean;
  support_persons: string | null;
  other_organizations: string | null;
  no_show: boolean;
  note: string | null;
  written_by: string | null;
  written_at: Timestamp;
  replaced_by: string | null;
  replaced_at: Timestamp;
}

export interface ReportStaffingTable {
  organization_id: string;
  network_id: string;
  quarter: string;
  module: string;
  fte: string;
  updated_by: string | null;
  updated_at: Timestamp;
}
export interface ReportSubmissionTable {
  id: Generated<string>;
  organization_id: string;
  network_id: string;
  quarter: string;
  version: number;
  figures: unknown;
  submitted_by: string;
  submitted_by_name: string;
  submitted_at: Timestamp;
}

export interface FacilityTable {
  id: Generated<string>;
  organization_id: string;
  network_id: string;
  name: string;
  kind: string;
  linked_organization_id: string | null;
  municipality_nis: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
}
export interface FacilityCaseTable {
  id: Generated<string>;
  organization_id: string;
  facility_id: string;
  origin: string;
  reason: string;
  opened_on: DateOnly;
  status: Generated<string>;
  closed_on: DateOnly | null;
  summary: string | null;
  opened_by: string | null;
  created_at: Timestamp;
}
export interface FacilityContactTable {
  id: Generated<string>;
  organization_id: string;
  case_id: string;
  facility_id: string;
  kind: string;
  contact_date: DateOnly;
  user_id: string;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
}
export interface GroupTable {
  id: Generated<string>;
  organization_id: string;
  network_id: string;
  title: string;
  description: string | null;
  audience: string;
  module: string | null;
  theme: string | null;
  facilitator_ids: Generated<string[]>;
  location: string | null;
  municipality_nis: string | null;
  online: Generated<boolean>;
  capacity: number | null;
  offer_id: string | null;
  created_by: string | null;
  created_at: Timestamp;
}
export interface GroupSessionTable {
  id: Generated<string>;
  organization_id: string;
  group_id: string;
  starts_at: Timestamp;
  minutes: number;
  status: Generated<string>;
  cancel_reason: string | null;
  headcount: number | null;
  age_band: string | null;
  attendance_recorded_at: NullableTimestamp;
  created_at: Timestamp;
}
export interface GroupRegistrationTable {
  id: Generated<string>;
  organization_id: string;
  group_id: string;
  client_id: string;
  status: string;
  consent_at: Timestamp;
  registered_at: Timestamp;
}
export interface GroupAttendanceTable {
  session_id: string;
  client_id: string;
  organization_id: string;
}

export interface ClientLinkTable {
  id: Generated<string>;
  network_id: string;
  client_id: string;
  organization_id: string;
  other_client_id: string;
  other_organization_id: string;
  kind: string;
  referral_id: string | null;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
  unlinked_at: NullableTimestamp;
  unlinked_by: string | null;
  unlink_reason: string | null;
}
export interface CarePlanTable {
  id: Generated<string>;
  network_id: string;
  organization_id: string;
  client_id: string;
  status: Generated<string>;
  care_level: string | null;
  person_wishes: string | null;
  agreed_on: DateOnly | null;
  agreement_method: string | null;
  evaluation_interval_months: Generated<number>;
  next_evaluation_on: DateOnly | null;
  coordinator_member_id: string | null;
  coordinator_handover_reason: string | null;
  closed_on: DateOnly | null;
  version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
}
export interface CareTeamMemberTable {
  id: Generated<string>;
  care_plan_id: string;
  kind: string;
  organization_id: string | null;
  user_id: string | null;
  name: string | null;
  relation: string | null;
  contact: string | null;
  role: string | null;
  active: Generated<boolean>;
  version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
}
export interface CarePlanGoalTable {
  id: Generated<string>;
  care_plan_id: string;
  person_words: string;
  professional_wording: string | null;
  life_domain: string | null;
  target_date: DateOnly | null;
  status: Generated<string>;
  version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
}
export interface CarePlanActionTable {
  id: Generated<string>;
  care_plan_id: string;
  goal_id: string | null;
  description: string;
  owner_kind: string;
  owner_organization_id: string | null;
  owner_user_id: string | null;
  owner_member_id: string | null;
  due_date: DateOnly | null;
  status: Generated<string>;
  version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
}
export interface CarePlanEvaluationTable {
  id: Generated<string>;
  care_plan_id: string;
  organization_id: string;
  evaluated_on: DateOnly;
  decision: string;
  note: string;
  person_says: string | null;
  case_conference: Generated<boolean>;
  present_member_ids: Generated<string[]>;
  /** stepping down weighed without deciding it (migration 024): keeps a long trajectory out of "stuck" */
  step_down_considered: Generated<boolean>;
  created_by: string | null;
  created_at: Timestamp;
}
export interface CarePlanEvaluationGoalTable {
  evaluation_id: string;
  care_plan_id: string;
  goal_id: string;
  progress: number;
  note: string | null;
}
export interface CarePlanRevisionTable {
  id: Generated<string>;
  care_plan_id: string;
  evaluation_id: string | null;
  kind: string;
  revised_on: DateOnly;
  from_level: string | null;
  to_level: string | null;
  reason: string;
  screenings: ColumnType<unknown, string | undefined, string>;
  created_by: string | null;
  created_at: Timestamp;
}
export interface CarePlanChangeTable {
  id: ColumnType<string, never, never>;
  care_plan_id: string;
  at: Timestamp;
  actor_user_id: string | null;
  organization_id: string | null;
  entity: string;
  entity_id: string;
  operation: string;
  fields: string[];
  row_data: unknown;
}

export interface DB {
  report_staffing: ReportStaffingTable;
  report_submissions: ReportSubmissionTable;
  facilities: FacilityTable;
  facility_cases: FacilityCaseTable;
  facility_contacts: FacilityContactTable;
  groups: GroupTable;
  group_sessions: GroupSessionTable;
  group_registrations: GroupRegistrationTable;
  group_attendance: GroupAttendanceTable;
  client_links: ClientLinkTable;
  care_plans: CarePlanTable;
  care_team_members: CareTeamMemberTable;
  care_plan_goals: CarePlanGoalTable;
  care_plan_actions: CarePlanActionTable;
  care_plan_evaluations: CarePlanEvaluationTable;
  care_plan_evaluation_goals: CarePlanEvaluationGoalTable;
  care_plan_revisions: CarePlanRevisionTable;
  care_plan_changes: CarePlanChangeTable;
  trajectories: TrajectoryTable;
  outreach_routes: OutreachRouteTable;
  outreach_signals: OutreachSignalTable;
  outreach_attempts: OutreachAttemptTable;
  trajectory_events: TrajectoryEventTable;
  trajectory_contacts: TrajectoryContactTable;
  trajectory_contact_versions: TrajectoryContactVersionTable;
  consents: ConsentTable;
  referrals: ReferralTable;
  referral_events: ReferralEventTable;
  bridging_support: BridgingSupportTable;
  notifications: NotificationTable;
  email_outbox: EmailOutboxTable;
  sign_in_throttle: SignInThrottleTable;
  password_reset_tokens: PasswordResetTokenTable;
  instrument_versions: InstrumentVersionTable;
  help_requests: HelpRequestTable;
  screenings: ScreeningTable;
  safety_signals: SafetySignalTable;
  taxonomy_terms: TaxonomyTermTable;
  offers: OfferTable;
  search_synonyms: SearchSynonymTable;
  municipalities: MunicipalityTable;
  networks: NetworkTable;
  network_municipalities: NetworkMunicipalityTable;
  organizations: OrganizationTable;
  sites: SiteTable;
  teams: TeamTable;
  users: UserTable;
  memberships: MembershipTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  clients: ClientTable;
  audit_log: AuditLogTable;
}

export type ClientRow = Selectable<ClientTable>;
export type TrajectoryRow = Selectable<TrajectoryTable>;
export type CarePlanRow = Selectable<CarePlanTable>;
export type CarePlanGoalRow = Selectable<CarePlanGoalTable>;
export type CarePlanActionRow = Selectable<CarePlanActionTable>;
export type CareTeamMemberRow = Selectable<CareTeamMemberTable>;
export type CarePlanEvaluationRow = Selectable<CarePlanEvaluationTable>;
export type CarePlanRevisionRow = Selectable<CarePlanRevisionTable>;
export type ClientLinkRow = Selectable<ClientLinkTable>;
export type OutreachSignalRow = Selectable<OutreachSignalTable>;
export type TrajectoryContactRow = Selectable<TrajectoryContactTable>;
export type GroupRow = Selectable<GroupTable>;
export type GroupSessionRow = Selectable<GroupSessionTable>;
export type FacilityCaseRow = Selectable<FacilityCaseTable>;
export type UserRow = Selectable<UserTable>;
export type OfferRow = Selectable<OfferTable>;
export type HelpRequestRow = Selectable<HelpRequestTable>;
export type ReferralRow = Selectable<ReferralTable>;
export type ConsentRow = Selectable<ConsentTable>;
export type ScreeningRow = Selectable<ScreeningTable>;
export type SafetySignalRow = Selectable<SafetySignalTable>;
