// HTTP helpers for the target tests: a tiny JSON client, the set-up flow (bootstrap, wallet,
// register), locally signed transactions, and an independent docket-chain verifier written from
// the contract (it deliberately does not import target/hashing.ts).
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

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
  let parsed: unknown = undefined;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export const sha256Hex = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

export interface Org {
  orgId: string;
  subdomain: string;
  email: string;
  password: string;
  adminToken: string;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
}

export async function bootstrapOrg(base: string, name = `org-${randomBytes(4).toString('hex')}`): Promise<Org> {
  const email = `admin@${name}.example.com`;
  const password = 'Passw0rd!x';
  const r = await api(base, 'POST', '/api/tenants/bootstrap', {
    body: {
      organizationName: `Org ${name}`, organizationSubdomain: name, adminEmail: email, adminName: 'Admin', adminPassword: password,
      createServicePrincipal: true, servicePrincipalName: `${name}-svc`,
    },
  });
  if (r.status !== 201) throw new Error(`bootstrap failed: ${r.status} ${r.text}`);
  return {
    orgId: r.body.organizationId, subdomain: name, email, password, adminToken: r.body.adminAccessToken, refreshToken: r.body.adminRefreshToken,
    clientId: r.body.servicePrincipalClientId, clientSecret: r.body.servicePrincipalClientSecret,
  };
}

export async function createWallet(base: string, token: string): Promise<{ address: string; publicKey: string }> {
  const r = await api(base, 'POST', '/api/v1/wallets', { token, body: { name: 'test wallet', algorithm: 'ED25519', wordCount: 12 } });
  if (r.status !== 201) throw new Error(`wallet failed: ${r.status} ${r.text}`);
  return r.body.wallet;
}

/** initiate -> sign each dataToSign through the wallet sign endpoint (pre-hashed) -> finalize. */
export async function createRegister(base: string, token: string, orgId: string, walletAddress: string, name = 'test register'): Promise<string> {
  const init = await api(base, 'POST', '/api/registers/initiate', {
    token, body: { name, description: 'd', tenantId: orgId, owners: [{ userId: 'u1', walletId: walletAddress }], metadata: {}, advertise: false },
  });
  if (init.status !== 200) throw new Error(`initiate failed: ${init.status} ${init.text}`);
  const signedAttestations = [];
  for (const a of init.body.attestationsToSign) {
    const sig = await api(base, 'POST', `/api/v1/wallets/${a.walletId}/sign`, {
      token, body: { transactionData: Buffer.from(a.dataToSign, 'hex').toString('base64'), isPreHashed: true },
    });
    if (sig.status !== 200) throw new Error(`sign failed: ${sig.status} ${sig.text}`);
    signedAttestations.push({ attestationData: a.attestationData, publicKey: sig.body.publicKey, signature: sig.body.signature, algorithm: 'ED25519' });
  }
  const fin = await api(base, 'POST', '/api/registers/finalize', { token, body: { registerId: init.body.registerId, nonce: init.body.nonce, signedAttestations } });
  if (fin.status !== 201) throw new Error(`finalize failed: ${fin.status} ${fin.text}`);
  return fin.body.registerId;
}

export interface Signer {
  privateKey: KeyObject;
  publicKeyB64url: string;
}

export function newSigner(): Signer {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return { privateKey, publicKeyB64url: spki.subarray(spki.length - 32).toString('base64url') };
}

export function signedTransaction(signer: Signer, registerId: string, payload: Record<string, unknown> = { n: randomBytes(8).toString('hex') }, createdAt = new Date().toISOString()) {
  const transactionId = randomBytes(32).toString('hex');
  const payloadHash = sha256Hex(JSON.stringify(payload));
  const message = createHash('sha256').update(`${transactionId}:${payloadHash}`).digest();
  const signatureValue = sign(null, message, signer.privateKey).toString('base64url');
  return {
    transactionId, registerId, blueprintId: 'bp-1', actionId: '1', payload, payloadHash,
    signatures: [{ publicKey: signer.publicKeyB64url, signatureValue, algorithm: 'ED25519' }], createdAt,
  };
}

/** Recomputes every docket's Merkle root and hash from its transactions and checks the chain links. */
export async function verifyChain(base: string, token: string, registerId: string): Promise<{ dockets: number; transactions: Set<string> }> {
  const list = await api<any[]>(base, 'GET', `/api/registers/${registerId}/dockets`, { token });
  if (list.status !== 200) throw new Error(`dockets: ${list.status}`);
  const seen = new Set<string>();
  let previous: string | null = null;
  for (const [i, d] of list.body.entries()) {
    if (d.id !== i) throw new Error(`docket ${i} has id ${d.id}`);
    if (d.state !== 4) throw new Error(`docket ${i} is not sealed`);
    if (i === 0 ? d.previousHash !== null : d.previousHash !== previous) throw new Error(`docket ${i} previousHash breaks the chain`);
    if (d.transactionIds.length === 0 || d.transactionIds.length > 100) throw new Error(`docket ${i} has ${d.transactionIds.length} transactions`);
    const txs = await api<any[]>(base, 'GET', `/api/registers/${registerId}/dockets/${i}/transactions`, { token });
    if (JSON.stringify(txs.body.map((t) => t.transactionId)) !== JSON.stringify(d.transactionIds)) throw new Error(`docket ${i} transaction list differs`);
    let level = txs.body.map((t) => sha256Hex(`{"TransactionId":"${t.transactionId}","PayloadHash":"${t.payloadHash}","Timestamp":${Date.parse(t.createdAt)}}`));
    while (level.length > 1) {
      const next: string[] = [];
      for (let k = 0; k < level.length; k += 2) next.push(sha256Hex(level[k]! + (level[k + 1] ?? level[k]!)));
      level = next;
    }
    const root = level[0]!;
    const hash = sha256Hex(`{"RegisterId":"${registerId}","DocketNumber":${i},"PreviousHash":"${d.previousHash ?? ''}","MerkleRoot":"${root}","Timestamp":${Date.parse(d.timeStamp)}}`);
    if (hash !== d.hash) throw new Error(`docket ${i} hash does not verify`);
    for (const t of txs.body) {
      if (t.docketNumber !== i) throw new Error(`transaction ${t.transactionId} says docket ${t.docketNumber}, listed in ${i}`);
      seen.add(t.transactionId);
    }
    previous = d.hash;
  }
  return { dockets: list.body.length, transactions: seen };
}

/** Bounded polling for an eventual state (sealing is asynchronous by design). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
