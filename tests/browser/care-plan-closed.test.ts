import { describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { useBrowserWorld } from '../support/browser.ts';
import { seedDemoCases } from '../../src/server/demo/seed-cases.ts';

// playing the demo cases (with their trajectories and care plans) takes a while on a busy machine
vi.setConfig({ hookTimeout: 240_000, testTimeout: 180_000 });

const bw = useBrowserWorld(async (world) => {
  await seedDemoCases({ app: world.db.app, owner: world.owner });
});

describe('a removed support person changed meanwhile, and a closed plan', () => {
  it('the removal reloads the plan and says so; the closed plan stays on the client page, read-only, and a new plan may follow', async () => {
    // the demo plan of Jean Dubois, made by the CAW's caregiver, with Nathalie Dubois as support person
    const made = await bw.world.owner
      .selectFrom('care_plans as p')
      .innerJoin('users as u', 'u.id', 'p.created_by')
      .select(['p.id', 'p.client_id'])
      .where('u.email', '=', 'hulpverlener@caw.demo.example')
      .executeTakeFirstOrThrow();
    const clientId = made.client_id;
    const context = await bw.browser.newContext({ locale: 'nl-BE' });
    const page = await context.newPage();
    await bw.signIn(page, 'hulpverlener@caw.demo.example');
    await page.goto(`${bw.baseUrl}/clients/${clientId}/hulpplan`);
    const support = page.getByTestId('team-support-person').filter({ hasText: 'Nathalie Dubois' });
    await support.waitFor();

    // someone else changes the support person after the page was read
    await sql`update care_team_members set name = 'Nathalie Dubois-Peeters', version = version + 1
               where care_plan_id = ${made.id} and name = 'Nathalie Dubois'`.execute(bw.world.owner);
    await support.getByRole('button', { name: 'Steunfiguur Nathalie Dubois verwijderen' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Verwijderen' }).click();
    await expect
      .poll(() => page.getByRole('status').allInnerTexts(), { timeout: 15_000 })
      .toContain('Iemand anders heeft Nathalie Dubois intussen gewijzigd. Bekijk het zorgteam opnieuw.');
    // the page shows the plan as it is now: the support person is still there, under the new name
    await expect
      .poll(() => page.getByTestId('team-support-person').allInnerTexts(), { timeout: 15_000 })
      .toEqual([expect.stringContaining('Nathalie Dubois-Peeters')]);
    const stillActive = await bw.world.owner
      .selectFrom('care_team_members')
      .select('active')
      .where('care_plan_id', '=', made.id)
      .where('name', '=', 'Nathalie Dubois-Peeters')
      .executeTakeFirstOrThrow();
    expect(stillActive.active).toBe(true);

    // the plan is closed at an evaluation (the form asks a confirmation first)
    await page.getByRole('button', { name: 'Evalueren' }).click();
    const form = page.getByTestId('evaluation-form');
    await form.getByLabel('Verslag').fill('Doelen bereikt, plan afgesloten.');
    await form.getByLabel('Afsluiten').check();
    await form.getByRole('button', { name: 'Evaluatie opslaan' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Afsluiten' }).click();

    // the plan page now offers a new plan and lists the closed one
    await expect
      .poll(() => page.getByTestId('care-plan-empty').innerText(), { timeout: 15_000 })
      .toContain('Deze persoon heeft geen lopend hulpplan. Eerdere plannen zijn afgesloten.');
    const closedOn = await bw.world.owner
      .selectFrom('care_plans')
      .select('closed_on')
      .where('id', '=', made.id)
      .executeTakeFirstOrThrow();
    const [y, m, d] = closedOn.closed_on!.split('-');
    const label = `Afgesloten hulpplan (${d}/${m}/${y})`;
    await expect.poll(() => page.getByTestId('closed-care-plan').allInnerTexts(), { timeout: 15_000 }).toEqual([label]);

    // the client page shows it too, with a link that reads it without any form
    await page.goto(`${bw.baseUrl}/clients/${clientId}`);
    await expect.poll(() => page.getByTestId('closed-care-plan').allInnerTexts(), { timeout: 15_000 }).toEqual([label]);
    await page.getByRole('link', { name: label }).click();
    await expect
      .poll(() => page.getByTestId('closed-plan-banner').innerText(), { timeout: 15_000 })
      .toContain(`Dit hulpplan is afgesloten op ${d}/${m}/${y}. U kunt het alleen lezen.`);
    await expect
      .poll(() => page.getByTestId('care-plan-goals').innerText(), { timeout: 15_000 })
      .toContain('Een gezonde woning vinden');
    expect(await page.getByTestId('care-plan-closed').getByRole('button').count()).toBe(0);

    // back to the plan page: a new plan for the person
    await page.getByRole('link', { name: 'Terug naar het hulpplan' }).click();
    await page.getByRole('button', { name: 'Nieuw hulpplan opstellen' }).click();
    await expect.poll(() => page.getByTestId('care-plan-status').innerText(), { timeout: 15_000 }).toBe('Lopend');
    const plans = await bw.world.owner
      .selectFrom('care_plans')
      .select(['status'])
      .where('client_id', '=', clientId)
      .orderBy('created_at')
      .execute();
    expect(plans.map((p) => p.status)).toEqual(['closed', 'active']);
    await context.close();
  });
});
