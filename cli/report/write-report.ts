// `report`: one run -> report.json, report.md, report.html, report.csv, junit.xml, all written
// atomically together into the run folder (or --out).
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFilesAtomic } from '../io/atomic-write.ts';
import type { RunSummary } from '../model/run-summary.ts';
import { buildReport } from './build-report.ts';
import { renderCsv } from './render-csv.ts';
import { renderHtml } from './render-html.ts';
import { renderJunit } from './render-junit.ts';
import { renderMarkdown } from './render-md.ts';
import type { Report } from './report-types.ts';
import { readRunResources } from './resources.ts';
import { specsFromK6Summary, type SloSpec } from './slo.ts';
import { loadSloFile } from './thresholds-file.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const REPORT_FILES = ['report.json', 'report.md', 'report.html', 'report.csv', 'junit.xml'] as const;

/**
 * The SLO file for a run: --thresholds; else, when run.json names one, the copy the runner
 * saved in the run folder (thresholds.json: what the run was built with), then the named path
 * resolved against the run folder, the current directory and the project.
 */
export function resolveThresholdsFile(run: RunSummary, runDir: string | undefined, explicit?: string): string | undefined {
  if (explicit) return explicit;
  const named = run.meta.thresholdsFile;
  if (!named) return undefined;
  if (runDir && existsSync(join(runDir, 'thresholds.json'))) return join(runDir, 'thresholds.json');
  if (isAbsolute(named)) return existsSync(named) ? named : undefined;
  for (const base of [runDir, process.cwd(), PROJECT_ROOT]) if (base && existsSync(join(base, named))) return join(base, named);
  return undefined;
}

export function sloSpecsFor(run: RunSummary, thresholdsFile: string | undefined, warn: (m: string) => void): SloSpec[] {
  if (thresholdsFile) return loadSloFile(thresholdsFile, run);
  if (run.meta.thresholdsFile) warn(`run.json names thresholds file ${run.meta.thresholdsFile}, but it was not found; using k6's own threshold results (summary.json)`);
  return specsFromK6Summary(run);
}

export function writeReport(report: Report, outDir: string): string[] {
  const files = [
    { path: join(outDir, 'report.json'), content: JSON.stringify(report, null, 2) + '\n' },
    { path: join(outDir, 'report.md'), content: renderMarkdown(report) },
    { path: join(outDir, 'report.html'), content: renderHtml(report) },
    { path: join(outDir, 'report.csv'), content: renderCsv(report) },
    { path: join(outDir, 'junit.xml'), content: renderJunit(report) },
  ];
  writeFilesAtomic(files);
  return files.map((f) => f.path);
}

export function makeReport(run: RunSummary, runPath: string, options: { thresholds?: string; warn: (m: string) => void }): Report {
  const abs = resolve(runPath);
  const runDir = statSync(abs).isDirectory() ? abs : dirname(abs);
  return buildReport(run, sloSpecsFor(run, resolveThresholdsFile(run, runDir, options.thresholds), options.warn), readRunResources(runDir));
}
