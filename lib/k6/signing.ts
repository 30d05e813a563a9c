// Transaction signing is a choice (SIGNING=wallet|local|presigned; presigned lives in presigned.ts):
// - wallet: the wallet service signs (as Sorcha's own harness does); one extra request per
//   transaction, and Sorcha's gateway rate-limits this path hard (5 per minute per client).
// - local: pure-JS Ed25519 inside k6 (k6's WebCrypto has no Ed25519); no extra request, but
//   ~15 ms of generator CPU per signature, so it caps a VU at roughly 60 signatures/s.
//   @noble/curves is loaded through require() only when a local signer is made: esbuild turns it
//   into a lazily evaluated module, so VUs of the other modes never build its curve objects.
import type { ed25519 as Ed25519 } from '@noble/curves/ed25519.js';
import { toBase64Url } from '../shared/bytes.ts';
import type { Endpoints } from '../shared/endpoints.ts';
import type { SignatureEntry } from '../shared/transactions.ts';
import { base64 } from './crypto.ts';
import { type ApiClient, jsonBody } from './http.ts';

export interface Signer {
  /** Signs a 32-byte SHA-256 digest as pre-hashed data. */
  sign(digest: Uint8Array): SignatureEntry | undefined;
}

interface WalletSignResponse {
  signature?: string;
  publicKey?: string;
}

export function walletSigner(client: ApiClient, ep: Endpoints, address: string, token: () => string, tags?: Record<string, string>): Signer {
  const endpoint = ep.signWithWallet(address);
  return {
    sign(digest) {
      const res = client.call('POST', endpoint, { transactionData: base64(digest), isPreHashed: true }, { token: token(), tags });
      const body = jsonBody<WalletSignResponse>(res);
      if (res.status !== 200 || !body?.signature || !body.publicKey) return undefined;
      return { publicKey: toBase64Url(body.publicKey), signatureValue: toBase64Url(body.signature), algorithm: 'ED25519' };
    },
  };
}

// esbuild resolves and bundles this require(); k6 never sees it.
declare const require: (id: string) => unknown;

export function localSigner(): Signer {
  const { ed25519 } = require('./ed25519-impl.ts') as { ed25519: typeof Ed25519 };
  const secretKey = ed25519.utils.randomSecretKey();
  const publicKey = base64(ed25519.getPublicKey(secretKey), 'rawurl');
  return {
    sign(digest) {
      return { publicKey, signatureValue: base64(ed25519.sign(digest, secretKey), 'rawurl'), algorithm: 'ED25519' };
    },
  };
}
