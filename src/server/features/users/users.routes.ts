import { tenant, type App } from '../../core/http/context.ts';
import { IdParams, NoContent } from '../../core/http/schemas.ts';
import { hashPassword, temporaryPassword } from '../../core/auth/passwords.ts';
import { USER_AUDIT } from './users.audit.ts';
import {
  MembershipCreated,
  MembershipInput,
  PasswordReset,
  PasswordResetDone,
  UserCreate,
  UserCreated,
  UserDto,
  UserList,
  UserUpdate,
} from './users.schema.ts';
import * as users from './users.service.ts';

export async function userRoutes(app: App) {
  app.get(
    '/api/users',
    {
      config: { access: 'user:read' },
      schema: {
        tags: ['users'],
        summary: 'Users of my organisation (network roles: of the network)',
        response: { 200: UserList },
      },
    },
    (req) => tenant(app, req, async (tx) => ({ items: await users.listUsers(tx) })),
  );

  app.get(
    '/api/users/:id',
    {
      config: { access: 'user:read', auditAction: USER_AUDIT.userRead },
      schema: { tags: ['users'], summary: 'One user', params: IdParams, response: { 200: UserDto } },
    },
    (req) => tenant(app, req, (tx) => users.visibleUser(tx, req.params.id)),
  );

  app.post(
    '/api/users',
    {
      config: { access: 'user:manage', auditAction: USER_AUDIT.userCreate },
      schema: {
        tags: ['users'],
        summary: 'Create (invite) a user with a first role; answers a one-time temporary password',
        body: UserCreate,
        response: { 201: UserCreated },
      },
    },
    async (req, reply) => {
      const password = temporaryPassword();
      const passwordHash = await hashPassword(password);
      const created = await tenant(app, req, (tx) => users.createUser(tx, req.body, passwordHash));
      return reply.code(201).send({ id: created.id, temporaryPassword: password });
    },
  );

  app.patch(
    '/api/users/:id',
    {
      config: { access: 'user:manage', auditAction: USER_AUDIT.userUpdate },
      schema: {
        tags: ['users'],
        summary: 'Rename, deactivate or reactivate a user',
        params: IdParams,
        body: UserUpdate,
        response: { 200: UserDto },
      },
    },
    (req) => tenant(app, req, (tx) => users.updateUser(tx, req.params.id, req.body)),
  );

  app.post(
    '/api/users/:id/reset-password',
    {
      config: { access: 'user:manage', auditAction: USER_AUDIT.userPasswordReset },
      schema: {
        tags: ['users'],
        summary:
          'Admin-initiated password reset: a one-time password the user must change; optionally also turns two-factor sign-in off (a lost authenticator)',
        description:
          'The body may be left out (the same as `{}`). `resetTwoFactor` is refused (403) for the own account.',
        params: IdParams,
        body: PasswordReset,
        response: { 200: PasswordResetDone },
      },
      // the body is optional: a POST without one (as before this option existed) means {}
      preValidation: async (req) => {
        req.body ??= {};
      },
    },
    async (req) => {
      const resetTwoFactor = req.body.resetTwoFactor === true;
      const password = temporaryPassword();
      const passwordHash = await hashPassword(password);
      await tenant(app, req, (tx) => users.resetPassword(tx, req.params.id, passwordHash, resetTwoFactor));
      return { temporaryPassword: password, twoFactorReset: resetTwoFactor };
    },
  );

  app.post(
    '/api/users/:id/memberships',
    {
      config: { access: 'user:manage', auditAction: USER_AUDIT.membershipCreate },
      schema: {
        tags: ['users'],
        summary: 'Give a user another role',
        params: IdParams,
        body: MembershipInput,
        response: { 201: MembershipCreated },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => users.addMembership(tx, req.params.id, req.body))),
  );

  app.post(
    '/api/memberships/:id/deactivate',
    {
      config: { access: 'user:manage', auditAction: USER_AUDIT.membershipDeactivate },
      schema: { tags: ['users'], summary: 'End a role of a user', params: IdParams, response: { 204: NoContent } },
    },
    async (req, reply) => {
      await tenant(app, req, (tx) => users.deactivateMembership(tx, req.params.id));
      return reply.code(204).send(null);
    },
  );
}
