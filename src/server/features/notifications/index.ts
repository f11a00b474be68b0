import type { Feature } from '../../core/feature.ts';
import { notificationRoutes } from './notifications.routes.ts';

/**
 * The in-app notifications (the bell): about referrals and outreach signals. Features write them with
 * core/notifications' notifyOrganization; this feature reads them and marks them read.
 */
export const notificationsFeature: Feature = { name: 'notifications', routes: notificationRoutes };
export { NOTIFICATION_KINDS } from './notifications.schema.ts';
