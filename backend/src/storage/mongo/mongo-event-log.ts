import type { EventLogStore, EventRecord, NewEvent } from '../storage.js';
import { MongoEventOutbox } from './mongo-event-outbox.js';
import { isDuplicateKeyError, translateMongoError, withMongoErrors } from './mongo-errors.js';
import type { MongoModels } from './mongo-models.js';
import { docToEvent, type WebhookEventDoc } from './webhook-event-model.js';

/** Enough for dozens of writers racing for the log's head; each round lets at least one through. */
const MAX_POSITION_ATTEMPTS = 200;

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

  constructor(private readonly models: MongoModels) {
    this.outbox = new MongoEventOutbox(models, this);
  }

  recoverInterrupted(before: string): Promise<number> {
    return this.outbox.recover(before);
  }

  async append(events: readonly NewEvent[]): Promise<void> {
    for (const event of events) await this.appendOne(event);
  }

  private async appendOne(event: NewEvent): Promise<void> {
    const createdAt = new Date().toISOString();
    for (let attempt = 0; attempt < MAX_POSITION_ATTEMPTS; attempt++) {
      const head = await this.headPosition();
      try {
        await this.models.webhookEvents.insertMany([
          { _id: head + 1, eventId: event.id, type: event.type, chatId: event.chatId, messageId: event.messageId, userId: event.userId, createdAt },
        ]);
        return;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw translateMongoError(error);
        const known = await withMongoErrors(() => this.models.webhookEvents.exists({ eventId: event.id }));
        if (known) return;
      }
    }
    throw new Error('could not take a position in the webhook event log');
  }

  async after(after: number, limit: number): Promise<EventRecord[]> {
    const docs = await withMongoErrors(() =>
      this.models.webhookEvents.find({ _id: { $gt: after } }).sort({ _id: 1 }).limit(limit).lean<WebhookEventDoc[]>(),
    );
    return docs.map(docToEvent);
  }

  async headPosition(): Promise<number> {
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
