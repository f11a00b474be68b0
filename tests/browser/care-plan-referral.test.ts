import { describe, expect, it, vi } from 'vitest';
import { useBrowserWorld } from '../support/browser.ts';
import { login } from '../support/world.ts';
import { DEMO_PASSWORD } from '../../src/server/demo/seed.ts';

vi.setConfig({ testTimeout: 120_000 });

const CGG_OFFER = 'Gespecialiseerde ambulante behandeling volwassenen';
let referralId = '';

// issue 11's walk in the UI only; its set-up (a referral from the CAW to the CGG with consent to share the plan) through the API
const bw = useBrowserWorld(async (world) => {
  const caw = await login(world, 'onthaal@caw.demo.example', DEMO_PASSWORD);
  const client = (await caw.get('/api/clients?q=Peeters')).body.items[0];
  const request = await caw.post('/api/help-requests', {
    clientId: client.id,
    story: 'Ik slaap niet meer en zie mijn familie niet meer.',
    themes: ['depression'],
    urgency: 'urgent',
    channel: 'gp',
  });
  expect(request.statusCode, request.raw).toBe(201);
  const offer = (await caw.get(`/api/offers?q=${encodeURIComponent(CGG_OFFER)}`)).body.items.find(
    (o: { name: string }) => o.name === CGG_OFFER,
  );
  const choice = await caw.post(`/api/help-requests/${request.body.id}/choice`, {
    offerId: offer.id,
    reason: 'Een behandeling bij het CGG is wat nodig is.',
  });
  expect(choice.statusCode, choice.raw).toBe(200);
  const consent = await caw.post('/api/consents', {
    clientId: client.id,
    purpose: 'referral',
    recipientOrganizationId: offer.organizationId,
    recipientOfferId: offer.id,
    categories: ['contact', 'help-request-summary', 'care-plan'],
    method: 'verbal',
  });
  expect(consent.statusCode, consent.raw).toBe(201);
  const referral = await caw.post('/api/referrals', {
    helpRequestId: request.body.id,
    offerId: offer.id,
    priority: 'urgent',
    consentId: consent.body.id,
  });
  expect(referral.statusCode, referral.raw).toBe(201);
  referralId = referral.body.id;
});

describe('the care plan from an accepted referral', () => {
  it('the receiver accepts, schedules and records the first contact, starts a trajectory, logs a contact, makes the plan, steps up and opens the referral form at the new level', async () => {
    const context = await bw.browser.newContext({ locale: 'nl-BE' });
    const page = await context.newPage();
    await bw.signIn(page, 'hulpverlener@cgg.demo.example');

    // accept the referral and take the person into the CGG's register
    await page.goto(`${bw.baseUrl}/referrals/${referralId}`);
    const actions = page.getByRole('region', { name: 'Wat kan je nu doen?' });
    await actions.getByRole('button', { name: 'Aanvaarden' }).click();
    await page.getByRole('status').getByText('Gelukt. Nieuwe status: Aanvaard.').waitFor();
    await page.getByRole('button', { name: 'Opnemen in ons cliëntenregister' }).click();
    await page
      .getByRole('region', { name: 'Cliëntenregister' })
      .getByRole('link', { name: 'Dossier openen' })
      .waitFor();
    // the appointment and the first contact, through the referral page's own forms
    // today in Brussels, as the server counts days (the machine's UTC date is yesterday's there late in the evening)
    const today = new Intl.DateTimeFormat('nl-BE', {
      timeZone: 'Europe/Brussels',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    }).format(new Date());
    await actions.getByLabel('Afspraak op').fill(today);
    await actions.getByLabel('Uur', { exact: false }).fill('09:00');
    await actions.getByRole('button', { name: 'Afspraak inplannen' }).click();
    await page.getByRole('status').getByText('Gelukt. Nieuwe status: Afspraak gepland.').waitFor();
    await actions.getByRole('button', { name: 'Eerste contact registreren' }).click();
    await page.getByRole('status').getByText('Gelukt. Nieuwe status: Eerste contact gebeurd.').waitFor();

    // the referral offers the trajectory with its data
    await page.getByTestId('trajectory-from-referral').getByRole('link', { name: 'Traject starten' }).click();
    await page.getByLabel('Module').selectOption('psychosocial-support');
    await page.getByRole('button', { name: 'Traject starten' }).click();
    await page.waitForURL(/\/trajectories\/[0-9a-f-]{36}$/);

    // a contact in the log
    await page.getByRole('button', { name: 'Contact toevoegen' }).click();
    await page.getByLabel('Duur (minuten)').fill('45');
    await page.getByLabel('Soort contact').selectOption('on-site');
    await page.getByRole('button', { name: 'Contact opslaan' }).click();
    await page.getByTestId('contact').first().waitFor();

    // the plan, from the trajectory
    await page.getByRole('link', { name: 'Hulpplan', exact: true }).click();
    await page.waitForURL(/\/clients\/[0-9a-f-]{36}\/hulpplan$/);
    await page.getByRole('button', { name: 'Hulpplan opstellen' }).click();
    await page.getByTestId('care-plan').waitFor();
    for (const words of ['Ik wil terug kunnen slapen', 'Ik wil mijn familie terugzien']) {
      await page.getByRole('button', { name: 'Doel toevoegen' }).click();
      await page.getByLabel('In de eigen woorden van de persoon').fill(words);
      await page.getByRole('button', { name: 'Opslaan' }).click();
      await page.getByTestId('care-plan-goals').getByText(words).waitFor();
    }
    await page.getByRole('button', { name: 'Steunfiguur toevoegen' }).click();
    await page.getByLabel('Naam').fill('Jan Peeters');
    await page.getByLabel('Relatie').fill('broer');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByTestId('care-plan-team').getByText('Jan Peeters').waitFor();
    for (const [what, who] of [
      ['Slaapdagboek bijhouden', 'De persoon zelf'],
      ['Zondag samen koffie drinken', 'Jan Peeters (Steunfiguur)'],
    ] as const) {
      await page.getByRole('button', { name: 'Actie toevoegen' }).click();
      await page.getByLabel('Wat', { exact: true }).fill(what);
      await page.getByLabel('Wie', { exact: true }).selectOption({ label: who });
      await page.getByRole('button', { name: 'Opslaan' }).click();
      await page.getByTestId('care-plan-actions').getByText(what).waitFor();
    }

    // step up: the CGG has no help request of its own for the person, so it is told and offered to start one
    await page.getByRole('button', { name: 'Evalueren' }).click();
    await page.getByLabel('Vooruitgang: Ik wil terug kunnen slapen').fill('2');
    await page.getByLabel('Verslag').fill('Geen vooruitgang; intensiever nodig.');
    await page.getByLabel('Opschalen').check();
    await page.getByRole('button', { name: 'Evaluatie opslaan' }).click();
    const told = page.getByTestId('step-no-request');
    await told.waitFor();
    expect(await told.innerText()).toContain('Gespecialiseerd');
    const start = told.getByRole('link', { name: 'Hulpvraag starten' });
    expect(await start.getAttribute('href')).toMatch(/^\/intake\/new\?client=[0-9a-f-]{36}&level=specialised&step=up$/);
    // starting it carries the new level on: the new request's indication offers it
    await start.click();
    await page.getByTestId('chosen-client').waitFor();
    await page.getByLabel('Kanaal').selectOption({ label: 'Via de huisarts' });
    await page.getByLabel('Verhaal').fill('Het gaat niet beter; meer gespecialiseerde hulp nodig.');
    await page.getByRole('radio', { name: 'Dringend' }).check();
    await page.getByRole('checkbox', { name: 'Psychische gezondheid' }).check();
    await page.getByRole('button', { name: 'Hulpvraag registreren' }).click();
    await page.waitForURL(/\/help-requests\/[0-9a-f-]{36}\?level=specialised&step=up$/);
    await page.getByTestId('care-plan-step').waitFor();
    expect(await page.locator('#indication-level').inputValue()).toBe('specialised');
    // one click confirms the indication at the new level; the suggestions at that level come next
    await page.getByRole('button', { name: 'Indicatie opslaan' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('matches-title');
    await expect.poll(() => page.getByTestId('needed-level').innerText()).toContain('Gespecialiseerd');
    const top = page.getByTestId('suggestion').first();
    expect(await top.innerText()).toContain('Gespecialiseerd');
    await top.getByRole('button', { name: /^Kies dit aanbod/ }).click();
    // the referral form (consent and referral) opens with the new level, and the message to the receiver says it
    const form = page.getByTestId('referral-section');
    await form.waitFor();
    const level = await form.getByTestId('referral-level').innerText();
    expect(level).toContain('Gespecialiseerd');
    expect(level).toContain('opgeschaald in het hulpplan');
    expect(await form.getByLabel('Bericht', { exact: false }).inputValue()).toBe(
      'Het hulpplan is opgeschaald naar Gespecialiseerd.',
    );
    await context.close();
  });
});
