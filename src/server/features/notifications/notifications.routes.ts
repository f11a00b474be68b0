import { tenant, type App } from '../../core/http/context.ts';
import { IdParams, NoContent } from '../../core/http/schemas.ts';
import { NotificationList, NotificationQuery } from './notifications.schema.ts';
import * as notifications from './notifications.service.ts';

/** The in-app notifications of my organisation (about referrals and outreach signals). */
export async function notificationRoutes(app: App) {
  app.get(
    '/api/notifications',
    {
      config: { access: 'referral:read' },
      schema: {
        tags: ['notifications'],
        summary: 'In-app notifications of my organisation',
        querystring: NotificationQuery,
        response: { 200: NotificationList },
      },
    },
    (req) => tenant(app, req, (tx) => notifications.listNotifications(tx, req.query.unread === true)),
  );

  app.post(
    '/api/notifications/:id/read',
    {
      config: { access: 'referral:read', auditAction: 'notification.read' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark a notification read',
        params: IdParams,
        response: { 204: NoContent },
      },
    },
    async (req, reply) => {
      await tenant(app, req, (tx) => notifications.markRead(tx, req.params.id));
      return reply.code(204).send(null);
    },
  );
}
