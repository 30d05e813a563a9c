// The one Node client of the register API for tests and benchmarks: a small JSON/form HTTP
// helper and the set-up flow (bootstrap, token, wallet, two-phase register creation). The
// flow's requests and rules come from lib/shared/register-setup.ts, the same module the k6
// set-up (lib/k6/setup.ts) uses, so a change to the contract is made once.
import { randomBytes } from 'node:crypto';
import { LOCAL_REFERENCE_SERVER_DEFAULTS } from '../../lib/shared/config.ts';
import { endpoints } from '../../lib/shared/endpoints.ts';
import * as flow from '../../lib/shared/register-setup.ts';

/** The reference server serves every service on one address, in the gateway layout. */
const ep = endpoints('gateway');

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, with content type application/json unless contentType says otherwise. */
  raw?: string | Buffer;
  form?: Record<string, string>;
  contentType?: string;
  headers?: Record<string, string>;
}

export async function api<T = any>(base: string, method: string, path: string, o: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  let body: string | Buffer | undefined;
  if (o.form !== undefined) {
    body = new URLSearchParams(o.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (o.raw !== undefined) {
    body = o.raw;
    headers['content-type'] = o.contentType ?? 'application/json';
  } else if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

async function expectStatus<T = any>(what: string, status: number, r: Promise<ApiResponse<T>>): Promise<ApiResponse<T>> {
  const res = await r;
  if (res.status !== status) throw new Error(`${what} failed: HTTP ${res.status} ${res.text.slice(0, 300)}`);
  return res;
}

export interface Org {
  orgId: string;
  adminUserId: string;
  subdomain: string;
  email: string;
  password: string;
  adminToken: string;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
}

/** A new organisation with a service principal (fresh random subdomain unless given). */
export async function bootstrapOrg(base: string, name = `org-${randomBytes(4).toString('hex')}`): Promise<Org> {
  const email = `admin@${name}.example.com`;
  const password = 'Passw0rd!x';
  const request = flow.bootstrapRequest({ orgName: `Org ${name}`, orgSubdomain: name, adminEmail: email, adminName: 'Admin' }, password, { servicePrincipalName: `${name}-svc` });
  const r = await expectStatus<flow.BootstrapResponse>('bootstrap', 201, api(base, 'POST', ep.bootstrap().path, { body: request }));
  return {
    orgId: r.body.organizationId!,
    adminUserId: r.body.adminUserId!,
    subdomain: name,
    email,
    password,
    adminToken: r.body.adminAccessToken!,
    refreshToken: r.body.adminRefreshToken!,
    clientId: r.body.servicePrincipalClientId!,
    clientSecret: r.body.servicePrincipalClientSecret!,
  };
}

/** An access token for a grant (form-encoded, as OAuth clients send it). */
export async function requestToken(base: string, grant: Record<string, string>): Promise<string> {
  const r = await expectStatus<{ access_token: string }>('token', 200, api(base, 'POST', ep.token().path, { form: grant }));
  return r.body.access_token;
}

export function serviceToken(base: string, org: Org): Promise<string> {
  return requestToken(base, flow.clientCredentialsGrant(org.clientId, org.clientSecret));
}

export function loginAsDefaultAdmin(base: string): Promise<string> {
  return requestToken(base, flow.passwordGrant(LOCAL_REFERENCE_SERVER_DEFAULTS.adminEmail, LOCAL_REFERENCE_SERVER_DEFAULTS.adminPassword));
}

export async function createWallet(base: string, token: string, name = 'test wallet'): Promise<{ address: string; publicKey: string }> {
  const r = await expectStatus('wallet creation', 201, api(base, 'POST', ep.createWallet().path, { token, body: flow.createWalletRequest(name) }));
  return r.body.wallet;
}

/** Two-phase creation: initiate → sign each attestation through the wallet API → finalize. */
export async function createRegister(base: string, token: string, orgId: string, walletAddress: string, name = 'test register', userId = 'u1'): Promise<string> {
  const init = await expectStatus(
    'register initiate',
    200,
    api(base, 'POST', ep.initiateRegister().path, { token, body: flow.initiateRegisterRequest({ name, tenantId: orgId, owners: [{ userId, walletId: walletAddress }] }) }),
  );
  const pending = flow.readInitiateResponse(init.body);
  if (!pending) throw new Error(`register initiate answered no pending registration: ${init.text.slice(0, 300)}`);
  const signedAttestations = [];
  for (const a of pending.attestationsToSign) {
    const sign = flow.attestationSignRequest(a);
    const r = await expectStatus('attestation signing', 200, api(base, 'POST', ep.signWithWallet(sign.walletAddress).path, { token, body: sign.body }));
    const signature = flow.readWalletSignature(r.body);
    if (!signature) throw new Error(`wallet sign answered no signature: ${r.text.slice(0, 300)}`);
    signedAttestations.push(flow.signedAttestation(a, signature));
  }
  const fin = await expectStatus('register finalize', 201, api(base, 'POST', ep.finalizeRegister().path, { token, body: flow.finalizeRegisterRequest(pending, signedAttestations) }));
  return fin.body.registerId;
}

export async function getJson<T>(base: string, path: string, token: string): Promise<T> {
  return (await expectStatus<T>(`GET ${path}`, 200, api<T>(base, 'GET', path, { token }))).body;
}

interface Docket {
  id: number | string;
  transactionIds: string[];
}

/** Transactions sealed in dockets after genesis, over every register of the organisation. */
export async function sealedTransactionCount(base: string, token: string): Promise<{ registers: number; sealed: number }> {
  const registers = await getJson<Array<{ id?: string; registerId?: string }>>(base, '/api/registers', token);
  let sealed = 0;
  for (const r of registers) {
    const id = r.id ?? r.registerId!;
    const dockets = await getJson<Docket[]>(base, ep.listDockets(id).path, token);
    for (const d of dockets) if (Number(d.id) !== 0) sealed += d.transactionIds.length;
  }
  return { registers: registers.length, sealed };
}
