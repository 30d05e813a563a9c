// The one SLO file loader: JSON syntax (line:column), the JSON Schema (thresholds/schema.json,
// ajv), then the rules a schema cannot express (lib/shared/slo.ts checkSloSemantics); every
// names checked against what exists (cli/slo/catalog-check.ts); every
// problem with file, line and JSON pointer (cli/config/json-source.ts). Used by the report, the
// runner, the esbuild plugin (build-time check of every bundled SLO file) and validate-thresholds.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSloSemantics, type ThresholdsFile } from '../../lib/shared/slo.ts';
import { ConfigFileError, type FileProblem, locateProblems, readJsonSource, schemaProblems, schemaValidator } from '../config/json-source.ts';
import { RUN_FILES } from '../run-folder/names.ts';
import { sloCatalogProblems } from './catalog-check.ts';

export type { SloEntry, ThresholdsFile } from '../../lib/shared/slo.ts';
export { ConfigFileError, formatProblems } from '../config/json-source.ts';

export const thresholdsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'thresholds');
export const thresholdsSchemaPath = join(thresholdsDir, 'schema.json');

function validator() {
  return schemaValidator('thresholds', JSON.parse(readFileSync(thresholdsSchemaPath, 'utf8')) as object);
}

/** An SLO file is named after its file, except the run folder's copy (thresholds.json) of a set. */
function expectedName(file: string): string | undefined {
  return basename(file) === RUN_FILES.thresholds ? undefined : basename(file).replace(/\.json$/, '');
}

/** Every problem of already-parsed SLO data read from `file`. */
export function thresholdsProblems(data: unknown, file: string): FileProblem[] {
  const problems = schemaProblems(validator(), data);
  if (problems.length) return problems;
  const parsed = data as ThresholdsFile;
  const name = expectedName(file);
  if (name !== undefined && parsed.name !== name) {
    problems.push({ pointer: '/name', message: `name "${parsed.name}" differs from the file name`, fix: `set "name": "${name}" or rename the file` });
  }
  return [...problems, ...checkSloSemantics(parsed), ...sloCatalogProblems(parsed)];
}

/** Reads, parses and validates an SLO file; throws ConfigFileError listing every problem. */
export function loadThresholdsFile(file: string): ThresholdsFile {
  const { text, data } = readJsonSource(file);
  const problems = thresholdsProblems(data, file);
  if (problems.length) throw new ConfigFileError(file, locateProblems(text, problems));
  return data as ThresholdsFile;
}

/** Names of the shipped SLO sets (without .json), for help texts. */
export function shippedThresholdNames(): string[] {
  return readdirSync(thresholdsDir)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}
