import { sql } from 'kysely';
import type { Tx } from '../../core/db/tenant.ts';
import { ownOrganization } from '../../core/access.ts';
import { REFERRAL_RISK_SEEN } from '../referrals/index.ts';

export async function listNotifications(tx: Tx, unreadOnly: boolean) {
  let query = tx.db
    .selectFrom('notifications as n')
    .leftJoin('referrals as r', 'r.id', 'n.referral_id')
    .selectAll('n')
    // the referral's shared risk level, as its detail shows it (only while the consent is active)
    .select(REFERRAL_RISK_SEEN.as('risk_level'))
    .where('n.organization_id', '=', ownOrganization(tx));
  if (unreadOnly) query = query.where('n.read_at', 'is', null);
  return query.orderBy('n.created_at', 'desc').limit(100).execute();
}

export async function markRead(tx: Tx, id: string) {
  const result = await tx.db
    .updateTable('notifications')
    .set({ read_at: sql`coalesce(read_at, now())` })
    .where('id', '=', id)
    .where('organization_id', '=', ownOrganization(tx))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
