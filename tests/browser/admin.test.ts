import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sql } from 'kysely';
import { useBrowserWorld } from '../support/browser.ts';
import { login } from '../support/world.ts';
import { DEMO_PASSWORD } from '../../src/server/demo/seed.ts';
import { currentTotp } from '../../src/server/core/auth/totp.ts';

const CGG = 'CGG De Kade (demo)';
const CAW = 'CAW Oost-Brabant (demo)';
const CAREGIVER = 'hulpverlener@cgg.demo.example';
const NEW_EMAIL = 'nieuwe.collega@cgg.demo.example';
const NEW_NAME = 'Nieuwe Collega';
const OTHER_ORG_EMAIL = 'andere.collega@caw.demo.example';

let cggId = '';
let cawId = '';
let networkId = '';
/** the user the CGG admin creates (test 2), and the row of another organisation (made in beforeAll) */
let newUserId = '';
let otherOrgUserId = '';
let cawIntakeUserId = '';

const bw = useBrowserWorld(async (world) => {
  const orgs = await world.owner
    .selectFrom('organizations')
    .select(['id', 'name', 'network_id'])
    .where('name', 'in', [CGG, CAW])
    .execute();
  cggId = orgs.find((o) => o.name === CGG)!.id;
  cawId = orgs.find((o) => o.name === CAW)!.id;
  networkId = orgs[0]!.network_id;
  // rows of another organisation: the CAW admin creates a user through the API, a CAW user mistypes the password
  const cawAdmin = await login(world, 'admin@caw.demo.example', DEMO_PASSWORD);
  const created = await cawAdmin.post('/api/users', {
    email: OTHER_ORG_EMAIL,
    displayName: 'Andere Collega',
    role: 'caregiver',
  });
  expect(created.statusCode, created.raw).toBe(201);
  otherOrgUserId = created.body.id;
  cawIntakeUserId = (
    await world.owner
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'onthaal@caw.demo.example')
      .executeTakeFirstOrThrow()
  ).id;
  const wrong = await world.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: 'onthaal@caw.demo.example', password: 'niet-het-wachtwoord' },
  });
  expect(wrong.statusCode).toBe(401);
});

const { signIn } = bw;
/** A page in its own context; a wait that fails says where, well within the test's time. */
async function newPage() {
  const page = await bw.browser.newPage({ locale: 'nl-BE' });
  page.setDefaultTimeout(10_000);
  return page;
}
const nav = (page: Page) => page.getByRole('navigation', { name: 'Hoofdnavigatie' });
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

/** The audit rows of one organisation, read in its own tenant context (as row-level security wants). */
function auditOf(organizationId: string) {
  return bw.world.owner.transaction().execute(async (trx) => {
    await sql`select set_config('app.org_id', ${organizationId}, true), set_config('app.network_id', ${networkId}, true)`.execute(
      trx,
    );
    return trx
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'outcome', 'organization_id', 'actor_user_id', 'details'])
      .where('organization_id', '=', organizationId)
      .orderBy('id')
      .execute();
  });
}

/** A 6-digit code that is valid for none of the time steps around now. */
function wrongCode(secret: string): string {
  const now = Date.now();
  const valid = new Set([-2, -1, 0, 1, 2, 3].map((k) => currentTotp(secret, now + k * 30_000)));
  return ['123456', '654321', '111111', '909090'].find((c) => !valid.has(c))!;
}

/** Fills the login form and presses Enter in the password field, as a keyboard user does. */
async function submitCredentials(page: Page, email: string, password: string) {
  await page.getByRole('heading', { level: 1, name: 'Aanmelden' }).waitFor();
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByLabel('Wachtwoord').press('Enter');
}

describe('two-factor sign-in in the browser', () => {
  it('a caregiver turns on two-factor sign-in, signs out, and signs in again with a code, by keyboard', async () => {
    const page = await newPage();
    await signIn(page, CAREGIVER);
    await nav(page).getByRole('link', { name: 'Mijn account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mijn account' }).waitFor();
    await page.getByText('Tweestapsverificatie staat uit. Zet ze aan om je account beter te beschermen.').waitFor();
    await page.getByRole('button', { name: 'Tweestapsverificatie instellen' }).click();

    // the QR code is an image with a text alternative; the secret is shown as text too, for typing it in
    await page.getByRole('img', { name: 'QR-code om Korte Lijn toe te voegen aan je authenticator-app' }).waitFor();
    await page.getByText('Kan je niet scannen? Geef deze sleutel manueel in:').waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const user = await bw.world.owner
      .selectFrom('users')
      .select(['id', 'totp_secret', 'totp_enabled'])
      .where('email', '=', CAREGIVER)
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({ totp_secret: secret, totp_enabled: false });

    // not six digits: said at the field, before asking the server
    await page.getByLabel('Verificatiecode').fill('12345');
    await page.getByRole('button', { name: 'Code bevestigen' }).click();
    await page
      .locator('#totp-enable-code-error')
      .getByText('Geef de code van 6 cijfers uit je authenticator-app.')
      .waitFor();
    expect(await page.getByLabel('Verificatiecode').getAttribute('aria-invalid')).toBe('true');

    const enrolmentCode = currentTotp(secret);
    await page.getByLabel('Verificatiecode').fill(enrolmentCode);
    await page.getByRole('button', { name: 'Code bevestigen' }).click();
    await page.getByRole('status').getByText('Tweestapsverificatie staat nu aan.').waitFor();
    await page.getByText('Tweestapsverificatie staat aan.').waitFor();
    await page.getByRole('button', { name: 'Tweestapsverificatie uitzetten' }).waitFor();
    expect(await page.getByTestId('totp-secret').count()).toBe(0);
    const enrolled = await bw.world.owner
      .selectFrom('users')
      .select(['totp_enabled', 'totp_last_step'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(enrolled.totp_enabled).toBe(true);

    await page.getByRole('button', { name: 'Afmelden' }).click();
    await submitCredentials(page, CAREGIVER, DEMO_PASSWORD);

    // the password alone does not open the app: the code step follows, with the focus in the code field
    await page.getByRole('heading', { level: 1, name: 'Tweestapsverificatie' }).waitFor();
    await page.getByText('Geef de code van 6 cijfers uit je authenticator-app.').waitFor();
    await expect.poll(() => focusedId(page)).toBe('totp-code');
    expect(await page.getByRole('button', { name: 'Afmelden' }).count()).toBe(0);
    expect(await nav(page).count()).toBe(0);

    // a wrong code, typed and sent with Tab and Enter: a Dutch error, still at the code step
    await page.keyboard.type(wrongCode(secret));
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Verifiëren');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText('De verificatiecode is onjuist of verlopen.').waitFor();
    expect(await page.getByLabel('Verificatiecode').inputValue()).toBe('');
    await page.getByRole('heading', { level: 1, name: 'Tweestapsverificatie' }).waitFor();

    // the code already used for the enrolment is a replay: refused as well
    await page.keyboard.press('Shift+Tab');
    await expect.poll(() => focusedId(page)).toBe('totp-code');
    await page.keyboard.type(enrolmentCode);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('Verificatiecode').inputValue()).toBe('');
    await page.getByRole('alert').getByText('De verificatiecode is onjuist of verlopen.').waitFor();
    expect(await page.getByRole('button', { name: 'Afmelden' }).count()).toBe(0);

    // the right code, of a time step after the one the enrolment used (the server refuses a step twice)
    const { totp_last_step: lastStep } = await bw.world.owner
      .selectFrom('users')
      .select('totp_last_step')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    const at = Math.max(Date.now(), (Number(lastStep) + 1) * 30_000);
    await expect.poll(() => focusedId(page)).toBe('totp-code');
    await page.keyboard.type(currentTotp(secret, at));
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Afmelden' }).waitFor();
    await nav(page).getByRole('link', { name: 'Mijn account' }).waitFor();
    expect(await page.getByTestId('current-user').textContent()).toBe('Hulpverlener CGG De Kade');

    const rows = (await auditOf(cggId)).filter((r) => r.entity_id === user.id);
    expect(rows.map((r) => `${r.action}:${r.outcome}`)).toEqual(
      expect.arrayContaining([
        'auth.totp.setup:success',
        'auth.totp.enable:success',
        'auth.login.password:success',
        'auth.login.totp:failed',
        'auth.login:success',
      ]),
    );
    expect(rows.filter((r) => r.action === 'auth.login.totp').length).toBe(2);
    await page.close();
  });
});

describe('user administration in the browser', () => {
  let firstPassword = '';
  let resetPassword = '';

  it('the organisation admin sees the e-mail message, then creates a user with a role and a one-time password', async () => {
    const page = await newPage();
    await signIn(page, 'admin@cgg.demo.example');
    await nav(page).getByRole('link', { name: 'Gebruikers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Gebruikers' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Nieuwe gebruiker' }).waitFor();

    const email = page.getByLabel('E-mailadres');
    await email.fill('nieuwe.collega@');
    await page.getByLabel('Naam', { exact: true }).fill(NEW_NAME);
    await page.getByLabel('Rol', { exact: true }).selectOption({ label: 'Onthaalmedewerker' });
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Onthaalteam' });
    await page.getByRole('button', { name: 'Aanmaken' }).click();
    await page.locator('#user-new-email-error').getByText('Dit e-mailadres is niet geldig.').waitFor();
    await page.getByRole('alert').getByText('Controleer de gemarkeerde velden.').waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Naam', { exact: true }).getAttribute('aria-invalid')).toBeNull();
    expect(
      await bw.world.owner.selectFrom('users').select('id').where('email', 'like', 'nieuwe.collega%').execute(),
    ).toEqual([]);

    await email.fill(NEW_EMAIL);
    await page.getByRole('button', { name: 'Aanmaken' }).click();
    const created = page.getByRole('status').filter({ hasText: 'Gebruiker aangemaakt.' });
    await created.getByRole('link', { name: NEW_NAME }).waitFor();
    await created.getByRole('heading', { name: 'Tijdelijk wachtwoord' }).waitFor();
    firstPassword = (await page.getByTestId('temporary-password').textContent())!.trim();
    expect(firstPassword.length).toBeGreaterThanOrEqual(12);
    expect(await email.inputValue()).toBe('');

    // the list shows the new user with the role in this organisation
    const row = page.getByRole('row').filter({ hasText: NEW_EMAIL });
    await row.getByText('Onthaalmedewerker — CGG De Kade (demo)').waitFor();
    await row.getByText('Actief', { exact: true }).waitFor();

    const user = await bw.world.owner
      .selectFrom('users')
      .select(['id', 'display_name', 'active', 'must_change_password', 'language'])
      .where('email', '=', NEW_EMAIL)
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({ display_name: NEW_NAME, active: true, must_change_password: true, language: 'nl' });
    newUserId = user.id;
    const memberships = await bw.world.owner
      .selectFrom('memberships as m')
      .innerJoin('teams as t', 't.id', 'm.team_id')
      .select(['m.role', 'm.organization_id', 't.name as team', 'm.active'])
      .where('m.user_id', '=', newUserId)
      .execute();
    expect(memberships).toEqual([{ role: 'intake-worker', organization_id: cggId, team: 'Onthaalteam', active: true }]);
    await page.close();
  });

  it('a password reset shows the new temporary password once; the user must change it at sign-in', async () => {
    const page = await newPage();
    await signIn(page, 'admin@cgg.demo.example');
    await nav(page).getByRole('link', { name: 'Gebruikers' }).click();
    await page.getByRole('link', { name: NEW_NAME }).click();
    await page.getByRole('heading', { level: 1, name: NEW_NAME }).waitFor();
    expect(page.url()).toBe(`${bw.baseUrl}/users/${newUserId}`);
    expect(await page.getByTestId('temporary-password').count()).toBe(0);

    await page.getByRole('button', { name: 'Wachtwoord resetten' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Wachtwoord resetten' });
    await dialog
      .getByText(`Het wachtwoord van ${NEW_NAME} resetten? Het huidige wachtwoord werkt dan niet meer.`)
      .waitFor();
    await dialog.getByRole('button', { name: 'Wachtwoord resetten' }).click();
    await page.getByRole('status').getByText('Het wachtwoord is gereset.').waitFor();
    await page.getByRole('heading', { name: 'Tijdelijk wachtwoord' }).waitFor();
    await page.getByText('Dit wordt maar één keer getoond. Noteer of kopieer het nu.').waitFor();
    resetPassword = (await page.getByTestId('temporary-password').textContent())!.trim();
    expect(resetPassword.length).toBeGreaterThanOrEqual(12);
    expect(resetPassword).not.toBe(firstPassword);

    // shown once: after a reload it is gone
    await page.reload();
    await page.getByRole('heading', { level: 1, name: NEW_NAME }).waitFor();
    expect(await page.getByTestId('temporary-password').count()).toBe(0);
    expect(await page.getByText(resetPassword).count()).toBe(0);

    // the new user signs in with it and is asked for a password of their own first
    const user = await newPage();
    await user.goto(`${bw.baseUrl}/`);
    await submitCredentials(user, NEW_EMAIL, resetPassword);
    await user.getByRole('heading', { level: 1, name: 'Kies een nieuw wachtwoord' }).waitFor();
    expect(await nav(user).count()).toBe(0);
    await user.close();
    await page.close();
  });

  it('the admin deactivates the user after a confirmation; the user is signed out and can no longer sign in', async () => {
    // the new user has a session open (the password-change screen)
    const user = await newPage();
    await user.goto(`${bw.baseUrl}/`);
    await submitCredentials(user, NEW_EMAIL, resetPassword);
    await user.getByRole('heading', { level: 1, name: 'Kies een nieuw wachtwoord' }).waitFor();

    const page = await newPage();
    await signIn(page, 'admin@cgg.demo.example');
    await page.goto(`${bw.baseUrl}/users/${newUserId}`);
    await page.getByRole('heading', { level: 1, name: NEW_NAME }).waitFor();

    // Escape cancels the dialog: nothing changes
    await page.getByRole('button', { name: 'Gebruiker deactiveren' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Gebruiker deactiveren' });
    await dialog
      .getByText(
        `${NEW_NAME} deactiveren? De gebruiker kan zich niet meer aanmelden en lopende sessies worden beëindigd.`,
      )
      .waitFor();
    expect(await focusedText(page)).toBe('Annuleren');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(
      (await bw.world.owner.selectFrom('users').select('active').where('id', '=', newUserId).executeTakeFirstOrThrow())
        .active,
    ).toBe(true);

    await page.getByRole('button', { name: 'Gebruiker deactiveren' }).click();
    await dialog.getByRole('button', { name: 'Gebruiker deactiveren' }).click();
    await page.getByRole('status').getByText('Gebruiker gedeactiveerd.').waitFor();
    await page.getByRole('button', { name: 'Gebruiker heractiveren' }).waitFor();
    await page.locator('.page-head').getByText('Niet actief', { exact: true }).waitFor();
    expect(
      (await bw.world.owner.selectFrom('users').select('active').where('id', '=', newUserId).executeTakeFirstOrThrow())
        .active,
    ).toBe(false);
    expect(
      await bw.world.owner.selectFrom('sessions').select('user_id').where('user_id', '=', newUserId).execute(),
    ).toEqual([]);

    // the open session has ended
    await user.reload();
    await user.getByRole('heading', { level: 1, name: 'Aanmelden' }).waitFor();

    // and signing in with the (right) password is refused, in Dutch
    await submitCredentials(user, NEW_EMAIL, resetPassword);
    await user.getByRole('alert').getByText('E-mailadres of wachtwoord is onjuist.').waitFor();
    await user.getByRole('heading', { level: 1, name: 'Aanmelden' }).waitFor();
    expect(await user.getByRole('heading', { name: 'Kies een nieuw wachtwoord' }).count()).toBe(0);
    expect(
      await bw.world.owner.selectFrom('sessions').select('user_id').where('user_id', '=', newUserId).execute(),
    ).toEqual([]);

    // the users list says so too
    await nav(page).getByRole('link', { name: 'Gebruikers' }).click();
    await page.getByRole('row').filter({ hasText: NEW_EMAIL }).getByText('Niet actief', { exact: true }).waitFor();
    await user.close();
    await page.close();
  });
});

describe('the audit view in the browser', () => {
  it('the organisation admin finds the actions above, filters them, and sees nothing of another organisation', async () => {
    // what the database holds: the CGG's rows and, apart, the CAW's
    const cggRows = await auditOf(cggId);
    const forNewUser = cggRows.filter((r) => r.entity_id === newUserId).map((r) => `${r.action}:${r.outcome}`);
    expect(forNewUser).toEqual(
      expect.arrayContaining([
        'user.create:success',
        'user.password.reset:success',
        'user.deactivate:success',
        'auth.login:failed',
      ]),
    );
    expect(
      cggRows.find((r) => r.action === 'auth.login' && r.outcome === 'failed' && r.entity_id === newUserId)?.details,
    ).toEqual({ reason: 'inactive' });
    const cawRows = await auditOf(cawId);
    expect(cawRows.some((r) => r.action === 'user.create' && r.entity_id === otherOrgUserId)).toBe(true);
    expect(
      cawRows.some((r) => r.action === 'auth.login' && r.outcome === 'failed' && r.entity_id === cawIntakeUserId),
    ).toBe(true);

    const page = await newPage();
    await signIn(page, 'admin@cgg.demo.example');
    await nav(page).getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
    const table = page.getByRole('table', { name: 'Auditgebeurtenissen' });
    const actions = () => table.locator('tbody tr td:nth-child(4)').allTextContents();
    const row = (action: string, entityId: string) =>
      table
        .getByRole('row')
        .filter({ has: page.getByText(action, { exact: true }) })
        .filter({ hasText: entityId });
    await page.getByText(/^\d+ gebeurtenissen getoond$/).waitFor();

    // the user administration: created, password reset, deactivated — by the admin, in this organisation's rows only
    await page.getByLabel('Handeling').fill('user.');
    await page.getByRole('button', { name: 'Filteren' }).click();
    await expect
      .poll(async () => (await actions()).length > 0 && (await actions()).every((a) => a.startsWith('user.')))
      .toBe(true);
    for (const action of ['user.create', 'user.password.reset', 'user.deactivate']) {
      const r = row(action, newUserId);
      await r.waitFor();
      expect(await r.getByRole('cell').nth(1).textContent()).toBe('Organisatiebeheerder CGG De Kade');
      expect(await r.getByRole('cell').nth(2).textContent()).toBe('Organisatiebeheerder');
      await r.getByText('Gelukt', { exact: true }).waitFor();
    }
    expect(await table.getByText(otherOrgUserId).count()).toBe(0);

    // the failed sign-ins of these days: the deactivated user's is there, the CAW user's is not
    // a range around today in Brussels, so that a run across midnight keeps its rows
    const brusselsDay = (offsetDays: number) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(
        new Date(Date.now() + offsetDays * 86_400_000),
      );
    await page.getByLabel('Handeling').fill('auth.login');
    await page.getByLabel('Resultaat').selectOption({ label: 'Mislukt' });
    await page.getByLabel('Van', { exact: true }).fill(brusselsDay(-1));
    await page.getByLabel('Tot en met').fill(brusselsDay(1));
    await page.getByRole('button', { name: 'Filteren' }).click();
    await expect
      .poll(async () => (await actions()).length > 0 && (await actions()).every((a) => a.startsWith('auth.login')))
      .toBe(true);
    const failed = row('auth.login', newUserId);
    await failed.waitFor();
    expect(await failed.getByRole('cell').nth(1).textContent()).toBe(NEW_NAME);
    await failed.getByText('Mislukt', { exact: true }).waitFor();
    expect(await table.getByText('Gelukt', { exact: true }).count()).toBe(0);
    // the caregiver's wrong codes (test 1) are failed sign-in steps of this organisation too
    expect((await actions()).filter((a) => a === 'auth.login.totp').length).toBe(2);
    expect(await table.getByText(cawIntakeUserId).count()).toBe(0);

    // another organisation's user.create, searched for exactly: not found
    await page.getByRole('button', { name: 'Filters wissen' }).click();
    expect(await page.getByLabel('Handeling').inputValue()).toBe('');
    expect(await page.getByLabel('Resultaat').inputValue()).toBe('');
    await page.getByLabel('Handeling').fill('user.create');
    await page.getByRole('button', { name: 'Filteren' }).click();
    await expect
      .poll(async () => (await actions()).length > 0 && (await actions()).every((a) => a === 'user.create'))
      .toBe(true);
    await row('user.create', newUserId).waitFor();
    expect(await table.getByText(otherOrgUserId).count()).toBe(0);
    expect(await table.getByRole('row').count()).toBe(2); // the header and the one user this organisation created

    // a filter that matches nothing says so
    await page.getByLabel('Handeling').fill('bestaat.niet');
    await page.getByRole('button', { name: 'Filteren' }).click();
    await page.getByText('Geen gebeurtenissen gevonden.').waitFor();
    await page.close();
  });

  it("another organisation's refused read of a client shows in the audit view and in the client's access history", async () => {
    const client = await bw.world.owner
      .selectFrom('clients')
      .select('id')
      .where('organization_id', '=', cggId)
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    const cawIntake = await login(bw.world, 'onthaal@caw.demo.example', DEMO_PASSWORD);
    expect((await cawIntake.get(`/api/clients/${client.id}`)).statusCode).toBe(404);
    const attempt = `Geweigerde poging door ${CAW} (Onthaalmedewerker)`;

    const page = await newPage();
    await signIn(page, 'admin@cgg.demo.example');
    await nav(page).getByRole('link', { name: 'Audit' }).click();
    await page.getByLabel('Handeling').fill('client.read');
    await page.getByLabel('Resultaat').selectOption({ label: 'Niet gevonden' });
    await page.getByRole('button', { name: 'Filteren' }).click();
    const row = page
      .getByRole('table', { name: 'Auditgebeurtenissen' })
      .getByRole('row')
      .filter({ hasText: client.id });
    await row.getByText(attempt, { exact: true }).waitFor();
    expect(await row.getByRole('cell').nth(2).textContent()).toBe('Onthaalmedewerker');

    await page.goto(`${bw.baseUrl}/clients/${client.id}`);
    const history = page.getByTestId('access-log');
    const refused = history.getByRole('row').filter({ hasText: attempt });
    await refused.waitFor();
    expect(await refused.getByRole('cell').nth(3).textContent()).toBe(CAW);
    expect(await refused.getByRole('cell').nth(4).textContent()).toBe('Dossier openen');
    await page.close();
  });
});
