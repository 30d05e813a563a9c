// Docket finality and client-side verification (seed 000 "docket building"; seed 001/003
// "1 block per 10 seconds"). Each iteration submits one signed transaction, polls it until it
// carries a docketNumber (at most FINALITY_TIMEOUT_S, every FINALITY_POLL_MS), records the time
// from sending to seeing it sealed (Trend docket_finality), then verifies the docket exactly per
// register-api.md §6: Merkle root recomputed from its transactions, docket hash, and the link
// to the previous docket (itself verified). Any mismatch fails a check and the Rate
// docket_verification, whose threshold is 1. Docket cadence: Trend docket_cadence.
import { check, sleep } from 'k6';
import { sha256Hex } from '../lib/k6/crypto.ts';
import { jsonBody } from '../lib/k6/http.ts';
import { logError } from '../lib/k6/log.ts';
import type { RegisterHandle, World } from '../lib/k6/setup.ts';
import { type VuContext, vuContext } from '../lib/k6/vu-context.ts';
import { defineWorkload } from '../lib/k6/workload.ts';
import { docketCadence, docketFinality, docketSealed, docketsVerified, docketVerification } from '../lib/k6/workload-metrics.ts';
import { type DocketTransactionView, type DocketView, isoToUnixMs, verifyDocket } from '../lib/shared/docket-verify.ts';
import { WORKLOAD_KNOBS } from '../lib/shared/workload-knobs.ts';
import slo from '../thresholds/workload-docket-finality.json';

const workload = defineWorkload({
  name: 'docket-finality',
  slo,
  knobs: WORKLOAD_KNOBS['docket-finality'],
});
export const options = workload.options;
export const progressGuard = workload.progressGuard;
export const setup = workload.setup;
const { timeoutMs, pollSeconds } = workload.own;

interface VerifiedDocket {
  hash: string;
  timestampMs: number;
}

/** Dockets this VU has verified, per register; a short history is enough to link the next one. */
const verified = new Map<string, Map<number, VerifiedDocket>>();
const KEEP_PER_REGISTER = 16;
let problemsLogged = 0;

function remember(registerId: string, n: number, d: VerifiedDocket): void {
  let m = verified.get(registerId);
  if (!m) verified.set(registerId, (m = new Map()));
  m.set(n, d);
  if (m.size > KEEP_PER_REGISTER) m.delete(Math.min(...m.keys()));
}

/** Fetches and verifies docket n (linked to `previousHash` when known); undefined when unreadable. */
function verifyOne(ctx: VuContext, register: RegisterHandle, n: number, previousHash: string | undefined): { docket: DocketView; result: VerifiedDocket; ok: boolean } | undefined {
  const token = ctx.session.token();
  const docket = jsonBody<DocketView>(ctx.client.call('GET', ctx.ep.getDocket(register.id, n), undefined, { token }));
  const txs = jsonBody<DocketTransactionView[]>(ctx.client.call('GET', ctx.ep.docketTransactions(register.id, n), undefined, { token }));
  if (!docket || !Array.isArray(txs)) return undefined;
  const v = verifyDocket(sha256Hex, docket, txs, previousHash);
  if (!v.ok && problemsLogged++ < 5) logError(`docket ${n} of register ${register.id} failed verification: ${v.problems.join('; ')}`);
  docketVerification.add(v.ok);
  docketsVerified.add(1);
  check(v, { 'docket verifies client-side (Merkle root, hash, chain link)': (r) => r.ok });
  return { docket, result: { hash: v.computedHash, timestampMs: isoToUnixMs(docket.timeStamp) }, ok: v.ok };
}

function verifyDocketOf(ctx: VuContext, register: RegisterHandle, n: number, transactionId: string): void {
  const known = verified.get(register.id);
  if (known?.has(n)) return;
  let previous = n > 0 ? known?.get(n - 1) : undefined;
  if (n > 0 && !previous) {
    // Verify the predecessor too, so the link is checked against a recomputed hash, not a claimed one.
    const before = verifyOne(ctx, register, n - 1, undefined);
    if (before) {
      previous = before.result;
      remember(register.id, n - 1, before.result);
    }
  }
  const current = verifyOne(ctx, register, n, previous?.hash);
  if (!current) return;
  check(current.docket, { 'sealed docket lists the submitted transaction': (d) => d.transactionIds.includes(transactionId) });
  remember(register.id, n, current.result);
  // Genesis is sealed when the register is created, not by the docket builder: no cadence from it.
  if (previous && n > 1) docketCadence.add(current.result.timestampMs - previous.timestampMs);
}

export default function docketFinalityWorkload(world: World): void {
  const ctx = vuContext(world, workload.config);
  const register = ctx.pickRegister();
  const submitted = ctx.submitter.submit(register);
  if (!submitted.accepted) return;
  const endpoint = ctx.ep.getTransaction(register.id, submitted.transactionId);
  let docketNumber: number | undefined;
  let sealedAtMs = 0;
  while (Date.now() - submitted.sentAtMs < timeoutMs) {
    const body = jsonBody<{ docketNumber?: number | string | null }>(ctx.client.call('GET', endpoint, undefined, { token: ctx.session.token() }));
    if (body?.docketNumber !== undefined && body.docketNumber !== null) {
      sealedAtMs = Date.now();
      docketNumber = Number(body.docketNumber);
      break;
    }
    sleep(pollSeconds);
  }
  const sealed = docketNumber !== undefined && Number.isInteger(docketNumber);
  docketSealed.add(sealed);
  check(sealed, { 'transaction sealed within FINALITY_TIMEOUT_S': (s) => s });
  if (!sealed) return;
  docketFinality.add(sealedAtMs - submitted.sentAtMs);
  verifyDocketOf(ctx, register, docketNumber!, submitted.transactionId);
}
