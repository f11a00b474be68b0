import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import { referralBundle, withoutEmpty } from '../../src/server/features/referrals/fhir.ts';
import { FHIR_SCHEMA } from '../support/standards.ts';

// Written out by hand from the FHIR R4 value sets (not imported from lifecycle.ts, so a wrong list there shows):
// http://hl7.org/fhir/R4/valueset-request-status.html and http://hl7.org/fhir/R4/valueset-task-status.html
const REQUEST_STATUS = new Set(['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown']);
const TASK_STATUS = new Set([
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
]);
// BSeR TaskBusinessStatusCS
const BSER_BUSINESS = new Set(['2.0', '3.0', '4.0', '5.2', '5.1.1', '5.1.2', '5.1.3', '5.1.4', '6.0', '7.0']);

/** Every referral status (and completed without a first contact) → ServiceRequest, Task, business status. */
const EXPECTED: { status: string; firstContact: boolean; serviceRequest: string; task: string; business: string }[] = [
  { status: 'requested', firstContact: false, serviceRequest: 'active', task: 'requested', business: '2.0' },
  { status: 'received', firstContact: false, serviceRequest: 'active', task: 'received', business: '2.0' },
  { status: 'accepted', firstContact: false, serviceRequest: 'active', task: 'accepted', business: '3.0' },
  { status: 'declined', firstContact: false, serviceRequest: 'revoked', task: 'rejected', business: '4.0' },
  { status: 'waitlisted', firstContact: false, serviceRequest: 'on-hold', task: 'on-hold', business: '3.0' },
  { status: 'scheduled', firstContact: false, serviceRequest: 'active', task: 'in-progress', business: '5.1.1' },
  { status: 'missed', firstContact: false, serviceRequest: 'active', task: 'in-progress', business: '5.1.2' },
  { status: 'first-contact', firstContact: true, serviceRequest: 'active', task: 'in-progress', business: '5.1.4' },
  { status: 'completed', firstContact: true, serviceRequest: 'completed', task: 'completed', business: '7.0' },
  { status: 'completed', firstContact: false, serviceRequest: 'revoked', task: 'failed', business: '5.1.2' },
  { status: 'cancelled', firstContact: false, serviceRequest: 'revoked', task: 'cancelled', business: '6.0' },
];

const ID = '0b6f3f1e-8d1c-4c44-9a53-3f1f0c7d2a10';
const view = (status: string, firstContact: boolean, overrides: Record<string, unknown> = {}) => ({
  id: ID,
  status,
  priority: 'urgent',
  message: 'Graag snel contact',
  createdAt: '2026-11-02T09:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
  offerId: '1b6f3f1e-8d1c-4c44-9a53-3f1f0c7d2a11',
  offerName: 'Begeleiding',
  senderOrganizationId: '2b6f3f1e-8d1c-4c44-9a53-3f1f0c7d2a12',
  senderOrganizationName: 'CAW',
  receiverOrganizationId: '3b6f3f1e-8d1c-4c44-9a53-3f1f0c7d2a13',
  receiverOrganizationName: 'CGG',
  statusReason: status === 'completed' && !firstContact ? 'client-unreachable' : null,
  consentActive: true,
  firstContactAt: firstContact ? '2026-11-10T09:00:00.000Z' : null,
  timeline: [{ at: '2026-11-02T09:00:00.000Z', action: 'create', toStatus: 'requested' }],
  riskLevel: null,
  ...overrides,
});
const consent = {
  id: '4b6f3f1e-8d1c-4c44-9a53-3f1f0c7d2a14',
  categories: ['contact'],
  method: 'verbal',
  recordedAt: '2026-11-02T08:55:00.000Z',
  validUntil: null,
};

/** Paths of empty arrays, objects and strings, and nulls (FHIR JSON forbids them all). */
function empties(value: unknown, at = '$'): string[] {
  if (value === null || value === '') return [at];
  if (Array.isArray(value)) return value.length === 0 ? [at] : value.flatMap((v, i) => empties(v, `${at}[${i}]`));
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? [at] : entries.flatMap(([k, v]) => empties(v, `${at}.${k}`));
  }
  return [];
}

describe('referral → FHIR', () => {
  const { id: _legacy, ...schema } = JSON.parse(fs.readFileSync(FHIR_SCHEMA, 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(
    JSON.parse(fs.readFileSync(path.resolve('node_modules/ajv/dist/refs/json-schema-draft-06.json'), 'utf8')),
  );
  ajv.addSchema({ ...schema, $id: 'fhir' });
  const validateBundle = ajv.compile({ $ref: 'fhir#/definitions/Bundle' });

  it('covers all ten statuses, and the expected codes are in the FHIR and BSeR code sets', () => {
    expect(new Set(EXPECTED.map((e) => e.status)).size).toBe(10);
    for (const e of EXPECTED) {
      expect(REQUEST_STATUS.has(e.serviceRequest), e.serviceRequest).toBe(true);
      expect(TASK_STATUS.has(e.task), e.task).toBe(true);
      expect(BSER_BUSINESS.has(e.business), e.business).toBe(true);
    }
  });

  it.each(EXPECTED)('$status (first contact: $firstContact) → ServiceRequest $serviceRequest, Task $task', (e) => {
    const bundle = referralBundle(view(e.status, e.firstContact), consent);
    expect(validateBundle(bundle), JSON.stringify(validateBundle.errors?.slice(0, 3))).toBe(true);
    const [sr, task] = bundle.entry.map((x) => x.resource as Record<string, any>);
    expect(sr!.resourceType).toBe('ServiceRequest');
    expect(sr!.status).toBe(e.serviceRequest);
    expect(REQUEST_STATUS.has(sr!.status)).toBe(true);
    expect(task!.resourceType).toBe('Task');
    expect(task!.status).toBe(e.task);
    expect(TASK_STATUS.has(task!.status)).toBe(true);
    expect(task!.businessStatus.coding[0].code).toBe(e.business);
    expect(task!.businessStatus.text).toBe(e.status);
    expect(empties(bundle)).toEqual([]);
  });

  it('leaves out what is empty (FHIR forbids empty arrays, though the JSON Schema accepts them)', () => {
    // no consent, no names, no message, no timeline event with a status: every optional list is empty
    const bare = referralBundle(
      view('requested', false, {
        message: null,
        offerName: null,
        senderOrganizationName: null,
        receiverOrganizationName: null,
        timeline: [{ at: '2026-11-02T09:00:00.000Z', action: 'consent-withdrawn', toStatus: null }],
      }),
      null,
    );
    expect(validateBundle(bare), JSON.stringify(validateBundle.errors?.slice(0, 3))).toBe(true);
    expect(empties(bare)).toEqual([]);
    const [sr, task] = bare.entry.map((x) => x.resource as Record<string, unknown>);
    expect(sr).not.toHaveProperty('supportingInfo');
    expect(sr).not.toHaveProperty('locationCode');
    expect(sr).not.toHaveProperty('note');
    expect(task).not.toHaveProperty('output');
    expect(bare.entry).toHaveLength(2);
  });

  it.each(['none', 'attention', 'high', 'acute'])(
    'the shared risk level %s is a valid RiskAssessment in our own code system, referenced by the ServiceRequest',
    (level) => {
      const labels: Record<string, string> = { none: 'Geen', attention: 'Aandacht', high: 'Hoog', acute: 'Acuut' };
      const bundle = referralBundle(view('requested', false, { riskLevel: level }), consent);
      expect(validateBundle(bundle), JSON.stringify(validateBundle.errors?.slice(0, 3))).toBe(true);
      expect(empties(bundle)).toEqual([]);
      const resources = bundle.entry.map((x) => x.resource as Record<string, any>);
      const risk = resources.find((x) => x.resourceType === 'RiskAssessment')!;
      expect(risk).toMatchObject({
        id: `${ID}-risk`,
        status: 'final',
        // when it was sent, by the sender
        occurrenceDateTime: '2026-11-02T09:00:00.000Z',
        performer: { reference: 'Organization/2b6f3f1e-8d1c-4c44-9a53-3f1f0c7d2a12' },
        prediction: [
          {
            qualitativeRisk: {
              coding: [
                { system: 'https://kortelijn.be/fhir/CodeSystem/risk-level', code: level, display: labels[level] },
              ],
            },
          },
        ],
      });
      expect(resources[0]!.supportingInfo).toEqual([
        { reference: `Consent/${consent.id}` },
        { reference: `RiskAssessment/${ID}-risk` },
      ]);
    },
  );

  it('a risk level that was not shared (or no longer is) is not in the bundle at all', () => {
    const bundle = referralBundle(view('accepted', false, { riskLevel: null }), consent);
    expect(bundle.entry.map((x) => x.resource.resourceType)).toEqual(['ServiceRequest', 'Task', 'Consent']);
    expect(JSON.stringify(bundle)).not.toContain('RiskAssessment');
  });

  it('withoutEmpty drops empty arrays, objects, strings and nulls bottom-up and keeps 0 and false', () => {
    expect(
      withoutEmpty({ a: [], b: { c: [], d: { e: null } }, f: '', g: [{}, 1, []], h: 0, i: false, j: 'x' }),
    ).toEqual({ g: [1], h: 0, i: false, j: 'x' });
  });
});
