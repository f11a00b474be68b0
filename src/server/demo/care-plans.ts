import type { Kysely } from 'kysely';
import type { DB } from '../core/db/schema.ts';
import { inTenant } from '../core/db/tenant.ts';
import type { Actor, RequestInfo } from '../core/auth/actor.ts';
import {
  addCarePlanAction,
  addCarePlanEvaluation,
  addCarePlanGoal,
  addCareTeamMember,
  createCarePlan,
  updateCarePlan,
} from '../features/care-plans/index.ts';
import { createConsent } from '../features/referrals/index.ts';
import { dateFrom } from './moments.ts';

const SEED_REQUEST: RequestInfo = { ip: '127.0.0.1', userAgent: 'Korte Lijn demo seed', requestId: 'demo-seed' };

interface DemoContext {
  app: Kysely<DB>;
  now: Date;
  organizations: Map<string, string>;
  actors: Map<string, Actor>;
}

type LifeDomain = 'housing' | 'finances' | 'work-school' | 'mental-health' | 'social-contacts';
interface DemoPlan {
  /** the organisation that makes the plan, for the person it registered from a referral of `from` */
  org: string;
  from: string;
  wishes: string;
  goals: { words: string; professional: string; domain: LifeDomain; progress: number }[];
  supportPerson: { name: string; relation: string; contact: string; role: string };
  /** actions: the person, the support person, the caregiver (overdue), the sending organisation, the organisation itself */
  actions: [string, string, string, string, string];
}

/** Two plans, each on a person registered from a referral, so the two records are linked and the plan shared. */
const PLANS: DemoPlan[] = [
  {
    org: 'caw',
    from: 'ocmw',
    wishes:
      'Ik wil in een woning zonder vocht wonen en mijn schulden afbetalen, zonder dat mijn dochter alles moet regelen.',
    goals: [
      {
        words: 'Een gezonde woning vinden',
        professional: 'Woonst zonder vochtproblemen; inschrijving sociale huisvesting',
        domain: 'housing',
        progress: 3,
      },
      {
        words: 'Mijn schulden onder controle krijgen',
        professional: 'Budgetbegeleiding en afbetalingsplan voor de huurachterstand',
        domain: 'finances',
        progress: 4,
      },
    ],
    supportPerson: {
      name: 'Nathalie Dubois',
      relation: 'dochter',
      contact: '0470 11 22 33',
      role: 'vertaalt en gaat mee naar afspraken',
    },
    actions: [
      'Brieven van de huisbaas en de facturen verzamelen',
      'Mee naar de afspraak bij de schuldbemiddelaar',
      'Budgetplan opmaken met Jean',
      'Aanvraag sociale woning opvolgen',
      'Dossier bespreken op het teamoverleg van deze week',
    ],
  },
  {
    org: 'cgg',
    from: 'huisarts',
    wishes: 'Ik wil weer kunnen slapen en stap voor stap terug aan het werk, zonder opnieuw in te storten.',
    goals: [
      {
        words: 'Terug uitgerust wakker worden',
        professional: 'Herstel van het slaappatroon; vermindering van uitputtingsklachten',
        domain: 'mental-health',
        progress: 5,
      },
      {
        words: 'Halftijds terug aan het werk',
        professional: 'Geleidelijke werkhervatting in overleg met de arbeidsarts',
        domain: 'work-school',
        progress: 2,
      },
    ],
    supportPerson: {
      name: 'Griet Maes',
      relation: 'partner',
      contact: '0486 44 55 66',
      role: 'bewaakt mee de rustmomenten',
    },
    actions: [
      'Elke dag een slaapdagboek bijhouden',
      'Samen een wandeling per dag inplannen',
      'Gesprek met de arbeidsarts voorbereiden',
      'Medicatie opvolgen bij de volgende consultatie',
      'Plaats vrijhouden in de slaapgroep van volgende maand',
    ],
  },
];

/**
 * The care plans of the demo (hulpplan), through the feature's own services as the organisation's caregiver: for
 * the first person each of the CAW and the CGG registered from a referral (Jean Dubois from the Sociaal Huis,
 * Pieter Maes from the huisartsenpraktijk), a plan with two goals in the person's words, a support person, five
 * actions (one overdue; one of the organisation itself, due today, on its caregivers' My work), one evaluation, and
 * a consent of the person with category care-plan naming the sender, so the sender opens the same plan from its own,
 * linked record. Deterministic and idempotent: an organisation that has any plan is left alone.
 */
export async function seedDemoCarePlans(demo: DemoContext): Promise<{ seeded: number }> {
  let seeded = 0;
  for (const p of PLANS) {
    const organizationId = demo.organizations.get(p.org);
    const senderId = demo.organizations.get(p.from);
    const actor = demo.actors.get(`hulpverlener@${p.org}.demo.example`);
    if (!organizationId || !senderId || !actor?.userId) continue;
    seeded += await inTenant(demo.app, actor, SEED_REQUEST, async (tx) => {
      const any = await tx.db
        .selectFrom('care_plans')
        .select('id')
        .where('organization_id', '=', organizationId)
        .limit(1)
        .executeTakeFirst();
      if (any) return 0;
      const referral = await tx.db
        .selectFrom('referrals')
        .select('receiver_client_id')
        .where('receiver_organization_id', '=', organizationId)
        .where('sender_organization_id', '=', senderId)
        .where('receiver_client_id', 'is not', null)
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      const clientId = referral?.receiver_client_id;
      if (!clientId) return 0;
      const { id } = await createCarePlan(tx, { clientId, personWishes: p.wishes });
      const agreedOn = dateFrom(demo.now, -14);
      await updateCarePlan(tx, id, { version: 1, agreedOn, agreementMethod: 'in-person' });
      const goals: string[] = [];
      for (const g of p.goals)
        goals.push(
          (
            await addCarePlanGoal(tx, id, {
              description: g.words,
              professionalWording: g.professional,
              lifeDomain: g.domain,
              status: 'active',
            })
          ).id,
        );
      const support = await addCareTeamMember(tx, id, { kind: 'support-person', ...p.supportPerson });
      await addCareTeamMember(tx, id, { kind: 'organization', organizationId: senderId });
      // Brussels dates: late in the evening the UTC date is yesterday's there (an action due today would read overdue)
      const due = (days: number) => dateFrom(demo.now, days);
      await addCarePlanAction(tx, id, {
        description: p.actions[0],
        goalId: goals[0]!,
        owner: { kind: 'client' },
        dueDate: due(7),
      });
      await addCarePlanAction(tx, id, {
        description: p.actions[1],
        goalId: goals[1]!,
        owner: { kind: 'support-person', id: support.id },
        dueDate: due(3),
      });
      // past its date: the plan shows it as overdue
      await addCarePlanAction(tx, id, {
        description: p.actions[2],
        goalId: goals[1]!,
        owner: { kind: 'user', id: actor.userId! },
        dueDate: due(-2),
      });
      await addCarePlanAction(tx, id, {
        description: p.actions[3],
        goalId: goals[0]!,
        owner: { kind: 'organization', id: senderId },
      });
      // the organisation's own, due today: its caregivers on the care team see it on My work, "Voor de organisatie"
      await addCarePlanAction(tx, id, {
        description: p.actions[4],
        goalId: goals[0]!,
        owner: { kind: 'organization', id: organizationId },
        dueDate: due(0),
      });
      await addCarePlanEvaluation(tx, id, {
        decision: 'continue',
        note: 'Eerste evaluatie: de afspraken lopen, het tempo ligt bij de persoon zelf.',
        personSays: 'Het gaat trager dan ik wou, maar ik voel dat er iets beweegt.',
        evaluatedOn: due(-1),
        goals: p.goals.map((g, i) => ({ goalId: goals[i]!, progress: g.progress })),
      });
      // the person agrees that the sender shares the plan: it opens it from its own, linked record
      await createConsent(tx, {
        clientId,
        purpose: 'care-plan',
        recipientOrganizationId: senderId,
        categories: ['care-plan'],
        method: 'verbal',
      });
      return 1;
    });
  }
  return { seeded };
}
