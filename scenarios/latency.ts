// Latency at seed 000's four levels: single, light, moderate, heavy. Each VU paces its own
// submissions (interval between starts: 500 / 200 / 50 / 0 ms, see lib/shared/pacing.ts) and tags
// them `pacing`; by default one iteration walks through every level (LATENCY_REQUESTS each),
// so a 1-VU smoke run is seed 000's sequential latency test. For one level per run, PACING=light.
import { sleep } from 'k6';
import type { World } from '../lib/k6/setup.ts';
import { vuContext } from '../lib/k6/vu-context.ts';
import { defineWorkload } from '../lib/k6/workload.ts';
import { pauseSeconds } from '../lib/shared/pacing.ts';
import { WORKLOAD_KNOBS } from '../lib/shared/workload-knobs.ts';
import slo from '../thresholds/workload-latency.json';

const workload = defineWorkload({ name: 'latency', slo, knobs: WORKLOAD_KNOBS.latency });
export const options = workload.options;
export const progressGuard = workload.progressGuard;
export const setup = workload.setup;
const pacing = workload.own;

export default function latency(world: World): void {
  const ctx = vuContext(world, workload.config);
  for (const level of pacing.levels) {
    for (let i = 0; i < pacing.requestsPerLevel; i++) {
      const started = Date.now();
      ctx.submitter.submit(ctx.pickRegister(), { tags: { pacing: level } });
      const pause = pauseSeconds(level, pacing.scale, Date.now() - started);
      if (pause > 0) sleep(pause);
    }
  }
}
