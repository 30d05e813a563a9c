// Validates thresholds files: `tsx tools/build/validate-thresholds.ts [files...]` (default: every
// thresholds/*.json). Prints one line per problem with file, line, JSON pointer and fix; exit 2
// (bad input, as everywhere in the CLI) when any file is invalid.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { displayPath } from '../../cli/config/json-source.ts';
import { ConfigFileError, loadThresholdsFile, shippedThresholdNames, thresholdsDir } from '../../cli/slo/load.ts';

export function validateThresholdFiles(files: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  let bad = 0;
  for (const file of files) {
    try {
      const parsed = loadThresholdsFile(file);
      out(`ok  ${displayPath(file)} (${parsed.slos.length} SLOs)`);
    } catch (e) {
      if (!(e instanceof ConfigFileError)) throw e;
      bad++;
      err(e.message);
    }
  }
  if (bad) err(`${bad} of ${files.length} thresholds file(s) invalid`);
  return bad ? 2 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log('usage: validate-thresholds [thresholds/<name>.json ...]   (default: every thresholds/*.json)');
    process.exit(0);
  }
  const files = args.length ? args : shippedThresholdNames().map((n) => join(thresholdsDir, `${n}.json`));
  process.exitCode = validateThresholdFiles(files);
}
