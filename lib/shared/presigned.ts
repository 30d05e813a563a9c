// The pre-signed transaction file (SIGNING=presigned). The signed message is
// SHA-256("{transactionId}:{payloadHash}"): it involves neither the register nor the time, so a
// Node tool (tools/presign/presign.ts, native Ed25519) signs transactions before the run and k6
// only reads them. The payload itself is not stored: it is makePayloadJson(payloadBytes, {seq:
// index in its pool, vu: 0, corridor: PRESIGNED_CORRIDOR}), rebuilt in k6 and hashed natively,
// so an entry is ~170 bytes whatever the payload size, and a rebuilt hash that differs from the
// stored one (a changed payload rule) is caught before anything is sent.
//
// Layout: line 1 is the header (JSON); then every pool's entries in header order, one
// "transactionId payloadHash signatureValue" line each (64 hex, 64 hex, 86 base64url): plain
// text that k6 keeps as one string per entry, not a parsed object.

export const PRESIGNED_FORMAT = 'ledger-perf-presigned/1';
/** The corridor written into every pre-signed payload (the request's metadata still names the real one). */
export const PRESIGNED_CORRIDOR = 'presigned';

export interface PresignedPoolHeader {
  payloadBytes: number;
  /** Entries of this pool, in file order after the pools before it. */
  count: number;
}

export interface PresignedHeader {
  format: typeof PRESIGNED_FORMAT;
  algorithm: 'ED25519';
  /** base64url (no padding) of the 32-byte Ed25519 public key that signed every entry. */
  publicKey: string;
  createdAt: string;
  pools: PresignedPoolHeader[];
}

/** One entry line: transactionId, payloadHash, signatureValue (base64url, no padding), space-separated. */
export function presignedEntryLine(transactionId: string, payloadHash: string, signatureValue: string): string {
  return `${transactionId} ${payloadHash} ${signatureValue}`;
}

const ENTRY = /^([0-9a-f]{64}) ([0-9a-f]{64}) ([A-Za-z0-9_-]{86})$/;

/** The three fields of an entry line, or undefined when it is not one. */
export function parsePresignedEntry(line: string): [transactionId: string, payloadHash: string, signatureValue: string] | undefined {
  const m = ENTRY.exec(line);
  return m ? [m[1]!, m[2]!, m[3]!] : undefined;
}

/** Parses and checks the header line; throws an Error that says what is wrong and how to fix it. */
export function parsePresignedHeader(line: string, where: string): PresignedHeader {
  let h: Partial<PresignedHeader>;
  try {
    h = JSON.parse(line) as Partial<PresignedHeader>;
  } catch {
    throw new Error(`${where}: line 1 is not JSON; expected the header of a file written by tools/presign/presign.ts`);
  }
  if (h === null || typeof h !== 'object' || h.format !== PRESIGNED_FORMAT) {
    throw new Error(`${where}: line 1 has format ${JSON.stringify((h as { format?: unknown } | null)?.format)}, expected "${PRESIGNED_FORMAT}"; regenerate it with tools/presign/presign.ts`);
  }
  if (h.algorithm !== 'ED25519' || typeof h.publicKey !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(h.publicKey)) {
    throw new Error(`${where}: header needs algorithm "ED25519" and a base64url 32-byte publicKey`);
  }
  if (!Array.isArray(h.pools) || h.pools.length === 0) throw new Error(`${where}: header lists no pools`);
  const seen = new Set<number>();
  for (const [i, p] of h.pools.entries()) {
    if (!Number.isInteger(p?.payloadBytes) || p.payloadBytes < 1 || !Number.isInteger(p.count) || p.count < 1) {
      throw new Error(`${where}: header /pools/${i} needs a positive integer payloadBytes and count`);
    }
    if (seen.has(p.payloadBytes)) throw new Error(`${where}: header lists payloadBytes ${p.payloadBytes} twice`);
    seen.add(p.payloadBytes);
  }
  return h as PresignedHeader;
}

/** Index of an entry within its pool for one submission: unique across VUs, scenarios and k6 instances. */
export function presignedSlot(iterationInTest: number, scenarioIndex: number, scenarioCount: number, slotsPerIteration: number, submitInIteration: number): number {
  return (iterationInTest * scenarioCount + scenarioIndex) * slotsPerIteration + submitInIteration;
}
