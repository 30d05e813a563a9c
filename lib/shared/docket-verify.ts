// Client-side verification of a sealed docket, exactly per register-api.md §6: Merkle root of
// the docket's transactions, the docket hash, and the link to the previous docket. Pure: the
// SHA-256 function is passed in (k6's native one inside k6, node:crypto in unit tests), so the
// byte-level rules are tested against vectors computed independently.

export type Sha256Hex = (text: string) => string;

/** The docket fields the contract exposes (GET /api/registers/{id}/dockets/{n}). */
export interface DocketView {
  id: number | string;
  registerId: string;
  previousHash: string | null;
  hash: string;
  transactionIds: string[];
  timeStamp: string;
}

/** One transaction as GET /dockets/{n}/transactions returns it (only the fields the leaf needs). */
export interface DocketTransactionView {
  transactionId: string;
  payloadHash: string;
  createdAt: string;
}

export interface DocketVerification {
  ok: boolean;
  merkleRoot: string;
  computedHash: string;
  /** One sentence per broken rule; empty when ok. */
  problems: string[];
}

/** Unix milliseconds of an ISO 8601 timestamp; NaN when it is not one. */
export function isoToUnixMs(iso: string): number {
  return typeof iso === 'string' ? Date.parse(iso) : NaN;
}

/** Leaf: SHA-256 of compact JSON {TransactionId, PayloadHash, Timestamp = createdAt in unix ms}. */
export function leafHash(sha256Hex: Sha256Hex, transactionId: string, payloadHash: string, createdAtMs: number): string {
  return sha256Hex(JSON.stringify({ TransactionId: transactionId, PayloadHash: payloadHash, Timestamp: createdAtMs }));
}

/**
 * Parent = SHA-256 of the UTF-8 concatenation of the left and right lowercase hex strings; an odd
 * last node pairs with itself; one leaf is its own root; no leaves: SHA-256 of empty input.
 */
export function merkleRoot(sha256Hex: Sha256Hex, leaves: readonly string[]): string {
  if (leaves.length === 0) return sha256Hex('');
  let level = leaves.slice();
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i]!;
      next.push(sha256Hex(left + (level[i + 1] ?? left)));
    }
    level = next;
  }
  return level[0]!;
}

/** Docket hash: SHA-256 of compact JSON {RegisterId, DocketNumber, PreviousHash, MerkleRoot, Timestamp}. */
export function docketHash(sha256Hex: Sha256Hex, h: { registerId: string; docketNumber: number; previousHash: string | null; merkleRoot: string; timestampMs: number }): string {
  return sha256Hex(
    JSON.stringify({
      RegisterId: h.registerId,
      DocketNumber: h.docketNumber,
      // Genesis has no predecessor: hashed as the empty string (Sorcha: previousHash ?? string.Empty).
      PreviousHash: h.previousHash ?? '',
      MerkleRoot: h.merkleRoot,
      Timestamp: h.timestampMs,
    }),
  );
}

/**
 * Verifies one docket against its transactions and (when known) the hash of the docket before it.
 * `previousDocketHash`: undefined when the caller does not know it (the link is then not checked);
 * for docket 0 the previous hash must be null or empty whatever is passed.
 */
export function verifyDocket(sha256Hex: Sha256Hex, docket: DocketView, transactions: readonly DocketTransactionView[], previousDocketHash?: string): DocketVerification {
  const problems: string[] = [];
  const number = Number(docket.id);
  if (!Number.isInteger(number) || number < 0) problems.push(`docket id ${JSON.stringify(docket.id)} is not a docket number`);

  // Leaves in the docket's own transaction order; the list endpoint's order is not part of the contract.
  const byId = new Map<string, DocketTransactionView>();
  for (const t of transactions) byId.set(String(t.transactionId).toLowerCase(), t);
  const ids = Array.isArray(docket.transactionIds) ? docket.transactionIds : [];
  if (ids.length === 0) problems.push('docket lists no transactions (the contract never seals an empty docket)');
  if (transactions.length !== ids.length) problems.push(`docket lists ${ids.length} transaction(s) but its transactions endpoint returned ${transactions.length}`);
  const leaves: string[] = [];
  for (const id of ids) {
    const tx = byId.get(String(id).toLowerCase());
    if (!tx) {
      problems.push(`transaction ${id} is listed in the docket but missing from its transactions`);
      continue;
    }
    const createdAtMs = isoToUnixMs(tx.createdAt);
    if (Number.isNaN(createdAtMs)) problems.push(`transaction ${id} has no parseable createdAt (${JSON.stringify(tx.createdAt)})`);
    leaves.push(leafHash(sha256Hex, String(id).toLowerCase(), String(tx.payloadHash).toLowerCase(), createdAtMs));
  }
  const root = merkleRoot(sha256Hex, leaves);

  const timestampMs = isoToUnixMs(docket.timeStamp);
  if (Number.isNaN(timestampMs)) problems.push(`docket timeStamp ${JSON.stringify(docket.timeStamp)} is not an ISO 8601 timestamp`);
  const computedHash = docketHash(sha256Hex, { registerId: docket.registerId, docketNumber: number, previousHash: docket.previousHash, merkleRoot: root, timestampMs });
  if (computedHash !== String(docket.hash).toLowerCase()) {
    problems.push(`docket hash mismatch: recomputed ${computedHash} from the header and the Merkle root ${root}, docket says ${docket.hash}`);
  }

  if (number === 0) {
    if (docket.previousHash !== null && docket.previousHash !== '') problems.push(`genesis docket has previousHash ${docket.previousHash}; expected none`);
  } else if (previousDocketHash !== undefined && String(docket.previousHash).toLowerCase() !== previousDocketHash.toLowerCase()) {
    problems.push(`chain broken: docket ${number} has previousHash ${docket.previousHash}, docket ${number - 1} hashes to ${previousDocketHash}`);
  }
  return { ok: problems.length === 0, merkleRoot: root, computedHash, problems };
}
