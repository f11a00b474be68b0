import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserWorld } from '../support/browser.ts';

const bw = useBrowserWorld();

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
const storedClient = (familyName: string) =>
  bw.world.owner
    .selectFrom('clients')
    .select(['birth_date', 'nis_code', 'phone'])
    .where('family_name', '=', familyName)
    .execute();

describe('forms that fit Belgian habits', () => {
  it('the municipality is typed and chosen from suggestions: a name, a French name, a NIS code; arrows, Enter, Escape', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await bw.signIn(page, 'onthaal@caw.demo.example');
    await page.goto(`${bw.baseUrl}/clients/new`);
    const field = page.getByRole('combobox', { name: 'Gemeente' });
    const list = page.getByRole('listbox', { name: 'Gemeente' });

    // opened without typing: the network's own municipalities come first, as a group of their own
    await field.focus();
    await page.keyboard.press('ArrowDown');
    await list.waitFor();
    expect(await field.getAttribute('aria-expanded')).toBe('true');
    const groups = list.getByRole('group');
    expect(await groups.first().getAttribute('aria-labelledby')).toBeTruthy();
    await list
      .getByRole('group', { name: 'In het netwerk' })
      .getByRole('option', { name: /^Leuven/ })
      .waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => list.isVisible()).toBe(false);
    expect(await field.getAttribute('aria-expanded')).toBe('false');

    // a French name, without accents or capitals: arrow down to the first suggestion, Enter takes it
    await field.fill('louvain');
    await list.getByRole('option', { name: /^Leuven/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    const active = await field.getAttribute('aria-activedescendant');
    expect(active).toBeTruthy();
    expect(await page.locator(`#${active}`).innerText()).toContain('Leuven');
    expect(await page.locator(`#${active}`).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await expect.poll(() => field.inputValue()).toBe('Leuven');
    expect(await list.isVisible()).toBe(false);
    expect(page.url()).toMatch(/\/clients\/new$/); // Enter chose; it did not send the form

    // a NIS code finds its municipality too; the second suggestion is one arrow further
    await field.fill('1100');
    await list.getByRole('option', { name: /^Antwerpen/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const second = await page.locator(`#${await field.getAttribute('aria-activedescendant')}`).innerText();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => field.inputValue())
      .toBe(
        second
          .split(' ·')[0]!
          .replace(/\s+\d{5}$/, '')
          .trim(),
      );
    await field.fill('11002');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => field.inputValue()).toBe('Antwerpen');

    // text that is no municipality says so, and leaving the field puts back the chosen one
    await field.fill('Amsterdam');
    await page.getByText('Geen gemeente gevonden voor "Amsterdam".').waitFor();
    await page.getByLabel('Voornaam').focus();
    await expect.poll(() => field.inputValue()).toBe('Antwerpen');

    await page.getByLabel('Voornaam').fill('Gemeente');
    await page.getByLabel('Familienaam').fill('Kiezer');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Gemeente Kiezer' }).waitFor();
    expect(await storedClient('Kiezer')).toEqual([{ birth_date: null, nis_code: '11002', phone: null }]);
    await page.close();
  });

  it('a date typed as 03/02/1980 in an English browser arrives as 1980-02-03; an impossible date is explained', async () => {
    const page = await bw.browser.newPage({ locale: 'en-US' });
    await bw.signIn(page, 'onthaal@caw.demo.example');
    expect(await page.evaluate(() => navigator.language)).toBe('en-US');
    await page.goto(`${bw.baseUrl}/clients/new`);
    await page.getByLabel('Voornaam').fill('Datum');
    await page.getByLabel('Familienaam').fill('Engels');
    const birthDate = page.getByLabel('Geboortedatum');
    expect(await birthDate.getAttribute('type')).toBe('text');
    expect(await birthDate.getAttribute('inputmode')).toBe('numeric');

    // 31 February: the field says why when it is left, and the form refuses it with the focus on the field
    await birthDate.fill('31/02/2024');
    await page.getByLabel('Telefoon').focus();
    await page.getByText('31/02/2024 bestaat niet: februari 2024 heeft 29 dagen.').waitFor();
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await expect.poll(() => focusedId(page)).toBe('client-new-birth-date');
    expect(await birthDate.getAttribute('aria-invalid')).toBe('true');
    expect(await storedClient('Engels')).toEqual([]);

    // 3/2/1980 is written out in full when the field is left, and stored as the third of February
    await birthDate.fill('3.2.1980');
    await page.getByLabel('Telefoon').focus();
    await expect.poll(() => birthDate.inputValue()).toBe('03/02/1980');
    await page.getByLabel('Telefoon').fill('0470 12 34 56');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Datum Engels' }).waitFor();
    expect(await storedClient('Engels')).toEqual([{ birth_date: '1980-02-03', nis_code: null, phone: '+32470123456' }]);
    // shown the Belgian way too: the date and the phone number
    await page.getByText('03/02/1980').first().waitFor();
    await page.getByRole('link', { name: '0470 12 34 56' }).waitFor();
    expect(await page.getByRole('link', { name: '0470 12 34 56' }).getAttribute('href')).toBe('tel:+32470123456');
    await page.close();
  });

  it('after a failed submit the focus goes to the first field in error, or to the message when no field is', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await bw.signIn(page, 'onthaal@caw.demo.example');
    await page.goto(`${bw.baseUrl}/clients/new`);
    const save = page.getByRole('button', { name: 'Opslaan' });

    // the form's own check: the first empty required field
    await save.click();
    await expect.poll(() => focusedId(page)).toBe('client-new-given');
    await page.getByRole('alert').getByText('Controleer de gemarkeerde velden.').waitFor();
    // again, with the same errors: the focus comes back from the button
    await save.focus();
    await save.click();
    await expect.poll(() => focusedId(page)).toBe('client-new-given');

    // the server's 400 with a field error: the phone number, with its Dutch message bound to the field
    await page.getByLabel('Voornaam').fill('Fout');
    await page.getByLabel('Familienaam').fill('Nummer');
    await page.getByLabel('Telefoon').fill('0470 12 34');
    await save.click();
    await expect.poll(() => focusedId(page)).toBe('client-new-phone');
    const phone = page.getByLabel('Telefoon');
    expect(await phone.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await phone.getAttribute('aria-describedby')) ?? '';
    expect(describedBy).toContain('client-new-phone-error');
    expect(await page.locator('#client-new-phone-error').innerText()).toContain('Geen geldig telefoonnummer');
    expect(await storedClient('Nummer')).toEqual([]);

    // an error of the whole form (here a conflict the server reports without a field): the message gets the focus
    await phone.fill('016 12 34 56');
    await page.route('**/api/clients', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 409,
            contentType: 'application/problem+json',
            body: JSON.stringify({ title: 'Dit botst met bestaande gegevens.', status: 409, detail: 'Dit botst.' }),
          })
        : route.continue(),
    );
    await save.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role') ?? '')).toBe('alert');
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Dit botst.');
    await page.unroute('**/api/clients');
    await page.close();
  });

  it('an offer adds its service area by typing in the same combobox, Enter adding each municipality', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await bw.signIn(page, 'coordinator@caw.demo.example');
    await page.goto(`${bw.baseUrl}/offers/new`);
    const add = page.getByRole('combobox', { name: 'Gemeente toevoegen' });
    await add.fill('bertem');
    await page.getByRole('option', { name: /^Bertem/ }).waitFor();
    await page.keyboard.press('Enter'); // the only suggestion: Enter takes it
    await page
      .getByRole('list', { name: /1 gemeente/ })
      .getByText('Bertem', { exact: true })
      .waitFor();
    await expect.poll(() => add.inputValue()).toBe('');
    await expect.poll(() => focusedId(page)).toBe(await add.getAttribute('id'));
    // a chosen municipality is not suggested again
    await add.fill('bertem');
    await page.getByText('Geen gemeente gevonden voor "bertem".').waitFor();
    await page.close();
  });
});
