// Cost of one transaction signature inside k6: local Ed25519 (@noble/curves, pure JS) versus
// a round trip to the wallet sign endpoint of the reference server.
import { Trend } from 'k6/metrics';
import { Session } from '../../lib/k6/auth.ts';
import { randomHex } from '../../lib/k6/crypto.ts';
import { clientFor, loginForm, setupWorld, type World } from '../../lib/k6/setup.ts';
import { localSigner, walletSigner } from '../../lib/k6/signing.ts';
import { hexToBytes } from '../../lib/shared/bytes.ts';
import { loadConfig } from '../../lib/shared/config.ts';

const config = loadConfig(__ENV);
const N = Number(__ENV.SIGNATURES ?? 300);
const localMs = new Trend('local_sign_ms', true);
const walletMs = new Trend('wallet_sign_ms', true);

export const options = { scenarios: { cost: { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: '5m' } }, setupTimeout: '60s' };

export function setup(): Promise<World> {
  return setupWorld({ ...config, corridorWeights: [1] });
}

export default function (world: World): void {
  const { client, ep } = clientFor(config);
  const local = localSigner();
  const session = new Session(() => loginForm(config, world.localReferenceServer), client, ep);
  const wallet = walletSigner(client, ep, world.registers[0]!.walletAddress, () => session.token());
  const digests = Array.from({ length: N }, () => hexToBytes(randomHex(32)));
  local.sign(digests[0]!); // first call builds noble's precomputed tables
  for (const d of digests) {
    const t0 = Date.now();
    local.sign(d);
    localMs.add(Date.now() - t0);
  }
  for (const d of digests) {
    const t0 = Date.now();
    if (!wallet.sign(d)) throw new Error('wallet signing failed');
    walletMs.add(Date.now() - t0);
  }
}
