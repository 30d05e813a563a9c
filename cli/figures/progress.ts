// The progress verdict's figures: stall windows found in the timeline (cli/figures/stall.ts),
// stalls the in-run guard counted (progress_stalls, lib/k6/progress-guard.ts) and the iterations
// k6 interrupted. A run that stalled is a fail whatever its latency says: a frozen target's
// requests never finish, so they never enter a latency or error figure.

import { PROGRESS_STALLS_METRIC } from '../../lib/shared/progress-guard.ts';
import { overall, type RunSummary } from '../model/run-summary.ts';
import { findStalls, type StallWindow } from './stall.ts';

export interface ProgressFigures {
  /** Windows relative to the run's start (s); null: the timeline is too short to judge. */
  windows: Array<StallWindow & { startS: number; endS: number }> | null;
  /** Stalls the in-run guard counted (k6 fails the run on any). */
  guardStalls: number;
}

export function progressFigures(run: RunSummary): ProgressFigures {
  const found = run.timeseries ? findStalls(run.timeseries) : null;
  const windows = found?.map((w) => ({ ...w, startS: Math.max(0, (w.startMs - run.startMs) / 1000), endS: Math.max(0, (w.endMs - run.startMs) / 1000) })) ?? null;
  return { windows, guardStalls: overall(run, PROGRESS_STALLS_METRIC)?.moments.sum ?? 0 };
}
