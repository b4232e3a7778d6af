import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../errors.js';

/** The messages of wal-sync-worker.mjs. */
type WalSyncRequest = { kind: 'sync'; id: number } | { kind: 'stop' };
type WalSyncReply = { kind: 'ready' } | { kind: 'synced'; id: number } | { kind: 'failed'; id: number; message: string };

/**
 * A sync starts at least this long after the one before it started. Under a steady load syncs
 * would otherwise run back to back, one per message or two (an fsync takes about a millisecond
 * here), and each costs the thread hand-over, the kernel's journal commit and, through the
 * commits that wait for it, a SQLite commit that writes its pages whole. Waiting out the rest of
 * the interval lets the appends of that time share one commit and one sync; an ack waits at most
 * this much longer, and a lone write (nothing synced within the interval) waits nothing.
 * At 1,200 appends a second, 5 ms costs the store about an eighth less CPU per message than 2 ms,
 * and 10 ms about a fifth less again, for 3 and 5 ms more at the median (docs/SCALING.md).
 */
export const MIN_SYNC_INTERVAL_MS = 5;

interface PendingSync {
  id: number;
  waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
}

/**
 * Makes WAL writes durable off the event loop. A transaction committed with
 * `synchronous = NORMAL` has written its frames to the WAL but not synced them; `afterWrites()`
 * resolves once a sync that began after the call has finished, so everything committed before
 * the call is then on disk — the guarantee of `synchronous = FULL`, without the event loop
 * waiting for the disk. Calls that come while a sync runs share the next one (group commit).
 *
 * The sync runs on a thread of its own (wal-sync-worker.mjs) rather than in libuv's pool, where it
 * would queue behind password hashing.
 */
export class WalSync {
  private nextId = 1;
  private running: PendingSync | null = null;
  private waiting: PendingSync['waiters'] = [];
  private beforeNext: Array<() => void> = [];
  private broken: Error | null = null;
  private completed = 0;
  /** When the last sync started (performance.now()). */
  private lastStart = -Infinity;
  /** Waiting out MIN_SYNC_INTERVAL_MS before the next sync. */
  private hold: NodeJS.Timeout | null = null;
  /** The beforeNextSync callbacks are running: the sync they wait for starts right after them. */
  private starting = false;

  private constructor(
    private readonly worker: Worker,
    private readonly minIntervalMs: number,
  ) {
    worker.on('message', (reply: WalSyncReply) => this.onReply(reply));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', () => this.fail(new Error('the WAL sync thread stopped')));
  }

  /** Starts the sync thread for the WAL of `databaseFile`, which must exist (WAL mode, written once). */
  static async start(databaseFile: string, options: { minIntervalMs?: number } = {}): Promise<WalSync> {
    const worker = new Worker(new URL('./wal-sync-worker.mjs', import.meta.url), {
      workerData: { walFile: `${databaseFile}-wal` },
      execArgv: [],
    });
    // once() rejects with the worker's 'error' event if that comes first.
    const [first] = (await once(worker, 'message')) as [WalSyncReply];
    if (first.kind !== 'ready') throw new Error(`the WAL sync thread did not start: ${JSON.stringify(first)}`);
    worker.unref();
    return new WalSync(worker, options.minIntervalMs ?? MIN_SYNC_INTERVAL_MS);
  }

  /** How many syncs have completed: fewer than the calls of `afterWrites` under load. */
  get syncs(): number {
    return this.completed;
  }

  /** Whether a sync is in flight or about to start: a write made now is on disk only after the next one. */
  get syncing(): boolean {
    return this.running !== null || this.hold !== null;
  }

  /**
   * Runs `callback` just before the next sync starts (once the one in flight has finished and
   * its callers are told, and MIN_SYNC_INTERVAL_MS has passed since it started), so that what the
   * callback writes and waits for with `afterWrites` goes into that next sync. Runs it at once
   * when no sync is in flight or due. Also runs once the syncer has failed (`afterWrites` then
   * refuses), so that nothing waits for ever.
   */
  beforeNextSync(callback: () => void): void {
    if (!this.syncing) {
      callback();
      return;
    }
    // A sync in flight, or the hold before the next, runs the callbacks when the next one starts.
    this.beforeNext.push(callback);
  }

  /** Resolves once everything written to the WAL before this call is on disk. */
  afterWrites(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.broken) {
        reject(new StoreUnavailableError(this.broken));
        return;
      }
      this.waiting.push({ resolve, reject });
      if (this.running === null) this.startNext();
    });
  }

  /** Settles what is waiting (a sync in flight finishes first), then stops the thread. */
  async stop(): Promise<void> {
    if (this.hold !== null) {
      clearTimeout(this.hold);
      this.hold = null;
      this.startDue();
    }
    while (this.running !== null && this.broken === null) await once(this.worker, 'message');
    if (this.broken === null) {
      this.broken = new Error('the store is closed');
      this.worker.ref();
      this.worker.postMessage({ kind: 'stop' } satisfies WalSyncRequest);
      await once(this.worker, 'exit');
    }
  }

  /**
   * Starts a sync for everyone waiting, once MIN_SYNC_INTERVAL_MS has passed since the last one
   * started (until then `hold` waits it out, and the beforeNextSync callbacks run when it ends).
   * The thread keeps the process alive only while a sync runs or is due.
   */
  private startNext(): void {
    // A beforeNextSync callback may have started it already, or a hold is waiting to.
    if (this.running !== null || this.hold !== null || this.starting || this.broken !== null) return;
    if (this.waiting.length === 0 && this.beforeNext.length === 0) {
      this.worker.unref();
      return;
    }
    const wait = this.lastStart + this.minIntervalMs - performance.now();
    if (wait > 0) {
      this.worker.ref();
      this.hold = setTimeout(() => {
        this.hold = null;
        this.startDue();
      }, wait);
      return;
    }
    this.startDue();
  }

  /** The callbacks waiting for the next sync write what they have, then that sync starts. */
  private startDue(): void {
    this.starting = true;
    try {
      this.runBeforeNext();
    } finally {
      this.starting = false;
    }
    if (this.running !== null || this.broken !== null) return;
    if (this.waiting.length === 0) {
      this.worker.unref();
      return;
    }
    this.worker.ref();
    this.lastStart = performance.now();
    this.running = { id: this.nextId++, waiters: this.waiting };
    this.waiting = [];
    this.worker.postMessage({ kind: 'sync', id: this.running.id } satisfies WalSyncRequest);
  }

  private onReply(reply: WalSyncReply): void {
    if (reply.kind === 'ready' || this.running === null || reply.id !== this.running.id) return;
    const { waiters } = this.running;
    this.running = null;
    if (reply.kind === 'synced') {
      this.completed += 1;
      for (const waiter of waiters) waiter.resolve();
      this.startNext();
    } else {
      const error = new StoreUnavailableError(new Error(`fsync of the WAL failed: ${reply.message}`));
      for (const waiter of waiters) waiter.reject(error);
      // After a failed fsync the kernel may have dropped the dirty pages: nothing later can be trusted to be on disk.
      this.fail(error);
    }
  }

  private fail(error: Error): void {
    if (this.broken) return;
    this.broken = error;
    if (this.hold !== null) clearTimeout(this.hold);
    this.hold = null;
    const waiters = [...(this.running?.waiters ?? []), ...this.waiting];
    this.running = null;
    this.worker.unref();
    this.waiting = [];
    for (const waiter of waiters) waiter.reject(new StoreUnavailableError(error));
    this.runBeforeNext();
  }

  private runBeforeNext(): void {
    for (const callback of this.beforeNext.splice(0)) callback();
  }
}
