// `report`: one run -> report.json, report.md, report.html, report.csv, junit.xml, all written
// atomically together into the run folder (or --out).
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { serverClientCounts } from '../figures/server-metrics.ts';
import { writeFilesAtomic } from '../io/atomic-write.ts';
import type { RunSummary } from '../model/run-summary.ts';
import { type LoadOptions, loadRun } from '../run/load-run.ts';
import { loadThresholdsFile } from '../slo/load.ts';
import { buildReport } from './build-report.ts';
import { renderCsv } from './render-csv.ts';
import { renderHtml } from './render-html.ts';
import { renderJunit } from './render-junit.ts';
import { renderMarkdown } from './render-md.ts';
import type { Report } from './report-types.ts';

export const REPORT_FILES = ['report.json', 'report.md', 'report.html', 'report.csv', 'junit.xml'] as const;

export function writeReport(report: Report, outDir: string): string[] {
  const files = [
    { path: join(outDir, 'report.json'), content: `${JSON.stringify(report, null, 2)}\n` },
    { path: join(outDir, 'report.md'), content: renderMarkdown(report) },
    { path: join(outDir, 'report.html'), content: renderHtml(report) },
    { path: join(outDir, 'report.csv'), content: renderCsv(report) },
    { path: join(outDir, 'junit.xml'), content: renderJunit(report) },
  ];
  writeFilesAtomic(files);
  return files.map((f) => f.path);
}

/** --thresholds <file> judges the run by another SLO set than the one it recorded. */
export function withSloFile(run: RunSummary, thresholds: string | undefined): RunSummary {
  return thresholds ? { ...run, sloSet: loadThresholdsFile(thresholds) } : run;
}

export interface ReportedRun {
  run: RunSummary;
  report: Report;
  files: string[];
}

/**
 * What `ledger-perf report <run>` does, as a library call for the suite and npm start: load
 * (from the cache when fresh), judge, write the report files next to the run (or into outDir).
 */
export async function reportRun(runPath: string, options: LoadOptions & { thresholds?: string; outDir?: string } = {}): Promise<ReportedRun> {
  const run = withSloFile(await loadRun(runPath, options), options.thresholds);
  const report = buildReport(run);
  if (statSync(runPath).isDirectory()) {
    const counts = serverClientCounts(runPath, run);
    if (counts) report.serverCounts = counts;
  }
  const outDir = resolve(options.outDir ?? (statSync(runPath).isDirectory() ? runPath : dirname(runPath)));
  return { run, report, files: writeReport(report, outDir) };
}
