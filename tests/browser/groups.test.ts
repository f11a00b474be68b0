import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserWorld } from '../support/browser.ts';

const bw = useBrowserWorld();

/** The number a figure of the quarter shows ("Groepssessies gehouden 3" → 3). */
const figure = async (page: Page, key: string) =>
  Number((await page.getByTestId(`figure-${key}`).locator('dd').innerText()).trim());

const nav = (page: Page) => page.getByRole('navigation', { name: 'Hoofdnavigatie' });

/** Today as the date field takes it (dd/mm/jjjj), in the browser's time zone like the form. */
function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`;
}

describe('group work in the browser', () => {
  it('a caregiver plans a group, adds a session, records a headcount by keyboard and sees it counted', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await bw.signIn(page, 'hulpverlener@caw.demo.example');
    await nav(page).getByRole('link', { name: 'Groepswerking' }).click();
    await page.getByRole('heading', { level: 1, name: 'Groepswerking' }).waitFor();
    await page.getByTestId('group-figures').waitFor();
    const sessionsBefore = await figure(page, 'groupSessions');
    const participantsBefore = await figure(page, 'groupParticipants');

    // plan a group: keyboard only
    await page.getByLabel('Titel').fill('Klasgesprek over verlies, 3B');
    await page.getByLabel('Doelpubliek').selectOption({ label: 'School' });
    await page.getByLabel('Thema').selectOption({ label: 'Rouw en verlies' });
    await page.getByLabel('Locatie').fill('Sint-Jozefscollege, lokaal 12');
    await page.getByLabel('Maximum aantal deelnemers').focus();
    await page.keyboard.type('25');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Klasgesprek over verlies, 3B' }).waitFor();
    await page.getByRole('status').getByText('De groep is gepland.').waitFor();
    await page.getByTestId('sessions-empty').waitFor();

    // a session today
    await page.getByLabel('Datum').fill(today());
    await page.getByLabel('Uur', { exact: true }).fill('00:05');
    await page.getByLabel('Duur (minuten)').fill('50');
    await page.getByRole('button', { name: 'Bijeenkomst toevoegen' }).click();
    await page.getByRole('status').getByText('De bijeenkomst is toegevoegd.').waitFor();
    const row = page.getByTestId('sessions-table').locator('tbody tr').first();
    expect(await row.getByTestId('session-count').innerText()).toBe('Nog niet genoteerd');

    // the quick headcount: type the number, Enter
    await row.getByLabel(/^Aantal aanwezigen op /).focus();
    await page.keyboard.type('23');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Aanwezigheid bewaard: 23 geteld.').waitFor();
    await expect.poll(() => row.getByTestId('session-count').innerText()).toBe('23');

    // stored as typed
    const groupId = page.url().split('/').pop()!;
    const stored = await bw.world.owner
      .selectFrom('group_sessions')
      .select(['headcount', 'minutes', 'status'])
      .where('group_id', '=', groupId)
      .execute();
    expect(stored).toEqual([{ headcount: 23, minutes: 50, status: 'planned' }]);

    // counted in the figures of the quarter
    await nav(page).getByRole('link', { name: 'Groepswerking' }).click();
    await page.getByRole('link', { name: 'Klasgesprek over verlies, 3B' }).waitFor();
    await expect.poll(() => figure(page, 'groupSessions')).toBe(sessionsBefore + 1);
    expect(await figure(page, 'groupParticipants')).toBe(participantsBefore + 23);
    await page.close();
  });
});
