import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_SETTINGS,
  LEVEL_ORDER,
  POINTS,
  answersInTime,
  neededLevel,
  rankOffers,
  themePoints,
  waitlistPoints,
  whileWaiting,
  type Candidate,
  type LatestScreening,
  type MatchRequest,
  type RiskContext,
} from '../../src/server/features/intake/matching.ts';

const screening = (instrument: string, score: number | null, flags: string[] = []): LatestScreening => ({
  instrument,
  score,
  flags,
});

describe('the level of care needed', () => {
  it.each([
    ['K10', 'k10', 29, 30, 'k10-high'],
    ['PHQ-9', 'phq9', 19, 20, 'phq9-severe'],
    ['GAD-7', 'gad7', 14, 15, 'gad7-severe'],
  ] as const)(
    '%s: specialised from the default threshold, basic just below it',
    (_name, instrument, below, at, because) => {
      expect(neededLevel(null, [screening(instrument, below)], DEFAULT_SETTINGS)).toEqual({
        level: 'basic',
        basis: 'default',
        because: [],
      });
      expect(neededLevel(null, [screening(instrument, at)], DEFAULT_SETTINGS)).toEqual({
        level: 'specialised',
        basis: 'screening',
        because: [because],
      });
    },
  );

  it('the default thresholds are PHQ-9 ≥ 20, K10 ≥ 30, GAD-7 ≥ 15', () => {
    expect(DEFAULT_SETTINGS).toEqual({ phq9Specialised: 20, k10Specialised: 30, gad7Specialised: 15 });
  });

  it('a risk flag steps up to specialised whatever the score; a C-SSRS high risk to crisis', () => {
    expect(neededLevel(null, [screening('phq9', 1, ['suicide-risk'])], DEFAULT_SETTINGS)).toEqual({
      level: 'specialised',
      basis: 'screening',
      because: ['risk-flag'],
    });
    expect(neededLevel(null, [screening('cssrs', null, ['cssrs-positive'])], DEFAULT_SETTINGS)).toMatchObject({
      level: 'specialised',
      because: ['risk-flag'],
    });
    expect(
      neededLevel(
        null,
        [screening('phq9', 3), screening('cssrs', null, ['cssrs-positive', 'cssrs-high-risk'])],
        DEFAULT_SETTINGS,
      ),
    ).toEqual({ level: 'crisis', basis: 'screening', because: ['cssrs-high-risk'] });
    // a warning flag that is not a risk flag changes nothing
    expect(neededLevel(null, [screening('gad7', 10, ['referral-suggested'])], DEFAULT_SETTINGS).level).toBe('basic');
  });

  it('every reason is listed, in a fixed order', () => {
    const all = [screening('gad7', 21), screening('k10', 50), screening('phq9', 27, ['suicide-risk'])];
    expect(neededLevel(null, all, DEFAULT_SETTINGS).because).toEqual([
      'phq9-severe',
      'k10-high',
      'gad7-severe',
      'risk-flag',
    ]);
  });

  it("the thresholds are the network's", () => {
    const strict = { phq9Specialised: 22, k10Specialised: 25, gad7Specialised: 10 };
    expect(neededLevel(null, [screening('phq9', 21)], strict).level).toBe('basic');
    expect(neededLevel(null, [screening('phq9', 22)], strict).level).toBe('specialised');
    expect(neededLevel(null, [screening('k10', 25)], strict).because).toEqual(['k10-high']);
    expect(neededLevel(null, [screening('gad7', 10)], strict).because).toEqual(['gad7-severe']);
  });

  it("no score (too many items missing) is no reason; the worker's indication overrules the scores", () => {
    expect(neededLevel(null, [screening('phq9', null), screening('k10', null)], DEFAULT_SETTINGS).level).toBe('basic');
    expect(neededLevel('zero-line', [screening('phq9', 27, ['suicide-risk'])], DEFAULT_SETTINGS)).toEqual({
      level: 'zero-line',
      basis: 'indication',
      because: ['indication'],
    });
  });
});

let seq = 0;
const offer = (over: Partial<Candidate> = {}): Candidate => ({
  id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
  name: `Aanbod ${seq}`,
  organizationId: 'org',
  level: 'basic',
  themes: ['depression'],
  languages: ['nl'],
  modalities: ['face-to-face'],
  capacity: 'open',
  waitDays: 0,
  minAge: null,
  maxAge: null,
  ...over,
});
const request = (over: Partial<MatchRequest> = {}): MatchRequest => ({
  themes: ['depression'],
  language: null,
  preferredModality: null,
  municipality: null,
  age: null,
  ...over,
});
const one = (r: MatchRequest, o: Candidate, needed: (typeof LEVEL_ORDER)[number] = 'basic', lang: 'nl' | 'en' = 'nl') =>
  rankOffers(r, needed, [o], lang)[0]!;

describe('points', () => {
  it("themes: 40 × the share of the request's themes, rounded half up; 20 without themes", () => {
    const r = request({ themes: ['depression', 'anxiety', 'grief'] });
    expect(one(r, offer({ themes: ['depression'] })).score - one(r, offer({ themes: ['grief'] })).score).toBe(0);
    expect(one(r, offer({ themes: ['depression'], capacity: 'full' })).score).toBe(13 + 30); // 40/3 = 13.33 → 13
    expect(one(r, offer({ themes: ['depression', 'anxiety'], capacity: 'full' })).score).toBe(27 + 30); // 26.67 → 27
    expect(one(request({ themes: [] }), offer({ capacity: 'full' })).score).toBe(20 + 30);
    // the integer formula the SQL uses is Math.round exactly, for every share up to 20 themes
    for (let of = 1; of <= 20; of++)
      for (let n = 0; n <= of; n++) expect(themePoints(n, of), `${n}/${of}`).toBe(Math.round((40 * n) / of));
    expect(themePoints(1, 16)).toBe(3); // 2.5 → 3
  });

  it('level: exact 30, one step lighter 10, one step heavier 5, further 0', () => {
    const r = request();
    const full = (level: string) => one(r, offer({ level, capacity: 'full' }), 'specialised').score - 40;
    expect(LEVEL_ORDER.map(full)).toEqual([0, 10, 30, 5]);
    expect(one(r, offer({ level: 'crisis', capacity: 'full' }), 'zero-line').score).toBe(40);
  });

  it('capacity: open 15, assessment 10, waiting list 12 minus one per full week (not below 0), full 0', () => {
    const r = request();
    const cap = (capacity: string, waitDays: number | null = null) => one(r, offer({ capacity, waitDays })).score - 70;
    expect([
      cap('open'),
      cap('assessment'),
      cap('full'),
      cap('waitlist', 0),
      cap('waitlist', 6),
      cap('waitlist', 7),
      cap('waitlist', 60),
      cap('waitlist', 200),
      cap('waitlist', null),
    ]).toEqual([15, 10, 0, 12, 12, 11, 4, 0, 12]);
    expect([waitlistPoints(13), waitlistPoints(14), waitlistPoints(84), waitlistPoints(null)]).toEqual([11, 10, 0, 12]);
  });

  it('language 10, preferred form 5, only when the request names them', () => {
    const r = request({ language: 'fr', preferredModality: 'chat' });
    expect(one(r, offer({ languages: ['nl', 'fr'], modalities: ['chat'] })).score).toBe(40 + 30 + 15 + 10 + 5);
    expect(one(r, offer()).score).toBe(40 + 30 + 15);
    expect(one(request(), offer({ languages: ['fr'], modalities: ['chat'] })).score).toBe(85);
    expect(POINTS.themes + POINTS.level.exact + POINTS.capacity.open + POINTS.language + POINTS.modality).toBe(100);
  });
});

describe('order', () => {
  it('points first, then the shorter wait, then the name in Dutch order, then the id', () => {
    const r = request();
    const best = offer({ name: 'Zeker de beste', capacity: 'open', waitDays: 7 });
    // a waiting list of one week scores 11 for capacity (open: 15)
    const waitShort = offer({ name: 'Wacht kort', capacity: 'waitlist', waitDays: 7 });
    const waitLonger = offer({ name: 'Wacht langer', capacity: 'waitlist', waitDays: 13 }); // same points (11), longer wait
    // same points and wait: the name decides, in Dutch collation ("Één" sorts with E, before "Z"; code points would put it last)
    const nameE = offer({ name: 'Één loket', capacity: 'full', waitDays: null });
    const nameZ = offer({ name: 'Zorgpunt', capacity: 'full', waitDays: null });
    const nameA = offer({ name: 'aanspreekpunt', capacity: 'full', waitDays: null });
    // the same name: the id decides
    const twinB = offer({
      id: '00000000-0000-4000-8000-00000000fffb',
      name: 'Tweeling',
      capacity: 'full',
      waitDays: null,
    });
    const twinA = offer({
      id: '00000000-0000-4000-8000-00000000fffa',
      name: 'Tweeling',
      capacity: 'full',
      waitDays: null,
    });
    const ranked = rankOffers(r, 'basic', [nameZ, twinB, waitLonger, nameE, best, twinA, waitShort, nameA], 'nl');
    expect(ranked.map((s) => s.name)).toEqual([
      'Zeker de beste',
      'Wacht kort',
      'Wacht langer',
      'aanspreekpunt',
      'Één loket',
      'Tweeling',
      'Tweeling',
      'Zorgpunt',
    ]);
    expect(ranked.slice(5, 7).map((s) => s.offerId)).toEqual([twinA.id, twinB.id]);
    expect(ranked.map((s) => s.score)).toEqual([85, 81, 81, 70, 70, 70, 70, 70]);
    // deterministic: any input order gives the same list
    expect(rankOffers(r, 'basic', [nameA, waitShort, twinA, best, nameE, waitLonger, twinB, nameZ], 'nl')).toEqual(
      ranked,
    );
  });
});

describe('reasons and misfits', () => {
  it('say why an offer fits and what does not, in Dutch and in English', () => {
    const r = request({
      themes: ['depression', 'anxiety'],
      language: 'fr',
      preferredModality: 'chat',
      municipality: { code: '24062', name: 'Leuven' },
      age: 40,
    });
    const fits = offer({
      themes: ['depression', 'anxiety'],
      languages: ['fr'],
      modalities: ['chat'],
      minAge: 18,
      maxAge: 65,
    });
    expect(one(r, fits).reasons).toEqual([
      "Sluit aan bij 2 van de 2 thema's",
      'Zorgniveau past (basic)',
      'Capaciteit: open',
      'Spreekt de taal van de persoon (fr)',
      'Biedt de gewenste vorm (chat)',
      'Werkt in Leuven',
      'Leeftijd past (40 jaar; 18–65 jaar)',
    ]);
    expect(one(r, fits).misfits).toEqual([]);
    expect(one(r, fits, 'basic', 'en').reasons).toEqual([
      'Covers 2 of 2 themes',
      'Level of care fits (basic)',
      'Capacity: open',
      "Speaks the person's language (fr)",
      'Offers the preferred form (chat)',
      'Serves Leuven',
      'Age fits (40; 18–65)',
    ]);
    const misfit = offer({ level: 'specialised', themes: ['anxiety'], capacity: 'waitlist', waitDays: 28, minAge: 18 });
    expect(one(r, misfit)).toMatchObject({
      reasons: ["Sluit aan bij 1 van de 2 thema's", 'Werkt in Leuven', 'Leeftijd past (40 jaar; vanaf 18 jaar)'],
      misfits: [
        'Gespecialiseerder dan nodig (specialised)',
        'Wachtlijst (ongeveer 28 dagen)',
        'Niet in de taal van de persoon (fr)',
        'Niet in de gewenste vorm (chat)',
      ],
    });
    expect(one(r, offer({ level: 'zero-line', capacity: 'full', maxAge: 67 }), 'specialised', 'en')).toMatchObject({
      misfits: [
        'Lighter than needed (zero-line)',
        'Full',
        "Not in the person's language (fr)",
        'Not in the preferred form (chat)',
      ],
      reasons: expect.arrayContaining(['Age fits (40; up to 67)']),
    });
    expect(one(r, offer({ capacity: 'assessment' })).misfits).toContain('Eerst bijkomende screening');
    expect(one({ ...r, age: 70 }, offer()).reasons).toContain('Leeftijd past (70 jaar; alle leeftijden)');
  });

  it('without a known municipality or age, no such reason is claimed', () => {
    const reasons = one(request(), offer()).reasons;
    expect(reasons.some((x) => x.startsWith('Werkt in') || x.startsWith('Leeftijd'))).toBe(false);
  });

  it('with themes named, an offer on none of them is no suggestion (a hard limit, like municipality and age)', () => {
    const r = request({ themes: ['depression'] });
    const off = offer({ themes: ['debt'], name: 'Schuldhulp' });
    const on = offer({ themes: ['depression', 'debt'] });
    expect(rankOffers(r, 'basic', [off, on], 'nl').map((s) => s.offerId)).toEqual([on.id]);
    // without themes every candidate stays, with the same 20 points for themes
    expect(rankOffers(request({ themes: [] }), 'basic', [off, on], 'nl').map((s) => s.score)).toEqual([65, 65]);
  });
});

describe('while waiting', () => {
  it('zero-line and group offers that are open or take an assessment, ranked as if zero-line care were needed, without the excluded, at most five', () => {
    const r = request();
    const zeroOpen = offer({ name: 'Zelfhulp', level: 'zero-line' });
    const groupBasic = offer({ name: 'Lotgenotengroep', level: 'basic', modalities: ['group'] });
    const zeroAssessment = offer({ name: 'Onthaalpunt', level: 'zero-line', capacity: 'assessment' });
    const zeroFull = offer({ name: 'Volle groep', level: 'zero-line', capacity: 'full' });
    const zeroWaitlist = offer({
      name: 'Wachtende groep',
      level: 'zero-line',
      modalities: ['group'],
      capacity: 'waitlist',
      waitDays: 7,
    });
    const basic = offer({ name: 'Gewoon aanbod' });
    const excluded = offer({ name: 'Al voorgesteld', level: 'zero-line' });
    const otherTheme = offer({ name: 'Ander thema', level: 'zero-line', themes: ['grief'] });
    const list = whileWaiting(
      r,
      [basic, zeroFull, zeroWaitlist, groupBasic, zeroAssessment, excluded, otherTheme, zeroOpen],
      'nl',
      new Set([excluded.id]),
    );
    expect(list.map((s) => s.name)).toEqual(['Zelfhulp', 'Onthaalpunt', 'Lotgenotengroep']);
    expect(list.map((s) => s.score)).toEqual([85, 80, 60]);
    const many = Array.from({ length: 7 }, (_, i) =>
      offer({ name: `Groep ${i}`, level: 'zero-line', modalities: ['group'] }),
    );
    expect(whileWaiting(r, many, 'nl', new Set())).toHaveLength(5);
  });
});

describe('safe under risk (4a)', () => {
  // the response targets of the default network settings, as calendar days from a Monday morning
  const routine: RiskContext = { risk: 'high', urgency: 'routine', target: { workingDays: 5 }, targetDays: 7 };
  const urgent: RiskContext = { risk: 'high', urgency: 'urgent', target: { workingDays: 2 }, targetDays: 2 };
  const acute: RiskContext = { risk: 'high', urgency: 'acute', target: { hours: 4 }, targetDays: 4 / 24 };
  const names = (list: { name: string }[]) => list.map((s) => s.name);

  // After a PHQ-9 with item 9 above 0 (suicide risk: the level needed is specialised, the risk high), in the
  // shape of the issue: a specialised offer with a 90-day waiting list came first and the open suicide-prevention
  // offer (2 days) fifth, "more specialised than needed".
  const request9 = request({ themes: ['depression', 'suicidal-thoughts'] });
  const issueOffers = () => [
    offer({
      name: 'Gespecialiseerde behandeling',
      level: 'specialised',
      themes: ['depression', 'suicidal-thoughts'],
      capacity: 'waitlist',
      waitDays: 90,
    }), // 40 + 30 + 0 = 70
    offer({ name: 'Ambulante GGZ', level: 'specialised', capacity: 'assessment', waitDays: 14 }), // 20 + 30 + 10 = 60
    offer({
      name: 'Eerstelijnspsycholoog',
      themes: ['depression', 'suicidal-thoughts'],
      capacity: 'waitlist',
      waitDays: 21,
    }), // 40 + 10 + 9 = 59
    offer({ name: 'Psychiatrische thuiszorg', level: 'specialised', capacity: 'waitlist', waitDays: 45 }), // 20 + 30 + 6 = 56
    offer({
      name: 'Zelfmoordpreventie',
      level: 'crisis',
      themes: ['suicidal-thoughts'],
      capacity: 'open',
      waitDays: 2,
    }), // 20 + 5 + 15 = 40
  ];

  it('the issue: before, the 90-day offer came first and the open suicide-prevention offer fifth; now it comes first', () => {
    const offers = issueOffers();
    const before = rankOffers(request9, 'specialised', offers, 'nl');
    expect(names(before)).toEqual([
      'Gespecialiseerde behandeling',
      'Ambulante GGZ',
      'Eerstelijnspsycholoog',
      'Psychiatrische thuiszorg',
      'Zelfmoordpreventie',
    ]);
    expect(before[4]!.misfits).toContain('Gespecialiseerder dan nodig (crisis)');

    const after = rankOffers(request9, 'specialised', offers, 'nl', routine);
    expect(names(after)).toEqual([
      'Zelfmoordpreventie',
      // nothing else answers within 5 working days: the rest by points, each saying why it is late
      'Gespecialiseerde behandeling',
      'Ambulante GGZ',
      'Eerstelijnspsycholoog',
      'Psychiatrische thuiszorg',
    ]);
    expect(after[0]!.reasons).toContain('Snel bereikbaar bij crisis of suïciderisico');
    expect(after[0]!.misfits).not.toContain('Gespecialiseerder dan nodig (crisis)');
    expect(after[0]!.misfits).toEqual([]);
    expect(after[1]!.misfits).toContain('Wachttijd (90 dagen) langer dan de termijn voor gewone hulp (5 werkdagen)');
    expect(after[2]!.misfits).toContain('Wachttijd (14 dagen) langer dan de termijn voor gewone hulp (5 werkdagen)');
    // the points themselves do not change: the order does
    expect(after.map((x) => x.score).sort()).toEqual(before.map((x) => x.score).sort());
  });

  it('crisis and suicide-prevention offers in time, then every other offer in time, then the late ones', () => {
    const offers = [
      ...issueOffers(),
      offer({ name: 'Onthaal CAW', capacity: 'open', waitDays: 3 }), // basic, in time: 20 + 10 + 15 = 45
      offer({ name: 'Tele-Onthaal', level: 'zero-line', themes: ['suicidal-thoughts'], capacity: 'open' }), // 20 + 0 + 15
      offer({ name: 'Crisisbedden', level: 'crisis', capacity: 'full', waitDays: null }), // crisis but full
    ];
    const ranked = rankOffers(request9, 'specialised', offers, 'nl', routine);
    expect(names(ranked)).toEqual([
      'Zelfmoordpreventie', // 40
      'Tele-Onthaal', // 35: a zero-line helpline on suicidal thoughts is a suicide-prevention offer
      'Onthaal CAW', // in time
      'Gespecialiseerde behandeling',
      'Ambulante GGZ',
      'Eerstelijnspsycholoog',
      'Psychiatrische thuiszorg',
      'Crisisbedden',
    ]);
    expect(ranked[7]!.misfits).toContain('Volzet: geen antwoord binnen de termijn voor gewone hulp (5 werkdagen)');
    // a full crisis offer is not quick: no such reason, and it stays "more specialised than needed"
    expect(ranked[7]!.reasons).not.toContain('Snel bereikbaar bij crisis of suïciderisico');
    expect(ranked[7]!.misfits).toContain('Gespecialiseerder dan nodig (crisis)');
  });

  it('acute urgency (4 hours): a suicide-prevention offer two days out is late; an offer answering today outranks it', () => {
    const offers = [
      ...issueOffers(),
      offer({ name: 'Mobiel crisisteam', level: 'crisis', themes: ['suicidal-thoughts'], capacity: 'open' }),
      offer({ name: 'Spoedconsult', capacity: 'open', waitDays: 0 }),
    ];
    const ranked = rankOffers(request9, 'specialised', offers, 'nl', acute);
    expect(names(ranked)).toEqual([
      'Mobiel crisisteam',
      'Spoedconsult',
      'Zelfmoordpreventie', // late, but still the first of the late ones: an open crisis offer
      'Gespecialiseerde behandeling',
      'Ambulante GGZ',
      'Eerstelijnspsycholoog',
      'Psychiatrische thuiszorg',
    ]);
    expect(ranked[2]!.misfits).toEqual(['Wachttijd (2 dagen) langer dan de termijn voor acute hulp (4 uur)']);
    expect(rankOffers(request9, 'specialised', offers, 'en', acute)[2]!.misfits).toEqual([
      'Waiting time (2 days) exceeds the target for acute help (4 hours)',
    ]);
  });

  it('the level needed is crisis (a C-SSRS high risk, or so indicated): the same order, whatever the risk word', () => {
    const offers = [
      offer({ name: 'Wachtlijst crisisopvang', level: 'crisis', capacity: 'waitlist', waitDays: 10 }), // 40 + 30 + 11
      offer({ name: 'Crisisteam', level: 'crisis', themes: ['depression'], capacity: 'open', waitDays: 1 }), // 40 + 30 + 15
      offer({ name: 'Huisarts', level: 'basic', capacity: 'open', waitDays: 1 }), // 40 + 0 + 15 — in time
      offer({ name: 'Onbekende wachttijd', level: 'specialised', capacity: 'waitlist', waitDays: null }),
    ];
    const ranked = rankOffers(request(), 'crisis', offers, 'nl', { ...urgent, risk: 'none' });
    expect(names(ranked)).toEqual(['Crisisteam', 'Huisarts', 'Wachtlijst crisisopvang', 'Onbekende wachttijd']);
    expect(ranked[2]!.misfits).toContain(
      'Wachttijd (10 dagen) langer dan de termijn voor dringende hulp (2 werkdagen)',
    );
    expect(ranked[3]!.misfits).toContain(
      'Wachttijd onbekend: niet zeker binnen de termijn voor dringende hulp (2 werkdagen)',
    );
  });

  it('without a high or acute risk and with another level needed, the points decide as before (stepped care)', () => {
    const offers = issueOffers();
    const plain = rankOffers(request9, 'specialised', offers, 'nl');
    for (const risk of ['none', 'attention'] as const) {
      const ranked = rankOffers(request9, 'specialised', offers, 'nl', { ...routine, risk });
      expect(ranked).toEqual(plain);
      expect(ranked.flatMap((x) => x.misfits).some((m) => m.includes('termijn'))).toBe(false);
    }
  });

  it('in time: open or assessment within the target (no wait counts as 0), a waiting list with a known wait within it; full never', () => {
    expect(answersInTime({ capacity: 'open', waitDays: null }, 0)).toBe(true);
    expect(answersInTime({ capacity: 'open', waitDays: 1 }, 4 / 24)).toBe(false);
    expect(answersInTime({ capacity: 'assessment', waitDays: 7 }, 7)).toBe(true);
    expect(answersInTime({ capacity: 'waitlist', waitDays: 7 }, 7)).toBe(true);
    expect(answersInTime({ capacity: 'waitlist', waitDays: 8 }, 7)).toBe(false);
    expect(answersInTime({ capacity: 'waitlist', waitDays: null }, 7)).toBe(false);
    expect(answersInTime({ capacity: 'full', waitDays: 0 }, 7)).toBe(false);
  });

  it('for any offers under risk, a late offer never outranks one in time, and every late one says so', () => {
    const candidate = fc.record({
      level: fc.constantFrom(...LEVEL_ORDER),
      capacity: fc.constantFrom('open', 'assessment', 'waitlist', 'full'),
      waitDays: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
      themes: fc.subarray(['depression', 'suicidal-thoughts', 'anxiety'], { minLength: 1 }),
    });
    fc.assert(
      fc.property(
        fc.array(candidate, { maxLength: 12 }),
        fc.constantFrom(routine, urgent, acute),
        fc.constantFrom(...LEVEL_ORDER),
        (specs, context, needed) => {
          const ranked = rankOffers(
            request9,
            needed,
            specs.map((x) => offer(x)),
            'nl',
            context,
          );
          const late = ranked.map((x) => !answersInTime(x, context.targetDays));
          const firstLate = late.indexOf(true);
          if (firstLate >= 0) expect(late.slice(firstLate).every(Boolean)).toBe(true);
          ranked.forEach((x, i) => expect(x.misfits.some((m) => m.includes('termijn'))).toBe(late[i]));
        },
      ),
      { numRuns: 300 },
    );
  });
});
