// Which baseline an `npm start` run is compared with. Performance is only comparable on the same
// kind of machine, so the first run on a machine records a local, git-ignored baseline
// (baselines/local/npm-start/) and later runs compare with it. The shipped baselines/npm-start is
// a reference for the project's machine kind: it gives a verdict only on a machine with the same
// fingerprint (cli/run-folder/machine.ts). START_BASELINE=<name> picks a saved baseline explicitly.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { baselineDir, isBaselineDir, loadBaseline, saveBaseline } from '../../cli/baseline/store.ts';
import type { RunSummary } from '../../cli/model/run-summary.ts';
import { describeMachine, sameMachine } from '../../cli/run-folder/machine.ts';

export const START_BASELINE_NAME = 'npm-start';

export type BaselineChoice = { kind: 'compare'; root: string; name: string; why: string } | { kind: 'recorded'; root: string; name: string; why: string } | { kind: 'none'; why: string };

export interface BaselinePlaces {
  /** baselines/ (shipped, committed). */
  shippedRoot: string;
  /** baselines/local/ (this machine's, git-ignored). */
  localRoot: string;
}

function machineOf(root: string, name: string) {
  const dir = baselineDir(root, name);
  if (!isBaselineDir(dir)) return { exists: false as const };
  return { exists: true as const, machine: loadBaseline(dir)[0]?.meta.machine };
}

/**
 * Decides, and for a first run records, the baseline of this run. `run` is the run just made
 * (its meta.machine is this machine); a run that failed its SLOs is never recorded.
 */
export function chooseStartBaseline(run: RunSummary, verdict: string, places: BaselinePlaces, explicit?: string): BaselineChoice {
  if (explicit) {
    return existsSync(join(baselineDir(places.shippedRoot, explicit), 'baseline.json'))
      ? { kind: 'compare', root: places.shippedRoot, name: explicit, why: `START_BASELINE=${explicit}` }
      : { kind: 'none', why: `no baseline "${explicit}" in ${places.shippedRoot} (START_BASELINE)` };
  }
  const here = run.meta.machine;
  const shipped = machineOf(places.shippedRoot, START_BASELINE_NAME);
  const shippedNote = shipped.exists
    ? sameMachine(shipped.machine, here)
      ? ''
      : `; the shipped baselines/${START_BASELINE_NAME} is a reference for ${describeMachine(shipped.machine)} and gives no verdict on this machine`
    : '';
  const local = machineOf(places.localRoot, START_BASELINE_NAME);
  if (local.exists && sameMachine(local.machine, here)) return { kind: 'compare', root: places.localRoot, name: START_BASELINE_NAME, why: `this machine's baseline${shippedNote}` };
  if (shipped.exists && sameMachine(shipped.machine, here)) return { kind: 'compare', root: places.shippedRoot, name: START_BASELINE_NAME, why: 'the shipped reference, made on this machine kind' };
  const before = local.exists ? `the local baseline was recorded on ${describeMachine(local.machine)}, not on this machine (${describeMachine(here)}); ` : 'first npm start on this machine; ';
  if (run.meta.exitCode !== 0 || (verdict !== 'pass' && verdict !== 'warn'))
    return { kind: 'none', why: `${before}not recording a run with k6 exit ${run.meta.exitCode ?? '?'} and SLO verdict ${verdict} as the baseline${shippedNote}` };
  // A local baseline from another machine (or none) is replaced: it can never give a verdict here.
  saveBaseline(places.localRoot, START_BASELINE_NAME, [run], { force: true });
  return { kind: 'recorded', root: places.localRoot, name: START_BASELINE_NAME, why: `${before}recorded this run as the local baseline; later runs are compared with it${shippedNote}` };
}
