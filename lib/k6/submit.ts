// Submits one signed transaction: payload of the requested size, hash of exactly the bytes
// sent, signature over SHA-256(`{transactionId}:{payloadHash}`), acceptance judged on the body.

import type { RunConfig } from '../shared/config.ts';
import type { Endpoints } from '../shared/endpoints.ts';
import { buildSubmissionBody, isAccepted, makePayloadJson, signingMessage } from '../shared/transactions.ts';
import type { Session } from './auth.ts';
import { randomHex, sha256Bytes, sha256Hex } from './crypto.ts';
import { type ApiClient, jsonBody } from './http.ts';
import { logInfo } from './log.ts';
import { signingDuration, transactionSuccess, transactionsAccepted, transactionsRejected } from './metrics.ts';
import { presignedSource } from './presigned.ts';
import type { RegisterHandle, World } from './setup.ts';
import { localSigner, type Signer, walletSigner } from './signing.ts';

/**
 * RECORD_ACCEPTED=1: one console line per accepted transaction ("accepted-tx <register> <id>",
 * in k6.log), so a durability check can ask the server for exactly the ids k6 saw acknowledged.
 * A log line, not a tag or metric: one value per transaction would make a time series each.
 */
const recordAccepted = __ENV.RECORD_ACCEPTED === '1';

export interface SubmitResult {
  accepted: boolean;
  status: number;
  transactionId: string;
  /** Epoch ms when the request was sent (for finality measurements). */
  sentAtMs: number;
}

export interface Submitter {
  submit(register: RegisterHandle, options?: { payloadBytes?: number; tags?: Record<string, string> }): SubmitResult;
}

export function createSubmitter(client: ApiClient, ep: Endpoints, session: Session, world: World, config: RunConfig, vu: number): Submitter {
  const local = world.signing === 'local' ? localSigner() : undefined;
  const presigned = world.signing === 'presigned' ? presignedSource(config.presigned?.slotsPerIteration ?? 1) : undefined;
  const walletSigners = new Map<string, Signer>();
  const signerFor = (register: RegisterHandle): Signer => {
    if (local) return local;
    let s = walletSigners.get(register.walletAddress);
    if (!s) {
      s = walletSigner(client, ep, register.walletAddress, () => session.token(), { corridor: register.corridor });
      walletSigners.set(register.walletAddress, s);
    }
    return s;
  };
  let seq = 0;
  const endpoint = ep.submitTransaction();

  return {
    submit(register, options = {}) {
      seq++;
      const tags = { corridor: register.corridor, ...options.tags };
      let payloadJson: string;
      let payloadHash: string;
      let transactionId: string;
      let signature: ReturnType<Signer['sign']>;
      if (presigned) {
        // Signed before the run: no signing CPU here, and no signing_duration sample.
        ({ payloadJson, payloadHash, transactionId, signature } = presigned.next(options.payloadBytes ?? config.payloadBytes));
      } else {
        payloadJson = makePayloadJson(options.payloadBytes ?? config.payloadBytes, { seq, vu, corridor: register.corridor });
        payloadHash = sha256Hex(payloadJson);
        transactionId = randomHex(32);
        const signStart = Date.now();
        signature = signerFor(register).sign(sha256Bytes(signingMessage(transactionId, payloadHash)));
        // Local signing is generator CPU no request metric shows; a wallet signature is already
        // timed as the sign request's http_req_duration.
        if (local) signingDuration.add(Date.now() - signStart, tags);
      }
      if (!signature) {
        transactionsRejected.add(1, tags);
        transactionSuccess.add(false, tags);
        return { accepted: false, status: 0, transactionId, sentAtMs: Date.now() };
      }
      const body = buildSubmissionBody({
        transactionId,
        registerId: register.id,
        blueprintId: 'ledger-perf',
        actionId: 'submit',
        payloadJson,
        payloadHash,
        signatures: [signature],
        createdAt: new Date().toISOString(),
        metadata: { corridor: register.corridor },
      });
      const sentAtMs = Date.now();
      const res = client.call('POST', endpoint, body, { token: session.token(), tags });
      const accepted = isAccepted(res.status, jsonBody(res));
      (accepted ? transactionsAccepted : transactionsRejected).add(1, tags);
      if (accepted && recordAccepted) logInfo(`accepted-tx ${register.id} ${transactionId}`);
      transactionSuccess.add(accepted, tags);
      return { accepted, status: res.status, transactionId, sentAtMs };
    },
  };
}
