import { OfferDetailPage } from '../../pages/OfferDetailPage';
import { OfferEditPage } from '../../pages/OfferEditPage';
import { OffersPage } from '../../pages/OffersPage';
import { PublicOfferDetailPage, PublicOffersPage } from '../../pages/PublicOffersPage';
import { StaleOffersPage } from '../../pages/StaleOffersPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** The catalogue: search, an offer's page and editor, stale capacity, and the public catalogue (/aanbod). */
export const offers = defineFeature({
  name: 'offers',
  routes: [
    { path: '/offers', element: <OffersPage />, permission: 'offer:read' },
    { path: '/offers/new', element: <OfferEditPage />, permission: 'offer:manage' },
    { path: '/offers/stale', element: <StaleOffersPage />, permission: 'offer:stale-overview' },
    { path: '/offers/:id', element: <OfferDetailPage />, permission: 'offer:read' },
    { path: '/offers/:id/edit', element: <OfferEditPage />, permission: 'offer:manage' },
    // open to everyone, signed in or not
    { path: '/aanbod', element: <PublicOffersPage />, permission: null, public: true },
    { path: '/aanbod/:id', element: <PublicOfferDetailPage />, permission: null, public: true },
  ],
  nav: [
    { to: '/offers', label: 'offers.nav', permission: 'offer:read' },
    { to: '/offers/stale', label: 'offers.staleNav', permission: 'offer:stale-overview' },
  ],
  texts,
});
