import type { EventLogStore, EventRecord, NewEvent } from '../storage.js';
import { MongoEventOutbox } from './mongo-event-outbox.js';
import { firstFailedIndex, isDuplicateKeyError, translateMongoError, withMongoErrors } from './mongo-errors.js';
import type { MongoModels } from './mongo-models.js';
import { settledWithin } from './settled-within.js';
import { docToEvent, type WebhookEventDoc } from './webhook-event-model.js';

/** Enough for dozens of writers racing for the log's head; each round lets at least one through. */
const MAX_POSITION_ATTEMPTS = 200;
/** How long an append waits for the one before it at most (a driver that never answers must not hold the log). */
const PREVIOUS_APPEND_WAIT_MS = 12_000;
/**
 * How long the head this process wrote is trusted without reading it: far below the log's
 * retention, so the position after it cannot have been pruned (another process's write there
 * stops the insert, and the head is read again).
 */
const KNOWN_HEAD_TRUST_MS = 5_000;

/**
 * The webhook event log as an outbox collection, without transactions (FerretDB 1.x has none).
 * A position is taken like a message's seq: insert with 1 + the newest position, and the unique
 * `_id` lets exactly one writer have it; the loser reads the head again. Since a writer inserts
 * position p only after it saw p - 1, positions become visible in order, and a reader that has
 * seen p has seen everything before it.
 *
 * The message, change and member stores log their events right after their own write, through
 * the outbox (mongo-event-outbox.ts), so that a crash in between cannot lose them; logging an
 * event twice stores it once (the unique `eventId`).
 */
export class MongoEventLog implements EventLogStore {
  readonly outbox: MongoEventOutbox;
  /** The appends of this process, one after another in the order they were asked for. */
  private appending: Promise<void> = Promise.resolve();
  /** The newest position this process wrote, and when. */
  private knownHead: { position: number; at: number } | null = null;

  constructor(private readonly models: MongoModels) {
    this.outbox = new MongoEventOutbox(models, this);
  }

  recoverInterrupted(before: string): Promise<number> {
    return this.outbox.recover(before);
  }

  /**
   * Appends in the order asked for in this process: each append starts once the one before it
   * ended, and this process reads the log (`after`, `headPosition`) only after every append asked
   * for before the read. So events queued without being waited for (a batch of messages is
   * acknowledged before its events are written, see MongoAppendBatches) still come before the
   * events of what their sender does next, and this process reads its own writes. `afterwards`
   * (removing an outbox intent) runs once the events are in, before the next append or read.
   */
  append(events: readonly NewEvent[], afterwards?: () => Promise<void>): Promise<void> {
    const run = this.appending.then(async () => {
      await this.appendNow(events);
      await afterwards?.();
    });
    this.appending = settledWithin(run, PREVIOUS_APPEND_WAIT_MS);
    return run;
  }

  /**
   * One insertMany of consecutive positions after the head, ordered: a batch costs one insert when
   * no other process wrote meanwhile (the head is kept after each write). Where the insert stops (a
   * position another writer took, or an event already logged), what came before it is in, and the
   * rest goes round again from the head read anew.
   */
  private async appendNow(events: readonly NewEvent[]): Promise<void> {
    let pending = [...events];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_POSITION_ATTEMPTS) throw new Error('could not take a position in the webhook event log');
      const known = this.knownHead !== null && Date.now() - this.knownHead.at < KNOWN_HEAD_TRUST_MS ? this.knownHead.position : null;
      const head = known ?? (await this.readHead());
      const createdAt = new Date().toISOString();
      const docs = pending.map((event, index) => ({
        _id: head + 1 + index,
        eventId: event.id,
        type: event.type,
        chatId: event.chatId,
        messageId: event.messageId,
        userId: event.userId,
        createdAt,
      }));
      try {
        await this.models.webhookEvents.collection.insertMany(docs as never[], { ordered: true });
        this.knownHead = { position: head + docs.length, at: Date.now() };
        return;
      } catch (error) {
        this.knownHead = null;
        if (!isDuplicateKeyError(error)) throw translateMongoError(error);
        const failedAt = firstFailedIndex(error) ?? 0;
        const failed = pending[failedAt]!;
        // FerretDB does not say which index refused: an event already logged is skipped, a taken position retried.
        const known = await withMongoErrors(() => this.models.webhookEvents.exists({ eventId: failed.id }));
        pending = pending.slice(known ? failedAt + 1 : failedAt);
      }
    }
  }

  async after(after: number, limit: number): Promise<EventRecord[]> {
    await this.appending;
    const docs = await withMongoErrors(() =>
      this.models.webhookEvents.find({ _id: { $gt: after } }).sort({ _id: 1 }).limit(limit).lean<WebhookEventDoc[]>(),
    );
    return docs.map(docToEvent);
  }

  async headPosition(): Promise<number> {
    await this.appending;
    return this.readHead();
  }

  private async readHead(): Promise<number> {
    const newest = await withMongoErrors(() =>
      this.models.webhookEvents.findOne({}, { _id: 1 }).sort({ _id: -1 }).lean<Pick<WebhookEventDoc, '_id'>>(),
    );
    return newest?._id ?? 0;
  }

  /** The newest event always stays, so that positions are never handed out again. */
  async pruneBefore(before: string): Promise<number> {
    const head = await this.headPosition();
    const { deletedCount } = await withMongoErrors(() =>
      this.models.webhookEvents.deleteMany({ createdAt: { $lt: before }, _id: { $lt: head } }),
    );
    return deletedCount;
  }
}
