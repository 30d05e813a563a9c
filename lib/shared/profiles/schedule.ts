// Turns a nominal profile definition plus the env knobs into a concrete schedule: scaled
// durations (whole seconds, at least 1), scaled VUs and rates, start times of sequential steps,
// and VU pools for open-model steps sized from rate × latency.
import type { ProfileDefinition, Shape, Stage, Step } from './catalog.ts';
import type { ProfileKnobs } from './env.ts';

export type LoadModel = 'iterations' | 'closed' | 'open';

export interface ScheduledStep {
  /** k6 scenario name: the profile name, or `<profile>_<step>` for multi-step profiles. */
  scenario: string;
  key: string;
  tags: Record<string, string>;
  shape: Shape;
  model: LoadModel;
  startSeconds: number;
  /** Length of the step's schedule (maxDuration for shared-iterations), without gracefulStop. */
  durationSeconds: number;
  breakpoint: boolean;
  /** Highest VU count the step can use (closed: the VU target; open: maxVUs). */
  peakVUs: number;
  /** Highest arrival rate in iterations/s (0 for closed-model steps). */
  peakRate: number;
  preAllocatedVUs: number;
  /** Iterations the arrival-rate schedule asks for (open-model steps; 0 otherwise). */
  scheduledIterations: number;
}

export interface ScheduledProfile {
  name: string;
  model: LoadModel;
  steps: ScheduledStep[];
  /** End of the last step's schedule, excluding its gracefulStop (steps are gracefulStop apart unless continuous). */
  totalSeconds: number;
  /** Upper bound of wall time: totalSeconds plus the last step's gracefulStop. */
  maxWallSeconds: number;
  gracefulStopSeconds: number;
  peakVUs: number;
  peakRate: number;
  durationScale: number;
}

const NOMINAL_GRACEFUL_STOP_SECONDS = 30;
/** Smoke is bounded by iterations; its time cap must not shrink below what a few iterations need. */
const MIN_ITERATIONS_CAP_SECONDS = 10;
/** preAllocatedVUs headroom over rate × expected latency (Little's law). */
const PREALLOCATION_HEADROOM = 1.5;

function nominalSeconds(shape: Shape): number {
  switch (shape.executor) {
    case 'shared-iterations':
      return shape.maxSeconds;
    case 'constant-vus':
    case 'constant-arrival-rate':
      return shape.seconds;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return shape.stages.reduce((sum, st) => sum + st.seconds, 0);
  }
}

export function nominalTotalSeconds(def: ProfileDefinition): number {
  return def.steps.reduce((sum, step) => sum + nominalSeconds(step.shape), 0);
}

const scaleSeconds = (s: number, scale: number) => Math.max(1, Math.round(s * scale));
/** 0 stays 0 (ramp-downs, ramp-ups from nothing); anything else stays at least 1. */
const scaleCount = (n: number, scale: number) => (n === 0 ? 0 : Math.max(1, Math.round(n * scale)));

function scaleStages(stages: Stage[], durationScale: number, targetScale: number): Stage[] {
  return stages.map((st) => ({ seconds: scaleSeconds(st.seconds, durationScale), target: scaleCount(st.target, targetScale) }));
}

function scaleShape(shape: Shape, knobs: ProfileKnobs, durationScale: number): Shape {
  switch (shape.executor) {
    case 'shared-iterations':
      return {
        executor: 'shared-iterations',
        vus: scaleCount(shape.vus, knobs.vusScale),
        iterations: knobs.iterations ?? shape.iterations,
        maxSeconds: Math.max(MIN_ITERATIONS_CAP_SECONDS, scaleSeconds(shape.maxSeconds, durationScale)),
      };
    case 'constant-vus':
      return { executor: 'constant-vus', vus: scaleCount(shape.vus, knobs.vusScale), seconds: scaleSeconds(shape.seconds, durationScale) };
    case 'ramping-vus':
      return {
        executor: 'ramping-vus',
        startVUs: scaleCount(shape.startVUs, knobs.vusScale),
        stages: scaleStages(shape.stages, durationScale, knobs.vusScale),
      };
    case 'constant-arrival-rate':
      return { executor: 'constant-arrival-rate', rate: scaleCount(shape.rate, knobs.rateScale), seconds: scaleSeconds(shape.seconds, durationScale) };
    case 'ramping-arrival-rate':
      return {
        executor: 'ramping-arrival-rate',
        startRate: scaleCount(shape.startRate, knobs.rateScale),
        stages: scaleStages(shape.stages, durationScale, knobs.rateScale),
      };
  }
}

function modelOf(shape: Shape): LoadModel {
  if (shape.executor === 'shared-iterations') return 'iterations';
  return shape.executor.endsWith('arrival-rate') ? 'open' : 'closed';
}

function peakOf(shape: Shape): { vus: number; rate: number } {
  switch (shape.executor) {
    case 'shared-iterations':
    case 'constant-vus':
      return { vus: shape.vus, rate: 0 };
    case 'ramping-vus':
      return { vus: Math.max(shape.startVUs, ...shape.stages.map((s) => s.target)), rate: 0 };
    case 'constant-arrival-rate':
      return { vus: 0, rate: shape.rate };
    case 'ramping-arrival-rate':
      return { vus: 0, rate: Math.max(shape.startRate, ...shape.stages.map((s) => s.target)) };
  }
}

function iterationsOf(shape: Shape): number {
  if (shape.executor === 'constant-arrival-rate') return shape.rate * shape.seconds;
  if (shape.executor !== 'ramping-arrival-rate') return 0;
  let previous = shape.startRate;
  let total = 0;
  for (const st of shape.stages) {
    total += ((previous + st.target) / 2) * st.seconds;
    previous = st.target;
  }
  return Math.round(total);
}

function scenarioName(profile: string, def: ProfileDefinition, step: Step): string {
  return def.steps.length === 1 ? profile : `${profile}_${step.key}`;
}

export function scheduleProfile(name: string, def: ProfileDefinition, knobs: ProfileKnobs): ScheduledProfile {
  const durationScale = knobs.durationScale ?? (knobs.profileDurationSeconds !== undefined ? knobs.profileDurationSeconds / nominalTotalSeconds(def) : 1);
  const gracefulStopSeconds = Math.min(NOMINAL_GRACEFUL_STOP_SECONDS, scaleSeconds(NOMINAL_GRACEFUL_STOP_SECONDS, durationScale));
  let start = 0;
  let previousEnd = 0;
  const steps: ScheduledStep[] = def.steps.map((step) => {
    if (step.continuous) start = previousEnd;
    const shape = scaleShape(step.shape, knobs, durationScale);
    const model = modelOf(shape);
    const peak = peakOf(shape);
    let preAllocatedVUs = 0;
    let peakVUs = peak.vus;
    if (model === 'open') {
      const cap = knobs.maxVUs;
      preAllocatedVUs = Math.min(cap, Math.max(1, Math.ceil(((peak.rate * knobs.expectedLatencyMs) / 1000) * PREALLOCATION_HEADROOM)));
      peakVUs = Math.min(cap, Math.max(preAllocatedVUs, Math.ceil((peak.rate * knobs.maxLatencyMs) / 1000)));
    }
    const scheduled: ScheduledStep = {
      scenario: scenarioName(name, def, step),
      key: step.key,
      tags: { ...step.tags },
      shape,
      model,
      startSeconds: start,
      durationSeconds: nominalSeconds(shape),
      breakpoint: step.breakpoint === true,
      peakVUs,
      peakRate: peak.rate,
      preAllocatedVUs,
      scheduledIterations: iterationsOf(shape),
    };
    // The next step starts after this one's gracefulStop, so no VU of one step still runs in the
    // next: per-step figures (concurrency, level, phase) stay clean and peaks never add up.
    previousEnd = start + scheduled.durationSeconds;
    start = previousEnd + gracefulStopSeconds;
    return scheduled;
  });
  const last = steps[steps.length - 1]!;
  const scheduleEnd = last.startSeconds + last.durationSeconds;
  const models = new Set(steps.map((s) => s.model));
  return {
    name,
    model: models.has('open') ? 'open' : models.has('closed') ? 'closed' : 'iterations',
    steps,
    totalSeconds: scheduleEnd,
    maxWallSeconds: scheduleEnd + gracefulStopSeconds,
    gracefulStopSeconds,
    // Steps overlap only where one is continuous (the previous step's VUs finish their last
    // iterations during its gracefulStop), so the peak is the largest step or such a pair.
    peakVUs: Math.max(...steps.map((s, i) => s.peakVUs + (def.steps[i]!.continuous && i > 0 ? steps[i - 1]!.peakVUs : 0))),
    peakRate: Math.max(...steps.map((s) => s.peakRate)),
    durationScale,
  };
}
