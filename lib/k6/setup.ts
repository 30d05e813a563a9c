// Builds a run's world against the register API, idempotently: bootstrap the organisation
// (or log in when it already exists), get a token, create wallets, create registers with the
// two-phase signed-attestation flow (or reuse REGISTER_ID). Returns plain data for the VUs.
// The flow's requests and rules are lib/shared/register-setup.ts (shared with the Node test
// client); this file does k6's HTTP, retries and error messages.
import secrets from 'k6/secrets';
import { authStateFor, decodeJwtClaims, requestToken, type AuthState } from './auth.ts';
import type { Credentials, RunConfig, SigningMode } from '../shared/config.ts';
import { randomHex, sha256Hex } from './crypto.ts';
import { endpoints, type Endpoints } from '../shared/endpoints.ts';
import {
  attestationSignRequest,
  BOOTSTRAP_STATUSES,
  bootstrapRequest,
  createWalletRequest,
  finalizeRegisterRequest,
  initiateRegisterRequest,
  passwordGrant,
  readInitiateResponse,
  readWalletSignature,
  signedAttestation,
  type BootstrapResponse,
} from '../shared/register-setup.ts';
import { ApiClient, describeResponse, jsonBody, withRetries } from './http.ts';

export interface RegisterHandle {
  id: string;
  name: string;
  /** Corridor label used as a metric tag (c1, c2, …). */
  corridor: string;
  weight: number;
  /** Wallet that owns the register and signs its transactions in wallet-signing mode. */
  walletAddress: string;
  genesisTransactionId: string;
}

export interface World {
  orgId: string;
  adminUserId: string;
  auth: AuthState;
  registers: RegisterHandle[];
  signing: SigningMode;
  createdAt: string;
}

export function clientFor(config: RunConfig): { client: ApiClient; ep: Endpoints } {
  return { client: new ApiClient(config.urls, config.httpTimeout), ep: endpoints(config.layout) };
}

/** Fails fast, with the address and what to do, when the system under test is down or unhealthy. */
export function checkHealth(client: ApiClient, ep: Endpoints): void {
  const endpoint = ep.health();
  const url = client.urls[endpoint.service] + endpoint.path;
  const res = withRetries(() => client.call('GET', endpoint, undefined, { expected: [200], noCheck: true, timeout: '5s' }), 2, 0.25);
  if (res.status === 0) {
    throw new Error(`the system under test is not reachable at ${url} (${res.error}). Start the local reference server with \`npm run target\`, or set BASE_URL to your platform's address.`);
  }
  if (res.status !== 200) throw new Error(`the system under test at ${url} is not healthy: ${describeResponse(endpoint, res)}`);
}

async function adminPassword(config: RunConfig): Promise<string> {
  if (config.credentials.adminPassword !== undefined) return config.credentials.adminPassword;
  try {
    return await secrets.get('admin_password');
  } catch {
    throw new Error('no admin password: set ADMIN_PASSWORD, or give k6 a secret source with the key admin_password (e.g. --secret-source=file=secrets.txt)');
  }
}

/** Bootstraps the organisation, or logs in as its admin when it already exists (409). */
export function bootstrapOrLogin(client: ApiClient, ep: Endpoints, c: Credentials, password: string): { orgId: string; adminUserId: string; auth: AuthState } {
  const endpoint = ep.bootstrap();
  const request = bootstrapRequest(c, password, { description: 'Created by the ledger-perf load-testing suite' });
  const res = withRetries(() => client.call('POST', endpoint, request, { expected: [...BOOTSTRAP_STATUSES] }));
  const body = jsonBody<BootstrapResponse>(res);
  let auth: AuthState;
  if (res.status === 201 && body?.adminAccessToken) {
    auth = authStateFor(body.adminAccessToken, body.adminRefreshToken ?? '', Date.now());
  } else if (res.status === 409) {
    // Already bootstrapped (by an earlier run): log in with the same admin credentials.
    auth = requestToken(client, ep, passwordGrant(c.adminEmail, password), Date.now());
  } else {
    throw new Error(`organisation bootstrap failed: ${describeResponse(endpoint, res)}`);
  }
  const claims = decodeJwtClaims(auth.accessToken);
  const orgId = String(body?.organizationId ?? claims.org_id ?? '');
  const adminUserId = String(body?.adminUserId ?? claims.sub ?? '');
  if (!orgId || !adminUserId) throw new Error('token has no org_id/sub claims: cannot tell which organisation and user this run acts as');
  return { orgId, adminUserId, auth };
}

export function createWallet(client: ApiClient, ep: Endpoints, token: string, name: string): string {
  const endpoint = ep.createWallet();
  const res = withRetries(() => client.call('POST', endpoint, createWalletRequest(name), { token, expected: [201] }));
  const address = jsonBody<{ wallet?: { address?: string } }>(res)?.wallet?.address;
  if (res.status !== 201 || !address) throw new Error(`wallet creation failed: ${describeResponse(endpoint, res)}`);
  return address;
}

/** Two-phase creation: initiate, sign every attestation through the wallet API, finalize. */
export function createRegister(client: ApiClient, ep: Endpoints, token: string, orgId: string, userId: string, walletAddress: string, name: string): { id: string; genesisTransactionId: string } {
  const initiate = ep.initiateRegister();
  const request = initiateRegisterRequest({ name, tenantId: orgId, owners: [{ userId, walletId: walletAddress }] });
  const res = withRetries(() => client.call('POST', initiate, request, { token }));
  const pending = readInitiateResponse(jsonBody(res));
  if (res.status !== 200 || !pending) throw new Error(`register initiate failed: ${describeResponse(initiate, res)}`);

  const signedAttestations = pending.attestationsToSign.map((a) => {
    const sign = attestationSignRequest(a);
    const endpoint = ep.signWithWallet(sign.walletAddress);
    const signed = client.call('POST', endpoint, sign.body, { token });
    const signature = readWalletSignature(jsonBody(signed));
    if (signed.status !== 200 || !signature) throw new Error(`signing with wallet ${sign.walletAddress} failed: ${describeResponse(endpoint, signed)}`);
    return signedAttestation(a, signature);
  });
  const finalize = ep.finalizeRegister();
  // No retry here: the pending registration is consumed by the first finalize attempt.
  const done = client.call('POST', finalize, finalizeRegisterRequest(pending, signedAttestations), { token, expected: [201] });
  const body = jsonBody<{ registerId?: string; genesisTransactionId?: string }>(done);
  if (done.status !== 201 || !body?.registerId) throw new Error(`register finalize failed: ${describeResponse(finalize, done)}`);
  return { id: body.registerId, genesisTransactionId: body.genesisTransactionId ?? sha256Hex(`genesis-${body.registerId}`) };
}

function reuseRegister(client: ApiClient, ep: Endpoints, token: string, id: string): string {
  const endpoint = ep.getRegister(id);
  const res = withRetries(() => client.call('GET', endpoint, undefined, { token, noCheck: true }));
  if (res.status !== 200) throw new Error(`REGISTER_ID ${id} cannot be reused: ${describeResponse(endpoint, res)}`);
  return String(jsonBody<{ name?: string }>(res)?.name ?? id);
}

export async function setupWorld(config: RunConfig): Promise<World> {
  const { client, ep } = clientFor(config);
  checkHealth(client, ep);
  const password = await adminPassword(config);
  const { orgId, adminUserId, auth } = bootstrapOrLogin(client, ep, config.credentials, password);
  const runTag = randomHex(3);

  const registers: RegisterHandle[] = config.corridorWeights.map((weight, i) => {
    const corridor = `c${i + 1}`;
    const walletAddress = createWallet(client, ep, auth.accessToken, `perf-${runTag}-${corridor}`);
    const existing = config.existingRegisterIds[i];
    if (existing) {
      return { id: existing, name: reuseRegister(client, ep, auth.accessToken, existing), corridor, weight, walletAddress, genesisTransactionId: sha256Hex(`genesis-${existing}`) };
    }
    const name = `perf-${runTag}-${corridor}`;
    const created = createRegister(client, ep, auth.accessToken, orgId, adminUserId, walletAddress, name);
    return { id: created.id, name, corridor, weight, walletAddress, genesisTransactionId: created.genesisTransactionId };
  });
  return { orgId, adminUserId, auth, registers, signing: config.signing, createdAt: new Date().toISOString() };
}
