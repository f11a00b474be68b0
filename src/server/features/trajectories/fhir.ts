import type { TrajectoryRow } from '../../core/db/schema.ts';
import { FHIR_BASE } from '../instruments/index.ts';

/**
 * A trajectory as FHIR R4: an EpisodeOfCare with its contacts as Encounters, in a collection Bundle.
 * The professional notes stay out: they are the organisation's own and a Bundle is made to travel.
 */
const EPISODE_STATUS: Record<string, string> = {
  planned: 'planned',
  active: 'active',
  'on-hold': 'onhold',
  finished: 'finished',
  cancelled: 'cancelled',
};
/** v3 ActCode encounter classes: home visit HH, video/phone/chat virtual VR, the rest ambulatory AMB. */
const ENCOUNTER_CLASS: Record<string, string> = {
  'home-visit': 'HH',
  phone: 'VR',
  video: 'VR',
  chat: 'VR',
};

interface DetailView {
  history: { at: string; toStatus: string }[];
  contacts: { id: string; at: string; minutes: number; kind: string; noShow: boolean; withClient: boolean }[];
}

export function trajectoryBundle(row: TrajectoryRow, detail: DetailView, organizationId: string) {
  const episodeUrl = `${FHIR_BASE}/EpisodeOfCare/${row.id}`;
  // one period per status: from its event to the next one
  const statusHistory = detail.history.map((e, i) => {
    const next = detail.history[i + 1];
    return {
      status: EPISODE_STATUS[e.toStatus] ?? 'active',
      period: next ? { start: e.at, end: next.at } : { start: e.at },
    };
  });
  const episode = {
    resourceType: 'EpisodeOfCare' as const,
    id: row.id,
    status: EPISODE_STATUS[row.status] ?? 'active',
    statusHistory,
    type: [
      {
        coding: [{ system: `${FHIR_BASE}/CodeSystem/trajectory-module`, code: row.module }],
      },
      {
        coding: [{ system: `${FHIR_BASE}/CodeSystem/trajectory-phase`, code: row.phase }],
      },
    ],
    patient: { reference: `Patient/${row.client_id}` },
    managingOrganization: { reference: `Organization/${organizationId}` },
    period: row.end_date ? { start: row.start_date, end: row.end_date } : { start: row.start_date },
    ...(row.referral_id ? { referralRequest: [{ reference: `ServiceRequest/${row.referral_id}` }] } : {}),
    careManager: { reference: `Practitioner/${row.responsible_user_id}` },
  };
  const encounters = detail.contacts.map((c) => {
    const end = new Date(Date.parse(c.at) + c.minutes * 60_000).toISOString();
    return {
      resourceType: 'Encounter' as const,
      id: c.id,
      status: c.noShow ? 'cancelled' : 'finished',
      class: {
        system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
        code: ENCOUNTER_CLASS[c.kind] ?? 'AMB',
      },
      type: [{ coding: [{ system: `${FHIR_BASE}/CodeSystem/contact-kind`, code: c.kind }] }],
      subject: { reference: `Patient/${row.client_id}` },
      episodeOfCare: [{ reference: `EpisodeOfCare/${row.id}` }],
      period: { start: c.at, end },
      length: { value: c.minutes, unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' },
      serviceProvider: { reference: `Organization/${organizationId}` },
    };
  });
  return {
    resourceType: 'Bundle' as const,
    id: row.id,
    type: 'collection' as const,
    timestamp: new Date().toISOString(),
    entry: [
      { fullUrl: episodeUrl, resource: episode },
      ...encounters.map((e) => ({ fullUrl: `${FHIR_BASE}/Encounter/${e.id}`, resource: e })),
    ],
  };
}
