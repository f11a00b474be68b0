import { Type, type Static } from '@sinclair/typebox';
import { Enum, Nullable, Strict, PageNumber } from '../../core/http/schemas.ts';
import { RISK_LEVELS } from '../../core/risk.ts';

const optionalText = (max: number) => Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: max })));
export const IDENTITY_KINDS = ['named', 'pseudonym', 'anonymous'] as const;

const clientFields = {
  identityKind: Type.Optional(Enum(IDENTITY_KINDS)),
  givenName: optionalText(100),
  familyName: optionalText(100),
  pseudonym: optionalText(100),
  birthDate: Type.Optional(Nullable(Type.String({ format: 'date', description: 'YYYY-MM-DD' }))),
  birthYear: Type.Optional(Nullable(Type.Integer({ minimum: 1900, maximum: 2100 }))),
  municipality: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{5}$', description: 'NIS code' }))),
  phone: Type.Optional(
    Nullable(
      Type.String({
        maxLength: 30,
        description: 'as typed (0470 12 34 56, 03 123 45 67, +31 …); stored as +32… (E.164); garbage is refused',
      }),
    ),
  ),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
  preferredLanguage: Type.Optional(Nullable(Type.String({ pattern: '^[a-z]{2}$' }))),
  insz: Type.Optional(
    Nullable(Type.String({ pattern: '^[0-9 .\\-]{11,15}$', description: 'INSZ (11 digits, mod-97 checked)' })),
  ),
};

export const ClientCreate = Strict(clientFields);
export type ClientCreate = Static<typeof ClientCreate>;
export const ClientUpdate = Strict(clientFields);
export type ClientUpdate = Static<typeof ClientUpdate>;

export const DuplicateCheck = Strict({
  givenName: optionalText(100),
  familyName: optionalText(100),
  pseudonym: optionalText(100),
  birthDate: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  birthYear: Type.Optional(Nullable(Type.Integer({ minimum: 1900, maximum: 2100 }))),
  insz: Type.Optional(Nullable(Type.String({ pattern: '^[0-9 .\\-]{11,15}$' }))),
});
export type DuplicateCheck = Static<typeof DuplicateCheck>;

export const ClientSearch = Strict({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  birthDate: Type.Optional(Type.String({ format: 'date' })),
  insz: Type.Optional(Type.String({ pattern: '^[0-9 .\\-]{11,15}$' })),
  page: PageNumber(),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
});
export type ClientSearch = Static<typeof ClientSearch>;

const S = Type.String();
export const Client = Type.Object(
  {
    id: S,
    organizationId: S,
    identityKind: S,
    displayName: S,
    givenName: Nullable(S),
    familyName: Nullable(S),
    pseudonym: Nullable(S),
    birthDate: Nullable(S),
    birthYear: Nullable(Type.Integer()),
    municipality: Nullable(S),
    phone: Nullable(S),
    email: Nullable(S),
    preferredLanguage: Nullable(S),
    insz: Nullable(S),
    createdAt: S,
    updatedAt: S,
  },
  { $id: 'Client' },
);

/**
 * A client's file as it is opened: with the person's current risk level (core/risk.ts) for its header — the highest
 * of the organisation's help requests for them that are not closed, and of the open referrals received for them
 * (as shared).
 */
export const ClientFile = Type.Composite([
  Client,
  Type.Object({ riskLevel: Enum(RISK_LEVELS, { description: 'none, attention, high or acute (core/risk.ts)' }) }),
]);

/** How the person came to my organisation: a referral received from a partner, with what it shared. */
export const ClientOrigin = Type.Object({
  referralId: S,
  senderOrganizationName: S,
  status: S,
  priority: S,
  receivedAt: S,
  /** the sender's help request as the person consented to share it; null once consent is withdrawn or not given */
  sharedHelpRequest: Type.Union([
    Type.Object({ story: Type.Union([S, Type.Null()]), themes: Type.Array(S) }),
    Type.Null(),
  ]),
});
export const ClientDetail = Type.Composite([ClientFile, Type.Object({ origins: Type.Array(ClientOrigin) })]);

export const DuplicateItem = Type.Object({
  id: S,
  displayName: S,
  birthDate: Nullable(S),
  birthYear: Nullable(Type.Integer()),
});
export const ClientCreated = Type.Intersect([Client, Type.Object({ possibleDuplicates: Type.Array(DuplicateItem) })]);

export const AccessLogEntry = Type.Object({
  at: S,
  userDisplayName: Nullable(S),
  role: Nullable(S),
  organizationName: Nullable(S),
  action: S,
  refusedAttempt: Type.Boolean({
    description:
      "a refused attempt of another organisation (named in organizationName; a network role's: the network) on this person's records",
  }),
  sharedAccess: Type.Boolean({
    description:
      "a read or change of the person's care plan by another organisation that the person's consent shares it with (named in organizationName, its user not)",
  }),
});
