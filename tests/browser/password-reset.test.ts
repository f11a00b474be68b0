import { describe, expect, it } from 'vitest';
import { useBrowserWorld } from '../support/browser.ts';
import { passwordResetsSettled } from '../../src/server/features/auth/index.ts';

const bw = useBrowserWorld();
const EMAIL = 'hulpverlener@cgg.demo.example';
const NEW_PASSWORD = 'een lange nieuwe zin';

const focusedId = (page: import('playwright-core').Page) => page.evaluate(() => document.activeElement?.id ?? null);

/** The token of the newest reset e-mail to the address (without SMTP the outbox row is the only copy). */
async function tokenInOutbox(email: string) {
  await passwordResetsSettled();
  const mail = await bw.world.owner
    .selectFrom('email_outbox')
    .select('body')
    .where('to_address', '=', email)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  return /token=([A-Za-z0-9_-]+)/.exec(mail.body)![1]!;
}

describe('a forgotten password in the browser', () => {
  it('from the login page to a link, a new password and signing in with it', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await page.goto(`${bw.baseUrl}/`);
    await page.getByLabel('E-mailadres').fill(EMAIL);
    await page.getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Wachtwoord vergeten' }).waitFor();
    // what was typed on the login page comes along
    expect(await page.getByLabel('E-mailadres').inputValue()).toBe(EMAIL);
    await page.getByLabel('E-mailadres').fill('');
    await page.getByRole('button', { name: 'Stuur me een link' }).click();
    await page.getByText('Vul dit veld in.').waitFor();
    expect(await focusedId(page)).toBe('forgot-email');
    await page.getByLabel('E-mailadres').fill(EMAIL);
    await page.getByRole('button', { name: 'Stuur me een link' }).click();
    const sent = page.getByRole('status').filter({ hasText: 'Als er een actief account bestaat voor' });
    await sent.waitFor();
    expect(await sent.textContent()).toContain(EMAIL);

    const token = await tokenInOutbox(EMAIL);
    await page.goto(`${bw.baseUrl}/wachtwoord-herstellen?token=${token}`);
    await page.getByRole('heading', { level: 1, name: 'Nieuw wachtwoord kiezen' }).waitFor();
    // the token leaves the address bar at once
    await page.waitForURL((url) => !url.search.includes('token'));
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('te kort');
    await page.getByLabel('Herhaal het nieuwe wachtwoord').fill('te kort');
    await page.getByRole('button', { name: 'Nieuw wachtwoord opslaan' }).click();
    await page.getByText('Het nieuwe wachtwoord moet minstens 12 tekens lang zijn.').waitFor();
    await expect.poll(() => focusedId(page), { timeout: 15_000 }).toBe('reset-new');
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Herhaal het nieuwe wachtwoord').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Nieuw wachtwoord opslaan' }).click();
    await page.getByRole('status').filter({ hasText: 'Je wachtwoord is gewijzigd' }).waitFor();

    await page.getByRole('link', { name: 'Naar aanmelden' }).click();
    await page.getByLabel('E-mailadres').fill(EMAIL);
    await page.getByLabel('Wachtwoord').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.getByRole('button', { name: 'Afmelden' }).waitFor();
    await page.close();

    // the same link a second time: refused, with the way to a new one
    const again = await bw.browser.newPage({ locale: 'nl-BE' });
    await again.goto(`${bw.baseUrl}/wachtwoord-herstellen?token=${token}`);
    await again.getByLabel('Nieuw wachtwoord', { exact: true }).fill('nog een lange nieuwe zin');
    await again.getByLabel('Herhaal het nieuwe wachtwoord').fill('nog een lange nieuwe zin');
    await again.getByRole('button', { name: 'Nieuw wachtwoord opslaan' }).click();
    await again.getByText('Deze herstellink is ongeldig, al gebruikt of verlopen.', { exact: false }).waitFor();
    await expect.poll(() => focusedId(again), { timeout: 15_000 }).toBe('reset-request-new');
    await again.close();
  });

  it('in English', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await page.goto(`${bw.baseUrl}/wachtwoord-vergeten`);
    await page.getByRole('heading', { level: 1, name: 'Wachtwoord vergeten' }).waitFor();
    await page
      .getByRole('button', { name: /English|EN/ })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: 'Forgot your password' }).waitFor();
    await page.getByLabel('Email address').fill('nobody@demo.example');
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'If there is an active account for nobody@demo.example' })
      .waitFor();
    await page.close();
  });
});
