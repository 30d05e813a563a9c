// Transaction signing is a choice (SIGNING=wallet|local|presigned; presigned lives in presigned.ts):
// - wallet: the wallet service signs (as Sorcha's own harness does); one extra request per
//   transaction, and Sorcha's gateway rate-limits this path hard (5 per minute per client).
// - local: pure-JS Ed25519 inside k6 (k6's WebCrypto has no Ed25519); no extra request, but
//   ~10 ms of generator CPU per signature, so it caps a VU at roughly 100 signatures/s.
//   @noble/curves is not in the workload bundles: it is the side module ed25519.js next to them
//   (K6_SIDE_MODULES in cli/build/k6-esbuild-options.mjs), which k6 loads with require() in
//   the init context only when SIGNING=local, so other modes neither ship nor compile it.
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

// k6's require(): init context only, path relative to the script (esbuild leaves the call as is).
declare const require: (id: string) => unknown;

const SIDE_MODULE = 'ed25519.js';

function loadEd25519(): typeof Ed25519 {
  try {
    return (require('./ed25519.js') as { ed25519: typeof Ed25519 }).ed25519;
  } catch (err) {
    // k6's own message goes on about Docker mounts; its first sentence is the useful part.
    const reason = (String(err).split('. ')[0] ?? '').replace(/^(Go)?Error: /, '');
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a string carries no stack trace into k6's log
    throw `SIGNING=local needs ${SIDE_MODULE} (the Ed25519 signer) beside the workload script, and k6 could not load it (${reason}). Fix: rebuild (npm run build, or ledger-perf build for your own workload), and ship ${SIDE_MODULE} with the script (k6 archive -e SIGNING=local carries it; ledger-perf k8s puts it in the ConfigMap)`;
  }
}

// Init context (require() works only there), and only in the mode that signs here.
let ed25519 = __ENV.SIGNING === 'local' ? loadEd25519() : undefined;

/**
 * For a workload that signs locally whatever SIGNING says (error-handling builds its own signed
 * bodies): call at the top level of the workload (init context). Such a workload is listed in
 * `alwaysIn` of K6_SIDE_MODULES, so the manifest, the k8s ConfigMap and the script hash know.
 */
export function loadLocalSignerAtInit(): void {
  ed25519 ??= loadEd25519();
}

export function localSigner(): Signer {
  const curve = ed25519;
  if (!curve) throw new Error('localSigner() needs SIGNING=local (or loadLocalSignerAtInit()) at init, when k6 loads the Ed25519 side module');
  const secretKey = curve.utils.randomSecretKey();
  const publicKey = base64(curve.getPublicKey(secretKey), 'rawurl');
  return {
    sign(digest) {
      return { publicKey, signatureValue: base64(curve.sign(digest, secretKey), 'rawurl'), algorithm: 'ED25519' };
    },
  };
}
