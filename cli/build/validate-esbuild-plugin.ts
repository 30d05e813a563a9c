// esbuild plugin: every thresholds/*.json a workload imports is schema- and rule-checked while
// bundling, so a broken SLO file fails `npm run build` with file, JSON pointer and fix instead of
// failing (or silently misbehaving) inside k6.
import { readFileSync } from 'node:fs';
import type { Plugin } from 'esbuild';
import { displayPath, locateProblems } from '../config/json-source.ts';
import { thresholdsProblems } from '../slo/load.ts';

export function thresholdsValidationPlugin(): Plugin {
  return {
    name: 'validate-thresholds',
    setup(build) {
      build.onLoad({ filter: /[\\/]thresholds[\\/][^\\/]+\.json$/ }, (args) => {
        if (args.path.endsWith('schema.json')) return undefined;
        const text = readFileSync(args.path, 'utf8');
        let data: unknown;
        try {
          data = JSON.parse(text);
        } catch (err) {
          return { errors: [{ text: `${displayPath(args.path)}: not valid JSON: ${(err as Error).message} — fix: correct the JSON syntax` }] };
        }
        const problems = thresholdsProblems(data, args.path);
        if (problems.length) {
          const lines = text.split('\n');
          return {
            errors: locateProblems(text, problems).map((p) => ({
              text: `${displayPath(args.path)}${p.line ? `:${p.line}` : ''}: ${p.pointer || '/'}: ${p.message} — fix: ${p.fix}`,
              ...(p.line ? { location: { file: args.path, line: p.line, column: (p.column ?? 1) - 1, lineText: lines[p.line - 1] ?? '' } } : {}),
            })),
          };
        }
        return { contents: text, loader: 'json' };
      });
    },
  };
}
