// The register API's set-up flow as data, shared by the k6 set-up (lib/k6/setup.ts) and the Node
// test client (test/helpers/register-client.ts), so the rules live once:
//   bootstrap the organisation (409 = it exists: log in instead) → create a wallet →
//   initiate the register (the server answers attestations to sign) → sign each attestation's
//   dataToSign through the wallet API, pre-hashed → finalize with the signed attestations.
// Each step is a request builder or a response reader; the callers only do the HTTP.
// Pure: no k6, no Node.
import { bytesToBase64, hexToBytes } from './bytes.ts';
import type { Credentials } from './config.ts';

/** The only algorithm the suite creates wallets with and signs attestations in. */
export const WALLET_ALGORITHM = 'ED25519';

export interface BootstrapOptions {
  description?: string;
  /** Also create a service principal (its client id and secret come back once). */
  servicePrincipalName?: string;
}

export function bootstrapRequest(c: Omit<Credentials, 'adminPassword'>, password: string, o: BootstrapOptions = {}): Record<string, unknown> {
  return {
    organizationName: c.orgName,
    organizationSubdomain: c.orgSubdomain,
    ...(o.description !== undefined ? { organizationDescription: o.description } : {}),
    adminEmail: c.adminEmail,
    adminName: c.adminName,
    adminPassword: password,
    createServicePrincipal: o.servicePrincipalName !== undefined,
    ...(o.servicePrincipalName !== undefined ? { servicePrincipalName: o.servicePrincipalName } : {}),
  };
}

export interface BootstrapResponse {
  organizationId?: string;
  adminUserId?: string;
  adminAccessToken?: string;
  adminRefreshToken?: string;
  servicePrincipalClientId?: string;
  servicePrincipalClientSecret?: string;
}

/** Bootstrap answers 201 (created) or 409 (already there: log in with the same credentials). */
export const BOOTSTRAP_STATUSES = [201, 409] as const;

export function passwordGrant(username: string, password: string): Record<string, string> {
  return { grant_type: 'password', username, password };
}

export function clientCredentialsGrant(clientId: string, clientSecret: string): Record<string, string> {
  return { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret };
}

export function createWalletRequest(name: string): { name: string; algorithm: string; wordCount: number } {
  return { name, algorithm: WALLET_ALGORITHM, wordCount: 12 };
}

export interface RegisterOwner {
  userId: string;
  walletId: string;
}

export function initiateRegisterRequest(r: { name: string; tenantId: string; owners: RegisterOwner[]; description?: string; metadata?: Record<string, string> }): Record<string, unknown> {
  return {
    name: r.name,
    description: r.description ?? 'ledger-perf load-test register',
    tenantId: r.tenantId,
    owners: r.owners,
    metadata: r.metadata ?? { createdBy: 'ledger-perf' },
    advertise: false,
  };
}

export interface AttestationToSign {
  attestationData: Record<string, unknown>;
  /** Lowercase hex SHA-256 of the attestation's compact JSON (register-api.md). */
  dataToSign: string;
  walletId: string;
}

export interface InitiateRegisterResponse {
  registerId: string;
  nonce: string;
  attestationsToSign: AttestationToSign[];
}

/** Reads initiate's answer; undefined when it is not one. */
export function readInitiateResponse(body: unknown): InitiateRegisterResponse | undefined {
  const b = body as Partial<InitiateRegisterResponse> | undefined;
  if (!b || typeof b.registerId !== 'string' || typeof b.nonce !== 'string' || !Array.isArray(b.attestationsToSign)) return undefined;
  return b as InitiateRegisterResponse;
}

/**
 * The wallet sign request for an attestation: its dataToSign is already the digest, so the
 * bytes (hex → bytes → base64) are sent pre-hashed; the wallet must not hash them again.
 */
export function attestationSignRequest(a: AttestationToSign): { walletAddress: string; body: { transactionData: string; isPreHashed: true } } {
  return { walletAddress: a.walletId, body: { transactionData: bytesToBase64(hexToBytes(a.dataToSign)), isPreHashed: true } };
}

export interface WalletSignature {
  signature: string;
  publicKey: string;
}

/** Reads the wallet's sign answer; undefined when it lacks the signature or the key. */
export function readWalletSignature(body: unknown): WalletSignature | undefined {
  const b = body as Partial<WalletSignature> | undefined;
  return b && typeof b.signature === 'string' && b.signature !== '' && typeof b.publicKey === 'string' && b.publicKey !== '' ? { signature: b.signature, publicKey: b.publicKey } : undefined;
}

export function signedAttestation(a: AttestationToSign, s: WalletSignature): Record<string, unknown> {
  return { attestationData: a.attestationData, publicKey: s.publicKey, signature: s.signature, algorithm: WALLET_ALGORITHM };
}

/** Finalize consumes the pending registration: the callers must not retry it. */
export function finalizeRegisterRequest(pending: InitiateRegisterResponse, signedAttestations: Array<Record<string, unknown>>): Record<string, unknown> {
  return { registerId: pending.registerId, nonce: pending.nonce, signedAttestations };
}
