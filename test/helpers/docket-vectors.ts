// The committed docket hashing vectors (test/fixtures/docket-vectors.json), typed. Both hashing
// implementations (lib/shared/docket-verify.ts, run inside k6, and reference-server/hashing.ts)
// are tested against this one file, and neither test computes its own expected values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './paths.ts';

export interface VectorTransaction {
  transactionId: string;
  payloadHash: string;
  createdAt: string;
  timestampMs: number;
  leafHash: string;
}

export interface VectorHeader {
  registerId: string;
  docketNumber: number;
  previousHash: string | null;
  merkleRoot: string;
  timestampMs: number;
  hash: string;
}

export interface VectorDocket extends VectorHeader {
  timeStamp: string;
  transactions: VectorTransaction[];
}

export interface DocketVectors {
  leaves: VectorTransaction[];
  merkleRoots: Array<{ leaves: string[]; root: string }>;
  docketHeaders: VectorHeader[];
  /** A valid chain: genesis, then dockets linked by previousHash. */
  chain: VectorDocket[];
}

export const docketVectors = JSON.parse(readFileSync(join(projectRoot, 'test', 'fixtures', 'docket-vectors.json'), 'utf8')) as DocketVectors;
