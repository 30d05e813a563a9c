// What every route needs, built once per server: settings, storage, the ledger machinery and
// the in-memory indexes that keep the hot path off the database.

import type { CommitQueue } from './commit-queue.ts';
import type { ReferenceServerConfig } from './config.ts';
import type { DocketBuilder } from './docket-builder.ts';
import type { AttestationData } from './hashing.ts';
import type { Metrics } from './metrics.ts';
import type { Store } from './store.ts';
import type { Verifier } from './transaction-rules.ts';

export interface RegisterInfo {
  id: string;
  orgId: string;
  name: string;
  description: string | null;
  advertise: boolean;
  metadata: Record<string, string>;
  createdAt: string;
}

export interface PendingAttestation {
  userId: string;
  walletAddress: string;
  attestationData: AttestationData;
  /** The 32 bytes whose hex went out as dataToSign: what the signature must cover. */
  digest: Buffer;
}

export interface PendingRegistration {
  registerId: string;
  orgId: string;
  initiatedBy: string;
  name: string;
  description: string | null;
  advertise: boolean;
  metadata: Record<string, string>;
  nonce: string;
  expiresAtMs: number;
  /** Keyed by `{role}:{subject}`. */
  attestations: Map<string, PendingAttestation>;
}

export interface Context {
  config: ReferenceServerConfig;
  jwtSecret: Buffer;
  store: Store;
  metrics: Metrics;
  commits: CommitQueue;
  dockets: DocketBuilder;
  verifier: Verifier;
  registers: Map<string, RegisterInfo>;
  pendingRegistrations: Map<string, PendingRegistration>;
}
