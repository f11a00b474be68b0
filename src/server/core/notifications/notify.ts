import type { Tx } from '../db/tenant.ts';
import { queueEmails } from './email.ts';

export interface Notice {
  /** The organisation whose people see it (its inbox handlers also get an e-mail when SMTP is set). */
  organizationId: string;
  /** What happened, e.g. `referral-new`; the web app words it. */
  kind: string;
  /** The referral it is about, if it is about one (the in-app list shows its shared risk level). */
  referralId?: string | null;
  /** What it is about (`referral`, `outreach-signal`) and its id; the referral by default. */
  about?: { type: string; id: string };
  /** E-mail subject: no personal data. */
  subject: string;
  /** Path in the app the e-mail links to. */
  path: string;
  /** The e-mail's first sentence (no personal data); a referral's by default. */
  intro?: string;
}

/** The in-app notification row of a notice (a statement may insert it itself, e.g. as a CTE of the change it is about). */
export function notificationRow(notice: Notice) {
  return {
    organization_id: notice.organizationId,
    referral_id: notice.referralId ?? null,
    subject_type: notice.about?.type ?? (notice.referralId ? 'referral' : null),
    subject_id: notice.about?.id ?? notice.referralId ?? null,
    kind: notice.kind,
  };
}

/** The e-mails of a notice (only with SMTP), for a caller that inserted its in-app row itself (notificationRow). */
export const emailNotice = (tx: Tx, notice: Notice) =>
  queueEmails(tx, notice.organizationId, notice.subject, notice.path, notice.intro);

/**
 * Tells an organisation something happened: an in-app notification and (with SMTP) a notification e-mail
 * without personal data, both in the caller's transaction, so they exist only if the change commits.
 */
export async function notifyOrganization(tx: Tx, notice: Notice, options: { email?: boolean } = {}) {
  await tx.db.insertInto('notifications').values(notificationRow(notice)).execute();
  if (options.email !== false) await emailNotice(tx, notice);
}
