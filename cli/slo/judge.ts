// The one judge: a run's SLO results and verdict, from its recorded SLO set plus whatever else
// k6 enforced, over the run's derived figures, plus the implicit rows every run gets: progress
// (a stall fails the run) and generator (a saturated k6 makes the verdict inconclusive).
// report, compare, the suite and npm start all call this; none decides pass or fail on its own.

import { PROGRESS_GUARD_SCENARIO, PROGRESS_STALLS_METRIC } from '../../lib/shared/progress-guard.ts';
import { deriveFigures } from '../figures/derived.ts';
import { CPU_SATURATION_SHARE, generatorFigures, SUSTAINED_WINDOW_S } from '../figures/generator.ts';
import type { ProgressFigures } from '../figures/progress.ts';
import type { RunSummary } from '../model/run-summary.ts';
import type { Derived, SloResult, SloVerdict } from '../report/report-types.ts';
import { METRIC } from '../run-folder/metric-names.ts';
import { evaluateSlos, overallVerdict } from './evaluate.ts';
import { slosForRun } from './slo.ts';

export interface Judgement {
  results: SloResult[];
  verdict: SloVerdict;
  derived: Derived;
}

const s1 = (x: number) => x.toFixed(1);

/** The implicit `progress` row: fail on any stall window or guard stall; unknown when too short to tell. */
export function progressResult(p: ProgressFigures): SloResult {
  const windows = p.windows ?? [];
  const stalled = windows.length > 0 || p.guardStalls > 0;
  const named = windows.map((w) => `${w.kind} from ${s1(w.startS)} s to ${s1(w.endS)} s (${s1(w.seconds)} s, ${w.ratePerS.toFixed(2)}/s against a steady ${w.steadyRatePerS.toFixed(2)}/s)`);
  const guard = p.guardStalls > 0 ? `the in-run progress guard counted ${p.guardStalls} stall(s)` : '';
  const detail = stalled
    ? `stall: ${[...named, guard].filter(Boolean).join('; ')}`
    : p.windows === null
      ? 'the timeline is too short (fewer than 5 buckets) to judge progress'
      : 'completions kept pace with the run’s own steady rate while VUs were active';
  return {
    id: 'progress',
    metric: 'progress',
    expression: 'no stall (VUs active, nothing completing, ≥ the stall window)',
    warnExpression: null,
    targetExpression: null,
    targetMet: null,
    observed: windows.reduce((a, w) => a + w.seconds, 0),
    verdict: stalled ? 'fail' : p.windows === null ? 'unknown' : 'pass',
    source: 'implicit',
    detail,
  };
}

/** The implicit `generator` row: inconclusive when k6 was saturated; unknown when k6's CPU could not be judged (never an invented pass). */
export function generatorResult(g: NonNullable<Derived['generator']>): SloResult {
  return {
    id: 'generator',
    metric: METRIC.dropped,
    expression: `k6 not saturated (CPU < ${CPU_SATURATION_SHARE * 100} % of the machine over ${SUSTAINED_WINDOW_S} s; no dropped iterations while latency held)`,
    warnExpression: null,
    targetExpression: null,
    targetMet: null,
    observed: g.droppedIterations,
    verdict: g.saturated ? 'inconclusive' : g.cpuMeasured ? 'pass' : 'unknown',
    source: 'implicit',
    detail: g.saturated ? `inconclusive: generator saturated (${g.sign}): ${g.reason}` : g.reason,
  };
}

export function judgeRun(run: RunSummary, figures: Derived = deriveFigures(run)): Judgement {
  // The guard's own threshold is the progress row's business (one row per verdict).
  const k6 = run.k6Thresholds.filter((t) => t.metric !== PROGRESS_STALLS_METRIC && !t.metric.includes(`scenario:${PROGRESS_GUARD_SCENARIO}`));
  const fromSlos = evaluateSlos(run, slosForRun(run.sloSet, k6), figures);
  const stalled = (figures.progress?.windows?.length ?? 0) > 0 || (figures.progress?.guardStalls ?? 0) > 0;
  const latencyHeld = !fromSlos.some((r) => r.verdict === 'fail' && r.metric.startsWith(METRIC.duration));
  // A stall explains dropped iterations (every VU is stuck), so it is never called saturation.
  const generator = generatorFigures(run, latencyHeld && !stalled);
  const derived: Derived = { ...figures, generator };
  const results = [...fromSlos, ...(figures.progress ? [progressResult(figures.progress)] : []), generatorResult(generator)];
  return { results, verdict: overallVerdict(results), derived };
}

/** The SLOs a user declared (an SLO set or k6 thresholds): the implicit rows (progress, generator) judge every run and do not count as SLOs. */
export function declaredSlos<T extends { source: string }>(results: readonly T[]): T[] {
  return results.filter((r) => r.source !== 'implicit');
}
