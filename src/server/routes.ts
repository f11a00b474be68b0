import type { App } from './core/http/context.ts';
import { metaRoutes } from './features/meta/meta.routes.ts';
import { authRoutes } from './features/auth/auth.routes.ts';
import { clientRoutes } from './features/clients/clients.routes.ts';
import { organizationRoutes } from './features/organizations/organizations.routes.ts';
import { userRoutes } from './features/users/users.routes.ts';
import { tokenRoutes } from './features/tokens/tokens.routes.ts';
import { auditRoutes } from './features/audit/audit.routes.ts';
import { referenceRoutes } from './features/reference/reference.routes.ts';
import { offerRoutes } from './features/offers/offers.routes.ts';
import { intakeRoutes } from './features/intake/intake.routes.ts';
import { referralRoutes } from './features/referrals/referrals.routes.ts';
import { hsdsRoutes } from './features/hsds/hsds.routes.ts';
import { networkSettingsRoutes } from './features/network-settings/network-settings.routes.ts';

export async function registerRoutes(app: App) {
  for (const routes of [metaRoutes, authRoutes, clientRoutes, organizationRoutes, userRoutes, tokenRoutes, auditRoutes, referenceRoutes, offerRoutes, intakeRoutes, referralRoutes, hsdsRoutes, networkSettingsRoutes]) {
    await routes(app);
  }
}
