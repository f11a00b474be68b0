import { sql } from 'kysely';
import { loadConfig } from '../core/config.ts';
import { createDatabase } from '../core/db/database.ts';

// Prints the e-mails waiting in the outbox (not sent, link not expired), links in full: without SMTP_URL this is how
// an operator reads a password-reset link (README, "Wachtwoord vergeten"). The embedded database belongs to one
// process: stop the app before running this against DATA_DIR.
const config = loadConfig();
const db = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  const mails = await db.owner.transaction().execute(async (trx) => {
    // the outbox is under row-level security: read it as the mailer does
    await sql`select set_config('app.mailer', 'on', true)`.execute(trx);
    return trx
      .selectFrom('email_outbox')
      .select(['created_at', 'to_address', 'subject', 'body'])
      .where('sent_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
      .orderBy('created_at')
      .execute();
  });
  if (!mails.length) console.log('The outbox holds no e-mail waiting to be sent.');
  for (const mail of mails) {
    const text = mail.body.replace(/\{\{link:([^}]+)\}\}/g, (_m, path: string) => `${config.publicUrl}${path}`);
    console.log(`--- ${mail.created_at.toISOString()} to ${mail.to_address}\nSubject: ${mail.subject}\n\n${text}\n`);
  }
} finally {
  await db.close();
}
