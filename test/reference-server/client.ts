// What only the reference server's tests need on top of the register client
// (test/helpers/register-client.ts): locally signed transactions and a docket-chain check that
// verifies with the k6-side verifier (it deliberately does not import reference-server/hashing.ts).
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { verifyDocket } from '../../lib/shared/docket-verify.ts';
import { api } from '../helpers/register-client.ts';

export const sha256Hex = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

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
    transactionId,
    registerId,
    blueprintId: 'bp-1',
    actionId: '1',
    payload,
    payloadHash,
    signatures: [{ publicKey: signer.publicKeyB64url, signatureValue, algorithm: 'ED25519' }],
    createdAt,
  };
}

/**
 * Recomputes every docket's Merkle root and hash from its transactions and checks the chain links,
 * with the k6-side verifier (lib/shared/docket-verify.ts): one of the two independent hashing
 * implementations, both checked against test/fixtures/docket-vectors.json, so the server's is
 * never checked against itself.
 */
export async function verifyChain(base: string, token: string, registerId: string): Promise<{ dockets: number; transactions: Set<string> }> {
  const list = await api<any[]>(base, 'GET', `/api/registers/${registerId}/dockets`, { token });
  if (list.status !== 200) throw new Error(`dockets: ${list.status}`);
  const seen = new Set<string>();
  let previous: string | undefined;
  for (const [i, d] of list.body.entries()) {
    if (d.id !== i) throw new Error(`docket ${i} has id ${d.id}`);
    if (d.state !== 4) throw new Error(`docket ${i} is not sealed`);
    if (d.transactionIds.length === 0 || d.transactionIds.length > 100) throw new Error(`docket ${i} has ${d.transactionIds.length} transactions`);
    const txs = await api<any[]>(base, 'GET', `/api/registers/${registerId}/dockets/${i}/transactions`, { token });
    if (JSON.stringify(txs.body.map((t) => t.transactionId)) !== JSON.stringify(d.transactionIds)) throw new Error(`docket ${i} transaction list differs`);
    const verdict = verifyDocket(sha256Hex, d, txs.body, previous);
    if (!verdict.ok) throw new Error(`docket ${i} does not verify: ${verdict.problems.join('; ')}`);
    for (const t of txs.body) {
      if (t.docketNumber !== i) throw new Error(`transaction ${t.transactionId} says docket ${t.docketNumber}, listed in ${i}`);
      seen.add(t.transactionId);
    }
    previous = d.hash;
  }
  return { dockets: list.body.length, transactions: seen };
}
