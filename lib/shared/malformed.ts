// The error-handling workload's matrix: malformed or unauthorised requests and the status each
// must get (register-api.md §1–§6, the reference server's docs/reference-server.md). The bodies for the
// transaction endpoint are derived from one valid submission by changing exactly one thing, so
// each case tests one rule. Pure: hashes and signatures are computed by the caller.
import { buildSubmissionBody, type SignatureEntry, type Submission } from './transactions.ts';

export interface MalformedExpectation {
  /** Expected statuses (the contract's; a list where the contract allows either). */
  expected: number[];
  /** The reference server's error code for transaction cases (informational against other platforms). */
  code?: string;
  what: string;
}

/** Every case the workload sends, by its `malformed` tag value. */
export const MALFORMED_CASES = {
  'invalid-json': { expected: [400], what: 'body is not JSON' },
  'not-an-object': { expected: [400], code: 'TX_029', what: 'body is a JSON array' },
  'missing-fields': { expected: [400], code: 'TX_001', what: 'empty JSON object' },
  'wrong-types': { expected: [400], code: 'TX_024', what: 'transactionId is a number' },
  'bad-hex': { expected: [400], code: 'TX_018', what: 'transactionId is not 64 hex characters' },
  'bad-base64': { expected: [400], code: 'TX_020', what: 'signatureValue is not base64' },
  'wrong-signature': { expected: [400], code: 'TX_022', what: 'signature of a different message' },
  'payload-hash-mismatch': { expected: [400], code: 'TX_012', what: 'payloadHash of other bytes' },
  'unknown-register': { expected: [400], code: 'TX_027', what: 'registerId of no register' },
  'future-created-at': { expected: [400], code: 'TX_010', what: 'createdAt one hour ahead' },
  'unsupported-algorithm': { expected: [400], code: 'TX_021', what: 'NIST-P256 (valid in Sorcha, not verified by the reference server)' },
  'unknown-algorithm': { expected: [400], code: 'TX_017', what: "algorithm outside Sorcha's list" },
  duplicate: { expected: [409], what: 'the same valid transaction sent twice (second answer)' },
  'missing-token': { expected: [401], what: 'no Authorization header' },
  'forged-token': { expected: [401], what: 'JWT with a replaced signature' },
  'other-org-submit': { expected: [403, 404], what: "submit to another organisation's register" },
  'other-org-read': { expected: [403, 404], what: "read another organisation's dockets" },
  'unknown-register-read': { expected: [404], what: 'GET dockets of no register' },
  'unknown-transaction': { expected: [404], what: 'GET a transaction id the register does not have' },
  'bad-docket-number': { expected: [400, 404], what: 'GET /dockets/abc' },
  'missing-docket': { expected: [404], what: 'GET a docket past the register height' },
  'bad-credentials': { expected: [401], what: 'password grant with a wrong password' },
  'token-missing-fields': { expected: [400], what: 'password grant without username and password' },
  'weak-bootstrap': { expected: [400], what: 'bootstrap with an invalid subdomain and a weak password' },
  'sign-bad-base64': { expected: [400], what: 'wallet sign with transactionData that is not base64' },
  'sign-unknown-wallet': { expected: [404], what: 'wallet sign with an address of no wallet' },
  oversize: { expected: [413], what: 'request body over 10 MB (sent once per run)' },
} as const satisfies Record<string, MalformedExpectation>;

export type MalformedCaseId = keyof typeof MALFORMED_CASES;

export interface MalformedBody {
  id: MalformedCaseId;
  body: string;
}

export interface MalformedInputs {
  /** A complete, valid submission (its signature verifies). */
  valid: Submission;
  /** A well-formed Ed25519 signature by the same key over a different message. */
  wrongSignature: SignatureEntry;
  /** SHA-256 hex of some other bytes than the payload. */
  otherHash: string;
  /** A register id (32 hex) no register has. */
  unknownRegisterId: string;
  nowMs: number;
}

const withSignature = (s: Submission, patch: Partial<SignatureEntry> | Record<string, string>): Submission => ({
  ...s,
  signatures: [{ ...s.signatures[0]!, ...patch } as SignatureEntry],
});

/** Bodies for POST …/transactions/validate, each breaking exactly one rule of a valid submission. */
export function malformedSubmissions(input: MalformedInputs): MalformedBody[] {
  const v = input.valid;
  const body = (s: Submission) => buildSubmissionBody(s);
  const valid = body(v);
  return [
    { id: 'invalid-json', body: valid.slice(0, Math.floor(valid.length / 2)) },
    { id: 'not-an-object', body: '[1,2,3]' },
    { id: 'missing-fields', body: '{}' },
    { id: 'wrong-types', body: valid.replace(`"transactionId":"${v.transactionId}"`, '"transactionId":12345') },
    { id: 'bad-hex', body: body({ ...v, transactionId: 'z'.repeat(64) }) },
    { id: 'bad-base64', body: body(withSignature(v, { signatureValue: '***not base64***' })) },
    { id: 'wrong-signature', body: body({ ...v, signatures: [input.wrongSignature] }) },
    { id: 'payload-hash-mismatch', body: body({ ...v, payloadHash: input.otherHash }) },
    { id: 'unknown-register', body: body({ ...v, registerId: input.unknownRegisterId }) },
    { id: 'future-created-at', body: body({ ...v, createdAt: new Date(input.nowMs + 60 * 60 * 1000).toISOString() }) },
    { id: 'unsupported-algorithm', body: body(withSignature(v, { algorithm: 'NIST-P256' })) },
    { id: 'unknown-algorithm', body: body(withSignature(v, { algorithm: 'ROT13' })) },
  ];
}

/** The token with its signature replaced: well-formed, but no server can have issued it. */
export function forgeToken(token: string): string {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('forgeToken: not a JWT (expected header.payload.signature)');
  const replacement = parts[2]!.startsWith('A') ? 'B' : 'A';
  return `${parts[0]}.${parts[1]}.${replacement.repeat(Math.max(43, parts[2]!.length))}`;
}

/** A JSON body just over `limitBytes` (the contract's 10 MB), cheap to build. */
export function oversizeBody(limitBytes = 10 * 1024 * 1024): string {
  return `{"transactionId":"${'a'.repeat(limitBytes + 1024)}"}`;
}

/** Was the answer a rejection (4xx)? 2xx means a malformed request got through; 5xx a crash. */
export function isRejection(status: number): boolean {
  return status >= 400 && status < 500;
}
