import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/** The messages of wal-checkpoint-worker.mjs. */
type WalCheckpointReply =
  | { kind: 'ready' }
  | { kind: 'checkpointed'; frames: number; restarted: boolean }
  | { kind: 'failed'; message: string };

export interface WalCheckpointOptions {
  /** How often a PASSIVE checkpoint runs. */
  everyMs: number;
  /** WAL size, in frames (pages), past which a RESTART checkpoint lets the WAL start over. */
  restartAfterFrames: number;
}

export const DEFAULT_WAL_CHECKPOINTS: WalCheckpointOptions = { everyMs: 50, restartAfterFrames: 4_000 };

/**
 * Checkpoints the WAL on a thread of its own (wal-checkpoint-worker.mjs), so that the event loop
 * rarely copies pages into the database file or waits for the syncs that go with it: PASSIVE
 * checkpoints copy the WAL without blocking anyone, and past `restartAfterFrames` a RESTART lets
 * it start over. The connection the server writes through keeps SQLite's automatic checkpoint, at
 * a larger WAL, as the fallback: should this thread fail, or steady writes keep its RESTART from
 * ever getting in, that checkpoint lets the WAL start over instead.
 */
export class WalCheckpoints {
  private rounds = 0;
  private restarts = 0;
  private lastFailure: string | null = null;
  private exited = false;

  private constructor(private readonly worker: Worker) {
    worker.once('exit', () => {
      this.exited = true;
    });
    worker.on('message', (reply: WalCheckpointReply) => {
      if (reply.kind === 'checkpointed') {
        this.rounds += 1;
        if (reply.restarted) this.restarts += 1;
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
    // once() rejects with the worker's 'error' event if that comes first.
    const [first] = (await once(worker, 'message')) as [WalCheckpointReply];
    if (first.kind !== 'ready') throw new Error(`the WAL checkpoint thread did not start: ${JSON.stringify(first)}`);
    worker.unref();
    return new WalCheckpoints(worker);
  }

  /** Rounds that copied frames, RESTARTs that let the WAL start over, and the last failure. */
  get progress(): { rounds: number; restarts: number; lastFailure: string | null } {
    return { rounds: this.rounds, restarts: this.restarts, lastFailure: this.lastFailure };
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.worker.ref();
    const exited = once(this.worker, 'exit');
    this.worker.postMessage({ kind: 'stop' });
    await exited;
  }
}
