import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { extractText } from 'unpdf';
import { sql } from 'kysely';
import { Caller, createWorld, insertReferral, login, makeTenants, type World } from '../support/world.ts';
import { makeInsz } from '../../src/server/features/clients/insz.ts';

let world: World;
let t: Awaited<ReturnType<typeof makeTenants>>;
let adminA: Caller;
let caregiverA: Caller;
let analyst: Caller;
let coordinator: Caller;
let adminB: Caller;
let intakeX: Caller;
const anonymous = () => new Caller(world.app);

// the people whose names and INSZ must never appear in a report
const PEOPLE = [
  { givenName: 'Griet', familyName: 'Vanoverbeke', birthDate: '1961-05-17', insz: makeInsz('1961-05-17', 211) },
  { givenName: 'Wannes', familyName: 'Dequeker', birthDate: '1990-01-09', insz: makeInsz('1990-01-09', 37) },
];
const seen: string[] = [];
const scan = (text: string) => seen.push(text);

let clientA: string;
let clientA2: string;
let clientB: string;
let userA: string;
let userB: string;

async function trajectory(
  org: 'A' | 'B',
  module: string,
  start: string,
  status: string,
  end: { date: string; outcome: 'fully' | 'partly' | 'not' } | null = null,
) {
  const orgId = org === 'A' ? t.orgA.id : t.orgB.id;
  await world.owner
    .insertInto('trajectories')
    .values({
      organization_id: orgId,
      network_id: t.network.id,
      client_id: org === 'A' ? clientA : clientB,
      module,
      responsible_user_id: org === 'A' ? userA : userB,
      start_date: start,
      status,
      phase: 'support',
      end_date: end?.date ?? null,
      outcome: end?.outcome ?? null,
      close_reason: end ? 'completed' : null,
    })
    .execute();
}

async function get(caller: Caller, url: string) {
  const res = await caller.get(url);
  scan(res.raw);
  return res;
}

/** A binary download (Caller decodes text). */
async function download(caller: Caller, url: string) {
  const res = await world.app.inject({
    method: 'GET',
    url,
    headers: { cookie: `kl_session=${caller.cookie}`, 'accept-language': 'nl' },
  });
  return { statusCode: res.statusCode, headers: res.headers, bytes: res.rawPayload };
}

beforeAll(async () => {
  world = await createWorld();
  t = await makeTenants(world);
  adminA = await login(world, t.users.adminA.email);
  caregiverA = await login(world, t.users.caregiverA.email);
  analyst = await login(world, t.users.analyst.email);
  coordinator = await login(world, t.users.networkCoordinator.email);
  adminB = await login(world, t.users.adminB.email);
  intakeX = await login(world, t.users.intakeX.email);
  const intakeB = await login(world, t.users.intakeB.email);
  const mk = async (caller: Caller, p: (typeof PEOPLE)[number]) => {
    const res = await caller.post('/api/clients', p);
    expect(res.statusCode, res.raw).toBe(201);
    return res.body.id as string;
  };
  clientA = await mk(caregiverA, PEOPLE[0]!);
  clientA2 = await mk(caregiverA, PEOPLE[1]!);
  clientB = await mk(intakeB, { ...PEOPLE[1]!, insz: makeInsz('1990-01-09', 39) });
  userA = t.users.caregiverA.id;
  userB = t.users.intakeB.id;
  void clientA2;

  // The hand count, psychosocial support of organisation A:
  //                                          Q1 2026 (Jan–Mar)          Q2 2026 (Apr–Jun)
  // T1 start 10/02, running                  active, new                active
  // T2 start 20/03, finished 05/05 fully     active, new                active, finished fully
  // T3 start 02/04, finished 30/06 partly    –                          active, new, finished partly
  // T4 start 01/05, on hold                  –                          active, new
  // T5 start 15/06, still planned            –                          – (never ran)
  // T6 start 10/04, cancelled                –                          – (never ran)
  // T7 start 05/01, finished 31/03 not       active, new, finished not  –
  // T8 start 01/07, running                  –                          – (Q3)
  // Youth: T9 start 20/04 finished 30/04 not: Q2 active, new, finished not. Organisation B: one running (not ours).
  await trajectory('A', 'psychosocial-support', '2026-02-10', 'active');
  await trajectory('A', 'psychosocial-support', '2026-03-20', 'finished', { date: '2026-05-05', outcome: 'fully' });
  await trajectory('A', 'psychosocial-support', '2026-04-02', 'finished', { date: '2026-06-30', outcome: 'partly' });
  await trajectory('A', 'psychosocial-support', '2026-05-01', 'on-hold');
  await trajectory('A', 'psychosocial-support', '2026-06-15', 'planned');
  await trajectory('A', 'psychosocial-support', '2026-04-10', 'cancelled');
  await trajectory('A', 'psychosocial-support', '2026-01-05', 'finished', { date: '2026-03-31', outcome: 'not' });
  await trajectory('A', 'psychosocial-support', '2026-07-01', 'active');
  await trajectory('A', 'youth', '2026-04-20', 'finished', { date: '2026-04-30', outcome: 'not' });
  await trajectory('B', 'psychosocial-support', '2026-04-01', 'active');
});
afterAll(async () => {
  await world?.close();
});

describe('staffing per module', () => {
  it('an organisation admin sets FTE per module and quarter, copies the previous quarter; norms come from the network', async () => {
    const put = await adminA.request('PUT', '/api/reports/staffing', {
      quarter: '2026-Q2',
      module: 'psychosocial-support',
      fte: 2.5,
    });
    expect(put.statusCode, put.raw).toBe(200);
    expect(put.body.modules).toEqual([{ module: 'psychosocial-support', fte: 2.5, norm: 70 }]);
    await adminA.request('PUT', '/api/reports/staffing', { quarter: '2026-Q2', module: 'youth', fte: 1 });
    await adminA.request('PUT', '/api/reports/staffing', { quarter: '2026-Q2', module: 'other', fte: 0.5 });
    await adminA.request('PUT', '/api/reports/staffing', { quarter: '2026-Q3', module: 'youth', fte: 1.2 });

    const copy = await adminA.post('/api/reports/staffing/copy-previous', { quarter: '2026-Q3' });
    expect(copy.statusCode, copy.raw).toBe(200);
    // youth was set already and keeps its value; the others come from Q2; `other` has no norm
    expect(copy.body.modules).toEqual([
      { module: 'psychosocial-support', fte: 2.5, norm: 70 },
      { module: 'youth', fte: 1.2, norm: 60 },
      { module: 'other', fte: 0.5, norm: null },
    ]);
    expect((await adminA.post('/api/reports/staffing/copy-previous', { quarter: '2025-Q1' })).statusCode).toBe(409);

    // the network's own norm replaces the default
    await world.owner
      .updateTable('networks')
      .set({ output_norms: JSON.stringify({ youth: 50 }) })
      .where('id', '=', t.network.id)
      .execute();
    const read = await adminA.get('/api/reports/staffing?quarter=2026-Q3');
    expect(read.body.modules[1]).toEqual({ module: 'youth', fte: 1.2, norm: 50 });
    await world.owner.updateTable('networks').set({ output_norms: '{}' }).where('id', '=', t.network.id).execute();

    // the network reads it for an organisation of its own, not another network's
    expect(
      (await analyst.get(`/api/reports/staffing?quarter=2026-Q3&organizationId=${t.orgA.id}`)).body.modules,
    ).toHaveLength(3);
    expect((await analyst.get(`/api/reports/staffing?quarter=2026-Q3&organizationId=${t.orgX.id}`)).statusCode).toBe(
      404,
    );
    expect((await adminB.get(`/api/reports/staffing?quarter=2026-Q3&organizationId=${t.orgA.id}`)).statusCode).toBe(
      404,
    );
    const audit = await world.owner
      .selectFrom('audit_log')
      .select(['action'])
      .where('organization_id', '=', t.orgA.id)
      .where('action', 'like', 'report.staffing.%')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(5);
  });

  it('refuses: 401 without session, 403 for other roles, 400 field by field with nothing stored', async () => {
    const body = { quarter: '2026-Q2', module: 'youth', fte: 3 };
    expect((await anonymous().request('PUT', '/api/reports/staffing', body)).statusCode).toBe(401);
    expect((await caregiverA.request('PUT', '/api/reports/staffing', body)).statusCode).toBe(403);
    expect((await analyst.request('PUT', '/api/reports/staffing', body)).statusCode).toBe(403);
    const bad = await adminA.request('PUT', '/api/reports/staffing', {
      quarter: '2026-Q5',
      module: 'cooking',
      fte: -1,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['fte', 'module', 'quarter']);
    const rows = await world.owner
      .selectFrom('report_staffing')
      .select('fte')
      .where('organization_id', '=', t.orgA.id)
      .where('quarter', '=', '2026-Q2')
      .where('module', '=', 'youth')
      .executeTakeFirst();
    expect(rows?.fte).toBe('1.00');
  });
});

describe('removing a module from a quarter', () => {
  it('the organisation admin removes an FTE: the output has no norm row for it; audited with the old value', async () => {
    const quarter = '2025-Q4';
    for (const [module, fte] of [
      ['relationship-family', 3],
      ['youth', 1.5],
    ] as const) {
      expect((await adminA.request('PUT', '/api/reports/staffing', { quarter, module, fte })).statusCode).toBe(200);
    }
    const before = await adminA.get(`/api/reports/output?quarter=${quarter}`);
    expect(before.body.modules.map((m: { module: string }) => m.module)).toEqual(['relationship-family', 'youth']);

    const removed = await adminA.request('DELETE', `/api/reports/staffing/${quarter}/relationship-family`);
    expect(removed.statusCode, removed.raw).toBe(200);
    expect(removed.body.modules).toEqual([{ module: 'youth', fte: 1.5, norm: 60 }]);
    // no trajectories and no staff: no row; the youth norm stays 1.5 × 60 ÷ 4
    const after = await adminA.get(`/api/reports/output?quarter=${quarter}`);
    expect(after.body.modules.map((m: { module: string; norm: number }) => [m.module, m.norm])).toEqual([
      ['youth', 22.5],
    ]);
    const audit = await world.owner
      .selectFrom('audit_log')
      .select(['details', 'outcome'])
      .where('action', '=', 'report.staffing.delete')
      .where('organization_id', '=', t.orgA.id)
      .execute();
    expect(audit).toEqual([
      {
        outcome: 'success',
        details: expect.objectContaining({ quarter, module: 'relationship-family', old: 3, new: '' }) as unknown,
      },
    ]);
    // removed once: a second time there is nothing to remove
    expect((await adminA.request('DELETE', `/api/reports/staffing/${quarter}/relationship-family`)).statusCode).toBe(
      404,
    );
  });

  it('refuses: 401, 403 for other roles, 404 for a row of another organisation, 400 for a bad quarter or module', async () => {
    const url = '/api/reports/staffing/2025-Q4/youth';
    expect((await anonymous().request('DELETE', url)).statusCode).toBe(401);
    expect((await caregiverA.request('DELETE', url)).statusCode).toBe(403);
    expect((await analyst.request('DELETE', url)).statusCode).toBe(403);
    // organisation B's admin addresses A's quarter and module: B has no such row, A's stays
    const other = await adminB.request('DELETE', url);
    expect(other.statusCode).toBe(404);
    expect(other.headers['content-type']).toContain('application/problem+json');
    const bad = await adminA.request('DELETE', '/api/reports/staffing/2025-Q5/cooking');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['module', 'quarter']);
    const kept = await world.owner
      .selectFrom('report_staffing')
      .select('fte')
      .where('organization_id', '=', t.orgA.id)
      .where('quarter', '=', '2025-Q4')
      .where('module', '=', 'youth')
      .executeTakeFirst();
    expect(kept?.fte).toBe('1.50');
    // the caregiver's and analyst's refusals, the second removal of the first test and B's attempt
    const refusals = await world.owner
      .selectFrom('audit_log')
      .select('outcome')
      .where('action', '=', 'report.staffing.delete')
      .where('outcome', '!=', 'success')
      .execute();
    expect(refusals.map((r) => r.outcome).sort()).toEqual(['denied', 'denied', 'not-found', 'not-found']);
  });
});

describe('quarterly output', () => {
  it('equals the hand count; a trajectory spanning two quarters is active in both and new once', async () => {
    const q2 = await get(adminA, '/api/reports/output?quarter=2026-Q2');
    expect(q2.statusCode, q2.raw).toBe(200);
    expect(q2.body).toMatchObject({ organizationId: t.orgA.id, quarter: '2026-Q2', suppressed: false });
    const psy = q2.body.modules.find((m: { module: string }) => m.module === 'psychosocial-support');
    expect(psy).toEqual({
      module: 'psychosocial-support',
      fte: 2.5,
      normPerFte: 70,
      norm: 43.75, // 2.5 × 70 ÷ 4
      trajectories: 4, // T1 T2 T3 T4
      newTrajectories: 2, // T3 T4
      finishedTrajectories: 2, // T2 T3
      finishedByOutcome: { fully: 1, partly: 1, not: 0 },
      ratio: 0.09, // 4 ÷ 43.75
    });
    expect(q2.body.modules.find((m: { module: string }) => m.module === 'youth')).toMatchObject({
      fte: 1,
      norm: 15,
      trajectories: 1,
      newTrajectories: 1,
      finishedTrajectories: 1,
      finishedByOutcome: { fully: 0, partly: 0, not: 1 },
      ratio: 0.07,
    });
    expect(q2.body.modules.find((m: { module: string }) => m.module === 'other')).toMatchObject({
      norm: null,
      ratio: null,
      trajectories: 0,
    });
    // the parts other features deliver (wired at merge) are present
    expect(q2.body).toMatchObject({ proactiveContacts: 0, groupSessions: 0, groupParticipants: 0 });

    const q1 = await get(adminA, '/api/reports/output?quarter=2026-Q1');
    expect(q1.body.modules.find((m: { module: string }) => m.module === 'psychosocial-support')).toMatchObject({
      trajectories: 3, // T1 T2 T7: T1 and T2 again active in Q2, but new only here
      newTrajectories: 3,
      finishedTrajectories: 1,
      finishedByOutcome: { fully: 0, partly: 0, not: 1 },
      fte: 0,
      ratio: null,
    });
    const q3 = await get(adminA, '/api/reports/output?quarter=2026-Q3');
    expect(q3.body.modules.find((m: { module: string }) => m.module === 'psychosocial-support')).toMatchObject({
      trajectories: 3, // T1 T4 T8
      newTrajectories: 1,
      finishedTrajectories: 0,
    });
  });

  it('a submitted quarter is frozen; a correction makes a new version with the difference shown', async () => {
    expect((await caregiverA.post('/api/reports/output/submit', { quarter: '2026-Q2' })).statusCode).toBe(403);
    expect((await analyst.post('/api/reports/output/submit', { quarter: '2026-Q2' })).statusCode).toBe(403);
    expect((await anonymous().post('/api/reports/output/submit', { quarter: '2026-Q2' })).statusCode).toBe(401);
    expect((await adminA.post('/api/reports/output/submit', { quarter: 'Q2' })).statusCode).toBe(400);

    const first = await adminA.post('/api/reports/output/submit', { quarter: '2026-Q2' });
    expect(first.statusCode, first.raw).toBe(201);
    expect(first.body).toMatchObject({ quarter: '2026-Q2', version: 1, changes: [] });
    // nothing changed: no new version
    expect((await adminA.post('/api/reports/output/submit', { quarter: '2026-Q2' })).statusCode).toBe(409);

    // a late registration in the quarter
    await trajectory('A', 'psychosocial-support', '2026-06-01', 'active');
    const live = await get(adminA, '/api/reports/output?quarter=2026-Q2');
    expect(live.body.changedSinceSubmission).toBe(true);
    const second = await adminA.post('/api/reports/output/submit', { quarter: '2026-Q2' });
    expect(second.statusCode, second.raw).toBe(201);
    expect(second.body.version).toBe(2);
    expect(second.body.changes).toEqual(
      expect.arrayContaining([
        { field: 'modules.psychosocial-support.trajectories', before: 4, after: 5 },
        { field: 'modules.psychosocial-support.newTrajectories', before: 2, after: 3 },
      ]),
    );
    const after = await get(adminA, '/api/reports/output?quarter=2026-Q2');
    expect(
      after.body.versions.map((v: { version: number; submittedBy: string }) => [v.version, v.submittedBy]),
    ).toEqual([
      [1, 'Test org-admin'],
      [2, 'Test org-admin'],
    ]);
    expect(after.body.versions[1].changes).toEqual(second.body.changes);
    expect(after.body.changedSinceSubmission).toBe(false);
    // version 1 is still what it was
    const v1 = await get(adminA, '/api/reports/output?quarter=2026-Q2&version=1');
    expect(v1.body.version).toBe(1);
    expect(v1.body.modules.find((m: { module: string }) => m.module === 'psychosocial-support').trajectories).toBe(4);
    expect((await adminA.get('/api/reports/output?quarter=2026-Q2&version=9')).statusCode).toBe(404);
    // frozen in the database too: the app role cannot change a submission
    await expect(
      world.db.app.transaction().execute(async (trx) => {
        await sql`select set_config('app.org_id', ${t.orgA.id}, true)`.execute(trx);
        await sql`update report_submissions set figures = '{}'`.execute(trx);
      }),
    ).rejects.toThrow();
  });

  it('network roles name the organisation and see small cells as "<5"; others are refused', async () => {
    const res = await get(analyst, `/api/reports/output?quarter=2026-Q2&organizationId=${t.orgA.id}`);
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.suppressed).toBe(true);
    const psy = res.body.modules.find((m: { module: string }) => m.module === 'psychosocial-support');
    // 5 active (after the correction), 3 new, 2 finished (1 fully, 1 partly, 0 not)
    expect(psy.trajectories).toBe(5);
    expect(psy.newTrajectories).toBe('<5');
    expect(psy.finishedTrajectories).toBe('<5');
    expect(psy.finishedByOutcome).toEqual({ fully: '<5', partly: '<5', not: 0 });
    expect(psy.ratio).toBe(0.11);
    const youth = res.body.modules.find((m: { module: string }) => m.module === 'youth');
    expect(youth).toMatchObject({ trajectories: '<5', newTrajectories: '<5', finishedTrajectories: '<5', ratio: null });
    expect(youth.finishedByOutcome).toEqual({ fully: '<5', partly: '<5', not: '<5' });

    expect((await analyst.get('/api/reports/output?quarter=2026-Q2')).statusCode).toBe(400);
    expect((await analyst.get(`/api/reports/output?quarter=2026-Q2&organizationId=${t.orgX.id}`)).statusCode).toBe(404);
    expect((await coordinator.get(`/api/reports/output?quarter=2026-Q2&organizationId=${t.orgA.id}`)).statusCode).toBe(
      200,
    );
    // another organisation of the same network: 404, never its figures
    expect((await adminB.get(`/api/reports/output?quarter=2026-Q2&organizationId=${t.orgA.id}`)).statusCode).toBe(404);
    expect((await caregiverA.get('/api/reports/output?quarter=2026-Q2')).statusCode).toBe(403);
    expect((await intakeX.get('/api/reports/output?quarter=2026-Q2')).statusCode).toBe(403);
    expect((await anonymous().get('/api/reports/output?quarter=2026-Q2')).statusCode).toBe(401);
    expect((await adminA.get('/api/reports/output?quarter=2026-Q9')).statusCode).toBe(400);
    // organisation B sees its own: one running trajectory
    const b = await get(adminB, '/api/reports/output?quarter=2026-Q2');
    expect(b.body.modules).toEqual([expect.objectContaining({ module: 'psychosocial-support', trajectories: 1 })]);
  });

  it('the database function itself refuses an organisation that is not the caller’s', async () => {
    const rows = await world.db.app.transaction().execute(async (trx) => {
      await sql`select set_config('app.org_id', ${t.orgB.id}, true), set_config('app.network_id', ${t.network.id}, true)`.execute(
        trx,
      );
      return (
        await sql`select * from kl_report_trajectory_counts(${t.orgA.id}::uuid, '2026-01-01', '2026-12-31')`.execute(
          trx,
        )
      ).rows;
    });
    expect(rows).toEqual([]);
  });
});

describe('exports', () => {
  it('CSV, XLSX (typed cells, header block) and a PDF to sign', async () => {
    const csv = await download(adminA, '/api/reports/output?quarter=2026-Q2&format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('output-2026-Q2.csv');
    const text = csv.bytes.toString('utf8');
    scan(text);
    expect(text).toContain(`Organisatie;${t.orgA.name}`);
    // a Belgian Excel reads a `;` file with decimal commas; a dot would turn 2.5 into a date or text
    expect(text).toContain('Psychosociale ondersteuning;2,5;70;43,75;5;3;2;1;1;0;0,11');
    expect(text).toMatch(/\r\nAangemaakt;\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\r\n/);

    const xlsx = await download(adminA, '/api/reports/output?quarter=2026-Q2&format=xlsx&version=1');
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as never);
    const sheet = book.worksheets[0]!;
    const cells: string[] = [];
    sheet.eachRow((row) => row.eachCell((c) => cells.push(JSON.stringify(c.value))));
    scan(cells.join('\n'));
    expect(sheet.getCell('A1').value).toBe('Organisatie');
    expect(sheet.getCell('B1').value).toBe(t.orgA.name);
    expect(sheet.getCell('B2').value).toBe('2026-Q2');
    expect(sheet.getCell('B3').value).toBeInstanceOf(Date);
    expect(sheet.getCell('B4').value).toBe(1);
    expect(sheet.getCell('B5').value).toBeInstanceOf(Date);
    let psyRow = 0;
    sheet.eachRow((row, n) => {
      if (row.getCell(1).value === 'Psychosociale ondersteuning') psyRow = n;
    });
    expect(psyRow).toBeGreaterThan(5);
    const r = sheet.getRow(psyRow);
    expect(r.getCell(2).value).toBe(2.5);
    expect(r.getCell(2).type).toBe(ExcelJS.ValueType.Number);
    expect(r.getCell(5).value).toBe(4); // version 1 said 4
    expect(r.getCell(11).value).toBe(0.09);

    const pdf = await download(adminA, '/api/reports/output?quarter=2026-Q2&format=pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const { text: pages } = await extractText(new Uint8Array(pdf.bytes), { mergePages: true });
    scan(pages);
    expect(pages).toContain(t.orgA.name);
    expect(pages).toContain('2026-Q2');
    expect(pages).toContain('01/04/2026 – 30/06/2026');
    expect(pages).toMatch(/handtekening directeur/);
    expect(pages).toContain('Psychosociale ondersteuning');
    expect(pages).toContain('43,75'); // the quarter's norm, in Dutch notation

    // the analyst's export is suppressed as the analyst's view is
    const analystCsv = await download(
      analyst,
      `/api/reports/output?quarter=2026-Q2&format=csv&organizationId=${t.orgA.id}`,
    );
    const at = analystCsv.bytes.toString('utf8');
    scan(at);
    expect(at).toContain('Psychosociale ondersteuning;2,5;70;43,75;5;<5;<5;<5;<5;0;0,11');
    const analystPdf = await download(
      analyst,
      `/api/reports/output?quarter=2026-Q2&format=pdf&organizationId=${t.orgA.id}`,
    );
    scan((await extractText(new Uint8Array(analystPdf.bytes), { mergePages: true })).text);
    const analystXlsx = await download(
      analyst,
      `/api/reports/output?quarter=2026-Q2&format=xlsx&organizationId=${t.orgA.id}`,
    );
    const ab = new ExcelJS.Workbook();
    await ab.xlsx.load(analystXlsx.bytes as never);
    const acells: string[] = [];
    ab.worksheets[0]!.eachRow((row) =>
      row.eachCell((c) => acells.push(typeof c.value === 'string' ? c.value : JSON.stringify(c.value))),
    );
    scan(acells.join('\n'));
    expect(acells).toContain('<5');
  });
});

describe('flow monitor', () => {
  let offerB: string;
  async function referral(
    created: string,
    opts: { accepted?: string; declined?: { at: string; reason: string }; firstContact?: string } = {},
  ) {
    await insertReferral(
      world,
      { networkId: t.network.id, from: t.orgA.id, to: t.orgB.id, offerId: offerB, clientId: clientA },
      {
        status: opts.declined ? 'declined' : opts.accepted ? 'accepted' : 'requested',
        status_reason: opts.declined?.reason ?? null,
        answered_at: opts.declined?.at ?? opts.accepted ?? null,
        accepted_at: opts.accepted ?? null,
        first_contact_at: opts.firstContact ?? null,
        created_at: created,
      },
    );
  }

  beforeAll(async () => {
    offerB = (
      await world.owner
        .insertInto('offers')
        .values({
          organization_id: t.orgB.id,
          network_id: t.network.id,
          name: 'Begeleiding',
          level: 'specialised',
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    // May 2026: 6 referrals accepted after 1,2,3,4,5,10 days; June: 3 declined (2 no-capacity, 1 not-eligible),
    // 1 declined in July (no-capacity)
    for (const [i, d] of [1, 2, 3, 4, 5, 10].entries()) {
      const created = new Date(Date.UTC(2026, 4, 2 + i, 8));
      await referral(created.toISOString(), { accepted: new Date(created.getTime() + d * 86400000).toISOString() });
    }
    await referral('2026-06-02T08:00:00Z', { declined: { at: '2026-06-03T08:00:00Z', reason: 'no-capacity' } });
    await referral('2026-06-04T08:00:00Z', { declined: { at: '2026-06-05T08:00:00Z', reason: 'no-capacity' } });
    await referral('2026-06-06T08:00:00Z', { declined: { at: '2026-06-08T08:00:00Z', reason: 'not-eligible' } });
    await referral('2026-07-01T08:00:00Z', { declined: { at: '2026-07-02T08:00:00Z', reason: 'no-capacity' } });
  });

  it('gives months with inflow, outflow, referrals, declined and waiting times, small cells as "<5" and unrecoverable', async () => {
    const res = await get(analyst, '/api/reports/flow?from=2026-04&to=2026-07&zone=Testzone');
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.months.map((m: { month: string }) => m.month)).toEqual([
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
    ]);
    const may = res.body.months[1];
    expect(may).toMatchObject({ referrals: 6, accepted: 6, medianDaysToAcceptance: 3.5, p90DaysToAcceptance: 7.5 });
    const june = res.body.months[2];
    expect(june.referrals).toBe('<5');
    expect(june.declined).toBe('<5');
    expect(june.medianDaysToAcceptance).toBeNull();
    // the declined months (3 and 1) against the reasons (3 no-capacity, 1 not-eligible): all small
    expect(res.body.declinedByReason).toEqual({ 'no-capacity': '<5', 'not-eligible': '<5' });
    expect(res.body.months[3].declined).toBe('<5');
    // outflow April (T3? no: finished 30/06 partly — June; T9 youth April; T2 May fully) all small
    expect(res.body.months.map((m: { outflow: unknown }) => m.outflow)).toEqual(['<5', '<5', '<5', 0]);
    expect(res.body.outflowByOutcome).toEqual({ fully: '<5', partly: '<5', not: '<5' });

    // only network coordinators, analysts and admins; their own zone; 401 without session
    expect((await coordinator.get('/api/reports/flow?from=2026-04&to=2026-07')).statusCode).toBe(200);
    expect((await adminA.get('/api/reports/flow?from=2026-04&to=2026-07')).statusCode).toBe(403);
    expect((await caregiverA.get('/api/reports/flow?from=2026-04&to=2026-07')).statusCode).toBe(403);
    expect((await anonymous().get('/api/reports/flow?from=2026-04&to=2026-07')).statusCode).toBe(401);
    expect((await analyst.get('/api/reports/flow?from=2026-04&to=2026-07&zone=Elders')).statusCode).toBe(404);
    const bad = await analyst.get('/api/reports/flow?from=2026-13&to=2026-01');
    expect(bad.statusCode).toBe(400);
    expect((await analyst.get('/api/reports/flow?from=2026-07&to=2026-04')).body.errors[0].field).toBe('to');
    // another network sees none of it
    const adminX = await login(world, t.users.networkAdminX.email);
    const other = await adminX.get('/api/reports/flow?from=2026-04&to=2026-07');
    expect(other.body.months.every((m: { referrals: unknown }) => m.referrals === 0)).toBe(true);
  });
});

describe('output norms (network settings)', () => {
  const DEFAULTS = {
    'victim-support-bereavement': 45,
    'psychosocial-support': 70,
    'relationship-family': 70,
    'family-violence': 45,
    youth: 60,
  };

  it('the network admin reads and replaces the yearly norms; staffing and output use them; audited old → new', async () => {
    const networkAdmin = await login(world, t.users.networkAdmin.email);
    const read = await networkAdmin.get('/api/reports/norms');
    expect(read.statusCode, read.raw).toBe(200);
    expect(read.body).toEqual({ norms: DEFAULTS, defaults: DEFAULTS, limits: { min: 1, max: 500 } });
    // everyone who reads reports reads the norms
    expect((await adminA.get('/api/reports/norms')).body.norms).toEqual(DEFAULTS);
    expect((await analyst.get('/api/reports/norms')).statusCode).toBe(200);

    const put = await networkAdmin.request('PUT', '/api/reports/norms', { norms: { ...DEFAULTS, youth: 48 } });
    expect(put.statusCode, put.raw).toBe(200);
    expect(put.body.norms).toEqual({ ...DEFAULTS, youth: 48 });
    // staffing shows the new norm; the quarter's norm is FTE × norm ÷ 4 (1.2 × 48 ÷ 4 = 14.4)
    const staffing = await adminA.get('/api/reports/staffing?quarter=2026-Q3');
    expect(staffing.body.modules.find((m: { module: string }) => m.module === 'youth')).toEqual({
      module: 'youth',
      fte: 1.2,
      norm: 48,
    });
    const output = await get(adminA, '/api/reports/output?quarter=2026-Q3');
    expect(output.body.modules.find((m: { module: string }) => m.module === 'youth')).toMatchObject({
      normPerFte: 48,
      norm: 14.4,
    });
    // another network keeps its own
    const adminX = await login(world, t.users.networkAdminX.email);
    expect((await adminX.get('/api/reports/norms')).body.norms).toEqual(DEFAULTS);

    const audit = await world.owner
      .selectFrom('audit_log')
      .select(['details', 'entity_id', 'outcome'])
      .where('action', '=', 'report.norms.update')
      .where('outcome', '=', 'success')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.entity_id).toBe(t.network.id);
    expect(audit[0]!.details).toMatchObject({
      'old.youth': 60,
      'new.youth': 48,
      'old.family-violence': 45,
      changed: 'youth',
    });
  });

  it('refuses: 401 without session, 403 for other roles, 400 field by field in Dutch with nothing stored', async () => {
    const networkAdmin = await login(world, t.users.networkAdmin.email);
    const body = { norms: { ...DEFAULTS, youth: 61 } };
    expect((await anonymous().request('PUT', '/api/reports/norms', body)).statusCode).toBe(401);
    expect((await anonymous().get('/api/reports/norms')).statusCode).toBe(401);
    for (const caller of [adminA, analyst, coordinator, caregiverA]) {
      const res = await caller.request('PUT', '/api/reports/norms', body);
      expect(res.statusCode).toBe(403);
    }
    expect((await caregiverA.get('/api/reports/norms')).statusCode).toBe(403);

    const bad = await networkAdmin.request('PUT', '/api/reports/norms', {
      norms: { ...DEFAULTS, youth: 0, 'family-violence': 12.5, 'psychosocial-support': 501 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'norms.family-violence',
      'norms.psychosocial-support',
      'norms.youth',
    ]);
    expect(bad.body.errors[0].message).toBe('Geef een geheel getal van 1 tot en met 500 (trajecten per VTE per jaar).');
    // shape: a missing module, an unknown one, text
    const shape = await networkAdmin.request('PUT', '/api/reports/norms', {
      norms: { youth: 'zestig', cooking: 3 },
    });
    expect(shape.statusCode).toBe(400);
    expect(shape.body.errors.length).toBeGreaterThanOrEqual(3);
    expect((await networkAdmin.get('/api/reports/norms')).body.norms.youth).toBe(48);
    const refused = await world.owner
      .selectFrom('audit_log')
      .select('outcome')
      .where('action', '=', 'report.norms.update')
      .where('outcome', '!=', 'success')
      .execute();
    expect(refused.length).toBeGreaterThanOrEqual(5);

    // back to the defaults for the tests after this one
    expect((await networkAdmin.request('PUT', '/api/reports/norms', { norms: DEFAULTS })).statusCode).toBe(200);
  });
});

describe('outreach, group work and facility figures for network roles (migration 026)', () => {
  // The hand count, organisation A, Q3 2026 (1 July – 30 September, Brussels dates):
  // signals received by A  reached (Brussels)          closed                      proactive  support started
  //   S1                   30/06 22:30 UTC = 01/07      10/07 support-accepted      yes        yes
  //   S2                   15/07                        20/07 declined              yes        no
  //   S3                   30/06 21:30 UTC = 30/06      01/08 support-accepted      no (Q2)    yes
  //   S4, S6, S7           05/08, 20/08, 25/08          open                        yes ×3     no
  //   S5                   01/09                        30/09 22:30 UTC = 01/10 s-a yes        no (Q4)
  //   (B receives one signal reached 10/07: not A's)                            → 6         2
  // sessions of A          starts (Brussels)            held?                       counts      participants
  //   GS1                  07/07                        recorded, headcount 12, 2 named   yes  12
  //   GS2                  04/08                        recorded, no headcount, 2 named   yes   2
  //   GS3                  11/08                        cancelled                         no
  //   GS4                  01/09                        attendance not recorded           no
  //   GS5                  30/09 22:30 UTC = 01/10      recorded, headcount 8             no (Q4)
  //   GS6                  30/06 22:00 UTC = 01/07      recorded, headcount 4             yes   4  → 3, 18
  // facility contacts of A: F1 phone 02/07, F1 specialised 03/07 and 01/08, F2 on-site 10/08, F3 follow-up 30/09,
  //   F3 on-site 01/10 (Q4); B: one contact 05/07       → contacted 3 (F1 F2 F3), advised 1 (F1), visited 1 (F2)
  const HAND = {
    proactiveContacts: 6,
    supportStarted: 2,
    groupSessions: 3,
    groupParticipants: 18,
    facilitiesContacted: 3,
    facilitiesAdvised: 1,
    facilitiesVisited: 1,
  };

  beforeAll(async () => {
    const signal = async (
      receiver: string,
      reached: string | null,
      closed: { at: string; outcome: string } | null = null,
    ) =>
      world.owner
        .insertInto('outreach_signals')
        .values({
          network_id: t.network.id,
          sender_organization_id: t.orgB.id,
          receiver_organization_id: receiver,
          kind: 'bereaved',
          agreement_method: 'spoken',
          agreement_at: '2026-06-20',
          due_at: '2026-06-25T08:00:00Z',
          status: closed ? 'closed' : 'in-progress',
          reached_at: reached,
          outcome: closed?.outcome ?? null,
          closed_at: closed?.at ?? null,
        })
        .execute();
    await signal(t.orgA.id, '2026-06-30T22:30:00Z', { at: '2026-07-10T09:00:00Z', outcome: 'support-accepted' });
    await signal(t.orgA.id, '2026-07-15T09:00:00Z', { at: '2026-07-20T09:00:00Z', outcome: 'declined' });
    await signal(t.orgA.id, '2026-06-30T21:30:00Z', { at: '2026-08-01T09:00:00Z', outcome: 'support-accepted' });
    await signal(t.orgA.id, '2026-08-05T09:00:00Z');
    await signal(t.orgA.id, '2026-09-01T09:00:00Z', { at: '2026-09-30T22:30:00Z', outcome: 'support-accepted' });
    await signal(t.orgA.id, '2026-08-20T09:00:00Z');
    await signal(t.orgA.id, '2026-08-25T09:00:00Z');
    await signal(t.orgB.id, '2026-07-10T09:00:00Z');

    const group = await world.owner
      .insertInto('groups')
      .values({ organization_id: t.orgA.id, network_id: t.network.id, title: 'Rouwgroep', audience: 'peer' } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const session = async (
      starts: string,
      opts: { recorded?: boolean; cancelled?: boolean; headcount?: number; named?: string[] },
    ) => {
      const row = await world.owner
        .insertInto('group_sessions')
        .values({
          organization_id: t.orgA.id,
          group_id: group.id,
          starts_at: starts,
          minutes: 90,
          status: opts.cancelled ? 'cancelled' : 'planned',
          headcount: opts.headcount ?? null,
          attendance_recorded_at: opts.recorded ? starts : null,
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const client of opts.named ?? [])
        await world.owner
          .insertInto('group_attendance')
          .values({ session_id: row.id, client_id: client, organization_id: t.orgA.id })
          .execute();
    };
    await session('2026-07-07T16:00:00Z', { recorded: true, headcount: 12, named: [clientA, clientA2] });
    await session('2026-08-04T16:00:00Z', { recorded: true, named: [clientA, clientA2] });
    await session('2026-08-11T16:00:00Z', { cancelled: true, headcount: 9 });
    await session('2026-09-01T16:00:00Z', {});
    await session('2026-09-30T22:30:00Z', { recorded: true, headcount: 8 });
    await session('2026-06-30T22:00:00Z', { recorded: true, headcount: 4 });

    const facility = async (org: string, name: string) => {
      const f = await world.owner
        .insertInto('facilities')
        .values({ organization_id: org, network_id: t.network.id, name, kind: 'care-home' } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      const c = await world.owner
        .insertInto('facility_cases')
        .values({
          organization_id: org,
          facility_id: f.id,
          origin: 'question',
          reason: 'Vraag',
          opened_on: '2026-06-01',
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      return async (kind: string, date: string) =>
        world.owner
          .insertInto('facility_contacts')
          .values({
            organization_id: org,
            case_id: c.id,
            facility_id: f.id,
            kind,
            contact_date: date,
            user_id: org === t.orgA.id ? userA : userB,
          })
          .execute();
    };
    const f1 = await facility(t.orgA.id, 'WZC De Linde');
    const f2 = await facility(t.orgA.id, 'WZC Ter Beke');
    const f3 = await facility(t.orgA.id, 'Dienstencentrum');
    const fb = await facility(t.orgB.id, 'WZC Elders');
    await f1('phone-advice', '2026-07-02');
    await f1('specialised-advice', '2026-07-03');
    await f1('specialised-advice', '2026-08-01');
    await f2('on-site-visit', '2026-08-10');
    await f3('follow-up', '2026-09-30');
    await f3('on-site-visit', '2026-10-01');
    await fb('on-site-visit', '2026-07-05');
  });

  const pick = (body: Record<string, unknown>) => Object.fromEntries(Object.keys(HAND).map((k) => [k, body[k]]));

  it('the organisation sees the hand count, the same as its own outreach and group statistics', async () => {
    const own = await get(adminA, '/api/reports/output?quarter=2026-Q3');
    expect(own.statusCode, own.raw).toBe(200);
    expect(pick(own.body)).toEqual(HAND);
    // one definition: the definer function counts as features/outreach and features/groups do
    const stats = await adminA.get('/api/outreach/stats?quarter=2026-Q3');
    expect(stats.statusCode, stats.raw).toBe(200);
    expect(pick(stats.body)).toEqual(HAND);
  });

  it('network roles now see them (no longer 0), suppressed like the other counts', async () => {
    const suppressed = {
      proactiveContacts: 6,
      supportStarted: '<5',
      groupSessions: '<5',
      groupParticipants: 18,
      facilitiesContacted: '<5',
      facilitiesAdvised: '<5',
      facilitiesVisited: '<5',
    };
    const networkAdmin = await login(world, t.users.networkAdmin.email);
    for (const caller of [analyst, coordinator, networkAdmin]) {
      const res = await get(caller, `/api/reports/output?quarter=2026-Q3&organizationId=${t.orgA.id}`);
      expect(res.statusCode, res.raw).toBe(200);
      expect(pick(res.body)).toEqual(suppressed);
    }
    // the quarter before holds none of them (S3 reached 30/06 counts in Q2: one proactive contact)
    const q2 = await get(analyst, `/api/reports/output?quarter=2026-Q2&organizationId=${t.orgA.id}`);
    expect(pick(q2.body)).toMatchObject({ proactiveContacts: '<5', groupSessions: 0, facilitiesContacted: 0 });
    // organisation B's own figures: its one signal and one facility, not A's
    const b = await get(adminB, '/api/reports/output?quarter=2026-Q3');
    expect(pick(b.body)).toEqual({
      proactiveContacts: 1,
      supportStarted: 0,
      groupSessions: 0,
      groupParticipants: 0,
      facilitiesContacted: 1,
      facilitiesAdvised: 0,
      facilitiesVisited: 1,
    });
  });

  it('refuses another network and another organisation: 404, and the function gives zeros', async () => {
    const adminX = await login(world, t.users.networkAdminX.email);
    expect((await adminX.get(`/api/reports/output?quarter=2026-Q3&organizationId=${t.orgA.id}`)).statusCode).toBe(404);
    expect((await adminB.get(`/api/reports/output?quarter=2026-Q3&organizationId=${t.orgA.id}`)).statusCode).toBe(404);
    expect((await intakeX.get(`/api/reports/output?quarter=2026-Q3&organizationId=${t.orgA.id}`)).statusCode).toBe(403);

    const zeros = [
      {
        proactive_contacts: '0',
        support_started: '0',
        group_sessions: '0',
        group_participants: '0',
        facilities_contacted: '0',
        facilities_advised: '0',
        facilities_visited: '0',
      },
    ];
    const call = (settings: Record<string, string>) =>
      world.db.app.transaction().execute(async (trx) => {
        for (const [k, v] of Object.entries(settings)) await sql`select set_config(${k}, ${v}, true)`.execute(trx);
        const rows = (
          await sql<
            Record<string, unknown>
          >`select * from kl_report_other_figures(${t.orgA.id}::uuid, '2026-07-01', '2026-09-30')`.execute(trx)
        ).rows;
        return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])));
      });
    // another organisation of the same network, no context at all, another network's analyst, a caregiver-less role
    expect(await call({ 'app.org_id': t.orgB.id, 'app.network_id': t.network.id })).toEqual(zeros);
    expect(await call({})).toEqual(zeros);
    expect(await call({ 'app.network_id': t.otherNetwork.id, 'app.role': 'analyst' })).toEqual(zeros);
    expect(await call({ 'app.network_id': t.network.id, 'app.role': 'caregiver' })).toEqual(zeros);
    // the network's analyst gets the exact counts from the function (the API suppresses them)
    const exact = await call({ 'app.network_id': t.network.id, 'app.role': 'analyst' });
    expect(exact[0]).toMatchObject({ proactive_contacts: '6', group_participants: '18', facilities_contacted: '3' });
    // and a network role still reads no row of those tables directly
    const direct = await world.db.app.transaction().execute(async (trx) => {
      await sql`select set_config('app.network_id', ${t.network.id}, true), set_config('app.role', 'analyst', true)`.execute(
        trx,
      );
      return (
        await sql<{ n: string }>`select (select count(*) from outreach_signals) + (select count(*) from group_sessions)
          + (select count(*) from facility_contacts) as n`.execute(trx)
      ).rows[0]!.n;
    });
    expect(Number(direct)).toBe(0);
  });
});

// The access matrix of tests/integration/endpoints.test.ts leaves the report routes to this suite (as it does the
// trajectory routes): every one of them, from the OpenAPI document, without a session and without the permission.
describe('every report route', () => {
  const routes = async () => {
    const spec = (await world.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, object> }>();
    return Object.entries(spec.paths)
      .filter(([p]) => p.startsWith('/api/reports'))
      .flatMap(([p, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path: p })));
  };

  it('are nine (with the removal of a module staffing), and each answers 401 without a session', async () => {
    const list = await routes();
    expect(list).toHaveLength(9);
    for (const { method, path: p } of list) {
      const res = await anonymous().request(method, p, method === 'GET' ? undefined : {});
      expect(res.statusCode, `${method} ${p}`).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('each answers 403 to a caregiver (no report permission), audited as denied', async () => {
    for (const { method, path: p } of await routes()) {
      const res = await caregiverA.request(method, p, method === 'GET' ? undefined : {});
      expect(res.statusCode, `${method} ${p}`).toBe(403);
      const rows = await world.owner
        .selectFrom('audit_log')
        .select('outcome')
        .where('request_id', '=', res.body.requestId as string)
        .execute();
      expect(rows.map((r) => r.outcome)).toContain('denied');
    }
  });
});

describe('no identities in any report', () => {
  it('no name, birth date or INSZ of a seeded person in any response or export', () => {
    expect(seen.length).toBeGreaterThan(10);
    const all = seen.join('\n');
    for (const p of PEOPLE) {
      for (const needle of [p.givenName, p.familyName, p.insz, p.insz.slice(0, 6), p.birthDate]) {
        expect(all.includes(needle), needle).toBe(false);
      }
    }
    expect(all).not.toMatch(/\b\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}\b/);
  });
});
