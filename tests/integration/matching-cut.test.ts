/**
 * The candidate statement's cut (matching.repository.ts) against the ranking over every offer within the hard limits:
 * for requests drawn over every parameter the statement takes — a municipality, an area or the whole network; zero to
 * three themes; language, preferred form and age given or not; each level needed; with and without risk first — the
 * top ten and the help for the wait that JavaScript ranks from the rows returned are those it ranks from all offers.
 * The statement's text depends only on the number of themes and the kind of place, so the same prepared statement
 * serves many of these requests with other parameters (and nulls): a parameter that leaked from one request into
 * the next, or a null read as a value, would show here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import { createWorld, makeTenants, userActor, type World } from '../support/world.ts';
import { inTenant } from '../../src/server/core/db/tenant.ts';
import {
  LEVEL_ORDER,
  rankOffers,
  riskFirst,
  riskTier,
  whileWaiting,
  WHILE_WAITING_EXCLUDES,
  WHILE_WAITING_MAX,
  type Suggestion,
  type Candidate,
  type Level,
  type MatchRequest,
  type RiskContext,
} from '../../src/server/features/intake/matching.ts';
import {
  candidateOf,
  candidateStatement,
  matchCandidates,
  type CandidateQuery,
} from '../../src/server/features/intake/matching.repository.ts';

const DIEST = '24020';
const AARSCHOT = '24001';
const TIENEN = '24107';
const LEUVEN = '24062';
const PLACES = [DIEST, AARSCHOT, TIENEN, LEUVEN];
const THEMES = ['depression', 'anxiety', 'grief', 'debt', 'suicidal-thoughts'];

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;

// a linear congruential generator: the same offers and requests on every run
function generator(seed: number) {
  let state = seed;
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const some = <T>(xs: readonly T[], max: number): T[] => {
    const count = Math.floor(random() * (max + 1));
    return [...new Set(Array.from({ length: count }, () => pick(xs)))];
  };
  return { random, pick, some };
}

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  const { random, pick, some } = generator(20261204);
  const rows = Array.from({ length: 420 }, (_, i) => {
    const capacity = pick(['open', 'assessment', 'waitlist', 'full'] as const);
    const minAge = random() < 0.3 ? pick([12, 18, 41, 65]) : null;
    // few names, so ties at the cut are common and JavaScript breaks them by name
    return {
      organization_id: random() < 0.5 ? t.orgA.id : t.orgB.id,
      network_id: t.network.id,
      name: `${pick(['Aanbod', 'aanbod', 'Één', 'Zorg'])} ${i % 9}`,
      description: 'Snede',
      level: pick(LEVEL_ORDER),
      themes: some(THEMES, 3),
      languages: pick([['nl'], ['nl', 'fr'], ['en'], ['nl', 'en']]),
      modalities: pick([['face-to-face'], ['chat'], ['group'], ['chat', 'group']]),
      // a few without a service area (they serve every request without a municipality)
      municipalities: random() < 0.08 ? [] : some(PLACES, 3),
      capacity,
      wait_days:
        capacity === 'full' ? null : capacity === 'open' ? Math.floor(random() * 3) : Math.floor(random() * 60),
      min_age: minAge,
      max_age: minAge !== null && random() < 0.5 ? minAge + 20 : null,
      // inactive offers are never candidates
      active: random() > 0.05,
    };
  });
  await world.owner.insertInto('offers').values(rows).execute();
});
afterAll(async () => {
  await world?.close();
});

const actor = () => userActor(t.users.intakeA.id, t.orgA.id, t.network.id, 'intake-worker');
const info = { ip: '127.0.0.1', userAgent: 'test', requestId: 'matching-cut' };

/** Every active offer of the network within the place and age limits (the themes are rankOffers' own filter). */
async function withinLimits(q: CandidateQuery): Promise<Candidate[]> {
  const all = await world.owner
    .selectFrom('offers')
    .selectAll()
    .where('network_id', '=', t.network.id)
    .where('active', '=', true)
    .execute();
  return all
    .filter((o) =>
      q.municipality
        ? o.municipalities.includes(q.municipality)
        : !q.area || o.municipalities.length === 0 || o.municipalities.some((m) => q.area!.includes(m)),
    )
    .filter((o) => q.age === null || ((o.min_age ?? 0) <= q.age && (o.max_age ?? 120) >= q.age))
    .map(candidateOf);
}

const strip = (items: { offerId: string; score: number; reasons: string[] }[]) =>
  items.map(({ offerId, score, reasons }) => ({ offerId, score, reasons }));

/**
 * What the cut must keep of a full ranking: the first `keep` and every one tied with the last of them on what SQL
 * orders by (group, points, wait; not the name): exactly these, so a cut that keeps too much fails as well.
 */
function cutOf(full: Suggestion[], keep: number, tier: (s: Suggestion) => number): string[] {
  const key = (s: Suggestion) => [tier(s), -s.score, s.waitDays ?? 0];
  const last = full[keep - 1];
  if (!last) return full.map((s) => s.offerId).sort();
  const [t, p, w] = key(last);
  return full
    .filter((s) => {
      const [st, sp, sw] = key(s);
      return st! < t! || (st === t && (sp! < p! || (sp === p && sw! <= w!)));
    })
    .map((s) => s.offerId)
    .sort();
}
const ids = (cs: Candidate[]) => cs.map((c) => c.id).sort();
/** Helps while waiting (matching.ts step 5): zero-line or a group, open now or after an assessment. */
const light = (c: Candidate) =>
  (c.level === 'zero-line' || c.modalities.includes('group')) && ['open', 'assessment'].includes(c.capacity);

describe('the candidate cut equals the ranking over every offer within the limits', () => {
  it('for 120 requests over every parameter, one after another on the same prepared statements', async () => {
    const { random, pick, some } = generator(7);
    const kinds = { municipality: 0, area: 0, network: 0, risk: 0, noThemes: 0, limitOne: 0 };
    for (let i = 0; i < 120; i++) {
      const kind = pick(['municipality', 'municipality', 'area', 'network'] as const);
      const themes = some(THEMES, 3);
      const needed: Level = pick(LEVEL_ORDER);
      const risk: RiskContext | null =
        random() < 0.35
          ? {
              risk: pick(['high', 'acute', 'attention'] as const),
              urgency: 'urgent',
              target: { workingDays: 3 },
              targetDays: pick([1 / 6, 1, 3, 14]),
            }
          : null;
      const q: CandidateQuery = {
        networkId: t.network.id,
        municipality: kind === 'municipality' ? pick(PLACES) : null,
        area: kind === 'area' ? some(PLACES, 2).concat(pick(PLACES)) : null,
        age: random() < 0.6 ? Math.floor(random() * 80) : null,
        themes,
        language: pick([null, 'nl', 'fr', 'en']),
        preferredModality: pick([null, 'chat', 'group', 'face-to-face']),
        needed,
        riskTargetDays: riskFirst(needed, risk) ? risk.targetDays : null,
        // one: the top suggestion alone (recordChoice)
        limit: pick([1, 10, 10, 10]),
      };
      kinds[kind] += 1;
      if (q.riskTargetDays !== null) kinds.risk += 1;
      if (!themes.length) kinds.noThemes += 1;
      if (q.limit === 1) kinds.limitOne += 1;

      const set = await inTenant(world.db.app, actor(), info, (tx) => matchCandidates(tx, q), { readOnly: true });
      const all = await withinLimits(q);
      const request: MatchRequest = {
        themes,
        language: q.language,
        preferredModality: q.preferredModality,
        municipality: q.municipality ? { code: q.municipality, name: q.municipality } : null,
        age: q.age,
      };
      const label = JSON.stringify(q);
      const full = rankOffers(request, needed, all, 'nl', risk);
      const expectedTop = full.slice(0, q.limit);
      const top = rankOffers(request, needed, set.ranked, 'nl', risk).slice(0, q.limit);
      expect(strip(top), label).toEqual(strip(expectedTop));
      // the statement returns exactly the offers that can be shown, ties at the cut included
      const byId = new Map(all.map((c) => [c.id, c]));
      const tier = (s: Suggestion) =>
        q.riskTargetDays === null ? 0 : riskTier(byId.get(s.offerId)!, q.riskTargetDays);
      expect(ids(set.ranked), label).toEqual(cutOf(full, q.limit, tier));
      expect(ids(set.waiting), label).toEqual(
        cutOf(
          rankOffers(request, 'zero-line', all.filter(light), 'nl'),
          WHILE_WAITING_MAX + WHILE_WAITING_EXCLUDES,
          () => 0,
        ),
      );
      const exclude = new Set(expectedTop.slice(0, WHILE_WAITING_EXCLUDES).map((s) => s.offerId));
      expect(strip(whileWaiting(request, set.waiting, 'nl', exclude)), label).toEqual(
        strip(whileWaiting(request, all, 'nl', exclude)),
      );
      // without a municipality the statement counts every offer within the limits that shares a theme
      if (!q.municipality)
        expect(set.candidates, label).toBe(
          all.filter((o) => !themes.length || o.themes.some((th) => themes.includes(th))).length,
        );
      // only offers that can be shown come back, with their organisation's name
      for (const c of [...set.ranked, ...set.waiting])
        expect(set.organizationNames.get(c.organizationId), label).toMatch(/\S/);
    }
    // the draw covered every kind of request
    expect(kinds.municipality).toBeGreaterThan(20);
    expect(kinds.area).toBeGreaterThan(10);
    expect(kinds.network).toBeGreaterThan(10);
    expect(kinds.risk).toBeGreaterThan(10);
    expect(kinds.noThemes).toBeGreaterThan(5);
    expect(kinds.limitOne).toBeGreaterThan(10);
  });
});

describe('the candidate statement looks place and theme up in the reach index (migration 036)', () => {
  /**
   * The plan of the statement as the app role runs it, with sequential scans priced out: whether the index can serve
   * the statement's place-and-theme condition at all. A change to either side of `kl_offer_reach(…) && …` that the
   * index no longer matches would fall back to reading every offer of the network; 420 offers would not show that in
   * time, 20,000 do (bench/lib/matching.ts).
   */
  async function planOf(q: CandidateQuery): Promise<string> {
    await sql`analyze offers`.execute(world.owner);
    return inTenant(world.db.app, actor(), info, async (tx) => {
      await sql`set local enable_seqscan = off`.execute(tx.db);
      const statement = candidateStatement(q).compile(tx.db);
      const plan = await tx.db.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain ${statement.sql}`, [...statement.parameters]),
      );
      return plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
  }
  const query = (place: Pick<CandidateQuery, 'municipality' | 'area'>, themes: string[]): CandidateQuery => ({
    networkId: t.network.id,
    ...place,
    age: 30,
    themes,
    language: 'nl',
    preferredModality: null,
    needed: 'basic',
    riskTargetDays: null,
    limit: 10,
  });

  it('for a municipality and for an area, with one theme and with three', async () => {
    for (const place of [
      { municipality: DIEST, area: null },
      { municipality: null, area: [DIEST, AARSCHOT] },
    ])
      for (const themes of [['grief'], ['depression', 'anxiety', 'debt']]) {
        const plan = await planOf(query(place, themes));
        expect(plan, JSON.stringify({ place, themes })).toMatch(/Bitmap Index Scan on offers_reach_idx/);
      }
  });

  it('and not where it has nothing to look up: a request without themes', async () => {
    const plan = await planOf(query({ municipality: DIEST, area: null }, []));
    expect(plan).not.toMatch(/offers_reach_idx/);
  });
});
