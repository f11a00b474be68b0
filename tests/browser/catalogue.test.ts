import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserWorld } from '../support/browser.ts';

const INTERNAL_NOTE = 'Interne afspraak: enkel na overleg met de teamverantwoordelijke';

const bw = useBrowserWorld(async (world) => {
  // an internal field with a recognisable value, to prove the public catalogue never shows it
  await world.owner
    .updateTable('offers')
    .set({ internal_note: INTERNAL_NOTE, who_may_refer: 'Alleen de huisarts' })
    .where('name', '=', 'Rouwbegeleiding')
    .execute();
});

const { signIn } = bw;

/** The facet count shown next to one value of a filter group (the count sits outside the label). */
async function facet(page: Page, testId: string): Promise<number> {
  return Number(await page.getByTestId(testId).innerText());
}

async function offerRow(name: string) {
  return bw.world.owner
    .selectFrom('offers')
    .select(['id', 'capacity', 'wait_days', 'capacity_updated_at'])
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
}

describe('the catalogue in the browser', () => {
  it('a coordinator searches, filters with facet counts, and updates the capacity of an own offer', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'coordinator@caw.demo.example');
    await page
      .getByRole('navigation', { name: 'Hoofdnavigatie' })
      .getByRole('link', { name: 'Aanbod', exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Aanbod' }).waitFor();

    await page.getByLabel('Zoeken in aanbod').fill('rouw');
    await page.waitForURL(/[?&]q=rouw/);
    await page.getByRole('link', { name: 'Rouwbegeleiding' }).waitFor();
    const zeroLine = 'facet-offer-f-level-zero-line';
    const basic = 'facet-offer-f-level-basic';
    await expect.poll(() => facet(page, basic)).toBeGreaterThan(0);
    const before = {
      zeroLine: await facet(page, zeroLine),
      basic: await facet(page, basic),
      total: await page.getByTestId('offer-count').innerText(),
    };

    // a theme filter narrows the results; the counts of the other facets follow
    const theme = page.getByRole('checkbox', { name: 'Rouw en verlies', exact: true });
    expect(await facet(page, 'facet-offer-f-theme-grief-loss')).toBeGreaterThan(0);
    await theme.check();
    await page.waitForURL(/theme=grief-loss/);
    await expect
      .poll(async () => [await facet(page, zeroLine), await facet(page, basic)])
      .not.toEqual([before.zeroLine, before.basic]);
    expect(await page.getByTestId('offer-count').innerText()).not.toBe(before.total);
    expect(page.url()).toMatch(/q=rouw/);
    // every result carries the theme
    const cards = page.locator('.offer-card');
    const count = await cards.count();
    for (let i = 0; i < count; i++) await expect(cards.nth(i).getByText('Rouw en verlies').count()).resolves.toBe(1);

    // the filter lives in the address: "back" removes it, "forward" brings it back
    await page.goBack();
    await expect.poll(() => theme.isChecked()).toBe(false);
    expect(page.url()).not.toMatch(/theme=/);
    await page.goForward();
    await expect.poll(() => theme.isChecked()).toBe(true);

    // an offer of the coordinator's own organisation: the quick capacity update is right on the page
    await page.getByRole('link', { name: 'Rouwbegeleiding' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rouwbegeleiding' }).waitFor();
    await page.getByRole('link', { name: 'Bewerken' }).waitFor();
    const quick = page.locator('section', { has: page.getByRole('heading', { name: 'Capaciteit doorgeven' }) });
    await quick.getByLabel('Capaciteit', { exact: true }).selectOption({ label: 'Wachtlijst' });
    await quick.getByLabel('Wachttijd (dagen)').fill('30');
    const startedAt = Date.now();
    await page.getByRole('button', { name: 'Capaciteit bijwerken' }).click();
    await page.getByRole('status').getByText('Capaciteit bijgewerkt.').waitFor();
    await page.getByTestId('offer-fields').getByText('Wachtlijst · 30 dagen wachttijd').waitFor();

    const saved = await offerRow('Rouwbegeleiding');
    expect(saved.capacity).toBe('waitlist');
    expect(saved.wait_days).toBe(30);
    expect(new Date(saved.capacity_updated_at).getTime()).toBeGreaterThan(startedAt - 60_000);
    const audit = await bw.world.owner
      .selectFrom('audit_log')
      .select(['action', 'role'])
      .where('entity_id', '=', saved.id)
      .where('action', '=', 'offer.capacity')
      .execute();
    expect(audit.map((a) => a.role)).toEqual(['coordinator']);

    // the page shows internal fields to the signed-in network
    await page.getByTestId('offer-internal').getByText(INTERNAL_NOTE).waitFor();

    // "Bevestigen: ongewijzigd" renews the confirmation of a stale offer without changing it
    const stale = await offerRow('Schuldhulp en budgetbegeleiding');
    await page.goto(`${bw.baseUrl}/offers/${stale.id}`);
    await page.getByRole('heading', { level: 1, name: 'Schuldhulp en budgetbegeleiding' }).waitFor();
    await page.getByTestId('offer-fields').getByTestId('stale-marker').waitFor();
    await page.getByRole('button', { name: 'Bevestigen: ongewijzigd' }).click();
    await page.getByRole('status').getByText('Capaciteit bevestigd als ongewijzigd.').waitFor();
    const confirmed = await offerRow('Schuldhulp en budgetbegeleiding');
    expect([confirmed.capacity, confirmed.wait_days]).toEqual([stale.capacity, stale.wait_days]);
    expect(new Date(confirmed.capacity_updated_at).getTime()).toBeGreaterThan(
      new Date(stale.capacity_updated_at).getTime(),
    );
    expect(await page.getByTestId('offer-fields').getByTestId('stale-marker').count()).toBe(0);

    // another organisation's offer: readable, but no capacity update and no edit
    const other = await offerRow('Mobiel crisisteam');
    await page.goto(`${bw.baseUrl}/offers/${other.id}`);
    await page.getByRole('heading', { level: 1, name: 'Mobiel crisisteam' }).waitFor();
    expect(await page.getByRole('button', { name: 'Capaciteit bijwerken' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Bewerken' }).count()).toBe(0);
    await page.close();
  });

  it('an anonymous visitor uses the public catalogue and never sees an internal field', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    const bodies: string[] = [];
    page.on('response', async (response) => {
      if (new URL(response.url()).pathname.startsWith('/api/public/offers'))
        bodies.push(await response.text().catch(() => ''));
    });
    await page.goto(`${bw.baseUrl}/`);
    await page.getByRole('link', { name: 'Bekijk het aanbod zonder aan te melden' }).click();
    await page.waitForURL(/\/aanbod$/);
    await page.getByRole('heading', { level: 1, name: 'Aanbod' }).waitFor();
    expect(await page.getByRole('button', { name: 'Afmelden' }).count()).toBe(0);

    await page.getByLabel('Zoeken in aanbod').fill('rouw');
    await page.waitForURL(/[?&]q=rouw/);
    await page.getByRole('link', { name: 'Rouwbegeleiding' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rouwbegeleiding' }).waitFor();
    await page.getByTestId('offer-fields').getByText('CAW Oost-Brabant (demo)').waitFor();

    // none of the internal fields, neither on the page nor in what the browser received
    for (const text of [
      INTERNAL_NOTE,
      'Alleen de huisarts',
      'Interne gegevens',
      'Interne notitie',
      'Wie mag verwijzen',
    ]) {
      expect(await page.getByText(text).count()).toBe(0);
    }
    expect(await page.getByRole('button', { name: 'Capaciteit bijwerken' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Bewerken' }).count()).toBe(0);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) {
      expect(body).not.toContain(INTERNAL_NOTE);
      for (const field of ['internalNote', 'whoMayRefer', 'isPublic', 'siteIds', 'mayEdit'])
        expect(body).not.toContain(`"${field}"`);
    }

    // the way back keeps the search; a deep link to the detail works without a session too
    await page.getByRole('link', { name: 'Terug naar aanbod' }).click();
    await page.waitForURL(/\/aanbod\?q=rouw/);
    expect(await page.getByLabel('Zoeken in aanbod').inputValue()).toBe('rouw');
    const { id } = await offerRow('Rouwbegeleiding');
    await page.goto(`${bw.baseUrl}/aanbod/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Rouwbegeleiding' }).waitFor();
    // everything else still asks for the login
    await page.goto(`${bw.baseUrl}/offers/${id}`);
    await page.getByRole('button', { name: 'Aanmelden' }).waitFor();
    expect(await page.getByText(INTERNAL_NOTE).count()).toBe(0);
    await page.close();
  });

  it('a network coordinator sees the stale capacity overview, oldest first', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'netwerk@demo.example');
    await page
      .getByRole('navigation', { name: 'Hoofdnavigatie' })
      .getByRole('link', { name: 'Verouderde capaciteit' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Verouderde capaciteit' }).waitFor();
    const table = page.getByTestId('stale-offers');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(1);
    // the demo's oldest unconfirmed capacity (90 days) leads; the ones confirmed above are gone
    await expect(rows.first().getByRole('link').innerText()).resolves.toBe('Herdenkingsbijeenkomst');
    await expect(rows.first().getByText('Uitvaartzorg Van Dormael (demo)').count()).resolves.toBe(1);
    expect(await table.getByRole('link', { name: 'Schuldhulp en budgetbegeleiding' }).count()).toBe(0);
    const days = (await rows.locator('td:last-child').allInnerTexts()).map(Number);
    expect(days.every((d) => d >= 14)).toBe(true);
    expect([...days].sort((a, b) => b - a)).toEqual(days);
    await page.close();
  });
});
