import type { Actor } from '../../core/auth/actor.ts';

/** Network roles see reports of their network's organisations, always with small cells suppressed. */
export const isNetworkRole = (actor: Actor) => actor.organizationId === null;
