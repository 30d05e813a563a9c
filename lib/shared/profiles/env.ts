// Reads the profile knobs from k6's __ENV (or any string map). Every knob is optional; a bad
// value is an Error that names the variable, what it got and the form it wants, because a
// silently ignored typo would run a load test of the wrong size.
import { parseDurationSeconds } from './duration.ts';

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

function present(env: ProfileEnv, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function positiveNumber(env: ProfileEnv, name: string, example: string): number | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`${name}=${JSON.stringify(raw)} is not valid: expected a positive number such as ${example}`);
  }
  return n;
}

function positiveInteger(env: ProfileEnv, name: string, example: string): number | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    throw new Error(`${name}=${JSON.stringify(raw)} is not valid: expected a positive whole number such as ${example}`);
  }
  return n;
}

function nonNegativeInteger(env: ProfileEnv, name: string, example: string): number | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`${name}=${JSON.stringify(raw)} is not valid: expected a whole number >= 0 such as ${example}`);
  }
  return n;
}

function fraction(env: ProfileEnv, name: string, example: string): number | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n >= 1) {
    throw new Error(`${name}=${JSON.stringify(raw)} is not valid: expected a fraction between 0 and 1 such as ${example}`);
  }
  return n;
}

function duration(env: ProfileEnv, name: string): number | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  const s = parseDurationSeconds(raw);
  if (s === undefined || s < 1) {
    throw new Error(`${name}=${JSON.stringify(raw)} is not valid: expected a duration of at least 1s such as 30s, 2m or 1h30m`);
  }
  return s;
}

function integerList(env: ProfileEnv, name: string): number[] | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((p) => p.trim());
  const nums = parts.map(Number);
  if (parts.length === 0 || nums.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new Error(`${name}=${JSON.stringify(raw)} is not valid: expected comma-separated positive whole numbers such as 1,5,10,25,50`);
  }
  return nums;
}

export function readKnobs(env: ProfileEnv): ProfileKnobs {
  const durationScale = positiveNumber(env, 'DURATION_SCALE', '0.01 or 2');
  const profileDurationSeconds = duration(env, 'PROFILE_DURATION');
  if (durationScale !== undefined && profileDurationSeconds !== undefined) {
    throw new Error('DURATION_SCALE and PROFILE_DURATION are both set: they say the same thing two ways. Fix: set only one of them.');
  }
  return {
    vusScale: positiveNumber(env, 'VUS_SCALE', '0.1 or 2') ?? 1,
    rateScale: positiveNumber(env, 'RATE_SCALE', '0.01 or 2') ?? 1,
    durationScale,
    profileDurationSeconds,
    iterations: positiveInteger(env, 'ITERATIONS', '5'),
    concurrencyLevels: integerList(env, 'CONCURRENCY_LEVELS'),
    expectedLatencyMs: positiveNumber(env, 'EXPECTED_LATENCY_MS', '250') ?? 250,
    maxLatencyMs: positiveNumber(env, 'MAX_LATENCY_MS', '2000') ?? 2000,
    maxVUs: positiveInteger(env, 'MAX_VUS', '5000') ?? 5000,
    droppedIterationsMax: nonNegativeInteger(env, 'DROPPED_ITERATIONS_MAX', '0 or 100'),
    breakpointErrorRate: fraction(env, 'BREAKPOINT_ERROR_RATE', '0.05') ?? 0.05,
    breakpointP95Ms: positiveNumber(env, 'BREAKPOINT_P95_MS', '2000') ?? 2000,
  };
}
