import { sql, type Kysely } from 'kysely';
import type { Tx } from '../db/tenant.ts';
import type { DB } from '../db/schema.ts';

let emailEnabled = false;
/** Set once at start: e-mails are queued only when SMTP is configured. */
export function configureEmail(enabled: boolean) {
  emailEnabled = enabled;
}

const RECIPIENT_ROLES = ['intake-worker', 'coordinator', 'team-lead'];

/**
 * Queues a notification e-mail to the people of an organisation who handle its inbox, in the same transaction
 * as the change. It carries no personal data: a subject and a link (the mailer puts the site address in front).
 */
export async function queueEmails(
  tx: Tx,
  organizationId: string,
  subject: string,
  path: string,
  intro = 'Er is nieuws over een doorverwijzing in Korte Lijn.',
) {
  if (!emailEnabled) return;
  const recipients = await tx.db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('u.email')
    .distinct()
    .where('m.organization_id', '=', organizationId)
    .where('m.active', '=', true)
    .where('u.active', '=', true)
    .where('m.role', 'in', RECIPIENT_ROLES)
    .execute();
  if (!recipients.length) return;
  await tx.db
    .insertInto('email_outbox')
    .values(
      recipients.map((r) => ({
        to_address: r.email,
        subject,
        body: `${intro}\nMeld u aan om ze te bekijken: {{link:${path}}}\n\n(Deze e-mail bevat bewust geen persoonsgegevens.)`,
      })),
    )
    .execute();
}

/**
 * Queues an e-mail to one person about their own account (a password-reset link, the confirmation of a new
 * password), in the caller's transaction. Unlike notifications it is queued without SMTP as well: the outbox
 * row is then the only copy (README, "Wachtwoord vergeten"). A link to `path` is written as {{link:path}};
 * `validMinutes` keeps a mail with a short-lived link from leaving after the link expired.
 */
export async function queueAccountEmail(
  db: Kysely<DB>,
  mail: { to: string; subject: string; body: string; validMinutes: number },
) {
  await db
    .insertInto('email_outbox')
    .values({
      to_address: mail.to,
      subject: mail.subject,
      body: mail.body,
      expires_at: sql<Date>`now() + make_interval(mins => ${mail.validMinutes})`,
    })
    .execute();
}
