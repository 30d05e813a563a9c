// Combines a workload with the profile chosen at run time (-e PROFILE=<name>) and its SLO
// file: a workload never hard-codes its load shape, a profile never knows what a request is.

import type { Options } from 'k6/options';
import { DEFAULT_PROFILE } from '../shared/profiles/catalog.ts';
import type { ScheduledProfile } from '../shared/profiles/schedule.ts';
import { buildScenarios, profileThresholds } from '../shared/profiles.ts';
import { PROGRESS_GUARD_SCENARIO, PROGRESS_STALLS_METRIC } from '../shared/progress-guard.ts';
import { compileThresholds, type ThresholdsFile } from '../shared/slo.ts';
import { selectThresholds } from '../shared/slo-registry.ts';
import { progressGuardScenario } from './progress-guard.ts';

type Env = Record<string, string | undefined>;
type K6Thresholds = NonNullable<Options['thresholds']>;

/** System tags kept on every sample: `url` and `vu`/`iter` are left out (one series per id). */
export const SYSTEM_TAGS = ['proto', 'status', 'method', 'name', 'group', 'check', 'error', 'error_code', 'scenario', 'expected_response'];

export const SUMMARY_TREND_STATS = ['min', 'med', 'avg', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

function mergeThresholds(...sets: K6Thresholds[]): K6Thresholds {
  const merged: Record<string, unknown[]> = {};
  for (const set of sets) {
    for (const [metric, rules] of Object.entries(set)) {
      merged[metric] = [...(merged[metric] ?? []), ...(Array.isArray(rules) ? rules : [rules])];
    }
  }
  return merged as K6Thresholds;
}

/**
 * `thresholds` is a thresholds file imported as JSON (typed loosely by TypeScript's JSON import);
 * it was validated against thresholds/schema.json when the bundle was built.
 */
export function buildOptions(params: { workload: string; thresholds: ThresholdsFile | object; exec?: string; env?: Env }): Options {
  const env = params.env ?? __ENV;
  const profile = env.PROFILE ?? DEFAULT_PROFILE;
  return {
    scenarios: buildScenarios(profile, env, params.exec),
    // THRESHOLDS=<name> swaps the workload's own SLO file for a shipped set (docs/thresholds.md).
    thresholds: mergeThresholds(compileThresholds(selectThresholds(env, params.thresholds as ThresholdsFile)) as K6Thresholds, profileThresholds(profile, env) as K6Thresholds),
    systemTags: SYSTEM_TAGS,
    summaryTrendStats: SUMMARY_TREND_STATS,
    tags: { testid: env.TESTID ?? `${params.workload}-local`, workload: params.workload, profile },
    setupTimeout: '120s',
    teardownTimeout: '120s',
  };
}

/**
 * Adds the progress guard (lib/k6/progress-guard.ts) to a workload's options: its scenario and
 * the `progress_stalls count<1` threshold that makes a stall fail `k6 run` (exit 99). The script
 * must export the guard function as `progressGuard` (defineWorkload's workloads do).
 */
export function withProgressGuard(options: Options, profile: ScheduledProfile): Options {
  return {
    ...options,
    scenarios: { ...options.scenarios, [PROGRESS_GUARD_SCENARIO]: progressGuardScenario(profile) },
    // The second, always-true threshold puts the guard's own iterations in summary.json, so k6's
    // iteration total can be reconciled with the workload's (the CLI leaves the guard's out).
    thresholds: { ...options.thresholds, [PROGRESS_STALLS_METRIC]: ['count<1'], [`iterations{scenario:${PROGRESS_GUARD_SCENARIO}}`]: ['count>=0'] },
  };
}
