import type { Kysely } from 'kysely';
import type { DB } from '../core/db/schema.ts';
import { inTenant } from '../core/db/tenant.ts';
import type { Actor, RequestInfo } from '../core/auth/actor.ts';
import { putStaffing } from '../features/reports/index.ts';

const SEED_REQUEST: RequestInfo = { ip: '127.0.0.1', userAgent: 'Korte Lijn demo seed', requestId: 'demo-seed' };

/** The demo CAW's 46.47 FTE (seed 000) over its five modules. */
const CAW_FTE = {
  'victim-support-bereavement': 6,
  'psychosocial-support': 12.5,
  'relationship-family': 9.5,
  'family-violence': 8,
  youth: 10.47,
} as const;

const quarterOf = (d: Date) => `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;

/**
 * Staffing of the demo CAW for the current quarter and the four before it, entered by its organisation admin
 * through the reports service (so the audit trail has it). Idempotent: an organisation with staffing is left alone.
 */
export async function seedDemoStaffing(demo: {
  app: Kysely<DB>;
  now: Date;
  actors: Map<string, Actor>;
}): Promise<void> {
  const actor = demo.actors.get('admin@caw.demo.example');
  if (!actor) return;
  await inTenant(demo.app, actor, SEED_REQUEST, async (tx) => {
    if (await tx.db.selectFrom('report_staffing').select('quarter').limit(1).executeTakeFirst()) return;
    for (let back = 4; back >= 0; back--) {
      const d = new Date(Date.UTC(demo.now.getUTCFullYear(), demo.now.getUTCMonth() - back * 3, 1));
      for (const [module, fte] of Object.entries(CAW_FTE)) {
        await putStaffing(tx, { quarter: quarterOf(d), module: module as keyof typeof CAW_FTE, fte });
      }
    }
  });
}
