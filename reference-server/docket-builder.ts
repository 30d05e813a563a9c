// Seals verified transactions into dockets per register: when the oldest pending transaction has
// waited docket-time-ms, or as soon as docket-size are pending; at most docket-max-tx each, never
// an empty docket. Each seal is one SQLite transaction (docket row + docket numbers), so a crash
// or a shutdown can never leave half a docket; pending transactions are reloaded at start.
import { docketHash, leafHash, merkleRoot } from './hashing.ts';
import type { Store } from './store.ts';

export interface PendingTx {
  txId: string;
  payloadHash: string;
  createdAtMs: number;
  priority: number;
  addedAtMs: number;
}

interface Chain {
  registerId: string;
  nextNumber: number;
  lastHash: string;
  lastTimestampMs: number;
  pending: PendingTx[];
  /** When the current wait for a time-triggered seal began. */
  pendingSince: number | undefined;
}

export interface DocketBuilderOptions {
  docketTimeMs: number;
  docketSize: number;
  docketMaxTransactions: number;
  onSealed?: (registerId: string, number: number) => void;
  onError?: (err: unknown) => void;
}

export class DocketBuilder {
  private readonly chains = new Map<string, Chain>();
  private timer: NodeJS.Timeout | undefined;
  private pendingTotal = 0;

  constructor(
    private readonly store: Store,
    private readonly options: DocketBuilderOptions,
  ) {}

  /** Rebuilds chain heads and pending queues from the database (after a restart or a crash). */
  load(): void {
    for (const d of this.store.lastDockets()) {
      this.chains.set(d.register_id, {
        registerId: d.register_id,
        nextNumber: d.number + 1,
        lastHash: d.hash,
        lastTimestampMs: d.timestamp_ms,
        pending: [],
        pendingSince: undefined,
      });
    }
    const now = Date.now();
    for (const t of this.store.unsealedTransactions()) {
      const chain = this.chains.get(t.register_id);
      if (chain === undefined) continue; // cannot happen: registers are created with docket 0
      chain.pending.push({ txId: t.tx_id, payloadHash: t.payload_hash, createdAtMs: t.created_at_ms, priority: 1, addedAtMs: now });
      chain.pendingSince ??= now;
      this.pendingTotal++;
    }
  }

  start(): void {
    const period = Math.max(5, Math.min(100, Math.floor(this.options.docketTimeMs / 4)));
    this.timer = setInterval(() => this.tick(), period);
    this.timer.unref();
    for (const chain of this.chains.values()) this.sealWhileFull(chain);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A new register whose genesis docket 0 is already stored. */
  addRegister(registerId: string, genesisHash: string, genesisTimestampMs: number): void {
    this.chains.set(registerId, { registerId, nextNumber: 1, lastHash: genesisHash, lastTimestampMs: genesisTimestampMs, pending: [], pendingSince: undefined });
  }

  add(registerId: string, tx: PendingTx): void {
    const chain = this.chains.get(registerId);
    if (chain === undefined) throw new Error(`no docket chain for register ${registerId}`);
    chain.pending.push(tx);
    chain.pendingSince ??= Date.now();
    this.pendingTotal++;
    try {
      this.sealWhileFull(chain);
    } catch (err) {
      // The transaction is committed and pending; the timer seals it once storage works again.
      this.options.onError?.(err);
    }
  }

  pending(registerId: string): readonly PendingTx[] {
    return this.chains.get(registerId)?.pending ?? [];
  }

  get totalPending(): number {
    return this.pendingTotal;
  }

  height(registerId: string): number {
    return this.chains.get(registerId)?.nextNumber ?? 0;
  }

  private sealWhileFull(chain: Chain): void {
    while (chain.pending.length >= this.options.docketSize) this.seal(chain);
  }

  private tick(): void {
    const now = Date.now();
    for (const chain of this.chains.values()) {
      if (chain.pending.length > 0 && chain.pendingSince !== undefined && now - chain.pendingSince >= this.options.docketTimeMs) {
        try {
          this.seal(chain);
        } catch (err) {
          // Nothing changed in memory (the chain advances only after the docket is stored): retry next tick.
          this.options.onError?.(err);
        }
      }
    }
  }

  private seal(chain: Chain): void {
    const take = chain.pending.slice(0, this.options.docketMaxTransactions);
    if (take.length === 0) return;
    const root = merkleRoot(take.map((t) => leafHash(t.txId, t.payloadHash, t.createdAtMs)));
    // Strictly increasing timestamps keep the chain's order visible even within one millisecond.
    const timestampMs = Math.max(Date.now(), chain.lastTimestampMs + 1);
    const number = chain.nextNumber;
    const hash = docketHash({ registerId: chain.registerId, docketNumber: number, previousHash: chain.lastHash, merkleRoot: root, timestampMs });
    const txIds = take.map((t) => t.txId);
    this.store.sealDocket({ register_id: chain.registerId, number, previous_hash: chain.lastHash, hash, merkle_root: root, timestamp_ms: timestampMs, tx_ids: JSON.stringify(txIds) }, txIds);
    chain.pending.splice(0, take.length);
    this.pendingTotal -= take.length;
    chain.nextNumber = number + 1;
    chain.lastHash = hash;
    chain.lastTimestampMs = timestampMs;
    chain.pendingSince = chain.pending.length > 0 ? Date.now() : undefined;
    this.options.onSealed?.(chain.registerId, number);
  }
}
