/**
 * Search as people type, in the browser: a query that points at crisis puts the crisis lines on top of the
 * catalogue (signed in and on the public /aanbod); a typo shows close matches and "Bedoelde je …?" as a link that
 * searches again; a word nowhere shows the empty state with tips and themes. And the network admin adds a synonym
 * group on the settings screen, which the catalogue search uses at once, and removes it after confirming.
 */
import { describe, expect, it } from 'vitest';
import { useBrowserWorld } from '../support/browser.ts';

const bw = useBrowserWorld();

describe('catalogue search in the browser', () => {
  it('crisis lines on top, "Bedoelde je …?" as a link, an empty state that helps', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await bw.signIn(page, 'onthaal@caw.demo.example');
    await page.goto(`${bw.baseUrl}/offers`);
    await page.getByRole('heading', { level: 1, name: 'Aanbod' }).waitFor();

    await page.getByLabel('Zoeken in aanbod').fill('zelfmoord');
    await page.waitForURL(/[?&]q=zelfmoord/);
    const crisis = page.getByTestId('catalogue-crisis');
    await crisis.waitFor();
    await crisis.getByRole('heading', { name: 'Meteen iemand spreken?' }).waitFor();
    expect(await crisis.getByRole('link', { name: /Zelfmoordlijn: 1813/ }).getAttribute('href')).toBe('tel:1813');
    expect(await crisis.getByRole('link', { name: /Noodnummer: 112/ }).getAttribute('href')).toBe('tel:112');
    // the box comes before the results, and the synonyms find the helpline and the mobile crisis team
    await page.getByRole('link', { name: 'Mobiel crisisteam' }).waitFor();
    await page.getByRole('link', { name: 'Luisterlijn: dag en nacht' }).waitFor();
    const boxTop = (await crisis.boundingBox())!.y;
    const firstResultTop = (await page.locator('.offer-card').first().boundingBox())!.y;
    expect(boxTop).toBeLessThan(firstResultTop);

    // a typo: close matches and the suggestion as a link
    await page.getByLabel('Zoeken in aanbod').fill('depresie');
    await page.waitForURL(/[?&]q=depresie/);
    const suggestion = page.getByTestId('offers-suggestion');
    await suggestion.waitFor();
    expect(await suggestion.innerText()).toMatch(/Bedoelde je\s+depressie\s*\?/);
    await page.getByTestId('offers-approximate').waitFor();
    expect(await page.getByTestId('catalogue-crisis').count()).toBe(0);
    await suggestion.getByRole('link', { name: 'depressie' }).click();
    await page.waitForURL(/[?&]q=depressie/);
    await expect.poll(() => page.getByLabel('Zoeken in aanbod').inputValue()).toBe('depressie');
    await page.getByRole('link', { name: 'Gespecialiseerde ambulante behandeling volwassenen' }).waitFor();
    await expect.poll(() => page.getByTestId('offers-suggestion').count()).toBe(0);

    // nothing anywhere: the empty state says what to try and offers the themes
    await page.getByLabel('Zoeken in aanbod').fill('xqzwv');
    await page.waitForURL(/[?&]q=xqzwv/);
    const empty = page.getByTestId('offers-empty');
    await empty.waitFor();
    expect(await empty.innerText()).toContain('Geen aanbod gevonden voor “xqzwv”.');
    await empty.getByRole('link', { name: 'Eenzaamheid' }).click();
    await page.waitForURL(/[?&]theme=loneliness/);
    await page.getByRole('link', { name: 'Lotgenotengroep eenzaamheid' }).waitFor();
    await page.close();
  });

  it('the public catalogue shows the crisis lines too, without signing in', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await page.goto(`${bw.baseUrl}/aanbod?q=su%C3%AFcide`);
    const crisis = page.getByTestId('catalogue-crisis');
    await crisis.waitFor();
    expect(await crisis.getByRole('link', { name: /Tele-Onthaal: 106/ }).getAttribute('href')).toBe('tel:106');
    await page.close();
  });

  it('the network admin adds a synonym group, the search uses it, and removes it after confirming', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await bw.signIn(page, 'admin@demo.example');
    await page.goto(`${bw.baseUrl}/network-settings`);
    await page.getByRole('link', { name: 'Synoniemen voor het zoeken in aanbod beheren' }).click();
    await page.getByRole('heading', { level: 1, name: 'Synoniemen voor het zoeken in aanbod' }).waitFor();
    // the demo network's own group is there already
    await page
      .getByTestId('synonyms-own')
      .getByText('lotgenoten · praatgroep · zelfhulpgroep · gespreksgroep')
      .waitFor();

    // one word is not a group: a Dutch message at the field, focus on it
    await page.getByLabel('Woorden').fill('kwebbelkamer');
    await page.getByRole('button', { name: 'Toevoegen' }).click();
    await page.getByText('Geef minstens twee woorden, gescheiden door komma’s.').first().waitFor();

    await page.getByLabel('Woorden').fill('kwebbelkamer, Ontmoetingscentrum');
    await page.getByRole('button', { name: 'Toevoegen' }).click();
    await page.getByRole('status').getByText('De groep is toegevoegd.', { exact: false }).waitFor();
    await page.getByTestId('synonyms-own').getByText('kwebbelkamer · ontmoetingscentrum').waitFor();

    // the network admin reads the catalogue too: the new word finds the meeting centre
    const search = await bw.browser.newPage({ locale: 'nl-BE' });
    await bw.signIn(search, 'onthaal@caw.demo.example');
    await search.goto(`${bw.baseUrl}/offers?q=kwebbelkamer`);
    await search.getByRole('link', { name: 'Ontmoetingscentrum De Buurt' }).waitFor();
    await search.close();

    await page.getByRole('button', { name: 'Groep kwebbelkamer, ontmoetingscentrum verwijderen' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Groep verwijderen?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Verwijderen' }).click();
    await page.getByRole('status').getByText('De groep is verwijderd.').waitFor();
    await expect
      .poll(() =>
        page
          .getByTestId('synonyms-own')
          .getByText(/kwebbelkamer/)
          .count(),
      )
      .toBe(0);
    await page.close();
  });
});
