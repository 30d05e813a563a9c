// Payload size (seed 000: 1 KB … 1 MB; seed 002: 1 MB payloads under 10 % errors). Each
// iteration submits one signed transaction per size, tagged `payload_size`, so every size sees
// the same load shape and the thresholds hold per size. PAYLOAD_SIZES=1KB,1MB narrows the list.
import slo from '../thresholds/workload-payload-size.json';
import { ProblemList } from '../lib/shared/config-errors.ts';
import { loadConfig } from '../lib/shared/config.ts';
import { buildOptions } from '../lib/k6/options.ts';
import { DEFAULT_PAYLOAD_SIZES, parsePayloadSizes } from '../lib/shared/payload-sizes.ts';
import { setupWorld, type World } from '../lib/k6/setup.ts';
import { vuContext } from '../lib/k6/vu-context.ts';

const config = loadConfig(__ENV);
const problems = new ProblemList();
const sizes = parsePayloadSizes(__ENV.PAYLOAD_SIZES ?? DEFAULT_PAYLOAD_SIZES, problems);
problems.throwIfAny();

export const options = buildOptions({ workload: 'payload-size', thresholds: slo });

export function setup(): Promise<World> {
  return setupWorld(config);
}

export default function payloadSize(world: World): void {
  const ctx = vuContext(world, config);
  for (const size of sizes) {
    const register = ctx.pickRegister();
    ctx.submitter.submit(register, { payloadBytes: size.bytes, tags: { payload_size: size.label } });
  }
}
