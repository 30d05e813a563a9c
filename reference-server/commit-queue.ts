// Group commit: verified transactions arriving in the same event-loop turn are written in one
// SQLite transaction, and each request is answered only after its batch committed. One commit
// per turn instead of one per request is what makes a durable 200 cheap.
import type { NewTransaction, Store } from './store.ts';

interface Waiting {
  tx: NewTransaction;
  priority: number;
  resolve: (inserted: boolean) => void;
  reject: (err: unknown) => void;
}

export interface Committed {
  tx: NewTransaction;
  priority: number;
}

export class CommitQueue {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly store: Store,
    private readonly onCommitted: (committed: Committed[]) => void,
  ) {}

  /** Resolves true once committed, false when the (registerId, transactionId) pair already existed. */
  submit(tx: NewTransaction, priority: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ tx, priority, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  get size(): number {
    return this.waiting.length;
  }

  /** Commits everything queued now (also called on shutdown so no accepted request is lost). */
  flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    let inserted: boolean[];
    try {
      inserted = this.store.insertTransactions(batch.map((w) => w.tx));
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    const committed: Committed[] = [];
    batch.forEach((w, i) => {
      if (inserted[i]) committed.push({ tx: w.tx, priority: w.priority });
    });
    // Dockets are fed before answering so a docket never misses a transaction its client saw acknowledged.
    this.onCommitted(committed);
    batch.forEach((w, i) => w.resolve(inserted[i]!));
  }
}
