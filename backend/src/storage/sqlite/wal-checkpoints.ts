import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/** The messages of wal-checkpoint-worker.mjs. */
type WalCheckpointReply =
  | { kind: 'ready' }
  | { kind: 'checkpointed'; frames: number }
  | { kind: 'failed'; message: string };

export interface WalCheckpointOptions {
  /** How often a PASSIVE checkpoint runs. */
  everyMs: number;
}

export const DEFAULT_WAL_CHECKPOINTS: WalCheckpointOptions = { everyMs: 50 };

/**
 * Copies the WAL into the database file on a thread of its own (wal-checkpoint-worker.mjs), with
 * PASSIVE checkpoints that block neither writers nor readers, so the event loop rarely copies
 * pages or waits for the syncs that go with them.
 *
 * Under steady writes a PASSIVE checkpoint from another thread never quite catches up (frames
 * keep arriving while it runs), so it cannot let the WAL start over by itself. The writing
 * connection's own automatic checkpoint does that: when the WAL reaches its threshold it copies
 * only what this thread has not copied yet — the frames of the last few milliseconds — and, with
 * nothing written meanwhile, the next commit starts the WAL from its beginning. Should this thread
 * fail, that automatic checkpoint simply does all the copying, as it would without it.
 */
export class WalCheckpoints {
  private rounds = 0;
  private lastFailure: string | null = null;
  private exited = false;

  private constructor(private readonly worker: Worker) {
    worker.once('exit', () => {
      this.exited = true;
    });
    worker.on('message', (reply: WalCheckpointReply) => {
      if (reply.kind === 'checkpointed') {
        this.rounds += 1;
      } else if (reply.kind === 'failed') {
        this.lastFailure = reply.message;
      }
    });
    worker.on('error', (error) => {
      this.lastFailure = error.message;
    });
  }

  static async start(databaseFile: string, options: WalCheckpointOptions = DEFAULT_WAL_CHECKPOINTS): Promise<WalCheckpoints> {
    const worker = new Worker(new URL('./wal-checkpoint-worker.mjs', import.meta.url), {
      workerData: { databaseFile, ...options },
      execArgv: [],
    });
    const [first] = (await Promise.race([once(worker, 'message'), once(worker, 'error').then(([error]) => Promise.reject(error))])) as [WalCheckpointReply];
    if (first.kind !== 'ready') throw new Error(`the WAL checkpoint thread did not start: ${JSON.stringify(first)}`);
    worker.unref();
    return new WalCheckpoints(worker);
  }

  /** Rounds that found frames to copy, and the last failure. */
  get progress(): { rounds: number; lastFailure: string | null } {
    return { rounds: this.rounds, lastFailure: this.lastFailure };
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.worker.ref();
    const exited = once(this.worker, 'exit');
    this.worker.postMessage({ kind: 'stop' });
    await exited;
  }
}
