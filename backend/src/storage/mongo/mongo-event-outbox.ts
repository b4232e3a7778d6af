import { newId } from '../ids.js';
import { eventOfMembership, eventsOfNewMessage } from '../records/event.js';
import type { MessageRecord, NewEvent, NewMessage } from '../storage.js';
import { docToMessage, senderClientKeyOf, type MessageDoc } from './message-model.js';
import type { MessageChangeDoc } from './message-change-model.js';
import type { MongoEventLog } from './mongo-event-log.js';
import { withMongoErrors } from './mongo-errors.js';
import type { MongoModels } from './mongo-models.js';
import { membershipIdOf } from './membership-model.js';
import type { WebhookIntentDoc } from './webhook-intent-model.js';

/** How often the writer intent is moved on (or removed) at most, after batches finish. */
export const INTENT_MOVE_MS = 1_000;

type Intent = WebhookIntentDoc extends infer D ? (D extends WebhookIntentDoc ? Omit<D, '_id' | 'createdAt'> : never) : never;

/**
 * Makes the MongoDB event log an outbox a crash cannot lose, without transactions: before a
 * write that has webhook events, an intent naming it is stored; after the write, its events are
 * logged and the intent removed. A write that failed removes its intent. A crash (or a store
 * failure) between the write and the log leaves the intent, and `recover` — run by the webhook
 * dispatcher — finds the write it names and logs its events then (event ids are derived from
 * what they describe, so logging twice stores once). Such events come later in the log than
 * they would have: nothing is lost, but after a crash a few events may be out of place.
 */
export class MongoEventOutbox {
  /** Names this outbox's batches of appended messages (see beginBatch). */
  private readonly writer = newId();
  /** Tokens of the batches begun and not finished; each is lower than every message id its batch gives. */
  private readonly openBatches = new Set<string>();
  /** The fromId of the writer intent as stored, or null when there is none. */
  private writerIntent: string | null = null;
  private removingIntent = false;
  /** The writer intent's writes, one after another. */
  private intentWrites: Promise<void> = Promise.resolve();
  private intentMoveTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly models: MongoModels,
    private readonly log: MongoEventLog,
  ) {}

  /** Runs `write` between storing the intent and logging `events(result)`. */
  async around<T>(intent: Intent, write: () => Promise<T>, events: (result: T) => NewEvent[]): Promise<T> {
    const _id = newId();
    await withMongoErrors(() => this.models.webhookIntents.insertMany([{ _id, createdAt: new Date().toISOString(), ...intent }]));
    let result: T;
    try {
      result = await write();
    } catch (error) {
      await this.models.webhookIntents.deleteOne({ _id }).catch(() => undefined);
      throw error;
    }
    await this.log.append(events(result));
    await withMongoErrors(() => this.models.webhookIntents.deleteOne({ _id }));
    return result;
  }

  /**
   * The batched form of `around` for appended messages (mongo-append-batches.ts), without a write
   * per batch: this outbox keeps one intent of kind `writer` while it has batches whose events are
   * not logged, naming itself (`writer`, which its batches store on each message as `w`) and the
   * lowest id such a batch may have given (`fromId`; ids are ULIDs, increasing within a process).
   * A crash leaves it, and the recovery logs the events of this writer's messages from `fromId` on
   * (logging an event twice stores it once). So a batch writes the intent only when there was none
   * (the first after a pause); while batches follow one another it stays, and `fromId` and its
   * createdAt are moved on at most once per INTENT_MOVE_MS, or it is removed once none is left.
   * Returns a token for finishBatch(es), or null when no message of the batch has events.
   */
  async beginBatch(messages: readonly NewMessage[]): Promise<string | null> {
    if (!messages.some((message) => message.kind !== 'notice')) return null;
    const token = newId();
    this.openBatches.add(token);
    if (this.writerIntent !== null && !this.removingIntent) return token;
    try {
      await this.moveIntent();
    } catch (error) {
      this.openBatches.delete(token);
      throw error;
    }
    return token;
  }

  /** What batches store on their messages (`w`), for the recovery to find them. */
  get writerId(): string {
    return this.writer;
  }

  /** Logs the stored messages' events, gathered with other batches', then lets go of the batch (MongoEventLog.gather). */
  logBatch(stored: readonly MessageRecord[], token: string | null): Promise<void> {
    return this.log.gather(stored.flatMap(eventsOfNewMessage), token);
  }

  /** Events asked for and not yet in the log. */
  get unwrittenCount(): number {
    return this.log.unwrittenCount;
  }

  /** Lets go of batches whose events are logged. */
  async finishBatches(tokens: readonly string[]): Promise<void> {
    for (const token of tokens) this.openBatches.delete(token);
    this.intentMoveTimer ??= setTimeout(() => {
      this.intentMoveTimer = null;
      this.moveIntent().catch(() => undefined);
    }, INTENT_MOVE_MS).unref();
  }

  /** Lets go of a batch: once its events are logged, or when it stored nothing. */
  finishBatch(token: string | null): Promise<void> {
    return this.finishBatches(token === null ? [] : [token]);
  }

  /** Writes the intents still in the air at once (store close). */
  async flushIntent(): Promise<void> {
    if (this.intentMoveTimer !== null) clearTimeout(this.intentMoveTimer);
    this.intentMoveTimer = null;
    await this.moveIntent();
  }

  /**
   * Brings the stored writer intent in line with the open batches, one write at a time: inserted
   * when there was none, removed when no batch is open, otherwise moved to the lowest open token.
   * A recovery that removed it meanwhile (this process seemed gone) makes the move insert it again.
   */
  private moveIntent(): Promise<void> {
    const step = this.intentWrites.then(async () => {
      const models = this.models;
      const _id = `writer:${this.writer}`;
      if (this.openBatches.size === 0) {
        if (this.writerIntent === null) return;
        this.removingIntent = true;
        try {
          await withMongoErrors(() => models.webhookIntents.collection.deleteOne({ _id } as never));
          this.writerIntent = null;
        } finally {
          this.removingIntent = false;
        }
        return;
      }
      const fromId = [...this.openBatches].reduce((lowest, token) => (token < lowest ? token : lowest));
      const createdAt = new Date().toISOString();
      if (this.writerIntent !== null) {
        const { matchedCount } = await withMongoErrors(() =>
          models.webhookIntents.collection.updateOne({ _id } as never, { $set: { fromId, createdAt } }),
        );
        if (matchedCount === 1) {
          this.writerIntent = fromId;
          return;
        }
      }
      const intent = { _id, kind: 'writer', writer: this.writer, fromId, createdAt };
      await withMongoErrors(() => models.webhookIntents.collection.insertOne(intent as never));
      this.writerIntent = fromId;
    });
    this.intentWrites = step.catch(() => undefined);
    return step;
  }

  /** Logs the events of the writes whose intents were stored before `before` and never finished. Returns how many intents it settled. */
  async recover(before: string): Promise<number> {
    const left = await withMongoErrors(() =>
      this.models.webhookIntents.find({ createdAt: { $lt: before } }).sort({ createdAt: 1 }).limit(500).lean<WebhookIntentDoc[]>(),
    );
    for (const intent of left) {
      await this.log.append(await this.eventsOf(intent));
      // Not one its writer renewed meanwhile (it is alive after all, and keeps it).
      await withMongoErrors(() => this.models.webhookIntents.deleteOne({ _id: intent._id, createdAt: intent.createdAt }));
    }
    return left.length;
  }

  private async eventsOf(intent: WebhookIntentDoc): Promise<NewEvent[]> {
    switch (intent.kind) {
      case 'message': {
        const doc = await withMongoErrors(() =>
          this.models.messages.findOne({ senderClientKey: senderClientKeyOf(intent.senderId, intent.clientId) }).lean<MessageDoc>(),
        );
        return doc ? eventsOfNewMessage(docToMessage(doc)) : [];
      }
      case 'messages': {
        const docs = await withMongoErrors(() =>
          this.models.messages.find({ senderClientKey: { $in: intent.keys } }).sort({ chatId: 1, seq: 1 }).lean<MessageDoc[]>(),
        );
        return docs.flatMap((doc) => eventsOfNewMessage(docToMessage(doc)));
      }
      case 'writer': {
        const docs = await withMongoErrors(() =>
          this.models.messages.find({ _id: { $gt: intent.fromId }, w: intent.writer }).sort({ chatId: 1, seq: 1 }).lean<MessageDoc[]>(),
        );
        return docs.flatMap((doc) => eventsOfNewMessage(docToMessage(doc)));
      }
      case 'change': {
        const rows = await withMongoErrors(() =>
          this.models.messageChanges
            .find({ messageId: intent.messageId, kind: intent.change, at: { $gte: intent.createdAt } })
            .sort({ changeSeq: 1 })
            .lean<MessageChangeDoc[]>(),
        );
        const type = intent.change === 'edit' ? 'message.edited' : 'message.deleted';
        return rows.map((row) => ({ id: `evt_change_${intent.chatId}_${row.changeSeq}`, type, chatId: intent.chatId, messageId: intent.messageId, userId: null }));
      }
      case 'member': {
        const member = await withMongoErrors(() => this.models.memberships.exists({ _id: membershipIdOf(intent.chatId, intent.userId) }));
        const happened = intent.change === 'joined' ? member !== null : member === null;
        return happened ? [eventOfMembership(intent.change === 'joined' ? 'member.joined' : 'member.left', intent.chatId, intent.userId, intent.tag)] : [];
      }
    }
  }
}
