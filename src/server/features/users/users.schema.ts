import { Type, type Static } from '@sinclair/typebox';
import { Nullable, RoleName, Strict, Uuid } from '../../core/http/schemas.ts';

const S = Type.String();

export const MembershipDto = Type.Object({
  id: S,
  role: RoleName,
  organizationId: Nullable(S),
  organizationName: Nullable(S),
  teamId: Nullable(S),
  active: Type.Boolean(),
});
export const UserDto = Type.Object({
  id: S,
  email: S,
  displayName: S,
  active: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  memberships: Type.Array(MembershipDto),
});
export type UserDto = Static<typeof UserDto>;
export const UserList = Type.Object({ items: Type.Array(UserDto) });

const membershipFields = { role: RoleName, organizationId: Type.Optional(Uuid), teamId: Type.Optional(Uuid) };
export const MembershipInput = Strict(membershipFields);
export type MembershipInput = Static<typeof MembershipInput>;

export const UserCreate = Strict({
  email: Type.String({ format: 'email', maxLength: 254 }),
  displayName: Type.String({ minLength: 2, maxLength: 120, pattern: '\\S' }),
  language: Type.Optional(Type.Union([Type.Literal('nl'), Type.Literal('en')])),
  ...membershipFields,
});
export type UserCreate = Static<typeof UserCreate>;
export const UserCreated = Type.Object({ id: S, temporaryPassword: S });

export const UserUpdate = Strict({
  displayName: Type.Optional(Type.String({ minLength: 2, maxLength: 120 })),
  active: Type.Optional(Type.Boolean()),
});
export type UserUpdate = Static<typeof UserUpdate>;

export const PasswordReset = Strict({
  resetTwoFactor: Type.Optional(
    Type.Boolean({ description: 'also remove the TOTP enrolment; the user can enrol again after signing in' }),
  ),
});
export const PasswordResetDone = Type.Object({ temporaryPassword: S, twoFactorReset: Type.Boolean() });
export const MembershipCreated = Type.Object({ id: S });
