/**
 * The HSDS 3.0 import screen (/offers/import) in the browser: the network admin dry-runs an official example,
 * imports it and imports it again without change; a CSV datapackage is chosen as several files; malformed files
 * show the report (file, row, field, message) and nothing is stored; a large import runs as a job with a progress
 * bar until it ends.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sql } from 'kysely';
import { useBrowserWorld } from '../support/browser.ts';
import { HSDS_DIR } from '../support/standards.ts';

const EXAMPLE = path.join(HSDS_DIR, 'examples/service_full.json');
const CSV_DIR = path.join(HSDS_DIR, 'examples/csv');
const SERVICE = 'ac148810-d857-441c-9679-408f346de14b';
const ORG = 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610';

let demoOrg: string;

const bw = useBrowserWorld(async (world) => {
  demoOrg = (
    await world.owner
      .selectFrom('organizations')
      .select('id')
      .where('name', '=', 'CAW Oost-Brabant (demo)')
      .executeTakeFirstOrThrow()
  ).id;
});

const nav = (page: Page) => page.getByRole('navigation', { name: 'Hoofdnavigatie' });
const count = async (table: 'offers' | 'organizations' | 'sites') =>
  Number(
    (
      await bw.world.owner
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const snapshot = async () => ({
  offers: await count('offers'),
  organizations: await count('organizations'),
  sites: await count('sites'),
  records: Number(
    (await sql<{ n: string }>`select count(*) as n from hsds_records`.execute(bw.world.owner)).rows[0]!.n,
  ),
});
/** The cells of one kind's row of the counts table: new, changed, unchanged. */
const countsOf = (page: Page, kind: string) =>
  page.getByTestId('import-counts').locator(`tr[data-kind="${kind}"] td`).allInnerTexts();
/** Every row of a report table as [file, row, field, message]. */
const reportRows = async (page: Page, testId: string) => {
  const rows = page.getByTestId(testId).locator('tbody tr');
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++)
    out.push((await rows.nth(i).locator('td').allInnerTexts()).map((s) => s.trim()));
  return out;
};
const jsonFile = (name: string, value: unknown) => ({
  name,
  mimeType: 'application/json',
  buffer: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
});

async function openImport(page: Page) {
  await bw.signIn(page, 'admin@demo.example');
  await nav(page).getByRole('link', { name: 'Aanbod importeren' }).click();
  await page.getByRole('heading', { level: 1, name: 'Aanbod importeren (HSDS 3.0)' }).waitFor();
}

/** Runs the real import: "Importeren", then confirm in the dialog. */
async function importForReal(page: Page) {
  await page.getByRole('button', { name: 'Importeren' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Importeren?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Importeren' }).click();
}

describe('the catalogue import in the browser', () => {
  it('only the network admin has the menu item and the page', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await bw.signIn(page, 'netwerk@demo.example');
    await nav(page).getByRole('link', { name: 'Verouderde capaciteit' }).waitFor();
    expect(await nav(page).getByRole('link', { name: 'Aanbod importeren' }).count()).toBe(0);
    await page.goto(`${bw.baseUrl}/offers/import`);
    await page.getByText('Je hebt geen toegang tot deze gegevens.').first().waitFor();
    expect(await page.getByLabel('Bestanden').count()).toBe(0);
    await page.close();
  });

  it('dry run of an official example shows counts and names, the real import stores it, a re-import changes nothing', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await openImport(page);
    const importButton = page.getByRole('button', { name: 'Importeren' });
    expect(await importButton.getAttribute('aria-disabled')).toBe('true');
    const before = await snapshot();

    await page.getByLabel('Bestanden').setInputFiles(EXAMPLE);
    await page.getByTestId('import-chosen').getByText('Gekozen: HSDS JSON (service_full.json).').waitFor();
    await page.getByRole('button', { name: 'Proefimport' }).click();
    await page
      .getByRole('status')
      .getByText('Proefimport klaar: 6 nieuw, 0 gewijzigd, 0 ongewijzigd. Er is niets opgeslagen.')
      .waitFor();
    await page.getByRole('heading', { level: 2, name: 'Resultaat van de proefimport' }).waitFor();
    expect(await countsOf(page, 'services')).toEqual(['1', '0', '0']);
    expect(await countsOf(page, 'organizations')).toEqual(['1', '0', '0']);
    await page
      .getByTestId('import-created-services')
      .getByRole('heading', { name: 'Nieuw: Aanbod (services)' })
      .waitFor();
    await page.getByTestId('import-created-services').getByText('Community Counselling', { exact: true }).waitFor();
    await page
      .getByTestId('import-created-organizations')
      .getByText('Example Organization Inc.', { exact: true })
      .waitFor();
    expect(await page.getByTestId('import-errors').count()).toBe(0);
    expect(await snapshot()).toEqual(before);
    expect(await importButton.getAttribute('aria-disabled')).toBeNull();

    // the dialog cancels with Escape: nothing is imported
    await importButton.click();
    await page
      .getByRole('alertdialog', { name: 'Importeren?' })
      .getByText(/6 nieuw, 0 gewijzigd/)
      .waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('alertdialog').count()).toBe(0);
    expect(await snapshot()).toEqual(before);

    await importForReal(page);
    await page.getByRole('status').getByText('Geïmporteerd: 6 nieuw, 0 gewijzigd, 0 ongewijzigd.').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Resultaat van de import' }).waitFor();
    const network = (
      await bw.world.owner.selectFrom('networks').select('id').where('is_demo', '=', true).executeTakeFirstOrThrow()
    ).id;
    const offer = await bw.world.owner
      .selectFrom('offers')
      .select(['name', 'organization_id', 'network_id', 'updated_at'])
      .where('id', '=', SERVICE)
      .executeTakeFirstOrThrow();
    expect(offer).toMatchObject({ name: 'Community Counselling', organization_id: ORG, network_id: network });
    expect(await snapshot()).toEqual({
      ...before,
      offers: before.offers + 1,
      organizations: before.organizations + 1,
      records: before.records + 6,
    });
    // the next import needs a dry run again
    expect(await importButton.getAttribute('aria-disabled')).toBe('true');

    // again, by keyboard: everything unchanged, nothing written
    await page.getByRole('button', { name: 'Proefimport' }).focus();
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .getByText(
        'Proefimport klaar: 0 nieuw, 0 gewijzigd, 6 ongewijzigd. Er is niets opgeslagen. Alles is ongewijzigd: deze gegevens staan er al.',
      )
      .waitFor();
    expect(await countsOf(page, 'services')).toEqual(['0', '0', '1']);
    expect(await page.locator('[data-testid^="import-created-"], [data-testid^="import-changed-"]').count()).toBe(0);
    await importButton.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog', { name: 'Importeren?' });
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .getByText('Geïmporteerd: 0 nieuw, 0 gewijzigd, 6 ongewijzigd. Alles is ongewijzigd: deze gegevens staan er al.')
      .waitFor();
    const after = await bw.world.owner
      .selectFrom('offers')
      .select('updated_at')
      .where('id', '=', SERVICE)
      .executeTakeFirstOrThrow();
    expect(after.updated_at.getTime()).toBe(offer.updated_at.getTime());
    expect(await snapshot()).toEqual({
      ...before,
      offers: before.offers + 1,
      organizations: before.organizations + 1,
      records: before.records + 6,
    });
    await page.close();
  });

  it('the CSV files of a datapackage are chosen together; its warnings show by file, row and field', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await openImport(page);
    const files = fs.readdirSync(CSV_DIR).map((f) => path.join(CSV_DIR, f));
    await page.getByLabel('Bestanden').setInputFiles(files);
    await page
      .getByTestId('import-chosen')
      .getByText(`Gekozen: CSV-datapakket met ${files.length} bestanden.`)
      .waitFor();
    await page.getByRole('button', { name: 'Proefimport' }).click();
    await page
      .getByRole('status')
      .getByText(/^Proefimport klaar: .* Er is niets opgeslagen\./)
      .waitFor();
    const warnings = await reportRows(page, 'import-warnings');
    expect(warnings).toEqual(
      expect.arrayContaining([
        ['datapackage.json', '—', '—', expect.stringMatching(/datapackage\.json/)],
        ['attributes.csv', '2', 'link_id', expect.any(String)],
      ]),
    );
    expect(await page.getByTestId('import-errors').count()).toBe(0);
    await page.close();
  });

  it('malformed files show the report (bestand, rij, veld, melding) and nothing is stored', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await openImport(page);
    const before = await snapshot();
    const good = crypto.randomUUID();
    const service = (over: Record<string, unknown>) => ({
      id: crypto.randomUUID(),
      name: 'Praatgroep',
      status: 'active',
      organization_id: demoOrg,
      ...over,
    });
    await page
      .getByLabel('Bestanden')
      .setInputFiles(
        jsonFile('aanbod.json', [service({ id: good }), service({ name: undefined }), service({ status: 'open' })]),
      );
    await page.getByRole('button', { name: 'Proefimport' }).click();
    await page
      .getByRole('alert')
      .getByText('2 fouten gevonden: er is niets ingelezen. Verbeter en probeer opnieuw.')
      .waitFor();
    const table = page.getByTestId('import-errors');
    expect(await table.locator('thead th').allInnerTexts()).toEqual(['Bestand', 'Rij', 'Veld', 'Melding']);
    const rows = await reportRows(page, 'import-errors');
    expect(rows).toEqual(
      expect.arrayContaining([
        ['aanbod.json', '2', 'name', expect.any(String)],
        ['aanbod.json', '3', 'status', expect.any(String)],
      ]),
    );
    expect(rows.every((r) => r[3]!.length > 0)).toBe(true);
    expect(await page.getByRole('button', { name: 'Importeren' }).getAttribute('aria-disabled')).toBe('true');
    expect(await bw.world.owner.selectFrom('offers').select('id').where('id', '=', good).execute()).toEqual([]);

    // a CSV line that cannot be read
    await page.getByLabel('Bestanden').setInputFiles([
      {
        name: 'services.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('id,name,status\r\n"unterminated,x,active\r\n'),
      },
    ]);
    expect(await page.getByTestId('import-errors').count()).toBe(0);
    await page.getByRole('button', { name: 'Proefimport' }).click();
    await page
      .getByRole('alert')
      .getByText(/fout(en)? gevonden: er is niets ingelezen/)
      .waitFor();
    expect(await reportRows(page, 'import-errors')).toEqual(
      expect.arrayContaining([['services.csv', '2', '—', expect.any(String)]]),
    );

    // not JSON at all: said per file, before anything is sent
    await page.getByLabel('Bestanden').setInputFiles(jsonFile('kapot.json', '{"id": '));
    await page.getByRole('button', { name: 'Proefimport' }).click();
    await page.getByTestId('import-errors').waitFor();
    expect(await reportRows(page, 'import-errors')).toEqual([['kapot.json', '—', '—', 'Dit is geen geldige JSON.']]);

    // a JSON file and CSV files together: the file field says so
    await page
      .getByLabel('Bestanden')
      .setInputFiles([
        jsonFile('a.json', {}),
        { name: 'services.csv', mimeType: 'text/csv', buffer: Buffer.from('id\r\n') },
      ]);
    await page.getByRole('button', { name: 'Proefimport' }).click();
    await page
      .locator('#import-files-error')
      .getByText('Kies één JSON-bestand, of CSV-bestanden (met eventueel datapackage.json), niet allebei.')
      .waitFor();
    expect(await page.getByLabel('Bestanden').getAttribute('aria-invalid')).toBe('true');
    expect(await snapshot()).toEqual(before);
    await page.close();
  });

  it('a large import runs as a job: a progress bar until it ends with the result; a failed job shows its report', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await openImport(page);
    const before = await snapshot();
    // the first look at the job waits until the test has seen the bar
    let release: () => void = () => undefined;
    let gate = Promise.resolve();
    const hold = () => {
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
    };
    await page.route(/\/api\/hsds\/imports\/[0-9a-f-]+$/, async (route) => {
      await gate;
      await route.continue();
    });
    const many = Array.from({ length: 1001 }, (_, i) => ({
      id: crypto.randomUUID(),
      name: `Groot aanbod ${i}`,
      status: 'active',
      organization_id: demoOrg,
      description: `Aanbod ${i}: ${'x'.repeat(300)}`,
      service_areas: [{ id: crypto.randomUUID(), name: 'Leuven', uri: 'urn:statbel:nis:24062' }],
    }));
    await page.getByLabel('Bestanden').setInputFiles(jsonFile('groot.json', many));

    hold();
    await page.getByRole('button', { name: 'Proefimport' }).click();
    await page.getByRole('heading', { level: 2, name: 'Proefimport bezig' }).waitFor();
    const bar = page.getByRole('progressbar', { name: 'Voortgang' });
    await bar.waitFor();
    expect(await bar.getAttribute('max')).toBe('1001');
    await page.getByTestId('import-progress').getByRole('status').getByText('0 van 1001 records verwerkt.').waitFor();
    release();
    await page
      .getByRole('status')
      .getByText('Proefimport klaar: 1001 nieuw, 0 gewijzigd, 0 ongewijzigd. Er is niets opgeslagen.')
      .waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('import-progress').count()).toBe(0);
    expect(await countsOf(page, 'services')).toEqual(['1001', '0', '0']);
    const created = page.getByTestId('import-created-services');
    expect(await created.locator('li').count()).toBe(201);
    await created.getByText('Groot aanbod 0', { exact: true }).waitFor();
    await created.getByText('+801 meer').waitFor();
    expect(await snapshot()).toEqual(before);

    hold();
    await importForReal(page);
    await page.getByRole('heading', { level: 2, name: 'Import bezig' }).waitFor();
    await page.getByRole('progressbar', { name: 'Voortgang' }).waitFor();
    release();
    await page
      .getByRole('status')
      .getByText('Geïmporteerd: 1001 nieuw, 0 gewijzigd, 0 ongewijzigd.')
      .waitFor({ timeout: 120_000 });
    expect(
      await bw.world.owner.selectFrom('offers').select('id').where('name', 'like', 'Groot aanbod %').execute(),
    ).toHaveLength(1001);

    // a job that meets a bad row: it fails with the report, nothing imported
    const afterImport = await snapshot();
    const bad = many.map((s) => ({ ...s, id: crypto.randomUUID(), name: `Ander aanbod ${s.name}` }));
    bad[1000] = { ...bad[1000]!, organization_id: crypto.randomUUID() };
    await page.getByLabel('Bestanden').setInputFiles(jsonFile('groot-fout.json', bad));
    await page.getByRole('button', { name: 'Proefimport' }).click();
    await page
      .getByRole('alert')
      .getByText('1 fout gevonden: er is niets ingelezen. Verbeter en probeer opnieuw.')
      .waitFor({ timeout: 120_000 });
    expect(await reportRows(page, 'import-errors')).toEqual([
      ['groot-fout.json', '1001', 'organization_id', expect.any(String)],
    ]);
    expect(await snapshot()).toEqual(afterImport);
    await page.close();
  }, 300_000);
});
