import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, requestInfo, type App } from '../../core/http/context.ts';
import { SESSION_COOKIE, sessionActor } from '../../core/auth/sessions.ts';
import { AppError } from '../../core/http/errors.ts';
import { Enum, NoContent, Nullable, RoleName, Strict, Uuid } from '../../core/http/schemas.ts';
import * as auth from './auth.service.ts';
import { passwordResetsSettled, requestPasswordReset, resetPassword } from './password-reset.service.ts';
import { ORGANIZATION_KINDS } from '../organizations/index.ts';

const Me = Type.Object({
  csrfToken: Type.String(),
  pendingTwoFactor: Type.Boolean(),
  user: Type.Object({
    id: Type.String(),
    email: Type.String(),
    displayName: Type.String(),
    language: Type.String(),
    totpEnabled: Type.Boolean(),
    mustChangePassword: Type.Boolean(),
  }),
  membership: Type.Union([
    Type.Null(),
    Type.Object({
      id: Type.String(),
      role: RoleName,
      organizationId: Type.Union([Type.String(), Type.Null()]),
      organizationName: Type.Union([Type.String(), Type.Null()]),
      organizationKind: Nullable(Enum(ORGANIZATION_KINDS)),
      networkId: Type.String(),
      networkName: Type.String(),
    }),
  ]),
  memberships: Type.Array(
    Type.Object({
      id: Type.String(),
      role: RoleName,
      organizationId: Type.Union([Type.String(), Type.Null()]),
      organizationName: Type.Union([Type.String(), Type.Null()]),
      organizationKind: Nullable(Enum(ORGANIZATION_KINDS)),
      networkId: Type.String(),
      networkName: Type.String(),
    }),
  ),
  permissions: Type.Array(Type.String()),
  grantableRoles: Type.Array(RoleName),
});

export async function authRoutes(app: App) {
  const { config } = app.deps;
  const deps = (req: FastifyRequest) => ({ db: app.deps.db.app, config, info: requestInfo(req) });
  const sessionOnly = (req: FastifyRequest) => {
    const actor = actorOf(req);
    if (!actor.session) throw new AppError('forbidden', [], { outcome: 'denied' });
    return actor;
  };
  // Secure when configured, and whenever the request came over TLS (directly, or per X-Forwarded-Proto with TRUST_PROXY)
  const setCookie = (req: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies || req.protocol === 'https',
      path: '/',
      expires: expiresAt,
    });

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public', throttled: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password',
        body: Strict({
          email: Type.String({ minLength: 3, maxLength: 254 }),
          password: Type.String({ minLength: 1, maxLength: 1024 }),
        }),
        response: {
          200: Type.Object({
            csrfToken: Type.String(),
            twoFactorRequired: Type.Boolean(),
            mustChangePassword: Type.Boolean(),
          }),
        },
      },
    },
    async (req, reply) => {
      const result = await auth.login(deps(req), req.body.email, req.body.password);
      setCookie(req, reply, result.session.token, result.session.expiresAt);
      return {
        csrfToken: result.session.csrfToken,
        twoFactorRequired: result.twoFactorRequired,
        mustChangePassword: result.mustChangePassword,
      };
    },
  );

  app.post(
    '/api/auth/login/totp',
    {
      config: { access: 'pending', throttled: true },
      schema: {
        tags: ['auth'],
        summary: 'Second sign-in step: the TOTP code',
        body: Strict({ code: Type.String({ pattern: '^[0-9]{6}$' }) }),
        response: { 200: Type.Object({ csrfToken: Type.String(), mustChangePassword: Type.Boolean() }) },
      },
    },
    async (req, reply) => {
      const actor = sessionOnly(req);
      if (!actor.session!.pendingTwoFactor) throw new AppError('conflict');
      const result = await auth.completeTwoFactor(deps(req), actor, req.body.code);
      setCookie(req, reply, result.session.token, result.session.expiresAt);
      return { csrfToken: result.session.csrfToken, mustChangePassword: result.mustChangePassword };
    },
  );

  // reset requests accepted but not yet handled finish before the app closes
  app.addHook('onClose', passwordResetsSettled);

  app.post(
    '/api/auth/password-reset/request',
    {
      config: { access: 'public', throttled: true },
      schema: {
        tags: ['auth'],
        summary: 'Forgotten password: e-mail a reset link',
        description:
          'Always 202, whether or not the address has an account; an active account gets a single-use link by e-mail.',
        body: Strict({ email: Type.String({ minLength: 3, maxLength: 254 }) }),
        response: { 202: Type.Object({ accepted: Type.Literal(true) }) },
      },
    },
    async (req, reply) => {
      await requestPasswordReset(deps(req), req.body.email, (error) =>
        req.log.error({ err: { type: error.name } }, 'password-reset.request-failed'),
      );
      return reply.code(202).send({ accepted: true as const });
    },
  );

  app.post(
    '/api/auth/password-reset',
    {
      config: { access: 'public', throttled: true },
      schema: {
        tags: ['auth'],
        summary: "Set a new password with a reset link's token",
        description: 'Ends every session of the account; the link stops working.',
        body: Strict({
          token: Type.String({ minLength: 1, maxLength: 200 }),
          newPassword: Type.String({ minLength: 1, maxLength: 1024 }),
        }),
        response: { 204: NoContent },
      },
    },
    async (req, reply) => {
      await resetPassword(deps(req), req.body.token, req.body.newPassword);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: 'pending' }, schema: { tags: ['auth'], summary: 'Sign out', response: { 204: NoContent } } },
    async (req, reply) => {
      await auth.logout(deps(req), sessionOnly(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: 'pending' },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, the active membership and its permissions',
        response: { 200: Me },
      },
    },
    async (req) => auth.describeSession(app.deps.db.app, sessionOnly(req)),
  );

  app.post(
    '/api/auth/membership',
    {
      config: { access: 'account' },
      schema: {
        tags: ['auth'],
        summary: 'Switch the active membership',
        body: Strict({ membershipId: Uuid }),
        response: { 200: Me },
      },
    },
    async (req) => {
      const actor = sessionOnly(req);
      await auth.switchMembership(deps(req), actor, req.body.membershipId);
      const refreshed = await sessionActor(app.deps.db.app, config, req.cookies[SESSION_COOKIE]!);
      return auth.describeSession(app.deps.db.app, refreshed!);
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: 'account' },
      schema: {
        tags: ['auth'],
        summary: 'Change my password',
        body: Strict({
          currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
          newPassword: Type.String({ minLength: 1, maxLength: 1024 }),
        }),
        response: { 204: NoContent },
      },
    },
    async (req, reply) => {
      await auth.changePassword(deps(req), sessionOnly(req), req.body.currentPassword, req.body.newPassword);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/totp/setup',
    {
      config: { access: 'account' },
      schema: {
        tags: ['auth'],
        summary: 'Start two-factor enrolment',
        response: { 200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String(), qrDataUrl: Type.String() }) },
      },
    },
    async (req) => auth.startTotpEnrolment(deps(req), sessionOnly(req)),
  );

  app.post(
    '/api/auth/totp/enable',
    {
      config: { access: 'account' },
      schema: {
        tags: ['auth'],
        summary: 'Confirm two-factor enrolment with a code',
        body: Strict({ code: Type.String({ pattern: '^[0-9]{6}$' }) }),
        response: { 204: NoContent },
      },
    },
    async (req, reply) => {
      await auth.enableTotp(deps(req), sessionOnly(req), req.body.code);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/totp/disable',
    {
      config: { access: 'account' },
      schema: {
        tags: ['auth'],
        summary: 'Turn two-factor sign-in off (needs the password)',
        body: Strict({ password: Type.String({ minLength: 1, maxLength: 1024 }) }),
        response: { 204: NoContent },
      },
    },
    async (req, reply) => {
      await auth.disableTotp(deps(req), sessionOnly(req), req.body.password);
      return reply.code(204).send(null);
    },
  );
}
