import { FHIR_BASE } from '../instruments/index.ts';
import type { Static } from '@sinclair/typebox';
import type { PlanDetail as PlanDetailSchema } from './care-plans.schema.ts';

type PlanDetail = Static<typeof PlanDetailSchema>;

/**
 * The care plan as FHIR R4: a CarePlan with its Goals and its CareTeam, in a collection Bundle. The JSON Schema
 * does not check the value sets of CarePlan.status, CarePlan.intent, Goal.lifecycleStatus or the activity status,
 * so the maps below hold only codes of those value sets and `checkCodes` refuses anything else before it leaves.
 */
export const CARE_PLAN_STATUS_CODES = [
  'draft',
  'active',
  'on-hold',
  'revoked',
  'completed',
  'entered-in-error',
  'unknown',
] as const;
export const CARE_PLAN_INTENT_CODES = ['proposal', 'plan', 'order', 'option'] as const;
const GOAL_LIFECYCLE_CODES = [
  'proposed',
  'planned',
  'accepted',
  'active',
  'on-hold',
  'completed',
  'cancelled',
  'entered-in-error',
  'rejected',
];
const ACTIVITY_STATUS_CODES = [
  'not-started',
  'scheduled',
  'in-progress',
  'on-hold',
  'completed',
  'cancelled',
  'stopped',
  'unknown',
  'entered-in-error',
];

const PLAN_STATUS: Record<string, string> = { active: 'active', closed: 'completed' };
const GOAL_STATUS: Record<string, { lifecycle: string; achievement?: string }> = {
  proposed: { lifecycle: 'proposed' },
  active: { lifecycle: 'active', achievement: 'in-progress' },
  achieved: { lifecycle: 'completed', achievement: 'achieved' },
  'not-achieved': { lifecycle: 'completed', achievement: 'not-achieved' },
  cancelled: { lifecycle: 'cancelled' },
};
const ACTIVITY_STATUS: Record<string, string> = { open: 'not-started', done: 'completed', dropped: 'cancelled' };

function code(value: string | undefined, allowed: readonly string[], what: string): string {
  if (!value || !allowed.includes(value)) throw new Error(`${what}: ${String(value)} is not a FHIR R4 code`);
  return value;
}

const withText = (text: string | null | undefined) => (text ? [{ text }] : undefined);
/** FHIR forbids empty strings, arrays and objects: leave such fields out. */
function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).filter(
      ([, v]) =>
        v !== undefined &&
        v !== null &&
        v !== '' &&
        !(Array.isArray(v) && v.length === 0) &&
        !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0),
    ),
  ) as T;
}

export function carePlanBundle(plan: PlanDetail) {
  const patient = { reference: `Patient/${plan.clientId}` };
  const careTeamId = plan.id;
  const goals = plan.goals.map((g) => {
    const status = GOAL_STATUS[g.status]!;
    return compact({
      resourceType: 'Goal' as const,
      id: g.id,
      lifecycleStatus: code(status.lifecycle, GOAL_LIFECYCLE_CODES, 'Goal.lifecycleStatus'),
      achievementStatus: status.achievement
        ? {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: status.achievement }],
          }
        : undefined,
      category: g.lifeDomain
        ? [{ coding: [{ system: `${FHIR_BASE}/CodeSystem/life-domain`, code: g.lifeDomain }] }]
        : undefined,
      // the person's own words, as said; the professional wording is a note beside them
      description: { text: g.description },
      subject: patient,
      target: g.targetDate ? [{ dueDate: g.targetDate }] : undefined,
      note: withText(g.professionalWording),
    });
  });
  const memberReference = (m: PlanDetail['team'][number]) =>
    m.kind === 'organization'
      ? { reference: `Organization/${m.organizationId}`, display: m.displayName ?? undefined }
      : m.kind === 'caregiver'
        ? { reference: `Practitioner/${m.userId}`, display: m.displayName ?? undefined }
        : m.kind === 'person'
          ? patient
          : // a support person is no resource of ours: named only
            { display: m.displayName ?? 'steunfiguur' };
  const careTeam = compact({
    resourceType: 'CareTeam' as const,
    id: careTeamId,
    status: plan.status === 'active' ? 'active' : 'inactive',
    subject: patient,
    participant: plan.team
      .filter((m) => m.active)
      .map((m) =>
        compact({
          role: [
            compact({
              coding: [
                { system: `${FHIR_BASE}/CodeSystem/care-team-role`, code: m.coordinator ? 'coordinator' : m.kind },
              ],
              text: m.role ?? (m.relation ? `${m.relation}` : undefined),
            }),
          ],
          member: compact(memberReference(m)),
          onBehalfOf:
            m.kind === 'caregiver' && m.organizationId ? { reference: `Organization/${m.organizationId}` } : undefined,
        }),
      ),
    managingOrganization: [{ reference: `Organization/${plan.organizationId}` }],
  });
  const carePlan = compact({
    resourceType: 'CarePlan' as const,
    id: plan.id,
    status: code(PLAN_STATUS[plan.status], CARE_PLAN_STATUS_CODES, 'CarePlan.status'),
    intent: code('plan', CARE_PLAN_INTENT_CODES, 'CarePlan.intent'),
    title: 'Hulpplan',
    description: plan.personWishes ?? undefined,
    subject: patient,
    period: compact({ start: plan.createdAt, end: plan.closedOn ?? undefined }),
    created: plan.createdAt,
    author: { reference: `Organization/${plan.organizationId}` },
    careTeam: [{ reference: `CareTeam/${careTeamId}` }],
    goal: plan.goals.map((g) => ({ reference: `Goal/${g.id}` })),
    activity: plan.actions.map((a) => ({
      detail: compact({
        status: code(ACTIVITY_STATUS[a.status], ACTIVITY_STATUS_CODES, 'CarePlan.activity.detail.status'),
        description: a.description,
        goal: a.goalId ? [{ reference: `Goal/${a.goalId}` }] : undefined,
        scheduledString: a.dueDate ? `voor ${a.dueDate}` : undefined,
        performer: [
          a.owner.kind === 'organization'
            ? { reference: `Organization/${a.owner.id}` }
            : a.owner.kind === 'user'
              ? { reference: `Practitioner/${a.owner.id}` }
              : a.owner.kind === 'client'
                ? patient
                : { display: a.owner.name ?? 'steunfiguur' },
        ],
      }),
    })),
  });
  return {
    resourceType: 'Bundle' as const,
    id: plan.id,
    type: 'collection' as const,
    timestamp: new Date().toISOString(),
    entry: [
      { fullUrl: `${FHIR_BASE}/CarePlan/${plan.id}`, resource: carePlan },
      ...goals.map((g) => ({ fullUrl: `${FHIR_BASE}/Goal/${g.id}`, resource: g })),
      { fullUrl: `${FHIR_BASE}/CareTeam/${careTeamId}`, resource: careTeam },
    ],
  };
}
