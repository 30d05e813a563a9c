// Sustained throughput (seed 000 "sustained TPS"; seed 004's TPS tiers): one signed transaction
// per iteration, so under an open-model profile (tps-baseline, tps-scale, tps-target, tps-steps,
// breakpoint) the arrival rate is the offered TPS. Achieved TPS is the rate of the
// transactions_accepted counter; per step it is the step's accepted count (in the summary
// thanks to one informational threshold per step, lib/shared/achieved-tps.ts) over the step's
// length. The profile's dropped_iterations threshold fails the run when the
// generator or the system under test could not keep up with the rate.

import type { World } from '../lib/k6/setup.ts';
import { vuContext } from '../lib/k6/vu-context.ts';
import { defineWorkload } from '../lib/k6/workload.ts';
import { perStepAcceptedThresholds } from '../lib/shared/achieved-tps.ts';
import slo from '../thresholds/workload-throughput.json';

const workload = defineWorkload({ name: 'throughput', slo, thresholds: perStepAcceptedThresholds });
export const options = workload.options;
export const progressGuard = workload.progressGuard;
export const setup = workload.setup;

export default function throughput(world: World): void {
  const ctx = vuContext(world, workload.config);
  ctx.submitter.submit(ctx.pickRegister());
}
