import { tenant, type App } from '../../core/http/context.ts';
import { NetworkSettings, NetworkSettingsUpdate } from './network-settings.schema.ts';
import { readSettings, updateSettings } from './network-settings.service.ts';
import { NETWORK_SETTINGS_AUDIT } from './network-settings.audit.ts';

/** The network's configurable targets and thresholds (no personal data). */
export async function networkSettingsRoutes(app: App) {
  app.get(
    '/api/network/settings',
    {
      config: { access: 'network-settings:read' },
      schema: {
        tags: ['network'],
        summary:
          "The network's referral response targets and stepped-care thresholds, with defaults and allowed ranges",
        response: { 200: NetworkSettings },
      },
    },
    (req) => tenant(app, req, (tx) => readSettings(tx)),
  );

  app.put(
    '/api/network/settings',
    {
      config: { access: 'network-settings:manage', auditAction: NETWORK_SETTINGS_AUDIT.networkSettingsUpdate },
      schema: {
        tags: ['network'],
        summary: 'Replace the referral response targets and stepped-care thresholds (audited with old and new values)',
        body: NetworkSettingsUpdate,
        response: { 200: NetworkSettings },
      },
    },
    (req) => tenant(app, req, (tx) => updateSettings(tx, req.body, req.lang)),
  );
}
