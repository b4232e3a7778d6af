// @ts-check
/**
 * The thread behind `WalCheckpoints` (wal-checkpoints.ts). Every `everyMs` it runs a PASSIVE
 * checkpoint through a connection of its own: the WAL's frames are copied into the database file
 * (the WAL synced first and the file after) without blocking writers or readers.
 *
 * Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader the main
 * thread runs under.
 *
 * workerData: `{databaseFile, everyMs}`.
 * Replies: `{kind: 'ready'}` | `{kind: 'checkpointed', frames}` (after a round that found frames
 * to copy: how many of the WAL's frames are in the database file now) | `{kind: 'failed', message}`
 * (each new failure once; the next round tries again).
 * Request: `{kind: 'stop'}`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const port = parentPort;
if (port === null) throw new Error('wal-checkpoint-worker.mjs runs as a worker thread');
const { databaseFile, everyMs } = workerData;

const connection = new Database(databaseFile, { timeout: 0 });
connection.pragma('synchronous = FULL');
const passiveCheckpoint = connection.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let lastFailure = '';
let lastCheckpointed = -1;

const timer = setInterval(() => {
  try {
    const { busy, checkpointed } = /** @type {{busy: number, log: number, checkpointed: number}} */ (passiveCheckpoint.get());
    lastFailure = '';
    if (busy === 0 && checkpointed > 0 && checkpointed !== lastCheckpointed) port.postMessage({ kind: 'checkpointed', frames: checkpointed });
    lastCheckpointed = checkpointed;
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
