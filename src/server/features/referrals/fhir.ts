import { FHIR_BASE } from '../instruments/index.ts';
import {
  FHIR_STATUS,
  fhirCaseOf,
  SERVICE_REQUEST_STATUSES,
  TASK_STATUSES,
  type RequestPriority,
  type Status,
} from './lifecycle.ts';
import type { FhirReferralBundle, FhirRiskAssessment, FhirServiceRequest, FhirTask } from './referrals.schema.ts';
import { RISK_LABELS, isRiskLevel } from '../../core/risk.ts';

/** Korte Lijn's code system of the risk vocabulary: none, attention, high, acute (core/risk.ts, ARCHITECTURE.md). */
export const RISK_CODE_SYSTEM = `${FHIR_BASE}/CodeSystem/risk-level`;

const PRIORITY: Record<string, RequestPriority> = { routine: 'routine', urgent: 'urgent', acute: 'stat' };

interface ReferralView {
  id: string;
  status: string;
  priority: string;
  message: string | null;
  createdAt: string;
  updatedAt: string;
  offerId: string;
  offerName: string | null;
  senderOrganizationId: string;
  senderOrganizationName: string | null;
  receiverOrganizationId: string;
  receiverOrganizationName: string | null;
  statusReason: string | null;
  consentActive: boolean;
  /** the shared risk level when sent, as this party sees it (null: not shared, or the consent ended) */
  riskLevel: string | null;
  firstContactAt: string | null;
  timeline: { at: string; action: string; toStatus: string | null }[];
}
interface ConsentView {
  id: string;
  categories: string[];
  method: string;
  recordedAt: string;
  validUntil: string | null;
}

/**
 * FHIR forbids empty arrays, objects and strings (and nulls) in JSON, though the JSON Schema lets them through:
 * drop them, bottom-up, so an element left empty by that is dropped too.
 */
export function withoutEmpty<T>(value: T): T {
  const prune = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const items = v.map(prune).filter((x) => x !== undefined);
      return items.length ? items : undefined;
    }
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v)
        .map(([k, x]) => [k, prune(x)] as const)
        .filter(([, x]) => x !== undefined);
      return entries.length ? Object.fromEntries(entries) : undefined;
    }
    return v === null || v === '' ? undefined : v;
  };
  return prune(value) as T;
}

/**
 * A referral as a FHIR R4 Bundle: ServiceRequest (what is asked), Task (where it stands, with the BSeR business
 * status) and Consent (what may be shared). The JSON Schema does not check ServiceRequest.status: we do. The
 * status mapping is the table in lifecycle.ts (FHIR_STATUS) and ARCHITECTURE.md.
 */
export function referralBundle(r: ReferralView, consent: ConsentView | null): FhirReferralBundle {
  const map = FHIR_STATUS[fhirCaseOf(r.status as Status, r.firstContactAt)];
  if (!map) throw new Error(`no FHIR status for ${r.status}`);
  if (
    !(SERVICE_REQUEST_STATUSES as readonly string[]).includes(map.serviceRequest) ||
    !(TASK_STATUSES as readonly string[]).includes(map.task)
  ) {
    throw new Error(`no FHIR status for ${r.status}`);
  }
  const priority = PRIORITY[r.priority];
  if (!priority) throw new Error(`no FHIR priority for ${r.priority}`);
  const org = (id: string, name: string | null) => ({
    reference: `Organization/${id}`,
    ...(name ? { display: name } : {}),
  });
  const serviceRequest: FhirServiceRequest = {
    resourceType: 'ServiceRequest',
    id: r.id,
    status: map.serviceRequest,
    intent: 'order',
    priority,
    code: { text: r.offerName ?? 'Doorverwijzing' },
    subject: { display: 'Cliënt (gegevens volgens toestemming)' },
    authoredOn: r.createdAt,
    requester: org(r.senderOrganizationId, r.senderOrganizationName),
    performer: [org(r.receiverOrganizationId, r.receiverOrganizationName)],
    ...(r.message ? { note: [{ text: r.message }] } : {}),
    supportingInfo: [
      ...(consent ? [{ reference: `Consent/${consent.id}` }] : []),
      ...(r.riskLevel ? [{ reference: `RiskAssessment/${r.id}-risk` }] : []),
    ],
    identifier: [{ system: `${FHIR_BASE}/referral`, value: r.id }],
  };
  const task: FhirTask = {
    resourceType: 'Task',
    id: `${r.id}-task`,
    status: map.task,
    intent: 'order',
    priority,
    businessStatus: {
      coding: [
        {
          system: 'http://hl7.org/fhir/us/bser/CodeSystem/TaskBusinessStatusCS',
          code: map.business.code,
          display: map.business.display,
        },
      ],
      text: r.status,
    },
    ...(r.statusReason ? { statusReason: { text: r.statusReason } } : {}),
    focus: { reference: `ServiceRequest/${r.id}` },
    basedOn: [{ reference: `ServiceRequest/${r.id}` }],
    authoredOn: r.createdAt,
    lastModified: r.updatedAt,
    requester: org(r.senderOrganizationId, r.senderOrganizationName),
    owner: org(r.receiverOrganizationId, r.receiverOrganizationName),
    output: r.timeline.filter((e) => e.toStatus).map((e) => ({ type: { text: e.action }, valueDateTime: e.at })),
  };
  const entries: FhirReferralBundle['entry'] = [
    { fullUrl: `${FHIR_BASE}/ServiceRequest/${r.id}`, resource: serviceRequest },
    { fullUrl: `${FHIR_BASE}/Task/${r.id}-task`, resource: task },
  ];
  if (consent) {
    entries.push({
      fullUrl: `${FHIR_BASE}/Consent/${consent.id}`,
      resource: {
        resourceType: 'Consent',
        id: consent.id,
        status: r.consentActive ? 'active' : 'inactive',
        scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
        category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
        dateTime: consent.recordedAt,
        organization: [org(r.senderOrganizationId, r.senderOrganizationName)],
        policyRule: { text: `Gedeeld beroepsgeheim; verkregen: ${consent.method}` },
        provision: {
          type: 'permit',
          ...(consent.validUntil ? { period: { end: consent.validUntil } } : {}),
          actor: [
            {
              role: {
                coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP' }],
              },
              reference: org(r.receiverOrganizationId, r.receiverOrganizationName),
            },
          ],
          purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }],
          class: consent.categories.map((c) => ({ system: `${FHIR_BASE}/CodeSystem/consent-category`, code: c })),
        },
      },
    });
  }
  if (r.riskLevel) {
    if (!isRiskLevel(r.riskLevel)) throw new Error(`no risk level ${r.riskLevel}`);
    const label = RISK_LABELS[r.riskLevel].nl;
    const risk: FhirRiskAssessment = {
      resourceType: 'RiskAssessment',
      id: `${r.id}-risk`,
      status: 'final',
      code: {
        coding: [{ system: `${FHIR_BASE}/CodeSystem/risk-assessment`, code: 'referral-risk' }],
        text: 'Risico bij doorverwijzing: wat screening en veiligheid van de verwijzer toonden',
      },
      subject: { display: 'Cliënt (gegevens volgens toestemming)' },
      // the level is the one shown when the referral was sent
      occurrenceDateTime: r.createdAt,
      performer: org(r.senderOrganizationId, r.senderOrganizationName),
      prediction: [
        { qualitativeRisk: { coding: [{ system: RISK_CODE_SYSTEM, code: r.riskLevel, display: label }], text: label } },
      ],
    };
    entries.push({ fullUrl: `${FHIR_BASE}/RiskAssessment/${r.id}-risk`, resource: risk });
  }
  return withoutEmpty<FhirReferralBundle>({
    resourceType: 'Bundle',
    id: `${r.id}-bundle`,
    type: 'collection',
    timestamp: r.updatedAt,
    entry: entries,
  });
}
