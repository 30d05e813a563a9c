// SIGNING=presigned: transactions signed before the run by tools/presign/presign.ts, read once
// into a SharedArray (one copy for all VUs, not one per VU) and handed out so that no two
// submissions anywhere in the test, across VUs, scenarios and k6 instances, use the same entry:
// the slot comes from exec.scenario.iterationInTest, which k6 keeps unique across instances.
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import { PRESIGNED_CORRIDOR, type PresignedHeader, parsePresignedEntry, parsePresignedHeader, presignedSlot } from '../shared/presigned.ts';
import { makePayloadJson, type SignatureEntry } from '../shared/transactions.ts';
import { sha256Hex } from './crypto.ts';

export interface PresignedTransaction {
  transactionId: string;
  payloadJson: string;
  payloadHash: string;
  signature: SignatureEntry;
}

export interface PresignedSource {
  next(payloadBytes: number): PresignedTransaction;
}

// Built in the init context (SharedArray must be) and only when the mode asks for it, so other
// modes never read the file.
const presignedFile = __ENV.SIGNING === 'presigned' ? __ENV.PRESIGNED_FILE : undefined;
const shared: readonly unknown[] | undefined =
  presignedFile === undefined || presignedFile === ''
    ? undefined
    : new SharedArray('ledger-perf-presigned', () => {
        const lines = open(presignedFile).split('\n');
        const header = parsePresignedHeader(lines[0] ?? '', `PRESIGNED_FILE ${presignedFile}`);
        const total = header.pools.reduce((n, p) => n + p.count, 0);
        if (lines.length < total + 1 || !parsePresignedEntry(lines[total]!)) {
          throw new Error(`PRESIGNED_FILE ${presignedFile}: the header lists ${total} entries but the file ends before line ${total + 1}; regenerate it`);
        }
        // Entry lines stay strings (parsed per use): a parsed array per entry would cost several
        // times the file's size at load.
        lines[0] = header as unknown as string;
        lines.length = total + 1;
        return lines;
      });

function scenarioPosition(): { index: number; count: number } {
  const names = Object.keys(exec.test.options.scenarios ?? {}).sort();
  const index = names.indexOf(exec.scenario.name);
  return { index: Math.max(index, 0), count: Math.max(1, names.length) };
}

/** The pre-signed transactions of this run; throws when SIGNING=presigned found no file at init. */
export function presignedSource(slotsPerIteration: number): PresignedSource {
  if (!shared) throw new Error('SIGNING=presigned needs PRESIGNED_FILE (the file tools/presign/presign.ts wrote) at init');
  const header = shared[0] as PresignedHeader;
  const starts = new Map<number, { start: number; count: number }>();
  let offset = 1;
  for (const p of header.pools) {
    starts.set(p.payloadBytes, { start: offset, count: p.count });
    offset += p.count;
  }
  const position = scenarioPosition();
  let lastIteration = -1;
  let submitInIteration = 0;
  return {
    next(payloadBytes) {
      const pool = starts.get(payloadBytes);
      if (!pool) {
        exec.test.abort(
          `SIGNING=presigned: PRESIGNED_FILE has no pool for ${payloadBytes}-byte payloads (it has ${header.pools.map((p) => p.payloadBytes).join(', ')}); presign with --payload-bytes ${payloadBytes}`,
        );
      }
      const iteration = exec.scenario.iterationInTest;
      if (iteration !== lastIteration) {
        lastIteration = iteration;
        submitInIteration = 0;
      }
      if (submitInIteration >= slotsPerIteration) {
        exec.test.abort(`SIGNING=presigned: an iteration submitted more than PRESIGNED_SLOTS=${slotsPerIteration} transactions; raise PRESIGNED_SLOTS`);
      }
      const slot = presignedSlot(iteration, position.index, position.count, slotsPerIteration, submitInIteration++);
      if (slot >= pool!.count) {
        exec.test.abort(
          `SIGNING=presigned: the ${payloadBytes}-byte pool of PRESIGNED_FILE is used up (${pool!.count} entries, slot ${slot} wanted: ` +
            `iteration ${iteration} × ${position.count} scenario(s) × PRESIGNED_SLOTS=${slotsPerIteration}); presign a larger --count`,
        );
      }
      const fields = parsePresignedEntry(shared[pool!.start + slot] as string);
      if (!fields) exec.test.abort(`SIGNING=presigned: line ${pool!.start + slot + 1} of PRESIGNED_FILE is not "transactionId payloadHash signature"; regenerate the file`);
      const [transactionId, payloadHash, signatureValue] = fields!;
      const payloadJson = makePayloadJson(payloadBytes, { seq: slot, vu: 0, corridor: PRESIGNED_CORRIDOR });
      // Rebuilt here rather than stored, so the check is cheap insurance against a changed payload rule.
      if (sha256Hex(payloadJson) !== payloadHash) {
        exec.test.abort(`SIGNING=presigned: entry ${slot} of the ${payloadBytes}-byte pool does not match this build's payload rule; regenerate PRESIGNED_FILE with this version`);
      }
      return { transactionId, payloadJson, payloadHash, signature: { publicKey: header.publicKey, signatureValue, algorithm: 'ED25519' } };
    },
  };
}
