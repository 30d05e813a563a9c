// The validation rules of POST /api/validator/transactions/validate as a pure function, one
// error code per rule (codes TX_001..TX_017 follow Sorcha's TransactionValidator numbering;
// higher codes are the reference server's own). The table lives in docs/reference-server.md.
import { verifyEd25519 } from './ed25519.ts';
import { decodeBase64OrUrl, isHex64 } from './encoding.ts';
import type { TxError } from './errors.ts';
import { payloadHash, transactionSigningMessage } from './hashing.ts';

export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
/** Algorithms Sorcha allows; only ED25519 is verified by the reference server. */
export const SORCHA_ALGORITHMS = ['ED25519', 'NIST-P256', 'RSA-4096', 'ML-DSA-65', 'SLH-DSA-128S', 'SLH-DSA-192S'];

export const TX_CODES = {
  missingTransactionId: 'TX_001',
  missingRegisterId: 'TX_002',
  missingBlueprintId: 'TX_003',
  badPayload: 'TX_004',
  missingPayloadHash: 'TX_005',
  noSignatures: 'TX_006',
  missingPublicKey: 'TX_007',
  missingSignatureValue: 'TX_008',
  missingAlgorithm: 'TX_009',
  futureCreatedAt: 'TX_010',
  badPayloadHash: 'TX_011',
  payloadHashMismatch: 'TX_012',
  unknownAlgorithm: 'TX_017',
  badTransactionId: 'TX_018',
  badPublicKey: 'TX_019',
  badSignatureValue: 'TX_020',
  unsupportedAlgorithm: 'TX_021',
  signatureInvalid: 'TX_022',
  badCreatedAt: 'TX_023',
  wrongType: 'TX_024',
  badOptionalField: 'TX_025',
  expired: 'TX_026',
  unknownRegister: 'TX_027',
  otherOrganisation: 'TX_028',
  badBody: 'TX_029',
  tooLarge: 'TX_030',
} as const;

export interface CheckedSignature {
  publicKey: Buffer;
  signature: Buffer;
}

export interface CheckedTransaction {
  /** Lowercased; the key under which the transaction is stored. */
  transactionId: string;
  /** As sent: it is part of the signed message. */
  transactionIdAsSent: string;
  registerId: string;
  payload: Record<string, unknown>;
  payloadHashAsSent: string;
  createdAtMs: number;
  priority: number;
  signatures: CheckedSignature[];
}

export type ShapeCheck = { ok: true; tx: CheckedTransaction } | { ok: false; errors: TxError[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function err(code: string, field: string, message: string): TxError {
  return { code, field, message };
}

function requiredString(body: Record<string, unknown>, field: string, missingCode: string, errors: TxError[]): string | undefined {
  const v = body[field];
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
    errors.push(err(missingCode, field, `${field} is required.`));
    return undefined;
  }
  if (typeof v !== 'string') {
    errors.push(err(TX_CODES.wrongType, field, `${field} must be a string; got ${Array.isArray(v) ? 'array' : typeof v}.`));
    return undefined;
  }
  return v;
}

function parseIsoMs(text: string): number | undefined {
  if (!ISO_DATE.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Structure and encoding rules: everything checkable without state or expensive crypto. Collects all errors. */
export function checkTransactionShape(body: unknown, nowMs: number): ShapeCheck {
  if (!isObject(body)) return { ok: false, errors: [err(TX_CODES.badBody, '$', 'Request body must be a JSON object.')] };
  const errors: TxError[] = [];

  const transactionId = requiredString(body, 'transactionId', TX_CODES.missingTransactionId, errors);
  if (transactionId !== undefined && !isHex64(transactionId)) errors.push(err(TX_CODES.badTransactionId, 'transactionId', 'transactionId must be 64 hexadecimal characters (a SHA-256 in hex).'));
  const registerId = requiredString(body, 'registerId', TX_CODES.missingRegisterId, errors);
  requiredString(body, 'blueprintId', TX_CODES.missingBlueprintId, errors);
  if (body.actionId !== undefined && body.actionId !== null && typeof body.actionId !== 'string' && typeof body.actionId !== 'number') {
    errors.push(err(TX_CODES.wrongType, 'actionId', 'actionId must be a string or a number.'));
  }

  const payload = body.payload;
  if (!isObject(payload)) errors.push(err(TX_CODES.badPayload, 'payload', payload === undefined || payload === null ? 'payload is required.' : 'payload must be a JSON object.'));

  const hashSent = requiredString(body, 'payloadHash', TX_CODES.missingPayloadHash, errors);
  if (hashSent !== undefined && !isHex64(hashSent)) errors.push(err(TX_CODES.badPayloadHash, 'payloadHash', 'payloadHash must be 64 hexadecimal characters (SHA-256 of the compact payload JSON).'));

  const signatures: CheckedSignature[] = [];
  const sigs = body.signatures;
  if (sigs === undefined || sigs === null || (Array.isArray(sigs) && sigs.length === 0)) {
    errors.push(err(TX_CODES.noSignatures, 'signatures', 'signatures must contain at least one signature.'));
  } else if (!Array.isArray(sigs)) {
    errors.push(err(TX_CODES.wrongType, 'signatures', 'signatures must be an array.'));
  } else {
    sigs.forEach((s, i) => {
      const at = `signatures[${i}]`;
      if (!isObject(s)) {
        errors.push(err(TX_CODES.wrongType, at, `${at} must be an object {publicKey, signatureValue, algorithm}.`));
        return;
      }
      const before = errors.length;
      const pk = requiredString(s, 'publicKey', TX_CODES.missingPublicKey, errors);
      const sv = requiredString(s, 'signatureValue', TX_CODES.missingSignatureValue, errors);
      const alg = requiredString(s, 'algorithm', TX_CODES.missingAlgorithm, errors);
      for (let k = before; k < errors.length; k++) errors[k] = { ...errors[k]!, field: `${at}.${errors[k]!.field}`, message: `Signature ${i}: ${errors[k]!.message}` };
      if (alg !== undefined) {
        const name = alg.toUpperCase();
        if (!SORCHA_ALGORITHMS.includes(name)) {
          errors.push(err(TX_CODES.unknownAlgorithm, `${at}.algorithm`, `Signature ${i}: algorithm ${JSON.stringify(alg)} is not one of ${SORCHA_ALGORITHMS.join(', ')}.`));
          return;
        }
        if (name !== 'ED25519') {
          errors.push(err(TX_CODES.unsupportedAlgorithm, `${at}.algorithm`, `Signature ${i}: ${name} is valid in Sorcha but the reference server verifies only ED25519.`));
          return;
        }
      }
      const publicKey = pk === undefined ? undefined : decodeBase64OrUrl(pk);
      if (pk !== undefined && (publicKey === undefined || publicKey.length !== 32)) {
        errors.push(err(TX_CODES.badPublicKey, `${at}.publicKey`, `Signature ${i}: publicKey must be base64url (or base64) of a 32-byte Ed25519 key.`));
      }
      const signature = sv === undefined ? undefined : decodeBase64OrUrl(sv);
      if (sv !== undefined && (signature === undefined || signature.length !== 64)) {
        errors.push(err(TX_CODES.badSignatureValue, `${at}.signatureValue`, `Signature ${i}: signatureValue must be base64url (or base64) of a 64-byte Ed25519 signature.`));
      }
      if (publicKey?.length === 32 && signature?.length === 64) signatures.push({ publicKey, signature });
    });
  }

  let createdAtMs: number | undefined;
  if (body.createdAt === undefined || body.createdAt === null || typeof body.createdAt !== 'string' || (createdAtMs = parseIsoMs(body.createdAt)) === undefined) {
    errors.push(err(TX_CODES.badCreatedAt, 'createdAt', 'createdAt is required as an ISO 8601 timestamp with a time zone, e.g. 2026-03-15T10:00:00.000Z.'));
  } else if (createdAtMs > nowMs + MAX_FUTURE_SKEW_MS) {
    errors.push(err(TX_CODES.futureCreatedAt, 'createdAt', 'createdAt is more than 5 minutes in the future.'));
  }

  if (body.expiresAt !== undefined && body.expiresAt !== null) {
    const exp = typeof body.expiresAt === 'string' ? parseIsoMs(body.expiresAt) : undefined;
    if (exp === undefined) errors.push(err(TX_CODES.badOptionalField, 'expiresAt', 'expiresAt must be an ISO 8601 timestamp with a time zone.'));
    else if (exp <= nowMs) errors.push(err(TX_CODES.expired, 'expiresAt', 'The transaction has expired (expiresAt is in the past).'));
  }
  let priority = 1;
  if (body.priority !== undefined && body.priority !== null) {
    if (body.priority === 0 || body.priority === 1 || body.priority === 2) priority = body.priority;
    else errors.push(err(TX_CODES.badOptionalField, 'priority', 'priority must be 0 (low), 1 (normal) or 2 (high).'));
  }
  if (body.previousTransactionId !== undefined && body.previousTransactionId !== null && typeof body.previousTransactionId !== 'string') {
    errors.push(err(TX_CODES.badOptionalField, 'previousTransactionId', 'previousTransactionId must be a string.'));
  }
  if (body.metadata !== undefined && body.metadata !== null && (!isObject(body.metadata) || Object.values(body.metadata).some((v) => typeof v !== 'string'))) {
    errors.push(err(TX_CODES.badOptionalField, 'metadata', 'metadata must be an object whose values are strings.'));
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    tx: {
      transactionId: transactionId!.toLowerCase(),
      transactionIdAsSent: transactionId!,
      registerId: registerId!,
      payload: payload as Record<string, unknown>,
      payloadHashAsSent: hashSent!,
      createdAtMs: createdAtMs!,
      priority,
      signatures,
    },
  };
}

export type Verifier = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => Promise<boolean> | boolean;

/** Hash and signature rules (the expensive part). Resolves to the lowercase payload hash when all hold. */
export async function checkTransactionIntegrity(tx: CheckedTransaction, verify: Verifier = verifyEd25519): Promise<{ ok: true; payloadHash: string } | { ok: false; errors: TxError[] }> {
  const computed = payloadHash(tx.payload);
  if (computed !== tx.payloadHashAsSent.toLowerCase()) {
    return {
      ok: false,
      errors: [
        err(
          TX_CODES.payloadHashMismatch,
          'payloadHash',
          `Payload hash mismatch: the server computed ${computed} over the compact JSON of the payload as sent (keys in the order sent, no whitespace).`,
        ),
      ],
    };
  }
  const message = transactionSigningMessage(tx.transactionIdAsSent, tx.payloadHashAsSent);
  const errors: TxError[] = [];
  const results = await Promise.all(tx.signatures.map((s) => verify(s.publicKey, message, s.signature)));
  results.forEach((ok, i) => {
    if (!ok) {
      errors.push(err(TX_CODES.signatureInvalid, `signatures[${i}].signatureValue`, `Signature ${i} does not verify: it must be Ed25519 over the 32 bytes SHA-256("{transactionId}:{payloadHash}").`));
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, payloadHash: computed };
}
