// compare/merge/baseline arguments may each be a run folder, a k6 output file, a
// run-summary.json, a baseline folder or the name of a saved baseline.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { baselineDir, isBaselineDir, loadBaseline } from '../baseline/store.ts';
import type { RunSummary } from '../model/run-summary.ts';
import { type LoadOptions, loadRun } from './load-run.ts';

export async function resolveRuns(args: readonly string[], baselinesRoot: string, options: LoadOptions): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  for (const arg of args) {
    if (existsSync(arg) && isBaselineDir(arg)) runs.push(...loadBaseline(arg));
    else if (!existsSync(arg) && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(arg) && existsSync(join(baselineDir(baselinesRoot, arg), 'baseline.json')))
      runs.push(...loadBaseline(baselineDir(baselinesRoot, arg)));
    else runs.push(await loadRun(arg, options));
  }
  return runs;
}
