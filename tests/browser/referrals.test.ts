import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserWorld } from '../support/browser.ts';
import { login } from '../support/world.ts';
import { DEMO_PASSWORD } from '../../src/server/demo/seed.ts';

const CGG_OFFER = 'Gespecialiseerde ambulante behandeling volwassenen';
let referralId = '';
let lateReferralId = '';

const bw = useBrowserWorld(async (world) => {
  // the referral of the intake test (tests/browser/intake.test.ts), made here through the API: this file has its own world
  const caw = await login(world, 'onthaal@caw.demo.example', DEMO_PASSWORD);
  const client = (await caw.get('/api/clients?q=Peeters')).body.items[0];
  const request = await caw.post('/api/help-requests', {
    clientId: client.id,
    story: 'Ik zie het niet meer zitten.',
    themes: ['depression'],
    urgency: 'urgent',
    channel: 'gp',
  });
  expect(request.statusCode, request.raw).toBe(201);
  const screening = await caw.post(`/api/help-requests/${request.body.id}/screenings`, {
    instrument: 'phq9',
    answers: { q1: 1, q2: 1, q3: 1, q4: 1, q5: 1, q6: 1, q7: 1, q8: 1, q9: 2 },
  });
  expect(screening.statusCode, screening.raw).toBe(201);
  const offer = (await caw.get(`/api/offers?q=${encodeURIComponent(CGG_OFFER)}`)).body.items.find(
    (o: { name: string }) => o.name === CGG_OFFER,
  );
  // under the suicide risk of item 9 the open suicide-prevention offer is the top suggestion: another choice says why
  const choice = await caw.post(`/api/help-requests/${request.body.id}/choice`, {
    offerId: offer.id,
    reason: 'Veiligheidsplan staat; een behandeling bij het CGG is wat nodig is.',
  });
  expect(choice.statusCode, choice.raw).toBe(200);
  const consent = await caw.post('/api/consents', {
    clientId: client.id,
    purpose: 'referral',
    recipientOrganizationId: offer.organizationId,
    recipientOfferId: offer.id,
    categories: ['contact', 'help-request-summary', 'screening-results'],
    method: 'verbal',
  });
  expect(consent.statusCode, consent.raw).toBe(201);
  const referral = await caw.post('/api/referrals', {
    helpRequestId: request.body.id,
    offerId: offer.id,
    priority: 'urgent',
    consentId: consent.body.id,
    message: 'Graag een snelle intake.',
  });
  expect(referral.statusCode, referral.raw).toBe(201);
  referralId = referral.body.id;
});

const { signIn } = bw;

const nav = (page: Page) => page.getByRole('navigation', { name: 'Hoofdnavigatie' });

describe('referrals in the browser', () => {
  it('the CGG intake worker finds the referral in the incoming inbox, reads what was shared, accepts it and registers the person', async () => {
    const context = await bw.browser.newContext({ locale: 'nl-BE' });
    const page = await context.newPage();
    await signIn(page, 'onthaal@cgg.demo.example');
    // the notification indicator counts the new referral; the start page counts it too
    await expect.poll(() => page.getByTestId('notification-indicator').innerText()).toContain('1 ongelezen');
    await page.getByTestId('dashboard-counts').getByRole('link', { name: '1 inkomende doorverwijzing open' }).waitFor();

    await nav(page).getByRole('link', { name: 'Doorverwijzingen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Doorverwijzingen' }).waitFor();
    await expect.poll(() => page.getByRole('tab', { name: /Inkomend/ }).getAttribute('aria-selected')).toBe('true');
    const inbox = page.getByRole('table', { name: 'Inkomende doorverwijzingen' });
    const row = inbox.getByRole('row').filter({ has: page.getByRole('link', { name: CGG_OFFER }) });
    await row.getByText('CAW Oost-Brabant (demo)').waitFor();
    await row.getByText('Dringend').waitFor();
    expect(await row.getByTestId('referral-status').innerText()).toBe('Verstuurd');
    // the priority filter lives in the address
    await page.getByLabel('Prioriteit').selectOption('acute');
    await page.waitForURL(/priority=acute/);
    await page.getByText('Geen doorverwijzingen voor deze filters.').waitFor();
    await page.getByLabel('Prioriteit').selectOption('urgent');
    await row.waitFor();

    // a second tab of the same worker, opened before the referral is accepted
    const stale = await context.newPage();
    await stale.goto(`${bw.baseUrl}/referrals/${referralId}`);
    await stale.getByRole('button', { name: 'Aanvaarden' }).waitFor();

    await row.getByRole('link', { name: CGG_OFFER }).click();
    await page.getByRole('heading', { level: 1, name: CGG_OFFER }).waitFor();
    // exactly what the consent covers
    const shared = page.getByTestId('referral-snapshot');
    await shared.getByText('Marie Peeters').waitFor();
    await shared.getByText('Ik zie het niet meer zitten.').waitFor();
    await shared.getByText('Suïciderisico: beoordeling nodig').waitFor();
    await page.getByTestId('referral-timeline').getByText('Doorverwijzing verstuurd').waitFor();
    // opening the referral reads its notification
    await expect.poll(() => page.getByTestId('notification-indicator').innerText()).toBe('Meldingen');

    const actions = page.getByRole('region', { name: 'Wat kan je nu doen?' });
    await actions.getByLabel('Reden van weigering').waitFor();
    await actions.getByLabel('Verwachte startdatum').waitFor();
    await actions.getByRole('button', { name: 'Aanvaarden' }).click();
    await page.getByRole('status').getByText('Gelukt. Nieuwe status: Aanvaard.').waitFor();
    expect(await page.getByTestId('referral-status').innerText()).toBe('Aanvaard');
    await page.getByTestId('referral-timeline').getByText('Verstuurd → Aanvaard').waitFor();
    // after accepting, the next step is an appointment
    await actions.getByLabel('Afspraak op').waitFor();

    // the other tab comes too late: it is told so and reloads
    await stale.getByLabel('Verwachte startdatum').fill('15/01/2099');
    await stale.getByRole('button', { name: 'Op wachtlijst zetten' }).click();
    await stale
      .getByTestId('referral-conflict')
      .getByText('Iemand anders was je voor — herlaad de doorverwijzing om de laatste stand te zien.')
      .waitFor();
    await stale.getByRole('button', { name: 'Herladen' }).click();
    await expect.poll(() => stale.getByTestId('referral-status').innerText()).toBe('Aanvaard');
    await stale.close();

    // the person enters the CGG's own register, from the shared contact details
    await page.getByRole('button', { name: 'Opnemen in ons cliëntenregister' }).click();
    await page.getByRole('region', { name: 'Cliëntenregister' }).getByRole('link', { name: 'Dossier openen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Marie Peeters' }).waitFor();
    // the file's header carries the risk the CAW shared with the referral
    expect((await page.getByTestId('client-risk').textContent())?.replace(/\s+/g, ' ').trim()).toBe('! Risico: Hoog');
    // the new file says how the person came in, with a link back to the referral
    const origins = page.getByRole('region', { name: 'Hoe deze persoon bij ons kwam' });
    expect(await origins.innerText()).toContain('Doorverwezen door CAW Oost-Brabant (demo)');
    await origins.getByRole('link', { name: 'Doorverwijzing openen' }).click();
    await page.waitForURL(new RegExp(`/referrals/${referralId}$`));
    // the client page opens on the organisation's recent clients, this person on top
    await nav(page).getByRole('link', { name: 'Cliënten' }).click();
    const recent = page.getByRole('table', { name: 'Recent bijgewerkte cliënten van je organisatie' });
    expect(await recent.locator('tbody tr').first().innerText()).toContain('Marie Peeters');

    const stored = await bw.world.owner
      .selectFrom('referrals')
      .select(['status', 'receiver_client_id', 'version'])
      .where('id', '=', referralId)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('accepted');
    expect(stored.receiver_client_id).not.toBeNull();
    await context.close();
  });

  it('the CAW intake worker sees the new status in the outgoing inbox and the whole timeline', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'onthaal@caw.demo.example');
    await expect.poll(() => page.getByTestId('notification-indicator').innerText()).toContain('1 ongelezen');
    await nav(page).getByRole('link', { name: 'Doorverwijzingen' }).click();
    // the tabs work with the arrow keys
    const incoming = page.getByRole('tab', { name: /Inkomend/ });
    await incoming.focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(/box=outgoing/);
    await expect.poll(() => page.getByRole('tab', { name: /Uitgaand/ }).getAttribute('aria-selected')).toBe('true');
    const outbox = page.getByRole('table', { name: 'Uitgaande doorverwijzingen' });
    const row = outbox.getByRole('row').filter({ has: page.getByRole('link', { name: CGG_OFFER }) });
    await row.getByText('CGG De Kade (demo)').waitFor();
    expect(await row.getByTestId('referral-status').innerText()).toBe('Aanvaard');
    await row.getByText(/^Eerste contact tegen /).waitFor();

    await row.getByRole('link', { name: CGG_OFFER }).click();
    await page.getByRole('heading', { level: 1, name: CGG_OFFER }).waitFor();
    expect(await page.getByTestId('referral-status').innerText()).toBe('Aanvaard');
    const events = page.getByTestId('referral-timeline').getByRole('listitem');
    await expect.poll(() => events.count()).toBe(2);
    expect(await events.nth(0).innerText()).toContain('Doorverwijzing verstuurd');
    expect(await events.nth(0).innerText()).toContain('Graag een snelle intake.');
    expect(await events.nth(1).innerText()).toContain('Aanvaard');
    expect(await events.nth(1).innerText()).toContain('Onthaalmedewerker CGG De Kade');
    // the sender may only cancel now, with a reason
    const actions = page.getByRole('region', { name: 'Wat kan je nu doen?' });
    await actions.getByLabel('Reden van annulering').waitFor();
    expect(await actions.getByRole('button', { name: 'Aanvaarden' }).count()).toBe(0);
    await page.close();
  });

  it('the network coordinator sees overdue referrals between organisations, without persons', async () => {
    // the answer target of a second referral has passed
    const caw = await login(bw.world, 'onthaal@caw.demo.example', DEMO_PASSWORD);
    const client = (await caw.get('/api/clients?q=Verhaegen')).body.items[0];
    const request = await caw.post('/api/help-requests', {
      clientId: client.id,
      story: 'Eenzaam sinds het overlijden van haar man.',
      themes: ['loneliness'],
      urgency: 'acute',
    });
    const offer = (await caw.get('/api/offers?q=Luisterlijn')).body.items.find(
      (o: { name: string }) => o.name === 'Luisterlijn: dag en nacht',
    );
    const consent = await caw.post('/api/consents', {
      clientId: client.id,
      purpose: 'referral',
      recipientOrganizationId: offer.organizationId,
      categories: ['contact'],
      method: 'written',
    });
    const late = await caw.post('/api/referrals', {
      helpRequestId: request.body.id,
      offerId: offer.id,
      priority: 'acute',
      consentId: consent.body.id,
    });
    expect(late.statusCode, late.raw).toBe(201);
    lateReferralId = late.body.id;
    await bw.world.owner
      .updateTable('referrals')
      .set({ answer_due_at: new Date(Date.now() - 3 * 86_400_000) })
      .where('id', '=', late.body.id)
      .execute();

    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'netwerk@demo.example');
    await nav(page).getByRole('link', { name: 'Doorverwijzingen over tijd' }).click();
    const table = page.getByTestId('overdue-referrals');
    const row = table.getByRole('row').filter({ hasText: 'Luisterlijn Vlaams-Brabant (demo)' });
    await row.getByText('CAW Oost-Brabant (demo)').waitFor();
    await row.getByText('ACUUT').waitFor();
    expect(await table.innerText()).not.toContain('Verhaegen');
    await page.close();

    // and the sender sees it flagged as overdue, with a word and not colour alone
    const sender = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(sender, 'onthaal@caw.demo.example');
    await sender.goto(`${bw.baseUrl}/referrals?box=outgoing&overdue=true`);
    const overdueRow = sender
      .getByRole('table', { name: 'Uitgaande doorverwijzingen' })
      .getByRole('row')
      .filter({ hasText: 'Luisterlijn' });
    await overdueRow.getByText('Over tijd').waitFor();
    expect(await sender.getByRole('checkbox', { name: 'Alleen over tijd' }).isChecked()).toBe(true);
    expect(
      await sender
        .getByRole('table', { name: 'Uitgaande doorverwijzingen' })
        .getByRole('link', { name: CGG_OFFER })
        .count(),
    ).toBe(0);
    await sender.close();
  });

  it('withdrawing a consent (after a confirmation) hides the shared data from the receiver at once', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'onthaal@caw.demo.example');
    await page.goto(`${bw.baseUrl}/referrals/${lateReferralId}`);
    await page.getByRole('link', { name: 'Dossier openen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ann Verhaegen' }).waitFor();
    const consents = page.getByRole('region', { name: 'Toestemmingen' });
    await consents.getByRole('button', { name: /^Intrekken: Luisterlijn Vlaams-Brabant \(demo\)/ }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Toestemming intrekken?' });
    await dialog.getByRole('button', { name: 'Intrekken' }).click();
    await consents.getByText('Toestemming ingetrokken.').waitFor();
    await consents.getByText(/^Ingetrokken op /).waitFor();
    await page.close();

    const receiver = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(receiver, 'onthaal@helpline.demo.example');
    await receiver.goto(`${bw.baseUrl}/referrals/${lateReferralId}`);
    await receiver.getByTestId('consent-withdrawn').waitFor();
    expect(await receiver.getByTestId('referral-snapshot').innerText()).not.toContain('Verhaegen');
    await receiver.getByTestId('referral-timeline').getByText('Toestemming ingetrokken').waitFor();
    expect(await receiver.getByRole('button', { name: 'Aanvaarden' }).count()).toBe(0);
    await receiver.close();
  });
});
