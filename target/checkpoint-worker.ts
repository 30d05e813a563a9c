// Runs SQLite WAL checkpoints on a worker thread. A checkpoint copies the WAL into the database
// and fsyncs it; done inside a commit on the main thread (SQLite's default auto-checkpoint) it
// stalls every in-flight request for tens of milliseconds. PASSIVE never blocks the writer.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new Database(file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: the next round tries again.
  }
}, intervalMs);
parentPort?.on('message', (m: unknown) => {
  if (m === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort?.close();
  }
});
