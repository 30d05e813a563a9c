// The named load shapes, in nominal (unscaled) units: seconds, VUs, iterations per second.
// Each profile is a list of steps run one after another; a step becomes one k6 scenario, so
// stepped profiles (TPS tiers, user levels, concurrency steps) stay distinguishable in the
// output through the scenario name and the step's tags. Numbers come from the seed test plans.

export interface Stage {
  seconds: number;
  target: number;
}

export type Shape =
  | { executor: 'shared-iterations'; vus: number; iterations: number; maxSeconds: number }
  | { executor: 'constant-vus'; vus: number; seconds: number }
  | { executor: 'ramping-vus'; startVUs: number; stages: Stage[] }
  | { executor: 'constant-arrival-rate'; rate: number; seconds: number }
  | { executor: 'ramping-arrival-rate'; startRate: number; stages: Stage[] };

export interface Step {
  /** Scenario name suffix; unique inside a profile. */
  key: string;
  /** Extra tags on every metric of this step, e.g. { step: 'baseline' }. */
  tags: Record<string, string>;
  shape: Shape;
  /** Ramp-to-failure step: gets abortOnFail thresholds and is where the breaking point lies. */
  breakpoint?: boolean;
  /**
   * Starts the moment the previous step's schedule ends instead of one gracefulStop later: the
   * recovery after a burst must be measured under load from the burst's end, not after an idle
   * pause in which any target recovers. The previous step's VUs finish their last iterations
   * (tagged as theirs) while this step runs.
   */
  continuous?: boolean;
}

export interface ProfileDefinition {
  summary: string;
  /** Where the numbers come from. */
  source: string;
  steps: Step[];
}

const rampVUs = (startVUs: number, ...stages: Array<[number, number]>): Shape => ({
  executor: 'ramping-vus',
  startVUs,
  stages: stages.map(([seconds, target]) => ({ seconds, target })),
});

const rampRate = (startRate: number, ...stages: Array<[number, number]>): Shape => ({
  executor: 'ramping-arrival-rate',
  startRate,
  stages: stages.map(([seconds, target]) => ({ seconds, target })),
});

const tpsTier = (key: string, rate: number, seconds: number): Step => ({
  key,
  tags: { step: key },
  shape: { executor: 'constant-arrival-rate', rate, seconds },
});

/** Seed 004 stress test: 0 → 1000 → 2000 → 5000 TPS, 10 min per leg, until failure. */
const TPS_STRESS: Shape = rampRate(0, [600, 1000], [600, 2000], [600, 5000]);

const TPS_TIERS = {
  baseline: tpsTier('baseline', 100, 300),
  scale: tpsTier('scale', 500, 900),
  target: tpsTier('target', 1000, 1800),
  endurance: tpsTier('endurance', 1000, 7200),
} as const;

/** Seed 003 (Locust): users, spawn rate per second, total minutes including the spawn. */
const USER_LEVELS = {
  light: { users: 50, spawnRate: 5, minutes: 5 },
  medium: { users: 200, spawnRate: 10, minutes: 10 },
  heavy: { users: 500, spawnRate: 20, minutes: 15 },
  stress: { users: 1000, spawnRate: 50, minutes: 20 },
} as const;

type UserLevel = keyof typeof USER_LEVELS;

function userLevelStep(level: UserLevel): Step {
  const { users, spawnRate, minutes } = USER_LEVELS[level];
  const spawnSeconds = Math.ceil(users / spawnRate);
  return {
    key: level,
    tags: { level },
    shape: rampVUs(0, [spawnSeconds, users], [minutes * 60 - spawnSeconds, users]),
  };
}

/** Seed 000 concurrency (1–50 workers) and seed 002 scaling (10, 25, 50). */
export const DEFAULT_CONCURRENCY_LEVELS = [1, 5, 10, 25, 50] as const;
export const CONCURRENCY_STEP_SECONDS = 60;

export function concurrencySteps(levels: readonly number[]): Step[] {
  return levels.map((vus) => ({
    key: String(vus),
    tags: { concurrency: String(vus) },
    shape: { executor: 'constant-vus', vus, seconds: CONCURRENCY_STEP_SECONDS },
  }));
}

/** The profile a run gets when PROFILE is unset (a workload may name its own default). */
export const DEFAULT_PROFILE = 'smoke';

// Each definition is built when first read: a k6 VU reads one profile, and every object built
// at module load is paid for in every VU (the whole catalog cost ~0.2 MiB per VU;
// bench/k6-footprint.ts).
const DEFINITIONS: Readonly<Record<string, () => ProfileDefinition>> = {
  smoke: () => ({
    summary: '1 VU, a few iterations: does the workload work at all',
    source: 'k6 guidance; every seed has a quick mode',
    steps: [{ key: 'run', tags: {}, shape: { executor: 'shared-iterations', vus: 1, iterations: 5, maxSeconds: 60 } }],
  }),
  average: () => ({
    summary: 'typical load: ramp to 50 VUs over 10 % of the run, hold, ramp down over 10 %',
    source: 'k6 average-load test guidance',
    steps: [{ key: 'run', tags: {}, shape: rampVUs(0, [60, 50], [480, 50], [60, 0]) }],
  }),
  'ramp-up': () => ({
    summary: '10 → 500 VUs over 10 minutes',
    source: 'seed 001: --stage 10s:10 --stage 600s:500',
    steps: [{ key: 'run', tags: {}, shape: rampVUs(0, [10, 10], [600, 500]) }],
  }),
  steady: () => ({
    summary: '500 VUs for 30 minutes',
    source: 'seed 001: --vus 500 --duration 1800s',
    steps: [{ key: 'run', tags: {}, shape: { executor: 'constant-vus', vus: 500, seconds: 1800 } }],
  }),
  stress: () => ({
    summary: 'past normal load in held steps: 200, 500, 1000 VUs (5 min each), then ramp down',
    source: 'seed 001 best practice "push beyond expected load"; seed 002 ramp 10 → 100',
    steps: [{ key: 'run', tags: {}, shape: rampVUs(0, [120, 200], [300, 200], [120, 500], [300, 500], [120, 1000], [300, 1000], [180, 0]) }],
  }),
  spike: () => ({
    summary: '100 → 1000 → 100 VUs',
    source: 'seed 001: --stage 30s:100 --stage 60s:1000 --stage 90s:100',
    steps: [{ key: 'run', tags: {}, shape: rampVUs(0, [30, 100], [60, 1000], [90, 100]) }],
  }),
  soak: () => ({
    summary: '100 VUs held for 2 hours (memory leaks, slow degradation)',
    source: 'seed 002 memory stability; seed 004 endurance',
    steps: [{ key: 'run', tags: {}, shape: rampVUs(0, [300, 100], [7200, 100], [300, 0]) }],
  }),
  'burst-recovery': () => ({
    summary: 'baseline 10 VUs → burst 100 VUs → back to 10 VUs; phases tagged for recovery time',
    source: 'seed 002 bench_recovery / bench_burst_load',
    steps: [
      { key: 'baseline', tags: { phase: 'baseline' }, shape: { executor: 'constant-vus', vus: 10, seconds: 60 } },
      { key: 'burst', tags: { phase: 'burst' }, shape: { executor: 'constant-vus', vus: 100, seconds: 30 } },
      { key: 'recovery', tags: { phase: 'recovery' }, shape: { executor: 'constant-vus', vus: 10, seconds: 60 }, continuous: true },
    ],
  }),
  breakpoint: () => ({
    summary: 'open model, 0 → 1000 → 2000 → 5000 iterations/s until an abortOnFail threshold stops it',
    source: 'seed 004 stress test (ramp to failure, record the breaking point)',
    steps: [{ key: 'run', tags: { step: 'stress' }, shape: TPS_STRESS, breakpoint: true }],
  }),
  'tps-baseline': () => ({ summary: 'open model, 100 iterations/s for 5 minutes', source: 'seed 004 test 1', steps: [TPS_TIERS.baseline] }),
  'tps-scale': () => ({ summary: 'open model, 500 iterations/s for 15 minutes', source: 'seed 004 test 2', steps: [TPS_TIERS.scale] }),
  'tps-target': () => ({ summary: 'open model, 1000 iterations/s for 30 minutes', source: 'seed 004 test 3', steps: [TPS_TIERS.target] }),
  'tps-endurance': () => ({ summary: 'open model, 1000 iterations/s for 2 hours', source: 'seed 004 test 4', steps: [TPS_TIERS.endurance] }),
  'tps-steps': () => ({
    summary: 'the whole seed 004 progression in one run: 100, 500, 1000, 1000 (endurance) iterations/s, then ramp to failure',
    source: 'seed 004 tests 1–5',
    steps: [TPS_TIERS.baseline, TPS_TIERS.scale, TPS_TIERS.target, TPS_TIERS.endurance, { key: 'stress', tags: { step: 'stress' }, shape: TPS_STRESS, breakpoint: true }],
  }),
  'users-light': () => ({ summary: '50 users spawned at 5/s, 5 minutes', source: 'seed 003 light', steps: [userLevelStep('light')] }),
  'users-medium': () => ({ summary: '200 users spawned at 10/s, 10 minutes', source: 'seed 003 medium', steps: [userLevelStep('medium')] }),
  'users-heavy': () => ({ summary: '500 users spawned at 20/s, 15 minutes', source: 'seed 003 heavy', steps: [userLevelStep('heavy')] }),
  'users-stress': () => ({ summary: '1000 users spawned at 50/s, 20 minutes', source: 'seed 003 stress', steps: [userLevelStep('stress')] }),
  'user-levels': () => ({
    summary: 'light, medium, heavy, stress user levels one after another, tagged level',
    source: 'seed 003 scenarios',
    steps: [userLevelStep('light'), userLevelStep('medium'), userLevelStep('heavy'), userLevelStep('stress')],
  }),
  'concurrency-steps': () => ({
    summary: '1, 5, 10, 25, 50 concurrent workers, 1 minute each, tagged concurrency',
    source: 'seed 000 concurrency 1–50 workers; seed 002 10/25/50',
    steps: concurrencySteps(DEFAULT_CONCURRENCY_LEVELS),
  }),
};

/** name -> definition, each built (once) on first read. */
export const PROFILES: Readonly<Record<string, ProfileDefinition>> = lazyRecord(DEFINITIONS);

function lazyRecord<T>(thunks: Readonly<Record<string, () => T>>): Readonly<Record<string, T>> {
  const record: Record<string, T> = {};
  for (const name of Object.keys(thunks)) {
    Object.defineProperty(record, name, {
      enumerable: true,
      configurable: true,
      get() {
        const value = thunks[name]!();
        Object.defineProperty(record, name, { value, enumerable: true, writable: false, configurable: false });
        return value;
      },
    });
  }
  return record;
}
