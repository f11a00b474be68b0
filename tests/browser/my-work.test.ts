import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserWorld } from '../support/browser.ts';
import { seedDemoCases } from '../../src/server/demo/seed-cases.ts';

// playing the demo cases (with their trajectories and care plans) takes a while on a busy machine
vi.setConfig({ hookTimeout: 240_000 });

// the demo cases and the caregivers' trajectories that follow them, as `npm start` seeds them
const bw = useBrowserWorld(async (world) => {
  await seedDemoCases({ app: world.db.app, owner: world.owner });
});
const nav = (page: Page) => page.getByRole('navigation', { name: 'Hoofdnavigatie' });

describe('my work and caseload in the browser', () => {
  it('the CAW caregiver lands on Mijn werk: counts, the quiet trajectory first, a click opens it', async () => {
    const context = await bw.browser.newContext({ locale: 'nl-BE' });
    const page = await context.newPage();
    await bw.signIn(page, 'hulpverlener@caw.demo.example');
    await page.getByRole('heading', { level: 1, name: 'Mijn werk' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/my-work');
    // the demo: one trajectory of its own register without contact for 45 days
    expect(await page.getByTestId('work-count-quiet').innerText()).toBe('1');
    const quiet = page.getByTestId('work-quiet').getByTestId('work-row');
    expect(await quiet.count()).toBe(1);
    expect(await quiet.first().innerText()).toContain('45 dagen geleden');
    const running = Number(await page.getByTestId('work-count-running').innerText());
    expect(running).toBeGreaterThan(1);
    expect(await page.getByTestId('work-mine').getByTestId('work-row').count()).toBe(running - 1);
    // no caseload for a caregiver
    expect(await nav(page).getByRole('link', { name: 'Caseload' }).count()).toBe(0);
    await quiet.first().getByRole('link').click();
    await page.waitForURL(/\/trajectories\/[0-9a-f-]{36}$/);
    await context.close();
  });

  it('the intake worker keeps Onthaal as its start page', async () => {
    const context = await bw.browser.newContext({ locale: 'nl-BE' });
    const page = await context.newPage();
    await bw.signIn(page, 'onthaal@caw.demo.example');
    await page.getByRole('heading', { level: 1, name: 'Onthaal' }).waitFor();
    expect(await nav(page).getByRole('link', { name: 'Mijn werk' }).count()).toBe(0);
    await context.close();
  });

  it('the CAW team lead opens the caseload: the caregiver with the trajectories, the quiet one marked', async () => {
    const context = await bw.browser.newContext({ locale: 'nl-BE' });
    const page = await context.newPage();
    await bw.signIn(page, 'teamlead@caw.demo.example');
    await page.getByRole('heading', { level: 1, name: 'Mijn werk' }).waitFor();
    await nav(page).getByRole('link', { name: 'Caseload' }).click();
    await page.getByRole('heading', { level: 1, name: 'Caseload' }).waitFor();
    const table = page.getByRole('table', { name: 'Lopende trajecten per hulpverlener' });
    const first = table.getByTestId('caseload-row').first();
    // the heaviest caseload first: the demo caregiver, with its one quiet trajectory marked
    expect(await first.getByRole('rowheader').innerText()).toMatch(/^Hulpverlener/);
    expect(await first.locator('.badge-danger').innerText()).toBe('1');
    await context.close();
  });
});
