import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { useBrowserWorld } from '../support/browser.ts';

const CGG_OFFER = 'Gespecialiseerde ambulante behandeling volwassenen';
/** The CGG's open suicide-prevention offer (crisis level, 2 days): first after a suicide-risk signal. */
const PREVENTION_OFFER = 'Zelfmoordpreventie: suïcidepreventieve zorg';

const bw = useBrowserWorld();

const { signIn } = bw;

/** The words of a badge as read out (a compact badge keeps its "Risico:" for screen readers only). */
const words = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** The question of a screening: a fieldset whose legend starts with its number ("9. Gedachten …"). */
const question = (page: Page, n: number) => page.getByRole('group', { name: new RegExp(`^${n}\\. `) });

describe('the intake in the browser', () => {
  it("a CAW intake worker registers a help request, screens with PHQ-9 (item 9), sees the high risk and the suggestions safe under it, refers to the CGG with consent, and the CGG's inbox row shows the risk", async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'onthaal@caw.demo.example');
    // "Onthaal" is the intake worker's start page
    await page.getByRole('heading', { level: 1, name: 'Onthaal' }).waitFor();
    await page.getByRole('link', { name: 'Nieuwe hulpvraag' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nieuwe hulpvraag' }).waitFor();

    // (a) the person: an existing demo client, found by the search box and chosen with a radio button
    await page.getByLabel('Cliënt zoeken').fill('Peeters');
    await page.getByRole('radio', { name: /^Marie Peeters/ }).check();
    await page.getByTestId('chosen-client').getByText('Marie Peeters').waitFor();

    // (b) the help request, in the person's words
    await page.getByLabel('Kanaal').selectOption({ label: 'Via de huisarts' });
    await page.getByLabel('Verhaal').fill('Ik slaap slecht en zie het sinds de scheiding niet meer zitten.');
    await page.getByRole('radio', { name: 'Dringend' }).check();
    await page.getByRole('checkbox', { name: 'Psychische gezondheid' }).check();
    await page.getByRole('checkbox', { name: 'Depressie' }).check();
    await page.getByRole('button', { name: 'Hulpvraag registreren' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hulpvraag van Marie Peeters' }).waitFor();
    await page.getByRole('status').getByText('Hulpvraag geregistreerd.').waitFor();
    const helpRequestId = page.url().split('/').pop()!;
    const stored = await bw.world.owner
      .selectFrom('help_requests')
      .selectAll()
      .where('id', '=', helpRequestId)
      .executeTakeFirstOrThrow();
    // age, municipality and language come from the client file
    expect(stored).toMatchObject({
      channel: 'gp',
      urgency: 'urgent',
      themes: ['depression'],
      life_domains: ['mental-health'],
      municipality: '24062',
      language: 'nl',
    });

    // (c) skip logic: a C-SSRS follow-up question appears only after a yes on question 2
    await page.getByLabel('Instrument').selectOption('cssrs');
    await question(page, 2).waitFor();
    expect(await question(page, 3).count()).toBe(0);
    await question(page, 2).getByRole('radio', { name: 'ja' }).check();
    await question(page, 3).waitFor();
    await question(page, 2).getByRole('radio', { name: 'nee' }).check();
    await expect.poll(() => question(page, 3).count()).toBe(0);

    // PHQ-9: the first answer with the keyboard (digit 2 = the second option), item 9 above 0
    await page.getByLabel('Instrument').selectOption({ label: 'PHQ-9 (Patient Health Questionnaire)' });
    await question(page, 1).getByRole('radio', { name: 'helemaal niet' }).focus();
    await page.keyboard.press('2');
    await expect.poll(() => question(page, 1).getByRole('radio', { name: 'meerdere dagen' }).isChecked()).toBe(true);
    for (let n = 2; n <= 8; n++) await question(page, n).getByRole('radio', { name: 'meerdere dagen' }).check();
    await question(page, 9).getByRole('radio', { name: 'meer dan de helft van de dagen' }).check();
    await expect.poll(() => page.getByTestId('screening-progress').innerText()).toContain('9 van 9 vragen beantwoord');
    await page.getByRole('button', { name: 'Screening opslaan' }).click();

    // score, band, flag, citation and licence
    const result = page.getByTestId('screening-result');
    await result.waitFor();
    expect(await result.getByTestId('screening-score').innerText()).toContain('10 (bereik 0–27)');
    expect(await result.getByTestId('screening-band').innerText()).toBe('Matig');
    await result.getByText('Suïciderisico: beoordeling nodig').waitFor();
    // the one risk vocabulary: the screening says "Hoog", as the safety section below does
    expect(await words(result.getByTestId('screening-risk'))).toBe('! Risico: Hoog');
    await result.getByText(/Kroenke, K\., Spitzer/).waitFor();
    await result.getByText('Vrij te gebruiken (Pfizer).').waitFor();

    // (d) the safety signal raised by item 9: a high risk — the same word, the crisis lines, a safety action to record
    const safety = page.getByRole('region', { name: 'Veiligheid' });
    const signal = safety.getByTestId('safety-signal');
    await signal.getByRole('heading', { name: /Suïciderisico/ }).waitFor();
    expect(await words(signal.getByTestId('risk-badge'))).toBe('! Risico: Hoog');
    await page.getByTestId('crisis-alert').waitFor();
    expect(await words(page.getByTestId('help-request-risk'))).toBe('! Risico: Hoog');
    const signals = await bw.world.owner
      .selectFrom('safety_signals')
      .select(['kind', 'level', 'source'])
      .where('help_request_id', '=', helpRequestId)
      .execute();
    expect(signals).toEqual([{ kind: 'suicide-risk', level: 'high', source: 'screening' }]);
    await signal
      .getByLabel('Genomen veiligheidsactie')
      .fill('Veiligheidsplan besproken; Zelfmoordlijn 1813 meegegeven.');
    await signal.getByRole('button', { name: 'Veiligheidsactie opslaan' }).click();
    await signal.getByText('Veiligheidsplan besproken; Zelfmoordlijn 1813 meegegeven.').waitFor();

    // (f) suggestions: the level needed and why, ranked offers with why they fit and what does not
    const matches = page.getByRole('region', { name: 'Suggesties' });
    await matches.getByTestId('needed-level').getByText('Gespecialiseerd').waitFor();
    await matches
      .getByTestId('needed-level')
      .getByText(/risicosignaal uit de screening/)
      .waitFor();
    const suggestions = matches.getByTestId('suggestion');
    // safe under risk: the open suicide-prevention offer first, not "more specialised than needed"
    const first = suggestions.first();
    await first.getByRole('link', { name: PREVENTION_OFFER }).waitFor();
    await first.getByText('CGG De Kade (demo)', { exact: false }).waitFor();
    await first.getByRole('heading', { name: 'Waarom het past' }).waitFor();
    await first.getByText('Snel bereikbaar bij crisis of suïciderisico').waitFor();
    await first.getByRole('heading', { name: 'Wat niet past' }).waitFor();
    expect(await first.getByText(/Gespecialiseerder dan nodig/).count()).toBe(0);
    expect(await first.getByTestId('suggestion-score').innerText()).toMatch(/^Score \d+\/100$/);
    // the specialised offer with a waiting list comes after everything that answers in time, and says why
    const specialised = suggestions.filter({ has: page.getByRole('link', { name: CGG_OFFER }) });
    await specialised.getByText(/^Wachttijd \(\d+ dagen\) langer dan de termijn voor dringende hulp/).waitFor();
    await specialised.getByText('Zorgniveau past (Gespecialiseerd)').waitFor();

    // another than the top suggestion asks for a reason first
    const second = suggestions.nth(1);
    await second.getByRole('button', { name: /^Kies dit aanbod: / }).click();
    await second.getByLabel('Reden voor deze keuze').waitFor();
    await second.getByRole('button', { name: 'Annuleren' }).click();
    await expect.poll(() => second.getByLabel('Reden voor deze keuze').count()).toBe(0);

    // the top suggestion is chosen at once
    await first.getByRole('button', { name: `Kies dit aanbod: ${PREVENTION_OFFER}` }).click();
    await page.getByRole('status').getByText(`Keuze genoteerd: ${PREVENTION_OFFER}.`).waitFor();

    // (g) consent for the CGG, then the referral
    const referral = page.getByRole('region', { name: 'Toestemming en doorverwijzing' });
    expect(await referral.getByTestId('consent-recipient').innerText()).toBe('CGG De Kade (demo)');
    await referral.getByRole('checkbox', { name: 'Contactgegevens' }).check();
    await referral.getByRole('checkbox', { name: 'Samenvatting van de hulpvraag' }).check();
    await referral.getByRole('checkbox', { name: 'Screeningsresultaten' }).check();
    await referral.getByRole('radio', { name: 'Mondeling' }).check();
    expect(await referral.getByRole('radio', { name: 'Dringend' }).isChecked()).toBe(true);
    await referral
      .getByLabel('Bericht aan de ontvanger')
      .fill('Graag een snelle intake; veiligheidsplan is besproken.');
    await referral.getByRole('button', { name: 'Toestemming vastleggen en doorverwijzen' }).click();
    await referral
      .getByTestId('referral-done')
      .getByText(`Doorverwezen naar “${PREVENTION_OFFER}” bij CGG De Kade (demo).`)
      .waitFor();

    const consent = await bw.world.owner
      .selectFrom('consents')
      .selectAll()
      .where('client_id', '=', stored.client_id!)
      .executeTakeFirstOrThrow();
    expect(consent).toMatchObject({
      purpose: 'referral',
      method: 'verbal',
      categories: ['contact', 'help-request-summary', 'screening-results'],
    });
    const row = await bw.world.owner
      .selectFrom('referrals as r')
      .innerJoin('organizations as o', 'o.id', 'r.receiver_organization_id')
      .select(['r.id', 'r.status', 'r.priority', 'r.consent_id', 'r.message', 'r.risk_level', 'o.name'])
      .where('r.help_request_id', '=', helpRequestId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'requested',
      priority: 'urgent',
      consent_id: consent.id,
      // what the screening and the safety section showed when it was sent, shared with the summary
      risk_level: 'high',
      name: 'CGG De Kade (demo)',
    });
    expect(
      (
        await bw.world.owner
          .selectFrom('help_requests')
          .select(['status', 'chosen_offer_id'])
          .where('id', '=', helpRequestId)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('referred');

    // the referral as the sender sees it
    await referral.getByRole('link', { name: 'Doorverwijzing openen' }).click();
    await page.getByRole('heading', { level: 1, name: PREVENTION_OFFER }).waitFor();
    expect(await page.getByTestId('referral-status').innerText()).toBe('Verstuurd');
    expect(await words(page.getByTestId('referral-risk'))).toBe('! Risico: Hoog');
    await page.getByTestId('referral-timeline').getByText('Doorverwijzing verstuurd').waitFor();

    // after a reload the help request shows the referral with its status and a link, not an invitation to refer twice
    await page.goto(`${bw.baseUrl}/help-requests/${helpRequestId}`);
    const sent = page.getByTestId('help-request-referrals');
    await sent.waitFor();
    expect(await sent.innerText()).toContain('CGG De Kade (demo)');
    expect(await sent.locator('tbody .badge-status').allInnerTexts()).toEqual(['Verstuurd']);
    expect(await page.getByTestId('referral-second-warning').innerText()).toContain('CGG De Kade (demo)');
    // the in-page navigation reaches each part; the close step sits apart at the end
    await page.getByTestId('help-request-nav').getByRole('link', { name: 'Doorverwijzingen' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('referrals-of-request-title');
    await sent.getByRole('link').first().click();
    await page.waitForURL(new RegExp(`/referrals/${row.id}$`));

    // the intake list names the person and opens the request by that name
    await page.goto(`${bw.baseUrl}/intake`);
    const list = page.getByTestId('help-requests');
    await list.getByRole('link', { name: 'Marie Peeters' }).first().waitFor();
    expect(await list.getByRole('link', { name: 'Marie Peeters' }).first().getAttribute('href')).toBe(
      `/help-requests/${helpRequestId}`,
    );

    // the printable summary
    await page.goto(`${bw.baseUrl}/help-requests/${helpRequestId}/print`);
    await page.getByRole('heading', { level: 1, name: 'Intakeverslag' }).waitFor();
    const summary = page.getByTestId('print-summary');
    await summary.getByText('Ik slaap slecht en zie het sinds de scheiding niet meer zitten.').waitFor();
    await summary.getByText(`${PREVENTION_OFFER} — CGG De Kade (demo)`).waitFor();
    // the printout speaks the same vocabulary
    expect(await words(summary.getByTestId('print-risk'))).toBe('! Risico: Hoog');
    await summary.getByText('Suïciderisico (Risico: Hoog)').waitFor();
    await page.getByRole('button', { name: 'Afdrukken' }).waitFor();
    await page.close();

    // (h) at the CGG: the referral's inbox row carries the risk badge, in words, and so does the notification
    const cgg = await (await bw.browser.newContext({ locale: 'nl-BE' })).newPage();
    await signIn(cgg, 'onthaal@cgg.demo.example');
    await cgg.goto(`${bw.baseUrl}/referrals`);
    const inbox = cgg.getByRole('table', { name: 'Inkomende doorverwijzingen' });
    const inboxRow = inbox.getByRole('row').filter({ has: cgg.locator(`a[href$="/referrals/${row.id}"]`) });
    const badge = inboxRow.getByTestId('risk-badge');
    expect(await badge.getAttribute('data-risk')).toBe('high');
    // the word with its label, in a column headed "Risico" seen as "Hoog" and read out as "Risico: Hoog"
    expect(await words(badge)).toBe('! Risico: Hoog');
    expect(await badge.locator('.visually-hidden').textContent()).toBe('Risico: ');
    // acute and high risk first: down the inbox the risk never rises
    const rank = { acute: 0, high: 1 } as Record<string, number>;
    const ranks = (
      await inbox.getByTestId('risk-badge').evaluateAll((els) => els.map((e) => e.dataset.risk ?? ''))
    ).map((r) => rank[r] ?? 2);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    await cgg.goto(`${bw.baseUrl}/notifications`);
    const notice = cgg
      .getByTestId('notifications')
      .locator('li')
      .filter({ has: cgg.locator(`a[href$="/referrals/${row.id}"]`) });
    expect(await words(notice.getByTestId('notification-risk'))).toBe('! Risico: Hoog');
    await cgg.close();
  });

  it('an anonymous help request (no file) cannot be referred, and a returning client sees the history of her scores', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'onthaal@caw.demo.example');
    await page.goto(`${bw.baseUrl}/intake/new`);
    await page.getByRole('radio', { name: 'Anoniem, zonder dossier' }).check();
    await page.getByRole('button', { name: 'Hulpvraag registreren' }).click();
    // the story is required: the error sits next to the field
    await page.getByText('Noteer het verhaal van de persoon.').waitFor();
    expect(await page.getByLabel('Verhaal').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Verhaal').fill('Belt anoniem over eenzaamheid.');
    await page.getByRole('button', { name: 'Hulpvraag registreren' }).click();
    await page.getByRole('heading', { level: 1, name: 'Anonieme hulpvraag' }).waitFor();
    // no municipality: the suggestions say where they were looked for (near the CAW's site in Leuven)
    expect(await page.getByTestId('match-area').textContent()).toBe(
      'Geen gemeente gekend: aanbod dichtbij de organisatie die de vraag registreerde (Leuven). ' +
        'Vul de gemeente van de persoon in voor suggesties dicht bij huis.',
    );
    await page
      .getByRole('region', { name: 'Suggesties' })
      .getByRole('button', { name: /^Kies dit aanbod: / })
      .first()
      .click();
    await page
      .getByRole('region', { name: 'Toestemming en doorverwijzing' })
      .getByText(/Een doorverwijzing vraagt een cliëntdossier/)
      .waitFor();
    expect(await page.getByRole('button', { name: 'Toestemming vastleggen en doorverwijzen' }).count()).toBe(0);

    // Marie Peeters returns: a second PHQ-9 draws the chart of her scores, with the numbers in a table
    await page.goto(`${bw.baseUrl}/clients`);
    await page.getByLabel('Zoeken').fill('Peeters');
    await page.getByRole('link', { name: /Marie Peeters/ }).click();
    await page.getByRole('region', { name: 'Hulpvragen' }).getByRole('link', { name: 'Nieuwe hulpvraag' }).click();
    await page.getByTestId('chosen-client').getByText('Marie Peeters').waitFor();
    await page.getByLabel('Verhaal').fill('Terug: het gaat wat beter.');
    await page.getByRole('button', { name: 'Hulpvraag registreren' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hulpvraag van Marie Peeters' }).waitFor();
    await page.getByLabel('Instrument').selectOption('phq9');
    for (let n = 1; n <= 9; n++) await question(page, n).getByRole('radio', { name: 'helemaal niet' }).check();
    await page.getByRole('button', { name: 'Screening opslaan' }).click();
    const history = page.getByTestId('score-history');
    await history.getByRole('img', { name: 'PHQ-9 (Patient Health Questionnaire): verloop van de score' }).waitFor();
    const rows = history
      .getByRole('table', { name: 'Scores op PHQ-9 (Patient Health Questionnaire) door de tijd' })
      .locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).locator('td').nth(1).innerText()).toBe('10');
    expect(await rows.nth(1).locator('td').nth(1).innerText()).toBe('0');
    expect(await rows.nth(1).innerText()).toContain('deze hulpvraag');
    await page.close();
  });

  it('an indication that differs from what the scores suggest asks for its reasons next to the field', async () => {
    const page = await bw.browser.newPage({ locale: 'nl-BE' });
    await signIn(page, 'onthaal@caw.demo.example');
    await page.goto(`${bw.baseUrl}/intake/new`);
    await page.getByRole('radio', { name: 'Anoniem, zonder dossier' }).check();
    await page.getByLabel('Verhaal').fill('Belt over spanningen thuis.');
    await page.getByRole('button', { name: 'Hulpvraag registreren' }).click();
    await page.getByRole('heading', { level: 1, name: 'Anonieme hulpvraag' }).waitFor();
    const id = page.url().split('/').pop()!;
    const indication = page.getByRole('region', { name: 'Indicatie' });
    expect(await indication.getByTestId('suggested-level').innerText()).toBe(
      'De scores wijzen op: Basiszorg (eerste lijn)',
    );
    await indication.getByLabel('Zorgniveau').selectOption({ label: 'Gespecialiseerd' });
    await indication.getByRole('button', { name: 'Indicatie opslaan' }).click();
    await indication.getByText('Geef een motivering: de scores wijzen op Basiszorg (eerste lijn).').waitFor();
    expect(await indication.getByLabel(/^Motivering/).getAttribute('aria-invalid')).toBe('true');
    expect(
      (
        await bw.world.owner
          .selectFrom('help_requests')
          .select('indication_level')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).indication_level,
    ).toBeNull();
    await indication.getByLabel(/^Motivering/).fill('Eerdere hulp in de basiszorg volstond niet.');
    await indication.getByRole('button', { name: 'Indicatie opslaan' }).click();
    await page.getByRole('status').getByText('Indicatie opgeslagen.').waitFor();
    expect(
      await bw.world.owner
        .selectFrom('help_requests')
        .select(['indication_level', 'indication_reasons', 'status'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      indication_level: 'specialised',
      indication_reasons: 'Eerdere hulp in de basiszorg volstond niet.',
      status: 'indicated',
    });
    await page.close();
  });
});
