// @ts-check
/**
 * The thread behind `WalCheckpoints` (wal-checkpoints.ts). Every `everyMs` it runs a PASSIVE
 * checkpoint through a connection of its own: the WAL's frames are copied into the database file
 * (the WAL synced first and the file after) without blocking writers or readers. Under steady
 * writes a PASSIVE checkpoint never quite catches up, so the WAL would never start over; once it
 * holds `restartAfterFrames` frames, a RESTART checkpoint copies the few frames left while it
 * briefly holds writers back, and the next commit starts the WAL from its beginning again. (If
 * writers never leave it a moment, the RESTART gives up after its busy timeout and the writing
 * connection's own automatic checkpoint, set higher, lets the WAL start over instead.)
 *
 * Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader the main
 * thread runs under.
 *
 * workerData: `{databaseFile, everyMs, restartAfterFrames}`.
 * Replies: `{kind: 'ready'}` | `{kind: 'checkpointed', frames, restarted}` (after every round that
 * copied frames) | `{kind: 'failed', message}` (each new failure once; the next round tries again).
 * Request: `{kind: 'stop'}`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const port = parentPort;
if (port === null) throw new Error('wal-checkpoint-worker.mjs runs as a worker thread');
const { databaseFile, everyMs, restartAfterFrames } = workerData;

// A very short busy timeout: while a RESTART waits for the writer lock it holds the checkpoint
// lock, which keeps the writing connection's fallback checkpoint out. A commit takes well under a
// millisecond, so a few milliseconds are enough to find a gap, and short enough that under writes
// that never pause the fallback still gets its turn.
const connection = new Database(databaseFile, { timeout: 3 });
connection.pragma('synchronous = FULL');
const checkpoint = (/** @type {string} */ mode) =>
  /** @type {{busy: number, log: number, checkpointed: number}} */ (connection.prepare(`PRAGMA wal_checkpoint(${mode})`).get());
let lastFailure = '';

const timer = setInterval(() => {
  try {
    let result = checkpoint('PASSIVE');
    let restarted = false;
    if (result.log >= restartAfterFrames) {
      result = checkpoint('RESTART');
      restarted = result.busy === 0;
    }
    lastFailure = '';
    if (result.checkpointed > 0 || restarted) port.postMessage({ kind: 'checkpointed', frames: result.checkpointed, restarted });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message !== lastFailure) port.postMessage({ kind: 'failed', message });
    lastFailure = message;
  }
}, everyMs);

port.on('message', (/** @type {{kind: 'stop'}} */ request) => {
  if (request.kind !== 'stop') return;
  clearInterval(timer);
  connection.close();
  port.close();
});

port.postMessage({ kind: 'ready' });
