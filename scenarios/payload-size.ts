// Payload size (seed 000: 1 KB … 1 MB; seed 002: 1 MB payloads under 10 % errors). Each
// iteration submits one signed transaction per size, tagged `payload_size`, so every size sees
// the same load shape and the thresholds hold per size. PAYLOAD_SIZES=1KB,1MB narrows the list.

import type { World } from '../lib/k6/setup.ts';
import { vuContext } from '../lib/k6/vu-context.ts';
import { defineWorkload } from '../lib/k6/workload.ts';
import { WORKLOAD_KNOBS } from '../lib/shared/workload-knobs.ts';
import slo from '../thresholds/workload-payload-size.json';

const workload = defineWorkload({ name: 'payload-size', slo, knobs: WORKLOAD_KNOBS['payload-size'] });
export const options = workload.options;
export const progressGuard = workload.progressGuard;
export const setup = workload.setup;

export default function payloadSize(world: World): void {
  const ctx = vuContext(world, workload.config);
  for (const size of workload.own) {
    const register = ctx.pickRegister();
    ctx.submitter.submit(register, { payloadBytes: size.bytes, tags: { payload_size: size.label } });
  }
}
