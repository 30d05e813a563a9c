// Mixed workload: a weighted mix of register operations spread over several registers
// ("corridors", default weights 40/25/20/15 as in seed 004). The default operation mix maps
// seed 001's 40/30/20/10: writes 40, reads of recent transactions 30, docket reads 20, other 10
// (wallet signing 5, health 5). Override with -e MIX='{"submit":70,"readTransaction":30}'.
import { sleep } from 'k6';
import { randomHex } from '../lib/k6/crypto.ts';
import type { World } from '../lib/k6/setup.ts';
import { walletSigner } from '../lib/k6/signing.ts';
import { vuContext } from '../lib/k6/vu-context.ts';
import { defineWorkload } from '../lib/k6/workload.ts';
import { hexToBytes } from '../lib/shared/bytes.ts';
import { pickWeighted } from '../lib/shared/weighted.ts';
import { MIX_DEFAULTS, type MixOperation as Operation, WORKLOAD_KNOBS } from '../lib/shared/workload-knobs.ts';
import slo from '../thresholds/api-default.json';

export { MIX_DEFAULTS };

const workload = defineWorkload({ name: 'mixed-workload', slo, knobs: WORKLOAD_KNOBS['mixed-workload'] });
export const options = workload.options;
export const progressGuard = workload.progressGuard;
export const setup = workload.setup;
const config = workload.config;
const mix = workload.own;
const operations = (Object.keys(mix) as Operation[]).map((op) => ({ item: op, weight: mix[op] }));

export default function mixedWorkload(world: World): void {
  const ctx = vuContext(world, config);
  const register = ctx.pickRegister();
  const tags = { corridor: register.corridor };
  switch (pickWeighted(operations, Math.random())) {
    case 'submit': {
      const result = ctx.submitter.submit(register);
      if (result.accepted) ctx.rememberTransaction(register.id, result.transactionId);
      break;
    }
    case 'readTransaction':
      ctx.client.call('GET', ctx.ep.getTransaction(register.id, ctx.knownTransaction(register)), undefined, { token: ctx.session.token(), tags });
      break;
    case 'readDockets':
      ctx.client.call('GET', ctx.ep.latestDocket(register.id), undefined, { token: ctx.session.token(), tags });
      break;
    case 'sign':
      walletSigner(ctx.client, ctx.ep, register.walletAddress, () => ctx.session.token(), tags).sign(hexToBytes(randomHex(32)));
      break;
    case 'health':
      ctx.client.call('GET', ctx.ep.health(), undefined, { tags });
      break;
  }
  if (config.thinkSeconds > 0) sleep(config.thinkSeconds);
}
