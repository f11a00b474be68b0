/**
 * The referral lifecycle (aligned with FHIR Task and the BSeR business statuses):
 * requested → received → accepted | declined | waitlisted → scheduled (first contact) → first-contact | missed → completed;
 * a missed first contact can be scheduled again or closed by the receiver (`complete` from `missed`, with a reason:
 * the help did not start); the sender can cancel while the referral is open and no first contact took place.
 * Each action belongs to one side.
 */
export const STATUSES = [
  'requested',
  'received',
  'accepted',
  'declined',
  'waitlisted',
  'scheduled',
  'first-contact',
  'missed',
  'completed',
  'cancelled',
] as const;
export type Status = (typeof STATUSES)[number];
export const ACTIONS = [
  'receive',
  'accept',
  'decline',
  'waitlist',
  'schedule',
  'first-contact',
  'missed',
  'complete',
  'cancel',
] as const;
export type Action = (typeof ACTIONS)[number];
export type Side = 'sender' | 'receiver';
/** What a timeline event records: the referral made, a move along the lifecycle, bridging support arranged, the consent withdrawn. */
export const EVENT_ACTIONS = ['create', ...ACTIONS, 'bridging', 'consent-withdrawn'] as const;
/** In-app notifications: a new referral (to the receiver), a move by the other side (`referral-<action>`), a consent withdrawn (to the receiver). */
export const NOTIFICATION_KINDS = [
  'referral-new',
  'referral-receive',
  'referral-accept',
  'referral-decline',
  'referral-waitlist',
  'referral-schedule',
  'referral-first-contact',
  'referral-missed',
  'referral-complete',
  'referral-cancel',
  'consent-withdrawn',
] as const satisfies readonly (`referral-${Action}` | 'referral-new' | 'consent-withdrawn')[];
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const TRANSITIONS: Record<Action, { side: Side; from: readonly Status[]; to: Status }> = {
  receive: { side: 'receiver', from: ['requested'], to: 'received' },
  accept: { side: 'receiver', from: ['requested', 'received', 'waitlisted'], to: 'accepted' },
  decline: { side: 'receiver', from: ['requested', 'received', 'waitlisted'], to: 'declined' },
  waitlist: { side: 'receiver', from: ['requested', 'received'], to: 'waitlisted' },
  schedule: { side: 'receiver', from: ['accepted', 'missed', 'scheduled'], to: 'scheduled' },
  'first-contact': { side: 'receiver', from: ['scheduled'], to: 'first-contact' },
  missed: { side: 'receiver', from: ['scheduled'], to: 'missed' },
  complete: { side: 'receiver', from: ['first-contact', 'missed'], to: 'completed' },
  cancel: {
    side: 'sender',
    from: ['requested', 'received', 'accepted', 'waitlisted', 'scheduled', 'missed'],
    to: 'cancelled',
  },
};

export const DECLINE_REASONS = [
  'no-capacity',
  'not-eligible',
  'client-unreachable',
  'client-declined',
  'other',
] as const;
/** Closing after a missed first contact (the help did not start) needs one of these; 'other' needs a note too. */
export const CLOSE_WITHOUT_CONTACT_REASONS = ['client-unreachable', 'client-declined', 'other'] as const;
/**
 * Open: someone still has to act. `first-contact` stays open until the receiver completes it. The partial inbox
 * indexes (migrations/006_referral_followup.sql) carry exactly this list in their predicate: change both together.
 */
export const OPEN_STATUSES: readonly Status[] = [
  'requested',
  'received',
  'accepted',
  'waitlisted',
  'scheduled',
  'first-contact',
  'missed',
];
/** Waiting for an answer from the receiver (the answer target runs). */
export const UNANSWERED: readonly Status[] = ['requested', 'received'];
/** Accepted but no first contact yet (the first-contact target runs). */
export const AWAITING_FIRST_CONTACT: readonly Status[] = ['accepted', 'scheduled', 'missed'];

export function allowedActions(status: Status, side: Side): Action[] {
  return (Object.keys(TRANSITIONS) as Action[]).filter(
    (a) => TRANSITIONS[a].side === side && TRANSITIONS[a].from.includes(status),
  );
}

/**
 * The FHIR statuses of a referral. `completed` splits in two: after a first contact (the help started) and
 * without one (closed from `missed`, told apart by `first_contact_at` being empty).
 *
 * | referral status              | ServiceRequest.status | Task.status | BSeR business status |
 * |------------------------------|-----------------------|-------------|----------------------|
 * | requested                    | active                | requested   | 2.0 created          |
 * | received                     | active                | received    | 2.0 created          |
 * | accepted                     | active                | accepted    | 3.0 accepted         |
 * | declined                     | revoked               | rejected    | 4.0 declined         |
 * | waitlisted                   | on-hold               | on-hold     | 3.0 accepted         |
 * | scheduled                    | active                | in-progress | 5.1.1 scheduled      |
 * | missed                       | active                | in-progress | 5.1.2 unattended     |
 * | first-contact                | active                | in-progress | 5.1.4 event completed|
 * | completed (after contact)    | completed             | completed   | 7.0 fulfilled        |
 * | completed (without contact)  | revoked               | failed      | 5.1.2 unattended     |
 * | cancelled                    | revoked               | cancelled   | 6.0 cancelled        |
 *
 * Closed without contact is ServiceRequest `revoked` ("terminated prior to the full completion of the intended
 * actions; no further activity should occur"), not `completed`, which would say the service was delivered.
 */
export type FhirCase = Status | 'completed-without-contact';
export const FHIR_STATUS: Record<
  FhirCase,
  { task: TaskStatus; serviceRequest: ServiceRequestStatus; business: { code: string; display: string } }
> = {
  requested: {
    task: 'requested',
    serviceRequest: 'active',
    business: { code: '2.0', display: 'Service Request Created' },
  },
  received: {
    task: 'received',
    serviceRequest: 'active',
    business: { code: '2.0', display: 'Service Request Created' },
  },
  accepted: {
    task: 'accepted',
    serviceRequest: 'active',
    business: { code: '3.0', display: 'Service Request Accepted' },
  },
  declined: {
    task: 'rejected',
    serviceRequest: 'revoked',
    business: { code: '4.0', display: 'Service Request Declined' },
  },
  waitlisted: {
    task: 'on-hold',
    serviceRequest: 'on-hold',
    business: { code: '3.0', display: 'Service Request Accepted' },
  },
  scheduled: {
    task: 'in-progress',
    serviceRequest: 'active',
    business: { code: '5.1.1', display: 'Service Request Event Scheduled' },
  },
  missed: {
    task: 'in-progress',
    serviceRequest: 'active',
    business: { code: '5.1.2', display: 'Service Request Event Unattended' },
  },
  'first-contact': {
    task: 'in-progress',
    serviceRequest: 'active',
    business: { code: '5.1.4', display: 'Service Request Event Completed' },
  },
  completed: {
    task: 'completed',
    serviceRequest: 'completed',
    business: { code: '7.0', display: 'Service Request Fulfillment Completed' },
  },
  'completed-without-contact': {
    task: 'failed',
    serviceRequest: 'revoked',
    business: { code: '5.1.2', display: 'Service Request Event Unattended' },
  },
  cancelled: {
    task: 'cancelled',
    serviceRequest: 'revoked',
    business: { code: '6.0', display: 'Service Request Fulfillment Cancelled' },
  },
};

export function fhirCaseOf(status: Status, firstContactAt: string | Date | null): FhirCase {
  return status === 'completed' && firstContactAt === null ? 'completed-without-contact' : status;
}

/** ServiceRequest.status codes (the schema does not check them, so the code does). */
export const SERVICE_REQUEST_STATUSES = [
  'draft',
  'active',
  'on-hold',
  'revoked',
  'completed',
  'entered-in-error',
  'unknown',
] as const;
export type ServiceRequestStatus = (typeof SERVICE_REQUEST_STATUSES)[number];
export const TASK_STATUSES = [
  'draft',
  'requested',
  'received',
  'accepted',
  'rejected',
  'ready',
  'cancelled',
  'in-progress',
  'on-hold',
  'failed',
  'completed',
  'entered-in-error',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** ServiceRequest.priority and Task.priority codes (FHIR request-priority). */
export const REQUEST_PRIORITIES = ['routine', 'urgent', 'asap', 'stat'] as const;
export type RequestPriority = (typeof REQUEST_PRIORITIES)[number];
