// User classes (seed 003's Locust users): api (think 1–3 s), blockchain (5–10 s), session
// (2–5 s) and admin (10–30 s), weighted 4/3/2/1 by default (USER_CLASS_WEIGHTS overrides; the
// seed gives no weights). A VU's class follows from its VU id (lib/shared/user-classes.ts), so the mix
// is the same in every run; requests carry the tag `user_class`. THINK_SCALE multiplies every
// think time (0.01 makes a quick run finish in seconds). Pair with the users-* profiles.
import { sleep } from 'k6';
import exec from 'k6/execution';
import { randomHex } from '../lib/k6/crypto.ts';
import type { World } from '../lib/k6/setup.ts';
import { type VuContext, vuContext } from '../lib/k6/vu-context.ts';
import { defineWorkload } from '../lib/k6/workload.ts';
import { classCycle, classOfVu, thinkSeconds, type UserClass } from '../lib/shared/user-classes.ts';
import { WORKLOAD_KNOBS } from '../lib/shared/workload-knobs.ts';
import slo from '../thresholds/workload-user-classes.json';

const workload = defineWorkload({ name: 'user-classes', slo, knobs: WORKLOAD_KNOBS['user-classes'] });
export const options = workload.options;
export const progressGuard = workload.progressGuard;
export const setup = workload.setup;
const cycle = classCycle(workload.own.weights);
const thinkScale = workload.own.thinkScale;

/** What one task of each class does, in register terms. */
const TASKS: Record<UserClass, (ctx: VuContext, tags: Record<string, string>) => void> = {
  // General API use: read a transaction this user saw, the latest docket, health.
  api(ctx, tags) {
    const register = ctx.pickRegister();
    ctx.client.call('GET', ctx.ep.getTransaction(register.id, ctx.knownTransaction(register)), undefined, { token: ctx.session.token(), tags });
    ctx.client.call('GET', ctx.ep.latestDocket(register.id), undefined, { token: ctx.session.token(), tags });
    ctx.client.call('GET', ctx.ep.health(), undefined, { tags });
  },
  // Ledger writes: a signed transaction, then the pool it waits in.
  blockchain(ctx, tags) {
    const register = ctx.pickRegister();
    const result = ctx.submitter.submit(register, { tags });
    if (result.accepted) ctx.rememberTransaction(register.id, result.transactionId);
    ctx.client.call('GET', ctx.ep.mempool(register.id), undefined, { token: ctx.session.token(), tags });
  },
  // Session management: the register a user works in and its transaction pool.
  session(ctx, tags) {
    const register = ctx.pickRegister();
    ctx.client.call('GET', ctx.ep.getRegister(register.id), undefined, { token: ctx.session.token(), tags });
    ctx.client.call('GET', ctx.ep.mempool(register.id), undefined, { token: ctx.session.token(), tags });
  },
  // Administration: list every docket of a register and provision a wallet.
  admin(ctx, tags) {
    const register = ctx.pickRegister();
    ctx.client.call('GET', ctx.ep.listDockets(register.id), undefined, { token: ctx.session.token(), tags });
    ctx.client.call('POST', ctx.ep.createWallet(), { name: `perf-admin-${randomHex(4)}`, algorithm: 'ED25519', wordCount: 12 }, { token: ctx.session.token(), tags, expected: [201] });
  },
};

export default function userClasses(world: World): void {
  const ctx = vuContext(world, workload.config);
  const userClass = classOfVu(cycle, exec.vu.idInTest);
  TASKS[userClass](ctx, { user_class: userClass });
  sleep(thinkSeconds(userClass, Math.random(), thinkScale));
}
