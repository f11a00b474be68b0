import { describe, expect, it } from 'vitest';
import { useBrowserWorld } from '../support/browser.ts';

const bw = useBrowserWorld();

const { signIn } = bw;

describe('in the browser', () => {
  let clientUrl = '';

  it('an intake worker signs in, sees the DEMO marker and registers a client', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'onthaal@caw.demo.example');
    await expect(page.getByText('DEMO', { exact: true }).first().isVisible()).resolves.toBe(true);
    await page.goto(`${bw.baseUrl}/clients/new`);
    await page.getByLabel('Voornaam').fill('Browser');
    await page.getByLabel('Familienaam').fill('Testpersoon');
    await page.getByLabel('Geboortedatum').fill('14/03/1991');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Browser Testpersoon' }).waitFor();
    clientUrl = page.url();
    expect(clientUrl).toMatch(/\/clients\/[0-9a-f-]{36}$/);
    // the same client is found by the search box
    await page.goto(`${bw.baseUrl}/clients`);
    await page.getByLabel('Zoeken').fill('testpers');
    await page.getByRole('link', { name: /Browser Testpersoon/ }).waitFor();
    await page.close();
  });

  it("the organisation admin sees the intake worker's read in the access history", async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'admin@caw.demo.example');
    await page.goto(clientUrl);
    await page.getByRole('heading', { level: 1, name: 'Browser Testpersoon' }).waitFor();
    const history = page.locator('section', { has: page.getByRole('heading', { name: 'Toegangsgeschiedenis' }) });
    await history.getByText('Onthaalmedewerker CAW Oost-Brabant').first().waitFor();
    // the admin's own opening of the file is recorded as well
    const rows = await bw.world.owner
      .selectFrom('audit_log')
      .select(['action', 'role'])
      .where('entity_id', '=', clientUrl.split('/').pop()!)
      .where('action', '=', 'client.read')
      .execute();
    expect(rows.map((r) => r.role).sort()).toEqual(['intake-worker', 'org-admin']);
    await page.close();
  });

  it('a user of another organisation can neither find nor open the client', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'onthaal@cgg.demo.example');
    await page.goto(`${bw.baseUrl}/clients`);
    await page.getByLabel('Zoeken').fill('Testpersoon');
    await page.getByText('Geen cliënten gevonden').waitFor();
    await page.goto(clientUrl);
    await page.getByText('Deze cliënt bestaat niet of je hebt er geen toegang toe.').waitFor();
    expect(await page.getByRole('heading', { name: 'Browser Testpersoon' }).count()).toBe(0);
    await page.close();
  });

  it('switches the interface to English', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await page.goto(`${bw.baseUrl}/`);
    await page.getByRole('button', { name: 'Aanmelden' }).waitFor();
    await page
      .getByRole('button', { name: /English|EN/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.close();
  });
});
