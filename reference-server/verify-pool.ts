// Ed25519 verification off the event loop: signatures collected during one event-loop turn are
// packed into one buffer per worker and verified on worker threads, so the HTTP thread spends
// its time on HTTP and SQLite. Every transaction signature covers a 32-byte SHA-256, so records
// have a fixed size. With no workers (threads = 0) verification runs inline.

import type { Worker } from 'node:worker_threads';
import { verifyEd25519 } from './ed25519.ts';
import { startTsWorker } from './ts-worker.ts';

export const RECORD_BYTES = 32 + 32 + 64;

interface Pending {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  resolve: (ok: boolean) => void;
}

interface Slot {
  worker: Worker;
  inflight: number;
  batches: Map<number, Pending[]>;
}

export class VerifyPool {
  private readonly slots: Slot[] = [];
  /** Signatures verified by workers (the rest ran inline); exposed so tests can tell. */
  verifiedByWorkers = 0;
  private queue: Pending[] = [];
  private scheduled = false;
  private nextId = 1;

  constructor(threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = startTsWorker(new URL('./verify-worker.ts', import.meta.url));
      const slot: Slot = { worker, inflight: 0, batches: new Map() };
      worker.on('message', (m: { id: number; results: Uint8Array }) => {
        const batch = slot.batches.get(m.id);
        if (batch === undefined) return;
        slot.batches.delete(m.id);
        slot.inflight -= batch.length;
        if (slot.inflight === 0) slot.worker.unref(); // idle workers never keep the process alive
        this.verifiedByWorkers += batch.length;
        batch.forEach((p, k) => p.resolve(m.results[k] === 1));
      });
      worker.on('error', (err) => {
        process.stderr.write(`target: signature worker failed (${err.message}); verifying on the main thread\n`);
        this.failSlot(slot);
      });
      worker.unref();
      this.slots.push(slot);
    }
  }

  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> | boolean {
    if (this.slots.length === 0 || publicKey.length !== 32 || message.length !== 32 || signature.length !== 64) {
      return verifyEd25519(publicKey, message, signature);
    }
    return new Promise((resolve) => {
      this.queue.push({ publicKey, message, signature, resolve });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.dispatch());
      }
    });
  }

  private dispatch(): void {
    this.scheduled = false;
    const all = this.queue;
    this.queue = [];
    if (all.length === 0) return;
    // Split across workers in proportion to nothing fancier than "least loaded first".
    const per = Math.ceil(all.length / this.slots.length);
    for (let start = 0; start < all.length; start += per) {
      const batch = all.slice(start, start + per);
      const slot = this.slots.reduce((a, b) => (b.inflight < a.inflight ? b : a));
      const records = new Uint8Array(batch.length * RECORD_BYTES);
      batch.forEach((p, k) => {
        records.set(p.publicKey, k * RECORD_BYTES);
        records.set(p.message, k * RECORD_BYTES + 32);
        records.set(p.signature, k * RECORD_BYTES + 64);
      });
      const id = this.nextId++;
      slot.batches.set(id, batch);
      if (slot.inflight === 0) slot.worker.ref(); // pending answers must keep the process alive
      slot.inflight += batch.length;
      slot.worker.postMessage({ id, records }, [records.buffer]);
    }
  }

  /** A crashed worker's batches are verified inline rather than lost. */
  private failSlot(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    for (const batch of slot.batches.values()) for (const p of batch) p.resolve(verifyEd25519(p.publicKey, p.message, p.signature));
    slot.batches.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}
