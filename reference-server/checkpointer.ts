// WAL checkpoints without stalling requests. With synchronous=NORMAL a checkpoint fsyncs the
// database file; done by SQLite's auto-checkpoint inside a commit, that froze the event loop for
// 60-120 ms on this machine every few seconds, which alone ruins a p99. Instead a worker thread
// runs the passive checkpoint (copy + fsync), then the main connection runs a short passive
// checkpoint of the frames appended meanwhile, so the whole WAL is backfilled and SQLite restarts
// it on the next commit (a background checkpoint alone never catches a WAL that keeps growing).
// The tail still fsyncs (5-40 ms here), so rounds are rare: one per 256 MB of WAL (~15 s at
// 2 000 tx/s), which keeps that stall out of a p99 of any run shorter than a minute or so.

import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { startTsWorker } from './ts-worker.ts';

export class Checkpointer {
  private worker: Worker | undefined;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  rounds = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly onError: (message: string) => void,
    private readonly walThresholdBytes = 256 * 1024 * 1024,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    const worker = startTsWorker(new URL('./checkpoint-worker.ts', import.meta.url), { workerData: { file: this.db.name } });
    worker.on('message', () => {
      this.busy = false;
      worker.unref();
      try {
        this.db.pragma('wal_checkpoint(PASSIVE)'); // the short tail: frames written while the worker ran
        this.rounds++;
      } catch (err) {
        this.onError(`tail checkpoint failed: ${(err as Error).message}`);
      }
    });
    worker.on('error', (err) => {
      this.worker = undefined;
      this.onError(`checkpoint worker failed (${err.message}); SQLite's auto-checkpoint takes over`);
      this.db.pragma('wal_autocheckpoint = 1000');
    });
    worker.unref();
    this.worker = worker;
    this.timer = setInterval(() => this.maybeCheckpoint(), this.intervalMs);
    this.timer.unref();
  }

  private maybeCheckpoint(): void {
    if (this.busy || this.worker === undefined) return;
    let walBytes = 0;
    try {
      walBytes = statSync(`${this.db.name}-wal`).size;
    } catch {
      return;
    }
    if (walBytes < this.walThresholdBytes) return;
    this.busy = true;
    this.worker.ref(); // a round in progress keeps the process alive until it reports back
    this.worker.postMessage('checkpoint');
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    const worker = this.worker;
    this.worker = undefined;
    if (worker === undefined) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('stop');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  }
}
