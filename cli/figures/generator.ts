// Generator saturation: when k6 itself is the bottleneck its figures describe k6, not the target.
// The sign used: k6 dropped iterations (its VU pool could not start them on schedule) while every
// latency fail level held, so the target was answering in time and the pool (maxVUs), not the
// target, was short. Drops that come with broken latency are the target's breaking point instead.
import { overall, type RunSummary } from '../model/run-summary.ts';
import { METRIC } from '../run-folder/metric-names.ts';

export interface GeneratorFigures {
  droppedIterations: number;
  saturated: boolean;
  reason: string;
}

export function generatorFigures(run: RunSummary, latencyHeld: boolean): GeneratorFigures {
  const droppedIterations = overall(run, METRIC.dropped)?.moments.sum ?? 0;
  if (droppedIterations > 0 && latencyHeld) {
    return { droppedIterations, saturated: true, reason: `k6 dropped ${droppedIterations} iterations while every latency fail level held: its VU pool (maxVUs), not the target, was short` };
  }
  return {
    droppedIterations,
    saturated: false,
    reason: droppedIterations > 0 ? `${droppedIterations} dropped iterations came with latency past its fail level: the target slowed down` : 'no dropped iterations',
  };
}
