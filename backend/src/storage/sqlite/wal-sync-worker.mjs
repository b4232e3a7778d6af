// @ts-check
/**
 * The thread behind `WalSync` (wal-sync.ts): on request, fsync the `-wal` file and answer.
 * Everything written to the WAL before a request is on disk when its answer comes.
 *
 * Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader the main
 * thread runs under, and this file needs nothing but `node:fs`.
 *
 * Requests: `{kind: 'sync', id}` | `{kind: 'stop'}`.
 * Replies: `{kind: 'ready'}` | `{kind: 'synced', id}` | `{kind: 'failed', id, message}`.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const port = parentPort;
if (port === null) throw new Error('wal-sync-worker.mjs runs as a worker thread');
// fsync applies to the file, whichever descriptor asks; a read-only one is enough on Linux.
const walFd = openSync(workerData.walFile, 'r');

port.on('message', (/** @type {{kind: 'sync', id: number} | {kind: 'stop'}} */ request) => {
  if (request.kind === 'stop') {
    closeSync(walFd);
    port.close();
    return;
  }
  try {
    fsyncSync(walFd);
    port.postMessage({ kind: 'synced', id: request.id });
  } catch (error) {
    port.postMessage({ kind: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) });
  }
});

port.postMessage({ kind: 'ready' });
