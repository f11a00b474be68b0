import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserWorld } from '../support/browser.ts';

const NEW_OFFER = 'Crisisopvang voor jongeren';
const OUTSIDE = 'Onthaal Brussel-Centrum (buiten de zone)';
const PASSING_THEME = { id: 'test-pilot-theme', label: 'Proefthema' };

const bw = useBrowserWorld(async (world) => {
  // a theme of the taxonomy that the network will withdraw while the coordinator is editing
  await world.owner
    .insertInto('taxonomy_terms')
    .values({
      id: PASSING_THEME.id,
      taxonomy: 'theme',
      label_nl: PASSING_THEME.label,
      label_en: 'Pilot theme',
      sort_order: 999,
    })
    .execute();
  // an offer of the network whose service area lies outside the network's zone (Brussels)
  const caw = await world.owner
    .selectFrom('organizations')
    .select(['id', 'network_id'])
    .where('name', '=', 'CAW Oost-Brabant (demo)')
    .executeTakeFirstOrThrow();
  await world.owner
    .insertInto('offers')
    .values({
      organization_id: caw.id,
      network_id: caw.network_id,
      name: OUTSIDE,
      description: 'Onthaal zonder afspraak in Brussel.',
      level: 'basic',
      themes: ['housing'],
      modalities: ['face-to-face'],
      municipalities: ['21004'],
      capacity: 'open',
      wait_days: 0,
    })
    .execute();
});

const { signIn } = bw;
const offerCount = async (name: string) =>
  Number(
    (
      await bw.world.owner
        .selectFrom('offers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
    ).n,
  );
const resultCount = async (page: Page) =>
  Number((await page.getByTestId('offer-count').innerText()).replace(/\D/g, ''));

describe('the offer editor in the browser', () => {
  it('a coordinator sees the field errors next to the fields, fixes them, saves, and finds the offer in the search', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'coordinator@caw.demo.example');
    await page
      .getByRole('navigation', { name: 'Hoofdnavigatie' })
      .getByRole('link', { name: 'Aanbod', exact: true })
      .click();
    await page.getByRole('link', { name: 'Nieuw aanbod' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nieuw aanbod' }).waitFor();

    await page.getByLabel('Naam', { exact: true }).fill(NEW_OFFER);
    await page.getByLabel('Beschrijving').fill('Snelle opvang en begeleiding voor jongeren in crisis.');
    await page.getByLabel('Niveau', { exact: true }).selectOption({ label: 'Crisis' });
    await page.getByRole('button', { name: 'Hele zone toevoegen (Eerstelijnszone Leuven)' }).click();
    // an age range upside down and no theme
    const minAge = page.getByLabel('Minimumleeftijd');
    await minAge.fill('25');
    await page.getByLabel('Maximumleeftijd').fill('12');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page
      .locator('#offer-new-min-age-error')
      .getByText('De minimumleeftijd ligt boven de maximumleeftijd.')
      .waitFor();
    expect(await minAge.getAttribute('aria-invalid')).toBe('true');
    expect(await minAge.getAttribute('aria-describedby')).toContain('offer-new-min-age-error');
    expect(await offerCount(NEW_OFFER)).toBe(0);

    // the ages the right way round; the chosen theme is withdrawn from the taxonomy before the form is sent
    await minAge.fill('12');
    await page.getByLabel('Maximumleeftijd').fill('25');
    await page.getByRole('checkbox', { name: PASSING_THEME.label }).check();
    await bw.world.owner.deleteFrom('taxonomy_terms').where('id', '=', PASSING_THEME.id).execute();
    await page.getByRole('button', { name: 'Opslaan' }).click();
    // the server's field error, next to the themes, naming the theme
    const themes = page.locator('#offer-new-themes');
    await page
      .locator('#offer-new-themes-error')
      .getByText(`${PASSING_THEME.label}: Dit thema bestaat niet.`)
      .waitFor();
    expect(await themes.getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('alert').getByText('Thema’s: Dit thema bestaat niet.').waitFor();
    expect(await minAge.getAttribute('aria-invalid')).toBeNull();
    expect(await offerCount(NEW_OFFER)).toBe(0);

    // fixed: another theme, saved, and the offer is found
    await page.getByRole('checkbox', { name: PASSING_THEME.label }).uncheck();
    await page.getByRole('checkbox', { name: 'Suïcidale gedachten' }).check();
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByRole('heading', { level: 1, name: NEW_OFFER }).waitFor();
    await page.getByRole('status').getByText('Aanbod aangemaakt.').waitFor();
    expect(await offerCount(NEW_OFFER)).toBe(1);

    await page.goto(`${bw.baseUrl}/offers`);
    await page.getByLabel('Zoeken in aanbod').fill('crisisopvang jongeren');
    await page.waitForURL(/[?&]q=crisisopvang/);
    await page.locator('.offer-card').getByRole('link', { name: NEW_OFFER }).waitFor();
    await page.close();
  });

  it('an age range that someone else turned upside down meanwhile gets the server’s error at the field, then saves', async () => {
    const jac = await bw.world.owner
      .selectFrom('offers')
      .select(['id', 'min_age', 'max_age'])
      .where('name', '=', 'JAC: jongeren 12 tot 25')
      .executeTakeFirstOrThrow();
    expect([jac.min_age, jac.max_age]).toEqual([12, 25]);
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'coordinator@caw.demo.example');
    await page.goto(`${bw.baseUrl}/offers/${jac.id}/edit`);
    await page.getByRole('heading', { level: 1, name: 'Aanbod bewerken' }).waitFor();
    const minAge = page.getByLabel('Minimumleeftijd');
    const maxAge = page.getByLabel('Maximumleeftijd');
    await expect.poll(() => minAge.inputValue()).toBe('12');
    // a colleague raises the minimum age while this form is open
    await bw.world.owner.updateTable('offers').set({ min_age: 20 }).where('id', '=', jac.id).execute();
    await maxAge.fill('18');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page
      .locator('#offer-edit-min-age-error')
      .getByText('De minimumleeftijd ligt boven de maximumleeftijd.')
      .waitFor();
    expect(await minAge.getAttribute('aria-invalid')).toBe('true');
    expect(
      (await bw.world.owner.selectFrom('offers').select('max_age').where('id', '=', jac.id).executeTakeFirstOrThrow())
        .max_age,
    ).toBe(25);

    await minAge.fill('16');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByRole('status').getByText('Wijzigingen opgeslagen.').waitFor();
    const saved = await bw.world.owner
      .selectFrom('offers')
      .select(['min_age', 'max_age'])
      .where('id', '=', jac.id)
      .executeTakeFirstOrThrow();
    expect([saved.min_age, saved.max_age]).toEqual([16, 18]);
    await page.close();
  });

  it('the zone filter narrows the results to the zone and survives a reload', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'hulpverlener@cgg.demo.example');
    await page.goto(`${bw.baseUrl}/offers?q=onthaal`);
    const outside = page.locator('.offer-card').getByRole('link', { name: OUTSIDE });
    await outside.waitFor();
    const before = await resultCount(page);

    const zone = page.getByLabel('Eerstelijnszone');
    await zone.selectOption({ label: 'Eerstelijnszone Leuven' });
    await page.waitForURL(/[?&]zone=[0-9a-f-]{36}/);
    await expect.poll(() => resultCount(page)).toBe(before - 1);
    expect(await outside.count()).toBe(0);
    await page.locator('.offer-card').getByRole('link', { name: 'Onthaal CAW: vrij binnenlopen' }).waitFor();
    expect(page.url()).toMatch(/q=onthaal/);

    await page.reload();
    await page.locator('.offer-card').getByRole('link', { name: 'Onthaal CAW: vrij binnenlopen' }).waitFor();
    await expect
      .poll(async () => (await zone.locator('option:checked').innerText()).trim())
      .toBe('Eerstelijnszone Leuven');
    expect(await resultCount(page)).toBe(before - 1);
    expect(await outside.count()).toBe(0);

    // "back" removes the filter again
    await page.goBack();
    await outside.waitFor();
    expect(await zone.inputValue()).toBe('');
    await page.close();
  });
});
