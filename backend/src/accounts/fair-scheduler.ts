export interface FairSchedulerOptions {
  /** Tasks running at once. */
  slots: number;
  /** Tasks one requester may have waiting (not counting its running ones); more are refused. */
  maxWaitingPerKey: number;
  /** Tasks all requesters together may have waiting; more are refused. */
  maxWaiting: number;
  /**
   * Priority tasks served in a row while ordinary ones wait; then one ordinary task goes first,
   * so a stream of priority work cannot starve the rest.
   */
  priorityStreak?: number;
  /** Assumed duration of a task until some have finished (for the Retry-After estimate). */
  initialTaskMs?: number;
  now?: () => number;
}

/** Refused because a queue is full. `retryAfterMs` estimates when there will be room. */
export class SchedulerFullError extends Error {
  constructor(
    readonly reason: 'requester' | 'total',
    readonly retryAfterMs: number,
  ) {
    super(reason === 'requester' ? 'This requester has too many tasks waiting' : 'Too many tasks waiting');
    this.name = 'SchedulerFullError';
  }
}

interface Waiting {
  key: string;
  start: () => void;
}

/** One lane: a FIFO per key, the keys served round-robin (a Map keeps insertion order). */
class Lane {
  private readonly queues = new Map<string, Waiting[]>();
  size = 0;

  push(item: Waiting): void {
    const queue = this.queues.get(item.key);
    if (queue) queue.push(item);
    else this.queues.set(item.key, [item]);
    this.size += 1;
  }

  /** The oldest task of the key whose turn it is; that key then goes to the back of the ring. */
  shift(): Waiting | undefined {
    const first = this.queues.entries().next();
    if (first.done) return undefined;
    const [key, queue] = first.value;
    const item = queue.shift()!;
    this.queues.delete(key);
    if (queue.length > 0) this.queues.set(key, queue);
    this.size -= 1;
    return item;
  }
}

/**
 * Runs at most `slots` tasks at once, fairly between requesters. Each task is filed under its
 * requester's key (a user, a client address) and, optionally, as priority work (sign-ins).
 * Waiting tasks are served round-robin by key, priority lane first, so a requester waits only
 * behind its own earlier tasks plus at most one turn of every other requester with work
 * waiting — however many tasks those others sent. Both the queue of one key and the total are
 * bounded: past them `run` rejects at once with SchedulerFullError rather than queueing.
 */
export class FairScheduler {
  private running = 0;
  private readonly priority = new Lane();
  private readonly ordinary = new Lane();
  private readonly waitingByKey = new Map<string, number>();
  private priorityServedInRow = 0;
  private averageTaskMs: number;
  private readonly priorityStreak: number;
  private readonly now: () => number;

  constructor(private readonly options: FairSchedulerOptions) {
    for (const name of ['slots', 'maxWaitingPerKey', 'maxWaiting'] as const) {
      const value = options[name];
      if (!Number.isInteger(value) || value < (name === 'slots' ? 1 : 0)) throw new RangeError(`${name} must be a whole number${name === 'slots' ? ' ≥ 1' : ' ≥ 0'}`);
    }
    this.priorityStreak = Math.max(1, options.priorityStreak ?? 4);
    this.averageTaskMs = options.initialTaskMs ?? 250;
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * Runs `task` when its turn comes. `unbounded` work (trusted callers with work of a known
   * size) skips the bounds, but still waits its round-robin turn.
   * @throws SchedulerFullError when it cannot even wait.
   */
  async run<T>(key: string, task: () => Promise<T>, options: { priority?: boolean; unbounded?: boolean } = {}): Promise<T> {
    if (this.running >= this.options.slots || this.waiting > 0) {
      const ofKey = this.waitingByKey.get(key) ?? 0;
      if (!options.unbounded) {
        if (ofKey >= this.options.maxWaitingPerKey) throw new SchedulerFullError('requester', this.estimateWaitMs(ofKey + 1));
        if (this.waiting >= this.options.maxWaiting) throw new SchedulerFullError('total', this.estimateWaitMs(this.waiting + 1));
      }
      this.waitingByKey.set(key, ofKey + 1);
      await new Promise<void>((start) => (options.priority ? this.priority : this.ordinary).push({ key, start }));
    } else {
      this.running += 1;
    }
    const started = this.now();
    try {
      return await task();
    } finally {
      this.averageTaskMs = 0.8 * this.averageTaskMs + 0.2 * (this.now() - started);
      this.running -= 1;
      this.startNext();
    }
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.priority.size + this.ordinary.size;
  }

  /** Tasks running now. */
  get active(): number {
    return this.running;
  }

  /** Tasks one key has waiting. */
  waitingOf(key: string): number {
    return this.waitingByKey.get(key) ?? 0;
  }

  private startNext(): void {
    while (this.running < this.options.slots) {
      const next = this.takeNext();
      if (!next) return;
      const left = (this.waitingByKey.get(next.key) ?? 1) - 1;
      if (left > 0) this.waitingByKey.set(next.key, left);
      else this.waitingByKey.delete(next.key);
      // The slot is taken here, before the task's continuation runs, so nothing can overtake it.
      this.running += 1;
      next.start();
    }
  }

  private takeNext(): Waiting | undefined {
    const priorityTurn = this.priority.size > 0 && (this.ordinary.size === 0 || this.priorityServedInRow < this.priorityStreak);
    if (priorityTurn) {
      this.priorityServedInRow += 1;
      return this.priority.shift();
    }
    this.priorityServedInRow = 0;
    return this.ordinary.shift();
  }

  /** Roughly how long until `ahead` more tasks have gone through the slots. */
  private estimateWaitMs(ahead: number): number {
    return Math.ceil((ahead * this.averageTaskMs) / this.options.slots);
  }
}
