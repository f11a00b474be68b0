/**
 * The referral lifecycle (aligned with FHIR Task and the BSeR business statuses):
 * requested → received → accepted | declined | waitlisted → scheduled (first contact) → first-contact | missed → completed;
 * the sender can cancel while the referral is open. Each action belongs to one side.
 */
export type Status = 'requested' | 'received' | 'accepted' | 'declined' | 'waitlisted' | 'scheduled' | 'first-contact' | 'missed' | 'completed' | 'cancelled';
export type Action = 'receive' | 'accept' | 'decline' | 'waitlist' | 'schedule' | 'first-contact' | 'missed' | 'complete' | 'cancel';
export type Side = 'sender' | 'receiver';

export const TRANSITIONS: Record<Action, { side: Side; from: readonly Status[]; to: Status }> = {
  'receive': { side: 'receiver', from: ['requested'], to: 'received' },
  'accept': { side: 'receiver', from: ['requested', 'received', 'waitlisted'], to: 'accepted' },
  'decline': { side: 'receiver', from: ['requested', 'received', 'waitlisted'], to: 'declined' },
  'waitlist': { side: 'receiver', from: ['requested', 'received'], to: 'waitlisted' },
  'schedule': { side: 'receiver', from: ['accepted', 'missed', 'scheduled'], to: 'scheduled' },
  'first-contact': { side: 'receiver', from: ['scheduled'], to: 'first-contact' },
  'missed': { side: 'receiver', from: ['scheduled'], to: 'missed' },
  'complete': { side: 'receiver', from: ['first-contact'], to: 'completed' },
  'cancel': { side: 'sender', from: ['requested', 'received', 'accepted', 'waitlisted', 'scheduled', 'missed'], to: 'cancelled' },
};

export const DECLINE_REASONS = ['no-capacity', 'not-eligible', 'client-unreachable', 'client-declined', 'other'] as const;
export const OPEN_STATUSES: readonly Status[] = ['requested', 'received', 'accepted', 'waitlisted', 'scheduled', 'missed'];
/** Waiting for an answer from the receiver (the answer target runs). */
export const UNANSWERED: readonly Status[] = ['requested', 'received'];

export function allowedActions(status: Status, side: Side): Action[] {
  return (Object.keys(TRANSITIONS) as Action[]).filter((a) => TRANSITIONS[a].side === side && TRANSITIONS[a].from.includes(status));
}

/** FHIR Task.status and the BSeR business status of each referral status. */
export const FHIR_STATUS: Record<Status, { task: string; serviceRequest: string; business: { code: string; display: string } }> = {
  'requested': { task: 'requested', serviceRequest: 'active', business: { code: '2.0', display: 'Service Request Created' } },
  'received': { task: 'received', serviceRequest: 'active', business: { code: '2.0', display: 'Service Request Created' } },
  'accepted': { task: 'accepted', serviceRequest: 'active', business: { code: '3.0', display: 'Service Request Accepted' } },
  'declined': { task: 'rejected', serviceRequest: 'revoked', business: { code: '4.0', display: 'Service Request Declined' } },
  'waitlisted': { task: 'on-hold', serviceRequest: 'on-hold', business: { code: '3.0', display: 'Service Request Accepted' } },
  'scheduled': { task: 'in-progress', serviceRequest: 'active', business: { code: '5.1.1', display: 'Service Request Event Scheduled' } },
  'missed': { task: 'in-progress', serviceRequest: 'active', business: { code: '5.1.2', display: 'Service Request Event Unattended' } },
  'first-contact': { task: 'in-progress', serviceRequest: 'active', business: { code: '5.1.4', display: 'Service Request Event Completed' } },
  'completed': { task: 'completed', serviceRequest: 'completed', business: { code: '7.0', display: 'Service Request Fulfillment Completed' } },
  'cancelled': { task: 'cancelled', serviceRequest: 'revoked', business: { code: '6.0', display: 'Service Request Fulfillment Cancelled' } },
};
/** ServiceRequest.status codes (the schema does not check them, so the code does). */
export const SERVICE_REQUEST_STATUSES = ['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown'] as const;
export const TASK_STATUSES = ['draft', 'requested', 'received', 'accepted', 'rejected', 'ready', 'cancelled', 'in-progress', 'on-hold', 'failed', 'completed', 'entered-in-error'] as const;
