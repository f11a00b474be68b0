/**
 * The demo's flow history (src/server/demo/flow-history.ts, README "Reports"): the demo analyst sees eight quarters of
 * network flow on the first start — steps up and down, waiting-list times, first contacts, declined referrals with
 * their reasons, some cells as "<5" —, the organisations' inboxes keep only the cases' open referrals, and a second
 * run adds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caller, createWorld, type World } from '../support/world.ts';
import { seedDemo } from '../../src/server/demo/seed.ts';
import { seedDemoCases } from '../../src/server/demo/seed-cases.ts';
import { HISTORY_PSEUDONYM } from '../../src/server/demo/flow-history.ts';

let world: World;
let analyst: Caller;
const monthOf = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
const now = new Date();
const to = monthOf(now);
const from = monthOf(new Date(now.getFullYear(), now.getMonth() - 23, 1));
type Cell = number | string | null;
const numbers = (cells: Cell[]) => cells.filter((c): c is number => typeof c === 'number');

async function counts() {
  const n = async (table: 'referrals' | 'referral_events' | 'care_plan_evaluations' | 'clients') =>
    (
      await world.owner
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  return [await n('referrals'), await n('referral_events'), await n('care_plan_evaluations'), await n('clients')];
}

beforeAll(async () => {
  world = await createWorld();
  await seedDemo(world.owner);
  await seedDemoCases(world.db);
  analyst = new Caller(world.app);
  const res = await analyst.post('/api/auth/login', { email: 'analist@demo.example', password: 'kortelijn-demo' });
  expect(res.statusCode, res.raw).toBe(200);
});
afterAll(() => world?.close());

describe('the demo flow history', () => {
  it('gives the analyst 24 months with steps up and down, waiting-list times, first contacts, declines and "<5" cells', async () => {
    const res = await analyst.get(`/api/reports/flow?from=${from}&to=${to}`);
    expect(res.statusCode, res.raw).toBe(200);
    const months = res.body.months as Record<string, Cell>[];
    expect(months).toHaveLength(24);
    const column = (key: string) => months.map((m) => m[key] ?? null);
    // every quarter of the last eight has referrals; many months show a number, and small months say "<5"
    expect(numbers(column('referrals')).length).toBeGreaterThanOrEqual(12);
    const all = months.flatMap((m) => Object.values(m));
    expect(all).toContain('<5');
    // steps up and down are there (a month with 1–4 of them shows "<5": count the months that have any)
    const any = (key: string) => column(key).filter((c) => c === '<5' || (typeof c === 'number' && c > 0)).length;
    expect(any('stepsUp')).toBeGreaterThanOrEqual(8);
    expect(any('stepsDown')).toBeGreaterThanOrEqual(8);
    expect(any('firstContacts')).toBeGreaterThanOrEqual(20);
    expect(any('declined')).toBeGreaterThanOrEqual(8);
    // waiting times: days to acceptance and on the waiting list are published as numbers in some months
    expect(numbers(column('medianDaysToAcceptance')).length).toBeGreaterThanOrEqual(6);
    expect(any('medianDaysOnWaitingList')).toBeGreaterThanOrEqual(6);
    // declined referrals by reason over the period
    expect(Object.keys(res.body.declinedByReason as object).length).toBeGreaterThanOrEqual(2);

    // the trend: 8 quarters, each with referrals
    const trend = await analyst.get(`/api/reports/flow?from=${from}&to=${to}&by=quarter`);
    expect(trend.statusCode, trend.raw).toBe(200);
    const quarters = trend.body.quarters as Record<string, Cell>[];
    expect(quarters.length).toBeGreaterThanOrEqual(8);
    expect(numbers(quarters.slice(-8).map((q) => q.referrals ?? null)).filter((n) => n >= 5).length).toBe(8);
  });

  it('leaves the inboxes to the cases: every history referral is closed and carried by the pseudonymous record', async () => {
    const history = await world.owner
      .selectFrom('referrals as r')
      .innerJoin('clients as c', 'c.id', 'r.client_id')
      .select(['r.status', 'c.pseudonym', 'c.identity_kind'])
      .where('r.snapshot', '@>', JSON.stringify({ history: true }) as never)
      .execute();
    expect(history.length).toBeGreaterThan(100);
    expect(new Set(history.map((r) => r.status))).toEqual(new Set(['completed', 'declined', 'cancelled']));
    expect(new Set(history.map((r) => `${r.identity_kind} ${r.pseudonym}`))).toEqual(
      new Set([`pseudonym ${HISTORY_PSEUDONYM}`]),
    );
  });

  it('a second run adds nothing', async () => {
    const before = await counts();
    await seedDemoCases(world.db);
    expect(await counts()).toEqual(before);
  });
});
