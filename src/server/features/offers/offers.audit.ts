/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const OFFER_AUDIT = {
  offerCapacity: 'offer.capacity',
  offerCreate: 'offer.create',
  offerRead: 'offer.read',
  offerUpdate: 'offer.update',
} as const;
