import type { Tx } from '../../core/db/tenant.ts';
import { notFound } from '../../core/http/errors.ts';
import * as repo from './notifications.repository.ts';
import type { NotificationDto } from './notifications.schema.ts';

export async function listNotifications(tx: Tx, unreadOnly: boolean) {
  const rows = await repo.listNotifications(tx, unreadOnly);
  return {
    items: rows.map((n) => ({
      id: n.id,
      kind: n.kind as NotificationDto['kind'],
      subjectType: n.subject_type as NotificationDto['subjectType'],
      subjectId: n.subject_id,
      referralId: n.referral_id,
      riskLevel: n.risk_level,
      createdAt: n.created_at.toISOString(),
      read: n.read_at !== null,
    })),
  };
}

export async function markRead(tx: Tx, id: string) {
  if (!(await repo.markRead(tx, id))) throw notFound();
}
