// The achieved-rate figure (seed 004 "TPS achieved"): the share of the iterations k6 was asked to
// start that it did start, iterations ÷ (iterations + dropped_iterations). An arrival-rate
// executor drops an iteration when no VU is free, so below 1 the offered rate was not delivered.
// A closed model (VUs set the pace) never drops: its ratio is 1 by construction.
import type { RunSummary } from '../model/run-summary.ts';
import { overall } from '../model/run-summary.ts';
import type { Derived } from '../report/report-types.ts';
import { METRIC } from '../run-folder/metric-names.ts';

export type AchievedRate = NonNullable<Derived['achievedRate']>;

/** null when the run neither ran nor dropped an iteration (nothing was offered). */
export function achievedRate(run: RunSummary): AchievedRate | null {
  // The progress guard's own iterations never reach these series (cli/ingest/aggregator.ts).
  const iterations = overall(run, METRIC.iterations)?.moments.sum ?? 0;
  const dropped = overall(run, METRIC.dropped)?.moments.sum ?? 0;
  const offered = iterations + dropped;
  if (offered === 0) return null;
  return { ratio: iterations / offered, iterations, dropped };
}
