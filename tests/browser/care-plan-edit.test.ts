import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserWorld } from '../support/browser.ts';
import { seedDemoCases } from '../../src/server/demo/seed-cases.ts';

// playing the demo cases (with their trajectories and care plans) takes a while on a busy machine
vi.setConfig({ hookTimeout: 240_000, testTimeout: 180_000 });

const bw = useBrowserWorld(async (world) => {
  await seedDemoCases({ app: world.db.app, owner: world.owner });
});

const DAY_MS = 86_400_000;
/** dd/mm/yyyy of a day relative to today, as a Dutch user types it. */
const typed = (days: number) => {
  const d = new Date(Date.now() + days * DAY_MS);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
};

interface Plan {
  id: string;
  version: number;
  coordinatorMemberId: string | null;
  evaluationIntervalMonths: number;
  agreementMethod: string | null;
  personWishes: string | null;
  status: string;
  goals: { id: string; description: string; professionalWording: string | null; version: number }[];
  team: { id: string; kind: string; displayName: string | null; active: boolean }[];
  evaluations: { caseConference: boolean; presentMemberIds: string[] }[];
}

async function planOf(page: Page, clientId: string): Promise<Plan> {
  return (await (await page.request.get(`${bw.baseUrl}/api/clients/${clientId}/care-plan`)).json()) as Plan;
}

describe('editing the care plan in the browser', () => {
  it('two people edit one goal: the second sees the conflict and keeps both; handover, support person, agreement, case conference, history and the plan as it was', async () => {
    // the demo plan of Jean Dubois, made by the CAW's caregiver
    const made = await bw.world.owner
      .selectFrom('care_plans as p')
      .innerJoin('users as u', 'u.id', 'p.created_by')
      .select(['p.id', 'p.client_id'])
      .where('u.email', '=', 'hulpverlener@caw.demo.example')
      .executeTakeFirstOrThrow();
    const clientId = made.client_id;
    // what the demo wrote happened ten days ago, so "the plan as it was five days ago" is the demo's plan
    await bw.world.owner
      .updateTable('care_plan_changes')
      .set({ at: new Date(Date.now() - 10 * DAY_MS) })
      .where('care_plan_id', '=', made.id)
      .execute();

    const contextA = await bw.browser.newContext({ locale: 'nl-BE' });
    const contextB = await bw.browser.newContext({ locale: 'nl-BE' });
    const a = await contextA.newPage();
    const b = await contextB.newPage();
    await bw.signIn(a, 'hulpverlener@caw.demo.example');
    await bw.signIn(b, 'coordinator@caw.demo.example');
    for (const page of [a, b]) {
      await page.goto(`${bw.baseUrl}/clients/${clientId}/hulpplan`);
      await page.getByTestId('care-plan').waitFor();
    }
    const before = await planOf(a, clientId);
    const goal = before.goals.find((g) => g.description === 'Een gezonde woning vinden')!;
    expect(goal).toBeTruthy();

    // both open the same goal; A changes the professional wording and saves first
    const goalOf = (page: Page) => page.getByTestId('care-plan-goal').filter({ hasText: goal.description });
    await goalOf(a).getByRole('button', { name: 'Doel bewerken' }).click();
    await goalOf(b).getByRole('button', { name: 'Doel bewerken' }).click();
    await goalOf(a).getByLabel('Professionele omschrijving').fill('Woonst zonder vocht; inschrijving bij het SVK');
    await goalOf(a).getByRole('button', { name: 'Opslaan' }).click();
    await a.getByText('Het doel is gewijzigd.').waitFor();

    // B, still on the version it read, changes the person's words: the conflict shows both changes side by side
    await goalOf(b).getByLabel('In de eigen woorden van de persoon').fill('Een gezonde en betaalbare woning vinden');
    await goalOf(b).getByRole('button', { name: 'Opslaan' }).click();
    const conflict = b.getByTestId('conflict');
    await conflict.waitFor();
    const rows = await conflict.getByTestId('conflict-row').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.startsWith('In de eigen woorden'))).toContain('Een gezonde en betaalbare woning vinden');
    const theirs = rows.find((r) => r.startsWith('Professionele omschrijving'))!;
    expect(theirs).toContain('(niet door u gewijzigd)');
    expect(theirs).toContain('Woonst zonder vocht; inschrijving bij het SVK');
    // nothing of B's was saved yet
    expect((await planOf(b, clientId)).goals.find((g) => g.id === goal.id)!.description).toBe(goal.description);

    // B keeps its change: only its own field is sent on the current version, so A's change stays too
    await conflict.getByRole('button', { name: 'Mijn wijziging bewaren' }).click();
    await b.getByText('Het doel is gewijzigd.').waitFor();
    const merged = (await planOf(b, clientId)).goals.find((g) => g.id === goal.id)!;
    expect(merged).toMatchObject({
      description: 'Een gezonde en betaalbare woning vinden',
      professionalWording: 'Woonst zonder vocht; inschrijving bij het SVK',
      version: goal.version + 2,
    });
    await expect
      .poll(() => b.getByTestId('care-plan-goals').innerText(), { timeout: 15_000 })
      .toContain('“Een gezonde en betaalbare woning vinden”');

    // marking an action done is one click
    const open = b
      .getByTestId('care-plan-action')
      .filter({ has: b.getByTestId('action-done') })
      .first();
    const actionText = (await open.locator('td').first().innerText()).split('\n')[0]!;
    await open.getByTestId('action-done').click();
    await b.getByText('De actie is gedaan.').waitFor();
    const doneRow = b.getByTestId('care-plan-action').filter({ hasText: actionText });
    await expect.poll(() => doneRow.getByTestId('action-status').innerText(), { timeout: 15_000 }).toBe('Gedaan');

    // A hands the coordinator role over to the Sociaal Huis, after a confirmation
    await a.reload();
    await a.getByTestId('care-plan').waitFor();
    await a.getByRole('button', { name: 'Regie overdragen' }).click();
    const option = (await a.locator('#handover-member option').allInnerTexts()).find((o) => o.includes('Sociaal Huis'));
    expect(option).toBeTruthy();
    await a.getByLabel('Nieuwe regisseur').selectOption({ label: option! });
    await a.getByLabel('Reden van de overdracht').fill('De schuldhulp loopt nu via het Sociaal Huis.');
    await a.getByRole('button', { name: 'Opslaan' }).click();
    const dialog = a.getByRole('alertdialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Overdragen' }).click();
    await a.getByText('is nu de regisseur van het hulpplan').waitFor();
    const handed = await planOf(a, clientId);
    const newCoordinator = handed.team.find((m) => m.id === handed.coordinatorMemberId)!;
    expect(newCoordinator.kind).toBe('organization');
    expect(newCoordinator.displayName).toContain('Sociaal Huis');
    const badge = a
      .getByTestId('care-plan-team')
      .locator('li')
      .filter({ has: a.getByTestId('coordinator-badge') });
    await expect.poll(() => badge.innerText(), { timeout: 15_000 }).toContain('Sociaal Huis');
    expect(await a.getByTestId('handover-reason').innerText()).toContain(
      'De schuldhulp loopt nu via het Sociaal Huis.',
    );

    // a support person is edited, and removed only after a confirmation
    const support = a.getByTestId('team-support-person').filter({ hasText: 'Nathalie Dubois' });
    await support.getByRole('button', { name: 'Steunfiguur Nathalie Dubois bewerken' }).click();
    await support.getByLabel('Hoe bereikbaar').fill('0479 11 22 33 (na 17 uur)');
    await support.getByRole('button', { name: 'Opslaan' }).click();
    await a.getByTestId('care-plan-team').getByText('0479 11 22 33 (na 17 uur)').waitFor();
    await support.getByRole('button', { name: 'Steunfiguur Nathalie Dubois verwijderen' }).click();
    await a.getByRole('alertdialog').getByRole('button', { name: 'Annuleren' }).click();
    expect(await a.getByTestId('team-support-person').count()).toBe(1);
    await support.getByRole('button', { name: 'Steunfiguur Nathalie Dubois verwijderen' }).click();
    await a.getByRole('alertdialog').getByRole('button', { name: 'Verwijderen' }).click();
    await a.getByText('Nathalie Dubois is uit het zorgteam verwijderd.').waitFor();
    await expect.poll(() => a.getByTestId('team-support-person').count(), { timeout: 15_000 }).toBe(0);

    // samen beslissen: how the person agreed and what they want, on the page and in print
    await a.getByRole('button', { name: 'Samen beslissen vastleggen' }).click();
    await a.getByLabel('Wat de persoon wil').fill('Ik wil zelf mijn papieren kunnen volgen, met hulp van het CAW.');
    await a.getByLabel('Akkoord op').fill(typed(-1));
    await a.getByLabel('mondeling').check();
    await a.getByRole('button', { name: 'Opslaan' }).click();
    await a.getByText('Samen beslissen is vastgelegd.').waitFor();
    await expect
      .poll(() => a.getByTestId('care-plan-agreement').innerText(), { timeout: 15_000 })
      .toContain('(mondeling)');
    expect(await a.getByTestId('care-plan-wishes').innerText()).toBe(
      '“Ik wil zelf mijn papieren kunnen volgen, met hulp van het CAW.”',
    );
    await a.emulateMedia({ media: 'print' });
    expect(await a.getByTestId('care-plan-agreement').isVisible()).toBe(true);
    expect(await a.getByTestId('care-plan-wishes').isVisible()).toBe(true);
    expect(await a.getByRole('button', { name: 'Samen beslissen vastleggen' }).isVisible()).toBe(false);
    await a.emulateMedia({ media: 'screen' });

    // a case conference: nobody ticked is refused field by field, then the person and the caregiver present;
    // the plan is evaluated every two months from now on
    await a.getByRole('button', { name: 'Evalueren' }).click();
    await a.getByLabel('Verslag').fill('Knelpuntoverleg over de woning en de schulden.');
    await a.getByLabel('Dit is een knelpuntoverleg').check();
    await a.locator('#evaluation-interval').fill('2');
    await a.getByRole('button', { name: 'Evaluatie opslaan' }).click();
    await a.getByTestId('evaluation-form').locator('.field-error').first().waitFor();
    await a.getByTestId('case-conference').getByLabel('De persoon').check();
    await a
      .getByTestId('case-conference')
      .getByLabel(/\(Hulpverlener\)/)
      .check();
    await a.getByRole('button', { name: 'Evaluatie opslaan' }).click();
    await a.getByText('De evaluatie is opgeslagen.').waitFor();
    await a.getByTestId('case-conference-present').waitFor();
    expect(await a.getByTestId('case-conference-present').innerText()).toContain('De persoon');
    expect(await a.getByTestId('care-plan-next-evaluation').innerText()).toContain('om de 2 maanden');
    const evaluated = await planOf(a, clientId);
    expect(evaluated.evaluationIntervalMonths).toBe(2);
    expect(evaluated.evaluations.find((e) => e.caseConference)?.presentMemberIds).toHaveLength(2);

    // history: who changed what
    await a.getByRole('button', { name: 'Geschiedenis tonen' }).click();
    await a.getByTestId('history-entry').first().waitFor();
    const history = await a.getByTestId('history-list').innerText();
    expect(history).toContain('Doel “Een gezonde en betaalbare woning vinden” gewijzigd: eigen woorden');
    expect(history).toContain('professionele omschrijving');
    expect(history).toContain('regisseur');
    expect(history).toContain('Evaluatie toegevoegd');

    // the plan as it was five days ago: the demo's goal words, read-only and marked as such
    await a.getByLabel('Plan zoals het was op').fill(typed(-5));
    await a.getByRole('button', { name: 'Tonen', exact: true }).click();
    await a.getByTestId('as-of-banner').waitFor();
    await a.getByTestId('care-plan-as-of').waitFor();
    expect(a.url()).toContain('asOf=');
    const asOf = await a.getByTestId('care-plan-as-of').innerText();
    expect(asOf).toContain('“Een gezonde woning vinden”');
    expect(asOf).not.toContain('betaalbare');
    expect(asOf).toContain('Nathalie Dubois');
    expect(await a.getByRole('button', { name: 'Bewerken' }).count()).toBe(0);
    expect(await a.getByRole('button', { name: 'Evalueren' }).count()).toBe(0);
    await a.getByTestId('leave-as-of').click();
    await a.getByTestId('care-plan').waitFor();

    // closing the plan asks a confirmation; cancelled, the plan stays open
    await a.getByRole('button', { name: 'Evalueren' }).click();
    await a.getByLabel('Verslag').fill('De doelen zijn bereikt; we sluiten af.');
    await a.getByLabel('Afsluiten').check();
    await a.getByRole('button', { name: 'Evaluatie opslaan' }).click();
    await a.getByRole('alertdialog').getByRole('button', { name: 'Annuleren' }).click();
    expect((await planOf(a, clientId)).status).toBe('active');
    await a.getByRole('button', { name: 'Evaluatie opslaan' }).click();
    await a.getByRole('alertdialog').getByRole('button', { name: 'Afsluiten' }).click();
    // the plan is closed (the person has no running plan any more: the page offers to make a new one)
    await a.getByTestId('care-plan-empty').waitFor();
    const closed = (await (await a.request.get(`${bw.baseUrl}/api/care-plans/${made.id}`)).json()) as Plan;
    expect(closed.status).toBe('closed');

    await contextA.close();
    await contextB.close();
  });
});
