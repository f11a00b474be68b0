// The validated screening instruments: definitions, scoring and FHIR Questionnaire mapping (no routes of its own).
export { INSTRUMENTS, instrumentById } from './catalogue.ts';
export type { InstrumentDefinition } from './definition.ts';
export { checkAnswers, scoreAnswers, type Answers } from './scoring.ts';
export { FHIR_BASE, toQuestionnaire, toQuestionnaireResponse } from './fhir.ts';
export { ensureInstrumentVersions } from './registry.ts';
