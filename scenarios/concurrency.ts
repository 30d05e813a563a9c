// Concurrency scaling (seed 000: 1–50 workers; seed 002: < 20 % latency growth per 2.5x
// concurrency). One signed transaction per iteration; the default profile is concurrency-steps
// (1, 5, 10, 25, 50 VUs; CONCURRENCY_LEVELS overrides), whose steps tag every metric
// `concurrency`. One informational threshold per level (p(95)>=0, never fails) makes k6's
// summary carry each level's p95 (informational); the growth figure has one implementation,
// cli/figures/derived.ts, which computes it from the raw points and judges it against 20 %.
import type { Options } from 'k6/options';
import type { World } from '../lib/k6/setup.ts';
import { vuContext } from '../lib/k6/vu-context.ts';
import { defineWorkload } from '../lib/k6/workload.ts';
import { levelSelector } from '../lib/shared/concurrency-growth.ts';
import type { ScheduledProfile } from '../lib/shared/profiles.ts';
import slo from '../thresholds/workload-concurrency.json';

const SUBMIT = 'POST /transactions/validate';

function perLevelThresholds(profile: ScheduledProfile): NonNullable<Options['thresholds']> {
  const out: NonNullable<Options['thresholds']> = {};
  for (const step of profile.steps) {
    const level = Number(step.tags.concurrency);
    if (Number.isInteger(level) && level > 0) out[levelSelector('http_req_duration', SUBMIT, level)] = ['p(95)>=0'];
  }
  return out;
}

const workload = defineWorkload({ name: 'concurrency', slo, defaultProfile: 'concurrency-steps', thresholds: perLevelThresholds });
export const options = workload.options;
export const progressGuard = workload.progressGuard;
export const setup = workload.setup;

export default function concurrency(world: World): void {
  const ctx = vuContext(world, workload.config);
  ctx.submitter.submit(ctx.pickRegister());
}
