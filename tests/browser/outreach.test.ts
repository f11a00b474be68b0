import { describe, expect, it } from 'vitest';
import { useBrowserWorld } from '../support/browser.ts';

const bw = useBrowserWorld();

/** dd/mm/jjjj of a day in the past, as a person types it. */
const daysAgo = (n: number) => {
  const d = new Date(Date.now() - n * 86_400_000);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
};

describe('proactive outreach in the browser', () => {
  it("a funeral director's employee signals a bereaved relative by keyboard on a phone; the CAW coordinator tries twice, reaches her, closes with support accepted; the sender sees it closed", async () => {
    // the funeral director's employee, on a phone-width screen: the signal form is the start page
    const sender = await bw.browser.newPage({ locale: 'nl-BE', viewport: { width: 390, height: 844 } });
    await bw.signIn(sender, 'onthaal@uitvaart.demo.example');
    await sender.getByRole('heading', { level: 1, name: 'Iemand aanmelden voor contact' }).waitFor();
    expect(await sender.getByRole('radio', { name: 'Nabestaande' }).isChecked()).toBe(true);
    // one column: nothing wider than the screen
    expect(await sender.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await sender.getByLabel('Naam (of voornaam)').focus();
    await sender.keyboard.type('Marleen Peeters');
    await sender.keyboard.press('Tab');
    await sender.keyboard.type('0470 12 34 56');
    await sender.getByLabel('Relatie tot de overledene').focus();
    await sender.keyboard.type('echtgenote');
    await sender.keyboard.press('Tab');
    await sender.keyboard.type(daysAgo(3));
    await sender.getByLabel('Korte toelichting').focus();
    await sender.keyboard.type('Liefst na 14 uur bellen.');
    await sender.getByRole('radio', { name: 'Mondeling' }).focus();
    await sender.keyboard.press('Space');
    await sender.getByRole('button', { name: 'Aanmelding versturen' }).focus();
    await sender.keyboard.press('Enter');
    await sender.waitForURL(/\/outreach\/sent$/);
    await sender.getByRole('status').getByText('De aanmelding is verstuurd.').waitFor();
    const row = sender.getByTestId('outreach-sent').getByRole('row', { name: /Marleen Peeters/ });
    expect(await row.getByTestId('outreach-state').innerText()).toBe('Ontvangen');
    expect(await row.innerText()).toContain('CAW Oost-Brabant (demo)');
    // the CAW's coordinator works the queue
    const coordinator = await bw.browser.newPage({ locale: 'nl-BE' });
    await bw.signIn(coordinator, 'coordinator@caw.demo.example');
    await coordinator
      .getByRole('navigation', { name: 'Hoofdnavigatie' })
      .getByRole('link', { name: 'Proactief aanbod' })
      .click();
    await coordinator.getByRole('heading', { level: 1, name: 'Proactief aanbod: aanmeldingen' }).waitFor();
    await coordinator.getByTestId('outreach-queue').getByRole('link', { name: 'Marleen Peeters' }).click();
    await coordinator.getByRole('heading', { level: 1, name: 'Aanmelding: Marleen Peeters' }).waitFor();
    expect(await coordinator.getByText('Liefst na 14 uur bellen.').count()).toBe(1);

    const attempt = async (outcome: string, count: number) => {
      await coordinator.getByLabel('Resultaat').selectOption({ label: outcome });
      await coordinator.getByRole('button', { name: 'Poging registreren' }).click();
      await expect.poll(() => coordinator.getByTestId('outreach-attempts').getByRole('listitem').count()).toBe(count);
    };
    await attempt('Geen antwoord', 1);
    await attempt('Voicemail ingesproken', 2);
    await attempt('Bereikt', 3);
    expect(await coordinator.getByTestId('outreach-state').innerText()).toBe('Contact gelegd');

    await coordinator
      .getByLabel('Uitkomst')
      .selectOption({ label: 'Aanvaardt ondersteuning (cliënt en traject starten)' });
    expect(await coordinator.getByLabel('Module van het traject').inputValue()).toBe('victim-support-bereavement');
    await coordinator.getByRole('button', { name: 'Afsluiten' }).click();
    const dialog = coordinator.getByRole('alertdialog', { name: 'Aanmelding afsluiten?' });
    await dialog.getByText(/wordt als cliënt geregistreerd/).waitFor();
    await dialog.getByRole('button', { name: 'Afsluiten' }).click();
    await coordinator.getByText('Afgesloten: Aanvaardt ondersteuning (cliënt en traject starten)').waitFor();
    await coordinator.getByRole('link', { name: 'Naar het traject' }).click();
    await coordinator.waitForURL(/\/trajectories\/[0-9a-f-]{36}$/);
    await coordinator.getByText('Slachtofferhulp en rouw').first().waitFor();

    // the sender sees "Afgesloten", nothing of the conversations
    await sender.reload();
    const closedRow = sender.getByTestId('outreach-sent').getByRole('row', { name: /Marleen Peeters/ });
    expect(await closedRow.getByTestId('outreach-state').innerText()).toBe('Afgesloten');
    expect(await sender.getByText('echtgenote').count()).toBe(0);
    // the queue is not the funeral director's, and not in its menu
    expect(
      await sender
        .getByRole('navigation', { name: 'Hoofdnavigatie' })
        .getByRole('link', { name: 'Proactief aanbod' })
        .count(),
    ).toBe(0);
    await sender.goto(`${bw.baseUrl}/outreach`);
    await sender.getByRole('heading', { level: 1, name: 'Je hebt geen toegang tot deze gegevens.' }).waitFor();
    await sender.close();
    await coordinator.close();
  }, 120_000);
});
