import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserWorld } from '../support/browser.ts';

// The demo CAW has staffing for the current quarter and the four before it; the page offers the last eight quarters.
const now = new Date();
const quarterBack = (back: number) => {
  const d = new Date(now.getFullYear(), now.getMonth() - back * 3, 1);
  return `${d.getFullYear()}-Q${Math.floor(d.getMonth() / 3) + 1}`;
};
const older = quarterBack(6); // no staffing, nor the quarter before it
const next = quarterBack(5); // no staffing; copies from `older` once that has some

const bw = useBrowserWorld();
const nav = (page: Page) => page.getByRole('navigation', { name: 'Hoofdnavigatie' });

describe('staffing and norms in the browser', () => {
  it('the organisation admin enters FTE (Dutch comma), sees the norm and ratio, copies the previous quarter', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await bw.signIn(page, 'admin@caw.demo.example');
    await nav(page).getByRole('link', { name: 'Rapportering' }).click();
    await page.getByLabel('Kwartaal', { exact: true }).selectOption(older);
    await page.getByRole('heading', { name: `Personeelsinzet ${older}` }).waitFor();
    const psy = page.getByLabel('VTE Psychosociale ondersteuning');
    await expect.poll(() => psy.inputValue(), { timeout: 15_000 }).toBe('');
    // an empty quarter says so, and what to do
    await page
      .getByText(`Nog geen personeelsinzet voor ${older}: vul de VTE per module in, of kopieer het vorige kwartaal.`)
      .waitFor();

    // nothing to copy from the quarter before
    await page.getByRole('button', { name: 'Kopieer vorig kwartaal' }).click();
    await page
      .getByRole('alert')
      .getByText('Het vorige kwartaal heeft geen personeelsinzet om over te nemen.')
      .waitFor();

    // a clear Dutch message per field, and the focus on the first wrong one
    await psy.fill('2,555');
    await page.getByLabel('VTE Jongeren').fill('veel');
    await page.getByRole('button', { name: 'Personeelsinzet bewaren' }).click();
    const message = 'Geef een getal van 0 tot 10000 met hoogstens twee cijfers na de komma, bijvoorbeeld 2,5.';
    await page.locator('#staffing-psychosocial-support-error').getByText(message).waitFor();
    await page.locator('#staffing-youth-error').getByText(message).waitFor();
    await expect.poll(() => psy.getAttribute('aria-invalid'), { timeout: 15_000 }).toBe('true');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 15_000 })
      .toBe('staffing-psychosocial-support');

    // 2,5 FTE × 70 ÷ 4 = 43,75 shown as one types; 1,2 × 60 ÷ 4 = 18
    await psy.fill('2,5');
    await page.getByLabel('VTE Jongeren').fill('1,2');
    await expect
      .poll(() => page.getByTestId('staffing-norm-psychosocial-support').textContent(), { timeout: 15_000 })
      .toBe('43,75');
    await expect.poll(() => page.getByTestId('staffing-norm-youth').textContent(), { timeout: 15_000 }).toBe('18');
    await page.getByRole('button', { name: 'Personeelsinzet bewaren' }).click();
    await page.getByRole('status').getByText(`2 module(s) bewaard voor ${older}.`).waitFor();
    // the output above takes the staffing, in Dutch notation: FTE, the quarter's norm and the ratio as a percentage
    const row = page.getByTestId('output-table').getByRole('row', { name: /Psychosociale ondersteuning/ });
    await row.getByRole('cell', { name: '43,75', exact: true }).waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells[0]).toBe('2,5');
    expect(cells[5]).toMatch(/^\d+(,\d)?\u00a0%$/); // a ratio, now that there is a norm

    // the next quarter copies it
    await page.getByLabel('Kwartaal', { exact: true }).selectOption(next);
    await page.getByRole('heading', { name: `Personeelsinzet ${next}` }).waitFor();
    // the heading follows the choice at once; the quarter's staffing arrives after its request
    await expect
      .poll(() => page.getByLabel('VTE Psychosociale ondersteuning').inputValue(), { timeout: 15_000 })
      .toBe('');
    await page.getByRole('button', { name: 'Kopieer vorig kwartaal' }).click();
    await page
      .getByRole('status')
      .getByText(/De VTE van het vorige kwartaal staan nu ook in/)
      .waitFor();
    await expect
      .poll(() => page.getByLabel('VTE Psychosociale ondersteuning').inputValue(), { timeout: 15_000 })
      .toBe('2,5');
    await expect.poll(() => page.getByLabel('VTE Jongeren').inputValue(), { timeout: 15_000 }).toBe('1,2');
    await page
      .getByTestId('output-table')
      .getByRole('row', { name: /Jongeren/ })
      .getByRole('cell', { name: '18', exact: true })
      .waitFor();
    await page.close();

    const stored = await bw.world.owner
      .selectFrom('report_staffing')
      .select(['quarter', 'module', 'fte'])
      .where('quarter', 'in', [older, next])
      .orderBy('quarter')
      .orderBy('module')
      .execute();
    // `older` comes before `next`: the rows in order
    expect(stored.map((r) => [r.quarter, r.module, r.fte])).toEqual([
      [older, 'psychosocial-support', '2.50'],
      [older, 'youth', '1.20'],
      [next, 'psychosocial-support', '2.50'],
      [next, 'youth', '1.20'],
    ]);
  });

  it('the network admin changes a norm in the network settings; the server refuses one out of range', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await bw.signIn(page, 'admin@demo.example');
    await nav(page).getByRole('link', { name: 'Netwerkinstellingen' }).click();
    await page.getByRole('heading', { name: 'Outputnormen per VTE' }).waitFor();
    const youth = page.getByRole('group', { name: 'Outputnormen per VTE' }).getByLabel('Jongeren');
    await expect.poll(() => youth.inputValue(), { timeout: 15_000 }).toBe('60');

    await youth.fill('501');
    await page.getByRole('button', { name: 'Normen bewaren' }).click();
    await page
      .getByText('Geef een geheel getal van 1 tot en met 500 (trajecten per VTE per jaar).', { exact: true })
      .first()
      .waitFor();
    await youth.fill('50');
    await page.getByRole('button', { name: 'Normen bewaren' }).click();
    await page.getByRole('status').getByText('De outputnormen zijn bewaard.').waitFor();
    await page.close();

    const network = await bw.world.owner.selectFrom('networks').select('output_norms').executeTakeFirstOrThrow();
    expect((network.output_norms as Record<string, number>).youth).toBe(50);
    const audit = await bw.world.owner
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'report.norms.update')
      .where('outcome', '=', 'success')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ 'old.youth': 60, 'new.youth': 50, changed: 'youth' });

    // the organisation admin's staffing form now shows the network's norm
    const admin = await bw.browser.newPage({ locale: 'nl-BE' });
    await bw.signIn(admin, 'admin@caw.demo.example');
    await nav(admin).getByRole('link', { name: 'Rapportering' }).click();
    await admin.getByLabel('Kwartaal', { exact: true }).selectOption(older);
    const row = admin.getByTestId('staffing-table').getByRole('row', { name: /Jongeren/ });
    await row.getByRole('cell', { name: '50', exact: true }).waitFor();
    await expect.poll(() => admin.getByTestId('staffing-norm-youth').textContent(), { timeout: 15_000 }).toBe('15'); // 1,2 × 50 ÷ 4
    await admin.close();
  });

  it('a quarter that is loading shows nothing of the last one; a module is removed with confirmation, by keyboard', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await bw.signIn(page, 'admin@caw.demo.example');
    await nav(page).getByRole('link', { name: 'Rapportering' }).click();
    await page.getByLabel('Kwartaal', { exact: true }).selectOption(older);
    const psy = page.getByLabel('VTE Psychosociale ondersteuning');
    await expect.poll(() => psy.inputValue(), { timeout: 15_000 }).toBe('2,5');

    // hold the next quarter's staffing: under its heading the form is disabled and empty, and says it is loading
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(`**/api/reports/staffing?quarter=${next}`, async (route) => {
      await held;
      await route.continue();
    });
    await page.getByLabel('Kwartaal', { exact: true }).selectOption(next);
    await page.getByRole('heading', { name: `Personeelsinzet ${next}` }).waitFor();
    await page.getByRole('status').getByText('Bezig met laden…').first().waitFor();
    expect(await psy.isDisabled()).toBe(true);
    expect(await psy.inputValue()).toBe('');
    expect(await page.getByRole('button', { name: 'Personeelsinzet bewaren' }).isDisabled()).toBe(true);
    release();
    await expect.poll(() => psy.inputValue(), { timeout: 15_000 }).toBe('2,5');
    expect(await psy.isDisabled()).toBe(false);

    // by keyboard: type in a field and press Enter to save
    await psy.focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('3.25'); // a dot is read as well as a comma
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText(`1 module(s) bewaard voor ${next}.`).waitFor();
    await expect.poll(() => psy.inputValue(), { timeout: 15_000 }).toBe('3,25');

    // remove youth: the dialog asks first; Escape keeps it, the confirmation removes it
    const remove = page.getByRole('button', { name: 'Jongeren verwijderen uit dit kwartaal' });
    await remove.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog', { name: 'Module verwijderen uit dit kwartaal' });
    await dialog.getByText(`De VTE van Jongeren in ${next} verwijderen?`, { exact: false }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByLabel('VTE Jongeren').inputValue()).toBe('1,2');
    await remove.click();
    await dialog.getByRole('button', { name: 'Verwijderen' }).click();
    await page.getByRole('status').getByText(`De VTE van Jongeren is verwijderd uit ${next}.`).waitFor();
    await expect.poll(() => page.getByLabel('VTE Jongeren').inputValue(), { timeout: 15_000 }).toBe('');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 15_000 })
      .toBe('staffing-youth');
    // the output reloads without a norm row for it (the demo CAW has no youth trajectories in the browser world)
    await expect
      .poll(
        () =>
          page
            .getByTestId('output-table')
            .getByRole('row', { name: /Jongeren/ })
            .count(),
        {
          timeout: 15_000,
        },
      )
      .toBe(0);
    await page
      .getByTestId('output-table')
      .getByRole('row', { name: /Psychosociale ondersteuning/ })
      .getByRole('cell', { name: '3,25', exact: true })
      .waitFor();

    // a quarter that cannot be read says why (in Dutch), instead of loading for ever
    await page.route(`**/api/reports/staffing?quarter=${older}`, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          status: 503,
          title: 'Niet beschikbaar',
          detail: 'De personeelsinzet is even niet bereikbaar.',
        }),
      }),
    );
    await page.getByLabel('Kwartaal', { exact: true }).selectOption(older);
    await page.getByRole('alert').getByText('De personeelsinzet is even niet bereikbaar.').waitFor();
    await expect.poll(() => page.getByLabel('VTE Psychosociale ondersteuning').count(), { timeout: 15_000 }).toBe(0);
    await page.close();

    const stored = await bw.world.owner
      .selectFrom('report_staffing')
      .select(['module', 'fte'])
      .where('quarter', '=', next)
      .orderBy('module')
      .execute();
    expect(stored.map((r) => [r.module, r.fte])).toEqual([['psychosocial-support', '3.25']]);
  });
});
