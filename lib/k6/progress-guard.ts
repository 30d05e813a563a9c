// The progress guard: a one-VU scenario added to every profile that, once a second, asks k6
// how many iterations the instance has finished. When workload VUs are active and none has
// finished for a stall window, it adds 1 to the progress_stalls Counter, whose threshold
// (`count<1`) makes `k6 run` exit 99: a frozen target fails the run on its own, without the
// report. O(1) work per second in one VU; nothing in the workload's VUs.
import { sleep } from 'k6';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import type { Scenario } from 'k6/options';
import { formatDuration } from '../shared/profiles/duration.ts';
import type { ScheduledProfile } from '../shared/profiles/schedule.ts';
import { PROGRESS_GUARD_EXEC, PROGRESS_GUARD_VUS, PROGRESS_STALLS_METRIC, stallWindowSeconds } from '../shared/progress-guard.ts';
import { logError } from './log.ts';

const stalls = new Counter(PROGRESS_STALLS_METRIC);

/**
 * The guard's scenario for a profile: one VU, one tick per second for the profile's schedule.
 * shared-iterations (not constant-vus) so that, in an iteration-bounded profile (smoke), the
 * guard can burn its remaining ticks at once when the workload is done instead of holding the
 * run open until maxDuration.
 */
export function progressGuardScenario(profile: ScheduledProfile): Scenario {
  const seconds = Math.max(1, Math.ceil(profile.totalSeconds));
  return {
    executor: 'shared-iterations',
    vus: PROGRESS_GUARD_VUS,
    iterations: seconds,
    maxDuration: formatDuration(seconds),
    gracefulStop: '0s',
    exec: PROGRESS_GUARD_EXEC,
    tags: { profile: profile.name },
    env: { [FINISH_EARLY_ENV]: profile.model === 'iterations' ? '1' : '0' },
  };
}

const FINISH_EARLY_ENV = 'PROGRESS_GUARD_FINISH_EARLY';

let ownIterations = 0;
let lastCompleted = -1;
let lastChangeMs = 0;
let activeMs = 0;
let lastTickMs = 0;
let inStall = false;
let sawWorkload = false;

/** One guard tick; the exported `progressGuard` of every workload. */
export function progressGuard(): void {
  const now = Date.now();
  // Everything this instance finished (completed or interrupted), minus the guard's own
  // iterations: this VU runs them one after another, so all but the current one are counted.
  const done = exec.instance.iterationsCompleted + exec.instance.iterationsInterrupted - ownIterations;
  ownIterations++;
  const workloadVus = exec.instance.vusActive - 1;
  if (workloadVus > 0) sawWorkload = true;
  // An iteration-bounded workload that has ended: nothing left to guard, end the scenario now.
  if (sawWorkload && workloadVus <= 0 && __ENV[FINISH_EARLY_ENV] === '1') return;
  if (lastTickMs > 0 && workloadVus > 0) activeMs += now - lastTickMs;
  lastTickMs = now;
  if (done !== lastCompleted || workloadVus <= 0) {
    lastCompleted = done;
    lastChangeMs = now;
    inStall = false;
  } else if (!inStall && done > 0 && now - lastChangeMs >= stallWindowSeconds(activeMs / 1000, Math.max(0, done)) * 1000) {
    inStall = true;
    stalls.add(1);
    logError(`progress guard: no workload iteration finished for ${Math.round((now - lastChangeMs) / 1000)} s with ${workloadVus} VUs active (stall)`);
  }
  sleep(1);
}
