// Builds register transactions exactly as the contract hashes them. Pure (hashing is passed
// in), so the byte-level rules are unit-tested under Node against node:crypto.
//
// The payload is serialised once, to compact JSON, and that very string is both hashed and
// spliced into the request body: a client that re-serialises before sending risks the
// TX "payload hash mismatch" that cost Sorcha's own walkthrough days.

export interface PayloadFields {
  seq: number;
  vu: number;
  corridor: string;
}

export interface SignatureEntry {
  publicKey: string;
  signatureValue: string;
  algorithm: 'ED25519';
}

export interface Submission {
  transactionId: string;
  registerId: string;
  blueprintId: string;
  actionId: string;
  /** Compact JSON of the payload object, exactly as hashed. */
  payloadJson: string;
  payloadHash: string;
  signatures: SignatureEntry[];
  createdAt: string;
  metadata?: Record<string, string>;
}

const PAD_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Compact JSON of a payload object whose UTF-8 size is exactly `exactBytes` (ASCII only), or
 * the smallest possible payload when the fixed fields alone are larger.
 */
export function makePayloadJson(exactBytes: number, fields: PayloadFields): string {
  const head = `{"kind":"perf","seq":${fields.seq},"vu":${fields.vu},"corridor":${JSON.stringify(fields.corridor)},"data":"`;
  const tail = '"}';
  const padLength = Math.max(0, exactBytes - head.length - tail.length);
  // A rotating pattern rather than one repeated letter, so compression on the path does not
  // make large payloads unrealistically cheap.
  const r = fields.seq % PAD_CHARS.length;
  const rotated = PAD_CHARS.slice(r) + PAD_CHARS.slice(0, r);
  const pad = rotated.repeat(Math.ceil(padLength / rotated.length));
  return head + pad.slice(0, padLength) + tail;
}

/** The string whose SHA-256 digest is signed (pre-hashed) for a transaction. */
export function signingMessage(transactionId: string, payloadHash: string): string {
  return `${transactionId}:${payloadHash}`;
}

/** The request body for POST …/transactions/validate, with the payload spliced in verbatim. */
export function buildSubmissionBody(s: Submission): string {
  const head = JSON.stringify({
    transactionId: s.transactionId,
    registerId: s.registerId,
    blueprintId: s.blueprintId,
    actionId: s.actionId,
  });
  const rest = JSON.stringify({
    payloadHash: s.payloadHash,
    signatures: s.signatures,
    createdAt: s.createdAt,
    ...(s.metadata ? { metadata: s.metadata } : {}),
  });
  return `${head.slice(0, -1)},"payload":${s.payloadJson},${rest.slice(1)}`;
}

/** Validate responses count as success only when both flags are true (register-api.md §5). */
export function isAccepted(status: number, body: unknown): boolean {
  if (status !== 200 || body === null || typeof body !== 'object') return false;
  const b = body as { isValid?: unknown; added?: unknown };
  return b.isValid === true && b.added === true;
}
