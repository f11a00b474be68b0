import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createWorld, type World } from '../support/world.ts';
import { seedDemo, DEMO_PASSWORD } from '../../src/server/demo/seed.ts';

const CHROMIUM = '/usr/bin/chromium';
let world: World;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  if (!fs.existsSync('dist/web/index.html')) throw new Error('dist/web is missing: run `vite build` first (npm test does)');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  world = await createWorld();
  await seedDemo(world.owner);
  await world.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(world.app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await world?.close();
});

async function signIn(page: Page, email: string) {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await page.getByRole('button', { name: 'Afmelden' }).waitFor();
}

describe('in the browser', () => {
  let clientUrl = '';

  it('an intake worker signs in, sees the DEMO marker and registers a client', async () => {
    const page = await browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'onthaal@caw.demo.example');
    await expect(page.getByText('DEMO', { exact: true }).first().isVisible()).resolves.toBe(true);
    await page.goto(`${baseUrl}/clients/new`);
    await page.getByLabel('Voornaam').fill('Browser');
    await page.getByLabel('Familienaam').fill('Testpersoon');
    await page.getByLabel('Geboortedatum').fill('1991-03-14');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Browser Testpersoon' }).waitFor();
    clientUrl = page.url();
    expect(clientUrl).toMatch(/\/clients\/[0-9a-f-]{36}$/);
    // the same client is found by the search box
    await page.goto(`${baseUrl}/clients`);
    await page.getByLabel('Zoeken').fill('testpers');
    await page.getByRole('link', { name: /Browser Testpersoon/ }).waitFor();
    await page.close();
  });

  it('the organisation admin sees the intake worker\'s read in the access history', async () => {
    const page = await browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'admin@caw.demo.example');
    await page.goto(clientUrl);
    await page.getByRole('heading', { level: 1, name: 'Browser Testpersoon' }).waitFor();
    const history = page.locator('section', { has: page.getByRole('heading', { name: 'Toegangsgeschiedenis' }) });
    await history.getByText('Onthaalmedewerker CAW Oost-Brabant').first().waitFor();
    // the admin's own opening of the file is recorded as well
    const rows = await world.owner.selectFrom('audit_log').select(['action', 'role']).where('entity_id', '=', clientUrl.split('/').pop()!).where('action', '=', 'client.read').execute();
    expect(rows.map((r) => r.role).sort()).toEqual(['intake-worker', 'org-admin']);
    await page.close();
  });

  it('a user of another organisation can neither find nor open the client', async () => {
    const page = await browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'onthaal@cgg.demo.example');
    await page.goto(`${baseUrl}/clients`);
    await page.getByLabel('Zoeken').fill('Testpersoon');
    await page.getByText('Geen cliënten gevonden').waitFor();
    await page.goto(clientUrl);
    await page.getByText('Deze cliënt bestaat niet of je hebt er geen toegang toe.').waitFor();
    expect(await page.getByRole('heading', { name: 'Browser Testpersoon' }).count()).toBe(0);
    await page.close();
  });

  it('switches the interface to English', async () => {
    const page = await browser.newPage({ locale: 'nl-BE' });
    await page.goto(`${baseUrl}/`);
    await page.getByRole('button', { name: 'Aanmelden' }).waitFor();
    await page.getByRole('button', { name: /English|EN/ }).first().click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.close();
  });
});
