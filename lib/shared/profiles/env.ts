// Reads the profile knobs from k6's __ENV (or any string map). Every knob is optional; a bad
// value is a problem that names the variable, what it got and the form it wants, because a
// silently ignored typo would run a load test of the wrong size.
import { EnvKnobs } from '../env-knobs.ts';

export interface ProfileEnv {
  [key: string]: string | undefined;
}

/** The parsed knobs with their defaults applied. */
export interface ProfileKnobs {
  vusScale: number;
  rateScale: number;
  /** Multiplier for every duration; PROFILE_DURATION is turned into one by the scheduler. */
  durationScale: number | undefined;
  profileDurationSeconds: number | undefined;
  iterations: number | undefined;
  concurrencyLevels: number[] | undefined;
  expectedLatencyMs: number;
  maxLatencyMs: number;
  maxVUs: number;
  droppedIterationsMax: number | undefined;
  breakpointErrorRate: number;
  breakpointP95Ms: number;
}

/** Names of every env var the profiles read, for docs and error messages. */
export const PROFILE_ENV_VARS = [
  'PROFILE',
  'VUS_SCALE',
  'RATE_SCALE',
  'DURATION_SCALE',
  'PROFILE_DURATION',
  'ITERATIONS',
  'CONCURRENCY_LEVELS',
  'EXPECTED_LATENCY_MS',
  'MAX_LATENCY_MS',
  'MAX_VUS',
  'DROPPED_ITERATIONS_MAX',
  'BREAKPOINT_ERROR_RATE',
  'BREAKPOINT_P95_MS',
] as const;

/**
 * Reads every profile knob. Given an EnvKnobs, problems are recorded there (so a workload lists
 * them together with its other knobs); given a plain env, any problem throws a ConfigError.
 */
export function readKnobs(source: ProfileEnv | EnvKnobs): ProfileKnobs {
  const knobs = source instanceof EnvKnobs ? source : new EnvKnobs(source);
  const positive = (name: string, example: string) => knobs.optionalNumber(name, { above: 0, example });
  const positiveInteger = (name: string, example: string) => knobs.optionalNumber(name, { integer: true, above: 0, example });
  const durationScale = positive('DURATION_SCALE', '0.01 or 2');
  const profileDurationSeconds = knobs.optionalDuration('PROFILE_DURATION', 1, '30s, 2m or 1h30m');
  if (durationScale !== undefined && profileDurationSeconds !== undefined) {
    knobs.add('DURATION_SCALE and PROFILE_DURATION are both set: they say the same thing two ways. Fix: set only one of them.');
  }
  const result: ProfileKnobs = {
    vusScale: positive('VUS_SCALE', '0.1 or 2') ?? 1,
    rateScale: positive('RATE_SCALE', '0.01 or 2') ?? 1,
    durationScale,
    profileDurationSeconds: durationScale === undefined ? profileDurationSeconds : undefined,
    iterations: positiveInteger('ITERATIONS', '5'),
    concurrencyLevels: knobs.list('CONCURRENCY_LEVELS', 'comma-separated positive whole numbers such as 1,5,10,25,50', (p) => {
      const n = Number(p);
      return Number.isInteger(n) && n > 0 ? n : undefined;
    }),
    expectedLatencyMs: positive('EXPECTED_LATENCY_MS', '250') ?? 250,
    maxLatencyMs: positive('MAX_LATENCY_MS', '2000') ?? 2000,
    maxVUs: positiveInteger('MAX_VUS', '5000') ?? 5000,
    droppedIterationsMax: knobs.optionalNumber('DROPPED_ITERATIONS_MAX', { integer: true, min: 0, example: '0 or 100' }),
    breakpointErrorRate: knobs.optionalNumber('BREAKPOINT_ERROR_RATE', { above: 0, below: 1, example: '0.05' }) ?? 0.05,
    breakpointP95Ms: positive('BREAKPOINT_P95_MS', '2000') ?? 2000,
  };
  if (!(source instanceof EnvKnobs)) knobs.throwIfAny();
  return result;
}
