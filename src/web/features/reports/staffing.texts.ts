import type { Strings } from '../../locales/types';

/** Dutch texts of the staffing form (organisation admin) and the norms editor (network admin). */
export const staffingNl = {
  reportStaffing: {
    title: 'Personeelsinzet {{quarter}}',
    intro:
      'Vul per module de VTE in, met hoogstens twee cijfers na de komma (bv. 2,5). De kwartaalnorm is VTE × jaarnorm ÷ 4.',
    caption: 'VTE per module in {{quarter}} en de norm die daaruit volgt',
    fte: 'VTE',
    fteOf: 'VTE {{module}}',
    normPerFte: 'Jaarnorm per VTE',
    quarterNorm: 'Norm kwartaal',
    noNorm: 'geen norm',
    save: 'Personeelsinzet bewaren',
    copyPrevious: 'Kopieer vorig kwartaal',
    copied:
      'De VTE van het vorige kwartaal staan nu ook in {{quarter}} (modules die al ingevuld waren, bleven zoals ze waren).',
    noPrevious: 'Het vorige kwartaal heeft geen personeelsinzet om over te nemen.',
    saved: '{{n}} module(s) bewaard voor {{quarter}}.',
    nothingChanged: 'Er is niets gewijzigd.',
    required: 'Vul een getal in, of verwijder de module met "Verwijderen" als ze geen inzet meer heeft.',
    actions: 'Acties',
    empty: 'Nog geen personeelsinzet voor {{quarter}}: vul de VTE per module in, of kopieer het vorige kwartaal.',
    remove: 'Verwijderen',
    removeOf: '{{module}} verwijderen uit dit kwartaal',
    removeTitle: 'Module verwijderen uit dit kwartaal',
    removeConfirm:
      'De VTE van {{module}} in {{quarter}} verwijderen? De output van {{quarter}} heeft dan geen norm meer voor deze module.',
    removed: 'De VTE van {{module}} is verwijderd uit {{quarter}}.',
    invalid: 'Geef een getal van 0 tot {{max}} met hoogstens twee cijfers na de komma, bijvoorbeeld 2,5.',
  },
  reportNorms: {
    title: 'Outputnormen per VTE',
    intro:
      'Het aantal trajecten dat één VTE per jaar begeleidt, per module. De kwartaalrapportering rekent de norm als VTE × jaarnorm ÷ 4.',
    hint: 'Standaard {{value}}; een geheel getal van {{min}} tot en met {{max}}.',
    wholeNumber: 'Geef een geheel getal.',
    save: 'Normen bewaren',
    saved: 'De outputnormen zijn bewaard.',
    fillDefaults: 'Standaardnormen invullen',
    defaultsFilled: 'De standaardnormen zijn ingevuld; bewaar om ze toe te passen.',
  },
};

export const staffingEn: Strings<typeof staffingNl> = {
  reportStaffing: {
    title: 'Staffing {{quarter}}',
    intro: 'Enter the FTE per module, with at most two decimals (e.g. 2.5). The quarter norm is FTE × yearly norm ÷ 4.',
    caption: 'FTE per module in {{quarter}} and the norm it gives',
    fte: 'FTE',
    fteOf: 'FTE {{module}}',
    normPerFte: 'Yearly norm per FTE',
    quarterNorm: 'Quarter norm',
    noNorm: 'no norm',
    save: 'Save staffing',
    copyPrevious: 'Copy previous quarter',
    copied: "The previous quarter's FTE are now in {{quarter}} too (modules already filled in kept their value).",
    noPrevious: 'The previous quarter has no staffing to copy.',
    saved: '{{n}} module(s) saved for {{quarter}}.',
    nothingChanged: 'Nothing changed.',
    required: 'Enter a number, or remove the module with "Remove" when it has no staff any more.',
    actions: 'Actions',
    empty: 'No staffing for {{quarter}} yet: enter the FTE per module, or copy the previous quarter.',
    remove: 'Remove',
    removeOf: 'Remove {{module}} from this quarter',
    removeTitle: 'Remove the module from this quarter',
    removeConfirm:
      'Remove the FTE of {{module}} in {{quarter}}? The output of {{quarter}} then has no norm for this module.',
    removed: 'The FTE of {{module}} was removed from {{quarter}}.',
    invalid: 'Enter a number from 0 to {{max}} with at most two decimals, for example 2.5.',
  },
  reportNorms: {
    title: 'Output norms per FTE',
    intro:
      'The number of trajectories one FTE supports per year, per module. The quarterly report takes FTE × yearly norm ÷ 4.',
    hint: 'Default {{value}}; a whole number from {{min}} to {{max}}.',
    wholeNumber: 'Enter a whole number.',
    save: 'Save norms',
    saved: 'The output norms were saved.',
    fillDefaults: 'Fill in the default norms',
    defaultsFilled: 'The default norms are filled in; save to apply them.',
  },
};
