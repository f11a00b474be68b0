import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { extractText } from 'unpdf';
import type { Page } from 'playwright-core';
import { useBrowserWorld } from '../support/browser.ts';

const CAW = 'CAW Oost-Brabant (demo)';
const now = new Date();
const quarterOf = (d: Date) => `${d.getFullYear()}-Q${Math.floor(d.getMonth() / 3) + 1}`;
const current = quarterOf(now);
const previous = quarterOf(new Date(now.getFullYear(), now.getMonth() - 3, 1));

// staffing for the CAW: 12.5 FTE psychosocial support in the previous quarter only
const bw = useBrowserWorld(async (world) => {
  const org = await world.owner
    .selectFrom('organizations')
    .select(['id', 'network_id'])
    .where('name', '=', CAW)
    .executeTakeFirstOrThrow();
  await world.owner
    .insertInto('report_staffing')
    .values({
      organization_id: org.id,
      network_id: org.network_id,
      quarter: previous,
      module: 'psychosocial-support',
      fte: '12.50',
      updated_by: null,
      updated_at: new Date(),
    })
    .execute();
});

const nav = (page: Page) => page.getByRole('navigation', { name: 'Hoofdnavigatie' });

async function save(page: Page, button: string) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  const file = await download.path();
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(file) };
}

describe('reports in the browser', () => {
  it('an analyst opens the reports, changes the quarter, downloads the XLSX and the PDF', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE', acceptDownloads: true });
    await bw.signIn(page, 'analist@demo.example');
    await nav(page).getByRole('link', { name: 'Rapportering' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rapportering' }).waitFor();
    await page.getByLabel('Organisatie', { exact: true }).selectOption({ label: CAW });
    await page.getByRole('heading', { name: `Kwartaaloutput ${current} — ${CAW}` }).waitFor();
    // the current quarter has no staffing and no trajectories
    await page.getByText('Geen trajecten en geen personeelsinzet voor dit kwartaal.').waitFor();

    await page.getByLabel('Kwartaal', { exact: true }).selectOption(previous);
    await page.getByRole('heading', { name: `Kwartaaloutput ${previous} — ${CAW}` }).waitFor();
    const row = page.getByTestId('output-table').getByRole('row', { name: /Psychosociale ondersteuning/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('12,5'); // Dutch notation
    // the flow monitor with its table beside the chart
    await page.getByRole('heading', { name: /Stroommonitor van het netwerk/ }).waitFor();
    // 24 months, the header and the period's "Totaal"
    await expect.poll(() => page.getByTestId('flow-table').getByRole('row').count(), { timeout: 15_000 }).toBe(26);

    const xlsx = await save(page, 'Download XLSX');
    expect(xlsx.name).toBe(`output-${previous}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as never);
    const sheet = book.worksheets[0]!;
    expect(sheet.getCell('B1').value).toBe(CAW);
    expect(sheet.getCell('B2').value).toBe(previous);
    let fte: unknown = null;
    sheet.eachRow((r) => {
      if (r.getCell(1).value === 'Psychosociale ondersteuning') fte = r.getCell(2).value;
    });
    expect(fte).toBe(12.5);

    const pdf = await save(page, 'Download PDF');
    expect(pdf.name).toBe(`output-${previous}.pdf`);
    const { text } = await extractText(new Uint8Array(pdf.bytes), { mergePages: true });
    expect(text).toContain(CAW);
    expect(text).toContain(`Kwartaaloutput ${previous}`);
    expect(text).toContain('Psychosociale ondersteuning');
    await page.getByRole('status').getByText(`output-${previous}.pdf is gedownload.`).waitFor();
    await page.close();
  });

  it('the flow monitor: breakdown per organisation and per level of care, the 8-quarter trend, each with its table', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await bw.signIn(page, 'analist@demo.example');
    await nav(page).getByRole('link', { name: 'Rapportering' }).click();
    await page.getByRole('heading', { name: /Stroommonitor van het netwerk/ }).waitFor();
    // the trend: 8 quarters, ending with this one, as a table beside its chart
    const trend = page.getByTestId('flow-trend-table');
    await trend.getByRole('row', { name: new RegExp(current) }).waitFor();
    expect(await trend.getByRole('row').count()).toBe(9);
    // waiting times per month: to acceptance, to first contact, on the waiting list (median, p90)
    const waiting = page.getByTestId('flow-waiting-table');
    await waiting.getByRole('columnheader', { name: 'Op de wachtlijst' }).waitFor();

    await page.getByLabel('Uitsplitsing').selectOption({ label: 'Per organisatie' });
    const table = page.getByTestId('flow-table');
    await table.getByRole('columnheader', { name: 'Organisatie' }).waitFor();
    await table.getByRole('row', { name: new RegExp(CAW.replace(/[()]/g, '.')) }).waitFor();

    await page.getByLabel('Uitsplitsing').selectOption({ label: 'Per zorgniveau' });
    await table.getByRole('columnheader', { name: 'Zorgniveau' }).waitFor();
    for (const level of ['Basiszorg (eerste lijn)', 'Gespecialiseerd', 'Crisis'])
      await table.getByRole('row', { name: new RegExp(level.replace(/[()]/g, '.')) }).waitFor();
    // a period of 3 months per month: three month rows and the header
    await page.getByLabel('Uitsplitsing').selectOption({ label: 'Per maand' });
    await page.getByLabel('Periode').selectOption({ label: 'Laatste 3 maanden' });
    await table.getByRole('columnheader', { name: 'Maand' }).waitFor();
    await expect.poll(() => table.getByRole('row').count()).toBe(5);
    // the period's totals are one publication: the same "Totaal" per month and per organisation
    const total = page.getByTestId('flow-total');
    await expect.poll(() => total.textContent(), { timeout: 15_000 }).toMatch(/^Totaal/);
    const perMonth = await total.textContent();
    await page.getByLabel('Uitsplitsing').selectOption({ label: 'Per organisatie' });
    await table.getByRole('columnheader', { name: 'Organisatie' }).waitFor();
    await expect.poll(() => total.textContent(), { timeout: 15_000 }).toBe(perMonth);
    await page.close();
  });

  it('a download the server refuses is explained in Dutch, not as a bare status code', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await bw.signIn(page, 'analist@demo.example');
    await nav(page).getByRole('link', { name: 'Rapportering' }).click();
    // the server's problem document gives the text
    await page.route('**/api/reports/output?*format=csv*', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          status: 503,
          title: 'Niet beschikbaar',
          detail: 'De rapportering is even niet bereikbaar.',
        }),
      }),
    );
    await page.getByRole('button', { name: 'Download CSV' }).click();
    await page.getByRole('alert').getByText('De rapportering is even niet bereikbaar.').waitFor();
    await page.close();
  });
});
