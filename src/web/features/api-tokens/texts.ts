import type { Strings } from '../../locales/types';

/** Dutch texts of API tokens. */
const nl = {
  tokens: {
    nav: 'API-tokens',
    title: 'API-tokens',
    intro:
      'Tokens geven andere software toegang tot de API namens je organisatie. Geef enkel de rechten die nodig zijn.',
    caption: 'API-tokens',
    empty: 'Nog geen API-tokens.',
    name: 'Naam',
    prefix: 'Begin van de token',
    permissions: 'Rechten',
    createdAt: 'Aangemaakt',
    lastUsedAt: 'Laatst gebruikt',
    never: 'Nooit',
    revoked: 'Ingetrokken op {{date}}',
    newTitle: 'Nieuw API-token',
    permissionsLegend: 'Rechten van het token',
    permissionsRequired: 'Kies minstens één recht.',
    created: 'Token aangemaakt.',
    token: 'API-token',
    revoke: 'Intrekken',
    revokeLabel: 'Token {{name}} intrekken',
    revokeConfirm: 'Het token {{name}} intrekken? Software die het gebruikt, krijgt meteen geen toegang meer.',
    revokedDone: 'Token ingetrokken.',
  },
} as const;

/** English: the type keeps the keys in step with the Dutch. */
const en: Strings<typeof nl> = {
  tokens: {
    nav: 'API tokens',
    title: 'API tokens',
    intro:
      'Tokens give other software access to the API on behalf of your organisation. Grant only the rights it needs.',
    caption: 'API tokens',
    empty: 'No API tokens yet.',
    name: 'Name',
    prefix: 'Start of the token',
    permissions: 'Permissions',
    createdAt: 'Created',
    lastUsedAt: 'Last used',
    never: 'Never',
    revoked: 'Revoked on {{date}}',
    newTitle: 'New API token',
    permissionsLegend: 'Permissions of the token',
    permissionsRequired: 'Choose at least one permission.',
    created: 'Token created.',
    token: 'API token',
    revoke: 'Revoke',
    revokeLabel: 'Revoke token {{name}}',
    revokeConfirm: 'Revoke the token {{name}}? Software that uses it loses access at once.',
    revokedDone: 'Token revoked.',
  },
};

export const texts = { nl, en };
