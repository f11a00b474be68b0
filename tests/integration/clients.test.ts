import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, login, makeTenants, type Caller, type World } from '../support/world.ts';
import { makeInsz } from '../../src/server/features/clients/insz.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let intakeA: Caller;
let intakeB: Caller;
let adminA: Caller;

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  intakeA = await login(world, t.users.intakeA.email);
  intakeB = await login(world, t.users.intakeB.email);
  adminA = await login(world, t.users.adminA.email);
});
afterAll(() => world?.close());

const auditRows = (entityId: string) =>
  world.owner.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).orderBy('id').execute();

describe('client register', () => {
  it('registers a named client with a valid INSZ and reads it back, auditing create and read', async () => {
    const insz = makeInsz('1980-02-29', 123);
    const created = await intakeA.post('/api/clients', {
      givenName: 'Lotte',
      familyName: 'Maes',
      birthDate: '1980-02-29',
      insz,
      municipality: '24062',
      phone: '+32 470 12 34 56',
      email: 'Lotte@Example.be',
      preferredLanguage: 'nl',
    });
    expect(created.statusCode).toBe(201);
    expect(created.body).toMatchObject({
      givenName: 'Lotte',
      familyName: 'Maes',
      insz,
      email: 'lotte@example.be',
      organizationId: t.orgA.id,
      possibleDuplicates: [],
    });
    const read = await intakeA.get(`/api/clients/${created.body.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.body.displayName).toBe('Lotte Maes');
    const audit = await auditRows(created.body.id);
    expect(audit.map((a) => a.action)).toEqual(['client.create', 'client.read']);
    expect(audit[1]).toMatchObject({
      actor_user_id: t.users.intakeA.id,
      organization_id: t.orgA.id,
      role: 'intake-worker',
      outcome: 'success',
      ip: expect.any(String),
      user_agent: expect.any(String),
    });
  });

  it('accepts a post-2000 INSZ and refuses a wrong check digit or one that contradicts the birth date', async () => {
    const good = makeInsz('2004-07-01', 45);
    expect(
      (
        await intakeA.post('/api/clients', {
          givenName: 'Jonas',
          familyName: 'Wouters',
          birthDate: '2004-07-01',
          insz: good,
        })
      ).statusCode,
    ).toBe(201);
    const wrongCheck = good.slice(0, 9) + String((Number(good.slice(9)) + 1) % 100).padStart(2, '0');
    const bad = await intakeA.post('/api/clients', { givenName: 'Jonas', familyName: 'Wouters', insz: wrongCheck });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({
        field: 'insz',
        code: 'insz-checksum',
        message: expect.stringContaining('controlegetal'),
      }),
    ]);
    const mismatch = await intakeA.post('/api/clients', {
      givenName: 'Jonas',
      familyName: 'Wouters',
      birthDate: '2004-07-02',
      insz: good,
    });
    expect(mismatch.body.errors[0].code).toBe('insz-birthdate');
  });

  it('registers pseudonymous and anonymous clients without a name', async () => {
    const pseudo = await intakeA.post('/api/clients', {
      identityKind: 'pseudonym',
      pseudonym: 'Zonnebloem',
      birthYear: 1999,
    });
    expect(pseudo.statusCode).toBe(201);
    expect(pseudo.body).toMatchObject({ displayName: 'Zonnebloem', givenName: null, birthYear: 1999 });
    const anonymous = await intakeA.post('/api/clients', { identityKind: 'anonymous', givenName: 'ignored' });
    expect(anonymous.statusCode).toBe(201);
    expect(anonymous.body).toMatchObject({ displayName: 'Anoniem', givenName: null });
  });

  it('gives every bad field its own error and stores nothing', async () => {
    const before = await world.owner
      .selectFrom('clients')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await intakeA.post('/api/clients', { givenName: 'A', birthDate: '2099-01-01', municipality: '99999' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const fields = res.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort();
    expect(fields).toEqual(['birthDate:date-future', 'familyName:required', 'municipality:municipality-unknown']);
    const after = await world.owner
      .selectFrom('clients')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('warns about a likely twin by name and birth date, and by INSZ', async () => {
    const insz = makeInsz('1975-05-05', 77);
    await intakeA.post('/api/clients', {
      givenName: 'Hilde',
      familyName: 'Vandenberghe',
      birthDate: '1975-05-05',
      insz,
    });
    const check = await intakeA.post('/api/clients/duplicate-check', {
      givenName: 'Hilde',
      familyName: 'Vandenberge',
      birthDate: '1975-05-05',
    });
    expect(check.statusCode).toBe(200);
    expect(check.body.items).toEqual([expect.objectContaining({ displayName: 'Hilde Vandenberghe' })]);
    const twin = await intakeA.post('/api/clients', { givenName: 'H.', familyName: 'Andere', insz });
    expect(twin.statusCode).toBe(201);
    expect(twin.body.possibleDuplicates).toHaveLength(1);
    const otherDate = await intakeA.post('/api/clients/duplicate-check', {
      givenName: 'Hilde',
      familyName: 'Vandenberghe',
      birthDate: '1976-05-05',
    });
    expect(otherDate.body.items).toEqual([]);
    // another organisation's register is not searched for twins
    const elsewhere = await intakeB.post('/api/clients/duplicate-check', {
      givenName: 'Hilde',
      familyName: 'Vandenberghe',
      birthDate: '1975-05-05',
    });
    expect(elsewhere.body.items).toEqual([]);
  });

  it('searches by name fragments (accents folded), by dd/mm/jjjj birth date and by INSZ, within the organisation only', async () => {
    const insz = makeInsz('1961-12-24', 9);
    const created = await intakeA.post('/api/clients', {
      givenName: 'Renée',
      familyName: 'De Smet-Çelik',
      birthDate: '1961-12-24',
      insz,
    });
    const byName = await intakeA.get('/api/clients?q=rene%20celik');
    expect(byName.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);
    const byDate = await intakeA.get('/api/clients?q=24/12/1961');
    expect(byDate.body.items.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
    const byInsz = await intakeA.get(
      `/api/clients?q=${insz.slice(0, 2)}.${insz.slice(2, 4)}.${insz.slice(4, 6)}-${insz.slice(6, 9)}.${insz.slice(9)}`,
    );
    expect(byInsz.body.items.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
    expect(byInsz.body.total).toBe(1);
    const fromB = await intakeB.get('/api/clients?q=celik');
    expect(fromB.body.items).toEqual([]);
  });

  it('pages search results', async () => {
    for (let i = 0; i < 3; i++) await intakeA.post('/api/clients', { givenName: `Pagina${i}`, familyName: 'Zzpager' });
    const page1 = await intakeA.get('/api/clients?q=zzpager&pageSize=2&page=1');
    const page2 = await intakeA.get('/api/clients?q=zzpager&pageSize=2&page=2');
    expect(page1.body.total).toBe(3);
    expect(page1.body.items).toHaveLength(2);
    expect(page2.body.items).toHaveLength(1);
  });

  it("answers 404 for another organisation's client and records the refused read", async () => {
    const created = await intakeA.post('/api/clients', { givenName: 'Geheim', familyName: 'Dossier' });
    const res = await intakeB.get(`/api/clients/${created.body.id}`);
    expect(res.statusCode).toBe(404);
    expect((await intakeB.patch(`/api/clients/${created.body.id}`, { phone: '+32 9 123 45 67' })).statusCode).toBe(404);
    const refused = (await auditRows(created.body.id)).filter((a) => a.outcome === 'not-found');
    // in the caller's trail, and (marked as B's attempt) in the owner's: tests/integration/owner-attempts.test.ts
    expect(refused.map((a) => [a.action, a.organization_id, a.foreign_organization_id])).toEqual([
      ['client.read', t.orgA.id, t.orgB.id],
      ['client.read', t.orgB.id, null],
      ['client.update', t.orgA.id, t.orgB.id],
      ['client.update', t.orgB.id, null],
    ]);
    const unchanged = await intakeA.get(`/api/clients/${created.body.id}`);
    expect(unchanged.body.phone).toBeNull();
  });

  it('updates a client and keeps unchanged fields', async () => {
    const created = await intakeA.post('/api/clients', {
      givenName: 'Eva',
      familyName: 'Goossens',
      birthDate: '1988-08-08',
    });
    const res = await intakeA.patch(`/api/clients/${created.body.id}`, {
      phone: '016 11 22 33',
      familyName: 'Goossens-Peeters',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      givenName: 'Eva',
      familyName: 'Goossens-Peeters',
      birthDate: '1988-08-08',
      phone: '+3216112233',
    });
    const bad = await intakeA.patch(`/api/clients/${created.body.id}`, { birthYear: 1990 });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'birthYear', code: 'birth-year-mismatch' });
  });

  it('shows an organisation admin who opened a file, and hides it from intake workers', async () => {
    const created = await intakeA.post('/api/clients', { givenName: 'Bart', familyName: 'Leclercq' });
    await intakeA.get(`/api/clients/${created.body.id}`);
    const log = await adminA.get(`/api/clients/${created.body.id}/access-log`);
    expect(log.statusCode).toBe(200);
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['client.read', 'client.create']);
    expect(log.body.items[0]).toMatchObject({ role: 'intake-worker', userDisplayName: 'Test intake-worker' });
    expect((await intakeA.get(`/api/clients/${created.body.id}/access-log`)).statusCode).toBe(403);
    const adminB = await login(world, t.users.adminB.email);
    expect((await adminB.get(`/api/clients/${created.body.id}/access-log`)).statusCode).toBe(404);
  });
});

describe('phone numbers are stored as +32…', () => {
  const storedPhone = async (id: string) =>
    (await world.owner.selectFrom('clients').select('phone').where('id', '=', id).executeTakeFirstOrThrow()).phone;
  const clientCount = async () =>
    Number(
      (
        await world.owner
          .selectFrom('clients')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it.each([
    ['0470 12 34 56', '+32470123456'],
    ['03 123 45 67', '+3231234567'],
    ['0032 (0)470/12.34.56', '+32470123456'],
    ['016-12-34-56', '+3216123456'],
    ['+31 6 1234 5678', '+31612345678'],
  ])('a new client with %s is stored with %s', async (typed, stored) => {
    const res = await intakeA.post('/api/clients', { identityKind: 'anonymous', phone: typed });
    expect(res.statusCode, res.raw).toBe(201);
    expect(res.body.phone).toBe(stored);
    expect(await storedPhone(res.body.id)).toBe(stored);
  });

  it('refuses a phone that is no number with a Dutch field error, and stores nothing', async () => {
    const before = await clientCount();
    const res = await intakeA.post('/api/clients', { givenName: 'Nora', familyName: 'Telefoon', phone: 'bel na 17u' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors).toEqual([
      { field: 'phone', code: 'phone-invalid', message: expect.stringContaining('Geen geldig telefoonnummer') },
    ]);
    expect(await clientCount()).toBe(before);
    const short = await intakeA.post('/api/clients', { identityKind: 'anonymous', phone: '0470 12 34' });
    expect(short.body.errors).toEqual([expect.objectContaining({ field: 'phone', code: 'phone-invalid' })]);
    expect(await clientCount()).toBe(before);
  });

  it('answers in English when asked', async () => {
    intakeA.lang = 'en';
    try {
      const res = await intakeA.post('/api/clients', { identityKind: 'anonymous', phone: '12345' });
      expect(res.body.errors[0].message).toContain('Not a valid phone number');
    } finally {
      intakeA.lang = 'nl';
    }
  });

  it('a change to a bad phone changes nothing; a number on file from before is kept when sent back unchanged', async () => {
    const created = await intakeA.post('/api/clients', {
      givenName: 'Pieter',
      familyName: 'Oud',
      phone: '09 123 45 67',
    });
    expect(created.body.phone).toBe('+3291234567');
    const bad = await intakeA.patch(`/api/clients/${created.body.id}`, { phone: '+32 470', familyName: 'Nieuw' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'phone', code: 'phone-invalid' })]);
    const unchanged = await world.owner
      .selectFrom('clients')
      .select(['phone', 'family_name'])
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(unchanged).toEqual({ phone: '+3291234567', family_name: 'Oud' });

    // a number typed before numbers were normalised: the form sends it back as it is with another change
    await world.owner.updateTable('clients').set({ phone: 'bel via zus' }).where('id', '=', created.body.id).execute();
    const kept = await intakeA.patch(`/api/clients/${created.body.id}`, { phone: 'bel via zus', familyName: 'Nieuw' });
    expect(kept.statusCode, kept.raw).toBe(200);
    expect(kept.body).toMatchObject({ familyName: 'Nieuw', phone: 'bel via zus' });
    // and a readable old one is normalised when it is sent again
    await world.owner
      .updateTable('clients')
      .set({ phone: '0470 99 88 77' })
      .where('id', '=', created.body.id)
      .execute();
    const normalised = await intakeA.patch(`/api/clients/${created.body.id}`, { phone: '0470 99 88 77' });
    expect(normalised.body.phone).toBe('+32470998877');
    expect(await storedPhone(created.body.id)).toBe('+32470998877');
  });
});
