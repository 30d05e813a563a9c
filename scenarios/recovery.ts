// Recovery after a burst (seed 002 bench_recovery: baseline → burst → recovery, latency back to
// baseline within 30 s; bench_burst_load: 80 %+ success during the burst). One signed transaction
// per iteration. The default profile is burst-recovery, whose steps tag every metric `phase`
// (baseline, burst, recovery); the report CLI finds the time from the burst's end until a rolling
// p95 is back within the baseline phase's own noise (cli/figures/recovery.ts). Under a profile without phases nothing is tagged
// and the recovery figure is simply absent.

import type { World } from '../lib/k6/setup.ts';
import { vuContext } from '../lib/k6/vu-context.ts';
import { defineWorkload } from '../lib/k6/workload.ts';
import slo from '../thresholds/workload-recovery.json';

const workload = defineWorkload({ name: 'recovery', slo, defaultProfile: 'burst-recovery' });
export const options = workload.options;
export const progressGuard = workload.progressGuard;
export const setup = workload.setup;

export default function recovery(world: World): void {
  const ctx = vuContext(world, workload.config);
  ctx.submitter.submit(ctx.pickRegister());
}
