import type { Strings } from '../../locales/types';

/** Dutch texts of organisations. */
const nl = {
  organizations: {
    nav: 'Organisaties',
    title: 'Organisaties',
    intro: 'De organisaties van het netwerk {{network}}.',
    caption: 'Organisaties van het netwerk',
    empty: 'Er zijn nog geen organisaties.',
    kind: 'Soort',
    newTitle: 'Nieuwe organisatie',
    name: 'Naam van de organisatie',
    created: 'Organisatie aangemaakt.',
    editTitle: 'Organisatie bewerken',
    activeLabel: 'Organisatie is actief',
    sites: 'Vestigingen',
    sitesEmpty: 'Nog geen vestigingen.',
    siteName: 'Naam van de vestiging',
    street: 'Straat en huisnummer',
    postalCode: 'Postcode',
    postalCodeInvalid: 'Een Belgische postcode heeft 4 cijfers.',
    municipality: 'Gemeente',
    addSite: 'Vestiging toevoegen',
    siteAdded: 'Vestiging toegevoegd.',
    teams: 'Teams',
    teamsEmpty: 'Nog geen teams.',
    teamName: 'Naam van het team',
    addTeam: 'Team toevoegen',
    teamAdded: 'Team toegevoegd.',
    notFound: 'Deze organisatie bestaat niet of je hebt er geen toegang toe.',
    backToList: 'Terug naar organisaties',
  },
} as const;

/** English: the type keeps the keys in step with the Dutch. */
const en: Strings<typeof nl> = {
  organizations: {
    nav: 'Organisations',
    title: 'Organisations',
    intro: 'The organisations of the network {{network}}.',
    caption: 'Organisations of the network',
    empty: 'There are no organisations yet.',
    kind: 'Kind',
    newTitle: 'New organisation',
    name: 'Name of the organisation',
    created: 'Organisation created.',
    editTitle: 'Edit organisation',
    activeLabel: 'Organisation is active',
    sites: 'Sites',
    sitesEmpty: 'No sites yet.',
    siteName: 'Name of the site',
    street: 'Street and number',
    postalCode: 'Postal code',
    postalCodeInvalid: 'A Belgian postal code has 4 digits.',
    municipality: 'Municipality',
    addSite: 'Add site',
    siteAdded: 'Site added.',
    teams: 'Teams',
    teamsEmpty: 'No teams yet.',
    teamName: 'Name of the team',
    addTeam: 'Add team',
    teamAdded: 'Team added.',
    notFound: 'This organisation does not exist or you have no access to it.',
    backToList: 'Back to organisations',
  },
};

export const texts = { nl, en };
