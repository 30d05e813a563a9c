// Builds a run's world against the register API, idempotently: bootstrap the organisation
// (or log in when it already exists), get a token, create wallets, create registers with the
// two-phase signed-attestation flow (or reuse REGISTER_ID). Returns plain data for the VUs,
// and no secret: k6 exports it into summary.json, so each VU logs in itself (vu-context.ts).
// The flow's requests and rules are lib/shared/register-setup.ts (shared with the Node test
// client); this file does k6's HTTP, retries and error messages.

import type { Credentials, RunConfig, SigningMode } from '../shared/config.ts';
import { type Endpoints, endpoints } from '../shared/endpoints.ts';
import {
  attestationSignRequest,
  BOOTSTRAP_STATUSES,
  type BootstrapResponse,
  bootstrapRequest,
  createWalletRequest,
  finalizeRegisterRequest,
  initiateRegisterRequest,
  passwordGrant,
  readInitiateResponse,
  readWalletSignature,
  signedAttestation,
} from '../shared/register-setup.ts';
import { type AuthState, authStateFor, decodeJwtClaims, requestToken } from './auth.ts';
import { resolveAdminPassword } from './credentials.ts';
import { randomHex, sha256Hex } from './crypto.ts';
import { ApiClient, describeResponse, isTransient, jsonBody, type Response, retriesExhausted, setupRetries, withRetries } from './http.ts';

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
  /** The target identified itself as the project's reference server: the local default password applies. */
  localReferenceServer: boolean;
  registers: RegisterHandle[];
  signing: SigningMode;
  createdAt: string;
}

export function clientFor(config: RunConfig): { client: ApiClient; ep: Endpoints } {
  return { client: new ApiClient(config.urls, config.httpTimeout), ep: endpoints(config.layout) };
}

const REFERENCE_SERVER_IDENTITY = 'ledger-perf-reference-server';

/**
 * Fails fast, with the address and what to do, when the system under test is down or unhealthy.
 * Returns whether it is the project's own reference server on loopback (it says so on /health).
 */
export function checkHealth(client: ApiClient, ep: Endpoints, loopback = false): boolean {
  const endpoint = ep.health();
  const url = client.urls[endpoint.service] + endpoint.path;
  const res = withRetries(() => client.call('GET', endpoint, undefined, { expected: [200], noCheck: true, timeout: '5s' }), undefined, undefined, 'health');
  if (res.status === 0) {
    throw new Error(
      `the system under test is not reachable at ${url} (${res.error})${retriesExhausted(res)}. Start the local reference server with \`npm run target\`, or set BASE_URL to your platform's address.`,
    );
  }
  if (res.status !== 200) throw new Error(`the system under test at ${url} is not healthy: ${describeResponse(endpoint, res)}${retriesExhausted(res)}`);
  return loopback && jsonBody<{ service?: unknown }>(res)?.service === REFERENCE_SERVER_IDENTITY;
}

/** The password grant each VU logs in with (the password never enters setup's returned data). */
export function loginForm(config: RunConfig, localReferenceServer: boolean): Record<string, string> {
  return passwordGrant(config.credentials.adminEmail, resolveAdminPassword(config, localReferenceServer).password);
}

/** Bootstraps the organisation, or logs in as its admin when it already exists (409). */
export function bootstrapOrLogin(client: ApiClient, ep: Endpoints, c: Credentials, password: string): { orgId: string; adminUserId: string; auth: AuthState } {
  const endpoint = ep.bootstrap();
  const request = bootstrapRequest(c, password, { description: 'Created by the ledger-perf load-testing suite' });
  const res = withRetries(() => client.call('POST', endpoint, request, { expected: [...BOOTSTRAP_STATUSES] }), undefined, undefined, 'bootstrap');
  const body = jsonBody<BootstrapResponse>(res);
  let auth: AuthState;
  if (res.status === 201 && body?.adminAccessToken) {
    auth = authStateFor(body.adminAccessToken, body.adminRefreshToken ?? '', Date.now());
  } else if (res.status === 409) {
    // Already bootstrapped (by an earlier run): log in with the same admin credentials.
    auth = requestToken(client, ep, passwordGrant(c.adminEmail, password), Date.now());
  } else {
    throw new Error(`organisation bootstrap failed: ${describeResponse(endpoint, res)}${retriesExhausted(res)}`);
  }
  const claims = decodeJwtClaims(auth.accessToken);
  const orgId = String(body?.organizationId ?? claims.org_id ?? '');
  const adminUserId = String(body?.adminUserId ?? claims.sub ?? '');
  if (!orgId || !adminUserId) throw new Error('token has no org_id/sub claims: cannot tell which organisation and user this run acts as');
  return { orgId, adminUserId, auth };
}

export function createWallet(client: ApiClient, ep: Endpoints, token: string, name: string): string {
  const endpoint = ep.createWallet();
  const res = withRetries(() => client.call('POST', endpoint, createWalletRequest(name), { token, expected: [201] }), undefined, undefined, 'wallet');
  const address = jsonBody<{ wallet?: { address?: string } }>(res)?.wallet?.address;
  if (res.status !== 201 || !address) throw new Error(`wallet creation failed: ${describeResponse(endpoint, res)}${retriesExhausted(res)}`);
  return address;
}

class TransientSetupFailure extends Error {}

/**
 * Two-phase creation: initiate, sign every attestation through the wallet API, finalize. A
 * transient failure anywhere (finalize included: the pending registration may be consumed by an
 * attempt whose answer was lost) starts the whole flow again, up to RETRY_ATTEMPTS times.
 */
export function createRegister(client: ApiClient, ep: Endpoints, token: string, orgId: string, userId: string, walletAddress: string, name: string): { id: string; genesisTransactionId: string } {
  const attempts = 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return createRegisterOnce(client, ep, token, orgId, userId, walletAddress, name);
    } catch (err) {
      if (!(err instanceof TransientSetupFailure) || attempt >= attempts) {
        throw err instanceof TransientSetupFailure ? new Error(`${err.message} (still failing after ${attempts} attempts of the whole register creation)`) : err;
      }
      setupRetries.add(1, { call: 'register' });
    }
  }
}

function createRegisterOnce(client: ApiClient, ep: Endpoints, token: string, orgId: string, userId: string, walletAddress: string, name: string): { id: string; genesisTransactionId: string } {
  const fail = (what: string, res: Response): never => {
    const message = `${what}: ${describeResponse(what === 'register finalize failed' ? ep.finalizeRegister() : ep.initiateRegister(), res)}${retriesExhausted(res)}`;
    throw isTransient(res.status) ? new TransientSetupFailure(message) : new Error(message);
  };
  const initiate = ep.initiateRegister();
  const request = initiateRegisterRequest({ name, tenantId: orgId, owners: [{ userId, walletId: walletAddress }] });
  const res = withRetries(() => client.call('POST', initiate, request, { token }), undefined, undefined, 'register-initiate');
  const pending = readInitiateResponse(jsonBody(res));
  if (res.status !== 200 || !pending) fail('register initiate failed', res);

  const signedAttestations = pending!.attestationsToSign.map((a) => {
    const sign = attestationSignRequest(a);
    const endpoint = ep.signWithWallet(sign.walletAddress);
    // Signing is idempotent (same key, same message): safe to retry.
    const signed = withRetries(() => client.call('POST', endpoint, sign.body, { token }), undefined, undefined, 'sign');
    const signature = readWalletSignature(jsonBody(signed));
    if (signed.status !== 200 || !signature) {
      const message = `signing with wallet ${sign.walletAddress} failed: ${describeResponse(endpoint, signed)}${retriesExhausted(signed)}`;
      throw isTransient(signed.status) ? new TransientSetupFailure(message) : new Error(message);
    }
    return signedAttestation(a, signature);
  });
  const finalize = ep.finalizeRegister();
  // Not retried on its own: the pending registration is consumed by the first finalize that
  // reaches the server. A transient answer restarts the flow (createRegister).
  const done = client.call('POST', finalize, finalizeRegisterRequest(pending!, signedAttestations), { token, expected: [201] });
  const body = jsonBody<{ registerId?: string; genesisTransactionId?: string }>(done);
  if (done.status !== 201 || !body?.registerId) fail('register finalize failed', done);
  return { id: body!.registerId!, genesisTransactionId: body!.genesisTransactionId ?? sha256Hex(`genesis-${body!.registerId}`) };
}

function reuseRegister(client: ApiClient, ep: Endpoints, token: string, id: string): string {
  const endpoint = ep.getRegister(id);
  const res = withRetries(() => client.call('GET', endpoint, undefined, { token, noCheck: true }), undefined, undefined, 'register-get');
  if (res.status !== 200) throw new Error(`REGISTER_ID ${id} cannot be reused: ${describeResponse(endpoint, res)}`);
  return String(jsonBody<{ name?: string }>(res)?.name ?? id);
}

export async function setupWorld(config: RunConfig): Promise<World> {
  const { client, ep } = clientFor(config);
  const localReferenceServer = checkHealth(client, ep, config.loopback);
  const { password } = resolveAdminPassword(config, localReferenceServer);
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
  // No token in here: this object is exported (summary.json, --summary-export).
  return { orgId, adminUserId, localReferenceServer, registers, signing: config.signing, createdAt: new Date().toISOString() };
}
