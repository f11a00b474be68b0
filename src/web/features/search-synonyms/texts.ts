import type { Strings } from '../../locales/types';

/** Dutch texts of the network's synonym groups for the catalogue search. */
const nl = {
  searchSynonyms: {
    nav: 'Synoniemen',
    title: 'Synoniemen voor het zoeken in aanbod',
    intro:
      'Wie in het aanbod zoekt op één woord van een groep, vindt ook het aanbod met de andere woorden. Korte Lijn kent al een Nederlandse lijst; voeg hier de woorden toe die in jullie netwerk gebruikt worden.',
    addTitle: 'Groep toevoegen',
    words: 'Woorden',
    wordsHint:
      'Minstens twee losse woorden, gescheiden door komma’s. Bijvoorbeeld: praatcafé, babbelbox, ontmoetingsmoment',
    wordsTooFew: 'Geef minstens twee woorden, gescheiden door komma’s.',
    add: 'Toevoegen',
    added: 'De groep is toegevoegd. Zoeken in aanbod gebruikt ze meteen.',
    ownTitle: 'Synoniemen van het netwerk',
    ownEmpty: 'Nog geen eigen synoniemen. Zoeken gebruikt alleen de ingebouwde lijst.',
    builtInTitle: 'Ingebouwde lijst',
    builtInIntro:
      'Deze groepen gelden voor elk netwerk en voor het publieke aanbod; ze kunnen hier niet gewijzigd worden.',
    remove: 'Verwijderen',
    removeLabel: 'Groep {{words}} verwijderen',
    confirmTitle: 'Groep verwijderen?',
    confirmMessage: 'Zoeken op {{words}} vindt elkaars aanbod dan niet meer.',
    removed: 'De groep is verwijderd.',
    settingsLink: 'Synoniemen voor het zoeken in aanbod beheren',
  },
};

const en: Strings<typeof nl> = {
  searchSynonyms: {
    nav: 'Synonyms',
    title: 'Synonyms for the catalogue search',
    intro:
      'Whoever searches the catalogue for one word of a group also finds the services with the other words. Korte Lijn has a built-in Dutch list; add the words your network uses here.',
    addTitle: 'Add a group',
    words: 'Words',
    wordsHint: 'At least two single words, separated by commas. For example: praatcafé, babbelbox, ontmoetingsmoment',
    wordsTooFew: 'Enter at least two words, separated by commas.',
    add: 'Add',
    added: 'The group was added. The catalogue search uses it at once.',
    ownTitle: "The network's synonyms",
    ownEmpty: 'No synonyms of your own yet. The search uses the built-in list only.',
    builtInTitle: 'Built-in list',
    builtInIntro: 'These groups apply to every network and to the public catalogue; they cannot be changed here.',
    remove: 'Remove',
    removeLabel: 'Remove group {{words}}',
    confirmTitle: 'Remove this group?',
    confirmMessage: 'A search for {{words}} will no longer find each other’s services.',
    removed: 'The group was removed.',
    settingsLink: 'Manage synonyms for the catalogue search',
  },
};

export const texts = { nl, en };
