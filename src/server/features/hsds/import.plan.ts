import { scalarText, str, unique, type ImportContext } from './import.context.ts';
import { offerValues, type OfferValues } from './import.offer.ts';
import { ourTaxonomyRecords } from './import.terms.ts';
import { isObject, type Json } from './package.ts';
import type { KlTerm } from './taxonomies.ts';

/**
 * Our rules on top of the schema (names, NIS codes, references, ids of other networks), and what the import is to
 * write: the sites, the offers and the sites each offer is at. Nothing is written here; every problem goes to
 * ctx.problems, and an error stops the import before it writes anything.
 */

interface SitePlan {
  organizationId: string | null;
  name: string;
  street: string;
  postal_code: string;
  nis_code: string;
}
interface OfferPlan {
  organizationId: string;
  values: OfferValues;
  capacityAt: string | null;
}
export interface ImportPlan {
  /** by location id: the site of a location with a Belgian address and an organisation */
  sites: Map<string, SitePlan>;
  /** by service id: the offer of a service that names its organisation */
  offers: Map<string, OfferPlan>;
  /** by service id (of the package or not): the sites its services at locations offer it at */
  sitesOfService: Map<string, string[]>;
  /** term and taxonomy records that are ours: counted, not kept */
  skipTerms: Set<string>;
  skipTaxonomies: Set<string>;
}

export function planImport(ctx: ImportContext): ImportPlan {
  checkOrganizations(ctx);
  const { termAlias, skipTerms, skipTaxonomies } = ourTaxonomyRecords(ctx);
  const sites = planSites(ctx);
  checkServicesAtLocations(ctx);
  const offers = planOffers(ctx, termAlias);
  assignSiteOrganizations(ctx, sites, offers);
  const sitesOfService = planSitesOfServices(ctx, sites, offers);
  return { sites, offers, sitesOfService, skipTerms, skipTaxonomies };
}

function checkOrganizations({ P, problems, at, existing, network }: ImportContext) {
  for (const rec of P.organization.values()) {
    if (!str(rec.data.name)?.trim()) problems.error(at(rec, 'name'), 'name-blank');
    const found = existing.orgs.get(rec.id);
    if (found && found.network_id !== network) problems.error(at(rec, 'id'), 'id-taken');
  }
}

/** Locations: a Belgian address makes a site of the organisation. */
function planSites({
  P,
  problems,
  at,
  existing,
  network,
  municipalityNamed,
  orgKnown,
}: ImportContext): Map<string, SitePlan> {
  const sites = new Map<string, SitePlan>();
  for (const rec of P.location.values()) {
    const found = existing.sites.get(rec.id);
    if (found && found.network_id !== network) problems.error(at(rec, 'id'), 'id-taken');
    const addresses = Array.isArray(rec.data.addresses) ? rec.data.addresses.filter(isObject) : [];
    const belgian = (a: Json) => str(a.country)?.trim().toUpperCase() === 'BE';
    const index = addresses.findIndex((a) => belgian(a) && a.address_type === 'physical');
    const i = index >= 0 ? index : addresses.findIndex((a) => belgian(a) && a.address_type !== 'virtual');
    if (i < 0) continue;
    const address = addresses[i]!;
    const nested = { obj: address, path: `addresses.${i}` };
    const postal = scalarText(address.postal_code).trim();
    if (!/^[0-9]{4}$/.test(postal)) problems.error(at(rec, 'postal_code', nested), 'postal-code-format');
    const municipality = municipalityNamed(scalarText(address.city));
    if (!municipality) problems.error(at(rec, 'city', nested), 'municipality-unknown');
    const street = scalarText(address.address_1).trim();
    if (!street) problems.error(at(rec, 'address_1', nested), 'required');
    const linked = rec.links.organization_id;
    if (linked && !orgKnown(linked)) problems.warn(at(rec, 'organization_id'), 'reference-unknown');
    if (municipality && street) {
      sites.set(rec.id, {
        organizationId: orgKnown(linked) ? linked! : null,
        name: str(rec.data.name)?.trim() || street,
        street,
        postal_code: postal,
        nis_code: municipality.nis_code,
      });
    }
  }
  return sites;
}

/** Services at locations: both ends must be known. */
function checkServicesAtLocations({ P, problems, at, existing, mine }: ImportContext) {
  for (const rec of P.service_at_location.values()) {
    const serviceId = rec.links.service_id;
    const locationId = rec.links.location_id;
    if (!serviceId) problems.error(at(rec, 'service_id'), 'required');
    else if (!P.service.has(serviceId) && !mine(existing.offers.get(serviceId)))
      problems.error(at(rec, 'service_id'), 'reference-unknown');
    if (!locationId) problems.error(at(rec, 'location_id'), 'required');
    else if (
      !P.location.has(locationId) &&
      !mine(existing.sites.get(locationId)) &&
      !existing.records.has(`location|${locationId}`)
    ) {
      problems.error(at(rec, 'location_id'), 'reference-unknown');
    }
  }
}

/** Services: an offer of a known organisation, with our fields derived from the HSDS ones. */
function planOffers(ctx: ImportContext, termAlias: Map<string, KlTerm>): Map<string, OfferPlan> {
  const { P, problems, at, existing, network, orgKnown } = ctx;
  const offers = new Map<string, OfferPlan>();
  for (const rec of P.service.values()) {
    const found = existing.offers.get(rec.id);
    if (found && found.network_id !== network) problems.error(at(rec, 'id'), 'id-taken');
    const organizationId = rec.links.organization_id;
    if (!organizationId) problems.error(at(rec, 'organization_id'), 'required');
    else if (!orgKnown(organizationId)) problems.error(at(rec, 'organization_id'), 'organization-unknown');
    const fields = offerValues(ctx, termAlias, rec);
    if (organizationId) offers.set(rec.id, { organizationId, ...fields });
  }
  return offers;
}

/** A site without an organisation of its own belongs to the organisation offering a service there; else it is no site. */
function assignSiteOrganizations(
  { P, problems, at, existing, mine }: ImportContext,
  sites: Map<string, SitePlan>,
  offers: Map<string, OfferPlan>,
) {
  for (const rec of P.service_at_location.values()) {
    const plan = rec.links.location_id ? sites.get(rec.links.location_id) : undefined;
    if (!plan || plan.organizationId) continue;
    const serviceId = rec.links.service_id!;
    plan.organizationId =
      offers.get(serviceId)?.organizationId ?? mine(existing.offers.get(serviceId))?.organization_id ?? null;
  }
  for (const [id, plan] of sites) {
    if (plan.organizationId) continue;
    problems.warn(at(P.location.get(id)!, 'organization_id'), 'location-without-organization');
    sites.delete(id);
  }
}

/** The sites a service is offered at: the organisation's sites among its services at locations (set on the offers planned). */
function planSitesOfServices(
  { P, existing, mine }: ImportContext,
  sites: Map<string, SitePlan>,
  offers: Map<string, OfferPlan>,
) {
  const siteOrg = (locationId: string) =>
    sites.get(locationId)?.organizationId ?? mine(existing.sites.get(locationId))?.organization_id;
  const sitesOfService = new Map<string, string[]>();
  for (const rec of P.service_at_location.values()) {
    const { service_id: serviceId, location_id: locationId } = rec.links;
    if (!serviceId || !locationId) continue;
    const organizationId =
      offers.get(serviceId)?.organizationId ?? mine(existing.offers.get(serviceId))?.organization_id;
    if (!sitesOfService.has(serviceId)) sitesOfService.set(serviceId, []);
    if (organizationId && siteOrg(locationId) === organizationId) sitesOfService.get(serviceId)!.push(locationId);
  }
  for (const [serviceId, siteIds] of sitesOfService) {
    const plan = offers.get(serviceId);
    if (plan) plan.values.site_ids = unique(siteIds);
  }
  return sitesOfService;
}
