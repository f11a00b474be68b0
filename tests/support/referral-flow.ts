import { expect } from 'vitest';
import type { Caller } from './world.ts';

/** What the flow needs: who sends, who receives, for which of the sender's records, to which offer. */
export interface ReferralFlow {
  sender: Caller;
  receiver: Caller;
  /** the sender's record of the person */
  clientId: string;
  offerId: string;
  /** the organisation of the offer (the consent names it) */
  recipientOrganizationId: string;
  /** what the consent shares; default contact and the help request's summary */
  categories?: string[];
  story?: string;
  themes?: string[];
  /** record the offer as the help request's choice first (with this reason), as intake does before a referral */
  choiceReason?: string;
  /** stop after sending (`sent`), after accepting (`accepted`), or register the person with the receiver (default) */
  until?: 'sent' | 'accepted' | 'registered';
}

export interface ReferralFlowResult {
  helpRequestId: string;
  consentId: string;
  referralId: string;
  /** the receiver's record registered from the referral (null unless `until` is `registered`) */
  receiverClientId: string | null;
}

/**
 * The referral set-up the integration tests share, through the API as a user would: a help request, optionally the
 * choice of the offer, the consent for the receiving organisation, the referral, the receiver accepting it and
 * registering the person in its own register. Every step must succeed.
 */
export async function referralFlow(flow: ReferralFlow): Promise<ReferralFlowResult> {
  const { sender, receiver, clientId, offerId } = flow;
  const help = await sender.post('/api/help-requests', {
    clientId,
    story: flow.story ?? 'Somber sinds maanden',
    themes: flow.themes ?? ['depression'],
    urgency: 'routine',
  });
  expect(help.statusCode, help.raw).toBe(201);
  const helpRequestId = help.body.id as string;
  if (flow.choiceReason !== undefined) {
    const choice = await sender.post(`/api/help-requests/${helpRequestId}/choice`, {
      offerId,
      reason: flow.choiceReason,
    });
    expect(choice.statusCode, choice.raw).toBe(200);
  }
  const consent = await sender.post('/api/consents', {
    clientId,
    purpose: 'referral',
    recipientOrganizationId: flow.recipientOrganizationId,
    categories: flow.categories ?? ['contact', 'help-request-summary'],
    method: 'verbal',
  });
  expect(consent.statusCode, consent.raw).toBe(201);
  const referral = await sender.post('/api/referrals', {
    helpRequestId,
    offerId,
    priority: 'routine',
    consentId: consent.body.id,
  });
  expect(referral.statusCode, referral.raw).toBe(201);
  const referralId = referral.body.id as string;
  const result = { helpRequestId, consentId: consent.body.id as string, referralId, receiverClientId: null };
  const until = flow.until ?? 'registered';
  if (until === 'sent') return result;
  const accepted = await receiver.post(`/api/referrals/${referralId}/transitions`, { action: 'accept' });
  expect(accepted.statusCode, accepted.raw).toBe(200);
  if (until === 'accepted') return result;
  const registered = await receiver.post(`/api/referrals/${referralId}/register-client`, {});
  expect(registered.statusCode, registered.raw).toBe(200);
  return { ...result, receiverClientId: registered.body.receiverClientId as string };
}
