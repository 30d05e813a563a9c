// The register's hashing rules as pure functions, so the server, the tests and anyone verifying a
// docket independently compute exactly the same bytes. Rules are those of the wire contract
// (docs/reference-server.md, /work/shared/design/register-api.md) and mirror Sorcha's DocketHasher.
import { createHash } from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256Bytes(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Field order matters: it is the order the contract names (role, subject, registerId, registerName, grantedAt). */
export interface AttestationData {
  role: string;
  subject: string;
  registerId: string;
  registerName: string;
  grantedAt: string;
}

/** Rebuilds the object in the contract's key order so the compact JSON is canonical whatever order the caller used. */
export function attestationJson(a: AttestationData): string {
  return JSON.stringify({ role: a.role, subject: a.subject, registerId: a.registerId, registerName: a.registerName, grantedAt: a.grantedAt });
}

/** `dataToSign`: lowercase hex SHA-256 of the compact JSON of the attestation data. */
export function attestationDataToSign(a: AttestationData): string {
  return sha256Hex(attestationJson(a));
}

/**
 * Hash of a transaction payload as the client serialised it. `JSON.stringify` of a value that
 * came from `JSON.parse` keeps the key order of the received text, so this reproduces a client's
 * compact serialisation (except integer-like keys, which JavaScript orders first; see docs).
 */
export function payloadHash(payload: unknown): string {
  return sha256Hex(JSON.stringify(payload));
}

/** The 32 bytes a transaction signature covers: SHA-256 of UTF-8 `{transactionId}:{payloadHash}`. */
export function transactionSigningMessage(transactionId: string, payloadHashHex: string): Buffer {
  return sha256Bytes(`${transactionId}:${payloadHashHex}`);
}

export function genesisTransactionId(registerId: string): string {
  return sha256Hex(`genesis-${registerId}`);
}

/** Merkle leaf: SHA-256 of compact JSON {TransactionId, PayloadHash, Timestamp (unix ms)}. */
export function leafHash(transactionId: string, payloadHashHex: string, createdAtMs: number): string {
  return sha256Hex(JSON.stringify({ TransactionId: transactionId, PayloadHash: payloadHashHex, Timestamp: createdAtMs }));
}

/**
 * Merkle root over leaf hashes (lowercase hex). Parent = SHA-256 of the UTF-8 concatenation of the
 * two child hex strings; an odd last node pairs with itself; one leaf is its own root; no leaves
 * give SHA-256 of empty input.
 */
export function merkleRoot(leaves: readonly string[]): string {
  if (leaves.length === 0) return sha256Hex('');
  let level = leaves.slice();
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i]!;
      const right = level[i + 1] ?? left;
      next.push(sha256Hex(left + right));
    }
    level = next;
  }
  return level[0]!;
}

export interface DocketHeader {
  registerId: string;
  docketNumber: number;
  /** null for the genesis docket; hashed as the empty string (Sorcha: `previousHash ?? string.Empty`). */
  previousHash: string | null;
  merkleRoot: string;
  timestampMs: number;
}

/** Docket hash: SHA-256 of compact JSON {RegisterId, DocketNumber, PreviousHash, MerkleRoot, Timestamp (unix ms)}. */
export function docketHash(h: DocketHeader): string {
  return sha256Hex(
    JSON.stringify({
      RegisterId: h.registerId,
      DocketNumber: h.docketNumber,
      PreviousHash: h.previousHash ?? '',
      MerkleRoot: h.merkleRoot,
      Timestamp: h.timestampMs,
    }),
  );
}
