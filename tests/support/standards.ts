/**
 * The standards the tests check against, from the repository's one copy (standards/, see its README.md): the
 * Open Referral HSDS 3.0 schemas and examples (the server's import validator reads the same schema folder) and
 * the HL7 FHIR R4 JSON Schema.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const STANDARDS_DIR = fileURLToPath(new URL('../../standards', import.meta.url));
export const HSDS_DIR = path.join(STANDARDS_DIR, 'hsds-3.0');
export const FHIR_SCHEMA = path.join(STANDARDS_DIR, 'fhir-r4', 'fhir.schema.json');
