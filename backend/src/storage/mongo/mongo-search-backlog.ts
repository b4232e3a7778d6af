import type { MessageRecord } from '../storage.js';
import type { MongoSearchIndex } from './mongo-search-index.js';

/** Messages waiting for their postings; past this, newer ones are left to the search-time catch-up. */
const DEFAULT_MAX_PENDING = 5_000;
/**
 * Messages indexed per insertMany of postings (one document each): a send waits for at most one
 * such write. When a message cost twenty documents or more (one per trigram), 10 per write was
 * what kept the sends' p99 down on FerretDB.
 */
const MESSAGES_PER_WRITE = 50;
/**
 * How long the postings of a few messages wait for more before they are written. Without it, each
 * gap between two batches of messages took the postings of the last batch or two, so a moderate
 * load cost the store two more writes (postings, marks) per batch of messages, as many as the
 * messages themselves.
 */
const DEFAULT_GATHER_MS = 250;

/**
 * Writes the search postings of stored messages in the background, so that a send never waits for
 * them: appended batches are handed over here after they are acknowledged, and written one
 * insertMany after another, each only while no batch of messages is being written (`storeIdle`):
 * a message costs the store one document and its postings one more (a larger one), so under a
 * steady load the sends come first and the postings take the gaps. A write takes
 * MESSAGES_PER_WRITE messages, or whatever gathered within `gatherMs` of the first of them.
 *
 * Search stays exact without it: before every search each chat is caught up from its mark (see
 * MongoSearchIndex). So a write that fails is not retried, and when the store falls behind (more
 * than `maxPending` messages waiting) the newest are not queued at all; the marks stay where the
 * postings stop, and the next search of those chats indexes the rest.
 */
export class MongoSearchBacklog {
  private pending: MessageRecord[] = [];
  private writing: Promise<void> | null = null;
  private dropped = 0;
  /** Ends the current wait for more messages (a full write's worth arrived, or idle() was asked). */
  private endGathering: (() => void) | null = null;
  /** Set by idle(): write what is pending without waiting for more. */
  private hurry = false;

  constructor(
    private readonly index: MongoSearchIndex,
    /** Resolves when no batch of messages is waiting or being written. */
    private readonly storeIdle: () => Promise<void>,
    private readonly maxPending = DEFAULT_MAX_PENDING,
    private readonly gatherMs = DEFAULT_GATHER_MS,
  ) {}

  /** Messages just stored (each chat's in seq order). */
  added(messages: readonly MessageRecord[]): void {
    if (this.pending.length + messages.length > this.maxPending) {
      this.dropped += messages.length;
      return;
    }
    this.pending.push(...messages);
    if (this.pending.length >= MESSAGES_PER_WRITE) this.endGathering?.();
    this.writing ??= this.writeAll().finally(() => {
      this.writing = null;
    });
  }

  /** Messages left to the search-time catch-up since start (the store was behind). */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Resolves once everything handed over so far is written or given up (tests, close). */
  async idle(): Promise<void> {
    this.hurry = true;
    this.endGathering?.();
    try {
      while (this.writing) await this.writing;
    } finally {
      this.hurry = false;
    }
  }

  private async writeAll(): Promise<void> {
    // Let the batch's acknowledgements and broadcasts go first.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      if (this.pending.length < MESSAGES_PER_WRITE && !this.hurry) await this.gather();
      await this.storeIdle();
      const batch = this.pending.splice(0, MESSAGES_PER_WRITE);
      // A failure leaves the marks behind; the next search catches up.
      await this.index.addedMany(batch).catch(() => undefined);
    }
  }

  /** Waits up to gatherMs for a write's worth of messages. */
  private gather(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.endGathering = null;
        resolve();
      };
      const timer = setTimeout(done, this.gatherMs);
      this.endGathering = done;
    });
  }
}
