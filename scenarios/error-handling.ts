// Malformed-request resilience (seed 002 bench_error_handling: reject > 90 % of bad requests;
// here every case must get its documented status). Each iteration sends the whole matrix of
// lib/shared/malformed.ts once: broken JSON, missing fields, wrong types, bad hex and base64, a wrong
// signature, a payload hash mismatch, an unknown register, createdAt in the future, unsupported
// and unknown algorithms, a duplicate (409), missing and forged tokens (401), another
// organisation's register (403/404), bad reads, bad logins, and once per profile step a body
// over 10 MB (413). Every request declares its expected status, so none counts in http_req_failed; a 5xx
// or any other status fails its check. Tag `malformed` names the case; Rate malformed_rejected.
import { check } from 'k6';
import exec from 'k6/execution';
import { randomHex, sha256Bytes, sha256Hex } from '../lib/k6/crypto.ts';
import { jsonBody, type Response } from '../lib/k6/http.ts';
import { type OtherOrg, setupOtherOrg } from '../lib/k6/other-org.ts';
import { type RegisterHandle, setupWorld, type World } from '../lib/k6/setup.ts';
import { loadLocalSignerAtInit, localSigner, type Signer } from '../lib/k6/signing.ts';
import { type VuContext, vuContext } from '../lib/k6/vu-context.ts';
import { defineWorkload } from '../lib/k6/workload.ts';
import { malformedRejected, malformedServerErrors } from '../lib/k6/workload-metrics.ts';
import type { Endpoint } from '../lib/shared/endpoints.ts';
import { forgeToken, isRejection, MALFORMED_CASES, type MalformedCaseId, malformedSubmissions, oversizeBody } from '../lib/shared/malformed.ts';
import { buildSubmissionBody, makePayloadJson, type Submission, signingMessage } from '../lib/shared/transactions.ts';
import { WORKLOAD_KNOBS } from '../lib/shared/workload-knobs.ts';
import slo from '../thresholds/workload-error-handling.json';

interface ErrorWorld extends World {
  otherOrg: OtherOrg | null;
}

const workload = defineWorkload({
  name: 'error-handling',
  slo,
  knobs: WORKLOAD_KNOBS['error-handling'],
  async setup(config, own): Promise<ErrorWorld> {
    const world = await setupWorld(config);
    return { ...world, otherOrg: own.otherOrg ? setupOtherOrg(config) : null };
  },
});
export const options = workload.options;
export const progressGuard = workload.progressGuard;
export const setup = workload.setup;
const config = workload.config;
const { oversize: oversizeEnabled, errorCodes: checkCodes } = workload.own;

// Its signed bodies are signed here in every SIGNING mode (no wallet round trip per case).
loadLocalSignerAtInit();
let signer: Signer | undefined;
let seq = 0;

function signedSubmission(registerId: string): Submission {
  signer ??= localSigner();
  const payloadJson = makePayloadJson(256, { seq: ++seq, vu: exec.vu.idInTest, corridor: 'malformed' });
  const payloadHash = sha256Hex(payloadJson);
  const transactionId = randomHex(32);
  return {
    transactionId,
    registerId,
    blueprintId: 'ledger-perf',
    actionId: 'malformed',
    payloadJson,
    payloadHash,
    signatures: [signer.sign(sha256Bytes(signingMessage(transactionId, payloadHash)))!],
    createdAt: new Date().toISOString(),
  };
}

function send(ctx: VuContext, id: MalformedCaseId, method: 'GET' | 'POST', endpoint: Endpoint, body: unknown, auth: 'valid' | 'none' | 'forged' = 'valid', form?: Record<string, string>): Response {
  const token = auth === 'none' ? undefined : auth === 'forged' ? forgeToken(ctx.session.token()) : ctx.session.token();
  const tags = { malformed: id };
  const c = MALFORMED_CASES[id];
  const res = ctx.client.call(method, endpoint, body, { token, form, tags, expected: [...c.expected] });
  malformedRejected.add(isRejection(res.status), tags);
  if (res.status >= 500 || res.status === 0) malformedServerErrors.add(1, tags);
  if (checkCodes && 'code' in c) {
    check(res, { [`${id} answers error code ${c.code}`]: (r) => (jsonBody<{ errors?: Array<{ code?: string }> }>(r)?.errors ?? []).some((e) => e.code === c.code) });
  }
  return res;
}

function transactionCases(ctx: VuContext, register: RegisterHandle): void {
  const valid = signedSubmission(register.id);
  const other = signedSubmission(register.id);
  const bodies = malformedSubmissions({
    valid,
    wrongSignature: other.signatures[0]!,
    otherHash: other.payloadHash,
    unknownRegisterId: randomHex(16),
    nowMs: Date.now(),
  });
  const submit = ctx.ep.submitTransaction();
  for (const b of bodies) send(ctx, b.id, 'POST', submit, b.body);

  // Duplicate: the first copy must be accepted for the second to be a duplicate at all.
  const body = buildSubmissionBody(valid);
  const first = ctx.client.call('POST', submit, body, { token: ctx.session.token(), tags: { malformed: 'duplicate-original' } });
  check(first, { 'duplicate case: first copy accepted': (r) => r.status === 200 });
  send(ctx, 'duplicate', 'POST', submit, body);

  send(ctx, 'missing-token', 'POST', submit, buildSubmissionBody(signedSubmission(register.id)), 'none');
  send(ctx, 'forged-token', 'POST', submit, buildSubmissionBody(signedSubmission(register.id)), 'forged');
}

function otherCases(ctx: VuContext, world: ErrorWorld, register: RegisterHandle): void {
  if (world.otherOrg) {
    send(ctx, 'other-org-submit', 'POST', ctx.ep.submitTransaction(), buildSubmissionBody(signedSubmission(world.otherOrg.registerId)));
    send(ctx, 'other-org-read', 'GET', ctx.ep.listDockets(world.otherOrg.registerId), undefined);
  }
  send(ctx, 'unknown-register-read', 'GET', ctx.ep.listDockets(randomHex(16)), undefined);
  send(ctx, 'unknown-transaction', 'GET', ctx.ep.getTransaction(register.id, randomHex(32)), undefined);
  const docket0 = ctx.ep.getDocket(register.id, 0);
  send(ctx, 'bad-docket-number', 'GET', { ...docket0, path: docket0.path.replace(/\/0$/, '/abc') }, undefined);
  send(ctx, 'missing-docket', 'GET', ctx.ep.getDocket(register.id, 999_999_999), undefined);
  send(ctx, 'bad-credentials', 'POST', ctx.ep.token(), undefined, 'none', { grant_type: 'password', username: `nobody-${randomHex(4)}@ledger-perf.invalid`, password: 'Wrong!Pass1' });
  send(ctx, 'token-missing-fields', 'POST', ctx.ep.token(), undefined, 'none', { grant_type: 'password' });
  send(
    ctx,
    'weak-bootstrap',
    'POST',
    ctx.ep.bootstrap(),
    { organizationName: 'x', organizationSubdomain: 'Not A Subdomain', adminEmail: 'not-an-email', adminName: '', adminPassword: 'weak' },
    'none',
  );
  send(ctx, 'sign-bad-base64', 'POST', ctx.ep.signWithWallet(register.walletAddress), { transactionData: '***not base64***', isPreHashed: true });
  send(ctx, 'sign-unknown-wallet', 'POST', ctx.ep.signWithWallet(`ws11${randomHex(20)}`), { transactionData: 'AAAA', isPreHashed: true });
}

export default function errorHandling(world: ErrorWorld): void {
  const ctx = vuContext(world, config);
  const register = ctx.pickRegister();
  transactionCases(ctx, register);
  otherCases(ctx, world, register);
  // Once per profile step (the step's first iteration, whichever VU runs it; VU 1 may be the
  // progress guard's): 10 MB bodies are costly to build and send.
  if (oversizeEnabled && exec.scenario.iterationInTest === 0) {
    send(ctx, 'oversize', 'POST', ctx.ep.submitTransaction(), oversizeBody());
  }
}
