// Worker half of the WAL checkpointer (see checkpointer.ts): copies WAL frames into the database
// and fsyncs it, the slow part, away from the event loop. Runs only when asked, so the main
// thread can follow each round with a short tail checkpoint that lets SQLite reset the WAL.

import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file } = workerData as { file: string };
const db = new Database(file);
db.pragma('busy_timeout = 0');
db.pragma('synchronous = NORMAL');

parentPort!.on('message', (m: unknown) => {
  if (m === 'checkpoint') {
    let result: unknown = null;
    try {
      result = db.pragma('wal_checkpoint(PASSIVE)');
    } catch (err) {
      result = { error: (err as Error).message };
    }
    parentPort!.postMessage({ done: true, result });
  } else if (m === 'stop') {
    db.close();
    parentPort!.close();
  }
});
