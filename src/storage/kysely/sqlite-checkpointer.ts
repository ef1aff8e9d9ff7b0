// WAL checkpoints of the metadata database on a thread of their own. SQLite's automatic
// checkpoint runs inside whichever commit takes the WAL past 1,000 pages: it copies them into the
// database file and syncs both files (5–30 ms on a small disk) while the event loop waits, so
// every request in flight waits too (a few times a second under a labelling queue's load). Here
// the connection checkpoints by itself only far later (a backstop), and once the WAL has grown
// past a first megabyte a worker thread with a connection of its own runs a PASSIVE checkpoint
// (never waiting for readers or writers) every 100 ms. The writer restarts a fully copied WAL
// from its start as before, so the file stays small. Short-lived databases (most tests) never
// start the thread.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database as SqliteDatabase } from 'better-sqlite3';

/** WAL pages after which the connection still checkpoints by itself (should the thread fall behind or stop). */
export const BACKSTOP_PAGES = 10_000;
/** WAL size that starts the checkpoint thread. */
export const START_AT_BYTES = 1 << 20;
const CHECK_EVERY_MS = 500;
const CHECKPOINT_EVERY_MS = 100;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 100');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or gone: the next turn tries again */ }
}, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  try { db.close(); } catch { /* already closed */ }
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stop checking and end the thread (when the connection closes). */
  stop(): void;
}

/**
 * Move the checkpoints of `database` (open on `file`, in WAL mode) to a worker thread once its
 * WAL grows. Example: `const checkpoints = checkpointInBackground(database, '/data/flywheel.db')`.
 */
export function checkpointInBackground(database: SqliteDatabase, file: string): Checkpointer {
  database.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  let worker: Worker | undefined;
  let stopped = false;
  const walSize = (): number => {
    try {
      return statSync(`${file}-wal`).size;
    } catch {
      return 0;
    }
  };
  const start = () => {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, everyMs: CHECKPOINT_EVERY_MS } });
    worker.unref();
    // Should the thread fail, the connection's own (backstop) checkpoints still bound the WAL.
    worker.on('error', () => undefined);
  };
  const check = setInterval(() => {
    if (stopped || walSize() < START_AT_BYTES) return;
    clearInterval(check);
    start();
  }, CHECK_EVERY_MS);
  check.unref();
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(check);
      worker?.postMessage('stop');
    },
  };
}
