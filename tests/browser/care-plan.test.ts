import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserWorld } from '../support/browser.ts';
import { seedDemoCases } from '../../src/server/demo/seed-cases.ts';

// playing the demo cases (with their trajectories and care plans) takes a while on a busy machine
vi.setConfig({ hookTimeout: 240_000, testTimeout: 120_000 });

const bw = useBrowserWorld(async (world) => {
  await seedDemoCases({ app: world.db.app, owner: world.owner });
});

const LEVELS = ['zero-line', 'basic', 'specialised', 'crisis'];

/**
 * A client of the caregiver's own trajectories that has no plan yet and an open help request of the organisation
 * (so a step up leads into its matching), found through the API with the page's own session.
 */
async function clientToPlan(page: Page): Promise<string> {
  const get = async (path: string) => page.request.get(`${bw.baseUrl}${path}`);
  const mine = (await (await get('/api/trajectories?box=mine')).json()) as { items: { clientId: string }[] };
  for (const { clientId } of mine.items) {
    if ((await get(`/api/clients/${clientId}/care-plan`)).status() !== 404) continue;
    const requests = (await (await get(`/api/help-requests?clientId=${clientId}`)).json()) as {
      items: { status: string }[];
    };
    if (requests.items.some((r) => r.status !== 'closed')) return clientId;
  }
  throw new Error('the demo has no trajectory client without a plan and with an open help request');
}

describe('the care plan in the browser', () => {
  it('a caregiver makes the plan from the client page, adds goals and actions, steps up into matching', async () => {
    const context = await bw.browser.newContext({ locale: 'nl-BE' });
    const page = await context.newPage();
    await bw.signIn(page, 'hulpverlener@caw.demo.example');
    const clientId = await clientToPlan(page);

    // from the client page to the (empty) plan, and make it
    await page.goto(`${bw.baseUrl}/clients/${clientId}`);
    await page.getByTestId('open-care-plan').click();
    await page.waitForURL(new RegExp(`/clients/${clientId}/hulpplan$`));
    await page.getByTestId('care-plan-empty').waitFor();
    await page.getByRole('button', { name: 'Hulpplan opstellen' }).click();
    await page.getByTestId('care-plan').waitFor();
    expect(await page.getByTestId('care-plan-status').innerText()).toBe('Lopend');

    // a goal without the person's words is refused field by field, then two goals in their own words
    await page.getByRole('button', { name: 'Doel toevoegen' }).click();
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.locator('#goal-description-error').waitFor();
    await page.getByLabel('In de eigen woorden van de persoon').fill('Ik wil terug rustig kunnen slapen');
    await page.getByLabel('Professionele omschrijving').fill('Slaapproblemen verminderen');
    await page.getByLabel('Levensdomein').selectOption('mental-health');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByTestId('care-plan-goal').first().waitFor();
    await page.getByRole('button', { name: 'Doel toevoegen' }).click();
    await page.getByLabel('In de eigen woorden van de persoon').fill('Ik wil mijn zus vaker zien');
    await page.getByLabel('Levensdomein').selectOption('social-contacts');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await expect.poll(() => page.getByTestId('care-plan-goal').count()).toBe(2);
    expect(await page.getByTestId('care-plan-goals').innerText()).toContain('“Ik wil terug rustig kunnen slapen”');

    // a support person joins the care team
    await page.getByRole('button', { name: 'Steunfiguur toevoegen' }).click();
    await page.getByLabel('Naam').fill('Els Peeters');
    await page.getByLabel('Relatie').fill('zus');
    await page.getByLabel('Hoe bereikbaar').fill('0470 12 34 56');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByTestId('care-plan-team').getByText('Els Peeters').waitFor();

    // an action for the person, one for the support person (the first already overdue)
    await page.getByRole('button', { name: 'Actie toevoegen' }).click();
    await page.getByLabel('Wat', { exact: true }).fill('Elke avond om 23 uur het scherm uit');
    await page.getByLabel('Bij doel').selectOption({ label: 'Ik wil terug rustig kunnen slapen' });
    await page.getByLabel('Wie', { exact: true }).selectOption({ label: 'De persoon zelf' });
    await page.getByLabel('Tegen').fill('01/01/2025');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByTestId('care-plan-action').first().waitFor();
    await page.getByRole('button', { name: 'Actie toevoegen' }).click();
    await page.getByLabel('Wat', { exact: true }).fill('Elke zondag samen gaan wandelen');
    await page.getByLabel('Bij doel').selectOption({ label: 'Ik wil mijn zus vaker zien' });
    await page.getByLabel('Wie', { exact: true }).selectOption({ label: 'Els Peeters (Steunfiguur)' });
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await expect.poll(() => page.getByTestId('care-plan-action').count()).toBe(2);
    const actions = page.getByTestId('care-plan-action');
    expect(await actions.nth(0).innerText()).toContain('De persoon zelf');
    expect(await actions.nth(0).innerText()).toContain('Te laat');
    expect(await actions.nth(1).innerText()).toContain('Els Peeters (Steunfiguur)');

    // evaluate with a step up: the help request's indication opens at the next level
    const plan = (await (await page.request.get(`${bw.baseUrl}/api/clients/${clientId}/care-plan`)).json()) as {
      careLevel: string | null;
    };
    const expected = LEVELS[LEVELS.indexOf(plan.careLevel ?? 'basic') + 1]!;
    await page.getByRole('button', { name: 'Evalueren' }).click();
    await page.getByLabel('Vooruitgang: Ik wil terug rustig kunnen slapen').fill('3');
    await page.getByLabel('Vooruitgang: Ik wil mijn zus vaker zien').fill('6');
    await page.getByLabel('Verslag').fill('Slaapt nog steeds slecht; meer gespecialiseerde hulp nodig.');
    await page.getByLabel('Opschalen').check();
    await page.getByLabel('Reden').fill('Klachten nemen toe ondanks de afspraken.');
    await page.getByRole('button', { name: 'Evaluatie opslaan' }).click();
    await page.waitForURL(/\/help-requests\/[0-9a-f-]{36}\?level=/);
    expect(new URL(page.url()).searchParams.get('level')).toBe(expected);
    await page.getByTestId('care-plan-step').waitFor();
    expect(await page.locator('#indication-level').inputValue()).toBe(expected);
    const levelLabel = await page.locator('#indication-level option:checked').innerText();
    expect(await page.getByTestId('care-plan-step').innerText()).toContain(levelLabel);
    // saving the indication takes the matching to the new level
    await page.getByRole('button', { name: 'Indicatie opslaan' }).click();
    await expect.poll(() => page.getByTestId('needed-level').innerText()).toContain(levelLabel);

    // the plan keeps the evaluation and the revision with the new level
    await page.goto(`${bw.baseUrl}/clients/${clientId}/hulpplan`);
    await page.getByTestId('care-plan-evaluation').waitFor();
    expect(await page.getByTestId('care-plan-evaluations').innerText()).toContain('Opschalen');
    expect(await page.getByTestId('care-plan-level').innerText()).toBe(levelLabel);
    await context.close();
  });
});
