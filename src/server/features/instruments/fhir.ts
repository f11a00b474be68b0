import type { InstrumentDefinition } from './definition.ts';
import type { Answers } from './scoring.ts';

export const FHIR_BASE = 'https://kortelijn.be/fhir';
const ORDINAL = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';
const answerSystem = (def: InstrumentDefinition) => `${FHIR_BASE}/CodeSystem/${def.id}-answers`;
const canonical = (def: InstrumentDefinition) => `${FHIR_BASE}/Questionnaire/${def.id}`;

/** An instrument definition as a FHIR R4 Questionnaire; every answer option carries its score as ordinalValue. */
export function toQuestionnaire(def: InstrumentDefinition) {
  return {
    resourceType: 'Questionnaire' as const,
    id: def.id,
    url: canonical(def),
    version: def.version,
    name: def.id.toUpperCase().replace(/[^A-Z0-9]/g, ''),
    title: def.title.nl,
    status: 'active' as const,
    language: 'nl-BE',
    description: def.description.nl,
    copyright: `${def.licence.nl} ${def.citation}`,
    item: def.items.map((item) => ({
      linkId: item.id,
      text: item.text.nl,
      type: 'choice' as const,
      required: !item.enableWhen,
      ...(item.enableWhen
        ? {
            enableWhen: item.enableWhen.anyOf.map((value) => ({
              question: item.enableWhen!.item,
              operator: '=' as const,
              answerCoding: { system: answerSystem(def), code: String(value) },
            })),
            enableBehavior: 'any' as const,
          }
        : {}),
      answerOption: item.options.map((o) => ({
        valueCoding: { system: answerSystem(def), code: String(o.value), display: o.label.nl },
        extension: [{ url: ORDINAL, valueDecimal: o.score }],
      })),
    })),
  };
}

export interface StoredScreening {
  id: string;
  answers: Answers;
  score: number | null;
  band: string | null;
  missing: string[];
  imputed?: boolean;
  administeredAt: Date;
  helpRequestId: string;
}

/**
 * A stored screening as a FHIR R4 QuestionnaireResponse pointing at the exact Questionnaire version.
 * Status: "completed" only when every asked (enabled) item was answered — the Questionnaire marks them
 * required — else "in-progress" (items missing; the score, if any, is imputed or absent).
 */
export function toQuestionnaireResponse(def: InstrumentDefinition, s: StoredScreening) {
  const extension = [
    ...(s.score !== null ? [{ url: `${FHIR_BASE}/StructureDefinition/total-score`, valueInteger: s.score }] : []),
    ...(s.band ? [{ url: `${FHIR_BASE}/StructureDefinition/score-band`, valueCode: s.band }] : []),
    ...(s.imputed ? [{ url: `${FHIR_BASE}/StructureDefinition/score-imputed`, valueBoolean: true }] : []),
  ];
  const item = def.items
    .filter((i) => s.answers[i.id] !== undefined)
    .map((i) => {
      const option = i.options.find((o) => o.value === s.answers[i.id])!;
      return {
        linkId: i.id,
        text: i.text.nl,
        answer: [{ valueCoding: { system: answerSystem(def), code: String(option.value), display: option.label.nl } }],
      };
    });
  return {
    resourceType: 'QuestionnaireResponse' as const,
    id: s.id,
    questionnaire: `${canonical(def)}|${def.version}`,
    status: s.missing.length === 0 ? ('completed' as const) : ('in-progress' as const),
    authored: s.administeredAt.toISOString(),
    basedOn: [{ identifier: { system: `${FHIR_BASE}/help-request`, value: s.helpRequestId } }],
    // FHIR JSON has no empty arrays
    ...(extension.length ? { extension } : {}),
    ...(item.length ? { item } : {}),
  };
}
