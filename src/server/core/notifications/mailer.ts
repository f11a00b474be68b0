import nodemailer from 'nodemailer';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** A sent mail keeps no live secret: the token of a link (a password reset) is blanked in the stored copy. */
export const withoutLinkTokens = (body: string) => body.replace(/([?&]token=)[A-Za-z0-9_-]+/g, '$1…');

export interface Mailer {
  stop(): Promise<void>;
  flush(): Promise<number>;
}

/**
 * Sends the e-mail outbox through SMTP: at-least-once, with back-off on failure. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several app servers can run it side by side.
 */
export function startMailer(opts: {
  db: Kysely<DB>;
  smtpUrl: string;
  from: string;
  publicUrl: string;
  intervalMs?: number;
  log?: (msg: string, data?: object) => void;
}): Mailer {
  const transport = nodemailer.createTransport(opts.smtpUrl);
  let running: Promise<number> | null = null;
  let stopped = false;

  const BATCH = 20;
  async function flushOnce(): Promise<{ sent: number; claimed: number }> {
    return opts.db.transaction().execute(async (trx) => {
      // the outbox is under row-level security: only a transaction that says it is the mailer reads and updates it
      await sql`select set_config('app.mailer', 'on', true)`.execute(trx);
      const batch = await trx
        .selectFrom('email_outbox')
        .selectAll()
        .where('sent_at', 'is', null)
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        // a mail whose link has expired is not sent any more
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
        .orderBy('created_at')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      let sent = 0;
      for (const mail of batch) {
        const text = mail.body.replace(/\{\{link:([^}]+)\}\}/g, (_m, path: string) => `${opts.publicUrl}${path}`);
        try {
          await transport.sendMail({ from: opts.from, to: mail.to_address, subject: mail.subject, text });
          await trx
            .updateTable('email_outbox')
            .set({ sent_at: sql`now()`, attempts: mail.attempts + 1, body: withoutLinkTokens(mail.body) })
            .where('id', '=', mail.id)
            .execute();
          sent += 1;
        } catch (error) {
          const delay = Math.min(3600, 30 * 2 ** mail.attempts);
          await trx
            .updateTable('email_outbox')
            .set({
              attempts: mail.attempts + 1,
              last_error: (error as Error).name,
              next_attempt_at: sql`now() + make_interval(secs => ${delay})`,
            })
            .where('id', '=', mail.id)
            .execute();
          opts.log?.('mail.failed', { outboxId: mail.id, attempts: mail.attempts + 1 });
        }
      }
      return { sent, claimed: batch.length };
    });
  }

  /** Sends everything due now, batch by batch. */
  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { sent, claimed } = await flushOnce();
      total += sent;
      if (claimed < BATCH) return total;
    }
  }

  /** Waits for a run in progress, then drains once more (so mail queued meanwhile goes too). */
  const flush = async (): Promise<number> => {
    await running?.catch(() => undefined);
    running = drain().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped && !running) flush().catch(() => undefined);
  }, opts.intervalMs ?? 2000);
  timer.unref();
  return {
    flush,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
      transport.close();
    },
  };
}
