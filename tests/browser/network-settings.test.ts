import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserWorld } from '../support/browser.ts';

const bw = useBrowserWorld();

const { signIn } = bw;
const nav = (page: Page) => page.getByRole('navigation', { name: 'Hoofdnavigatie' });
const demoNetwork = () =>
  bw.world.owner
    .selectFrom('networks')
    .select(['referral_targets', 'intake_settings'])
    .where('is_demo', '=', true)
    .executeTakeFirstOrThrow();

describe('network settings in the browser', () => {
  it("the network admin sees the server's message per field, then saves new targets and thresholds", async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'admin@demo.example');
    await nav(page).getByRole('link', { name: 'Netwerkinstellingen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Netwerkinstellingen' }).waitFor();

    const acute = page.getByLabel('Acuut: antwoord binnen (uren)');
    const routine = page.getByLabel('Routine: antwoord binnen (werkdagen)');
    const phq9 = page.getByLabel('PHQ-9 vanaf score');
    expect(await acute.inputValue()).toBe('4');
    expect(await routine.inputValue()).toBe('5');
    expect(await phq9.inputValue()).toBe('20');
    await page.getByText('Standaard 20; van 1 tot en met 27 (score).').waitFor();

    // out of range: the server refuses, each field shows its message, nothing is stored
    await acute.fill('0');
    await phq9.fill('30');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.locator('#ns-acuteHours-error').getByText('Geef een geheel getal van 1 tot en met 72 (uren).').waitFor();
    await page
      .locator('#ns-phq9Specialised-error')
      .getByText('Geef een geheel getal van 1 tot en met 27 (score).')
      .waitFor();
    expect(await acute.getAttribute('aria-invalid')).toBe('true');
    expect(await routine.getAttribute('aria-invalid')).toBeNull();
    await page
      .getByRole('alert')
      .getByText('Acuut: antwoord binnen (uren): Geef een geheel getal van 1 tot en met 72 (uren).')
      .waitFor();
    expect(await demoNetwork()).toMatchObject({
      referral_targets: { acuteHours: 4 },
      intake_settings: { phq9Specialised: 20 },
    });

    // not a whole number: said here, before asking the server
    await routine.fill('2.5');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.locator('#ns-routineWorkingDays-error').getByText('Geef een geheel getal.').waitFor();

    await acute.fill('6');
    await routine.fill('3');
    await phq9.fill('18');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByRole('status').getByText('Netwerkinstellingen opgeslagen.').waitFor();
    expect(await acute.getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await demoNetwork()).toEqual({
      referral_targets: { acuteHours: 6, urgentWorkingDays: 2, routineWorkingDays: 3, firstContactWorkingDays: 10 },
      intake_settings: { phq9Specialised: 18, k10Specialised: 30, gad7Specialised: 15 },
    });

    // after a reload the page shows what is stored
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Netwerkinstellingen' }).waitFor();
    await expect.poll(() => page.getByLabel('Routine: antwoord binnen (werkdagen)').inputValue()).toBe('3');
    expect(await page.getByLabel('PHQ-9 vanaf score').inputValue()).toBe('18');

    // the defaults can be filled in again (and are saved only on "Opslaan")
    await page.getByRole('button', { name: 'Standaardwaarden invullen' }).click();
    expect(await page.getByLabel('Routine: antwoord binnen (werkdagen)').inputValue()).toBe('5');
    expect((await demoNetwork()).referral_targets).toMatchObject({ routineWorkingDays: 3 });
    await page.close();
  });

  it('the network coordinator has no menu item and is refused the page', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'netwerk@demo.example');
    await nav(page).getByRole('link', { name: 'Organisaties' }).waitFor();
    expect(await nav(page).getByRole('link', { name: 'Netwerkinstellingen' }).count()).toBe(0);
    await page.goto(`${bw.baseUrl}/network-settings`);
    await page.getByRole('heading', { level: 1, name: 'Je hebt geen toegang tot deze gegevens.' }).waitFor();
    expect(await page.getByLabel('Acuut: antwoord binnen (uren)').count()).toBe(0);
    await page.close();
  });
});
