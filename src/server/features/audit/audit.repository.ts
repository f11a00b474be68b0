import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Actor, RequestInfo } from '../../auth/actor.ts';

export type AuditOutcome = 'success' | 'denied' | 'not-found' | 'invalid' | 'failed';

export interface AuditEntry {
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  outcome?: AuditOutcome;
  /** Identifiers and counts only: never names, free text or search terms. */
  details?: Record<string, string | number | boolean | null>;
}

export async function writeAudit(db: Kysely<DB>, actor: Actor | null, info: RequestInfo, entry: AuditEntry, who?: { userId?: string | null; organizationId?: string | null; networkId?: string | null }): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_user_id: actor?.userId ?? who?.userId ?? null,
      actor_token_id: actor?.tokenId ?? null,
      organization_id: actor ? actor.organizationId : (who?.organizationId ?? null),
      network_id: actor ? actor.networkId : (who?.networkId ?? null),
      role: actor?.role ?? (actor?.kind === 'token' ? 'api-token' : null),
      action: entry.action,
      entity_type: entry.entityType ?? null,
      entity_id: entry.entityId ?? null,
      outcome: entry.outcome ?? 'success',
      ip: info.ip,
      user_agent: info.userAgent?.slice(0, 400) ?? null,
      request_id: info.requestId,
      details: entry.details ? JSON.stringify(entry.details) : null,
    })
    .execute();
}
