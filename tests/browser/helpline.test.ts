import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sql } from 'kysely';
import { useBrowserWorld } from '../support/browser.ts';
import { login } from '../support/world.ts';
import { DEMO_PASSWORD } from '../../src/server/demo/seed.ts';

const CRISIS_OFFER = 'Mobiel crisisteam';
const OTHER_CGG_OFFER = 'Gespecialiseerde ambulante behandeling volwassenen';
const HELPLINE = 'Luisterlijn Vlaams-Brabant (demo)';
let helplineOrgId = '';
let networkId = '';
let helplineReferralId = '';

const bw = useBrowserWorld(async (world) => {
  const org = await world.owner
    .selectFrom('organizations')
    .select(['id', 'network_id'])
    .where('name', '=', HELPLINE)
    .executeTakeFirstOrThrow();
  helplineOrgId = org.id;
  networkId = org.network_id;
  // an urgent referral from the CAW waits in the CGG's inbox already: the acute one from the helpline must come above it
  const caw = await login(world, 'onthaal@caw.demo.example', DEMO_PASSWORD);
  const client = (await caw.get('/api/clients?q=Peeters')).body.items[0];
  const request = await caw.post('/api/help-requests', {
    clientId: client.id,
    story: 'Somber sinds maanden.',
    themes: ['depression'],
    urgency: 'urgent',
    channel: 'gp',
  });
  const offer = (await caw.get(`/api/offers?q=${encodeURIComponent(OTHER_CGG_OFFER)}`)).body.items.find(
    (o: { name: string }) => o.name === OTHER_CGG_OFFER,
  );
  const consent = await caw.post('/api/consents', {
    clientId: client.id,
    purpose: 'referral',
    recipientOrganizationId: offer.organizationId,
    categories: ['contact'],
    method: 'written',
  });
  const earlier = await caw.post('/api/referrals', {
    helpRequestId: request.body.id,
    offerId: offer.id,
    priority: 'urgent',
    consentId: consent.body.id,
  });
  expect(earlier.statusCode, earlier.raw).toBe(201);
});

const { signIn } = bw;
const nav = (page: Page) => page.getByRole('navigation', { name: 'Hoofdnavigatie' });

/** What the helpline organisation has on record (read in its own tenant context, as row-level security wants). */
async function helplineCounts() {
  return bw.world.owner.transaction().execute(async (trx) => {
    await sql`select set_config('app.org_id', ${helplineOrgId}, true), set_config('app.network_id', ${networkId}, true)`.execute(
      trx,
    );
    const count = async (table: 'clients' | 'help_requests' | 'consents') =>
      Number(
        (
          await trx
            .selectFrom(table)
            .select(sql<number>`count(*)`.as('n'))
            .where('organization_id', '=', helplineOrgId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const referrals = Number(
      (
        await trx
          .selectFrom('referrals')
          .select(sql<number>`count(*)`.as('n'))
          .where('sender_organization_id', '=', helplineOrgId)
          .executeTakeFirstOrThrow()
      ).n,
    );
    return {
      clients: await count('clients'),
      helpRequests: await count('help_requests'),
      consents: await count('consents'),
      referrals,
    };
  });
}

async function openShortLine(page: Page) {
  await signIn(page, 'onthaal@helpline.demo.example');
  // a helpline worker lands on the quick form: no navigation needed
  await page.getByRole('heading', { level: 1, name: 'Snelle doorverwijzing (hulplijn)' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/helpline/new');
  await nav(page).getByRole('link', { name: 'Snelle doorverwijzing (hulplijn)' }).waitFor();
}

describe('the helpline short line in the browser', () => {
  it('a helpline intake worker fills the short form with the keyboard, submits and lands on the referral', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await openShortLine(page);
    // acute is the default urgency
    expect(await page.getByRole('radio', { name: 'Acuut' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Met pseudoniem' }).isChecked()).toBe(true);

    await page.getByLabel('Pseudoniem', { exact: true }).focus();
    await page.keyboard.type('Beller 14u');
    await page.keyboard.press('Tab');
    await page.keyboard.type('0470 99 88 77');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Beller met concrete plannen, alleen thuis.');
    await page.getByRole('checkbox', { name: 'Suïcidale gedachten' }).focus();
    await page.keyboard.press('Space');
    // the receiving offer: CGG and CAW offers, crisis first, each with its organisation and capacity
    const offers = page.getByTestId('helpline-offers');
    const crisis = offers.getByRole('radio', { name: CRISIS_OFFER });
    await crisis.waitFor();
    expect(await offers.getByRole('radio').first().getAttribute('aria-describedby')).toBeTruthy();
    expect(await offers.innerText()).toContain('CGG De Kade (demo) · Crisis');
    expect(await offers.innerText()).not.toContain(HELPLINE);
    const firstLabel = await offers.locator('.radio label').first().innerText();
    expect(['Zelfmoordpreventie: suïcidepreventieve zorg', CRISIS_OFFER]).toContain(firstLabel);
    await page.getByLabel('Zoek een aanbod').focus();
    await page.keyboard.type('crisisteam');
    await expect.poll(() => offers.getByRole('radio').count()).toBe(1);
    await crisis.focus();
    await page.keyboard.press('Space');
    expect(await crisis.isChecked()).toBe(true);
    const consent = page.getByRole('checkbox', {
      name: /^De beller gaf mondeling toestemming om deze gegevens te delen met CGG De Kade \(demo\)/,
    });
    await consent.focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Bericht aan de ontvanger').focus();
    await page.keyboard.type('Bereikbaar tot 22 uur.');
    await page.getByRole('button', { name: 'Doorverwijzen' }).focus();
    await page.keyboard.press('Enter');

    await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
    helplineReferralId = page.url().split('/').pop()!;
    await page.getByRole('heading', { level: 1, name: CRISIS_OFFER }).waitFor();
    expect(await page.getByTestId('referral-status').innerText()).toBe('Verstuurd');
    // a clear success message with what happens next, focused; the cancel step is not the first thing on the page
    const sent = page.getByTestId('referral-sent');
    expect(await sent.innerText()).toContain('Doorverwijzing verstuurd naar CGG De Kade (demo).');
    expect(await sent.innerText()).toContain('antwoordt uiterlijk');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('referral-sent');
    const order = await page.evaluate(() => {
      const sentBox = document.querySelector('[data-testid="referral-sent"]')!;
      const cancel = [...document.querySelectorAll('button')].find((b) => /annuleren/i.test(b.textContent ?? ''));
      return cancel ? sentBox.compareDocumentPosition(cancel) & Node.DOCUMENT_POSITION_FOLLOWING : -1;
    });
    expect(order).toBe(4); // Node.DOCUMENT_POSITION_FOLLOWING: the cancel button comes after the message

    const referral = await bw.world.owner
      .selectFrom('referrals')
      .select(['priority', 'message', 'client_id', 'help_request_id', 'consent_id'])
      .where('id', '=', helplineReferralId)
      .executeTakeFirstOrThrow();
    expect(referral).toMatchObject({ priority: 'acute', message: 'Bereikbaar tot 22 uur.' });
    const stored = await bw.world.owner.transaction().execute(async (trx) => {
      await sql`select set_config('app.org_id', ${helplineOrgId}, true), set_config('app.network_id', ${networkId}, true)`.execute(
        trx,
      );
      return {
        client: await trx
          .selectFrom('clients')
          .select(['identity_kind', 'pseudonym', 'phone'])
          .where('id', '=', referral.client_id)
          .executeTakeFirstOrThrow(),
        request: await trx
          .selectFrom('help_requests')
          .select(['channel', 'urgency', 'themes', 'story'])
          .where('id', '=', referral.help_request_id!)
          .executeTakeFirstOrThrow(),
        consent: await trx
          .selectFrom('consents')
          .select(['method', 'categories', 'purpose'])
          .where('id', '=', referral.consent_id)
          .executeTakeFirstOrThrow(),
      };
    });
    expect(stored.client).toEqual({ identity_kind: 'pseudonym', pseudonym: 'Beller 14u', phone: '+32470998877' });
    expect(stored.request).toEqual({
      channel: 'helpline',
      urgency: 'acute',
      themes: ['suicidal-thoughts'],
      story: 'Beller met concrete plannen, alleen thuis.',
    });
    expect(stored.consent).toEqual({
      method: 'verbal',
      categories: ['contact', 'help-request-summary'],
      purpose: 'referral',
    });
    await page.close();
  });

  it('the CGG intake worker finds it on top of the incoming inbox, acute, with the callback number', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'onthaal@cgg.demo.example');
    // the short line is the helpline's: a CGG worker does not have it in the menu
    await nav(page).getByRole('link', { name: 'Doorverwijzingen', exact: true }).waitFor();
    expect(await nav(page).getByRole('link', { name: 'Snelle doorverwijzing (hulplijn)' }).count()).toBe(0);
    await nav(page).getByRole('link', { name: 'Doorverwijzingen', exact: true }).click();
    const inbox = page.getByRole('table', { name: 'Inkomende doorverwijzingen' });
    await inbox.getByRole('link', { name: OTHER_CGG_OFFER }).waitFor();
    const rows = inbox.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    const top = rows.first();
    await top.getByRole('link', { name: CRISIS_OFFER }).waitFor();
    expect(await top.innerText()).toContain('ACUUT');
    expect(await top.innerText()).toContain(HELPLINE);
    expect(await rows.nth(1).innerText()).toContain('Dringend');

    await top.getByRole('link', { name: CRISIS_OFFER }).click();
    await page.waitForURL(new RegExp(`/referrals/${helplineReferralId}$`));
    const shared = page.getByTestId('referral-snapshot');
    await shared.getByText('Beller 14u').waitFor();
    await shared.getByText('0470 99 88 77').waitFor();
    await shared.getByText('Beller met concrete plannen, alleen thuis.').waitFor();
    await page.close();
  });

  it('without the consent checkbox or a callback number it shows the Dutch field messages and creates nothing', async () => {
    const before = await helplineCounts();
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await openShortLine(page);
    await page.getByRole('radio', { name: 'Anoniem' }).check();
    expect(await page.getByLabel('Pseudoniem', { exact: true }).count()).toBe(0);
    await page.getByLabel('Wat is er aan de hand?').fill('Beller in paniek.');
    await page.getByTestId('helpline-offers').getByRole('radio', { name: CRISIS_OFFER }).check();
    await page.getByRole('button', { name: 'Doorverwijzen' }).click();

    await page.getByRole('alert').getByText('Controleer de gemarkeerde velden.').waitFor();
    const phone = page.getByLabel('Terugbelnummer');
    await page.getByText('Geef het nummer waarop de beller teruggebeld kan worden.').waitFor();
    expect(await phone.getAttribute('aria-invalid')).toBe('true');
    expect(await phone.getAttribute('aria-describedby')).toContain('helpline-phone-error');
    const consent = page.getByRole('checkbox', { name: /^De beller gaf mondeling toestemming/ });
    await page.getByText('Zonder mondelinge toestemming van de beller kan je niet doorverwijzen.').waitFor();
    expect(await consent.getAttribute('aria-invalid')).toBe('true');
    // the first field in error has the focus
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('helpline-phone');

    // a number that is not Belgian is refused too, in Dutch, next to the field
    await phone.fill('12345');
    await page.getByRole('button', { name: 'Doorverwijzen' }).click();
    await page.getByText('Dit lijkt geen Belgisch telefoonnummer. Bv. 0470 12 34 56 of +32 16 12 34 56.').waitFor();
    expect(await helplineCounts()).toEqual(before);
    await page.close();
  });

  it('when a later step fails it says which one, links to what was made, and a second try reuses it', async () => {
    const before = await helplineCounts();
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await openShortLine(page);
    await page.getByLabel('Pseudoniem', { exact: true }).fill('Beller Jo');
    await page.getByLabel('Terugbelnummer').fill('+32 16 12 34 56');
    await page.getByLabel('Wat is er aan de hand?').fill('Beller met zware angst.');
    await page.getByRole('radio', { name: 'Dringend' }).check();
    await page.getByTestId('helpline-offers').getByRole('radio', { name: CRISIS_OFFER }).check();
    await page.getByRole('checkbox', { name: /^De beller gaf mondeling toestemming/ }).check();
    // the offer is withdrawn from the catalogue while the worker is on the phone
    await bw.world.owner.updateTable('offers').set({ active: false }).where('name', '=', CRISIS_OFFER).execute();
    await page.getByRole('button', { name: 'Doorverwijzen' }).click();

    const partial = page.getByTestId('helpline-partial');
    await partial
      .getByText('Stap 4 van 4 (doorverwijzing versturen) is mislukt; er is nog niet doorverwezen.')
      .waitFor();
    await partial.getByRole('link', { name: 'Dossier van de beller “Beller Jo”' }).waitFor();
    await partial.getByRole('link', { name: 'Hulpvraag (via de hulplijn)' }).waitFor();
    await partial.getByText('Mondelinge toestemming voor CGG De Kade (demo)').waitFor();
    // the server's field error stands at the offer
    await page.locator('#helpline-offer-error').getByText('Dit aanbod bestaat niet in uw netwerk.').waitFor();
    expect(page.url()).toMatch(/\/helpline\/new$/);
    const half = await helplineCounts();
    expect(half).toEqual({
      clients: before.clients + 1,
      helpRequests: before.helpRequests + 1,
      consents: before.consents + 1,
      referrals: before.referrals,
    });

    // another offer, of another organisation: the caller and the help request are reused, the consent is recorded anew
    await bw.world.owner.updateTable('offers').set({ active: true }).where('name', '=', CRISIS_OFFER).execute();
    const offers = page.getByTestId('helpline-offers');
    await page.getByLabel('Zoek een aanbod').fill('Slachtofferhulp');
    await offers.getByRole('radio', { name: 'Slachtofferhulp' }).check();
    await page.getByRole('checkbox', { name: /CAW Oost-Brabant \(demo\)\.$/ }).waitFor();
    await page.getByRole('button', { name: 'Doorverwijzen' }).click();
    await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: 'Slachtofferhulp' }).waitFor();
    const after = await helplineCounts();
    expect(after).toEqual({
      clients: half.clients,
      helpRequests: half.helpRequests,
      consents: half.consents + 1,
      referrals: half.referrals + 1,
    });
    // the consent for the CGG was withdrawn: it shares nothing unused
    const consents = await bw.world.owner.transaction().execute(async (trx) => {
      await sql`select set_config('app.org_id', ${helplineOrgId}, true), set_config('app.network_id', ${networkId}, true)`.execute(
        trx,
      );
      return trx
        .selectFrom('consents')
        .innerJoin('organizations as o', 'o.id', 'consents.recipient_organization_id')
        .select(['o.name', 'consents.withdrawn_at'])
        .where('consents.organization_id', '=', helplineOrgId)
        .orderBy('consents.recorded_at', 'desc')
        .limit(2)
        .execute();
    });
    expect(consents.map((c) => [c.name, c.withdrawn_at === null])).toEqual([
      ['CAW Oost-Brabant (demo)', true],
      ['CGG De Kade (demo)', false],
    ]);
    await page.close();
  });
});
