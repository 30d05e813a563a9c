// Named load profiles: `k6 run -e PROFILE=<name> dist/<workload>.js` combines any workload with
// any load shape. Pure logic (no k6 runtime calls), so it is unit-tested under Node and importable
// by the Node-side CLI to reconstruct a run's schedule (e.g. the breaking point of a breakpoint run).
import type { Scenario } from 'k6/options';
import { concurrencySteps, PROFILES, type Shape } from './profiles/catalog.ts';
import { formatDuration } from './profiles/duration.ts';
import { type ProfileEnv, readKnobs } from './profiles/env.ts';
import { type ScheduledProfile, type ScheduledStep, scheduleProfile } from './profiles/schedule.ts';

export type { ProfileEnv } from './profiles/env.ts';
export { PROFILE_ENV_VARS } from './profiles/env.ts';
export type { LoadModel, ScheduledProfile, ScheduledStep } from './profiles/schedule.ts';

export const profileNames: readonly string[] = Object.freeze(Object.keys(PROFILES));

export type K6Threshold = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

function definitionOf(profileName: string) {
  const def = Object.hasOwn(PROFILES, profileName) ? PROFILES[profileName] : undefined;
  if (!def) {
    throw new Error(`PROFILE=${JSON.stringify(profileName)} is not a known profile. Valid profiles: ${profileNames.join(', ')}`);
  }
  return def;
}

/** One-line description of a profile, for help texts and docs. */
export function profileSummary(profileName: string): string {
  return definitionOf(profileName).summary;
}

/** The concrete, scaled schedule of a profile: steps, start times, totals, peaks. */
export function describeProfile(profileName: string, env: ProfileEnv = {}): ScheduledProfile {
  const def = definitionOf(profileName);
  const knobs = readKnobs(env);
  if (profileName === 'concurrency-steps' && knobs.concurrencyLevels) {
    return scheduleProfile(profileName, { ...def, steps: concurrencySteps(knobs.concurrencyLevels) }, knobs);
  }
  return scheduleProfile(profileName, def, knobs);
}

function toK6Stages(stages: Array<{ seconds: number; target: number }>) {
  return stages.map((st) => ({ duration: formatDuration(st.seconds), target: st.target }));
}

function toScenario(profile: ScheduledProfile, step: ScheduledStep, exec: string | undefined): Scenario {
  const common = {
    startTime: formatDuration(step.startSeconds),
    gracefulStop: formatDuration(profile.gracefulStopSeconds),
    tags: { profile: profile.name, ...step.tags },
    ...(exec ? { exec } : {}),
  };
  const shape: Shape = step.shape;
  switch (shape.executor) {
    case 'shared-iterations':
      return { ...common, executor: 'shared-iterations', vus: shape.vus, iterations: shape.iterations, maxDuration: formatDuration(shape.maxSeconds) };
    case 'constant-vus':
      return { ...common, executor: 'constant-vus', vus: shape.vus, duration: formatDuration(shape.seconds) };
    case 'ramping-vus':
      return {
        ...common,
        executor: 'ramping-vus',
        startVUs: shape.startVUs,
        stages: toK6Stages(shape.stages),
        gracefulRampDown: formatDuration(profile.gracefulStopSeconds),
      };
    case 'constant-arrival-rate':
      return {
        ...common,
        executor: 'constant-arrival-rate',
        rate: shape.rate,
        timeUnit: '1s',
        duration: formatDuration(shape.seconds),
        preAllocatedVUs: step.preAllocatedVUs,
        maxVUs: step.peakVUs,
      };
    case 'ramping-arrival-rate':
      return {
        ...common,
        executor: 'ramping-arrival-rate',
        startRate: shape.startRate,
        timeUnit: '1s',
        stages: toK6Stages(shape.stages),
        preAllocatedVUs: step.preAllocatedVUs,
        maxVUs: step.peakVUs,
      };
  }
}

/** k6 `scenarios` for a named profile scaled by env (pass k6's __ENV). */
export function buildScenarios(profileName: string, env: ProfileEnv, exec?: string): Record<string, Scenario> {
  const profile = describeProfile(profileName, env);
  const scenarios: Record<string, Scenario> = {};
  for (const step of profile.steps) scenarios[step.scenario] = toScenario(profile, step, exec);
  return scenarios;
}

/** Share of scheduled iterations an open-model step may drop before the run fails. */
const DROPPED_ITERATIONS_SHARE = 0.001;
/** Breakpoint ramps wait this long (nominal, scaled) before abort thresholds may stop the run. */
const NOMINAL_ABORT_DELAY_SECONDS = 30;

/**
 * Thresholds the profile itself needs, keyed per scenario so they never collide with SLO
 * thresholds: open-model steps fail on dropped iterations (an overloaded generator must not pass
 * as a fast system under test); breakpoint steps abort the run when errors, latency or drops blow up.
 */
export function profileThresholds(profileName: string, env: ProfileEnv = {}): Record<string, K6Threshold[]> {
  const profile = describeProfile(profileName, env);
  const knobs = readKnobs(env);
  const delayAbortEval = formatDuration(Math.max(1, Math.round(NOMINAL_ABORT_DELAY_SECONDS * profile.durationScale)));
  const thresholds: Record<string, K6Threshold[]> = {};
  for (const step of profile.steps) {
    if (step.model !== 'open') continue;
    const allowed = knobs.droppedIterationsMax ?? Math.ceil(step.scheduledIterations * DROPPED_ITERATIONS_SHARE);
    const sel = `{scenario:${step.scenario}}`;
    if (!step.breakpoint) {
      thresholds[`dropped_iterations${sel}`] = [`count<=${allowed}`];
      continue;
    }
    const abort = (threshold: string): K6Threshold => ({ threshold, abortOnFail: true, delayAbortEval });
    thresholds[`http_req_failed${sel}`] = [abort(`rate<${knobs.breakpointErrorRate}`)];
    thresholds[`http_req_duration${sel}`] = [abort(`p(95)<${knobs.breakpointP95Ms}`)];
    thresholds[`dropped_iterations${sel}`] = [abort(`count<=${Math.max(10, allowed)}`)];
  }
  return thresholds;
}

export interface ScheduledTarget {
  scenario: string;
  tags: Record<string, string>;
  executor: Shape['executor'];
  /** Arrival rate (iterations/s) the schedule asked for at that moment; open-model steps only. */
  rate?: number;
  /** VUs the schedule asked for at that moment; closed-model steps only. */
  vus?: number;
}

function interpolate(start: number, stages: Array<{ seconds: number; target: number }>, t: number): number {
  let from = start;
  let elapsed = 0;
  for (const st of stages) {
    if (t < elapsed + st.seconds) return from + ((st.target - from) * (t - elapsed)) / st.seconds;
    elapsed += st.seconds;
    from = st.target;
  }
  return from;
}

/**
 * What the profile asked for `elapsedSeconds` after the test started. The report uses it to name
 * a breakpoint run's breaking point: the arrival rate the schedule asked for at the moment k6 aborted (time of
 * the last metric point minus the first), next to the iteration rate it actually achieved.
 */
export function scheduledTargetAt(profileName: string, env: ProfileEnv, elapsedSeconds: number): ScheduledTarget | undefined {
  const profile = describeProfile(profileName, env);
  const step = profile.steps.find((s) => elapsedSeconds >= s.startSeconds && elapsedSeconds < s.startSeconds + s.durationSeconds);
  if (!step) return undefined;
  const t = elapsedSeconds - step.startSeconds;
  const base = { scenario: step.scenario, tags: { profile: profileName, ...step.tags }, executor: step.shape.executor };
  const shape = step.shape;
  switch (shape.executor) {
    case 'shared-iterations':
    case 'constant-vus':
      return { ...base, vus: shape.vus };
    case 'ramping-vus':
      return { ...base, vus: Math.round(interpolate(shape.startVUs, shape.stages, t)) };
    case 'constant-arrival-rate':
      return { ...base, rate: shape.rate };
    case 'ramping-arrival-rate':
      return { ...base, rate: interpolate(shape.startRate, shape.stages, t) };
  }
}
