// Loads and validates thresholds/*.json on Node: the JSON Schema (thresholds/schema.json, ajv),
// then the rules a schema cannot express (lib/shared/slo.ts checkSloSemantics). Used by the
// validate CLI, the esbuild plugin (build-time check of every bundled SLO file) and the report CLI.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSloSemantics, type ThresholdsFile } from '../../lib/shared/slo.ts';
import { ConfigFileError, locateProblems, readJsonSource, schemaProblems, schemaValidator, type FileProblem } from '../config/json-source.ts';

export type { ThresholdsFile, SloEntry, SloVerdict, SloStatus } from '../../lib/shared/slo.ts';
export { sloVerdict, thresholdKey, thresholdExpression, compileThresholds } from '../../lib/shared/slo.ts';
export { ConfigFileError, formatProblems } from '../config/json-source.ts';

export const thresholdsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'thresholds');
export const thresholdsSchemaPath = join(thresholdsDir, 'schema.json');

function validator() {
  return schemaValidator('thresholds', JSON.parse(readFileSync(thresholdsSchemaPath, 'utf8')) as object);
}

/** Every problem of already-parsed thresholds data; `file` gives the expected `name`. */
export function thresholdsProblems(data: unknown, file: string): FileProblem[] {
  const problems = schemaProblems(validator(), data);
  if (problems.length) return problems;
  const parsed = data as ThresholdsFile;
  const expectedName = basename(file).replace(/\.json$/, '');
  if (parsed.name !== expectedName) {
    problems.push({ pointer: '/name', message: `name "${parsed.name}" differs from the file name`, fix: `set "name": "${expectedName}" or rename the file` });
  }
  return [...problems, ...checkSloSemantics(parsed)];
}

/** Reads, parses and validates a thresholds file; throws ConfigFileError listing every problem. */
export function loadThresholdsFile(file: string): ThresholdsFile {
  const { text, data } = readJsonSource(file);
  const problems = thresholdsProblems(data, file);
  if (problems.length) throw new ConfigFileError(file, locateProblems(text, problems));
  return data as ThresholdsFile;
}

/** Names of the shipped thresholds files (without .json), for help texts. */
export function shippedThresholdNames(): string[] {
  return readdirSync(thresholdsDir)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}
