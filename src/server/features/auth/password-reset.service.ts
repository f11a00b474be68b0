import { forgetCachedSession } from '../../core/auth/sessions.ts';
import { sql } from 'kysely';
import { tooMany, invalid, type FieldError } from '../../core/http/errors.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, randomToken, sha256, verifyPassword } from '../../core/auth/passwords.ts';
import {
  accountKey,
  claimSignIn,
  clearAccount,
  reserveResetCall,
  reserveResetMail,
  sourceKey,
} from '../../core/auth/sign-in-throttle.ts';
import { writeAudit } from '../../core/audit/audit.ts';
import { queueAccountEmail } from '../../core/notifications/email.ts';
import { AUTH_AUDIT } from './auth.audit.ts';
import { auditScopeOf, findAccount, type Account } from './auth.repository.ts';
import type { Deps } from './auth.service.ts';

/*
 * "Wachtwoord vergeten" (OWASP ASVS 4.0 2.5): the request always gets the same 202, at once, and what depends on
 * the account (is there one, may it get a mail) happens after the answer has left, so neither the answer nor its
 * timing tells whether an address has an account. The link's token is 256 random bits, stored only as its SHA-256,
 * single-use and valid for `passwordReset.tokenMinutes`.
 */

const inFlight = new Set<Promise<void>>();

/** Resolves once every reset request accepted so far has been handled (tests; the app waits for it on close). */
export async function passwordResetsSettled(): Promise<void> {
  await Promise.allSettled([...inFlight]);
}

/**
 * Accepts a reset request: counted per source address (429 beyond the limit, the same for every address asked
 * about); the link is sent, or not, after the answer.
 */
export async function requestPasswordReset(deps: Deps, email: string, onError: (error: Error) => void) {
  const { db, config, info } = deps;
  const verdict = await reserveResetCall(db, config.passwordReset.sourcePerHour, sourceKey(info.ip));
  if (!verdict.allowed) throw tooMany('rate-limited', verdict.retryAfterSeconds);
  const work = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => sendResetLink(deps, email))
    .catch(onError);
  inFlight.add(work);
  void work.finally(() => inFlight.delete(work));
}

async function sendResetLink({ db, config, info }: Deps, email: string) {
  const account = await findAccount(db, email);
  await db.transaction().execute(async (trx) => {
    await claimSignIn(trx);
    const refuse = (outcome: 'failed' | 'denied', reason: string) =>
      writeAudit(
        trx,
        null,
        info,
        {
          action: AUTH_AUDIT.authPasswordResetRequest,
          ...(account ? { entityType: 'user', entityId: account.id } : {}),
          outcome,
          details: { reason },
        },
        account ? auditScopeOf(account) : undefined,
      );
    if (!account) return refuse('failed', 'unknown-user');
    if (!account.active || !account.membership_id)
      return refuse('failed', account.active ? 'no-membership' : 'inactive');
    // a few mails an hour at most, so that nobody floods a worker's mailbox through this form
    const verdict = await reserveResetMail(trx, config.passwordReset.accountPerHour, accountKey(account.email));
    if (!verdict.allowed) return refuse('denied', 'throttled');
    const token = randomToken(32);
    const minutes = config.passwordReset.tokenMinutes;
    await trx
      .insertInto('password_reset_tokens')
      .values({
        token_hash: sha256(token),
        user_id: account.id,
        expires_at: sql<Date>`now() + make_interval(mins => ${minutes})`,
      })
      .execute();
    await queueAccountEmail(trx, { to: account.email, ...resetMail(account, token, minutes), validMinutes: minutes });
    await writeAudit(
      trx,
      null,
      info,
      { action: AUTH_AUDIT.authPasswordResetRequest, entityType: 'user', entityId: account.id },
      auditScopeOf(account),
    );
  });
}

/**
 * Sets a new password with a link's token: the same rules as changing one's password; the token and every other
 * link of the account stop working, every session of the account ends, the waits on its sign-in are lifted (not
 * the second factor's: the link proves the mailbox, not the authenticator). A 2FA account keeps its second factor.
 */
export async function resetPassword({ db, config, info }: Deps, token: string, newPassword: string) {
  const verdict = await reserveResetCall(db, config.passwordReset.sourcePerHour, sourceKey(info.ip));
  if (!verdict.allowed) throw tooMany('rate-limited', verdict.retryAfterSeconds);
  const tokenHash = sha256(token);
  const holder = await db.transaction().execute(async (trx) => {
    await claimSignIn(trx);
    return trx
      .selectFrom('password_reset_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['u.email', 'u.password_hash'])
      .where('t.token_hash', '=', tokenHash)
      .where('t.used_at', 'is', null)
      .where(sql<boolean>`t.expires_at > now()`)
      .where('u.active', '=', true)
      .executeTakeFirst();
  });
  const errors: FieldError[] = [];
  if (!holder) errors.push({ field: 'token', code: 'reset-link-invalid' });
  if (newPassword.length < MIN_PASSWORD_LENGTH) errors.push({ field: 'newPassword', code: 'password-too-short' });
  else if (holder && (await verifyPassword(holder.password_hash, newPassword)))
    errors.push({ field: 'newPassword', code: 'password-same' });
  if (errors.length || !holder) throw invalid(...errors);
  const account = (await findAccount(db, holder.email))!;
  const passwordHash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    await claimSignIn(trx);
    // using the token is one conditional update: of two submits of the same link only one sets a password
    const used = await trx
      .updateTable('password_reset_tokens')
      .set({ used_at: sql`now()` })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where(sql<boolean>`expires_at > now()`)
      .returning('user_id')
      .executeTakeFirst();
    if (!used) throw invalid({ field: 'token', code: 'reset-link-invalid' });
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, must_change_password: false, updated_at: sql`now()` })
      .where('id', '=', used.user_id)
      .execute();
    await trx
      .updateTable('password_reset_tokens')
      .set({ used_at: sql`now()` })
      .where('user_id', '=', used.user_id)
      .where('used_at', 'is', null)
      .execute();
    const ended = await trx.deleteFrom('sessions').where('user_id', '=', used.user_id).executeTakeFirst();
    forgetCachedSession();
    await clearAccount(trx, accountKey(account.email), { secondFactor: false });
    await writeAudit(
      trx,
      null,
      info,
      {
        action: AUTH_AUDIT.authPasswordReset,
        entityType: 'user',
        entityId: used.user_id,
        details: { sessionsEnded: Number(ended.numDeletedRows) },
      },
      auditScopeOf(account),
    );
    // ASVS 2.5.5: the person hears of it, also when it was not them
    await queueAccountEmail(trx, { to: account.email, ...changedMail(account), validMinutes: 24 * 60 });
  });
}

function resetMail(account: Account, token: string, minutes: number) {
  const link = `{{link:/wachtwoord-herstellen?token=${token}}}`;
  return account.language === 'en'
    ? {
        subject: 'Korte Lijn: choose a new password',
        body: `Someone asked for a new password for your Korte Lijn account.\nChoose a new password with this link; it works once and for ${minutes} minutes:\n${link}\n\nDid you not ask for this? Then there is nothing to do: your password stays as it is.`,
      }
    : {
        subject: 'Korte Lijn: kies een nieuw wachtwoord',
        body: `Iemand vroeg een nieuw wachtwoord aan voor uw account bij Korte Lijn.\nKies een nieuw wachtwoord via deze link; hij werkt één keer en ${minutes} minuten lang:\n${link}\n\nVroeg u dit niet aan? Dan hoeft u niets te doen: uw wachtwoord blijft wat het is.`,
      };
}

function changedMail(account: Account) {
  return account.language === 'en'
    ? {
        subject: 'Korte Lijn: your password was changed',
        body: `The password of your Korte Lijn account was just changed with a reset link, and every session of the account was signed out.\nWas this not you? Contact the administrator of your organisation at once.\n{{link:/}}`,
      }
    : {
        subject: 'Korte Lijn: uw wachtwoord is gewijzigd',
        body: `Het wachtwoord van uw account bij Korte Lijn is zonet gewijzigd met een herstellink, en elke sessie van het account werd afgemeld.\nWas u dit niet? Neem dan meteen contact op met de beheerder van uw organisatie.\n{{link:/}}`,
      };
}
